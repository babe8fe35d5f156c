// The window's features beyond panning, zooming, hovering, filtering and the incident form
// (test_viewer.cpp): the measure tool, the inspector and its cycling through stacked symbols,
// undo and redo, the Layers panel, timeline playback, the incident table's sort and fly-to,
// the Claims panel and Edit > Draw claim, F to fit, and View > Symbols / Clusters / Heatmap.
// Same harness: the real binary under xvfb-run at 1280x720, its per-frame JSON log and its
// georeferenced screenshots.
//
// Where an expected value can come from elsewhere than limes, it does: lon/lat of pixels
// through OGR and the screenshot's CRS, distances through PROJ's geod_inverse, claim
// geometries through OGR. Positions of panels, menu items and table rows were located on
// screenshots of the window at 1280x720 (no imgui.ini: the layout of src/ui/panels.cpp):
//   menu bar y 11: File x 20, Edit x 57, View x 97; menu items at x 120, one per 20 px from
//     y 38 (Edit: Undo 38, Redo 58, then a separator: Add incident 82, Draw claim 102;
//     View: Fit 38, Symbols 58, Clusters 78, Heatmap 98, Automatic 118;
//     View, after a separator: Side bar 142, Panels 162);
//   the side bar's tabs, its Layers and Filters rows, the Timeline and the incident form:
//     viewer_support.hpp (kTab*, layer_row_y, kPlay, form_field, ...);
//   Draw claim window: name y 101, claimant y 127, holder y 153 (fields at x 425), Finish
//     (438, 257).
#include <catch2/catch.hpp>

#include <geodesic.h>
#include <ogrsf_frmts.h>

#include <array>
#include <functional>
#include <map>
#include <optional>
#include <set>

#include "geo/ops/stats.hpp"
#include "map/camera.hpp"
#include "map/scene.hpp"
#include "map/stacks.hpp"
#include "viewer_support.hpp"

using namespace limes;
using namespace limes_viewer;

namespace {

// Menu scripts (see the file comment).
std::vector<std::string> menu(int menu_x, int item_y) {
    return {"click " + std::to_string(menu_x) + " 11", "wait 2",
            "click 120 " + std::to_string(item_y), "wait 2"};
}
const auto kViewSymbols = menu(97, 58), kViewClusters = menu(97, 78), kViewHeatmap = menu(97, 98),
           kViewAutomatic = menu(97, 118), kEditUndo = menu(57, 38), kEditRedo = menu(57, 58),
           kEditDrawClaim = menu(57, 102);

// Two clicks within ImGui's 0.3 s (18 replayed frames) and 6 px make a double-click (a zoom
// on the map): repeated clicks here land on spots more than 6 px apart.

/** The screenshot's CRS (the .aux.xml GDAL reads) to and from WGS84 lon/lat, through OGR. */
struct Crs {
    OGRSpatialReference srs, wgs;
    std::unique_ptr<OGRCoordinateTransformation> to_lonlat, to_map;

    explicit Crs(const std::string& png) {
        geo::ensure_gdal();
        GDALDatasetUniquePtr ds(GDALDataset::Open(png.c_str(), GDAL_OF_RASTER));
        REQUIRE(ds);
        REQUIRE(ds->GetSpatialRef());
        srs = *ds->GetSpatialRef();
        srs.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
        wgs.SetWellKnownGeogCS("WGS84");
        wgs.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
        to_lonlat.reset(OGRCreateCoordinateTransformation(&srs, &wgs));
        to_map.reset(OGRCreateCoordinateTransformation(&wgs, &srs));
        REQUIRE(to_lonlat);
        REQUIRE(to_map);
    }
    void lonlat(double x, double y, double& lon, double& lat) const {
        lon = x, lat = y;
        REQUIRE(to_lonlat->Transform(1, &lon, &lat));
    }
    void map(double lon, double lat, double& x, double& y) const {
        x = lon, y = lat;
        REQUIRE(to_map->Transform(1, &x, &y));
    }
};

/** lon/lat under window pixel (px, py) of a view (the mouse position is the pixel's corner,
 *  as ImGui reports it). */
void pixel_lonlat(const Crs& crs, const ViewState& v, double px, double py, double& lon,
                  double& lat) {
    double x, y;
    pixel_to_map(v, px, py, x, y);
    crs.lonlat(x, y, lon, lat);
}

/** A claim of the workspace read through OGR, its geometry in the map CRS. */
struct ClaimShape {
    long long fid = 0;
    std::string name;
    std::unique_ptr<OGRGeometry> map_geom;  ///< in the screenshot's CRS
    std::unique_ptr<OGRGeometry> map_boundary;
    std::unique_ptr<OGRGeometry> lonlat_geom;  ///< WGS84 lon/lat
    std::optional<core::Date> valid_from, valid_to;
    /** Whether the map draws it as of day (an ISO date from the replay log's as_of). */
    bool drawn_on(const std::string& day) const {
        return core::valid_on(valid_from, valid_to, *core::parse_date(day));
    }
};

std::vector<ClaimShape> read_claims(const std::string& ws, const Crs& crs) {
    geo::ensure_gdal();
    GDALDatasetUniquePtr ds(GDALDataset::Open(ws.c_str(), GDAL_OF_VECTOR));
    REQUIRE(ds);
    OGRLayer* layer = ds->GetLayerByName("claims");
    REQUIRE(layer);
    OGRSpatialReference layer_srs;
    if (layer->GetSpatialRef())
        layer_srs = *layer->GetSpatialRef();
    else
        layer_srs.SetWellKnownGeogCS("WGS84");
    layer_srs.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
    std::unique_ptr<OGRCoordinateTransformation> to_map(
        OGRCreateCoordinateTransformation(&layer_srs, &crs.srs)),
        to_ll(OGRCreateCoordinateTransformation(&layer_srs, &crs.wgs));
    REQUIRE(to_map);
    REQUIRE(to_ll);
    std::vector<ClaimShape> out;
    for (auto& f : *layer) {
        ClaimShape c;
        c.fid = f->GetFID();
        c.name = f->GetFieldAsString("name");
        for (auto [field, member] : {std::pair{"valid_from", &ClaimShape::valid_from},
                                     std::pair{"valid_to", &ClaimShape::valid_to}})
            if (f->IsFieldSetAndNotNull(f->GetFieldIndex(field)))
                c.*member = core::parse_date(f->GetFieldAsString(field));
        REQUIRE(f->GetGeometryRef());
        c.map_geom.reset(f->GetGeometryRef()->clone());
        REQUIRE(c.map_geom->transform(to_map.get()) == OGRERR_NONE);
        // Parts that touch at a vertex in lon/lat may overlap by round-off once projected;
        // GEOS's point tests are undefined on an invalid geometry: repair (as the renderer's
        // triangulation does not need to).
        if (!c.map_geom->IsValid()) c.map_geom.reset(c.map_geom->MakeValid());
        REQUIRE(c.map_geom);
        c.map_boundary.reset(c.map_geom->Boundary());
        REQUIRE(c.map_boundary);
        c.lonlat_geom.reset(f->GetGeometryRef()->clone());
        REQUIRE(c.lonlat_geom->transform(to_ll.get()) == OGRERR_NONE);
        out.push_back(std::move(c));
    }
    return out;
}

/** Map CRS point at the centre of image pixel (i, j) of a screenshot. */
void pixel_centre_map(const Shot& s, int i, int j, double& x, double& y) {
    x = s.gt[0] + (i + 0.5) * s.gt[1];
    y = s.gt[3] + (j + 0.5) * s.gt[5];
}

int colour_distance(map::Rgba a, map::Rgba b) {
    return std::abs(a.r - b.r) + std::abs(a.g - b.g) + std::abs(a.b - b.b);
}

/** c at alpha a (0..255) over b, as GL blends a translucent fill. */
map::Rgba over(map::Rgba c, int a, map::Rgba b) {
    auto mix = [a](int x, int y) {
        return static_cast<std::uint8_t>(std::lround((x * a + y * (255 - a)) / 255.0));
    };
    return {mix(c.r, b.r), mix(c.g, b.g), mix(c.b, b.b), 255};
}

bool near_colour(map::Rgba a, map::Rgba b, int tol) {
    return std::abs(a.r - b.r) <= tol && std::abs(a.g - b.g) <= tol && std::abs(a.b - b.b) <= tol;
}

/** Probe pixels on a grid over the open map (clear of the panels, the banner at the top
 *  and the status line). */
std::vector<std::pair<int, int>> map_probes(int step) {
    std::vector<std::pair<int, int>> out;
    for (int y = 56; y <= 528; y += step)
        for (int x = 12; x <= 832; x += step) out.push_back({x, y});
    return out;
}

std::string range_of(const json& f, int k) {
    return f["range"][k].get<std::string>();
}

/** The three days the default workspace's incidents span (the playback tests expect that),
 *  as ISO dates: first, second, last. */
std::array<std::string, 3> three_days(const std::vector<core::Incident>& incs) {
    REQUIRE(!incs.empty());
    std::int32_t first = incs[0].event_date.days, last = first;
    for (const auto& inc : incs) {
        first = std::min(first, inc.event_date.days);
        last = std::max(last, inc.event_date.days);
    }
    REQUIRE(last - first == 2);
    return {core::Date{first}.iso(), core::Date{first + 1}.iso(), core::Date{last}.iso()};
}

long count_on_or_between(const std::vector<core::Incident>& incs, const std::string& from,
                         const std::string& to) {
    return std::count_if(incs.begin(), incs.end(), [&](const core::Incident& i) {
        const std::string d = i.event_date.iso();
        return d >= from && d <= to;
    });
}

}  // namespace

