// Validity in time (core::valid_on) and the basemap as of a day (core::Basemap::as_of): the
// claims and dated lines a map of that day draws.
#include <catch2/catch.hpp>

#include "core/basemap.hpp"
#include "core/date.hpp"

using namespace limes;
using core::Date;

TEST_CASE("valid_on: from the first day it holds until the first day it no longer does",
          "[as_of]") {
    const Date d = Date::from_ymd(2020, 11, 10);
    const std::optional<Date> none;
    CHECK(core::valid_on(none, none, d));
    CHECK(core::valid_on(d, none, d));                         // holds from its first day
    CHECK_FALSE(core::valid_on(Date{d.days + 1}, none, d));     // not yet
    CHECK_FALSE(core::valid_on(none, d, d));                   // ended that day
    CHECK(core::valid_on(none, d, Date{d.days - 1}));          // its last day
    // A handover on D: the old holder's claim ends D, the new one's starts D: one each day.
    const Date before{d.days - 1};
    const std::optional<Date> old_from = Date::from_ymd(1994, 5, 12), old_to = d, new_from = d;
    for (Date day : {before, d}) {
        const int holding = core::valid_on(old_from, old_to, day) + core::valid_on(new_from, none, day);
        CHECK(holding == 1);
    }
}

TEST_CASE("Basemap::as_of keeps the claims and lines of that day, and every area", "[as_of]") {
    core::Basemap b;
    core::BasemapFeature line_1994, undated_line, region;
    line_1994.lines = {{{46.0, 40.0}, {46.5, 40.2}}};
    line_1994.valid_from = Date::from_ymd(1994, 5, 12);
    line_1994.valid_to = Date::from_ymd(2020, 11, 10);
    undated_line.lines = {{{45.0, 40.0}, {45.5, 40.2}}};
    region.polygons = {{{{46, 39}, {47, 39}, {47, 40}, {46, 39}}}};
    region.valid_from = Date::from_ymd(1923, 7, 7);  // a reference area: kept at any date
    region.valid_to = Date::from_ymd(1991, 11, 26);
    b.layers.push_back({"historical_lines", {line_1994, undated_line}});
    b.layers.push_back({"regions", {region}});
    core::Claim handover, exclave;
    handover.name = "handover";
    handover.valid_from = Date::from_ymd(2020, 11, 20);
    exclave.name = "exclave";  // no dates: always
    b.claims = {handover, exclave};

    const core::Basemap y2019 = b.as_of(Date::from_ymd(2019, 1, 1));
    REQUIRE(y2019.layer("historical_lines"));
    CHECK(y2019.layer("historical_lines")->features.size() == 2);
    CHECK(y2019.layer("regions")->features.size() == 1);
    REQUIRE(y2019.claims.size() == 1);
    CHECK(y2019.claims[0].name == "exclave");

    const core::Basemap y2024 = b.as_of(Date::from_ymd(2024, 6, 1));
    CHECK(y2024.layer("historical_lines")->features.size() == 1);  // the undated one
    CHECK(y2024.layer("regions")->features.size() == 1);
    CHECK(y2024.claims.size() == 2);
}
