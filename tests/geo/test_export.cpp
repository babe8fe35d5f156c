// `limes export` as a library call (geo::export_geojson): RFC 7946 structure, top-level bbox,
// coordinate precision, stable ids, typed properties, ring winding, and every filter.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <limits>
#include <map>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "core/filter.hpp"
#include "geo/formats/geojson_writer.hpp"
#include "geo/ops/exporter.hpp"
#include "geo/ops/importer.hpp"
#include "geo/ops/stats.hpp"
#include "geo/store/workspace.hpp"
#include "support.hpp"

namespace geo = limes::geo;
namespace core = limes::core;
using limes_test::data;
using limes_test::scratch;
using nlohmann::json;

namespace {

// A workspace of the 8 ACLED rows (reported_by "ACLED") and the 3 GeoJSON incidents
// (reported by "Synthetic Ministry A", "Synthetic Ministry B", "Synthetic Monitor C").
class Fixture {
  public:
    Fixture() : path_(scratch("export-fixture")) {
        REQUIRE(geo::import_file(path_, data("acled_2023.csv"), {}).imported == 8);
        REQUIRE(geo::import_file(path_, data("incidents.geojson"), {}).imported == 3);
    }
    ~Fixture() { std::remove(path_.c_str()); }
    const std::string& path() const { return path_; }

  private:
    std::string path_;
};

std::string export_text(geo::Workspace& ws, const geo::ExportOptions& opt,
                        long long* count = nullptr) {
    std::ostringstream out;
    const long long n = geo::export_geojson(ws, opt, out);
    if (count) *count = n;
    return out.str();
}

json export_json(geo::Workspace& ws, const geo::ExportOptions& opt) {
    return json::parse(export_text(ws, opt));
}

std::size_t count_with(geo::Workspace& ws, const core::Filter& filter) {
    geo::ExportOptions opt;
    opt.filter = filter;
    long long n = 0;
    const json j = json::parse(export_text(ws, opt, &n));
    REQUIRE(static_cast<long long>(j.at("features").size()) == n);
    return j.at("features").size();
}

core::Date day(int y, int m, int d) {
    return core::Date::from_ymd(y, m, d);
}

// Decimals of every number written inside the "coordinates" arrays and the "bbox" of text.
std::vector<std::size_t> coordinate_decimals(const std::string& text) {
    std::vector<std::size_t> out;
    const std::regex block(R"re("(coordinates|bbox)":(\[[-0-9.,\[\]eE+]*\]))re");
    const std::regex number(R"re(-?[0-9]+(\.([0-9]+))?([eE][-+]?[0-9]+)?)re");
    for (std::sregex_iterator b(text.begin(), text.end(), block), end; b != end; ++b) {
        const std::string arr = (*b)[2];
        for (std::sregex_iterator n(arr.begin(), arr.end(), number); n != end; ++n) {
            REQUIRE((*n)[3].length() == 0);  // never exponent notation
            out.push_back(static_cast<std::size_t>((*n)[2].length()));
        }
    }
    return out;
}

// Shoelace area of a GeoJSON ring [[x,y],...]: > 0 counter-clockwise.
double signed_area(const json& ring) {
    double a = 0;
    for (std::size_t i = 0; i + 1 < ring.size(); ++i)
        a += ring[i][0].get<double>() * ring[i + 1][1].get<double>() -
             ring[i + 1][0].get<double>() * ring[i][1].get<double>();
    return a / 2;
}

}  // namespace

TEST_CASE("export: a FeatureCollection of points with a bbox of their extent", "[export]") {
    Fixture fx;
    geo::Workspace ws = geo::Workspace::open(fx.path());
    long long n = 0;
    const json j = json::parse(export_text(ws, {}, &n));
    CHECK(j.at("type") == "FeatureCollection");
    REQUIRE(j.at("features").size() == 11);
    CHECK(n == 11);
    double w = 1e9, s = 1e9, e = -1e9, nn = -1e9;
    for (const auto& f : j.at("features")) {
        CHECK(f.at("type") == "Feature");
        CHECK(f.at("geometry").at("type") == "Point");
        const auto& c = f.at("geometry").at("coordinates");
        REQUIRE(c.size() == 2);  // lon, lat; no altitude
        w = std::min(w, c[0].get<double>());
        e = std::max(e, c[0].get<double>());
        s = std::min(s, c[1].get<double>());
        nn = std::max(nn, c[1].get<double>());
        // RFC 7946 order: longitude first (all fixture points lie at 44-47 E, 39-41 N).
        CHECK(c[0].get<double>() > 44.0);
        CHECK(c[1].get<double>() < 41.0);
    }
    const auto& bbox = j.at("bbox");
    REQUIRE(bbox.size() == 4);
    CHECK(bbox[0].get<double>() == w);
    CHECK(bbox[1].get<double>() == s);
    CHECK(bbox[2].get<double>() == e);
    CHECK(bbox[3].get<double>() == nn);
    // Known extremes of the fixture: SYN-0004 at 44.51 E, SYN-0007 at 40.9 N.
    CHECK(w == Approx(44.51));
    CHECK(nn == Approx(40.9));
}

