#pragma once
// The window's map labels: place, country, region, lake, river and claim names as the
// briefing places them (map::place_labels), drawn over the map with ImGui's background draw
// list inside the part of the window no panel covers. Placement runs only when the view, the
// window's layout, the language or the shown layers change; every other frame draws the
// cached labels (a few dozen texts), so the incidents' count does not matter. During a pan
// the placed labels move with the map and placement waits until the view is at rest.
#include <string>
#include <vector>

#include "map/labels.hpp"

namespace limes::app {

class Session;

class MapLabels {
  public:
    /** Places the labels again if the view changed, then draws them (nothing when View >
     *  Labels is Off). Needs the ImGui frame (between new_frame and render). */
    void draw(const Session& session);
    /** The labels drawn in the last frame, in priority order (screen pixels, y down). */
    const std::vector<map::PlacedLabel>& placed() const { return shown_; }
    /** Fills session.state.legend (the Legend tab) with map::legend_entries for the visible
     *  incidents and the view, again when either changed, once the view is at rest (a pan
     *  or zoom in progress does not gather the visible incidents every frame). */
    void update_legend(Session& session);
    /** How many times placement ran (for tests and the benchmark: once per view). */
    std::size_t placements() const { return placements_; }
    /** Wall time of the last placement, ms. */
    double last_ms() const { return last_ms_; }

  private:
    std::string key_, rest_;                // what the labels were placed for
    std::string last_view_;                 // the view of the last frame (a pan in progress?)
    map::View placed_view_;                 // the view placed_ is for
    std::vector<map::PlacedLabel> placed_;  // as placed for placed_view_
    std::vector<map::PlacedLabel> shown_;   // as drawn this frame (moved with a pan)
    std::size_t placements_ = 0;
    double last_ms_ = 0.0;
    std::string legend_key_, legend_view_;
};

}  // namespace limes::app
