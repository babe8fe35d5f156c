#include "render/packing.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace limes::render {
namespace {

void pack_fills(const std::vector<map::FillBatch>& fills, const std::string& what,
                PackedLayers& out) {
    std::size_t vertex_total = 0, index_total = 0;
    for (const auto& batch : fills) {
        vertex_total += batch.vertices.size();
        index_total += batch.indices.size();
    }
    out.fill_vertices.reserve(vertex_total);
    out.fill_indices.reserve(index_total);
    for (std::size_t b = 0; b < fills.size(); ++b) {
        const map::FillBatch& batch = fills[b];
        if (batch.indices.size() % 3 != 0) {
            throw std::invalid_argument(what + " " + std::to_string(b) + ": " +
                                        std::to_string(batch.indices.size()) +
                                        " indices is not a whole number of triangles");
        }
        const auto base = static_cast<std::uint32_t>(out.fill_vertices.size());
        const std::size_t first = out.fill_indices.size();
        for (std::uint32_t index : batch.indices) {
            if (index >= batch.vertices.size()) {
                throw std::invalid_argument(what + " " + std::to_string(b) + ": index " +
                                            std::to_string(index) + " past its " +
                                            std::to_string(batch.vertices.size()) + " vertices");
            }
            out.fill_indices.push_back(base + index);
        }
        out.fill_vertices.insert(out.fill_vertices.end(), batch.vertices.begin(),
                                 batch.vertices.end());
        out.fill_ranges.push_back({first, batch.indices.size()});
    }
}

void pack_lines(const std::vector<map::LineBatch>& lines, PackedLayers& out) {
    for (const auto& batch : lines) {
        const std::size_t first = out.segments.size();
        for (const auto& polyline : batch.polylines) {
            double distance = 0.0;  // double: long borders sum many segments
            for (std::size_t i = 1; i < polyline.size(); ++i) {
                const map::Vec2 a = polyline[i - 1], b = polyline[i];
                const double length = std::hypot(double(b.x) - a.x, double(b.y) - a.y);
                if (length > 0.0) {
                    out.segments.push_back({a.x, a.y, b.x, b.y, static_cast<float>(distance)});
                }
                distance += length;
            }
        }
        out.line_ranges.push_back({first, out.segments.size() - first});
    }
}

void check_atlas(const map::DrawList& list) {
    if (list.overlay.glyphs.empty()) return;
    const map::GlyphAtlas* atlas = list.atlas.get();
    if (atlas == nullptr) {
        throw std::invalid_argument("draw list has " + std::to_string(list.overlay.glyphs.size()) +
                                    " glyphs but no glyph atlas");
    }
    const auto expected = static_cast<std::size_t>(std::max(atlas->width, 0)) *
                          static_cast<std::size_t>(std::max(atlas->height, 0));
    if (atlas->width < 1 || atlas->height < 1 || atlas->sdf.size() != expected) {
        throw std::invalid_argument("glyph atlas " + std::to_string(atlas->width) + "x" +
                                    std::to_string(atlas->height) + " holds " +
                                    std::to_string(atlas->sdf.size()) + " sdf bytes");
    }
    if (!(atlas->value_per_texel > 0.0f)) {
        throw std::invalid_argument("glyph atlas value_per_texel must be > 0, got " +
                                    std::to_string(atlas->value_per_texel));
    }
}

// An outline width in pixels as eighths of a pixel in a byte (clamped to 0..31.875 px).
std::uint8_t outline_eighths(float px) {
    if (!(px > 0.0f)) return 0;
    return static_cast<std::uint8_t>(std::lround(std::min(px, 255.0f / 8.0f) * 8.0f));
}

}  // namespace

PackedLayers pack_layers(const std::vector<map::FillBatch>& fills,
                         const std::vector<map::LineBatch>& lines,
                         const std::vector<map::Symbol>& symbols, const std::string& what) {
    PackedLayers out;
    pack_fills(fills, what, out);
    pack_lines(lines, out);
    out.symbols.reserve(symbols.size());
    for (const auto& s : symbols) {
        out.symbols.push_back(
            {s.position.x, s.position.y, s.size_px, static_cast<std::uint8_t>(s.shape),
             outline_eighths(s.outline_px),
             static_cast<std::uint8_t>((s.fill_style == map::SymbolFill::Hollow ? 1u : 0u) |
                                       (s.dashed ? 2u : 0u) | (s.inner_ring ? 4u : 0u)),
             0, s.fill, s.outline});
    }
    return out;
}

PackedDrawList pack_draw_list(const map::DrawList& list) {
    check_atlas(list);
    PackedDrawList out;
    out.map = pack_layers(list.fills, list.lines, list.symbols);
    const map::Overlay& overlay = list.overlay;
    out.overlay = pack_layers(overlay.fills, overlay.lines, overlay.symbols, "overlay fill batch");
    out.glyphs.reserve(overlay.glyphs.size());
    for (std::size_t i = 0; i < overlay.glyphs.size(); ++i) {
        const map::GlyphQuad& g = overlay.glyphs[i];
        if (!(g.texels_per_px > 0.0f)) {
            throw std::invalid_argument("glyph " + std::to_string(i) +
                                        ": texels_per_px must be > 0, got " +
                                        std::to_string(g.texels_per_px));
        }
        out.glyphs.push_back({g.x0, g.y0, g.x1, g.y1, g.u0, g.v0, g.u1, g.v1, g.color, g.halo,
                              std::max(0.0f, g.halo_px), g.texels_per_px});
    }
    return out;
}

}  // namespace limes::render