// =============================================================================================
// 1. Measure

TEST_CASE("measure: two right-clicks show the geodesic distance, a third starts over",
          "[viewer][measure]") {
    const std::string dir = case_dir("measure");
    const int ax = 400, ay = 300, bx = 700, by = 500;
    // The cursor rests at b for both shots, so the status lines differ only by the measure.
    const std::vector<std::string> script = {"wait 2",
                                             at("click", ax, ay, "right"),
                                             at("move", bx, by),
                                             "wait 2",
                                             "screenshot one.png",
                                             at("click", bx, by, "right"),
                                             "wait 2",
                                             "screenshot two.png",
                                             at("click", 600, 200, "right"),
                                             at("move", bx, by),
                                             "wait 2",
                                             "screenshot three.png",
                                             at("click", ax, ay, "right"),
                                             "wait 2",
                                             "key escape",
                                             "wait 2"};
    const std::size_t one = frames(dir, {script.begin(), script.begin() + 5}) - 1;
    const std::size_t two = frames(dir, {script.begin(), script.begin() + 8}) - 1;
    const std::size_t three = frames(dir, {script.begin(), script.begin() + 12}) - 1;
    const std::size_t again = frames(dir, {script.begin(), script.begin() + 14}) - 1;
    const Run r = replay(dir, LIMES_DEFAULT_WS, script);
    INFO(r.output);
    REQUIRE(r.code == 0);
    REQUIRE(r.log.size() == frames(dir, script));
    const ViewState v = view_of(r.log[0]);
    CHECK(view_of(r.log.back()).cx == v.cx);  // right-clicks do not move the map

    // The two points: lon/lat of the clicked pixels, through OGR and the screenshot's CRS.
    const Crs crs(dir + "/two.png");
    double alon, alat, blon, blat;
    pixel_lonlat(crs, v, ax, ay, alon, alat);
    pixel_lonlat(crs, v, bx, by, blon, blat);
    CHECK(r.log[0]["measure"].empty());
    CHECK(r.log[0]["measured_km"].is_null());
    REQUIRE(r.log[one]["measure"].size() == 1);
    CHECK(r.log[one]["measured_km"].is_null());
    const json& m = r.log[two]["measure"];
    REQUIRE(m.size() == 2);
    CHECK(m[0][0].get<double>() == Approx(alon).margin(1e-7));
    CHECK(m[0][1].get<double>() == Approx(alat).margin(1e-7));
    CHECK(m[1][0].get<double>() == Approx(blon).margin(1e-7));
    CHECK(m[1][1].get<double>() == Approx(blat).margin(1e-7));
    // PROJ's geodesic on WGS84 (a sphere would be ~0.2 % off: the tolerance is 1 m).
    geod_geodesic g;
    geod_init(&g, 6378137.0, 1 / 298.257223563);
    double s12 = 0;
    geod_inverse(&g, alat, alon, blat, blon, &s12, nullptr, nullptr);
    INFO("geod_inverse: " << s12 / 1000 << " km");
    REQUIRE(r.log[two]["measured_km"].is_number());
    CHECK(r.log[two]["measured_km"].get<double>() == Approx(s12 / 1000).margin(1e-3));
    CHECK(s12 / 1000 > 100);  // about 121 km across this view
    // A third right-click starts a new measure, from its point; escape clears it.
    double clon, clat, s_ca = 0;
    pixel_lonlat(crs, v, 600, 200, clon, clat);
    REQUIRE(r.log[three]["measure"].size() == 1);
    CHECK(r.log[three]["measure"][0][0].get<double>() == Approx(clon).margin(1e-7));
    CHECK(r.log[three]["measure"][0][1].get<double>() == Approx(clat).margin(1e-7));
    CHECK(r.log[three]["measured_km"].is_null());
    geod_inverse(&g, clat, clon, alat, alon, &s_ca, nullptr, nullptr);
    REQUIRE(r.log[again]["measure"].size() == 2);
    REQUIRE(r.log[again]["measured_km"].is_number());
    CHECK(r.log[again]["measured_km"].get<double>() == Approx(s_ca / 1000).margin(1e-3));
    CHECK(r.log.back()["measure"].empty());
    CHECK(r.log.back()["measured_km"].is_null());

    // On screen: the status line grows by "measured ... km (geodesic)" (dark text on its
    // white band, right of the scale text), and the line between the points is drawn.
    const Shot s1(dir + "/one.png"), s2(dir + "/two.png"), s3(dir + "/three.png");
    auto status_ink = [](const Shot& s) {
        long n = 0;
        for (int y = kH - 20; y < kH - 2; ++y)
            for (int x = 400; x < 760; ++x)
                if (colour_distance(s.at(x, y), {255, 255, 255, 255}) > 150) ++n;
        return n;
    };
    const long ink1 = status_ink(s1), ink2 = status_ink(s2), ink3 = status_ink(s3);
    INFO("status line ink right of x 400: " << ink1 << " one point, " << ink2 << " two, " << ink3
                                            << " after");
    CHECK(ink2 > 200);
    CHECK(ink1 < 20);
    CHECK(ink3 < 20);
    int dark_on_line = 0, dark_before = 0;
    for (double t : {0.2, 0.35, 0.5, 0.65, 0.8}) {
        const double px = ax + t * (bx - ax), py = ay + t * (by - ay);
        dark_on_line += s2.colour_near(px, py, {20, 20, 20, 255}, 1, 30);
        dark_before += s1.colour_near(px, py, {20, 20, 20, 255}, 1, 30);
    }
    CHECK(dark_on_line >= 4);
    CHECK(dark_before <= 1);
}

// =============================================================================================
// 2. Stacks: a badge with the count, a click fans the stack out, each symbol opens the inspector

