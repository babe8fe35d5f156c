// compose_briefing on a synthetic basemap (synthetic_basemap.hpp), no GL: labels never overlap each
// other or the furniture and stay inside the image; the legend lists exactly the types passed with
// their counts; the scale bar is a nice length, geodesically right at the centre (checked against
// PROJ directly, not through limes' Projector); the north arrow follows the LCC convergence.
#include <catch2/catch.hpp>

#include <geodesic.h>
#include <proj.h>

#include <algorithm>
#include <cmath>
#include <memory>
#include <string>
#include <vector>

#include "geo/geometry/projection.hpp"
#include "map/briefing.hpp"
#include "map/scene.hpp"
#include "map/style.hpp"
#include "synthetic_basemap.hpp"

using namespace limes;

namespace {

constexpr double kPi = 3.14159265358979323846;
constexpr double kDeg = kPi / 180.0;

bool overlaps(const map::PixelBox& a, const map::PixelBox& b) {
    return a.x0 < b.x1 && b.x0 < a.x1 && a.y0 < b.y1 && b.y0 < a.y1;
}

std::string str(const map::PixelBox& b) {
    return "[" + std::to_string(b.x0) + "," + std::to_string(b.y0) + " - " + std::to_string(b.x1) +
           "," + std::to_string(b.y1) + "]";
}

// The view that shows the map-CRS box whole and centred, as `limes render` fits its extent.
map::View fit(double min_x, double min_y, double max_x, double max_y, int w, int h) {
    map::View v;
    v.width = w;
    v.height = h;
    v.center_x = (min_x + max_x) / 2;
    v.center_y = (min_y + max_y) / 2;
    v.units_per_pixel = std::max((max_x - min_x) / w, (max_y - min_y) / h) * 1.04;
    return v;
}

map::View centred_on(const geo::Projector& proj, double lon, double lat, double units_per_pixel,
                     int w = 1920, int h = 1080) {
    map::View v;
    REQUIRE(proj.forward(lon, lat, v.center_x, v.center_y));
    v.units_per_pixel = units_per_pixel;
    v.width = w;
    v.height = h;
    return v;
}

core::Incident incident(const char* type, double lon, double lat, int day,
                        long long precision = 1) {
    core::Incident i;
    i.event_type = type;
    i.lon = lon;
    i.lat = lat;
    i.event_date = core::Date::from_ymd(2022, 9, day);
    i.geo_precision = precision;
    i.fatalities = 1;
    return i;
}

// Ground km of one image pixel at the view's centre measured without limes' code: PROJ's own
// inverse of two points half a pixel either side of the centre, then PROJ's geod_inverse.
double independent_km_per_pixel(const std::string& crs, const map::View& v) {
    PJ_CONTEXT* ctx = proj_context_create();
    PJ* raw = proj_create_crs_to_crs(ctx, "EPSG:4326", crs.c_str(), nullptr);
    REQUIRE(raw);
    PJ* pj = proj_normalize_for_visualization(ctx, raw);  // lon, lat order
    proj_destroy(raw);
    REQUIRE(pj);
    auto inv = [&](double x, double y) {
        PJ_COORD c = proj_coord(x, y, 0, 0);
        return proj_trans(pj, PJ_INV, c);
    };
    const double h = 0.5 * v.units_per_pixel;
    const PJ_COORD a = inv(v.center_x - h, v.center_y), b = inv(v.center_x + h, v.center_y);
    proj_destroy(pj);
    proj_context_destroy(ctx);
    geod_geodesic g;
    geod_init(&g, 6378137.0, 1 / 298.257223563);  // WGS84
    double s12 = 0, azi1 = 0, azi2 = 0;
    geod_inverse(&g, a.lpz.phi, a.lpz.lam, b.lpz.phi, b.lpz.lam, &s12, &azi1, &azi2);
    REQUIRE(std::isfinite(s12));
    return s12 / 1000.0;
}

// Cone constant of the Lambert conformal conic with standard parallels p1, p2 (sphere).
double cone_constant(double p1, double p2) {
    return std::log(std::cos(p1) / std::cos(p2)) /
           std::log(std::tan(kPi / 4 + p2 / 2) / std::tan(kPi / 4 + p1 / 2));
}

bool is_nice(double km) {
    const double p = std::pow(10.0, std::floor(std::log10(km) + 1e-9));
    for (double m : {1.0, 2.0, 5.0})
        if (std::fabs(km - m * p) <= 1e-9 * km) return true;
    return false;
}

struct Fixture {
    core::Basemap basemap = limes_test::synthetic_basemap();
    geo::Projector proj;
    map::Scene scene{basemap};
    map::TextEngine text;

