#pragma once
// A workspace is one GeoPackage (OGC; SQLite inside, so every write is a transaction).
// Layers: incidents (points), claims (multipolygons), the basemap layers (countries,
// provinces, historical_lines, regions, places) and limes_views. All geometry is EPSG:4326,
// stored lon/lat (GIS order).
#include <optional>
#include <string>
#include <vector>

#include "core/progress.hpp"
#include "core/claim.hpp"
#include "core/geometry.hpp"
#include "core/incident.hpp"
#include "geo/formats/gdal_util.hpp"

namespace limes::geo {

inline constexpr const char* kIncidents = "incidents";
inline constexpr const char* kClaims = "claims";

/** What `limes info` prints about one layer. */
struct LayerSummary {
    std::string name;
    std::string geometry_type;  ///< OGR name, "None" for attribute tables
    long long count = 0;
    core::BBox extent;          ///< in the layer's CRS (degrees for workspaces)
    std::string crs;
    std::optional<core::Date> first, last;  ///< event_date range, when the layer has one
};

class Workspace {
public:
    /** Opens an existing workspace (or any OGR vector source, read-only). Throws IoError. */
    static Workspace open(const std::string& path, bool update = false);
    /** Creates an empty GeoPackage. Throws IoError when it exists or cannot be written. */
    static Workspace create(const std::string& path);

    const std::string& path() const { return path_; }
    GDALDataset& dataset() const { return *ds_; }

    /** The named layer, or nullptr. */
    OGRLayer* layer(const std::string& name) const;
    /** The named layer; throws UsageError listing the layers there are. */
    OGRLayer& require_layer(const std::string& name) const;
    std::vector<std::string> layer_names() const;

    /** The incidents/claims layer, created with limes' schema when missing. */
    OGRLayer& incidents_for_write();
    OGRLayer& claims_for_write();

    std::vector<core::Incident> read_incidents() const;
    std::vector<core::Claim> read_claims() const;
    /** Appends; the caller wraps this in a Transaction. fid of each incident is set. */
    void append_incidents(std::vector<core::Incident>& incidents, core::ProgressSink* progress = nullptr);
    void append_claims(std::vector<core::Claim>& claims);
    /** Replaces every incident with these (the window's Save); the caller wraps this in a
     *  Transaction so a crash leaves the old incidents. fids are reassigned. */
    void replace_incidents(std::vector<core::Incident>& incidents);

    std::vector<LayerSummary> summarize() const;

private:
    Workspace(std::string path, GDALDatasetUniquePtr ds) : path_(std::move(path)), ds_(std::move(ds)) {}
    std::string path_;
    GDALDatasetUniquePtr ds_;
};

/** One database transaction: rolled back by the destructor unless commit() was called, so
 *  an exception between begin and commit leaves the workspace as it was. */
class Transaction {
public:
    explicit Transaction(Workspace& ws);
    ~Transaction();
    Transaction(const Transaction&) = delete;
    Transaction& operator=(const Transaction&) = delete;
    void commit();

private:
    Workspace& ws_;
    bool open_ = false;
};

/** Reads a multipolygon-ish OGR geometry into the plain model type (other types: empty). */
core::MultiPolygon to_multipolygon(const OGRGeometry* g);
/** The plain model multipolygon as an OGR geometry. */
std::unique_ptr<OGRMultiPolygon> to_ogr_multipolygon(const core::MultiPolygon& mp);

}  // namespace limes::geo
