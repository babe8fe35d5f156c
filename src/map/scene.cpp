#include "map/scene.hpp"

#include "map/occlusion.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <thread>
#include <unordered_map>
#include <unordered_set>

#include "core/huge_pages.hpp"
#include "core/parallel.hpp"
#include "geo/geometry/triangle_cache.hpp"
#include "geo/geometry/triangulate.hpp"
#include "map/style.hpp"

namespace limes::map {
namespace {

/** One step of building the basemap: what of which layer. Each draw-list layer draws its
 *  fills, then its lines, in the order added here, and the layers in the order first met:
 *  countries (fills, lakes, country outlines, rivers over the outlines: where a river is the
 *  border, the Araks, the water shows), provinces, claims, historical lines, regions, the
 *  --region highlight, places on top. */
struct Pass {
    const char* layer;
    enum What { Fill, Outline, Lines, WaterLines, Claims, Changes, Places } what;
};
constexpr Pass kPasses[] = {
    {"countries", Pass::Fill},         {"lakes", Pass::Fill},        {"countries", Pass::Outline},
    {"rivers", Pass::WaterLines},      {"provinces", Pass::Outline}, {"claims", Pass::Claims},
    {"historical_lines", Pass::Lines}, {"regions", Pass::Outline},   {"changes", Pass::Changes},
    {"highlight", Pass::Outline},      {"places", Pass::Places},
};

/** The draw-list layer a basemap layer's primitives go to. Lakes and rivers belong to the
 *  physical basemap drawn with the countries: one entry of the layer list (the window's
 *  layer panel keeps its rows), shown, hidden and faded with the countries. */
std::string water_home(const std::string& layer) {
    return layer == "lakes" || layer == "rivers" ? "countries" : layer;
}

/** Layers whose named features the briefing labels or lists (Scene::features). */
bool has_feature_info(const std::string& layer) {
    return layer == "countries" || layer == "lakes" || layer == "rivers" || layer == "regions" ||
           layer == "highlight" || layer == "changes";
}

}  // namespace

const std::vector<std::string>& Scene::layer_names() {
    static const std::vector<std::string> names = {"countries", "lakes",  "rivers",
                                                   "provinces", "claims", "historical_lines",
                                                   "regions",   "places", "incidents"};
    return names;
}

Scene::Scene(const core::Basemap& basemap, const std::string& crs,
             const std::vector<std::string>& layers)
    : proj_(crs) {
    auto shown = [&](const std::string& name) {
        return layers.empty() || name == "highlight" || name == "changes" ||
               std::find(layers.begin(), layers.end(), name) != layers.end();
    };
    // The local origin: the projected centre of the countries' extent (or 0,0).
    core::BBox countries;
    if (const core::BasemapLayer* l = basemap.layer("countries"))
        for (const auto& f : l->features)
            for (const auto& poly : f.polygons)
                for (const auto& ring : poly)
                    for (const auto& p : ring) countries.add(p.lon, p.lat);
    if (!countries.empty()) {
        double x, y;
        if (proj_.forward((countries.west + countries.east) / 2,
                          (countries.south + countries.north) / 2, x, y)) {
            origin_x_ = x;
            origin_y_ = y;
        }
    }
    min_x_ = min_y_ = std::numeric_limits<double>::infinity();
    max_x_ = max_y_ = -std::numeric_limits<double>::infinity();
    // The default workspace's regions layer holds the 1991 oblast as a polygon made from the
    // historical_lines' "former_oblast_1991" parts: the same boundary twice. Where the scene
    // draws that polygon, the lines are not drawn again (one line, one legend entry).
    if (const core::BasemapLayer* regions = basemap.layer("regions"); regions && shown("regions"))
        skip_oblast_lines_ = std::any_of(
            regions->features.begin(), regions->features.end(), [](const core::BasemapFeature& f) {
                return f.kind == "former_autonomous_oblast" && !f.polygons.empty();
            });
    for (const Pass& pass : kPasses) {
        if (!shown(pass.layer)) continue;
        if (pass.what == Pass::Claims) {
            add_claims(basemap.claims);
            if (!basemap.claims.empty()) drawn_.push_back("claims");
            continue;
        }
        const core::BasemapLayer* layer = basemap.layer(pass.layer);
        if (!layer) continue;
        switch (pass.what) {
            case Pass::Fill: add_fills(*layer); break;
            case Pass::Outline: add_outlines(*layer); break;
            case Pass::Lines: add_lines(*layer); break;
            case Pass::WaterLines: add_water_lines(*layer); break;
            case Pass::Places: add_places(*layer); break;
            case Pass::Changes: add_changes(*layer); break;
            case Pass::Claims: break;
        }
        if (!layer->features.empty() &&
            std::find(drawn_.begin(), drawn_.end(), layer->name) == drawn_.end())
            drawn_.push_back(layer->name);
        // Once per layer (countries come twice: fill and outline).
        if (has_feature_info(layer->name) &&
            std::none_of(features_.begin(), features_.end(),
                         [&](const FeatureInfo& f) { return f.layer == layer->name; }))
            add_feature_info(*layer);
        if (layer->name == "regions") has_regions_ = has_regions_ || !layer->features.empty();
    }
    if (min_x_ > max_x_) min_x_ = min_y_ = max_x_ = max_y_ = 0.0;
}

Vec2 Scene::local(double lon, double lat) const {
    return local_position(proj_, origin_x_, origin_y_, lon, lat);
}

Vec2 Scene::local(const core::XY& p) const {
    return {static_cast<float>(p.x - origin_x_), static_cast<float>(p.y - origin_y_)};
}

std::vector<Vec2> Scene::local(const core::Line& line) const {
    std::vector<Vec2> out;
    out.reserve(line.size());
    for (const auto& p : line) out.push_back(local(p.lon, p.lat));
    return out;
}

std::vector<std::vector<Vec2>> Scene::local_rings(const core::XYMultiPolygon& mp) const {
    std::vector<std::vector<Vec2>> out;
    for (const auto& poly : mp)
        for (const auto& ring : poly) {
            std::vector<Vec2> line;
            line.reserve(ring.size());
            for (const auto& p : ring) line.push_back(local(p));
            out.push_back(std::move(line));
        }
    return out;
}

void Scene::add_fills(const core::BasemapLayer& layer) {
    // The layer's features triangulated at once: through the cache on disk when the app set
    // one (geo/geometry/triangle_cache.hpp), which saves most of a start's time.
    std::vector<core::XYMultiPolygon> projected;
    std::vector<const core::BasemapFeature*> filled;
    for (const auto& f : layer.features) {
        if (f.polygons.empty()) continue;
        projected.push_back(proj_.forward(f.polygons));
        filled.push_back(&f);
    }
    std::vector<geo::Triangles> triangles = geo::triangulate_all(projected);
    for (std::size_t k = 0; k < filled.size(); ++k) {
        const auto& f = *filled[k];
        geo::Triangles& t = triangles[k];
        FillBatch batch;
        batch.color = layer.name == "lakes" ? kWater : country_fill(f.key);
        batch.vertices.reserve(t.xy.size() / 2);
        for (std::size_t i = 0; i + 1 < t.xy.size(); i += 2)
            batch.vertices.push_back(local({t.xy[i], t.xy[i + 1]}));
        batch.indices = std::move(t.indices);
        scene_layer(water_home(layer.name)).fills.push_back(std::move(batch));
    }
}

void Scene::add_outlines(const core::BasemapLayer& layer) {
    const OutlineLook& look = outline_look(layer.name);
    LineBatch outline;
    outline.color = look.color;
    outline.width_px = look.width_px;
    for (const auto& f : layer.features)
        for (const auto& poly : proj_.forward(f.polygons))
            for (const auto& ring : poly) {
                std::vector<Vec2> line;
                line.reserve(ring.size());
                for (const auto& p : ring) {
                    line.push_back(local(p));
                    min_x_ = std::min(min_x_, p.x);
                    max_x_ = std::max(max_x_, p.x);
                    min_y_ = std::min(min_y_, p.y);
                    max_y_ = std::max(max_y_, p.y);
                }
                outline.polylines.push_back(std::move(line));
            }
    if (!outline.polylines.empty()) scene_layer(layer.name).lines.push_back(std::move(outline));
}

void Scene::add_changes(const core::BasemapLayer& layer) {
    for (const auto& f : layer.features) {
        const core::XYMultiPolygon mp = proj_.forward(f.polygons);
        geo::Triangles t;
        geo::triangulate(mp, t);
        FillBatch batch;
        batch.color = holder_color(f.key);  // the new holder's (key: to_holder)
        batch.color.a = kChangeFillAlpha;
        batch.hatch = kChangeOutline;
        batch.hatch_spacing_px = kChangeHatchPx;
        for (std::size_t i = 0; i + 1 < t.xy.size(); i += 2)
            batch.vertices.push_back(local({t.xy[i], t.xy[i + 1]}));
        batch.indices = std::move(t.indices);
        scene_layer(layer.name).fills.push_back(std::move(batch));
        LineBatch outline;
        outline.color = kChangeOutline;
        outline.width_px = kChangeWidthPx;
        outline.polylines = local_rings(mp);
        scene_layer(layer.name).lines.push_back(std::move(outline));
    }
}

void Scene::add_lines(const core::BasemapLayer& layer) {
    // One batch per look (a historical line's kind decides it), in the order first met.
    std::vector<LineBatch> batches;
    std::vector<const LineLook*> looks;
    for (const auto& f : layer.features) {
        if (skip_oblast_lines_ && f.kind == "former_oblast_1991") continue;
        const LineLook& look = line_look(f.kind);
        auto at = std::find(looks.begin(), looks.end(), &look);
        if (at == looks.end()) {
            LineBatch b;
            b.color = look.color;
            b.width_px = look.width_px;
            b.dash_px = look.dash_px;
            b.gap_px = look.gap_px;
            batches.push_back(std::move(b));
            looks.push_back(&look);
            at = looks.end() - 1;
        }
        LineBatch& target = batches[static_cast<std::size_t>(at - looks.begin())];
        for (const auto& l : f.lines) target.polylines.push_back(local(l));
        (look.legend == LineLook::Legend::Ceasefire ? has_ceasefire_ : has_oblast_) = true;
    }
    for (auto& b : batches)
        if (!b.polylines.empty()) scene_layer(layer.name).lines.push_back(std::move(b));
}

void Scene::add_claims(const std::vector<core::Claim>& claims) {
    for (const core::Claim& c : claims) {
        const core::XYMultiPolygon mp = proj_.forward(c.area);
        geo::Triangles t;
        geo::triangulate(mp, t);
        FillBatch batch;
        batch.color = holder_color(c.holder);
        batch.color.a = 90;  // translucent: the basemap shows through
        if (!c.holder.empty() && c.holder != c.sovereign) {
            batch.hatch_spacing_px = 6.0f;
            batch.hatch = holder_color(c.holder);
            batch.hatch.a = 200;
        }
        for (std::size_t i = 0; i + 1 < t.xy.size(); i += 2)
            batch.vertices.push_back(local({t.xy[i], t.xy[i + 1]}));
        batch.indices = std::move(t.indices);
        scene_layer("claims").fills.push_back(std::move(batch));
        LineBatch outline;
        outline.color = holder_color(c.holder);
        outline.width_px = 1.5f;
        if (core::is_approximate(c)) {  // the legend says "approximate" for the dashed edge
            outline.dash_px = kApproxDashPx;
            outline.gap_px = kApproxGapPx;
        }
        std::vector<std::vector<Vec2>> rings = local_rings(mp);
        outline.polylines = rings;
        scene_layer("claims").lines.push_back(std::move(outline));
        // Label anchor: the area centroid of the largest part's exterior ring, map units
        // (for the compact claim shapes here it falls inside; a concave one may not).
        double best = -1.0;
        Vec2 anchor;
        for (const auto& poly : mp) {
            if (poly.empty()) continue;
            double a = 0.0, cx = 0.0, cy = 0.0;
            const auto& r = poly.front();
            for (std::size_t i = 0; i + 1 < r.size(); ++i) {
                const double cross = r[i].x * r[i + 1].y - r[i + 1].x * r[i].y;
                a += cross;
                cx += (r[i].x + r[i + 1].x) * cross;
                cy += (r[i].y + r[i + 1].y) * cross;
            }
            if (std::fabs(a) > best && a != 0.0) {
                best = std::fabs(a);
                anchor = local({cx / (3 * a), cy / (3 * a)});
            }
        }
        claims_.push_back({c, anchor, std::move(rings)});
    }
}

void Scene::add_water_lines(const core::BasemapLayer& layer) {
    // Rivers: one thin water-blue batch, solid.
    LineBatch b;
    b.color = kWater;
    b.width_px = kRiverWidthPx;
    for (const auto& f : layer.features)
        for (const auto& l : f.lines) b.polylines.push_back(local(l));
    if (!b.polylines.empty()) scene_layer(water_home(layer.name)).lines.push_back(std::move(b));
}

void Scene::add_feature_info(const core::BasemapLayer& layer) {
    for (const auto& f : layer.features) {
        FeatureInfo info;
        info.layer = layer.name;
        info.key = f.key;
        info.name_en = f.name;
        info.name_hy = f.name_hy;
        info.name_az = f.name_az;
        info.is_line = !f.lines.empty();
        if (info.is_line)
            for (const auto& l : f.lines) info.rings.push_back(local(l));
        else
            info.rings = local_rings(proj_.forward(f.polygons));
        bool first = true;
        for (const auto& r : info.rings)
            for (const Vec2& p : r) {
                if (!std::isfinite(p.x) || !std::isfinite(p.y)) continue;
                if (first) info.min_x = info.max_x = p.x, info.min_y = info.max_y = p.y;
                info.min_x = std::min(info.min_x, p.x), info.max_x = std::max(info.max_x, p.x);
                info.min_y = std::min(info.min_y, p.y), info.max_y = std::max(info.max_y, p.y);
                first = false;
            }
        if (!first) features_.push_back(std::move(info));
    }
}

bool Scene::draws(std::string_view layer) const {
    return std::find(drawn_.begin(), drawn_.end(), layer) != drawn_.end();
}

void Scene::add_places(const core::BasemapLayer& layer) {
    for (const auto& f : layer.features) {
        if (!f.point) continue;
        Symbol s;
        s.position = local(f.point->lon, f.point->lat);
        s.size_px = f.kind == "capital" ? 8.0f : 6.0f;  // px; a dark core inside the 1.5 px outline
        s.shape = Shape::Circle;
        s.fill = kPlace;
        s.outline = {255, 255, 255, 255};
        scene_layer(layer.name).symbols.push_back(s);
        PlaceInfo info;
        info.position = s.position;
        info.name_en = f.name;
        info.name_hy = f.name_hy;
        info.name_az = f.name_az;
        info.kind = f.kind;
        info.rank = info.kind == "capital" ? 0
                    : info.kind == "city"  ? 1
                    : info.kind == "town"  ? 2
                                           : 3;
        place_info_.push_back(std::move(info));
    }
}

namespace {

// Appends symbols to out ordered by size_px, smallest first, ties in their order (a stable
// sort). Incident symbols take a few hundred sizes at most (fatality classes up to the 40 px
// cap, times six shapes), so this is a counting sort over the distinct sizes: two linear
// passes and a hash lookup a symbol, instead of stable_sort's n log n moves of a million
// 24-byte symbols (a quarter of a second on the bench machine).
void append_smallest_first(const std::vector<Symbol>& symbols, std::vector<Symbol>& out) {
    std::vector<float> sizes;
    std::unordered_map<float, std::uint32_t> index;  // size -> its slot in sizes
    std::vector<std::uint32_t> bucket(symbols.size());
    std::uint32_t last = 0;  // the previous symbol's slot: runs of one size are common
    for (std::size_t i = 0; i < symbols.size(); ++i) {
        const float size = symbols[i].size_px;
        if (last < sizes.size() && sizes[last] == size) {
            bucket[i] = last;
            continue;
        }
        if (std::isnan(size)) {  // unordered: leave it to stable_sort, as before
            std::vector<Symbol> sorted = symbols;
            std::stable_sort(sorted.begin(), sorted.end(), [](const Symbol& a, const Symbol& b) {
                return a.size_px < b.size_px;
            });
            out.insert(out.end(), sorted.begin(), sorted.end());
            return;
        }
        // -0 and +0 hash alike and compare equal: one slot, as stable_sort would keep them.
        const auto [it, added] =
            index.try_emplace(size == 0.0f ? 0.0f : size, static_cast<std::uint32_t>(sizes.size()));
        if (added) sizes.push_back(size);
        bucket[i] = last = it->second;
    }
    // Where each size's run starts in out, by the size's rank.
    std::vector<std::uint32_t> order(sizes.size());
    std::vector<std::size_t> count(sizes.size(), 0), start(sizes.size());
    for (std::uint32_t k = 0; k < sizes.size(); ++k) order[k] = k;
    std::sort(order.begin(), order.end(),
              [&](std::uint32_t a, std::uint32_t b) { return sizes[a] < sizes[b]; });
    for (std::uint32_t b : bucket) ++count[b];
    std::size_t at = out.size();
    for (std::uint32_t k : order) start[k] = at, at += count[k];
    out.resize(at);
    for (std::size_t i = 0; i < symbols.size(); ++i) out[start[bucket[i]]++] = symbols[i];
}

}  // namespace

Scene::SceneLayer& Scene::scene_layer(const std::string& name) {
    for (auto& l : layers_)
        if (l.name == name) return l;
    layers_.push_back({name, {}, {}, {}});
    return layers_.back();
}

std::vector<Vec2> Scene::positions(const std::vector<core::IncidentMark>& incidents) const {
    const std::size_t n = incidents.size();
    std::vector<Vec2> out;
    core::reserve_big(out, n);
    out.resize(n);
    auto project = [&](const geo::Projector& proj, std::size_t begin, std::size_t end) {
        for (std::size_t i = begin; i < end; ++i)
            out[i] = local_position(proj, origin_x_, origin_y_, incidents[i].lon, incidents[i].lat);
    };
    // Many points: the second half on another thread with a projector of its own (a PROJ
    // object is not shared between threads), about 0.2 µs a point saved on two cores.
    constexpr std::size_t kSplitFrom = 200'000;
    if (n < kSplitFrom || std::thread::hardware_concurrency() < 2) {
        project(proj_, 0, n);
        return out;
    }
    const std::size_t mid = n / 2;
    core::run_beside([&] { project(proj_, 0, mid); },
                     [&] {
                         const geo::Projector own(proj_.crs());
                         project(own, mid, n);
                     });
    return out;
}

Symbol incident_symbol(const core::IncidentMark& inc, const IncidentLook& look) {
    const TypeStyle& style = style_for_type_index(inc.type);
    Symbol s;
    s.shape = style.shape;
    s.size_px =
        symbol_size_px(inc.fatalities, inc.fatalities >= 0) * shape_scale(style.shape) * look.scale;
    s.outline = side_color(inc.side);
    switch (look.color_by) {
        case ColorBy::Type: s.fill = style.fill; break;
        case ColorBy::Status: s.fill = status_color(inc.status); break;
        case ColorBy::ReportedBy:
            s.fill = side_color(inc.side);
            // The side is the fill: a plain outline that sets it off (dark around white).
            s.outline = inc.side == core::ReportingSide::ThirdParty ? Rgba{90, 90, 90, 255}
                                                                    : Rgba{255, 255, 255, 255};
            break;
    }
    // Pointed shapes (a triangle's middle is half its radius from the edge) get a thinner band,
    // so that their fill stays the larger part of them.
    const bool pointed =
        s.shape == Shape::Triangle || s.shape == Shape::Star || s.shape == Shape::Cross;
    s.outline_px = kSymbolOutlinePx * look.scale * (pointed ? 0.75f : 1.0f);
    // core::kStatuses: reported 0, confirmed 1, disputed 2, denied 3.
    s.dashed = inc.status == 2;
    s.fill_style = inc.status == 3 ? SymbolFill::Hollow : SymbolFill::Solid;
    s.inner_ring = inc.fatalities < 0;
    return s;
}

void Scene::incident_symbols(const std::vector<core::IncidentMark>& all,
                             const std::vector<Vec2>& positions,
                             const std::vector<std::uint32_t>* subset, const View& view,
                             std::vector<Symbol>& out, const IncidentLook& look) {
    // Uncertainty discs first (below every symbol), then symbols smallest first, so larger
    // events are never hidden under smaller ones.
    std::vector<Symbol> discs, symbols;
    const std::size_t n = subset ? subset->size() : all.size();
    const bool with_discs = n <= kMaxUncertaintyDiscs;
    // One disc per place and radius: the discs of a stack would add up to a dark blot.
    struct DiscKey {
        float x, y, r;
        bool operator==(const DiscKey& o) const { return x == o.x && y == o.y && r == o.r; }
    };
    struct DiscHash {
        std::size_t operator()(const DiscKey& k) const {
            return std::hash<float>()(k.x) * 31 ^ std::hash<float>()(k.y) * 17 ^
                   std::hash<float>()(k.r);
        }
    };
    std::unordered_set<DiscKey, DiscHash> disc_at;
    symbols.reserve(n);
    for (std::size_t k = 0; k < n; ++k) {
        const std::size_t i = subset ? (*subset)[k] : k;
        const core::IncidentMark& inc = all[i];
        const Vec2 p = positions[i];
        if (!std::isfinite(p.x) || !std::isfinite(p.y)) continue;
        const double radius_m = uncertainty_radius_m(inc.geo_precision);
        if (with_discs && radius_m > 0 &&
            disc_at.insert({p.x, p.y, static_cast<float>(radius_m)}).second) {
            // Quiet: a neutral blue-grey, light, no outline, so that the incidents stay the
            // figure and the map shows through.
            Symbol d;
            d.position = p;
            d.shape = Shape::Disc;
            d.size_px = static_cast<float>(2.0 * radius_m / view.units_per_pixel);
            d.fill = kUncertaintyDisc;
            d.outline = d.fill;
            d.outline_px = 0.0f;
            discs.push_back(d);
        }
        Symbol s = incident_symbol(inc, look);
        s.position = p;
        if (look.offsets_px) {
            // Screen px (y down) -> map units (y up).
            const Vec2 o = (*look.offsets_px)[i];
            s.position.x += static_cast<float>(o.x * view.units_per_pixel);
            s.position.y -= static_cast<float>(o.y * view.units_per_pixel);
        }
        symbols.push_back(s);
    }
    out.insert(out.end(), discs.begin(), discs.end());
    append_smallest_first(symbols, out);
}

std::vector<LayerStyle> Scene::default_styles() const {
    std::vector<LayerStyle> styles;
    for (const auto& l : layers_) styles.push_back({l.name, true, 1.0f});
    styles.push_back({"incidents", true, 1.0f});
    return styles;
}

DrawList Scene::draw(const std::vector<core::IncidentMark>& incidents, const View& view) const {
    return draw(incidents, view, default_styles());
}

DrawList Scene::draw(const std::vector<core::IncidentMark>& incidents, const View& view,
                     const std::vector<LayerStyle>& styles) const {
    return draw(incidents, positions(incidents), nullptr, view, styles);
}

DrawList Scene::draw(const std::vector<core::IncidentMark>& incidents,
                     const std::vector<Vec2>& positions, const std::vector<std::uint32_t>* subset,
                     const View& view, const std::vector<LayerStyle>& styles,
                     const IncidentLook& look) const {
    DrawList list;
    list.origin_x = origin_x_;
    list.origin_y = origin_y_;
    list.background = kBackground;
    auto fade = [](Rgba c, float opacity) {
        c.a = static_cast<std::uint8_t>(std::lround(c.a * std::clamp(opacity, 0.0f, 1.0f)));
        return c;
    };
    // Simple per-layer styling: a colour that replaces the layer's own (keeping each item's
    // alpha, so translucent fills stay translucent), and a line width factor.
    auto paint = [](Rgba c, const LayerStyle& st) {
        if (st.recolor) c.r = st.color.r, c.g = st.color.g, c.b = st.color.b;
        return c;
    };
    for (const LayerStyle& st : styles) {
        if (!st.visible || st.opacity <= 0.0f) continue;
        if (st.name == "incidents") {
            const std::size_t first = list.symbols.size();
            incident_symbols(incidents, positions, subset, view, list.symbols, look);
            if (st.opacity < 1.0f)
                for (std::size_t i = first; i < list.symbols.size(); ++i) {
                    list.symbols[i].fill = fade(list.symbols[i].fill, st.opacity);
                    list.symbols[i].outline = fade(list.symbols[i].outline, st.opacity);
                }
            else if (list.symbols.size() - first >= kDropHiddenFrom)
                drop_hidden_symbols(list.symbols, first, view, origin_x_, origin_y_);
            continue;
        }
        for (const auto& l : layers_) {
            if (l.name != st.name) continue;
            for (FillBatch f : l.fills) {
                f.color = fade(paint(f.color, st), st.opacity);
                f.hatch = fade(paint(f.hatch, st), st.opacity);
                f.layer = st.name;
                list.fills.push_back(std::move(f));
            }
            for (LineBatch ln : l.lines) {
                ln.color = fade(paint(ln.color, st), st.opacity);
                ln.width_px *= std::max(0.0f, st.line_width);
                ln.layer = st.name;
                list.lines.push_back(std::move(ln));
            }
            if (!l.symbols.empty())
                list.symbol_layers.push_back({list.symbols.size(), l.symbols.size(), st.name});
            for (Symbol sy : l.symbols) {
                sy.fill = fade(paint(sy.fill, st), st.opacity);
                sy.outline = fade(sy.outline, st.opacity);
                list.symbols.push_back(sy);
            }
        }
    }
    return list;
}

}  // namespace limes::map
