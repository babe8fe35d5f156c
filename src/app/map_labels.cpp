#include "app/map_labels.hpp"

#include <algorithm>
#include <imgui.h>

#include <cfloat>
#include <chrono>
#include <sstream>

#include "app/session.hpp"
#include "map/briefing.hpp"
#include "ui/panels.hpp"

namespace limes::app {
namespace {

ImU32 color(map::Rgba c, float alpha = 1.0f) {
    return IM_COL32(c.r, c.g, c.b, static_cast<int>(c.a * alpha));
}

// Whether the Layers panel shows a layer the labels name. Lakes and rivers are drawn with the
// countries (Scene: the draw list's "countries" layer) unless the panel lists them apart.
bool layer_shown(const ui::ViewerState& state, const std::string& name) {
    auto find = [&](const std::string& n) -> const ui::LayerSetting* {
        for (const auto& l : state.layers)
            if (l.name == n) return &l;
        return nullptr;
    };
    if (const auto* l = find(name)) return l->visible;
    if (name == "lakes" || name == "rivers")
        if (const auto* l = find("countries")) return l->visible;
    return true;
}

}  // namespace

void MapLabels::draw(const Session& s) {
    const std::string& language = s.panels.label_language;
    if (language == "off") {
        placed_.clear();
        shown_.clear();
        key_.clear();
        return;
    }
    const map::View& view = s.view;
    const ui::MapArea area = ui::map_area(s.panels, view.width, view.height);
    ImFont* font = ImGui::GetFont();
    // Everything placement depends on: the scene, the view, the free part of the window, the
    // language and the layers shown.
    std::ostringstream v, rest;
    v.precision(17);
    v << view.center_x << ' ' << view.center_y << ' ' << view.units_per_pixel << ' ' << view.width
      << 'x' << view.height;
    rest << &s.scene() << ' ' << area.x0 << ' ' << area.y0 << ' ' << area.x1 << ' ' << area.y1
         << ' ' << language << ' ' << font;
    for (const char* layer : {"places", "claims", "countries", "regions", "lakes", "rivers"})
        rest << layer_shown(s.state, layer);
    // The banner, scale bar and heat key over the map (their size, whole pixels).
    for (const map::PixelBox& b : s.map_furniture)
        rest << ' ' << static_cast<int>(b.x0) << ',' << static_cast<int>(b.y0) << ','
             << static_cast<int>(b.x1) << ',' << static_cast<int>(b.y1);
    auto clear_of_furniture = [&](const map::PixelBox& l) {
        for (const map::PixelBox& b : s.map_furniture)
            if (l.x0 < b.x1 && b.x0 < l.x1 && l.y0 < b.y1 && b.y0 < l.y1) return false;
        return true;
    };
    const std::string key = v.str() + ' ' + rest.str();
    const bool moving = v.str() != last_view_;
    last_view_ = v.str();
    // A pan in progress (the view moved since the last frame, same scale, nothing else
    // changed): the labels placed last move with the map, those leaving the map area hide,
    // and placement runs when the view comes to rest. A pan then costs no placement per frame.
    if (key != key_ && moving && !placed_.empty() && rest.str() == rest_ &&
        view.units_per_pixel == placed_view_.units_per_pixel && view.width == placed_view_.width &&
        view.height == placed_view_.height) {
        const auto dx = static_cast<float>((placed_view_.center_x - view.center_x) /
                                           view.units_per_pixel),
                   dy = static_cast<float>((view.center_y - placed_view_.center_y) /
                                           view.units_per_pixel);
        shown_.clear();
        for (map::PlacedLabel l : placed_) {
            l.box = {l.box.x0 + dx, l.box.y0 + dy, l.box.x1 + dx, l.box.y1 + dy};
            l.anchor = {l.anchor.x + dx, l.anchor.y + dy};
            if (l.box.x0 >= area.x0 && l.box.y0 >= area.y0 && l.box.x1 <= area.x1 &&
                l.box.y1 <= area.y1 && clear_of_furniture(l.box))
                shown_.push_back(std::move(l));
        }
    } else if (key != key_) {
        key_ = key;
        rest_ = rest.str();
        placed_view_ = view;
        ++placements_;
        map::LabelOptions o;
        o.language = language;
        o.scale = 1.0f;  // screen pixels: 13 px place names, 17 px countries
        o.shown = [&](const std::string& layer) { return layer_shown(s.state, layer); };
        // ImGui's font: ascent and descent scale with the size asked for; bold is drawn
        // twice, 1 px apart, so it is 1 px wider.
        const map::MeasureText measure = [font](const std::string& t, float size, map::Weight w) {
            const ImVec2 sz = font->CalcTextSizeA(size, FLT_MAX, 0.0f, t.c_str());
            map::TextBox b;
            b.width = sz.x + (w == map::Weight::Bold ? 1.0f : 0.0f);
            b.ascent = font->Ascent * size / font->FontSize;
            b.descent = -font->Descent * size / font->FontSize;
            return b;
        };
        // The panels' parts of the window are taken: labels stay in the map area.
        const float w = static_cast<float>(view.width), h = static_cast<float>(view.height);
        std::vector<map::PixelBox> panels{
            {0, 0, w, area.y0}, {0, area.y1, w, h}, {0, 0, area.x0, h}, {area.x1, 0, w, h}};
        panels.insert(panels.end(), s.map_furniture.begin(), s.map_furniture.end());
        const auto t0 = std::chrono::steady_clock::now();
        placed_ = map::place_labels(s.scene(), view, o, measure, std::move(panels));
        last_ms_ = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0)
                       .count();
        shown_ = placed_;
    }
    ImDrawList* dl = ImGui::GetBackgroundDrawList();
    const map::Rgba halo{255, 255, 255, 230};
    auto text = [&](const std::string& t, float x, float y, float size, map::Rgba ink,
                    map::Weight w, float halo_px) {
        // A light halo: the text in white, shifted around the pen by up to halo_px / 2.
        const float d = std::max(1.0f, halo_px / 2);
        for (int dy = -1; dy <= 1; ++dy)
            for (int dx = -1; dx <= 1; ++dx)
                if (dx || dy)
                    dl->AddText(font, size, ImVec2(x + dx * d, y + dy * d), color(halo, 0.6f),
                                t.c_str());
        dl->AddText(font, size, ImVec2(x, y), color(ink), t.c_str());
        if (w == map::Weight::Bold)
            dl->AddText(font, size, ImVec2(x + 1, y), color(ink), t.c_str());
    };
    for (const map::PlacedLabel& l : shown_) {
        if (l.kind != map::LabelKind::Claim) {
            text(l.text, l.box.x0, l.box.y0, l.size, l.ink, l.weight, l.halo_px);
            continue;
        }
        // A claim: its name, and under it "held by ... since ...", both centred.
        const float mid = (l.box.x0 + l.box.x1) / 2;
        const float w1 = font->CalcTextSizeA(l.size, FLT_MAX, 0.0f, l.text.c_str()).x + 1;
        text(l.text, mid - w1 / 2, l.box.y0, l.size, l.ink, map::Weight::Bold, l.halo_px);
        if (!l.detail.empty()) {
            const float w2 = font->CalcTextSizeA(l.size, FLT_MAX, 0.0f, l.detail.c_str()).x;
            const float line = (font->Ascent - font->Descent) * l.size / font->FontSize;
            text(l.detail, mid - w2 / 2, l.box.y0 + line, l.size, l.ink, map::Weight::Regular,
                 l.halo_px);
        }
    }
}

