#include "ui/panels.hpp"
#include "core/text.hpp"

#include <imgui.h>
#include <imgui_stdlib.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <map>

namespace limes::ui {
namespace {

// [SECTION] helpers

std::string iso(std::int32_t days) {
    return core::Date{days}.iso();
}

std::string fatalities_text(const core::Incident& inc) {
    return inc.fatalities ? std::to_string(*inc.fatalities) : std::string("not stated");
}

/** Text in a table cell or a narrow place; when it does not fit, the whole of it in a
 *  tooltip on hover (the panels never cut a name off without a way to read it). */
void fitted_text(const std::string& text, bool disabled = false) {
    const bool clipped = ImGui::CalcTextSize(text.c_str()).x > ImGui::GetContentRegionAvail().x;
    if (disabled)
        ImGui::TextDisabled("%s", text.c_str());
    else
        ImGui::TextUnformatted(text.c_str());
    // The row's Selectable overlaps the cells: ask the rectangle, not the hovered item.
    if (clipped && ImGui::IsWindowHovered() &&
        ImGui::IsMouseHoveringRect(ImGui::GetItemRectMin(), ImGui::GetItemRectMax()))
        ImGui::SetTooltip("%s", text.c_str());
}

/** A readable name for an incidents column ("Event date" for event_date). */
std::string field_label(std::string_view column) {
    static const std::map<std::string_view, const char*> names = {
        {"event_id_cnty", "Event id"},
        {"event_date", "Event date"},
        {"disorder_type", "Disorder type"},
        {"event_type", "Event type"},
        {"sub_event_type", "Sub-event type"},
        {"actor1", "Actor 1"},
        {"assoc_actor_1", "Associated with actor 1"},
        {"inter1", "Actor 1 kind (inter1)"},
        {"actor2", "Actor 2"},
        {"assoc_actor_2", "Associated with actor 2"},
        {"inter2", "Actor 2 kind (inter2)"},
        {"interaction", "Interaction code"},
        {"civilian_targeting", "Civilian targeting"},
        {"region", "World region"},
        {"country", "Country"},
        {"admin1", "Province (admin1)"},
        {"admin2", "District (admin2)"},
        {"admin3", "Admin3"},
        {"location", "Location"},
        {"source", "Source"},
        {"source_scale", "Source scale"},
        {"notes", "Notes"},
        {"tags", "Tags"},
        {"reported_by", "Reported by"},
        {"status", "Status"},
        {"source_url", "Source URL"},
        {"time_precision", "Date precision"},
        {"iso", "Country code (ISO 3166 numeric)"},
        {"geo_precision", "Location precision"},
        {"fatalities", "Fatalities"},
        {"fatalities_low", "Fatalities, low"},
        {"fatalities_high", "Fatalities, high"},
        {"timestamp", "Timestamp"},
    };
    if (auto it = names.find(column); it != names.end()) return it->second;
    std::string out(column);
    for (char& c : out)
        if (c == '_') c = ' ';
    if (!out.empty()) out[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(out[0])));
    return out;
}

/** Every row of the store sorted by a table column (0 date, 1 type, 2 location, 3 dead,
 *  4 reported by), ascending, ties in row order; cached until the incidents change. */
const std::vector<std::uint32_t>& column_order(const ViewerState& state, PanelState& p, int col) {
    col = std::clamp(col, 0, PanelState::kTableColumns - 1);
    std::vector<std::uint32_t>& order = p.column_order[col];
    if (p.column_order_version[col] == state.data_version && order.size() == state.incidents.size())
        return order;
    using Text = core::IncidentStore::Text;
    const core::IncidentStore& store = state.incidents;
    const auto& marks = store.marks();
    order.resize(store.size());
    for (std::size_t i = 0; i < order.size(); ++i) order[i] = static_cast<std::uint32_t>(i);
    std::stable_sort(order.begin(), order.end(), [&](std::uint32_t a, std::uint32_t b) {
        switch (col) {
            case 1:
                return ViewerState::type_name(marks[a].type) <
                       ViewerState::type_name(marks[b].type);
            case 2: return store.text(Text::Location, a) < store.text(Text::Location, b);
            case 3: return marks[a].fatalities < marks[b].fatalities;  // not stated (-1) first
            case 4: return store.text(Text::ReportedBy, a) < store.text(Text::ReportedBy, b);
            default: return marks[a].days < marks[b].days;
        }
    });
    p.column_order_version[col] = state.data_version;
    return order;
}

/** Row i in full (read from the workspace unless edited here), or null with the reason in
 *  the status line when it cannot be read. */
const core::Incident* read_row(ViewerState& state, std::size_t i) {
    try {
        return &state.incidents.row(i);
    } catch (const std::exception& e) {
        state.messages.push_back(std::string("error: ") + e.what());
        return nullptr;
    }
}

void text_row(const std::string& label, const std::string& value, const char* missing = "-") {
    ImGui::TableNextRow();
    ImGui::TableSetColumnIndex(0);
    ImGui::TextWrapped("%s", label.c_str());
    ImGui::TableSetColumnIndex(1);
    if (value.empty())
        ImGui::TextDisabled("%s", missing);
    else
        ImGui::TextWrapped("%s", value.c_str());
}

// [SECTION] menu and dialogs

void menu_bar(ViewerState& state, PanelState& p) {
    if (!ImGui::BeginMainMenuBar()) return;
    p.menu_height = ImGui::GetWindowHeight();
    if (ImGui::BeginMenu("File")) {
        if (ImGui::MenuItem("Open...")) p.show_open = true;
        if (ImGui::MenuItem("Import...")) p.show_import = true;
        ImGui::Separator();
        if (ImGui::MenuItem("Save", "Ctrl+S", false, state.dirty))
            state.actions.push_back({Action::Kind::Save});
        if (ImGui::MenuItem("Save As...")) p.show_save_as = true;
        ImGui::Separator();
        if (ImGui::MenuItem("Export GeoJSON...")) p.show_export = true;
        if (ImGui::MenuItem("Briefing...")) p.show_briefing = true;
        if (ImGui::MenuItem("Save view...")) p.show_save_view = true;
        if (ImGui::MenuItem("Export animation...")) p.show_animation = true;
        ImGui::Separator();
        if (ImGui::MenuItem("Quit", "Ctrl+Q")) state.actions.push_back({Action::Kind::Quit});
        ImGui::EndMenu();
    }
    if (ImGui::BeginMenu("Edit")) {
        if (ImGui::MenuItem("Undo", "Ctrl+Z", false, !state.undo_stack.empty())) state.undo();
        if (ImGui::MenuItem("Redo", "Ctrl+Y", false, !state.redo_stack.empty())) state.redo();
        ImGui::Separator();
        ImGui::MenuItem("Add incident (click on map)", nullptr, &p.add_mode);
        if (ImGui::MenuItem("Draw claim (click vertices)", nullptr, &p.draw_claim))
            p.claim_vertices.clear();
        ImGui::EndMenu();
    }
    if (ImGui::BeginMenu("View")) {
        if (ImGui::MenuItem("Fit", "F")) state.actions.push_back({Action::Kind::Fit});
        const char* names[] = {"Symbols", "Clusters", "Heatmap", "Automatic (by zoom)"};
        for (int m = 0; m < 4; ++m)
            if (ImGui::MenuItem(names[m], nullptr, state.mode == static_cast<SymbolMode>(m)))
                state.mode = static_cast<SymbolMode>(m);
        ImGui::Separator();
        ImGui::MenuItem("Side bar", nullptr, &p.sidebar_open, !p.hide_panels);
        bool shown = !p.hide_panels;
        if (ImGui::MenuItem("Panels", "Tab", &shown)) p.hide_panels = !shown;
        // Last in the menu: the items above keep their places (replays click them).
        if (ImGui::BeginMenu("Labels")) {
            const char* codes[] = {"en", "hy", "az", "off"};
            const char* names[] = {"English", "Armenian", "Azerbaijani", "Off"};
            for (int i = 0; i < 4; ++i)
                if (ImGui::MenuItem(names[i], nullptr, p.label_language == codes[i]))
                    p.label_language = codes[i];
            ImGui::EndMenu();
        }
        ImGui::MenuItem("Changes over the range", nullptr, &state.show_changes);
        if (ImGui::IsItemHovered())
            ImGui::SetTooltip("Ground that changed hands between the range's first day and the "
                              "day lines and claims are drawn as of, with its km\u00b2 in the "
                              "legend");
        ImGui::EndMenu();
    }
    if (state.loading)
        ImGui::TextDisabled("| loading incidents: %.0f %%", state.load_fraction * 100.0);
    else
        ImGui::TextDisabled(
            "| %zu of %zu incidents shown%s%s", state.visible.size(), state.incidents.live(),
            state.search.empty() ? "" : ("  (search: " + state.search + ")").c_str(),
            state.dirty ? "  (unsaved changes)" : "");
    ImGui::EndMainMenuBar();
}

/** A dialog that asks for one file path (no native file chooser: a path field). */
void path_dialog(const char* title, bool& open, std::string& path, const char* hint,
                 const char* button, Action::Kind kind, ViewerState& state) {
    if (!open) return;
    const ImVec2 c = ImGui::GetMainViewport()->GetCenter();
    ImGui::SetNextWindowPos(c, ImGuiCond_Appearing, ImVec2(0.5f, 0.5f));
    ImGui::Begin(title, &open, ImGuiWindowFlags_AlwaysAutoResize);
    ImGui::TextUnformatted(hint);
    if (ImGui::IsWindowAppearing()) ImGui::SetKeyboardFocusHere();
    ImGui::SetNextItemWidth(420);
    const bool enter = ImGui::InputText("##path", &path, ImGuiInputTextFlags_EnterReturnsTrue);
    if ((ImGui::Button(button) || enter) && !path.empty()) {
        state.actions.push_back({kind, path});
        open = false;
    }
    ImGui::SameLine();
    if (ImGui::Button("Cancel")) open = false;
    ImGui::End();
}

void dialogs(ViewerState& state, PanelState& p) {
    path_dialog("Open workspace", p.show_open, p.open_path,
                "Workspace file to open (a GeoPackage, or any vector file GDAL reads):", "Open",
                Action::Kind::Open, state);
    path_dialog("Import", p.show_import, p.import_path,
                "CSV (ACLED, UCDP) or GeoJSON / any vector file, into this workspace\n(as "
                "`limes import` does: bad rows are skipped and listed):",
                "Import", Action::Kind::Import, state);
    path_dialog("Save As", p.show_save_as, p.save_as_path,
                "New workspace file: a copy of this one with the unsaved edits\n(the window "
                "then works on the copy):",
                "Save As", Action::Kind::SaveAs, state);
    auto centre = [] {
        const ImVec2 c = ImGui::GetMainViewport()->GetCenter();
        ImGui::SetNextWindowPos(c, ImGuiCond_Appearing, ImVec2(0.5f, 0.5f));
    };
    if (p.show_export) {
        centre();
        ImGui::Begin("Export GeoJSON", &p.show_export, ImGuiWindowFlags_AlwaysAutoResize);
        ImGui::InputText("file", &p.export_path);
        const char* layers[] = {"incidents", "claims"};
        if (ImGui::BeginCombo("layer", p.export_layer.c_str())) {
            for (const char* l : layers)
                if (ImGui::Selectable(l, p.export_layer == l)) p.export_layer = l;
            ImGui::EndCombo();
        }
        ImGui::TextDisabled("The current filters and time range apply.");
        if (ImGui::Button("Export")) {
            state.actions.push_back({Action::Kind::ExportGeoJson, p.export_path, p.export_layer});
            p.show_export = false;
        }
        ImGui::End();
    }
    if (p.show_briefing) {
        centre();
        ImGui::Begin("Briefing", &p.show_briefing, ImGuiWindowFlags_AlwaysAutoResize);
        ImGui::InputText("file", &p.briefing_path);
        ImGui::InputText("title", &p.briefing_title);
        ImGui::InputInt("width", &p.briefing_width);
        ImGui::InputInt("height", &p.briefing_height);
        ImGui::TextDisabled("Renders the current view, time range, filters and layers:\n"
                            ".png, .tif, .pdf (vector, georeferenced) or .svg.");
        if (ImGui::Button("Render")) {
            Action a{Action::Kind::Briefing, p.briefing_path, p.briefing_title};
            a.width = p.briefing_width;
            a.height = p.briefing_height;
            state.actions.push_back(a);
            p.show_briefing = false;
        }
        ImGui::End();
    }
    if (p.show_animation) {
        centre();
        ImGui::Begin("Export animation", &p.show_animation, ImGuiWindowFlags_AlwaysAutoResize);
        ImGui::InputText("file", &p.animation_path);
        ImGui::InputText("title", &p.briefing_title);
        ImGui::InputInt("width", &p.briefing_width);
        ImGui::InputInt("height", &p.briefing_height);
        ImGui::TextDisabled("The timeline's range, a frame a day at its play speed (%.0f fps),\n"
                            "its window (%d days) or cumulative; .mp4, .webm or .gif.",
                            double(std::max(1.0f, state.play_days_per_second)),
                            state.play_window_days);
        if (ImGui::Button("Render")) {
            Action a{Action::Kind::ExportAnimation, p.animation_path, p.briefing_title};
            a.width = p.briefing_width;
            a.height = p.briefing_height;
            state.actions.push_back(a);
            p.show_animation = false;
        }
        ImGui::End();
    }
    if (p.show_save_view) {
        centre();
        ImGui::Begin("Save view", &p.show_save_view, ImGuiWindowFlags_AlwaysAutoResize);
        ImGui::InputText("name", &p.view_name);
        ImGui::InputText("title", &p.briefing_title);
        if (ImGui::Button("Save view")) {
            Action a{Action::Kind::SaveView, p.briefing_title, p.view_name};
            state.actions.push_back(a);
            p.show_save_view = false;
        }
        ImGui::End();
    }
    if (p.offer_restore) {
        centre();
        ImGui::Begin("Unsaved edits found", nullptr, ImGuiWindowFlags_AlwaysAutoResize);
        ImGui::TextUnformatted(p.restore_summary.c_str());
        ImGui::TextUnformatted("Restore them? (Enter: restore, Escape: discard)");
        const bool enter = ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_Enter));
        const bool escape = ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_Escape));
        if (ImGui::Button("Restore") || enter) {
            state.actions.push_back({Action::Kind::RestoreAutosave});
            p.offer_restore = false;
        }
        ImGui::SameLine();
        if (ImGui::Button("Discard") || (escape && !enter)) {
            state.actions.push_back({Action::Kind::DiscardAutosave});
            p.offer_restore = false;
        }
        ImGui::End();
    }
    if (!state.conflicts.empty() && !state.actions_pending_conflicts) {
        // Rows changed both in this window and in the file since it was read: both values,
        // and the user decides (no lost update either way). Enter keeps mine, Escape theirs.
        centre();
        ImGui::Begin("Changed in the file too", nullptr, ImGuiWindowFlags_AlwaysAutoResize);
        ImGui::Text("%zu row(s) you edited were changed by someone else since the window read "
                    "them:",
                    state.conflicts.size());
        for (std::size_t i = 0; i < state.conflicts.size() && i < 8; ++i) {
            const auto& k = state.conflicts[i];
            if (!k.theirs) {
                ImGui::BulletText("%s: deleted in the file; yours %s", k.event_id.c_str(),
                                  k.mine_removed ? "removed it too" : "keeps it");
                continue;
            }
            if (k.mine_removed) {
                ImGui::BulletText("%s: you removed it; the file changed it", k.event_id.c_str());
                continue;
            }
            ImGui::BulletText("%s:", k.event_id.c_str());
            for (const auto& col : k.columns)
                ImGui::Text("    %s: yours '%s', the file's '%s'", col.c_str(),
                            core::column_text(k.mine, col).c_str(),
                            core::column_text(*k.theirs, col).c_str());
        }
        if (state.conflicts.size() > 8) ImGui::Text("... and %zu more", state.conflicts.size() - 8);
        const bool enter = ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_Enter));
        const bool escape = ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_Escape));
        if (ImGui::Button("Keep mine") || enter) {
            state.actions.push_back({Action::Kind::KeepMine});
            state.actions_pending_conflicts = true;
        }
        ImGui::SameLine();
        if (ImGui::Button("Take theirs") || (escape && !enter)) {
            state.actions.push_back({Action::Kind::TakeTheirs});
            state.actions_pending_conflicts = true;
        }
        ImGui::End();
    }
    if (p.confirm_quit) {
        centre();
        ImGui::Begin("Unsaved changes", nullptr, ImGuiWindowFlags_AlwaysAutoResize);
        ImGui::TextUnformatted("The workspace has unsaved changes.");
        if (ImGui::Button("Save and quit")) {
            state.actions.push_back({Action::Kind::Save});
            state.actions.push_back({Action::Kind::QuitDiscard});
            p.confirm_quit = false;
        }
        ImGui::SameLine();
        if (ImGui::Button("Discard and quit")) {
            state.actions.push_back({Action::Kind::QuitDiscard});
            p.confirm_quit = false;
        }
        ImGui::SameLine();
        if (ImGui::Button("Cancel")) p.confirm_quit = false;
        ImGui::End();
    }
}

