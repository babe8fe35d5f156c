#include "app/viewer.hpp"

#define GL_GLEXT_PROTOTYPES
#include <GL/gl.h>
#include <GLFW/glfw3.h>
#include <imgui.h>

#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <unordered_map>

#include "app/autosave.hpp"
#include "app/briefing.hpp"
#include "app/incident_loader.hpp"
#include "app/replay.hpp"
#include "core/error.hpp"
#include "geo/ops/exporter.hpp"
#include "geo/geometry/geodesic.hpp"
#include "geo/geometry/geos_util.hpp"
#include "geo/store/edits.hpp"
#include "geo/formats/image_writer.hpp"
#include "geo/geometry/projection.hpp"
#include "geo/formats/safe_output.hpp"
#include "geo/ops/stats.hpp"
#include "geo/store/views.hpp"
#include "geo/store/workspace.hpp"
#include "map/briefing.hpp"
#include "map/camera.hpp"
#include "map/cluster.hpp"
#include "map/scene.hpp"
#include "map/style.hpp"
#include "map/text.hpp"
#include "platform/window.hpp"
#include "render/renderer.hpp"
#include "ui/imgui_host.hpp"
#include "ui/panels.hpp"

namespace limes::app {
namespace {

// [SECTION] the viewer's session: data, scene, camera, and the actions' effects

class Session {
public:
    Session(const ViewerOptions& o, std::ostream& log)
        : options_(o),
          log_(log),
          proj_(o.crs.empty() ? geo::kDefaultMapCrs : o.crs),
          ws_(std::make_shared<geo::Workspace>(geo::Workspace::open(o.workspace))) {
        load_scene();
        for (const auto& s : scene_->default_styles()) state.layers.push_back({s.name, true, 1.0f});
        state.workspace_path = options_.workspace;
        std::shared_ptr<geo::IncidentTable> table(ws_, &ws_->incidents());
        state.find_in_notes = [table](const std::string& text) {
            return table->find("notes", text, geo::TextMatch::Contains);
        };
        state.event_id_stored = [table](const std::string& id) {
            return !table->find("event_id_cnty", id, geo::TextMatch::Equals).empty();
        };
        state.incidents = core::IncidentStore(fetch());
        state.reset_time_range();
    }

    ui::ViewerState state;
    ui::PanelState panels;
    map::View view;
    bool view_moved = false;  ///< the user panned or zoomed (a finished load then keeps the view)

    /** Starts loading the incidents on a thread of their own; the basemap shows meanwhile. */
    void start_loading() {
        state.loading = true;
        state.load_fraction = 0.0;
        loader_ = std::make_unique<IncidentLoader>(*ws_, proj_.crs(), scene_->origin_x(),
                                                   scene_->origin_y());
    }

    /** Takes the loaded incidents when the loader is done (wait: block until then). */
    void poll_loading(bool wait = false) {
        if (!loader_) return;
        state.load_fraction = loader_->fraction();
        if (!wait && !loader_->done()) return;
        try {
            LoadedIncidents loaded = loader_->take();
            state.incidents = std::move(loaded.store);
            state.incidents.set_fetch(fetch());
            positions_ = std::move(loaded.positions);
            state.incidents.take_moved();  // positions_ has them all
            ++state.data_version;
            log_ << "loaded " << state.incidents.size() << " incidents in " << loaded.seconds << " s ("
                 << state.incidents.bytes() / 1'000'000 << " MB of columns)\n";
        } catch (const std::exception& e) {
            state.messages.push_back(std::string("error: ") + e.what());
            log_ << "limes view: " << e.what() << '\n';
        }
        loader_.reset();
        state.loading = false;
        state.reset_time_range();
        if (!view_moved) fit();
        offer_autosave();
    }

    /** After a crash: the edits the last session autosaved, offered back. */
    void offer_autosave() {
        try {
            restore_ = read_autosave(options_.workspace);
        } catch (const std::exception& e) {
            state.messages.push_back(std::string("error: ") + e.what());
            return;
        }
        if (!restore_ || restore_->edits.empty()) return;
        panels.offer_restore = true;
        panels.restore_summary = std::to_string(restore_->edits.size()) + " unsaved edit" +
                                 (restore_->edits.size() == 1 ? "" : "s") + " of an earlier session (autosaved " +
                                 restore_->written + ") were not saved.";
    }

    /** Replays the autosaved edits as edits of this session: undoable, unsaved until Save. */
    void restore_autosave() {
        if (!restore_) return;
        std::unordered_map<std::int64_t, std::size_t> row_of;  // stored fid -> row
        for (std::size_t i = 0; i < state.incidents.size(); ++i)
            if (state.incidents.fid(i) > 0) row_of[state.incidents.fid(i)] = i;
        std::size_t applied = 0;
        for (const AutosavedEdit& e : restore_->edits) {
            auto it = e.fid > 0 ? row_of.find(e.fid) : row_of.end();
            if (it != row_of.end()) {
                if (e.removed) state.remove(it->second);
                else state.change(it->second, e.row);
            } else if (!e.removed) {
                state.add(e.row);  // made in the window, or its stored row is gone since
            } else {
                continue;          // removing a row that is no longer there
            }
            ++applied;
        }
        state.messages.push_back("restored " + std::to_string(applied) + " unsaved edits (autosaved " +
                                 restore_->written + ")");
        restore_.reset();
    }