void MapLabels::update_legend(Session& s) {
    const map::View& view = s.view;
    std::ostringstream v;
    v.precision(17);
    v << view.center_x << ' ' << view.center_y << ' ' << view.units_per_pixel << ' ' << view.width
      << 'x' << view.height;
    const bool moving = v.str() != legend_view_;
    legend_view_ = v.str();
    if (moving && !legend_key_.empty()) return;
    const auto& visible = s.state.visible;
    std::ostringstream key;
    key << v.str() << ' ' << &s.scene() << ' ' << s.state.loading << ' ' << s.state.data_version
        << ' ' << s.state.visible_version << ' ';
    for (const auto& l : s.state.layers) key << l.visible;
    // The incidents' rows follow how the map draws them (as a briefing's legend): symbols,
    // clusters (and the largest one's count) or the density surface's classes. The clusters
    // and the surface are made by the upload at the end of a frame, so a change of them
    // changes the key and the rows follow a frame later.
    const map::SymbolMode mode = s.effective_mode();
    std::uint32_t largest_cluster = 0;
    if (mode == map::SymbolMode::Clusters)
        for (const map::Cluster& c : s.clusters())
            largest_cluster = std::max(largest_cluster, c.count);
    const map::HeatScale& heat = s.heat_scale();
    key << ' ' << static_cast<int>(mode) << ' ' << largest_cluster << ' ' << heat.max;
    if (mode == map::SymbolMode::Heatmap)
        for (const double lower : heat.lower) key << ' ' << lower;
    if (key.str() == legend_key_) return;
    legend_key_ = key.str();
    map::IncidentTally incidents;
    if (!s.state.loading && layer_shown(s.state, "incidents"))
        incidents = map::IncidentTally::of(s.state.incidents.marks(), &visible);
    map::BriefingText text;
    text.mode = mode;
    text.largest_cluster = largest_cluster;
    if (mode == map::SymbolMode::Heatmap) text.heat = heat;
    // The badge row, as in the briefing: when the view has a stack (Symbols mode groups them).
    if (incidents.total > 0 && mode == map::SymbolMode::Symbols)
        for (const map::Stack& st : s.stacks())
            text.largest_stack = std::max(text.largest_stack, st.members.size());
    // Rows only for the layers the Layers panel shows.
    const map::LayerShown shown = [&](const std::string& layer) {
        return layer_shown(s.state, layer);
    };
    s.state.legend = map::legend_entries(s.scene(), incidents, view, text, 1.0f, shown);
}

}  // namespace limes::app
