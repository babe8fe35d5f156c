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
        case Shape::Circle: half = (r - 0.5) * kSqrt1_2; break;          // disc of radius r
        case Shape::Square: half = r - 0.5; break;                       // box of half side r
        case Shape::Diamond: half = (r - kSqrt1_2) / 2; break;           // |x| + |y| <= r
        case Shape::Triangle: half = (0.5 * r - 0.5) * kSqrt1_2; break;  // incircle 0.5 r
        case Shape::Star: half = (0.3 * r - 0.5) * kSqrt1_2; break;      // inside the inner points
        case Shape::Cross: half = 0.36 * r - 0.5; break;                 // the arms' crossing
        case Shape::Disc: return 0.0;                                    // translucent wash
    }
    return std::max(0.0, half);
}

double opaque_half_width(const Symbol& s, double dy, double inset) {
    if (s.fill.a != 255 || s.outline.a != 255) return -1.0;
    // Where symbol.frag's signed distance d (exact for these shapes inside them, so it changes
    // by at most a pixel when the point moves by one) is <= -(0.5 + inset): opaque there, and
    // still opaque after a move by up to `inset` pixels.
    const double t = 0.5 + inset;
    const double r = 0.5 * s.size_px;
    const double ay = std::fabs(dy);
    switch (s.shape) {
        case Shape::Circle: {
            const double rho = r - t;
            return ay <= rho ? std::sqrt(rho * rho - dy * dy) : -1.0;
        }
        case Shape::Square: return ay <= r - t ? r - t : -1.0;
        case Shape::Diamond: return (r - t * 1.41421356) - ay;  // (|x| + |y| - r) / sqrt 2
        case Shape::Triangle: {
            // Equilateral, pointing up, centroid at the centre, inradius r / 2 (sd_triangle
            // with half side r sin 60°): inset by t it is the same triangle scaled by k.
            const double in = 0.5 * r - t;
            if (in <= 0) return -1.0;
            const double k = in / (0.5 * r);
            const double apex = k * r, base = -k * 0.5 * r;  // y up, from the centre
            const double y = -dy;                            // image rows grow downwards
            if (y < base || y > apex) return -1.0;
            return k * r * 0.8660254 * (apex - y) / (apex - base);
        }
        case Shape::Cross: {  // two bars: r by 0.36 r half sizes, one across, one upright
            const double arm = r - t, bar = 0.36 * r - t;
            if (bar <= 0) return -1.0;
            return ay <= bar ? arm : ay <= arm ? bar : -1.0;
        }
        case Shape::Star: {  // the square inside its inner points, as opaque_half_side
            const double half = (0.3 * r - 0.5) * 0.70710678 - inset;
            return ay <= half ? half : -1.0;
        }
        case Shape::Disc: return -1.0;
    }
    return -1.0;
}

namespace {

// One bit a pixel, a row of 64-bit words per image row: 4K is 1 MiB, which stays in cache
// where a byte a pixel (8 MiB) did not, and a span tests or fills 64 pixels at a time.
class CoverMask {
  public:
    CoverMask(int width, int height)
        : words_((static_cast<std::size_t>(width) + 63) / 64),
          bits_(words_ * static_cast<std::size_t>(height), 0) {}

    /** Whether pixels x0 .. x1 - 1 of rows y0 .. y1 - 1 are all covered (x0 < x1). The
     *  words and their masks are the same on every row: worked out once. */
    bool all(int y0, int y1, int x0, int x1) const {
        const int w0 = x0 >> 6, w1 = (x1 - 1) >> 6;
        const std::uint64_t first = span(w0, x0, x1), last = span(w1, x0, x1);
        const std::uint64_t* row = &bits_[static_cast<std::size_t>(y0) * words_];
        for (int y = y0; y < y1; ++y, row += words_) {
            if ((row[w0] & first) != first || (row[w1] & last) != last) return false;
            for (int k = w0 + 1; k < w1; ++k)  // symbols over 64 px wide only
                if (row[k] != ~std::uint64_t{0}) return false;
        }
        return true;
    }
    /** Covers pixels x0 .. x1 - 1 of row y (x0 < x1). */
    void set(int y, int x0, int x1) {
        std::uint64_t* row = &bits_[static_cast<std::size_t>(y) * words_];
        for (int k = x0 >> 6; k <= (x1 - 1) >> 6; ++k) row[k] |= span(k, x0, x1);
    }

  private:
    // The bits of word k that pixels x0 .. x1 - 1 fall on.
    static std::uint64_t span(int k, int x0, int x1) {
        const int lo = std::max(x0 - k * 64, 0), hi = std::min(x1 - k * 64, 64);  // [lo, hi)
        const std::uint64_t upto_hi = hi == 64 ? ~std::uint64_t{0} : (std::uint64_t{1} << hi) - 1;
        return upto_hi & ~((std::uint64_t{1} << lo) - 1);
    }

    std::size_t words_;
    std::vector<std::uint64_t> bits_;
};

}  // namespace

std::size_t drop_hidden_symbols(std::vector<Symbol>& symbols, std::size_t first, const View& view,
                                double origin_x, double origin_y) {
    if (symbols.size() <= first || view.width <= 0 || view.height <= 0) return 0;
    const int w = view.width, h = view.height;
    CoverMask covered(w, h);
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
        const double x0 = std::floor(cx - e), x1 = std::ceil(cx + e), y0 = std::floor(cy - e),
                     y1 = std::ceil(cy + e);
        if (x0 >= 0 && y0 >= 0 && x1 <= w && y1 <= h) {
            if (covered.all(static_cast<int>(y0), static_cast<int>(y1), static_cast<int>(x0),
                            static_cast<int>(x1))) {
                keep[k - first] = 0;
                ++dropped;
                continue;
            }
        }
        // Pixels whose centre lies where the shape is opaque (less the margin) now show this
        // symbol whatever is drawn under it: row by row, the span of the opaque shape.
        if (s.fill.a != 255 || s.outline.a != 255 || s.shape == Shape::Disc) continue;
        const double r = 0.5 * s.size_px;
        const int py0 = std::max(0, static_cast<int>(std::ceil(cy - r - 0.5)));
        const int py1 = std::min(h - 1, static_cast<int>(std::floor(cy + r - 0.5)));
        for (int y = py0; y <= py1; ++y) {
            const double half = opaque_half_width(s, y + 0.5 - cy, kMargin);
            if (half < 0) continue;
            const int px0 = std::max(0, static_cast<int>(std::ceil(cx - half - 0.5)));
            const int px1 = std::min(w - 1, static_cast<int>(std::floor(cx + half - 0.5)));
            if (px0 <= px1) covered.set(y, px0, px1 + 1);
        }
    }
    if (dropped == 0) return 0;
    std::size_t out = first;
    for (std::size_t k = first; k < symbols.size(); ++k)
        if (keep[k - first]) symbols[out++] = symbols[k];
    symbols.resize(out);
    return dropped;
}

}  // namespace limes::map