    /** The whole synthetic scene fitted into width x height pixels. */
    map::View whole(int width, int height) const {
        return fit(scene.min_x(), scene.min_y(), scene.max_x(), scene.max_y(), width, height);
    }

    /** The scene drawn into list with incidents, and the briefing composed over it. */
    map::BriefingLayout compose(const std::vector<core::Incident>& incidents, const map::View& view,
                                map::DrawList& list, const map::BriefingText& bt = {}) {
        list = scene.draw(core::marks_of(incidents), view);
        return map::compose_briefing(scene, core::marks_of(incidents), view, bt, text, list);
    }
};

/** Synthetic incidents among the synthetic places: 40, of every type, three days. */
std::vector<core::Incident> synthetic_incidents() {
    std::vector<core::Incident> out;
    for (int i = 0; i < 40; ++i) {
        core::Incident inc;
        inc.event_type =
            std::string(core::kEventTypes[static_cast<std::size_t>(i) % core::kEventTypes.size()]);
        inc.lon = 44.3 + (i * 0.097);
        inc.lat = 39.2 + ((i * 7) % 17) * 0.1;
        inc.event_date = core::Date::from_ymd(2022, 9, 12 + i % 3);
        inc.fatalities = i % 4;
        inc.geo_precision = 1 + i % 3;
        out.push_back(inc);
    }
    return out;
}

void check_label_placement(const map::BriefingLayout& layout, const map::View& view) {
    REQUIRE(layout.labels.size() == layout.label_texts.size());
    REQUIRE(layout.furniture.size() >= 5);  // title, north arrow, attribution, legend, scale bar
    for (std::size_t i = 0; i < layout.labels.size(); ++i) {
        const auto& a = layout.labels[i];
        INFO("label '" << layout.label_texts[i] << "' " << str(a));
        CHECK(a.x1 > a.x0);
        CHECK(a.y1 > a.y0);
        CHECK(a.x0 >= 0);
        CHECK(a.y0 >= 0);
        CHECK(a.x1 <= view.width);
        CHECK(a.y1 <= view.height);
        for (std::size_t j = i + 1; j < layout.labels.size(); ++j) {
            INFO("and label '" << layout.label_texts[j] << "' " << str(layout.labels[j]));
            CHECK_FALSE(overlaps(a, layout.labels[j]));
        }
        for (const auto& f : layout.furniture) {
            INFO("and furniture " << str(f));
            CHECK_FALSE(overlaps(a, f));
        }
    }
}

}  // namespace

TEST_CASE("briefing labels never overlap and stay inside", "[map][briefing]") {
    Fixture fx;
    const std::vector<core::Incident> incidents = synthetic_incidents();

    SECTION("the whole region at 1920x1080") {
        const map::View view = fx.whole(1920, 1080);
        map::DrawList list;
        const auto layout = fx.compose(incidents, view, list);
        REQUIRE(layout.labels.size() >= 20);  // not vacuous: many of the 64 places get one
        const auto& t = layout.label_texts;
        CHECK(std::find(t.begin(), t.end(), "Synthetic capital") != t.end());  // rank 0 first
        CHECK(std::find(t.begin(), t.end(), "Synthetic claim") != t.end());
        check_label_placement(layout, view);
        CHECK(list.atlas);
        CHECK_FALSE(list.overlay.glyphs.empty());
    }
    SECTION("the crowded incident area at 1920x1080, Armenian labels") {
        // 45.0-47.5 E, 39.0-40.8 N: dozens of places close together.
        double x0, y0, x1, y1;
        REQUIRE(fx.proj.forward(45.0, 39.0, x0, y0));
        REQUIRE(fx.proj.forward(47.5, 40.8, x1, y1));
        const map::View view = fit(x0, y0, x1, y1, 1920, 1080);
        map::BriefingText bt;
        bt.label_language = "hy";
        map::DrawList list;
        const auto layout = fx.compose(incidents, view, list, bt);
        REQUIRE(layout.labels.size() >= 15);
        const auto& t = layout.label_texts;
        CHECK(std::find(t.begin(), t.end(), "Ավան 27") != t.end());  // the capital, in Armenian
        check_label_placement(layout, view);
    }
    SECTION("a small 640x360 image, where furniture takes a larger share") {
        const map::View view = fx.whole(640, 360);
        map::DrawList list;
        const auto layout = fx.compose(incidents, view, list);
        REQUIRE(layout.labels.size() >= 3);
        check_label_placement(layout, view);
    }
}

