#include "app/briefing.hpp"

#include <algorithm>
#include <chrono>
#include <climits>
#include <cmath>
#include <cstdlib>
#include <ctime>
#include <exception>
#include <iterator>
#include <limits>
#include <optional>

#include "core/error.hpp"
#include "core/parallel.hpp"
#include "core/text.hpp"
#include "geo/geometry/projection.hpp"
#include "geo/ops/selection.hpp"
#include "geo/store/views.hpp"
#include "geo/store/schema_check.hpp"
#include "geo/store/workspace.hpp"
#include "map/briefing.hpp"
#include "map/cluster.hpp"
#include "map/frame.hpp"
#include "map/scene.hpp"
#include "map/stacks.hpp"
#include "map/text.hpp"
#include "platform/headless_context.hpp"
#include "render/renderer.hpp"
#include "vector/output.hpp"

namespace limes::app {
namespace {

using Clock = std::chrono::steady_clock;
double ms_since(Clock::time_point t) {
    return std::chrono::duration<double, std::milli>(Clock::now() - t).count();
}

// Map-CRS bounds of a lon/lat box, from points along its edges (a projected box is curved).
map::Bounds project_box(const geo::Projector& proj, const core::BBox& b) {
    map::Bounds out;
    constexpr int kSteps = 16;
    for (int i = 0; i <= kSteps; ++i) {
        const double t = double(i) / kSteps;
        const double lon = b.west + t * (b.east - b.west), lat = b.south + t * (b.north - b.south);
        for (auto [x0, y0] : {std::pair{lon, b.south}, std::pair{lon, b.north},
                              std::pair{b.west, lat}, std::pair{b.east, lat}}) {
            double x, y;
            if (proj.forward(x0, y0, x, y)) out.add(x, y);
        }
    }
    return out;
}

// Now, or $SOURCE_DATE_EPOCH (reproducible images for tests).
std::time_t now_or_epoch() {
    std::time_t t = std::time(nullptr);
    if (const char* e = std::getenv("SOURCE_DATE_EPOCH"); e && *e) t = std::strtoll(e, nullptr, 10);
    return t;
}

// "YYYY-MM-DD HH:MM UTC" of now_or_epoch().
std::string timestamp() {
    const std::time_t t = now_or_epoch();
    std::tm tm{};
    gmtime_r(&t, &tm);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M UTC", &tm);
    return buf;
}


// Moves from's overlay (drawn after anything already in to's) and glyph atlas, if it has
// one, into to.
void append_overlay(map::DrawList&& from, map::DrawList& to) {
    auto append = [](auto& src, auto& dst) {
        dst.insert(dst.end(), std::make_move_iterator(src.begin()),
                   std::make_move_iterator(src.end()));
    };
    append(from.overlay.fills, to.overlay.fills);
    append(from.overlay.lines, to.overlay.lines);
    for (map::SymbolSpan span : from.overlay.symbol_layers) {
        span.first += to.overlay.symbols.size();
        to.overlay.symbol_layers.push_back(std::move(span));
    }
    append(from.overlay.symbols, to.overlay.symbols);
    append(from.overlay.glyphs, to.overlay.glyphs);
    append(from.overlay.texts, to.overlay.texts);
    if (from.atlas) to.atlas = std::move(from.atlas);
}

bool shows(const std::vector<std::string>& layers, const char* name) {
    return layers.empty() || std::find(layers.begin(), layers.end(), name) != layers.end();
}

}  // namespace

std::string change_label(const geo::HolderTransfer& t) {
    auto who = [](const std::string& h) { return h.empty() ? std::string("no claim") : h; };
    char km2[32];
    std::snprintf(km2, sizeof km2, "%.0f", t.area_km2);
    // Thousands separated for reading: 8528 -> 8,528.
    std::string n = km2;
    for (int i = static_cast<int>(n.size()) - 3; i > 0; i -= 3) n.insert(static_cast<std::size_t>(i), ",");
    return "From " + who(t.from_holder) + " to " + who(t.to_holder) + ": " + n + " km\u00b2";
}

core::BasemapLayer changes_layer(const std::vector<core::Claim>& claims, core::Date from,
                                 core::Date to) {
    core::BasemapLayer layer{"changes", {}};
    for (auto& t : geo::holder_transfers(claims, from, to)) {
        core::BasemapFeature f;
        f.name = change_label(t);
        f.key = t.to_holder;    // the fill: the new holder's colour
        f.kind = t.from_holder;
        f.polygons = std::move(t.area);
        layer.features.push_back(std::move(f));
    }
    return layer;
}

core::Date today() {
    const std::time_t t = now_or_epoch();
    return core::Date{static_cast<std::int32_t>(t / 86400 - (t % 86400 < 0))};
}

std::string briefing_attribution(const map::Scene& scene, bool incidents) {
    std::vector<std::string> parts;
    if (scene.draws("countries") || scene.draws("provinces") || scene.draws("historical_lines") ||
        scene.draws("regions"))
        parts.push_back("Borders: Natural Earth (public domain)");
    if (scene.draws("lakes")) parts.push_back("lakes: © OpenStreetMap contributors (ODbL)");
    if (scene.draws("rivers")) parts.push_back("rivers: GSHHG/WDBII (LGPL)");
    if (scene.draws("places"))
        parts.push_back("places: GeoNames (CC BY 4.0), Wikipedia (CC BY-SA 4.0)");
    const bool claims = scene.draws("claims");
    if (incidents || claims)
        parts.push_back(std::string(incidents && claims ? "incidents and claims"
                                    : incidents         ? "incidents"
                                                        : "claims") +
                        ": sources cited per feature");
    std::string out;
    for (const auto& p : parts) out += (out.empty() ? "" : "; ") + p;
    return out;
}

geo::Georeference georeference(const map::View& view, const geo::Projector& proj) {
    geo::Georeference g;
    g.pixel_size = view.units_per_pixel;
    g.top_left_x = view.center_x - view.width / 2.0 * view.units_per_pixel;
    g.top_left_y = view.center_y + view.height / 2.0 * view.units_per_pixel;
    g.wkt = proj.wkt();
    return g;
}

void save_briefing_view(const BriefingOptions& o, const std::string& name) {
    geo::Workspace ws = geo::Workspace::open(o.workspace);
    geo::save_view(ws, saved_view_of(o, name));
}

void apply_saved_view(const geo::SavedView& v, BriefingOptions& o,
                      const std::function<bool(const char*)>& given) {
    if (!given("--crs")) o.crs = v.crs;
    if (!given("--title")) o.title = v.title;
    if (!given("--labels") && !v.label_language.empty()) o.label_language = v.label_language;
    if (!given("--layers")) o.layers = v.layers;
    if (!given("--size") && v.width > 0 && v.height > 0) o.width = v.width, o.height = v.height;
    if (!given("--from") && !given("--to") && !given("--bbox") && !given("--region") &&
        !given("--type") && !given("--reported-by"))
        o.filter = v.filter;
    // The day or days the claims are drawn for: the command line's, else the view's.
    if (!given("--at") && !given("--changes")) o.at = v.at, o.changes = v.changes;
}

geo::SavedView saved_view_of(const BriefingOptions& o, const std::string& name) {
    geo::SavedView v;
    v.name = name;
    v.crs = o.crs;
    v.bbox = o.filter.bbox;
    v.filter = o.filter;
    v.layers = o.layers;
    v.title = o.title;
    v.label_language = o.label_language;
    v.width = o.width;
    v.height = o.height;
    v.at = o.at;
    v.changes = o.changes;
    return v;
}

std::pair<double, double> paper_mm(const std::string& paper) {
    const std::string p = core::to_lower(paper);
    if (p == "a4") return {210.0, 297.0};
    if (p == "a3") return {297.0, 420.0};
    if (p == "letter") return {215.9, 279.4};
    throw core::UsageError("--paper '" + paper + "': A4, A3 or letter");
}

struct BriefingCache::State {
    std::string workspace_path;
    std::optional<geo::Workspace> workspace;
    std::optional<core::Basemap> basemap;  // of layers
    std::vector<std::string> layers;
    std::string scene_key;  // which features the scene holds (scene_key_of)
    std::shared_ptr<const map::Scene> scene;
    std::unique_ptr<map::TextEngine> text;
    std::optional<std::vector<core::IncidentMark>> marks;  // preloaded, sorted by day

