#include "vector/paint.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <map>
#include <unordered_map>

namespace limes::vector {
namespace {

using map::Rgba;
using map::Vec2;

constexpr const char* kIncidents = "incidents";  // items no layer claimed: incidents' own

std::string layer_or_incidents(const std::string& layer) {
    return layer.empty() ? kIncidents : layer;
}

// "historical_lines" -> "Historical lines": the title a PDF reader lists.
std::string title_of(const std::string& id) {
    if (id == "labels") return "Labels, title and legend";
    if (id == "frame") return "Page frame";
    if (id == "background") return "Background";
    std::string t = id;
    std::replace(t.begin(), t.end(), '_', ' ');
    if (!t.empty()) t[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(t[0])));
    return t;
}

// Map units (relative to the list's origin) -> image pixels, as render::Renderer places them.
struct ToPixels {
    double ox, oy, cx, cy, upp;
    double w, h;
    Vec2 operator()(Vec2 p) const {
        return {static_cast<float>((p.x + ox - cx) / upp + w / 2),
                static_cast<float>(h / 2 - (p.y + oy - cy) / upp)};
    }
};

bool overlay_empty(const map::Overlay& o) {
    return o.fills.empty() && o.lines.empty() && o.symbols.empty() && o.texts.empty();
}

std::uint64_t key_of(Vec2 p) {
    std::uint32_t a, b;
    std::memcpy(&a, &p.x, 4);
    std::memcpy(&b, &p.y, 4);
    return (std::uint64_t{a} << 32) | b;
}

// A symbol's shape as a path of radius r around c (pixels, y down), as symbol.frag draws it.
Path shape_path(map::Shape shape, Vec2 c, float r) {
    Path p;
    Path::Sub s;
    s.closed = true;
    auto at = [&](double angle_from_up, double radius) {
        s.points.push_back({static_cast<float>(c.x + radius * std::sin(angle_from_up)),
                            static_cast<float>(c.y - radius * std::cos(angle_from_up))});
    };
    constexpr double kPi = 3.14159265358979;
    switch (shape) {
        case map::Shape::Square:
            s.points = {{c.x - r, c.y - r}, {c.x + r, c.y - r}, {c.x + r, c.y + r}, {c.x - r, c.y + r}};
            break;
        case map::Shape::Triangle:  // pointing up, circumradius r
            for (int i = 0; i < 3; ++i) at(i * 2 * kPi / 3, r);
            break;
        case map::Shape::Diamond:
            s.points = {{c.x, c.y - r}, {c.x + r, c.y}, {c.x, c.y + r}, {c.x - r, c.y}};
            break;
        case map::Shape::Star:  // five points up, inner radius half the outer
            for (int i = 0; i < 10; ++i) at(i * kPi / 5, i % 2 ? 0.5 * r : r);
            break;
        case map::Shape::Cross: {  // arms of half length r, half thickness 0.36 r
            const float t = 0.36f * r;
            s.points = {{c.x - t, c.y - r}, {c.x + t, c.y - r}, {c.x + t, c.y - t}, {c.x + r, c.y - t},
                        {c.x + r, c.y + t}, {c.x + t, c.y + t}, {c.x + t, c.y + r}, {c.x - t, c.y + r},
                        {c.x - t, c.y + t}, {c.x - r, c.y + t}, {c.x - r, c.y - t}, {c.x - t, c.y - t}};
            break;
        }
        default:  // Circle, Disc: a 48-gon (under a tenth of a pixel off for 40 px symbols)
            for (int i = 0; i < 48; ++i) at(i * 2 * kPi / 48, r);
    }
    p.subs.push_back(std::move(s));
    return p;
}

// Distance from the centre to the nearest edge, as a fraction of the radius (symbol.frag).
float inradius_factor(map::Shape shape) {
    switch (shape) {
        case map::Shape::Triangle: return 0.5f;
        case map::Shape::Diamond: return 0.7071068f;
        case map::Shape::Star: return 0.4f;
        case map::Shape::Cross: return 0.36f;
        default: return 1.0f;
    }
}

// The shape shrunk towards its centre so that its edge moves in by depth pixels (exact for
// circles and squares; near enough for the others at symbol sizes).
Path inset(map::Shape shape, Vec2 c, float r, float depth) {
    const float in = r * inradius_factor(shape);
    const float k = std::max(0.0f, (in - depth) / in);
    return shape_path(shape, c, r * k);
}

void draw_symbol(const map::Symbol& s, Vec2 c, Canvas& canvas) {
    const float r = s.size_px / 2;
    if (r <= 0) return;
    if (s.shape == map::Shape::Disc) {
        canvas.fill(shape_path(s.shape, c, r), s.fill, false);
        return;
    }
    const Path outer = shape_path(s.shape, c, r);
    const float band = std::min(s.outline_px, r * inradius_factor(s.shape));
    canvas.fill(outer, s.dashed ? Rgba{255, 255, 255, s.outline.a} : s.outline, false);
    if (s.dashed) {
        // The band in dashes of about 2.5 band widths, the gaps white (symbol.frag).
        const Path mid = inset(s.shape, c, r, band / 2);
        const float around = 2 * 3.14159265f * r;
        const float n = std::max(4.0f, std::floor(around / std::max(3.0f, 2.5f * band)));
        canvas.stroke(mid, s.outline, band, 0.6f * around / n, 0.4f * around / n);
    }
    const Path inner = inset(s.shape, c, r, band);
    if (s.fill_style == map::SymbolFill::Hollow) {
        // A ring of the fill colour a fifth of the radius wide, the middle empty.
        const float ring = std::max(1.5f, 0.2f * r);
        Path both = inner;
        const Path hole = inset(s.shape, c, r, band + ring);
        both.subs.push_back(hole.subs.front());
        canvas.fill(both, s.fill, true);
    } else {
        canvas.fill(inner, s.fill, false);
    }
    if (s.inner_ring) {
        const float in = r * inradius_factor(s.shape);
        const float depth = in - band;
        if (depth >= 2.5f)
            canvas.stroke(inset(s.shape, c, r, band + 0.45f * depth), {255, 255, 255, 255},
                          std::max(1.0f, 0.1f * in));
    }
}

void draw_fill(const map::FillBatch& f, const std::vector<Vec2>& pixels, Canvas& canvas) {
    const Path outline = outline_of_triangles(pixels, f.indices);
    if (outline.empty()) return;
    if (f.color.a > 0) canvas.fill(outline, f.color, true);
    if (f.hatch_spacing_px > 0 && f.hatch.a > 0) {
        // 45° stripes ("/" in the image) where (x + y) / sqrt 2 is a multiple of the spacing,
        // as fill.frag draws them, clipped to the polygon.
        float x0 = 1e30f, y0 = 1e30f, x1 = -1e30f, y1 = -1e30f;
        for (const auto& sub : outline.subs)
            for (Vec2 p : sub.points)
                x0 = std::min(x0, p.x), y0 = std::min(y0, p.y), x1 = std::max(x1, p.x),
                y1 = std::max(y1, p.y);
        const double step = f.hatch_spacing_px * 1.41421356;  // in x + y
        Path stripes;
        for (double k = std::floor((x0 + y0) / step) * step; k <= x1 + y1 + step; k += step)
            stripes.subs.push_back({{{static_cast<float>(k - y0), y0},
                                     {static_cast<float>(k - y1), y1}},
                                    false});
        canvas.push_clip(outline);
        canvas.stroke(stripes, f.hatch, std::min(1.5f, 0.5f * f.hatch_spacing_px));
        canvas.pop_clip();
    }
}

void draw_line(const map::LineBatch& l, const ToPixels* to_px, Canvas& canvas) {
    Path p;
    for (const auto& pl : l.polylines) {
        if (pl.size() < 2) continue;
        Path::Sub s;
        s.points.reserve(pl.size());
        for (Vec2 v : pl) s.points.push_back(to_px ? (*to_px)(v) : v);
        p.subs.push_back(std::move(s));
    }
    if (!p.empty()) canvas.stroke(p, l.color, l.width_px, l.dash_px, l.gap_px);
}

// The overlay's items of layer ("": the labels and furniture, with its fills and lines; a
// map layer: its symbols and texts among the overlay's, e.g. the incidents' count badges).
void draw_overlay(const map::Overlay& o, Canvas& canvas, const std::string& layer = "") {
    std::vector<const std::string*> symbol_layer(o.symbols.size(), nullptr);
    for (const auto& s : o.symbol_layers)
        for (std::size_t i = s.first; i < s.first + s.count && i < symbol_layer.size(); ++i)
            symbol_layer[i] = &s.layer;
    if (layer.empty()) {
        for (const auto& f : o.fills) draw_fill(f, f.vertices, canvas);
        for (const auto& l : o.lines) draw_line(l, nullptr, canvas);
    }
    for (std::size_t i = 0; i < o.symbols.size(); ++i)
        if ((symbol_layer[i] ? *symbol_layer[i] : std::string()) == layer)
            draw_symbol(o.symbols[i], o.symbols[i].position, canvas);
    for (const auto& t : o.texts)
        if (t.layer == layer) canvas.text(t);
}

}  // namespace

