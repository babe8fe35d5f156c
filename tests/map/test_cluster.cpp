// Clusters (map/cluster): every incident counted once, in the cell its
// position falls in, coloured by the cell's most frequent type; the dense grid (incidents
// close together) and the hash map (far apart at a close zoom) give the same cells.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <map>
#include <random>

#include "map/cluster.hpp"
#include "map/style.hpp"
#include "map/text.hpp"

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

TEST_CASE("clusters: counts of a thousand and more are abbreviated to two figures, and every "
          "count is drawn within its circle",
          "[cluster]") {
    CHECK(map::cluster_count_label(2) == "2");
    CHECK(map::cluster_count_label(999) == "999");
    CHECK(map::cluster_count_label(1000) == "1k");
    CHECK(map::cluster_count_label(1234) == "1.2k");
    CHECK(map::cluster_count_label(7778) == "7.8k");
    CHECK(map::cluster_count_label(9949) == "9.9k");
    CHECK(map::cluster_count_label(9950) == "10k");
    CHECK(map::cluster_count_label(123456) == "123k");
    CHECK(map::cluster_count_label(999499) == "999k");
    CHECK(map::cluster_count_label(999500) == "1M");
    CHECK(map::cluster_count_label(2400662) == "2.4M");

    // One cluster of each size at the centre of a view; the glyphs of its count (image pixels,
    // each quad with its distance field's margin around the ink) lie within its circle, which
    // is no wider than a cell: where every cell is full, neither circles nor counts overlap. Ten million incidents at a country's extent give
    // thousands a circle, whose five digits at the size a 64 px circle's count had were wider
    // than the circle.
    map::TextEngine text;
    const map::View view{0.0, 0.0, 100.0, 800, 600};
    const float cell = map::cluster_cell_px(view.units_per_pixel);  // 4,096 m: 40.96 px
    CHECK(cell == Approx(40.96f));
    for (std::uint32_t count : {2u, 57u, 999u, 7778u, 279343u, 2400662u}) {
        map::DrawList list;
        map::Cluster c;
        c.position = {0.0f, 0.0f};
        c.count = count;
        map::add_cluster_counts({c}, view, text, list);
        REQUIRE_FALSE(list.overlay.glyphs.empty());
        float x0 = 1e9f, x1 = -1e9f;
        for (const auto& g : list.overlay.glyphs) x0 = std::min(x0, g.x0), x1 = std::max(x1, g.x1);
        const float circle = map::cluster_symbol_px(count, cell);
        INFO(count << ": '" << map::cluster_count_label(count) << "' spans " << x1 - x0
                   << " px on a circle of " << circle << " px");
        CHECK(x1 - x0 <= circle);
        // The circle itself no wider than a cell: the next cell's circle does not cover it.
        CHECK(circle <= cell);
        std::vector<map::Symbol> symbols;
        map::cluster_symbols({c}, cell, symbols);
        REQUIRE(symbols.size() == 1);
        CHECK(symbols[0].size_px == circle);
        CHECK((x0 + x1) / 2 == Approx(400.0f).margin(3.0f));      // centred on the circle
    }
}
