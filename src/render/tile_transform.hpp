#pragma once
// Where the layers of one tile land: uniform values shared by all programs (see fill.vert)
// and the tile's viewport. Internal to src/render.
//
// A tile is drawn with a viewport spanning its whole *frame*: the image itself when it fits
// the GL viewport limit, else the cell of a grid of frame_size-pixel squares holding the tile.
// The framebuffer (tile-sized) crops the rest. Every tile of a frame thus sees the same
// window coordinates and clipping, and tiled renders match untiled ones sample for sample:
//
//     image  +--------------------------------+      viewport = frame, placed at
//            | frame (<= GL_MAX_VIEWPORT_DIMS)|      (frame.x - tile.x, frame.y - tile.y)
//            |        +------+                |      in the tile's framebuffer
//            |        | tile |  <- framebuffer|
//            |        +------+                |
//            +--------------------------------+
#include "map/draw_list.hpp"
#include "render/renderer.hpp"

namespace limes::render {

/** Layer units -> image pixels (x right, y down, origin at the image's top-left):
 *    image = image_center + (p + offset) * scale
 *  then image pixels -> clip space through the frame. */
struct TileTransform {
    float offset[2];        ///< map: DrawList origin - view centre, map units; overlay: 0
    float scale[2];         ///< image px per unit: map (1/upp, -1/upp) (y up); overlay (1, 1)
    float image_center[2];  ///< map: (width/2, height/2), pixels; overlay: (0, 0)
    float frame_origin[2];  ///< frame's top-left corner, image pixels
    float ndc_scale[2];     ///< frame pixels -> normalised device coordinates
    float ndc_bias[2];
    float frag_scale[2];  ///< gl_FragCoord.xy -> image pixels
    float frag_bias[2];
    int viewport[4];  ///< glViewport x, y, width, height (framebuffer pixels, y up)
};

/** The transform drawing `tile` of `view`'s image; origin in map CRS units. frame_size is a
 *  multiple of the tile size and at most GL_MAX_VIEWPORT_DIMS (TopDown only: a BottomUp
 *  window is drawn as a single tile). */
TileTransform make_tile_transform(const map::View& view, double origin_x, double origin_y,
                                  const TileRect& tile, RowOrder rows, int frame_size);

/** The same tile and frame for the overlay, whose positions are image pixels already: the
 *  layer -> image step becomes the identity, so the view's centre and scale do not move it. */
TileTransform overlay_transform(const TileTransform& map_transform);

}  // namespace limes::render