// [SECTION] layers, timeline, filters

void layers_panel(ViewerState& state) {
    bool changed = false;
    const ImGuiTableFlags flags = ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerV;
    if (!ImGui::BeginTable("layers", 4, flags)) return;
    ImGui::TableSetupColumn("shown", ImGuiTableColumnFlags_WidthFixed);
    ImGui::TableSetupColumn("order", ImGuiTableColumnFlags_WidthFixed);
    ImGui::TableSetupColumn("opacity", ImGuiTableColumnFlags_WidthFixed, 90);
    ImGui::TableSetupColumn("layer", ImGuiTableColumnFlags_WidthStretch);
    ImGui::TableHeadersRow();
    for (std::size_t i = 0; i < state.layers.size(); ++i) {
        ImGui::PushID(static_cast<int>(i));
        ImGui::TableNextRow();
        ImGui::TableSetColumnIndex(0);
        changed |= ImGui::Checkbox("##on", &state.layers[i].visible);
        ImGui::TableSetColumnIndex(1);
        if (ImGui::ArrowButton("##up", ImGuiDir_Up) && i > 0)
            std::swap(state.layers[i], state.layers[i - 1]);
        ImGui::SameLine(0, 2);
        if (ImGui::ArrowButton("##down", ImGuiDir_Down) && i + 1 < state.layers.size())
            std::swap(state.layers[i], state.layers[i + 1]);
        LayerSetting& cur = state.layers[i];
        ImGui::TableSetColumnIndex(2);
        ImGui::SetNextItemWidth(-1);
        ImGui::SliderFloat("##opacity", &cur.opacity, 0.0f, 1.0f, "%.2f");
        ImGui::TableSetColumnIndex(3);
        if (ImGui::TreeNode(cur.name.c_str())) {
            // Simple styling: one colour for the whole layer, and thicker or thinner lines.
            ImGui::Checkbox("own colour", &cur.recolor);
            if (cur.recolor) {
                ImGui::SameLine();
                ImGui::ColorEdit3("##colour", cur.color, ImGuiColorEditFlags_NoInputs);
            }
            ImGui::SetNextItemWidth(120);
            ImGui::SliderFloat("line width", &cur.line_width, 0.25f, 4.0f, "x%.2f");
            ImGui::TreePop();
        }
        ImGui::PopID();
    }
    ImGui::EndTable();
    if (changed) state.refilter();
}