TEST_CASE("export: an empty selection is a valid FeatureCollection without bbox", "[export]") {
    Fixture fx;
    geo::Workspace ws = geo::Workspace::open(fx.path());
    geo::ExportOptions opt;
    opt.filter.from = day(2030, 1, 1);
    const json j = export_json(ws, opt);
    CHECK(j.at("type") == "FeatureCollection");
    CHECK(j.at("features").empty());
    CHECK_FALSE(j.contains("bbox"));
}

TEST_CASE("export: --precision bounds the decimals of coordinates", "[export]") {
    // One point with nine decimals (synthetic).
    const std::string csv = scratch("precision", ".csv");
    {
        std::ofstream out(csv);
        out << "event_id_cnty,event_date,event_type,latitude,longitude\n"
               "SYN-PREC-1,2022-09-13,Battles,39.123456789,46.987654321\n"
               "SYN-PREC-2,2022-09-13,Battles,40.5,45\n";
    }
    const std::string path = scratch("precision");
    REQUIRE(geo::import_file(path, csv, {}).imported == 2);
    geo::Workspace ws = geo::Workspace::open(path);
    for (int precision : {6, 2}) {
        INFO("precision " << precision);
        geo::ExportOptions opt;
        opt.precision = precision;
        const std::string text = export_text(ws, opt);
        const auto decimals = coordinate_decimals(text);
        REQUIRE(decimals.size() == 2 * 2 + 4);  // two points and the bbox
        for (std::size_t d : decimals) CHECK(d <= static_cast<std::size_t>(precision));
        // Rounded, not truncated, and the full precision is used where the value has it.
        CHECK(*std::max_element(decimals.begin(), decimals.end()) ==
              static_cast<std::size_t>(precision));
        const json j = json::parse(text);
        const double tolerance = 0.5 * std::pow(10.0, -precision) + 1e-12;
        for (const auto& f : j.at("features")) {
            if (f.at("properties").at("event_id_cnty") != "SYN-PREC-1") continue;
            const auto& c = f.at("geometry").at("coordinates");
            CHECK(std::fabs(c[0].get<double>() - 46.987654321) <= tolerance);
            CHECK(std::fabs(c[1].get<double>() - 39.123456789) <= tolerance);
        }
    }
    geo::ExportOptions six;
    CHECK_THAT(export_text(ws, six), Catch::Contains("[46.987654,39.123457]"));
    geo::ExportOptions two;
    two.precision = 2;
    CHECK_THAT(export_text(ws, two), Catch::Contains("[46.99,39.12]"));
    CHECK_THAT(export_text(ws, two), Catch::Contains("[45,40.5]"));  // trailing zeros dropped
    geo::ExportOptions bad;
    bad.precision = 16;
    std::ostringstream sink;
    CHECK_THROWS_AS(geo::export_geojson(ws, bad, sink), core::UsageError);
    bad.precision = -1;
    CHECK_THROWS_AS(geo::export_geojson(ws, bad, sink), core::UsageError);
    limes_test::remove_files({path, csv});
}

TEST_CASE("export: feature ids are stable from one export to the next", "[export]") {
    Fixture fx;
    geo::Workspace ws = geo::Workspace::open(fx.path());
    const json a = export_json(ws, {});
    const json b = export_json(ws, {});
    CHECK(a == b);
    std::map<std::string, long long> id_of;
    std::set<long long> ids;
    for (const auto& f : a.at("features")) {
        REQUIRE(f.at("id").is_number_integer());
        id_of[f.at("properties").at("event_id_cnty")] = f.at("id").get<long long>();
        ids.insert(f.at("id").get<long long>());
    }
    CHECK(ids.size() == 11);  // unique
    // The workspace's feature ids.
    for (const auto& inc : ws.read_incidents()) CHECK(id_of.at(inc.event_id_cnty) == inc.fid);
    // A filtered export keeps each feature's id.
    geo::ExportOptions battles;
    battles.filter.types = {"Battles"};
    const json c = export_json(ws, battles);
    REQUIRE(c.at("features").size() == 3);
    for (const auto& f : c.at("features"))
        CHECK(f.at("id").get<long long>() == id_of.at(f.at("properties").at("event_id_cnty")));
    // A re-opened workspace gives the same ids.
    geo::Workspace again = geo::Workspace::open(fx.path());
    CHECK(export_json(again, {}) == a);
}

