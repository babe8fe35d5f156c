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

/** The incidents table as stored in one GeoPackage. */
struct GpkgIncidentLayout {
    std::string table;      ///< as registered in gpkg_geometry_columns
    std::string fid, geom;  ///< its INTEGER PRIMARY KEY and geometry column
    std::int32_t srs_id = 4326;
    std::array<bool, core::IncidentColumns::kCount> present{};  ///< limes' columns it has
};

class GpkgIncidentTable : public IncidentTable {
  public:
    /** Hooks into the workspace for what GDAL does: creating the layer with limes' schema
     *  (before the first write when there is none) and dropping it again (when that write is
     *  rolled back). Both run while no connection of this table writes. */
    struct LayerHooks {
        std::function<void()> create;
        std::function<void()> drop;
    };

    GpkgIncidentTable(std::string path, LayerHooks hooks);
    ~GpkgIncidentTable() override;

    bool exists() override;
    std::size_t count_hint() override;
    std::unique_ptr<IncidentCursor> query(const IncidentQuery& query) override;
    std::unique_ptr<IncidentReads> snapshot() override;
    std::optional<core::Incident> read(std::int64_t fid) override;
    std::vector<std::int64_t> find(std::string_view column, const std::string& text,
                                   TextMatch match) override;
    unsigned scan_parts(const IncidentQuery& query, unsigned threads,
                        const std::function<void(unsigned, const core::Incident&)>& visit,
                        const std::function<void()>& restart) override;
    std::unique_ptr<IncidentWriter> write() override;

    const std::string& path() const { return path_; }

  private:
    /** The layout, read at the first need (and again after write() created the layer). */
    const GpkgIncidentLayout* layout();
    SqliteDb& shared_db();  // for read() and find(); caller holds mutex_

    std::string path_;
    LayerHooks hooks_;
    std::optional<GpkgIncidentLayout> layout_;
    std::mutex mutex_;                  // guards layout_, shared_ and read_one_
    std::unique_ptr<SqliteDb> shared_;  // read(), find(), count_hint(): no transaction held
    std::optional<SqliteStatement> read_one_;
};

/** Reads the layout of the incidents table of an open GeoPackage; nullopt when it has none
 *  (no feature table "incidents" with an integer primary key and its geometry column). */
std::optional<GpkgIncidentLayout> inspect_incidents(SqliteDb& db);

}  // namespace limes::geo
