#pragma once
// The viewer's ImGui panels: menu, layers, timeline, filters, incident table, claims,
// inspector, incident form, claim drawing, and the dialogs (export, briefing, save view,
// unsaved changes). They read and change ViewerState and queue Actions; nothing else.
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "core/claim.hpp"
#include "core/geometry.hpp"
#include "ui/viewer_state.hpp"

namespace limes::ui {

/** UI-only state that lives between frames: open dialogs, form contents, search text. */
struct PanelState {
    bool show_export = false, show_briefing = false, show_save_view = false;
    bool confirm_quit = false;    ///< the unsaved-changes question is open
    bool offer_restore = false;   ///< an autosave of unsaved edits was found: restore or discard
    std::string restore_summary;  ///< what the autosave holds, for the question
    std::string export_path = "export.geojson", export_layer = "incidents";
    std::string briefing_path = "briefing.png", briefing_title = "Reported incidents";
    int briefing_width = 1920, briefing_height = 1080;
    std::string view_name = "my view";
    std::string typed_search;  ///< the search box's text
    std::string table_search;  ///< the search in force (taken from the box on Enter)

    // The incident form (add or edit). form_index < 0: a new incident.
    bool form_open = false;
    int form_index = -1;
    core::Incident form;
    std::string form_date, form_fatalities;
    std::vector<std::string> form_problems;

    // Map tools: the next map click places a new incident / adds a claim vertex.
    bool add_mode = false;
    bool draw_claim = false;
    core::Ring claim_vertices;  ///< lon/lat, open ring while drawing
    std::string claim_name, claim_claimant, claim_holder, claim_sovereign,
        claim_kind = "controlled", claim_source;
    std::vector<std::string> claim_problems;
    bool claim_ready = false;  ///< "Finish" pressed: the app validates and adds the claim

    int clicked_row = -1;  ///< table row clicked this frame (index into incidents)

    // Caches, so a frame with a million incidents does not recount or resort them: rebuilt
    // only when the visible set (ViewerState::visible_version), the search or the sort change.
    std::uint64_t counts_version = ~0ull;
    std::vector<std::pair<std::string, long>> type_counts, reporter_counts, status_counts;
    std::uint64_t rows_version = ~0ull;
    std::string rows_search;
    int rows_sort_column = -1;
    bool rows_sort_ascending = true;
    std::vector<std::uint32_t> rows;
    static constexpr int kTableColumns = 5;
    std::vector<std::uint32_t> column_order[kTableColumns];  ///< every row, by each column
    std::uint64_t column_order_version[kTableColumns] = {~0ull, ~0ull, ~0ull, ~0ull, ~0ull};
};

/** Draws every panel for this frame. window_width/height in pixels (for placement). */
void draw_panels(ViewerState& state, PanelState& panels, int window_width, int window_height);

/** Opens the form for a new incident at lon/lat (after a map click in add mode). */
void open_new_incident(PanelState& panels, double lon, double lat);
/** Opens the form on an existing incident. */
void open_edit_incident(PanelState& panels, ViewerState& state, int index);

/** The tooltip for the hovered incident, drawn at the cursor. */
void draw_tooltip(ViewerState& state, std::size_t index);

}  // namespace limes::ui
