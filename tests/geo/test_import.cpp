// `limes import` as a library call (geo::import_file): ACLED (2023 and older schema), UCDP GED
// and OGR sources into fresh workspaces; every bad-input fixture; strict mode and whole-file
// errors leaving no trace; duplicates; MakeValid repairs; reprojection and axis order.
#include <catch2/catch.hpp>

#include <ogr_geometry.h>
#include <ogrsf_frmts.h>
#include <proj.h>

#include <cmath>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "geo/formats/gdal_util.hpp"
#include "geo/geometry/geos_util.hpp"
#include "geo/ops/importer.hpp"
#include "geo/store/workspace.hpp"
#include "support.hpp"

namespace geo = limes::geo;
namespace core = limes::core;
using namespace limes_test;

namespace {

std::vector<core::Incident> incidents_of(const std::string& ws_path) {
    return geo::Workspace::open(ws_path).read_incidents();
}

// Writes a one-layer GeoPackage of points in the given EPSG CRS with a few incident columns.
// xy are already in that CRS, in its traditional GIS order (easting/longitude first).
void write_points_gpkg(const std::string& path, int epsg,
                       const std::vector<std::pair<double, double>>& xy) {
    geo::ensure_gdal();
    GDALDriver* driver = GetGDALDriverManager()->GetDriverByName("GPKG");
    REQUIRE(driver);
    GDALDatasetUniquePtr ds(driver->Create(path.c_str(), 0, 0, 0, GDT_Unknown, nullptr));
    REQUIRE(ds);
    OGRSpatialReference srs;
    REQUIRE(srs.importFromEPSG(epsg) == OGRERR_NONE);
    srs.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
    OGRLayer* layer = ds->CreateLayer("points", &srs, wkbPoint, nullptr);
    REQUIRE(layer);
    for (const char* name :
         {"event_id_cnty", "event_date", "event_type", "reported_by", "source"}) {
        OGRFieldDefn def(name, OFTString);
        REQUIRE(layer->CreateField(&def) == OGRERR_NONE);
    }
    int n = 0;
    for (const auto& [x, y] : xy) {
        OGRFeature f(layer->GetLayerDefn());
        f.SetField("event_id_cnty", ("SYN-PROJ-" + std::to_string(++n)).c_str());
        f.SetField("event_date", "2022-09-13");
        f.SetField("event_type", "Battles");
        f.SetField("reported_by", "Synthetic Monitor");
        f.SetField("source", "Synthetic Source");
        OGRPoint pt(x, y);
        f.SetGeometry(&pt);
        REQUIRE(layer->CreateFeature(&f) == OGRERR_NONE);
    }
}

// Web Mercator (EPSG:3857) in closed form, on the sphere of radius a.
std::pair<double, double> to_web_mercator(double lon, double lat) {
    const double a = 6378137.0, d2r = 3.14159265358979323846 / 180.0;
    return {a * lon * d2r, a * std::log(std::tan(3.14159265358979323846 / 4 + lat * d2r / 2))};
}

// UTM zone 38N (EPSG:32638) through PROJ's own C API, not through GDAL.
std::pair<double, double> to_utm38n(double lon, double lat) {
    PJ_CONTEXT* ctx = proj_context_create();
    PJ* raw = proj_create_crs_to_crs(ctx, "EPSG:4326", "EPSG:32638", nullptr);
    REQUIRE(raw);
    PJ* pj = proj_normalize_for_visualization(ctx, raw);  // lon, lat in; easting, northing out
    proj_destroy(raw);
    REQUIRE(pj);
    const PJ_COORD out = proj_trans(pj, PJ_FWD, proj_coord(lon, lat, 0, 0));
    proj_destroy(pj);
    proj_context_destroy(ctx);
    return {out.xy.x, out.xy.y};
}

// The report's rows read, imported and skipped (as bad).
void check_counts(const geo::ImportReport& r, long long read, long long imported,
                  long long skipped) {
    CHECK(r.read == read);
    CHECK(r.imported == imported);
    CHECK(r.skipped == skipped);
}

// Imports src into the new workspace ws: one incident, at lon 45 lat 40 (to 1e-9 degrees).
void check_lands_at_45_40(const std::string& ws, const std::string& src) {
    REQUIRE(geo::import_file(ws, src, {}).imported == 1);
    const auto all = incidents_of(ws);
    REQUIRE(all.size() == 1);
    CHECK(all[0].lon == Approx(45.0).margin(1e-9));
    CHECK(all[0].lat == Approx(40.0).margin(1e-9));
}

struct BadFixture {
    const char* file;
    const char* field;  // field named in the diagnostic of line 3
};

}  // namespace

