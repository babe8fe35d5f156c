#pragma once
// Helpers for the render tests: one headless GL context per test process, images with pixel
// access, colour comparison with a tolerance, and map <-> pixel conversions.
// Pixels: x right, y down, (0,0) the image's top-left; map units: y up (north).
#include <catch2/catch.hpp>
#include <cstdlib>
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

}  // namespace limes::render::test
