#pragma once
// Everything the window shows and edits, as plain data: the incidents and claims of the
// workspace, filters and the time range, layer settings, selection, undo/redo, and the
// actions the panels ask the app to carry out. No GL, no GDAL: the app owns those.
#include <cstdint>
#include <deque>
#include <functional>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/claim.hpp"
#include "core/filter.hpp"
#include "core/incident.hpp"
#include "core/incident_store.hpp"
#include "map/legend_entry.hpp"
#include "map/symbol_mode.hpp"

namespace limes::ui {

struct LayerSetting {
    std::string
        name;  ///< countries, provinces, claims, historical_lines, regions, places, incidents
    bool visible = true;
    float opacity = 1.0f;                 ///< 0..1
    bool recolor = false;                 ///< draw in `color` instead of the layer's own colours
    float color[3] = {0.3f, 0.3f, 0.3f};  ///< RGB 0..1 (ImGui's ColorEdit3 format)
    float line_width = 1.0f;              ///< factor on line widths
};

using SymbolMode = map::SymbolMode;

/** What the panels ask the app to do; carried out between frames. */
struct Action {
    enum class Kind {
        Save,
        SaveAs,  ///< path: the new workspace file (a copy with the unsaved edits)
        Open,    ///< path: another workspace
        Import,  ///< path: a CSV / GeoJSON / any OGR source, into this workspace
        ExportGeoJson,
        Briefing,
        ExportAnimation,  ///< path: .mp4/.webm/.gif; text: title; the timeline's range and speed
        SaveView,
        FlyTo,
        FlyToClaim,
        Fit,
        Quit,
        QuitDiscard,
        RestoreAutosave,
        DiscardAutosave,
        KeepMine,   ///< the conflicts (ViewerState::conflicts): this session's edits win
        TakeTheirs  ///< the conflicts: the file's rows win, this session's edits of them go
    };
    Action(Kind k, std::string p = {}, std::string t = {})
        : kind(k), path(std::move(p)), text(std::move(t)) {}
    Kind kind;
    std::string path;           ///< ExportGeoJson, Briefing, SaveAs, Open, Import
    std::string text;           ///< SaveView name, Briefing title, ExportGeoJson layer
    int width = 0, height = 0;  ///< Briefing size
    double lon = 0, lat = 0;    ///< FlyTo
    std::int64_t fid = 0;       ///< FlyToClaim: the claim's feature id (its label's place)
};

/** One reversible edit of the incidents list. */
struct Edit {
    enum class Kind { Add, Change, Remove } kind;
    std::size_t index = 0;  ///< row in incidents
    core::Incident before;  ///< Change/Remove: the old value
    core::Incident after;   ///< Add/Change: the new value
};

struct ViewerState {
    /** The Legend tab's rows: the legend of the briefing (map::legend_entries) for the
     *  incidents visible and the basemap in the window's view; the app fills it. */
    std::vector<map::LegendEntry> legend;
    std::string workspace_path;
    /** Every incident of the workspace plus the edits of this session, as columns; a row's
     *  other fields are read from the workspace when shown (incidents.row(i)). */
    core::IncidentStore incidents;
    /** Fids (ascending) of stored incidents whose notes contain the text, ASCII case
     *  ignored: the notes stay on disk, so the app answers this from the workspace. */
    std::function<std::vector<std::int64_t>(const std::string&)> find_in_notes;
    /** Whether a stored incident has this event_id_cnty (set by the app). */
    std::function<bool(const std::string&)> event_id_stored;
    /** While the incidents load (off the UI thread): the share done, 0..1. */
    bool loading = false;
    double load_fraction = 0.0;
    std::vector<core::MeasuredClaim> claims;  ///< the claims list, with their areas
    std::vector<LayerSetting> layers;

    // Filters. The time range is in days since 1970 (core::Date::days).
    std::int32_t span_from = 0, span_to = 0;    ///< the incidents' whole span
    std::int32_t range_from = 0, range_to = 0;  ///< the selected range
    bool cumulative = false;  ///< playback keeps range_from fixed and grows range_to
    /** The day lines and claims are drawn as of: the range's end (as `render` without --at)
     *  while as_of_follows_range, else as_of_day (days since 1970), chosen on the timeline's
     *  own slider, which spans as_of_min..as_of_max (the claims' and lines' dates and today:
     *  wider than the incidents' span, so 1994 or 2024 can be shown with 2022's incidents). */
    bool as_of_follows_range = true;
    std::int32_t as_of_day = 0, as_of_min = 0, as_of_max = 0;
    /** View → Changes over the range: the ground that changed hands between the range's first
     *  day and the as-of day, drawn over the claims as `render --changes` draws it. */
    bool show_changes = false;
    bool playing = false;
    float play_days_per_second = 2.0f;
    /** Days the range shows while Play sweeps a span that was shown whole (range All). */
    int play_window_days = 1;
    std::vector<std::string> types_off;        ///< canonical ACLED types hidden
    std::vector<std::string> reported_by_off;  ///< hidden reporters
    std::vector<std::string> status_off;
    std::string actor_search;  ///< substring of actor1/actor2 (case-insensitive)
    /** The incident table's search, in force on the map as well: rows whose location,
     *  actors, source, reporter or notes contain it (ASCII case ignored). Set with
     *  set_search(), which asks the workspace for the notes once per search. */
    std::string search;
    int min_fatalities = 0;
    SymbolMode mode = SymbolMode::Auto;

