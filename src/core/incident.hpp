#pragma once
// An incident: one reported event at one place on one day. Columns follow ACLED's export
// (2023 schema, 31 columns) so ACLED files map 1:1, plus limes' own provenance columns
// reported_by / status / source_url and UCDP's low/high death estimates.
#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/date.hpp"

namespace limes::core {

struct Incident {
    std::int64_t fid = 0;  ///< feature id in the workspace; 0 until stored
    /** The stored row's version when it was read (a PostGIS workspace: 1, raised by every
     *  UPDATE); 0 where the workspace keeps none (a file) or the row is not stored. A write
     *  of a row read at version v is refused when the stored row is past v: someone else
     *  changed it since (geo::StaleRowError), so no update is lost. Not a column: exports
     *  and comparisons leave it out. */
    std::int64_t version = 0;
    double lon = 0.0;      ///< WGS84 longitude, degrees east, -180..180
    double lat = 0.0;      ///< WGS84 latitude, degrees north, -90..90
    Date event_date;

    // Text columns (empty = not given).
    std::string event_id_cnty, disorder_type, event_type, sub_event_type, actor1, assoc_actor_1,
        inter1, actor2, assoc_actor_2, inter2, interaction, civilian_targeting, region, country,
        admin1, admin2, admin3, location, source, source_scale, notes, tags, reported_by, status,
        source_url;

    // Integer columns (nullopt = not given; 0 fatalities is a statement, not a gap).
    std::optional<std::int64_t> time_precision, iso, geo_precision, fatalities, fatalities_low,
        fatalities_high, timestamp;
};

enum class ColumnType { Text, Integer, Date };

/** One attribute column of the incidents layer. Exactly one of text/integer is set, or
 *  neither for the date column (event_date). */
struct IncidentColumn {
    std::string_view name;
    ColumnType type;
    std::string Incident::*text;
    std::optional<std::int64_t> Incident::*integer;
};

/** The incidents layer's attribute columns in storage order (geometry is the point). */
const std::array<IncidentColumn, 33>& incident_columns();

/** The columns whose values differ between two versions of one incident, in storage order,
 *  "geometry" first when the point moved (the fid is not compared). Empty: the same. */
std::vector<std::string_view> differing_columns(const Incident& a, const Incident& b);
/** A column's value as text ("" for a gap; the point as "lon lat"). */
std::string column_text(const Incident& inc, std::string_view column);

/** Index into incident_columns() of a column name (exact, lower case), or -1. */
int incident_column_index(std::string_view name);

// ACLED event taxonomy: 6 event types and their 25 sub-event types.
inline constexpr std::array<std::string_view, 6> kEventTypes = {
    "Battles", "Explosions/Remote violence", "Violence against civilians", "Protests",
    "Riots",   "Strategic developments"};

/** The canonical spelling of an ACLED event type (case and spacing insensitive), or empty. */
std::string_view canonical_event_type(std::string_view text);
/** The canonical sub-event type if it belongs to event_type (canonical), or empty. */
std::string_view canonical_sub_event_type(std::string_view event_type, std::string_view text);
/** All sub-event types of one event type, for messages. */
std::string sub_event_types_of(std::string_view event_type);

// Status of a report: reported (default), confirmed (by an independent party), disputed (the
// other side contests it), denied (the accused side denies it).
inline constexpr std::array<std::string_view, 4> kStatuses = {"reported", "confirmed", "disputed",
                                                              "denied"};
/** The canonical status (case-insensitive), or empty when unknown. */
std::string_view canonical_status(std::string_view text);

}  // namespace limes::core
