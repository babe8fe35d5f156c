#include "app/map_input.hpp"

#include <GLFW/glfw3.h>
#include <imgui.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>

#include "geo/geometry/geodesic.hpp"
#include "map/briefing.hpp"
#include "map/camera.hpp"
#include "map/cluster.hpp"
#include "map/stacks.hpp"

namespace limes::app {

void handle_map_input(Session& s, MapInput& mi) {
    ImGuiIO& io = ImGui::GetIO();
    const float mx = io.MousePos.x, my = io.MousePos.y;
    s.update_stacks();  // regroups only after a zoom or a change of what is shown
    if (!io.WantCaptureKeyboard) {
        if (ImGui::IsKeyPressed(GLFW_KEY_EQUAL) || ImGui::IsKeyPressed(GLFW_KEY_KP_ADD))
            map::zoom_at(s.view, 1.5, s.view.width / 2.0, s.view.height / 2.0);
        if (ImGui::IsKeyPressed(GLFW_KEY_MINUS) || ImGui::IsKeyPressed(GLFW_KEY_KP_SUBTRACT))
            map::zoom_at(s.view, 1 / 1.5, s.view.width / 2.0, s.view.height / 2.0);
        if (io.KeyCtrl && ImGui::IsKeyPressed(GLFW_KEY_S))
            s.state.actions.push_back({ui::Action::Kind::Save});
        if (io.KeyCtrl && ImGui::IsKeyPressed(GLFW_KEY_Z)) s.state.undo();
        if (io.KeyCtrl && ImGui::IsKeyPressed(GLFW_KEY_Y)) s.state.redo();
        if (io.KeyCtrl && ImGui::IsKeyPressed(GLFW_KEY_Q))
            s.state.actions.push_back({ui::Action::Kind::Quit});
        if (ImGui::IsKeyPressed(GLFW_KEY_F) && !io.KeyCtrl)
            s.state.actions.push_back({ui::Action::Kind::Fit});
        if (ImGui::IsKeyPressed(GLFW_KEY_ESCAPE)) {
            s.panels.add_mode = false;
            s.measure_.clear();
            s.fold();
        }
    }
    if (io.WantCaptureMouse) {
        s.state.hovered = -1;
        s.hovered_stack = -1;
        mi.dragging = false;
        return;
    }
    if (io.MouseWheel != 0) map::zoom_at(s.view, std::pow(1.25, io.MouseWheel), mx, my);
    // Under the cursor: a symbol of the fanned stack first (drawn over the rest), then a
    // folded stack's badge, then the symbols at their points.
    const auto hits = s.pick(mx, my, 9.0);
    const int fanned = s.pick_fanned(mx, my, 9.0);
    const int stack = fanned < 0 ? s.stack_at(mx, my, 9.0) : -1;
    const bool on_fan_centre =
        stack >= 0 && s.fan() &&
        s.fan()->members == s.stacks()[static_cast<std::size_t>(stack)].members;
    s.hovered_stack = stack >= 0 && !on_fan_centre ? stack : -1;
    s.state.hovered = fanned >= 0 ? fanned : stack >= 0 ? -1 : hits.empty() ? -1 : hits.front();
    // A double-click (two clicks within ImGui's io.MouseDoubleClickTime, 0.30 s, and
    // io.MouseDoubleClickMaxDist, 6 px) zooms in, but not on a symbol or a stack (a quick pair
    // of clicks there was taken for a zoom), and not while a map tool takes the clicks.
    if (ImGui::IsMouseDoubleClicked(0) && hits.empty() && fanned < 0 && stack < 0 &&
        !s.panels.add_mode && !s.panels.draw_claim)
        map::zoom_at(s.view, 2.0, mx, my);
    if (ImGui::IsMouseClicked(0)) {
        mi.dragging = true;
        mi.press_x = mx, mi.press_y = my;
    }
    if (mi.dragging && ImGui::IsMouseDown(0) && (io.MouseDelta.x != 0 || io.MouseDelta.y != 0))
        map::pan_pixels(s.view, io.MouseDelta.x, io.MouseDelta.y);
    if (ImGui::IsMouseReleased(0) && mi.dragging) {
        mi.dragging = false;
        const bool click = std::hypot(mx - mi.press_x, my - mi.press_y) < 4.0;
        if (click) {
            double lon, lat;
            s.pixel_lonlat(mx, my, lon, lat);
            if (s.panels.add_mode) {
                // The date the timeline shows (the end of its range), and the country and
                // province the basemap has at the point.
                const Session::Admin admin = s.admin_at(lon, lat);
                ui::open_new_incident(s.panels, lon, lat, s.state.range_to, admin.country,
                                      admin.admin1);
                s.panels.add_mode = false;
            } else if (s.panels.draw_claim) {
                s.panels.claim_vertices.push_back({lon, lat});
            } else if (fanned >= 0) {
                // A fanned symbol: its incident in the inspector; the fan stays open.
                s.state.selected = fanned;
                s.panels.sidebar_open = true;  // the inspector is in it (Tab still hides it)
            } else if (stack >= 0) {
                // A stack: fanned out (spiderfied) so that each member can be picked; a
                // click on the centre of the open fan folds it.
                if (on_fan_centre)
                    s.fold();
                else
                    s.fan_out(stack);
            } else {
                s.fold();  // a click elsewhere folds the fan
                if (!hits.empty()) {
                    s.state.selected = hits.front();
                    s.panels.sidebar_open = true;
                } else {
                    s.state.selected = -1;
                }
            }
        }
    }
    // Measure tool: right-click two points; a third starts over.
    if (ImGui::IsMouseClicked(1)) {
        double lon, lat;
        s.pixel_lonlat(mx, my, lon, lat);
        if (s.measure_.size() >= 2) s.measure_.clear();
        s.measure_.push_back({lon, lat});
    }
}

// Status line: cursor lat/lon and map CRS, scale bar, measured distance, messages.
void status_overlay(Session& s) {
    ImGuiIO& io = ImGui::GetIO();
    ImDrawList* dl = ImGui::GetForegroundDrawList();
    const float h = io.DisplaySize.y;
    double lon = 0, lat = 0, x = 0, y = 0;
    map::pixel_to_map(s.view, io.MousePos.x, io.MousePos.y, x, y);
    s.projector().inverse(x, y, lon, lat);
    char buf[256];
    std::snprintf(buf, sizeof buf, "lat %.5f  lon %.5f  |  x %.0f  y %.0f m  |  1:%.0f", lat, lon,
                  x, y,
                  s.view.units_per_pixel / 0.00028);  // standard 0.28 mm pixel
    std::string line = buf;
    if (s.measure_.size() == 2)
        line += "  |  measured " +
                std::to_string(geo::geodesic_distance_km(s.measure_[0].lon, s.measure_[0].lat,
                                                         s.measure_[1].lon, s.measure_[1].lat))
                    .substr(0, 7) +
                " km (geodesic)";
    if (!s.state.messages.empty()) line += "  |  " + s.state.messages.back();
    // The time range on the map, top centre, so a screenshot says what it shows.
    const auto& st = s.state;
    const std::string range =
        st.range_from == st.range_to
            ? core::Date{st.range_from}.iso()
            : core::Date{st.range_from}.iso() + " to " + core::Date{st.range_to}.iso();
    const std::string banner = range + "  ·  " + std::to_string(st.visible.size()) + " incidents" +
                               (s.as_of() ? "  ·  lines as of " + s.as_of()->iso() : "") +
                               (st.playing ? "  (playing)" : "");
    // Over the map's own part of the window, not under a panel.
    const ui::MapArea area = ui::map_area(s.panels, static_cast<int>(io.DisplaySize.x),
                                          static_cast<int>(io.DisplaySize.y));
    const ImVec2 bs = ImGui::CalcTextSize(banner.c_str());
    const float bx = (area.x0 + area.x1 - bs.x) / 2, by = area.y0 + 4;
    // The banner and the scale bar belong to the map: under the panels and dialogs (the
    // background list), the status line over everything.
    ImDrawList* map_dl = ImGui::GetBackgroundDrawList();
    s.map_furniture.clear();
    s.map_furniture.push_back({bx - 8, by - 3, bx + bs.x + 8, by + bs.y + 3});
    map_dl->AddRectFilled(ImVec2(bx - 8, by - 3), ImVec2(bx + bs.x + 8, by + bs.y + 3),
                          IM_COL32(255, 255, 255, 220), 4.0f);
    map_dl->AddText(ImVec2(bx, by), IM_COL32(30, 30, 30, 255), banner.c_str());
    dl->AddRectFilled(ImVec2(0, h - 22), ImVec2(io.DisplaySize.x, h), IM_COL32(255, 255, 255, 220));
    dl->AddText(ImVec2(8, h - 19), IM_COL32(30, 30, 30, 255), line.c_str());
    // Scale bar, bottom right: geodesic at the centre.
    const double km_px = map::km_per_pixel_at_center(s.scene(), s.view);
    if (km_px > 0) {
        const double km = map::nice_length_km(km_px * 150);
        const float len = static_cast<float>(km / km_px);
        const float x1 = area.x1 - 20, x0 = x1 - len, yb = area.y1 - 12;
        s.map_furniture.push_back({x0 - 6, yb - 18, x1 + 6, yb + 6});
        map_dl->AddRectFilled(ImVec2(x0 - 6, yb - 18), ImVec2(x1 + 6, yb + 6),
                              IM_COL32(255, 255, 255, 200));
        map_dl->AddLine(ImVec2(x0, yb), ImVec2(x1, yb), IM_COL32(20, 20, 20, 255), 3.0f);
        char label[32];
        std::snprintf(label, sizeof label, "%g km", km);
        map_dl->AddText(ImVec2(x0, yb - 17), IM_COL32(20, 20, 20, 255), label);
    }
}

void cluster_labels(const Session& s) {
    if (s.effective_mode() != map::SymbolMode::Clusters || s.state.loading) return;
    ImDrawList* dl = ImGui::GetBackgroundDrawList();
    const map::View& view = s.view;
    for (const auto& c : s.clusters()) {
        if (c.count < 2) continue;
        double px, py;
        map::map_to_pixel(view, c.position.x + s.scene().origin_x(),
                          c.position.y + s.scene().origin_y(), px, py);
        if (px < -40 || py < -40 || px > view.width + 40 || py > view.height + 40) continue;
        const std::string label = map::cluster_count_label(c.count);  // "7.8k", as a briefing
        const char* n = label.c_str();
        const ImVec2 size = ImGui::CalcTextSize(n);
        const ImVec2 at(static_cast<float>(px) - size.x / 2, static_cast<float>(py) - size.y / 2);
        dl->AddText(ImVec2(at.x + 1, at.y + 1), IM_COL32(40, 40, 40, 200), n);  // halo-ish shadow
        dl->AddText(at, IM_COL32(255, 255, 255, 255), n);
    }
}

void heat_scale_box(Session& s) {
    s.heat_scale_box = {};
    const map::HeatScale& scale = s.heat_scale();
    if (s.effective_mode() != map::SymbolMode::Heatmap || s.state.loading || scale.empty())
        return;
    // Bottom left of the map's free part (the scale bar is bottom right): a title, one swatch
    // per shade with its lower bound, and the kernel's width on the ground.
    ImGuiIO& io = ImGui::GetIO();
    const ui::MapArea area = ui::map_area(s.panels, static_cast<int>(io.DisplaySize.x),
                                          static_cast<int>(io.DisplaySize.y));
    ImDrawList* dl = ImGui::GetBackgroundDrawList();
    const char* title = "Incidents per 100 km\xc2\xb2";
    char note[64];
    std::snprintf(note, sizeof note, "kernel \xcf\x83 %.2g km", scale.sigma_km);
    const float line = ImGui::GetTextLineHeight(), pad = 6, swatch = 14;
    std::vector<std::string> bounds;
    float width = std::max(ImGui::CalcTextSize(title).x, ImGui::CalcTextSize(note).x);
    for (std::size_t k = 0; k < scale.lower.size(); ++k) {
        // "from - to" (en dash); the top class ends at the largest value in the area.
        const double to = k + 1 < scale.lower.size() ? scale.lower[k + 1] : scale.max;
        char t[48];
        std::snprintf(t, sizeof t, "%g \xe2\x80\x93 %g", scale.lower[k], to);
        bounds.push_back(t);
        width = std::max(width, swatch + 6 + ImGui::CalcTextSize(t).x);
    }
    const float h = pad + line * (2 + bounds.size()) + pad;
    const float x0 = area.x0 + 10, y1 = area.y1 - 10, x1 = x0 + width + 2 * pad, y0 = y1 - h;
    dl->AddRectFilled(ImVec2(x0, y0), ImVec2(x1, y1), IM_COL32(255, 255, 255, 225), 4.0f);
    dl->AddText(ImVec2(x0 + pad, y0 + pad), IM_COL32(20, 20, 20, 255), title);
    // Densest first, as a reader scans a key from the top.
    for (std::size_t i = 0; i < bounds.size(); ++i) {
        const std::size_t k = bounds.size() - 1 - i;
        const map::Rgba c = scale.colors[k];
        const float y = y0 + pad + line * (1 + i);
        // The swatch as the map shows it: the shade over the white of the box.
        dl->AddRectFilled(ImVec2(x0 + pad, y + 1), ImVec2(x0 + pad + swatch, y + line - 1),
                          IM_COL32(c.r, c.g, c.b, c.a));
        dl->AddText(ImVec2(x0 + pad + swatch + 6, y), IM_COL32(20, 20, 20, 255), bounds[k].c_str());
    }
    dl->AddText(ImVec2(x0 + pad, y0 + pad + line * (1 + bounds.size())), IM_COL32(70, 70, 70, 255),
                note);
    s.heat_scale_box = {x0, y0, x1, y1};
    s.map_furniture.push_back({x0, y0, x1, y1});
}

void stack_badges(const Session& s) {
    if (s.stacks().empty()) return;
    ImDrawList* dl = ImGui::GetBackgroundDrawList();
    ImFont* font = ImGui::GetFont();
    const float size = 13.0f;  // px, the count's text
    const map::Rgba f = map::kBadgeFill, t = map::kBadgeText;
    for (const map::Stack& st : s.stacks()) {
        double px, py;
        s.local_pixel(st.center, px, py);
        if (px < -20 || py < -20 || px > s.view.width + 20 || py > s.view.height + 20) continue;
        const std::string n = std::to_string(st.members.size());
        const ImVec2 ts = font->CalcTextSizeA(size, 1e9f, 0.0f, n.c_str());
        // A dark disc with a white rim and the count in white, as the briefing draws it
        // (15 px, wider for more digits).
        const float r = std::max(7.5f, ts.x / 2 + 4.0f);
        const ImVec2 c(static_cast<float>(px), static_cast<float>(py));
        dl->AddCircleFilled(c, r + 1.0f, IM_COL32(255, 255, 255, 255), 24);
        dl->AddCircleFilled(c, r, IM_COL32(f.r, f.g, f.b, f.a), 24);
        dl->AddText(font, size, ImVec2(c.x - ts.x / 2, c.y - ts.y / 2),
                    IM_COL32(t.r, t.g, t.b, t.a), n.c_str());
    }
}

void map_tooltip(Session& s) {
    if (s.hovered_stack < 0) {
        if (s.state.hovered >= 0)
            ui::draw_tooltip(s.state, static_cast<std::size_t>(s.state.hovered));
        return;
    }
    const map::Stack& st = s.stacks()[static_cast<std::size_t>(s.hovered_stack)];
    ImGui::BeginTooltip();
    ImGui::Text("%zu incidents here \u2014 click to spread them", st.members.size());
    // A few of them: date, type, place (the first five in the order of the table).
    const std::size_t shown = std::min<std::size_t>(st.members.size(), 5);
    for (std::size_t k = 0; k < shown; ++k) {
        try {
            const core::Incident inc = s.state.incidents.row(st.members[k]);
            ImGui::BulletText("%s  %s  %s", inc.event_date.iso().c_str(), inc.event_type.c_str(),
                              inc.location.c_str());
        } catch (const std::exception& e) {
            ImGui::BulletText("(cannot read: %s)", e.what());
        }
    }
    if (st.members.size() > shown) ImGui::TextDisabled("and %zu more", st.members.size() - shown);
    ImGui::EndTooltip();
}

}  // namespace limes::app
