// `limes import` of the non-CSV sources through the command line: duplicates skipped on
// re-import of GeoJSON, GeoPackage and Shapefile (and within one file), KML and TopoJSON
// fixtures read back with their values, `--format acled|ucdp` given explicitly, and
// `limes info` on a file that is not a workspace. What was stored is read back with GDAL/OGR
// directly, not through limes' own reader.
#include <catch2/catch.hpp>

#include <gdal_priv.h>
#include <gdal_utils.h>
#include <ogrsf_frmts.h>

#include <sys/stat.h>

#include <cmath>
#include <cstdio>
#include <fstream>
#include <initializer_list>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <utility>
#include <vector>

#include "../geo/support.hpp"
#include "../support/ogr_layer.hpp"
#include "run_limes.hpp"

using limes_test::check_contains;
using limes_test::data;
using limes_test::file_exists;
using limes_test::read_all;
using limes_test::Result;
using limes_test::run_limes;
using limes_test::run_limes_ok;
using limes_test::scratch;
using limes_test::write_text;
using nlohmann::json;

namespace {

constexpr double kPi = 3.14159265358979323846;

// One stored row as GDAL reads it from the workspace.
struct Row {
    std::map<std::string, std::string> fields;  // NULL fields left out; dates as YYYY-MM-DD
    double x = NAN, y = NAN;
    int dim = 0;
};

std::vector<Row> stored_rows(const std::string& ws, const std::string& layer_name) {
    GDALAllRegister();
    GDALDatasetUniquePtr ds(GDALDataset::Open(ws.c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY));
    REQUIRE(ds);
    OGRLayer* layer = ds->GetLayerByName(layer_name.c_str());
    std::vector<Row> rows;
    if (!layer) return rows;
    for (auto& f : *layer) {
        Row r;
        for (int i = 0; i < f->GetFieldCount(); ++i) {
            if (!f->IsFieldSetAndNotNull(i)) continue;
            std::string v = f->GetFieldAsString(i);
            if (f->GetFieldDefnRef(i)->GetType() == OFTDate) {
                int y, m, d, hh, mm, tz;
                float ss;
                f->GetFieldAsDateTime(i, &y, &m, &d, &hh, &mm, &ss, &tz);
                char buf[16];
                std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", y, m, d);
                v = buf;
            }
            r.fields[f->GetFieldDefnRef(i)->GetNameRef()] = v;
        }
        if (const OGRGeometry* g = f->GetGeometryRef()) {
            r.dim = g->CoordinateDimension();
            if (wkbFlatten(g->getGeometryType()) == wkbPoint) {
                r.x = g->toPoint()->getX();
                r.y = g->toPoint()->getY();
            }
        }
        rows.push_back(std::move(r));
    }
    return rows;
}

std::map<std::string, Row> by_event_id(const std::vector<Row>& rows) {
    std::map<std::string, Row> out;
    for (const Row& r : rows)
        out[r.fields.count("event_id_cnty") ? r.fields.at("event_id_cnty") : ""] = r;
    return out;
}

// tests/data/incidents.geojson (3 incidents, SYN-0501..0503) with a fourth feature that
// repeats SYN-0501 at another place: the file's own duplicate.
std::string geojson_with_inner_duplicate() {
    json j = json::parse(read_all(data("incidents.geojson")));
    json dup = j.at("features")[0];
    dup["id"] = 4;
    dup["geometry"]["coordinates"] = {45.11, 40.22};
    dup["properties"]["location"] = "Synthetic Place repeated";
    dup["properties"]["notes"] = "Synthetic test row repeating SYN-0501";
    j["features"].push_back(dup);
    const std::string path = scratch("dup-src", ".geojson");
    write_text(path, j.dump(1));
    return path;
}

// The same features written by GDAL in another format (ogr2ogr's library call).
std::string translate(const std::string& src, const std::string& driver, const std::string& ext) {
    GDALAllRegister();
    // A folder of its own, so that the file (and a Shapefile's layer) is named "incidents".
    const std::string dir = scratch("translated", "");
    REQUIRE(::mkdir(dir.c_str(), 0777) == 0);
    const std::string dst = dir + "/incidents" + ext;
    GDALDatasetH in = GDALOpenEx(src.c_str(), GDAL_OF_VECTOR, nullptr, nullptr, nullptr);
    REQUIRE(in);
    char* argv[] = {const_cast<char*>("-f"), const_cast<char*>(driver.c_str()),
                    const_cast<char*>("-nln"), const_cast<char*>("incidents"), nullptr};
    GDALVectorTranslateOptions* opt = GDALVectorTranslateOptionsNew(argv, nullptr);
    int usage_error = 0;
    GDALDatasetH out = GDALVectorTranslate(dst.c_str(), nullptr, 1, &in, opt, &usage_error);
    GDALVectorTranslateOptionsFree(opt);
    GDALClose(in);
    REQUIRE(out);
    GDALClose(out);
    return dst;
}

// Area in km² of the lon/lat cell bounded by meridians and parallels on WGS84, closed form.
double cell_area_km2(double lon0, double lat0, double lon1, double lat1) {
    const double a = 6378137.0, f = 1.0 / 298.257223563;
    const double b = a * (1.0 - f), e2 = f * (2.0 - f), e = std::sqrt(e2);
    auto q = [&](double lat) {
        const double s = std::sin(lat * kPi / 180.0);
        return s / (1.0 - e2 * s * s) + std::log((1.0 + e * s) / (1.0 - e * s)) / (2.0 * e);
    };
    return (lon1 - lon0) * kPi / 180.0 * b * b / 2.0 * (q(lat1) - q(lat0)) / 1e6;
}

// The row's point is (x, y), to 1e-9 degrees.
void check_at(const Row& row, double x, double y) {
    CHECK(row.x == Approx(x).margin(1e-9));
    CHECK(row.y == Approx(y).margin(1e-9));
}

// The row's fields hold these values, each CHECKed (a missing field fails too).
void check_fields(const Row& row,
                  std::initializer_list<std::pair<std::string, std::string>> expected) {
    for (const auto& [name, value] : expected) {
        INFO("field " << name);
        CHECK(row.fields.at(name) == value);
    }
}

void check_reimport_skips_duplicates(const std::string& src) {
    const std::string ws = scratch("dup-ws");
    // The fourth feature repeats SYN-0501: left out, reported with its feature number.
    const Result first = run_limes_ok({"import", ws, src}, {"imported 3 of 4", "1 already there"});
    CHECK_THAT(first.err, Catch::Contains(src + ":4: field 'event_id_cnty': 'SYN-0501' is already "
                                                "earlier in this file"));
    auto rows = stored_rows(ws, "incidents");
    REQUIRE(rows.size() == 3);
    auto ids = by_event_id(rows);
    REQUIRE(ids.count("SYN-0501"));
    CHECK(ids.count("SYN-0502"));
    CHECK(ids.count("SYN-0503"));
    // The first of the two is the one kept.
    CHECK(ids.at("SYN-0501").fields["location"] == "Synthetic Place 1");
    check_at(ids.at("SYN-0501"), 46.34, 39.51);

    // The same file again: nothing new, every row reported as already there, not an error.
    const Result again = run_limes_ok({"import", ws, src}, {"imported 0 of 4", "4 already there"});
    CHECK_THAT(again.err, Catch::Contains(src + ":1: field 'event_id_cnty': 'SYN-0501' is already "
                                                "in the workspace"));
    CHECK(stored_rows(ws, "incidents").size() == 3);
    std::remove(ws.c_str());
}

}  // namespace

