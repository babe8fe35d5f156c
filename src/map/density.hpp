#pragma once
// The heatmap: a kernel density surface of incidents, in incidents per 100 km² of ground,
// classed into a few shades whose bounds the on-map scale prints. A Gaussian kernel of a fixed
// width on screen (sigma_px) is summed on a grid of small square cells anchored at the map
// origin (so a pan does not shift the cells), then each cell is divided by its ground area
// (km per map unit measured geodesically at the view's centre, so the figure holds in any map
// CRS, degrees included; within the view the CRS's scale is taken as constant).
#include <cstdint>
#include <vector>

#include "map/draw_list.hpp"

namespace limes::map {

struct DensitySurface {
    int cols = 0, rows = 0;
    std::int64_t col0 = 0, row0 = 0;  ///< index of the grid's first cell from the origin
    double cell = 0.0;                ///< cell width, map units (cell_px pixels at the view's scale)
    double cell_km2 = 0.0;            ///< ground area of one cell, km²
    double sigma_km = 0.0;            ///< the kernel's standard deviation on the ground, km
    /** Incidents per 100 km², row-major, row 0 the southernmost (smallest y). */
    std::vector<float> per_100km2;
    /** The largest value among the cells inside the view passed (not the kernel's margin). */
    float max_in_view = 0.0f;

    float at(std::int64_t col, std::int64_t row) const {
        return per_100km2[static_cast<std::size_t>((row - row0) * cols + (col - col0))];
    }
};

/** Density of the incidents at positions (map units relative to origin_x/origin_y, as
 *  Scene::positions gives them; subset: indices, null for all) over view and a margin of three
 *  kernel widths. km_per_unit: ground km per map unit at the view's centre. */
DensitySurface density_surface(const std::vector<Vec2>& positions,
                               const std::vector<std::uint32_t>* subset, const View& view,
                               double origin_x, double origin_y, float cell_px, float sigma_px,
                               double km_per_unit);

/** The classes the surface is shaded in: lower bounds (incidents per 100 km², ascending, each
 *  rounded to two significant figures: the printed bounds are the ones used) and colours.
 *  Empty when nothing is in view. */
struct HeatScale {
    std::vector<double> lower;
    std::vector<Rgba> colors;
    double sigma_km = 0.0;
    double max = 0.0;  ///< the largest value, two significant figures (the top class's end)
    bool empty() const { return lower.empty(); }
};

/** Five classes halving down from the view's largest value: [max/32, max/16) ... [max/2, max];
 *  below max/32 is left bare, so the surface ends about two kernel widths from a lone incident. */
HeatScale heat_scale(const DensitySurface& surface);

/** Fills of the surface as scale classes it (one batch per class, runs of equal cells along a
 *  row merged into one quad), vertices in map units relative to the origin. */
void density_fills(const DensitySurface& surface, const HeatScale& scale,
                   std::vector<FillBatch>& out);

/** The area the window's heatmap is computed over: the view doubled in each direction around
 *  its centre snapped to a quarter of the view, so that a pan within that quarter is still
 *  covered and needs no new surface (the key of its cache is this area's centre). */
View heat_area(const View& view);

/** Two significant figures of v, for bounds a reader can read ("0.15", "3.2", "120"). */
double round_2sf(double v);

}  // namespace limes::map
