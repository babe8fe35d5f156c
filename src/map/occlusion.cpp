#include "map/occlusion.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>

namespace limes::map {

double opaque_half_side(const Symbol& s) {
    if (s.fill.a != 255 || s.outline.a != 255) return 0.0;
    // symbol.frag: a pixel is fully opaque where the shape's signed distance is <= -0.5 px.
    const double r = 0.5 * s.size_px;
    constexpr double kSqrt1_2 = 0.70710678;
    double half = 0.0;
    switch (s.shape) {
        case Shape::Circle: half = (r - 0.5) * kSqrt1_2; break;       // disc of radius r
        case Shape::Square: half = r - 0.5; break;                    // box of half side r
        case Shape::Diamond: half = (r - kSqrt1_2) / 2; break;        // |x| + |y| <= r
        case Shape::Triangle: half = (0.5 * r - 0.5) * kSqrt1_2; break;  // incircle 0.5 r
        case Shape::Star: half = (0.3 * r - 0.5) * kSqrt1_2; break;   // inside the inner points
        case Shape::Cross: half = 0.36 * r - 0.5; break;              // the arms' crossing
        case Shape::Disc: return 0.0;                                 // translucent wash
    }
    return std::max(0.0, half);
}

std::size_t drop_hidden_symbols(std::vector<Symbol>& symbols, std::size_t first, const View& view,
                                double origin_x, double origin_y) {
    if (symbols.size() <= first || view.width <= 0 || view.height <= 0) return 0;
    const int w = view.width, h = view.height;
    std::vector<std::uint8_t> covered(static_cast<std::size_t>(w) * static_cast<std::size_t>(h), 0);
    std::vector<std::uint8_t> keep(symbols.size() - first, 1);
    const double ppu = 1.0 / view.units_per_pixel;
    // A pixel of margin on every test: the window pans an uploaded list by fractions of a
    // pixel, which moves every symbol against the pixel grid alike.
    constexpr double kMargin = 1.0;
    std::size_t dropped = 0;
    for (std::size_t k = symbols.size(); k-- > first;) {
        const Symbol& s = symbols[k];
        const double cx = (s.position.x + origin_x - view.center_x) * ppu + w / 2.0;
        const double cy = h / 2.0 - (s.position.y + origin_y - view.center_y) * ppu;
        if (!std::isfinite(cx) || !std::isfinite(cy)) continue;
        // The pixels the quad (size + 2 px, symbol.vert) touches, and a margin.
        const double e = 0.5 * s.size_px + 1.0 + kMargin;
        const double x0 = std::floor(cx - e), x1 = std::ceil(cx + e), y0 = std::floor(cy - e), y1 = std::ceil(cy + e);
        if (x0 >= 0 && y0 >= 0 && x1 <= w && y1 <= h) {
            bool hidden = true;
            for (int y = static_cast<int>(y0); hidden && y < static_cast<int>(y1); ++y) {
                const std::uint8_t* row = &covered[static_cast<std::size_t>(y) * w];
                for (int x = static_cast<int>(x0); x < static_cast<int>(x1); ++x)
                    if (!row[x]) {
                        hidden = false;
                        break;
                    }
            }
            if (hidden) {
                keep[k - first] = 0;
                ++dropped;
                continue;
            }
        }
        // Pixels whose centre lies inside the opaque square (less the margin) now show this
        // symbol whatever is drawn under it.
        const double half = opaque_half_side(s) - kMargin;
        if (half <= 0) continue;
        const int px0 = std::max(0, static_cast<int>(std::ceil(cx - half - 0.5)));
        const int px1 = std::min(w - 1, static_cast<int>(std::floor(cx + half - 0.5)));
        const int py0 = std::max(0, static_cast<int>(std::ceil(cy - half - 0.5)));
        const int py1 = std::min(h - 1, static_cast<int>(std::floor(cy + half - 0.5)));
        for (int y = py0; y <= py1; ++y)
            std::fill_n(&covered[static_cast<std::size_t>(y) * w + px0], std::max(0, px1 - px0 + 1), 1);
    }
    if (dropped == 0) return 0;
    std::size_t out = first;
    for (std::size_t k = first; k < symbols.size(); ++k)
        if (keep[k - first]) symbols[out++] = symbols[k];
    symbols.resize(out);
    return dropped;
}

}  // namespace limes::map