TEST_CASE("export: properties are typed: ISO dates, integer numbers, null for empty text",
          "[export]") {
    Fixture fx;
    geo::Workspace ws = geo::Workspace::open(fx.path());
    const json j = export_json(ws, {});
    const std::regex iso(R"(\d{4}-\d{2}-\d{2})");
    bool seen_one = false, seen_unstated = false;
    for (const auto& f : j.at("features")) {
        const json& p = f.at("properties");
        // Every incident column is present, in the workspace's order.
        CHECK(p.size() == core::incident_columns().size());
        REQUIRE(p.at("event_date").is_string());
        CHECK(std::regex_match(p.at("event_date").get<std::string>(), iso));
        for (const auto& c : core::incident_columns()) {
            const json& v = p.at(std::string(c.name));
            if (c.type == core::ColumnType::Integer) CHECK((v.is_null() || v.is_number_integer()));
            if (c.type == core::ColumnType::Text) {
                CHECK((v.is_null() || v.is_string()));
                if (v.is_string()) CHECK_FALSE(v.get<std::string>().empty());  // "" is null
            }
        }
        if (p.at("event_id_cnty") == "SYN-0001") {
            seen_one = true;
            CHECK(p.at("event_date") == "2022-09-13");
            CHECK(p.at("fatalities").is_number_integer());
            CHECK(p.at("fatalities") == 3);
            CHECK(p.at("timestamp") == 1663200000);
            CHECK(p.at("iso") == 51);
            CHECK(p.at("inter1") == "1");            // ACLED's inter codes are text columns
            CHECK(p.at("assoc_actor_1").is_null());  // empty in the CSV
            CHECK(p.at("notes") ==
                  "Synthetic test row, with commas, \"doubled quotes\", and\na second line");
        }
        if (p.at("event_id_cnty") == "SYN-0503") {
            seen_unstated = true;
            CHECK(p.at("fatalities").is_null());  // not stated
        }
        if (p.at("event_id_cnty") == "SYN-0502") CHECK(p.at("fatalities") == 0);
    }
    CHECK(seen_one);
    CHECK(seen_unstated);
}

TEST_CASE("export: claims are written with counter-clockwise exteriors and clockwise holes",
          "[export][claims]") {
    const std::string path = scratch("winding");
    {
        geo::Workspace ws = geo::Workspace::create(path);
        core::Claim c;
        c.claim_id = "SYN-WIND-1";
        c.name = "Synthetic claim with a hole";
        c.kind = "other";
        c.claimant = "Synthetic Ministry A";
        c.status = "reported";
        c.valid_from = day(2022, 9, 13);
        // Exterior clockwise, hole counter-clockwise: both the wrong way for RFC 7946.
        const core::Ring exterior = {{45, 40}, {45, 41}, {46, 41}, {46, 40}, {45, 40}};
        const core::Ring hole = {
            {45.25, 40.25}, {45.75, 40.25}, {45.75, 40.75}, {45.25, 40.75}, {45.25, 40.25}};
        REQUIRE(geo::signed_area(exterior) < 0);
        REQUIRE(geo::signed_area(hole) > 0);
        // A second polygon already the right way round must stay as it is.
        const core::Ring ccw = {{47, 40}, {47.5, 40}, {47.5, 40.5}, {47, 40.5}, {47, 40}};
        c.area = {{exterior, hole}, {ccw}};
        std::vector<core::Claim> claims{c};
        ws.append_claims(claims);
    }
    geo::Workspace ws = geo::Workspace::open(path);
    geo::ExportOptions opt;
    opt.layer = "claims";
    const json j = export_json(ws, opt);
    REQUIRE(j.at("features").size() == 1);
    const json& f = j.at("features")[0];
    CHECK(f.at("geometry").at("type") == "MultiPolygon");
    const json& polys = f.at("geometry").at("coordinates");
    REQUIRE(polys.size() == 2);
    REQUIRE(polys[0].size() == 2);
    CHECK(signed_area(polys[0][0]) > 0);  // exterior counter-clockwise
    CHECK(signed_area(polys[0][1]) < 0);  // hole clockwise
    CHECK(signed_area(polys[1][0]) > 0);
    // Reversed, not re-drawn: the exterior is the input ring backwards.
    const json expected_exterior = json::parse("[[45,40],[46,40],[46,41],[45,41],[45,40]]");
    CHECK(polys[0][0] == expected_exterior);
    CHECK(polys[1][0] == json::parse("[[47,40],[47.5,40],[47.5,40.5],[47,40.5],[47,40]]"));
    // Rings stay closed.
    for (const auto& poly : polys)
        for (const auto& ring : poly) CHECK(ring.front() == ring.back());
    // bbox of both polygons; properties typed.
    CHECK(j.at("bbox") == json::parse("[45,40,47.5,41]"));
    const json& p = f.at("properties");
    CHECK(p.at("valid_from") == "2022-09-13");
    CHECK(p.at("valid_to").is_null());
    CHECK(p.at("holder").is_null());
    CHECK(p.at("claimant") == "Synthetic Ministry A");
    std::remove(path.c_str());
}