TEST_CASE("import: a GeoJSON imported twice adds its incidents once", "[import][duplicates]") {
    check_reimport_skips_duplicates(geojson_with_inner_duplicate());
}

TEST_CASE("import: a GeoPackage imported twice adds its incidents once", "[import][duplicates]") {
    check_reimport_skips_duplicates(translate(geojson_with_inner_duplicate(), "GPKG", ".gpkg"));
}

TEST_CASE("import: incidents of a GeoJSON already imported from the CSV are left out",
          "[import][duplicates]") {
    // acled_2023.csv holds SYN-0001..; a GeoJSON of two of its rows plus one new one.
    const std::string ws = scratch("dup-csv-then-geojson");
    REQUIRE(run_limes({"import", ws, data("acled_2023.csv")}).code == 0);
    const auto before = stored_rows(ws, "incidents");
    REQUIRE(before.size() == 8);
    const auto ids = by_event_id(before);
    REQUIRE(ids.count("SYN-0001"));
    REQUIRE(ids.count("SYN-0002"));
    json fc = {{"type", "FeatureCollection"}, {"features", json::array()}};
    for (const char* id : {"SYN-0001", "SYN-0002", "SYN-0999"})
        fc["features"].push_back(
            {{"type", "Feature"},
             {"properties",
              {{"event_id_cnty", id},
               {"event_date", "2022-09-13"},
               {"event_type", "Battles"},
               {"notes", "Synthetic test row"}}},
             {"geometry", {{"type", "Point"}, {"coordinates", {45.5, 40.5}}}}});
    const std::string src = scratch("dup-of-csv", ".geojson");
    write_text(src, fc.dump());
    run_limes_ok({"import", ws, src}, {"imported 1 of 3", "2 already there"});
    const auto after = by_event_id(stored_rows(ws, "incidents"));
    CHECK(after.size() == 9);
    REQUIRE(after.count("SYN-0999"));
    // The stored SYN-0001 is still the CSV's, not moved to the GeoJSON's point.
    check_at(after.at("SYN-0001"), ids.at("SYN-0001").x, ids.at("SYN-0001").y);
    std::remove(ws.c_str());
}

