// Shared helpers of the window's replay tests (test_viewer.cpp, test_viewer_features.cpp):
// running `limes view --replay` under xvfb-run in a scratch folder, the view in a log line,
// pixels of map points, screenshots read through GDAL, the default workspace's incidents, and
// the menu scripts. Positions are those of a 1280x720 window (see test_viewer.cpp's comment).
#pragma once
#include <catch2/catch.hpp>

#include <gdal_priv.h>
#include <ogr_spatialref.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <memory>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "../geo/support.hpp"
#include "app/replay.hpp"
#include "core/incident.hpp"
#include "geo/formats/gdal_util.hpp"
#include "geo/geometry/projection.hpp"
#include "geo/store/workspace.hpp"
#include "map/style.hpp"

namespace limes_viewer {

using namespace limes;
using nlohmann::json;

inline constexpr int kW = 1280, kH = 720;

// ---------------------------------------------------------------------------------------------
// Running the viewer

/** A fresh folder under $LIMES_TEST_TMP for one test case. Earlier runs' folders of the same
 *  case go (ctest runs each case once at a time); the latest stays, to look at on failure. */
inline std::string case_dir(const std::string& name) {
    static int counter = 0;
    const std::string base = limes_test::scratch_dir() + "/viewer-" + name + "-";
    std::system(("rm -rf '" + base + "'[0-9]*").c_str());
    const std::string dir = base + std::to_string(::getpid()) + "-" + std::to_string(++counter);
    ::mkdir(dir.c_str(), 0777);
    return dir;
}

/** A private copy of the default workspace (for cases that edit or save into it). */
inline std::string copy_default_ws(const std::string& dir) {
    const std::string ws = dir + "/ws.gpkg";
    std::ifstream in(LIMES_DEFAULT_WS, std::ios::binary);
    REQUIRE(in);
    std::ofstream out(ws, std::ios::binary);
    out << in.rdbuf();
    out.close();
    REQUIRE(out);
    return ws;
}

inline std::string slurp(const std::string& path) {
    std::ifstream in(path);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

struct Run {
    int code = -1;
    std::vector<json> log;  ///< one object per frame
    std::string output;     ///< stdout + stderr of the binary (and xvfb-run)
};

/** Shell command prefix that fixes the briefing timestamp (it is printed on the image). */
inline const char* const kEnv = "SOURCE_DATE_EPOCH=1663027200 ";

inline int shell_status(const std::string& cmd) {
    const int s = std::system(cmd.c_str());
    return WIFEXITED(s) ? WEXITSTATUS(s) : -1;
}

/** Writes the script into dir and replays it on workspace ws in a 1280x720 window. as: a
 *  command the binary runs under (e.g. setpriv to another user; the X server then lets any
 *  local client in, -ac, as the other user cannot read root's cookie). args: more options
 *  of limes view (e.g. "--labels off"). */
inline Run replay(const std::string& dir, const std::string& ws,
                  const std::vector<std::string>& script, const std::string& as = "",
                  const std::string& args = "") {
    {
        std::ofstream s(dir + "/script.txt");
        for (const auto& line : script) s << line << '\n';
    }
    // Several test processes start Xvfb at once (ctest -j): give each its own first server
    // number, and retry when xvfb-run still lost the race for one.
    const int server = 100 + static_cast<int>(::getpid() % 4000);
    const std::string cmd =
        std::string("cd '") + dir + "' && " + kEnv + "xvfb-run -a -n " + std::to_string(server) +
        " -s '" + (as.empty() ? "" : "-ac ") + "-screen 0 1600x900x24' " + as + " '" +
        LIMES_BINARY + "' view '" + ws + "' --replay script.txt --replay-log log.jsonl --size " +
        std::to_string(kW) + "x" + std::to_string(kH) + " " + args + " >out.txt 2>&1";
    Run r;
    for (int attempt = 0; attempt < 4; ++attempt) {
        r.code = shell_status(cmd);
        r.output = slurp(dir + "/out.txt");
        if (r.output.find("Xvfb failed to start") == std::string::npos) break;
        std::this_thread::sleep_for(std::chrono::milliseconds(300 * (attempt + 1)));
    }
    std::ifstream in(dir + "/log.jsonl");
    std::string line;
    while (std::getline(in, line))
        if (!line.empty()) r.log.push_back(json::parse(line));
    return r;
}

// ---------------------------------------------------------------------------------------------
// The view in a log line, and pixels of map points

struct ViewState {
    double cx = 0, cy = 0, upp = 0;
    int w = 0, h = 0;
};

inline ViewState view_of(const json& frame) {
    ViewState v;
    v.cx = frame["center"][0].get<double>();
    v.cy = frame["center"][1].get<double>();
    v.upp = frame["units_per_pixel"].get<double>();
    v.w = frame["size"][0].get<int>();
    v.h = frame["size"][1].get<int>();
    return v;
}

/** The part of the window no panel covers, as the log states it (ui::map_area). */
struct AreaRect {
    double x0 = 0, y0 = 0, x1 = 0, y1 = 0;
    double cx() const { return (x0 + x1) / 2; }
    double cy() const { return (y0 + y1) / 2; }
};
inline AreaRect area_of(const json& frame) {
    const json& a = frame["map_area"];
    return {a[0].get<double>(), a[1].get<double>(), a[2].get<double>(), a[3].get<double>()};
}

/** Map CRS point under window pixel (px, py) (src/map/camera.hpp's convention). */
inline void pixel_to_map(const ViewState& v, double px, double py, double& x, double& y) {
    x = v.cx + (px - v.w / 2.0) * v.upp;
    y = v.cy - (py - v.h / 2.0) * v.upp;
}
inline void map_to_pixel(const ViewState& v, double x, double y, double& px, double& py) {
    px = (x - v.cx) / v.upp + v.w / 2.0;
    py = v.h / 2.0 - (y - v.cy) / v.upp;
}

/** The map CRS point at the centre of the part of the window no panel covers (where Fit and
 *  the fly-tos put what they show). */
inline void area_centre_map(const json& frame, double& x, double& y) {
    const AreaRect a = area_of(frame);
    pixel_to_map(view_of(frame), a.cx(), a.cy(), x, y);
}

/** Where nothing else than map can be on screen at 1280x720: left of the side bar (x 845..),
 *  below the menu bar and the time banner over the map (y ..50), above the scale bar and the
 *  Timeline (y 530..). */
inline bool in_map_area(double px, double py) {
    return px >= 10 && px <= 835 && py >= 55 && py <= 530;
}

/** Window pixel of an incident (WGS 84 lon/lat) in view v. */
inline void incident_pixel(const geo::Projector& proj, const ViewState& v, double lon, double lat,
                           double& px, double& py) {
    double x, y;
    proj.forward(lon, lat, x, y);
    map_to_pixel(v, x, y, px, py);
}

/** True when no incident for which `skip` is false lies within 14 px of (px, py): picking
 *  takes what lies within 9 px, so a click there cannot reach a neighbour. */
template <class Skip>
inline bool nothing_near(const std::vector<core::Incident>& incs, const geo::Projector& proj,
                         const ViewState& v, double px, double py, Skip skip) {
    for (const auto& other : incs) {
        if (skip(other)) continue;
        double qx, qy;
        incident_pixel(proj, v, other.lon, other.lat, qx, qy);
        if (std::hypot(qx - px, qy - py) < 14) return false;
    }
    return true;
}

/** The first incident on the open map for which `want` holds and that is alone at its point
 *  (nothing_near); its pixel in (px, py). Null when there is none. */
template <class Want>
inline const core::Incident* lone_incident(const std::vector<core::Incident>& incs,
                                           const ViewState& v, double& px, double& py,
                                           Want want) {
    geo::Projector proj;
    for (const auto& inc : incs) {
        incident_pixel(proj, v, inc.lon, inc.lat, px, py);
        if (!in_map_area(px, py) || !want(inc)) continue;
        if (nothing_near(incs, proj, v, px, py,
                         [&](const core::Incident& o) { return &o == &inc; }))
            return &inc;
    }
    return nullptr;
}

// ---------------------------------------------------------------------------------------------
// Screenshots through GDAL: pixels and the georeference

struct Shot {
    int w = 0, h = 0;
    std::vector<std::uint8_t> rgb;  ///< w*h*3
    double gt[6] = {};
    std::unique_ptr<OGRCoordinateTransformation> to_map;  ///< lon/lat -> the image's CRS

    explicit Shot(const std::string& path) {
        geo::ensure_gdal();
        GDALDatasetUniquePtr ds(GDALDataset::Open(path.c_str(), GDAL_OF_RASTER));
        REQUIRE(ds);
        w = ds->GetRasterXSize();
        h = ds->GetRasterYSize();
        REQUIRE(ds->GetRasterCount() >= 3);
        rgb.resize(static_cast<std::size_t>(w) * h * 3);
        for (int b = 0; b < 3; ++b)
            REQUIRE(ds->GetRasterBand(b + 1)->RasterIO(GF_Read, 0, 0, w, h, rgb.data() + b, w, h,
                                                       GDT_Byte, 3, 3 * w, nullptr) == CE_None);
        REQUIRE(ds->GetGeoTransform(gt) == CE_None);  // from the .pgw / .aux.xml
        REQUIRE(ds->GetSpatialRef() != nullptr);      // the CRS from the .aux.xml
        OGRSpatialReference srs(*ds->GetSpatialRef());
        srs.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
        OGRSpatialReference wgs = geo::wgs84();
        to_map.reset(OGRCreateCoordinateTransformation(&wgs, &srs));
        REQUIRE(to_map);
    }

    map::Rgba at(int x, int y) const {
        const std::uint8_t* p = rgb.data() + (static_cast<std::size_t>(y) * w + x) * 3;
        return {p[0], p[1], p[2], 255};
    }

    /** Continuous pixel position of lon/lat through the georeference (GDAL, not limes). */
    void pixel_of(double lon, double lat, double& px, double& py) const {
        double x = lon, y = lat;
        REQUIRE(to_map->Transform(1, &x, &y));
        px = (x - gt[0]) / gt[1];
        py = (y - gt[3]) / gt[5];
    }

    /** Whether a pixel within radius of (px, py) has colour c (±tol per channel). */
    bool colour_near(double px, double py, map::Rgba c, int radius, int tol = 40) const {
        const int x0 = static_cast<int>(std::floor(px)), y0 = static_cast<int>(std::floor(py));
        for (int y = y0 - radius; y <= y0 + radius; ++y)
            for (int x = x0 - radius; x <= x0 + radius; ++x) {
                if (x < 0 || y < 0 || x >= w || y >= h) continue;
                const map::Rgba p = at(x, y);
                if (std::abs(p.r - c.r) <= tol && std::abs(p.g - c.g) <= tol &&
                    std::abs(p.b - c.b) <= tol)
                    return true;
            }
        return false;
    }
};

inline std::string rgba_text(map::Rgba c) {
    return "(" + std::to_string(c.r) + "," + std::to_string(c.g) + "," + std::to_string(c.b) + ")";
}

// ---------------------------------------------------------------------------------------------
// The default workspace's incidents

inline std::vector<core::Incident> default_incidents() {
    return geo::Workspace::open(LIMES_DEFAULT_WS).read_incidents();
}

/** Radius in pixels of an incident's symbol (as src/map/scene.cpp sizes it). */
inline double symbol_radius_px(const core::Incident& inc) {
    return map::symbol_size_px(inc.fatalities.value_or(0), inc.fatalities.has_value()) *
           map::shape_scale(map::style_for_type(inc.event_type).shape) / 2;
}

/** Within this many pixels of another incident, an incident's point may lie under the count
 *  badge of a stack (src/app/map_input.cpp stack_badges: up to 9.5 px radius, centred on a
 *  member; members within 0.6 of a symbol of it). */
inline constexpr double kNearBadgePx = 12.0;

/** Which incidents' symbols (or count badges) could cover the pixels within margin of incident i's
 * centre, at scale upp: those that others(j) selects and whose symbol reaches that close. */
template <class Others>
inline bool covered(const std::vector<core::Incident>& incs, const geo::Projector& proj, double upp,
                    std::size_t i, double margin, Others others) {
    double xi, yi;
    proj.forward(incs[i].lon, incs[i].lat, xi, yi);
    for (std::size_t j = 0; j < incs.size(); ++j) {
        if (j == i) continue;
        double xj, yj;
        proj.forward(incs[j].lon, incs[j].lat, xj, yj);
        const double d = std::hypot(xi - xj, yi - yj) / upp;
        // A stack's count badge (up to 9.5 px in radius, at its first member's point) covers
        // i when any other incident is this close: i is in a stack, or beside one.
        if (d < kNearBadgePx) return true;
        if (!others(incs[j])) continue;
        if (d < symbol_radius_px(incs[j]) + margin) return true;
    }
    return false;
}

/** Incidents whose centre pixel (±2 px) no symbol of another type can cover. */
inline std::vector<std::size_t> uncovered(const std::vector<core::Incident>& incs,
                                          const geo::Projector& proj, double upp) {
    std::vector<std::size_t> out;
    for (std::size_t i = 0; i < incs.size(); ++i)
        if (!covered(incs, proj, upp, i, 3.0,
                     [&](const core::Incident& j) { return j.event_type != incs[i].event_type; }))
            out.push_back(i);
    return out;
}

/** The initial view of `limes view` on the default workspace (a replay of one frame). */
inline ViewState initial_view(const std::string& dir) {
    const Run r = replay(dir, LIMES_DEFAULT_WS, {"wait 1"});
    INFO(r.output);
    REQUIRE(r.code == 0);
    REQUIRE(r.log.size() == 1);
    return view_of(r.log[0]);
}

// Scripts of the menu and dialogs (positions at 1280x720, see the file comment).
inline const std::vector<std::string> kOpenAddIncident = {"click 57 11", "wait 2", "click 120 82",
                                                          "wait 2"};
inline const std::vector<std::string> kOpenSaveView = {"click 20 11", "wait 2", "click 40 166",
                                                       "wait 3"};
inline const std::vector<std::string> kOpenBriefing = {"click 20 11", "wait 2", "click 40 146",
                                                       "wait 3"};
/** File menu items (y): Open 38, Import 58, Save 82, Save As 102, Export 126, Briefing 146,
 *  Save view 166, Export animation 186, Quit 210. */
inline std::vector<std::string> file_menu(int item_y) {
    return {"click 20 11", "wait 2", "click 40 " + std::to_string(item_y), "wait 3"};
}

inline void append(std::vector<std::string>& to, const std::vector<std::string>& more) {
    to.insert(to.end(), more.begin(), more.end());
}

/** How many frames the script's lines expand to (the replay log has one line per frame). */
inline std::size_t frames(const std::string& dir, const std::vector<std::string>& script) {
    const std::string path = dir + "/count.txt";
    {
        std::ofstream s(path);
        for (const auto& line : script) s << line << '\n';
    }
    return app::parse_replay(path).size();
}

/** The "New incident" / "Edit incident" form, centred: one row per 26 px from the date at
 *  y 144 (date, event type, sub-event type, location, province, country, longitude,
 *  latitude, actor 1, actor 2, fatalities, reported by, status, source, source URL), notes
 *  at y 550, OK at (467, 598). Fields at x 583. */
inline std::string form_field(int row) {
    return "click 583 " + std::to_string(144 + 26 * row);
}
inline constexpr int kFormDate = 0, kFormType = 1, kFormLocation = 3, kFormAdmin1 = 4,
                     kFormCountry = 5, kFormFatalities = 10, kFormReportedBy = 11, kFormSource = 13;
inline const char* const kFormNotes = "click 583 550";
inline const char* const kFormOk = "click 467 598";

/** Add mode, a click on the map at (px, py), the form filled (date 2022-09-15 over the
 *  default, Protests, location, reported by, source) and OK. */
inline std::vector<std::string> add_incident_script(int px, int py,
                                                    const std::string& location = "Testville") {
    std::vector<std::string> s = {"wait 2"};
    append(s, kOpenAddIncident);
    append(s, {"click " + std::to_string(px) + " " + std::to_string(py), "wait 3",
               form_field(kFormDate), "key ctrl+a", "type 2022-09-15", form_field(kFormType),
               "wait 2", "click 520 258", "wait 2",  // event type: Protests
               form_field(kFormLocation), "type " + location, form_field(kFormReportedBy),
               "type Test reporter", form_field(kFormSource), "type limes test", "wait 2", kFormOk,
               "wait 3"});
    return s;
}

/** The side bar's tabs (y 41) and the Timeline (1280x720). */
inline const std::vector<std::string> kTabIncidents = {"click 903 41", "wait 2"},
                                      kTabClaims = {"click 961 41", "wait 2"},
                                      kTabLayers = {"click 1010 41", "wait 2"},
                                      kTabFilters = {"click 1058 41", "wait 2"};
/** Layers tab: one row per 26 px from y 89; checkbox x 864, up arrow x 909, opacity slider
 *  x 955..1040. Filters tab: the event types' checkboxes x 864, one per 26 px from y 93. */
inline int layer_row_y(int row) {
    return 89 + 26 * row;
}
/** Timeline: Play (37, 589), days/s slider x 76..185, window slider x 234..323, cumulative
 *  checkbox x 390, All x 485 (all y 589); the range's fields at y 615 ("from" x 8..420, "to"
 *  x 424..836); the histogram y 630..690. Dragging "to" far left narrows the range to the
 *  first day. */
inline const char* const kPlay = "click 37 589";
inline const char* const kAll = "click 485 589";
inline const char* const kNarrowToFirstDay = "drag 630 615 100 615";

/** A replay command at a window point: "cmd X Y [rest]", pixels rounded. */
inline std::string at(const std::string& cmd, double x, double y, const std::string& rest = "") {
    return cmd + " " + std::to_string(static_cast<int>(std::lround(x))) + " " +
           std::to_string(static_cast<int>(std::lround(y))) + (rest.empty() ? "" : " " + rest);
}

/** The first frame at or after from whose log line satisfies pred; r.log.size() if none. */
inline std::size_t first_frame(const Run& r, std::size_t from,
                               const std::function<bool(const json&)>& pred) {
    for (std::size_t f = from; f < r.log.size(); ++f)
        if (pred(r.log[f])) return f;
    return r.log.size();
}

}  // namespace limes_viewer