TEST_CASE("the legend lists exactly the incident types passed, with their counts",
          "[map][briefing]") {
    Fixture fx;
    const std::vector<core::Incident> incidents = {
        incident("Battles", 45.86, 40.20, 13),
        incident("Protests", 44.51, 40.18, 14),
        incident("Battles", 46.23, 39.60, 13),
    };
    const map::View view = fx.whole(1920, 1080);
    map::DrawList list;
    const auto layout = fx.compose(incidents, view, list);
    const auto& e = layout.legend_entries;
    INFO("legend: " << [&] {
        std::string s;
        for (auto& x : e) s += "'" + x + "' ";
        return s;
    }());
    CHECK(std::count(e.begin(), e.end(), "Battles (2)") == 1);
    CHECK(std::count(e.begin(), e.end(), "Protests (1)") == 1);
    int type_entries = 0;
    for (const auto& entry : e)
        for (auto type : core::kEventTypes)
            if (entry.rfind(std::string(type) + " (", 0) == 0) ++type_entries;
    CHECK(type_entries == 2);  // not Explosions/Remote violence, Riots, ...
    // All three incidents are precise: no "approximate location" key.
    CHECK(std::none_of(e.begin(), e.end(), [](const std::string& s) {
        return s.find("Approximate") != std::string::npos;
    }));

    SECTION("an imprecise incident adds the area key; no incidents, no type entries") {
        std::vector<core::Incident> more = incidents;
        more.push_back(incident("Riots", 46.0, 40.0, 12, 3));
        map::DrawList l2;
        const auto with = fx.compose(more, view, l2);
        CHECK(std::count(with.legend_entries.begin(), with.legend_entries.end(), "Riots (1)") == 1);
        CHECK(std::count(with.legend_entries.begin(), with.legend_entries.end(),
                         "Approximate location (area)") == 1);
        map::DrawList l3;
        const auto none = fx.compose({}, view, l3);
        for (const auto& entry : none.legend_entries)
            for (auto type : core::kEventTypes) CHECK(entry.rfind(std::string(type), 0) != 0);
    }
}

TEST_CASE("the legend's tally counts only the rows of a subset (the window's visible rows)",
          "[map][briefing]") {
    std::vector<core::IncidentMark> marks(6);  // synthetic marks
    for (std::size_t i = 0; i < marks.size(); ++i) {
        marks[i].type = static_cast<std::uint8_t>(i % 2);  // Battles, Explosions/Remote violence
        marks[i].fatalities = i < 3 ? -1 : static_cast<std::int32_t>(i);
        marks[i].geo_precision = i == 5 ? 3 : 1;
        marks[i].status = static_cast<std::uint8_t>(i % 4);
        marks[i].side = i == 0 ? core::ReportingSide::Armenian : core::ReportingSide::Other;
    }
    const std::vector<std::uint32_t> subset = {0, 2, 3};
    const map::IncidentTally some = map::IncidentTally::of(marks, &subset);
    CHECK(some.total == 3);
    CHECK(some.types[0] == 2);  // rows 0 and 2
    CHECK(some.types[1] == 1);  // row 3
    CHECK(some.not_stated == 2);
    CHECK(some.stated == 1);
    CHECK_FALSE(some.imprecise);  // row 5 is not in the subset
    CHECK(some.statuses[0] == 1);
    CHECK(some.statuses[2] == 1);
    CHECK(some.statuses[3] == 1);
    CHECK(some.sides[static_cast<std::size_t>(core::ReportingSide::Armenian)] == 1);
    const map::IncidentTally all = map::IncidentTally::of(marks);
    CHECK(all.total == 6);
    CHECK(all.types[0] == 3);
    CHECK(all.imprecise);
}