    // Derived: indices into incidents that pass every filter, kept current by refilter().
    std::vector<std::uint32_t> visible;
    std::uint64_t visible_version = 0;  ///< bumps on every refilter (the app rebuilds symbols)
    std::uint64_t data_version = 0;     ///< bumps when incidents change (edits, a load)
    /** Incidents per day, span_from to span_to, that pass every filter but the time range:
     *  the timeline's histogram. Kept current by refilter(). */
    std::vector<std::uint32_t> day_counts;

    int hovered = -1;  ///< index into incidents, -1 none
    int selected = -1;
    bool dirty = false;  ///< unsaved edits

    std::deque<Edit> undo_stack, redo_stack;

    /** Stored rows edited in this session (by fid): each one's value when first edited, as
     *  the window showed it then. When the file changes under the window, a row whose stored
     *  value is no longer its base was changed elsewhere too: a conflict. Cleared by a save. */
    std::unordered_map<std::int64_t, core::Incident> edit_bases;
    /** A row changed both here and in the file since: both values, until the user decides. */
    struct Conflict {
        std::int64_t fid = 0;
        std::string event_id;
        bool mine_removed = false;
        core::Incident mine;                 ///< this session's value (unless removed)
        std::optional<core::Incident> theirs;  ///< the file's value now (none: deleted there)
        std::vector<std::string> columns;    ///< the columns that differ, mine vs theirs
    };
    std::vector<Conflict> conflicts;
    bool actions_pending_conflicts = false;  ///< a decision is queued (the dialog closes)
    std::vector<Action> actions;
    std::vector<std::string> messages;  ///< status lines (errors from actions, "saved")

    /** Sets span and range to the incidents' dates and shows everything. */
    void reset_time_range();
    /** Recomputes visible from the filters: one pass over the marks and small per-value
     *  tables (a few ms for 1M incidents, so the timeline can re-filter every frame). */
    void refilter();
    /** Timeline playback over seconds of wall time (play_days_per_second): the range slides
     *  (or, cumulative, grows) by whole days and is refiltered; playing stops at the end of
     *  the span. */
    void advance_playback(double seconds);
    /** Play (or Pause when playing). The range in force plays on from where it is; when it
     *  is at the end of the span it starts again at the beginning; when it is the whole span
     *  (the default, All) a window of play_window_days sweeps from the first day instead
     *  (cumulative: the range grows from the first day). */
    void toggle_playback();
    /** Sets the search (see search) and refilters. */
    void set_search(const std::string& text);
    /** Whether row i passes the filters as of the last refilter(). */
    bool passes(std::size_t i) const;
    /** passes() but for the time range. */
    bool passes_except_time(std::size_t i) const;
    /** The event type name of a type index ("" for types outside the taxonomy). */
    static std::string type_name(std::uint8_t type);

    /** Edits, each undoable; they mark the state dirty and refilter. */
    void add(core::Incident inc);
    void change(std::size_t index, core::Incident inc);
    void remove(std::size_t index);
    bool undo();
    bool redo();

    LayerSetting* layer(const std::string& name);

  private:
    void select_row_filters();
    /** Moves the last edit of from to to, undoing it (forward false) or redoing it. */
    bool step_history(std::deque<Edit>& from, std::deque<Edit>& to, bool forward);
    int local_ids_ = 0;
    double play_accum_ = 0.0;  // days of playback not yet applied
    // Per-value switches derived from the filters by refilter(): by type index and by pool
    // id of the reporter, status and actor columns.
    std::vector<std::uint8_t> type_on_, reporter_on_, status_on_, actor_match_;
    // The search's matches per row (1 match), current for search_for_ at search_data_;
    // search_notes_: the stored rows (fids, ascending) whose notes hold it.
    std::vector<std::uint8_t> search_match_;
    std::string search_for_;
    std::uint64_t search_data_ = ~0ull;
    std::vector<std::int64_t> search_notes_;
    void match_search();
    std::string day_counts_key_;  // the filters day_counts were counted for
    void count_days();
};

/** Checks a new or edited incident as the importer would: a date, an ACLED type and (when
 *  given) sub-type, coordinates in range, and a source. Returns the problems, empty if ok. */
std::vector<std::string> validate_incident(const core::Incident& inc);

}  // namespace limes::ui
