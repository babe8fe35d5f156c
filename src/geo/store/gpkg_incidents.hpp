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
};

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

/** The row with this fid as db sees it (its own open transaction included); nullopt when there
 *  is none. */
std::optional<core::Incident> read_gpkg_row(SqliteDb& db, const GpkgIncidentLayout& layout,
                                            std::int64_t fid);

}  // namespace limes::geo