TEST_CASE("import: ACLED 2023 CSV into a fresh workspace", "[import]") {
    const std::string ws = scratch("acled2023");
    const geo::ImportReport r = geo::import_file(ws, data("acled_2023.csv"), {});
    CHECK(r.created_workspace);
    CHECK(r.target_layer == "incidents");
    CHECK(r.format == "ACLED CSV");
    check_counts(r, 8, 8, 0);
    CHECK(r.diagnostics.empty());
    const auto all = incidents_of(ws);
    REQUIRE(all.size() == 8);
    auto m = by_id(all);
    REQUIRE(m.count("SYN-0001"));
    const core::Incident& one = m["SYN-0001"];
    CHECK(one.event_date.iso() == "2022-09-13");
    CHECK(one.event_type == "Battles");
    CHECK(one.sub_event_type == "Armed clash");
    CHECK(one.lon == Approx(46.34).margin(1e-9));
    CHECK(one.lat == Approx(39.51).margin(1e-9));
    CHECK(one.notes == "Synthetic test row, with commas, \"doubled quotes\", and\na second line");
    CHECK(one.fatalities == std::optional<std::int64_t>(3));
    CHECK(one.geo_precision == std::optional<std::int64_t>(1));
    CHECK(one.iso == std::optional<std::int64_t>(51));
    CHECK(one.reported_by == "ACLED");  // no reported_by column: ACLED itself reports
    CHECK(one.status == "reported");
    CHECK(m["SYN-0002"].location == "Սինթետիկ Գյուղ");
    CHECK(m["SYN-0003"].location == "Yaşıl Dağ Kəndi");
    // All six ACLED event types are in the file.
    std::set<std::string> types;
    for (const auto& inc : all) types.insert(inc.event_type);
    CHECK(types.size() == 6);
    std::remove(ws.c_str());
}

TEST_CASE("import: ACLED old schema with long and day-first dates", "[import]") {
    const std::string ws = scratch("acled-old");
    const geo::ImportReport r = geo::import_file(ws, data("acled_old.csv"), {});
    check_counts(r, 4, 4, 0);
    auto m = by_id(incidents_of(ws));
    REQUIRE(m.size() == 4);
    CHECK(m["SYN-0101"].event_date.iso() == "2022-09-13");  // "13 September 2022"
    CHECK(m["SYN-0102"].event_date.iso() == "2022-09-02");  // "2 September 2022"
    CHECK(m["SYN-0103"].event_date.iso() == "2022-09-14");  // "14-09-2022"
    CHECK(m["SYN-0104"].event_date.iso() == "2022-09-15");
    CHECK(m["SYN-0101"].fatalities == std::optional<std::int64_t>(5));
    CHECK_FALSE(m["SYN-0104"].fatalities);  // empty: not stated, not zero
    CHECK(m["SYN-0101"].notes == "Synthetic test row, old schema, long date");  // CRLF gone
    std::remove(ws.c_str());
}

