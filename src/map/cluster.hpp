#pragma once
// Zoomed-out views of many incidents: clusters (one symbol per screen cell, sized by how
// many incidents it holds, labelled with the count); the heatmap is map/density.
// Cells are squares of cell_px pixels at the view's scale, anchored at the map origin: the
// aggregation follows the zoom but not panning, so a pan needs no rebuild.
#include <cstdint>
#include <vector>

#include "core/incident_mark.hpp"
#include "map/draw_list.hpp"

namespace limes::map {

class TextEngine;

struct Cluster {
    Vec2 position;  ///< map units relative to the origin: mean of the members
    std::uint32_t count = 0;
    Rgba color;  ///< colour of the most frequent event type in the cell
};

/** Width in map units of the cluster cells at a zoom: the power of two nearest to target_px
 *  pixels (so cells are target_px / sqrt 2 .. target_px * sqrt 2 wide on screen). Cells anchored
 *  at the map origin then stay the same over a factor of two of zoom: the clusters change only
 *  when the zoom crosses a power of two (one set per zoom level, as tiled map clusterers do),
 *  not on every wheel step. */
double cluster_cell_units(double units_per_pixel, double target_px);

/** Groups incidents (subset of all, positions from Scene::positions) into cells of cell_px. */
std::vector<Cluster> cluster_incidents(const std::vector<core::IncidentMark>& all,
                                       const std::vector<Vec2>& positions,
                                       const std::vector<std::uint32_t>* subset, const View& view,
                                       double origin_x, double origin_y, float cell_px);

/** Cluster symbols: a circle whose area grows with the count. */
void cluster_symbols(const std::vector<Cluster>& clusters, std::vector<Symbol>& out);

/** The count of each cluster of two or more, white on its circle, into list.overlay (image
 *  pixels of view; cluster positions relative to list's origin). A briefing's clusters carry
 *  their numbers as the window's do. */
void add_cluster_counts(const std::vector<Cluster>& clusters, const View& view, TextEngine& text,
                        DrawList& list);

}  // namespace limes::map