TEST_CASE("the scale bar is a nice length and geodesically right at the centre",
          "[map][briefing]") {
    Fixture fx;
    struct Case {
        const char* crs;
        double lon, lat, upp;  // view centre, map units per pixel
    };
    // The default LCC over the region and zoomed in; Web Mercator (scale 1/cos φ: 1.31 at
    // 40 N, so map metres are not ground metres); UTM 38N off its central meridian; and
    // plain lon/lat, whose map units are degrees.
    const Case cases[] = {
        {geo::kDefaultMapCrs, 46.0, 40.0, 400.0}, {geo::kDefaultMapCrs, 48.0, 40.0, 60.0},
        {geo::kDefaultMapCrs, 44.5, 41.5, 5.0},   {"EPSG:3857", 46.0, 40.0, 300.0},
        {"EPSG:32638", 47.5, 41.0, 150.0},        {"EPSG:4326", 46.0, 40.0, 0.002},
    };
    for (const Case& c : cases) {
        INFO(c.crs << " at " << c.lon << "," << c.lat << ", " << c.upp << " units/px");
        const geo::Projector proj(c.crs);
        const map::Scene scene(fx.basemap, c.crs, {"places"});
        const map::View view = centred_on(proj, c.lon, c.lat, c.upp);
        const double km_px = map::km_per_pixel_at_center(scene, view);
        const double expected = independent_km_per_pixel(c.crs, view);
        CHECK(km_px == Approx(expected).epsilon(0.005));

        map::DrawList list = scene.draw({}, view);
        const auto layout = map::compose_briefing(scene, {}, view, {}, fx.text, list);
        INFO("scale bar " << layout.scale_bar_km << " km, " << layout.scale_bar_px << " px");
        REQUIRE(layout.scale_bar_km > 0);
        CHECK(is_nice(layout.scale_bar_km));
        CHECK(layout.scale_bar_px * expected == Approx(layout.scale_bar_km).epsilon(0.005));
        CHECK(layout.scale_bar_px > 20);
        CHECK(layout.scale_bar_px < view.width / 2.0f);
    }
}

TEST_CASE("the north arrow follows the meridian convergence of the LCC", "[map][briefing]") {
    Fixture fx;  // default CRS: +proj=lcc +lat_0=40 +lon_0=46 +lat_1=39 +lat_2=41
    const double n = cone_constant(39 * kDeg, 41 * kDeg);
    REQUIRE(n == Approx(0.6428).epsilon(0.01));  // ≈ sin 40°

    CHECK(map::north_angle_at_center(fx.scene, centred_on(fx.proj, 46.0, 40.0, 300.0)) ==
          Approx(0.0).margin(1e-6));
    CHECK(map::north_angle_at_center(fx.scene, centred_on(fx.proj, 46.0, 42.5, 50.0)) ==
          Approx(0.0).margin(1e-6));
    // East of the central meridian true north leans left (anticlockwise), west of it right.
    for (double lon : {48.0, 44.0, 50.5}) {
        INFO("centre " << lon << " E, 40 N");
        const double got =
            map::north_angle_at_center(fx.scene, centred_on(fx.proj, lon, 40.0, 300.0));
        const double want = -(lon - 46.0) * kDeg * n;
        CHECK(got == Approx(want).epsilon(0.01));
    }
    // compose_briefing reports the same angle it draws the arrow with.
    const map::View view = centred_on(fx.proj, 48.0, 40.0, 300.0);
    map::DrawList list;
    const auto layout = fx.compose({}, view, list);
    CHECK(layout.north_angle == Approx(-2 * kDeg * n).epsilon(0.01));
    // Web Mercator's meridians are vertical everywhere.
    const geo::Projector merc("EPSG:3857");
    const map::Scene ms(fx.basemap, "EPSG:3857", {"places"});
    CHECK(map::north_angle_at_center(ms, centred_on(merc, 48.0, 40.0, 300.0)) ==
          Approx(0.0).margin(1e-6));
}

