// The actions the panels queue (ui::Action), carried out between frames: save, export,
// briefing, saved views, fly-to, fit, quit, the autosave's restore or discard; and a claim
// drawn on the map stored as one.
#include <GLFW/glfw3.h>

#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>

#include "app/session.hpp"
#include "core/error.hpp"
#include "core/text.hpp"
#include "geo/formats/image_writer.hpp"
#include "geo/formats/safe_output.hpp"
#include "geo/geometry/geos_util.hpp"
#include "geo/ops/exporter.hpp"
#include "geo/ops/importer.hpp"
#include "geo/ops/save_copy.hpp"
#include "geo/store/edits.hpp"
#include "geo/store/views.hpp"

namespace limes::app {

BriefingOptions Session::briefing_options(const std::string& output, const std::string& title,
                                          int w, int h) const {
    BriefingOptions o;
    o.workspace = options_.workspace;
    o.output = output;
    // The extension decides the format, as for `limes render` (an unknown one is refused).
    if (!output.empty()) o.format = geo::image_format_for(output);
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
    // Claims and lines as the window draws them: as of its as-of day.
    o.at = as_of_;
    return o;
}

AnimationOptions Session::animation_options(const std::string& output, const std::string& title,
                                            int w, int h) const {
    AnimationOptions o;
    // The briefing of the window (extent, filters, layers), through the timeline's range: a
    // frame a day, at the play speed (days a second = frames a second), its sliding window
    // (or cumulative, as the timeline plays).
    o.base = briefing_options("", title, w, h);  // "": no image extension to check
    o.base.output = output;
    o.base.at.reset();
    o.from = core::Date{state.range_from};
    o.to = core::Date{state.range_to};
    o.step_minutes = 1440;
    o.cumulative = state.cumulative;
    if (!o.cumulative) o.window_minutes = 1440L * std::max(1, state.play_window_days);
    o.fps = std::clamp(static_cast<int>(std::lround(state.play_days_per_second)), 1, 60);
    // MP4 and WebM need even sides.
    o.base.width -= o.base.width % 2;
    o.base.height -= o.base.height % 2;
    return o;
}

namespace {

/** The window's GL context released for a scope: the briefing and the animation render on an
 *  EGL context of their own, and libglvnd refuses to make that current while the window's
 *  GLX context is (EGL_BAD_ACCESS). */
class WindowContextReleased {
  public:
    WindowContextReleased() : window_(glfwGetCurrentContext()) { glfwMakeContextCurrent(nullptr); }
    ~WindowContextReleased() { glfwMakeContextCurrent(window_); }
    WindowContextReleased(const WindowContextReleased&) = delete;
    WindowContextReleased& operator=(const WindowContextReleased&) = delete;