// A Shapefile cannot hold the column event_id_cnty: dBASE field names are at most 10
// characters, GDAL writes it as "event_id_c" (and reported_by as "reported_b"). limes reads
// such a cut name as the one column it starts, so the ids are kept and a second import adds
// nothing.
TEST_CASE("import: a Shapefile imported twice adds its incidents once", "[import][shp]") {
    check_reimport_skips_duplicates(
        translate(geojson_with_inner_duplicate(), "ESRI Shapefile", ".shp"));
}

TEST_CASE("import: a Shapefile's points and remaining columns are stored", "[import][shp]") {
    const std::string shp = translate(data("incidents.geojson"), "ESRI Shapefile", ".shp");
    const std::string ws = scratch("shp-ws");
    run_limes_ok({"import", ws, shp}, {"imported 3 of 3", "(OGR (ESRI Shapefile))"});
    const auto rows = stored_rows(ws, "incidents");
    REQUIRE(rows.size() == 3);
    std::map<std::string, Row> by_location;
    for (const Row& row : rows) by_location[row.fields.at("location")] = row;
    REQUIRE(by_location.count("Synthetic Place 2"));
    const Row& two = by_location.at("Synthetic Place 2");
    check_at(two, 45.67, 39.82);
    check_fields(two, {{"event_date", "2022-09-14"},
                       {"event_type", "Explosions/Remote violence"},
                       {"status", "disputed"}});
    // Cut to "event_id_c" and "reported_b" in the .dbf, read back whole.
    CHECK_FALSE(two.fields.at("event_id_cnty").empty());
    std::map<std::string, std::string> source_reporter;  // by event id, from the GeoJSON
    const nlohmann::json source = nlohmann::json::parse(std::ifstream(data("incidents.geojson")));
    for (const auto& f : source["features"])
        source_reporter[f["properties"]["event_id_cnty"].get<std::string>()] =
            f["properties"]["reported_by"].get<std::string>();
    REQUIRE(source_reporter.count(two.fields.at("event_id_cnty")) == 1);
    CHECK(two.fields.at("reported_by") == source_reporter.at(two.fields.at("event_id_cnty")));
    std::remove(ws.c_str());
}