TEST_CASE("export: claims of the fixture, the repaired bow-tie valid and filtered by time",
          "[export][claims]") {
    const std::string path = scratch("claims-export");
    REQUIRE(geo::import_file(path, data("claims.geojson"), {}).imported == 2);
    geo::Workspace ws = geo::Workspace::open(path);
    geo::ExportOptions opt;
    opt.layer = "claims";
    const json all = export_json(ws, opt);
    REQUIRE(all.at("features").size() == 2);
    for (const auto& f : all.at("features"))
        for (const auto& poly : f.at("geometry").at("coordinates")) CHECK(signed_area(poly[0]) > 0);
    // SYN-CLAIM-0002 is valid 2022-09-14..30; SYN-CLAIM-0001 from 2022-09-13, open-ended.
    opt.filter.from = day(2022, 10, 1);
    const json later = export_json(ws, opt);
    REQUIRE(later.at("features").size() == 1);
    CHECK(later.at("features")[0].at("properties").at("claim_id") == "SYN-CLAIM-0001");
    opt.filter = {};
    opt.filter.reported_by = {"synthetic ministry b"};  // case-insensitive, as for incidents
    const json by_b = export_json(ws, opt);
    REQUIRE(by_b.at("features").size() == 1);
    CHECK(by_b.at("features")[0].at("properties").at("claim_id") == "SYN-CLAIM-0002");
    std::remove(path.c_str());
}

TEST_CASE("export: --from/--to select whole days, inclusive", "[export][filter]") {
    Fixture fx;
    geo::Workspace ws = geo::Workspace::open(fx.path());
    CHECK(count_with(ws, {}) == 11);
    core::Filter f;
    f.from = day(2022, 9, 14);
    CHECK(count_with(ws, f) == 8);
    f = {};
    f.to = day(2022, 9, 14);
    CHECK(count_with(ws, f) == 6);
    f.from = day(2022, 9, 14);
    CHECK(count_with(ws, f) == 3);
    f.from = day(2022, 9, 15);
    std::ostringstream sink;
    geo::ExportOptions inverted;
    inverted.filter = f;  // from after to
    CHECK_THROWS_AS(geo::export_geojson(ws, inverted, sink), core::UsageError);
}

TEST_CASE("export: --bbox keeps the points inside the box", "[export][filter]") {
    Fixture fx;
    geo::Workspace ws = geo::Workspace::open(fx.path());
    core::Filter f;
    f.bbox = core::parse_bbox("45,39,47,40.5");
    CHECK(count_with(ws, f) == 7);
    geo::ExportOptions opt;
    opt.filter = f;
    // A named document: the range of a for over export_json(...).at(...) would refer into a
    // temporary that is gone before the loop runs (ASan: heap-use-after-free).
    const auto doc = export_json(ws, opt);
    for (const auto& feat : doc.at("features")) {
        const auto& c = feat.at("geometry").at("coordinates");
        CHECK(f.bbox->contains(c[0].get<double>(), c[1].get<double>()));
    }
    f.bbox = core::parse_bbox("44,40,45,41");  // Yerevan area: SYN-0004, SYN-0005
    CHECK(count_with(ws, f) == 2);
}

