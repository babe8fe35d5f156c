#pragma once
// The shared filters of every command: --from/--to, --bbox, --region, --type, --reported-by.
// The region test needs geometry, so it is applied by src/geo; everything else is here.
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/columns.hpp"
#include "core/date.hpp"
#include "core/geometry.hpp"
#include "core/incident.hpp"

namespace limes::core {

struct Filter {
    std::optional<Date> from, to;          ///< inclusive calendar days
    std::optional<BBox> bbox;              ///< lon/lat degrees, W,S,E,N
    std::string region;                    ///< name of a region/province/country polygon
    std::vector<std::string> types;        ///< canonical ACLED event types (any of)
    std::vector<std::string> reported_by;  ///< any of, case-insensitive
    std::vector<std::string> statuses;     ///< any of (reported, confirmed, ...); empty: all
    long long min_fatalities = 0;          ///< stated fatalities at least this (0: no test)
    std::string actor;                     ///< substring of actor1 or actor2, case-insensitive

    bool is_empty() const {
        return !from && !to && !bbox && region.empty() && types.empty() && reported_by.empty() &&
               statuses.empty() && min_fatalities <= 0 && actor.empty();
    }
    /** Every test but the region (which src/geo applies with a prepared polygon). Reads only
     *  the point and the columns() of the incident. */
    bool accepts(const Incident& incident) const;
    /** The attribute columns accepts() reads (the point aside): a storage scan reads at least
     *  these, whatever else its caller asks for. */
    IncidentColumns columns() const;
};

/** "W,S,E,N" in degrees; throws UsageError naming the option on a malformed or inverted box. */
BBox parse_bbox(std::string_view text);
/** A date for --from/--to; throws UsageError with the accepted forms. */
Date parse_date_option(std::string_view option, std::string_view text);
/** "FROM..TO" (each as parse_date_option reads it) for --changes; throws UsageError naming the
 *  option when the ".." is missing or TO is before FROM. */
std::pair<Date, Date> parse_date_range_option(std::string_view option, std::string_view text);
/** An ACLED event type, canonical; throws UsageError listing the six types. */
std::string parse_event_type_option(std::string_view text);
/** Checks from <= to; throws UsageError on an empty range. */
void check_range(const Filter& filter);

}  // namespace limes::core
