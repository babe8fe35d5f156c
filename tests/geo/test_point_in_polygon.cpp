// The band-indexed point-in-polygon of `limes stats` against GEOS's prepared contains: the
// same answer for 200,000 pseudo-random points over the default workspace's countries and
// provinces (points exactly on a boundary have probability zero here).
#include <catch2/catch.hpp>

#include <random>

#include "geo/geos_util.hpp"
#include "geo/point_in_polygon.hpp"
#include "geo/regions.hpp"
#include "geo/workspace.hpp"

using namespace limes;

TEST_CASE("PolygonLocator agrees with GEOS prepared contains", "[geo][stats]") {
    const auto ws = geo::Workspace::open(LIMES_DEFAULT_WS);
    geo::GeosContext ctx;
    for (const char* layer : {"countries", "provinces"}) {
        const auto areas = geo::load_areas(ws, ctx, layer, {"name"});
        REQUIRE(areas.size() > 5);
        geo::PolygonLocator locator;
        std::vector<geo::PreparedPtr> prepared;
        for (const auto& a : areas) {
            locator.add(geo::to_multipolygon(geo::to_ogr(ctx, a.geom.get()).get()));
            prepared.push_back(geo::prepare(ctx, a.geom.get()));
        }
        std::mt19937_64 rng(42);
        std::uniform_real_distribution<double> lon(43.0, 51.0), lat(38.0, 42.5);
        long inside = 0, mismatches = 0;
        for (int i = 0; i < 100'000; ++i) {
            const double x = lon(rng), y = lat(rng);
            long expected = -1;
            geo::GeomPtr pt = geo::own(ctx, GEOSGeom_createPointFromXY_r(ctx.get(), x, y), "point");
            for (std::size_t k = 0; k < prepared.size(); ++k)
                if (GEOSPreparedContains_r(ctx.get(), prepared[k].get(), pt.get()) == 1) {
                    expected = static_cast<long>(k);
                    break;
                }
            inside += expected >= 0;
            mismatches += locator.find(x, y) != expected;
        }
        INFO(layer);
        CHECK(mismatches == 0);
        CHECK(inside > 50'000);  // most of the box is land: the test exercises the inside case
    }
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
