// RFC 7946 §3.1.6 winding of the basemap polygons `limes export` writes: every exterior ring
// counter-clockwise, every hole clockwise. The orientation is computed here from the exported
// coordinates themselves (shoelace on lon/lat), through the command line only.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>
#include <string>

#include "run_limes.hpp"

using limes_test::Result;
using limes_test::run_limes;
using nlohmann::json;

namespace {

// Twice the signed area of a closed lon/lat ring (shoelace): > 0 counter-clockwise.
double signed_area2(const json& ring) {
    double s = 0;
    for (std::size_t i = 0; i + 1 < ring.size(); ++i) {
        const double x0 = ring[i][0].get<double>(), y0 = ring[i][1].get<double>();
        const double x1 = ring[i + 1][0].get<double>(), y1 = ring[i + 1][1].get<double>();
        s += x0 * y1 - x1 * y0;
    }
    return s;
}

struct Winding {
    int exteriors = 0, holes = 0;
    int bad_exteriors = 0, bad_holes = 0;
};

void check_polygon(const json& rings, const std::string& feature, Winding& w) {
    for (std::size_t r = 0; r < rings.size(); ++r) {
        const json& ring = rings[r];
        REQUIRE(ring.size() >= 4);
        INFO(feature << " ring " << r);
        CHECK(ring.front() == ring.back());  // closed
        const double a = signed_area2(ring);
        if (r == 0) {
            ++w.exteriors;
            if (!(a > 0)) ++w.bad_exteriors;
            CHECK(a > 0);
        } else {
            ++w.holes;
            if (!(a < 0)) ++w.bad_holes;
            CHECK(a < 0);
        }
    }
}

Winding winding_of_layer(const std::string& layer) {
    const Result r = run_limes({"export", LIMES_DEFAULT_WS, "--layer", layer, "-o", "-"});
    INFO(r.err);
    REQUIRE(r.code == 0);
    const json j = json::parse(r.out);
    Winding w;
    REQUIRE(j.at("features").size() > 0);
    for (const json& f : j.at("features")) {
        const json& g = f.at("geometry");
        if (g.is_null()) continue;
        const std::string feature = layer + " feature " + f.at("id").dump();
        if (g.at("type") == "Polygon") {
            check_polygon(g.at("coordinates"), feature, w);
        } else {
            REQUIRE(g.at("type") == "MultiPolygon");
            for (const json& p : g.at("coordinates")) check_polygon(p, feature, w);
        }
    }
    return w;
}

}  // namespace

TEST_CASE("export: countries have counter-clockwise exteriors and clockwise holes",
          "[export][winding]") {
    const Winding w = winding_of_layer("countries");
    CHECK(w.bad_exteriors == 0);
    CHECK(w.bad_holes == 0);
    // The audit (2026-12) counted 3 holes in the default workspace's countries: the check
    // must not pass for want of holes.
    CHECK(w.holes >= 3);
    CHECK(w.exteriors > 0);
}

TEST_CASE("export: provinces have counter-clockwise exteriors and clockwise holes",
          "[export][winding]") {
    const Winding w = winding_of_layer("provinces");
    CHECK(w.bad_exteriors == 0);
    CHECK(w.bad_holes == 0);
    CHECK(w.holes >= 9);  // the audit's count for the default workspace
    CHECK(w.exteriors > 0);
}
