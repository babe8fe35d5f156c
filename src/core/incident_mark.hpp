#pragma once
// What a map needs of an incident, in 32 bytes: where, when, which type, how precise, how
// many dead, which side reported it and its status. A million incidents as Incident rows (33
// columns of std::string) cost over a gigabyte; as marks, 32 MB. The renderer, clusters and the
// window's filters work on marks; the full row is read from the workspace only when someone looks
// at it.
#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/incident.hpp"

namespace limes::core {

/** Type index of event types outside the ACLED taxonomy (kEventTypes has 0..5). */
inline constexpr std::uint8_t kOtherEventType = static_cast<std::uint8_t>(kEventTypes.size());

/** Who made a report, by side: what a map's outline (or fill) says of `reported_by`. The
 *  side of a reported_by value comes from one table (kReportingSides in incident_mark.cpp),
 *  never guessed from the row: a value not in it is Other. */
enum class ReportingSide : std::uint8_t {
    Armenian,     ///< Armenian government, ministries, ombudsman, Armenian media
    Azerbaijani,  ///< Azerbaijani government, ministries, Azerbaijani media
    ThirdParty,   ///< international organisations, NGOs, foreign media
    Other,        ///< not stated, or a value the table does not know
};
inline constexpr std::size_t kReportingSideCount = 4;

/** The side of a reported_by value (exact match after trimming, case-insensitive). */
ReportingSide reporting_side(std::string_view reported_by);
/** "Armenian sources", "Azerbaijani sources", "Third party / international", "Other or not
 *  stated": how legends name a side. */
std::string_view reporting_side_name(ReportingSide side);

/** Status index of IncidentMark::status for no or an unknown status (kStatuses has 0..3). */
inline constexpr std::uint8_t kNoStatus = static_cast<std::uint8_t>(kStatuses.size());
/** Index into kStatuses of a status (canonical_status), else kNoStatus. */
std::uint8_t status_index(std::string_view status);

struct IncidentMark {
    double lon = 0.0;                     ///< WGS84 longitude, degrees east
    double lat = 0.0;                     ///< WGS84 latitude, degrees north
    std::int32_t days = 0;                ///< event_date, days since 1970-01-01 (Date::days)
    std::int32_t fatalities = -1;         ///< stated fatalities; -1 not stated (0 is a statement)
    std::uint8_t type = kOtherEventType;  ///< index into kEventTypes, or kOtherEventType
    std::uint8_t geo_precision = 0;       ///< ACLED geo_precision 1..3; 0 not stated
    ReportingSide side = ReportingSide::Other;  ///< of reported_by (reporting_side)
    std::uint8_t status = kNoStatus;            ///< index into kStatuses, or kNoStatus
};
static_assert(sizeof(IncidentMark) == 32, "a million marks in 32 MB: keep the mark small");

/** Index into kEventTypes of an exact (canonical) type name, else kOtherEventType. */
std::uint8_t event_type_index(std::string_view event_type);

IncidentMark mark_of(const Incident& inc);
std::vector<IncidentMark> marks_of(const std::vector<Incident>& incidents);

/** mark_of for a pass over many rows: the text columns' lookups (event type, reporting side,
 *  status: case folding, trimming, table scans) are remembered by value, as millions of rows
 *  hold a few distinct ones. Not thread-safe: one per thread. */
class MarkMaker {
  public:
    IncidentMark operator()(const Incident& inc);

  private:
    /** Remembers at most this many values a column (a hostile file's millions of distinct
     *  values are looked up each time instead of filling memory). */
    static constexpr std::size_t kRemembered = 4096;
    /** The first values a column holds are kept in a short list, compared length first: a
     *  column's few values (6 event types, a handful of reporters and statuses) are found in
     *  a compare or two, where hashing each row's string cost a twentieth of a 10M render.
     *  Values past these go to a hash map. */
    static constexpr std::size_t kListed = 16;
    struct Memo {
        std::vector<std::pair<std::string, std::uint8_t>> listed;
        std::unordered_map<std::string, std::uint8_t> more;
    };
    template <class Lookup>
    static std::uint8_t remembered(Memo& memo, const std::string& value, Lookup lookup);
    Memo types_, sides_, statuses_;
};

}  // namespace limes::core
