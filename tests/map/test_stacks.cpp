// Stacks of incidents at one place (map/stacks) and the symbol of one incident (who said it,
// status, fatalities stated or not, scale): found, fanned so no two symbols overlap, never
// chained across a dense area; the side of a reported_by value comes from one table.
#include <catch2/catch.hpp>

#include <cmath>

#include "core/incident_mark.hpp"
#include "map/scene.hpp"
#include "map/stacks.hpp"
#include "map/style.hpp"

using namespace limes;

namespace {
float dist(map::Vec2 a, map::Vec2 b) {
    return std::hypot(a.x - b.x, a.y - b.y);
}
}  // namespace

TEST_CASE("stacks: five at one pixel and two close ones stack, far ones do not", "[map][stacks]") {
    std::vector<map::Vec2> px = {{100, 100}, {300, 300}, {100, 100}, {100, 100},
                                 {100, 100}, {100, 100}, {400, 100}, {403, 101}};
    px.push_back({NAN, NAN});  // outside the CRS: never in a stack
    const auto stacks = map::find_stacks(px, 8.0f);
    REQUIRE(stacks.size() == 2);
    CHECK(stacks[0].members == std::vector<std::uint32_t>{0, 2, 3, 4, 5});
    CHECK(stacks[0].center.x == 100.0f);
    CHECK(stacks[1].members == std::vector<std::uint32_t>{6, 7});
}

TEST_CASE("stacks: a row of symbols 6 px apart is not one chained stack", "[map][stacks]") {
    std::vector<map::Vec2> px;
    for (int i = 0; i < 10; ++i) px.push_back({10.0f + 6.0f * i, 50.0f});
    const auto stacks = map::find_stacks(px, 8.0f);
    for (const auto& s : stacks) {
        CHECK(s.members.size() <= 2);  // each joins its first seed within 8 px, no chains
        for (auto m : s.members) CHECK(dist(px[m], s.center) < 8.0f);
    }
}

TEST_CASE("stacks: fanned symbols stand apart and clear of the badge", "[map][stacks]") {
    for (std::size_t n : {2u, 3u, 5u, 12u, 40u}) {
        const float symbol = 14.0f, badge = 15.0f;
        const auto fan = map::fan_offsets(n, symbol, badge);
        REQUIRE(fan.size() == n);
        INFO(n << " symbols");
        for (std::size_t i = 0; i < n; ++i) {
            CHECK(dist(fan[i], {0, 0}) >= badge / 2 + symbol / 2);
            for (std::size_t j = i + 1; j < n; ++j) CHECK(dist(fan[i], fan[j]) >= symbol * 1.1f);
        }
        if (n % 4 != 0 && n < 10) {  // one ring: the first straight up (y down)
            CHECK(fan[0].x == Approx(0.0f).margin(1e-4));
            CHECK(fan[0].y < 0.0f);
        }
        if (n <= 4)  // none straight right of the point, where a place label goes
            for (const auto& o : fan) CHECK_FALSE((o.x > 0 && std::fabs(o.y) < 0.3f * symbol));
    }
}

TEST_CASE("stacks: fan_stacks offsets only stacked symbols, around the stack's centre",
          "[map][stacks]") {
    const std::vector<map::Vec2> px = {{50, 50}, {50, 50}, {51, 50}, {200, 200}};
    const auto layout = map::fan_stacks(px, 8.0f, 14.0f, 15.0f);
    REQUIRE(layout.stacks.size() == 1);
    CHECK(layout.offsets_px[3].x == 0.0f);
    CHECK(layout.offsets_px[3].y == 0.0f);
    for (std::uint32_t m : {0u, 1u, 2u}) {
        const map::Vec2 at{px[m].x + layout.offsets_px[m].x, px[m].y + layout.offsets_px[m].y};
        CHECK(dist(at, {50, 50}) >= 14.0f);
    }
}

TEST_CASE("who said it: the side of every reported_by value of the shipped data",
          "[map][symbols]") {
    using core::ReportingSide;
    // geodata/incidents_2022-09.csv's values (and what imports write), each to its side.
    CHECK(core::reporting_side("Armenian MoD") == ReportingSide::Armenian);
    CHECK(core::reporting_side("Armenian government") == ReportingSide::Armenian);
    CHECK(core::reporting_side("Armenian Human Rights Defender") == ReportingSide::Armenian);
    CHECK(core::reporting_side("Armenian media (Iravaban.net)") == ReportingSide::Armenian);
    CHECK(core::reporting_side(" azerbaijani MoD ") == ReportingSide::Azerbaijani);
    CHECK(core::reporting_side("Azerbaijani government") == ReportingSide::Azerbaijani);
    CHECK(core::reporting_side("Human Rights Watch") == ReportingSide::ThirdParty);
    CHECK(core::reporting_side("ACLED") == ReportingSide::ThirdParty);
    // Not guessed from words: a value not in the table is Other.
    CHECK(core::reporting_side("Armenian something new") == ReportingSide::Other);
    CHECK(core::reporting_side("") == ReportingSide::Other);
    CHECK(core::status_index("Denied") == 3);
    CHECK(core::status_index("rumour") == core::kNoStatus);
}

