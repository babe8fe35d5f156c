// The window's layout and the newcomer trial's window problems (issue 12): Tab hides the
// panels and the map fills the window; Fit fits into the part the panels leave free; Play on
// the default range sweeps a day through the span; the histogram under the timeline; the
// table's search filters the map; a read-only workspace says so and File > Save As rescues
// the edit; a new incident takes the timeline's date and its country and province from the
// basemap; a double-click on a symbol selects it instead of zooming. Same harness as
// test_viewer.cpp (viewer_support.hpp): the real binary under xvfb-run at 1280x720.
#include <catch2/catch.hpp>

#include <ogrsf_frmts.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <map>
#include <set>

#include "app/briefing.hpp"
#include "core/text.hpp"
#include "geo/ops/stats.hpp"
#include "viewer_support.hpp"

using namespace limes;
using namespace limes_viewer;

namespace {

bool same_colour(map::Rgba a, map::Rgba b, int tol) {
    return std::abs(a.r - b.r) <= tol && std::abs(a.g - b.g) <= tol && std::abs(a.b - b.b) <= tol;
}

/** The incidents' days, first to last (the default workspace spans three). */
std::vector<std::string> days_of(const std::vector<core::Incident>& incs) {
    std::set<std::string> d;
    for (const auto& inc : incs) d.insert(inc.event_date.iso());
    return {d.begin(), d.end()};
}

long on_day(const std::vector<core::Incident>& incs, const std::string& day) {
    return std::count_if(incs.begin(), incs.end(),
                         [&](const core::Incident& i) { return i.event_date.iso() == day; });
}

/** The name of the first feature of a layer of ws (through OGR) that contains lon/lat. */
std::string containing(const std::string& ws, const char* layer_name, double lon, double lat) {
    geo::ensure_gdal();
    GDALDatasetUniquePtr ds(GDALDataset::Open(ws.c_str(), GDAL_OF_VECTOR));
    REQUIRE(ds);
    OGRLayer* layer = ds->GetLayerByName(layer_name);
    REQUIRE(layer);
    OGRPoint pt(lon, lat);
    for (auto& f : *layer)
        if (f->GetGeometryRef() && f->GetGeometryRef()->Contains(&pt))
            return f->GetFieldAsString("name");
    return {};
}

}  // namespace

// =============================================================================================
// Panels

TEST_CASE("panels: Tab hides every panel and the map shows where they were", "[viewer][panels]") {
    const std::string dir = case_dir("panels-tab");
    std::vector<std::string> script = {"wait 2", "screenshot shown.png", "key tab", "wait 2",
                                       "screenshot hidden.png"};
    const std::size_t hidden_f = frames(dir, script) - 1;
    // Panned by (-400, -150) px with the panels hidden, the cursor then off the map (no
    // tooltip): what was under the side bar and the timeline moves with the map.
    append(script, {"drag 700 400 300 250", "move 5 705", "wait 2", "screenshot panned.png",
                    "key tab", "wait 2"});
    const Run r = replay(dir, LIMES_DEFAULT_WS, script);
    INFO(r.output);
    REQUIRE(r.code == 0);
    REQUIRE(r.log.size() == frames(dir, script));
    const AreaRect open = area_of(r.log[1]), all = area_of(r.log[hidden_f]);
    CHECK(r.log[1]["panels_hidden"] == false);
    CHECK(open.x0 == 0);
    CHECK(open.x1 < kW * 0.7);  // the side bar on the right
    CHECK(open.y1 < kH - 100);  // the timeline along the bottom
    CHECK(r.log[hidden_f]["panels_hidden"] == true);
    CHECK(all.x0 == 0);
    CHECK(all.x1 == kW);
    CHECK(all.y1 == kH - 22);  // only the status line
    CHECK(r.log.back()["panels_hidden"] == false);
    // Tab does not move the map.
    CHECK(view_of(r.log[hidden_f]).cx == view_of(r.log[1]).cx);
    CHECK(view_of(r.log[hidden_f]).upp == view_of(r.log[1]).upp);

    const Shot shown(dir + "/shown.png"), hidden(dir + "/hidden.png"), panned(dir + "/panned.png");
    // Where the side bar (x 860..1270) and the timeline (y 580..690) were: with the panels
    // hidden, the map, as the pan shows (the same pixels 400 px left and 150 px up after it);
    // with them shown, something else there.
    long probes = 0, moved_with_map = 0, differed_from_panels = 0;
    auto probe = [&](int x, int y) {
        ++probes;
        moved_with_map += same_colour(hidden.at(x, y), panned.at(x - 400, y - 150), 12);
        differed_from_panels += !same_colour(hidden.at(x, y), shown.at(x, y), 12);
    };
    for (int y = 210; y <= 640; y += 3)
        for (int x = 860; x <= 1270; x += 3) probe(x, y);
    for (int y = 580; y <= 690; y += 3)
        for (int x = 410; x <= 830; x += 3) probe(x, y);
    INFO(probes << " probes: " << moved_with_map << " moved with the map, " << differed_from_panels
                << " differ from the panels");
    CHECK(moved_with_map >= probes * 95 / 100);
    CHECK(differed_from_panels >= probes * 60 / 100);
}