/** Incidents per day under the range fields: bars over the whole span (days pooled when
 *  there are more days than pixels), those in the range dark; a click moves the range there
 *  (keeping its length). */
void histogram(ViewerState& state, float height) {
    const ImVec2 origin = ImGui::GetCursorScreenPos();
    const float width = std::max(ImGui::GetContentRegionAvail().x, 10.0f);
    ImGui::InvisibleButton("##histogram", ImVec2(width, height));
    const bool hovered = ImGui::IsItemHovered();
    const bool clicked = ImGui::IsItemClicked();
    ImDrawList* dl = ImGui::GetWindowDrawList();
    dl->AddRectFilled(origin, ImVec2(origin.x + width, origin.y + height),
                      IM_COL32(245, 245, 245, 255));
    const auto& counts = state.day_counts;
    const int days = static_cast<int>(counts.size());
    if (days == 0) return;
    const int per_bar = std::max(1, static_cast<int>(std::ceil(days / width)));
    const int bars = (days + per_bar - 1) / per_bar;
    std::vector<std::uint32_t> sums(static_cast<std::size_t>(bars));
    for (int d = 0; d < days; ++d) sums[static_cast<std::size_t>(d / per_bar)] += counts[d];
    const std::uint32_t peak = std::max(1u, *std::max_element(sums.begin(), sums.end()));
    const float bar_w = width / static_cast<float>(bars);
    for (int b = 0; b < bars; ++b) {
        if (sums[b] == 0) continue;
        const std::int32_t day = state.span_from + b * per_bar;
        const bool in_range = day + per_bar - 1 >= state.range_from && day <= state.range_to;
        const float x0 = origin.x + b * bar_w, x1 = x0 + std::max(bar_w - 1.0f, 1.0f);
        const float y0 = origin.y + height - height * static_cast<float>(sums[b]) / peak;
        dl->AddRectFilled(ImVec2(x0, std::min(y0, origin.y + height - 2)),
                          ImVec2(x1, origin.y + height),
                          in_range ? IM_COL32(40, 70, 140, 255) : IM_COL32(170, 175, 190, 255));
    }
    char peak_label[64];
    std::snprintf(peak_label, sizeof peak_label, "%u a %s at most", peak,
                  per_bar == 1 ? "day" : (std::to_string(per_bar) + " days").c_str());
    dl->AddText(ImVec2(origin.x + 4, origin.y + 1), IM_COL32(90, 90, 90, 255), peak_label);
    const float mx = ImGui::GetIO().MousePos.x;
    const int bar = std::clamp(static_cast<int>((mx - origin.x) / bar_w), 0, bars - 1);
    const std::int32_t day = state.span_from + bar * per_bar;
    if (hovered) {
        const std::string when =
            per_bar == 1 ? iso(day)
                         : iso(day) + " .. " + iso(std::min(day + per_bar - 1, state.span_to));
        ImGui::SetTooltip("%s: %u incidents (click: move the range here)", when.c_str(),
                          sums[static_cast<std::size_t>(bar)]);
    }
    if (clicked) {
        const int len = state.range_to - state.range_from;
        state.range_from = std::clamp(day - len / 2, state.span_from, state.span_to);
        state.range_to = std::min(state.span_to, state.range_from + len);
        state.refilter();
    }
}

