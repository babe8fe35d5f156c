// The point-in-polygon of `limes stats` against GEOS's prepared contains: the same answer, by
// the bands alone and through the prepared grid, for 200,000 pseudo-random points over the
// default workspace's countries and provinces and 100,000 more within metres of their
// vertices (points exactly on a boundary have probability zero here).
#include <catch2/catch.hpp>

#include <cmath>
#include <limits>
#include <random>

#include "geo/geometry/geos_util.hpp"
#include "geo/geometry/point_in_polygon.hpp"
#include "geo/store/workspace.hpp"

using namespace limes;

namespace {

/** The first of the prepared areas that GEOS says contains (x, y), else -1: the reference. */
long geos_area_of(const geo::GeosContext& ctx, const std::vector<geo::PreparedPtr>& prepared,
                  double x, double y) {
    geo::GeomPtr pt = geo::own(ctx, GEOSGeom_createPointFromXY_r(ctx.get(), x, y), "point");
    for (std::size_t k = 0; k < prepared.size(); ++k)
        if (GEOSPreparedContains_r(ctx.get(), prepared[k].get(), pt.get()) == 1)
            return static_cast<long>(k);
    return -1L;
}

}  // namespace

TEST_CASE("PolygonLocator agrees with GEOS prepared contains", "[geo][stats]") {
    const auto ws = geo::Workspace::open(LIMES_DEFAULT_WS);
    geo::GeosContext ctx;
    for (const char* layer : {"countries", "provinces"}) {
        const auto areas = ws.areas(layer, {"name"});
        REQUIRE(areas.size() > 5);
        geo::PolygonLocator locator;
        std::vector<geo::GeomPtr> geoms;
        std::vector<geo::PreparedPtr> prepared;
        std::vector<core::LonLat> vertices;
        for (const auto& a : areas) {
            const core::MultiPolygon& mp = a.area;
            locator.add(mp);
            geoms.push_back(geo::to_geos(ctx, mp));
            prepared.push_back(geo::prepare(ctx, geoms.back().get()));
            for (const auto& poly : mp)
                for (const auto& ring : poly)
                    vertices.insert(vertices.end(), ring.begin(), ring.end());
        }
        geo::PolygonLocator gridded = locator;
        gridded.prepare();
        CHECK(gridded.unsure_share() > 0.0);
        CHECK(gridded.unsure_share() < 0.1);
        auto geos_find = [&](double x, double y) { return geos_area_of(ctx, prepared, x, y); };
        std::mt19937_64 rng(42);
        std::uniform_real_distribution<double> lon(43.0, 51.0), lat(38.0, 42.5), off(-3e-5, 3e-5);
        std::uniform_int_distribution<std::size_t> pick(0, vertices.size() - 1);
        long inside = 0, mismatches = 0, grid_mismatches = 0, unsure = 0;
        for (int i = 0; i < 100'000; ++i) {
            const double x = lon(rng), y = lat(rng);
            const long expected = geos_find(x, y);
            inside += expected >= 0;
            mismatches += locator.find(x, y) != expected;
            grid_mismatches += gridded.find(x, y) != expected;
        }
        // Near the boundaries (never on one: 1e-7 degrees off at least in each axis).
        long near_mismatches = 0;
        for (int i = 0; i < 50'000; ++i) {
            const core::LonLat v = vertices[pick(rng)];
            double dx = off(rng), dy = off(rng);
            dx += dx < 0 ? -1e-7 : 1e-7;
            dy += dy < 0 ? -1e-7 : 1e-7;
            const double x = v.lon + dx, y = v.lat + dy;
            const long expected = geos_find(x, y);
            unsure += gridded.find_in_grid(x, y) == geo::PolygonLocator::kUnsure;
            near_mismatches += (locator.find(x, y) != expected) + (gridded.find(x, y) != expected);
        }
        INFO(layer);
        CHECK(mismatches == 0);
        CHECK(grid_mismatches == 0);
        CHECK(near_mismatches == 0);
        CHECK(unsure > 40'000);  // the near points do test the bands behind the grid
        CHECK(inside > 50'000);  // most of the box is land: the test exercises the inside case
    }
}

TEST_CASE("PolygonLocator: the grid answers where no edge comes near, else kUnsure",
          "[geo][stats]") {
    geo::PolygonLocator locator;
    // A 4x4 square with a 2x2 hole; a unit square inside the hole, added second.
    locator.add(
        {{{{0, 0}, {4, 0}, {4, 4}, {0, 4}, {0, 0}}, {{1, 1}, {1, 3}, {3, 3}, {3, 1}, {1, 1}}}});
    locator.add({{{{1.5, 1.5}, {2.5, 1.5}, {2.5, 2.5}, {1.5, 2.5}, {1.5, 1.5}}}});
    CHECK(locator.find_in_grid(0.5, 0.5) == geo::PolygonLocator::kUnsure);  // not prepared
    locator.prepare();
    CHECK(locator.find_in_grid(0.5, 0.5) == 0);
    CHECK(locator.find_in_grid(1.2, 2.0) == -1);   // in the hole
    CHECK(locator.find_in_grid(2.0, 2.0) == 1);    // the second area, in the first's hole
    CHECK(locator.find_in_grid(-1.0, 2.0) == -1);  // outside the grid
    CHECK(locator.find_in_grid(5.0, 5.0) == -1);
    CHECK(locator.find_in_grid(std::nan(""), 2.0) == -1);
    CHECK(locator.find(std::nan(""), 2.0) == -1);
    // On or next to an edge: the bands decide, the grid does not guess.
    CHECK(locator.find_in_grid(1.0, 2.0) == geo::PolygonLocator::kUnsure);
    CHECK(locator.find_in_grid(1.0 - 1e-10, 2.0) == geo::PolygonLocator::kUnsure);
    CHECK(locator.find_in_grid(2.0, 4.0) == geo::PolygonLocator::kUnsure);  // on a horizontal edge
    CHECK(locator.find(1.0 - 1e-6, 2.0) == 0);
    CHECK(locator.find(1.0 + 1e-6, 2.0) == -1);
    CHECK(locator.find(2.0, 4.0 - 1e-6) == 0);
    CHECK(locator.find(2.0, 4.0 + 1e-6) == -1);
    // The corners of the grid itself.
    CHECK(locator.find(0.0 + 1e-6, 0.0 + 1e-6) == 0);
    CHECK(locator.find(4.0 - 1e-6, 4.0 - 1e-6) == 0);
    // add() drops the grid: the new area must not be missed.
    locator.add({{{{10, 10}, {11, 10}, {11, 11}, {10, 11}, {10, 10}}}});
    CHECK(locator.find(10.5, 10.5) == 2);
    locator.prepare();
    CHECK(locator.find_in_grid(10.5, 10.5) == 2);
    CHECK(locator.find_in_grid(7.0, 7.0) == -1);
}

TEST_CASE("PolygonLocator: no areas, empty areas", "[geo][stats]") {
    geo::PolygonLocator none;
    none.prepare();
    CHECK(none.find(1.0, 1.0) == -1);
    geo::PolygonLocator empty;
    empty.add({});
    empty.prepare();
    CHECK(empty.find(0.0, 0.0) == -1);
    CHECK(empty.size() == 1);
}

TEST_CASE("PolygonLocator: holes and separate parts", "[geo][stats]") {
    geo::PolygonLocator locator;
    // A 4x4 square with a 2x2 hole, plus a separate unit square far away.
    core::MultiPolygon mp = {
        {{{0, 0}, {4, 0}, {4, 4}, {0, 4}, {0, 0}}, {{1, 1}, {1, 3}, {3, 3}, {3, 1}, {1, 1}}},
        {{{10, 10}, {11, 10}, {11, 11}, {10, 11}, {10, 10}}},
    };
    locator.add(mp);
    CHECK(locator.find(0.5, 0.5) == 0);
    CHECK(locator.find(2, 2) == -1);  // in the hole
    CHECK(locator.find(10.5, 10.5) == 0);
    CHECK(locator.find(5, 5) == -1);
}

TEST_CASE("PolygonLocator: a point exactly on a boundary is in no area, as GEOS has it",
          "[geo][stats]") {
    const auto ws = geo::Workspace::open(LIMES_DEFAULT_WS);
    geo::GeosContext ctx;
    const auto areas = ws.areas("provinces", {"name"});
    geo::PolygonLocator locator;
    std::vector<geo::GeomPtr> geoms;
    std::vector<geo::PreparedPtr> prepared;
    std::vector<core::LonLat> on_edges;
    long ardahan = -1;
    for (std::size_t k = 0; k < areas.size(); ++k) {
        const core::MultiPolygon& mp = areas[k].area;
        locator.add(mp);
        geoms.push_back(geo::to_geos(ctx, mp));
        prepared.push_back(geo::prepare(ctx, geoms.back().get()));
        if (areas[k].name == "Ardahan") ardahan = static_cast<long>(k);
        for (const auto& poly : mp)
            for (const auto& ring : poly)
                for (std::size_t i = 0; i + 1 < ring.size(); i += 7) {
                    on_edges.push_back(ring[i]);  // a vertex
                    // The midpoint as doubles compute it: on the edge or a rounding off it.
                    on_edges.push_back({(ring[i].lon + ring[i + 1].lon) / 2,
                                        (ring[i].lat + ring[i + 1].lat) / 2});
                }
    }
    REQUIRE(ardahan >= 0);
    geo::PolygonLocator gridded = locator;
    gridded.prepare();
    auto geos_find = [&](double x, double y) { return geos_area_of(ctx, prepared, x, y); };
    // The SYNTHETIC point that limes counted in Ardahan and PostGIS in no province (10M
    // benchmark, BENCHMARKS.md): it lies on the Ardahan-Kars boundary.
    CHECK(geos_find(43.0, 41.0366) == -1);
    CHECK(locator.find(43.0, 41.0366) == -1);
    CHECK(gridded.find(43.0, 41.0366) == -1);
    CHECK_FALSE(locator.contains(static_cast<std::size_t>(ardahan), 43.0, 41.0366));
    REQUIRE(on_edges.size() > 500);
    long mismatches = 0, vertices_inside = 0;
    for (std::size_t i = 0; i < on_edges.size(); ++i) {
        const auto [x, y] = on_edges[i];
        const long expected = geos_find(x, y);
        if (i % 2 == 0) vertices_inside += expected >= 0;  // on a boundary: in no province
        mismatches += (locator.find(x, y) != expected) + (gridded.find(x, y) != expected);
    }
    CHECK(mismatches == 0);
    CHECK(vertices_inside == 0);
}