TEST_CASE("nice_length_km picks the longest 1, 2 or 5 x 10^k not above the maximum",
          "[map][briefing]") {
    CHECK(map::nice_length_km(7.3) == Approx(5));
    CHECK(map::nice_length_km(19.9) == Approx(10));
    CHECK(map::nice_length_km(0.35) == Approx(0.2));
    CHECK(map::nice_length_km(1.0) == Approx(1));
    CHECK(map::nice_length_km(2.0) == Approx(2));
    CHECK(map::nice_length_km(99.0) == Approx(50));
    CHECK(map::nice_length_km(100.0) == Approx(100));
    CHECK(map::nice_length_km(345.0) == Approx(200));
    CHECK(map::nice_length_km(0.0) == 0.0);
    CHECK(map::nice_length_km(-3.0) == 0.0);
    for (double x = 0.013; x < 5000; x *= 1.37) {
        const double nice = map::nice_length_km(x);
        INFO(x << " -> " << nice);
        CHECK(is_nice(nice));
        CHECK(nice <= x * (1 + 1e-12));
        CHECK(nice > x / 2.5);  // the next nice length up would exceed x
    }
}

TEST_CASE("interior_points: inside the polygon and its box, farthest from the edges first",
          "[map][briefing][labels]") {
    // A 200 x 100 px box with a 40 x 40 hole on its left: even-odd, the hole is outside.
    const std::vector<std::vector<map::Vec2>> rings = {
        {{0, 0}, {200, 0}, {200, 100}, {0, 100}, {0, 0}},
        {{20, 30}, {60, 30}, {60, 70}, {20, 70}, {20, 30}}};
    const auto pts = map::interior_points(rings, {0, 0, 1000, 1000}, 10);
    REQUIRE(pts.size() > 100);
    for (const auto& p : pts) {
        CHECK(map::inside_rings(rings, p.at));
        CHECK_FALSE((p.at.x > 20 && p.at.x < 60 && p.at.y > 30 && p.at.y < 70));
    }
    for (std::size_t i = 1; i < pts.size(); ++i) CHECK(pts[i - 1].clearance >= pts[i].clearance);
    // The best point: on the right half's middle line, 50 px (half the height) from the edges.
    CHECK(pts.front().clearance == Approx(45.0f).margin(5.0f));
    CHECK(pts.front().at.y == Approx(50.0f).margin(5.0f));
    CHECK(pts.front().at.x > 60.0f);
    // Only the part inside `within` counts, and its border is an edge too.
    const auto cut = map::interior_points(rings, {150, 0, 250, 100}, 10);
    REQUIRE_FALSE(cut.empty());
    for (const auto& p : cut) CHECK(p.at.x >= 150.0f);
    CHECK(cut.front().clearance <= 25.0f);
    CHECK(map::interior_points(rings, {300, 300, 400, 400}, 10).empty());
}

TEST_CASE("country names are labelled in the chosen language, below places in priority",
          "[map][briefing][labels]") {
    Fixture fx;
    const map::View view = fx.whole(1920, 1080);
    for (const char* lang : {"en", "hy", "az"}) {
        map::BriefingText bt;
        bt.label_language = lang;
        map::DrawList list;
        const auto layout = fx.compose({}, view, list, bt);
        const auto& t = layout.label_texts;
        const std::string a = std::string(lang) == "hy"   ? "Սինթետիկ Ա"
                              : std::string(lang) == "az" ? "Süni A"
                                                          : "Synthetic A";
        INFO(lang);
        const auto at = std::find(t.begin(), t.end(), a);
        REQUIRE(at != t.end());
        CHECK(std::find(t.begin(), t.end(), "Synthetic B") != t.end());  // no hy/az: English
        // The label lies inside country A (44-46 E), on the map of the projected polygon.
        const map::PixelBox box = layout.labels[static_cast<std::size_t>(at - t.begin())];
        double ax, ay, bx, by;
        REQUIRE(fx.proj.forward(44.0, 40.0, ax, ay));
        REQUIRE(fx.proj.forward(46.0, 40.0, bx, by));
        const double px0 = (ax - view.center_x) / view.units_per_pixel + view.width / 2.0,
                     px1 = (bx - view.center_x) / view.units_per_pixel + view.width / 2.0;
        CHECK(box.x0 > px0);
        CHECK(box.x1 < px1);
        // Places come first: every place label precedes the country names in placement order.
        const auto first_country = static_cast<std::size_t>(at - t.begin());
        for (std::size_t i = first_country; i < t.size(); ++i)
            CHECK(t[i].rfind("Synthetic place", 0) != 0);
        check_label_placement(layout, view);
    }
}

