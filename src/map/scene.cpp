#include "map/scene.hpp"

#include "map/occlusion.hpp"

#include <ogr_geometry.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <thread>
#include <unordered_map>

#include "core/parallel.hpp"
#include "geo/geometry/triangulate.hpp"
#include "geo/store/ogr_convert.hpp"
#include "map/style.hpp"

namespace limes::map {
namespace {

// Projects a lon/lat multipolygon ring by ring; LonLat fields then carry map x/y.
core::MultiPolygon project(const core::MultiPolygon& mp, const geo::Projector& proj) {
    core::MultiPolygon out = mp;
    for (auto& poly : out)
        for (auto& ring : poly)
            for (auto& p : ring) proj.forward(p.lon, p.lat, p.lon, p.lat);
    return out;
}

std::string field(const OGRFeature& f, const char* name) {
    const int i = f.GetFieldIndex(name);
    return i >= 0 && f.IsFieldSetAndNotNull(i) ? f.GetFieldAsString(i) : std::string();
}

}  // namespace

const std::vector<std::string>& Scene::layer_names() {
    static const std::vector<std::string> names = {"countries", "provinces", "claims",
                                                   "historical_lines", "regions", "places",
                                                   "incidents"};
    return names;
}

Scene::Scene(const geo::Workspace& ws, const geo::Projector& proj,
             const std::vector<std::string>& layers)
    : proj_(proj) {
    auto shown = [&](const char* name) {
        return layers.empty() || std::find(layers.begin(), layers.end(), name) != layers.end();
    };
    // The local origin: the projected centre of the countries' extent (or 0,0).
    if (OGRLayer* l = ws.gdal().GetLayerByName("countries")) {
        OGREnvelope env;
        if (l->GetExtent(&env, TRUE) == OGRERR_NONE) {
            double x, y;
            if (proj.forward((env.MinX + env.MaxX) / 2, (env.MinY + env.MaxY) / 2, x, y)) {
                origin_x_ = x;
                origin_y_ = y;
            }
        }
    }
    min_x_ = min_y_ = std::numeric_limits<double>::infinity();
    max_x_ = max_y_ = -std::numeric_limits<double>::infinity();
    if (shown("countries")) add_polygons(ws, "countries", true);
    if (shown("provinces")) add_polygons(ws, "provinces", false);
    if (shown("claims")) add_claims(ws);
    if (shown("countries")) add_polygons(ws, "countries", false);
    if (shown("historical_lines")) add_lines(ws, "historical_lines");
    if (shown("regions")) {
        add_polygons(ws, "regions", false);
        has_regions_ = ws.gdal().GetLayerByName("regions") && ws.gdal().GetLayerByName("regions")->GetFeatureCount(TRUE) > 0;
    }
    if (shown("places")) add_places(ws);
    if (min_x_ > max_x_) min_x_ = min_y_ = max_x_ = max_y_ = 0.0;
}

Vec2 Scene::local(double lon, double lat) const {
    double x, y;
    proj_.forward(lon, lat, x, y);
    return {static_cast<float>(x - origin_x_), static_cast<float>(y - origin_y_)};
}

void Scene::add_polygons(const geo::Workspace& ws, const char* layer_name, bool fill) {
    OGRLayer* layer = ws.gdal().GetLayerByName(layer_name);
    if (!layer) return;
    const std::string name = layer_name;
    LineBatch outline;
    outline.color = name == "provinces" ? kProvinceOutline
                    : name == "regions" ? kRegionOutline
                                        : kCountryOutline;
    outline.width_px = name == "provinces" ? 0.6f : name == "regions" ? 2.0f : 1.2f;
    layer->ResetReading();
    for (auto& f : *layer) {
        const core::MultiPolygon mp = project(geo::to_multipolygon(f->GetGeometryRef()), proj_);
        if (fill) {
            geo::Triangles t;
            geo::triangulate(mp, t);
            FillBatch batch;
            std::string key = field(*f, "iso_a3");
            if (key.empty()) key = field(*f, "name");
            batch.color = country_fill(key);
            batch.vertices.reserve(t.xy.size() / 2);
            for (std::size_t i = 0; i + 1 < t.xy.size(); i += 2)
                batch.vertices.push_back({static_cast<float>(t.xy[i] - origin_x_),
                                          static_cast<float>(t.xy[i + 1] - origin_y_)});
            batch.indices = std::move(t.indices);
            scene_layer(name).fills.push_back(std::move(batch));
        } else {
            for (const auto& poly : mp)
                for (const auto& ring : poly) {
                    std::vector<Vec2> line;
                    line.reserve(ring.size());
                    for (const auto& p : ring) {
                        line.push_back({static_cast<float>(p.lon - origin_x_),
                                        static_cast<float>(p.lat - origin_y_)});
                        min_x_ = std::min(min_x_, p.lon);
                        max_x_ = std::max(max_x_, p.lon);
                        min_y_ = std::min(min_y_, p.lat);
                        max_y_ = std::max(max_y_, p.lat);
                    }
                    outline.polylines.push_back(std::move(line));
                }
        }
    }
    if (!outline.polylines.empty()) scene_layer(name).lines.push_back(std::move(outline));
}

void Scene::add_lines(const geo::Workspace& ws, const char* layer_name) {
    OGRLayer* layer = ws.gdal().GetLayerByName(layer_name);
    if (!layer) return;
    LineBatch oblast, ceasefire;
    oblast.color = kOblastLine;
    oblast.width_px = 1.6f;
    oblast.dash_px = 8.0f;
    oblast.gap_px = 4.0f;
    ceasefire.color = kCeasefireLine;
    ceasefire.width_px = 1.6f;
    ceasefire.dash_px = 3.0f;
    ceasefire.gap_px = 3.0f;
    layer->ResetReading();
    for (auto& f : *layer) {
        const OGRGeometry* g = f->GetGeometryRef();
        if (!g) continue;
        LineBatch& target = field(*f, "kind") == "ceasefire_line_1994" ? ceasefire : oblast;
        std::unique_ptr<OGRGeometry> lines(
            OGRGeometryFactory::forceToMultiLineString(g->clone()));
        for (const OGRLineString* ls : *lines->toMultiLineString()) {
            std::vector<Vec2> line;
            for (const OGRPoint& p : *ls) line.push_back(local(p.getX(), p.getY()));
            target.polylines.push_back(std::move(line));
        }
    }
    has_oblast_ = !oblast.polylines.empty();
    has_ceasefire_ = !ceasefire.polylines.empty();
    if (has_oblast_) scene_layer(layer_name).lines.push_back(std::move(oblast));
    if (has_ceasefire_) scene_layer(layer_name).lines.push_back(std::move(ceasefire));
}

void Scene::add_claims(const geo::Workspace& ws) {
    for (const core::Claim& c : ws.read_claims()) {
        const core::MultiPolygon mp = project(c.area, proj_);
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
            batch.vertices.push_back({static_cast<float>(t.xy[i] - origin_x_),
                                      static_cast<float>(t.xy[i + 1] - origin_y_)});
        batch.indices = std::move(t.indices);
        scene_layer("claims").fills.push_back(std::move(batch));
        LineBatch outline;
        outline.color = holder_color(c.holder);
        outline.width_px = 1.5f;
        for (const auto& poly : mp)
            for (const auto& ring : poly) {
                std::vector<Vec2> line;
                for (const auto& p : ring)
                    line.push_back({static_cast<float>(p.lon - origin_x_),
                                    static_cast<float>(p.lat - origin_y_)});
                outline.polylines.push_back(std::move(line));
            }
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
                const double cross = r[i].lon * r[i + 1].lat - r[i + 1].lon * r[i].lat;
                a += cross;
                cx += (r[i].lon + r[i + 1].lon) * cross;
                cy += (r[i].lat + r[i + 1].lat) * cross;
            }
            if (std::fabs(a) > best && a != 0.0) {
                best = std::fabs(a);
                anchor = {static_cast<float>(cx / (3 * a) - origin_x_),
                          static_cast<float>(cy / (3 * a) - origin_y_)};
            }
        }
        ClaimInfo info;
        info.anchor = anchor;
        info.name = c.name;
        info.holder = c.holder;
        info.sovereign = c.sovereign;
        info.claimant = c.claimant;
        info.kind = c.kind;
        if (c.valid_from) info.since = c.valid_from->iso();
        claim_info_.push_back(std::move(info));
    }
}

