// The heatmap's density surface (map/density): its values are incidents per 100 km² of
// ground, so summed over the grid times the cells' area they give back the incidents counted;
// the shades follow the printed bounds; a pan does not move the cells.
#include <catch2/catch.hpp>

#include <cmath>

#include "map/density.hpp"

using namespace limes;

namespace {

// 1280x720 at 100 m a pixel; map units are metres, so 0.001 km a unit.
map::View test_view(double cx = 0, double cy = 0) {
    map::View v;
    v.center_x = cx, v.center_y = cy;
    v.units_per_pixel = 100.0;
    v.width = 1280, v.height = 720;
    return v;
}

double integral(const map::DensitySurface& s) {
    double sum = 0;
    for (float d : s.per_100km2) sum += d;
    return sum * s.cell_km2 / 100.0;
}

}  // namespace

TEST_CASE("density: the surface integrates to the incidents in view, in incidents per 100 km2",
          "[density]") {
    std::vector<map::Vec2> pos = {{0, 0}, {0, 0}, {5000, 2000}, {-20000, 10000}};
    const auto s = map::density_surface(pos, nullptr, test_view(), 0, 0, 4.0f, 12.0f, 0.001);
    REQUIRE(s.cols > 0);
    CHECK(s.cell == Approx(400.0));        // 4 px at 100 m
    CHECK(s.cell_km2 == Approx(0.16));     // 0.4 km squared
    CHECK(s.sigma_km == Approx(1.2));      // 12 px at 100 m
    CHECK(integral(s) == Approx(4.0).epsilon(1e-3));
    // The peak of a lone incident: a 2-D Gaussian's 1/(2 pi sigma^2) per km2, times 100, give
    // or take the cell's size against sigma (the kernel is sampled at 0.4 of 1.2 km).
    const double lone_peak = 100.0 / (2 * M_PI * 1.2 * 1.2);
    CHECK(s.at(-50, 25) == Approx(lone_peak).epsilon(0.2));  // -20000/400, 10000/400
    // Two incidents at one point: twice the peak.
    CHECK(s.at(0, 0) == Approx(2 * lone_peak).epsilon(0.2));
    CHECK(s.max_in_view == Approx(s.at(0, 0)).epsilon(0.05));
    // Far from all (> 5 sigma): nothing.
    CHECK(s.at(40, -40) == 0.0f);
    // Only the subset counts.
    const std::vector<std::uint32_t> one = {3};
    const auto t = map::density_surface(pos, &one, test_view(), 0, 0, 4.0f, 12.0f, 0.001);
    CHECK(integral(t) == Approx(1.0).epsilon(1e-3));
    CHECK(t.at(0, 0) == 0.0f);
}

TEST_CASE("density: the ground scale follows km per unit (a degree CRS reads the same)",
          "[density]") {
    std::vector<map::Vec2> pos = {{0, 0}};
    const auto metres = map::density_surface(pos, nullptr, test_view(), 0, 0, 4.0f, 12.0f, 0.001);
    // The same ground with map units of 1 km (0.1 km a pixel).
    map::View v = test_view();
    v.units_per_pixel = 0.1;
    const auto km = map::density_surface(pos, nullptr, v, 0, 0, 4.0f, 12.0f, 1.0);
    CHECK(km.max_in_view == Approx(metres.max_in_view).epsilon(1e-4));
    CHECK(km.sigma_km == Approx(metres.sigma_km));
}

TEST_CASE("density: cells are anchored at the origin, so a pan keeps each cell's value",
          "[density]") {
    std::vector<map::Vec2> pos = {{1000, 1000}, {1300, 900}, {30000, -5000}};
    const auto a = map::density_surface(pos, nullptr, test_view(), 0, 0, 4.0f, 12.0f, 0.001);
    const auto b = map::density_surface(pos, nullptr, test_view(7777, -3333), 0, 0, 4.0f, 12.0f,
                                        0.001);
    int compared = 0;
    for (std::int64_t r = b.row0 + 20; r < b.row0 + b.rows - 20; ++r)
        for (std::int64_t c = b.col0 + 20; c < b.col0 + b.cols - 20; ++c) {
            if (r < a.row0 + 20 || r >= a.row0 + a.rows - 20 || c < a.col0 + 20 ||
                c >= a.col0 + a.cols - 20)
                continue;
            REQUIRE(a.at(c, r) == Approx(b.at(c, r)).margin(1e-6));
            ++compared;
        }
    CHECK(compared > 10000);
}

TEST_CASE("density: five shades halving from the largest value, bounds as printed",
          "[density]") {
    CHECK(map::round_2sf(0.123456) == Approx(0.12));
    CHECK(map::round_2sf(3.26) == Approx(3.3));
    CHECK(map::round_2sf(1234.0) == Approx(1200.0));
    std::vector<map::Vec2> pos = {{0, 0}, {0, 0}, {0, 0}, {0, 0}, {12000, 0}};
    const auto s = map::density_surface(pos, nullptr, test_view(), 0, 0, 4.0f, 12.0f, 0.001);
    const auto scale = map::heat_scale(s);
    REQUIRE(scale.lower.size() == 5);
    REQUIRE(scale.colors.size() == 5);
    CHECK(scale.max == Approx(map::round_2sf(s.max_in_view)));
    for (std::size_t k = 0; k < 5; ++k) {
        CHECK(scale.lower[k] == Approx(map::round_2sf(s.max_in_view / std::exp2(5 - k))));
        if (k) CHECK(scale.lower[k] > scale.lower[k - 1]);
        if (k) CHECK(scale.colors[k].a >= scale.colors[k - 1].a);  // denser: more opaque
    }
    // Each fill is one class; every cell inside a quad is within that class's bounds.
    std::vector<map::FillBatch> fills;
    map::density_fills(s, scale, fills);
    REQUIRE(fills.size() == 5);  // the stack of four reaches the top, the lone one a lower shade
    std::size_t quads = 0;
    for (const auto& f : fills) {
        std::size_t k = 0;
        while (k < 5 && !(scale.colors[k].r == f.color.r && scale.colors[k].g == f.color.g &&
                          scale.colors[k].b == f.color.b))
            ++k;
        REQUIRE(k < 5);
        const double hi = k + 1 < 5 ? scale.lower[k + 1] : INFINITY;
        for (std::size_t q = 0; q + 3 < f.vertices.size(); q += 4) {
            ++quads;
            const auto& v0 = f.vertices[q];
            const auto& v2 = f.vertices[q + 2];
            const auto row = static_cast<std::int64_t>(std::lround(v0.y / s.cell));
            for (auto c = static_cast<std::int64_t>(std::lround(v0.x / s.cell));
                 c < std::lround(v2.x / s.cell); ++c) {
                const float d = s.at(c, row);
                REQUIRE(d >= scale.lower[k]);
                REQUIRE(d < hi);
            }
        }
    }
    CHECK(quads > 20);
    // The empty view: no scale, no fills.
    std::vector<map::Vec2> none;
    const auto e = map::density_surface(none, nullptr, test_view(), 0, 0, 4.0f, 12.0f, 0.001);
    CHECK(map::heat_scale(e).empty());
}
