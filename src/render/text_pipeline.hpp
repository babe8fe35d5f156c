#pragma once
// The text pass: glyph quads in image pixels sampling the DrawList's signed distance field
// atlas (shaders/text.vert, text.frag), drawn after everything else. Internal to src/render.
#include <cstdint>
#include <memory>
#include <vector>

#include "map/draw_list.hpp"
#include "render/gl_objects.hpp"
#include "render/packing.hpp"
#include "render/tile_transform.hpp"

namespace limes::render {

class TextPipeline {
  public:
    TextPipeline();  ///< compiles the program; needs a current context

    /** Uploads the glyph instances and, when `atlas` differs from the last one uploaded (by
     *  pointer, or by `version` for the same pointer), its texels as a GL_R8 texture. A null
     *  atlas keeps the texture (it is only read when glyphs exist, and pack_draw_list rejects
     *  glyphs without an atlas). Throws core::IoError ("OpenGL") on GL errors (e.g. an atlas past
     *  GL_MAX_TEXTURE_SIZE). Returns whether the atlas texels were uploaded. */
    bool upload(const std::vector<GlyphInstance>& glyphs,
                const std::shared_ptr<const map::GlyphAtlas>& atlas);

    /** Draws the glyphs (nothing when there are none); blending is set by the caller. */
    void draw(const TileTransform& transform) const;

  private:
    void upload_atlas(const map::GlyphAtlas& atlas);

    Program program_;
    GLint frame_origin_, ndc_scale_, ndc_bias_, atlas_unit_, edge_value_, value_per_texel_;
    VertexArray vao_;
    Buffer instances_;
    Texture atlas_texture_;
    std::size_t glyph_count_ = 0;

    // Identity of the texture's contents. A weak_ptr, not a raw pointer: once that atlas is
    // gone, a new one allocated at the same address still counts as different.
    std::weak_ptr<const map::GlyphAtlas> atlas_;
    std::uint64_t atlas_version_ = 0;
    float edge_value_units_ = 128.0f;      // sdf units (0..255) on the outline
    float value_per_texel_units_ = 32.0f;  // sdf units per atlas texel
};

}  // namespace limes::render
