#pragma once
// The window's session: the workspace it edits, the scene it draws, the incidents (loaded on a
// thread of their own), autosave, the draw list of each frame, picking, and the actions the
// panels ask for (session_actions.cpp). No GL and no ImGui calls here but the cluster labels
// (map_input.cpp draws the status line and takes the map's input): the loop in viewer.cpp
// drives it frame by frame.
#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "app/autosave.hpp"
#include "app/animate.hpp"
#include "app/briefing.hpp"
#include "app/incident_loader.hpp"
#include "app/map_labels.hpp"
#include "app/viewer.hpp"
#include "core/filter.hpp"
#include "geo/geometry/point_in_polygon.hpp"
#include "geo/geometry/projection.hpp"
#include "geo/store/watch.hpp"
#include "geo/store/workspace.hpp"
#include "map/draw_list.hpp"
#include "map/frame.hpp"
#include "map/scene.hpp"
#include "map/stacks.hpp"
#include "ui/panels.hpp"
#include "ui/viewer_state.hpp"

namespace limes::app {

class Session {
  public:
    Session(const ViewerOptions& o, std::ostream& log);

    ui::ViewerState state;
    ui::PanelState panels;
    map::View view;
    bool view_moved = false;  ///< the user panned or zoomed (a finished load then keeps the view)

    /** Starts loading the incidents on a thread of their own; the basemap shows meanwhile. */
    void start_loading();

    /** Takes the loaded incidents when the loader is done (wait: block until then). */
    void poll_loading(bool wait = false);

    /** After a crash: the edits the last session autosaved, offered back. */
    void offer_autosave();

    /** Replays the autosaved edits as edits of this session: undoable, unsaved until Save. */
    void restore_autosave();

    /** Rewrites the autosave when the edits changed (after each edit, undo or redo). */
    void autosave();

    /** Called every frame: when someone else committed to the workspace since it was loaded
     *  (a `limes import`, another window), reads the incidents again and puts this session's
     *  unsaved edits back on top; a row changed on both sides becomes a conflict
     *  (state.conflicts) for the user to decide. Returns whether a reload started. */
    bool check_external_changes();
    /** Reads the workspace again and puts this session's unsaved edits back on top (a row
     *  changed on both sides becomes a conflict, both values shown): after someone else's
     *  commit, or a save the workspace refused as stale (geo::StaleRowError). */
    void read_again_with_edits();
    /** Decides every conflict: keep_mine applies this session's edit over the file's row;
     *  otherwise the file's row stays and the edit is dropped. */
    void resolve_conflicts(bool keep_mine);

    /** How the incidents' columns read a whole row back: from this session's workspace. */
    core::IncidentStore::Fetch fetch() const;

    void load_scene();

    /** Fits the visible incidents (or the basemap) into the part of the window the panels
     *  leave free (ui::map_area). */
    void fit();
    /** Pans so that map point x, y (map CRS) is at the centre of the panels' free part. */
    void centre_on(double x, double y);

    /** The country and province (admin1) of the workspace's basemap at lon/lat, as the
     *  names of its countries and provinces layers; empty where no polygon holds the point. */
    struct Admin {
        std::string country, admin1;
    };
    Admin admin_at(double lon, double lat) const;

    /** File > Open: the workspace the loop opens next, in a new Session ("" none). */
    std::string open_next;
    /** File > Save As: writes a copy of the workspace with this session's unsaved edits to
     *  path (refused when path exists), then works on the copy. */
    void save_as(const std::string& path);
    /** File > Import: the file into this workspace through geo::import_file (as `limes
     *  import`), then the incidents are read again. Refused while edits are unsaved. */
    void import(const std::string& path);

    /** Keeps positions in step with edits: only the rows added or moved are projected. */
    void sync_positions();

    map::DrawList draw_list();

    // Selection ring, the claim being drawn, and the measure line, in map units (relative to
    // the list's origin) so that panning needs no new upload.
    void decorate(map::DrawList& list);

    /** Changes when the uploaded draw list must be rebuilt. Panning alone does not change
     *  it (everything is in map units), except in the aggregated modes whose cells follow
     *  the screen. */
    std::string content_key() const;

    /** What the map draws the incidents as: the View menu's choice, Automatic resolved. */
    map::SymbolMode effective_mode() const;
    /** The clusters of the last frame drawn in that mode. */
    const std::vector<map::Cluster>& clusters() const { return composer_.clusters(); }
    /** The heatmap's classes as last drawn (empty unless the map shows a heatmap). */
    const map::HeatScale& heat_scale() const { return composer_.heat_scale(); }
    /** Where the heat scale box was drawn this frame ([x0, y0, x1, y1], window px), zero when
     *  none was. */
    std::array<float, 4> heat_scale_box{};
    /** What the window draws over the map this frame (the time banner, the scale bar, the
     *  heat key), window px: the map's labels keep clear of them. */
    std::vector<map::PixelBox> map_furniture;

    /** Incidents under pixel (px, py), nearest first, within radius pixels. */
    std::vector<int> pick(double px, double py, double radius) const;

    void pixel_lonlat(double px, double py, double& lon, double& lat) const;

    // Stacks: incidents at one place (their symbols within 0.6 of a symbol of each other on
    // the screen, as the briefing groups them, map/stacks.hpp), each marked with a badge of
    // its count; a click fans one out (spiderfy) so that each member can be picked. Only in
    // Symbols mode (clusters and the heatmap aggregate already).

