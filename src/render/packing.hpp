#pragma once
// CPU side of the renderer: flattens a map::DrawList into the arrays uploaded to GL buffers.
// No GL here, so this part is testable anywhere. Map layer positions stay in map units
// relative to DrawList::origin (floats, y up), overlay positions in image pixels (y down);
// the vertex shaders turn both into image pixels.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "map/draw_list.hpp"

namespace limes::render {

/** A contiguous run of elements (indices, segments) drawn with one batch's style. */
struct BatchRange {
    std::size_t first = 0;
    std::size_t count = 0;
};

/** One line segment, drawn as an instanced quad. Layer units (map units relative to origin,
 *  or overlay pixels). */
struct SegmentInstance {
    float start_x, start_y;
    float end_x, end_y;
    float distance;  ///< layer units along the polyline from its first vertex to start (dashes)
};
static_assert(sizeof(SegmentInstance) == 20, "tightly packed for glVertexAttribPointer");

/** One symbol instance; colours as straight-alpha sRGB bytes (normalised in the shader). */
struct SymbolInstance {
    float x, y;                ///< layer units (map units relative to origin, or overlay pixels)
    float size_px;             ///< diameter in pixels
    std::uint8_t shape;        ///< map::Shape value
    std::uint8_t outline_px8;  ///< outline width in eighths of a pixel (0..255: 0..31.9 px)
    std::uint8_t
        style;  ///< bit 0: hollow (map::SymbolFill::Hollow), 1: dashed outline, 2: inner ring
    std::uint8_t pad;
    map::Rgba fill;
    map::Rgba outline;
};
static_assert(sizeof(SymbolInstance) == 24, "tightly packed for glVertexAttribPointer");
static_assert(sizeof(map::Vec2) == 8, "Vec2 is uploaded as two floats");

/** One glyph quad instance (map::GlyphQuad as the text shader reads it). */
struct GlyphInstance {
    float x0, y0, x1, y1;  ///< image pixels, y down
    float u0, v0, u1, v1;  ///< atlas 0..1, v down
    map::Rgba color;       ///< straight alpha
    map::Rgba halo;
    float halo_px;        ///< image pixels; 0 = no halo
    float texels_per_px;  ///< atlas texels per image pixel, > 0
};
static_assert(sizeof(GlyphInstance) == 48, "tightly packed for glVertexAttribPointer");

/** Fills, lines and symbols of one layer set (the map's or the overlay's), in draw order. */
struct PackedLayers {
    std::vector<map::Vec2> fill_vertices;     ///< all FillBatch vertices, concatenated
    std::vector<std::uint32_t> fill_indices;  ///< rebased onto fill_vertices
    std::vector<BatchRange> fill_ranges;      ///< per FillBatch: a range of fill_indices
    std::vector<SegmentInstance> segments;    ///< all LineBatch segments, concatenated
    std::vector<BatchRange> line_ranges;      ///< per LineBatch: a range of segments
    std::vector<SymbolInstance> symbols;      ///< in list order (later on top)
};

/** Everything the GPU needs from a DrawList except the atlas texels. */
struct PackedDrawList {
    PackedLayers map;      ///< DrawList fills, lines, symbols: map units relative to origin
    PackedLayers overlay;  ///< DrawList::overlay fills, lines, symbols: image pixels
    std::vector<GlyphInstance> glyphs;  ///< DrawList::overlay.glyphs, in order
};

/** Flattens one layer set. Zero-length segments are dropped (their distance still counts) and
 *  so are polylines of fewer than two points. Throws std::invalid_argument when a FillBatch
 *  has an index count not divisible by 3 or an index past its vertices (a bug in `map`);
 *  `what` names the layer set in the message ("fill batch" or "overlay fill batch"). */
PackedLayers pack_layers(const std::vector<map::FillBatch>& fills,
                         const std::vector<map::LineBatch>& lines,
                         const std::vector<map::Symbol>& symbols,
                         const std::string& what = "fill batch");

/** Flattens `list`: map layers, overlay layers and glyphs. Throws std::invalid_argument for
 *  malformed fill batches, for glyphs with no atlas, an atlas whose sdf is not width × height
 *  bytes (or is empty) or whose value_per_texel is not > 0, and a glyph whose texels_per_px
 *  is not > 0. */
PackedDrawList pack_draw_list(const map::DrawList& list);

}  // namespace limes::render
