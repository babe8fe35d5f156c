#pragma once
// Pan and zoom of a View in image pixels (x right, y down) over map coordinates (x east,
// y north, map CRS units). Header-only and GL-free: the window and tests share it.
#include <algorithm>
#include <cmath>

#include "map/draw_list.hpp"

namespace limes::map {

/** Map CRS coordinates of pixel (px, py) of view (pixel centres at +0.5). */
inline void pixel_to_map(const View& v, double px, double py, double& x, double& y) {
    x = v.center_x + (px - v.width / 2.0) * v.units_per_pixel;
    y = v.center_y - (py - v.height / 2.0) * v.units_per_pixel;
}

/** Pixel of map CRS point (x, y) in view. */
inline void map_to_pixel(const View& v, double x, double y, double& px, double& py) {
    px = (x - v.center_x) / v.units_per_pixel + v.width / 2.0;
    py = v.height / 2.0 - (y - v.center_y) / v.units_per_pixel;
}

/** Moves the map with the cursor: a drag of (dx, dy) pixels moves content by the same. */
inline void pan_pixels(View& v, double dx, double dy) {
    v.center_x -= dx * v.units_per_pixel;
    v.center_y += dy * v.units_per_pixel;
}

/** Zooms by factor (> 1 zooms in) keeping the map point under pixel (px, py) in place.
 *  The scale is kept within [min_upp, max_upp] map units per pixel. */
inline void zoom_at(View& v, double factor, double px, double py, double min_upp = 0.5,
                    double max_upp = 1e6) {
    double x, y;
    pixel_to_map(v, px, py, x, y);
    v.units_per_pixel = std::clamp(v.units_per_pixel / factor, min_upp, max_upp);
    // Put (x, y) back under the cursor.
    v.center_x = x - (px - v.width / 2.0) * v.units_per_pixel;
    v.center_y = y + (py - v.height / 2.0) * v.units_per_pixel;
}

/** Fits the box [min_x, max_x] × [min_y, max_y] (map units) with a margin (fraction). */
inline void fit_box(View& v, double min_x, double min_y, double max_x, double max_y,
                    double margin = 0.05) {
    v.center_x = (min_x + max_x) / 2;
    v.center_y = (min_y + max_y) / 2;
    const double dx = std::max(max_x - min_x, 1.0), dy = std::max(max_y - min_y, 1.0);
    v.units_per_pixel =
        std::max(dx / std::max(v.width, 1), dy / std::max(v.height, 1)) * (1.0 + 2 * margin);
}

}  // namespace limes::map
