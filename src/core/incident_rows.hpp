#pragma once
// Turns table rows (CSV records, or OGR features read as text) into validated Incidents.
// The header decides the mapping once; each row then either yields an Incident or throws a
// DataError naming file, row and field. ACLED files (both the 2023 31-column schema and the
// older one) and limes' own CSVs map column by column; UCDP GED rows are translated.
#include <string>
#include <string_view>
#include <vector>

#include "core/incident.hpp"

namespace limes::core {

enum class RowFormat { Acled, Ucdp };

/** Guesses the format from header names: UCDP has date_start and where_prec; ACLED (and the
 *  limes CSV) has event_date and event_type. A header with only one of a format's two names
 *  is taken as that format, so that IncidentRowMapper names the missing column. Throws
 *  DataError naming the file when neither format fits. */
RowFormat detect_row_format(const std::vector<std::string>& header, const std::string& file);

class IncidentRowMapper {
  public:
    /** header: column names as in the file (matched case-insensitively, trimmed). Throws
     *  DataError when a required column is missing (file, row 1, the column). */
    IncidentRowMapper(RowFormat format, std::vector<std::string> header, std::string file);

    /** Maps one row; row is the 1-based line/feature number used in messages. lon/lat come
     *  from the latitude/longitude columns unless has_point is set (OGR geometry). */
    Incident map(const std::vector<std::string_view>& values, long row) const;
    Incident map(const std::vector<std::string_view>& values, long row, double lon,
                 double lat) const;
    /** As map(values, row), into an existing Incident (overwritten whole; its strings keep
     *  their buffers, so a reused Incident costs no allocation). On DataError out is left
     *  half-filled. */
    void map_into(const std::vector<std::string_view>& values, long row, Incident& out) const;

    /** Header columns that have no place in the incidents layer (reported once per import). */
    const std::vector<std::string>& ignored_columns() const { return ignored_; }
    RowFormat format() const { return format_; }
    /** True when the header has latitude and longitude columns. */
    bool has_coordinates() const { return lat_ >= 0 && lon_ >= 0; }

  private:
    void map_acled(const std::vector<std::string_view>& v, long row, bool has_point, double lon,
                   double lat, Incident& out) const;
    void map_ucdp(const std::vector<std::string_view>& v, long row, bool has_point, double lon,
                  double lat, Incident& out) const;
    int col(std::string_view name) const;

    RowFormat format_;
    std::vector<std::string> header_;
    std::string file_;
    std::vector<int> target_;  // ACLED: header index -> incident_columns() index, or -1
    std::vector<std::string> ignored_;
    int lat_ = -1, lon_ = -1;
    bool has_reported_by_ = false;  // ACLED files without it are ACLED's own statements
};

/** True when s is well-formed UTF-8. */
bool is_valid_utf8(std::string_view s);

/** The longest text a field may hold: 1 MiB. Longer values are refused (DataError) rather
 *  than carried into the workspace, the window's table and every export: no real report
 *  needs more, and a 50 MB "notes" is a broken or hostile file. */
constexpr std::size_t kMaxTextBytes = std::size_t(1) << 20;

/** Checks a text value for the workspace: well-formed UTF-8, no NUL byte (GDAL and SQLite
 *  would cut the text there), at most kMaxTextBytes. Throws DataError naming file, row and
 *  field. */
void check_text(std::string_view value, const std::string& file, long row, std::string_view field);

}  // namespace limes::core
