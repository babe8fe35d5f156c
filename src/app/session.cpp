#include "app/session.hpp"

#include <imgui.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <set>
#include <unordered_map>

#include "core/error.hpp"
#include "geo/store/schema_check.hpp"
#include "geo/ops/stats.hpp"
#include "geo/store/edits.hpp"
#include "map/camera.hpp"
#include "map/cluster.hpp"
#include "map/style.hpp"

namespace limes::app {

namespace {

/** The row of each stored incident, by its fid. */
std::unordered_map<std::int64_t, std::size_t> rows_by_fid(const core::IncidentStore& store) {
    std::unordered_map<std::int64_t, std::size_t> out;
    for (std::size_t i = 0; i < store.size(); ++i)
        if (store.fid(i) > 0) out[store.fid(i)] = i;
    return out;
}

}  // namespace

Session::Session(const ViewerOptions& o, std::ostream& log)
    : options_(o),
      log_(log),
      proj_(o.crs.empty() ? geo::kDefaultMapCrs : o.crs),
      ws_(std::make_shared<geo::Workspace>(geo::Workspace::open(o.workspace))) {
    load_scene();
    for (const auto& s : scene_->default_styles()) state.layers.push_back({s.name, true, 1.0f});
    switch_workspace(options_.workspace);
    state.incidents = core::IncidentStore(fetch());
    state.reset_time_range();
}

void Session::switch_workspace(const std::string& path) {
    options_.workspace = path;
    state.workspace_path = path;
    watch_workspace();
    // Said in the status lines and the log: saving will be refused (exit-3 wording) until
    // `limes clean` removes it.
    if (const std::string note = geo::foreign_logic_note(path, ws_->foreign_logic()); !note.empty()) {
        state.messages.push_back(note);
        log_ << note << '\n';
    }
    std::shared_ptr<geo::IncidentTable> table(ws_, &ws_->incidents());
    state.find_in_notes = [table](const std::string& text) {
        return table->find("notes", text, geo::TextMatch::Contains);
    };
    state.event_id_stored = [table](const std::string& id) {
        return !table->find("event_id_cnty", id, geo::TextMatch::Equals).empty();
    };
}

void Session::watch_workspace() {
    watch_.reset();
    try {
        watch_ = ws_->watch();  // a file's data_version, a database's notifications
    } catch (const std::exception& e) {
        log_ << "limes view: cannot watch " << ws_->path() << ": " << e.what() << '\n';
    }
}

void Session::start_loading() {
    state.loading = true;
    state.load_fraction = 0.0;
    watch_workspace();  // from before the read: a commit while it loads shows afterwards
    loader_ =
        std::make_unique<IncidentLoader>(*ws_, proj_.crs(), scene_->origin_x(), scene_->origin_y());
}

void Session::poll_loading(bool wait) {
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
    if (carried_) {
        // A reload: the view stays; the time range too, unless it was the whole span (All),
        // which then grows to the new rows' days.
        const bool all = state.range_from == state.span_from && state.range_to == state.span_to;
        const auto from = state.range_from, to = state.range_to;
        state.reset_time_range();
        if (!all) {
            state.range_from = std::max(from, state.span_from);
            state.range_to = std::min(to, state.span_to);
            state.refilter();
        }
        apply_carried_edits();
        return;
    }
    state.reset_time_range();
    if (!view_moved) fit();
    offer_autosave();
}

bool Session::check_external_changes() {
    if (state.loading || !watch_ || !watch_->changed()) return false;
    read_again_with_edits();
    return true;
}

void Session::read_again_with_edits() {
    // The unsaved edits, with what each stored row held when first edited here.
    std::vector<CarriedEdit> carried;
    for (std::uint32_t i : state.incidents.unsaved()) {
        CarriedEdit c;
        c.edit.fid = state.incidents.fid(i);
        c.edit.removed = state.incidents.removed(i);
        if (c.edit.removed && c.edit.fid == 0) continue;  // made here and removed: nothing
        c.edit.row = state.incidents.row(i);
        if (auto b = state.edit_bases.find(c.edit.fid); b != state.edit_bases.end())
            c.base = b->second;
        carried.push_back(std::move(c));
    }
    // Conflicts not yet decided stay conflicts: carried as edits, compared again.
    for (const auto& k : state.conflicts) {
        CarriedEdit c;
        c.edit.fid = k.fid;
        c.edit.removed = k.mine_removed;
        c.edit.row = k.mine;
        c.base = k.theirs;
        carried.push_back(std::move(c));
    }
    state.conflicts.clear();
    log_ << ws_->path() << " changed: reading it again (" << carried.size()
         << " unsaved edits kept)\n";
    carried_ = std::move(carried);
    load_scene();  // claims or basemap layers may have come in too
    ++state.visible_version;
    start_loading();
}

void Session::apply_carried_edits() {
    std::vector<CarriedEdit> carried = std::move(*carried_);
    carried_.reset();
    state.undo_stack.clear();  // their rows are numbered anew
    state.redo_stack.clear();
    state.edit_bases.clear();
    const std::unordered_map<std::int64_t, std::size_t> row_of = rows_by_fid(state.incidents);
    std::size_t kept = 0;
    for (CarriedEdit& c : carried) {
        const AutosavedEdit& e = c.edit;
        if (e.fid == 0) {
            state.add(e.row);
            ++kept;
            continue;
        }
        const auto it = row_of.find(e.fid);
        std::optional<core::Incident> theirs;
        if (it != row_of.end()) theirs = state.incidents.row(it->second);
        // Changed elsewhere: the file's row is not what this session started its edit from
        // (or is gone), and differs from this session's value.
        const bool changed_there = !theirs || !c.base ||
                                   !core::differing_columns(*theirs, *c.base).empty();
        const bool same_result = theirs && !e.removed && core::differing_columns(*theirs, e.row).empty();
        if (same_result) continue;  // both made the same change: nothing left to save
        if (changed_there) {
            ui::ViewerState::Conflict k;
            k.fid = e.fid;
            k.event_id = e.row.event_id_cnty;
            k.mine_removed = e.removed;
            k.mine = e.row;
            k.theirs = theirs;
            if (theirs && !e.removed)
                for (auto col : core::differing_columns(e.row, *theirs)) k.columns.emplace_back(col);
            state.conflicts.push_back(std::move(k));
            continue;
        }
        if (e.removed) {
            state.remove(it->second);
        } else {
            // On top of the row as it is stored now: its version too, so that the save is
            // not refused as stale for a change that was merged here.
            core::Incident row = e.row;
            if (theirs) row.version = theirs->version;
            state.change(it->second, row);
        }
        ++kept;
    }
    state.dirty = kept > 0 || !state.conflicts.empty();
    std::string msg = "read " + ws_->path() + " again (changed by another program)";
    if (kept) msg += ": " + std::to_string(kept) + " unsaved edit(s) kept on top";
    if (!state.conflicts.empty())
        msg += "; " + std::to_string(state.conflicts.size()) +
               " row(s) changed there too: choose whose value to keep";
    state.messages.push_back(msg);
    log_ << msg << '\n';
    if (save_after_merge_) {
        save_after_merge_ = false;
        if (state.conflicts.empty()) save();
    }
}

void Session::resolve_conflicts(bool keep_mine) {
    std::vector<ui::ViewerState::Conflict> conflicts = std::move(state.conflicts);
    state.conflicts.clear();
    state.actions_pending_conflicts = false;
    if (!keep_mine) {
        state.messages.push_back("kept the file's value of " + std::to_string(conflicts.size()) +
                                 " row(s)");
        if (state.incidents.unsaved().empty()) state.dirty = false;
        return;
    }
    const std::unordered_map<std::int64_t, std::size_t> row_of = rows_by_fid(state.incidents);
    for (const auto& k : conflicts) {
        const auto it = row_of.find(k.fid);
        if (it == row_of.end()) {
            if (!k.mine_removed) state.add(k.mine);  // deleted there, kept here: added again
            continue;
        }
        if (k.mine_removed) {
            state.remove(it->second);
        } else {
            core::Incident mine = k.mine;  // its base is now the stored value, version and all
            if (k.theirs) mine.version = k.theirs->version;
            state.change(it->second, mine);
        }
    }
    state.dirty = true;
    state.messages.push_back("kept this window's value of " + std::to_string(conflicts.size()) +
                             " row(s); Save writes them");
}

void Session::offer_autosave() {
    try {
        restore_ = read_autosave(options_.workspace);
    } catch (const std::exception& e) {
        state.messages.push_back(std::string("error: ") + e.what());
        return;
    }
    if (!restore_ || restore_->edits.empty()) return;
    panels.offer_restore = true;
    panels.restore_summary = std::to_string(restore_->edits.size()) + " unsaved edit" +
                             (restore_->edits.size() == 1 ? "" : "s") +
                             " of an earlier session (autosaved " + restore_->written +
                             ") were not saved.";
}

void Session::restore_autosave() {
    if (!restore_) return;
    const std::unordered_map<std::int64_t, std::size_t> row_of = rows_by_fid(state.incidents);
    std::size_t applied = 0;
    for (const AutosavedEdit& e : restore_->edits) {
        auto it = e.fid > 0 ? row_of.find(e.fid) : row_of.end();
        if (it != row_of.end()) {
            if (e.removed)
                state.remove(it->second);
            else
                state.change(it->second, e.row);
        } else if (!e.removed) {
            state.add(e.row);  // made in the window, or its stored row is gone since
        } else {
            continue;  // removing a row that is no longer there
        }
        ++applied;
    }
    state.messages.push_back("restored " + std::to_string(applied) + " unsaved edits (autosaved " +
                             restore_->written + ")");
    restore_.reset();
}

void Session::autosave() {
    if (state.loading || state.data_version == autosaved_version_) return;
    autosaved_version_ = state.data_version;
    if (!state.dirty) return;  // a load: nothing of this session to keep (nor to remove)
    try {
        write_autosave(options_.workspace, state.incidents);
    } catch (const std::exception& e) {
        state.messages.push_back(std::string("error: ") + e.what());
    }
}

core::IncidentStore::Fetch Session::fetch() const {
    return geo::fetch_from(ws_, options_.workspace);
}

void Session::load_scene() {
    basemap_ = ws_->basemap();
    const core::Basemap& basemap = basemap_;
    as_of_key_.clear();
    as_of_.reset();
    changes_from_.reset();
    changes_drawn_ = 0;
    scene_ = std::make_unique<map::Scene>(basemap, proj_.crs());
    state.claims = geo::compute_claim_stats(*ws_, {});
    // The as-of slider's span: from the earliest date of a claim or line to today (or the
    // latest such date, if $SOURCE_DATE_EPOCH puts "today" before it).
    state.as_of_max = today().days;
    state.as_of_min = state.as_of_max;
    auto widen = [&](const std::optional<core::Date>& d) {
        if (!d) return;
        state.as_of_min = std::min(state.as_of_min, d->days);
        state.as_of_max = std::max(state.as_of_max, d->days);
    };
    for (const auto& c : basemap.claims) widen(c.valid_from), widen(c.valid_to);
    for (const auto& l : basemap.layers)
        for (const auto& f : l.features) widen(f.valid_from), widen(f.valid_to);
    // The areas a new incident's country and admin1 are read from (lon/lat, no GEOS: a
    // crossing-number test per area, see point_in_polygon.hpp).
    countries_ = {}, provinces_ = {};
    country_names_.clear(), province_names_.clear();
    auto index = [&](const char* name, geo::PolygonLocator& at, std::vector<std::string>& names) {
        if (const core::BasemapLayer* layer = basemap.layer(name))
            for (const auto& f : layer->features)
                if (!f.polygons.empty()) {
                    at.add(f.polygons);
                    names.push_back(f.name);
                }
    };
    index("countries", countries_, country_names_);
    index("provinces", provinces_, province_names_);
}

Session::Admin Session::admin_at(double lon, double lat) const {
    Admin a;
    if (const long k = countries_.find(lon, lat); k >= 0) a.country = country_names_[k];
    if (const long k = provinces_.find(lon, lat); k >= 0) a.admin1 = province_names_[k];
    return a;
}

void Session::fit() {
    // The incidents shown, with context around them (as `limes render` fits its extent), or
    // the whole basemap when none are.
    map::Bounds b;
    if (!state.visible.empty())
        b = map::with_context(map::incident_bounds(positions_, &state.visible, scene_->origin_x(),
                                                   scene_->origin_y()));
    if (b.empty()) {
        b.add(scene_->min_x(), scene_->min_y());
        b.add(scene_->max_x(), scene_->max_y());
    }
    // Into the part of the window the panels leave free, not under them.
    const ui::MapArea area = ui::map_area(panels, view.width, view.height);
    map::View inner = view;
    inner.width = std::max(1, static_cast<int>(area.x1 - area.x0));
    inner.height = std::max(1, static_cast<int>(area.y1 - area.y0));
    map::fit_box(inner, b.min_x, b.min_y, b.max_x, b.max_y, 0.02);
    view.units_per_pixel = inner.units_per_pixel;
    centre_on(inner.center_x, inner.center_y);
}

void Session::centre_on(double x, double y) {
    // Pixel px shows x = center_x + (px - width/2) * upp (y: minus, rows run down): the
    // area's centre pixel shows (x, y) when the view's centre is moved by the offset.
    const ui::MapArea area = ui::map_area(panels, view.width, view.height);
    view.center_x = x - ((area.x0 + area.x1) / 2 - view.width / 2.0) * view.units_per_pixel;
    view.center_y = y + ((area.y0 + area.y1) / 2 - view.height / 2.0) * view.units_per_pixel;
}

void Session::sync_positions() {
    positions_.resize(state.incidents.size(), map::Vec2{NAN, NAN});
    for (const std::uint32_t i : state.incidents.take_moved()) {
        const core::IncidentMark& m = state.incidents.marks()[i];
        positions_[i] = scene_->local(m.lon, m.lat);
    }
}

void Session::update_as_of() {
    const std::int32_t d = state.as_of_follows_range ? state.range_to : state.as_of_day;
    if (!d) return;  // no dates yet (loading, or no incidents): everything
    const core::Date day{d};
    // With View → Changes over the range: the changes from the range's first day.
    const std::optional<core::Date> changes_from =
        state.show_changes && state.range_from < d ? std::optional(core::Date{state.range_from})
                                                   : std::nullopt;
    if (as_of_ && *as_of_ == day && changes_from_ == changes_from) return;
    as_of_ = day;
    changes_from_ = changes_from;
    // Which dated features and claims hold that day; the scene is rebuilt only when that set
    // changes (a timeline step usually changes nothing). Its origin comes from the countries,
    // which are not dated, so the incidents' positions stay valid.
    std::string key;
    for (const auto& l : basemap_.layers)
        for (const auto& f : l.features)
            if ((f.valid_from || f.valid_to) && core::drawn_on(f, day))
                key += l.name + ":" + std::to_string(f.fid) + " ";
    for (const auto& c : basemap_.claims)
        if (core::valid_on(c.valid_from, c.valid_to, day)) key += "c" + std::to_string(c.fid) + " ";
    if (changes_from) key += "changes from " + changes_from->iso();
    if (key == as_of_key_) return;
    as_of_key_ = key;
    core::Basemap shown = basemap_.as_of(day);
    changes_drawn_ = 0;
    if (changes_from) {
        shown.layers.push_back(changes_layer(basemap_.claims, *changes_from, day));
        changes_drawn_ = shown.layers.back().features.size();
    }
    scene_ = std::make_unique<map::Scene>(shown, proj_.crs());
    ++scene_version_;
}

void Session::show_claim_day(std::int64_t fid) {
    update_as_of();
    for (const core::Claim& c : basemap_.claims) {
        if (c.fid != fid) continue;
        if (as_of_ && core::valid_on(c.valid_from, c.valid_to, *as_of_)) return;
        std::int32_t day = state.range_to;
        if (c.valid_to && (!as_of_ || *as_of_ >= *c.valid_to)) day = c.valid_to->days - 1;
        else if (c.valid_from) day = c.valid_from->days;
        state.as_of_follows_range = false;
        state.as_of_day = day;
        state.as_of_min = std::min(state.as_of_min, day);
        update_as_of();
        return;
    }
}

map::DrawList Session::draw_list() {
    sync_positions();
    std::vector<map::LayerStyle> styles;
    for (const auto& l : state.layers) {
        map::LayerStyle st{l.name, l.visible, l.opacity};
        st.recolor = l.recolor;
        st.color = {static_cast<std::uint8_t>(l.color[0] * 255),
                    static_cast<std::uint8_t>(l.color[1] * 255),
                    static_cast<std::uint8_t>(l.color[2] * 255), 255};
        st.line_width = l.line_width;
        styles.push_back(st);
        // The changes layer (View → Changes over the range) is drawn with the claims, just
        // over them, shown and faded with them; it has no row of its own in the Layers tab.
        if (l.name == "claims" && changes_drawn_ > 0) {
            map::LayerStyle changes{"changes", l.visible, l.opacity};
            styles.push_back(changes);
        }
    }
    // The clusters' counts are drawn over the map each frame (cluster_labels), so that a pan
    // moves them without a new upload of the whole map.
    // The fanned stack's members are drawn around its centre (screen px from their points).
    map::IncidentLook look;
    std::vector<map::Vec2> offsets;
    if (fan_) {
        offsets.assign(positions_.size(), map::Vec2{0.0f, 0.0f});
        for (std::size_t j = 0; j < fan_->members.size(); ++j) {
            const map::Vec2 p = positions_[fan_->members[j]];
            // Map units (y up) -> screen px (y down), at the zoom the fan was made in.
            const auto upp = static_cast<float>(view.units_per_pixel);
            offsets[fan_->members[j]] = {(fan_->center.x - p.x) / upp + fan_->around_px[j].x,
                                         (p.y - fan_->center.y) / upp + fan_->around_px[j].y};
        }
        look.offsets_px = &offsets;
    }
    map::DrawList list =
        composer_.compose(*scene_, state.incidents.marks(), positions_, &state.visible,
                          state.visible_version, view, styles, effective_mode(), look);
    decorate(list);
    return list;
}

void Session::decorate(map::DrawList& list) {
    auto local = [&](double lon, double lat) { return scene_->local(lon, lat); };
    if (fan_) {
        // Thin leaders from the centre to each fanned symbol (as the briefing draws them).
        map::StackLayout layout;
        map::Stack one;
        std::vector<map::Vec2> at_px;
        double cx, cy;
        local_pixel(fan_->center, cx, cy);
        one.center = {static_cast<float>(cx), static_cast<float>(cy)};
        for (std::size_t j = 0; j < fan_->members.size(); ++j) {
            one.members.push_back(static_cast<std::uint32_t>(j));
            at_px.push_back(one.center);
            layout.offsets_px.push_back(fan_->around_px[j]);
        }
        layout.stacks.push_back(std::move(one));
        map::add_stack_leaders(layout, at_px, view, 1.0f, list);
    }
    if (state.selected >= 0 && state.selected < static_cast<int>(positions_.size())) {
        map::Symbol ring;
        ring.position = positions_[state.selected];
        if (fan_)  // a fanned member: the ring goes where its symbol is
            for (std::size_t j = 0; j < fan_->members.size(); ++j)
                if (static_cast<int>(fan_->members[j]) == state.selected)
                    ring.position = {fan_->center.x + static_cast<float>(fan_->around_px[j].x *
                                                                         view.units_per_pixel),
                                     fan_->center.y - static_cast<float>(fan_->around_px[j].y *
                                                                         view.units_per_pixel)};
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

std::string Session::content_key() const {
    // The heatmap's surface covers map::heat_area, which moves in steps as the view pans.
    std::string heat_key;
    if (effective_mode() == map::SymbolMode::Heatmap) {
        const map::View a = map::heat_area(view);
        heat_key = "|h" + std::to_string(a.center_x) + "," + std::to_string(a.center_y);
    }
    std::string k =
        std::to_string(state.visible_version) + "|" + std::to_string(view.units_per_pixel) + "|" +
        std::to_string(static_cast<int>(effective_mode())) + "|" + std::to_string(state.selected) +
        "|" + std::to_string(measure_.size()) + "|" + std::to_string(panels.claim_vertices.size()) +
        "|" + std::to_string(panels.draw_claim) + heat_key + "|s" + std::to_string(scene_version_) +
        (fan_ ? "|fan" + std::to_string(fan_->members.front()) + "," +
                    std::to_string(fan_->members.size())
              : "|-");
    for (const auto& l : state.layers)
        k += "|" + l.name + (l.visible ? "1" : "0") + std::to_string(l.opacity) +
             (l.recolor ? "c" + std::to_string(l.color[0]) + std::to_string(l.color[1]) +
                              std::to_string(l.color[2])
                        : "") +
             "w" + std::to_string(l.line_width);
    return k;
}

map::SymbolMode Session::effective_mode() const {
    return map::resolve_mode(state.mode, state.visible.size(), view);
}

std::vector<int> Session::pick(double px, double py, double radius) const {
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

void Session::local_pixel(map::Vec2 p, double& px, double& py) const {
    map::map_to_pixel(view, p.x + scene_->origin_x(), p.y + scene_->origin_y(), px, py);
}

namespace {
// The window's symbols are drawn at scale 1 (map::IncidentLook{}); stacks group as the
// briefing's do (map::stack_incidents): centres within 0.6 of the base symbol size, fanned
// around a 15 px badge.
constexpr float kStackBadgePx = 15.0f;
// Beyond this many incidents in the area grouped no stacks are marked: grouping them on
// every zoom step would cost the frame rate (a million forced into Symbols mode).
constexpr std::size_t kMaxWindowStacked = 200'000;
}  // namespace

void Session::update_stacks() {
    if (state.loading || effective_mode() != map::SymbolMode::Symbols) {
        stacks_.clear();
        stacks_key_.clear();
        fan_.reset();
        return;
    }
    const double upp = view.units_per_pixel;
    if (fan_ && (fan_->center_x != view.center_x || fan_->center_y != view.center_y ||
                 fan_->units_per_pixel != upp))
        fan_.reset();  // a pan or zoom folds it
    // The view in map units relative to the scene's origin.
    const double ox = scene_->origin_x(), oy = scene_->origin_y();
    const double hw = view.width / 2.0 * upp, hh = view.height / 2.0 * upp;
    const double x0 = view.center_x - ox - hw, x1 = view.center_x - ox + hw;
    const double y0 = view.center_y - oy - hh, y1 = view.center_y - oy + hh;
    const std::string key = std::to_string(upp) + "|" + std::to_string(state.visible_version) +
                            "|" + std::to_string(state.data_version) + "|" +
                            std::to_string(positions_.size());
    if (key == stacks_key_ && x0 >= stacks_box_[0] && x1 <= stacks_box_[2] &&
        y0 >= stacks_box_[1] && y1 <= stacks_box_[3])
        return;
    if (key != stacks_key_) fan_.reset();
    stacks_key_ = key;
    stacks_.clear();
    const double box[4] = {x0 - 2 * hw, y0 - 2 * hh, x1 + 2 * hw, y1 + 2 * hh};
    std::copy(box, box + 4, stacks_box_);
    std::vector<std::uint32_t> rows;
    std::vector<map::Vec2> px;
    for (const std::uint32_t i : state.visible) {
        if (i >= positions_.size()) continue;
        const map::Vec2 p = positions_[i];
        if (!(p.x >= box[0] && p.x <= box[2] && p.y >= box[1] && p.y <= box[3])) continue;
        rows.push_back(i);
        // Screen px up to a shift (the pan): grouping by these needs no regrouping on a pan.
        px.push_back({static_cast<float>(p.x / upp), static_cast<float>(-p.y / upp)});
        if (rows.size() > kMaxWindowStacked) return;
    }
    const float base = map::symbol_size_px(0, true);
    for (map::Stack st : map::find_stacks(px, 0.6f * base)) {
        for (auto& m : st.members) m = rows[m];
        st.center = positions_[st.members.front()];
        stacks_.push_back(std::move(st));
    }
}

int Session::stack_at(double px, double py, double radius) const {
    int best = -1;
    double best_d = radius;
    for (std::size_t k = 0; k < stacks_.size(); ++k) {
        double sx, sy;
        local_pixel(stacks_[k].center, sx, sy);
        const double d = std::hypot(sx - px, sy - py);
        if (d <= best_d) best = static_cast<int>(k), best_d = d;
    }
    return best;
}

void Session::fan_out(int stack) {
    if (stack < 0 || stack >= static_cast<int>(stacks_.size())) return;
    const map::Stack& st = stacks_[static_cast<std::size_t>(stack)];
    Fan f;
    f.center = st.center;
    f.members = st.members;
    float size = 0.0f;  // the largest member's symbol sets the ring's spacing
    for (const std::uint32_t m : st.members)
        size = std::max(size, map::incident_symbol(state.incidents.marks()[m], {}).size_px);
    f.around_px = map::fan_offsets(st.members.size(), size, kStackBadgePx);
    f.center_x = view.center_x, f.center_y = view.center_y;
    f.units_per_pixel = view.units_per_pixel;
    fan_ = std::move(f);
}

void Session::fan_pixel(std::size_t j, double& px, double& py) const {
    local_pixel(fan_->center, px, py);
    px += fan_->around_px[j].x;
    py += fan_->around_px[j].y;
}

int Session::pick_fanned(double px, double py, double radius) const {
    if (!fan_) return -1;
    int best = -1;
    double best_d = radius;
    for (std::size_t j = 0; j < fan_->members.size(); ++j) {
        double fx, fy;
        fan_pixel(j, fx, fy);
        const double d = std::hypot(fx - px, fy - py);
        if (d <= best_d) best = static_cast<int>(fan_->members[j]), best_d = d;
    }
    return best;
}

void Session::pixel_lonlat(double px, double py, double& lon, double& lat) const {
    double x, y;
    map::pixel_to_map(view, px, py, x, y);
    proj_.inverse(x, y, lon, lat);
}

core::Filter Session::current_filter() const {
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
    for (std::uint8_t t = 0; t <= core::kOtherEventType; ++t)
        types.push_back(ui::ViewerState::type_name(t));
    f.types = kept(types, state.types_off);
    f.reported_by = kept(state.incidents.pool(Text::ReportedBy).values(), state.reported_by_off);
    f.statuses = kept(state.incidents.pool(Text::Status).values(), state.status_off);
    f.min_fatalities = state.min_fatalities;
    f.actor = state.actor_search;
    return f;
}

}  // namespace limes::app
