// Geodesic areas and distances (src/geo/geometry/geodesic.cpp) checked against answers computed
// another way: the closed-form area of a lon/lat cell on the WGS84 ellipsoid, PROJ's own polygon
// accumulator (geod_polygon_*), geod_inverse for distances, and figures published outside
// PROJ (GeographicLib's documented example, the equator's a·Δλ, the WGS84 quarter meridian).
#include <catch2/catch.hpp>

#include <geodesic.h>

#include <algorithm>
#include <cmath>

#include "core/geometry.hpp"
#include "geo/geometry/geodesic.hpp"

using limes::core::MultiPolygon;
using limes::core::Ring;
namespace geo = limes::geo;

namespace {

constexpr double kPi = 3.14159265358979323846;
constexpr double kA = 6378137.0;            // WGS84 semi-major axis, m
constexpr double kF = 1.0 / 298.257223563;  // WGS84 flattening

// Area in km² of the cell lon0..lon1, lat0..lat1 bounded by meridians and parallels, in closed
// form: A = Δλ·b²/2·[q(φ2) − q(φ1)], q(φ) = sinφ/(1−e²sin²φ) + ln((1+e·sinφ)/(1−e·sinφ))/(2e).
double cell_area_km2(double lon0, double lat0, double lon1, double lat1) {
    const double b = kA * (1.0 - kF);
    const double e2 = kF * (2.0 - kF);
    const double e = std::sqrt(e2);
    auto q = [&](double lat_deg) {
        const double s = std::sin(lat_deg * kPi / 180.0);
        return s / (1.0 - e2 * s * s) + std::log((1.0 + e * s) / (1.0 - e * s)) / (2.0 * e);
    };
    const double dlon = (lon1 - lon0) * kPi / 180.0;
    return dlon * b * b / 2.0 * (q(lat1) - q(lat0)) / 1e6;
}

// PROJ's accumulator API, fed point by point (the closing point left out), in km².
double proj_accumulated_area_km2(const Ring& ring) {
    geod_geodesic g;
    geod_init(&g, kA, kF);
    geod_polygon p;
    geod_polygon_init(&p, 0);
    const std::size_t n = ring.size() - 1;  // closed ring: the last point repeats the first
    for (std::size_t i = 0; i < n; ++i) geod_polygon_addpoint(&g, &p, ring[i].lat, ring[i].lon);
    double area = 0, perimeter = 0;
    geod_polygon_compute(&g, &p, 0, 1, &area, &perimeter);
    return std::fabs(area) / 1e6;
}

Ring square(double w, double s, double e, double n) {  // counter-clockwise, closed
    return {{w, s}, {e, s}, {e, n}, {w, n}, {w, s}};
}

Ring reversed(Ring r) {
    std::reverse(r.begin(), r.end());
    return r;
}

// An irregular ring around Armenia's south-east, counter-clockwise.
const Ring kIrregular = {{44.8, 39.2}, {46.6, 38.8}, {46.9, 39.6}, {46.1, 40.4},
                         {45.2, 40.6}, {44.6, 40.0}, {44.8, 39.2}};

}  // namespace

TEST_CASE("geodesic area of the 1x1 degree cell at the equator matches the ellipsoid formula",
          "[geodesic]") {
    const double expected = cell_area_km2(0, 0, 1, 1);
    // Sanity of the formula itself: a degree cell at the equator is about 12,308 km².
    REQUIRE(expected == Approx(12308).epsilon(0.001));
    const double area = geo::geodesic_ring_area_km2(square(0, 0, 1, 1));
    // The north edge of the geodesic polygon is a geodesic, not the parallel: it bulges by a
    // few metres, far below the 0.1 % allowed here.
    CHECK(area == Approx(expected).epsilon(0.001));
    MultiPolygon mp{{square(0, 0, 1, 1)}};
    CHECK(geo::geodesic_area_km2(mp) == Approx(expected).epsilon(0.001));
}

TEST_CASE("geodesic area of a degree cell at 40 N, in the map's region, matches the formula",
          "[geodesic]") {
    const double expected = cell_area_km2(45, 40, 46, 41);
    CHECK(expected == Approx(9413).epsilon(0.001));  // about cos(40.5°) of the equator's cell
    CHECK(geo::geodesic_ring_area_km2(square(45, 40, 46, 41)) == Approx(expected).epsilon(0.001));
}