TEST_CASE("who said it: an incident's symbol encodes side, status and fatalities stated",
          "[map][symbols]") {
    core::IncidentMark m;
    m.type = 0;  // Battles
    m.side = core::ReportingSide::Azerbaijani;
    m.status = 0;
    m.fatalities = 4;
    map::IncidentLook look;
    map::Symbol s = map::incident_symbol(m, look);
    CHECK(s.fill.r == map::style_for_type("Battles").fill.r);
    CHECK(s.outline.b == map::side_color(core::ReportingSide::Azerbaijani).b);
    CHECK(s.fill_style == map::SymbolFill::Solid);
    CHECK_FALSE(s.dashed);
    CHECK_FALSE(s.inner_ring);
    m.status = 3;  // denied
    CHECK(map::incident_symbol(m, look).fill_style == map::SymbolFill::Hollow);
    m.status = 2;  // disputed
    CHECK(map::incident_symbol(m, look).dashed);
    m.fatalities = -1;  // not stated: the base size, with an inner ring
    const map::Symbol not_stated = map::incident_symbol(m, look);
    CHECK(not_stated.inner_ring);
    m.fatalities = 0;
    CHECK(map::incident_symbol(m, look).size_px == not_stated.size_px);
    CHECK_FALSE(map::incident_symbol(m, look).inner_ring);
    look.color_by = map::ColorBy::ReportedBy;
    CHECK(map::incident_symbol(m, look).fill.b == map::side_color(m.side).b);
    look.color_by = map::ColorBy::Status;
    CHECK(map::incident_symbol(m, look).fill.r == map::status_color(2).r);
    look.scale = 2.0f;
    const map::Symbol big = map::incident_symbol(m, look);
    CHECK(big.size_px == Approx(2 * map::incident_symbol(m, {}).size_px));
    CHECK(big.outline_px == Approx(2 * map::kSymbolOutlinePx));  // a circle's
    m.type = 1;  // Explosions: a triangle's band is thinner
    CHECK(map::incident_symbol(m, {}).outline_px == Approx(0.75f * map::kSymbolOutlinePx));
}

TEST_CASE("approximate-location discs: one per place and radius, a quiet neutral tint",
          "[map][symbols]") {
    // Four incidents at one point (precision 2), one elsewhere (precision 3), one precise.
    std::vector<core::IncidentMark> marks(6);
    std::vector<map::Vec2> pos(6, map::Vec2{0, 0});
    for (int i = 0; i < 4; ++i) marks[i].geo_precision = 2, marks[i].type = std::uint8_t(i);
    marks[4].geo_precision = 3, pos[4] = {50'000, 0};
    marks[5].geo_precision = 1, pos[5] = {-50'000, 0};
    map::View view;
    view.units_per_pixel = 500.0;
    std::vector<map::Symbol> out;
    map::Scene::incident_symbols(marks, pos, nullptr, view, out);
    int discs = 0;
    for (const auto& s : out)
        if (s.shape == map::Shape::Disc) {
            ++discs;
            CHECK(s.fill.a <= 30);  // light: the incidents stay the figure
            CHECK(s.outline_px == 0.0f);
            CHECK(s.fill.r == map::kUncertaintyDisc.r);
        }
    CHECK(discs == 2);
    CHECK(out.size() == 2 + 6);
}

TEST_CASE("fanned offsets move symbols, not their discs", "[map][stacks]") {
    std::vector<core::IncidentMark> marks(2);
    marks[0].geo_precision = 2;
    std::vector<map::Vec2> pos = {{1000, 2000}, {1000, 2000}};
    std::vector<map::Vec2> offsets = {{0, -20}, {10, 0}};  // px: 20 up, 10 right
    map::View view;
    view.units_per_pixel = 100.0;
    map::IncidentLook look;
    look.offsets_px = &offsets;
    std::vector<map::Symbol> out;
    map::Scene::incident_symbols(marks, pos, nullptr, view, out, look);
    REQUIRE(out.size() == 3);
    CHECK(out[0].shape == map::Shape::Disc);
    CHECK(out[0].position.x == 1000.0f);
    bool up = false, right = false;
    for (std::size_t i = 1; i < out.size(); ++i) {
        up |= out[i].position.x == 1000.0f && out[i].position.y == Approx(4000.0f);
        right |= out[i].position.x == Approx(2000.0f) && out[i].position.y == 2000.0f;
    }
    CHECK(up);
    CHECK(right);
}
