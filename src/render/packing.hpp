#pragma once
// CPU side of the renderer: flattens a map::DrawList into the arrays uploaded to GL buffers.
// No GL here, so this part is testable anywhere. Positions stay in map units relative to
// DrawList::origin (floats, y up); the vertex shaders turn them into pixels.
#include <cstddef>
#include <cstdint>
#include <vector>

#include "map/draw_list.hpp"

namespace limes::render {

/** A contiguous run of elements (indices, segments) drawn with one batch's style. */
struct BatchRange {
    std::size_t first = 0;
    std::size_t count = 0;
};

/** One line segment, drawn as an instanced quad. Map units relative to origin. */
struct SegmentInstance {
    float start_x, start_y;
    float end_x, end_y;
    float distance;  ///< map units along the polyline from its first vertex to start (dashes)
};
static_assert(sizeof(SegmentInstance) == 20, "tightly packed for glVertexAttribPointer");

/** One symbol instance; colours as straight-alpha sRGB bytes (normalised in the shader). */
struct SymbolInstance {
    float x, y;          ///< map units relative to origin
    float size_px;       ///< diameter in pixels
    std::uint8_t shape;  ///< map::Shape value
    std::uint8_t pad[3];
    map::Rgba fill;
    map::Rgba outline;
};
static_assert(sizeof(SymbolInstance) == 24, "tightly packed for glVertexAttribPointer");
static_assert(sizeof(map::Vec2) == 8, "Vec2 is uploaded as two floats");

/** Everything the GPU needs from a DrawList, in draw order. */
struct PackedDrawList {
    std::vector<map::Vec2> fill_vertices;     ///< all FillBatch vertices, concatenated
    std::vector<std::uint32_t> fill_indices;  ///< rebased onto fill_vertices
    std::vector<BatchRange> fill_ranges;      ///< per FillBatch: a range of fill_indices
    std::vector<SegmentInstance> segments;    ///< all LineBatch segments, concatenated
    std::vector<BatchRange> line_ranges;      ///< per LineBatch: a range of segments
    std::vector<SymbolInstance> symbols;      ///< in DrawList order (later on top)
};

/** Flattens `list`. Zero-length segments are dropped (their distance still counts) and so are
 *  polylines of fewer than two points. Throws std::invalid_argument when a FillBatch has an
 *  index count not divisible by 3 or an index past its vertices (a bug in `map`). */
PackedDrawList pack_draw_list(const map::DrawList& list);

}  // namespace limes::render
