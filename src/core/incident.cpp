#include "core/incident.hpp"

#include <cctype>
#include <string>

namespace limes::core {
namespace {

struct SubTypes {
    std::string_view event_type;
    std::array<std::string_view, 8> subs;
};

// ACLED codebook (2023): 25 sub-event types.
constexpr std::array<SubTypes, 6> kTaxonomy = {{
    {"Battles",
     {"Armed clash", "Government regains territory", "Non-state actor overtakes territory"}},
    {"Explosions/Remote violence",
     {"Chemical weapon", "Air/drone strike", "Suicide bomb", "Shelling/artillery/missile attack",
      "Remote explosive/landmine/IED", "Grenade"}},
    {"Violence against civilians", {"Sexual violence", "Attack", "Abduction/forced disappearance"}},
    {"Protests",
     {"Peaceful protest", "Protest with intervention", "Excessive force against protesters"}},
    {"Riots", {"Violent demonstration", "Mob violence"}},
    {"Strategic developments",
     {"Agreement", "Arrests", "Change to group/activity", "Disrupted weapons use",
      "Headquarters or base established", "Looting/property destruction",
      "Non-violent transfer of territory", "Other"}},
}};

// Lower case, spaces around '/' dropped, runs of spaces folded: "explosions / remote violence"
// and "Explosions/Remote violence" compare equal.
std::string fold(std::string_view s) {
    std::string out;
    for (char c : s) {
        const unsigned char u = static_cast<unsigned char>(c);
        if (std::isspace(u)) {
            if (!out.empty() && out.back() != ' ' && out.back() != '/') out += ' ';
            continue;
        }
        if (c == '/' && !out.empty() && out.back() == ' ') out.pop_back();
        out += static_cast<char>(std::tolower(u));
    }
    while (!out.empty() && out.back() == ' ') out.pop_back();
    return out;
}

#define TEXT(name)                                        \
    IncidentColumn {                                      \
#name, ColumnType::Text, &Incident::name, nullptr \
    }
#define INT(name)                                            \
    IncidentColumn {                                         \
#name, ColumnType::Integer, nullptr, &Incident::name \
    }

const std::array<IncidentColumn, 33> kColumns = {{
    TEXT(event_id_cnty),
    IncidentColumn{"event_date", ColumnType::Date, nullptr, nullptr},
    INT(time_precision),
    TEXT(disorder_type),
    TEXT(event_type),
    TEXT(sub_event_type),
    TEXT(actor1),
    TEXT(assoc_actor_1),
    TEXT(inter1),
    TEXT(actor2),
    TEXT(assoc_actor_2),
    TEXT(inter2),
    TEXT(interaction),
    TEXT(civilian_targeting),
    INT(iso),
    TEXT(region),
    TEXT(country),
    TEXT(admin1),
    TEXT(admin2),
    TEXT(admin3),
    TEXT(location),
    INT(geo_precision),
    TEXT(source),
    TEXT(source_scale),
    TEXT(notes),
    INT(fatalities),
    INT(fatalities_low),
    INT(fatalities_high),
    TEXT(tags),
    INT(timestamp),
    TEXT(reported_by),
    TEXT(status),
    TEXT(source_url),
}};

#undef TEXT
#undef INT

}  // namespace

const std::array<IncidentColumn, 33>& incident_columns() {
    return kColumns;
}

int incident_column_index(std::string_view name) {
    for (std::size_t i = 0; i < kColumns.size(); ++i)
        if (kColumns[i].name == name) return static_cast<int>(i);
    return -1;
}

std::string_view canonical_event_type(std::string_view text) {
    const std::string key = fold(text);
    for (const auto& t : kTaxonomy)
        if (fold(t.event_type) == key) return t.event_type;
    return {};
}

std::string_view canonical_sub_event_type(std::string_view event_type, std::string_view text) {
    const std::string key = fold(text);
    for (const auto& t : kTaxonomy) {
        if (t.event_type != event_type) continue;
        for (auto sub : t.subs)
            if (!sub.empty() && fold(sub) == key) return sub;
    }
    return {};
}

std::string sub_event_types_of(std::string_view event_type) {
    std::string out;
    for (const auto& t : kTaxonomy) {
        if (t.event_type != event_type) continue;
        for (auto sub : t.subs) {
            if (sub.empty()) continue;
            if (!out.empty()) out += ", ";
            out += sub;
        }
    }
    return out;
}

std::string_view canonical_status(std::string_view text) {
    const std::string key = fold(text);
    for (auto s : kStatuses)
        if (s == key) return s;
    return {};
}

std::vector<std::string_view> differing_columns(const Incident& a, const Incident& b) {
    std::vector<std::string_view> out;
    if (a.lon != b.lon || a.lat != b.lat) out.push_back("geometry");
    for (const auto& c : incident_columns()) {
        const bool same = c.text      ? a.*c.text == b.*c.text
                          : c.integer ? a.*c.integer == b.*c.integer
                                      : a.event_date.days == b.event_date.days;
        if (!same) out.push_back(c.name);
    }
    return out;
}

std::string column_text(const Incident& inc, std::string_view column) {
    if (column == "geometry") return std::to_string(inc.lon) + " " + std::to_string(inc.lat);
    for (const auto& c : incident_columns()) {
        if (c.name != column) continue;
        if (c.text) return inc.*c.text;
        if (c.integer) return (inc.*c.integer) ? std::to_string(*(inc.*c.integer)) : "";
        return inc.event_date.iso();
    }
    return "";
}

}  // namespace limes::core