TEST_CASE("fit: the visible incidents fit where no panel is, side bar open or collapsed",
          "[viewer][panels][fit]") {
    const std::string dir = case_dir("panels-fit");
    const auto incs = default_incidents();
    std::vector<std::string> script = {
        "wait 2", "screenshot start.png", "drag 600 300 200 200", "wait 2", "key f",
        "wait 2", "screenshot fitted.png"};
    const std::size_t fitted = frames(dir, script) - 1;
    // View > Side bar: collapsed to its strip; F again.
    append(script, {"click 97 11", "wait 2", "click 120 142", "wait 2", "key f", "wait 2"});
    const std::size_t strip = frames(dir, script) - 1;
    const Run r = replay(dir, LIMES_DEFAULT_WS, script);
    INFO(r.output);
    REQUIRE(r.code == 0);
    REQUIRE(r.log.size() == frames(dir, script));
    REQUIRE(r.log[strip]["sidebar_open"] == false);
    CHECK(area_of(r.log[strip]).x1 > area_of(r.log[fitted]).x1 + 300);
    CHECK(view_of(r.log[strip]).upp <= view_of(r.log[fitted]).upp);
    geo::Projector proj;
    for (const std::size_t f : {std::size_t{1}, fitted, strip}) {
        const ViewState v = view_of(r.log[f]);
        const AreaRect a = area_of(r.log[f]);
        REQUIRE(r.log[f]["visible"] == static_cast<long>(incs.size()));
        for (const auto& inc : incs) {
            double x, y, px, py;
            REQUIRE(proj.forward(inc.lon, inc.lat, x, y));
            map_to_pixel(v, x, y, px, py);
            INFO("frame " << f << ": " << inc.event_id_cnty << " at " << px << "," << py << " in "
                          << a.x0 << ".." << a.x1 << " x " << a.y0 << ".." << a.y1);
            CHECK(px > a.x0 + 10);
            CHECK(px < a.x1 - 10);
            CHECK(py > a.y0 + 10);
            CHECK(py < a.y1 - 10);
        }
    }
    // And they are seen: every symbol no other type can cover shows its colour.
    const Shot shot(dir + "/fitted.png");
    long seen = 0;
    const std::vector<std::size_t> free = uncovered(incs, proj, view_of(r.log[fitted]).upp);
    for (const std::size_t i : free) {
        double px, py;
        shot.pixel_of(incs[i].lon, incs[i].lat, px, py);
        INFO(incs[i].event_id_cnty << " at " << px << "," << py);
        const bool drawn =
            shot.colour_near(px, py, map::style_for_type(incs[i].event_type).fill, 1);
        CHECK(drawn);
        seen += drawn;
    }
    CHECK(seen >= 5);
}

// =============================================================================================
// Timeline

