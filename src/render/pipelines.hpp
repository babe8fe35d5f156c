#pragma once
// The three GL pipelines of the renderer (fills, lines, symbols): their programs, vertex
// arrays and buffers, the upload of a packed DrawList and the draw calls of one tile.
// Internal to src/render; Renderer is the public face.
#include <vector>

#include "map/draw_list.hpp"
#include "render/gl_objects.hpp"
#include "render/packing.hpp"
#include "render/renderer.hpp"

namespace limes::render {

/** Uniform values shared by all programs for one tile, and its viewport; see fill.vert.
 *
 *  A tile is drawn with a viewport spanning its whole *frame*: the image itself when it fits
 *  the GL viewport limit, else the cell of a grid of frame_size-pixel squares holding the tile.
 *  The framebuffer (tile-sized) crops the rest. Every tile of a frame thus sees the same
 *  window coordinates and clipping, and tiled renders match untiled ones sample for sample:
 *
 *      image  +--------------------------------+      viewport = frame, placed at
 *             | frame (<= GL_MAX_VIEWPORT_DIMS)|      (frame.x - tile.x, frame.y - tile.y)
 *             |        +------+                |      in the tile's framebuffer
 *             |        | tile |  <- framebuffer|
 *             |        +------+                |
 *             +--------------------------------+
 */
struct TileTransform {
    float offset[2];        ///< DrawList origin - view centre, map units
    float inv_upp;          ///< pixels per map unit
    float image_center[2];  ///< (width/2, height/2), pixels
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

class Pipelines {
  public:
    Pipelines();  ///< compiles the programs; needs a current context

    /** Uploads `packed` (made from `list`) and keeps the per-batch styles of `list`. */
    void upload(const map::DrawList& list, const PackedDrawList& packed);

    /** Draws fills, then lines, then symbols into the bound framebuffer (viewport set by the
     *  caller); blending state is set here. */
    void draw(const TileTransform& transform) const;

    double origin_x() const { return origin_x_; }
    double origin_y() const { return origin_y_; }
    map::Rgba background() const { return background_; }

  private:
    struct ViewUniforms {
        GLint offset, inv_upp, image_center, frame_origin, ndc_scale, ndc_bias;
    };
    struct FillStyle {
        BatchRange range;
        map::Rgba color, hatch;
        float hatch_spacing_px;
    };
    struct LineStyle {
        BatchRange range;
        map::Rgba color;
        float width_px, dash_px, gap_px;
    };

    static ViewUniforms view_uniforms(const Program& program);
    static void set_view(const ViewUniforms& u, const TileTransform& t);
    void draw_fills(const TileTransform& t) const;
    void draw_lines(const TileTransform& t) const;
    void draw_symbols(const TileTransform& t) const;

    Program fill_program_, line_program_, symbol_program_;
    ViewUniforms fill_view_, line_view_, symbol_view_;
    GLint fill_color_, fill_hatch_, fill_hatch_spacing_, fill_hatch_width_, fill_frag_scale_,
        fill_frag_bias_;
    GLint line_color_, line_half_width_, line_coverage_scale_, line_dash_, line_gap_;

    VertexArray fill_vao_, line_vao_, symbol_vao_;
    Buffer fill_vertices_, fill_indices_, segments_, symbols_;

    std::vector<FillStyle> fills_;
    std::vector<LineStyle> lines_;
    std::size_t symbol_count_ = 0;
    double origin_x_ = 0.0, origin_y_ = 0.0;
    map::Rgba background_;
};

}  // namespace limes::render