TEST_CASE(
    "inspector: a stack shows its count, a click fans it out, each fanned symbol opens the "
    "inspector on its incident, Escape and a click elsewhere fold it",
    "[viewer][inspector][stacks]") {
    const std::string dir = case_dir("inspector");
    const ViewState v = initial_view(dir);
    const auto incs = default_incidents();
    geo::Projector proj;
    // The largest stack of incidents at one point (Jermuk in the default workspace) with
    // nothing else within 14 px: its count is the number of incidents at that point.
    std::map<std::pair<double, double>, std::vector<std::string>> stacks;
    for (const auto& inc : incs) stacks[{inc.lon, inc.lat}].push_back(inc.event_id_cnty);
    double best_px = 0, best_py = 0;
    std::vector<std::string> stack;
    for (const auto& [ll, ids] : stacks) {
        double px, py;
        incident_pixel(proj, v, ll.first, ll.second, px, py);
        if (!in_map_area(px, py) || ids.size() <= stack.size()) continue;
        // A copy of the binding: C++17 lambdas cannot capture structured bindings (GCC lets
        // them; clang, which builds the sanitizer stage, does not).
        const std::pair<double, double> at = ll;
        const bool alone = nothing_near(incs, proj, v, px, py, [&](const core::Incident& inc) {
            return inc.lon == at.first && inc.lat == at.second;
        });
        if (alone) stack = ids, best_px = px, best_py = py;
    }
    REQUIRE(stack.size() >= 3);
    const std::set<std::string> stack_ids(stack.begin(), stack.end());
    INFO("stack of " << stack.size() << " at " << best_px << "," << best_py);

    // Run 1: hover the stack (its tooltip), click it (the fan), a screenshot of each.
    std::vector<std::string> script = {"wait 2", "screenshot folded.png"};
    append(script, {at("move", best_px + 2, best_py), "wait 3"});
    const std::size_t hovering = frames(dir, script) - 1;
    append(script, {at("click", best_px, best_py), "wait 3", "screenshot fanned.png"});
    const std::size_t fanned = frames(dir, script) - 1;
    const Run r1 = replay(dir, LIMES_DEFAULT_WS, script);
    INFO(r1.output);
    REQUIRE(r1.code == 0);
    REQUIRE(r1.log.size() == frames(dir, script));

    // The badge: in the log with the count at the stack's projected point, and drawn there
    // (dark disc, white digits) where nothing dark was at the point before.
    bool badge_logged = false;
    for (const auto& b : r1.log[1]["stacks"])
        if (std::hypot(b[0].get<double>() - best_px, b[1].get<double>() - best_py) < 1.5)
            badge_logged = b[2].get<std::size_t>() == stack.size();
    CHECK(badge_logged);
    {
        const Shot folded(dir + "/folded.png");
        int dark = 0, white = 0;
        for (int dy = -6; dy <= 6; ++dy)
            for (int dx = -6; dx <= 6; ++dx) {
                const map::Rgba c =
                    folded.at(static_cast<int>(best_px) + dx, static_cast<int>(best_py) + dy);
                dark += colour_distance(c, map::kBadgeFill) < 25;
                if (std::hypot(dx, dy) <= 4) white += c.r > 215 && c.g > 215 && c.b > 215;
            }
        INFO("badge pixels: " << dark << " dark, " << white << " white within 4 px");
        CHECK(dark >= 40);
        CHECK(white >= 4);
    }
    // The tooltip over the folded stack says how many.
    CHECK(r1.log[hovering]["stack_tooltip"] == stack.size());
    CHECK(r1.log[hovering]["hovered"].is_null());

    // The fan: every incident of the stack, each at its own place around the point.
    const json& fan = r1.log[fanned]["fan"];
    REQUIRE(fan.is_object());
    REQUIRE(fan["ids"].size() == stack.size());
    REQUIRE(fan["positions"].size() == stack.size());
    CHECK(std::set<std::string>(fan["ids"].begin(), fan["ids"].end()) == stack_ids);
    CHECK(r1.log[fanned]["selected"].is_null());
    CHECK(view_of(r1.log[fanned]).upp == v.upp);  // no zoom
    std::vector<std::pair<double, double>> at_px;
    for (const auto& p : fan["positions"])
        at_px.push_back({p[0].get<double>(), p[1].get<double>()});
    const Shot folded(dir + "/folded.png"), spread(dir + "/fanned.png");
    for (std::size_t k = 0; k < at_px.size(); ++k) {
        const auto [x, y] = at_px[k];
        CHECK(std::hypot(x - best_px, y - best_py) >= 10);  // clear of the badge
        for (std::size_t l = 0; l < k; ++l)
            CHECK(std::hypot(x - at_px[l].first, y - at_px[l].second) >= 9);
        // A symbol is drawn there now that was not before.
        CHECK(colour_distance(spread.at(static_cast<int>(x), static_cast<int>(y)),
                              folded.at(static_cast<int>(x), static_cast<int>(y))) > 40);
    }

    // Run 2: the same, then a click on each fanned symbol in turn, Escape, the stack again and
    // a click on the open map.
    std::vector<std::size_t> after_click;
    for (const auto& [x, y] : at_px) {
        append(script, {at("click", x, y), "wait 3"});
        after_click.push_back(frames(dir, script) - 1);
    }
    append(script, {"key escape", "wait 2"});
    const std::size_t escaped = frames(dir, script) - 1;
    append(script, {at("click", best_px, best_py), "wait 3"});
    const std::size_t again = frames(dir, script) - 1;
    append(script, {"click 560 560", "wait 2"});
    const std::size_t elsewhere = frames(dir, script) - 1;
    // Fanned once more, then a pan (a drag on the open map) folds it, and so does a zoom.
    append(script, {at("click", best_px, best_py), "wait 3"});
    const std::size_t third = frames(dir, script) - 1;
    append(script, {"drag 560 560 600 540 4", "wait 2"});
    const std::size_t panned = frames(dir, script) - 1;
    // Fanned where the pan put it (40 px right, 20 up), then a zoom (the + key) folds it.
    append(script, {at("click", best_px + 40, best_py - 20), "wait 3"});
    const std::size_t fourth = frames(dir, script) - 1;
    append(script, {"key plus", "wait 3"});
    const std::size_t zoomed = frames(dir, script) - 1;
    const Run r = replay(dir, LIMES_DEFAULT_WS, script);
    INFO(r.output);
    REQUIRE(r.code == 0);
    REQUIRE(r.log.size() == frames(dir, script));
    REQUIRE(r.log[fanned]["fan"] == fan);  // the same fan as in run 1
    std::set<std::string> opened;
    for (std::size_t k = 0; k < after_click.size(); ++k) {
        const json& f = r.log[after_click[k]];
        INFO("click on fanned symbol " << k);
        REQUIRE(f["selected"].is_string());
        CHECK(f["selected"] == fan["ids"][k]);  // the incident of that symbol
        CHECK(f["sidebar_open"] == true);       // the inspector is in the side bar
        CHECK(f["fan"].is_object());            // the fan stays open
        CHECK(view_of(f).upp == v.upp);         // no double-click zoom
        opened.insert(f["selected"].get<std::string>());
    }
    CHECK(opened == stack_ids);  // all N distinct
    CHECK(r.log[escaped]["fan"].is_null());
    CHECK(r.log[again]["fan"].is_object());
    CHECK(r.log[elsewhere]["fan"].is_null());
    CHECK(r.log[elsewhere]["selected"].is_null());
    CHECK(r.log[third]["fan"].is_object());
    CHECK(view_of(r.log[panned]).cx != view_of(r.log[third]).cx);  // it did pan
    CHECK(r.log[panned]["fan"].is_null());
    CHECK(r.log[fourth]["fan"].is_object());
    CHECK(view_of(r.log[zoomed]).upp < view_of(r.log[fourth]).upp);  // it did zoom
    CHECK(r.log[zoomed]["fan"].is_null());
}

// =============================================================================================
// 3. Undo and redo

namespace {
/** Edit > Add incident, a click at (px, py), the form with a location and OK. */
std::vector<std::string> add_at(int px, int py, const std::string& location) {
    std::vector<std::string> s = add_incident_script(px, py, location);
    s.erase(s.begin());  // its leading wait
    return s;
}
}  // namespace

TEST_CASE("undo/redo: ctrl+z takes edits back in reverse order, ctrl+y and Edit > Redo redo them",
          "[viewer][edit][undo]") {
    const std::string dir = case_dir("undo");
    const std::string ws = copy_default_ws(dir);
    const std::size_t before = geo::Workspace::open(ws).read_incidents().size();
    std::vector<std::string> script = {"wait 2"};
    append(script, add_at(560, 480, "Firstville"));
    append(script, add_at(760, 200, "Secondville"));
    script.push_back("screenshot two_added.png");
    const std::size_t added = frames(dir, script) - 1;
    append(script, {"key ctrl+z", "wait 2"});
    const std::size_t undone1 = frames(dir, script) - 1;
    append(script, kEditUndo);  // the second undo through the menu
    script.push_back("screenshot none_added.png");
    const std::size_t undone2 = frames(dir, script) - 1;
    append(script, {"key ctrl+z", "wait 2"});  // nothing left to undo
    const std::size_t extra_undo = frames(dir, script) - 1;
    append(script, {"key ctrl+y", "wait 2", "screenshot redone.png"});
    const std::size_t redone1 = frames(dir, script) - 1;
    append(script, kEditRedo);
    const std::size_t redone2 = frames(dir, script) - 1;
    append(script, {"key ctrl+z", "wait 2", "key ctrl+s", "wait 3"});
    // Labels off: the probes look at symbols and fills that map labels may cover.
    const Run r = replay(dir, ws, script, "", "--labels off");
    INFO(r.output);
    REQUIRE(r.code == 0);
    REQUIRE(r.log.size() == frames(dir, script));
    auto state = [&](std::size_t f) {
        return std::to_string(r.log[f]["incidents"].get<long>() - static_cast<long>(before)) +
               " added, undo " + std::to_string(r.log[f]["undo"].get<int>()) + ", redo " +
               std::to_string(r.log[f]["redo"].get<int>());
    };
    CHECK(state(added) == "2 added, undo 2, redo 0");
    CHECK(state(undone1) == "1 added, undo 1, redo 1");
    CHECK(state(undone2) == "0 added, undo 0, redo 2");
    CHECK(state(extra_undo) == "0 added, undo 0, redo 2");
    CHECK(state(redone1) == "1 added, undo 1, redo 1");
    CHECK(state(redone2) == "2 added, undo 2, redo 0");
    CHECK(state(r.log.size() - 1) == "1 added, undo 1, redo 1");
    CHECK(r.log.back()["dirty"] == false);
    CHECK(r.log.back()["message"] == "saved " + std::to_string(before + 1) + " incidents");

    // The symbols (Protests: blue squares) go with the undo and come back with the redo.
    const map::Rgba blue = map::style_for_type("Protests").fill;
    const Shot two(dir + "/two_added.png"), none(dir + "/none_added.png"), one(dir + "/redone.png");
    // Within 5 px at 560, 480: it stacks with an incident 7 px away, whose count badge
    // covers the middle of the square.
    CHECK(two.colour_near(560, 480, blue, 5, 24));
    CHECK(two.colour_near(760, 200, blue, 1, 24));
    CHECK_FALSE(none.colour_near(560, 480, blue, 3, 24));
    CHECK_FALSE(none.colour_near(760, 200, blue, 3, 24));
    CHECK(one.colour_near(560, 480, blue, 5, 24));  // the first edit is redone first
    CHECK_FALSE(one.colour_near(760, 200, blue, 3, 24));

    // Saved after the last undo: the first incident only.
    const auto saved = geo::Workspace::open(ws).read_incidents();
    CHECK(saved.size() == before + 1);
    std::set<std::string> locations;
    for (const auto& inc : saved) locations.insert(inc.location);
    CHECK(locations.count("Firstville") == 1);
    CHECK(locations.count("Secondville") == 0);
}