TEST_CASE("timeline: Play on the default range sweeps a day through the whole span",
          "[viewer][timeline]") {
    const std::string dir = case_dir("timeline-all");
    const auto incs = default_incidents();
    const auto days = days_of(incs);
    REQUIRE(days.size() == 3);
    const std::vector<std::string> script = {"wait 2", kPlay, "wait 110"};
    const Run r = replay(dir, LIMES_DEFAULT_WS, script);
    INFO(r.output);
    REQUIRE(r.code == 0);
    REQUIRE(r.log.size() == frames(dir, script));
    REQUIRE(r.log[1]["range"] == json::array({days[0], days[2]}));  // All
    CHECK(r.log[1]["playing"] == false);
    const std::size_t p = first_frame(r, 0, [](const json& f) { return f["playing"] == true; });
    REQUIRE(p < r.log.size());
    // One day at a time from the first, at 2 days/s (60 replayed frames a second).
    CHECK(r.log[p]["range"] == json::array({days[0], days[0]}));
    CHECK(r.log[p]["visible"] == on_day(incs, days[0]));
    const std::size_t d1 = first_frame(r, p, [&](const json& f) {
        return f["range"] == json::array({days[1], days[1]});
    });
    const std::size_t d2 = first_frame(r, p, [&](const json& f) {
        return f["range"] == json::array({days[2], days[2]});
    });
    INFO("play at " << p << ", day 2 at " << d1 << ", day 3 at " << d2);
    REQUIRE(d2 < r.log.size());
    CHECK(d1 >= p + 27);
    CHECK(d1 <= p + 31);
    CHECK(r.log[d1]["visible"] == on_day(incs, days[1]));
    CHECK(d2 >= d1 + 28);
    CHECK(d2 <= d1 + 32);
    CHECK(r.log[d2]["visible"] == on_day(incs, days[2]));
    // At the end (when the next step would pass it) it stops there.
    CHECK(r.log.back()["playing"] == false);
    CHECK(r.log.back()["range"] == json::array({days[2], days[2]}));
}

TEST_CASE("timeline: the histogram under the range has a bar per day, as tall as its count",
          "[viewer][timeline]") {
    const std::string dir = case_dir("timeline-histogram");
    const auto incs = default_incidents();
    const auto days = days_of(incs);
    REQUIRE(days.size() == 3);
    const Run r = replay(dir, LIMES_DEFAULT_WS, {"wait 2", "move 5 705", "screenshot hist.png"});
    INFO(r.output);
    REQUIRE(r.code == 0);
    const Shot shot(dir + "/hist.png");
    // The histogram spans the timeline's width (x 8..836) from y 630 to 690; three days, three
    // bars; bars in the range (All: every one) in dark blue (40, 70, 140).
    const map::Rgba bar{40, 70, 140, 255};
    std::array<int, 3> height{};
    long peak = 0;
    for (int k = 0; k < 3; ++k) {
        const int x = static_cast<int>(8 + (k + 0.5) * 828 / 3.0);
        for (int y = 600; y < 698; ++y) height[k] += same_colour(shot.at(x, y), bar, 25);
        peak = std::max(peak, on_day(incs, days[k]));
    }
    const int tallest = *std::max_element(height.begin(), height.end());
    REQUIRE(tallest >= 40);
    for (int k = 0; k < 3; ++k) {
        const double want = static_cast<double>(on_day(incs, days[k])) / peak;
        INFO(days[k] << ": " << on_day(incs, days[k]) << " incidents, bar " << height[k]
                     << " px of " << tallest);
        CHECK(static_cast<double>(height[k]) / tallest == Approx(want).margin(0.06));
        CHECK((height[k] > 0) == (on_day(incs, days[k]) > 0));
    }
}

// =============================================================================================
// Search

TEST_CASE("search: the table's search hides the symbols that do not match on the map",
          "[viewer][search]") {
    const std::string dir = case_dir("search");
    const auto incs = default_incidents();
    const std::string needle = "Jermuk";
    auto matches = [&](const core::Incident& inc) {
        for (const std::string* t :
             {&inc.location, &inc.actor1, &inc.actor2, &inc.source, &inc.reported_by, &inc.notes})
            if (core::to_lower(*t).find(core::to_lower(needle)) != std::string::npos) return true;
        return false;
    };
    const long n_match = std::count_if(incs.begin(), incs.end(), matches);
    REQUIRE(n_match >= 2);
    REQUIRE(n_match < static_cast<long>(incs.size()) - 5);
    // The search box of the Incidents tab (x 853..1183, y 67), Enter to search.
    const std::vector<std::string> script = {
        "wait 2", "screenshot all.png", "click 1015 67", "type " + needle,      "key enter",
        "wait 3", "move 5 705",         "wait 2",        "screenshot found.png"};
    const Run r = replay(dir, LIMES_DEFAULT_WS, script);
    INFO(r.output);
    REQUIRE(r.code == 0);
    REQUIRE(r.log.size() == frames(dir, script));
    CHECK(r.log[1]["visible"] == static_cast<long>(incs.size()));
    CHECK(r.log.back()["search"] == needle);
    CHECK(r.log.back()["visible"] == n_match);  // the map's count ("N of M") follows it
    CHECK(r.log.back()["incidents"] == static_cast<long>(incs.size()));
    CHECK(view_of(r.log.back()).cx == view_of(r.log[1]).cx);

    const Shot all(dir + "/all.png"), found(dir + "/found.png");
    geo::Projector proj;
    const double upp = view_of(r.log[1]).upp;
    long gone = 0, kept = 0;
    for (const std::size_t i : uncovered(incs, proj, upp)) {
        const auto& inc = incs[i];
        double px, py;
        all.pixel_of(inc.lon, inc.lat, px, py);
        if (!in_map_area(px, py)) continue;
        const map::Rgba c = map::style_for_type(inc.event_type).fill;
        INFO(inc.event_id_cnty << " " << inc.location << " at " << px << "," << py);
        REQUIRE(all.colour_near(px, py, c, 1));
        if (matches(inc)) {
            CHECK(found.colour_near(px, py, c, 1));
            ++kept;
        } else if (!covered(incs, proj, upp, i, 6.0, [&](const core::Incident& j) {
                       return j.event_type == inc.event_type && matches(j);
                   })) {
            CHECK_FALSE(found.colour_near(px, py, c, 4));
            ++gone;
        }
    }
    CHECK(gone >= 3);
    CHECK(kept >= 1);
}

