#include "core/filter.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdlib>

#include "core/claim.hpp"
#include "core/error.hpp"
#include "core/text.hpp"

namespace limes::core {

bool Filter::accepts(const Incident& incident) const {
    if (from && incident.event_date < *from) return false;
    if (to && incident.event_date > *to) return false;
    if (bbox && !bbox->contains(incident.lon, incident.lat)) return false;
    if (!types.empty() && std::find(types.begin(), types.end(), incident.event_type) == types.end())
        return false;
    if (!reported_by.empty() &&
        std::none_of(reported_by.begin(), reported_by.end(),
                     [&](const std::string& r) { return iequals(r, incident.reported_by); }))
        return false;
    if (!statuses.empty() &&
        std::find(statuses.begin(), statuses.end(), incident.status) == statuses.end())
        return false;
    if (min_fatalities > 0 && incident.fatalities.value_or(0) < min_fatalities) return false;
    if (!actor.empty()) {
        auto has = [&](const std::string& s) {
            return std::search(s.begin(), s.end(), actor.begin(), actor.end(), [](char a, char b) {
                       return std::tolower(static_cast<unsigned char>(a)) ==
                              std::tolower(static_cast<unsigned char>(b));
                   }) != s.end();
        };
        if (!has(incident.actor1) && !has(incident.actor2)) return false;
    }
    return true;
}

IncidentColumns Filter::columns() const {
    IncidentColumns c;
    if (from || to) c.add(IncidentColumns{"event_date"});
    if (!types.empty()) c.add(IncidentColumns{"event_type"});
    if (!reported_by.empty()) c.add(IncidentColumns{"reported_by"});
    if (!statuses.empty()) c.add(IncidentColumns{"status"});
    if (min_fatalities > 0) c.add(IncidentColumns{"fatalities"});
    if (!actor.empty()) c.add(IncidentColumns{"actor1", "actor2"});
    return c;
}

BBox parse_bbox(std::string_view text) {
    double v[4];
    std::string s(text);
    const char* p = s.c_str();
    for (int i = 0; i < 4; ++i) {
        char* end = nullptr;
        v[i] = std::strtod(p, &end);
        if (end == p || !std::isfinite(v[i]))
            throw UsageError("--bbox '" + s + "': expected four numbers W,S,E,N in degrees");
        p = end;
        if (i < 3) {
            if (*p != ',')
                throw UsageError("--bbox '" + s + "': expected four numbers W,S,E,N in degrees");
            ++p;
        }
    }
    if (*p != '\0') throw UsageError("--bbox '" + s + "': trailing characters after N");
    if (v[0] < -180 || v[2] > 180 || v[1] < -90 || v[3] > 90)
        throw UsageError("--bbox '" + s + "': outside -180..180 / -90..90 degrees");
    if (v[0] >= v[2] || v[1] >= v[3])
        throw UsageError("--bbox '" + s + "': W must be less than E and S less than N");
    BBox b;
    b.add(v[0], v[1]);
    b.add(v[2], v[3]);
    return b;
}

Date parse_date_option(std::string_view option, std::string_view text) {
    if (auto d = parse_date(text)) return *d;
    throw UsageError(std::string(option) + " '" + std::string(text) +
                     "': not a date (use YYYY-MM-DD, DD-MM-YYYY or '13 September 2022')");
}

std::pair<Date, Date> parse_date_range_option(std::string_view option, std::string_view text) {
    const auto dots = text.find("..");
    const std::string quoted = std::string(option) + " '" + std::string(text) + "'";
    if (dots == std::string_view::npos)
        throw UsageError(quoted + ": expected FROM..TO, e.g. 2022-09-12..2022-09-14");
    const std::pair<Date, Date> range{parse_date_option(option, text.substr(0, dots)),
                                      parse_date_option(option, text.substr(dots + 2))};
    if (range.second < range.first) throw UsageError(quoted + ": TO is before FROM");
    return range;
}

std::string parse_event_type_option(std::string_view text) {
    auto t = canonical_event_type(text);
    if (!t.empty()) return std::string(t);
    std::string all;
    for (auto e : kEventTypes) all += (all.empty() ? "" : ", ") + std::string(e);
    throw UsageError("--type '" + std::string(text) + "': unknown event type (one of: " + all +
                     ")");
}

void check_range(const Filter& filter) {
    if (filter.from && filter.to && *filter.from > *filter.to)
        throw UsageError("--from " + filter.from->iso() + " is after --to " + filter.to->iso() +
                         ": the time range is empty");
}

std::string_view canonical_claim_kind(std::string_view text) {
    for (auto k : kClaimKinds)
        if (iequals(k, text)) return k;
    return {};
}

}  // namespace limes::core