void Scene::add_places(const geo::Workspace& ws) {
    OGRLayer* layer = ws.gdal().GetLayerByName("places");
    if (!layer) return;
    layer->ResetReading();
    for (auto& f : *layer) {
        const OGRGeometry* g = f->GetGeometryRef();
        if (!g || wkbFlatten(g->getGeometryType()) != wkbPoint) continue;
        Symbol s;
        s.position = local(g->toPoint()->getX(), g->toPoint()->getY());
        s.size_px = field(*f, "kind") == "capital" ? 8.0f : 6.0f;  // px; a dark core inside the 1.5 px outline
        s.shape = Shape::Circle;
        s.fill = kPlace;
        s.outline = {255, 255, 255, 255};
        scene_layer("places").symbols.push_back(s);
        PlaceInfo info;
        info.position = s.position;
        info.name_en = field(*f, "name_en");
        info.name_hy = field(*f, "name_hy");
        info.name_az = field(*f, "name_az");
        info.kind = field(*f, "kind");
        info.rank = info.kind == "capital" ? 0 : info.kind == "city" ? 1 : info.kind == "town" ? 2 : 3;
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
            std::stable_sort(sorted.begin(), sorted.end(),
                             [](const Symbol& a, const Symbol& b) { return a.size_px < b.size_px; });
            out.insert(out.end(), sorted.begin(), sorted.end());
            return;
        }
        // -0 and +0 hash alike and compare equal: one slot, as stable_sort would keep them.
        const auto [it, added] = index.try_emplace(size == 0.0f ? 0.0f : size,
                                                   static_cast<std::uint32_t>(sizes.size()));
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
    std::vector<Vec2> out(n);
    auto project = [&](const geo::Projector& proj, std::size_t begin, std::size_t end) {
        for (std::size_t i = begin; i < end; ++i) {
            double x, y;
            proj.forward(incidents[i].lon, incidents[i].lat, x, y);  // NaN where it cannot
            out[i] = {static_cast<float>(x - origin_x_), static_cast<float>(y - origin_y_)};
        }
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

void Scene::incident_symbols(const std::vector<core::IncidentMark>& all,
                             const std::vector<Vec2>& positions,
                             const std::vector<std::uint32_t>* subset, const View& view,
                             std::vector<Symbol>& out) {
    // Uncertainty discs first (below every symbol), then symbols smallest first, so larger
    // events are never hidden under smaller ones.
    std::vector<Symbol> discs, symbols;
    const std::size_t n = subset ? subset->size() : all.size();
    const bool with_discs = n <= kMaxUncertaintyDiscs;
    symbols.reserve(n);
    for (std::size_t k = 0; k < n; ++k) {
        const std::size_t i = subset ? (*subset)[k] : k;
        const core::IncidentMark& inc = all[i];
        const Vec2 p = positions[i];
        if (!std::isfinite(p.x) || !std::isfinite(p.y)) continue;
        const TypeStyle& style = style_for_type_index(inc.type);
        const double radius_m = uncertainty_radius_m(inc.geo_precision);
        if (with_discs && radius_m > 0) {
            Symbol d;
            d.position = p;
            d.shape = Shape::Disc;
            d.size_px = static_cast<float>(2.0 * radius_m / view.units_per_pixel);
            d.fill = style.fill;
            d.fill.a = 22;  // light: stacked discs of one place must not hide the map
            d.outline = d.fill;
            discs.push_back(d);
        }
        Symbol s;
        s.position = p;
        s.shape = style.shape;
        s.size_px = symbol_size_px(inc.fatalities, inc.fatalities >= 0) *
                    shape_scale(style.shape);
        s.fill = style.fill;
        s.outline = {255, 255, 255, 255};
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
                     const View& view, const std::vector<LayerStyle>& styles) const {
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
            incident_symbols(incidents, positions, subset, view, list.symbols);
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
                list.fills.push_back(std::move(f));
            }
            for (LineBatch ln : l.lines) {
                ln.color = fade(paint(ln.color, st), st.opacity);
                ln.width_px *= std::max(0.0f, st.line_width);
                list.lines.push_back(std::move(ln));
            }
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
