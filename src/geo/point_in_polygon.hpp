#pragma once
// Which polygon contains a point, for a million points: each polygon's edges are bucketed
// into horizontal bands, so a crossing-number test looks at the few edges of one band
// instead of every edge (GEOS's prepared contains needs a GEOS point per test). Coordinates
// are lon/lat degrees; points on a boundary may go either way (GEOS: outside).
#include <cstdint>
#include <vector>

#include "core/geometry.hpp"

namespace limes::geo {

class PolygonLocator {
public:
    /** Adds a polygonal area; returns its index (0, 1, ...). */
    std::size_t add(const core::MultiPolygon& area);
    /** Index of the first area added that contains (lon, lat), or -1. */
    long find(double lon, double lat) const;
    bool contains(std::size_t area, double lon, double lat) const;
    std::size_t size() const { return areas_.size(); }

private:
    struct Edge {
        double x0, y0, x1, y1;  // y0 < y1 (horizontal edges are dropped)
    };
    struct Area {
        core::BBox box;
        double band_height = 1.0;
        std::vector<std::vector<Edge>> bands;  // edges overlapping each band's y range
    };
    std::vector<Area> areas_;
};

}  // namespace limes::geo
