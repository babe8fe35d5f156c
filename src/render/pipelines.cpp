#include "render/pipelines.hpp"

#include <algorithm>
#include <cstdint>

namespace limes::render {
namespace {

void set_color(GLint location, map::Rgba c) {
    glUniform4f(location, c.r / 255.0f, c.g / 255.0f, c.b / 255.0f, c.a / 255.0f);
}

template <typename T>
void fill_buffer(const Buffer& buffer, GLenum target, const std::vector<T>& data) {
    glBindBuffer(target, buffer.id());
    glBufferData(target, static_cast<GLsizeiptr>(data.size() * sizeof(T)), data.data(),
                 GL_STATIC_DRAW);
}

// Points the line VAO's per-instance attributes at segments [first, ...).
void point_segment_attributes(std::size_t first) {
    const std::size_t base = first * sizeof(SegmentInstance);
    const GLsizei stride = sizeof(SegmentInstance);
    glVertexAttribPointer(0, 2, GL_FLOAT, GL_FALSE, stride, byte_offset(base));
    glVertexAttribPointer(1, 2, GL_FLOAT, GL_FALSE, stride, byte_offset(base + 8));
    glVertexAttribPointer(2, 1, GL_FLOAT, GL_FALSE, stride, byte_offset(base + 16));
}

}  // namespace

Pipelines::Layers::Layers()
    : fill_vao(make_vertex_array()),
      line_vao(make_vertex_array()),
      symbol_vao(make_vertex_array()),
      fill_vertices(make_buffer()),
      fill_indices(make_buffer()),
      segments(make_buffer()),
      symbols(make_buffer()) {
    // Fills: one vec2 per vertex, indexed.
    glBindVertexArray(fill_vao.id());
    glBindBuffer(GL_ARRAY_BUFFER, fill_vertices.id());
    glEnableVertexAttribArray(0);
    glVertexAttribPointer(0, 2, GL_FLOAT, GL_FALSE, sizeof(map::Vec2), byte_offset(0));
    glBindBuffer(GL_ELEMENT_ARRAY_BUFFER, fill_indices.id());  // recorded in the VAO

    // Lines: one SegmentInstance per instance; pointers re-aimed per batch in draw_lines.
    glBindVertexArray(line_vao.id());
    glBindBuffer(GL_ARRAY_BUFFER, segments.id());
    for (GLuint i = 0; i < 3; ++i) {
        glEnableVertexAttribArray(i);
        glVertexAttribDivisor(i, 1);
    }
    point_segment_attributes(0);

    // Symbols: one SymbolInstance per instance.
    glBindVertexArray(symbol_vao.id());
    glBindBuffer(GL_ARRAY_BUFFER, symbols.id());
    const GLsizei stride = sizeof(SymbolInstance);
    for (GLuint i = 0; i < 5; ++i) {
        glEnableVertexAttribArray(i);
        glVertexAttribDivisor(i, 1);
    }
    glVertexAttribPointer(0, 2, GL_FLOAT, GL_FALSE, stride, byte_offset(0));
    glVertexAttribPointer(1, 1, GL_FLOAT, GL_FALSE, stride, byte_offset(8));
    // shape, outline width (eighths of a pixel), style bits, pad: one uvec4 of bytes.
    glVertexAttribIPointer(2, 4, GL_UNSIGNED_BYTE, stride, byte_offset(12));
    glVertexAttribPointer(3, 4, GL_UNSIGNED_BYTE, GL_TRUE, stride, byte_offset(16));
    glVertexAttribPointer(4, 4, GL_UNSIGNED_BYTE, GL_TRUE, stride, byte_offset(20));

    glBindVertexArray(0);
    glBindBuffer(GL_ARRAY_BUFFER, 0);
    check_gl("creating layer buffers");
}

void Pipelines::Layers::upload(const std::vector<map::FillBatch>& fill_batches,
                               const std::vector<map::LineBatch>& line_batches,
                               const PackedLayers& packed) {
    fill_buffer(fill_vertices, GL_ARRAY_BUFFER, packed.fill_vertices);
    glBindVertexArray(fill_vao.id());  // the element buffer binding belongs to the VAO
    fill_buffer(fill_indices, GL_ELEMENT_ARRAY_BUFFER, packed.fill_indices);
    glBindVertexArray(0);
    fill_buffer(segments, GL_ARRAY_BUFFER, packed.segments);
    fill_buffer(symbols, GL_ARRAY_BUFFER, packed.symbols);
    glBindBuffer(GL_ARRAY_BUFFER, 0);
    check_gl("uploading the draw list");

    fills.clear();
    for (std::size_t i = 0; i < fill_batches.size(); ++i) {
        const map::FillBatch& b = fill_batches[i];
        fills.push_back({packed.fill_ranges[i], b.color, b.hatch, b.hatch_spacing_px});
    }
    lines.clear();
    for (std::size_t i = 0; i < line_batches.size(); ++i) {
        const map::LineBatch& b = line_batches[i];
        lines.push_back({packed.line_ranges[i], b.color, b.width_px, b.dash_px, b.gap_px});
    }
    symbol_count = packed.symbols.size();
}

Pipelines::Pipelines()
    : fill_program_(make_program("fill.vert", "fill.frag")),
      line_program_(make_program("line.vert", "line.frag")),
      symbol_program_(make_program("symbol.vert", "symbol.frag")),
      fill_view_(view_uniforms(fill_program_)),
      line_view_(view_uniforms(line_program_)),
      symbol_view_(view_uniforms(symbol_program_)),
      fill_color_(uniform_location(fill_program_, "u_color")),
      fill_hatch_(uniform_location(fill_program_, "u_hatch")),
      fill_hatch_spacing_(uniform_location(fill_program_, "u_hatch_spacing")),
      fill_hatch_width_(uniform_location(fill_program_, "u_hatch_width")),
      fill_frag_scale_(uniform_location(fill_program_, "u_frag_scale")),
      fill_frag_bias_(uniform_location(fill_program_, "u_frag_bias")),
      line_color_(uniform_location(line_program_, "u_color")),
      line_half_width_(uniform_location(line_program_, "u_half_width")),
      line_coverage_scale_(uniform_location(line_program_, "u_coverage_scale")),
      line_dash_(uniform_location(line_program_, "u_dash")),
      line_gap_(uniform_location(line_program_, "u_gap")) {
    check_gl("creating the render pipelines");
}

Pipelines::ViewUniforms Pipelines::view_uniforms(const Program& program) {
    return {
        uniform_location(program, "u_offset"),       uniform_location(program, "u_scale"),
        uniform_location(program, "u_image_center"), uniform_location(program, "u_frame_origin"),
        uniform_location(program, "u_ndc_scale"),    uniform_location(program, "u_ndc_bias")};
}

void Pipelines::set_view(const ViewUniforms& u, const TileTransform& t) {
    glUniform2fv(u.offset, 1, t.offset);
    glUniform2fv(u.scale, 1, t.scale);
    glUniform2fv(u.image_center, 1, t.image_center);
    glUniform2fv(u.frame_origin, 1, t.frame_origin);
    glUniform2fv(u.ndc_scale, 1, t.ndc_scale);
    glUniform2fv(u.ndc_bias, 1, t.ndc_bias);
}

bool Pipelines::upload(const map::DrawList& list, const PackedDrawList& packed) {
    map_.upload(list.fills, list.lines, packed.map);
    overlay_.upload(list.overlay.fills, list.overlay.lines, packed.overlay);
    const bool atlas_uploaded = text_.upload(packed.glyphs, list.atlas);
    origin_x_ = list.origin_x;
    origin_y_ = list.origin_y;
    background_ = list.background;
    return atlas_uploaded;
}

namespace {
void set_blending() {
    glDisable(GL_DEPTH_TEST);
    glDisable(GL_CULL_FACE);
    glDisable(GL_SCISSOR_TEST);
    // Straight alpha: colour = src * a + dst * (1 - a); destination alpha accumulates coverage.
    glEnable(GL_BLEND);
    glBlendEquation(GL_FUNC_ADD);
    glBlendFuncSeparate(GL_SRC_ALPHA, GL_ONE_MINUS_SRC_ALPHA, GL_ONE, GL_ONE_MINUS_SRC_ALPHA);
}
}  // namespace

void Pipelines::draw(const TileTransform& map_transform) const {
    draw_base(map_transform);
    draw_top(map_transform);
}

void Pipelines::draw_base(const TileTransform& map_transform) const {
    set_blending();
    draw_fills(map_, map_transform);
    draw_lines(map_, map_transform);
}

void Pipelines::draw_top(const TileTransform& map_transform) const {
    set_blending();
    draw_symbols(map_, map_transform);
    const TileTransform overlay = overlay_transform(map_transform);
    draw_layers(overlay_, overlay);
    text_.draw(overlay);
    glBindVertexArray(0);
    glUseProgram(0);
}

void Pipelines::draw_layers(const Layers& layers, const TileTransform& t) const {
    draw_fills(layers, t);
    draw_lines(layers, t);
    draw_symbols(layers, t);
}

void Pipelines::draw_fills(const Layers& layers, const TileTransform& t) const {
    if (layers.fills.empty()) return;
    glUseProgram(fill_program_.id());
    set_view(fill_view_, t);
    glUniform2fv(fill_frag_scale_, 1, t.frag_scale);
    glUniform2fv(fill_frag_bias_, 1, t.frag_bias);
    glBindVertexArray(layers.fill_vao.id());
    for (const FillStyle& f : layers.fills) {
        if (f.range.count == 0) continue;
        set_color(fill_color_, f.color);
        set_color(fill_hatch_, f.hatch);
        const float spacing = std::max(0.0f, f.hatch_spacing_px);
        glUniform1f(fill_hatch_spacing_, spacing);
        glUniform1f(fill_hatch_width_, std::min(1.5f, 0.5f * spacing));  // pixels
        glDrawElements(GL_TRIANGLES, static_cast<GLsizei>(f.range.count), GL_UNSIGNED_INT,
                       byte_offset(f.range.first * sizeof(std::uint32_t)));
    }
}

void Pipelines::draw_lines(const Layers& layers, const TileTransform& t) const {
    if (layers.lines.empty()) return;
    glUseProgram(line_program_.id());
    set_view(line_view_, t);
    glBindVertexArray(layers.line_vao.id());
    glBindBuffer(GL_ARRAY_BUFFER, layers.segments.id());
    for (const LineStyle& l : layers.lines) {
        if (l.range.count == 0 || l.width_px <= 0.0f) continue;
        set_color(line_color_, l.color);
        // Lines thinner than a pixel are drawn 1 px wide at proportionally lower coverage.
        glUniform1f(line_half_width_, 0.5f * std::max(1.0f, l.width_px));
        glUniform1f(line_coverage_scale_, std::min(1.0f, l.width_px));
        const bool dashed = l.dash_px > 0.0f && l.gap_px > 0.0f;
        glUniform1f(line_dash_, dashed ? l.dash_px : 0.0f);
        glUniform1f(line_gap_, dashed ? l.gap_px : 0.0f);
        point_segment_attributes(l.range.first);
        glDrawArraysInstanced(GL_TRIANGLE_STRIP, 0, 4, static_cast<GLsizei>(l.range.count));
    }
    glBindBuffer(GL_ARRAY_BUFFER, 0);
}

void Pipelines::draw_symbols(const Layers& layers, const TileTransform& t) const {
    if (layers.symbol_count == 0) return;
    glUseProgram(symbol_program_.id());
    set_view(symbol_view_, t);
    glBindVertexArray(layers.symbol_vao.id());
    glDrawArraysInstanced(GL_TRIANGLE_STRIP, 0, 4, static_cast<GLsizei>(layers.symbol_count));
}

}  // namespace limes::render
