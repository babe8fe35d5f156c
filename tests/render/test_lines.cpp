// Line batches: pixel widths, dashes measured in pixels along the line.
#include <initializer_list>
#include <utility>
#include <vector>

#include "render_test_util.hpp"

using limes::render::test::kBackground;

using namespace limes;
using render::test::near;

namespace {

const map::Rgba line_ink{20, 60, 160, 255};

map::LineBatch line_of(map::Rgba color, float width_px) {
    map::LineBatch line;
    line.color = color;
    line.width_px = width_px;
    return line;
}

// line, drawn as one polyline through the centres of the pixels at, over paper on a
// width x height image.
render::test::Image render_line(int width, int height, map::Rgba paper, map::LineBatch line,
                                std::initializer_list<std::pair<int, int>> at) {
    const map::View view = render::test::unit_view(width, height);
    map::DrawList list = render::test::empty_list(paper);
    line.polylines.emplace_back();
    for (const auto& [x, y] : at)
        line.polylines.back().push_back(render::test::pixel_center(view, x, y));
    list.lines.push_back(line);
    return render::test::render(list, view);
}

}  // namespace

TEST_CASE("a 5 px line has its colour on its centre and background 6 px away", "[render][line]") {
    // Horizontal through the centres of row 50, then vertical through column 150.
    const auto image =
        render_line(200, 100, kBackground, line_of(line_ink, 5.0f), {{20, 50}, {150, 50}, {150, 95}});

    CHECK(near(image.at(80, 50), line_ink));
    CHECK(near(image.at(80, 48), line_ink));  // 2 px off centre: still inside the 5 px
    CHECK(near(image.at(80, 52), line_ink));
    CHECK(near(image.at(80, 56), kBackground));
    CHECK(near(image.at(80, 44), kBackground));
    CHECK(near(image.at(150, 80), line_ink));
    CHECK(near(image.at(156, 80), kBackground));
    CHECK(near(image.at(144, 80), kBackground));
    CHECK(near(image.at(150, 50), line_ink));        // the join
    CHECK(near(image.at(10, 50), kBackground));  // beyond the start
}

TEST_CASE("a dashed line alternates dashes and gaps with the right period", "[render][line]") {
    map::LineBatch line = line_of(line_ink, 3.0f);
    line.dash_px = 12.0f;
    line.gap_px = 8.0f;
    // Two collinear segments: the dash pattern runs on across the vertex at x = 137.
    const auto image = render_line(300, 40, kBackground, line, {{10, 20}, {137, 20}, {290, 20}});

    std::vector<bool> inked;
    int ink_count = 0, background_count = 0;
    for (int x = 12; x < 288; ++x) {
        const map::Rgba c = image.at(x, 20);
        inked.push_back(c.b < 200);  // closer to the ink (160) than to the background (243)
        ink_count += near(c, line_ink, 2);
        background_count += near(c, kBackground, 2);
    }
    CHECK(ink_count > 100);
    CHECK(background_count > 60);
    std::vector<int> dash_starts;
    for (std::size_t i = 1; i < inked.size(); ++i) {
        if (inked[i] && !inked[i - 1]) dash_starts.push_back(static_cast<int>(i));
    }
    REQUIRE(dash_starts.size() >= 10);
    for (std::size_t i = 1; i < dash_starts.size(); ++i) {
        INFO("dash " << i << " starts at " << dash_starts[i]);
        CHECK(std::abs(dash_starts[i] - dash_starts[i - 1] - 20) <= 2);
    }
    // Dashes are 12 px: the first full dash is inked for 12 ± 2 pixels.
    int length = 0;
    for (std::size_t i = dash_starts[0]; i < inked.size() && inked[i]; ++i) ++length;
    CHECK(std::abs(length - 12) <= 2);
}

TEST_CASE("a hairline thinner than a pixel is drawn faint, not dropped", "[render][line]") {
    const auto image = render_line(60, 20, {255, 255, 255, 255}, line_of({0, 0, 0, 255}, 0.5f),
                                   {{5, 10}, {55, 10}});
    const map::Rgba c = image.at(30, 10);
    CHECK(c.r > 96);
    CHECK(c.r < 160);
}
