#pragma once
// The GL pipelines of the renderer: fills, lines and symbols (one program each, drawn for the
// map layers and again for the overlay) and the text pass; their vertex arrays and buffers,
// the upload of a packed DrawList and the draw calls of one tile. Internal to src/render;
// Renderer is the public face.
#include <vector>

#include "map/draw_list.hpp"
#include "render/gl_objects.hpp"
#include "render/packing.hpp"
#include "render/text_pipeline.hpp"
#include "render/tile_transform.hpp"

namespace limes::render {

class Pipelines {
  public:
    Pipelines();  ///< compiles the programs; needs a current context

    /** Uploads `packed` (made from `list`) and keeps the per-batch styles of `list`, and
     *  `list.atlas` when it changed. Returns whether the atlas texels were uploaded. */
    bool upload(const map::DrawList& list, const PackedDrawList& packed);

    /** Draws, for the tile of `map_transform`, the map's fills, lines and symbols, then the
     *  overlay's (image pixels), then the glyphs into the bound framebuffer (viewport set by
     *  the caller); blending state is set here. */
    void draw(const TileTransform& map_transform) const;
    /** draw() in two steps, for a multisampled target resolved between them: draw_base() the
     *  map's fills and lines (polygon edges need the samples), draw_top() everything over them
     *  (map symbols, overlay, glyphs), which the shaders anti-alias themselves, so it can go
     *  on the resolved single-sample target at a quarter of the cost under 4x MSAA. */
    void draw_base(const TileTransform& map_transform) const;
    void draw_top(const TileTransform& map_transform) const;

    double origin_x() const { return origin_x_; }
    double origin_y() const { return origin_y_; }
    map::Rgba background() const { return background_; }

  private:
    struct ViewUniforms {
        GLint offset, scale, image_center, frame_origin, ndc_scale, ndc_bias;
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
    /** GL buffers and per-batch styles of one layer set (the map's or the overlay's). */
    struct Layers {
        Layers();  ///< creates the buffers and lays out the vertex arrays
        void upload(const std::vector<map::FillBatch>& fill_batches,
                    const std::vector<map::LineBatch>& line_batches, const PackedLayers& packed);

        VertexArray fill_vao, line_vao, symbol_vao;
        Buffer fill_vertices, fill_indices, segments, symbols;
        std::vector<FillStyle> fills;
        std::vector<LineStyle> lines;
        std::size_t symbol_count = 0;
    };

    static ViewUniforms view_uniforms(const Program& program);
    static void set_view(const ViewUniforms& u, const TileTransform& t);
    void draw_layers(const Layers& layers, const TileTransform& t) const;
    void draw_fills(const Layers& layers, const TileTransform& t) const;
    void draw_lines(const Layers& layers, const TileTransform& t) const;
    void draw_symbols(const Layers& layers, const TileTransform& t) const;

    Program fill_program_, line_program_, symbol_program_;
    ViewUniforms fill_view_, line_view_, symbol_view_;
    GLint fill_color_, fill_hatch_, fill_hatch_spacing_, fill_hatch_width_, fill_frag_scale_,
        fill_frag_bias_;
    GLint line_color_, line_half_width_, line_coverage_scale_, line_dash_, line_gap_;

    Layers map_;      // map units relative to origin_x_, origin_y_
    Layers overlay_;  // image pixels
    TextPipeline text_;

    double origin_x_ = 0.0, origin_y_ = 0.0;
    map::Rgba background_;
};

}  // namespace limes::render
