#pragma once
// The incidents of a GeoPackage workspace, read and written through SQLite directly: GDAL's
// per-feature OGR API costs tens of microseconds a row, one prepared statement a few, which is
// what lets a million-row layer load, export and import in seconds. The layer itself (its
// gpkg_contents row, the SRS, the R-tree and its triggers) is created by GDAL
// (store/workspace.cpp), so the file stays the GeoPackage GDAL and QGIS expect; these paths
// move rows and keep what GDAL keeps beside them (R-tree, extent, feature count) in step.
//
// Every connection here is private to one object and one thread: a cursor and each part of a
// split scan open their own (SQLite reads in parallel from separate connections); read() and
// find() share one behind a mutex; a writer holds one for its transaction.
#include <array>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "geo/store/incident_table.hpp"
#include "geo/store/sqlite_db.hpp"

namespace limes::geo {

/** limes' incident columns in the table, besides fid and geometry. */
inline constexpr std::size_t kIncidentColumnCount = core::IncidentColumns::kCount;

/** The incidents table as stored in one GeoPackage. */
struct GpkgIncidentLayout {
    std::string table;      ///< as registered in gpkg_geometry_columns
    std::string fid, geom;  ///< its INTEGER PRIMARY KEY and geometry column
    std::int32_t srs_id = 4326;
    std::array<bool, core::IncidentColumns::kCount> present{};  ///< limes' columns it has
    bool marks_index = false;  ///< it has the covering index marks_index_sql() creates
};

/** The covering index of what a map and a count read: fid, the point and
 *  core::IncidentColumns::drawn(), in that order. A render, `stats` or a briefing reads it (about
 *  100 bytes a row, in fid order) instead of the rows themselves (about 500 bytes a row with
 *  notes, actors and source): at 10M rows 1 GB of pages instead of 5.3 GB. SQLite keeps it in
 *  step with every change, whichever tool makes it; a GeoPackage may hold further indexes,
 *  GDAL and QGIS ignore them. */
std::string marks_index_name(const GpkgIncidentLayout& layout);
/** CREATE INDEX IF NOT EXISTS for it (each column the layout names). */
std::string marks_index_sql(const GpkgIncidentLayout& layout);

/** The SELECT a pass over the table runs for query (fid, geometry, the columns it reads; no
 *  WHERE): through the marks index when the layout has it and every column read is in it. */
std::string gpkg_pass_sql(const GpkgIncidentLayout& layout, const IncidentQuery& query);

/** Hooks into the workspace for what GDAL does: creating the layer with limes' schema
 *  (before the first write when there is none) and dropping it again (when that write is
 *  rolled back). Both run while no connection of the table writes. */
struct GpkgLayerHooks {
    std::function<void()> create;
    std::function<void()> drop;
};

/** The incidents of the GeoPackage file at path (writers must not outlive it). */
std::unique_ptr<IncidentTable> make_gpkg_incidents(std::string path, GpkgLayerHooks hooks);

/** Reads the layout of the incidents table of an open GeoPackage; nullopt when it has none
 *  (no feature table "incidents" with an integer primary key and its geometry column). */
std::optional<GpkgIncidentLayout> inspect_incidents(SqliteDb& db);

/** Reads one row at a time by fid through one prepared statement, as db sees the table (its
 *  own open transaction included). Not thread-safe; must not outlive db. */
class GpkgRowReader {
  public:
    GpkgRowReader(SqliteDb& db, const GpkgIncidentLayout& layout);
    ~GpkgRowReader();
    /** The row with this fid; nullopt when there is none. */
    std::optional<core::Incident> read(std::int64_t fid);

  private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace limes::geo
