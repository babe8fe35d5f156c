#include "render/packing.hpp"

#include <cmath>
#include <stdexcept>
#include <string>

namespace limes::render {
namespace {

void pack_fills(const map::DrawList& list, PackedDrawList& out) {
    std::size_t vertex_total = 0, index_total = 0;
    for (const auto& batch : list.fills) {
        vertex_total += batch.vertices.size();
        index_total += batch.indices.size();
    }
    out.fill_vertices.reserve(vertex_total);
    out.fill_indices.reserve(index_total);
    for (std::size_t b = 0; b < list.fills.size(); ++b) {
        const map::FillBatch& batch = list.fills[b];
        if (batch.indices.size() % 3 != 0) {
            throw std::invalid_argument("fill batch " + std::to_string(b) + ": " +
                                        std::to_string(batch.indices.size()) +
                                        " indices is not a whole number of triangles");
        }
        const auto base = static_cast<std::uint32_t>(out.fill_vertices.size());
        const std::size_t first = out.fill_indices.size();
        for (std::uint32_t index : batch.indices) {
            if (index >= batch.vertices.size()) {
                throw std::invalid_argument("fill batch " + std::to_string(b) + ": index " +
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

void pack_lines(const map::DrawList& list, PackedDrawList& out) {
    for (const auto& batch : list.lines) {
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

}  // namespace

PackedDrawList pack_draw_list(const map::DrawList& list) {
    PackedDrawList out;
    pack_fills(list, out);
    pack_lines(list, out);
    out.symbols.reserve(list.symbols.size());
    for (const auto& s : list.symbols) {
        out.symbols.push_back({s.position.x,
                               s.position.y,
                               s.size_px,
                               static_cast<std::uint8_t>(s.shape),
                               {0, 0, 0},
                               s.fill,
                               s.outline});
    }
    return out;
}

}  // namespace limes::render
