#pragma once
// map::DrawList -> Canvas: the vector twin of render::Renderer. Reads the same draw list the GL
// path uploads, in the same order (background, fills, lines, symbols, then the overlay), so a
// PDF or SVG briefing cannot drift from the PNG: only the way each item is drawn differs
// (polygons as paths instead of triangles, symbols as shape paths instead of distance fields,
// text as text instead of SDF quads).
#include <string>
#include <vector>

#include "map/draw_list.hpp"
#include "vector/canvas.hpp"

namespace limes::vector {

/** One group a reader can switch: its id (the map layer, "labels" for the overlay, "frame"
 *  for the page frame) and the title readers show ("Countries", "Labels and legend"). */
struct GroupInfo {
    std::string id;
    std::string title;
};

/** One map of the page: its draw list as view shows it, its top-left at (x, y) pixels of the
 *  composition (a comparison has two side by side; a briefing one at 0, 0). */
struct Panel {
    const map::DrawList* list = nullptr;
    map::View view;
    float x = 0, y = 0;
};

/** The groups paint() draws, in drawing order: "background", the map layers that have
 *  anything (in the order their first item comes, over all panels), then "labels" when an
 *  overlay has anything, then "frame" when frame has anything. */
std::vector<GroupInfo> groups_of(const std::vector<Panel>& panels, const map::Overlay& frame);

/** Draws the panels onto canvas, one group per layer (groups_of) holding that layer of every
 *  panel, each panel's map clipped to its view's width x height pixels; then frame (page
 *  furniture in composition pixels, always shown). width, height: the composition's size (the
 *  background). only: draw just the group with this id (the PDF backend writes one file per
 *  group); empty: all. */
void paint(const std::vector<Panel>& panels, const map::Overlay& frame, int width, int height,
           Canvas& canvas, const std::string& only = "");

/** A triangulated fill's outline: the edges used by one triangle only, chained into closed
 *  rings (outer rings and holes; even-odd filling restores the polygon). */
Path outline_of_triangles(const std::vector<map::Vec2>& vertices,
                          const std::vector<std::uint32_t>& indices);

}  // namespace limes::vector
