// map::drop_hidden_symbols, the fast path of a million-symbol render, against the plain one:
// the same symbols drawn with and without the hidden ones dropped give the same pixels, exactly
// (4x MSAA, every shape and size, opaque and translucent), also after the list is panned by a
// fraction of a pixel as the window does; and it does drop most symbols of a dense cluster.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <random>

#include "../render/render_test_util.hpp"
#include "map/occlusion.hpp"

using namespace limes;
namespace rt = limes::render::test;
using render::test::unit_view;

namespace {

/** A dense pile of symbols: most lie under others. */
map::DrawList dense_list(std::size_t n, unsigned seed) {
    map::DrawList list = render::test::empty_list();
    std::mt19937 rng(seed);
    std::normal_distribution<float> around(0.0f, 60.0f);
    const map::Shape shapes[] = {map::Shape::Circle,  map::Shape::Square, map::Shape::Triangle,
                                 map::Shape::Diamond, map::Shape::Star,   map::Shape::Cross};
    for (std::size_t i = 0; i < n; ++i) {
        map::Symbol s;
        s.position = {around(rng), around(rng)};
        s.shape = i % 97 == 0 ? map::Shape::Disc : shapes[rng() % 6];
        s.size_px = 8.0f + static_cast<float>(rng() % 33);
        s.fill = {static_cast<std::uint8_t>(rng()), static_cast<std::uint8_t>(rng()),
                  static_cast<std::uint8_t>(rng()),
                  static_cast<std::uint8_t>(i % 13 == 0 ? 120 : 255)};  // some translucent
        s.outline = {255, 255, 255, 255};
        if (s.shape == map::Shape::Disc) s.fill.a = 22, s.size_px = 60;
        list.symbols.push_back(s);
    }
    return list;
}

std::size_t differing(const render::test::Image& a, const render::test::Image& b) {
    std::size_t n = 0;
    for (std::size_t i = 0; i < a.rgba.size(); ++i) n += a.rgba[i] != b.rgba[i];
    return n;
}

}  // namespace

