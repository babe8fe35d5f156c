#pragma once
// Plain geometry values the model carries between modules without GEOS or GDAL types.
// Coordinates are WGS84 longitude/latitude in degrees, x = lon, y = lat (GIS order).
#include <algorithm>
#include <limits>
#include <vector>

namespace limes::core {

struct LonLat {
    double lon = 0.0;
    double lat = 0.0;
};

using Ring = std::vector<LonLat>;   ///< closed: first point repeated at the end
using Polygon = std::vector<Ring>;  ///< exterior ring first, then holes
using MultiPolygon = std::vector<Polygon>;
using Line = std::vector<LonLat>;  ///< an open polyline

/** A point in a projected map CRS: x = easting, y = northing, in the CRS's units (metres for
 *  limes' default Lambert conformal conic; degrees for a geographic CRS). Never lon/lat. */
struct XY {
    double x = 0.0;
    double y = 0.0;
};

using XYRing = std::vector<XY>;  ///< closed, as Ring
using XYPolygon = std::vector<XYRing>;
using XYMultiPolygon = std::vector<XYPolygon>;

/** Lon/lat bounding box in degrees; empty() until something is added. */
struct BBox {
    double west = std::numeric_limits<double>::infinity();
    double south = std::numeric_limits<double>::infinity();
    double east = -std::numeric_limits<double>::infinity();
    double north = -std::numeric_limits<double>::infinity();

    bool empty() const { return west > east; }
    void add(double lon, double lat) {
        west = std::min(west, lon);
        east = std::max(east, lon);
        south = std::min(south, lat);
        north = std::max(north, lat);
    }
    void add(const BBox& b) {
        if (b.empty()) return;
        add(b.west, b.south);
        add(b.east, b.north);
    }
    bool contains(double lon, double lat) const {
        return lon >= west && lon <= east && lat >= south && lat <= north;
    }
};

}  // namespace limes::core