// =============================================================================================
// File > Save As on a read-only workspace

TEST_CASE("save: a read-only workspace says so plainly, and File > Save As keeps the edit",
          "[viewer][edit][saveas]") {
    const std::string dir = case_dir("readonly");
    REQUIRE(::chmod(dir.c_str(), 0777) == 0);  // the replay's user writes its log and the copy
    const std::string ws = copy_default_ws(dir);
    const std::size_t before = geo::Workspace::open(ws).read_incidents().size();
    REQUIRE(::chmod(ws.c_str(), 0444) == 0);
    // root writes a 0444 file anyway: then the window runs as nobody.
    const std::string as = ::geteuid() == 0 ? "setpriv --reuid=65534 --regid=65534 "
                                              "--clear-groups env HOME='" +
                                                  dir + "'"
                                            : "";
    const std::string copy = dir + "/rescued.gpkg";
    std::vector<std::string> script = add_incident_script(560, 480, "Readonlyville");
    append(script, {"key ctrl+s", "wait 3"});
    const std::size_t saved = frames(dir, script) - 1;
    append(script, file_menu(102));  // Save As...: the path field has the focus
    append(script, {"type " + copy, "key enter", "wait 3"});
    const Run r = replay(dir, ws, script, as);
    INFO(r.output);
    REQUIRE(r.code == 0);
    REQUIRE(r.log.size() == frames(dir, script));
    CHECK(r.log[saved]["message"] == "error: the workspace is read-only; use File → Save As");
    CHECK(r.log[saved]["dirty"] == true);
    for (const auto& f : r.log) {
        const std::string m = f["message"].get<std::string>();
        CHECK(m.find("SQL") == std::string::npos);
        CHECK(m.find("TRIGGER") == std::string::npos);
    }
    const json& end = r.log.back();
    CHECK(end["dirty"] == false);
    CHECK(end["workspace"] == copy);
    CHECK(end["message"].get<std::string>().rfind("saved as " + copy, 0) == 0);
    // The copy holds every incident and the new one; the read-only original is as it was.
    const auto rescued = geo::Workspace::open(copy).read_incidents();
    CHECK(rescued.size() == before + 1);
    CHECK(std::count_if(rescued.begin(), rescued.end(), [](const core::Incident& i) {
              return i.location == "Readonlyville" && i.event_type == "Protests";
          }) == 1);
    CHECK(geo::Workspace::open(ws).read_incidents().size() == before);
    struct stat st {};
    REQUIRE(::stat(copy.c_str(), &st) == 0);
    CHECK((st.st_mode & 0200) != 0);  // the copy can be saved into again
}

// =============================================================================================
// Add incident