TEST_CASE("the legend says which fill and which line is which, as the scene draws them",
          "[map][briefing][legend]") {
    Fixture fx;
    const map::View view = fx.whole(1920, 1080);
    map::DrawList list;
    const auto layout = fx.compose({}, view, list);
    const auto& e = layout.legend_entries;
    auto has = [&](const std::string& s) { return std::count(e.begin(), e.end(), s) == 1; };
    // Neither synthetic country is Armenia or Azerbaijan: one shared fill, called "Country".
    CHECK(has("Country"));
    CHECK_FALSE(has("Armenia"));
    CHECK(has("Province boundary"));
    // Claims in their holders' colours, hatched where the holder is not the sovereign.
    CHECK(has("Claim: held by SYB, not the sovereign"));
    CHECK(has("Claim: held by SYA, not the sovereign"));
    CHECK(has("Former NKAO boundary (1991)"));
    CHECK(has("Ceasefire line (1994)"));
    // The legend's claim swatch is drawn in the holder colour (translucent), not grey.
    const map::Rgba holder = map::holder_color("SYB");
    const bool swatch = std::any_of(
        list.overlay.fills.begin(), list.overlay.fills.end(), [&](const map::FillBatch& b) {
            return b.color.r == holder.r && b.color.g == holder.g && b.color.b == holder.b &&
                   b.color.a == 90 && b.vertices.size() == 4;
        });
    CHECK(swatch);
}

TEST_CASE("a polygonized 1991 oblast in regions draws one boundary and one legend entry",
          "[map][briefing][legend]") {
    core::Basemap basemap = limes_test::synthetic_basemap();
    for (auto& l : basemap.layers)
        if (l.name == "regions") l.features[0].kind = "former_autonomous_oblast";
    const map::Scene scene(basemap);
    CHECK_FALSE(scene.has_oblast_line());  // the lines of the same boundary are not drawn
    CHECK(scene.has_ceasefire_line());
    map::TextEngine text;
    const map::View view =
        fit(scene.min_x(), scene.min_y(), scene.max_x(), scene.max_y(), 1920, 1080);
    map::DrawList list = scene.draw({}, view);
    const auto layout = map::compose_briefing(scene, {}, view, {}, text, list);
    const auto& e = layout.legend_entries;
    CHECK(std::count(e.begin(), e.end(), "Former NKAO boundary (1991)") == 0);
    CHECK(std::count(e.begin(), e.end(), "Nagorno-Karabakh AO (1991)") == 1);
    // Dashed lines (the oblast's long dashes) are gone from the draw list; the ceasefire
    // line's short dashes stay.
    const map::LineLook& oblast = map::line_look("former_oblast_1991");
    for (const auto& l : list.lines) CHECK_FALSE(l.dash_px == oblast.dash_px);
}

TEST_CASE("claim labels are short: name, holder, date, the statement stays out",
          "[map][briefing][labels]") {
    Fixture fx;
    fx.basemap.claims[0].claimant = "Trilateral statement (Armenia, Azerbaijan, Russia)";
    fx.basemap.claims[0].valid_from = core::Date::from_ymd(2020, 11, 25);
    const map::Scene scene(fx.basemap);
    const map::View view =
        fit(scene.min_x(), scene.min_y(), scene.max_x(), scene.max_y(), 1920, 1080);
    map::DrawList list = scene.draw({}, view);
    const auto layout = map::compose_briefing(scene, {}, view, {}, fx.text, list);
    REQUIRE(layout.claim_details.size() == 2);
    CHECK(std::count(layout.claim_details.begin(), layout.claim_details.end(),
                     "held by SYB since 2020-11-25") == 1);
    for (const auto& d : layout.claim_details) CHECK(d.find("per ") == std::string::npos);
}

