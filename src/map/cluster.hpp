#pragma once
// Zoomed-out views of many incidents: clusters (one symbol per screen cell, sized by how
// many incidents it holds, labelled with the count); the heatmap is map/density.
// Cells are squares of cell_px pixels at the view's scale, anchored at the map origin: the
// aggregation follows the zoom but not panning, so a pan needs no rebuild.
#include <cstdint>
#include <string>
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

/** The width clusters' cells aim at, in pixels (cluster_cell_units). */
constexpr double kClusterCellPx = 56.0;

/** A cluster cell's width in pixels at a zoom: kClusterCellPx snapped by cluster_cell_units,
 *  so 40-79 px. */
float cluster_cell_px(double units_per_pixel);

/** A cluster's circle, diameter in pixels: its area grows with the count, up to 64 px and to
 *  the cell's width (cell_px), so that neighbouring cells' circles and counts do not run into
 *  each other where every cell is full (ten million incidents at a country's extent: hundreds
 *  or thousands a cell, each circle 64 px on cells 42 px apart). */
float cluster_symbol_px(std::uint32_t count, float cell_px);

/** A cluster's count as written on its circle: the number up to 999, then two significant
 *  figures with k or M ("1.2k", "12k", "120k", "1.2M"), as web map clusterers abbreviate
 *  counts, so that it fits the circle, whose size stops growing at 64 px (ten million
 *  incidents at a country's extent: thousands a circle, whose four or five digits ran into the
 *  next circle's). The legend and the window's table give exact figures. */
std::string cluster_count_label(std::uint32_t count);

/** Cluster symbols: a circle whose area grows with the count (cluster_symbol_px), cell_px
 *  the cells' width at the view's zoom (cluster_cell_px). */
void cluster_symbols(const std::vector<Cluster>& clusters, float cell_px,
                     std::vector<Symbol>& out);

/** The count of each cluster of two or more (cluster_count_label), white on its circle, into
 *  list.overlay (image pixels of view; cluster positions relative to list's origin), at a size
 *  that keeps it within 80 % of the circle's width. A briefing's clusters carry their numbers
 *  as the window's do. */
void add_cluster_counts(const std::vector<Cluster>& clusters, const View& view, TextEngine& text,
                        DrawList& list);

}  // namespace limes::map