    /** Regroups the stacks when the zoom, the incidents shown or their data changed, or the
     *  view left the area grouped (the view grown by its size on each side: a pan within it
     *  regroups nothing); folds the fan when the view moved. O(n) over the incidents shown,
     *  grouping (a grid, find_stacks) only those in that area. Called every frame. */
    void update_stacks();
    /** The stacks: centre in map units relative to the scene's origin (the first member's
     *  position), members as rows of state.incidents. */
    const std::vector<map::Stack>& stacks() const { return stacks_; }
    /** The stack whose badge is under pixel (px, py) (within radius px of its centre,
     *  nearest), or -1. */
    int stack_at(double px, double py, double radius) const;
    /** The stack fanned out: its members, and where each symbol is drawn from the stack's
     *  centre (screen px, x right, y down; map::fan_offsets around a 15 px badge). */
    struct Fan {
        map::Vec2 center;                    ///< map units relative to the scene's origin
        std::vector<std::uint32_t> members;  ///< rows of state.incidents
        std::vector<map::Vec2> around_px;    ///< per member, from the centre, screen px
        double center_x = 0, center_y = 0, units_per_pixel = 0;  ///< the view it was made in
    };
    void fan_out(int stack);
    void fold() { fan_.reset(); }
    const std::optional<Fan>& fan() const { return fan_; }
    /** Window pixel of member j of the fan. */
    void fan_pixel(std::size_t j, double& px, double& py) const;
    /** The fanned member under pixel (px, py) within radius px (nearest), a row, or -1. */
    int pick_fanned(double px, double py, double radius) const;
    /** Window pixel of a position in map units relative to the scene's origin. */
    void local_pixel(map::Vec2 p, double& px, double& py) const;
    int hovered_stack = -1;  ///< the stack under the cursor (its tooltip), -1 none

    /** The window's view as briefing options: extent, time, filters, layers. */
    BriefingOptions briefing_options(const std::string& output, const std::string& title, int w,
                                     int h) const;
    /** File → Export animation: the briefing options of the window through the timeline's
     *  range, speed and window (app/animate.hpp). */
    AnimationOptions animation_options(const std::string& output, const std::string& title,
                                       int w, int h) const;

    core::Filter current_filter() const;

    void save();

    void add_claim_from_panel();

    void run_actions(bool& quit);

    const map::Scene& scene() const { return *scene_; }
    /** Draws the claims and historical lines as of the timeline's end (state.range_to):
     *  rebuilds the scene when the set valid that day changed. Called every frame. */
    void update_as_of();
    /** When claim fid is not drawn on the current as-of day, moves the map to a day it holds
     *  (the timeline's "map as of" day) and rebuilds the scene. */
    void show_claim_day(std::int64_t fid);
    /** The day the map's claims and lines are drawn as of; nullopt before the first. */
    std::optional<core::Date> as_of() const { return as_of_; }
    /** How many transfers (pairs of holders) the map's changes layer draws; 0 when off. */
    std::size_t changes_drawn() const { return changes_drawn_; }
    const geo::Projector& projector() const { return proj_; }
    core::Ring measure_;  ///< lon/lat of the measure tool's two points
    MapLabels labels;     ///< the map's names, placed again only when the view changes

  private:
    ViewerOptions options_;
    std::ostream& log_;
    geo::Projector proj_;
    std::shared_ptr<geo::Workspace> ws_;  // shared with the incidents' fetch (state.incidents)
    std::unique_ptr<map::Scene> scene_;
    core::Basemap basemap_;              // the workspace's, all dates; scene_ draws as_of_'s part
    std::optional<core::Date> as_of_;    // the day scene_ was last checked for
    std::optional<core::Date> changes_from_;  // View → Changes over the range: from this day
    std::size_t changes_drawn_ = 0;      // transfers the scene draws
    std::string as_of_key_;              // the dated features and claims valid on it
    std::uint64_t scene_version_ = 0;    // changes when scene_ is rebuilt
    std::vector<map::Vec2> positions_;  // per row of state.incidents, see sync_positions()
    std::unique_ptr<IncidentLoader> loader_;
    std::optional<Autosave> restore_;      // offered back, until restored or discarded
    std::unique_ptr<geo::WorkspaceWatch> watch_;  // others' commits (GeoPackage workspaces)
    /** An unsaved edit carried over a reload, with the row's value when first edited. */
    struct CarriedEdit {
        AutosavedEdit edit;
        std::optional<core::Incident> base;
    };
    std::optional<std::vector<CarriedEdit>> carried_;  // applied when the reload is done
    bool save_after_merge_ = false;  // a Save found the file changed: save once merged
    void apply_carried_edits();
    /** Starts watching the workspace for others' commits (GeoPackage only). */
    void watch_workspace();
    std::uint64_t autosaved_version_ = 0;  // state.data_version the autosave holds
    map::FrameComposer composer_;          // keeps the clusters between frames
    std::vector<map::Stack> stacks_;       // see stacks()
    std::string stacks_key_;               // zoom, incidents shown and data they were made for
    double stacks_box_[4] = {0, 0, 0, 0};  // map units (scene origin): the area grouped
    std::optional<Fan> fan_;
    // The basemap's countries and provinces, for admin_at (lon/lat polygons, layer order).
    geo::PolygonLocator countries_, provinces_;
    std::vector<std::string> country_names_, province_names_;
    /** Points the session at another workspace file (after Save As). */
    void switch_workspace(const std::string& path);
};

}  // namespace limes::app
