// Instanced symbols: every shape's fill at its centre, outlines, draw order, the y axis.
#include "render_test_util.hpp"

using limes::render::test::kBackground;

using namespace limes;
using render::test::near;

namespace {

const map::Rgba outline{30, 30, 30, 255};

map::Symbol symbol(map::Vec2 at, map::Shape shape, float size, map::Rgba fill) {
    map::Symbol s;
    s.position = at;
    s.shape = shape;
    s.size_px = size;
    s.fill = fill;
    s.outline = outline;
    return s;
}

}  // namespace

TEST_CASE("each symbol shape has its fill colour at its centre", "[render][symbol]") {
    const map::View view = render::test::unit_view(40, 40);
    const map::Rgba fill{220, 60, 40, 255};
    for (map::Shape shape :
         {map::Shape::Circle, map::Shape::Square, map::Shape::Triangle, map::Shape::Diamond,
          map::Shape::Star, map::Shape::Cross, map::Shape::Disc}) {
        INFO("shape " << int(shape));
        map::DrawList list = render::test::empty_list(kBackground);
        list.symbols.push_back(
            symbol(render::test::pixel_center(view, 20, 20), shape, 24.0f, fill));
        const auto image = render::test::render(list, view);
        CHECK(near(image.at(20, 20), fill));
        CHECK(near(image.at(2, 2), kBackground, 0));
    }
}

TEST_CASE("square and circle differ at a corner of their bounding box", "[render][symbol]") {
    const map::View view = render::test::unit_view(40, 40);
    const map::Rgba fill{60, 160, 60, 255};
    auto corner_colour = [&](map::Shape shape) {
        map::DrawList list = render::test::empty_list(kBackground);
        list.symbols.push_back(
            symbol(render::test::pixel_center(view, 20, 20), shape, 24.0f, fill));
        // Bounding box: pixels 8..32; (9, 9) is its top-left corner pixel.
        return render::test::render(list, view).at(9, 9);
    };
    const map::Rgba square = corner_colour(map::Shape::Square);
    const map::Rgba circle = corner_colour(map::Shape::Circle);
    CHECK(near(square, outline, 2));  // inside the square's 1.5 px outline band
    CHECK(near(circle, kBackground, 0));
}

TEST_CASE("a symbol's outline surrounds its fill", "[render][symbol]") {
    const map::View view = render::test::unit_view(40, 40);
    map::DrawList list = render::test::empty_list(kBackground);
    list.symbols.push_back(symbol(render::test::pixel_center(view, 20, 20), map::Shape::Circle,
                                  20.0f, {250, 250, 0, 255}));
    const auto image = render::test::render(list, view);
    // Radius 10 px around the centre of pixel 20: the outline band is 8.5..10 px out.
    CHECK(near(image.at(11, 20), outline, 40));
    CHECK(near(image.at(15, 20), {250, 250, 0, 255}));
    CHECK(near(image.at(8, 20), kBackground, 2));
}

TEST_CASE("a Disc is a plain translucent disc without outline", "[render][symbol]") {
    const map::View view = render::test::unit_view(40, 40);
    map::DrawList list = render::test::empty_list({255, 255, 255, 255});
    list.symbols.push_back(symbol(render::test::pixel_center(view, 20, 20), map::Shape::Disc, 24.0f,
                                  {0, 0, 255, 102}));
    const auto image = render::test::render(list, view);
    const map::Rgba expected{153, 153, 255, 255};  // 40 % blue over white
    CHECK(near(image.at(20, 20), expected, 3));
    CHECK(near(image.at(9, 20), expected, 3));  // 1 px inside the rim: no outline
}

TEST_CASE("symbols drawn later are on top: larger after smaller", "[render][symbol]") {
    const map::View view = render::test::unit_view(60, 60);
    const map::Vec2 at = render::test::pixel_center(view, 30, 30);
    const map::Rgba small_fill{200, 0, 0, 255}, large_fill{0, 0, 200, 255};

    map::DrawList list = render::test::empty_list(kBackground);
    list.symbols.push_back(symbol(at, map::Shape::Circle, 10.0f, small_fill));
    list.symbols.push_back(symbol(at, map::Shape::Circle, 40.0f, large_fill));
    CHECK(near(render::test::render(list, view).at(30, 30), large_fill));

    std::swap(list.symbols[0], list.symbols[1]);  // smaller after larger: visible inside it
    const auto image = render::test::render(list, view);
    CHECK(near(image.at(30, 30), small_fill));
    CHECK(near(image.at(30, 42), large_fill));
}

TEST_CASE("map y is up: a symbol north of the centre is in the upper half", "[render][symbol]") {
    map::View view = render::test::unit_view(100, 100);
    view.units_per_pixel = 10.0;  // 1 px = 10 map units
    const map::Rgba fill{0, 150, 0, 255};
    map::DrawList list = render::test::empty_list(kBackground);
    list.symbols.push_back(symbol({0.0f, 300.0f}, map::Shape::Square, 8.0f, fill));
    const auto image = render::test::render(list, view);
    CHECK(near(image.at(50, 20), fill));  // 300 units = 30 px above the centre row 50
    CHECK(near(image.at(50, 80), kBackground, 0));
}

TEST_CASE("pixel = (p + origin - centre) / units_per_pixel, y flipped, + size / 2",
          "[render][symbol]") {
    map::View view;
    view.width = 320;
    view.height = 200;
    view.center_x = 512345.0;  // metres, as in a projected CRS far from its origin
    view.center_y = 4412345.0;
    view.units_per_pixel = 25.0;
    map::DrawList list = render::test::empty_list(kBackground);
    list.origin_x = 510000.0;
    list.origin_y = 4410000.0;
    const map::Rgba fill{255, 0, 128, 255};
    // origin - centre = (-2345, -2345); +(2345 + 25 * 40.5, 2345 - 25 * 20.5) lands on the
    // centre of pixel (160 + 40, 100 + 20).
    const map::Vec2 p{static_cast<float>(2345.0 + 25.0 * 40.5),
                      static_cast<float>(2345.0 - 25.0 * 20.5)};
    list.symbols.push_back(symbol(p, map::Shape::Circle, 6.0f, fill));
    const auto image = render::test::render(list, view);
    CHECK(near(image.at(200, 120), fill));
    CHECK(near(image.at(206, 120), kBackground, 0));
    CHECK(near(image.at(200, 114), kBackground, 0));
}
