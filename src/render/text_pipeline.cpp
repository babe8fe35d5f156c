#include "render/text_pipeline.hpp"

#include <cstddef>

namespace limes::render {
namespace {

// True when `atlas` is the very object uploaded last. An expired `uploaded` never matches,
// even if a new atlas now lives at the old address.
bool same_atlas(const std::weak_ptr<const map::GlyphAtlas>& uploaded,
                const std::shared_ptr<const map::GlyphAtlas>& atlas) {
    return !uploaded.expired() && uploaded.lock() == atlas;
}

}  // namespace

TextPipeline::TextPipeline()
    : program_(make_program("text.vert", "text.frag")),
      frame_origin_(uniform_location(program_, "u_frame_origin")),
      ndc_scale_(uniform_location(program_, "u_ndc_scale")),
      ndc_bias_(uniform_location(program_, "u_ndc_bias")),
      atlas_unit_(uniform_location(program_, "u_atlas")),
      edge_value_(uniform_location(program_, "u_edge_value")),
      value_per_texel_(uniform_location(program_, "u_value_per_texel")),
      vao_(make_vertex_array()),
      instances_(make_buffer()) {
    // One GlyphInstance per instance; see text.vert for the attribute meanings.
    glBindVertexArray(vao_.id());
    glBindBuffer(GL_ARRAY_BUFFER, instances_.id());
    const GLsizei stride = sizeof(GlyphInstance);
    for (GLuint i = 0; i < 5; ++i) {
        glEnableVertexAttribArray(i);
        glVertexAttribDivisor(i, 1);
    }
    glVertexAttribPointer(0, 4, GL_FLOAT, GL_FALSE, stride, byte_offset(0));
    glVertexAttribPointer(1, 4, GL_FLOAT, GL_FALSE, stride, byte_offset(16));
    glVertexAttribPointer(2, 4, GL_UNSIGNED_BYTE, GL_TRUE, stride, byte_offset(32));
    glVertexAttribPointer(3, 4, GL_UNSIGNED_BYTE, GL_TRUE, stride, byte_offset(36));
    glVertexAttribPointer(4, 2, GL_FLOAT, GL_FALSE, stride, byte_offset(40));
    glBindVertexArray(0);
    glBindBuffer(GL_ARRAY_BUFFER, 0);

    glUseProgram(program_.id());
    glUniform1i(atlas_unit_, 0);  // texture unit 0
    glUseProgram(0);
    check_gl("creating the text pipeline");
}

bool TextPipeline::upload(const std::vector<GlyphInstance>& glyphs,
                          const std::shared_ptr<const map::GlyphAtlas>& atlas) {
    glBindBuffer(GL_ARRAY_BUFFER, instances_.id());
    glBufferData(GL_ARRAY_BUFFER, static_cast<GLsizeiptr>(glyphs.size() * sizeof(GlyphInstance)),
                 glyphs.data(), GL_STATIC_DRAW);
    glBindBuffer(GL_ARRAY_BUFFER, 0);
    glyph_count_ = 0;  // until the atlas is in place: a failed upload draws no text
    check_gl("uploading glyph quads");
    const bool changed = atlas && !(same_atlas(atlas_, atlas) && atlas->version == atlas_version_);
    if (changed) {
        atlas_.reset();  // a failed upload leaves no stale identity behind
        upload_atlas(*atlas);
        atlas_ = atlas;
        atlas_version_ = atlas->version;
    }
    glyph_count_ = glyphs.size();
    return changed;
}

void TextPipeline::upload_atlas(const map::GlyphAtlas& atlas) {
    if (!atlas_texture_) atlas_texture_ = make_texture();
    glActiveTexture(GL_TEXTURE0);
    glBindTexture(GL_TEXTURE_2D, atlas_texture_.id());
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, GL_LINEAR);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, GL_LINEAR);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_S, GL_CLAMP_TO_EDGE);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_T, GL_CLAMP_TO_EDGE);
    // Row 0 of the sdf (the atlas's top) becomes texture row t = 0, so v (down) is t as is.
    glPixelStorei(GL_UNPACK_ALIGNMENT, 1);  // rows of width bytes, unpadded
    glTexImage2D(GL_TEXTURE_2D, 0, GL_R8, atlas.width, atlas.height, 0, GL_RED, GL_UNSIGNED_BYTE,
                 atlas.sdf.data());
    glPixelStorei(GL_UNPACK_ALIGNMENT, 4);
    glBindTexture(GL_TEXTURE_2D, 0);
    check_gl("uploading the glyph atlas");
    edge_value_units_ = atlas.edge_value;
    value_per_texel_units_ = atlas.value_per_texel;
}

void TextPipeline::draw(const TileTransform& t) const {
    if (glyph_count_ == 0 || !atlas_texture_) return;
    glUseProgram(program_.id());
    glUniform2fv(frame_origin_, 1, t.frame_origin);
    glUniform2fv(ndc_scale_, 1, t.ndc_scale);
    glUniform2fv(ndc_bias_, 1, t.ndc_bias);
    glUniform1f(edge_value_, edge_value_units_);
    glUniform1f(value_per_texel_, value_per_texel_units_);
    glActiveTexture(GL_TEXTURE0);
    glBindTexture(GL_TEXTURE_2D, atlas_texture_.id());
    glBindVertexArray(vao_.id());
    glDrawArraysInstanced(GL_TRIANGLE_STRIP, 0, 4, static_cast<GLsizei>(glyph_count_));
    glBindVertexArray(0);
    glBindTexture(GL_TEXTURE_2D, 0);
}

}  // namespace limes::render