Path outline_of_triangles(const std::vector<Vec2>& v, const std::vector<std::uint32_t>& idx) {
    // Every triangle counter-clockwise (in pixels, y down: clockwise on screen is fine as long
    // as all agree); an edge shared by two triangles then appears once each way and cancels.
    std::unordered_map<std::uint64_t, Vec2> point_of;
    std::map<std::pair<std::uint64_t, std::uint64_t>, int> edges;  // directed, count
    for (std::size_t i = 0; i + 2 < idx.size(); i += 3) {
        if (idx[i] >= v.size() || idx[i + 1] >= v.size() || idx[i + 2] >= v.size()) continue;
        Vec2 a = v[idx[i]], b = v[idx[i + 1]], c = v[idx[i + 2]];
        const double area = (double(b.x) - a.x) * (double(c.y) - a.y) -
                            (double(c.x) - a.x) * (double(b.y) - a.y);
        if (area == 0) continue;
        if (area < 0) std::swap(b, c);
        const Vec2 t[3] = {a, b, c};
        for (int k = 0; k < 3; ++k) {
            const std::uint64_t p = key_of(t[k]), q = key_of(t[(k + 1) % 3]);
            point_of[p] = t[k];
            if (auto it = edges.find({q, p}); it != edges.end()) {
                if (--it->second == 0) edges.erase(it);
            } else {
                ++edges[{p, q}];
            }
        }
    }
    // Chain the remaining directed edges into rings.
    std::unordered_multimap<std::uint64_t, std::uint64_t> next;
    for (const auto& [e, n] : edges)
        for (int k = 0; k < n; ++k) next.emplace(e.first, e.second);
    Path out;
    while (!next.empty()) {
        auto it = next.begin();
        const std::uint64_t start = it->first;
        std::uint64_t at = it->second;
        next.erase(it);
        Path::Sub ring;
        ring.closed = true;
        ring.points.push_back(point_of[start]);
        while (at != start) {
            ring.points.push_back(point_of[at]);
            auto n = next.find(at);
            if (n == next.end()) break;  // an open chain (bad triangulation): close it anyway
            at = n->second;
            next.erase(n);
        }
        if (ring.points.size() >= 3) out.subs.push_back(std::move(ring));
    }
    return out;
}

