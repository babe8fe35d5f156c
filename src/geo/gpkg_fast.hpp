#pragma once
// The incidents layer of a GeoPackage workspace read and written through SQLite directly, for
// million-row layers: GDAL's per-feature OGR API costs tens of microseconds a row, one
// prepared statement a few. The layer itself is still created by OGR
// (Workspace::incidents_for_write: gpkg_contents, gpkg_geometry_columns, the SRS, the R-tree and
// its triggers), so the file stays the GeoPackage GDAL and QGIS expect; these paths only move
// rows, and keep what OGR keeps beside them (R-tree, extent, feature count) in step.
//
//   GeoPackage geometry blob of a point, as GDAL writes it (29 bytes):
//   'G' 'P' | version 0 | flags 0x01 | srs_id int32 LE | WKB: 0x01 | type 1 uint32 LE | x | y
//             (flags: bit 0 little-endian, bits 1-3 envelope kind 0 = none, bit 4 empty)
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <unordered_set>
#include <vector>

#include "core/incident.hpp"
#include "geo/gdal_util.hpp"
#include "geo/sqlite_db.hpp"

namespace limes::geo {

/** Size of the blob write_gpkg_point() writes. */
inline constexpr std::size_t kGpkgPointBlobSize = 29;

/** A GeoPackage geometry blob of the point (x = lon, y = lat in degrees for EPSG:4326), no
 *  envelope, little-endian: byte for byte what GDAL 3.6 writes for a point. */
void write_gpkg_point(unsigned char* out, double x, double y, std::int32_t srs_id);

/** x, y of a GeoPackage point blob (either byte order, any envelope, Z/M variants); false for
 *  other geometry types, empty points and malformed blobs. */
bool read_gpkg_point(const unsigned char* blob, std::size_t size, double& x, double& y);

/** One SQLite write transaction that appends incidents to the incidents layer of a GeoPackage.
 *  No GDAL dataset may have the file open for writing meanwhile (close it first): the two
 *  would keep different ideas of the layer. The destructor rolls back unless commit() ran, so
 *  an exception or a crash leaves the workspace as it was. */
class IncidentBulkWriter {
public:
    /** Opens path and takes the write lock (BEGIN IMMEDIATE). Throws IoError naming path when
     *  it cannot, or when the incidents layer is missing or lacks one of limes' columns. */
    explicit IncidentBulkWriter(const std::string& path);
    ~IncidentBulkWriter();
    IncidentBulkWriter(const IncidentBulkWriter&) = delete;
    IncidentBulkWriter& operator=(const IncidentBulkWriter&) = delete;

    /** event_id_cnty of every stored incident (not NULL), for the duplicates check. */
    std::unordered_set<std::string> stored_event_ids();
    /** Inserts the incidents after the stored ones and sets each fid; the R-tree, the extent
     *  in gpkg_contents and the count in gpkg_ogr_contents follow. progress gets 0..1. */
    void append(std::vector<core::Incident>& incidents, ProgressSink* progress = nullptr);
    /** Makes it all durable. Throws IoError (and the destructor rolls back) when it cannot. */
    void commit();

private:
    SqliteDb db_;
    std::string fid_column_, geom_column_;
    std::int32_t srs_id_ = 4326;
    bool open_ = false;
};

/** Every incident of a GeoPackage workspace in fid order, read through SQLite. nullopt when
 *  the file does not fit this path (not SQLite, no incidents table, a limes column missing or
 *  of another type): the caller then reads through OGR. Throws IoError when reading fails. */
std::optional<std::vector<core::Incident>> read_incidents_gpkg(const std::string& path);

}  // namespace limes::geo
