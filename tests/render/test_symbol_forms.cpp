// The forms an incident symbol takes beyond its shape (map::Symbol): the outline band's width,
// hollow (denied), dashed outline (disputed) and the inner ring (fatalities not stated), as
// the shader draws them.
#include "render_test_util.hpp"

#include <cmath>

using limes::render::test::kBackground;

using namespace limes;
using render::test::near;

namespace {

const map::Rgba fill{220, 60, 40, 255};
const map::Rgba form_ink{0, 150, 200, 255};

// A circle of 30 px at the centre of pixel (30, 30) of a 60x60 image, as set by edit.
template <class Edit>
render::test::Image circle(Edit edit) {
    const map::View view = render::test::unit_view(60, 60);
    map::DrawList list = render::test::empty_list(kBackground);
    map::Symbol s;
    s.position = render::test::pixel_center(view, 30, 30);
    s.shape = map::Shape::Circle;
    s.size_px = 30.0f;
    s.fill = fill;
    s.outline = form_ink;
    edit(s);
    list.symbols.push_back(s);
    return render::test::render(list, view);
}

}  // namespace

TEST_CASE("symbol forms: the outline band is outline_px wide", "[render][symbol]") {
    // Radius 15 px from the centre of pixel 30: 4 px band covers 11..15 px out.
    const auto wide = circle([](map::Symbol& s) { s.outline_px = 4.0f; });
    CHECK(near(wide.at(30 - 13, 30), form_ink, 30));  // 13 px out: in the band
    CHECK(near(wide.at(30 - 9, 30), fill, 2));   // 9 px out: inside
    const auto thin = circle([](map::Symbol& s) { s.outline_px = 1.5f; });
    CHECK(near(thin.at(30 - 13, 30), fill, 2));  // the thin band is further out
}

TEST_CASE("symbol forms: hollow leaves the middle empty inside a ring of the fill",
          "[render][symbol]") {
    const auto img = circle([](map::Symbol& s) { s.fill_style = map::SymbolFill::Hollow; });
    CHECK(near(img.at(30, 30), kBackground, 2));  // the middle: the map shows
    CHECK(near(img.at(30 - 12, 30), fill, 20));  // the ring, just inside the band
    CHECK(near(img.at(30 - 14, 30), form_ink, 60));   // the band
    const auto solid = circle([](map::Symbol&) {});
    CHECK(near(solid.at(30, 30), fill, 2));  // control
}

TEST_CASE("symbol forms: a dashed outline alternates ink and white around the symbol",
          "[render][symbol]") {
    const auto img = circle([](map::Symbol& s) {
        s.dashed = true;
        s.outline_px = 3.0f;
    });
    // Walk the band's middle (13.5 px out) around: both dashes and white gaps.
    int dashes = 0, gaps = 0;
    for (int k = 0; k < 360; k += 2) {
        const double a = k * 3.14159265 / 180.0;
        const int x = static_cast<int>(30.5 + 13.5 * std::cos(a));
        const int y = static_cast<int>(30.5 + 13.5 * std::sin(a));
        const map::Rgba c = img.at(x, y);
        dashes += near(c, form_ink, 40);
        gaps += near(c, {255, 255, 255, 255}, 40);
    }
    CHECK(dashes >= 40);
    CHECK(gaps >= 30);
    CHECK(near(img.at(30, 30), fill, 2));  // the inside is solid
}

TEST_CASE("symbol forms: the inner ring is a white line inside the fill, the middle filled",
          "[render][symbol]") {
    // Radius 15, band 1.5 px: the line is centred 1.5 + 0.45 * 13.5 = 7.6 px inside the edge
    // (7.4 px from the centre), 1.5 px wide.
    const auto img = circle([](map::Symbol& s) { s.inner_ring = true; });
    CHECK(near(img.at(30 - 7, 30), {255, 255, 255, 255}, 40));
    CHECK(near(img.at(30, 30), fill, 2));
    CHECK(near(img.at(30 - 4, 30), fill, 2));
    CHECK(near(img.at(30 - 11, 30), fill, 2));
    const auto plain = circle([](map::Symbol&) {});
    CHECK(near(plain.at(30 - 7, 30), fill, 2));  // control
}

TEST_CASE("symbol forms: the inner ring keeps every shape's middle in its fill colour",
          "[render][symbol]") {
    // Incident symbols of the base size (14 px times each shape's scale, 2 px outline): the
    // window's tests and users find the type's colour at the incident's point.
    const map::View view = render::test::unit_view(60, 60);
    const std::pair<map::Shape, float> shapes[] = {
        {map::Shape::Circle, 14.0f},  {map::Shape::Square, 12.6f}, {map::Shape::Triangle, 20.3f},
        {map::Shape::Diamond, 16.8f}, {map::Shape::Star, 19.6f},   {map::Shape::Cross, 17.5f}};
    for (const auto& [shape, size] : shapes) {
        INFO("shape " << int(shape));
        map::DrawList list = render::test::empty_list(kBackground);
        map::Symbol s;
        s.position = render::test::pixel_center(view, 30, 30);
        s.shape = shape;
        s.size_px = size;
        s.fill = fill;
        s.outline = form_ink;
        s.outline_px = 2.0f;
        s.inner_ring = true;
        list.symbols.push_back(s);
        CHECK(near(render::test::render(list, view).at(30, 30), fill, 4));
    }
}