TEST_CASE("add incident: the timeline's date, and country and admin1 from the provinces",
          "[viewer][edit][admin]") {
    const std::string dir = case_dir("add-admin");
    const std::string ws = copy_default_ws(dir);
    const auto incs = default_incidents();
    const auto days = days_of(incs);
    const ViewState v = initial_view(dir);
    // Goris, in Syunik (Armenia).
    geo::Projector proj;
    double x, y, px, py;
    REQUIRE(proj.forward(46.338, 39.507, x, y));
    map_to_pixel(v, x, y, px, py);
    REQUIRE(in_map_area(px, py));
    // The range narrowed to the first day: the timeline's date is then that day.
    std::vector<std::string> script = {"wait 2", kNarrowToFirstDay, "wait 2"};
    append(script, kOpenAddIncident);
    append(script,
           {at("click", px, py), "wait 3", "screenshot form.png", form_field(kFormType), "wait 2",
            "click 520 258", "wait 2", form_field(kFormLocation), "type Goris test",
            form_field(kFormReportedBy), "type Test reporter", form_field(kFormSource),
            "type limes test", "wait 2", kFormOk, "wait 3", "key ctrl+s", "wait 3"});
    const Run r = replay(dir, ws, script);
    INFO(r.output);
    REQUIRE(r.code == 0);
    REQUIRE(r.log.size() == frames(dir, script));
    CHECK(r.log.back()["dirty"] == false);
    // The point clicked, as the window took it (the pixel's corner, in the view of then).
    double cx, cy, lon, lat;
    pixel_to_map(v, std::lround(px), std::lround(py), cx, cy);
    REQUIRE(proj.inverse(cx, cy, lon, lat));
    const std::string province = containing(ws, "provinces", lon, lat),
                      country = containing(ws, "countries", lon, lat);
    REQUIRE(province == "Syunik");
    REQUIRE(country == "Armenia");
    const auto saved = geo::Workspace::open(ws).read_incidents();
    const core::Incident* added = nullptr;
    for (const auto& inc : saved)
        if (inc.location == "Goris test") added = &inc;
    REQUIRE(added);
    CHECK(added->admin1 == "Syunik");
    CHECK(added->country == "Armenia");
    CHECK(added->event_date.iso() == days[0]);
    CHECK(added->lon == Approx(lon).margin(1e-6));
    CHECK(added->lat == Approx(lat).margin(1e-6));
    CHECK_FALSE(added->fatalities.has_value());  // left empty: not stated, not 0
}

// =============================================================================================
// Double-click

TEST_CASE("dblclick: two quick clicks on a symbol select it and do not zoom",
          "[viewer][dblclick]") {
    const std::string dir = case_dir("dblclick-symbol");
    const ViewState v = initial_view(dir);
    const auto incs = default_incidents();
    // An incident alone at its point, with nothing else within 14 px.
    double tx = 0, ty = 0;
    const core::Incident* target =
        lone_incident(incs, v, tx, ty, [](const core::Incident&) { return true; });
    REQUIRE(target);
    const std::vector<std::string> script = {"wait 2", at("dblclick", tx, ty), "wait 2"};
    const Run r = replay(dir, LIMES_DEFAULT_WS, script);
    INFO(r.output);
    REQUIRE(r.code == 0);
    CHECK(view_of(r.log.back()).upp == v.upp);
    CHECK(view_of(r.log.back()).cx == v.cx);
    CHECK(r.log.back()["selected"] == target->event_id_cnty);
}

// =============================================================================================
// File > Import and File > Open

TEST_CASE("file: Import adds a CSV as limes import does, Open switches to another workspace",
          "[viewer][file]") {
    const std::string dir = case_dir("file-import-open");
    const std::string ws = copy_default_ws(dir);
    const std::string csv = std::string(LIMES_TEST_DATA) + "/acled_2023.csv";
    const std::size_t before = geo::Workspace::open(ws).read_incidents().size();
    // The same file imported by the command line into another copy: what the window must
    // reach (the exit status of a partial import is not what this test is about).
    const std::string cli = dir + "/cli.gpkg";
    REQUIRE(shell_status("cp '" + ws + "' '" + cli + "'") == 0);
    shell_status(std::string("'") + LIMES_BINARY + "' import '" + cli + "' '" + csv +
                 "' >cli_out.txt 2>&1");
    std::multiset<std::string> want;
    for (const auto& inc : geo::Workspace::open(cli).read_incidents())
        want.insert(inc.event_id_cnty);
    REQUIRE(want.size() > before);

    std::vector<std::string> script = {"wait 2"};
    append(script, file_menu(58));  // Import...: the path field has the focus
    append(script, {"type " + csv, "key enter", "wait 2", "wait-loaded", "wait 2"});
    const std::size_t imported = frames(dir, script) - 1;
    append(script, file_menu(38));  // Open...
    append(script, {"type " + std::string(LIMES_DEFAULT_WS), "key enter", "wait 3"});
    const Run r = replay(dir, ws, script);
    INFO(r.output);
    REQUIRE(r.code == 0);
    const json& after_import = r.log.at(imported);
    CHECK(after_import["incidents"] == static_cast<long>(want.size()));
    CHECK(after_import["visible"] == static_cast<long>(want.size()));
    CHECK(after_import["dirty"] == false);
    CHECK(after_import["message"].get<std::string>().rfind("imported ", 0) == 0);
    std::multiset<std::string> got;
    for (const auto& inc : geo::Workspace::open(ws).read_incidents()) got.insert(inc.event_id_cnty);
    CHECK(got == want);
    // Open: the window now shows the default workspace.
    const json& end = r.log.back();
    CHECK(end["workspace"] == LIMES_DEFAULT_WS);
    CHECK(end["incidents"] == static_cast<long>(before));
    CHECK(end["message"] == std::string("opened ") + LIMES_DEFAULT_WS);
}

