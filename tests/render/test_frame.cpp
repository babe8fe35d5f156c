// Whole frames: tiling equals the untiled render, timings, sizes, the GL context.
#include <algorithm>
#include <cmath>

#include "render/shader_sources.hpp"
#include "render_test_util.hpp"

using namespace limes;
using render::test::near;

namespace {

// A scene with every kind of element, crossing the 256 px tile seams.
map::DrawList busy_scene() {
    map::DrawList list = render::test::empty_list({236, 240, 243, 255});
    list.origin_x = 1000.0;
    list.origin_y = -500.0;
    map::FillBatch land;
    land.vertices = {{-280, -180}, {250, -150}, {20, 190}, {-200, 120}};
    land.indices = {0, 1, 2, 0, 2, 3};
    land.color = {200, 220, 180, 255};
    list.fills.push_back(land);
    map::FillBatch claim;
    claim.vertices = {{-100, -100}, {180, -60}, {60, 150}};
    claim.indices = {0, 1, 2};
    claim.color = {220, 60, 60, 110};
    claim.hatch_spacing_px = 7.0f;
    claim.hatch = {120, 0, 0, 200};
    list.fills.push_back(claim);
    map::LineBatch border;
    border.color = {60, 60, 60, 255};
    border.width_px = 2.5f;
    border.polylines.push_back({{-290, -170}, {-10, 3}, {17, 40}, {280, 190}});
    list.lines.push_back(border);
    map::LineBatch ceasefire = border;
    ceasefire.color = {200, 40, 200, 255};
    ceasefire.width_px = 4.0f;
    ceasefire.dash_px = 9.0f;
    ceasefire.gap_px = 5.0f;
    ceasefire.polylines = {{{-250, 150}, {-30, -70}, {260, -30}}};
    list.lines.push_back(ceasefire);
    for (int i = 0; i < 60; ++i) {
        map::Symbol s;
        s.position = {static_cast<float>(-290 + 9.7 * i), static_cast<float>(150 * std::sin(i))};
        s.size_px = static_cast<float>(6 + (i % 5) * 4);
        s.shape = static_cast<map::Shape>(i % 7);
        s.fill = {static_cast<std::uint8_t>(40 * (i % 6)), 90, 200, 230};
        s.outline = {10, 10, 10, 255};
        list.symbols.push_back(s);
    }
    return list;
}

}  // namespace

TEST_CASE("a tiled render equals the untiled render", "[render][tiles]") {
    map::View view = render::test::unit_view(600, 400);
    view.center_x = 1000.0 + 3.3;
    view.center_y = -500.0 - 1.7;
    const map::DrawList list = busy_scene();
    render::test::context();
    for (const int samples : {1, 4}) {  // the default, and MSAA under the basemap
        INFO(samples << " samples");
        render::Timings tiled_timings;
        const auto whole = render::render_image(list, view, {0, samples});
        const auto tiled = render::render_image(list, view, {256, samples}, &tiled_timings);
        CHECK(tiled_timings.tiles == 6);  // 3 columns × 2 rows
        REQUIRE(whole.size() == tiled.size());
        const auto d = render::test::largest_difference(whole, tiled, 600);
        INFO("largest difference " << d.largest << " at pixel " << d.x << "," << d.y);
        CHECK(d.largest <= 2);
    }
}

TEST_CASE("plan_tiles covers the image row-major without overlap", "[render][tiles]") {
    const auto tiles = render::plan_tiles(600, 400, 256);
    REQUIRE(tiles.size() == 6);
    CHECK(tiles[2].x == 512);
    CHECK(tiles[2].width == 88);
    CHECK(tiles[3].y == 256);
    CHECK(tiles[3].height == 144);
    CHECK(render::plan_tiles(256, 256, 256).size() == 1);
    CHECK_THROWS_AS(render::plan_tiles(0, 10, 256), std::invalid_argument);
}

