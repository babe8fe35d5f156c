#include "map/briefing.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdlib>
#include <limits>
#include <map>
#include <optional>

#include "geo/geometry/geodesic.hpp"
#include "map/cluster.hpp"
#include "map/stacks.hpp"
#include "map/style.hpp"

namespace limes::map {
namespace {

constexpr Rgba kMuted{80, 80, 80, 255};
constexpr Rgba kPanel{255, 255, 255, 215};
constexpr Rgba kHalo{255, 255, 255, 230};

struct Ctx {
    const View& view;
    DrawList& list;
    TextEngine& text;
    float s;                       // furniture scale
    float attribution_h = 18 * s;  // room the attribution takes above the bottom margin
    BriefingLayout layout;

    // Labels (place_labels) keep clear of the furniture.
    void furniture(const PixelBox& r) { layout.furniture.push_back(r); }
    void rect(const PixelBox& r, Rgba color) {
        FillBatch b;
        b.color = color;
        b.vertices = {{r.x0, r.y0}, {r.x1, r.y0}, {r.x1, r.y1}, {r.x0, r.y1}};
        b.indices = {0, 1, 2, 0, 2, 3};
        list.overlay.fills.push_back(std::move(b));
    }
    void outline(const PixelBox& r, Rgba color, float width) {
        LineBatch l;
        l.color = color;
        l.width_px = width;
        l.polylines.push_back(
            {{r.x0, r.y0}, {r.x1, r.y0}, {r.x1, r.y1}, {r.x0, r.y1}, {r.x0, r.y0}});
        list.overlay.lines.push_back(std::move(l));
    }
    // Text with its top-left at (x, top); returns its box.
    PixelBox write(const std::string& t, float x, float top, float size, Rgba color,
               Weight w = Weight::Regular, float halo_px = 0.0f) {
        const TextBox box = text.measure(t, size, w);
        text.layout(t, x, top + box.ascent, size, color, list.overlay, w, kHalo, halo_px);
        return {x, top, x + box.width, top + box.ascent + box.descent};
    }
    Vec2 to_pixel(Vec2 p) const {
        return {static_cast<float>((p.x + list.origin_x - view.center_x) / view.units_per_pixel +
                                   view.width / 2.0),
                static_cast<float>(view.height / 2.0 -
                                   (p.y + list.origin_y - view.center_y) / view.units_per_pixel)};
    }
};

bool same(Rgba a, Rgba b) {
    return a.r == b.r && a.g == b.g && a.b == b.b && a.a == b.a;
}

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
    // Third line: the day the claims and lines are as of (a map of 2022 must not look like
    // one of 2019).
    std::string as_of = t.as_of.empty() ? "" : "Lines and claims as of " + t.as_of;
    // A change map says which days it compares, and that nothing moved when nothing did.
    if (!t.changes.empty())
        as_of = (t.changes_found ? "Ground that changed hands " + t.changes
                                 : "No ground changed hands " + t.changes) +
                " \u00b7 lines and claims as of " + t.as_of;
    const float title_size = 28 * c.s, sub_size = 17 * c.s, as_of_size = 14 * c.s;
    const TextBox tb = c.text.measure(t.title, title_size, Weight::Bold);
    const TextBox sb = c.text.measure(subtitle, sub_size);
    const TextBox ab = c.text.measure(as_of, as_of_size);
    const float w = std::max({tb.width, sb.width, ab.width}) + 2 * pad;
    const float h = tb.ascent + tb.descent +
                    (subtitle.empty() ? 0 : sb.ascent + sb.descent + 4 * c.s) +
                    (as_of.empty() ? 0 : ab.ascent + ab.descent + 4 * c.s) + 2 * pad;
    const PixelBox panel{m, m, m + w, m + h};
    c.rect(panel, kPanel);
    c.furniture(panel);
    const PixelBox title = c.write(t.title, m + pad, m + pad, title_size, kInk, Weight::Bold);
    c.layout.title_lines.push_back(t.title);
    float y = title.y1;
    if (!subtitle.empty()) {
        y = c.write(subtitle, m + pad, y + 4 * c.s, sub_size, kMuted).y1;
        c.layout.title_lines.push_back(subtitle);
    }
    if (!as_of.empty()) {
        c.write(as_of, m + pad, y + 4 * c.s, as_of_size, kMuted);
        c.layout.title_lines.push_back(as_of);
    }
}

// Where the legend looks: the view, and the scene's origin its positions are relative to.
struct Where {
    const View& view;
    const Scene& scene;
    float s;                  // scale of the keys
    const LayerShown& shown;  // empty: every layer the scene draws
    bool on(const char* layer) const { return !shown || shown(layer); }
    Vec2 to_pixel(Vec2 p) const {
        return {static_cast<float>((p.x + scene.origin_x() - view.center_x) / view.units_per_pixel +
                                   view.width / 2.0),
                static_cast<float>(view.height / 2.0 - (p.y + scene.origin_y() - view.center_y) /
                                                           view.units_per_pixel)};
    }
};

// True when a feature's bounds (map units) reach into the view.
bool in_view(const Where& c, const FeatureInfo& f) {
    const Vec2 a = c.to_pixel({f.min_x, f.min_y}), b = c.to_pixel({f.max_x, f.max_y});
    return std::max(a.x, b.x) >= 0 && std::min(a.x, b.x) <= c.view.width &&
           std::max(a.y, b.y) >= 0 && std::min(a.y, b.y) <= c.view.height;
}

// True when some vertex's bounds (map units) reach into the view.
bool rings_in_view(const Where& c, const std::vector<std::vector<Vec2>>& rings) {
    FeatureInfo f;
    bool first = true;
    for (const auto& r : rings)
        for (const Vec2& p : r) {
            if (first) f.min_x = f.max_x = p.x, f.min_y = f.max_y = p.y, first = false;
            f.min_x = std::min(f.min_x, p.x), f.max_x = std::max(f.max_x, p.x);
            f.min_y = std::min(f.min_y, p.y), f.max_y = std::max(f.max_y, p.y);
        }
    return !first && in_view(c, f);
}

// The legend entries of the basemap as the scene draws it in this view: which fill is which
// country, water, province boundaries, claims by holder (in their own colours), the
// historical lines (one entry per look) and the --region outline. Incident entries are not
// made here.
std::vector<LegendEntry> map_legend_entries(const Where& c, const Scene& scene) {
    std::vector<LegendEntry> out;
    auto fill_entry = [&](std::string label, Rgba color, Rgba edge, float edge_px) {
        LegendEntry e{std::move(label), 2, {}, {}, {}};
        e.fill.color = color;
        e.line.color = edge;
        e.line.width_px = edge_px;
        out.push_back(std::move(e));
    };
    auto line_entry = [&](std::string label, Rgba color, float width, float dash, float gap) {
        LegendEntry e{std::move(label), 4, {}, {}, {}};
        e.line.color = color;
        e.line.width_px = width * c.s;
        e.line.dash_px = dash * c.s;
        e.line.gap_px = gap * c.s;
        out.push_back(std::move(e));
    };
    // Country fills: Armenia's and Azerbaijan's own tints, one tint for every other country.
    bool arm = false, aze = false, other = false, lakes = false, rivers = false;
    const FeatureInfo* highlight = nullptr;
    for (const FeatureInfo& f : scene.features()) {
        if (!in_view(c, f)) continue;
        if (f.layer == "countries" && c.on("countries")) {
            const Rgba fill = country_fill(f.key);
            (same(fill, country_fill("ARM"))   ? arm
             : same(fill, country_fill("AZE")) ? aze
                                               : other) = true;
        }
        lakes |= f.layer == "lakes" && c.on("lakes");
        rivers |= f.layer == "rivers" && c.on("rivers");
        if (f.layer == "highlight") highlight = &f;
    }
    if (highlight) line_entry(highlight->name_en, kHighlightOutline, kHighlightWidthPx, 0, 0);
    // A change map: one entry per pair of holders whose ground changed hands, with its km².
    for (const FeatureInfo& f : scene.features()) {
        if (f.layer != "changes" || !in_view(c, f)) continue;
        LegendEntry e{f.name_en, 2, {}, {}, {}};
        e.fill.color = holder_color(f.key);
        e.fill.color.a = kChangeFillAlpha;
        e.fill.hatch = kChangeOutline;
        e.fill.hatch_spacing_px = kChangeHatchPx * c.s;
        e.line.color = kChangeOutline;
        e.line.width_px = kChangeWidthPx * c.s;
        out.push_back(std::move(e));
    }
    if (arm) fill_entry("Armenia", country_fill("ARM"), kCountryOutline, 1.0f);
    if (aze) fill_entry("Azerbaijan", country_fill("AZE"), kCountryOutline, 1.0f);
    if (other)
        fill_entry(arm || aze ? "Other countries" : "Country", other_country_fill(),
                   kCountryOutline, 1.0f);
    if (scene.draws("provinces") && c.on("provinces")) {
        const OutlineLook& p = outline_look("provinces");
        line_entry("Province boundary", p.color, std::max(1.0f, p.width_px), 0, 0);
    }
    if (lakes) fill_entry("Lake", kWater, kWater, 0.0f);
    if (rivers) line_entry("River", kWater, std::max(1.5f, kRiverWidthPx), 0, 0);
    // Claims as they are drawn: the holder's colour, translucent, hatched where the holder is
    // not the sovereign. One entry per look present in the view.
    std::vector<std::pair<std::string, bool>> looks;
    for (const ClaimLabel& cl : scene.claims()) {
        if (!c.on("claims") || !rings_in_view(c, cl.rings)) continue;
        const core::Claim& k = cl.claim;
        const bool hatched = !k.holder.empty() && k.holder != k.sovereign;
        if (std::find(looks.begin(), looks.end(), std::pair{k.holder, hatched}) == looks.end())
            looks.push_back({k.holder, hatched});
    }
    for (const auto& [holder, hatched] : looks) {
        LegendEntry e{"Claim: held by " + (holder.empty() ? std::string("?") : holder) +
                          (hatched ? ", not the sovereign" : ""),
                      2,
                      {},
                      {},
                      {}};
        e.fill.color = holder_color(holder);
        e.fill.color.a = 90;
        if (hatched) {
            e.fill.hatch_spacing_px = 6 * c.s;
            e.fill.hatch = holder_color(holder);
            e.fill.hatch.a = 200;
        }
        e.line.color = holder_color(holder);
        e.line.width_px = 1.5f * c.s;
        out.push_back(std::move(e));
    }
    // Claims whose boundary is approximate (core::is_approximate) have a dashed edge: one
    // entry saying so, with the largest error of those in view.
    double worst_m = 0;
    for (const ClaimLabel& cl : scene.claims())
        if (c.on("claims") && core::is_approximate(cl.claim) && rings_in_view(c, cl.rings))
            worst_m = std::max(worst_m, *cl.claim.accuracy_m);
    if (worst_m > 0) {
        char label[96];
        std::snprintf(label, sizeof label, "Claim boundary approximate (up to %g km off)",
                      worst_m / 1000);
        line_entry(label, kMuted, 1.5f, kApproxDashPx, kApproxGapPx);
    }
    if (scene.has_oblast_line() && c.on("historical_lines")) {
        const LineLook& l = line_look("former_oblast_1991");
        line_entry("Former NKAO boundary (1991)", l.color, l.width_px, l.dash_px, l.gap_px);
    }
    if (scene.has_ceasefire_line() && c.on("historical_lines")) {
        const LineLook& l = line_look("ceasefire_line_1994");
        line_entry("Ceasefire line (1994)", l.color, l.width_px, l.dash_px, l.gap_px);
    }
    if (scene.has_regions() && c.on("regions")) {
        const OutlineLook& l = outline_look("regions");
        line_entry("Nagorno-Karabakh AO (1991)", l.color, l.width_px, 0, 0);
    }
    return out;
}

// The incident symbols' entries: type (shape, and fill unless --color-by says otherwise) with
// counts; who reported (outline, or fill with --color-by reported_by) and status (dashed:
// disputed, hollow: denied; or fill with --color-by status) for those present; size samples
// of stated fatalities and the not-stated symbol; the count badge of stacks. Keys are drawn
// with incident_symbol(), as the map draws them, at the legend's scale.
std::vector<LegendEntry> incident_entries(const IncidentTally& incidents, const BriefingText& t,
                                          float s) {
    std::vector<LegendEntry> out;
    if (incidents.total == 0) return out;
    const auto& types = incidents.types;
    const auto& sides = incidents.sides;
    const auto& statuses = incidents.statuses;
    const long long stated = incidents.stated, not_stated = incidents.not_stated;
    IncidentLook look;
    look.color_by = t.color_by;
    look.scale = s;
    // A plain mark to vary one property on: reported, fatalities stated as 0, side other.
    core::IncidentMark plain;
    plain.fatalities = 0;
    plain.status = 0;
    plain.side = core::ReportingSide::Other;
    auto entry = [&](std::string label, core::IncidentMark m, const IncidentLook& l) {
        LegendEntry e{std::move(label), 0, incident_symbol(m, l), {}, {}};
        out.push_back(std::move(e));
    };
    auto count = [](long long n) { return " (" + std::to_string(n) + ")"; };
    IncidentLook neutral = look;  // keys of what the fill does not show: grey fill
    if (t.mode == SymbolMode::Heatmap) {
        // The density surface replaces the symbols: its classes, densest first.
        char buf[96];
        for (std::size_t k = t.heat.lower.size(); k-- > 0;) {
            const double lo = t.heat.lower[k];
            const double hi = k + 1 < t.heat.lower.size() ? t.heat.lower[k + 1] : t.heat.max;
            std::snprintf(buf, sizeof buf, "%.3g to %.3g incidents per 100 km²", lo, hi);
            LegendEntry e{buf, 2, {}, {}, {}};
            e.fill.color = t.heat.colors[k];
            out.push_back(std::move(e));
        }
        if (!out.empty()) {
            std::snprintf(buf, sizeof buf, " (density of %lld incidents, kernel %.3g km)",
                          static_cast<long long>(incidents.total), t.heat.sigma_km);
            out.front().label += buf;
        }
        return out;
    }
    for (std::size_t i = 0; i < types.size(); ++i) {
        if (types[i] == 0) continue;
        core::IncidentMark m = plain;
        m.type = static_cast<std::uint8_t>(i);
        const std::string name =
            i < core::kEventTypes.size() ? std::string(core::kEventTypes[i]) : "Other";
        LegendEntry e{name + count(types[i]), 0, incident_symbol(m, look), {}, {}};
        e.symbol.size_px = 14 * s * shape_scale(e.symbol.shape);
        e.symbol.outline = {255, 255, 255, 255};
        if (t.color_by != ColorBy::Type) e.symbol.fill = {150, 150, 150, 255};
        out.push_back(std::move(e));
    }
    if (t.mode == SymbolMode::Clusters) {
        // Clusters replace the symbols: one circle per cell of the map, its area growing with
        // the count written on it, its colour the cell's most frequent type (the rows above).
        // Counts of a thousand and more are abbreviated on the circles (cluster_count_label):
        // the legend gives the largest exactly and as drawn ("279343 = 279k"), which says how.
        const std::string drawn = cluster_count_label(t.largest_cluster);
        LegendEntry e{"Cluster: incidents near each other, count on it (largest " +
                          std::to_string(t.largest_cluster) +
                          (t.largest_cluster >= 1000 ? " = " + drawn : "") + ")",
                      0, {}, {}, {}};
        e.badge = drawn;
        e.symbol.shape = Shape::Circle;
        e.symbol.size_px = 22 * s;
        e.symbol.fill = {120, 120, 120, 210};
        e.symbol.outline = {255, 255, 255, 255};
        out.push_back(std::move(e));
        return out;
    }
    for (std::size_t i = 0; i < sides.size(); ++i) {
        if (sides[i] == 0) continue;
        core::IncidentMark m = plain;
        m.side = static_cast<core::ReportingSide>(i);
        const std::string what = t.color_by == ColorBy::ReportedBy ? "Fill: " : "Outline: ";
        LegendEntry e{what + std::string(core::reporting_side_name(m.side)) + count(sides[i]),
                      0,
                      incident_symbol(m, neutral),
                      {},
                      {}};
        if (t.color_by != ColorBy::ReportedBy) e.symbol.fill = {130, 130, 130, 255};
        e.framed = true;  // a white (third party) outline shows on the white panel
        out.push_back(std::move(e));
    }
    for (std::size_t i = 0; i < statuses.size(); ++i) {
        if (statuses[i] == 0) continue;
        core::IncidentMark m = plain;
        m.status = static_cast<std::uint8_t>(i);
        m.side = core::ReportingSide::Armenian;  // a dark outline shows the dashes
        const std::string name = i < core::kStatuses.size() ? std::string(core::kStatuses[i])
                                                            : std::string("status not stated");
        if (t.color_by == ColorBy::Status) {
            entry("Fill: " + name + count(statuses[i]), m, look);
        } else if (i == 2 || i == 3) {  // disputed, denied: a form of their own
            LegendEntry e{
                (i == 2 ? "Dashed outline: disputed" : "Hollow: denied") + count(statuses[i]),
                0,
                incident_symbol(m, neutral),
                {},
                {}};
            e.symbol.fill = {150, 150, 150, 255};
            out.push_back(std::move(e));
        }
    }
    // Size: samples of stated fatalities (area grows with the count) and the not-stated mark
    // (the base size with an inner ring), in one row.
    std::vector<Symbol> samples;
    std::string label;
    auto sample = [&](int f) {
        core::IncidentMark m = plain;
        m.fatalities = f;
        Symbol sym = incident_symbol(m, neutral);
        sym.fill = {150, 150, 150, 255};
        samples.push_back(sym);
    };
    if (stated > 0) {
        for (const int f : {0, 5, 25}) sample(f);
        label = "0 / 5 / 25 fatalities stated" + count(stated);
    }
    if (not_stated > 0) {
        sample(-1);
        label += std::string(label.empty() ? "" : "; last: ") + "not stated" + count(not_stated);
    }
    if (!samples.empty()) {
        LegendEntry e{label, 0, samples.front(), {}};
        e.more.assign(samples.begin() + 1, samples.end());
        out.push_back(std::move(e));
    }
    if (t.largest_stack >= 2) {
        LegendEntry e{"Reports at one place, fanned out", 0, {}, {}};
        e.badge = std::to_string(t.largest_stack);
        e.symbol.shape = Shape::Circle;
        e.symbol.size_px = 15 * s;
        e.symbol.fill = kBadgeFill;
        e.symbol.outline = {255, 255, 255, 255};
        e.symbol.outline_px = 1.0f * s;
        out.push_back(std::move(e));
    }
    return out;
}

void legend(Ctx& c, const Scene& scene, const std::vector<core::IncidentMark>& incidents,
            const BriefingText& t) {
    using Entry = LegendEntry;
    const float key = 14 * c.s;
    std::vector<Entry> entries =
        legend_entries(scene, IncidentTally::of(incidents), c.view, t, c.s);
    if (entries.empty()) return;
    const float size = 14 * c.s, pad = 10 * c.s, row = 22 * c.s, m = 16 * c.s;
    const float gap = 8 * c.s;  // key to label
    const std::string header = incidents.empty()                  ? "Legend"
                               : t.mode == SymbolMode::Heatmap    ? "Incident density"
                               : t.mode == SymbolMode::Clusters ? "Incidents by type, clustered"
                                                                  : "Incidents by type";
    // A key wider than the key column (size samples) widens it; a taller one its row.
    float key_w = key;
    for (const auto& e : entries)
        if (e.kind == 0) key_w = std::max(key_w, e.symbol.size_px);
    auto row_of = [&](const Entry& e) {
        if (e.kind != 0) return row;
        float tallest = e.symbol.size_px;
        for (const Symbol& more : e.more) tallest = std::max(tallest, more.size_px);
        return std::max(row, tallest + 4 * c.s);
    };
    auto label_w = [&](const Entry& e) {
        float w = c.text.measure(e.label, size).width;
        for (const Symbol& more : e.more) w += more.size_px + gap;
        return w;
    };
    // One column, or two when one would reach the title block (small images).
    const float bottom = c.view.height - m - c.attribution_h;  // above the attribution line
    const float top_limit = c.layout.furniture.empty() ? m : c.layout.furniture.front().y1 + m;
    float rows_h = 0;
    for (const auto& e : entries) rows_h += row_of(e);
    std::size_t split = entries.size();  // entries of the first column
    if (2 * pad + row + rows_h > bottom - top_limit && entries.size() > 1) {
        float acc = 0;
        split = 0;
        while (split < entries.size() && acc + row_of(entries[split]) <= rows_h / 2 + row / 2)
            acc += row_of(entries[split++]);
        split = std::max<std::size_t>(split, 1);
    }
    float col_h[2] = {0, 0}, text_w[2] = {0, 0};
    for (std::size_t i = 0; i < entries.size(); ++i) {
        const int col = i < split ? 0 : 1;
        col_h[col] += row_of(entries[i]);
        text_w[col] = std::max(text_w[col], label_w(entries[i]));
    }
    const float col_w0 = key_w + gap + text_w[0];
    const float col_w1 = split < entries.size() ? key_w + gap + text_w[1] : 0.0f;
    const float w = std::max(2 * pad + col_w0 + (col_w1 > 0 ? 2 * pad + col_w1 : 0.0f),
                             2 * pad + c.text.measure(header, size, Weight::Bold).width);
    const float h = 2 * pad + row + std::max(col_h[0], col_h[1]);
    const PixelBox panel{m, bottom - h, m + w, bottom};
    c.rect(panel, kPanel);
    c.furniture(panel);
    c.write(header, m + pad, panel.y0 + pad, size, kInk, Weight::Bold);
    float y = panel.y0 + pad + row;
    float x0 = m + pad;
    for (std::size_t i = 0; i < entries.size(); ++i) {
        if (i == split) {  // the second column
            y = panel.y0 + pad + row;
            x0 = m + pad + col_w0 + 2 * pad;
        }
        Entry& e = entries[i];
        const float rh = row_of(e);
        const float cx = x0 + key_w / 2, cy = y + rh / 2 - 2 * c.s;
        if (e.kind == 0 || e.kind == 1) {
            Symbol s = e.symbol;
            if (e.kind == 1) s = {{}, key, Shape::Disc, kUncertaintyDisc, kUncertaintyDisc, 0.0f};
            if (e.kind == 1) s.fill.a = s.outline.a = 70;  // a key stronger than one map disc
            s.position = {cx, cy};
            if (e.framed) {
                Symbol edge{{cx, cy}, s.size_px + 2 * c.s, Shape::Circle, kMuted, kMuted};
                c.list.overlay.symbols.push_back(edge);
            }
            c.list.overlay.symbols.push_back(s);
            if (!e.badge.empty()) {
                const float bs = 0.62f * 15 * c.s;
                const TextBox b = c.text.measure(e.badge, bs, Weight::Bold);
                c.text.layout(e.badge, cx - b.width / 2, cy + 0.36f * bs, bs, kBadgeText,
                              c.list.overlay, Weight::Bold);
            }
        } else if (e.kind == 2) {
            FillBatch b = e.fill;
            const PixelBox r{cx - key / 2, cy - key / 2, cx + key / 2, cy + key / 2};
            b.vertices = {{r.x0, r.y0}, {r.x1, r.y0}, {r.x1, r.y1}, {r.x0, r.y1}};
            b.indices = {0, 1, 2, 0, 2, 3};
            c.list.overlay.fills.push_back(std::move(b));
            if (e.line.width_px > 0) c.outline(r, e.line.color, e.line.width_px);
        } else {
            e.line.polylines.push_back(
                {{cx - key / 2 - 2 * c.s, cy}, {cx + key / 2 + 2 * c.s, cy}});
            c.list.overlay.lines.push_back(e.line);
        }
        // Further samples of the row (sizes), left to right after the key.
        float tx = x0 + key_w + gap;
        for (Symbol more : e.more) {
            more.position = {tx + more.size_px / 2, cy};
            c.list.overlay.symbols.push_back(more);
            tx += more.size_px + gap;
        }
        c.write(e.label, tx, y + (rh - row) / 2, size, kInk);
        c.layout.legend_entries.push_back(e.label);
        y += rh;
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
    const float y1 = c.view.height - m - c.attribution_h - 10 * c.s, y0 = y1 - bar;
    const float size = 12 * c.s;
    const TextBox tb = c.text.measure(format_km(km), size);
    const PixelBox panel{x0 - 10 * c.s, y0 - tb.ascent - tb.descent - 14 * c.s,
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

// Sutherland–Hodgman: poly clipped to the rectangle (image pixels).
std::vector<Vec2> clip_to(const std::vector<Vec2>& poly, const PixelBox& r) {
    std::vector<Vec2> out = poly;
    for (int edge = 0; edge < 4 && !out.empty(); ++edge) {
        auto inside = [&](Vec2 p) {
            return edge == 0 ? p.x >= r.x0 : edge == 1 ? p.x <= r.x1 : edge == 2 ? p.y >= r.y0 : p.y <= r.y1;
        };
        auto cross = [&](Vec2 a, Vec2 b) {
            const float t = edge == 0   ? (r.x0 - a.x) / (b.x - a.x)
                            : edge == 1 ? (r.x1 - a.x) / (b.x - a.x)
                            : edge == 2 ? (r.y0 - a.y) / (b.y - a.y)
                                        : (r.y1 - a.y) / (b.y - a.y);
            return Vec2{a.x + t * (b.x - a.x), a.y + t * (b.y - a.y)};
        };
        std::vector<Vec2> in;
        in.swap(out);
        for (std::size_t i = 0; i < in.size(); ++i) {
            const Vec2 a = in[i], b = in[(i + 1) % in.size()];
            if (inside(b)) {
                if (!inside(a)) out.push_back(cross(a, b));
                out.push_back(b);
            } else if (inside(a)) {
                out.push_back(cross(a, b));
            }
        }
    }
    return out;
}

// The locator inset: the map's wider setting (countries, water) at a smaller scale in a panel
// under the north arrow, the briefing's extent as a dark rectangle on it. Left out when the
// map already shows most of the workspace (the setting is the map itself).
void inset_map(Ctx& c, const Scene& scene) {
    const float m = 16 * c.s, w = std::round(200 * c.s), h = std::round(140 * c.s);
    float top = m;
    for (const PixelBox& b : c.layout.furniture)
        if (b.x1 > c.view.width - m - 1 && b.y0 <= m + 1) top = std::max(top, b.y1 + 8 * c.s);
    if (top + h > c.view.height * 0.6f || w > c.view.width * 0.3f) return;  // no room
    const PixelBox panel{c.view.width - m - w, top, c.view.width - m, top + h};
    const double main_w = c.view.width * c.view.units_per_pixel;
    const double main_h = c.view.height * c.view.units_per_pixel;
    const double scene_w = scene.max_x() - scene.min_x(), scene_h = scene.max_y() - scene.min_y();
    // Five times the map's extent, at most the whole workspace.
    double upp = std::max(main_w * 5 / w, main_h * 5 / h);
    upp = std::min(upp, std::max(scene_w / w, scene_h / h) * 1.05);
    if (upp < std::max(main_w / w, main_h / h) * 1.8) return;
    View v;
    v.center_x = c.view.center_x;
    v.center_y = c.view.center_y;
    v.units_per_pixel = upp;
    v.width = static_cast<int>(w);
    v.height = static_cast<int>(h);
    std::vector<LayerStyle> styles;
    for (const char* name : {"countries", "lakes"}) styles.push_back({name, true, 1.0f});
    const DrawList inset = scene.draw({}, v, styles);
    auto to_px = [&](Vec2 p) {
        return Vec2{static_cast<float>((p.x + inset.origin_x - v.center_x) / upp + w / 2 + panel.x0),
                    static_cast<float>(h / 2 - (p.y + inset.origin_y - v.center_y) / upp + panel.y0)};
    };
    c.rect(panel, {255, 255, 255, 235});
    for (const FillBatch& f : inset.fills) {
        FillBatch out;
        out.color = f.color;
        out.layer = "inset";
        for (std::size_t i = 0; i + 2 < f.indices.size(); i += 3) {
            const std::vector<Vec2> clipped = clip_to(
                {to_px(f.vertices[f.indices[i]]), to_px(f.vertices[f.indices[i + 1]]),
                 to_px(f.vertices[f.indices[i + 2]])},
                panel);
            if (clipped.size() < 3) continue;
            const auto base = static_cast<std::uint32_t>(out.vertices.size());
            out.vertices.insert(out.vertices.end(), clipped.begin(), clipped.end());
            for (std::uint32_t k = 1; k + 1 < clipped.size(); ++k)
                out.indices.insert(out.indices.end(), {base, base + k, base + k + 1});
        }
        if (!out.indices.empty()) c.list.overlay.fills.push_back(std::move(out));
    }
    // Borders: each segment clipped to the panel (Liang–Barsky).
    LineBatch borders;
    borders.color = {120, 120, 120, 255};
    borders.width_px = 0.8f * c.s;
    for (const LineBatch& l : inset.lines) {
        if (l.layer != "countries") continue;
        for (const auto& pl : l.polylines)
            for (std::size_t i = 0; i + 1 < pl.size(); ++i) {
                const Vec2 a = to_px(pl[i]), b = to_px(pl[i + 1]);
                float t0 = 0, t1 = 1;
                const float dx = b.x - a.x, dy = b.y - a.y;
                const float p[4] = {-dx, dx, -dy, dy};
                const float q[4] = {a.x - panel.x0, panel.x1 - a.x, a.y - panel.y0, panel.y1 - a.y};
                bool keep = true;
                for (int k = 0; k < 4 && keep; ++k) {
                    if (p[k] == 0) {
                        keep = q[k] >= 0;
                    } else {
                        const float t = q[k] / p[k];
                        if (p[k] < 0)
                            t0 = std::max(t0, t);
                        else
                            t1 = std::min(t1, t);
                        keep = t0 <= t1;
                    }
                }
                if (keep)
                    borders.polylines.push_back(
                        {{a.x + t0 * dx, a.y + t0 * dy}, {a.x + t1 * dx, a.y + t1 * dy}});
            }
    }
    if (!borders.polylines.empty()) c.list.overlay.lines.push_back(std::move(borders));
    // The map's extent, at least a few pixels wide so that it shows at any ratio.
    const float ew = std::max(6.0f, static_cast<float>(main_w / upp)),
                eh = std::max(5.0f, static_cast<float>(main_h / upp));
    const float ex = panel.x0 + w / 2, ey = panel.y0 + h / 2;
    c.outline({ex - ew / 2, ey - eh / 2, ex + ew / 2, ey + eh / 2}, kInk, 2 * c.s);
    c.outline(panel, kMuted, 1 * c.s);
    c.furniture(panel);
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
    const PixelBox panel{cx - r - 8 * c.s, m, cx + r + 8 * c.s, cy + r + 8 * c.s};
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
    std::string tail = "made with limes";
    if (!t.generated.empty()) tail += " · generated " + t.generated;
    const float size = 11 * c.s, m = 16 * c.s;
    // One line when it fits the image; else the sources on one line (split at their "; "
    // nearest the middle onto two where they do not fit either) and the tail on the last.
    std::vector<std::string> lines{t.attribution.empty() ? tail : t.attribution + " · " + tail};
    const float room = c.view.width - 2 * m - 12 * c.s;
    if (!t.attribution.empty() && c.text.measure(lines[0], size).width > room) {
        lines = {t.attribution, tail};
        if (c.text.measure(t.attribution, size).width > room) {
            std::size_t best = std::string::npos;
            for (std::size_t at = t.attribution.find("; "); at != std::string::npos;
                 at = t.attribution.find("; ", at + 1))
                if (best == std::string::npos ||
                    std::labs(long(at) - long(t.attribution.size() / 2)) <
                        std::labs(long(best) - long(t.attribution.size() / 2)))
                    best = at;
            if (best != std::string::npos)
                lines = {t.attribution.substr(0, best + 1), t.attribution.substr(best + 2), tail};
        }
    }
    float width = 0, line_h = 0;
    for (const auto& l : lines) {
        const TextBox b = c.text.measure(l, size);
        width = std::max(width, b.width);
        line_h = std::max(line_h, b.ascent + b.descent);
    }
    const float h = line_h * lines.size();
    const float x = c.view.width - m - width, top = c.view.height - m / 2 - h;
    const PixelBox panel{x - 6 * c.s, top - 3 * c.s, c.view.width - m + 6 * c.s, top + h + 3 * c.s};
    c.rect(panel, kPanel);
    c.furniture(panel);
    for (std::size_t i = 0; i < lines.size(); ++i) {
        const float w = c.text.measure(lines[i], size).width;
        c.write(lines[i], c.view.width - m - w, top + i * line_h, size, kMuted);  // right-aligned
    }
    c.attribution_h = 18 * c.s + line_h * (lines.size() - 1);
}

// The labels place_labels found (map/labels.cpp), written in their order with a light halo;
// a claim's second line is centred under its name.
void labels(Ctx& c, const Scene& scene, const BriefingText& t) {
    LabelOptions o;
    o.language = t.label_language;
    o.scale = c.s;
    const MeasureText measure = [&](const std::string& text, float size, Weight w) {
        return c.text.measure(text, size, w);
    };
    for (const PlacedLabel& l : place_labels(scene, c.view, o, measure, c.layout.furniture)) {
        c.layout.labels.push_back(l.box);
        c.layout.label_texts.push_back(l.text);
        if (l.kind != LabelKind::Claim) {
            c.write(l.text, l.box.x0, l.box.y0, l.size, l.ink, l.weight, l.halo_px);
            continue;
        }
        c.layout.claim_details.push_back(l.detail);
        const TextBox b1 = c.text.measure(l.text, l.size, Weight::Bold),
                      b2 = c.text.measure(l.detail, l.size);
        const float mid = (l.box.x0 + l.box.x1) / 2;
        c.write(l.text, mid - b1.width / 2, l.box.y0, l.size, l.ink, Weight::Bold, l.halo_px);
        if (!l.detail.empty())
            c.write(l.detail, mid - b2.width / 2, l.box.y0 + b1.ascent + b1.descent, l.size, l.ink,
                    Weight::Regular, l.halo_px);
    }
}

}  // namespace

int frame_bar_px(const FrameText& frame, float scale) {
    return frame.empty() ? 0 : static_cast<int>(std::lround(24.0f * scale));
}

void compose_frame(const FrameText& frame, int width, int height, float scale, TextEngine& text,
                   Overlay& out) {
    const int bar = frame_bar_px(frame, scale);
    if (bar == 0) return;
    constexpr Rgba kBar{38, 42, 50, 255};
    constexpr Rgba kBarText{255, 255, 255, 255};
    const float w = float(width), h = float(height), b = float(bar);
    for (float top : {0.0f, h - b}) {
        FillBatch f;
        f.color = kBar;
        f.vertices = {{0, top}, {w, top}, {w, top + b}, {0, top + b}};
        f.indices = {0, 1, 2, 0, 2, 3};
        out.fills.push_back(std::move(f));
        const float size = 13.0f * scale;
        if (!frame.banner.empty()) {
            const TextBox box = text.measure(frame.banner, size, Weight::Bold);
            const float baseline = top + (b + box.ascent - box.descent) / 2;
            text.layout(frame.banner, (w - box.width) / 2, baseline, size, kBarText, out,
                        Weight::Bold);
        }
        if (top == 0.0f && !frame.organisation.empty()) {
            const TextBox box = text.measure(frame.organisation, 0.9f * size);
            text.layout(frame.organisation, 8 * scale, (b + box.ascent - box.descent) / 2,
                        0.9f * size, kBarText, out);
        }
    }
}

void shift_overlay(Overlay& o, float dy) {
    for (auto& f : o.fills)
        for (auto& v : f.vertices) v.y += dy;
    for (auto& l : o.lines)
        for (auto& pl : l.polylines)
            for (auto& v : pl) v.y += dy;
    for (auto& s : o.symbols) s.position.y += dy;
    for (auto& g : o.glyphs) g.y0 += dy, g.y1 += dy;
    for (auto& t : o.texts) t.baseline_y += dy;
}

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

void IncidentTally::add(const core::IncidentMark& m) {
    ++types[std::min<std::size_t>(m.type, core::kEventTypes.size())];
    ++sides[static_cast<std::size_t>(m.side)];
    ++statuses[std::min<std::size_t>(m.status, core::kStatuses.size())];
    ++(m.fatalities >= 0 ? stated : not_stated);
    imprecise |= m.geo_precision >= 2;
    ++total;
}

IncidentTally IncidentTally::of(const std::vector<core::IncidentMark>& all,
                                const std::vector<std::uint32_t>* subset) {
    IncidentTally t;
    if (subset)
        for (const std::uint32_t i : *subset) t.add(all[i]);
    else
        for (const auto& m : all) t.add(m);
    return t;
}

std::vector<LegendEntry> legend_entries(const Scene& scene, const IncidentTally& incidents,
                                        const View& view, const BriefingText& t, float scale,
                                        const LayerShown& shown) {
    std::vector<LegendEntry> entries = incident_entries(incidents, t, scale);
    // The discs are drawn with the symbols only (Scene::incident_symbols), not under
    // clusters or the density surface.
    if (incidents.imprecise && incidents.total <= kMaxUncertaintyDiscs &&
        t.mode == SymbolMode::Symbols)
        entries.push_back({"Approximate location (area)", 1, {}, {}, {}});
    for (LegendEntry& e : map_legend_entries(Where{view, scene, scale, shown}, scene))
        entries.push_back(std::move(e));
    return entries;
}

BriefingLayout compose_briefing(const Scene& scene,
                                const std::vector<core::IncidentMark>& incidents, const View& view,
                                const BriefingText& text, TextEngine& engine, DrawList& list) {
    const float scale = text.scale > 0 ? text.scale : furniture_scale(view);
    Ctx c{view, list, engine, scale, 18 * scale, {}};
    // Furniture first: labels then keep clear of it.
    title_block(c, text, incidents);
    north_arrow(c, scene);
    if (text.inset) inset_map(c, scene);
    attribution(c, text);
    if (text.legend) legend(c, scene, incidents, text);
    scale_bar(c, scene);
    if (incidents.empty() && !text.empty_note.empty()) {
        const float size = 20 * c.s, pad = 12 * c.s;
        const TextBox b = engine.measure(text.empty_note, size);
        const float x = view.width / 2.0f - b.width / 2,
                    y = view.height / 2.0f - (b.ascent + b.descent) / 2;
        const PixelBox r{x - pad, y - pad, x + b.width + pad, y + b.ascent + b.descent + pad};
        c.rect(r, kPanel);
        c.furniture(r);
        c.write(text.empty_note, x, y, size, kInk);
    }
    labels(c, scene, text);
    list.atlas = engine.atlas();
    return std::move(c.layout);
}

}  // namespace limes::map