TEST_CASE("geodesic area agrees with PROJ's polygon accumulator", "[geodesic]") {
    const double expected = proj_accumulated_area_km2(kIrregular);
    REQUIRE(expected > 10000);  // the ring is a real polygon of some 20,000 km²
    CHECK(geo::geodesic_ring_area_km2(kIrregular) == Approx(expected).epsilon(1e-9));
    CHECK(geo::geodesic_area_km2({{kIrregular}}) == Approx(expected).epsilon(1e-9));
}

TEST_CASE("geodesic area ignores ring orientation", "[geodesic]") {
    const double ccw = geo::geodesic_ring_area_km2(kIrregular);
    const double cw = geo::geodesic_ring_area_km2(reversed(kIrregular));
    CHECK(cw > 0);
    CHECK(cw == Approx(ccw).epsilon(1e-12));
    // A whole multipolygon given clockwise has the same positive area too.
    CHECK(geo::geodesic_area_km2({{reversed(square(45, 40, 46, 41))}}) ==
          Approx(geo::geodesic_area_km2({{square(45, 40, 46, 41)}})).epsilon(1e-12));
}

TEST_CASE("geodesic area subtracts holes, whatever their orientation", "[geodesic]") {
    const Ring outer = square(45, 40, 46, 41);
    const Ring hole = square(45.25, 40.25, 45.75, 40.75);
    const double outer_km2 = proj_accumulated_area_km2(outer);
    const double hole_km2 = proj_accumulated_area_km2(hole);
    REQUIRE(hole_km2 > 2000);
    const double expected = outer_km2 - hole_km2;
    CHECK(geo::geodesic_area_km2({{outer, reversed(hole)}}) == Approx(expected).epsilon(1e-9));
    CHECK(geo::geodesic_area_km2({{outer, hole}}) == Approx(expected).epsilon(1e-9));
    // Two polygons add up.
    const Ring other = square(47, 40, 47.5, 40.5);
    CHECK(geo::geodesic_area_km2({{outer, hole}, {other}}) ==
          Approx(expected + proj_accumulated_area_km2(other)).epsilon(1e-9));
}

TEST_CASE("geodesic area of degenerate rings is zero", "[geodesic]") {
    CHECK(geo::geodesic_ring_area_km2({}) == 0.0);
    CHECK(geo::geodesic_ring_area_km2({{45, 40}, {46, 40}, {45, 40}}) == 0.0);
    CHECK(geo::geodesic_area_km2({}) == 0.0);
}

TEST_CASE("geodesic distance Yerevan-Baku matches geod_inverse and the published figure",
          "[geodesic]") {
    // Yerevan (Republic Square) and Baku (city centre), lon/lat degrees.
    const double yerevan_lon = 44.5126, yerevan_lat = 40.1777;
    const double baku_lon = 49.8671, baku_lat = 40.4093;
    geod_geodesic g;
    geod_init(&g, kA, kF);
    double s12 = 0, azi1 = 0, azi2 = 0;
    geod_inverse(&g, yerevan_lat, yerevan_lon, baku_lat, baku_lon, &s12, &azi1, &azi2);
    const double expected_km = s12 / 1000.0;
    const double km = geo::geodesic_distance_km(yerevan_lon, yerevan_lat, baku_lon, baku_lat);
    // geod_inverse is exact to round-off: a spherical formula (0.25 % off here) must fail.
    CHECK(km == Approx(expected_km).epsilon(1e-9));
    // Published great-circle figures are about 455-460 km.
    CHECK(km > 440);
    CHECK(km < 470);
    // Symmetric, and a point's distance to itself is zero.
    CHECK(geo::geodesic_distance_km(baku_lon, baku_lat, yerevan_lon, yerevan_lat) ==
          Approx(km).epsilon(1e-12));
    CHECK(geo::geodesic_distance_km(45, 40, 45, 40) == Approx(0.0).margin(1e-9));
    // Argument order is lon, lat: swapping them must change the answer for this pair.
    CHECK(std::fabs(geo::geodesic_distance_km(yerevan_lat, yerevan_lon, baku_lat, baku_lon) - km) >
          1.0);
}