TEST_CASE("render reports timings and rejects empty sizes", "[render]") {
    render::test::context();
    render::Renderer renderer;
    CHECK(renderer.tile_size() >= 1024);
    CHECK(renderer.samples() >= 1);
    renderer.upload(busy_scene());
    map::View view = render::test::unit_view(300, 200);
    const auto image = renderer.render(view);
    CHECK(image.size() == 300u * 200u * 4u);
    CHECK(renderer.timings().tiles == 1);
    CHECK(renderer.timings().draw_ms > 0.0);
    view.width = 0;
    CHECK_THROWS_AS(renderer.render(view), std::invalid_argument);
}

TEST_CASE("the headless context is an OpenGL 3.3+ core context", "[render][platform]") {
    render::test::context();
    const std::string renderer = platform::gl_renderer();
    INFO("GL_RENDERER " << renderer << ", GL_VERSION " << platform::gl_version());
    CHECK_FALSE(renderer.empty());
    CHECK(renderer.find("no current") == std::string::npos);
    CHECK(platform::egl_error_name(0x3003) == "EGL_BAD_ALLOC");
    CHECK(platform::egl_error_name(0x1234) == "EGL error 0x1234");
}

TEST_CASE("the shaders are embedded in the binary", "[render]") {
    const auto names = render::shader_names();
    for (const char* name : {"fill.vert", "fill.frag", "line.vert", "line.frag", "symbol.vert",
                             "symbol.frag", "text.vert", "text.frag"}) {
        INFO(name);
        CHECK(std::find(names.begin(), names.end(), name) != names.end());
        CHECK(render::shader_source(name).find("#version 330 core") == 0);
    }
    CHECK_THROWS_AS(render::shader_source("nope.frag"), std::out_of_range);
}

// Not run by ctest (hidden): `test_render "[.big]"`. 16384² needs ~1.3 GiB of memory.
TEST_CASE("a 16384 x 16384 image renders in tiles", "[.big]") {
    map::View view = render::test::unit_view(16384, 16384);
    view.units_per_pixel = 16384.0 / 600.0;
    render::Timings t;
    render::test::context();
    const auto image = render::render_image(busy_scene(), view, {}, &t);
    WARN("16384x16384: " << t.tiles << " tiles, draw " << t.draw_ms << " ms, readback "
                         << t.readback_ms << " ms");
    CHECK(image.size() == 16384ull * 16384ull * 4ull);
    CHECK(t.tiles == 16);
}

// Not run by ctest (hidden): `test_render "[.bench]"`. Prints warm-frame timings.
TEST_CASE("3840 x 2160 frame timing", "[.bench]") {
    map::View view = render::test::unit_view(3840, 2160);
    view.units_per_pixel = 600.0 / 3840.0 * 1.2;
    map::DrawList list = busy_scene();
    const std::size_t incidents = GENERATE(std::size_t{0}, std::size_t{1000000});
    for (std::size_t i = 0; i < incidents; ++i) {  // scattered over the view, 6-14 px
        map::Symbol s;
        s.position = {static_cast<float>((i * 7919 % 1000) * 0.6 - 300),
                      static_cast<float>((i * 104729 % 1000) * 0.35 - 175)};
        s.size_px = static_cast<float>(6 + i % 9);
        s.shape = static_cast<map::Shape>(i % 7);
        s.fill = {200, 80, 40, 255};
        list.symbols.push_back(s);
    }
    render::test::context();
    for (int samples : {4, 1}) {
        render::Renderer renderer({0, samples});
        renderer.upload(list);
        for (int i = 0; i < 3; ++i) renderer.render(view);  // the first frame compiles shaders
        const auto& t = renderer.timings();
        WARN(platform::gl_renderer()
             << " 3840x2160, " << list.symbols.size() << " symbols, " << renderer.samples()
             << "x MSAA: upload " << t.upload_ms << " ms, draw " << t.draw_ms << " ms, readback "
             << t.readback_ms << " ms");
    }
}
