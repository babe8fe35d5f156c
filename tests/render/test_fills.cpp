// Fill batches: colour inside, background outside, straight-alpha blending, hatching.
#include "render_test_util.hpp"

using limes::render::test::kBackground;

using namespace limes;
using render::test::near;

namespace {


// Map point (unit view, origin 0) at pixel position (x, y): corners, not pixel centres.
map::Vec2 to_map(const map::View& view, map::Vec2 p) {
    return {static_cast<float>(p.x - view.width / 2.0),
            static_cast<float>(view.height / 2.0 - p.y)};
}

// A triangle with corners at the given pixel positions.
map::FillBatch triangle(const map::View& view, map::Vec2 a, map::Vec2 b, map::Vec2 c,
                        map::Rgba color) {
    map::FillBatch batch;
    batch.vertices = {to_map(view, a), to_map(view, b), to_map(view, c)};
    batch.indices = {0, 1, 2};
    batch.color = color;
    return batch;
}

// An axis-aligned rectangle of pixels [x0, x1) × [y0, y1) as two triangles.
map::FillBatch rectangle(const map::View& view, float x0, float y0, float x1, float y1,
                         map::Rgba color) {
    map::FillBatch batch;
    batch.vertices = {to_map(view, {x0, y0}), to_map(view, {x1, y0}), to_map(view, {x1, y1}),
                      to_map(view, {x0, y1})};
    batch.indices = {0, 1, 2, 0, 2, 3};
    batch.color = color;
    return batch;
}

}  // namespace

TEST_CASE("background colour fills the image away from everything", "[render][fill]") {
    const map::View view = render::test::unit_view(120, 80);
    map::DrawList list = render::test::empty_list({10, 20, 30, 255});
    list.fills.push_back(triangle(view, {5, 5}, {25, 5}, {5, 25}, {200, 0, 0, 255}));
    const auto image = render::test::render(list, view);
    REQUIRE(image.rgba.size() == 120u * 80u * 4u);
    for (auto [x, y] : {std::pair{100, 60}, {119, 79}, {60, 40}, {119, 0}}) {
        INFO("pixel " << x << "," << y);
        CHECK(near(image.at(x, y), {10, 20, 30, 255}, 0));
    }
}

TEST_CASE("a fill triangle has its colour at the centroid and background outside",
          "[render][fill]") {
    const map::View view = render::test::unit_view(200, 150);
    map::DrawList list = render::test::empty_list(kBackground);
    const map::Rgba red{200, 30, 40, 255};
    // Corners in pixels; centroid (70, 70).
    list.fills.push_back(triangle(view, {30, 40}, {130, 40}, {50, 130}, red));
    const auto image = render::test::render(list, view);
    CHECK(near(image.at(70, 70), red));
    CHECK(near(image.at(70, 37), kBackground));  // 3 px above the top edge (y = 40)
    CHECK(near(image.at(27, 60), kBackground));  // left of the left edge
    CHECK(near(image.at(70, 42), red));         // 2 px inside the top edge
}

TEST_CASE("a translucent fill blends with straight alpha", "[render][fill]") {
    const map::View view = render::test::unit_view(64, 64);
    map::DrawList list = render::test::empty_list({200, 100, 0, 255});
    list.fills.push_back(rectangle(view, 8, 8, 56, 56, {0, 200, 100, 128}));
    const auto image = render::test::render(list, view);
    // 128/255 of (0, 200, 100) + 127/255 of (200, 100, 0): the midpoint (100, 150, 50).
    CHECK(near(image.at(32, 32), {100, 150, 50, 255}, 3));
    CHECK(near(image.at(4, 4), {200, 100, 0, 255}, 0));
}

TEST_CASE("a hatched fill shows hatch stripes over the fill colour", "[render][fill]") {
    const map::View view = render::test::unit_view(100, 100);
    map::DrawList list = render::test::empty_list(kBackground);
    map::FillBatch batch = rectangle(view, 10, 10, 90, 90, {240, 200, 60, 255});
    batch.hatch_spacing_px = 8.0f;
    batch.hatch = {40, 40, 160, 255};
    list.fills.push_back(batch);
    const auto image = render::test::render(list, view);

    int hatch = 0, fill = 0, other = 0;
    for (int y = 20; y < 80; ++y) {
        for (int x = 20; x < 80; ++x) {
            const map::Rgba c = image.at(x, y);
            if (near(c, batch.hatch, 2)) {
                ++hatch;
            } else if (near(c, batch.color, 2)) {
                ++fill;
            } else {
                ++other;  // anti-aliased stripe edges
            }
        }
    }
    INFO("hatch " << hatch << ", fill " << fill << ", edges " << other);
    CHECK(hatch > 60 * 60 / 20);
    CHECK(fill > 60 * 60 / 2);
    // Stripes run at 45°: along a "/" diagonal (x + 1, y - 1) the colour repeats.
    CHECK(near(image.at(40, 50), image.at(41, 49), 2));
    CHECK(near(image.at(40, 50), image.at(45, 45), 2));
    CHECK(near(image.at(95, 50), kBackground, 0));
}