TEST_CASE("occlusion: dropping hidden symbols changes no pixel", "[occlusion]") {
    const map::View view = unit_view(480, 360);
    const map::DrawList all = dense_list(30'000, 5);
    map::DrawList culled = all;
    const std::size_t dropped = map::drop_hidden_symbols(culled.symbols, 0, view, 0, 0);
    INFO("dropped " << dropped << " of " << all.symbols.size());
    CHECK(dropped > all.symbols.size() / 2);  // a dense pile: most are under others
    CHECK(culled.symbols.size() + dropped == all.symbols.size());
    const auto a = rt::render(all, view), b = rt::render(culled, view);
    CHECK(differing(a, b) == 0);

    // The window pans an uploaded list without rebuilding it: still exact after a pan by
    // fractions of a pixel.
    for (double dx : {0.37, -0.81, 2.5}) {
        map::View moved = view;
        moved.center_x += dx;
        moved.center_y -= dx / 3;
        INFO("pan " << dx);
        CHECK(differing(rt::render(all, moved), rt::render(culled, moved)) == 0);
    }
}

TEST_CASE("occlusion: symbols reaching outside the view and translucent ones hide nothing",
          "[occlusion]") {
    const map::View view = unit_view(200, 100);
    std::vector<map::Symbol> symbols(3);
    symbols[0].position = {0, 0};
    symbols[0].size_px = 10;
    symbols[0].fill = {200, 0, 0, 255};
    symbols[0].outline = {255, 255, 255, 255};
    symbols[1] = symbols[0];
    symbols[1].size_px = 40;
    symbols[1].fill.a = 200;  // translucent on top: the red one shows through
    CHECK(map::drop_hidden_symbols(symbols, 0, view, 0, 0) == 0);
    symbols[1].fill.a = 255;  // opaque on top: hidden
    symbols[2] = symbols[0];
    symbols[2].position = {-99, 0};  // at the left edge, under nothing
    CHECK(map::drop_hidden_symbols(symbols, 0, view, 0, 0) == 1);
    REQUIRE(symbols.size() == 2);
    CHECK(symbols[0].size_px == 40);
    CHECK(symbols[1].position.x == -99);
    // Opaque squares by shape: a square is opaque nearly to its edge, a star only at its core.
    map::Symbol s;
    s.fill = s.outline = {1, 2, 3, 255};
    s.size_px = 40;
    s.shape = map::Shape::Square;
    CHECK(map::opaque_half_side(s) == Approx(19.5));
    s.shape = map::Shape::Star;
    CHECK(map::opaque_half_side(s) < 5.0);
    s.shape = map::Shape::Disc;
    CHECK(map::opaque_half_side(s) == 0.0);
}

namespace {

// The plain form of drop_hidden_symbols: a byte a pixel, every pixel tested one by one, the
// opaque spans marked pixel by pixel. What the bit mask must agree with, symbol for symbol.
std::vector<bool> hidden_by_bytes(const std::vector<map::Symbol>& symbols, const map::View& view) {
    const int w = view.width, h = view.height;
    std::vector<std::uint8_t> covered(static_cast<std::size_t>(w) * h, 0);
    std::vector<bool> hidden(symbols.size(), false);
    const double ppu = 1.0 / view.units_per_pixel;
    for (std::size_t k = symbols.size(); k-- > 0;) {
        const map::Symbol& s = symbols[k];
        const double cx = (s.position.x - view.center_x) * ppu + w / 2.0;
        const double cy = h / 2.0 - (s.position.y - view.center_y) * ppu;
        const double e = 0.5 * s.size_px + 2.0;
        const double x0 = std::floor(cx - e), x1 = std::ceil(cx + e);
        const double y0 = std::floor(cy - e), y1 = std::ceil(cy + e);
        if (x0 >= 0 && y0 >= 0 && x1 <= w && y1 <= h) {
            bool all = true;
            for (int y = int(y0); all && y < int(y1); ++y)
                for (int x = int(x0); all && x < int(x1); ++x)
                    all = covered[std::size_t(y) * w + x] != 0;
            if (all) {
                hidden[k] = true;
                continue;
            }
        }
        for (int y = 0; y < h; ++y) {
            const double half = map::opaque_half_width(s, y + 0.5 - cy, 1.0);
            if (half < 0) continue;
            for (int x = 0; x < w; ++x)
                if (std::fabs(x + 0.5 - cx) <= half) covered[std::size_t(y) * w + x] = 1;
        }
    }
    return hidden;
}

}  // namespace

TEST_CASE("occlusion: the bit mask drops exactly the symbols a byte a pixel drops", "[occlusion]") {
    // Odd widths: rows end inside a 64-bit word; symbols straddle word edges everywhere.
    for (const int width : {997, 130, 64}) {
        const map::View view = unit_view(width, 301);
        const map::DrawList list = dense_list(4'000, static_cast<unsigned>(width));
        const std::vector<bool> expected = hidden_by_bytes(list.symbols, view);
        std::vector<map::Symbol> kept_expected;
        for (std::size_t k = 0; k < list.symbols.size(); ++k)
            if (!expected[k]) kept_expected.push_back(list.symbols[k]);
        std::vector<map::Symbol> culled = list.symbols;
        const std::size_t dropped = map::drop_hidden_symbols(culled, 0, view, 0, 0);
        INFO("width " << width << ": dropped " << dropped);
        CHECK(dropped > 0);
        REQUIRE(culled.size() == kept_expected.size());
        std::size_t differ = 0;
        for (std::size_t k = 0; k < culled.size(); ++k)
            differ += culled[k].position.x != kept_expected[k].position.x ||
                      culled[k].position.y != kept_expected[k].position.y ||
                      culled[k].size_px != kept_expected[k].size_px;
        CHECK(differ == 0);
    }
}

namespace {

// symbol.frag's signed distances (pixels, negative inside), as the shader computes them.
double sd_shape(map::Shape shape, double x, double y, double r) {
    auto sd_box = [](double px, double py, double hx, double hy) {
        const double dx = std::fabs(px) - hx, dy = std::fabs(py) - hy;
        return std::hypot(std::max(dx, 0.0), std::max(dy, 0.0)) + std::min(std::max(dx, dy), 0.0);
    };
    switch (shape) {
        case map::Shape::Square: return sd_box(x, y, r, r);
        case map::Shape::Diamond: return (std::fabs(x) + std::fabs(y) - r) * 0.70710678;
        case map::Shape::Triangle: {
            const double k = 1.7320508, a = r * 0.8660254;
            double px = std::fabs(x) - a, py = y + a / k;
            if (px + k * py > 0.0) {
                const double nx = (px - k * py) / 2.0, ny = (-k * px - py) / 2.0;
                px = nx, py = ny;
            }
            px -= std::clamp(px, -2.0 * a, 0.0);
            return -std::hypot(px, py) * (py > 0 ? 1.0 : py < 0 ? -1.0 : 0.0);
        }
        case map::Shape::Star: {
            const double k1x = 0.809016994375, k1y = -0.587785252292, k2x = -k1x, k2y = k1y;
            double px = std::fabs(x), py = y;
            double d = std::max(k1x * px + k1y * py, 0.0);
            px -= 2 * d * k1x, py -= 2 * d * k1y;
            d = std::max(k2x * px + k2y * py, 0.0);
            px -= 2 * d * k2x, py -= 2 * d * k2y;
            px = std::fabs(px);
            py -= r;
            const double bax = 0.5 * -k1y, bay = 0.5 * k1x - 1.0;
            const double hh = std::clamp((px * bax + py * bay) / (bax * bax + bay * bay), 0.0, r);
            const double cross = py * bax - px * bay;
            return std::hypot(px - bax * hh, py - bay * hh) * (cross > 0   ? 1.0
                                                               : cross < 0 ? -1.0
                                                                           : 0.0);
        }
        case map::Shape::Cross: {
            double px = std::fabs(x), py = std::fabs(y);
            if (py > px) std::swap(px, py);
            const double bx = r, by = 0.36 * r, qx = px - bx, qy = py - by;
            const double kk = std::max(qy, qx);
            const double wx = kk > 0 ? qx : by - px, wy = kk > 0 ? qy : -kk;
            return (kk > 0   ? 1.0
                    : kk < 0 ? -1.0
                             : 0.0) *
                   std::hypot(std::max(wx, 0.0), std::max(wy, 0.0));
        }
        default: return std::hypot(x, y) - r;
    }
}

}  // namespace

TEST_CASE("occlusion: the opaque spans lie where the shader's shapes are opaque, a pixel to spare",
          "[occlusion]") {
    // Every shape and size: a point the span claims is at least 0.5 + 1 px inside the shape
    // (fully opaque in symbol.frag, and still after a pan by up to a pixel); and the spans
    // claim a good part of each shape (they are what lets a dense pile hide what is under it).
    const map::Shape shapes[] = {map::Shape::Circle,  map::Shape::Square, map::Shape::Triangle,
                                 map::Shape::Diamond, map::Shape::Star,   map::Shape::Cross};
    for (const map::Shape shape : shapes)
        for (float size = 6.0f; size <= 60.0f; size += 0.75f) {
            map::Symbol s;
            s.shape = shape;
            s.size_px = size;
            s.fill = s.outline = {10, 20, 30, 255};
            const double r = 0.5 * size;
            std::size_t claimed = 0, inside = 0, wrong = 0;
            for (double dy = -r - 1; dy <= r + 1; dy += 0.25) {
                const double half = map::opaque_half_width(s, dy, 1.0);
                for (double dx = -r - 1; dx <= r + 1; dx += 0.25) {
                    const double d = sd_shape(shape, dx, -dy, r);  // shapes have y up
                    inside += d <= -1.5;
                    if (half >= 0 && std::fabs(dx) <= half) {
                        ++claimed;
                        wrong += d > -1.5 + 1e-6;
                    }
                }
            }
            INFO("shape " << int(shape) << " size " << size);
            CHECK(wrong == 0);
            if (size >= 16 && shape != map::Shape::Star) CHECK(claimed >= inside * 9 / 10);
        }
    map::Symbol translucent;
    translucent.size_px = 30;
    translucent.fill = {1, 2, 3, 200};
    translucent.outline = {255, 255, 255, 255};
    CHECK(map::opaque_half_width(translucent, 0.0, 1.0) < 0);
}