// =============================================================================================
// Not stated

TEST_CASE("table: a row without a fatalities figure says \"not stated\", not 0 or nothing",
          "[viewer][table]") {
    const std::string dir = case_dir("not-stated");
    const auto incs = default_incidents();
    const long unknown = std::count_if(incs.begin(), incs.end(), [](const core::Incident& i) {
        return !i.fatalities.has_value();
    });
    REQUIRE(unknown >= 1);
    // The Fatalities header (x 937..1011, y 112) clicked once: ascending, the rows without a
    // figure first; then descending: a row with the largest figure first.
    const Run r =
        replay(dir, LIMES_DEFAULT_WS,
               {"wait 2", "click 970 112", "wait 2", "move 5 705", "wait 2", "screenshot asc.png",
                "click 990 112", "wait 2", "move 5 705", "wait 2", "screenshot desc.png"});
    INFO(r.output);
    REQUIRE(r.code == 0);
    // How wide the text in the first row's Fatalities cell is: the columns of pixels much
    // darker than the row's background.
    auto text_width = [](const Shot& s) {
        int cols = 0;
        for (int x = 940; x <= 1008; ++x) {
            bool ink = false;
            for (int y = 124; y <= 140; ++y) {
                const map::Rgba p = s.at(x, y);
                ink |= (p.r + p.g + p.b) / 3 < 190;
            }
            cols += ink;
        }
        return cols;
    };
    const Shot asc(dir + "/asc.png"), desc(dir + "/desc.png");
    long most = 0;
    for (const auto& i : incs) most = std::max<long>(most, i.fatalities.value_or(0));
    const int digits = static_cast<int>(std::to_string(most).size());
    INFO("not stated: " << text_width(asc) << " px of text; " << most << ": " << text_width(desc)
                        << " px");
    // "not stated" (grey) darkens about 40 of its 58 px wide columns; "0" would darken ~6.
    CHECK(text_width(asc) >= 30);
    CHECK(text_width(desc) >= 4);                // the largest figure is drawn
    CHECK(text_width(desc) <= 10 * digits + 4);  // as digits, not words
}

TEST_CASE("timeline: a click on a day of the histogram moves the range there",
          "[viewer][timeline]") {
    const std::string dir = case_dir("timeline-histogram-click");
    const auto incs = default_incidents();
    const auto days = days_of(incs);
    REQUIRE(days.size() == 3);
    // Narrowed to the first day, then a click on the third bar (x 8..836, y 630..690).
    const int x3 = static_cast<int>(8 + 2.5 * 828 / 3.0);
    const std::vector<std::string> script = {"wait 2", kNarrowToFirstDay, "wait 2",
                                             "click " + std::to_string(x3) + " 680", "wait 2"};
    const Run r = replay(dir, LIMES_DEFAULT_WS, script);
    INFO(r.output);
    REQUIRE(r.code == 0);
    REQUIRE(r.log.size() == frames(dir, script));
    const std::size_t narrowed = frames(dir, {script.begin(), script.begin() + 3}) - 1;
    CHECK(r.log[narrowed]["range"] == json::array({days[0], days[0]}));
    CHECK(r.log.back()["range"] == json::array({days[2], days[2]}));
    CHECK(r.log.back()["visible"] == on_day(incs, days[2]));
}

// =============================================================================================
// As of the timeline's day (issue 13)