TEST_CASE("import: UCDP GED CSV maps onto the incident columns", "[import]") {
    const std::string ws = scratch("ucdp");
    const geo::ImportReport r = geo::import_file(ws, data("ucdp_ged.csv"), {});
    CHECK(r.format == "UCDP GED CSV");
    CHECK(r.read == 4);
    CHECK(r.imported == 4);
    auto m = by_id(incidents_of(ws));
    REQUIRE(m.size() == 4);
    const core::Incident& a = m["UCDP-GED-900001"];
    CHECK(a.event_date.iso() == "2022-09-13");
    CHECK(a.event_type == "Battles");
    CHECK(a.actor1 == "Synthetic Side A");
    CHECK(a.actor2 == "Synthetic Side B");
    CHECK(a.fatalities == std::optional<std::int64_t>(6));       // best
    CHECK(a.fatalities_low == std::optional<std::int64_t>(5));   // low
    CHECK(a.fatalities_high == std::optional<std::int64_t>(9));  // high
    CHECK(a.geo_precision == std::optional<std::int64_t>(1));    // where_prec 1
    CHECK(a.reported_by == "UCDP");
    CHECK(a.lon == Approx(46.34).margin(1e-9));
    CHECK(a.lat == Approx(39.51).margin(1e-9));
    CHECK(m["UCDP-GED-900002"].geo_precision == std::optional<std::int64_t>(2));  // where_prec 2
    CHECK(m["UCDP-GED-900003"].geo_precision == std::optional<std::int64_t>(3));  // where_prec 4
    CHECK(m["UCDP-GED-900004"].geo_precision == std::optional<std::int64_t>(3));  // where_prec 7
    CHECK(m["UCDP-GED-900003"].event_type == "Violence against civilians");       // one-sided
    CHECK(m["UCDP-GED-900004"].event_date.iso() == "2022-09-01");
    std::remove(ws.c_str());
}

TEST_CASE("import: three sources land in one workspace, counts add up", "[import]") {
    const std::string ws = scratch("three-sources");
    CHECK(geo::import_file(ws, data("acled_2023.csv"), {}).imported == 8);
    const geo::ImportReport old = geo::import_file(ws, data("acled_old.csv"), {});
    CHECK_FALSE(old.created_workspace);
    CHECK(old.imported == 4);
    CHECK(geo::import_file(ws, data("ucdp_ged.csv"), {}).imported == 4);
    CHECK(incidents_of(ws).size() == 16);
    std::remove(ws.c_str());
}

TEST_CASE("import: each bad row is skipped with a diagnostic naming file, row and field",
          "[import]") {
    const BadFixture fixtures[] = {
        {"bad/bad_date.csv", "event_date"},        {"bad/bad_latitude.csv", "latitude"},
        {"bad/bad_subtype.csv", "sub_event_type"}, {"bad/invalid_utf8.csv", "location"},
        {"bad/missing_coords.csv", "latitude"},    {"bad/negative_fatalities.csv", "fatalities"},
        {"bad/unknown_type.csv", "event_type"},
    };
    for (const auto& fx : fixtures) {
        SECTION(fx.file) {
            const std::string file = data(fx.file);
            const std::string ws = scratch("bad-row");
            const geo::ImportReport r = geo::import_file(ws, file, {});
            check_counts(r, 2, 1, 1);
            REQUIRE(r.diagnostics.items().size() == 1);
            const core::Diagnostic& d = r.diagnostics.items().front();
            CHECK(d.severity == core::Severity::Skipped);
            CHECK(d.where.file == file);
            CHECK(d.where.row == 3);
            CHECK(d.where.field == fx.field);
            CHECK_FALSE(d.message.empty());
            std::ostringstream printed;
            r.diagnostics.print(printed);
            CHECK_THAT(printed.str(), Catch::Contains(file + ":3: field '" + fx.field + "'"));
            // Only the valid row (line 2) landed.
            const auto stored = incidents_of(ws);
            REQUIRE(stored.size() == 1);
            CHECK(stored.front().event_id_cnty == "SYN-0201");
            std::remove(ws.c_str());
        }
    }
}

