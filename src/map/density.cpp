#include "map/density.hpp"

#include <algorithm>
#include <cmath>

namespace limes::map {
namespace {

// The heat shades, light yellow to dark red (ColorBrewer YlOrRd), translucent over the map.
constexpr Rgba kRamp[] = {{255, 237, 160, 120},
                          {254, 178, 76, 150},
                          {253, 141, 60, 180},
                          {240, 59, 32, 205},
                          {189, 0, 38, 230}};
constexpr int kClasses = sizeof kRamp / sizeof kRamp[0];

std::int64_t floor_div(double v, double size) {
    return static_cast<std::int64_t>(std::floor(v / size));
}

}  // namespace

View heat_area(const View& view) {
    View a = view;
    const double qx = view.width * view.units_per_pixel / 4;
    const double qy = view.height * view.units_per_pixel / 4;
    if (qx > 0 && qy > 0) {
        a.center_x = std::round(view.center_x / qx) * qx;
        a.center_y = std::round(view.center_y / qy) * qy;
    }
    a.width = view.width * 2;
    a.height = view.height * 2;
    return a;
}

double round_2sf(double v) {
    if (!(v > 0) || !std::isfinite(v)) return 0.0;
    const double p = std::pow(10.0, std::floor(std::log10(v)) - 1);
    return std::round(v / p) * p;
}

DensitySurface density_surface(const std::vector<Vec2>& positions,
                               const std::vector<std::uint32_t>* subset, const View& view,
                               double ox, double oy, float cell_px, float sigma_px,
                               double km_per_unit) {
    DensitySurface s;
    const double upp = view.units_per_pixel;
    s.cell = cell_px * upp;
    s.cell_km2 = (s.cell * km_per_unit) * (s.cell * km_per_unit);
    s.sigma_km = sigma_px * upp * km_per_unit;
    const double sigma_cells = sigma_px / cell_px;
    const int radius = static_cast<int>(std::ceil(3 * sigma_cells));
    // The view in local map units, and the cells over it with a margin of the kernel's reach:
    // incidents just outside the view still warm its edge.
    const double hx = view.width / 2.0 * upp, hy = view.height / 2.0 * upp;
    const double cx = view.center_x - ox, cy = view.center_y - oy;
    const std::int64_t vc0 = floor_div(cx - hx, s.cell), vc1 = floor_div(cx + hx, s.cell);
    const std::int64_t vr0 = floor_div(cy - hy, s.cell), vr1 = floor_div(cy + hy, s.cell);
    s.col0 = vc0 - radius, s.row0 = vr0 - radius;
    s.cols = static_cast<int>(vc1 - vc0 + 1 + 2 * radius);
    s.rows = static_cast<int>(vr1 - vr0 + 1 + 2 * radius);
    if (!(km_per_unit > 0) || s.cols <= 0 || s.rows <= 0 ||
        static_cast<double>(s.cols) * s.rows > 16e6)
        return DensitySurface{};
    std::vector<float> count(static_cast<std::size_t>(s.cols) * s.rows, 0.0f);
    const std::size_t n = subset ? subset->size() : positions.size();
    const double gx0 = static_cast<double>(s.col0) * s.cell, gy0 = static_cast<double>(s.row0) * s.cell;
    for (std::size_t k = 0; k < n; ++k) {
        const Vec2 p = positions[subset ? (*subset)[k] : k];
        if (!std::isfinite(p.x) || !std::isfinite(p.y)) continue;
        const double fx = (p.x - gx0) / s.cell, fy = (p.y - gy0) / s.cell;
        if (!(fx >= 0 && fy >= 0 && fx < s.cols && fy < s.rows)) continue;
        ++count[static_cast<std::size_t>(static_cast<int>(fy)) * s.cols + static_cast<int>(fx)];
    }
    // Separable Gaussian, weights summing to 1: each cell then holds the expected number of
    // incidents in it, and the whole grid sums to the incidents counted (away from its edges).
    std::vector<float> w(static_cast<std::size_t>(2 * radius + 1));
    double total = 0;
    for (int i = -radius; i <= radius; ++i)
        total += w[static_cast<std::size_t>(i + radius)] =
            static_cast<float>(std::exp(-0.5 * i * i / (sigma_cells * sigma_cells)));
    for (auto& v : w) v = static_cast<float>(v / total);
    std::vector<float> rows_blurred(count.size(), 0.0f);
    for (int r = 0; r < s.rows; ++r) {
        const float* in = &count[static_cast<std::size_t>(r) * s.cols];
        float* out = &rows_blurred[static_cast<std::size_t>(r) * s.cols];
        for (int c = 0; c < s.cols; ++c) {
            if (in[c] == 0.0f) continue;  // scatter: most cells are empty
            for (int i = std::max(-radius, -c); i <= std::min(radius, s.cols - 1 - c); ++i)
                out[c + i] += in[c] * w[static_cast<std::size_t>(i + radius)];
        }
    }
    s.per_100km2.assign(count.size(), 0.0f);
    const float to_density = static_cast<float>(100.0 / s.cell_km2);
    for (int r = 0; r < s.rows; ++r) {
        const float* in = &rows_blurred[static_cast<std::size_t>(r) * s.cols];
        for (int i = std::max(-radius, -r); i <= std::min(radius, s.rows - 1 - r); ++i) {
            float* out = &s.per_100km2[static_cast<std::size_t>(r + i) * s.cols];
            const float wi = w[static_cast<std::size_t>(i + radius)] * to_density;
            for (int c = 0; c < s.cols; ++c) out[c] += in[c] * wi;
        }
    }
    for (std::int64_t r = vr0; r <= vr1; ++r)
        for (std::int64_t c = vc0; c <= vc1; ++c) s.max_in_view = std::max(s.max_in_view, s.at(c, r));
    return s;
}

HeatScale heat_scale(const DensitySurface& surface) {
    HeatScale scale;
    if (!(surface.max_in_view > 0)) return scale;
    scale.sigma_km = surface.sigma_km;
    scale.max = round_2sf(surface.max_in_view);
    for (int k = 0; k < kClasses; ++k) {
        scale.lower.push_back(round_2sf(surface.max_in_view / std::exp2(kClasses - k)));
        scale.colors.push_back(kRamp[k]);
    }
    return scale;
}

void density_fills(const DensitySurface& s, const HeatScale& scale, std::vector<FillBatch>& out) {
    if (scale.empty()) return;
    const int classes = static_cast<int>(scale.lower.size());
    std::vector<FillBatch> batches(static_cast<std::size_t>(classes));
    for (int k = 0; k < classes; ++k) batches[static_cast<std::size_t>(k)].color = scale.colors[k];
    auto class_of = [&](float v) {
        int k = -1;
        while (k + 1 < classes && v >= scale.lower[static_cast<std::size_t>(k + 1)]) ++k;
        return k;
    };
    for (int r = 0; r < s.rows; ++r) {
        const float y0 = static_cast<float>((s.row0 + r) * s.cell);
        const float y1 = static_cast<float>((s.row0 + r + 1) * s.cell);
        int c = 0;
        while (c < s.cols) {
            const int k = class_of(s.per_100km2[static_cast<std::size_t>(r) * s.cols + c]);
            int end = c + 1;
            while (end < s.cols && class_of(s.per_100km2[static_cast<std::size_t>(r) * s.cols +
                                                         end]) == k)
                ++end;
            if (k >= 0) {
                FillBatch& b = batches[static_cast<std::size_t>(k)];
                const float x0 = static_cast<float>((s.col0 + c) * s.cell);
                const float x1 = static_cast<float>((s.col0 + end) * s.cell);
                const auto base = static_cast<std::uint32_t>(b.vertices.size());
                b.vertices.insert(b.vertices.end(), {{x0, y0}, {x1, y0}, {x1, y1}, {x0, y1}});
                b.indices.insert(b.indices.end(),
                                 {base, base + 1, base + 2, base, base + 2, base + 3});
            }
            c = end;
        }
    }
    for (auto& b : batches)
        if (!b.vertices.empty()) out.push_back(std::move(b));
}

}  // namespace limes::map
