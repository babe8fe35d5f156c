#pragma once
// A Scene is a workspace's basemap and claims projected into one map CRS and triangulated,
// once; draw() then turns it plus a set of incidents into a DrawList for one view. The
// window rebuilds only the incident symbols when filters or the time range change.
#include <vector>

#include "core/incident.hpp"
#include "geo/projection.hpp"
#include "geo/workspace.hpp"
#include "map/draw_list.hpp"

namespace limes::map {

class Scene {
public:
    /** Loads countries, provinces, historical_lines, regions, places and claims (each
     *  optional) and projects them with proj. */
    Scene(const geo::Workspace& ws, const geo::Projector& proj);

    /** The draw list for a view: basemap, claims, then incidents (uncertainty discs below
     *  symbols, larger symbols on top of smaller). */
    DrawList draw(const std::vector<core::Incident>& incidents, const View& view) const;

    /** Map-CRS bounds of the basemap (x = easting, y = northing). */
    double min_x() const { return min_x_; }
    double min_y() const { return min_y_; }
    double max_x() const { return max_x_; }
    double max_y() const { return max_y_; }
    const geo::Projector& projector() const { return proj_; }

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
};

}  // namespace limes::map
