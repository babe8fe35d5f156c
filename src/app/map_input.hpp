#pragma once
// The map part of the window's input and overlay (ImGui, each frame): pan, zoom, picking,
// stacks (badges with counts; a click fans one out, Session::fan_out), the measure tool, drawing a
// claim; and over the map the status line (cursor position, scale, measured distance, messages),
// the time range shown, the scale bar and the counts of clusters. Only when ImGui's panels do not
// want the input.
#include <vector>

#include "app/session.hpp"

namespace limes::app {

/** What map input keeps between frames. */
struct MapInput {
    bool dragging = false;
    float press_x = 0, press_y = 0;
};

void handle_map_input(Session& s, MapInput& mi);
/** Status line, time banner and scale bar, over the map. */
void status_overlay(Session& s);
/** The counts of the clusters on screen, centred on them (ImGui's background list: redrawn
 *  every frame at the current pan, no GL upload). */
void cluster_labels(const Session& s);

/** The heatmap's key, bottom left of the map: each shade's lower bound in incidents per
 *  100 km² and the kernel's width (Session::heat_scale_box says where). */
void heat_scale_box(Session& s);

/** The count badges of the stacks on screen (ImGui's background list, as cluster_labels). */
void stack_badges(const Session& s);
/** The tooltip of what is under the cursor: a folded stack (its count and a few of its
 *  incidents) or one incident (ui::draw_tooltip). */
void map_tooltip(Session& s);

}  // namespace limes::app