TEST_CASE("import: mixed_valid_invalid.csv imports the five valid rows only", "[import]") {
    const std::string file = data("bad/mixed_valid_invalid.csv");
    const std::string ws = scratch("mixed");
    const geo::ImportReport r = geo::import_file(ws, file, {});
    check_counts(r, 7, 5, 2);
    REQUIRE(r.diagnostics.items().size() == 2);
    CHECK(r.diagnostics.items()[0].where.row == 4);
    CHECK(r.diagnostics.items()[0].where.field == "event_date");
    CHECK(r.diagnostics.items()[1].where.row == 7);
    CHECK(r.diagnostics.items()[1].where.field == "event_type");
    std::set<std::string> ids;
    for (const auto& inc : incidents_of(ws)) ids.insert(inc.event_id_cnty);
    CHECK(ids == std::set<std::string>{"SYN-0301", "SYN-0302", "SYN-0303", "SYN-0304", "SYN-0305"});
    std::remove(ws.c_str());
}

TEST_CASE("import: strict mode leaves an existing workspace unchanged", "[import][strict]") {
    const std::string ws = scratch("strict-existing");
    REQUIRE(geo::import_file(ws, data("acled_2023.csv"), {}).imported == 8);
    const std::string before = read_all(ws);
    geo::ImportOptions strict;
    strict.strict = true;
    const geo::ImportReport r = geo::import_file(ws, data("bad/mixed_valid_invalid.csv"), strict);
    CHECK(r.aborted);
    CHECK(r.imported == 0);
    CHECK(r.skipped == 2);
    CHECK_FALSE(r.created_workspace);
    CHECK(incidents_of(ws).size() == 8);
    CHECK(read_all(ws) == before);  // not a byte changed
    // Without --strict the same file adds its valid rows.
    CHECK(geo::import_file(ws, data("bad/mixed_valid_invalid.csv"), {}).imported == 5);
    CHECK(incidents_of(ws).size() == 13);
    std::remove(ws.c_str());
}

TEST_CASE("import: strict mode does not create a missing workspace", "[import][strict]") {
    const std::string ws = scratch("strict-missing");
    geo::ImportOptions strict;
    strict.strict = true;
    const geo::ImportReport r = geo::import_file(ws, data("bad/bad_date.csv"), strict);
    CHECK(r.aborted);
    CHECK(r.imported == 0);
    CHECK_FALSE(file_exists(ws));
    // A clean file under --strict imports everything.
    const geo::ImportReport ok = geo::import_file(ws, data("acled_2023.csv"), strict);
    CHECK_FALSE(ok.aborted);
    CHECK(ok.imported == 8);
    std::remove(ws.c_str());
}

TEST_CASE("import: a file with no valid row creates no workspace", "[import]") {
    const std::string ws = scratch("all-bad");
    const geo::ImportReport r = geo::import_file(ws, data("geo/all_rows_bad.csv"), {});
    check_counts(r, 2, 0, 2);
    CHECK_FALSE(r.created_workspace);
    CHECK_FALSE(file_exists(ws));
}

TEST_CASE("import: whole-file errors throw DataError and leave no workspace behind", "[import]") {
    struct Case {
        const char* file;
        long row;
        const char* field;
    };
    const Case cases[] = {
        {"bad/unterminated_quote.csv", 3, "notes"},
        {"bad/missing_event_date_column.csv", 1, "event_date"},
        {"bad/duplicate_column.csv", 1, "notes"},
    };
    for (const auto& c : cases) {
        SECTION(c.file) {
            const std::string file = data(c.file);
            const std::string ws = scratch("whole-file");
            bool thrown = false;
            try {
                geo::import_file(ws, file, {});
            } catch (const core::DataError& e) {
                thrown = true;
                CHECK(e.where().file == file);
                CHECK(e.where().row == c.row);
                CHECK(e.where().field == c.field);
                CHECK_THAT(std::string(e.what()), Catch::Contains(file));
            }
            CHECK(thrown);
            CHECK_FALSE(file_exists(ws));
            // Into an existing workspace: it stays as it was.
            const std::string existing = scratch("whole-file-existing");
            REQUIRE(geo::import_file(existing, data("acled_2023.csv"), {}).imported == 8);
            CHECK_THROWS_AS(geo::import_file(existing, file, {}), core::DataError);
            CHECK(incidents_of(existing).size() == 8);
            std::remove(existing.c_str());
        }
    }
}