    /** Rewrites the autosave when the edits changed (after each edit, undo or redo). */
    void autosave() {
        if (state.loading || state.data_version == autosaved_version_) return;
        autosaved_version_ = state.data_version;
        if (!state.dirty) return;  // a load: nothing of this session to keep (nor to remove)
        try {
            write_autosave(options_.workspace, state.incidents);
        } catch (const std::exception& e) {
            state.messages.push_back(std::string("error: ") + e.what());
        }
    }

    /** How the incidents' columns read a whole row back: from this session's workspace. */
    core::IncidentStore::Fetch fetch() const {
        return geo::fetch_from(std::shared_ptr<geo::IncidentTable>(ws_, &ws_->incidents()), options_.workspace);
    }

    void load_scene() {
        scene_ = std::make_unique<map::Scene>(ws_->basemap(), proj_.crs());
        state.claims = geo::compute_claim_stats(*ws_, {});
    }

    void fit() {
        double min_x = scene_->min_x(), min_y = scene_->min_y(), max_x = scene_->max_x(),
               max_y = scene_->max_y();
        if (!state.visible.empty()) {
            min_x = min_y = 1e300;
            max_x = max_y = -1e300;
            for (std::uint32_t i : state.visible) {
                const auto p = positions_[i];
                if (!std::isfinite(p.x)) continue;
                min_x = std::min(min_x, p.x + scene_->origin_x());
                max_x = std::max(max_x, p.x + scene_->origin_x());
                min_y = std::min(min_y, p.y + scene_->origin_y());
                max_y = std::max(max_y, p.y + scene_->origin_y());
            }
            const double pad = std::max({(max_x - min_x) * 0.2, (max_y - min_y) * 0.2, 15'000.0});
            min_x -= pad, min_y -= pad, max_x += pad, max_y += pad;
        }
        map::fit_box(view, min_x, min_y, max_x, max_y, 0.02);
    }

    /** Keeps positions in step with edits: only the rows added or moved are projected. */
    void sync_positions() {
        positions_.resize(state.incidents.size(), map::Vec2{NAN, NAN});
        for (const std::uint32_t i : state.incidents.take_moved()) {
            const core::IncidentMark& m = state.incidents.marks()[i];
            positions_[i] = scene_->local(m.lon, m.lat);
        }
    }

    map::DrawList draw_list() {
        sync_positions();
        std::vector<map::LayerStyle> styles;
        bool incidents_on = true;
        for (const auto& l : state.layers) {
            map::LayerStyle st{l.name, l.visible, l.opacity};
            st.recolor = l.recolor;
            st.color = {static_cast<std::uint8_t>(l.color[0] * 255), static_cast<std::uint8_t>(l.color[1] * 255),
                        static_cast<std::uint8_t>(l.color[2] * 255), 255};
            st.line_width = l.line_width;
            styles.push_back(st);
            if (l.name == "incidents") incidents_on = l.visible;
        }
        const bool aggregate = mode_aggregates();
        if (aggregate)
            for (auto& s : styles)
                if (s.name == "incidents") s.visible = false;
        const auto& marks = state.incidents.marks();
        map::DrawList list = scene_->draw(marks, positions_, &state.visible, view, styles);
        if (aggregate && incidents_on) {
            if (effective_mode() == ui::SymbolMode::Heatmap) {
                map::heatmap_cells(marks, positions_, &state.visible, view,
                                   list.origin_x, list.origin_y, 16.0f, list.fills);
            } else {
                // Cells a power of two map units wide, nearest 56 px (map::cluster_cell_units):
                // the clusters change when the zoom crosses a power of two, not on every wheel
                // step, and not on panning: cached.
                const double cell_units = map::cluster_cell_units(view.units_per_pixel, 56.0);
                const std::string key =
                    std::to_string(state.visible_version) + "|" + std::to_string(cell_units);
                if (key != clusters_key_) {
                    clusters_ = map::cluster_incidents(
                        marks, positions_, &state.visible, view, list.origin_x, list.origin_y,
                        static_cast<float>(cell_units / view.units_per_pixel));
                    clusters_key_ = key;
                }
                // Their counts are drawn over the map each frame (cluster_labels), so that a
                // pan moves them without a new upload of the whole map.
                map::cluster_symbols(clusters_, list.symbols);
            }
        }
        decorate(list);
        return list;
    }

    // Selection ring, the claim being drawn, and the measure line, in map units (relative to
    // the list's origin) so that panning needs no new upload.
    void decorate(map::DrawList& list) {
        auto local = [&](double lon, double lat) { return scene_->local(lon, lat); };
        if (state.selected >= 0 && state.selected < static_cast<int>(positions_.size())) {
            map::Symbol ring;
            ring.position = positions_[state.selected];
            ring.shape = map::Shape::Circle;
            ring.size_px = 26;
            ring.fill = {255, 255, 255, 0};
            ring.outline = {20, 20, 20, 255};
            list.symbols.push_back(ring);
        }
        auto polyline = [&](const core::Ring& pts, map::Rgba color, bool close) {
            map::LineBatch l;
            l.color = color;
            l.width_px = 2.0f;
            std::vector<map::Vec2> line;
            for (const auto& ll : pts) line.push_back(local(ll.lon, ll.lat));
            if (close && line.size() > 2) line.push_back(line.front());
            l.polylines.push_back(line);
            list.lines.push_back(l);
            for (const auto& v : line) {
                map::Symbol s;
                s.position = v;
                s.size_px = 7;
                s.fill = color;
                list.symbols.push_back(s);
            }
        };
        if (panels.draw_claim && !panels.claim_vertices.empty())
            polyline(panels.claim_vertices, {200, 30, 120, 255}, true);
        if (measure_.size() == 2) polyline(measure_, {20, 20, 20, 255}, false);
    }

    /** Changes when the uploaded draw list must be rebuilt. Panning alone does not change
     *  it (everything is in map units), except in the aggregated modes whose cells follow
     *  the screen. */
    std::string content_key() const {
        std::string k = std::to_string(state.visible_version) + "|" + std::to_string(view.units_per_pixel) +
                        "|" + std::to_string(static_cast<int>(effective_mode())) + "|" +
                        std::to_string(state.selected) + "|" + std::to_string(measure_.size()) + "|" +
                        std::to_string(panels.claim_vertices.size()) + "|" + std::to_string(panels.draw_claim);
        for (const auto& l : state.layers)
            k += "|" + l.name + (l.visible ? "1" : "0") + std::to_string(l.opacity) +
                 (l.recolor ? "c" + std::to_string(l.color[0]) + std::to_string(l.color[1]) +
                                  std::to_string(l.color[2])
                            : "") +
                 "w" + std::to_string(l.line_width);
        return k;
    }

    bool mode_aggregates() const { return effective_mode() != ui::SymbolMode::Symbols; }

    /** The counts of the clusters on screen, centred on them, over the map (ImGui's
     *  foreground list: redrawn every frame at the current pan, no GL upload). */
    void cluster_labels() const {
        if (!mode_aggregates() || effective_mode() != ui::SymbolMode::Clusters || state.loading) return;
        ImDrawList* dl = ImGui::GetBackgroundDrawList();
        for (const auto& c : clusters_) {
            if (c.count < 2) continue;
            double px, py;
            map::map_to_pixel(view, c.position.x + scene_->origin_x(), c.position.y + scene_->origin_y(), px, py);
            if (px < -40 || py < -40 || px > view.width + 40 || py > view.height + 40) continue;
            char n[16];
            std::snprintf(n, sizeof n, "%u", c.count);
            const ImVec2 size = ImGui::CalcTextSize(n);
            const ImVec2 at(static_cast<float>(px) - size.x / 2, static_cast<float>(py) - size.y / 2);
            dl->AddText(ImVec2(at.x + 1, at.y + 1), IM_COL32(40, 40, 40, 200), n);  // halo-ish shadow
            dl->AddText(at, IM_COL32(255, 255, 255, 255), n);
        }
    }

    ui::SymbolMode effective_mode() const {
        if (state.mode != ui::SymbolMode::Auto) return state.mode;
        // Automatic: clusters when more incidents are in view than the screen can show one
        // by one (more than one per 40×40 px on average).
        const double cells = double(view.width) * view.height / (40.0 * 40.0);
        return state.visible.size() > std::max(2000.0, cells) ? ui::SymbolMode::Clusters
                                                              : ui::SymbolMode::Symbols;
    }

    /** Incidents under pixel (px, py), nearest first, within radius pixels. */
    std::vector<int> pick(double px, double py, double radius) const {
        std::vector<std::pair<double, int>> hits;
        // Every frame over up to a million positions: a box test in map units first (no
        // projection to pixels, no square root for the points far away).
        double cx, cy;
        map::pixel_to_map(view, px, py, cx, cy);
        cx -= scene_->origin_x();
        cy -= scene_->origin_y();
        const double r = radius * view.units_per_pixel;
        for (std::uint32_t i : state.visible) {
            const auto p = positions_[i];
            if (!(std::abs(p.x - cx) <= r && std::abs(p.y - cy) <= r)) continue;  // NaN fails too
            double qx, qy;
            map::map_to_pixel(view, p.x + scene_->origin_x(), p.y + scene_->origin_y(), qx, qy);
            const double d = std::hypot(qx - px, qy - py);
            if (d <= radius) hits.push_back({d, static_cast<int>(i)});
        }
        std::sort(hits.begin(), hits.end());
        std::vector<int> out;
        for (const auto& h : hits) out.push_back(h.second);
        return out;
    }

    void pixel_lonlat(double px, double py, double& lon, double& lat) const {
        double x, y;
        map::pixel_to_map(view, px, py, x, y);
        proj_.inverse(x, y, lon, lat);
    }

    /** The window's view as briefing options: extent, time, filters, layers. */
    BriefingOptions briefing_options(const std::string& output, const std::string& title, int w,
                                     int h) const {
        BriefingOptions o;
        o.workspace = options_.workspace;
        o.output = output;
        o.width = w;
        o.height = h;
        o.crs = options_.crs;
        o.title = title;
        o.filter = current_filter();
        // Extent: the lon/lat box around the window's corners and edge midpoints.
        core::BBox box;
        for (double fx : {0.0, 0.5, 1.0})
            for (double fy : {0.0, 0.5, 1.0}) {
                double lon, lat;
                pixel_lonlat(fx * view.width, fy * view.height, lon, lat);
                box.add(lon, lat);
            }
        o.filter.bbox = box;
        for (const auto& l : state.layers)
            if (l.visible) o.layers.push_back(l.name);
        return o;
    }

    core::Filter current_filter() const {
        core::Filter f;
        f.from = core::Date{state.range_from};
        f.to = core::Date{state.range_to};
        // The values not hidden, of those the incidents have (the pools hold each once).
        auto kept = [&](const std::vector<std::string>& all, const std::vector<std::string>& off) {
            std::vector<std::string> out;
            if (off.empty()) return out;  // nothing hidden: no test
            for (const auto& v : std::set<std::string>(all.begin(), all.end()))
                if (std::find(off.begin(), off.end(), v) == off.end()) out.push_back(v);
            return out;
        };
        using Text = core::IncidentStore::Text;
        std::vector<std::string> types;
        for (std::uint8_t t = 0; t <= core::kOtherEventType; ++t) types.push_back(ui::ViewerState::type_name(t));
        f.types = kept(types, state.types_off);
        f.reported_by = kept(state.incidents.pool(Text::ReportedBy).values(), state.reported_by_off);
        f.statuses = kept(state.incidents.pool(Text::Status).values(), state.status_off);
        f.min_fatalities = state.min_fatalities;
        f.actor = state.actor_search;
        return f;
    }

    void save() {
        // Only what changed is written, in one SQLite transaction (a crash leaves the file as
        // it was): a save after one edit of a million-row workspace takes milliseconds.
        geo::save_edits(ws_->incidents(), state.incidents);
        state.dirty = false;
        remove_autosave(options_.workspace);
        state.messages.push_back("saved " + std::to_string(state.incidents.live()) + " incidents");
        log_ << "saved " << options_.workspace << '\n';
    }

    void add_claim_from_panel() {
        panels.claim_ready = false;
        panels.claim_problems.clear();
        if (panels.claim_vertices.size() < 3) panels.claim_problems.push_back("at least 3 vertices");
        if (panels.claim_claimant.empty()) panels.claim_problems.push_back("claimant: whose statement is this?");
        if (panels.claim_holder.empty()) panels.claim_problems.push_back("holder: required");
        if (!panels.claim_problems.empty()) return;
        core::Claim c;
        c.name = panels.claim_name;
        c.claimant = panels.claim_claimant;
        c.holder = panels.claim_holder;
        c.sovereign = panels.claim_sovereign;
        c.kind = panels.claim_kind;
        c.source = panels.claim_source;
        c.status = "reported";
        core::Ring ring = panels.claim_vertices;
        ring.push_back(ring.front());
        // Made valid with GEOS (a bow-tie becomes two triangles), then stored at once: a
        // claim is its own transaction, like an import.
        geo::GeosContext ctx;
        geo::GeomPtr g = geo::to_geos(ctx, core::MultiPolygon{{ring}});
        std::string reason;
        geo::GeomPtr valid = geo::make_valid_polygonal(ctx, g.get(), &reason);
        c.area = geo::to_multipolygon(ctx, valid.get());
        if (c.area.empty()) {
            panels.claim_problems.push_back("the polygon has no area");
            return;
        }
        std::vector<core::Claim> claims{c};
        ws_->append_claims(claims);  // one transaction of its own, like an import
        if (!reason.empty()) state.messages.push_back("claim repaired with MakeValid: " + reason);
        state.messages.push_back("claim '" + c.name + "' added");
        panels.draw_claim = false;
        panels.claim_vertices.clear();
        const double ox = scene_->origin_x(), oy = scene_->origin_y();
        load_scene();  // the scene and the claims list pick the new claim up
        if (scene_->origin_x() != ox || scene_->origin_y() != oy) {
            for (std::size_t i = 0; i < positions_.size(); ++i) {
                const core::IncidentMark& m = state.incidents.marks()[i];
                positions_[i] = scene_->local(m.lon, m.lat);
            }
        }
        ++state.visible_version;  // the draw list is rebuilt with the new claim
    }

    void run_actions(bool& quit) {
        auto actions = std::move(state.actions);
        state.actions.clear();
        bool save_failed = false;  // "Save and quit" must not quit when the save failed
        for (const auto& a : actions) {
            try {
                switch (a.kind) {
                    case ui::Action::Kind::Save:
                        save_failed = true;
                        save();
                        save_failed = false;
                        break;
                    case ui::Action::Kind::Fit: fit(); break;
                    case ui::Action::Kind::FlyTo: {
                        double x, y;
                        if (proj_.forward(a.lon, a.lat, x, y)) {
                            view.center_x = x;
                            view.center_y = y;
                            view.units_per_pixel = std::min(view.units_per_pixel, 120.0);
                        }
                        break;
                    }
                    case ui::Action::Kind::FlyToClaim:
                        // To the claim's label, found by its id (names may repeat).
                        if (const auto anchor = scene_->claim_anchor(a.fid)) {
                            view.center_x = anchor->x + scene_->origin_x();
                            view.center_y = anchor->y + scene_->origin_y();
                            view.units_per_pixel = std::min(view.units_per_pixel, 120.0);
                        }
                        break;
                    case ui::Action::Kind::ExportGeoJson: {
                        long long n = 0;
                        // Staged and renamed into place: never written through a link.
                        geo::write_file_atomically(a.path, [&](std::ostream& out) {
                            if (a.text == "claims") {
                                geo::ExportOptions eo;
                                eo.layer = "claims";
                                eo.filter.from = core::Date{state.range_from};
                                eo.filter.to = core::Date{state.range_to};
                                n = geo::export_geojson(*ws_, eo, out);
                            } else {
                                n = geo::write_rows_geojson(ws_->incidents(), state.incidents, state.visible, out);
                            }
                        });
                        state.messages.push_back("exported " + std::to_string(n) + " to " + a.path);
                        break;
                    }
                    case ui::Action::Kind::Briefing: {
                        // The briefing renders on its own EGL context; libglvnd refuses to make
                        // it current while the window's GLX context is (EGL_BAD_ACCESS).
                        GLFWwindow* window = glfwGetCurrentContext();
                        glfwMakeContextCurrent(nullptr);
                        struct Restore {
                            GLFWwindow* w;
                            ~Restore() { glfwMakeContextCurrent(w); }
                        } restore{window};
                        render_briefing(briefing_options(a.path, a.text, a.width, a.height), log_);
                        state.messages.push_back("briefing written to " + a.path);
                        break;
                    }
                    case ui::Action::Kind::SaveView: {
                        save_briefing_view(briefing_options("", a.path, panels.briefing_width,
                                                            panels.briefing_height),
                                           a.text);
                        state.messages.push_back("view '" + a.text + "' saved");
                        break;
                    }
                    case ui::Action::Kind::Quit:
                        if (state.dirty) panels.confirm_quit = true;
                        else quit = true;
                        break;
                    case ui::Action::Kind::QuitDiscard:
                        if (!save_failed) {
                            quit = true;
                            remove_autosave(options_.workspace);  // the user chose to lose them
                        }
                        break;
                    case ui::Action::Kind::RestoreAutosave: restore_autosave(); break;
                    case ui::Action::Kind::DiscardAutosave:
                        restore_.reset();
                        if (!state.dirty) remove_autosave(options_.workspace);
                        break;
                }
            } catch (const std::exception& e) {
                state.messages.push_back(std::string("error: ") + e.what());
                log_ << "limes view: " << e.what() << '\n';
            }
        }
    }

    const map::Scene& scene() const { return *scene_; }
    const geo::Projector& projector() const { return proj_; }
    core::Ring measure_;  ///< lon/lat of the measure tool's two points

private:
    ViewerOptions options_;
    std::ostream& log_;
    geo::Projector proj_;
    std::shared_ptr<geo::Workspace> ws_;  // shared with the incidents' fetch (state.incidents)
    std::unique_ptr<map::Scene> scene_;
    std::vector<map::Vec2> positions_;  // per row of state.incidents, see sync_positions()
    std::unique_ptr<IncidentLoader> loader_;
    std::optional<Autosave> restore_;      // offered back, until restored or discarded
    std::uint64_t autosaved_version_ = 0;  // state.data_version the autosave holds
    std::vector<map::Cluster> clusters_;
    std::string clusters_key_;
};

// [SECTION] input on the map (only when ImGui does not want the mouse/keyboard)

struct MapInput {
    bool dragging = false;
    float press_x = 0, press_y = 0;
    std::vector<int> last_hits;
    int cycle = 0;
};

void handle_map_input(Session& s, MapInput& mi) {
    ImGuiIO& io = ImGui::GetIO();
    const float mx = io.MousePos.x, my = io.MousePos.y;
    if (!io.WantCaptureKeyboard) {
        if (ImGui::IsKeyPressed(GLFW_KEY_EQUAL) || ImGui::IsKeyPressed(GLFW_KEY_KP_ADD))
            map::zoom_at(s.view, 1.5, s.view.width / 2.0, s.view.height / 2.0);
        if (ImGui::IsKeyPressed(GLFW_KEY_MINUS) || ImGui::IsKeyPressed(GLFW_KEY_KP_SUBTRACT))
            map::zoom_at(s.view, 1 / 1.5, s.view.width / 2.0, s.view.height / 2.0);
        if (io.KeyCtrl && ImGui::IsKeyPressed(GLFW_KEY_S)) s.state.actions.push_back({ui::Action::Kind::Save});
        if (io.KeyCtrl && ImGui::IsKeyPressed(GLFW_KEY_Z)) s.state.undo();
        if (io.KeyCtrl && ImGui::IsKeyPressed(GLFW_KEY_Y)) s.state.redo();
        if (io.KeyCtrl && ImGui::IsKeyPressed(GLFW_KEY_Q)) s.state.actions.push_back({ui::Action::Kind::Quit});
        if (ImGui::IsKeyPressed(GLFW_KEY_F) && !io.KeyCtrl) s.state.actions.push_back({ui::Action::Kind::Fit});
        if (ImGui::IsKeyPressed(GLFW_KEY_ESCAPE)) {
            s.panels.add_mode = false;
            s.measure_.clear();
        }
    }
    if (io.WantCaptureMouse) {
        s.state.hovered = -1;
        mi.dragging = false;
        return;
    }
    if (io.MouseWheel != 0) map::zoom_at(s.view, std::pow(1.25, io.MouseWheel), mx, my);
    if (ImGui::IsMouseDoubleClicked(0)) map::zoom_at(s.view, 2.0, mx, my);
    if (ImGui::IsMouseClicked(0)) {
        mi.dragging = true;
        mi.press_x = mx, mi.press_y = my;
    }
    if (mi.dragging && ImGui::IsMouseDown(0) && (io.MouseDelta.x != 0 || io.MouseDelta.y != 0))
        map::pan_pixels(s.view, io.MouseDelta.x, io.MouseDelta.y);
    const auto hits = s.pick(mx, my, 9.0);
    s.state.hovered = hits.empty() ? -1 : hits.front();
    if (ImGui::IsMouseReleased(0) && mi.dragging) {
        mi.dragging = false;
        const bool click = std::hypot(mx - mi.press_x, my - mi.press_y) < 4.0;
        if (click) {
            double lon, lat;
            s.pixel_lonlat(mx, my, lon, lat);
            if (s.panels.add_mode) {
                ui::open_new_incident(s.panels, lon, lat);
                s.panels.add_mode = false;
            } else if (s.panels.draw_claim) {
                s.panels.claim_vertices.push_back({lon, lat});
            } else if (!hits.empty()) {
                // Overlapping symbols: repeated clicks on the same stack cycle through it.
                mi.cycle = hits == mi.last_hits ? (mi.cycle + 1) % static_cast<int>(hits.size()) : 0;
                mi.last_hits = hits;
                s.state.selected = hits[mi.cycle];
            } else {
                s.state.selected = -1;
                mi.last_hits.clear();
            }
        }
    }
    // Measure tool: right-click two points; a third starts over.
    if (ImGui::IsMouseClicked(1)) {
        double lon, lat;
        s.pixel_lonlat(mx, my, lon, lat);
        if (s.measure_.size() >= 2) s.measure_.clear();
        s.measure_.push_back({lon, lat});
    }
}

// Status line: cursor lat/lon and map CRS, scale bar, measured distance, messages.
void status_overlay(Session& s) {
    ImGuiIO& io = ImGui::GetIO();
    ImDrawList* dl = ImGui::GetForegroundDrawList();
    const float h = io.DisplaySize.y;
    double lon = 0, lat = 0, x = 0, y = 0;
    map::pixel_to_map(s.view, io.MousePos.x, io.MousePos.y, x, y);
    s.projector().inverse(x, y, lon, lat);
    char buf[256];
    std::snprintf(buf, sizeof buf, "lat %.5f  lon %.5f  |  x %.0f  y %.0f m  |  1:%.0f", lat, lon, x, y,
                  s.view.units_per_pixel / 0.00028);  // standard 0.28 mm pixel
    std::string line = buf;
    if (s.measure_.size() == 2)
        line += "  |  measured " +
                std::to_string(geo::geodesic_distance_km(s.measure_[0].lon, s.measure_[0].lat,
                                                         s.measure_[1].lon, s.measure_[1].lat)).substr(0, 7) +
                " km (geodesic)";
    if (!s.state.messages.empty()) line += "  |  " + s.state.messages.back();
    // The time range on the map, top centre, so a screenshot says what it shows.
    const auto& st = s.state;
    const std::string range = st.range_from == st.range_to
                                  ? core::Date{st.range_from}.iso()
                                  : core::Date{st.range_from}.iso() + " to " + core::Date{st.range_to}.iso();
    const std::string banner = range + "  ·  " + std::to_string(st.visible.size()) + " incidents" +
                               (st.playing ? "  (playing)" : "");
    const ImVec2 bs = ImGui::CalcTextSize(banner.c_str());
    const float bx = (io.DisplaySize.x - bs.x) / 2, by = 26;
    dl->AddRectFilled(ImVec2(bx - 8, by - 3), ImVec2(bx + bs.x + 8, by + bs.y + 3), IM_COL32(255, 255, 255, 220), 4.0f);
    dl->AddText(ImVec2(bx, by), IM_COL32(30, 30, 30, 255), banner.c_str());
    dl->AddRectFilled(ImVec2(0, h - 22), ImVec2(io.DisplaySize.x, h), IM_COL32(255, 255, 255, 220));
    dl->AddText(ImVec2(8, h - 19), IM_COL32(30, 30, 30, 255), line.c_str());
    // Scale bar, bottom right: geodesic at the centre.
    const double km_px = map::km_per_pixel_at_center(s.scene(), s.view);
    if (km_px > 0) {
        const double km = map::nice_length_km(km_px * 150);
        const float len = static_cast<float>(km / km_px);
        const float x1 = io.DisplaySize.x - 20, x0 = x1 - len, yb = h - 34;
        dl->AddRectFilled(ImVec2(x0 - 6, yb - 18), ImVec2(x1 + 6, yb + 6), IM_COL32(255, 255, 255, 200));
        dl->AddLine(ImVec2(x0, yb), ImVec2(x1, yb), IM_COL32(20, 20, 20, 255), 3.0f);
        char label[32];
        std::snprintf(label, sizeof label, "%g km", km);
        dl->AddText(ImVec2(x0, yb - 17), IM_COL32(20, 20, 20, 255), label);
    }
}

/** Resident set size of this process in MB (VmRSS of /proc/self/status), 0 if unknown. */
long resident_mb() {
    std::ifstream status("/proc/self/status");
    std::string key;
    long kb = 0;
    while (status >> key) {
        if (key == "VmRSS:") {
            status >> kb;
            return kb / 1024;
        }
        status.ignore(1 << 12, '\n');
    }
    return 0;
}

void write_screenshot(const std::string& path, int w, int h, const map::View& view,
                      const geo::Projector& proj) {
    std::vector<std::uint8_t> rgba(static_cast<std::size_t>(w) * h * 4);
    glPixelStorei(GL_PACK_ALIGNMENT, 1);
    glReadBuffer(GL_BACK);
    glReadPixels(0, 0, w, h, GL_RGBA, GL_UNSIGNED_BYTE, rgba.data());
    // GL rows are bottom-up; images top-down.
    std::vector<std::uint8_t> row(static_cast<std::size_t>(w) * 4);
    for (int y = 0; y < h / 2; ++y) {
        auto* a = rgba.data() + static_cast<std::size_t>(y) * w * 4;
        auto* b = rgba.data() + static_cast<std::size_t>(h - 1 - y) * w * 4;
        std::copy(a, a + row.size(), row.data());
        std::copy(b, b + row.size(), a);
        std::copy(row.data(), row.data() + row.size(), b);
    }
    for (std::size_t i = 3; i < rgba.size(); i += 4) rgba[i] = 255;  // the window is opaque
    geo::Georeference g;
    g.pixel_size = view.units_per_pixel;
    g.top_left_x = view.center_x - w / 2.0 * view.units_per_pixel;
    g.top_left_y = view.center_y + h / 2.0 * view.units_per_pixel;
    g.wkt = proj.wkt();
    geo::write_image(path, rgba, w, h, g, geo::ImageFormat::Png, 96);
}

}  // namespace

void run_viewer(const ViewerOptions& o, std::ostream& log) {
    std::vector<ReplayFrame> script;
    if (!o.replay.empty()) script = parse_replay(o.replay);
    Session session(o, log);
    platform::Window window(o.width, o.height, "limes", true);
    ui::ImGuiHost host(window.handle());
    render::Renderer renderer;
    MapInput mi;
    int fb_w = 0, fb_h = 0;
    window.framebuffer_size(fb_w, fb_h);
    session.view.width = fb_w;
    session.view.height = fb_h;
    // A replay or a benchmark starts on the loaded workspace, so its frames mean the same
    // every run; interactively the window draws (with progress) while the incidents load.
    session.start_loading();
    const bool replay_while_loading = !script.empty() && script.front().wait_loaded;
    if ((!o.replay.empty() && !replay_while_loading) || o.benchmark_frames > 0) session.poll_loading(true);
    session.fit();
    std::size_t frame = 0;  // frames drawn
    std::size_t step = 0;   // frames of the script played (a wait-loaded frame may repeat)
    bool quit = false;
    // Benchmark: frames pan (no re-upload); every 8th zooms (re-upload of the symbols, whose
    // uncertainty discs scale with the zoom), and every 8th, 4 frames later, moves the time
    // range by a day (re-filter of every incident, then re-upload); times per kind.
    std::vector<double> pan_ms, zoom_ms, timeline_ms, refilter_ms;
    if (o.benchmark_frames > 0) glfwSwapInterval(0);
    std::ofstream replay_log;
    if (!o.replay_log.empty()) {
        replay_log.open(o.replay_log);
        if (!replay_log) throw core::IoError(o.replay_log, "cannot open for writing");
    }
    auto last = std::chrono::steady_clock::now();
    std::string last_title;
    double play_accum_ = 0.0;  // days of playback not yet applied
    std::string uploaded_key;  // content_key() of what the renderer holds
    while (!quit) {
        const bool scripted = !o.replay.empty();
        if (scripted && step >= script.size()) break;
        const bool bench = o.benchmark_frames > 0;
        if (bench && frame >= static_cast<std::size_t>(o.benchmark_frames)) break;
        const auto frame_start = std::chrono::steady_clock::now();
        const bool bench_zoom = bench && frame % 8 == 7, bench_timeline = bench && frame % 8 == 3;
        if (bench) {
            if (bench_zoom) {
                map::zoom_at(session.view, (frame / 8) % 2 ? 1.1 : 1 / 1.1, session.view.width / 2.0,
                             session.view.height / 2.0);
            } else if (bench_timeline) {
                const int day = (frame / 8) % 2 ? 1 : -1;
                session.state.range_from += day;
                session.state.range_to += day;
                const auto t = std::chrono::steady_clock::now();
                session.state.refilter();
                if (frame >= 8)
                    refilter_ms.push_back(
                        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t).count());
            } else {
                map::pan_pixels(session.view, (frame / 64) % 2 ? 3.0 : -3.0, 1.0);
            }
        }
        window.poll_events();
        if (!scripted && window.should_close()) {
            window.request_close(false);
            session.state.actions.push_back({ui::Action::Kind::Quit});
        }
        window.framebuffer_size(fb_w, fb_h);
        session.view.width = std::max(fb_w, 1);
        session.view.height = std::max(fb_h, 1);

        session.poll_loading();
        host.new_frame(scripted ? &script[step].input : nullptr);
        ui::draw_panels(session.state, session.panels, fb_w, fb_h);
        const map::View before_input = session.view;
        handle_map_input(session, mi);
        if (session.view.center_x != before_input.center_x || session.view.center_y != before_input.center_y ||
            session.view.units_per_pixel != before_input.units_per_pixel)
            session.view_moved = true;
        if (session.state.hovered >= 0 && !ImGui::GetIO().WantCaptureMouse)
            ui::draw_tooltip(session.state, static_cast<std::size_t>(session.state.hovered));
        status_overlay(session);
        session.cluster_labels();
        if (session.panels.claim_ready) session.add_claim_from_panel();
        session.run_actions(quit);
        session.autosave();

        // Playback: window mode slides the range, cumulative grows it; stops at the end.
        const auto now = std::chrono::steady_clock::now();
        const double dt = scripted ? 1.0 / 60 : std::chrono::duration<double>(now - last).count();
        last = now;
        auto& st = session.state;
        if (st.playing) {
            play_accum_ += dt * st.play_days_per_second;
            const int step = static_cast<int>(play_accum_);
            if (step > 0) {
                play_accum_ -= step;
                const int len = st.range_to - st.range_from;
                if (st.range_to >= st.span_to) {
                    st.playing = false;
                } else {
                    st.range_to = std::min(st.span_to, st.range_to + step);
                    if (!st.cumulative) st.range_from = st.range_to - len;
                    st.refilter();
                }
            }
        }

        const std::string title = "limes - " + o.workspace + (st.dirty ? " *" : "");
        if (title != last_title) window.set_title(last_title = title);

        const std::string key = session.content_key();
        if (key != uploaded_key) {
            renderer.upload(session.draw_list());
            uploaded_key = key;
        }
        glBindFramebuffer(GL_FRAMEBUFFER, 0);
        glViewport(0, 0, fb_w, fb_h);
        renderer.draw(session.view, render::TileRect{0, 0, fb_w, fb_h}, render::RowOrder::BottomUp);
        host.render();
        if (scripted && !script[step].screenshot.empty())
            write_screenshot(script[step].screenshot, fb_w, fb_h, session.view, session.projector());
        const bool holding = scripted && script[step].wait_loaded && session.state.loading;
        const bool last_frame = scripted && step + 1 == script.size() && !holding;
        if (last_frame && !o.screenshot.empty())
            write_screenshot(o.screenshot, fb_w, fb_h, session.view, session.projector());
        if (replay_log.is_open()) {
            // What a test needs to know about this frame, one JSON object per line.
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
                                {"hovered", id(s.hovered)},
                                {"tooltip", s.hovered >= 0 && !ImGui::GetIO().WantCaptureMouse},
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
            nlohmann::json layers = nlohmann::json::array();
            for (const auto& l : s.layers)
                layers.push_back({{"name", l.name}, {"visible", l.visible}, {"opacity", l.opacity}});
            j["layers"] = layers;
            j["playing"] = s.playing;
            j["cumulative"] = s.cumulative;
            j["days_per_second"] = s.play_days_per_second;
            j["claims"] = s.claims.size();
            j["undo"] = s.undo_stack.size();
            j["redo"] = s.redo_stack.size();
            replay_log << j.dump() << '\n';
        }
        window.swap_buffers();
        if (scripted && script[step].crash) {
            replay_log.flush();
            ::kill(::getpid(), SIGKILL);  // no destructor runs: as a power cut would leave it
        }
        if (bench) {
            glFinish();  // count the frame when the GPU (or llvmpipe) has drawn it
            const double ms = std::chrono::duration<double, std::milli>(
                                  std::chrono::steady_clock::now() - frame_start).count();
            if (frame >= 8)  // skip warm-up
                (bench_zoom ? zoom_ms : bench_timeline ? timeline_ms : pan_ms).push_back(ms);
        }
        ++frame;
        if (scripted && !holding) ++step;
    }
    if (o.benchmark_frames > 0) {
        auto median = [](std::vector<double> v) {
            if (v.empty()) return 0.0;
            std::sort(v.begin(), v.end());
            return v[v.size() / 2];
        };
        // The slowest frames too: a median hides the zoom steps that rebuild the clusters.
        auto slowest = [](std::vector<double> v) {
            if (v.empty()) return 0.0;
            std::sort(v.begin(), v.end());
            return v.back();
        };
        auto line = [&](const char* kind, const std::vector<double>& ms) {
            const double m = median(ms);
            log << "\n  " << kind << " frames: median " << m << " ms (" << (m > 0 ? 1000 / m : 0)
                << " fps), n=" << ms.size() << ", slowest " << slowest(ms) << " ms";
        };
        log << "view benchmark: " << session.state.incidents.size() << " incidents, " << session.view.width
            << "x" << session.view.height << ", GL " << glGetString(GL_RENDERER);
        line("pan", pan_ms);
        line("zoom", zoom_ms);
        line("timeline", timeline_ms);
        log << "\n  re-filter (timeline step): median " << median(refilter_ms) << " ms"
            << "\n  memory: resident " << resident_mb() << " MB, incident columns "
            << session.state.incidents.bytes() / 1'000'000 << " MB\n";
    }
}

}  // namespace limes::app