TEST_CASE("timeline: the claims drawn are those valid on the range's last day",
          "[viewer][timeline][as_of]") {
    const std::string dir = case_dir("timeline-as-of");
    const std::string ws = copy_default_ws(dir);
    // One synthetic incident before the 2020 war, so that the timeline reaches back to 2019.
    {
        std::ofstream csv(dir + "/synthetic_2019.csv");
        csv << "event_id_cnty,event_date,year,time_precision,disorder_type,event_type,"
               "sub_event_type,actor1,assoc_actor_1,inter1,actor2,assoc_actor_2,inter2,"
               "interaction,civilian_targeting,iso,region,country,admin1,admin2,admin3,"
               "location,latitude,longitude,geo_precision,source,source_scale,notes,"
               "fatalities,tags,timestamp\n"
               "SYN-2019,2019-06-01,2019,1,Political violence,Battles,Armed clash,"
               "Synthetic Armed Group A,,1,Synthetic Armed Group B,,1,11,,51,"
               "Caucasus and Central Asia,Armenia,Synthetic Province,,,Synthetic Village,"
               "40.1,45.2,1,Synthetic Source,National,Synthetic test row,0,,1\n";
    }
    REQUIRE(shell_status("'" + std::string(LIMES_BINARY) + "' import '" + ws + "' '" + dir +
                         "/synthetic_2019.csv' >import.txt 2>&1") == 0);
    // All (ends on the last incident's day, 2022-09-14), then the range on its first day
    // (2019-06-01): before the 2020 handovers.
    // (Play on All starts a one-day window on the first day; it moves on a day every 15
    // frames at 2 days a second, so 3 frames later it is still there.)
    const std::vector<std::string> script = {"wait 3", kPlay, "wait 3"};
    const Run r = replay(dir, ws, script);
    INFO(r.output);
    REQUIRE(r.code == 0);
    const json& all = r.log[2];
    const json& narrowed = r.log.back();
    CHECK(all["as_of"] == "2022-09-14");
    CHECK(narrowed["range"] == json::array({"2019-06-01", "2019-06-01"}));
    CHECK(narrowed["as_of"] == "2019-06-01");
    // The default workspace's claims: three exclaves (undated) and the three handover
    // districts of November/December 2020.
    geo::Workspace w = geo::Workspace::open(ws);
    const auto claims = w.basemap().claims;
    auto valid = [&](const char* day) {
        const core::Date d = *core::parse_date(day);
        return std::count_if(claims.begin(), claims.end(), [&](const core::Claim& c) {
            return core::valid_on(c.valid_from, c.valid_to, d);
        });
    };
    CHECK(all["claims_drawn"] == valid("2022-09-14"));
    CHECK(narrowed["claims_drawn"] == valid("2019-06-01"));
    CHECK(valid("2019-06-01") < valid("2022-09-14"));
    CHECK(narrowed["ceasefire_line"] == true);  // the 1994 line, in force in 2019
    CHECK(all["ceasefire_line"] == false);
    // The banner says it.
    CHECK(narrowed["map_furniture"].size() == 2);
}

TEST_CASE("timeline: 'map as of' draws the claims of a day of its own, the range unchanged",
          "[viewer][timeline][as_of]") {
    const std::string dir = case_dir("timeline-own-day");
    // Tick "map as of" (right of the range's dates on the timeline's first row), then click
    // the day slider that appears after its label, near the slider's left end: a day long
    // before the incidents' span (the slider runs from the earliest claim or line date, 1923,
    // to today). (A click on the label itself would untick the box.)
    // (wait-loaded: the timeline's row is laid out with the incidents' dates, whatever the
    // machine's load.)
    const std::vector<std::string> script = {"wait-loaded", "move 659 589", "wait 1",
                                             "click 659 589", "wait 3", "move 752 589",
                                             "wait 1", "click 752 589", "wait 3",
                                             "screenshot own.png"};
    const Run r = replay(dir, LIMES_DEFAULT_WS, script);
    INFO(r.output);
    REQUIRE(r.code == 0);
    // wait-loaded holds as many frames as the loading takes: the others follow it.
    REQUIRE(r.log.size() >= frames(dir, script));
    const std::size_t extra = r.log.size() - frames(dir, script);
    const json& before = r.log[1 + extra];
    const std::size_t ticked = frames(dir, {script.begin(), script.begin() + 5}) - 1 + extra;
    const json& after = r.log.back();
    CHECK(before["as_of"] == "2022-09-14");
    // Ticked: the own day starts on the range's end, so nothing changes yet.
    CHECK(r.log[ticked]["as_of"] == "2022-09-14");
    // The slider moved it before 1994: the range and the incidents stay as they were.
    const std::string day = after["as_of"].get<std::string>();
    INFO("as of " << day);
    CHECK(day < "1994-01-01");
    CHECK(after["range"] == before["range"]);
    CHECK(after["visible"] == before["visible"]);
    geo::Workspace w = geo::Workspace::open(LIMES_DEFAULT_WS);
    const auto claims = w.basemap().claims;
    const core::Date d = *core::parse_date(day);
    const auto valid = std::count_if(claims.begin(), claims.end(), [&](const core::Claim& c) {
        return core::valid_on(c.valid_from, c.valid_to, d);
    });
    CHECK(after["claims_drawn"] == valid);
    CHECK(after["claims_drawn"] < before["claims_drawn"]);
    CHECK(after["ceasefire_line"] == false);  // 1994 is still ahead
}

