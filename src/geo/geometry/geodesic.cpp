#include "geo/geometry/geodesic.hpp"

#include <geodesic.h>

#include <cmath>
#include <vector>

namespace limes::geo {
namespace {

const geod_geodesic& wgs84_ellipsoid() {
    // a = 6378137 m, f = 1/298.257223563 (WGS84). Initialised once; geod_geodesic is then
    // read-only and safe to share between threads.
    static const geod_geodesic g = [] {
        geod_geodesic e;
        geod_init(&e, 6378137.0, 1.0 / 298.257223563);
        return e;
    }();
    return g;
}

}  // namespace

double geodesic_ring_area_km2(const core::Ring& ring) {
    if (ring.size() < 4) return 0.0;
    // geod_polygonarea wants the ring without its closing point, lat and lon as separate arrays.
    std::size_t n = ring.size();
    if (ring.front().lon == ring.back().lon && ring.front().lat == ring.back().lat) --n;
    std::vector<double> lats(n), lons(n);
    for (std::size_t i = 0; i < n; ++i) {
        lats[i] = ring[i].lat;
        lons[i] = ring[i].lon;
    }
    double area_m2 = 0.0, perimeter_m = 0.0;
    geod_polygonarea(&wgs84_ellipsoid(), lats.data(), lons.data(), static_cast<int>(n), &area_m2,
                     &perimeter_m);
    return std::fabs(area_m2) / 1e6;
}

double geodesic_area_km2(const core::MultiPolygon& mp) {
    double total = 0.0;
    for (const auto& poly : mp)
        for (std::size_t r = 0; r < poly.size(); ++r)
            total += (r == 0 ? 1.0 : -1.0) * geodesic_ring_area_km2(poly[r]);
    return total;
}

double geodesic_distance_km(double lon1, double lat1, double lon2, double lat2) {
    double s12 = 0.0, azi1, azi2;
    geod_inverse(&wgs84_ellipsoid(), lat1, lon1, lat2, lon2, &s12, &azi1, &azi2);
    return s12 / 1000.0;
}

}  // namespace limes::geo
