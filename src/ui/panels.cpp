#include "ui/panels.hpp"
#include "core/text.hpp"

#include <imgui.h>
#include <imgui_stdlib.h>

#include <algorithm>
#include <cctype>
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

/** The rows of visible whose location, actors, source, reporter or notes contain search
 *  (ASCII case ignored), in the order of visible. */
std::vector<std::uint32_t> search_rows(ViewerState& state, const std::string& search) {
    if (search.empty()) return state.visible;
    using Text = core::IncidentStore::Text;
    const core::IncidentStore& store = state.incidents;
    const std::string needle = core::to_lower(search);
    // One test per distinct value, not per row.
    auto matches = [&](Text column) {
        const core::StringPool& pool = store.pool(column);
        std::vector<std::uint8_t> m(pool.size());
        for (std::size_t id = 0; id < pool.size(); ++id)
            m[id] = core::to_lower(pool[static_cast<std::uint32_t>(id)]).find(needle) !=
                    std::string::npos;
        return m;
    };
    const auto location = matches(Text::Location), actor = matches(Text::Actor1),
               source = matches(Text::Source), reporter = matches(Text::ReportedBy);
    std::vector<std::int64_t> notes;  // fids, ascending
    if (state.find_in_notes) {
        try {
            notes = state.find_in_notes(search);
        } catch (const std::exception& e) {
            state.messages.push_back(std::string("error: searching the notes: ") + e.what());
        }
    }
    std::vector<std::uint32_t> out;
    for (std::uint32_t i : state.visible) {
        bool hit = location[store.text_id(Text::Location, i)] ||
                   actor[store.text_id(Text::Actor1, i)] || actor[store.text_id(Text::Actor2, i)] ||
                   source[store.text_id(Text::Source, i)] ||
                   reporter[store.text_id(Text::ReportedBy, i)];
        if (!hit) {
            if (const core::Incident* e = store.edited(i))
                hit = core::to_lower(e->notes).find(needle) != std::string::npos;
            else
                hit = std::binary_search(notes.begin(), notes.end(), store.fid(i));
        }
        if (hit) out.push_back(i);
    }
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
            case 3: return marks[a].fatalities < marks[b].fatalities;
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

void text_row(const char* label, const std::string& value) {
    ImGui::TableNextRow();
    ImGui::TableSetColumnIndex(0);
    ImGui::TextUnformatted(label);
    ImGui::TableSetColumnIndex(1);
    ImGui::TextWrapped("%s", value.empty() ? "-" : value.c_str());
}

// [SECTION] menu and dialogs

void menu_bar(ViewerState& state, PanelState& p) {
    if (!ImGui::BeginMainMenuBar()) return;
    if (ImGui::BeginMenu("File")) {
        if (ImGui::MenuItem("Save", "Ctrl+S", false, state.dirty))
            state.actions.push_back({Action::Kind::Save});
        if (ImGui::MenuItem("Export GeoJSON...")) p.show_export = true;
        if (ImGui::MenuItem("Briefing...")) p.show_briefing = true;
        if (ImGui::MenuItem("Save view...")) p.show_save_view = true;
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
        if (ImGui::MenuItem("Fit")) state.actions.push_back({Action::Kind::Fit});
        const char* names[] = {"Symbols", "Clusters", "Heatmap", "Automatic (by zoom)"};
        for (int m = 0; m < 4; ++m)
            if (ImGui::MenuItem(names[m], nullptr, state.mode == static_cast<SymbolMode>(m)))
                state.mode = static_cast<SymbolMode>(m);
        ImGui::EndMenu();
    }
    if (state.loading)
        ImGui::TextDisabled("| loading incidents: %.0f %%", state.load_fraction * 100.0);
    else
        ImGui::TextDisabled("| %zu of %zu incidents shown%s", state.visible.size(),
                            state.incidents.live(), state.dirty ? "  (unsaved changes)" : "");
    ImGui::EndMainMenuBar();
}

void dialogs(ViewerState& state, PanelState& p) {
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
        ImGui::TextDisabled("Renders the current view, time range, filters and layers.");
        if (ImGui::Button("Render")) {
            Action a{Action::Kind::Briefing, p.briefing_path, p.briefing_title};
            a.width = p.briefing_width;
            a.height = p.briefing_height;
            state.actions.push_back(a);
            p.show_briefing = false;
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
    ImGui::SetNextWindowPos(ImVec2(10, 30), ImGuiCond_FirstUseEver);
    ImGui::SetNextWindowSize(ImVec2(260, 230), ImGuiCond_FirstUseEver);
    ImGui::Begin("Layers");
    bool changed = false;
    for (std::size_t i = 0; i < state.layers.size(); ++i) {
        LayerSetting& l = state.layers[i];
        ImGui::PushID(static_cast<int>(i));
        changed |= ImGui::Checkbox("##on", &l.visible);
        ImGui::SameLine();
        ImGui::SetNextItemWidth(80);
        ImGui::SliderFloat("##opacity", &l.opacity, 0.0f, 1.0f, "%.2f");
        ImGui::SameLine();
        if (ImGui::ArrowButton("##up", ImGuiDir_Up) && i > 0)
            std::swap(state.layers[i], state.layers[i - 1]);
        ImGui::SameLine();
        if (ImGui::ArrowButton("##down", ImGuiDir_Down) && i + 1 < state.layers.size())
            std::swap(state.layers[i], state.layers[i + 1]);
        ImGui::SameLine();
        LayerSetting& cur = state.layers[i];
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
    if (changed) state.refilter();
    ImGui::End();
}

void timeline_panel(ViewerState& state, int w, int h) {
    ImGui::SetNextWindowPos(ImVec2(280, static_cast<float>(h) - 110), ImGuiCond_FirstUseEver);
    ImGui::SetNextWindowSize(ImVec2(static_cast<float>(w) - 580, 100), ImGuiCond_FirstUseEver);
    ImGui::Begin("Timeline");
    int from = state.range_from, to = state.range_to;
    const std::string label = iso(from) + " .. " + iso(to);
    ImGui::SetNextItemWidth(-1);
    if (ImGui::DragIntRange2("##range", &from, &to, 0.25f, state.span_from, state.span_to,
                             iso(from).c_str(), iso(to).c_str())) {
        state.range_from = std::clamp(from, state.span_from, state.span_to);
        state.range_to = std::clamp(std::max(to, state.range_from), state.span_from, state.span_to);
        state.refilter();
    }
    if (ImGui::Button(state.playing ? "Pause" : "Play")) state.playing = !state.playing;
    ImGui::SameLine();
    ImGui::SetNextItemWidth(120);
    ImGui::SliderFloat("days/s", &state.play_days_per_second, 0.25f, 60.0f, "%.2f",
                       ImGuiSliderFlags_Logarithmic);
    ImGui::SameLine();
    ImGui::Checkbox("cumulative", &state.cumulative);
    ImGui::SameLine();
    if (ImGui::Button("All")) {
        state.range_from = state.span_from;
        state.range_to = state.span_to;
        state.refilter();
    }
    ImGui::SameLine();
    ImGui::TextDisabled("%s", label.c_str());
    ImGui::End();
}

void filters_panel(ViewerState& state, PanelState& p) {
    ImGui::SetNextWindowPos(ImVec2(10, 270), ImGuiCond_FirstUseEver);
    ImGui::SetNextWindowSize(ImVec2(260, 330), ImGuiCond_FirstUseEver);
    ImGui::Begin("Filters");
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
    changed |= ImGui::InputText("actor", &state.actor_search);
    changed |= ImGui::SliderInt("min. fatalities", &state.min_fatalities, 0, 100);
    if (changed) state.refilter();
    ImGui::Text("%zu incidents match", state.visible.size());
    ImGui::End();
}

// [SECTION] tables and inspector

void incident_table(ViewerState& state, PanelState& p, int w) {
    ImGui::SetNextWindowPos(ImVec2(static_cast<float>(w) - 430, 30), ImGuiCond_FirstUseEver);
    ImGui::SetNextWindowSize(ImVec2(420, 300), ImGuiCond_FirstUseEver);
    ImGui::Begin("Incidents");
    // The search runs on Enter: the notes are searched in the workspace (they are not in
    // memory), which at a million rows takes longer than a keystroke should.
    if (ImGui::InputTextWithHint("##search", "search location, actors, notes, source (Enter)",
                                 &p.typed_search, ImGuiInputTextFlags_EnterReturnsTrue))
        p.table_search = p.typed_search;
    const bool rows_stale =
        p.rows_version != state.visible_version || p.rows_search != p.table_search;
    if (rows_stale) {
        p.rows = search_rows(state, p.table_search);
        p.rows_version = state.visible_version;
        p.rows_search = p.table_search;
        p.rows_sort_column = -1;  // the new rows need sorting
    }
    std::vector<std::uint32_t>& rows = p.rows;
    const ImGuiTableFlags flags = ImGuiTableFlags_Sortable | ImGuiTableFlags_RowBg |
                                  ImGuiTableFlags_ScrollY | ImGuiTableFlags_Resizable |
                                  ImGuiTableFlags_BordersInnerV;
    if (ImGui::BeginTable("incidents", 5, flags)) {
        ImGui::TableSetupScrollFreeze(0, 1);
        ImGui::TableSetupColumn("date", ImGuiTableColumnFlags_DefaultSort);
        ImGui::TableSetupColumn("type");
        ImGui::TableSetupColumn("location");
        ImGui::TableSetupColumn("dead");
        ImGui::TableSetupColumn("reported by");
        ImGui::TableHeadersRow();
        ImGuiTableSortSpecs* sort = ImGui::TableGetSortSpecs();
        if (sort && sort->SpecsCount > 0 &&
            (sort->SpecsDirty || p.rows_sort_column != sort->Specs[0].ColumnIndex ||
             p.rows_sort_ascending !=
                 (sort->Specs[0].SortDirection == ImGuiSortDirection_Ascending))) {
            const int col = sort->Specs[0].ColumnIndex;
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
                ImGui::TextUnformatted(ViewerState::type_name(m.type).c_str());
                ImGui::TableSetColumnIndex(2);
                ImGui::TextUnformatted(state.incidents.text(Text::Location, i).c_str());
                ImGui::TableSetColumnIndex(3);
                ImGui::TextUnformatted(m.fatalities >= 0 ? std::to_string(m.fatalities).c_str()
                                                         : "");
                ImGui::TableSetColumnIndex(4);
                ImGui::TextUnformatted(state.incidents.text(Text::ReportedBy, i).c_str());
            }
        }
        ImGui::EndTable();
    }
    ImGui::End();
}

void claims_panel(ViewerState& state, int w) {
    ImGui::SetNextWindowPos(ImVec2(static_cast<float>(w) - 430, 340), ImGuiCond_FirstUseEver);
    ImGui::SetNextWindowSize(ImVec2(420, 160), ImGuiCond_FirstUseEver);
    ImGui::Begin("Claims");
    if (ImGui::BeginTable("claims", 4, ImGuiTableFlags_RowBg | ImGuiTableFlags_ScrollY)) {
        ImGui::TableSetupColumn("claim");
        ImGui::TableSetupColumn("holder");
        ImGui::TableSetupColumn("km2");
        ImGui::TableSetupColumn("encroachment km2");
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
                const std::string since = c.valid_from ? c.valid_from->iso() : "not stated";
                ImGui::SetTooltip("%s\nclaimant: %s\nsovereign: %s\nsince: %s", c.kind.c_str(),
                                  c.claimant.c_str(), c.sovereign.c_str(), since.c_str());
            }
            ImGui::PopID();
            ImGui::TableSetColumnIndex(1);
            ImGui::TextUnformatted(c.holder.c_str());
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
    ImGui::End();
}

void inspector(ViewerState& state, PanelState& p, int w, int h) {
    if (state.selected < 0 || state.selected >= static_cast<int>(state.incidents.size())) return;
    const core::Incident* row = read_row(state, static_cast<std::size_t>(state.selected));
    if (!row) {
        state.selected = -1;
        return;
    }
    const core::Incident& inc = *row;
    ImGui::SetNextWindowPos(ImVec2(static_cast<float>(w) - 430, 340), ImGuiCond_Appearing);
    ImGui::SetNextWindowSize(
        ImVec2(420, std::max(150.0f, std::min(300.0f, static_cast<float>(h) - 380))),
        ImGuiCond_Appearing);
    bool open = true;
    ImGui::Begin("Inspector", &open);
    if (ImGui::BeginTable("attributes", 2, ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerV)) {
        ImGui::TableSetupColumn("field", ImGuiTableColumnFlags_WidthFixed, 120);
        ImGui::TableSetupColumn("value");
        text_row("event_date", inc.event_date.iso());
        text_row("longitude", std::to_string(inc.lon));
        text_row("latitude", std::to_string(inc.lat));
        for (const auto& c : core::incident_columns()) {
            if (c.type == core::ColumnType::Text)
                text_row(std::string(c.name).c_str(), inc.*c.text);
            else if (c.type == core::ColumnType::Integer)
                text_row(std::string(c.name).c_str(),
                         (inc.*c.integer) ? std::to_string(*(inc.*c.integer)) : std::string());
        }
        ImGui::EndTable();
    }
    if (ImGui::Button("Edit")) open_edit_incident(p, state, state.selected);
    ImGui::SameLine();
    if (ImGui::Button("Delete")) state.remove(static_cast<std::size_t>(state.selected));
    ImGui::End();
    if (!open) state.selected = -1;
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
    ImGui::InputDouble("longitude", &p.form.lon, 0, 0, "%.5f");
    ImGui::InputDouble("latitude", &p.form.lat, 0, 0, "%.5f");
    ImGui::InputText("actor 1", &p.form.actor1);
    ImGui::InputText("actor 2", &p.form.actor2);
    ImGui::InputText("fatalities", &p.form_fatalities);
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

void open_new_incident(PanelState& p, double lon, double lat) {
    p.form = core::Incident{};
    p.form.lon = lon;
    p.form.lat = lat;
    p.form.status = "reported";
    p.form.time_precision = 1;
    p.form.geo_precision = 1;
    p.form_date.clear();
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
    layers_panel(state);
    claims_panel(state, w);
    claim_tool(panels);
    if (state.loading) {
        panels.add_mode = false;
        loading_panel(state);
        return;
    }
    filters_panel(state, panels);
    timeline_panel(state, w, h);
    incident_table(state, panels, w);
    inspector(state, panels, w, h);
    incident_form(state, panels);
    dialogs(state, panels);
}

}  // namespace limes::ui
