// Text: glyph quads in image pixels sampling a signed distance field atlas, with halo.
// The atlas is synthetic (render_test_util.hpp): a disc of 10.25 texels radius in 32 × 32
// texels, drawn 2× (64 × 64 pixels, texels_per_px 0.5) over pixels [20, 84) of a 104 × 104
// image: the glyph is a disc of radius 20.5 px around image point (52, 52), so on pixel row
// 52 its edge falls at x = 72.5, the middle of pixel 72.
#include "render_test_util.hpp"

using limes::render::test::kBackground;

using namespace limes;
using render::test::near;

namespace {

const map::Rgba text_ink{20, 40, 160, 255};
const map::Rgba halo{255, 220, 0, 255};

map::DrawList disc_glyph(float halo_px) {
    map::DrawList list = render::test::empty_list(kBackground);
    list.atlas = render::test::disc_atlas(32, 10.25);
    map::GlyphQuad quad = render::test::whole_atlas_quad(20, 20, 84, 84, 0.5f, text_ink);
    quad.halo = halo;
    quad.halo_px = halo_px;
    list.overlay.glyphs.push_back(quad);
    return list;
}

map::View square_view() {
    map::View view = render::test::unit_view(104, 104);
    view.center_x = 5000.0;  // the view does not move overlay text
    view.units_per_pixel = 3.0;
    return view;
}

}  // namespace

TEST_CASE("a glyph has its colour inside, its halo just outside, background beyond",
          "[render][text]") {
    const auto image = render::test::render(disc_glyph(4.0f), square_view());
    CHECK(near(image.at(52, 52), text_ink));            // centre
    CHECK(near(image.at(52, 40), text_ink));            // 11.5 px up: inside
    CHECK(near(image.at(74, 52), halo));           // 2 px outside the edge, within halo_px 4
    CHECK(near(image.at(30, 52), halo));           // the same on the left: 2 px outside
    CHECK(near(image.at(79, 52), kBackground, 0));  // 7 px outside: beyond the halo
    CHECK(near(image.at(2, 2), kBackground, 0));    // outside the quad
}

TEST_CASE("halo_px 0 draws no halo", "[render][text]") {
    const auto image = render::test::render(disc_glyph(0.0f), square_view());
    CHECK(near(image.at(52, 52), text_ink));
    CHECK(near(image.at(74, 52), kBackground, 0));
}

TEST_CASE("the glyph edge is anti-aliased over about one pixel", "[render][text]") {
    const auto image = render::test::render(disc_glyph(0.0f), square_view());
    int intermediate = 0, first = -1;
    for (int x = 60; x < 84; ++x) {  // row 52 across the right edge at x = 72.5
        const int r = image.at(x, 52).r;
        if (r > text_ink.r + 10 && r < kBackground.r - 10) {
            ++intermediate;
            if (first < 0) first = x;
        }
    }
    INFO("first intermediate pixel " << first);
    CHECK(intermediate >= 1);
    CHECK(intermediate <= 2);  // ±0.5 px: one pixel, two at most
    CHECK(first == 72);
    // The pixel centred on the edge is about half glyph, half background.
    CHECK(std::abs(int(image.at(72, 52).r) - (text_ink.r + kBackground.r) / 2) <= 16);
}

TEST_CASE("atlas row 0 is the top of the glyph (v down)", "[render][text]") {
    // Inside where the texel row is above the middle: value = 128 + 32 * (16 - (y + 0.5)).
    auto atlas = std::make_shared<map::GlyphAtlas>();
    atlas->width = atlas->height = 32;
    for (int y = 0; y < 32; ++y) {
        const double value = std::clamp(128.0 + 32.0 * (16.0 - (y + 0.5)), 0.0, 255.0);
        for (int x = 0; x < 32; ++x) atlas->sdf.push_back(static_cast<std::uint8_t>(value));
    }
    map::DrawList list = render::test::empty_list(kBackground);
    list.atlas = atlas;
    list.overlay.glyphs.push_back(render::test::whole_atlas_quad(10, 10, 42, 42, 1.0f, text_ink));
    const auto image = render::test::render(list, render::test::unit_view(52, 52));
    CHECK(near(image.at(26, 14), text_ink));  // upper half of the quad
    CHECK(near(image.at(26, 38), kBackground, 0));
}

TEST_CASE("translucent text blends with straight alpha", "[render][text]") {
    map::DrawList list = disc_glyph(0.0f);
    list.background = {255, 255, 255, 255};
    list.overlay.glyphs[0].color = {0, 0, 0, 102};  // 40 % black
    const auto image = render::test::render(list, square_view());
    CHECK(near(image.at(52, 52), {153, 153, 153, 255}, 3));
}

TEST_CASE("glyphs need an atlas, no glyphs need none", "[render][text]") {
    render::test::context();
    render::Renderer renderer;
    map::DrawList list = disc_glyph(2.0f);
    list.atlas = nullptr;
    CHECK_THROWS_AS(renderer.upload(list), std::invalid_argument);
    list.overlay.glyphs.clear();
    renderer.upload(list);  // no text pass
    const auto image = renderer.render(square_view());
    CHECK(near({image[0], image[1], image[2], image[3]}, kBackground, 0));
}

TEST_CASE("the atlas is re-uploaded only when its pointer or version changes", "[render][text]") {
    render::test::context();
    render::Renderer renderer;
    map::DrawList list = disc_glyph(0.0f);
    auto atlas = std::const_pointer_cast<map::GlyphAtlas>(list.atlas);
    const map::View view = square_view();
    auto centre = [&] {
        const auto image = renderer.render(view);
        const std::size_t i = (52u * 104u + 52u) * 4u;
        return map::Rgba{image[i], image[i + 1], image[i + 2], image[i + 3]};
    };

    renderer.upload(list);
    CHECK(renderer.timings().atlas_uploaded);
    CHECK(near(centre(), text_ink));

    // Same object, same version: the texture is kept even though the texels changed.
    std::fill(atlas->sdf.begin(), atlas->sdf.end(), std::uint8_t{0});  // nothing inside
    renderer.upload(list);
    CHECK_FALSE(renderer.timings().atlas_uploaded);
    CHECK(near(centre(), text_ink));

    ++atlas->version;  // now the renderer sees the empty field
    renderer.upload(list);
    CHECK(renderer.timings().atlas_uploaded);
    CHECK(near(centre(), kBackground, 0));

    // Another object with the same version: uploaded.
    list.atlas = render::test::disc_atlas(32, 10.25);
    std::const_pointer_cast<map::GlyphAtlas>(list.atlas)->version = atlas->version;
    renderer.upload(list);
    CHECK(renderer.timings().atlas_uploaded);
    CHECK(near(centre(), text_ink));
}
