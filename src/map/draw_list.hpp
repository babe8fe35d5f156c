#pragma once
// What `map` hands to `render`: CPU draw lists in map units, like Dear ImGui's ImDrawData.
// Coordinates are in the map CRS (metres for the default Lambert conformal conic), stored as
// floats relative to DrawList::origin so that float precision holds at any map position
// (a float has ~7 digits: metres relative to a local origin, not absolute eastings).
// render only uploads and draws these; it knows nothing of layers, CRS or styles.
#include <cstdint>
#include <string>
#include <vector>

namespace limes::map {

struct Vec2 {
    float x = 0.0f;
    float y = 0.0f;
};

/** 8-bit sRGB colour with straight (not premultiplied) alpha. */
struct Rgba {
    std::uint8_t r = 0, g = 0, b = 0, a = 255;
};

/** Filled triangles (a triangulated polygon layer), one colour per batch. */
struct FillBatch {
    std::vector<Vec2> vertices;          ///< map units relative to origin
    std::vector<std::uint32_t> indices;  ///< triangles: 3 indices each
    Rgba color;
    /** Hatching over the fill: 0 = none, else stripe spacing in pixels (45°, colour hatch). */
    float hatch_spacing_px = 0.0f;
    Rgba hatch;
};

/** Polylines extruded to a pixel width in the shader; dashed when dash_px > 0. */
struct LineBatch {
    std::vector<std::vector<Vec2>> polylines;  ///< map units relative to origin
    Rgba color;
    float width_px = 1.0f;
    float dash_px = 0.0f;  ///< dash length in pixels; 0 = solid
    float gap_px = 0.0f;   ///< gap length in pixels
};

/** Symbol shapes for incidents: distinguishable by outline alone (greyscale print). */
enum class Shape : std::uint8_t { Circle, Square, Triangle, Diamond, Star, Cross, Disc };

/** One instanced symbol at a map position, sized in pixels. */
struct Symbol {
    Vec2 position;       ///< map units relative to origin
    float size_px = 8;   ///< diameter in pixels
    Shape shape = Shape::Circle;
    Rgba fill;
    Rgba outline;
};

struct DrawList {
    double origin_x = 0.0;  ///< map CRS coordinates the Vec2s are relative to
    double origin_y = 0.0;
    Rgba background{236, 240, 243, 255};
    std::vector<FillBatch> fills;    ///< drawn first, in order
    std::vector<LineBatch> lines;    ///< then lines, in order
    std::vector<Symbol> symbols;     ///< then symbols, in order (later on top)
};

/** The visible window: map CRS coordinates of the centre, scale, and the pixel size. */
struct View {
    double center_x = 0.0;        ///< map CRS units
    double center_y = 0.0;
    double units_per_pixel = 1.0; ///< map units (metres) per pixel
    int width = 1920;             ///< pixels
    int height = 1080;
};

}  // namespace limes::map
