#pragma once
// A workspace: the incidents, claims, basemap layers and saved views an analyst works on. It
// is a GeoPackage file (OGC; SQLite inside, so every write is a transaction), a PostgreSQL/
// PostGIS schema a team shares (postgresql://…?schema=S or GDAL's PG:…), or, read-only, any
// vector source GDAL opens. All geometry is EPSG:4326, stored lon/lat (GIS order).
//
// Which storage serves it is decided here, once, when it is opened; every command then goes
// through the same calls whatever the answer:
//   GeoPackage file   incidents through SQLite directly (store/gpkg_incidents.hpp, the fast
//                     path for a million rows); claims, basemap layers and views through GDAL;
//   PostgreSQL        incidents through libpq (store/pg_incidents.hpp: binary COPY both ways,
//                     row versions, the database's audit triggers); basemap layers and claims
//                     through limes' reader (store/pg_layers.hpp) and GDAL's driver for writes;
//   anything else     everything through GDAL, read-only (store/ogr_incidents.hpp).
// The two libraries never write the file at once: GDAL writes (creating a layer, claims,
// views) through an update handle opened for that write and closed after it, and SQLite writes
// only inside an IncidentWriter's transaction. Callers need not know either.
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <ogrsf_frmts.h>

#include "core/basemap.hpp"
#include "core/claim.hpp"
#include "core/geometry.hpp"
#include "core/incident.hpp"
#include "geo/formats/sqlite_guard.hpp"
#include "geo/store/audit.hpp"
#include "geo/store/incident_table.hpp"

namespace limes::geo {

inline constexpr const char* kIncidents = "incidents";
inline constexpr const char* kClaims = "claims";

/** What `limes info` prints about one layer. */
struct LayerSummary {
    std::string name;
    std::string geometry_type;  ///< OGR name, "None" for attribute tables
    long long count = 0;
    core::BBox extent;  ///< in the layer's CRS (degrees for workspaces)
    std::string crs;
    std::optional<core::Date> first, last;  ///< event_date range, when the layer has one
};

/** A named polygon of a workspace layer (a region, province, country or claim). */
struct NamedArea {
    std::string layer;        ///< where it came from
    std::string name;         ///< display name
    std::string country;      ///< ISO3 / country name where the layer has one
    core::MultiPolygon area;  ///< WGS84 lon/lat
};

class WorkspaceWatch;  // store/watch.hpp

class Workspace {
  public:
    struct Options {
        /** Read a GeoPackage through GDAL's driver like any other source (read-only): the
         *  reference the SQLite path is compared with in tests. */
        bool through_gdal = false;
    };

    /** Opens an existing workspace, or any vector source GDAL reads (read-only). Throws
     *  IoError naming the path when it cannot be opened. */
    static Workspace open(const std::string& path, const Options& options);
    static Workspace open(const std::string& path) { return open(path, Options{}); }
    /** Creates an empty GeoPackage workspace. Throws IoError when the path exists or cannot be
     *  written. */
    static Workspace create(const std::string& path);

    Workspace(Workspace&&) noexcept;
    Workspace& operator=(Workspace&&) noexcept;
    ~Workspace();

    const std::string& path() const;
    /** GDAL's name of the format: "GPKG", "GeoJSON", "ESRI Shapefile", ... */
    std::string format() const;
    /** Whether limes writes here (a GeoPackage file). */
    bool writable() const;
    /** Whether this is a database (PostgreSQL): its reads are round trips to a server, and
     *  its incidents come on connections of their own, apart from the GDAL handle the
     *  basemap, claims and areas are read through (one thread may read the incidents while
     *  another reads the basemap). */
    bool is_database() const;
    /** Throws UsageError naming the workspace and what to do when it is not writable; a
     *  DataError (exit 3) naming each foreign trigger and view when it holds any. */
    void require_writable() const;
    /** The triggers and views of a GeoPackage workspace that are neither the GeoPackage
     *  standard's nor limes' (geo/store/schema_check.hpp): listed when it is opened, never
     *  run; the workspace is read-only while it holds any. Empty for other sources. */
    const std::vector<SchemaObject>& foreign_logic() const;

