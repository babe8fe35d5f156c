#include "map/labels.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <optional>

#include "map/style.hpp"

namespace limes::map {
namespace {


// Everything placed so far in image pixels; labels must not overlap any of it.
class Occupancy {
  public:
    bool free(const PixelBox& r) const {
        return std::none_of(taken_.begin(), taken_.end(),
                            [&](const PixelBox& t) { return t.overlaps(r); });
    }
    void take(const PixelBox& r) { taken_.push_back(r); }

  private:
    std::vector<PixelBox> taken_;
};

struct Placer {
    const Scene& scene;
    const View& view;
    const LabelOptions& o;
    const MeasureText& measure;
    float s;  // text scale
    Occupancy occupied;
    std::vector<PlacedLabel> out;

    bool shown(const char* layer) const { return !o.shown || o.shown(layer); }
    const std::string& pick_name(const std::string& en, const std::string& hy,
                                 const std::string& az) const {
        return o.language == "hy" && !hy.empty() ? hy : o.language == "az" && !az.empty() ? az : en;
    }
    PlacedLabel& label(const PixelBox& r, const std::string& t, LabelKind kind, float size, Weight w,
                       Rgba ink, Vec2 anchor) {
        occupied.take(r);
        PlacedLabel l;
        l.text = t;
        l.kind = kind;
        l.box = {r.x0, r.y0, r.x1, r.y1};
        l.anchor = anchor;
        l.size = size;
        l.weight = w;
        l.ink = ink;
        l.halo_px = 2.0f * s;
        out.push_back(std::move(l));
        return out.back();
    }
    Vec2 to_pixel(Vec2 p) const {
        return {static_cast<float>((p.x + scene.origin_x() - view.center_x) / view.units_per_pixel +
                                   view.width / 2.0),
                static_cast<float>(view.height / 2.0 - (p.y + scene.origin_y() - view.center_y) /
                                                           view.units_per_pixel)};
    }
    bool inside(const PixelBox& r) const {
        return r.x0 >= 0 && r.y0 >= 0 && r.x1 <= view.width && r.y1 <= view.height;
    }
};

// True when a feature's bounds (map units) reach into the view.
bool in_view(const Placer& c, const FeatureInfo& f) {
    const Vec2 a = c.to_pixel({f.min_x, f.min_y}), b = c.to_pixel({f.max_x, f.max_y});
    return std::max(a.x, b.x) >= 0 && std::min(a.x, b.x) <= c.view.width &&
           std::max(a.y, b.y) >= 0 && std::min(a.y, b.y) <= c.view.height;
}

std::vector<std::vector<Vec2>> to_pixels(const Placer& c,
                                         const std::vector<std::vector<Vec2>>& rings) {
    std::vector<std::vector<Vec2>> out;
    out.reserve(rings.size());
    for (const auto& r : rings) {
        std::vector<Vec2> px;
        px.reserve(r.size());
        for (const Vec2& p : r) px.push_back(c.to_pixel(p));
        out.push_back(std::move(px));
    }
    return out;
}

// Every corner and the centre of r inside the polygon: the label sits on its area.
bool rect_inside(const std::vector<std::vector<Vec2>>& rings, const PixelBox& r) {
    for (Vec2 p : {Vec2{r.x0, r.y0}, Vec2{r.x1, r.y0}, Vec2{r.x1, r.y1}, Vec2{r.x0, r.y1},
                   Vec2{(r.x0 + r.x1) / 2, (r.y0 + r.y1) / 2}})
        if (!inside_rings(rings, p)) return false;
    return true;
}

// Places a block of w x h pixels centred on the first candidate where it lies inside the view,
// on free space and (for areas) wholly inside the polygon. Returns the box, or nothing.
std::optional<PixelBox> place_block(Placer& c, const std::vector<Vec2>& candidates,
                                const std::vector<std::vector<Vec2>>* area, float w, float h) {
    for (const Vec2& p : candidates) {
        const PixelBox r{p.x - w / 2, p.y - h / 2, p.x + w / 2, p.y + h / 2};
        if (!c.inside(r) || !c.occupied.free(r)) continue;
        if (area && !rect_inside(*area, r)) continue;
        return r;
    }
    return std::nullopt;
}

// Label positions inside an area feature, best first, for this view.
std::vector<Vec2> area_candidates(const Placer& c, const std::vector<std::vector<Vec2>>& px) {
    const PixelBox within{0, 0, static_cast<float>(c.view.width),
                          static_cast<float>(c.view.height)};
    std::vector<Vec2> out;
    for (const InteriorPoint& p : interior_points(px, within, 24 * c.s)) out.push_back(p.at);
    return out;
}

// One line of text as a label of an area (or river) feature.
bool feature_label(Placer& c, const std::string& name, const std::vector<Vec2>& candidates,
                   const std::vector<std::vector<Vec2>>* area, float size, Weight w, Rgba ink,
                   LabelKind kind) {
    if (name.empty()) return false;
    const TextBox b = c.measure(name, size, w);
    const auto r = place_block(c, candidates, area, b.width, b.ascent + b.descent);
    if (!r) return false;
    c.label(*r, name, kind, size, w, ink, {(r->x0 + r->x1) / 2, (r->y0 + r->y1) / 2});
    return true;
}

// Beside an area too small for its name: right of, left of, above or below its bounds.
std::vector<Vec2> beside_candidates(const Placer& c, const std::vector<std::vector<Vec2>>& px,
                                    const std::string& name, float size) {
    float x0 = 1e30f, y0 = 1e30f, x1 = -1e30f, y1 = -1e30f;
    for (const auto& r : px)
        for (const Vec2& p : r)
            x0 = std::min(x0, p.x), x1 = std::max(x1, p.x), y0 = std::min(y0, p.y),
            y1 = std::max(y1, p.y);
    const TextBox b = c.measure(name, size, Weight::Regular);
    const float gap = 4 * c.s, h = b.ascent + b.descent, cx = (x0 + x1) / 2, cy = (y0 + y1) / 2;
    return {{x1 + gap + b.width / 2, cy},
            {x0 - gap - b.width / 2, cy},
            {cx, y0 - gap - h / 2},
            {cx, y1 + gap + h / 2}};
}

// Claims: name and "held by HOLDER since DATE", inside the claim's area; the full statement
// (claimant, source) stays with the feature (inspector, export).
void claim_labels(Placer& c) {
    const float small = 11 * c.s;
    for (const ClaimLabel& label : c.scene.claims()) {
        const core::Claim& ci = label.claim;
        std::string line2 = ci.holder.empty() ? std::string() : "held by " + ci.holder;
        if (ci.valid_from) line2 += (line2.empty() ? "since " : " since ") + core::since_text(ci);
        const TextBox b1 = c.measure(ci.name, small, Weight::Bold),
                      b2 = c.measure(line2, small, Weight::Regular);
        const float w = std::max(b1.width, b2.width),
                    h = b1.ascent + b1.descent + (line2.empty() ? 0 : b2.ascent + b2.descent);
        const auto px = to_pixels(c, label.rings);
        // The centroid first (where the label always was), then points ever nearer the edge.
        const Vec2 centroid = c.to_pixel(label.anchor);
        std::vector<Vec2> candidates{centroid};
        for (const Vec2& p : area_candidates(c, px)) candidates.push_back(p);
        // A small claim (an exclave) may be smaller than its label: then only the centroid,
        // and the label may reach over the edge.
        auto r = place_block(c, candidates, &px, w, h);
        if (!r) r = place_block(c, {candidates.front()}, nullptr, w, h);
        if (!r) continue;
        const Rgba color = holder_color(ci.holder);
        const Rgba ink{static_cast<std::uint8_t>(color.r / 2),
                       static_cast<std::uint8_t>(color.g / 2),
                       static_cast<std::uint8_t>(color.b / 2), 255};
        c.label(*r, ci.name, LabelKind::Claim, small, Weight::Bold, ink, centroid).detail = line2;
    }
}

void place_names(Placer& c) {
    const float size = 13 * c.s, gap = 5 * c.s;
    std::vector<const PlaceInfo*> order;
    for (const auto& p : c.scene.places()) order.push_back(&p);
    std::stable_sort(order.begin(), order.end(),
                     [](const PlaceInfo* a, const PlaceInfo* b) { return a->rank < b->rank; });
    for (const PlaceInfo* p : order) {
        const std::string& name = c.pick_name(p->name_en, p->name_hy, p->name_az);
        if (name.empty()) continue;
        const Vec2 at = c.to_pixel(p->position);
        const float sz = p->rank == 0 ? size * 1.2f : size;
        const Weight w = p->rank <= 1 ? Weight::Bold : Weight::Regular;
        const TextBox b = c.measure(name, sz, w);
        const float th = b.ascent + b.descent;
        const PixelBox candidates[] = {
            {at.x + gap, at.y - th / 2, at.x + gap + b.width, at.y + th / 2},       // right
            {at.x - gap - b.width, at.y - th / 2, at.x - gap, at.y + th / 2},       // left
            {at.x - b.width / 2, at.y - gap - th, at.x + b.width / 2, at.y - gap},  // above
            {at.x - b.width / 2, at.y + gap, at.x + b.width / 2, at.y + gap + th},  // below
        };
        for (const PixelBox& r : candidates) {
            if (!c.inside(r) || !c.occupied.free(r)) continue;
            c.label(r, name, LabelKind::Place, sz, w, kInk, at);
            break;
        }
    }
}

// Points along a river's lines inside the view, those nearest the middle of each visible run
// first; the label is centred a little above the line.
std::vector<Vec2> line_candidates(const Placer& c, const std::vector<std::vector<Vec2>>& px,
                                  float lift) {
    std::vector<std::pair<float, Vec2>> scored;
    const float margin = 40 * c.s;
    for (const auto& line : px) {
        std::vector<Vec2> visible;
        for (const Vec2& p : line)
            if (p.x > margin && p.y > margin && p.x < c.view.width - margin &&
                p.y < c.view.height - margin)
                visible.push_back(p);
        const float mid = (visible.size() - 1) / 2.0f;
        for (std::size_t i = 0; i < visible.size(); ++i)
            scored.push_back({std::fabs(i - mid) / std::max(1.0f, mid) - visible.size() * 1e-3f,
                              {visible[i].x, visible[i].y - lift}});
    }
    std::stable_sort(scored.begin(), scored.end(),
                     [](const auto& a, const auto& b) { return a.first < b.first; });
    std::vector<Vec2> out;
    for (const auto& s : scored) out.push_back(s.second);
    return out;
}

}  // namespace

bool inside_rings(const std::vector<std::vector<Vec2>>& rings, Vec2 p) {
    bool in = false;
    for (const auto& r : rings)
        for (std::size_t i = 0, j = r.size() - 1; i < r.size(); j = i++)
            if ((r[i].y > p.y) != (r[j].y > p.y) &&
                p.x < (r[j].x - r[i].x) * (p.y - r[i].y) / (r[j].y - r[i].y) + r[i].x)
                in = !in;
    return in;
}

std::vector<InteriorPoint> interior_points(const std::vector<std::vector<Vec2>>& rings,
                                           const PixelBox& within, float step) {
    std::vector<InteriorPoint> out;
    if (!(step > 0)) return out;
    float x0 = within.x1, y0 = within.y1, x1 = within.x0, y1 = within.y0;
    for (const auto& r : rings)
        for (const Vec2& p : r) {
            if (!std::isfinite(p.x) || !std::isfinite(p.y)) continue;
            x0 = std::min(x0, p.x), x1 = std::max(x1, p.x);
            y0 = std::min(y0, p.y), y1 = std::max(y1, p.y);
        }
    x0 = std::max(x0, within.x0), y0 = std::max(y0, within.y0);
    x1 = std::min(x1, within.x1), y1 = std::min(y1, within.y1);
    if (x0 >= x1 || y0 >= y1) return out;
    // Edges that can matter: for the distance, those near the box; the even-odd test runs a
    // ray to +x, so it needs every edge. Both come from one pass over the edges per point.
    for (float y = y0 + step / 2; y < y1; y += step)
        for (float x = x0 + step / 2; x < x1; x += step) {
            bool in = false;
            float d2 = std::numeric_limits<float>::infinity();
            for (const auto& r : rings)
                for (std::size_t i = 0, j = r.size() - 1; i < r.size(); j = i++) {
                    const Vec2 a = r[j], b = r[i];
                    if ((b.y > y) != (a.y > y) && x < (a.x - b.x) * (y - b.y) / (a.y - b.y) + b.x)
                        in = !in;
                    const float ex = b.x - a.x, ey = b.y - a.y, l2 = ex * ex + ey * ey;
                    float t = l2 > 0 ? ((x - a.x) * ex + (y - a.y) * ey) / l2 : 0.0f;
                    t = std::clamp(t, 0.0f, 1.0f);
                    const float dx = a.x + t * ex - x, dy = a.y + t * ey - y;
                    d2 = std::min(d2, dx * dx + dy * dy);
                }
            if (!in) continue;
            const float border =
                std::min({x - within.x0, within.x1 - x, y - within.y0, within.y1 - y});
            out.push_back({{x, y}, std::min(std::sqrt(d2), border)});
        }
    std::stable_sort(out.begin(), out.end(), [](const InteriorPoint& a, const InteriorPoint& b) {
        return a.clearance > b.clearance;
    });
    return out;
}

std::vector<PlacedLabel> place_labels(const Scene& scene, const View& view,
                                      const LabelOptions& options, const MeasureText& measure,
                                      std::vector<PixelBox> occupied) {
    Placer c{scene, view, options, measure, options.scale, {}, {}};
    for (const PixelBox& b : occupied) c.occupied.take({b.x0, b.y0, b.x1, b.y1});
    for (const FeatureInfo& f : scene.features()) {
        if (f.layer != "highlight" || !in_view(c, f)) continue;
        const auto px = to_pixels(c, f.rings);
        feature_label(c, f.name_en, area_candidates(c, px), &px, 18 * c.s, Weight::Bold,
                      kHighlightOutline, LabelKind::Highlight);
    }
    if (c.shown("claims")) claim_labels(c);
    if (c.shown("places")) place_names(c);
    const Rgba country_ink{105, 105, 105, 255},
        region_ink{kRegionOutline.r, kRegionOutline.g, kRegionOutline.b, 255};
    for (const char* layer : {"countries", "regions", "lakes", "rivers"}) {
        if (!c.shown(layer)) continue;
        for (const FeatureInfo& f : scene.features()) {
            if (f.layer != layer || !in_view(c, f)) continue;
            const std::string& name = c.pick_name(f.name_en, f.name_hy, f.name_az);
            if (name.empty()) continue;
            const auto px = to_pixels(c, f.rings);
            if (f.is_line) {
                const float sz = 11 * c.s;
                const TextBox b = c.measure(name, sz, Weight::Regular);
                feature_label(c, name, line_candidates(c, px, (b.ascent + b.descent) / 2 + 3 * c.s),
                              nullptr, sz, Weight::Regular, kWaterInk, LabelKind::River);
            } else if (f.layer == std::string("countries")) {
                feature_label(c, name, area_candidates(c, px), &px, 17 * c.s, Weight::Bold,
                              country_ink, LabelKind::Country);
            } else {
                const bool lake = f.layer == std::string("lakes");
                const float sz = 12 * c.s;
                const Rgba ink = lake ? kWaterInk : region_ink;
                const LabelKind kind = lake ? LabelKind::Lake : LabelKind::Region;
                // A named lake too small for its name at this scale is named beside it.
                if (!feature_label(c, name, area_candidates(c, px), &px, sz, Weight::Regular, ink,
                                   kind) &&
                    lake)
                    feature_label(c, name, beside_candidates(c, px, name, sz), nullptr, sz,
                                  Weight::Regular, ink, kind);
            }
        }
    }
    return std::move(c.out);
}

}  // namespace limes::map