TEST_CASE("import: a KML of incidents, its ExtendedData as columns and Z dropped",
          "[import][kml]") {
    const std::string ws = scratch("kml-ws");
    const std::string kml = data("incidents.kml");
    run_limes_ok({"import", ws, kml}, {"imported 2 of 2", "layer incidents", "KML"});
    const auto ids = by_event_id(stored_rows(ws, "incidents"));
    REQUIRE(ids.size() == 2);
    REQUIRE(ids.count("SYN-K001"));
    REQUIRE(ids.count("SYN-K002"));
    const Row& k1 = ids.at("SYN-K001");
    // <coordinates>46.123456,39.654321,850</coordinates>: lon, lat, altitude.
    check_at(k1, 46.123456, 39.654321);
    CHECK(k1.dim == 2);
    check_fields(k1, {{"event_date", "2022-09-13"},
                      {"event_type", "Battles"},
                      {"sub_event_type", "Armed clash"},
                      {"fatalities", "4"},
                      {"reported_by", "Synthetic Ministry K"},
                      {"source", "Synthetic Source K"},
                      {"notes", "Synthetic test row 1 of the KML fixture"}});
    const Row& k2 = ids.at("SYN-K002");
    check_at(k2, 45.5, 40.25);
    check_fields(k2, {{"event_type", "Explosions/Remote violence"},
                      {"fatalities", "0"},
                      {"reported_by", "Synthetic Monitor K"}});
    std::remove(ws.c_str());
}

TEST_CASE("import: a TopoJSON claim, quantized arcs decoded, hole kept, area from the ellipsoid",
          "[import][topojson]") {
    const std::string ws = scratch("topojson-ws");
    run_limes_ok({"import", ws, data("claims.topojson")},
                 {"imported 1 of 1", "layer claims", "TopoJSON"});

    auto [ds, claims] = limes_test::open_layer(ws, "claims");
    REQUIRE(claims->GetFeatureCount() == 1);
    OGRFeatureUniquePtr f(claims->GetNextFeature());
    REQUIRE(f);
    CHECK(std::string(f->GetFieldAsString("claim_id")) == "SYN-T001");
    CHECK(std::string(f->GetFieldAsString("claimant")) == "Synthetic Ministry T");
    CHECK(std::string(f->GetFieldAsString("holder")) == "Synthetic Holder T");
    CHECK(std::string(f->GetFieldAsString("sovereign")) == "Synthetic State T");
    CHECK(std::string(f->GetFieldAsString("kind")) == "controlled");
    CHECK(std::string(f->GetFieldAsString("status")) == "disputed");
    int y = 0, m = 0, d = 0, hh, mm, tz;
    float ss;
    REQUIRE(f->GetFieldAsDateTime(f->GetFieldIndex("valid_from"), &y, &m, &d, &hh, &mm, &ss, &tz));
    CHECK((y == 2021 && m == 5 && d == 12));
    CHECK_FALSE(f->IsFieldSetAndNotNull(f->GetFieldIndex("valid_to")));
    // The arcs, scale 0.001 and translate (46.0, 39.6), delta-encoded: the exterior is the
    // box 46.0..46.4 x 39.6..39.9 and the hole 46.1..46.2 x 39.7..39.8.
    const OGRGeometry* g = f->GetGeometryRef();
    REQUIRE(g);
    REQUIRE(wkbFlatten(g->getGeometryType()) == wkbMultiPolygon);
    const OGRMultiPolygon* mp = g->toMultiPolygon();
    REQUIRE(mp->getNumGeometries() == 1);
    const OGRPolygon* poly = mp->getGeometryRef(0);
    REQUIRE(poly->getNumInteriorRings() == 1);
    OGREnvelope outer, hole;
    poly->getExteriorRing()->getEnvelope(&outer);
    poly->getInteriorRing(0)->getEnvelope(&hole);
    CHECK(outer.MinX == Approx(46.0).margin(1e-9));
    CHECK(outer.MaxX == Approx(46.4).margin(1e-9));
    CHECK(outer.MinY == Approx(39.6).margin(1e-9));
    CHECK(outer.MaxY == Approx(39.9).margin(1e-9));
    CHECK(hole.MinX == Approx(46.1).margin(1e-9));
    CHECK(hole.MaxX == Approx(46.2).margin(1e-9));
    CHECK(hole.MinY == Approx(39.7).margin(1e-9));
    CHECK(hole.MaxY == Approx(39.8).margin(1e-9));
    CHECK(poly->get_Area() == Approx(0.12 - 0.01).margin(1e-9));

    // stats: the claim's area is the box minus the hole on the ellipsoid (closed form; the
    // geodesic edges differ from the parallels by far less than the 0.1 % allowed).
    const Result st = run_limes({"stats", ws, "--json"});
    REQUIRE(st.code == 0);
    const json j = json::parse(st.out);
    REQUIRE(j.at("claims").size() == 1);
    const double expected =
        cell_area_km2(46.0, 39.6, 46.4, 39.9) - cell_area_km2(46.1, 39.7, 46.2, 39.8);
    CHECK(expected == Approx(1046.7).epsilon(0.001));
    CHECK(j.at("claims")[0].at("area_km2").get<double>() == Approx(expected).epsilon(0.001));
    f.reset();
    ds.reset();
    std::remove(ws.c_str());
}

