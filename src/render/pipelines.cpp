#include "render/pipelines.hpp"

#include <algorithm>
#include <cstdint>

namespace limes::render {
namespace {

const void* byte_offset(std::size_t bytes) {
    return reinterpret_cast<const void*>(bytes);
}

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

TileTransform make_tile_transform(const map::View& view, double origin_x, double origin_y,
                                  const TileRect& tile, RowOrder rows, int frame_size) {
    TileTransform t{};
    // The subtraction in double keeps precision when origin and centre are both far from
    // the CRS origin (eastings in the millions of metres).
    t.offset[0] = static_cast<float>(origin_x - view.center_x);
    t.offset[1] = static_cast<float>(origin_y - view.center_y);
    t.inv_upp = static_cast<float>(1.0 / view.units_per_pixel);
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
      line_gap_(uniform_location(line_program_, "u_gap")),
      fill_vao_(make_vertex_array()),
      line_vao_(make_vertex_array()),
      symbol_vao_(make_vertex_array()),
      fill_vertices_(make_buffer()),
      fill_indices_(make_buffer()),
      segments_(make_buffer()),
      symbols_(make_buffer()) {
    // Fills: one vec2 per vertex, indexed.
    glBindVertexArray(fill_vao_.id());
    glBindBuffer(GL_ARRAY_BUFFER, fill_vertices_.id());
    glEnableVertexAttribArray(0);
    glVertexAttribPointer(0, 2, GL_FLOAT, GL_FALSE, sizeof(map::Vec2), byte_offset(0));
    glBindBuffer(GL_ELEMENT_ARRAY_BUFFER, fill_indices_.id());  // recorded in the VAO

    // Lines: one SegmentInstance per instance; pointers re-aimed per batch in draw_lines.
    glBindVertexArray(line_vao_.id());
    glBindBuffer(GL_ARRAY_BUFFER, segments_.id());
    for (GLuint i = 0; i < 3; ++i) {
        glEnableVertexAttribArray(i);
        glVertexAttribDivisor(i, 1);
    }
    point_segment_attributes(0);

    // Symbols: one SymbolInstance per instance.
    glBindVertexArray(symbol_vao_.id());
    glBindBuffer(GL_ARRAY_BUFFER, symbols_.id());
    const GLsizei stride = sizeof(SymbolInstance);
    for (GLuint i = 0; i < 5; ++i) {
        glEnableVertexAttribArray(i);
        glVertexAttribDivisor(i, 1);
    }
    glVertexAttribPointer(0, 2, GL_FLOAT, GL_FALSE, stride, byte_offset(0));
    glVertexAttribPointer(1, 1, GL_FLOAT, GL_FALSE, stride, byte_offset(8));
    glVertexAttribIPointer(2, 1, GL_UNSIGNED_BYTE, stride, byte_offset(12));
    glVertexAttribPointer(3, 4, GL_UNSIGNED_BYTE, GL_TRUE, stride, byte_offset(16));
    glVertexAttribPointer(4, 4, GL_UNSIGNED_BYTE, GL_TRUE, stride, byte_offset(20));

    glBindVertexArray(0);
    glBindBuffer(GL_ARRAY_BUFFER, 0);
    check_gl("creating the render pipelines");
}

Pipelines::ViewUniforms Pipelines::view_uniforms(const Program& program) {
    return {
        uniform_location(program, "u_offset"),       uniform_location(program, "u_inv_upp"),
        uniform_location(program, "u_image_center"), uniform_location(program, "u_frame_origin"),
        uniform_location(program, "u_ndc_scale"),    uniform_location(program, "u_ndc_bias")};
}

void Pipelines::set_view(const ViewUniforms& u, const TileTransform& t) {
    glUniform2fv(u.offset, 1, t.offset);
    glUniform1f(u.inv_upp, t.inv_upp);
    glUniform2fv(u.image_center, 1, t.image_center);
    glUniform2fv(u.frame_origin, 1, t.frame_origin);
    glUniform2fv(u.ndc_scale, 1, t.ndc_scale);
    glUniform2fv(u.ndc_bias, 1, t.ndc_bias);
}

void Pipelines::upload(const map::DrawList& list, const PackedDrawList& packed) {
    fill_buffer(fill_vertices_, GL_ARRAY_BUFFER, packed.fill_vertices);
    glBindVertexArray(fill_vao_.id());  // the element buffer binding belongs to the VAO
    fill_buffer(fill_indices_, GL_ELEMENT_ARRAY_BUFFER, packed.fill_indices);
    glBindVertexArray(0);
    fill_buffer(segments_, GL_ARRAY_BUFFER, packed.segments);
    fill_buffer(symbols_, GL_ARRAY_BUFFER, packed.symbols);
    glBindBuffer(GL_ARRAY_BUFFER, 0);
    check_gl("uploading the draw list");

    fills_.clear();
    for (std::size_t i = 0; i < list.fills.size(); ++i) {
        const map::FillBatch& b = list.fills[i];
        fills_.push_back({packed.fill_ranges[i], b.color, b.hatch, b.hatch_spacing_px});
    }
    lines_.clear();
    for (std::size_t i = 0; i < list.lines.size(); ++i) {
        const map::LineBatch& b = list.lines[i];
        lines_.push_back({packed.line_ranges[i], b.color, b.width_px, b.dash_px, b.gap_px});
    }
    symbol_count_ = packed.symbols.size();
    origin_x_ = list.origin_x;
    origin_y_ = list.origin_y;
    background_ = list.background;
}

void Pipelines::draw(const TileTransform& t) const {
    glDisable(GL_DEPTH_TEST);
    glDisable(GL_CULL_FACE);
    glDisable(GL_SCISSOR_TEST);
    // Straight alpha: colour = src * a + dst * (1 - a); destination alpha accumulates coverage.
    glEnable(GL_BLEND);
    glBlendEquation(GL_FUNC_ADD);
    glBlendFuncSeparate(GL_SRC_ALPHA, GL_ONE_MINUS_SRC_ALPHA, GL_ONE, GL_ONE_MINUS_SRC_ALPHA);
    draw_fills(t);
    draw_lines(t);
    draw_symbols(t);
    glBindVertexArray(0);
    glUseProgram(0);
}

void Pipelines::draw_fills(const TileTransform& t) const {
    if (fills_.empty()) return;
    glUseProgram(fill_program_.id());
    set_view(fill_view_, t);
    glUniform2fv(fill_frag_scale_, 1, t.frag_scale);
    glUniform2fv(fill_frag_bias_, 1, t.frag_bias);
    glBindVertexArray(fill_vao_.id());
    for (const FillStyle& f : fills_) {
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

void Pipelines::draw_lines(const TileTransform& t) const {
    if (lines_.empty()) return;
    glUseProgram(line_program_.id());
    set_view(line_view_, t);
    glBindVertexArray(line_vao_.id());
    glBindBuffer(GL_ARRAY_BUFFER, segments_.id());
    for (const LineStyle& l : lines_) {
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

void Pipelines::draw_symbols(const TileTransform& t) const {
    if (symbol_count_ == 0) return;
    glUseProgram(symbol_program_.id());
    set_view(symbol_view_, t);
    glBindVertexArray(symbol_vao_.id());
    glDrawArraysInstanced(GL_TRIANGLE_STRIP, 0, 4, static_cast<GLsizei>(symbol_count_));
}

}  // namespace limes::render