void timeline_panel(ViewerState& state, const PanelState& p, int w, int h) {
    const MapArea area = map_area(p, w, h);
    ImGui::SetNextWindowPos(ImVec2(0, static_cast<float>(h) - kStatusHeight - kTimelineHeight),
                            ImGuiCond_Always);
    ImGui::SetNextWindowSize(ImVec2(area.x1, kTimelineHeight), ImGuiCond_Always);
    ImGui::Begin("##timeline", nullptr,
                 ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoResize | ImGuiWindowFlags_NoCollapse |
                     ImGuiWindowFlags_NoTitleBar | ImGuiWindowFlags_NoBringToFrontOnFocus |
                     ImGuiWindowFlags_NoSavedSettings | ImGuiWindowFlags_NoScrollbar);
    if (ImGui::Button(state.playing ? "Pause" : "Play", ImVec2(60, 0))) state.toggle_playback();
    ImGui::SameLine();
    ImGui::SetNextItemWidth(110);
    ImGui::SliderFloat("days/s", &state.play_days_per_second, 0.25f, 60.0f, "%.2f",
                       ImGuiSliderFlags_Logarithmic);
    ImGui::SameLine();
    ImGui::SetNextItemWidth(90);
    ImGui::SliderInt("window", &state.play_window_days, 1, 365, "%d-day",
                     ImGuiSliderFlags_Logarithmic);
    if (ImGui::IsItemHovered())
        ImGui::SetTooltip("How many days Play shows at a time when it starts from All");
    ImGui::SameLine();
    ImGui::Checkbox("cumulative", &state.cumulative);
    ImGui::SameLine();
    if (ImGui::Button("All")) {
        state.playing = false;
        state.range_from = state.span_from;
        state.range_to = state.span_to;
        state.refilter();
    }
    ImGui::SameLine();
    const std::string label = iso(state.range_from) + " .. " + iso(state.range_to);
    ImGui::TextDisabled("%s", label.c_str());
    // Lines and claims: as of the range's end, or of a day of their own (any year).
    ImGui::SameLine();
    bool own_day = !state.as_of_follows_range;
    if (ImGui::Checkbox("map as of", &own_day)) {
        state.as_of_follows_range = !own_day;
        if (own_day && state.as_of_day == 0) state.as_of_day = state.range_to;
    }
    if (ImGui::IsItemHovered())
        ImGui::SetTooltip("Draw claims and historical lines as of a day of their own (1991 to "
                          "today); off: as of the time range's end");
    if (own_day && state.as_of_max > state.as_of_min) {
        ImGui::SameLine();
        // What is left of the row (the side bar may take much of the window), at least 90 px.
        ImGui::SetNextItemWidth(std::max(90.0f, ImGui::GetContentRegionAvail().x));
        int day = std::clamp(state.as_of_day, state.as_of_min, state.as_of_max);
        if (ImGui::SliderInt("##as_of", &day, state.as_of_min, state.as_of_max, iso(day).c_str()))
            state.as_of_day = day;
    }
    int from = state.range_from, to = state.range_to;
    ImGui::SetNextItemWidth(-1);
    if (ImGui::DragIntRange2("##range", &from, &to, 0.25f, state.span_from, state.span_to,
                             iso(from).c_str(), iso(to).c_str())) {
        state.range_from = std::clamp(from, state.span_from, state.span_to);
        state.range_to = std::clamp(std::max(to, state.range_from), state.span_from, state.span_to);
        state.refilter();
    }
    histogram(state, std::max(ImGui::GetContentRegionAvail().y, 16.0f));
    ImGui::End();
}

void filters_panel(ViewerState& state, PanelState& p) {
    // Counts per value among incidents in the time range (the other filters ignored, so a
    // hidden type still shows how many it would add).
    if (p.counts_version != state.visible_version) {
        using Text = core::IncidentStore::Text;
        const core::IncidentStore& store = state.incidents;
        std::vector<long> by_type(core::kOtherEventType + 1),
            by_reporter(store.pool(Text::ReportedBy).size()),
            by_status(store.pool(Text::Status).size());
        for (std::size_t i = 0; i < store.size(); ++i) {
            const std::int32_t d = store.marks()[i].days;
            if (store.removed(i) || d < state.range_from || d > state.range_to) continue;
            ++by_type[store.marks()[i].type];
            ++by_reporter[store.text_id(Text::ReportedBy, i)];
            ++by_status[store.text_id(Text::Status, i)];
        }
        // By name, as the checkboxes list them (values with no incident in the range left out).
        auto named = [](const std::vector<long>& counts, auto name) {
            std::map<std::string, long> m;
            for (std::size_t id = 0; id < counts.size(); ++id)
                if (counts[id] > 0) m[name(id)] += counts[id];
            return std::vector<std::pair<std::string, long>>(m.begin(), m.end());
        };
        p.type_counts = named(by_type, [](std::size_t t) {
            return ViewerState::type_name(static_cast<std::uint8_t>(t));
        });
        p.reporter_counts = named(by_reporter, [&](std::size_t id) {
            return store.pool(Text::ReportedBy)[static_cast<std::uint32_t>(id)];
        });
        p.status_counts = named(by_status, [&](std::size_t id) {
            return store.pool(Text::Status)[static_cast<std::uint32_t>(id)];
        });
        p.counts_version = state.visible_version;
    }
    bool changed = false;
    auto toggles = [&](const char* title, const std::vector<std::pair<std::string, long>>& counts,
                       std::vector<std::string>& off) {
        if (!ImGui::CollapsingHeader(title, ImGuiTreeNodeFlags_DefaultOpen)) return;
        for (const auto& [value, n] : counts) {
            bool on = std::find(off.begin(), off.end(), value) == off.end();
            const std::string label =
                (value.empty() ? std::string("(none)") : value) + " (" + std::to_string(n) + ")";
            if (ImGui::Checkbox(label.c_str(), &on)) {
                if (on)
                    off.erase(std::remove(off.begin(), off.end(), value), off.end());
                else
                    off.push_back(value);
                changed = true;
            }
        }
    };
    toggles("Event type", p.type_counts, state.types_off);
    toggles("Reported by", p.reporter_counts, state.reported_by_off);
    toggles("Status", p.status_counts, state.status_off);
    ImGui::SetNextItemWidth(-60);
    changed |= ImGui::InputText("actor", &state.actor_search);
    ImGui::TextUnformatted("At least this many fatalities stated:");
    ImGui::SetNextItemWidth(-1);
    changed |= ImGui::SliderInt("##min_fatalities", &state.min_fatalities, 0, 100);
    if (changed) state.refilter();
    ImGui::Text("%zu incidents match", state.visible.size());
}

