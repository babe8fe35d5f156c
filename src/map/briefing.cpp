#include "map/briefing.hpp"

#include <algorithm>
#include <cmath>
#include <map>

#include "geo/geometry/geodesic.hpp"
#include "map/style.hpp"

namespace limes::map {
namespace {

constexpr Rgba kInk{30, 30, 30, 255};
constexpr Rgba kMuted{80, 80, 80, 255};
constexpr Rgba kPanel{255, 255, 255, 215};
constexpr Rgba kHalo{255, 255, 255, 230};

struct Rect {
    float x0, y0, x1, y1;
    bool overlaps(const Rect& o) const { return x0 < o.x1 && o.x0 < x1 && y0 < o.y1 && o.y0 < y1; }
};

// Everything placed so far in image pixels; labels must not overlap any of it.
class Occupancy {
  public:
    bool free(const Rect& r) const {
        return std::none_of(taken_.begin(), taken_.end(),
                            [&](const Rect& t) { return t.overlaps(r); });
    }
    void take(const Rect& r) { taken_.push_back(r); }

  private:
    std::vector<Rect> taken_;
};

struct Ctx {
    const View& view;
    DrawList& list;
    TextEngine& text;
    float s;  // furniture scale
    Occupancy occupied;
    BriefingLayout layout;

    void furniture(const Rect& r) {
        occupied.take(r);
        layout.furniture.push_back({r.x0, r.y0, r.x1, r.y1});
    }
    void label(const Rect& r, const std::string& t) {
        occupied.take(r);
        layout.labels.push_back({r.x0, r.y0, r.x1, r.y1});
        layout.label_texts.push_back(t);
    }