// =============================================================================================
// 4. Layers panel

TEST_CASE(
    "layers: hiding claims or setting their opacity to 0 removes their fill, moving them "
    "first puts them under the other layers",
    "[viewer][layers][release]") {
    const std::string dir = case_dir("layers");
    // The layer order from a first frame, to find the claims' row.
    const Run probe = replay(dir, LIMES_DEFAULT_WS, {"wait 1"});
    REQUIRE(probe.code == 0);
    const json& layers0 = probe.log.at(0)["layers"];
    int row = -1;
    for (std::size_t i = 0; i < layers0.size(); ++i)
        if (layers0[i]["name"] == "claims") row = static_cast<int>(i);
    REQUIRE(row >= 2);  // moved up twice below
    const int y = layer_row_y(row);
    const std::string ys = std::to_string(y);
    std::vector<std::string> script = {"wait 2"};
    append(script, kTabLayers);
    append(script, {"screenshot shown.png", "click 864 " + ys, "wait 2", "screenshot hidden.png"});
    const std::size_t hidden_f = frames(dir, script) - 1;
    append(script, {"click 864 " + ys, "wait 2", "drag 1020 " + ys + " 900 " + ys, "wait 2",
                    "screenshot faded.png"});
    const std::size_t faded_f = frames(dir, script) - 1;
    // Opacity back to 1 (drag right past the slider's end), then the up arrow twice.
    append(script, {"drag 960 " + ys + " 1200 " + ys, "wait 2", "click 909 " + ys, "wait 2",
                    "click 909 " + std::to_string(y - 26), "wait 2", "screenshot first.png"});
    // Labels off: the probes look at symbols and fills that map labels may cover.
    const Run r = replay(dir, LIMES_DEFAULT_WS, script, "", "--labels off");
    INFO(r.output);
    REQUIRE(r.code == 0);
    REQUIRE(r.log.size() == frames(dir, script));
    auto claims_layer = [&](std::size_t f) {
        for (std::size_t i = 0; i < r.log[f]["layers"].size(); ++i)
            if (r.log[f]["layers"][i]["name"] == "claims")
                return std::make_pair(static_cast<int>(i), r.log[f]["layers"][i]);
        FAIL("no claims layer");
        return std::make_pair(-1, json());
    };
    CHECK(claims_layer(3).second["visible"] == true);
    CHECK(claims_layer(hidden_f).second["visible"] == false);
    CHECK(claims_layer(faded_f).second["visible"] == true);
    CHECK(claims_layer(faded_f).second["opacity"].get<double>() == 0.0);
    const auto [final_row, final_claims] = claims_layer(r.log.size() - 1);
    CHECK(final_row == row - 2);
    CHECK(final_claims["opacity"].get<double>() == 1.0);
    CHECK(final_claims["visible"] == true);
    CHECK(r.log.back()["layers"].size() == layers0.size());

    // Pixel probes over the open map, classified by the claims (OGR, in the map CRS): well
    // inside one (4 px from its edges) or well outside all of them.
    const Shot shown(dir + "/shown.png"), hidden(dir + "/hidden.png"), faded(dir + "/faded.png"),
        first(dir + "/first.png");
    const Crs crs(dir + "/shown.png");
    // The claims drawn on the day the map shows (as of the timeline's end).
    auto claims = read_claims(LIMES_DEFAULT_WS, crs);
    const std::string as_of = r.log[3]["as_of"].get<std::string>();
    claims.erase(std::remove_if(claims.begin(), claims.end(),
                                [&](const ClaimShape& c) { return !c.drawn_on(as_of); }),
                 claims.end());
    REQUIRE(claims.size() >= 3);
    const double margin = 4 * shown.gt[1];
    // Each claim's extent, once: outside it grown by the margin a probe is neither in nor
    // near the claim (the GEOS distance below for every probe and claim was most of this
    // test's time).
    std::vector<OGREnvelope> extents(claims.size());
    for (std::size_t k = 0; k < claims.size(); ++k) claims[k].map_geom->getEnvelope(&extents[k]);
    long inside = 0, outside = 0, inside_changed = 0, outside_same = 0, faded_as_hidden = 0,
         first_changed = 0, first_outside_same = 0;
    for (const auto& probe : map_probes(6)) {
        const int px = probe.first, py = probe.second;  // not a structured binding: captured below
        double x, yy;
        pixel_centre_map(shown, px, py, x, yy);
        OGRPoint pt(x, yy);
        bool in = false, near = false;
        for (std::size_t k = 0; k < claims.size(); ++k) {
            const ClaimShape& c = claims[k];
            const OGREnvelope& e = extents[k];
            if (x < e.MinX - margin || x > e.MaxX + margin || yy < e.MinY - margin ||
                yy > e.MaxY + margin)
                continue;
            const double d = c.map_boundary->Distance(&pt);
            if (d < margin)
                near = true;
            else if (c.map_geom->Contains(&pt))
                in = true;
        }
        if (near) continue;
        const map::Rgba a = shown.at(px, py), h = hidden.at(px, py), f = faded.at(px, py),
                        o = first.at(px, py);
        faded_as_hidden += colour_distance(f, h) <= 6;
        if (in) {
            // A claim held by someone other than its sovereign is drawn hatched: between the
            // hatch lines (8 px apart) the ground shows through. Changed: anywhere within the
            // 4 px the probe keeps from the claim's edges.
            auto changed = [&](const Shot& x, const Shot& y) {
                for (int dy = -4; dy <= 4; ++dy)
                    for (int dx = -4; dx <= 4; ++dx)
                        if (colour_distance(x.at(px + dx, py + dy), y.at(px + dx, py + dy)) > 20)
                            return true;
                return false;
            };
            ++inside;
            inside_changed += changed(shown, hidden);
            first_changed += changed(first, shown);
        } else {
            ++outside;
            outside_same += colour_distance(a, h) <= 6;
            first_outside_same += colour_distance(o, a) <= 6;
        }
    }
    INFO(inside << " probes inside claims (" << inside_changed << " changed when hidden, "
                << first_changed << " when moved first), " << outside << " outside ("
                << outside_same << " unchanged when hidden, " << first_outside_same
                << " when moved first), " << faded_as_hidden << " at opacity 0 as hidden");
    REQUIRE(inside >= 100);
    REQUIRE(outside >= 1000);
    CHECK(inside_changed >= inside * 9 / 10);
    CHECK(outside_same >= outside * 995 / 1000);
    CHECK(faded_as_hidden >= (inside + outside) * 995 / 1000);
    CHECK(first_changed >= inside * 9 / 10);
    CHECK(first_outside_same >= outside * 995 / 1000);
}

// =============================================================================================
// 5. Timeline

namespace {
/** The first frame from `from` on that pred accepts, or the log's size. */
}  // namespace