// [SECTION] tables and inspector

void incident_table(ViewerState& state, PanelState& p) {
    // The search runs on Enter: the notes are searched in the workspace (they are not in
    // memory), which at a million rows takes longer than a keystroke should. It filters the
    // map as well (ViewerState::search).
    ImGui::SetNextItemWidth(-90);
    if (ImGui::InputTextWithHint("##search", "search location, actors, notes, source (Enter)",
                                 &p.typed_search, ImGuiInputTextFlags_EnterReturnsTrue))
        state.set_search(p.typed_search);
    ImGui::SameLine();
    if (ImGui::Button("Clear", ImVec2(-1, 0))) {
        p.typed_search.clear();
        state.set_search("");
    }
    ImGui::TextDisabled("%zu of %zu incidents", state.visible.size(), state.incidents.live());
    const bool rows_stale = p.rows_version != state.visible_version;
    if (rows_stale) {
        p.rows = state.visible;
        p.rows_version = state.visible_version;
        p.rows_sort_column = -1;  // the new rows need sorting
    }
    std::vector<std::uint32_t>& rows = p.rows;
    // Columns keep readable widths and the table scrolls sideways rather than cut them;
    // what still does not fit shows whole in a tooltip.
    const ImGuiTableFlags flags = ImGuiTableFlags_Sortable | ImGuiTableFlags_RowBg |
                                  ImGuiTableFlags_ScrollY | ImGuiTableFlags_ScrollX |
                                  ImGuiTableFlags_Resizable | ImGuiTableFlags_BordersInnerV;
    if (ImGui::BeginTable("incidents", 5, flags)) {
        ImGui::TableSetupScrollFreeze(1, 1);
        // Short columns first, so that date and fatalities show without scrolling; the user
        // id is the column's meaning for the sort (column_order).
        ImGui::TableSetupColumn(
            "Date", ImGuiTableColumnFlags_DefaultSort | ImGuiTableColumnFlags_WidthFixed, 82, 0);
        ImGui::TableSetupColumn("Fatalities", ImGuiTableColumnFlags_WidthFixed, 72, 3);
        ImGui::TableSetupColumn("Type", ImGuiTableColumnFlags_WidthFixed, 175, 1);
        ImGui::TableSetupColumn("Location", ImGuiTableColumnFlags_WidthFixed, 150, 2);
        ImGui::TableSetupColumn("Reported by", ImGuiTableColumnFlags_WidthFixed, 170, 4);
        ImGui::TableHeadersRow();
        ImGuiTableSortSpecs* sort = ImGui::TableGetSortSpecs();
        if (sort && sort->SpecsCount > 0 &&
            (sort->SpecsDirty ||
             p.rows_sort_column != static_cast<int>(sort->Specs[0].ColumnUserID) ||
             p.rows_sort_ascending !=
                 (sort->Specs[0].SortDirection == ImGuiSortDirection_Ascending))) {
            const int col = static_cast<int>(sort->Specs[0].ColumnUserID);
            const bool asc = sort->Specs[0].SortDirection == ImGuiSortDirection_Ascending;
            sort->SpecsDirty = false;
            p.rows_sort_column = col;
            p.rows_sort_ascending = asc;
            // Every row in the column's order (sorted once per column and edit), walked with
            // the shown rows flagged: O(n) per change of filter, search or sort instead of a
            // sort of up to a million rows.
            const std::vector<std::uint32_t>& order = column_order(state, p, col);
            std::vector<std::uint8_t> shown(state.incidents.size());
            for (const std::uint32_t i : rows) shown[i] = 1;
            rows.clear();
            for (const std::uint32_t i : order)
                if (shown[i]) rows.push_back(i);
            if (!asc) std::reverse(rows.begin(), rows.end());
        }
        ImGuiListClipper clipper;
        clipper.Begin(static_cast<int>(rows.size()));
        while (clipper.Step()) {
            for (int r = clipper.DisplayStart; r < clipper.DisplayEnd; ++r) {
                using Text = core::IncidentStore::Text;
                const std::uint32_t i = rows[r];
                const core::IncidentMark& m = state.incidents.marks()[i];
                ImGui::TableNextRow();
                ImGui::TableSetColumnIndex(0);
                ImGui::PushID(static_cast<int>(i));
                if (ImGui::Selectable(core::Date{m.days}.iso().c_str(),
                                      state.selected == static_cast<int>(i),
                                      ImGuiSelectableFlags_SpanAllColumns)) {
                    state.selected = static_cast<int>(i);
                    p.clicked_row = static_cast<int>(i);
                    Action fly{Action::Kind::FlyTo};
                    fly.lon = m.lon;
                    fly.lat = m.lat;
                    state.actions.push_back(fly);
                }
                ImGui::PopID();
                ImGui::TableSetColumnIndex(1);
                // Unknown is not zero: a row that states no figure says so.
                if (m.fatalities >= 0)
                    ImGui::Text("%d", m.fatalities);
                else
                    ImGui::TextDisabled("not stated");
                ImGui::TableSetColumnIndex(2);
                fitted_text(ViewerState::type_name(m.type));
                ImGui::TableSetColumnIndex(3);
                fitted_text(state.incidents.text(Text::Location, i));
                ImGui::TableSetColumnIndex(4);
                fitted_text(state.incidents.text(Text::ReportedBy, i));
            }
        }
        ImGui::EndTable();
    }
}