    /** Notices others' commits (store/watch.hpp); null for a workspace limes does not
     *  write. Throws IoError when it cannot start. */
    std::unique_ptr<WorkspaceWatch> watch() const;

    /** Every recorded change of the incidents with this id (a fid, or an event_id_cnty: every
     *  fid that ever carried it), oldest first: the audit trail of a PostGIS workspace
     *  (pg_audit.hpp) or a GeoPackage (gpkg_audit.hpp). Throws UsageError for a source that
     *  keeps none. */
    std::vector<AuditEntry> history(const std::string& id) const;

    // ---- incidents
    IncidentTable& incidents();
    /** Every incident, whole (tests and small workspaces: a million cost over a gigabyte). */
    std::vector<core::Incident> read_incidents();

    // ---- claims
    std::vector<core::Claim> read_claims() const;
    /** Appends in one transaction (creating the claims layer when missing); sets each fid. */
    void append_claims(std::vector<core::Claim>& claims);

    // ---- layers
    std::vector<std::string> layer_names() const;
    bool has_layer(const std::string& name) const;
    /** The named layer as GDAL reads it, or null. */
    OGRLayer* layer(const std::string& name) const;
    /** The same; throws UsageError listing the layers there are when there is none. */
    OGRLayer& require_layer(const std::string& name) const;
    std::vector<LayerSummary> summarize() const;
    /** The polygons of a layer with their names (first of name_fields the layer has, else the
     *  fid); an absent layer gives none. */
    std::vector<NamedArea> areas(const std::string& layer,
                                 const std::vector<std::string>& name_fields,
                                 const std::string& country_field = "") const;
    /** The polygon called name (case-insensitive) in regions, provinces, countries or claims,
     *  in that order. Throws UsageError suggesting names when nothing matches. */
    NamedArea find_area(const std::string& name) const;
    /** How a map names a province or country found by find_area in language (en | hy | az):
     *  the first alias of that language in the alias table (geodata/region_aliases.csv order:
     *  "Yerevan" for Natural Earth's "Erevan", "Սյունիքի մարզ" for "Syunik"), else its name. */
    std::string area_label(const NamedArea& area, const std::string& language) const;
    /** The basemap layers a map draws (countries, provinces, historical_lines, regions,
     *  places) and the claims, as plain data; layers: those to read (empty: all). Layers the
     *  workspace lacks are left out. */
    core::Basemap basemap(const std::vector<std::string>& layers = {}) const;
    /** Calls visit for every feature of a layer (read through GDAL); UsageError when there is
     *  no such layer. For the layers limes has no model type for (basemap exports). */
    void for_each_feature(const std::string& layer,
                          const std::function<void(const OGRFeature&)>& visit) const;
    /** Appends features to a layer, creating it with the source's fields when missing (a
     *  basemap layer imported from a file); one transaction. */
    void append_features(const std::string& layer, const OGRFeatureDefn& source_fields,
                         OGRwkbGeometryType geometry_type,
                         const std::vector<OGRFeatureUniquePtr>& features);

    // ---- for the store's own code (views, basemap): reading layers, GDAL handles on the file
    /** For each of names the workspace has, in that order: start(name) (when given), then
     *  visit for its every feature. A database's tables come on a connection of limes' own,
     *  one query each (pg_layers.hpp: GDAL's driver costs ~90 round trips a basemap), other
     *  workspaces' layers through GDAL. visit must not read layers itself. */
    void read_layers(const std::vector<std::string>& names,
                     const std::function<void(const std::string&)>& start,
                     const std::function<void(const OGRFeature&)>& visit) const;
    /** The read handle (opened at the first need; reopened after a GDAL write). */
    GDALDataset& gdal() const;
    /** Runs body on an update handle opened for it (in one transaction unless transaction is
     *  false), then closes it; the read handle is reopened at its next use. Throws UsageError
     *  when the workspace is read-only. */
    void update_through_gdal(const std::function<void(GDALDataset&)>& body,
                             bool transaction = true);

    struct Impl;

  private:
    explicit Workspace(std::unique_ptr<Impl> impl);
    static void update_gdal(Impl& impl, const std::function<void(GDALDataset&)>& body,
                            bool transaction);
    std::unique_ptr<Impl> impl_;
};

}  // namespace limes::geo
