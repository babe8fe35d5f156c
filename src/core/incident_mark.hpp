#pragma once
// What a map needs of an incident, in 32 bytes: where, when, which type, how precise, how
// many dead. A million incidents as Incident rows (33 columns of std::string) cost over a
// gigabyte; as marks, 32 MB. The renderer, clusters and the window's filters work on marks;
// the full row is read from the workspace only when someone looks at it.
#include <cstdint>
#include <vector>

#include "core/incident.hpp"

namespace limes::core {

/** Type index of event types outside the ACLED taxonomy (kEventTypes has 0..5). */
inline constexpr std::uint8_t kOtherEventType = static_cast<std::uint8_t>(kEventTypes.size());

struct IncidentMark {
    double lon = 0.0;                     ///< WGS84 longitude, degrees east
    double lat = 0.0;                     ///< WGS84 latitude, degrees north
    std::int32_t days = 0;                ///< event_date, days since 1970-01-01 (Date::days)
    std::int32_t fatalities = -1;         ///< stated fatalities; -1 not stated (0 is a statement)
    std::uint8_t type = kOtherEventType;  ///< index into kEventTypes, or kOtherEventType
    std::uint8_t geo_precision = 0;       ///< ACLED geo_precision 1..3; 0 not stated
};

/** Index into kEventTypes of an exact (canonical) type name, else kOtherEventType. */
std::uint8_t event_type_index(std::string_view event_type);

IncidentMark mark_of(const Incident& inc);
std::vector<IncidentMark> marks_of(const std::vector<Incident>& incidents);

}  // namespace limes::core