TEST_CASE("import: --format ucdp and --format acled given explicitly", "[import][format]") {
    SECTION("--format ucdp on a UCDP GED file with another extension") {
        const std::string src = scratch("ged", ".dat");
        write_text(src, read_all(data("ucdp_ged.csv")));
        const std::string ws = scratch("format-ucdp");
        run_limes_ok({"import", ws, src, "--format", "ucdp"},
                     {"imported 4 of 4", "(UCDP GED CSV)"});
        const auto ids = by_event_id(stored_rows(ws, "incidents"));
        REQUIRE(ids.count("UCDP-GED-900001"));
        const Row& r1 = ids.at("UCDP-GED-900001");
        // ucdp_ged.csv row 1: best 6, low 5, high 9, side_a/side_b, date_start 2022-09-13,
        // where_prec 1, longitude 46.34, latitude 39.51.
        check_fields(r1, {{"fatalities", "6"},
                          {"fatalities_low", "5"},
                          {"fatalities_high", "9"},
                          {"actor1", "Synthetic Side A"},
                          {"actor2", "Synthetic Side B"},
                          {"event_date", "2022-09-13"},
                          {"geo_precision", "1"}});
        check_at(r1, 46.34, 39.51);
        std::remove(ws.c_str());
    }
    SECTION("--format acled on an ACLED file with another extension") {
        const std::string src = scratch("acled", ".dat");
        write_text(src, read_all(data("acled_2023.csv")));
        const std::string ws = scratch("format-acled");
        // Without --format the extension sends it to GDAL, which cannot read it.
        const Result guessed = run_limes({"import", ws, src});
        CHECK(guessed.code == 3);
        CHECK_FALSE(file_exists(ws));
        run_limes_ok({"import", ws, src, "--format", "acled"}, {"imported 8 of 8", "(ACLED CSV)"});
        const auto ids = by_event_id(stored_rows(ws, "incidents"));
        CHECK(ids.size() == 8);
        REQUIRE(ids.count("SYN-0001"));
        check_at(ids.at("SYN-0001"), 46.34, 39.51);
        CHECK(ids.at("SYN-0001").fields.at("fatalities") == "3");
        std::remove(ws.c_str());
    }
    SECTION("--format ucdp on an ACLED file names the missing UCDP column") {
        const std::string ws = scratch("format-mismatch-ucdp");
        const Result r = run_limes({"import", ws, data("acled_2023.csv"), "--format", "ucdp"});
        CHECK(r.code == 3);
        check_contains(r.err, {data("acled_2023.csv") + ":1: field 'id'", "UCDP", "missing"});
        CHECK(r.out.empty());
        CHECK_FALSE(file_exists(ws));
    }
    SECTION("--format acled on a UCDP file names the missing ACLED column") {
        const std::string ws = scratch("format-mismatch-acled");
        const Result r = run_limes({"import", ws, data("ucdp_ged.csv"), "--format", "acled"});
        CHECK(r.code == 3);
        check_contains(r.err, {data("ucdp_ged.csv") + ":1: field 'event_date'", "missing"});
        CHECK_FALSE(file_exists(ws));
    }
}