TEST_CASE(
    "timeline: play slides a one-day window day by day at 2 days/s, pause holds it, and it "
    "stops at the end",
    "[viewer][timeline]") {
    const std::string dir = case_dir("timeline-play");
    const auto incs = default_incidents();
    const auto days = three_days(incs);
    const std::string &d0 = days[0], &d1 = days[1], &d2 = days[2];
    // The "to" field dragged far left: clamped to "from", the range is the first day.
    std::vector<std::string> script = {"wait 2", kNarrowToFirstDay, "wait 2", kPlay,    "wait 40",
                                       kPlay,    "wait 12",         kPlay,    "wait 60"};
    const Run r = replay(dir, LIMES_DEFAULT_WS, script);
    INFO(r.output);
    REQUIRE(r.code == 0);
    REQUIRE(r.log.size() == frames(dir, script));
    REQUIRE(r.log[0]["range"] == json::array({d0, d2}));
    CHECK(r.log[0]["playing"] == false);
    CHECK(r.log[0]["days_per_second"].get<double>() == 2.0);
    CHECK(r.log[0]["cumulative"] == false);
    const std::size_t p = first_frame(r, 0, [](const json& f) { return f["playing"] == true; });
    REQUIRE(p < r.log.size());
    CHECK(r.log[p - 1]["range"] == json::array({d0, d0}));
    // 2 days/s at 60 replayed frames a second: the next day 30 frames after Play.
    const std::size_t day2 = first_frame(r, p, [&](const json& f) { return range_of(f, 1) != d0; });
    INFO("play at frame " << p << ", next day at " << day2);
    CHECK(day2 >= p + 27);
    CHECK(day2 <= p + 31);
    CHECK(r.log[day2]["range"] == json::array({d1, d1}));  // the window slides
    CHECK(r.log[day2]["visible"] == count_on_or_between(incs, d1, d1));
    // Pause: nothing moves for 12 frames.
    const std::size_t paused =
        first_frame(r, p, [](const json& f) { return f["playing"] == false; });
    REQUIRE(paused < day2 + 25);
    CHECK(paused > day2);
    for (std::size_t f = paused; f < paused + 12; ++f) {
        CHECK(r.log[f]["playing"] == false);
        CHECK(r.log[f]["range"] == r.log[paused]["range"]);
    }
    // Play again: the last day, then it stops by itself and stays there.
    const std::size_t again =
        first_frame(r, paused, [](const json& f) { return f["playing"] == true; });
    REQUIRE(again < r.log.size());
    const std::size_t day3 =
        first_frame(r, again, [&](const json& f) { return range_of(f, 1) == d2; });
    INFO("played again at " << again << ", last day at " << day3);
    REQUIRE(day3 < r.log.size());
    CHECK(day3 <= again + 31);
    CHECK(r.log[day3]["range"] == json::array({d2, d2}));
    CHECK(r.log[day3]["visible"] == count_on_or_between(incs, d2, d2));
    CHECK(r.log.back()["playing"] == false);
    CHECK(r.log.back()["range"] == json::array({d2, d2}));
    for (std::size_t f = 0; f < r.log.size(); ++f) CHECK(range_of(r.log[f], 1) <= d2);
}

TEST_CASE("timeline: cumulative playback keeps the start and grows the range, at the speed set",
          "[viewer][timeline]") {
    const std::string dir = case_dir("timeline-cumulative");
    const auto incs = default_incidents();
    const auto days = three_days(incs);
    const std::string &d0 = days[0], &d1 = days[1], &d2 = days[2];
    // Narrowed to the first day, cumulative on, the speed slider clicked near its right end.
    std::vector<std::string> script = {"wait 2", kNarrowToFirstDay, "wait 2", "click 390 589",
                                       "wait 2", "click 170 589",   "wait 2", kPlay,
                                       "wait 20"};
    const Run r = replay(dir, LIMES_DEFAULT_WS, script);
    INFO(r.output);
    REQUIRE(r.code == 0);
    REQUIRE(r.log.size() == frames(dir, script));
    const std::size_t p = first_frame(r, 0, [](const json& f) { return f["playing"] == true; });
    REQUIRE(p < r.log.size());
    CHECK(r.log[p]["cumulative"] == true);
    const double speed = r.log[p]["days_per_second"].get<double>();
    INFO("speed " << speed << " days/s, play at frame " << p);
    REQUIRE(speed > 8);  // well above the default 2
    REQUIRE(speed <= 60);
    CHECK(r.log[p - 1]["range"] == json::array({d0, d0}));
    const std::size_t day2 = first_frame(r, p, [&](const json& f) { return range_of(f, 1) == d1; });
    const std::size_t day3 = first_frame(r, p, [&](const json& f) { return range_of(f, 1) == d2; });
    REQUIRE(day3 < r.log.size());
    // A day each 60 / speed frames (the frame of the click plays too).
    const double per_day = 60.0 / speed;
    CHECK(static_cast<double>(day2 - p + 1) == Approx(per_day).margin(1.5));
    CHECK(static_cast<double>(day3 - p + 1) == Approx(2 * per_day).margin(1.5));
    CHECK(r.log[day2]["range"] == json::array({d0, d1}));
    CHECK(r.log[day2]["visible"] == count_on_or_between(incs, d0, d1));
    CHECK(r.log[day3]["range"] == json::array({d0, d2}));
    CHECK(r.log[day3]["visible"] == static_cast<long>(incs.size()));
    for (std::size_t f = 0; f < r.log.size(); ++f) CHECK(range_of(r.log[f], 0) == d0);
    CHECK(r.log.back()["playing"] == false);
}

// =============================================================================================
// 6. Incident table

TEST_CASE(
    "table: sorting by location and by dead, a click on the top row selects it and flies to it",
    "[viewer][table]") {
    const std::string dir = case_dir("table");
    const auto incs = default_incidents();
    // Expected top rows: the smallest location (byte order; two rows share it, and the table
    // breaks ties in row order, as min_element does), and the most fatalities (descending:
    // the second click on the header), unique in the workspace.
    auto by_location = std::min_element(incs.begin(), incs.end(), [](const auto& a, const auto& b) {
        return a.location < b.location;
    });
    auto by_dead = std::max_element(incs.begin(), incs.end(), [](const auto& a, const auto& b) {
        return a.fatalities.value_or(-1) < b.fatalities.value_or(-1);
    });
    REQUIRE(std::count_if(incs.begin(), incs.end(),
                          [&](const auto& i) { return i.fatalities == by_dead->fatalities; }) == 1);
    // The dead header clicked twice, 40 px apart (no double-click).
    // Incidents tab: headers at y 112 (Date x 855..937, Fatalities 937..1011, Type 1011..1188,
    // Location from 1188), the first row at y 132.
    const std::vector<std::string> script = {"wait 2", "click 1230 112", "wait 2", "click 1000 132",
                                             "wait 3", "click 950 112",  "wait 2", "click 992 112",
                                             "wait 2", "click 1000 132", "wait 3"};
    const std::size_t first_pick = frames(dir, {script.begin(), script.begin() + 5}) - 1;
    const Run r = replay(dir, LIMES_DEFAULT_WS, script);
    INFO(r.output);
    REQUIRE(r.code == 0);
    REQUIRE(r.log.size() == frames(dir, script));
    geo::Projector proj;
    auto check_flown = [&](const json& f, const core::Incident& inc) {
        INFO(inc.event_id_cnty << " at " << inc.location);
        CHECK(f["selected"] == inc.event_id_cnty);
        double x, y;
        REQUIRE(proj.forward(inc.lon, inc.lat, x, y));
        const ViewState v = view_of(f);
        double ax, ay;  // the incident at the centre of the map's part of the window
        area_centre_map(f, ax, ay);
        CHECK(ax == Approx(x).margin(0.01));
        CHECK(ay == Approx(y).margin(0.01));
        CHECK(v.upp <= 120.0);
    };
    CHECK(r.log[1]["selected"].is_null());
    check_flown(r.log[first_pick], *by_location);
    check_flown(r.log.back(), *by_dead);
}

// =============================================================================================
// 7. Claims panel and Draw claim

/** Clicks the Claims panel's rows one after the other (3 frames apart) on a replay of ws; the
 *  run, the frame after each click, and the claims' shapes in the window's CRS. */
namespace {
struct ClaimFlights {
    Run run;
    std::vector<std::size_t> after;
    std::vector<ClaimShape> claims;
};
}  // namespace
ClaimFlights fly_to_claim_rows(const std::string& dir, const std::string& ws,
                               const std::vector<int>& rows) {
    ClaimFlights out;
    std::vector<std::string> script = {"wait 2", "screenshot start.png"};
    append(script, kTabClaims);  // rows from y 86, one per 20 px, x 900
    for (int k : rows) {
        append(script, {"click 900 " + std::to_string(86 + 20 * k), "wait 3"});
        out.after.push_back(frames(dir, script) - 1);
    }
    out.run = replay(dir, ws, script);
    INFO(out.run.output);
    REQUIRE(out.run.code == 0);
    REQUIRE(out.run.log.size() == frames(dir, script));
    out.claims = read_claims(ws, Crs(dir + "/start.png"));
    return out;
}

