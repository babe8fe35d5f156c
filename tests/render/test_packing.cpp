// The CPU half of the renderer: flattening a DrawList (no GL needed).
#include <catch2/catch.hpp>

#include "render/packing.hpp"

using namespace limes;

TEST_CASE("fill indices are rebased onto the concatenated vertices", "[render][packing]") {
    map::DrawList list;
    map::FillBatch a, b;
    a.vertices = {{0, 0}, {1, 0}, {0, 1}};
    a.indices = {0, 1, 2};
    b.vertices = {{5, 5}, {6, 5}, {5, 6}, {6, 6}};
    b.indices = {0, 1, 2, 1, 3, 2};
    list.fills = {a, b};
    const auto packed = render::pack_draw_list(list);
    CHECK(packed.fill_vertices.size() == 7);
    CHECK(packed.fill_indices == std::vector<std::uint32_t>{0, 1, 2, 3, 4, 5, 4, 6, 5});
    REQUIRE(packed.fill_ranges.size() == 2);
    CHECK(packed.fill_ranges[1].first == 3);
    CHECK(packed.fill_ranges[1].count == 6);
}

TEST_CASE("malformed fill batches are rejected", "[render][packing]") {
    map::DrawList list;
    map::FillBatch batch;
    batch.vertices = {{0, 0}, {1, 0}, {0, 1}};
    batch.indices = {0, 1};
    list.fills = {batch};
    CHECK_THROWS_AS(render::pack_draw_list(list), std::invalid_argument);
    list.fills[0].indices = {0, 1, 3};
    CHECK_THROWS_AS(render::pack_draw_list(list), std::invalid_argument);
}

TEST_CASE("polylines become segments carrying the distance along the line", "[render][packing]") {
    map::DrawList list;
    map::LineBatch batch;
    batch.polylines = {{{0, 0}, {3, 4}, {3, 4}, {3, 10}}, {{7, 7}}, {{1, 1}, {2, 1}}};
    list.lines = {batch, map::LineBatch{}};
    const auto packed = render::pack_draw_list(list);
    REQUIRE(packed.segments.size() == 3);  // the zero-length segment and lone point dropped
    CHECK(packed.segments[0].distance == 0.0f);
    CHECK(packed.segments[1].distance == 5.0f);
    CHECK(packed.segments[1].end_y == 10.0f);
    CHECK(packed.segments[2].distance == 0.0f);  // a new polyline restarts the dashes
    REQUIRE(packed.line_ranges.size() == 2);
    CHECK(packed.line_ranges[0].count == 3);
    CHECK(packed.line_ranges[1].count == 0);
}

TEST_CASE("symbols keep their order, shape and colours", "[render][packing]") {
    map::DrawList list;
    map::Symbol s;
    s.position = {2, 3};
    s.shape = map::Shape::Star;
    s.fill = {1, 2, 3, 4};
    list.symbols = {s, map::Symbol{}};
    const auto packed = render::pack_draw_list(list);
    REQUIRE(packed.symbols.size() == 2);
    CHECK(packed.symbols[0].shape == static_cast<std::uint8_t>(map::Shape::Star));
    CHECK(packed.symbols[0].fill.b == 3);
    CHECK(packed.symbols[0].y == 3.0f);
    CHECK(packed.symbols[1].shape == 0);
}
