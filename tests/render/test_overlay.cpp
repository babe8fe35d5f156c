// The overlay: fills, lines and symbols in image pixels (x right, y down, origin at the
// image's top-left), drawn after the map, not moved by the view, stitched across tiles.
#include "render_test_util.hpp"

using limes::render::test::kBackground;

using namespace limes;
using render::test::near;

namespace {


// Pixels [x0, x1) × [y0, y1) of the image as two triangles (corners in image pixels).
map::FillBatch pixel_rect(float x0, float y0, float x1, float y1, map::Rgba color) {
    map::FillBatch batch;
    batch.vertices = {{x0, y0}, {x1, y0}, {x1, y1}, {x0, y1}};
    batch.indices = {0, 1, 2, 0, 2, 3};
    batch.color = color;
    return batch;
}

map::Symbol pixel_symbol(float x, float y, map::Shape shape, float size, map::Rgba fill) {
    map::Symbol s;
    s.position = {x, y};
    s.shape = shape;
    s.size_px = size;
    s.fill = fill;
    s.outline = {20, 20, 20, 255};
    return s;
}

// Views of the same 120 × 80 image that place the map very differently.
std::vector<map::View> assorted_views() {
    map::View a = render::test::unit_view(120, 80);
    map::View b = a;
    b.center_x = 512345.5;  // metres, as in a projected CRS
    b.center_y = 4412345.25;
    b.units_per_pixel = 37.5;
    map::View c = a;
    c.center_x = -17.3;
    c.center_y = 9.9;
    c.units_per_pixel = 0.01;
    return {a, b, c};
}

}  // namespace

TEST_CASE("an overlay rectangle covers exactly its pixels whatever the view", "[render][overlay]") {
    const map::Rgba fill{30, 120, 200, 255};
    map::DrawList list = render::test::empty_list(kBackground);
    list.overlay.fills.push_back(pixel_rect(10, 20, 30, 35, fill));  // pixels x 10..29, y 20..34
    std::vector<std::uint8_t> first;
    for (const map::View& view : assorted_views()) {
        INFO("view centre " << view.center_x << "," << view.center_y << ", " << view.units_per_pixel
                            << " units/px");
        const auto image = render::test::render(list, view);
        int wrong = 0, first_x = -1, first_y = -1;
        for (int y = 0; y < view.height; ++y) {
            for (int x = 0; x < view.width; ++x) {
                const bool inside = x >= 10 && x < 30 && y >= 20 && y < 35;
                if (near(image.at(x, y), inside ? fill : kBackground, 0)) continue;
                if (wrong++ == 0) first_x = x, first_y = y;
            }
        }
        INFO("first wrong pixel " << first_x << "," << first_y);
        CHECK(wrong == 0);
        if (first.empty()) first = image.rgba;
        CHECK(image.rgba == first);  // the same pixels for every view
    }
}

TEST_CASE("overlay symbols and lines sit at image pixel positions, y down", "[render][overlay]") {
    const map::Rgba fill{200, 40, 40, 255}, ink{20, 90, 20, 255};
    map::DrawList list = render::test::empty_list(kBackground);
    // Centre of pixel (30, 20): near the top of the 100 × 100 image (y grows downwards).
    list.overlay.symbols.push_back(pixel_symbol(30.5f, 20.5f, map::Shape::Square, 10.0f, fill));
    map::LineBatch rule;  // 3 px wide along the middle of pixel row 70, x 10..90
    rule.polylines = {{{10.0f, 70.5f}, {90.0f, 70.5f}}};
    rule.color = ink;
    rule.width_px = 3.0f;
    list.overlay.lines.push_back(rule);
    for (const map::View& view : assorted_views()) {
        map::View square = view;
        square.width = square.height = 100;
        const auto image = render::test::render(list, square);
        CHECK(near(image.at(30, 20), fill));
        CHECK(near(image.at(30, 80), kBackground, 0));  // not mirrored to the bottom
        CHECK(near(image.at(37, 20), kBackground, 0));  // 10 px wide: x 25.5..35.5
        CHECK(near(image.at(50, 70), ink));
        CHECK(near(image.at(50, 69), ink));
        CHECK(near(image.at(50, 67), kBackground, 0));
        CHECK(near(image.at(50, 20), kBackground, 0));
    }
}

TEST_CASE("the overlay is drawn after all map layers", "[render][overlay]") {
    const map::View view = render::test::unit_view(60, 60);
    map::DrawList list = render::test::empty_list(kBackground);
    map::Symbol incident;
    incident.position = render::test::pixel_center(view, 30, 30);
    incident.size_px = 30.0f;
    incident.fill = {250, 0, 0, 255};
    list.symbols.push_back(incident);
    const map::Rgba panel{255, 255, 255, 255};
    list.overlay.fills.push_back(pixel_rect(20, 20, 40, 40, panel));
    const auto image = render::test::render(list, view);
    CHECK(near(image.at(30, 30), panel, 0));          // the map symbol is under the panel
    CHECK(near(image.at(18, 30), {250, 0, 0, 255}));  // and shows around it
}

TEST_CASE("a tiled overlay equals the untiled one", "[render][overlay][tiles]") {
    map::View view = render::test::unit_view(300, 200);
    view.center_x = 123.4;
    view.center_y = -56.7;
    map::DrawList list = render::test::empty_list(kBackground);
    map::FillBatch panel = pixel_rect(50, 40, 250, 170, {255, 255, 255, 220});
    panel.hatch_spacing_px = 6.0f;
    panel.hatch = {0, 0, 120, 120};
    list.overlay.fills.push_back(panel);
    map::LineBatch dashed;  // crosses the 64 px seams at slopes
    dashed.polylines = {{{5.5f, 190.0f}, {140.0f, 12.25f}, {295.0f, 150.0f}}};
    dashed.color = {200, 30, 160, 255};
    dashed.width_px = 3.5f;
    dashed.dash_px = 7.0f;
    dashed.gap_px = 4.0f;
    list.overlay.lines.push_back(dashed);
    for (int i = 0; i < 12; ++i) {
        list.overlay.symbols.push_back(pixel_symbol(60.0f + 16.3f * i, 64.0f + (i % 3) * 0.5f,
                                                    static_cast<map::Shape>(i % 7), 11.0f,
                                                    {40, 160, 90, 255}));
    }
    list.atlas = render::test::disc_atlas(32, 10.25);
    for (int i = 0; i < 4; ++i) {  // glyphs straddling the seams at x 64, 128, 192 and y 128
        auto quad = render::test::whole_atlas_quad(40.0f + 48.5f * i, 100.0f, 88.0f + 48.5f * i,
                                                   148.0f, 32.0f / 48.0f, {10, 10, 10, 255});
        quad.halo = {255, 255, 255, 255};
        quad.halo_px = 2.0f;
        list.overlay.glyphs.push_back(quad);
    }
    render::test::context();
    render::Timings timings;
    const auto whole = render::render_image(list, view);
    const auto tiled = render::render_image(list, view, {64, 4}, &timings);
    CHECK(timings.tiles == 20);  // 5 columns × 4 rows
    REQUIRE(whole.size() == tiled.size());
    const auto d = render::test::largest_difference(whole, tiled, 300);
    INFO("largest difference " << d.largest << " at pixel " << d.x << "," << d.y);
    CHECK(d.largest <= 2);
}
