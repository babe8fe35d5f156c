#pragma once
// The viewer's ImGui panels: the menu bar, one side bar on the right (tabs Incidents, Claims,
// Layers, Filters, and the inspector of the selected incident below them), the timeline along
// the bottom, the incident form, claim drawing, and the dialogs (open, import, save as,
// export, briefing, save view, unsaved changes). They read and change ViewerState and queue
// Actions; nothing else. The map keeps the rest of the window (map_area): at 1280x720 the
// side bar takes about a third of the width, and it collapses to a strip; Tab hides every
// panel but the menu bar.
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
    bool hide_panels = false;   ///< Tab: every panel hidden but the menu bar, the map whole
    bool sidebar_open = true;   ///< the side bar, or (collapsed) a strip with its arrow
    float menu_height = 22.0f;  ///< the menu bar's height in pixels, as of the last frame
    /** View > Labels (limes view --labels): the map's names in en | hy | az, or "off". */
    std::string label_language = "en";
    bool show_export = false, show_briefing = false, show_save_view = false;
    bool show_animation = false;
    std::string animation_path = "animation.mp4";
    bool show_open = false, show_import = false, show_save_as = false;
    std::string open_path, import_path, save_as_path;  ///< File > Open / Import / Save As
    bool confirm_quit = false;                         ///< the unsaved-changes question is open
    bool offer_restore = false;   ///< an autosave of unsaved edits was found: restore or discard
    std::string restore_summary;  ///< what the autosave holds, for the question
    std::string export_path = "export.geojson", export_layer = "incidents";
    std::string briefing_path = "briefing.png", briefing_title = "Reported incidents";
    int briefing_width = 1920, briefing_height = 1080;
    std::string view_name = "my view";
    std::string typed_search;  ///< the search box's text (ViewerState::search on Enter)

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
    int rows_sort_column = -1;
    bool rows_sort_ascending = true;
    std::vector<std::uint32_t> rows;
    static constexpr int kTableColumns = 5;
    std::vector<std::uint32_t> column_order[kTableColumns];  ///< every row, by each column
    std::uint64_t column_order_version[kTableColumns] = {~0ull, ~0ull, ~0ull, ~0ull, ~0ull};
};

/** Fixed sizes of the layout, window pixels: the status line along the bottom (drawn by the
 *  app), the timeline above it, the collapsed side bar's strip. */
inline constexpr float kStatusHeight = 22.0f, kTimelineHeight = 128.0f, kSidebarStrip = 26.0f;

/** The side bar's width in a window w pixels wide: a third, 360..560 px. */
float sidebar_width(int w);

/** The part of a w x h window that no panel covers, window pixels (y down): what Fit fits
 *  into and where the map's own overlays go. */
struct MapArea {
    float x0 = 0, y0 = 0, x1 = 0, y1 = 0;
};
MapArea map_area(const PanelState& panels, int w, int h);

/** Draws every panel for this frame. window_width/height in pixels (for placement). */
void draw_panels(ViewerState& state, PanelState& panels, int window_width, int window_height);

/** Opens the form for a new incident at lon/lat (after a map click in add mode), its date
 *  the timeline's (days since 1970), country and admin1 as found at the point (may be
 *  empty). */
void open_new_incident(PanelState& panels, double lon, double lat, std::int32_t days,
                       const std::string& country, const std::string& admin1);
/** Opens the form on an existing incident. */
void open_edit_incident(PanelState& panels, ViewerState& state, int index);

/** The tooltip for the hovered incident, drawn at the cursor. */
void draw_tooltip(ViewerState& state, std::size_t index);

}  // namespace limes::ui