TEST_CASE("import: a missing input file is an I/O error, no workspace is created", "[import]") {
    const std::string ws = scratch("missing-input");
    CHECK_THROWS_AS(geo::import_file(ws, data("no_such_file.csv"), {}), core::IoError);
    CHECK_THROWS_AS(geo::import_file(ws, data("no_such_file.geojson"), {}), core::IoError);
    CHECK_FALSE(file_exists(ws));
}

TEST_CASE("import: the same file twice does not duplicate rows", "[import]") {
    const std::string ws = scratch("twice");
    REQUIRE(geo::import_file(ws, data("acled_2023.csv"), {}).imported == 8);
    const geo::ImportReport again = geo::import_file(ws, data("acled_2023.csv"), {});
    check_counts(again, 8, 0, 0);  // none skipped: duplicates are not bad rows
    CHECK(again.duplicates == 8);
    CHECK(incidents_of(ws).size() == 8);
    // UCDP ids are derived from the GED id, so they are stable across imports too.
    REQUIRE(geo::import_file(ws, data("ucdp_ged.csv"), {}).imported == 4);
    CHECK(geo::import_file(ws, data("ucdp_ged.csv"), {}).imported == 0);
    CHECK(incidents_of(ws).size() == 12);
    std::remove(ws.c_str());
}

TEST_CASE("import: repeated ids inside one file keep the first row", "[import]") {
    const std::string csv = scratch("dup-ids", ".csv");
    write_text(csv,
               "event_id_cnty,event_date,event_type,latitude,longitude,notes\n"
               "SYN-DUP-1,2022-09-13,Battles,40,45,Synthetic test row first\n"
               "SYN-DUP-1,2022-09-14,Battles,40,45,Synthetic test row repeated\n"
               "SYN-DUP-2,2022-09-14,Battles,40.5,45.5,Synthetic test row other\n");
    const std::string ws = scratch("dup-ids");
    const geo::ImportReport r = geo::import_file(ws, csv, {});
    CHECK(r.imported == 2);
    CHECK(r.duplicates == 1);
    auto m = by_id(incidents_of(ws));
    REQUIRE(m.size() == 2);
    CHECK(m["SYN-DUP-1"].notes == "Synthetic test row first");
    remove_files({ws, csv});
}

TEST_CASE("import: GeoJSON incidents", "[import][ogr]") {
    const std::string ws = scratch("geojson-incidents");
    const geo::ImportReport r = geo::import_file(ws, data("incidents.geojson"), {});
    CHECK(r.target_layer == "incidents");
    CHECK_THAT(r.format, Catch::Contains("GeoJSON"));
    check_counts(r, 3, 3, 0);
    auto m = by_id(incidents_of(ws));
    REQUIRE(m.size() == 3);
    const core::Incident& a = m["SYN-0501"];
    CHECK(a.lon == Approx(46.34).margin(1e-9));
    CHECK(a.lat == Approx(39.51).margin(1e-9));
    CHECK(a.event_date.iso() == "2022-09-13");
    CHECK(a.fatalities == std::optional<std::int64_t>(2));
    CHECK(a.reported_by == "Synthetic Ministry A");
    CHECK(a.source_url == "https://example.org/synthetic/incident/1");
    CHECK(m["SYN-0502"].status == "disputed");
    CHECK(m["SYN-0502"].fatalities == std::optional<std::int64_t>(0));  // zero is a statement
    CHECK_FALSE(m["SYN-0503"].fatalities);                              // null: not stated
    CHECK(m["SYN-0503"].lon == Approx(46.05).margin(1e-9));
    CHECK(m["SYN-0503"].lat == Approx(40.1).margin(1e-9));
    std::remove(ws.c_str());
}