    geo::Workspace& open(const std::string& path) {
        if (!workspace || workspace_path != path) {
            workspace.emplace(geo::Workspace::open(path));
            workspace_path = path;
            basemap.reset();
            scene.reset();
        }
        return *workspace;
    }
};

BriefingCache::BriefingCache() : state(std::make_unique<State>()) {}
BriefingCache::~BriefingCache() = default;

void BriefingCache::preload_incidents(const std::string& workspace, const core::Filter& filter) {
    std::vector<core::IncidentMark> marks = geo::select_marks(state->open(workspace), filter);
    std::stable_sort(marks.begin(), marks.end(),
                     [](const core::IncidentMark& a, const core::IncidentMark& b) {
                         return a.days < b.days;
                     });
    state->marks = std::move(marks);
}

namespace {

// The features an as-of basemap holds (fids per layer, claim fids) and what was added to it:
// two days with the same key draw the same scene.
std::string scene_key_of(const core::Basemap& b) {
    std::string key;
    for (const auto& l : b.layers) {
        key += l.name + ":" + std::to_string(l.features.size()) + ";";
        if (l.name == "historical_lines" || l.name == "changes" || l.name == "highlight")
            for (const auto& f : l.features) key += std::to_string(f.fid) + "," + f.name + ",";
    }
    key += "claims:";
    for (const auto& c : b.claims) key += std::to_string(c.fid) + "," + c.claim_id + ",";
    return key;
}

}  // namespace

BriefingComposition compose_briefing_page(const BriefingOptions& given, BriefingCache* cache) {
    BriefingComposition c;
    c.options = given;
    BriefingOptions& o = c.options;
    // The page: --paper in its orientation, less the margins, at dpi gives the image size.
    double margin_mm = o.margin_mm;
    if (margin_mm < 0) margin_mm = o.paper.empty() ? 0.0 : 10.0;
    double page_w_mm = 0, page_h_mm = 0;
    if (!o.paper.empty()) {
        auto [w, h] = paper_mm(o.paper);
        if (o.landscape) std::swap(w, h);
        page_w_mm = w, page_h_mm = h;
        if (2 * margin_mm >= std::min(w, h))
            throw core::UsageError("--margin " + std::to_string(margin_mm) +
                                   " mm leaves nothing of the page");
        o.width = static_cast<int>(std::lround((w - 2 * margin_mm) / 25.4 * o.dpi));
        o.height = static_cast<int>(std::lround((h - 2 * margin_mm) / 25.4 * o.dpi));
        o.dpi_sizes = true;  // a page is print: text and symbols at their size on paper
    }
    if (o.width < 1 || o.height < 1 || o.width > 65536 || o.height > 65536)
        throw core::UsageError("--size " + std::to_string(o.width) + "x" +
                               std::to_string(o.height) + ": each side must be 1..65536 pixels");
    if (o.dpi < 1 || o.dpi > 10000) throw core::UsageError("--dpi must be 1..10000");
    for (const auto& l : o.layers)
        if (std::find(map::Scene::layer_names().begin(), map::Scene::layer_names().end(), l) ==
            map::Scene::layer_names().end()) {
            std::string all;
            for (const auto& n : map::Scene::layer_names()) all += (all.empty() ? "" : ", ") + n;
            throw core::UsageError("--layers: unknown layer '" + l + "' (" + all + ")");
        }
    if (o.label_language != "en" && o.label_language != "hy" && o.label_language != "az")
        throw core::UsageError("--labels '" + o.label_language + "': en, hy or az");
    BriefingResult& result = c.result;
    auto t0 = Clock::now();
    const geo::Projector proj(o.crs.empty() ? geo::kDefaultMapCrs : o.crs);
    std::optional<geo::Workspace> own_ws;
    if (!cache) own_ws.emplace(geo::Workspace::open(o.workspace));
    geo::Workspace& ws = cache ? cache->state->open(o.workspace) : *own_ws;
    result.foreign_logic = geo::foreign_logic_note(ws.path(), ws.foreign_logic());
    // The range checked once, first: a bad one said at once, not after the basemap's read.
    core::check_range(o.filter);
    std::vector<core::IncidentMark> incidents;
    auto read_incidents = [&] {
        if (!shows(o.layers, "incidents")) return;
        if (cache && cache->state->marks) {
            // The preloaded range's incidents of this briefing's days (sorted by day).
            const auto& all = *cache->state->marks;
            const std::int32_t from = o.filter.from ? o.filter.from->days : INT32_MIN;
            const std::int32_t to = o.filter.to ? o.filter.to->days : INT32_MAX;
            auto lo = std::lower_bound(all.begin(), all.end(), from,
                                       [](const core::IncidentMark& m, std::int32_t d) {
                                           return m.days < d;
                                       });
            auto hi = std::upper_bound(lo, all.end(), to,
                                       [](std::int32_t d, const core::IncidentMark& m) {
                                           return d < m.days;
                                       });
            incidents.assign(lo, hi);
        } else {
            incidents = geo::select_marks(ws, o.filter);
        }
    };
    // The basemap, every day's features (the day is chosen below, from the incidents): from
    // a database, read beside the incidents (not with --region, whose lookup reads layers of
    // the workspace too). There it is round trips (a dozen by limes' reader, ~90 by GDAL's
    // driver before it), while the incidents' read is the cores' work: a 1M render from a
    // server 10 ms away 3.47 -> 2.49 s with GDAL's driver (BENCHMARKS.md); from a local
    // server, or a file, no gain on two cores.
    const bool basemap_kept =
        cache && cache->state->basemap && cache->state->layers == o.layers;
    std::optional<core::Basemap> every_day;
    if (!basemap_kept && ws.is_database() && o.filter.region.empty())
        core::run_beside(read_incidents, [&] { every_day = ws.basemap(o.layers); });
    else
        read_incidents();
    result.incidents = static_cast<long long>(incidents.size());
    // --region: its area, outlined and named on the map (the "highlight" layer) and the extent.
    std::optional<geo::NamedArea> region;
    if (!o.filter.region.empty()) region = ws.find_area(o.filter.region);
    // Claims and historical lines as of one day: --at, else the end of the time range (--to,
    // else the last incident shown), else today (or $SOURCE_DATE_EPOCH's day).
    // A change map (--changes, or a range given with --from and --to): as of its last day.
    std::optional<std::pair<core::Date, core::Date>> changes = o.changes;
    if (!changes && !o.at && o.filter.from && o.filter.to && *o.filter.from < *o.filter.to)
        changes = std::pair{*o.filter.from, *o.filter.to};
    core::Date as_of = today();
    if (o.at)
        as_of = *o.at;
    else if (changes)
        as_of = changes->second;
    else if (o.filter.to)
        as_of = *o.filter.to;
    else if (!incidents.empty())
        as_of = core::Date{std::max_element(incidents.begin(), incidents.end(),
                                            [](const core::IncidentMark& a,
                                               const core::IncidentMark& b) {
                                                return a.days < b.days;
                                            })
                               ->days};
    result.as_of = as_of;
    if (!basemap_kept && !every_day) every_day = ws.basemap(o.layers);
    core::Basemap basemap;
    if (cache) {
        auto& st = *cache->state;
        if (!basemap_kept) {
            st.basemap = std::move(*every_day);
            st.layers = o.layers;
            st.scene.reset();
        }
        basemap = st.basemap->as_of(as_of);
    } else {
        basemap = every_day->as_of(as_of);
    }
    // The ground that changed hands, one feature per pair of holders (the "changes" layer:
    // drawn over the claims, each in its new holder's colour, with its km² in the legend).
    std::size_t transfers = 0;
    if (changes && shows(o.layers, "claims")) {
        core::BasemapLayer layer = changes_layer(ws.read_claims(), changes->first, changes->second);
        transfers = layer.features.size();
        basemap.layers.push_back(std::move(layer));
    }
    if (region) {
        core::BasemapFeature f;
        f.name = ws.area_label(*region, o.label_language);  // "Սյունիքի մարզ" with --labels hy
        f.polygons = region->area;
        basemap.layers.push_back({"highlight", {std::move(f)}});
    }
    // The scene (projected, triangulated layers): the cache's when the day draws the same
    // features, e.g. every frame of an animation between two changes of the claims.
    std::shared_ptr<const map::Scene> scene_ptr;
    if (cache) {
        const std::string key = scene_key_of(basemap) + "|" + o.crs;
        auto& st = *cache->state;
        if (!st.scene || st.scene_key != key) {
            st.scene = std::make_shared<const map::Scene>(basemap, proj.crs(), o.layers);
            st.scene_key = key;
        }
        scene_ptr = st.scene;
    } else {
        scene_ptr = std::make_shared<const map::Scene>(basemap, proj.crs(), o.layers);
    }
    const map::Scene& scene = *scene_ptr;
    const std::vector<map::Vec2> positions = scene.positions(incidents);  // projected once

    // Extent: --bbox, else --region's polygon, else a change map's changes (--changes, or a
    // range with no incidents), else the incidents (padded), else the basemap.
    map::Bounds changed;
    for (const map::FeatureInfo& f : scene.features())
        if (f.layer == "changes") {
            changed.add(f.min_x + scene.origin_x(), f.min_y + scene.origin_y());
            changed.add(f.max_x + scene.origin_x(), f.max_y + scene.origin_y());
        }
    map::Bounds bounds;
    double margin = 0.02;
    if (o.extent) {
        bounds = *o.extent;
        margin = 0.0;
    } else if (o.filter.bbox) {
        bounds = project_box(proj, *o.filter.bbox);
    } else if (region) {
        core::BBox b;
        for (const auto& poly : region->area)
            for (const auto& ring : poly)
                for (const auto& p : ring) b.add(p.lon, p.lat);
        bounds = project_box(proj, b);
        margin = 0.05;
    } else if (!changed.empty() && (o.changes || incidents.empty())) {
        bounds = changed;
        margin = 0.08;
    } else if (!incidents.empty()) {
        // The incidents with context around them, as the window's Fit shows them.
        bounds = map::with_context(
            map::incident_bounds(positions, nullptr, scene.origin_x(), scene.origin_y()));
    } else {
        bounds.add(scene.min_x(), scene.min_y());
        bounds.add(scene.max_x(), scene.max_y());
    }
    if (bounds.empty()) throw core::UsageError("nothing to show: the extent is empty");
    // The page frame's bars (banner, organisation) take a strip at the top and the bottom:
    // the map and its furniture are laid out for the part between them (view), the map drawn
    // under the bars too (full_view: the same centre and scale, the whole image).
    map::FrameText frame_text{o.banner, o.organisation};
    const float frame_scale = o.dpi_sizes ? std::clamp(o.dpi / 150.0f, 0.7f, 8.0f)
                                          : map::furniture_scale(map::View{0, 0, 1, o.width, o.height});
    const int bar = map::frame_bar_px(frame_text, frame_scale);
    if (o.height - 2 * bar < 16)
        throw core::UsageError("--banner/--org: the image is too short for the frame's bars");
    const map::View view = map::fit_view(bounds, o.width, o.height - 2 * bar, margin);
    map::View full_view = view;
    full_view.height = o.height;
    map::BriefingText furniture;
    furniture.title = o.title;
    furniture.label_language = o.label_language;
    furniture.inset = o.inset;
    furniture.legend = o.legend;
    furniture.generated = timestamp();
    furniture.as_of = as_of.iso();
    // Said in the title block when asked for, or when a range shows some.
    if (changes && (o.changes || transfers > 0)) {
        furniture.changes = changes->first.iso() + " to " + changes->second.iso();
        furniture.changes_found = transfers;
    }
    furniture.attribution = briefing_attribution(scene, shows(o.layers, "incidents"));
    if (!shows(o.layers, "incidents")) furniture.empty_note.clear();
    // Print sizes when --dpi was given: a 12 px symbol at 150 dpi is 24 px at 300 dpi, the
    // same 2 mm on paper; without it the image size decides (1 at 1920x1080, 2 at 3840x2160).
    // Clamped as furniture_scale is: readable at low dpi, bounded at absurd ones.
    if (o.dpi_sizes || bar > 0) furniture.scale = frame_scale;
    // Incident symbols: sized with the furniture (text) scale, coloured as --color-by says;
    // incidents at one place fanned out around a count badge (map/stacks.hpp).
    map::IncidentLook look;
    look.color_by = o.color_by;
    look.scale = furniture.scale > 0 ? furniture.scale : map::furniture_scale(view);
    const std::vector<map::Vec2> screen =
        map::screen_positions(positions, view, scene.origin_x(), scene.origin_y());
    // Automatic density, as the window's Automatic: one symbol each while the image can show
    // them, clusters (a count on each) once they would cover it (map::resolve_mode).
    std::size_t in_view = 0;
    for (const map::Vec2& p : screen)
        in_view += p.x >= 0 && p.y >= 0 && p.x <= view.width && p.y <= view.height;
    const map::SymbolMode mode = map::resolve_mode(o.mode, in_view, view);
    result.mode = mode;
    furniture.mode = mode;
    map::StackLayout stacks;
    if (mode == map::SymbolMode::Symbols) {
        stacks = map::stack_incidents(incidents, screen, look);
        look.offsets_px = &stacks.offsets_px;
    }
    furniture.color_by = o.color_by;
    for (const auto& st : stacks.stacks)
        furniture.largest_stack = std::max(furniture.largest_stack, st.members.size());
    // The furniture (labels, title, legend, scale bar: text layout and glyph rasterising)
    // needs the view but not the incidents' symbols: it is composed on a second thread while
    // this one builds the symbols, into a list of its own whose overlay joins the map's after.
    // Both only read the scene (compose_briefing adds to list.overlay and sets list.atlas).
    // Clusters and the heatmap are computed first: their legend rows need them.
    map::DrawList furniture_list;
    map::Overlay frame;  // the page frame's bars: drawn over everything, never switched off
    furniture_list.origin_x = scene.origin_x();
    furniture_list.origin_y = scene.origin_y();
    map::DrawList list;
    map::FrameComposer composer;
    auto draw_map = [&] {
        // Composed as the window composes its frames.
        list = composer.compose(scene, incidents, positions, nullptr, 0, full_view,
                                scene.default_styles(), mode, look);
        if (shows(o.layers, "incidents") && mode == map::SymbolMode::Symbols)
            map::add_stack_leaders(stacks, screen, view, look.scale, list);
    };
    auto draw_furniture = [&] {
        // The cache's engine keeps its glyphs from briefing to briefing (an animation's
        // frames rasterise each glyph once).
        std::optional<map::TextEngine> own_text;
        if (cache && !cache->state->text) cache->state->text = std::make_unique<map::TextEngine>();
        if (!cache) own_text.emplace();
        map::TextEngine& text = cache ? *cache->state->text : *own_text;
        const map::BriefingLayout placed =
            map::compose_briefing(scene, incidents, view, furniture, text, furniture_list);
        if (shows(o.layers, "incidents")) {
            map::add_stack_badges(stacks, look.scale, text, furniture_list, placed.furniture);
            if (mode == map::SymbolMode::Clusters)
                map::add_cluster_counts(composer.clusters(), view, text, furniture_list);
        }
        // The page frame, from the same text engine (one glyph atlas for the list).
        map::compose_frame(frame_text, o.width, o.height, frame_scale, text, frame);
        furniture_list.atlas = text.atlas();
    };
    if (mode == map::SymbolMode::Symbols) {
        core::run_beside(draw_map, draw_furniture);
    } else {
        draw_map();
        furniture.heat = composer.heat_scale();
        for (const auto& cl : composer.clusters())
            furniture.largest_cluster = std::max(furniture.largest_cluster, cl.count);
        draw_furniture();
    }
    map::shift_overlay(furniture_list.overlay, float(bar));
    append_overlay(std::move(furniture_list), list);
    result.load_ms = ms_since(t0);
    c.georef = georeference(full_view, proj);
    c.view = full_view;
    c.inner_height = view.height;
    c.list = std::move(list);
    c.scene = scene_ptr;
    c.mode = mode;
    c.frame = std::move(frame);
    // The page of a vector briefing: the image at dpi, centred on the paper or with margins.
    vector::Page& page = c.page;
    page.pt_per_px = 72.0 / o.dpi;
    page.title = o.title;
    if (!o.paper.empty()) {
        page.width_pt = page_w_mm / 25.4 * 72, page.height_pt = page_h_mm / 25.4 * 72;
        // Centred: the image size was rounded to whole pixels.
        page.offset_x_pt = (page.width_pt - o.width * page.pt_per_px) / 2;
        page.offset_y_pt = (page.height_pt - o.height * page.pt_per_px) / 2;
    } else {
        const double m = margin_mm / 25.4 * 72;
        page.width_pt = o.width * page.pt_per_px + 2 * m;
        page.height_pt = o.height * page.pt_per_px + 2 * m;
        page.offset_x_pt = page.offset_y_pt = m;
    }
    return c;
}

std::vector<std::uint8_t> rasterize_briefing(BriefingComposition& c, render::Renderer& renderer) {
    if (!c.frame.fills.empty() || !c.frame.glyphs.empty()) {
        map::DrawList frame_list;
        frame_list.overlay = std::move(c.frame);
        c.frame = {};
        append_overlay(std::move(frame_list), c.list);  // its glyphs are in list's atlas
    }
    renderer.upload(c.list);
    std::vector<std::uint8_t> rgba = renderer.render(c.view);
    c.result.draw_ms = renderer.timings().upload_ms + renderer.timings().draw_ms;
    c.result.readback_ms = renderer.timings().readback_ms;
    return rgba;
}

map::DrawList split_scene_layers(map::DrawList& list) {
    map::DrawList base;
    base.origin_x = list.origin_x;
    base.origin_y = list.origin_y;
    base.background = list.background;
    list.background = {0, 0, 0, 0};
    auto is_incidents = [](const std::string& layer) {
        return layer.empty() || layer == "incidents";
    };
    std::vector<map::FillBatch> fills;
    for (auto& f : list.fills) (is_incidents(f.layer) ? fills : base.fills).push_back(std::move(f));
    list.fills = std::move(fills);
    std::vector<map::LineBatch> lines;
    for (auto& l : list.lines) (is_incidents(l.layer) ? lines : base.lines).push_back(std::move(l));
    list.lines = std::move(lines);
    // Symbols of a scene layer (places) by their spans; the rest are the incidents'.
    std::vector<bool> scene_symbol(list.symbols.size(), false);
    for (const auto& span : list.symbol_layers)
        if (!is_incidents(span.layer))
            for (std::size_t i = span.first; i < span.first + span.count && i < scene_symbol.size(); ++i)
                scene_symbol[i] = true;
    std::vector<map::Symbol> symbols;
    for (std::size_t i = 0; i < list.symbols.size(); ++i)
        (scene_symbol[i] ? base.symbols : symbols).push_back(list.symbols[i]);
    list.symbols = std::move(symbols);
    list.symbol_layers.clear();  // what is left is the incidents'
    return base;
}

void composite_over(const std::vector<std::uint8_t>& top, std::vector<std::uint8_t>& base) {
    const std::size_t n = std::min(top.size(), base.size());
    for (std::size_t i = 0; i < n; i += 4) {
        const unsigned keep = 255u - top[i + 3];
        if (keep == 255u) continue;  // nothing on top
        for (int k = 0; k < 3; ++k)
            base[i + k] = static_cast<std::uint8_t>(
                std::min(255u, top[i + k] + (base[i + k] * keep + 127u) / 255u));
    }
}

int panel_gap(int width) { return std::max(4, width / 200); }

Comparison compose_comparison(const BriefingOptions& given) {
    const auto [d1, d2] = *given.compare;
    if (!(d1 < d2)) throw core::UsageError("--compare " + d1.iso() + "," + d2.iso() +
                                           ": the first day must come before the second");
    // The page as one briefing of these options would have it (paper, margins, size).
    BriefingOptions whole = given;
    whole.compare.reset();
    whole.changes.reset();
    whole.filter.from = given.filter.from.value_or(d1);
    whole.filter.to = d2;
    whole.at = d2;
    const BriefingComposition outer = compose_briefing_page(whole);
    const BriefingOptions& o = outer.options;  // width, height from the paper
    const int gap = panel_gap(o.width);
    // The frame's bars span the whole image; the panels lie between them.
    const int bar = (o.height - outer.inner_height) / 2;
    BriefingOptions panel = whole;
    panel.paper.clear();
    panel.margin_mm = 0;
    panel.width = (o.width - gap) / 2;
    panel.height = o.height - 2 * bar;
    panel.dpi_sizes = o.dpi_sizes;
    panel.banner.clear();
    panel.organisation.clear();
    // One extent for both: the one the whole range's briefing would show, refitted to a panel.
    map::Bounds extent;
    {
        BriefingOptions e = panel;
        e.legend = false;
        const BriefingComposition c = compose_briefing_page(e);
        const double hw = c.view.width * c.view.units_per_pixel / 2;
        const double hh = c.view.height * c.view.units_per_pixel / 2;
        extent.add(c.view.center_x - hw, c.view.center_y - hh);
        extent.add(c.view.center_x + hw, c.view.center_y + hh);
    }
    Comparison out;
    out.gap = gap;
    out.bar = bar;
    for (int k = 0; k < 2; ++k) {
        const core::Date day = k == 0 ? d1 : d2;
        BriefingOptions p = panel;
        p.filter.to = day;
        p.filter.from = std::min(*whole.filter.from, day);
        p.at = day;
        p.extent = extent;
        p.title = given.title + " — " + day.iso();
        p.legend = k == 1;
        p.inset = given.inset && k == 1;
        out.panels.push_back(compose_briefing_page(p));
    }
    out.outer = outer;  // the frame (banner, organisation), the page, the whole size
    return out;
}

namespace {

/** Whether f is written as vectors (PDF, SVG): no GL context then. */
bool is_vector(geo::ImageFormat f) {
    return f == geo::ImageFormat::Pdf || f == geo::ImageFormat::Svg;
}

BriefingResult render_comparison(const BriefingOptions& given, std::ostream& log) {
    const auto t0 = Clock::now();
    const bool vector_output = is_vector(given.format);
    std::optional<Comparison> composed;
    Gl gl;
    compose_beside_gl(!vector_output, gl, [&] { composed.emplace(compose_comparison(given)); });
    Comparison& cmp = *composed;
    const BriefingOptions& o = cmp.outer.options;
    BriefingComposition& a = cmp.panels[0];
    BriefingComposition& b = cmp.panels[1];
    const float second_x = float(a.options.width + cmp.gap);
    BriefingResult result = b.result;
    result.incidents = a.result.incidents + b.result.incidents;
    result.load_ms = ms_since(t0);
    const auto t1 = Clock::now();
    if (vector_output) {
        const std::vector<vector::Panel> panels{{&a.list, a.view, 0, float(cmp.bar)},
                                                {&b.list, b.view, second_x, float(cmp.bar)}};
        if (o.format == geo::ImageFormat::Pdf) {
            std::vector<vector::PageGeoref> geos;
            for (const auto* c : {&a, &b})
                geos.push_back({c->georef.top_left_x, c->georef.top_left_y, c->georef.pixel_size,
                                c->georef.wkt});
            vector::write_pdf(panels, geos, cmp.outer.frame, o.width, o.height, cmp.outer.page,
                              o.output);
        } else {
            vector::write_svg(panels, cmp.outer.frame, o.width, o.height, cmp.outer.page,
                              o.output);
        }
    } else {
        render::Renderer& renderer = *gl.renderer;
        // White gap; each panel's pixels at its place; the frame composited over all.
        std::vector<std::uint8_t> rgba(std::size_t(o.width) * o.height * 4, 255);
        for (auto [c, x0] : {std::pair{&a, 0}, std::pair{&b, int(second_x)}}) {
            const std::vector<std::uint8_t> px = rasterize_briefing(*c, renderer);
            const int w = c->options.width;
            for (int y = 0; y < c->options.height; ++y)
                std::copy_n(&px[std::size_t(y) * w * 4], std::size_t(w) * 4,
                            &rgba[(std::size_t(y + cmp.bar) * o.width + x0) * 4]);
        }
        if (!cmp.outer.frame.fills.empty()) {
            map::DrawList frame_list;
            frame_list.background = {0, 0, 0, 0};
            frame_list.overlay = cmp.outer.frame;
            frame_list.atlas = cmp.outer.list.atlas;
            renderer.upload(frame_list);
            const std::vector<std::uint8_t> px = renderer.render(cmp.outer.view);
            for (std::size_t i = 0; i < rgba.size(); i += 4) {
                const int alpha = px[i + 3];
                for (int k = 0; k < 3; ++k)
                    rgba[i + k] = static_cast<std::uint8_t>(
                        (px[i + k] * alpha + rgba[i + k] * (255 - alpha) + 127) / 255);
            }
        }
        // The world file places the first panel (the image holds two maps of one extent).
        geo::Georeference g = a.georef;
        g.top_left_y += cmp.bar * g.pixel_size;
        geo::write_image(o.output, rgba, o.width, o.height, g, o.format, o.dpi);
    }
    result.encode_ms = ms_since(t1);
    log << "wrote " << o.output << " (" << o.width << "x" << o.height << ", two panels: "
        << a.result.as_of.iso() << " with " << a.result.incidents << " incidents, "
        << b.result.as_of.iso() << " with " << b.result.incidents << ")\n";
    return result;
}

}  // namespace

BriefingResult render_briefing(const BriefingOptions& given, std::ostream& log) {
    if (given.compare) return render_comparison(given, log);
    const bool vector_output = is_vector(given.format);
    std::optional<BriefingComposition> composed;
    Gl gl;
    compose_beside_gl(!vector_output, gl,
                      [&] { composed.emplace(compose_briefing_page(given)); });
    BriefingComposition& c = *composed;
    const BriefingOptions& o = c.options;
    BriefingResult& result = c.result;
    if (vector_output) {
        // Vector: the same draw list painted as paths and text (src/vector), no GL.
        auto t1 = Clock::now();
        const std::vector<vector::Panel> panels{{&c.list, c.view, 0, 0}};
        if (o.format == geo::ImageFormat::Pdf)
            vector::write_pdf(panels,
                              {{c.georef.top_left_x, c.georef.top_left_y, c.georef.pixel_size,
                                c.georef.wkt}},
                              c.frame, o.width, o.height, c.page, o.output);
        else
            vector::write_svg(panels, c.frame, o.width, o.height, c.page, o.output);
        result.encode_ms = ms_since(t1);
    } else {
        const std::vector<std::uint8_t> rgba = rasterize_briefing(c, *gl.renderer);
        auto t1 = Clock::now();
        geo::write_image(o.output, rgba, o.width, o.height, c.georef, o.format, o.dpi);
        result.encode_ms = ms_since(t1);
    }
    // Saved only once the briefing rendered: a view with a bad region or CRS is not kept.
    if (!o.save_view.empty()) {
        save_briefing_view(o, o.save_view);
        log << "saved view '" << o.save_view << "' in " << o.workspace << '\n';
    }

    log << "wrote " << o.output << " (" << o.width << "x" << o.height << ", " << result.incidents
        << " incidents, lines and claims as of " << result.as_of.iso() << "; load "
        << std::lround(result.load_ms) << " ms, draw " << std::lround(result.draw_ms)
        << " ms, readback " << std::lround(result.readback_ms) << " ms, encode "
        << std::lround(result.encode_ms) << " ms)\n";
    if (!result.foreign_logic.empty()) log << result.foreign_logic << '\n';
    return result;
}

}  // namespace limes::app