    void rect(const Rect& r, Rgba color) {
        FillBatch b;
        b.color = color;
        b.vertices = {{r.x0, r.y0}, {r.x1, r.y0}, {r.x1, r.y1}, {r.x0, r.y1}};
        b.indices = {0, 1, 2, 0, 2, 3};
        list.overlay.fills.push_back(std::move(b));
    }
    void outline(const Rect& r, Rgba color, float width) {
        LineBatch l;
        l.color = color;
        l.width_px = width;
        l.polylines.push_back(
            {{r.x0, r.y0}, {r.x1, r.y0}, {r.x1, r.y1}, {r.x0, r.y1}, {r.x0, r.y0}});
        list.overlay.lines.push_back(std::move(l));
    }
    // Text with its top-left at (x, top); returns its box.
    Rect write(const std::string& t, float x, float top, float size, Rgba color,
               Weight w = Weight::Regular, float halo_px = 0.0f) {
        const TextBox box = text.measure(t, size, w);
        text.layout(t, x, top + box.ascent, size, color, list.overlay.glyphs, w, kHalo, halo_px);
        return {x, top, x + box.width, top + box.ascent + box.descent};
    }
    Vec2 to_pixel(Vec2 p) const {
        return {static_cast<float>((p.x + list.origin_x - view.center_x) / view.units_per_pixel +
                                   view.width / 2.0),
                static_cast<float>(view.height / 2.0 -
                                   (p.y + list.origin_y - view.center_y) / view.units_per_pixel)};
    }
    bool inside(const Rect& r) const {
        return r.x0 >= 0 && r.y0 >= 0 && r.x1 <= view.width && r.y1 <= view.height;
    }
};

std::string format_km(double km) {
    char buf[32];
    if (km >= 1)
        std::snprintf(buf, sizeof buf, "%g km", km);
    else
        std::snprintf(buf, sizeof buf, "%g m", km * 1000);
    return buf;
}

void title_block(Ctx& c, const BriefingText& t, const std::vector<core::IncidentMark>& incidents) {
    const float m = 16 * c.s, pad = 10 * c.s;
    std::string subtitle = t.subtitle;
    if (subtitle.empty() && !incidents.empty()) {
        auto [lo, hi] =
            std::minmax_element(incidents.begin(), incidents.end(),
                                [](const core::IncidentMark& a, const core::IncidentMark& b) {
                                    return a.days < b.days;
                                });
        const core::Date first{lo->days}, last{hi->days};
        subtitle = first == last ? first.iso() : first.iso() + " to " + last.iso();
        subtitle += " · " + std::to_string(incidents.size()) + " reported incident" +
                    (incidents.size() == 1 ? "" : "s");
    }
    const float title_size = 28 * c.s, sub_size = 17 * c.s;
    const TextBox tb = c.text.measure(t.title, title_size, Weight::Bold);
    const TextBox sb = c.text.measure(subtitle, sub_size);
    const float w = std::max(tb.width, sb.width) + 2 * pad;
    const float h = tb.ascent + tb.descent +
                    (subtitle.empty() ? 0 : sb.ascent + sb.descent + 4 * c.s) + 2 * pad;
    const Rect panel{m, m, m + w, m + h};
    c.rect(panel, kPanel);
    c.furniture(panel);
    const Rect title = c.write(t.title, m + pad, m + pad, title_size, kInk, Weight::Bold);
    if (!subtitle.empty()) c.write(subtitle, m + pad, title.y1 + 4 * c.s, sub_size, kMuted);
}

void legend(Ctx& c, const Scene& scene, const std::vector<core::IncidentMark>& incidents) {
    std::map<std::string_view, long long> counts;
    bool imprecise = false;
    for (const auto& inc : incidents) {
        ++counts[style_for_type_index(inc.type).event_type];
        imprecise |= inc.geo_precision >= 2;
    }
    struct Entry {
        std::string label;
        int kind;  // 0 symbol, 1 disc, 2 claim fill, 3 hatched claim, 4 dashed line
        Symbol symbol;
        LineBatch line;
    };
    std::vector<Entry> entries;
    const float key = 14 * c.s;
    for (auto type : core::kEventTypes) {
        auto it = counts.find(type);
        if (it == counts.end()) continue;
        const TypeStyle& st = style_for_type(type);
        Entry e{std::string(type) + " (" + std::to_string(it->second) + ")", 0, {}, {}};
        e.symbol.shape = st.shape;
        e.symbol.fill = st.fill;
        e.symbol.outline = {255, 255, 255, 255};
        e.symbol.size_px = key * shape_scale(st.shape);
        entries.push_back(std::move(e));
    }
    if (counts.count(""))  // types outside the ACLED taxonomy (should not happen after import)
        entries.push_back({"Other (" + std::to_string(counts[""]) + ")",
                           0,
                           {{}, key, Shape::Circle, {127, 127, 127, 255}, {255, 255, 255, 255}},
                           {}});
    if (imprecise && incidents.size() <= kMaxUncertaintyDiscs)
        entries.push_back({"Approximate location (area)", 1, {}, {}});
    if (!scene.claims().empty()) {
        entries.push_back({"Claimed control (per claimant)", 2, {}, {}});
        entries.push_back({"Held by other than the sovereign", 3, {}, {}});
    }
    if (scene.has_oblast_line()) {
        LineBatch l;
        l.color = kOblastLine, l.width_px = 1.6f * c.s, l.dash_px = 8 * c.s, l.gap_px = 4 * c.s;
        entries.push_back({"Former NKAO boundary (1991)", 4, {}, l});
    }
    if (scene.has_ceasefire_line()) {
        LineBatch l;
        l.color = kCeasefireLine, l.width_px = 1.6f * c.s, l.dash_px = 3 * c.s, l.gap_px = 3 * c.s;
        entries.push_back({"Ceasefire line (1994)", 4, {}, l});
    }
    if (scene.has_regions()) {
        LineBatch l;
        l.color = kRegionOutline, l.width_px = 2.0f * c.s;
        entries.push_back({"Nagorno-Karabakh AO (1991)", 4, {}, l});
    }
    if (entries.empty()) return;
    const float size = 14 * c.s, pad = 10 * c.s, row = 22 * c.s, m = 16 * c.s;
    const std::string header = counts.empty() ? "Legend" : "Incidents by type";
    float text_w = c.text.measure(header, size, Weight::Bold).width;
    for (const auto& e : entries) text_w = std::max(text_w, c.text.measure(e.label, size).width);
    const float w = 2 * pad + key + 8 * c.s + text_w;
    const float h = 2 * pad + row * (entries.size() + 1);
    const float bottom = c.view.height - m - 18 * c.s;  // above the attribution line
    const Rect panel{m, bottom - h, m + w, bottom};
    c.rect(panel, kPanel);
    c.furniture(panel);
    c.write(header, m + pad, panel.y0 + pad, size, kInk, Weight::Bold);
    float y = panel.y0 + pad + row;
    for (auto& e : entries) {
        const float cx = m + pad + key / 2, cy = y + row / 2 - 2 * c.s;
        if (e.kind == 0 || e.kind == 1) {
            Symbol s = e.symbol;
            if (e.kind == 1) s = {{}, key, Shape::Disc, {120, 120, 120, 80}, {120, 120, 120, 80}};
            s.position = {cx, cy};
            c.list.overlay.symbols.push_back(s);
        } else if (e.kind == 2 || e.kind == 3) {
            FillBatch b;
            b.color = {120, 120, 120, 90};
            if (e.kind == 3) b.hatch_spacing_px = 6 * c.s, b.hatch = {80, 80, 80, 200};
            const Rect r{cx - key / 2, cy - key / 2, cx + key / 2, cy + key / 2};
            b.vertices = {{r.x0, r.y0}, {r.x1, r.y0}, {r.x1, r.y1}, {r.x0, r.y1}};
            b.indices = {0, 1, 2, 0, 2, 3};
            c.list.overlay.fills.push_back(std::move(b));
        } else {
            e.line.polylines.push_back(
                {{cx - key / 2 - 2 * c.s, cy}, {cx + key / 2 + 2 * c.s, cy}});
            c.list.overlay.lines.push_back(e.line);
        }
        c.write(e.label, m + pad + key + 8 * c.s, y, size, kInk);
        c.layout.legend_entries.push_back(e.label);
        y += row;
    }
}

void scale_bar(Ctx& c, const Scene& scene) {
    const double km_px = km_per_pixel_at_center(scene, c.view);
    if (!(km_px > 0) || !std::isfinite(km_px)) return;
    const double km = nice_length_km(km_px * c.view.width * 0.18);
    const float len = static_cast<float>(km / km_px), bar = 6 * c.s, m = 16 * c.s;
    c.layout.scale_bar_km = km;
    c.layout.scale_bar_px = len;
    const float x1 = c.view.width - m - 10 * c.s, x0 = x1 - len;
    const float y1 = c.view.height - m - 18 * c.s - 10 * c.s, y0 = y1 - bar;
    const float size = 12 * c.s;
    const TextBox tb = c.text.measure(format_km(km), size);
    const Rect panel{x0 - 10 * c.s, y0 - tb.ascent - tb.descent - 14 * c.s,
                     x1 + 10 * c.s + tb.width / 2, y1 + 8 * c.s};
    c.rect(panel, kPanel);
    c.furniture(panel);
    c.rect({x0, y0, x0 + len / 2, y1}, kInk);
    c.rect({x0 + len / 2, y0, x1, y1}, {255, 255, 255, 255});
    c.outline({x0, y0, x1, y1}, kInk, 1.0f * c.s);
    const float top = y0 - tb.ascent - tb.descent - 4 * c.s;
    c.write("0", x0 - c.text.measure("0", size).width / 2, top, size, kInk);
    const std::string label = format_km(km);
    c.write(label, x1 - c.text.measure(label, size).width / 2, top, size, kInk);
}

void north_arrow(Ctx& c, const Scene& scene) {
    const double angle = north_angle_at_center(scene, c.view);
    c.layout.north_angle = angle;
    const float r = 18 * c.s, m = 16 * c.s;
    const float cx = c.view.width - m - r - 8 * c.s, cy = m + r + 26 * c.s;
    const float sa = static_cast<float>(std::sin(angle)), ca = static_cast<float>(std::cos(angle));
    // Rotate image-up (0,-1) by angle clockwise: (sin a, -cos a).
    auto rot = [&](float dx, float dy) {
        return Vec2{cx + dx * ca - dy * sa, cy + dx * sa + dy * ca};
    };
    const Rect panel{cx - r - 8 * c.s, m, cx + r + 8 * c.s, cy + r + 8 * c.s};
    c.rect(panel, kPanel);
    c.furniture(panel);
    FillBatch dark, light;
    dark.color = kInk;
    light.color = {255, 255, 255, 255};
    const Vec2 tip = rot(0, -r), tail = rot(0, r * 0.6f), left = rot(-r * 0.55f, r),
               right = rot(r * 0.55f, r);
    dark.vertices = {tip, tail, left};
    dark.indices = {0, 1, 2};
    light.vertices = {tip, right, tail};
    light.indices = {0, 1, 2};
    c.list.overlay.fills.push_back(light);
    c.list.overlay.fills.push_back(dark);
    LineBatch edge;
    edge.color = kInk;
    edge.width_px = 1.0f * c.s;
    edge.polylines.push_back({tip, right, tail, left, tip});
    c.list.overlay.lines.push_back(edge);
    const float size = 14 * c.s;
    const TextBox nb = c.text.measure("N", size, Weight::Bold);
    const Vec2 label = rot(0, -r - 4 * c.s - nb.ascent / 2);
    c.write("N", label.x - nb.width / 2, label.y - nb.ascent / 2, size, kInk, Weight::Bold);
}

void attribution(Ctx& c, const BriefingText& t) {
    std::string line = t.attribution.empty() ? std::string() : t.attribution + " · ";
    line += "made with limes";
    if (!t.generated.empty()) line += " · generated " + t.generated;
    const float size = 11 * c.s, m = 16 * c.s;
    const TextBox b = c.text.measure(line, size);
    const float x = c.view.width - m - b.width, top = c.view.height - m / 2 - b.ascent - b.descent;
    const Rect panel{x - 6 * c.s, top - 3 * c.s, c.view.width - m + 6 * c.s,
                     top + b.ascent + b.descent + 3 * c.s};
    c.rect(panel, kPanel);
    c.furniture(panel);
    c.write(line, x, top, size, kMuted);
}

// Claims first (they say who holds what, per whom), then places by rank.
void labels(Ctx& c, const Scene& scene, const BriefingText& t) {
    const float size = 13 * c.s, halo = 2.0f * c.s, gap = 5 * c.s;
    for (const ClaimLabel& label : scene.claims()) {
        const core::Claim& ci = label.claim;
        const Vec2 p = c.to_pixel(label.anchor);
        std::string line2 = "held by " + ci.holder;
        if (ci.valid_from) line2 += " since " + ci.valid_from->iso();
        line2 += " (per " + ci.claimant + ")";
        const float small = 11 * c.s;
        const TextBox b1 = c.text.measure(ci.name, small, Weight::Bold),
                      b2 = c.text.measure(line2, small);
        const float w = std::max(b1.width, b2.width),
                    h = b1.ascent + b1.descent + b2.ascent + b2.descent;
        const Rect r{p.x - w / 2, p.y - h / 2, p.x + w / 2, p.y + h / 2};
        if (!c.inside(r) || !c.occupied.free(r)) continue;
        c.label(r, ci.name);
        const Rgba color = holder_color(ci.holder);
        const Rgba ink{static_cast<std::uint8_t>(color.r / 2),
                       static_cast<std::uint8_t>(color.g / 2),
                       static_cast<std::uint8_t>(color.b / 2), 255};
        c.write(ci.name, p.x - b1.width / 2, r.y0, small, ink, Weight::Bold, halo);
        c.write(line2, p.x - b2.width / 2, r.y0 + b1.ascent + b1.descent, small, ink,
                Weight::Regular, halo);
    }
    std::vector<const PlaceInfo*> order;
    for (const auto& p : scene.places()) order.push_back(&p);
    std::stable_sort(order.begin(), order.end(),
                     [](const PlaceInfo* a, const PlaceInfo* b) { return a->rank < b->rank; });
    for (const PlaceInfo* p : order) {
        const std::string& name = t.label_language == "hy" && !p->name_hy.empty()   ? p->name_hy
                                  : t.label_language == "az" && !p->name_az.empty() ? p->name_az
                                                                                    : p->name_en;
        if (name.empty()) continue;
        const Vec2 at = c.to_pixel(p->position);
        const float sz = p->rank == 0 ? size * 1.2f : size;
        const Weight w = p->rank <= 1 ? Weight::Bold : Weight::Regular;
        const TextBox b = c.text.measure(name, sz, w);
        const float th = b.ascent + b.descent;
        const Rect candidates[] = {
            {at.x + gap, at.y - th / 2, at.x + gap + b.width, at.y + th / 2},       // right
            {at.x - gap - b.width, at.y - th / 2, at.x - gap, at.y + th / 2},       // left
            {at.x - b.width / 2, at.y - gap - th, at.x + b.width / 2, at.y - gap},  // above
            {at.x - b.width / 2, at.y + gap, at.x + b.width / 2, at.y + gap + th},  // below
        };
        for (const Rect& r : candidates) {
            if (!c.inside(r) || !c.occupied.free(r)) continue;
            c.label(r, name);
            c.write(name, r.x0, r.y0, sz, kInk, w, halo);
            break;
        }
    }
}

}  // namespace

float furniture_scale(const View& view) {
    // At least 0.7: labels (13 px at scale 1) stay readable (>= 9 px) on small images.
    return std::clamp(std::min(view.width / 1920.0f, view.height / 1080.0f), 0.7f, 8.0f);
}

double km_per_pixel_at_center(const Scene& scene, const View& view) {
    const auto& proj = scene.projector();
    constexpr double kHalf = 100.0;  // pixels either side of the centre
    double lon0, lat0, lon1, lat1;
    if (!proj.inverse(view.center_x - kHalf * view.units_per_pixel, view.center_y, lon0, lat0) ||
        !proj.inverse(view.center_x + kHalf * view.units_per_pixel, view.center_y, lon1, lat1))
        return 0.0;
    return geo::geodesic_distance_km(lon0, lat0, lon1, lat1) / (2 * kHalf);
}

double north_angle_at_center(const Scene& scene, const View& view) {
    const auto& proj = scene.projector();
    double lon, lat, x, y;
    if (!proj.inverse(view.center_x, view.center_y, lon, lat)) return 0.0;
    const double step = lat < 89.0 ? 0.01 : -0.01;
    if (!proj.forward(lon, lat + step, x, y)) return 0.0;
    // Map y is up, image y is down: the angle from image-up, clockwise, is atan2(dx, dy).
    double dx = x - view.center_x, dy = y - view.center_y;
    if (step < 0) dx = -dx, dy = -dy;
    return std::atan2(dx, dy);
}

double nice_length_km(double max_km) {
    if (!(max_km > 0)) return 0.0;
    const double p = std::pow(10.0, std::floor(std::log10(max_km)));
    for (double m : {5.0, 2.0, 1.0})
        if (m * p <= max_km) return m * p;
    return p;
}

BriefingLayout compose_briefing(const Scene& scene,
                                const std::vector<core::IncidentMark>& incidents, const View& view,
                                const BriefingText& text, TextEngine& engine, DrawList& list) {
    Ctx c{view, list, engine, furniture_scale(view), {}, {}};
    // Furniture first: labels then keep clear of it.
    title_block(c, text, incidents);
    north_arrow(c, scene);
    attribution(c, text);
    legend(c, scene, incidents);
    scale_bar(c, scene);
    if (incidents.empty() && !text.empty_note.empty()) {
        const float size = 20 * c.s, pad = 12 * c.s;
        const TextBox b = engine.measure(text.empty_note, size);
        const float x = view.width / 2.0f - b.width / 2,
                    y = view.height / 2.0f - (b.ascent + b.descent) / 2;
        const Rect r{x - pad, y - pad, x + b.width + pad, y + b.ascent + b.descent + pad};
        c.rect(r, kPanel);
        c.furniture(r);
        c.write(text.empty_note, x, y, size, kInk);
    }
    labels(c, scene, text);
    list.atlas = engine.atlas();
    return std::move(c.layout);
}

}  // namespace limes::map