TEST_CASE("claims: a click on a claim in the Claims panel flies into it", "[viewer][claims]") {
    const std::string dir = case_dir("claims-fly");
    const auto listed = geo::compute_claim_stats(geo::Workspace::open(LIMES_DEFAULT_WS), {});
    REQUIRE(listed.size() >= 4);
    // Rows 0 (a small exclave) and 3 (a district), the panel listing the claims in this order.
    const std::vector<int> rows = {0, 3};
    const ClaimFlights flights = fly_to_claim_rows(dir, LIMES_DEFAULT_WS, rows);
    const Run& r = flights.run;
    const auto& after = flights.after;
    const auto& claims = flights.claims;
    CHECK(r.log[0]["claims"] == listed.size());
    for (std::size_t i = 0; i < rows.size(); ++i) {
        const auto& want = listed[static_cast<std::size_t>(rows[i])].claim;
        const ClaimShape* shape = nullptr;
        for (const auto& c : claims)
            if (c.fid == want.fid) shape = &c;
        REQUIRE(shape);
        INFO("row " << rows[i] << ": " << shape->name);
        CHECK(shape->name == want.name);
        const ViewState v = view_of(r.log[after[i]]);
        double ax, ay;  // the centre of the map's part of the window
        area_centre_map(r.log[after[i]], ax, ay);
        OGRPoint centre(ax, ay);
        CHECK(shape->map_geom->Contains(&centre));
        CHECK(v.upp <= 120.0);
        // The map shows it: the day lines and claims are drawn as of is one it holds (row 3,
        // the ground held under the 1994 ceasefire, is not drawn on the incidents' days).
        const std::string as_of = r.log[after[i]]["as_of"].get<std::string>();
        INFO("as of " << as_of);
        CHECK(shape->drawn_on(as_of));
        // Nothing else drawn that day contains that centre (the flight went to this claim).
        for (const auto& c : claims)
            if (c.fid != want.fid && c.drawn_on(as_of)) CHECK_FALSE(c.map_geom->Contains(&centre));
    }
}

TEST_CASE("claims: two claims with one name each fly to their own place", "[viewer][claims]") {
    // A copy of the default workspace in which claim row 3 takes row 0's name: the list and
    // the fly-to must keep them apart by id, not join them by name.
    const std::string dir = case_dir("claims-same-name");
    const std::string ws = copy_default_ws(dir);
    const auto listed = geo::compute_claim_stats(geo::Workspace::open(ws), {});
    REQUIRE(listed.size() >= 4);
    const core::Claim& first = listed[0].claim;
    const core::Claim& second = listed[3].claim;
    REQUIRE(first.name != second.name);
    geo::Workspace::open(ws).update_through_gdal([&](GDALDataset& ds) {
        OGRLayer* layer = ds.GetLayerByName("claims");
        REQUIRE(layer);
        OGRFeatureUniquePtr f(layer->GetFeature(second.fid));
        REQUIRE(f);
        f->SetField("name", first.name.c_str());
        REQUIRE(layer->SetFeature(f.get()) == OGRERR_NONE);
    });
    const std::vector<int> rows = {0, 3};
    const ClaimFlights flights = fly_to_claim_rows(dir, ws, rows);
    const Run& r = flights.run;
    const auto& after = flights.after;
    const auto& claims = flights.claims;
    REQUIRE(std::count_if(claims.begin(), claims.end(),
                          [&](const ClaimShape& c) { return c.name == first.name; }) == 2);
    const std::int64_t fids[] = {first.fid, second.fid};
    for (std::size_t i = 0; i < rows.size(); ++i) {
        INFO("row " << rows[i] << ", fid " << fids[i]);
        double ax, ay;  // the centre of the map's part of the window
        area_centre_map(r.log[after[i]], ax, ay);
        OGRPoint centre(ax, ay);
        const std::string as_of = r.log[after[i]]["as_of"].get<std::string>();
        for (const auto& c : claims) {
            INFO("claim fid " << c.fid << ", as of " << as_of);
            if (c.fid == fids[i])
                CHECK(c.map_geom->Contains(&centre));  // its own place
            else if (c.drawn_on(as_of))
                CHECK_FALSE(c.map_geom->Contains(&centre));  // not its namesake's
        }
    }
}

TEST_CASE("claims: Edit > Draw claim, four clicks and Finish store a claim with those vertices",
          "[viewer][claims][edit]") {
    const std::string dir = case_dir("claims-draw");
    const std::string ws = copy_default_ws(dir);
    const std::size_t before = geo::compute_claim_stats(geo::Workspace::open(ws), {}).size();
    const std::vector<std::pair<int, int>> pts = {{380, 330}, {560, 310}, {600, 470}, {420, 500}};
    std::vector<std::string> script = {"wait 2"};
    append(script, kEditDrawClaim);
    for (const auto& [x, y] : pts) append(script, {at("click", x, y), "wait 2"});
    script.push_back("screenshot drawing.png");
    const std::size_t drawn = frames(dir, script) - 1;
    append(script, {"click 425 101", "type Test claim", "click 425 127", "type limes test",
                    "click 425 153", "type Nobody", "wait 2", "click 438 257", "wait 3"});
    const Run r = replay(dir, ws, script);
    INFO(r.output);
    REQUIRE(r.code == 0);
    REQUIRE(r.log.size() == frames(dir, script));
    CHECK(r.log[drawn]["claims"] == before);
    CHECK(r.log.back()["claims"] == before + 1);
    CHECK(r.log.back()["message"] == "claim 'Test claim' added");
    const ViewState v = view_of(r.log[drawn]);
    CHECK(view_of(r.log.back()).upp == v.upp);  // no click was a double-click

    // While drawing: the vertices (magenta dots) where clicked.
    const Shot drawing(dir + "/drawing.png");
    for (const auto& [x, y] : pts) CHECK(drawing.colour_near(x, y, {200, 30, 120, 255}, 1, 30));

    // The workspace, through OGR: a new claim with the clicked points as its vertices.
    const Crs crs(dir + "/drawing.png");
    const auto claims = read_claims(ws, crs);
    REQUIRE(claims.size() == before + 1);
    const ClaimShape* added = nullptr;
    for (const auto& c : claims)
        if (c.name == "Test claim") added = &c;
    REQUIRE(added);
    {
        GDALDatasetUniquePtr ds(GDALDataset::Open(ws.c_str(), GDAL_OF_VECTOR));
        std::unique_ptr<OGRFeature> f(ds->GetLayerByName("claims")->GetFeature(added->fid));
        REQUIRE(f);
        CHECK(std::string(f->GetFieldAsString("claimant")) == "limes test");
        CHECK(std::string(f->GetFieldAsString("holder")) == "Nobody");
    }
    std::vector<std::pair<double, double>> vertices;
    const OGRGeometry* g = added->lonlat_geom.get();
    REQUIRE(wkbFlatten(g->getGeometryType()) == wkbMultiPolygon);
    const auto* mp = g->toMultiPolygon();
    REQUIRE(mp->getNumGeometries() == 1);
    const OGRLinearRing* ring = mp->getGeometryRef(0)->getExteriorRing();
    for (int i = 0; i + 1 < ring->getNumPoints(); ++i)
        vertices.push_back({ring->getX(i), ring->getY(i)});
    REQUIRE(vertices.size() == pts.size());
    for (const auto& [x, y] : pts) {
        double lon, lat;
        pixel_lonlat(crs, v, x, y, lon, lat);
        INFO("vertex clicked at " << x << "," << y << ": " << lon << " " << lat);
        CHECK(std::any_of(vertices.begin(), vertices.end(), [&](const auto& p) {
            return std::abs(p.first - lon) < 1e-6 && std::abs(p.second - lat) < 1e-6;
        }));
    }
}

// =============================================================================================
// 8. F to fit

