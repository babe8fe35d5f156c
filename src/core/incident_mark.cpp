#include "core/incident_mark.hpp"

#include <algorithm>
#include <limits>

namespace limes::core {

std::uint8_t event_type_index(std::string_view event_type) {
    for (std::size_t t = 0; t < kEventTypes.size(); ++t)
        if (kEventTypes[t] == event_type) return static_cast<std::uint8_t>(t);
    return kOtherEventType;
}

IncidentMark mark_of(const Incident& inc) {
    IncidentMark m;
    m.lon = inc.lon;
    m.lat = inc.lat;
    m.days = inc.event_date.days;
    if (inc.fatalities)  // clamped: a stated count never reads as "not stated"
        m.fatalities = static_cast<std::int32_t>(
            std::clamp<std::int64_t>(*inc.fatalities, 0, std::numeric_limits<std::int32_t>::max()));
    m.type = event_type_index(inc.event_type);
    if (inc.geo_precision && *inc.geo_precision >= 1)  // 3 and above: only the province known
        m.geo_precision = static_cast<std::uint8_t>(std::min<std::int64_t>(*inc.geo_precision, 3));
    return m;
}

std::vector<IncidentMark> marks_of(const std::vector<Incident>& incidents) {
    std::vector<IncidentMark> out;
    out.reserve(incidents.size());
    for (const auto& inc : incidents) out.push_back(mark_of(inc));
    return out;
}

}  // namespace limes::core
