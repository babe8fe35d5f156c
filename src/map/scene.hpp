#pragma once
// A Scene is a workspace's basemap and claims projected into one map CRS and triangulated,
// once; draw() then turns it plus a set of incidents into a DrawList for one view. The
// window rebuilds only the incident symbols when filters or the time range change.
#include <string>
#include <vector>

#include "core/incident.hpp"
#include "geo/projection.hpp"
#include "geo/workspace.hpp"
#include "map/draw_list.hpp"

namespace limes::map {

/** A settlement to label: position in map units relative to the draw list origin. */
struct PlaceInfo {
    Vec2 position;
    std::string name_en, name_hy, name_az, kind;
    int rank = 3;  ///< 0 capital, 1 city, 2 town, 3 village/area: lower is labelled first
};

/** What a claim's label says, and where it goes (a point inside its largest part). */
struct ClaimInfo {
    Vec2 anchor;
    std::string name, holder, sovereign, claimant, kind;
    std::string since;  ///< ISO date or empty
};

class Scene {
public:
    /** Loads countries, provinces, historical_lines, regions, places and claims (each
     *  optional) and projects them with proj. layers names the ones to show (empty: all). */
    Scene(const geo::Workspace& ws, const geo::Projector& proj,
          const std::vector<std::string>& layers = {});

    /** The layer names a Scene knows, for --layers messages. */
    static const std::vector<std::string>& layer_names();

    /** The draw list for a view: basemap, claims, then incidents (uncertainty discs below
     *  symbols, larger symbols on top of smaller). */
    DrawList draw(const std::vector<core::Incident>& incidents, const View& view) const;

    /** Map-CRS bounds of the basemap (x = easting, y = northing). */
    double min_x() const { return min_x_; }
    double min_y() const { return min_y_; }
    double max_x() const { return max_x_; }
    double max_y() const { return max_y_; }
    const geo::Projector& projector() const { return proj_; }
    const std::vector<PlaceInfo>& places() const { return place_info_; }
    const std::vector<ClaimInfo>& claims() const { return claim_info_; }
    double origin_x() const { return origin_x_; }
    double origin_y() const { return origin_y_; }
    /** Which basemap layers exist: "countries", "historical_lines", ... (for the legend). */
    bool has_oblast_line() const { return has_oblast_; }
    bool has_ceasefire_line() const { return has_ceasefire_; }

private:
    void add_polygons(const geo::Workspace& ws, const char* layer, bool fill);
    void add_lines(const geo::Workspace& ws, const char* layer);
    void add_claims(const geo::Workspace& ws);
    void add_places(const geo::Workspace& ws);
    Vec2 local(double lon, double lat) const;

    const geo::Projector& proj_;
    double origin_x_ = 0.0, origin_y_ = 0.0;
    double min_x_ = 0, min_y_ = 0, max_x_ = 0, max_y_ = 0;
    std::vector<FillBatch> fills_;
    std::vector<LineBatch> lines_;
    std::vector<Symbol> places_;
    std::vector<PlaceInfo> place_info_;
    std::vector<ClaimInfo> claim_info_;
    bool has_oblast_ = false, has_ceasefire_ = false;
};

}  // namespace limes::map
