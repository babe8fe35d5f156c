// Scene: a synthetic basemap (synthetic_basemap.hpp) projected and triangulated; draw lists
// for incidents. No workspace, no GDAL: map reads plain core data.
#include <catch2/catch.hpp>

#include <cmath>
#include <set>

#include "core/error.hpp"
#include "geo/geometry/projection.hpp"
#include "map/scene.hpp"
#include "map/style.hpp"
#include "synthetic_basemap.hpp"

using namespace limes;

namespace {

double triangles_area(const map::FillBatch& b) {
    double a = 0.0;
    for (std::size_t i = 0; i + 2 < b.indices.size(); i += 3) {
        const auto& p = b.vertices[b.indices[i]];
        const auto& q = b.vertices[b.indices[i + 1]];
        const auto& r = b.vertices[b.indices[i + 2]];
        a += std::fabs((double(q.x) - p.x) * (double(r.y) - p.y) -
                       (double(r.x) - p.x) * (double(q.y) - p.y)) /
             2.0;
    }
    return a;
}

double ring_area(const core::Ring& r) {
    double a = 0.0;
    for (std::size_t i = 0; i + 1 < r.size(); ++i)
        a += r[i].lon * r[i + 1].lat - r[i + 1].lon * r[i].lat;
    return std::fabs(a) / 2.0;
}

}  // namespace

TEST_CASE("country fills cover exactly the projected polygon area", "[map]") {
    const core::Basemap basemap = limes_test::synthetic_basemap();
    const geo::Projector proj;
    const map::Scene scene(basemap);
    const auto list = scene.draw({}, map::View{});
    // Synthetic A (a box with a hole): planar area of the projected polygon (shoelace over the
    // projected vertices, minus the hole) vs the triangles' area.
    double expected = 0.0;
    for (auto poly : basemap.layer("countries")->features[0].polygons) {
        for (std::size_t r = 0; r < poly.size(); ++r) {
            for (auto& p : poly[r]) proj.forward(p.lon, p.lat, p.lon, p.lat);
            expected += (r == 0 ? 1 : -1) * ring_area(poly[r]);
        }
    }
    // Country fills come first, one batch per feature in order: A's is the first (A and B
    // share the "other countries" tint, so the colour cannot tell them apart).
    REQUIRE(!list.fills.empty());
    const double got = triangles_area(list.fills.front());
    REQUIRE(expected > 3.0e10);  // 2° x 2° at 40 N less the hole: ~3.6e10 m²
    CHECK(got == Approx(expected).epsilon(0.001));
}