void claims_panel(ViewerState& state) {
    const ImGuiTableFlags flags = ImGuiTableFlags_RowBg | ImGuiTableFlags_ScrollY |
                                  ImGuiTableFlags_ScrollX | ImGuiTableFlags_Resizable |
                                  ImGuiTableFlags_BordersInnerV;
    if (!ImGui::BeginTable("claims", 4, flags)) return;
    ImGui::TableSetupScrollFreeze(1, 1);
    ImGui::TableSetupColumn("Claim", ImGuiTableColumnFlags_WidthFixed, 270);
    ImGui::TableSetupColumn("Holder", ImGuiTableColumnFlags_WidthFixed, 120);
    ImGui::TableSetupColumn("Area km²", ImGuiTableColumnFlags_WidthFixed, 72);
    ImGui::TableSetupColumn("Encroachment km²", ImGuiTableColumnFlags_WidthFixed, 130);
    ImGui::TableHeadersRow();
    for (const auto& [c, facts] : state.claims) {
        ImGui::TableNextRow();
        ImGui::TableSetColumnIndex(0);
        ImGui::PushID(static_cast<int>(c.fid));
        if (ImGui::Selectable(c.name.c_str(), false, ImGuiSelectableFlags_SpanAllColumns)) {
            Action fly{Action::Kind::FlyToClaim};
            fly.fid = c.fid;  // by id: two claims may share a name
            state.actions.push_back(fly);
        }
        if (ImGui::IsItemHovered()) {
            const std::string since = c.valid_from ? core::since_text(c) : "not stated";
            const std::string until = c.valid_to ? c.valid_to->iso() : "open";
            // How the boundary was made and how far off it may be (dashed on the map when
            // approximate, core::is_approximate).
            char accuracy[64] = "not stated";
            if (c.accuracy_m)
                std::snprintf(accuracy, sizeof accuracy, "%s%g m", core::is_approximate(c)
                                                                       ? "approximate, up to "
                                                                       : "within ",
                              *c.accuracy_m);
            const std::string how = c.geometry_source.empty() ? "not stated" : c.geometry_source;
            ImGui::BeginTooltip();
            ImGui::PushTextWrapPos(ImGui::GetFontSize() * 30);
            ImGui::Text("%s\n%s\nclaimant: %s\nholder: %s\nsovereign: %s\nsince: %s  until: %s",
                        c.name.c_str(), c.kind.c_str(), c.claimant.c_str(), c.holder.c_str(),
                        c.sovereign.c_str(), since.c_str(), until.c_str());
            ImGui::Text("boundary: %s", accuracy);
            ImGui::TextWrapped("geometry: %s", how.c_str());
            ImGui::PopTextWrapPos();
            ImGui::EndTooltip();
        }
        ImGui::PopID();
        ImGui::TableSetColumnIndex(1);
        fitted_text(c.holder);
        ImGui::TableSetColumnIndex(2);
        ImGui::Text("%.1f", facts.area_km2);
        ImGui::TableSetColumnIndex(3);
        if (facts.encroachment_km2)
            ImGui::Text("%.1f", *facts.encroachment_km2);
        else
            ImGui::TextDisabled("n/a");
    }
    ImGui::EndTable();
}

/** The selected incident: what it says and who said it first (notes, source, reporter,
 *  status), then every field under a readable name; Edit and Delete on top. */
void inspector(ViewerState& state, PanelState& p) {
    const core::Incident* row = read_row(state, static_cast<std::size_t>(state.selected));
    if (!row) {
        state.selected = -1;
        return;
    }
    const core::Incident inc = *row;  // a copy: Delete below changes the store
    if (ImGui::Button("Edit")) open_edit_incident(p, state, state.selected);
    ImGui::SameLine();
    if (ImGui::Button("Delete")) {
        state.remove(static_cast<std::size_t>(state.selected));
        return;
    }
    ImGui::SameLine();
    if (ImGui::Button("Close")) {
        state.selected = -1;
        return;
    }
    ImGui::TextWrapped("%s, %s", inc.event_type.c_str(), inc.event_date.iso().c_str());
    std::string place = inc.location.empty() ? std::string("(no place name)") : inc.location;
    for (const std::string* part : {&inc.admin1, &inc.country})
        if (!part->empty()) place += ", " + *part;
    ImGui::TextWrapped("%s", place.c_str());
    ImGui::Separator();
    if (!ImGui::BeginTable(
            "attributes", 2,
            ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerV | ImGuiTableFlags_ScrollY))
        return;
    ImGui::TableSetupColumn("field", ImGuiTableColumnFlags_WidthFixed, 125);
    ImGui::TableSetupColumn("value", ImGuiTableColumnFlags_WidthStretch);
    const std::string fatalities = inc.fatalities ? std::to_string(*inc.fatalities) : std::string();
    text_row("Notes", inc.notes, "none");
    text_row("Source", inc.source, "not stated");
    text_row("Source URL", inc.source_url);
    text_row("Reported by", inc.reported_by, "not stated");
    text_row("Status", inc.status);
    text_row("Fatalities", fatalities, "not stated");
    text_row("Event date", inc.event_date.iso());
    char where[64];
    std::snprintf(where, sizeof where, "%.5f, %.5f", inc.lat, inc.lon);
    text_row("Latitude, longitude", where);
    static const std::vector<std::string_view> shown = {
        "notes", "source", "source_url", "reported_by", "status", "fatalities", "event_date"};
    for (const auto& c : core::incident_columns()) {
        if (std::find(shown.begin(), shown.end(), c.name) != shown.end()) continue;
        if (c.type == core::ColumnType::Text)
            text_row(field_label(c.name), inc.*c.text);
        else if (c.type == core::ColumnType::Integer)
            text_row(field_label(c.name),
                     (inc.*c.integer) ? std::to_string(*(inc.*c.integer)) : std::string());
    }
    ImGui::EndTable();
}

ImU32 im_color(map::Rgba c) {
    return IM_COL32(c.r, c.g, c.b, c.a);
}

/** One symbol key with ImGui shapes: the shape's outline band over its fill, at centre c. */
void symbol_key(ImDrawList* dl, ImVec2 c, const map::Symbol& s) {
    const float r = std::min(s.size_px, 22.0f) / 2, o = std::min(s.outline_px, r / 2);
    auto shape = [&](float rr, ImU32 col) {
        switch (s.shape) {
            case map::Shape::Square:
                dl->AddRectFilled({c.x - rr, c.y - rr}, {c.x + rr, c.y + rr}, col);
                break;
            case map::Shape::Triangle:
                dl->AddTriangleFilled({c.x, c.y - rr}, {c.x + rr, c.y + rr * 0.8f},
                                      {c.x - rr, c.y + rr * 0.8f}, col);
                break;
            case map::Shape::Diamond:
                dl->AddQuadFilled({c.x, c.y - rr}, {c.x + rr, c.y}, {c.x, c.y + rr},
                                  {c.x - rr, c.y}, col);
                break;
            case map::Shape::Cross:
                dl->AddRectFilled({c.x - rr, c.y - rr / 3}, {c.x + rr, c.y + rr / 3}, col);
                dl->AddRectFilled({c.x - rr / 3, c.y - rr}, {c.x + rr / 3, c.y + rr}, col);
                break;
            case map::Shape::Star: dl->AddNgonFilled(c, rr, col, 5); break;
            default: dl->AddCircleFilled(c, rr, col, 20);
        }
    };
    if (s.shape != map::Shape::Disc && o > 0) shape(r, im_color(s.outline));
    shape(s.shape == map::Shape::Disc ? r : r - o, s.fill_style == map::SymbolFill::Hollow
                                                       ? IM_COL32(255, 255, 255, 255)
                                                       : im_color(s.fill));
}

/** The Legend tab: the briefing's legend rows for what the window shows, keys drawn with
 *  ImGui shapes (symbol, disc, swatch, line) in the rows' own colours. */
