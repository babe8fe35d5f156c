// The CPU half of the renderer: flattening a DrawList (no GL needed).
#include <catch2/catch.hpp>
#include <memory>
#include <utility>
#include <vector>

#include "render/packing.hpp"

using namespace limes;

namespace {

map::FillBatch fill_of(std::vector<map::Vec2> vertices, std::vector<std::uint32_t> indices) {
    map::FillBatch batch;
    batch.vertices = std::move(vertices);
    batch.indices = std::move(indices);
    return batch;
}

}  // namespace

TEST_CASE("fill indices are rebased onto the concatenated vertices", "[render][packing]") {
    map::DrawList list;
    list.fills = {fill_of({{0, 0}, {1, 0}, {0, 1}}, {0, 1, 2}),
                  fill_of({{5, 5}, {6, 5}, {5, 6}, {6, 6}}, {0, 1, 2, 1, 3, 2})};
    const auto packed = render::pack_draw_list(list).map;
    CHECK(packed.fill_vertices.size() == 7);
    CHECK(packed.fill_indices == std::vector<std::uint32_t>{0, 1, 2, 3, 4, 5, 4, 6, 5});
    REQUIRE(packed.fill_ranges.size() == 2);
    CHECK(packed.fill_ranges[1].first == 3);
    CHECK(packed.fill_ranges[1].count == 6);
}

TEST_CASE("malformed fill batches are rejected", "[render][packing]") {
    map::DrawList list;
    list.fills = {fill_of({{0, 0}, {1, 0}, {0, 1}}, {0, 1})};
    CHECK_THROWS_AS(render::pack_draw_list(list), std::invalid_argument);
    list.fills[0].indices = {0, 1, 3};
    CHECK_THROWS_AS(render::pack_draw_list(list), std::invalid_argument);
}

TEST_CASE("polylines become segments carrying the distance along the line", "[render][packing]") {
    map::DrawList list;
    map::LineBatch batch;
    batch.polylines = {{{0, 0}, {3, 4}, {3, 4}, {3, 10}}, {{7, 7}}, {{1, 1}, {2, 1}}};
    list.lines = {batch, map::LineBatch{}};
    const auto packed = render::pack_draw_list(list).map;
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
    const auto packed = render::pack_draw_list(list).map;
    REQUIRE(packed.symbols.size() == 2);
    CHECK(packed.symbols[0].shape == static_cast<std::uint8_t>(map::Shape::Star));
    CHECK(packed.symbols[0].fill.b == 3);
    CHECK(packed.symbols[0].y == 3.0f);
    CHECK(packed.symbols[1].shape == 0);
}

TEST_CASE("the overlay is packed apart from the map layers", "[render][packing]") {
    map::DrawList list;
    list.overlay.fills = {fill_of({{10, 10}, {20, 10}, {20, 20}}, {0, 1, 2})};
    list.overlay.symbols = {map::Symbol{}};
    const auto packed = render::pack_draw_list(list);
    CHECK(packed.map.fill_vertices.empty());
    CHECK(packed.map.symbols.empty());
    CHECK(packed.overlay.fill_vertices.size() == 3);
    CHECK(packed.overlay.symbols.size() == 1);
    CHECK(packed.glyphs.empty());

    list.overlay.fills[0].indices = {0, 1, 5};
    try {
        render::pack_draw_list(list);
        FAIL("no exception");
    } catch (const std::invalid_argument& e) {
        CHECK(std::string(e.what()).find("overlay fill batch 0") != std::string::npos);
    }
}

TEST_CASE("glyphs need a well-formed atlas", "[render][packing][text]") {
    map::DrawList list;
    map::GlyphQuad quad;
    quad.x1 = quad.y1 = 8;
    quad.u1 = quad.v1 = 1;
    quad.halo_px = 2;
    list.overlay.glyphs = {quad};
    CHECK_THROWS_AS(render::pack_draw_list(list), std::invalid_argument);  // no atlas

    auto atlas = std::make_shared<map::GlyphAtlas>();
    atlas->width = 4;
    atlas->height = 2;
    atlas->sdf.assign(7, 0);  // one byte short
    list.atlas = atlas;
    CHECK_THROWS_AS(render::pack_draw_list(list), std::invalid_argument);
    atlas->sdf.assign(8, 0);
    const auto packed = render::pack_draw_list(list);
    REQUIRE(packed.glyphs.size() == 1);
    CHECK(packed.glyphs[0].x1 == 8.0f);
    CHECK(packed.glyphs[0].halo_px == 2.0f);
    CHECK(packed.glyphs[0].texels_per_px == 1.0f);

    list.overlay.glyphs[0].texels_per_px = 0.0f;
    CHECK_THROWS_AS(render::pack_draw_list(list), std::invalid_argument);
    list.overlay.glyphs.clear();
    list.atlas = nullptr;  // no glyphs: no atlas needed
    CHECK_NOTHROW(render::pack_draw_list(list));
}
