#pragma once
// Helpers for the render tests: one headless GL context per test process, images with pixel
// access, colour comparison with a tolerance, and map <-> pixel conversions.
// Pixels: x right, y down, (0,0) the image's top-left; map units: y up (north).
#include <algorithm>
#include <catch2/catch.hpp>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "map/draw_list.hpp"
#include "platform/headless_context.hpp"
#include "render/renderer.hpp"

namespace Catch {
template <>
struct StringMaker<limes::map::Rgba> {
    static std::string convert(const limes::map::Rgba& c) {
        std::ostringstream out;
        out << "rgba(" << int(c.r) << ", " << int(c.g) << ", " << int(c.b) << ", " << int(c.a)
            << ")";
        return out.str();
    }
};
}  // namespace Catch

namespace limes::render::test {

/** The clear colour the render tests draw on. */
inline constexpr map::Rgba kBackground{236, 240, 243, 255};

/** The process's GL context, created on first use (each ctest case is its own process). */
inline platform::HeadlessContext& context() {
    static platform::HeadlessContext ctx;
    return ctx;
}

struct Image {
    int width = 0, height = 0;
    std::vector<std::uint8_t> rgba;  ///< top-down rows

    map::Rgba at(int x, int y) const {
        const std::size_t i = (static_cast<std::size_t>(y) * width + x) * 4;
        return {rgba[i], rgba[i + 1], rgba[i + 2], rgba[i + 3]};
    }
};

inline Image render(const map::DrawList& list, const map::View& view,
                    const RenderOptions& options = {}) {
    context();
    return {view.width, view.height, render_image(list, view, options)};
}

/** True when every channel differs by at most `tolerance`. */
inline bool near(map::Rgba a, map::Rgba b, int tolerance = 2) {
    return std::abs(a.r - b.r) <= tolerance && std::abs(a.g - b.g) <= tolerance &&
           std::abs(a.b - b.b) <= tolerance && std::abs(a.a - b.a) <= tolerance;
}

/** A view of `width` × `height` pixels at one map unit per pixel, centred on map (0, 0). */
inline map::View unit_view(int width, int height) {
    map::View view;
    view.width = width;
    view.height = height;
    view.units_per_pixel = 1.0;
    return view;
}

/** The largest difference of any channel between two RGBA images of the same size, and the
 *  pixel (x, y) of an image `width` pixels wide where it is. */
struct Difference {
    int largest = 0;
    int x = 0, y = 0;
};
inline Difference largest_difference(const std::vector<std::uint8_t>& a,
                                     const std::vector<std::uint8_t>& b, int width) {
    Difference d;
    for (std::size_t i = 0; i < a.size() && i < b.size(); ++i) {
        const int v = std::abs(int(a[i]) - int(b[i]));
        if (v > d.largest) {
            d.largest = v;
            d.x = static_cast<int>((i / 4) % static_cast<std::size_t>(width));
            d.y = static_cast<int>((i / 4) / static_cast<std::size_t>(width));
        }
    }
    return d;
}

/** Map point (origin 0, unit_view) at the centre of pixel (x, y). */
inline map::Vec2 pixel_center(const map::View& view, int x, int y) {
    return {static_cast<float>(x + 0.5 - view.width / 2.0),
            static_cast<float>(view.height / 2.0 - y - 0.5)};
}

inline map::DrawList empty_list(map::Rgba background = {236, 240, 243, 255}) {
    map::DrawList list;
    list.background = background;
    return list;
}

/** A size × size signed distance field atlas of a disc of `radius_texels` around the atlas
 *  centre, computed analytically at texel centres:
 *  value = clamp(128 + 32 * (radius - distance)), i.e. edge_value 128, value_per_texel 32. */
inline std::shared_ptr<map::GlyphAtlas> disc_atlas(int size, double radius_texels) {
    auto atlas = std::make_shared<map::GlyphAtlas>();
    atlas->width = atlas->height = size;
    atlas->sdf.resize(static_cast<std::size_t>(size) * size);
    for (int y = 0; y < size; ++y) {
        for (int x = 0; x < size; ++x) {
            const double d = std::hypot(x + 0.5 - size / 2.0, y + 0.5 - size / 2.0);
            const double value = std::clamp(128.0 + 32.0 * (radius_texels - d), 0.0, 255.0);
            atlas->sdf[static_cast<std::size_t>(y) * size + x] =
                static_cast<std::uint8_t>(std::lround(value));
        }
    }
    return atlas;
}

/** A glyph quad showing the whole atlas over image pixels [x0, x1) × [y0, y1). */
inline map::GlyphQuad whole_atlas_quad(float x0, float y0, float x1, float y1, float texels_per_px,
                                       map::Rgba color) {
    map::GlyphQuad q;
    q.x0 = x0;
    q.y0 = y0;
    q.x1 = x1;
    q.y1 = y1;
    q.u0 = q.v0 = 0.0f;
    q.u1 = q.v1 = 1.0f;
    q.color = color;
    q.texels_per_px = texels_per_px;
    return q;
}

}  // namespace limes::render::test