TEST_CASE("a large claim keeps its label when its centre is off the image",
          "[map][briefing][labels]") {
    // A large claim (44.2-45.8 E) seen through a view from 45.4 E eastwards: its centroid
    // (45.0 E) lies left of the image, where no label can go. The label moves to another point
    // inside the claim's visible part rather than being dropped.
    core::Basemap basemap = limes_test::synthetic_basemap();
    basemap.claims.resize(1);
    basemap.claims[0].area = {{limes_test::box_ring(44.2, 39.2, 45.8, 40.8)}};
    basemap.claims[0].name = "Large synthetic claim";
    const map::Scene scene(basemap);
    map::TextEngine text;
    const geo::Projector proj;
    double x0, y0, x1, y1;
    REQUIRE(proj.forward(45.4, 39.6, x0, y0));
    REQUIRE(proj.forward(47.4, 40.4, x1, y1));
    const map::View view = fit(x0, y0, x1, y1, 1920, 1080);
    double cx, cy;
    REQUIRE(proj.forward(45.0, 40.0, cx, cy));
    REQUIRE((cx - view.center_x) / view.units_per_pixel + view.width / 2.0 < 0.0);
    map::DrawList list = scene.draw({}, view);
    const auto layout = map::compose_briefing(scene, {}, view, {}, text, list);
    const auto& t = layout.label_texts;
    const auto at = std::find(t.begin(), t.end(), "Large synthetic claim");
    REQUIRE(at != t.end());
    // Inside the claim: west of its east edge (45.8 E) in the image.
    double ex, ey;
    REQUIRE(proj.forward(45.8, 40.0, ex, ey));
    const double east_px = (ex - view.center_x) / view.units_per_pixel + view.width / 2.0;
    CHECK(layout.labels[static_cast<std::size_t>(at - t.begin())].x1 < east_px);
    check_label_placement(layout, view);
}

TEST_CASE("briefing: the title block says the day the lines and claims are drawn as of",
          "[briefing][as_of]") {
    Fixture fx;
    const map::View view = fx.whole(1200, 800);
    map::DrawList list;
    map::BriefingText bt;
    bt.title = "As of test";
    bt.as_of = "2019-01-01";
    const auto with = fx.compose(synthetic_incidents(), view, list, bt);
    REQUIRE(with.title_lines.size() == 3);
    CHECK(with.title_lines[0] == "As of test");
    CHECK(with.title_lines[2] == "Lines and claims as of 2019-01-01");
    // The title block grew by the line: its panel (the first furniture) is taller.
    bt.as_of.clear();
    map::DrawList list2;
    const auto without = fx.compose(synthetic_incidents(), view, list2, bt);
    CHECK(without.title_lines.size() == 2);
    CHECK(with.furniture.front().y1 > without.furniture.front().y1 + 10);
}

TEST_CASE("briefing: an approximate claim boundary is dashed, and the legend says how far off",
          "[briefing][claims]") {
    core::Basemap b = limes_test::synthetic_basemap();
    REQUIRE(b.claims.size() == 2);
    b.claims[0].accuracy_m = 5000;  // a small-scale source: approximate
    b.claims[1].accuracy_m = 50;    // digitised: drawn solid
    b.claims[0].holder = "Armenia";  // two holders of their own colours: their outlines apart
    b.claims[1].holder = "Azerbaijan";
    auto same_colour = [](map::Rgba x, map::Rgba y) {
        return x.r == y.r && x.g == y.g && x.b == y.b;
    };
    const map::Scene scene(b);
    const map::View view =
        fit(scene.min_x(), scene.min_y(), scene.max_x(), scene.max_y(), 1600, 1000);
    const map::DrawList list = scene.draw({}, view);
    int dashed = 0, solid = 0;
    for (const map::LineBatch& l : list.lines) {
        const bool claim0 = same_colour(l.color, map::holder_color("Armenia"));
        const bool claim1 = same_colour(l.color, map::holder_color("Azerbaijan"));
        if (claim0 && l.dash_px == map::kApproxDashPx && l.gap_px == map::kApproxGapPx) ++dashed;
        if (claim1 && l.dash_px == 0) ++solid;
        CHECK_FALSE((claim1 && l.dash_px > 0));
    }
    CHECK(dashed == 1);
    CHECK(solid == 1);
    map::TextEngine text;
    map::DrawList furniture;
    const auto layout = map::compose_briefing(scene, {}, view, {}, text, furniture);
    const auto& e = layout.legend_entries;
    CHECK(std::count(e.begin(), e.end(), "Claim boundary approximate (up to 5 km off)") == 1);
    // Neither approximate: no such entry.
    b.claims[0].accuracy_m = 100;
    const map::Scene exact(b);
    map::DrawList furniture2;
    const auto layout2 = map::compose_briefing(exact, {}, view, {}, text, furniture2);
    for (const auto& entry : layout2.legend_entries)
        CHECK(entry.find("approximate") == std::string::npos);
}
