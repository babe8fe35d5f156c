#include "app/replay.hpp"

#include <GLFW/glfw3.h>

#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>

#include "app/session.hpp"
#include "core/error.hpp"
#include "core/process_age.hpp"
#include "geo/formats/image_writer.hpp"
#include "geo/geometry/geodesic.hpp"

namespace limes::app {
namespace {

int key_code(const std::string& name) {
    static const std::map<std::string, int> keys = {
        {"plus", GLFW_KEY_EQUAL},    {"minus", GLFW_KEY_MINUS}, {"enter", GLFW_KEY_ENTER},
        {"escape", GLFW_KEY_ESCAPE}, {"tab", GLFW_KEY_TAB},     {"backspace", GLFW_KEY_BACKSPACE},
        {"delete", GLFW_KEY_DELETE}, {"left", GLFW_KEY_LEFT},   {"right", GLFW_KEY_RIGHT},
        {"up", GLFW_KEY_UP},         {"down", GLFW_KEY_DOWN},   {"home", GLFW_KEY_HOME},
        {"end", GLFW_KEY_END},       {"space", GLFW_KEY_SPACE}, {"f", GLFW_KEY_F},
    };
    if (auto it = keys.find(name); it != keys.end()) return it->second;
    if (name.size() == 1 && name[0] >= 'a' && name[0] <= 'z') return GLFW_KEY_A + (name[0] - 'a');
    if (name.size() == 1 && name[0] >= '0' && name[0] <= '9') return GLFW_KEY_0 + (name[0] - '0');
    return -1;
}

// Bounds on what a script asks for: a frame holds about 120 bytes, and without them a short
// line ("drag 0 0 1 1 100000000") asks for gigabytes of frames before the first one runs.
constexpr int kMaxCommandFrames = 100000;
constexpr std::size_t kMaxFrames = 1000000;  // about 4.6 hours at 60 frames a second

int button_index(const std::string& name) {
    if (name.empty() || name == "left") return 0;
    if (name == "right") return 1;
    if (name == "middle") return 2;
    return -1;
}

}  // namespace

std::vector<ReplayFrame> parse_replay(const std::string& path) {
    std::ifstream in(path);
    if (!in) throw core::IoError(path, "cannot open replay script");
    std::vector<ReplayFrame> frames;
    ui::ScriptedInput state;  // carried from frame to frame: cursor and held buttons
    auto emit = [&](const ui::ScriptedInput& input) {
        frames.push_back({input, {}});
        state.wheel = 0;
        state.keys.clear();
        state.text.clear();
        state.ctrl = state.shift = false;
    };
    std::string line;
    long number = 0;
    while (std::getline(in, line)) {
        ++number;
        std::istringstream words(line);
        std::string cmd;
        if (!(words >> cmd) || cmd[0] == '#') continue;
        auto fail = [&](const std::string& why) {
            throw core::DataError({path, number, cmd}, why);
        };
        if (cmd == "wait") {
            int n = 1;
            words >> n;
            if (n < 1 || n > kMaxCommandFrames) fail("expected a frame count 1..100000");
            for (int i = 0; i < n; ++i) emit(state);
        } else if (cmd == "move") {
            if (!(words >> state.x >> state.y)) fail("expected X Y");
            emit(state);
        } else if (cmd == "down" || cmd == "up") {
            std::string b;
            words >> b;
            const int i = button_index(b);
            if (i < 0) fail("button must be left, right or middle");
            state.down[i] = cmd == "down";
            emit(state);
        } else if (cmd == "click" || cmd == "dblclick") {
            std::string b;
            if (!(words >> state.x >> state.y)) fail("expected X Y");
            words >> b;
            const int i = button_index(b);
            if (i < 0) fail("button must be left, right or middle");
            emit(state);  // arrive
            for (int k = 0; k < (cmd == "dblclick" ? 2 : 1); ++k) {
                state.down[i] = true;
                emit(state);
                state.down[i] = false;
                emit(state);
            }
        } else if (cmd == "drag") {
            // Interpolated in double: in float, (x2 - x1) of two coordinates near the float
            // limit overflows to infinity (a fuzzing finding, F3).
            double x1, y1, x2, y2;
            int steps = 8;
            if (!(words >> x1 >> y1 >> x2 >> y2)) fail("expected X1 Y1 X2 Y2");
            words >> steps;
            if (steps < 1 || steps > kMaxCommandFrames) fail("steps must be 1..100000");
            state.x = static_cast<float>(x1), state.y = static_cast<float>(y1);
            emit(state);
            state.down[0] = true;
            emit(state);
            for (int s = 1; s <= steps; ++s) {
                state.x = static_cast<float>(x1 + (x2 - x1) * s / steps);
                state.y = static_cast<float>(y1 + (y2 - y1) * s / steps);
                emit(state);
            }
            state.down[0] = false;
            emit(state);
        } else if (cmd == "wheel") {
            float dy;
            if (!(words >> dy)) fail("expected wheel steps");
            float x, y;
            if (words >> x >> y) state.x = x, state.y = y;
            ui::ScriptedInput f = state;
            f.wheel = dy;
            emit(f);
        } else if (cmd == "key") {
            std::string name;
            if (!(words >> name)) fail("expected a key name");
            ui::ScriptedInput f = state;
            if (name.rfind("ctrl+", 0) == 0) f.ctrl = true, name = name.substr(5);
            if (name.rfind("shift+", 0) == 0) f.shift = true, name = name.substr(6);
            const int code = key_code(name);
            if (code < 0) fail("unknown key '" + name + "'");
            f.keys.push_back(code);
            emit(f);
            emit(state);  // release
        } else if (cmd == "type") {
            std::string rest;
            std::getline(words, rest);
            if (!rest.empty() && rest[0] == ' ') rest.erase(0, 1);
            ui::ScriptedInput f = state;
            f.text = rest;
            emit(f);
        } else if (cmd == "crash") {
            emit(state);
            frames.back().crash = true;
        } else if (cmd == "wait-loaded") {
            emit(state);
            frames.back().wait_loaded = true;
        } else if (cmd == "screenshot") {
            std::string out;
            if (!(words >> out)) fail("expected a path");
            try {
                geo::raster_format_for(out);  // .png or .tif/.tiff, refused before any frame runs
            } catch (const core::UsageError& e) {
                fail(e.what());
            }
            if (frames.empty()) emit(state);
            frames.back().screenshot = out;
        } else {
            fail(
                "unknown command (wait, wait-loaded, crash, move, down, up, click, dblclick, drag, "
                "wheel, key, type, "
                "screenshot)");
        }
        if (frames.size() > kMaxFrames) fail("the script runs more than 1000000 frames");
    }
    return frames;
}

void write_replay_log(std::ostream& out, const Session& session, std::size_t frame, bool tooltip,
                      bool drawn) {
    const auto& s = session.state;
    auto id = [&](int i) {
        if (i < 0) return nlohmann::json(nullptr);
        try {
            return nlohmann::json(s.incidents.row(static_cast<std::size_t>(i)).event_id_cnty);
        } catch (const std::exception& e) {
            return nlohmann::json(std::string("error: ") + e.what());
        }
    };
    nlohmann::json j = {{"frame", frame},
                        {"drawn", drawn},
                        {"hovered", id(s.hovered)},
                        {"tooltip", s.hovered >= 0 && tooltip},
                        {"selected", id(s.selected)},
                        {"visible", s.visible.size()},
                        {"incidents", s.incidents.live()},
                        {"loading", s.loading},
                        {"load_fraction", s.load_fraction},
                        {"range", {core::Date{s.range_from}.iso(), core::Date{s.range_to}.iso()}},
                        {"dirty", s.dirty},
                        {"center", {session.view.center_x, session.view.center_y}},
                        {"units_per_pixel", session.view.units_per_pixel},
                        {"size", {session.view.width, session.view.height}},
                        {"form_open", session.panels.form_open},
                        {"confirm_quit", session.panels.confirm_quit},
                        {"restore_offered", session.panels.offer_restore},
                        {"message", s.messages.empty() ? "" : s.messages.back()}};
    // For tests/viewer/test_viewer_features.cpp:
    //   measure: the measure tool's points, [[lon, lat], ...] (0, 1 or 2 of them);
    //   measured_km: their geodesic distance as the status line shows it, null
    //     unless there are two;
    //   mode: the View menu's choice (symbols, clusters, heatmap, auto);
    //   drawn_as: what the map draws (auto resolved: symbols or clusters);
    //   layers: the Layers panel top to bottom, [{name, visible, opacity}, ...];
    //   playing, cumulative, days_per_second: the Timeline's playback;
    //   claims: rows of the Claims panel; undo, redo: depths of the two stacks.
    const char* mode_names[] = {"symbols", "clusters", "heatmap", "auto"};
    nlohmann::json measure = nlohmann::json::array();
    for (const auto& p : session.measure_) measure.push_back({p.lon, p.lat});
    j["measure"] = measure;
    j["measured_km"] = session.measure_.size() == 2
                           ? nlohmann::json(geo::geodesic_distance_km(
                                 session.measure_[0].lon, session.measure_[0].lat,
                                 session.measure_[1].lon, session.measure_[1].lat))
                           : nlohmann::json(nullptr);
    j["mode"] = mode_names[static_cast<int>(s.mode)];
    j["drawn_as"] = mode_names[static_cast<int>(session.effective_mode())];
    // heat_scale: the heatmap's key as drawn, {lower: [incidents per 100 km2, ascending],
    // sigma_km, box: [x0, y0, x1, y1] window px}, null when the map shows no heatmap.
    const auto& hb = session.heat_scale_box;
    j["heat_scale"] = hb[2] > hb[0] ? nlohmann::json{{"lower", session.heat_scale().lower},
                                                     {"sigma_km", session.heat_scale().sigma_km},
                                                     {"max", session.heat_scale().max},
                                                     {"box", {hb[0], hb[1], hb[2], hb[3]}}}
                                    : nlohmann::json(nullptr);
    nlohmann::json layers = nlohmann::json::array();
    for (const auto& l : s.layers)
        layers.push_back({{"name", l.name}, {"visible", l.visible}, {"opacity", l.opacity}});
    j["layers"] = layers;
    j["playing"] = s.playing;
    j["cumulative"] = s.cumulative;
    j["days_per_second"] = s.play_days_per_second;
    j["claims"] = s.claims.size();
    // The layout: the part of the window no panel covers ([x0, y0, x1, y1], pixels, y
    // down), whether Tab hid the panels, whether the side bar is open; the search in force
    // (table and map); the workspace the window works on (File > Open, Save As); the days
    // Play shows when it starts from All.
    const ui::MapArea area = ui::map_area(session.panels, session.view.width, session.view.height);
    j["map_area"] = {area.x0, area.y0, area.x1, area.y1};
    j["panels_hidden"] = session.panels.hide_panels;
    j["sidebar_open"] = session.panels.sidebar_open;
    j["search"] = s.search;
    j["workspace"] = s.workspace_path;
    j["play_window_days"] = s.play_window_days;
    // The map's labels as drawn this frame (View > Labels; none when Off): text, kind and
    // box [x0, y0, x1, y1] in window pixels (y down), in placement priority.
    const char* kinds[] = {"highlight", "claim", "place", "country", "region", "lake", "river"};
    nlohmann::json labels = nlohmann::json::array();
    for (const auto& l : session.labels.placed())
        labels.push_back({{"text", l.text},
                          {"kind", kinds[static_cast<int>(l.kind)]},
                          {"box", {l.box.x0, l.box.y0, l.box.x1, l.box.y1}}});
    j["labels"] = labels;
    // map_furniture: what the window draws over the map (the time banner, the scale bar, the
    // heat key), [[x0, y0, x1, y1], ...] window px: the labels keep clear of it.
    nlohmann::json furniture = nlohmann::json::array();
    for (const auto& b : session.map_furniture) furniture.push_back({b.x0, b.y0, b.x1, b.y1});
    j["map_furniture"] = furniture;
    // as_of: the day the map's claims and historical lines are drawn as of (the timeline's
    // end), null before the incidents load; claims_drawn: the claims the scene draws.
    j["as_of"] = session.as_of() ? nlohmann::json(session.as_of()->iso()) : nlohmann::json(nullptr);
    j["claims_drawn"] = session.scene().claims().size();
    j["changes_drawn"] = session.changes_drawn();
    j["ceasefire_line"] = session.scene().has_ceasefire_line();
    j["label_language"] = session.panels.label_language;
    j["label_placements"] = session.labels.placements();
    j["label_ms"] = session.labels.last_ms();
    // When this frame was drawn, in ms since the process started (bench/first_map.sh: the
    // first map on screen, all incidents loaded).
    j["ms_since_start"] = core::process_age_ms();
    nlohmann::json legend = nlohmann::json::array();  // the Legend tab's rows
    for (const auto& e : s.legend) legend.push_back(e.label);
    j["legend"] = legend;
    j["undo"] = s.undo_stack.size();
    j["redo"] = s.redo_stack.size();
    // For the stack cases (tests/viewer/test_viewer_features.cpp):
    //   stacks: the stacks' badges on screen, [[x, y, count], ...] (window px, y down);
    //   stack_tooltip: the count of the stack whose tooltip shows, null when none does;
    //   fan: the stack fanned out, null when folded, else {center: [x, y], ids: [...],
    //     fids: [...], positions: [[x, y], ...]} (window px of each member's symbol).
    nlohmann::json stacks = nlohmann::json::array();
    for (const auto& st : session.stacks()) {
        double px, py;
        session.local_pixel(st.center, px, py);
        if (px < 0 || py < 0 || px > session.view.width || py > session.view.height) continue;
        stacks.push_back({px, py, st.members.size()});
    }
    j["stacks"] = stacks;
    j["stack_tooltip"] =
        tooltip && session.hovered_stack >= 0
            ? nlohmann::json(
                  session.stacks()[static_cast<std::size_t>(session.hovered_stack)].members.size())
            : nlohmann::json(nullptr);
    if (const auto& fan = session.fan()) {
        nlohmann::json ids = nlohmann::json::array(), fids = nlohmann::json::array(),
                       at = nlohmann::json::array();
        for (std::size_t k = 0; k < fan->members.size(); ++k) {
            ids.push_back(id(static_cast<int>(fan->members[k])));
            fids.push_back(s.incidents.fid(fan->members[k]));
            double px, py;
            session.fan_pixel(k, px, py);
            at.push_back({px, py});
        }
        double cx, cy;
        session.local_pixel(fan->center, cx, cy);
        j["fan"] = {{"center", {cx, cy}}, {"ids", ids}, {"fids", fids}, {"positions", at}};
    } else {
        j["fan"] = nullptr;
    }
    out << j.dump() << '\n';
}

}  // namespace limes::app
