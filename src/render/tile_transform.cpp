#include "render/tile_transform.hpp"

#include <algorithm>

namespace limes::render {

TileTransform make_tile_transform(const map::View& view, double origin_x, double origin_y,
                                  const TileRect& tile, RowOrder rows, int frame_size) {
    TileTransform t{};
    // The subtraction in double keeps precision when origin and centre are both far from
    // the CRS origin (eastings in the millions of metres).
    t.offset[0] = static_cast<float>(origin_x - view.center_x);
    t.offset[1] = static_cast<float>(origin_y - view.center_y);
    const auto inv_upp = static_cast<float>(1.0 / view.units_per_pixel);
    t.scale[0] = inv_upp;
    t.scale[1] = -inv_upp;  // map y (north) is up, image y is down
    t.image_center[0] = static_cast<float>(0.5 * view.width);
    t.image_center[1] = static_cast<float>(0.5 * view.height);
    t.frag_scale[0] = 1.0f;
    t.frag_bias[0] = static_cast<float>(tile.x);

    if (rows == RowOrder::BottomUp) {  // a window: the frame is the tile, image top at the top
        t.frame_origin[0] = static_cast<float>(tile.x);
        t.frame_origin[1] = static_cast<float>(tile.y);
        t.ndc_scale[0] = 2.0f / static_cast<float>(tile.width);
        t.ndc_scale[1] = -2.0f / static_cast<float>(tile.height);
        t.ndc_bias[0] = -1.0f;
        t.ndc_bias[1] = 1.0f;
        t.frag_scale[1] = -1.0f;
        t.frag_bias[1] = static_cast<float>(tile.y + tile.height);
        t.viewport[2] = tile.width;
        t.viewport[3] = tile.height;
        return t;
    }
    // TopDown: frame pixel y 0 -> NDC -1 -> framebuffer row 0, so rows read back top first.
    const int frame_x = tile.x / frame_size * frame_size;
    const int frame_y = tile.y / frame_size * frame_size;
    const int frame_width = std::min(frame_size, view.width - frame_x);
    const int frame_height = std::min(frame_size, view.height - frame_y);
    t.frame_origin[0] = static_cast<float>(frame_x);
    t.frame_origin[1] = static_cast<float>(frame_y);
    t.ndc_scale[0] = 2.0f / static_cast<float>(frame_width);
    t.ndc_scale[1] = 2.0f / static_cast<float>(frame_height);
    t.ndc_bias[0] = -1.0f;
    t.ndc_bias[1] = -1.0f;
    t.frag_scale[1] = 1.0f;
    t.frag_bias[1] = static_cast<float>(tile.y);
    t.viewport[0] = frame_x - tile.x;
    t.viewport[1] = frame_y - tile.y;
    t.viewport[2] = frame_width;
    t.viewport[3] = frame_height;
    return t;
}

TileTransform overlay_transform(const TileTransform& map_transform) {
    TileTransform t = map_transform;
    t.offset[0] = t.offset[1] = 0.0f;
    t.scale[0] = t.scale[1] = 1.0f;  // image pixels, y down: no flip
    t.image_center[0] = t.image_center[1] = 0.0f;
    return t;
}

}  // namespace limes::render
