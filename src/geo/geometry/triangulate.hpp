#pragma once
// Polygon triangulation for fills, with GEOS's constrained Delaunay triangulation
// (GEOSConstrainedDelaunayTriangulation, GEOS >= 3.10): holes stay holes, edges follow the
// rings. Done once per layer and CRS, not per frame.
#include <cstdint>
#include <vector>

#include "core/geometry.hpp"

namespace limes::geo {

struct Triangles {
    std::vector<double> xy;              ///< x0,y0,x1,y1,... in the input's units
    std::vector<std::uint32_t> indices;  ///< 3 per triangle, into xy/2
};

/** The version of triangulate()'s output, part of every triangle cache file's name
 *  (triangle_cache.hpp): raise it with any change to what triangulate() returns. */
inline constexpr std::uint32_t kTriangulationVersion = 1;

/** Triangulates a multipolygon in map coordinates. Invalid input is made valid first.
 *  Appends to out. */
void triangulate(const core::XYMultiPolygon& projected, Triangles& out);

}  // namespace limes::geo