TEST_CASE("export: --type and --reported-by", "[export][filter]") {
    Fixture fx;
    geo::Workspace ws = geo::Workspace::open(fx.path());
    core::Filter f;
    f.types = {"Battles"};
    CHECK(count_with(ws, f) == 3);
    f.types = {"Battles", "Riots"};
    CHECK(count_with(ws, f) == 4);
    f = {};
    f.reported_by = {"Synthetic Ministry A"};
    CHECK(count_with(ws, f) == 1);
    f.reported_by = {"synthetic ministry b"};  // case-insensitive
    CHECK(count_with(ws, f) == 1);
    f.reported_by = {"Synthetic Ministry A", "ACLED"};
    CHECK(count_with(ws, f) == 9);
    f.types = {"Battles"};  // and both together
    CHECK(count_with(ws, f) == 3);
    f.from = day(2022, 9, 14);
    CHECK(count_with(ws, f) == 1);  // SYN-0007
}

TEST_CASE("export: --region selects the points inside a province of the default workspace",
          "[export][filter]") {
    geo::Workspace ws = geo::Workspace::open(LIMES_DEFAULT_WS);
    const std::size_t total = count_with(ws, {});
    const geo::Stats stats = geo::compute_stats(ws, {});
    for (const char* name : {"Gegharkunik", "Syunik", "Kəlbəcər"}) {
        INFO(name);
        long long expected = -1;
        for (const auto& p : stats.provinces)
            if (p.name == name) expected = p.incidents;
        REQUIRE(expected > 0);
        core::Filter f;
        f.region = name;
        const std::size_t n = count_with(ws, f);
        CHECK(static_cast<long long>(n) == expected);
        CHECK(n < total);
    }
    core::Filter lower;
    lower.region = "gegharkunik";  // names match case-insensitively
    core::Filter exact;
    exact.region = "Gegharkunik";
    CHECK(count_with(ws, lower) == count_with(ws, exact));
    // A country holds the sum of its provinces' incidents.
    core::Filter armenia;
    armenia.region = "Armenia";
    long long armenia_expected = 0;
    for (const auto& c : stats.countries)
        if (c.name == "Armenia") armenia_expected = c.incidents;
    CHECK(static_cast<long long>(count_with(ws, armenia)) == armenia_expected);
}

TEST_CASE("export: an unknown region is a usage error naming the region", "[export][filter]") {
    geo::Workspace ws = geo::Workspace::open(LIMES_DEFAULT_WS);
    geo::ExportOptions opt;
    opt.filter.region = "Atlantis";
    std::ostringstream sink;
    CHECK_THROWS_AS(geo::export_geojson(ws, opt, sink), core::UsageError);
    try {
        geo::export_geojson(ws, opt, sink);
    } catch (const core::UsageError& e) {
        CHECK_THAT(std::string(e.what()), Catch::Contains("Atlantis"));
    }
    // The fixture workspace has no polygon layers at all: every region is unknown there.
    Fixture fx;
    geo::Workspace fixture = geo::Workspace::open(fx.path());
    opt.filter.region = "Gegharkunik";
    CHECK_THROWS_AS(geo::export_geojson(fixture, opt, sink), core::UsageError);
}

TEST_CASE("export: an unknown layer is a usage error", "[export]") {
    Fixture fx;
    geo::Workspace ws = geo::Workspace::open(fx.path());
    geo::ExportOptions opt;
    opt.layer = "no_such_layer";
    std::ostringstream sink;
    CHECK_THROWS_AS(geo::export_geojson(ws, opt, sink), core::UsageError);
}

TEST_CASE("export: basemap layers export with their own typed properties", "[export]") {
    geo::Workspace ws = geo::Workspace::open(LIMES_DEFAULT_WS);
    geo::ExportOptions opt;
    opt.layer = "places";
    const json j = export_json(ws, opt);
    const auto n = ws.require_layer("places").GetFeatureCount(TRUE);
    CHECK(static_cast<long long>(j.at("features").size()) == n);
    for (const auto& f : j.at("features")) {
        CHECK(f.at("geometry").at("type") == "Point");
        CHECK(f.at("properties").contains("name_hy"));
        const json& pop = f.at("properties").at("population");
        CHECK((pop.is_null() || pop.is_number_integer()));
    }
    // --bbox applies to basemap layers too.
    opt.filter.bbox = core::parse_bbox("44,39.5,45,40.5");  // around Yerevan
    const json near = export_json(ws, opt);
    CHECK(near.at("features").size() > 0);
    CHECK(near.at("features").size() < j.at("features").size());
    // Polygons of the regions layer come out counter-clockwise.
    geo::ExportOptions regions;
    regions.layer = "regions";
    const json r = export_json(ws, regions);
    REQUIRE(r.at("features").size() == 1);
    const json& g = r.at("features")[0].at("geometry");
    const json& first_polygon =
        g.at("type") == "Polygon" ? g.at("coordinates") : g.at("coordinates")[0];
    CHECK(signed_area(first_polygon[0]) > 0);
}