TEST_CASE("fit: F brings back the view of the visible incidents after panning and zooming",
          "[viewer][fit]") {
    const std::string dir = case_dir("fit");
    const auto incs = default_incidents();
    std::vector<std::string> script = {"wait 2", "drag 600 400 700 300", "wheel 3 500 300",
                                       "wait 2"};
    const std::size_t moved = frames(dir, script) - 1;
    append(script, {"key f", "wait 2"});
    const std::size_t fitted = frames(dir, script) - 1;
    // Only the first day: F fits its incidents.
    append(script, {kNarrowToFirstDay, "wait 2", "key f", "wait 2"});
    const Run r = replay(dir, LIMES_DEFAULT_WS, script);
    INFO(r.output);
    REQUIRE(r.code == 0);
    REQUIRE(r.log.size() == frames(dir, script));
    geo::Projector proj;
    // The box of the incidents' map positions, padded by a fifth of its larger side (at
    // least 15 km), with 2 % margins: centred, and filling the window's width or height.
    auto check_fits = [&](const json& f, const std::string& from, const std::string& to) {
        double x0 = 1e300, y0 = 1e300, x1 = -1e300, y1 = -1e300;
        long n = 0;
        for (const auto& inc : incs) {
            const std::string d = inc.event_date.iso();
            if (d < from || d > to) continue;
            double x, y;
            REQUIRE(proj.forward(inc.lon, inc.lat, x, y));
            x0 = std::min(x0, x), x1 = std::max(x1, x), y0 = std::min(y0, y), y1 = std::max(y1, y);
            ++n;
        }
        REQUIRE(n >= 2);
        const double pad = std::max({(x1 - x0) * 0.2, (y1 - y0) * 0.2, 15000.0});
        x0 -= pad, y0 -= pad, x1 += pad, y1 += pad;
        const ViewState v = view_of(f);
        INFO(from << ".." << to << ": " << n << " incidents");
        // Into the part of the window the panels leave free: centred there, filling its
        // width or height.
        const AreaRect a = area_of(f);
        double ax, ay;
        area_centre_map(f, ax, ay);
        CHECK(ax == Approx((x0 + x1) / 2).margin(1.0));
        CHECK(ay == Approx((y0 + y1) / 2).margin(1.0));
        const double aw = std::floor(a.x1 - a.x0), ah = std::floor(a.y1 - a.y0);
        CHECK(v.upp == Approx(std::max((x1 - x0) / aw, (y1 - y0) / ah) * 1.04).epsilon(1e-6));
    };
    const ViewState start = view_of(r.log[0]), m = view_of(r.log[moved]),
                    fit = view_of(r.log[fitted]);
    CHECK(m.upp < start.upp / 1.5);
    CHECK(std::abs(m.cx - start.cx) > 50 * start.upp);
    CHECK(fit.cx == Approx(start.cx).margin(1e-6));
    CHECK(fit.cy == Approx(start.cy).margin(1e-6));
    CHECK(fit.upp == Approx(start.upp).epsilon(1e-12));
    check_fits(r.log[0], "0000", "9999");
    check_fits(r.log[fitted], "0000", "9999");
    const std::string first = three_days(incs)[0];
    REQUIRE(r.log.back()["range"] == json::array({first, first}));
    check_fits(r.log.back(), first, first);
    // The first day's incidents (Dashkasan to Zangilan) span the same north-south extent as
    // all of them: the fitted view is no larger, and check_fits says it is exactly theirs.
    CHECK(view_of(r.log.back()).upp <= start.upp * (1 + 1e-9));
}

// =============================================================================================
// 9. Symbols, clusters, heatmap