  private:
    GLFWwindow* window_;
};

constexpr const char* kReadOnly = "the workspace is read-only; use File → Save As";

/** Whether this process may not write the workspace: the file (or its folder, where SQLite
 *  writes its journal) is read-only, the database's role may only read, or limes does not
 *  write that kind of source (Workspace::require_writable says which). A workspace holding
 *  foreign logic is not "read-only": the write itself says why it is refused. */
bool read_only(const geo::Workspace& ws) {
    try {
        ws.require_writable();
    } catch (const core::IoError&) {
        return true;
    } catch (const core::UsageError&) {
        return true;
    } catch (const core::DataError&) {
    }
    return false;
}

/** What the user reads when an action fails: the error's own text, except that SQLite's and
 *  GDAL's words for a file that cannot be written (with the SQL that tried) become the plain
 *  reason and the way out. */
std::string plain_error(const std::exception& e) {
    const std::string what = e.what();
    for (const char* sign : {"readonly database", "read-only", "Permission denied",
                             "attempt to write", "unable to open database file"})
        if (what.find(sign) != std::string::npos) return kReadOnly;
    return what;
}

}  // namespace

void Session::save() {
    if (read_only(*ws_)) throw core::IoError(ws_->path(), kReadOnly);
    if (!state.conflicts.empty())
        throw core::UsageError(std::to_string(state.conflicts.size()) +
                               " row(s) were changed in the file too: choose whose value to "
                               "keep before saving");
    // Someone else wrote since the load: their rows first, this session's edits on top, then
    // the save (apply_carried_edits), unless the same row was changed on both sides.
    if (check_external_changes()) {
        save_after_merge_ = true;
        return;
    }
    // Only what changed is written, in one SQLite transaction (a crash leaves the file as
    // it was): a save after one edit of a million-row workspace takes milliseconds.
    try {
        geo::save_edits(ws_->incidents(), state.incidents);
    } catch (const geo::StaleRowError& e) {
        // A row was changed by someone else between the last look and this save (a
        // database's row version said so; nothing was written): read again, edits on top,
        // and save then unless the same row was changed on both sides.
        log_ << e.what() << '\n';
        read_again_with_edits();
        save_after_merge_ = true;
        return;
    }
    if (watch_) watch_->absorb();  // this save is not someone else's change
    state.edit_bases.clear();
    state.dirty = false;
    remove_autosave(options_.workspace);
    state.messages.push_back("saved " + std::to_string(state.incidents.live()) + " incidents");
    log_ << "saved " << ws_->path() << '\n';
}

void Session::save_as(const std::string& path) {
    if (path.empty()) throw core::UsageError("Save As: no file name given");
    if (std::filesystem::exists(path))
        throw core::UsageError(path + " exists: choose a new file name for the copy");
    auto ends_with = [](const std::string& s, const std::string& end) {
        return s.size() >= end.size() && s.compare(s.size() - end.size(), end.size(), end) == 0;
    };
    if (!ends_with(core::to_lower(path), ".gpkg"))
        throw core::UsageError("Save As: " + path + ": the copy is a GeoPackage; name it .gpkg");
    {
        // A GeoPackage (an SQLite file) is copied byte for byte and saved into, keeping its
        // fids, views and audit. Anything else (a PostGIS schema, where a role that may only
        // read is sent here by kReadOnly; a read-only OGR source) is written afresh into a
        // new GeoPackage with the edits on top, which the window then opens.
        char magic[16] = {};
        std::ifstream head(options_.workspace, std::ios::binary);
        head.read(magic, sizeof magic);
        if (std::string(magic, sizeof magic) != std::string("SQLite format 3\0", 16)) {
            const std::size_t written = geo::save_copy(*ws_, state.incidents, path);
            state.dirty = false;  // every edit is in the copy; this workspace is left as it was
            remove_autosave(options_.workspace);
            open_next = path;
            state.messages.push_back("saved as " + path + " (" + std::to_string(written) +
                                     " incidents, the edits included); the window opens it");
            log_ << "saved as " << path << '\n';
            return;
        }
    }
    // A copy in a private folder beside the target first (geo/formats/safe_output.hpp),
    // opened and saved into, then renamed into place: a failure leaves no half-written
    // workspace under the chosen name. The copy is a new file (this process's permissions,
    // not the read-only original's); the workspace keeps no journal beside it (SQLite's
    // rollback journal is gone after each commit).
    const geo::StagingDir staging(path);
    const std::string name = geo::file_name_of(path);
    const std::string staged = staging.path(name);
    {
        std::ifstream in(options_.workspace, std::ios::binary);
        if (!in)
            throw core::IoError(options_.workspace,
                                "cannot read: " + std::string(std::strerror(errno)));
        std::ofstream out(staged, std::ios::binary | std::ios::trunc);
        if (!out) throw core::IoError(path, "cannot write: " + std::string(std::strerror(errno)));
        out << in.rdbuf();
        out.close();
        if (!out) throw core::IoError(path, "cannot write the copy");
    }
    auto copy = std::make_shared<geo::Workspace>(geo::Workspace::open(staged));
    const std::size_t written = geo::save_edits(copy->incidents(), state.incidents);
    copy.reset();  // closed before it is moved
    staging.publish_new(name, path);
    const std::string old = options_.workspace;
    ws_ = std::make_shared<geo::Workspace>(geo::Workspace::open(path));
    switch_workspace(path);
    state.incidents.set_fetch(fetch());
    state.dirty = false;
    remove_autosave(old);  // the edits it kept are in the copy now
    state.messages.push_back("saved as " + path + " (" + std::to_string(written) +
                             " edited rows); the window now works on it");
    log_ << "saved as " << path << '\n';
}

void Session::import(const std::string& path) {
    if (state.dirty)
        throw core::UsageError("unsaved edits: save them (or Save As) before an import");
    if (state.loading) throw core::UsageError("the incidents are still loading");
    if (read_only(*ws_)) throw core::IoError(ws_->path(), kReadOnly);
    const geo::ImportReport r = geo::import_file(options_.workspace, path, geo::ImportOptions{});
    std::string msg = "imported " + std::to_string(r.imported) + " of " + std::to_string(r.read) +
                      " from " + path + " into " + r.target_layer;
    if (r.skipped) msg += ", skipped " + std::to_string(r.skipped) + " bad";
    if (r.duplicates) msg += ", " + std::to_string(r.duplicates) + " duplicates left out";
    if (r.aborted) msg = "import of " + path + " refused: nothing written";
    for (const auto& d : r.diagnostics.items())
        log_ << d.where.file << ":" << d.where.row << ": " << d.message << '\n';
    state.messages.push_back(msg);
    log_ << msg << '\n';
    load_scene();  // claims or basemap layers may have come in
    ++state.visible_version;
    start_loading();  // the incidents again, with the new rows
}

void Session::add_claim_from_panel() {
    panels.claim_ready = false;
    panels.claim_problems.clear();
    if (panels.claim_vertices.size() < 3) panels.claim_problems.push_back("at least 3 vertices");
    if (panels.claim_claimant.empty())
        panels.claim_problems.push_back("claimant: whose statement is this?");
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
    try {
        if (read_only(*ws_)) throw core::IoError(ws_->path(), kReadOnly);
        ws_->append_claims(claims);  // one transaction of its own, like an import
        if (watch_) watch_->absorb();  // this window's own write
    } catch (const std::exception& e) {
        // Said in the tool's window, the vertices kept (the loop must not end on it).
        panels.claim_problems.push_back(plain_error(e));
        log_ << "limes view: " << e.what() << '\n';
        return;
    }
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

void Session::run_actions(bool& quit) {
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
                case ui::Action::Kind::SaveAs: save_as(a.path); break;
                case ui::Action::Kind::Open:
                    if (state.dirty)
                        throw core::UsageError(
                            "unsaved edits: save them (or Save As) before opening another "
                            "workspace");
                    open_next = a.path;  // the loop opens it in a new session
                    break;
                case ui::Action::Kind::Import: import(a.path); break;
                case ui::Action::Kind::Fit: fit(); break;
                case ui::Action::Kind::FlyTo: {
                    double x, y;
                    if (proj_.forward(a.lon, a.lat, x, y)) {
                        view.units_per_pixel = std::min(view.units_per_pixel, 120.0);
                        centre_on(x, y);
                    }
                    break;
                }
                case ui::Action::Kind::FlyToClaim:
                    // A claim of another day: the map goes to a day it holds (its last, or its
                    // first when it lies ahead), so that it is drawn.
                    show_claim_day(a.fid);
                    // To the claim's label, found by its id (names may repeat).
                    if (const auto anchor = scene_->claim_anchor(a.fid)) {
                        view.units_per_pixel = std::min(view.units_per_pixel, 120.0);
                        centre_on(anchor->x + scene_->origin_x(), anchor->y + scene_->origin_y());
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
                            n = geo::write_rows_geojson(ws_->incidents(), state.incidents,
                                                        state.visible, out);
                        }
                    });
                    state.messages.push_back("exported " + std::to_string(n) + " to " + a.path);
                    break;
                }
                case ui::Action::Kind::Briefing: {
                    const WindowContextReleased released;
                    render_briefing(briefing_options(a.path, a.text, a.width, a.height), log_);
                    state.messages.push_back("briefing written to " + a.path);
                    break;
                }
                case ui::Action::Kind::ExportAnimation: {
                    const WindowContextReleased released;
                    const AnimationOptions anim = animation_options(a.path, a.text, a.width, a.height);
                    const AnimationResult r = render_animation(anim);
                    state.messages.push_back("animation written to " + a.path + " (" +
                                             std::to_string(r.frames) + " frames)");
                    break;
                }
                case ui::Action::Kind::SaveView: {
                    if (read_only(*ws_))
                        throw core::IoError(ws_->path(), kReadOnly);
                    save_briefing_view(
                        briefing_options("", a.path, panels.briefing_width, panels.briefing_height),
                        a.text);
                    if (watch_) watch_->absorb();  // this window's own write
                    state.messages.push_back("view '" + a.text + "' saved");
                    break;
                }
                case ui::Action::Kind::Quit:
                    if (state.dirty)
                        panels.confirm_quit = true;
                    else
                        quit = true;
                    break;
                case ui::Action::Kind::QuitDiscard:
                    if (!save_failed) {
                        quit = true;
                        remove_autosave(options_.workspace);  // the user chose to lose them
                    }
                    break;
                case ui::Action::Kind::RestoreAutosave: restore_autosave(); break;
                case ui::Action::Kind::KeepMine: resolve_conflicts(true); break;
                case ui::Action::Kind::TakeTheirs: resolve_conflicts(false); break;
                case ui::Action::Kind::DiscardAutosave:
                    restore_.reset();
                    if (!state.dirty) remove_autosave(options_.workspace);
                    break;
            }
        } catch (const std::exception& e) {
            // The log keeps the whole text; the window says it plainly (the writes into the
            // workspace: SQLite's words and SQL for a file that cannot be written).
            const bool into_workspace =
                a.kind == ui::Action::Kind::Save || a.kind == ui::Action::Kind::SaveView;
            state.messages.push_back("error: " + (into_workspace ? plain_error(e) : e.what()));
            log_ << "limes view: " << e.what() << '\n';
        }
    }
}

}  // namespace limes::app