TEST_CASE("export: a claim says how its geometry was made and how accurate it is",
          "[export][claims]") {
    // Two synthetic claims: one digitised to 50 m, one from a small-scale source (5 km).
    const std::string geojson = scratch("claims-accuracy") + ".geojson";
    {
        std::ofstream out(geojson);
        auto feature = [](const char* id, double lon, const char* how, const char* acc) {
            return std::string(R"({"type":"Feature","geometry":{"type":"Polygon","coordinates":[[[)") +
                   std::to_string(lon) + ",40],[" + std::to_string(lon + 0.1) + ",40],[" +
                   std::to_string(lon + 0.1) + ",40.1],[" + std::to_string(lon) +
                   R"(,40]]]},"properties":{"claim_id":")" + id +
                   R"(","name":"Synthetic","claimant":"Synthetic Ministry A","holder":"B",)"
                   R"("sovereign":"A","geometry_source":")" + how + R"(","accuracy_m":)" + acc +
                   "}}";
        };
        out << R"({"type":"FeatureCollection","features":[)"
            << feature("SYN-ACC-1", 45.0, "digitised from a synthetic 1:25,000 map", "50") << ","
            << feature("SYN-ACC-2", 46.0, "a synthetic 1:10,000,000 outline", "5000") << "]}";
    }
    const std::string path = scratch("claims-accuracy-ws");
    REQUIRE(geo::import_file(path, geojson, {}).imported == 2);
    geo::Workspace ws = geo::Workspace::open(path);
    geo::ExportOptions opt;
    opt.layer = "claims";
    const json all = export_json(ws, opt);
    REQUIRE(all.at("features").size() == 2);
    std::map<std::string, json> by_id;
    for (const auto& f : all.at("features"))
        by_id[f.at("properties").at("claim_id").get<std::string>()] = f.at("properties");
    CHECK(by_id.at("SYN-ACC-1").at("geometry_source") == "digitised from a synthetic 1:25,000 map");
    CHECK(by_id.at("SYN-ACC-1").at("accuracy_m") == 50.0);
    CHECK(by_id.at("SYN-ACC-1").at("approximate") == false);
    CHECK(by_id.at("SYN-ACC-2").at("accuracy_m") == 5000.0);
    CHECK(by_id.at("SYN-ACC-2").at("approximate") == true);  // over 500 m: drawn dashed

    // A claim that does not say: null, not approximate.
    const std::string old = scratch("claims-accuracy-old");
    REQUIRE(geo::import_file(old, data("claims.geojson"), {}).imported == 2);
    geo::Workspace old_ws = geo::Workspace::open(old);
    const json old_export = export_json(old_ws, opt);  // kept: the loop reads into it
    for (const auto& f : old_export.at("features")) {
        CHECK(f.at("properties").at("geometry_source").is_null());
        CHECK(f.at("properties").at("accuracy_m").is_null());
        CHECK(f.at("properties").at("approximate") == false);
    }

    // Not a distance: refused, naming the field.
    const std::string bad = scratch("claims-accuracy-bad") + ".geojson";
    {
        std::ofstream out(bad);
        out << R"({"type":"FeatureCollection","features":[{"type":"Feature","geometry":)"
               R"({"type":"Polygon","coordinates":[[[45,40],[45.1,40],[45.1,40.1],[45,40]]]},)"
               R"("properties":{"claim_id":"SYN-BAD","claimant":"Synthetic Ministry A",)"
               R"("accuracy_m":"about a kilometre"}}]})";
    }
    geo::ImportOptions strict;
    strict.strict = true;
    const geo::ImportReport r = geo::import_file(scratch("claims-accuracy-bad-ws"), bad, strict);
    CHECK(r.aborted);
    CHECK(r.imported == 0);
    REQUIRE(r.skipped == 1);
    REQUIRE(r.diagnostics.items().size() == 1);
    CHECK(r.diagnostics.items()[0].where.field == "accuracy_m");
    CHECK(r.diagnostics.items()[0].message.find("about a kilometre") != std::string::npos);
}