TEST_CASE("view: Changes over the range draws the ground that changed hands, with its km2 in "
          "the legend",
          "[viewer][timeline][as_of][changes]") {
    const std::string dir = case_dir("view-changes");
    // The map as of a day of its own at the slider's right end (today, or with the tests'
    // fixed $SOURCE_DATE_EPOCH the latest claim date, 2023-09-20), then View → Changes over
    // the range (the menu's last item, y 202): the ground that changed hands between the
    // range's first day (2022-09-12) and then: the 2023 offensive's.
    const std::vector<std::string> script = {
        "wait-loaded", "move 659 589", "wait 1",   "click 659 589", "wait 3",
        "move 835 589", "wait 1",  "click 835 589", "wait 3",       "click 97 11",
        "wait 2",  "click 140 202", "wait 3",      "screenshot changes.png"};
    const Run r = replay(dir, LIMES_DEFAULT_WS, script);
    INFO(r.output);
    REQUIRE(r.code == 0);
    REQUIRE(r.log.size() >= frames(dir, script));
    const std::size_t extra = r.log.size() - frames(dir, script);  // wait-loaded's frames
    const std::size_t before_menu = frames(dir, {script.begin(), script.begin() + 9}) - 1 + extra;
    const json& before = r.log[before_menu];
    const json& after = r.log.back();
    INFO("as of " << after["as_of"]);
    CHECK(after["as_of"].get<std::string>() >= "2023-09-20");
    CHECK(before["changes_drawn"] == 0);
    // What render --changes FROM..TO finds for the same days.
    geo::Workspace w = geo::Workspace::open(LIMES_DEFAULT_WS);
    const auto transfers = geo::holder_transfers(
        w.read_claims(), *core::parse_date(after["range"][0].get<std::string>()),
        *core::parse_date(after["as_of"].get<std::string>()));
    REQUIRE_FALSE(transfers.empty());
    CHECK(after["changes_drawn"] == transfers.size());
    // The Legend tab lists each with its km2, as the briefing does.
    std::vector<std::string> legend;
    for (const auto& e : after["legend"]) legend.push_back(e.get<std::string>());
    for (const auto& t : transfers) {
        INFO(app::change_label(t));
        CHECK(std::count(legend.begin(), legend.end(), app::change_label(t)) == 1);
    }
    // On the map: the change hatch (magenta, 5 px apart) within 4 px of a point inside the
    // ground that changed hands (Aghdara/Martakert's north), none near Yerevan.
    const Shot shot(dir + "/changes.png");
    const ViewState v = view_of(after);
    geo::Projector proj;
    auto hatched = [&](double lon, double lat) {
        double px, py;
        incident_pixel(proj, v, lon, lat, px, py);
        REQUIRE(in_map_area(px, py));
        for (int dy = -4; dy <= 4; ++dy)
            for (int dx = -4; dx <= 4; ++dx) {
                const map::Rgba c = shot.at(static_cast<int>(px) + dx, static_cast<int>(py) + dy);
                if (std::abs(c.r - map::kChangeOutline.r) <= 30 &&
                    std::abs(c.g - map::kChangeOutline.g) <= 30 &&
                    std::abs(c.b - map::kChangeOutline.b) <= 30)
                    return true;
            }
        return false;
    };
    CHECK(hatched(46.70, 40.05));
    CHECK_FALSE(hatched(44.51, 40.18));
}