TEST_CASE("incidents become symbols sorted small to large, imprecise ones get a disc", "[map]") {
    const geo::Projector proj;
    const map::Scene scene(limes_test::synthetic_basemap());
    std::vector<core::Incident> incidents(3);
    incidents[0].lon = 45.5, incidents[0].lat = 40.0, incidents[0].event_type = "Battles";
    incidents[0].fatalities = 50;
    incidents[1].lon = 46.0, incidents[1].lat = 39.5, incidents[1].event_type = "Protests";
    incidents[1].geo_precision = 2;
    incidents[2].lon = 45.0, incidents[2].lat = 40.5;
    incidents[2].event_type = "Explosions/Remote violence";
    map::View view;
    view.units_per_pixel = 500.0;
    const auto empty = scene.draw({}, view);
    const auto list = scene.draw(core::marks_of(incidents), view);
    REQUIRE(list.symbols.size() == empty.symbols.size() + 4);  // 3 symbols + 1 disc
    const auto first = list.symbols.begin() + static_cast<long>(empty.symbols.size());
    CHECK(first->shape == map::Shape::Disc);
    CHECK(first->size_px == Approx(2 * 10'000.0 / 500.0));
    CHECK(list.symbols.back().shape == map::Shape::Circle);  // the 50-fatality battle, largest
    CHECK(list.symbols.back().size_px > (list.symbols.end() - 2)->size_px);
    // Position: relative to the list's origin, in metres of the map CRS.
    double x, y;
    proj.forward(45.5, 40.0, x, y);
    CHECK(list.symbols.back().position.x + list.origin_x == Approx(x).margin(1.0));
    CHECK(list.symbols.back().position.y + list.origin_y == Approx(y).margin(1.0));
}

TEST_CASE("projection keeps lon/lat order and rejects unknown CRS", "[map]") {
    const geo::Projector proj;
    double x, y;
    REQUIRE(proj.forward(46.0, 40.0, x, y));  // the LCC origin
    CHECK(std::fabs(x) < 1e-6);
    CHECK(std::fabs(y) < 1e-6);
    REQUIRE(proj.forward(47.0, 40.0, x, y));
    CHECK(x > 80'000);  // one degree east at 40 N is ~85 km
    CHECK(std::fabs(y) < 1'000);
    double lon, lat;
    REQUIRE(proj.inverse(x, y, lon, lat));
    CHECK(lon == Approx(47.0).margin(1e-9));
    CHECK(lat == Approx(40.0).margin(1e-9));
    const geo::Projector wgs("EPSG:4326");
    REQUIRE(wgs.forward(46.0, 40.0, x, y));
    CHECK(x == Approx(46.0));  // normalised for visualisation: x is longitude
    CHECK(wgs.is_geographic());
    CHECK_THROWS_AS(geo::Projector("EPSG:999999"), core::UsageError);
}

TEST_CASE("layer styles: hidden layers vanish, opacity, colour and line width apply", "[map]") {
    const geo::Projector proj;
    const map::Scene scene(limes_test::synthetic_basemap());
    map::View view;
    auto styles = scene.default_styles();
    const auto plain = scene.draw({}, view, styles);
    for (auto& s : styles) {
        if (s.name == "countries") {
            s.opacity = 0.5f;
            s.recolor = true;
            s.color = {10, 20, 30, 255};
            s.line_width = 3.0f;
        }
        if (s.name == "provinces") s.visible = false;
    }
    const auto styled = scene.draw({}, view, styles);
    // Provinces contribute outlines only: hiding them removes exactly one line batch.
    REQUIRE(styled.lines.size() + 1 == plain.lines.size());
    // Country fills come first: recoloured, half as opaque.
    REQUIRE(!styled.fills.empty());
    CHECK(styled.fills.front().color.r == 10);
    CHECK(styled.fills.front().color.b == 30);
    CHECK(int(styled.fills.front().color.a) == int(std::lround(plain.fills.front().color.a * 0.5)));
    // The countries' outline (first line batch in both lists) is three times as wide.
    CHECK(styled.lines.front().width_px == Approx(plain.lines.front().width_px * 3.0f));
}

TEST_CASE("incident symbols: smallest first, ties in input order, over hundreds of sizes",
          "[map]") {
    // Fatalities 0..49 and six shapes: ~300 distinct sizes. Incidents along the 40th parallel,
    // west to east, so a symbol's x tells its input order.
    const map::Scene scene(core::Basemap{}, geo::kDefaultMapCrs, {"incidents"});
    const char* types[] = {"Battles",
                           "Protests",
                           "Riots",
                           "Explosions/Remote violence",
                           "Violence against civilians",
                           "Strategic developments"};
    std::vector<core::Incident> incidents(3000);
    for (std::size_t i = 0; i < incidents.size(); ++i) {
        incidents[i].lon = 44.0 + 0.001 * static_cast<double>(i);
        incidents[i].lat = 40.0;
        incidents[i].event_type = types[i % 6];
        incidents[i].fatalities = static_cast<long long>((i / 6) % 50);
    }
    map::View view;
    view.units_per_pixel = 500.0;
    const auto list = scene.draw(core::marks_of(incidents), view);
    REQUIRE(list.symbols.size() == incidents.size());
    std::set<float> sizes;
    for (const auto& s : list.symbols) sizes.insert(s.size_px);
    CHECK(sizes.size() > 64);
    for (std::size_t i = 1; i < list.symbols.size(); ++i) {
        const auto &a = list.symbols[i - 1], &b = list.symbols[i];
        INFO("symbol " << i);
        REQUIRE(a.size_px <= b.size_px);
        if (a.size_px == b.size_px) REQUIRE(a.position.x < b.position.x);
    }
}

TEST_CASE("incident positions: many points projected on two threads equal one at a time", "[map]") {
    const map::Scene scene(core::Basemap{}, geo::kDefaultMapCrs, {"incidents"});
    std::vector<core::IncidentMark> marks(250'000);  // above the 200,000 of the split
    for (std::size_t i = 0; i < marks.size(); ++i) {
        marks[i].lon = 40.0 + 10.0 * static_cast<double>(i % 1000) / 1000.0;
        marks[i].lat = 37.0 + 6.0 * static_cast<double>(i / 1000) / 250.0;
    }
    marks[200'001].lat = 95.0;  // no such latitude: NaN, in the second half
    const std::vector<map::Vec2> pos = scene.positions(marks);
    REQUIRE(pos.size() == marks.size());
    std::size_t differ = 0;
    for (std::size_t i = 0; i < marks.size(); ++i) {
        if (i == 200'001) continue;
        const map::Vec2 one = scene.local(marks[i].lon, marks[i].lat);
        differ += one.x != pos[i].x || one.y != pos[i].y;
    }
    CHECK(differ == 0);
    CHECK(std::isnan(pos[200'001].x));
}
