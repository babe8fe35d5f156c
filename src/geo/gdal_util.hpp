#pragma once
// GDAL/OGR plumbing shared by src/geo: one-time driver registration, opening datasets with
// errors that name the path, and the WGS84 reference in GIS axis order (lon, lat).
#include <gdal_priv.h>
#include <ogr_spatialref.h>
#include <ogrsf_frmts.h>

#include <memory>
#include <string>

namespace limes::geo {

/** Registers GDAL drivers once and sets the options limes relies on (quiet errors that we
 *  turn into exceptions; no size limit on GeoJSON objects). Safe to call repeatedly. */
void ensure_gdal();

/** Opens a vector dataset read-only or for update; throws IoError naming the path with GDAL's
 *  own reason when it cannot. */
GDALDatasetUniquePtr open_vector(const std::string& path, bool update);

/** The last GDAL error message, or fallback when GDAL recorded none. */
std::string gdal_error(const std::string& fallback);

/** EPSG:4326 with OAMS_TRADITIONAL_GIS_ORDER: x = longitude, y = latitude, degrees. */
OGRSpatialReference wgs84();

/** Short human name of a CRS: "EPSG:4326 (WGS 84)" or its name when it has no EPSG code. */
std::string describe_crs(const OGRSpatialReference* srs);

/** Runs a SQL statement on a dataset (e.g. PRAGMA); throws IoError on failure. */
void exec_sql(GDALDataset& ds, const std::string& sql, const std::string& path);

/** GDAL progress callback that forwards to a std::function-like object. */
struct ProgressSink {
    virtual ~ProgressSink() = default;
    /** fraction 0..1 of the work done; message what is being done. */
    virtual void update(double fraction, const char* message) = 0;
};

}  // namespace limes::geo