TEST_CASE("import: claims.geojson repairs the bow-tie with MakeValid", "[import][ogr]") {
    const std::string file = data("claims.geojson");
    const std::string ws = scratch("claims");
    const geo::ImportReport r = geo::import_file(ws, file, {});
    CHECK(r.target_layer == "claims");
    check_counts(r, 2, 2, 0);
    CHECK(r.repaired == 1);
    REQUIRE(r.diagnostics.items().size() == 1);
    const core::Diagnostic& d = r.diagnostics.items().front();
    CHECK(d.severity == core::Severity::Repaired);
    CHECK(d.where.file == file);
    CHECK(d.where.row == 2);
    CHECK(d.where.field == "geometry");

    geo::Workspace w = geo::Workspace::open(ws);
    const auto claims = w.read_claims();
    REQUIRE(claims.size() == 2);
    geo::GeosContext ctx;
    for (const auto& c : claims) {
        INFO(c.claim_id);
        geo::GeomPtr g = geo::to_geos(ctx, c.area);
        CHECK(GEOSisValid_r(ctx.get(), g.get()) == 1);
        double area = 0;
        REQUIRE(GEOSArea_r(ctx.get(), g.get(), &area) == 1);
        if (c.claim_id == "SYN-CLAIM-0001") {
            CHECK(area == Approx(0.3 * 0.2).epsilon(1e-9));
            CHECK(c.kind == "controlled");
            CHECK(c.valid_from->iso() == "2022-09-13");
            CHECK_FALSE(c.valid_to);
        } else {
            // The bow-tie becomes its two triangles, 0.2 x 0.3 / 2 degrees² each.
            CHECK(c.claim_id == "SYN-CLAIM-0002");
            CHECK(c.area.size() == 2);
            CHECK(area == Approx(0.06).epsilon(1e-9));
            CHECK(c.kind == "ceasefire_zone");
            CHECK(c.status == "disputed");
            CHECK(c.claimant == "Synthetic Ministry B");
            CHECK(c.holder == "Synthetic State A");
            CHECK(c.sovereign == "Synthetic State B");
            CHECK(c.valid_to->iso() == "2022-09-30");
        }
    }
    std::remove(ws.c_str());
}

TEST_CASE("import: a GeoPackage in UTM 38N is reprojected to lon/lat", "[import][ogr]") {
    const double lon = 46.0, lat = 40.0;
    const auto [e, n] = to_utm38n(lon, lat);
    // Zone 38 is centred on 45 E: 46 E lies east of the false easting of 500 km.
    REQUIRE(e > 500000);
    REQUIRE(e < 600000);
    REQUIRE(n > 4400000);
    const std::string src = scratch("utm38n-source");
    write_points_gpkg(src, 32638, {{e, n}});
    const std::string ws = scratch("utm38n");
    const geo::ImportReport r = geo::import_file(ws, src, {});
    CHECK(r.imported == 1);
    const auto all = incidents_of(ws);
    REQUIRE(all.size() == 1);
    CHECK(all[0].lon == Approx(lon).margin(1e-6));
    CHECK(all[0].lat == Approx(lat).margin(1e-6));
    remove_files({ws, src});
}

