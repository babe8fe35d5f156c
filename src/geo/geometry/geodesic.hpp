#pragma once
// Geodesic measures on the WGS84 ellipsoid with PROJ's geodesic routines (Karney's
// algorithms, geodesic.h): areas in km², distances in km. Inputs are lon/lat degrees.
#include "core/geometry.hpp"

namespace limes::geo {

/** Area of one ring in km², always >= 0 (orientation ignored). */
double geodesic_ring_area_km2(const core::Ring& ring);
/** Area of a multipolygon in km²: exterior rings minus holes. */
double geodesic_area_km2(const core::MultiPolygon& mp);
/** Distance along the ellipsoid between two points, in km. */
double geodesic_distance_km(double lon1, double lat1, double lon2, double lat2);

}  // namespace limes::geo