namespace {

// PROJ's geod_inverse on WGS84, in km: the oracle the function must match to round-off.
double proj_inverse_km(double lon1, double lat1, double lon2, double lat2) {
    geod_geodesic g;
    geod_init(&g, kA, kF);
    double s12 = 0, azi1 = 0, azi2 = 0;
    geod_inverse(&g, lat1, lon1, lat2, lon2, &s12, &azi1, &azi2);
    return s12 / 1000.0;
}

// The great-circle distance on a sphere of WGS84's mean radius: what an ellipsoidal distance
// must not be mistaken for.
double haversine_km(double lon1, double lat1, double lon2, double lat2) {
    const double r = 6371.0088, d = kPi / 180.0;
    const double h =
        std::pow(std::sin((lat2 - lat1) * d / 2), 2) +
        std::cos(lat1 * d) * std::cos(lat2 * d) * std::pow(std::sin((lon2 - lon1) * d / 2), 2);
    return 2 * r * std::asin(std::sqrt(h));
}

}  // namespace

TEST_CASE(
    "geodesic distance matches geod_inverse to 1e-9 on short, long, antimeridian and "
    "near-antipodal pairs",
    "[geodesic]") {
    struct Pair {
        const char* what;
        double lon1, lat1, lon2, lat2;
    };
    const Pair pairs[] = {
        {"10 m apart in Syunik", 46.3400, 39.5100, 46.34011, 39.51003},
        {"a few km across the border", 45.51, 40.21, 45.58, 40.16},
        {"Yerevan-Baku", 44.5126, 40.1777, 49.8671, 40.4093},
        {"across the antimeridian", 179.9, 40.1, -179.8, 40.2},
        {"north to south across the equator", -70.0, 50.0, 30.0, -45.0},
        {"near-antipodal", 0.0, 0.0, 179.5, 0.5},
        {"near-antipodal, off the equator", 10.0, -30.0, -170.2, 29.8},
    };
    for (const Pair& p : pairs) {
        INFO(p.what);
        const double expected = proj_inverse_km(p.lon1, p.lat1, p.lon2, p.lat2);
        REQUIRE(expected > 0);
        CHECK(geo::geodesic_distance_km(p.lon1, p.lat1, p.lon2, p.lat2) ==
              Approx(expected).epsilon(1e-9));
    }
    // Across the antimeridian the pair is close (about 28 km), not most of the way round.
    CHECK(geo::geodesic_distance_km(179.9, 40.1, -179.8, 40.2) < 40);
    // The oracle is not a sphere: on Yerevan-Baku the haversine is off by far more than the
    // tolerance above (a spherical implementation cannot pass).
    const double ellipsoid = proj_inverse_km(44.5126, 40.1777, 49.8671, 40.4093);
    CHECK(std::fabs(haversine_km(44.5126, 40.1777, 49.8671, 40.4093) - ellipsoid) / ellipsoid >
          1e-3);
}

TEST_CASE("geodesic distance matches figures published outside PROJ", "[geodesic]") {
    // GeographicLib's documented example (Karney; the JavaScript/node package docs): Wellington,
    // NZ (41.32 S, 174.81 E) to Salamanca, Spain (40.96 N, 5.50 W) is 19959679.267 m, printed
    // to the millimetre.
    CHECK(geo::geodesic_distance_km(174.81, -41.32, -5.50, 40.96) * 1000.0 ==
          Approx(19959679.267).margin(0.001));
    // Along the equator (for longitude differences below (1 - f) * 180 degrees) the geodesic is
    // the equator itself: s = a * dlambda, in closed form.
    CHECK(geo::geodesic_distance_km(0, 0, 1, 0) * 1000.0 ==
          Approx(kA * kPi / 180.0).epsilon(1e-12));
    CHECK(geo::geodesic_distance_km(-45, 0, 45, 0) * 1000.0 == Approx(kA * kPi / 2).epsilon(1e-12));
    CHECK(geo::geodesic_distance_km(179.5, 0, -179.5, 0) * 1000.0 ==
          Approx(kA * kPi / 180.0).epsilon(1e-12));
    // The WGS84 quarter meridian, equator to pole: 10,001,965.729 m (the published figure of the
    // meridian quadrant).
    CHECK(geo::geodesic_distance_km(0, 0, 0, 90) * 1000.0 == Approx(10001965.729).margin(0.001));
    CHECK(geo::geodesic_distance_km(30, 0, 30, 90) * 1000.0 == Approx(10001965.729).margin(0.001));
}