std::vector<GroupInfo> groups_of(const std::vector<Panel>& panels, const map::Overlay& frame) {
    std::vector<GroupInfo> out{{"background", "Background"}};
    auto add = [&](const std::string& id) {
        for (const auto& g : out)
            if (g.id == id) return;
        out.push_back({id, title_of(id)});
    };
    bool labels = false;
    for (const Panel& p : panels) {
        const map::DrawList& list = *p.list;
        for (const auto& f : list.fills) add(layer_or_incidents(f.layer));
        for (const auto& l : list.lines) add(layer_or_incidents(l.layer));
        std::size_t covered = 0;
        for (const auto& s : list.symbol_layers) add(s.layer), covered += s.count;
        if (list.symbols.size() > covered) add(kIncidents);
        labels |= !overlay_empty(list.overlay);
    }
    if (labels) add("labels");
    if (!overlay_empty(frame)) add("frame");
    return out;
}

namespace {

// One map layer of one panel.
void paint_layer(const map::DrawList& list, const map::View& view, const std::string& id,
                 Canvas& canvas) {
    const ToPixels to_px{list.origin_x, list.origin_y, view.center_x, view.center_y,
                         view.units_per_pixel, double(view.width), double(view.height)};
    Path page;
    page.subs.push_back({{{0, 0},
                          {float(view.width), 0},
                          {float(view.width), float(view.height)},
                          {0, float(view.height)}},
                         true});
    // Which layer drew symbol i (spans from the scene; the rest are incidents).
    std::vector<const std::string*> symbol_layer(list.symbols.size(), nullptr);
    for (const auto& s : list.symbol_layers)
        for (std::size_t i = s.first; i < s.first + s.count && i < symbol_layer.size(); ++i)
            symbol_layer[i] = &s.layer;
    static const std::string incidents = kIncidents;
    canvas.push_clip(page);
    for (const auto& f : list.fills) {
        if (layer_or_incidents(f.layer) != id) continue;
        std::vector<Vec2> px(f.vertices.size());
        std::transform(f.vertices.begin(), f.vertices.end(), px.begin(), to_px);
        draw_fill(f, px, canvas);
    }
    for (const auto& l : list.lines)
        if (layer_or_incidents(l.layer) == id) draw_line(l, &to_px, canvas);
    for (std::size_t i = 0; i < list.symbols.size(); ++i) {
        const std::string& layer = symbol_layer[i] ? *symbol_layer[i] : incidents;
        if (layer != id) continue;
        const Vec2 c = to_px(list.symbols[i].position);
        const float r = list.symbols[i].size_px;
        if (c.x < -r || c.y < -r || c.x > view.width + r || c.y > view.height + r) continue;
        draw_symbol(list.symbols[i], c, canvas);
    }
    canvas.pop_clip();
}

}  // namespace

void paint(const std::vector<Panel>& panels, const map::Overlay& frame, int width, int height,
           Canvas& canvas, const std::string& only) {
    for (const GroupInfo& g : groups_of(panels, frame)) {
        if (!only.empty() && g.id != only) continue;
        canvas.begin_group(g.id, g.title, g.id != "frame" && g.id != "background");
        if (g.id == "background") {
            Path page;
            page.subs.push_back(
                {{{0, 0}, {float(width), 0}, {float(width), float(height)}, {0, float(height)}},
                 true});
            canvas.fill(page, panels.empty() ? map::Rgba{255, 255, 255, 255}
                                             : panels.front().list->background,
                        false);
        } else if (g.id == "frame") {
            draw_overlay(frame, canvas);
        } else {
            for (const Panel& p : panels) {
                canvas.push_offset(p.x, p.y);
                if (g.id == "labels") {
                    draw_overlay(p.list->overlay, canvas);
                } else {
                    paint_layer(*p.list, p.view, g.id, canvas);
                    draw_overlay(p.list->overlay, canvas, g.id);  // its count badges
                }
                canvas.pop_offset();
            }
        }
        canvas.end_group();
    }
}

}  // namespace limes::vector
