#include "map/cluster.hpp"

#include "map/text.hpp"

#include <algorithm>
#include <array>
#include <climits>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <unordered_map>

#include "map/style.hpp"

namespace limes::map {
namespace {

struct Cell {
    double sx = 0, sy = 0;
    std::uint32_t count = 0;
    std::array<std::uint32_t, core::kOtherEventType + 1>
        by_type{};  // the six ACLED types, then other
};

// Bins incidents into square cells of cell_px pixels at the view's scale, anchored at the
// map origin (not the screen), so the clusters do not change while panning and need
// rebuilding only on zoom. Key packs the cell's column and row (offset to stay positive).
constexpr std::int64_t kCellOffset = 1 << 30;
// A dense grid over the occupied cells when it has at most this many (48 bytes each): one
// array index per incident instead of a hash lookup; the timeline re-bins a million incidents
// per step. Beyond it (far apart incidents at a close zoom) a hash map.
constexpr std::int64_t kMaxDenseCells = 1 << 21;

std::vector<std::pair<std::uint64_t, Cell>> bin(const std::vector<core::IncidentMark>& all,
                                                const std::vector<Vec2>& positions,
                                                const std::vector<std::uint32_t>* subset,
                                                const View& view, double, double, float cell_px) {
    const double size = cell_px * view.units_per_pixel;  // map units
    const std::size_t n = subset ? subset->size() : all.size();
    // floor(v / size) as an integer, without a libm call per point (v / size is finite here).
    auto cell_of = [size](float v) {
        const double q = v / size;
        const auto t = static_cast<std::int64_t>(q);
        return t - (q < static_cast<double>(t));
    };
    // Calls visit(i, p, cx, cy) for every incident with a position: its index, position and cell.
    auto each = [&](auto&& visit) {
        for (std::size_t k = 0; k < n; ++k) {
            const std::size_t i = subset ? (*subset)[k] : k;
            const Vec2 p = positions[i];
            if (!std::isfinite(p.x) || !std::isfinite(p.y)) continue;
            visit(i, p, cell_of(p.x), cell_of(p.y));
        }
    };
    // The occupied columns and rows: from the extreme positions (floor is monotonic), a pass
    // without divisions.
    float min_x = INFINITY, min_y = INFINITY, max_x = -INFINITY, max_y = -INFINITY;
    for (std::size_t k = 0; k < n; ++k) {
        const Vec2 p = positions[subset ? (*subset)[k] : k];
        if (!std::isfinite(p.x) || !std::isfinite(p.y)) continue;
        min_x = std::min(min_x, p.x), max_x = std::max(max_x, p.x);
        min_y = std::min(min_y, p.y), max_y = std::max(max_y, p.y);
    }
    std::int64_t x0 = INT64_MAX, y0 = INT64_MAX, x1 = INT64_MIN, y1 = INT64_MIN;
    if (min_x <= max_x)
        x0 = cell_of(min_x), x1 = cell_of(max_x), y0 = cell_of(min_y), y1 = cell_of(max_y);
    std::vector<std::pair<std::uint64_t, Cell>> out;
    if (x0 > x1) return out;
    auto key = [](std::int64_t cx, std::int64_t cy) {
        return (static_cast<std::uint64_t>(cx + kCellOffset) << 32) |
               static_cast<std::uint64_t>(cy + kCellOffset);
    };
    auto add = [&](Cell& c, const Vec2& p, std::size_t i) {
        c.sx += p.x;
        c.sy += p.y;
        ++c.count;
        ++c.by_type[std::min(all[i].type, core::kOtherEventType)];
    };
    const std::int64_t cols = x1 - x0 + 1, rows = y1 - y0 + 1;
    if (cols <= kMaxDenseCells / rows) {
        std::vector<Cell> grid(static_cast<std::size_t>(cols * rows));
        each([&](std::size_t i, Vec2 p, std::int64_t cx, std::int64_t cy) {
            add(grid[static_cast<std::size_t>((cy - y0) * cols + (cx - x0))], p, i);
        });
        for (std::int64_t r = 0; r < rows; ++r)
            for (std::int64_t c = 0; c < cols; ++c)
                if (const Cell& cell = grid[static_cast<std::size_t>(r * cols + c)]; cell.count)
                    out.emplace_back(key(c + x0, r + y0), cell);
        return out;
    }
    std::unordered_map<std::uint64_t, Cell> cells;
    each([&](std::size_t i, Vec2 p, std::int64_t cx, std::int64_t cy) {
        add(cells[key(cx, cy)], p, i);
    });
    out.assign(cells.begin(), cells.end());
    return out;
}

}  // namespace

double cluster_cell_units(double units_per_pixel, double target_px) {
    return std::exp2(std::round(std::log2(target_px * units_per_pixel)));
}

std::vector<Cluster> cluster_incidents(const std::vector<core::IncidentMark>& all,
                                       const std::vector<Vec2>& positions,
                                       const std::vector<std::uint32_t>* subset, const View& view,
                                       double ox, double oy, float cell_px) {
    std::vector<Cluster> out;
    for (const auto& [key, c] : bin(all, positions, subset, view, ox, oy, cell_px)) {
        Cluster cl;
        cl.position = {static_cast<float>(c.sx / c.count), static_cast<float>(c.sy / c.count)};
        cl.count = c.count;
        const auto top = std::max_element(c.by_type.begin(), c.by_type.end()) - c.by_type.begin();
        cl.color = style_for_type_index(static_cast<std::size_t>(top)).fill;
        out.push_back(cl);
    }
    // Deterministic order (unordered_map is not): small first so large ones are on top.
    std::sort(out.begin(), out.end(), [](const Cluster& a, const Cluster& b) {
        if (a.count != b.count) return a.count < b.count;
        return a.position.x != b.position.x ? a.position.x < b.position.x
                                            : a.position.y < b.position.y;
    });
    return out;
}

float cluster_cell_px(double units_per_pixel) {
    return static_cast<float>(cluster_cell_units(units_per_pixel, kClusterCellPx) /
                              units_per_pixel);
}

float cluster_symbol_px(std::uint32_t count, float cell_px) {
    return std::min({64.0f, cell_px, 14.0f + 4.0f * std::sqrt(static_cast<float>(count))});
}

std::string cluster_count_label(std::uint32_t count) {
    if (count < 1000) return std::to_string(count);
    // Two significant figures: 1,234 -> 1.2k, 9,950 -> 10k, 123,456 -> 123k, 999,500 -> 1M.
    const bool millions = count >= 999'500;
    const double v = count / (millions ? 1e6 : 1e3);
    char buf[16];
    if (v < 9.95)
        std::snprintf(buf, sizeof buf, "%.1f", v);
    else
        std::snprintf(buf, sizeof buf, "%.0f", v);
    std::string out = buf;
    if (out.size() > 2 && out.compare(out.size() - 2, 2, ".0") == 0) out.resize(out.size() - 2);
    return out + (millions ? "M" : "k");
}

void cluster_symbols(const std::vector<Cluster>& clusters, float cell_px,
                     std::vector<Symbol>& out) {
    for (const auto& c : clusters) {
        Symbol s;
        s.position = c.position;
        s.shape = Shape::Circle;
        s.size_px = cluster_symbol_px(c.count, cell_px);
        s.fill = c.color;
        s.fill.a = 210;
        s.outline = {255, 255, 255, 255};
        out.push_back(s);
    }
}

void add_cluster_counts(const std::vector<Cluster>& clusters, const View& view, TextEngine& text,
                        DrawList& list) {
    const std::size_t first_text = list.overlay.texts.size();
    const float cell_px = cluster_cell_px(view.units_per_pixel);
    for (const auto& c : clusters) {
        if (c.count < 2) continue;
        const float x = static_cast<float>((c.position.x + list.origin_x - view.center_x) /
                                               view.units_per_pixel +
                                           view.width / 2.0);
        const float y = static_cast<float>(view.height / 2.0 - (c.position.y + list.origin_y -
                                                                view.center_y) /
                                                                   view.units_per_pixel);
        if (x < 0 || y < 0 || x > view.width || y > view.height) continue;
        const float symbol = cluster_symbol_px(c.count, cell_px);
        const std::string n = cluster_count_label(c.count);
        float size = std::max(9.0f, 0.42f * symbol);
        TextBox box = text.measure(n, size, Weight::Bold);
        if (box.width > 0.8f * symbol) {  // "8.8k" on a 64 px circle: a size smaller
            size *= 0.8f * symbol / box.width;
            box = text.measure(n, size, Weight::Bold);
        }
        // Digits are about 0.72 em tall, from the baseline up: centred on the circle.
        text.layout(n, x - box.width / 2, y + 0.36f * size, size, {255, 255, 255, 255},
                    list.overlay, Weight::Bold, {40, 40, 40, 160}, 1.2f);
    }
    mark_layer(list.overlay, list.overlay.symbols.size(), first_text, "incidents");
    list.atlas = text.atlas();
}

}  // namespace limes::map