void legend_panel(const ViewerState& state) {
    if (state.legend.empty()) {
        ImGui::TextDisabled("nothing shown");
        return;
    }
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const float key = 22.0f;
    for (const map::LegendEntry& e : state.legend) {
        const ImVec2 at = ImGui::GetCursorScreenPos();
        const ImVec2 c(at.x + key / 2, at.y + key / 2);
        if (e.kind == 0) {
            if (e.framed)
                dl->AddCircleFilled(c, std::min(e.symbol.size_px, 22.0f) / 2 + 1,
                                    IM_COL32(80, 80, 80, 255));
            symbol_key(dl, c, e.symbol);
            if (!e.badge.empty()) {
                const ImVec2 t = ImGui::CalcTextSize(e.badge.c_str());
                dl->AddText({c.x - t.x / 2, c.y - t.y / 2}, IM_COL32(255, 255, 255, 255),
                            e.badge.c_str());
            }
        } else if (e.kind == 1) {
            dl->AddCircleFilled(c, key / 2 - 2, IM_COL32(120, 120, 160, 90), 20);
        } else if (e.kind == 2) {
            dl->AddRectFilled({c.x - 8, c.y - 8}, {c.x + 8, c.y + 8}, im_color(e.fill.color));
            if (e.fill.hatch_spacing_px > 0)
                for (float d = -16; d < 16; d += 5)
                    dl->AddLine({c.x - 8 + std::max(0.0f, d), c.y + 8 - std::max(0.0f, -d)},
                                {c.x + 8 + std::min(0.0f, d), c.y - 8 - std::min(0.0f, d)},
                                im_color(e.fill.hatch));
            if (e.line.width_px > 0)
                dl->AddRect({c.x - 8, c.y - 8}, {c.x + 8, c.y + 8}, im_color(e.line.color), 0, 0,
                            std::max(1.0f, e.line.width_px));
        } else {
            const float w = std::clamp(e.line.width_px, 1.0f, 4.0f);
            if (e.line.dash_px > 0)
                for (float x = c.x - 10; x < c.x + 10; x += e.line.dash_px + e.line.gap_px)
                    dl->AddLine({x, c.y}, {std::min(x + e.line.dash_px, c.x + 10), c.y},
                                im_color(e.line.color), w);
            else
                dl->AddLine({c.x - 10, c.y}, {c.x + 10, c.y}, im_color(e.line.color), w);
        }
        float x = at.x + key + 6;
        for (const map::Symbol& more : e.more) {
            const float r = std::min(more.size_px, 22.0f) / 2;
            symbol_key(dl, {x + r, c.y}, more);
            x += 2 * r + 4;
        }
        ImGui::SetCursorScreenPos({x, at.y + (key - ImGui::GetTextLineHeight()) / 2});
        ImGui::TextUnformatted(e.label.c_str());
        ImGui::SetCursorScreenPos({at.x, at.y + key + 2});
    }
    ImGui::Dummy({1, 1});
}

/** The side bar: Incidents, Claims, Layers and Filters as tabs, the inspector under them
 *  while an incident is selected; collapsed, a strip with the arrow that opens it. A further
 *  tab (a legend) is one more BeginTabItem here. */
void sidebar(ViewerState& state, PanelState& p, int w, int h) {
    const float top = p.menu_height, height = static_cast<float>(h) - kStatusHeight - top;
    const ImGuiWindowFlags fixed = ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoResize |
                                   ImGuiWindowFlags_NoCollapse | ImGuiWindowFlags_NoTitleBar |
                                   ImGuiWindowFlags_NoBringToFrontOnFocus |
                                   ImGuiWindowFlags_NoSavedSettings;
    if (!p.sidebar_open) {
        ImGui::SetNextWindowPos(ImVec2(static_cast<float>(w) - kSidebarStrip, top),
                                ImGuiCond_Always);
        ImGui::SetNextWindowSize(ImVec2(kSidebarStrip, height), ImGuiCond_Always);
        ImGui::PushStyleVar(ImGuiStyleVar_WindowPadding, ImVec2(2, 6));
        ImGui::Begin("##sidebar_strip", nullptr, fixed);
        if (ImGui::Button("«")) p.sidebar_open = true;
        if (ImGui::IsItemHovered())
            ImGui::SetTooltip("Show the side bar: incidents, claims, layers, filters");
        ImGui::End();
        ImGui::PopStyleVar();
        return;
    }
    const float sw = sidebar_width(w);
    ImGui::SetNextWindowPos(ImVec2(static_cast<float>(w) - sw, top), ImGuiCond_Always);
    ImGui::SetNextWindowSize(ImVec2(sw, height), ImGuiCond_Always);
    ImGui::Begin("##sidebar", nullptr, fixed);
    const bool inspecting = !state.loading && state.selected >= 0 &&
                            state.selected < static_cast<int>(state.incidents.size());
    const float inspector_h = inspecting ? std::floor(ImGui::GetContentRegionAvail().y * 0.5f) : 0;
    ImGui::BeginChild("##tabs", ImVec2(0, inspecting ? -inspector_h : 0));
    if (ImGui::Button("»")) p.sidebar_open = false;
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("Collapse the side bar (Tab hides every panel)");
    ImGui::SameLine();
    if (ImGui::BeginTabBar("##sidebar_tabs")) {
        if (ImGui::BeginTabItem("Incidents")) {
            if (state.loading)
                ImGui::TextDisabled("loading...");
            else
                incident_table(state, p);
            ImGui::EndTabItem();
        }
        if (ImGui::BeginTabItem("Claims")) {
            claims_panel(state);
            ImGui::EndTabItem();
        }
        if (ImGui::BeginTabItem("Layers")) {
            layers_panel(state);
            ImGui::EndTabItem();
        }
        if (ImGui::BeginTabItem("Filters")) {
            if (state.loading)
                ImGui::TextDisabled("loading...");
            else
                filters_panel(state, p);
            ImGui::EndTabItem();
        }
        if (ImGui::BeginTabItem("Legend")) {
            legend_panel(state);
            ImGui::EndTabItem();
        }
        ImGui::EndTabBar();
    }
    ImGui::EndChild();
    if (inspecting) {
        ImGui::Separator();
        ImGui::BeginChild("##inspector");
        inspector(state, p);
        ImGui::EndChild();
    }
    ImGui::End();
}

// [SECTION] forms