TEST_CASE(
    "modes: View > Symbols, Clusters and Heatmap draw the incidents as symbols, labelled "
    "clusters and a density surface with its key",
    "[viewer][modes][release]") {
    const std::string dir = case_dir("modes");
    std::vector<std::string> script = {"wait 2"};
    append(script, kViewSymbols);
    script.push_back("screenshot symbols.png");
    const std::size_t f_symbols = frames(dir, script) - 1;
    append(script, kViewClusters);
    script.push_back("screenshot clusters.png");
    const std::size_t f_clusters = frames(dir, script) - 1;
    append(script, kViewHeatmap);
    script.push_back("screenshot heatmap.png");
    const std::size_t f_heatmap = frames(dir, script) - 1;
    append(script, kViewAutomatic);
    const std::size_t f_auto = frames(dir, script) - 1;
    // The map without incidents: the background each mode draws over.
    append(script, kTabLayers);
    append(script,
           {"click 864 " + std::to_string(layer_row_y(6)), "wait 2", "screenshot base.png"});
    // Labels off: the probes look at symbols and fills that map labels may cover.
    const Run r = replay(dir, LIMES_DEFAULT_WS, script, "", "--labels off");
    INFO(r.output);
    REQUIRE(r.code == 0);
    REQUIRE(r.log.size() == frames(dir, script));
    CHECK(r.log[0]["mode"] == "auto");
    CHECK(r.log[0]["drawn_as"] == "symbols");  // 34 incidents: too few for clusters
    CHECK(r.log[f_symbols]["mode"] == "symbols");
    CHECK(r.log[f_clusters]["mode"] == "clusters");
    CHECK(r.log[f_clusters]["drawn_as"] == "clusters");
    CHECK(r.log[f_heatmap]["mode"] == "heatmap");
    CHECK(r.log[f_heatmap]["drawn_as"] == "heatmap");
    CHECK(r.log[f_auto]["mode"] == "auto");
    const json& last_layers = r.log.back()["layers"];
    REQUIRE(last_layers.back()["name"] == "incidents");  // the row clicked (y 227, the 7th)
    REQUIRE(last_layers.back()["visible"] == false);
    for (std::size_t f = 0; f < r.log.size(); ++f)
        REQUIRE(view_of(r.log[f]).cx == view_of(r.log[0]).cx);

    const ViewState v = view_of(r.log[0]);
    const Shot symbols(dir + "/symbols.png"), clusters(dir + "/clusters.png"),
        heatmap(dir + "/heatmap.png"), base(dir + "/base.png");
    const auto incs = default_incidents();
    geo::Workspace ws = geo::Workspace::open(LIMES_DEFAULT_WS);
    const map::Scene scene(ws.basemap());  // for the origin that cells are anchored at
    std::vector<map::Vec2> local;
    for (const auto& inc : incs) local.push_back(scene.local(inc.lon, inc.lat));
    auto pixel = [&](double lx, double ly, double& px, double& py) {
        map_to_pixel(v, lx + scene.origin_x(), ly + scene.origin_y(), px, py);
    };

    // Symbols: each incident that nothing of another colour covers shows its type's colour.
    int shown = 0;
    for (std::size_t i : uncovered(incs, scene.projector(), v.upp)) {
        double px, py;
        pixel(local[i].x, local[i].y, px, py);
        if (!in_map_area(px, py)) continue;
        CHECK(symbols.colour_near(px, py, map::style_for_type(incs[i].event_type).fill, 1));
        ++shown;
    }
    CHECK(shown >= 3);

    // Clusters: cells a power of two map units wide, nearest 56 px, from the origin; one
    // circle per cell at its members' mean, in the colour of its most frequent type, with
    // the count in white when it holds two or more.
    struct Cell {
        double sx = 0, sy = 0;
        int n = 0;
        std::map<int, int> by_type;  // index in the styles' order
    };
    auto type_index = [](const std::string& t) {
        for (int k = 0; k < 6; ++k)
            if (map::style_for_type_index(k).event_type == t) return k;
        return 6;
    };
    const double cell = std::exp2(std::round(std::log2(56 * v.upp)));
    std::map<std::pair<long, long>, Cell> cells;
    for (std::size_t i = 0; i < incs.size(); ++i) {
        Cell& c = cells[{static_cast<long>(std::floor(local[i].x / cell)),
                         static_cast<long>(std::floor(local[i].y / cell))}];
        c.sx += local[i].x, c.sy += local[i].y, ++c.n;
        ++c.by_type[type_index(incs[i].event_type)];
    }
    struct Drawn {
        double px, py, r;
        int n;
        map::Rgba fill;
    };
    std::vector<Drawn> drawn;
    for (const auto& [key, c] : cells) {
        Drawn d;
        pixel(c.sx / c.n, c.sy / c.n, d.px, d.py);
        d.n = c.n;
        d.r = std::min(64.0, 14 + 4 * std::sqrt(double(c.n))) / 2;
        int top = -1, most = 0;
        for (const auto& [t, k] : c.by_type)
            if (k > most) most = k, top = t;
        d.fill = map::style_for_type_index(static_cast<std::size_t>(top)).fill;
        drawn.push_back(d);
    }
    int labelled = 0, circles = 0;
    for (const auto& d : drawn) {
        if (!in_map_area(d.px, d.py)) continue;
        INFO("cluster of " << d.n << " at " << d.px << "," << d.py);
        // The label: white text (thin, anti-aliased) at the centre of a cluster of two or
        // more; a cluster of one has its plain fill there.
        int light = 0;
        for (int y = static_cast<int>(d.py) - 4; y <= static_cast<int>(d.py) + 4; ++y)
            for (int x = static_cast<int>(d.px) - 4; x <= static_cast<int>(d.px) + 4; ++x) {
                const map::Rgba c = clusters.at(x, y);
                light += std::min({c.r, c.g, c.b}) >= 200;
            }
        if (d.n >= 2) {
            CHECK(light >= 4);
            ++labelled;
        }
        bool alone = true;
        for (const auto& o : drawn)
            if (&o != &d && std::hypot(o.px - d.px, o.py - d.py) < o.r + d.r + 3) alone = false;
        if (!alone) continue;
        int fill_ok = 0;
        for (int sx : {-1, 1})
            for (int sy : {-1, 1}) {
                const int qx = static_cast<int>(std::floor(d.px + sx * 0.5 * d.r)),
                          qy = static_cast<int>(std::floor(d.py + sy * 0.5 * d.r));
                fill_ok += near_colour(clusters.at(qx, qy), over(d.fill, 210, base.at(qx, qy)), 30);
            }
        CHECK(fill_ok >= 3);
        if (d.n == 1) CHECK(light == 0);
        ++circles;
    }
    CHECK(labelled >= 2);
    CHECK(circles >= 3);
    // The Legend tab follows how the map draws the incidents, as a briefing's legend does:
    // with Clusters, the cluster row with the largest count and none for outlines (the
    // circles show no reporting side); with Symbols, the outline rows; with Heatmap, the
    // surface's classes.
    auto legend_rows = [&](std::size_t f) {
        std::vector<std::string> out;
        for (const auto& e : r.log[f]["legend"]) out.push_back(e.get<std::string>());
        return out;
    };
    auto has_row = [](const std::vector<std::string>& rows, const std::string& part) {
        return std::any_of(rows.begin(), rows.end(), [&](const std::string& row) {
            return row.find(part) != std::string::npos;
        });
    };
    int largest = 0;
    for (const auto& [key, c] : cells) largest = std::max(largest, c.n);
    {
        const auto in_clusters = legend_rows(f_clusters), in_symbols = legend_rows(f_symbols),
                   in_heatmap = legend_rows(f_heatmap);
        INFO("clusters: " << r.log[f_clusters]["legend"].dump());
        INFO("symbols: " << r.log[f_symbols]["legend"].dump());
        INFO("heatmap: " << r.log[f_heatmap]["legend"].dump());
        CHECK(has_row(in_clusters, "Cluster: incidents near each other, count on it (largest " +
                                       std::to_string(largest) + ")"));
        CHECK_FALSE(has_row(in_clusters, "Outline: "));
        CHECK(has_row(in_symbols, "Outline: "));
        CHECK_FALSE(has_row(in_symbols, "Cluster: "));
        CHECK(has_row(in_heatmap, "incidents per 100 km"));
        CHECK_FALSE(has_row(in_heatmap, "Outline: "));
        CHECK_FALSE(has_row(in_heatmap, "Cluster: "));
        // The uncertainty discs come with the symbols only, and so does their key.
        CHECK(has_row(in_symbols, "Approximate location"));
        CHECK_FALSE(has_row(in_clusters, "Approximate location"));
        CHECK_FALSE(has_row(in_heatmap, "Approximate location"));
    }
    // Away from the circles the map is bare: no symbols nor uncertainty discs.
    auto far_from_clusters = [&](int px, int py) {
        for (const auto& d : drawn)
            if (std::hypot(px + 0.5 - d.px, py + 0.5 - d.py) < d.r + 3) return false;
        return true;
    };
    long bare = 0, bare_same = 0, symbols_differ = 0;
    for (const auto& [px, py] : map_probes(5)) {
        if (!far_from_clusters(px, py)) continue;
        ++bare;
        bare_same += colour_distance(clusters.at(px, py), base.at(px, py)) <= 6;
        symbols_differ += colour_distance(symbols.at(px, py), base.at(px, py)) > 12;
    }
    INFO(bare << " probes away from clusters: " << bare_same << " bare in Clusters, "
              << symbols_differ << " covered in Symbols");
    CHECK(bare_same >= bare * 995 / 1000);
    CHECK(symbols_differ > 300);  // the discs that Clusters leaves out

    // Heatmap: a kernel density surface (a Gaussian of 12 px) shaded in five classes, yellow
    // to dark red, translucent over the bare map; its key, bottom left, prints each class's
    // lower bound in incidents per 100 km2 and the kernel's width on the ground.
    const json& hs = r.log[f_heatmap]["heat_scale"];
    REQUIRE(hs.is_object());
    CHECK(r.log[f_symbols]["heat_scale"].is_null());
    const std::vector<double> lower = hs["lower"].get<std::vector<double>>();
    REQUIRE(lower.size() == 5);
    for (std::size_t k = 1; k < lower.size(); ++k) CHECK(lower[k] > lower[k - 1]);
    CHECK(hs["max"].get<double>() > lower.back());  // the top class's end
    // Kernel: 12 px at the view's scale, on the ground (LCC is near true scale here).
    CHECK(hs["sigma_km"].get<double>() == Approx(12 * v.upp / 1000).epsilon(0.05));
    const std::array<double, 4> box = hs["box"].get<std::array<double, 4>>();
    CHECK(box[0] < 60);
    CHECK(box[3] > 450);  // bottom left of the map
    auto in_box = [&](double px, double py, double grow) {
        return px >= box[0] - grow && px <= box[2] + grow && py >= box[1] - grow &&
               py <= box[3] + grow;
    };
    const map::Rgba top_shade = {189, 0, 38, 230};
    // Around the largest stack (the densest point in view): the top class, [max/2, max],
    // reaches about 1.18 kernel widths (14 px), so a disc of 6 px around it is all that shade
    // over the map (place dots and borders drawn over the surface take some pixels).
    std::map<std::pair<double, double>, int> at_point;
    for (const auto& inc : incs) ++at_point[{inc.lon, inc.lat}];
    std::pair<double, double> densest{};
    int most = 0;
    for (const auto& [ll, n] : at_point) {
        double px, py;
        incident_pixel(scene.projector(), v, ll.first, ll.second, px, py);
        if (in_map_area(px, py) && !in_box(px, py, 20) && n > most) most = n, densest = ll;
    }
    REQUIRE(most >= 3);
    {
        double px, py;
        incident_pixel(scene.projector(), v, densest.first, densest.second, px, py);
        long inner = 0, match = 0;
        for (int dy = -6; dy <= 6; ++dy)
            for (int dx = -6; dx <= 6; ++dx) {
                if (dx * dx + dy * dy > 36) continue;
                const int x = static_cast<int>(px) + dx, y = static_cast<int>(py) + dy;
                ++inner;
                match += near_colour(heatmap.at(x, y), over(top_shade, top_shade.a, base.at(x, y)),
                                     14);
            }
        INFO("around the stack of " << most << " at " << px << "," << py << ": " << match
                                    << " of " << inner << " pixels in the top shade");
        CHECK(match >= inner * 11 / 20);
    }
    // Every incident in view warms its point: the heatmap differs from the bare map there.
    int warm = 0, points = 0;
    for (const auto& inc : incs) {
        double px, py;
        incident_pixel(scene.projector(), v, inc.lon, inc.lat, px, py);
        if (!in_map_area(px, py) || in_box(px, py, 4)) continue;
        ++points;
        int differ = 0;
        for (int dy = -4; dy <= 4; dy += 4)
            for (int dx = -4; dx <= 4; dx += 4)
                differ += colour_distance(heatmap.at(static_cast<int>(px) + dx,
                                                     static_cast<int>(py) + dy),
                                          base.at(static_cast<int>(px) + dx,
                                                  static_cast<int>(py) + dy)) > 12;
        warm += differ >= 5;
    }
    INFO(warm << " of " << points << " incidents in view warm their point");
    CHECK(points >= 10);
    CHECK(warm == points);
    // Far from every incident (over 5 kernel widths, 60 px) and off the key: the bare map.
    long outside = 0, outside_same = 0;
    for (const auto& [px, py] : map_probes(5)) {
        if (in_box(px, py, 2)) continue;
        bool near = false;
        for (const auto& l : local) {
            double qx, qy;
            pixel(l.x, l.y, qx, qy);
            near |= std::hypot(qx - px, qy - py) < 60;
        }
        if (near) continue;
        ++outside;
        outside_same += colour_distance(heatmap.at(px, py), base.at(px, py)) <= 6;
    }
    INFO(outside << " probes far from the incidents, " << outside_same << " bare");
    CHECK(outside > 1000);
    CHECK(outside_same >= outside * 995 / 1000);
    // The key's top swatch is the top shade over the key's white.
    bool swatch = false;
    for (int y = static_cast<int>(box[1]); y < static_cast<int>(box[3]) && !swatch; ++y)
        for (int x = static_cast<int>(box[0]); x < static_cast<int>(box[0]) + 30 && !swatch; ++x)
            swatch = near_colour(heatmap.at(x, y), over(top_shade, top_shade.a, {255, 255, 255, 255}),
                                 16);
    CHECK(swatch);
}
