// Clusters (map/cluster): every incident counted once, in the cell its
// position falls in, coloured by the cell's most frequent type; the dense grid (incidents
// close together) and the hash map (far apart at a close zoom) give the same cells.
#include <catch2/catch.hpp>

#include <cmath>
#include <map>
#include <random>

#include "map/cluster.hpp"
#include "map/style.hpp"

using namespace limes;

namespace {

struct Points {
    std::vector<core::IncidentMark> marks;
    std::vector<map::Vec2> positions;
    void add(float x, float y, std::uint8_t type) {
        core::IncidentMark m;
        m.type = type;
        marks.push_back(m);
        positions.push_back({x, y});
    }
};

Points near_points(std::size_t n) {
    Points p;
    std::mt19937 rng(3);
    std::normal_distribution<float> d(0.0f, 8000.0f);  // metres
    for (std::size_t i = 0; i < n; ++i) p.add(d(rng), d(rng), static_cast<std::uint8_t>(rng() % 7));
    return p;
}

map::View close_view() {
    map::View v;
    v.units_per_pixel = 10.0;  // 56 px cells are 560 m
    v.width = 1280;
    v.height = 720;
    return v;
}

}  // namespace

TEST_CASE("clusters: every incident once, in its own cell, coloured by the majority", "[cluster]") {
    const Points p = near_points(20'000);
    const auto clusters =
        map::cluster_incidents(p.marks, p.positions, nullptr, close_view(), 0, 0, 56.0f);
    std::uint64_t total = 0;
    for (const auto& c : clusters) total += c.count;
    CHECK(total == p.marks.size());
    // Each cluster is the mean of its members: recompute by cell.
    const double size = 560.0;
    std::map<std::pair<long, long>, std::pair<double, double>> sums;
    std::map<std::pair<long, long>, std::array<int, 7>> types;
    std::map<std::pair<long, long>, int> counts;
    for (std::size_t i = 0; i < p.marks.size(); ++i) {
        const std::pair<long, long> cell{static_cast<long>(std::floor(p.positions[i].x / size)),
                                         static_cast<long>(std::floor(p.positions[i].y / size))};
        sums[cell].first += p.positions[i].x;
        sums[cell].second += p.positions[i].y;
        ++counts[cell];
        ++types[cell][p.marks[i].type];
    }
    REQUIRE(clusters.size() == counts.size());
    for (const auto& c : clusters) {
        const std::pair<long, long> cell{static_cast<long>(std::floor(c.position.x / size)),
                                         static_cast<long>(std::floor(c.position.y / size))};
        REQUIRE(counts.count(cell) == 1);
        CHECK(c.count == static_cast<std::uint32_t>(counts[cell]));
        CHECK(c.position.x == Approx(sums[cell].first / counts[cell]).margin(0.5));
        CHECK(c.position.y == Approx(sums[cell].second / counts[cell]).margin(0.5));
        const auto& t = types[cell];
        const auto top = std::max_element(t.begin(), t.end()) - t.begin();
        const map::Rgba want = map::style_for_type_index(static_cast<std::size_t>(top)).fill;
        CHECK((c.color.r == want.r && c.color.g == want.g && c.color.b == want.b));
    }
    // Ascending counts: large clusters are drawn last, on top.
    for (std::size_t i = 1; i < clusters.size(); ++i)
        CHECK(clusters[i - 1].count <= clusters[i].count);
}

TEST_CASE("clusters: incidents far apart (hash map) give the same cells as close ones (grid)",
          "[cluster]") {
    const Points near = near_points(5'000);
    Points far = near;
    far.add(2.0e7f, 2.0e7f, 1);  // 71,000 columns and rows of cells apart: no dense grid
    far.add(-2.0e7f, -2.0e7f, 2);
    const auto a =
        map::cluster_incidents(near.marks, near.positions, nullptr, close_view(), 0, 0, 56.0f);
    const auto b =
        map::cluster_incidents(far.marks, far.positions, nullptr, close_view(), 0, 0, 56.0f);
    REQUIRE(b.size() == a.size() + 2);
    std::size_t j = 0;
    for (const auto& c : b) {
        if (std::abs(c.position.x) > 1e7f) continue;
        REQUIRE(j < a.size());
        CHECK(c.count == a[j].count);
        CHECK(c.position.x == a[j].position.x);
        CHECK(c.position.y == a[j].position.y);
        ++j;
    }
}

TEST_CASE("clusters: cells are a power of two map units, 40-79 px, fixed between powers of two",
          "[cluster]") {
    double previous = 0.0;
    int changes = 0;
    for (double upp = 5.0; upp < 5.0 * 1024; upp *= 1.1) {  // wheel steps of x1.1 over 10 octaves
        const double cell = map::cluster_cell_units(upp, 56.0);
        INFO("units per pixel " << upp << ": cell " << cell);
        CHECK(cell == std::exp2(std::round(std::log2(cell))));  // a power of two
        CHECK(cell / upp >= 56.0 / std::sqrt(2.0) - 1e-9);
        CHECK(cell / upp <= 56.0 * std::sqrt(2.0) + 1e-9);
        if (previous != 0.0 && cell != previous) {
            CHECK(cell == 2 * previous);  // zooming out by a step moves up at most one level
            ++changes;
        }
        previous = cell;
    }
    CHECK(changes == 10);  // once per octave, not at each of the 73 steps
}