TEST_CASE("info: a Shapefile and a GeoJSON that are not workspaces", "[info]") {
    const std::string geojson = data("incidents.geojson");
    const std::string shp = translate(geojson, "ESRI Shapefile", ".shp");
    for (const std::string& path : {geojson, shp}) {
        INFO(path);
        const std::string bytes_before = read_all(path);
        const Result r = run_limes({"info", path});
        INFO(r.out << r.err);
        REQUIRE(r.code == 0);
        CHECK(r.err.empty());
        CHECK_THAT(r.out, Catch::StartsWith(path));
        CHECK_THAT(r.out, Catch::Contains(path == shp ? "(ESRI Shapefile)" : "(GeoJSON)"));
        // One layer of 3 points; the extent of the fixture's coordinates (45.67..46.34 E,
        // 39.51..40.1 N); WGS84; the incidents' dates (2022-09-13 .. 2022-09-15).
        CHECK_THAT(r.out, Catch::Matches("[^]*\nincidents +Point +3 +45\\.6700,39\\.5100,"
                                         "46\\.3400,40\\.1000 +EPSG:4326[^]*"));
        CHECK_THAT(r.out, Catch::Contains("incidents dates: 2022-09-13 .. 2022-09-15"));
        // Reading a file says what is in it and changes nothing.
        CHECK(read_all(path) == bytes_before);
    }
    // A file GDAL cannot read at all.
    const std::string junk = scratch("info-junk", ".geojson");
    write_text(junk, "{\"type\": \"FeatureCollection\", \"features\": [");
    const Result bad = run_limes({"info", junk});
    CHECK(bad.code != 0);
    CHECK_THAT(bad.err, Catch::Contains(junk));
}

TEST_CASE("info: an ACLED or UCDP CSV says which format its columns are", "[info][csv]") {
    SECTION("ACLED: 8 rows, 31 columns, their dates") {
        const Result r = run_limes({"info", data("acled_2023.csv")});
        INFO(r.out << r.err);
        REQUIRE(r.code == 0);
        check_contains(r.out, {"(ACLED CSV, recognised from its 31 columns", "rows: 8 (8 valid)",
                               "dates: 2022-09-13 .. 2022-09-28", "limes import WORKSPACE.gpkg"});
        // Not GDAL's view of a table without geometry.
        CHECK_THAT(r.out, !Catch::Contains("None"));
    }
    SECTION("UCDP GED") {
        const Result r = run_limes({"info", data("ucdp_ged.csv")});
        INFO(r.out << r.err);
        REQUIRE(r.code == 0);
        CHECK_THAT(r.out, Catch::Contains("(UCDP GED CSV, recognised from its"));
    }
    SECTION("bad rows are counted as an import would skip them") {
        const Result r = run_limes({"info", data("bad/bad_date.csv")});
        INFO(r.out << r.err);
        REQUIRE(r.code == 0);
        CHECK_THAT(r.out, Catch::Contains("rows: 2 (1 valid, 1 bad: `limes import` skips them)"));
    }
    SECTION("a CSV of neither format is described by GDAL as before") {
        const std::string other = scratch("info-other", ".csv");
        write_text(other, "a,b\n1,2\n");
        const Result r = run_limes({"info", other});
        INFO(r.out << r.err);
        CHECK(r.code == 0);
        CHECK_THAT(r.out, !Catch::Contains("ACLED CSV, recognised"));
    }
}
