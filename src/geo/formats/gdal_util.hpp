#pragma once
// GDAL/OGR plumbing shared by src/geo: one-time driver registration, opening datasets with
// errors that name the path, the WGS84 reference in GIS axis order (lon, lat), and the switch
// that keeps GDAL off the network.
#include <gdal_priv.h>
#include <ogr_spatialref.h>
#include <ogrsf_frmts.h>

#include <memory>
#include <string>
#include <vector>

namespace limes::geo {

/** Registers GDAL drivers once and sets the options limes relies on (quiet errors that we
 *  turn into exceptions; no size limit on GeoJSON objects; no network access, see
 *  set_network_access). Safe to call repeatedly. */
void ensure_gdal();

/** Whether GDAL may reach the network. Off unless the user asks for it (--allow-network):
 *  an input file must not make limes fetch anything, not even a URL written inside it (a
 *  GeoJSON "crs" link, an OGR VRT source, a GML schema). Off means, process-wide:
 *  - the network file systems (/vsicurl/, /vsis3/, /vsigs/, /vsiaz/, /vsiadls/, /vsioss/,
 *    /vsiswift/, /vsiwebhdfs/, /vsihdfs/ and their _streaming forms) are replaced by handlers
 *    that refuse every open and stat, so no request is made whatever the path or its nesting
 *    (/vsizip//vsicurl/...);
 *  - every CPLHTTPFetch (HTTP drivers: WFS, OAPIF, Elasticsearch, ..., the GeoJSON driver
 *    reading a URL, CRS links) is answered with an error by a fetch callback, before curl;
 *  - the database-client drivers (PostgreSQL, PostGISRaster, MySQL, MSSQLSpatial, ODBC) are
 *    deregistered, so a VRT cannot make them connect to a host;
 *  - PROJ does not download grids.
 *  Not thread-safe against concurrent GDAL opens: switch before reading starts. */
void set_network_access(bool allowed);
bool network_access_allowed();

/** Allows the network for its lifetime when allow is true, then restores the previous state. */
class NetworkAccessScope {
  public:
    explicit NetworkAccessScope(bool allow);
    ~NetworkAccessScope();
    NetworkAccessScope(const NetworkAccessScope&) = delete;
    NetworkAccessScope& operator=(const NetworkAccessScope&) = delete;

  private:
    bool previous_;
    bool changed_;
};

/** True when path names something on the network rather than a local file: a URL
 *  (scheme://), a GDAL network file system anywhere in a /vsi chain, or a database
 *  connection string (PG:, MySQL:, MSSQL:, ODBC:, WFS:, OAPIF:, ...). */
bool is_network_path(const std::string& path);

/** Opens a vector dataset read-only or for update; throws IoError naming the path with GDAL's
 *  own reason when it cannot, UsageError for a network path while the network is off. */
GDALDatasetUniquePtr open_vector(const std::string& path, bool update);

/** Opens a PostgreSQL database the user named as the workspace (a postgresql:// or PG:
 *  argument) through GDAL's PostgreSQL driver, read-only or for update, with these open
 *  options (ACTIVE_SCHEMA=…). While the network is off that driver is out of GDAL's driver
 *  manager, so that no file can make limes connect to a server it names; the workspace's own
 *  server is the user's explicit choice, and only this call brings the driver back, for this
 *  one open. connection holds any password; display is what messages name. */
GDALDatasetUniquePtr open_database_workspace(const std::string& connection,
                                             const std::string& display,
                                             const std::vector<std::string>& open_options,
                                             bool update);

/** Throws IoError "not a regular file (a FIFO)" for a local path that is a FIFO, a device or
 *  a socket: reading one can block for ever (a FIFO with no writer) or never end (/dev/zero).
 *  Regular files, folders (a folder of shapefiles), missing paths and GDAL's virtual and
 *  network paths pass (their own errors come later). */
void require_regular_file(const std::string& path);

/** The last GDAL error message, or fallback when GDAL recorded none. */
std::string gdal_error(const std::string& fallback);

/** Collects the failures (CE_Failure and worse) GDAL reports on this thread while it lives,
 *  instead of letting them overwrite one another: a reader that stops at a corrupt page
 *  reports it here even when the loop just sees the end of the features. */
class GdalErrorCollector {
  public:
    GdalErrorCollector();
    ~GdalErrorCollector();
    GdalErrorCollector(const GdalErrorCollector&) = delete;
    GdalErrorCollector& operator=(const GdalErrorCollector&) = delete;

    const std::vector<std::string>& failures() const { return failures_; }
    bool empty() const { return failures_.empty(); }
    /** The failures joined with "; " (the first few), for an error message. */
    std::string summary() const;
    void clear() { failures_.clear(); }

  private:
    static void CPL_STDCALL handler(CPLErr level, CPLErrorNum code, const char* message);
    std::vector<std::string> failures_;
};

/** EPSG:4326 with OAMS_TRADITIONAL_GIS_ORDER: x = longitude, y = latitude, degrees. */
OGRSpatialReference wgs84();

/** Short human name of a CRS: "EPSG:4326 (WGS 84)" or its name when it has no EPSG code. */
std::string describe_crs(const OGRSpatialReference* srs);

/** Runs a SQL statement on a dataset (e.g. PRAGMA); throws IoError on failure. */
void exec_sql(GDALDataset& ds, const std::string& sql, const std::string& path);

}  // namespace limes::geo