void incident_form(ViewerState& state, PanelState& p) {
    if (!p.form_open) return;
    ImGui::SetNextWindowPos(ImGui::GetMainViewport()->GetCenter(), ImGuiCond_Appearing,
                            ImVec2(0.5f, 0.5f));
    ImGui::Begin(p.form_index < 0 ? "New incident" : "Edit incident", &p.form_open,
                 ImGuiWindowFlags_AlwaysAutoResize);
    ImGui::InputText("date (YYYY-MM-DD)", &p.form_date);
    if (ImGui::BeginCombo("event type", p.form.event_type.c_str())) {
        for (auto t : core::kEventTypes)
            if (ImGui::Selectable(std::string(t).c_str(), p.form.event_type == t)) {
                p.form.event_type = std::string(t);
                p.form.sub_event_type.clear();
            }
        ImGui::EndCombo();
    }
    ImGui::InputText("sub-event type", &p.form.sub_event_type);
    ImGui::InputText("location", &p.form.location);
    ImGui::InputText("province (admin1)", &p.form.admin1);
    ImGui::InputText("country", &p.form.country);
    ImGui::InputDouble("longitude", &p.form.lon, 0, 0, "%.5f");
    ImGui::InputDouble("latitude", &p.form.lat, 0, 0, "%.5f");
    ImGui::InputText("actor 1", &p.form.actor1);
    ImGui::InputText("actor 2", &p.form.actor2);
    ImGui::InputTextWithHint("fatalities", "empty: not stated", &p.form_fatalities);
    ImGui::InputText("reported by", &p.form.reported_by);
    if (ImGui::BeginCombo("status", p.form.status.c_str())) {
        for (auto s : core::kStatuses)
            if (ImGui::Selectable(std::string(s).c_str(), p.form.status == s))
                p.form.status = std::string(s);
        ImGui::EndCombo();
    }
    ImGui::InputText("source", &p.form.source);
    ImGui::InputText("source URL", &p.form.source_url);
    ImGui::InputTextMultiline("notes", &p.form.notes, ImVec2(0, 60));
    for (const auto& problem : p.form_problems)
        ImGui::TextColored(ImVec4(0.8f, 0.1f, 0.1f, 1), "%s", problem.c_str());
    if (ImGui::Button("OK")) {
        core::Incident inc = p.form;
        p.form_problems.clear();
        if (auto d = core::parse_date(p.form_date))
            inc.event_date = *d;
        else
            p.form_problems.push_back("date: '" + p.form_date + "' is not a date");
        inc.fatalities.reset();
        if (!p.form_fatalities.empty()) {
            char* end = nullptr;
            const long long v = std::strtoll(p.form_fatalities.c_str(), &end, 10);
            if (*end)
                p.form_problems.push_back("fatalities: not a whole number");
            else
                inc.fatalities = v;
        }
        const auto type = core::canonical_event_type(inc.event_type);
        if (!type.empty()) {
            inc.event_type = std::string(type);
            const auto sub = core::canonical_sub_event_type(type, inc.sub_event_type);
            if (!sub.empty()) inc.sub_event_type = std::string(sub);
        }
        if (inc.status.empty()) inc.status = "reported";
        for (auto& problem : validate_incident(inc))
            if (!(problem.rfind("date", 0) == 0 && !p.form_problems.empty()))
                p.form_problems.push_back(problem);
        if (p.form_problems.empty()) {
            if (p.form_index < 0)
                state.add(inc);
            else
                state.change(static_cast<std::size_t>(p.form_index), inc);
            p.form_open = false;
        }
    }
    ImGui::SameLine();
    if (ImGui::Button("Cancel")) p.form_open = false;
    ImGui::End();
}

void claim_tool(PanelState& p) {
    if (!p.draw_claim) return;
    ImGui::SetNextWindowPos(ImVec2(290, 40), ImGuiCond_FirstUseEver);
    ImGui::Begin("Draw claim", &p.draw_claim, ImGuiWindowFlags_AlwaysAutoResize);
    ImGui::Text("%zu vertices (click on the map to add)", p.claim_vertices.size());
    ImGui::InputText("name", &p.claim_name);
    ImGui::InputText("claimant (whose statement)", &p.claim_claimant);
    ImGui::InputText("holder", &p.claim_holder);
    ImGui::InputText("sovereign", &p.claim_sovereign);
    if (ImGui::BeginCombo("kind", p.claim_kind.c_str())) {
        for (auto k : core::kClaimKinds)
            if (ImGui::Selectable(std::string(k).c_str(), p.claim_kind == k))
                p.claim_kind = std::string(k);
        ImGui::EndCombo();
    }
    ImGui::InputText("source", &p.claim_source);
    for (const auto& problem : p.claim_problems)
        ImGui::TextColored(ImVec4(0.8f, 0.1f, 0.1f, 1), "%s", problem.c_str());
    if (ImGui::Button("Remove last vertex") && !p.claim_vertices.empty())
        p.claim_vertices.pop_back();
    ImGui::SameLine();
    if (ImGui::Button("Finish")) p.claim_ready = true;
    ImGui::End();
}

}  // namespace

float sidebar_width(int w) {
    return std::clamp(std::floor(static_cast<float>(w) * 0.34f), 360.0f, 560.0f);
}

MapArea map_area(const PanelState& p, int w, int h) {
    MapArea a{0, p.menu_height, static_cast<float>(w), static_cast<float>(h) - kStatusHeight};
    if (!p.hide_panels) {
        a.x1 -= p.sidebar_open ? sidebar_width(w) : kSidebarStrip;
        a.y1 -= kTimelineHeight;
    }
    // A window too small for the panels: the map is under them all, as it is drawn.
    if (a.x1 - a.x0 < 80 || a.y1 - a.y0 < 60)
        a = {0, 0, static_cast<float>(w), static_cast<float>(h)};
    return a;
}

void open_new_incident(PanelState& p, double lon, double lat, std::int32_t days,
                       const std::string& country, const std::string& admin1) {
    p.form = core::Incident{};
    p.form.lon = lon;
    p.form.lat = lat;
    p.form.status = "reported";
    p.form.time_precision = 1;
    p.form.geo_precision = 1;
    p.form.country = country;
    p.form.admin1 = admin1;
    p.form_date = core::Date{days}.iso();
    p.form_fatalities.clear();
    p.form_index = -1;
    p.form_problems.clear();
    p.form_open = true;
}

void open_edit_incident(PanelState& p, ViewerState& state, int index) {
    const core::Incident* row = read_row(state, static_cast<std::size_t>(index));
    if (!row) return;
    p.form = *row;
    p.form_date = p.form.event_date.iso();
    p.form_fatalities = p.form.fatalities ? std::to_string(*p.form.fatalities) : std::string();
    p.form_index = index;
    p.form_problems.clear();
    p.form_open = true;
}

void draw_tooltip(ViewerState& state, std::size_t index) {
    const core::Incident* row = read_row(state, index);
    if (!row) return;
    const core::Incident& inc = *row;
    ImGui::BeginTooltip();
    ImGui::Text("%s  %s", inc.event_date.iso().c_str(), inc.event_type.c_str());
    if (!inc.sub_event_type.empty()) ImGui::TextDisabled("%s", inc.sub_event_type.c_str());
    ImGui::Text("%s", inc.location.empty() ? "(no place name)" : inc.location.c_str());
    ImGui::Text("fatalities: %s", fatalities_text(inc).c_str());
    ImGui::Text("reported by: %s (%s)", inc.reported_by.c_str(), inc.status.c_str());
    ImGui::EndTooltip();
}

/** While the incidents load: a progress bar, centred. The map (basemap, claims) and the
 *  layers stay usable; what reads or edits incidents waits for the load. */
void loading_panel(const ViewerState& state) {
    const ImVec2 c = ImGui::GetMainViewport()->GetCenter();
    ImGui::SetNextWindowPos(ImVec2(c.x, 60), ImGuiCond_Always, ImVec2(0.5f, 0.0f));
    ImGui::SetNextWindowSize(ImVec2(360, 0), ImGuiCond_Always);
    ImGui::Begin("Loading", nullptr, ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoInputs);
    ImGui::TextUnformatted("Loading incidents...");
    ImGui::ProgressBar(static_cast<float>(state.load_fraction), ImVec2(-1, 0));
    ImGui::End();
}

void draw_panels(ViewerState& state, PanelState& panels, int w, int h) {
    panels.clicked_row = -1;
    menu_bar(state, panels);
    // Tab hides every panel (and shows them again), unless a text field takes the key.
    if (!ImGui::GetIO().WantTextInput && ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_Tab)))
        panels.hide_panels = !panels.hide_panels;
    if (!panels.hide_panels) sidebar(state, panels, w, h);
    claim_tool(panels);
    if (state.loading) {
        panels.add_mode = false;
        loading_panel(state);
        return;
    }
    if (!panels.hide_panels) timeline_panel(state, panels, w, h);
    incident_form(state, panels);
    dialogs(state, panels);
}

}  // namespace limes::ui
