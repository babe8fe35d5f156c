// Round trip: ACLED CSV -> workspace -> GeoJSON file -> second workspace keeps every attribute
// of every incident (all incident_columns(), the point within 1e-6 degrees).
#include <catch2/catch.hpp>

#include <fstream>
#include <map>
#include <string>

#include "core/incident.hpp"
#include "geo/ops/exporter.hpp"
#include "geo/ops/importer.hpp"
#include "geo/store/workspace.hpp"
#include "support.hpp"

namespace geo = limes::geo;
namespace core = limes::core;
using limes_test::by_id;
using limes_test::data;
using limes_test::scratch;

namespace {

// Imports file into a fresh workspace, exports it to GeoJSON, imports that into a second
// workspace and checks both hold the same incidents, column by column.
void check_round_trip(const std::string& file, std::size_t expected) {
    const std::string first = scratch("roundtrip-a");
    const std::string geojson = scratch("roundtrip", ".geojson");
    const std::string second = scratch("roundtrip-b");
    REQUIRE(geo::import_file(first, file, {}).imported == static_cast<long long>(expected));
    {
        geo::Workspace ws = geo::Workspace::open(first);
        std::ofstream out(geojson, std::ios::binary);
        REQUIRE(geo::export_geojson(ws, {}, out) == static_cast<long long>(expected));
    }
    const geo::ImportReport r = geo::import_file(second, geojson, {});
    CHECK(r.skipped == 0);
    CHECK(r.imported == static_cast<long long>(expected));
    CHECK(r.ignored_columns.empty());  // every exported property has its column

    const auto a = by_id(geo::Workspace::open(first).read_incidents());
    const auto b = by_id(geo::Workspace::open(second).read_incidents());
    REQUIRE(a.size() == expected);
    REQUIRE(b.size() == expected);
    std::size_t compared = 0;
    for (const auto& [id, x] : a) {
        INFO("incident " << id);
        REQUIRE(b.count(id) == 1);
        const core::Incident& y = b.at(id);
        CHECK(y.lon == Approx(x.lon).margin(1e-6));
        CHECK(y.lat == Approx(x.lat).margin(1e-6));
        for (const auto& c : core::incident_columns()) {
            INFO("column " << c.name);
            switch (c.type) {
                case core::ColumnType::Text: CHECK(y.*c.text == x.*c.text); break;
                case core::ColumnType::Integer: CHECK(y.*c.integer == x.*c.integer); break;
                case core::ColumnType::Date: CHECK(y.event_date == x.event_date); break;
            }
            ++compared;
        }
    }
    CHECK(compared == expected * core::incident_columns().size());
    limes_test::remove_files({first, second, geojson});
}

}  // namespace

TEST_CASE("round trip: ACLED 2023 CSV -> GeoJSON -> workspace keeps every attribute",
          "[roundtrip]") {
    check_round_trip(data("acled_2023.csv"), 8);
}

TEST_CASE("round trip: UCDP GED (low/high estimates) keeps every attribute", "[roundtrip]") {
    check_round_trip(data("ucdp_ged.csv"), 4);
}

TEST_CASE("round trip: the default workspace's incidents keep every attribute", "[roundtrip]") {
    // Its incidents carry reported_by, status and source_url, which ACLED files lack.
    const std::string geojson = scratch("roundtrip-default", ".geojson");
    const std::string second = scratch("roundtrip-default");
    geo::Workspace ws = geo::Workspace::open(LIMES_DEFAULT_WS);
    const auto original = by_id(ws.read_incidents());
    {
        std::ofstream out(geojson, std::ios::binary);
        geo::export_geojson(ws, {}, out);
    }
    REQUIRE(geo::import_file(second, geojson, {}).imported ==
            static_cast<long long>(original.size()));
    const auto copy = by_id(geo::Workspace::open(second).read_incidents());
    REQUIRE(copy.size() == original.size());
    for (const auto& [id, x] : original) {
        INFO("incident " << id);
        const core::Incident& y = copy.at(id);
        CHECK(y.lon == Approx(x.lon).margin(1e-6));
        CHECK(y.lat == Approx(x.lat).margin(1e-6));
        for (const auto& c : core::incident_columns()) {
            INFO("column " << c.name);
            if (c.type == core::ColumnType::Text) CHECK(y.*c.text == x.*c.text);
            if (c.type == core::ColumnType::Integer) CHECK(y.*c.integer == x.*c.integer);
        }
        CHECK(y.event_date == x.event_date);
    }
    limes_test::remove_files({second, geojson});
}

TEST_CASE("round trip: text that looks like a date stays as written", "[roundtrip]") {
    // GDAL types a GeoJSON property whose every value looks like a date as a Date field and
    // would print it "2022/09/14"; the text columns must keep the exact text.
    const std::string csv = scratch("roundtrip-datelike", ".csv");
    {
        std::ofstream out(csv, std::ios::binary);
        out << "event_id_cnty,event_date,event_type,latitude,longitude,notes,tags\n"
               "SYN-DL-1,2022-09-13,Battles,40,45,2022-09-14,2022-09-15\n"
               "SYN-DL-2,2022-09-13,Battles,40.5,45.5,2022-10-01,2022-10-02\n";
    }
    check_round_trip(csv, 2);
    const std::string ws = scratch("roundtrip-datelike");
    const std::string geojson = scratch("roundtrip-datelike", ".geojson");
    REQUIRE(geo::import_file(ws, csv, {}).imported == 2);
    {
        std::ofstream out(geojson, std::ios::binary);
        geo::Workspace w = geo::Workspace::open(ws);
        geo::export_geojson(w, {}, out);
    }
    const std::string second = scratch("roundtrip-datelike-b");
    REQUIRE(geo::import_file(second, geojson, {}).imported == 2);
    auto m = by_id(geo::Workspace::open(second).read_incidents());
    CHECK(m.at("SYN-DL-1").notes == "2022-09-14");
    CHECK(m.at("SYN-DL-1").tags == "2022-09-15");
    CHECK(m.at("SYN-DL-2").notes == "2022-10-01");
    for (const auto& p : {ws, geojson, second, csv}) std::remove(p.c_str());
}
