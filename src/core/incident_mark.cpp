#include "core/incident_mark.hpp"

#include <algorithm>
#include <array>
#include <limits>

#include "core/text.hpp"

namespace limes::core {

std::uint8_t event_type_index(std::string_view event_type) {
    for (std::size_t t = 0; t < kEventTypes.size(); ++t)
        if (kEventTypes[t] == event_type) return static_cast<std::uint8_t>(t);
    return kOtherEventType;
}

namespace {

// The reported_by values of limes' data (geodata/incidents_2022-09.csv; ACLED and UCDP imports)
// by side.
// One table, matched exactly (trimmed, case-insensitive): a new source is added here, with
// its side, rather than guessed from words in the value. A value not listed is Other.
struct SideOf {
    std::string_view reported_by;
    ReportingSide side;
};
constexpr std::array<SideOf, 9> kReportingSides = {{
    {"armenian mod", ReportingSide::Armenian},
    {"armenian government", ReportingSide::Armenian},
    {"armenian human rights defender", ReportingSide::Armenian},  // the ombudsman's office
    {"armenian media (iravaban.net)", ReportingSide::Armenian},
    {"azerbaijani mod", ReportingSide::Azerbaijani},
    {"azerbaijani government", ReportingSide::Azerbaijani},
    {"human rights watch", ReportingSide::ThirdParty},
    {"acled", ReportingSide::ThirdParty},  // what `limes import` writes for ACLED's own rows
    {"ucdp", ReportingSide::ThirdParty},   // and for UCDP GED's
}};

}  // namespace

ReportingSide reporting_side(std::string_view reported_by) {
    while (!reported_by.empty() && std::isspace(static_cast<unsigned char>(reported_by.front())))
        reported_by.remove_prefix(1);
    while (!reported_by.empty() && std::isspace(static_cast<unsigned char>(reported_by.back())))
        reported_by.remove_suffix(1);
    const std::string key = to_lower(reported_by);
    for (const SideOf& s : kReportingSides)
        if (s.reported_by == key) return s.side;
    return ReportingSide::Other;
}

std::string_view reporting_side_name(ReportingSide side) {
    switch (side) {
        case ReportingSide::Armenian: return "Armenian sources";
        case ReportingSide::Azerbaijani: return "Azerbaijani sources";
        case ReportingSide::ThirdParty: return "Third party / international";
        default: return "Other or not stated";
    }
}

std::uint8_t status_index(std::string_view status) {
    const std::string_view canonical = canonical_status(status);
    for (std::size_t i = 0; i < kStatuses.size(); ++i)
        if (kStatuses[i] == canonical) return static_cast<std::uint8_t>(i);
    return kNoStatus;
}

namespace {

/** The mark's numbers: point, day, fatalities, precision (the text lookups are the caller's). */
IncidentMark numbers_of(const Incident& inc) {
    IncidentMark m;
    m.lon = inc.lon;
    m.lat = inc.lat;
    m.days = inc.event_date.days;
    if (inc.fatalities)  // clamped: a stated count never reads as "not stated"
        m.fatalities = static_cast<std::int32_t>(
            std::clamp<std::int64_t>(*inc.fatalities, 0, std::numeric_limits<std::int32_t>::max()));
    if (inc.geo_precision && *inc.geo_precision >= 1)  // 3 and above: only the province known
        m.geo_precision = static_cast<std::uint8_t>(std::min<std::int64_t>(*inc.geo_precision, 3));
    return m;
}

}  // namespace

IncidentMark mark_of(const Incident& inc) {
    IncidentMark m = numbers_of(inc);
    m.type = event_type_index(inc.event_type);
    m.side = reporting_side(inc.reported_by);
    m.status = status_index(inc.status);
    return m;
}

template <class Lookup>
std::uint8_t MarkMaker::remembered(Memo& memo, const std::string& value, Lookup lookup) {
    for (const auto& [known, v] : memo.listed)
        if (known == value) return v;  // lengths first, then bytes
    if (!memo.more.empty())
        if (const auto it = memo.more.find(value); it != memo.more.end()) return it->second;
    const auto v = static_cast<std::uint8_t>(lookup(value));
    if (memo.listed.size() < kListed)
        memo.listed.emplace_back(value, v);
    else if (memo.more.size() < kRemembered - kListed)
        memo.more.emplace(value, v);
    return v;
}

IncidentMark MarkMaker::operator()(const Incident& inc) {
    IncidentMark m = numbers_of(inc);
    m.type = remembered(types_, inc.event_type, event_type_index);
    m.side = static_cast<ReportingSide>(remembered(sides_, inc.reported_by, [](const std::string& v) {
        return static_cast<std::uint8_t>(reporting_side(v));
    }));
    m.status = remembered(statuses_, inc.status, status_index);
    return m;
}

std::vector<IncidentMark> marks_of(const std::vector<Incident>& incidents) {
    std::vector<IncidentMark> out;
    out.reserve(incidents.size());
    for (const auto& inc : incidents) out.push_back(mark_of(inc));
    return out;
}

}  // namespace limes::core