TEST_CASE("import: a GeoJSON in Web Mercator is reprojected to lon/lat", "[import][ogr]") {
    const std::vector<std::pair<double, double>> lonlat = {{45.5, 39.75}, {46.75, 40.25}};
    std::string features;
    int i = 0;
    for (const auto& [lon, lat] : lonlat) {
        const auto [x, y] = to_web_mercator(lon, lat);
        char coords[128];
        std::snprintf(coords, sizeof coords, "[%.6f,%.6f]", x, y);
        if (i) features += ",";
        features += std::string("{\"type\":\"Feature\",\"geometry\":{\"type\":\"Point\",") +
                    "\"coordinates\":" + coords +
                    "},\"properties\":{\"event_id_cnty\":\"SYN-3857-" + std::to_string(++i) +
                    "\",\"event_date\":\"2022-09-13\",\"event_type\":\"Battles\","
                    "\"reported_by\":\"Synthetic Monitor\"}}";
    }
    const std::string src = scratch("webmercator", ".geojson");
    write_text(src,
               "{\"type\":\"FeatureCollection\",\"crs\":{\"type\":\"name\",\"properties\":"
               "{\"name\":\"urn:ogc:def:crs:EPSG::3857\"}},\"features\":[" +
                   features + "]}");
    const std::string ws = scratch("webmercator");
    REQUIRE(geo::import_file(ws, src, {}).imported == 2);
    auto m = by_id(incidents_of(ws));
    REQUIRE(m.size() == 2);
    CHECK(m["SYN-3857-1"].lon == Approx(45.5).margin(1e-6));
    CHECK(m["SYN-3857-1"].lat == Approx(39.75).margin(1e-6));
    CHECK(m["SYN-3857-2"].lon == Approx(46.75).margin(1e-6));
    CHECK(m["SYN-3857-2"].lat == Approx(40.25).margin(1e-6));
    remove_files({ws, src});
}

TEST_CASE("import: axis order, a point at lon 45 lat 40 stays there", "[import][ogr]") {
    SECTION("GeoPackage in EPSG:4326") {
        const std::string src = scratch("axis-4326");
        write_points_gpkg(src, 4326, {{45.0, 40.0}});
        const std::string ws = scratch("axis-4326-ws");
        check_lands_at_45_40(ws, src);
        // The stored geometry itself is x = lon, y = lat.
        geo::Workspace w = geo::Workspace::open(ws);
        OGRLayer& l = w.require_layer("incidents");
        l.ResetReading();
        OGRFeatureUniquePtr f(l.GetNextFeature());
        REQUIRE(f);
        CHECK(f->GetGeometryRef()->toPoint()->getX() == Approx(45.0).margin(1e-9));
        CHECK(f->GetGeometryRef()->toPoint()->getY() == Approx(40.0).margin(1e-9));
        remove_files({ws, src});
    }
    SECTION("GeoJSON") {
        const std::string src = scratch("axis-geojson", ".geojson");
        write_text(src,
                   "{\"type\":\"FeatureCollection\",\"features\":[{\"type\":\"Feature\","
                   "\"geometry\":{\"type\":\"Point\",\"coordinates\":[45,40]},\"properties\":"
                   "{\"event_id_cnty\":\"SYN-AXIS-1\",\"event_date\":\"2022-09-13\","
                   "\"event_type\":\"Battles\"}}]}");
        const std::string ws = scratch("axis-geojson-ws");
        check_lands_at_45_40(ws, src);
        remove_files({ws, src});
    }
    SECTION("CSV latitude/longitude columns") {
        const std::string src = scratch("axis-csv", ".csv");
        write_text(src,
                   "event_id_cnty,event_date,event_type,latitude,longitude\n"
                   "SYN-AXIS-2,2022-09-13,Battles,40,45\n");
        const std::string ws = scratch("axis-csv-ws");
        check_lands_at_45_40(ws, src);
        remove_files({ws, src});
    }
}

TEST_CASE("import: bad options are usage errors", "[import]") {
    const std::string ws = scratch("bad-options");
    geo::ImportOptions opt;
    opt.format = "shapefile-please";
    CHECK_THROWS_AS(geo::import_file(ws, data("acled_2023.csv"), opt), core::UsageError);
    geo::ImportOptions wrong_layer;
    wrong_layer.layer = "claims";
    CHECK_THROWS_AS(geo::import_file(ws, data("acled_2023.csv"), wrong_layer), core::UsageError);
    CHECK_FALSE(file_exists(ws));
}
