// The GeoPackage storage (geo/store/gpkg_incidents.hpp, rtree_bulk.hpp, duplicates.hpp) against
// GDAL's own OGR paths: its SQLite write stores every attribute, byte for byte, as OGR's
// CreateFeature does, and its read returns what a plain OGR feature loop returns; GDAL opens the
// result; the R-tree holds one entry per row and answers OGR's spatial filter; integrity_check
// and rtreecheck pass; a failing import leaves the previous contents; edits keep ids.
#include <cpl_vsi.h>
#include <ogrsf_frmts.h>
#include <sqlite3.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <catch2/catch.hpp>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <sstream>
#include <stdexcept>
#include <string>
#include <unordered_set>
#include <vector>

#include "core/error.hpp"
#include "core/incident.hpp"
#include "core/incident_mark.hpp"
#include "geo/formats/gdal_util.hpp"
#include "geo/ops/exporter.hpp"
#include "geo/ops/importer.hpp"
#include "geo/ops/incident_pipeline.hpp"
#include "geo/ops/selection.hpp"
#include "geo/store/gpkg_blob.hpp"
#include "geo/store/gpkg_incidents.hpp"
#include "geo/store/sqlite_db.hpp"
#include "geo/store/ogr_convert.hpp"
#include "geo/store/workspace.hpp"
#include "support.hpp"
#include "support_sqlite.hpp"

namespace geo = limes::geo;
namespace core = limes::core;
using namespace limes_test;

namespace {

// ---------------------------------------------------------------------------------------------
// Helpers: plain SQLite and plain OGR views of a workspace
// ---------------------------------------------------------------------------------------------

/** Every stored value of the incidents table with its SQLite storage class, in fid order. */
std::vector<std::vector<std::string>> stored_rows(const std::string& path) {
    std::string cols = "fid, typeof(geom), hex(geom)";
    for (const auto& c : core::incident_columns())
        cols += ", typeof(" + std::string(c.name) + "), quote(" + std::string(c.name) + ")";
    return query(path, "SELECT " + cols + " FROM incidents ORDER BY fid");
}

/** The incidents through a plain OGR feature loop: the reference the SQLite read must match. */
std::vector<core::Incident> read_with_ogr(const std::string& path) {
    geo::Workspace ws = geo::Workspace::open(path);
    OGRLayer& l = ws.require_layer(geo::kIncidents);
    const auto& columns = core::incident_columns();
    std::vector<core::Incident> out;
    l.ResetReading();
    for (auto& f : l) {
        core::Incident inc;
        inc.fid = f->GetFID();
        if (const OGRGeometry* g = f->GetGeometryRef();
            g && wkbFlatten(g->getGeometryType()) == wkbPoint && !g->IsEmpty()) {
            inc.lon = g->toPoint()->getX();
            inc.lat = g->toPoint()->getY();
        }
        for (const auto& c : columns) {
            const int k = f->GetFieldIndex(std::string(c.name).c_str());
            if (k < 0 || !f->IsFieldSetAndNotNull(k)) continue;
            switch (c.type) {
                case core::ColumnType::Text: inc.*c.text = f->GetFieldAsString(k); break;
                case core::ColumnType::Integer: inc.*c.integer = f->GetFieldAsInteger64(k); break;
                case core::ColumnType::Date: {
                    int y = 0, m = 0, d = 0, hh, mm, tz;
                    float ss;
                    f->GetFieldAsDateTime(k, &y, &m, &d, &hh, &mm, &ss, &tz);
                    inc.event_date = core::Date::from_ymd(y, m, d);
                    break;
                }
            }
        }
        out.push_back(std::move(inc));
    }
    return out;
}

void check_same(const std::vector<core::Incident>& a, const std::vector<core::Incident>& b) {
    REQUIRE(a.size() == b.size());
    for (std::size_t i = 0; i < a.size(); ++i) {
        INFO("incident " << i << " " << a[i].event_id_cnty);
        CHECK(a[i].fid == b[i].fid);
        CHECK(a[i].lon == b[i].lon);  // exact: both are the stored doubles
        CHECK(a[i].lat == b[i].lat);
        for (const auto& c : core::incident_columns()) {
            INFO("column " << c.name);
            switch (c.type) {
                case core::ColumnType::Text: CHECK(a[i].*c.text == b[i].*c.text); break;
                case core::ColumnType::Integer: CHECK(a[i].*c.integer == b[i].*c.integer); break;
                case core::ColumnType::Date: CHECK(a[i].event_date == b[i].event_date); break;
            }
        }
    }
}

/** The same incidents written the OGR way (CreateFeature in one GDAL transaction) to a new
 *  file, into the layer limes creates. */
std::string write_with_ogr(const std::vector<core::Incident>& incidents) {
    const std::string path = scratch("gpkg-fast-ogr");
    geo::Workspace ws = geo::Workspace::create(path);
    ws.incidents().write()->commit();  // the layer, with limes' schema, and no rows
    ws.update_through_gdal([&](GDALDataset& ds) {
        OGRLayer* l = ds.GetLayerByName(geo::kIncidents);
        REQUIRE(l);
        for (const core::Incident& inc : incidents) {
            OGRFeature f(l->GetLayerDefn());
            for (const auto& c : core::incident_columns()) {
                const int k = f.GetFieldIndex(std::string(c.name).c_str());
                REQUIRE(k >= 0);
                switch (c.type) {
                    case core::ColumnType::Text:
                        if ((inc.*c.text).empty())
                            f.SetFieldNull(k);
                        else
                            f.SetField(k, (inc.*c.text).c_str());
                        break;
                    case core::ColumnType::Integer:
                        if (inc.*c.integer)
                            f.SetField(k, static_cast<GIntBig>(*(inc.*c.integer)));
                        else
                            f.SetFieldNull(k);
                        break;
                    case core::ColumnType::Date: geo::set_field_date(f, k, inc.event_date); break;
                }
            }
            OGRPoint pt(inc.lon, inc.lat);
            f.SetGeometry(&pt);
            REQUIRE(l->CreateFeature(&f) == OGRERR_NONE);
        }
    });
    return path;
}

/** The checks every workspace the fast path wrote must pass. */
void check_consistent(const std::string& path) {
    const std::string rows = check_incidents_table(path);
    // Each R-tree entry has its row's fid and a box around its point.
    CHECK(query_one(path,
                    "SELECT count(*) FROM incidents i JOIN rtree_incidents_geom r "
                    "ON r.id = i.fid") == rows);
    // GDAL's triggers are there again, as GDAL wrote them.
    const auto triggers = query(path,
                                "SELECT name FROM sqlite_master WHERE type = 'trigger' "
                                "AND tbl_name = 'incidents' ORDER BY name");
    std::set<std::string> names;
    for (const auto& t : triggers) names.insert(t[0]);
    CHECK(names.count("rtree_incidents_geom_insert") == 1);
    CHECK(names.count("trigger_insert_feature_count_incidents") == 1);
    // GDAL opens it and counts the same rows; its extent is the points'.
    geo::Workspace ws = geo::Workspace::open(path);
    OGRLayer& l = ws.require_layer(geo::kIncidents);
    CHECK(std::to_string(l.GetFeatureCount(TRUE)) == rows);
    const auto incidents = ws.read_incidents();
    if (!incidents.empty()) {
        double w = 180, s = 90, e = -180, n = -90;
        for (const auto& inc : incidents) {
            w = std::min(w, inc.lon);
            e = std::max(e, inc.lon);
            s = std::min(s, inc.lat);
            n = std::max(n, inc.lat);
        }
        OGREnvelope env;
        REQUIRE(l.GetExtent(&env, TRUE) == OGRERR_NONE);
        // Exact where the writes kept it; after a removal it is unknown in the file and GDAL
        // computes it from the R-tree, whose float32 boxes are rounded outwards (< 1e-5 deg).
        CHECK(env.MinX <= w);
        CHECK(env.MaxX >= e);
        CHECK(env.MinY <= s);
        CHECK(env.MaxY >= n);
        CHECK(env.MinX >= w - 1e-5);
        CHECK(env.MaxX <= e + 1e-5);
        CHECK(env.MinY >= s - 1e-5);
        CHECK(env.MaxY <= n + 1e-5);
    }
}

/** A synthetic ACLED CSV of n rows (ids PREFIX-nnnnnn) spread over the Caucasus; bad_row (0-
 *  based) gets an impossible date; unterminated adds a row whose quote never closes. */
std::string write_csv(const std::string& prefix, int n, int bad_row = -1,
                      bool unterminated = false) {
    const std::string path = scratch("gpkg-fast-" + prefix, ".csv");
    std::ofstream out(path, std::ios::binary);
    out << "event_id_cnty,event_date,year,time_precision,disorder_type,event_type,sub_event_type,"
           "actor1,assoc_actor_1,inter1,actor2,assoc_actor_2,inter2,interaction,"
           "civilian_targeting,iso,region,country,admin1,admin2,admin3,location,latitude,"
           "longitude,geo_precision,source,source_scale,notes,fatalities,tags,timestamp\n";
    for (int i = 0; i < n; ++i) {
        char id[32], date[16], lat[16], lon[16];
        std::snprintf(id, sizeof id, "%s-%06d", prefix.c_str(), i);
        std::snprintf(date, sizeof date, i == bad_row ? "2022-02-30" : "2022-09-%02d", 1 + i % 28);
        std::snprintf(lat, sizeof lat, "%.4f",
                      38.0 + (static_cast<long long>(i) * 7919 % 4500) / 1000.0);
        std::snprintf(lon, sizeof lon, "%.4f",
                      43.0 + (static_cast<long long>(i) * 104729 % 8000) / 1000.0);
        out << id << ',' << date << ",2022,1,Political violence,Battles,Armed clash,"
            << "Synthetic Armed Group A,,1,Synthetic Armed Group B,,1,11,,51,"
            << "Caucasus and Central Asia," << (i % 2 ? "Armenia" : "Azerbaijan")
            << ",Synthetic Province,,,Synthetic Place " << i % 97 << ',' << lat << ',' << lon << ','
            << 1 + i % 3 << ",Synthetic Source,National,"
            << (i % 10 ? std::string("Generated row") : "\"Generated row, with \"\"quotes\"\"\"")
            << ',' << (i % 7 ? std::to_string(i % 5) : std::string()) << ",,1663200000\n";
    }
    if (unterminated) out << prefix << "-END,2022-09-01,2022,1,\"never closed\n";
    return path;
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// Write and read against OGR
// ---------------------------------------------------------------------------------------------

TEST_CASE(
    "gpkg store: ACLED, UCDP and GeoJSON fixtures stored and read as OGR stores and reads "
    "them",
    "[gpkg_store]") {
    for (const char* fixture : {"acled_2023.csv", "ucdp_ged.csv", "incidents.geojson"}) {
        SECTION(fixture) {
            const std::string fast = scratch("gpkg-fast");
            const geo::ImportReport r = geo::import_file(fast, data(fixture), {});
            REQUIRE(r.imported > 0);
            REQUIRE(r.skipped == 0);

            // The SQLite read returns exactly what a plain OGR loop reads from the same file.
            const auto through_ogr = read_with_ogr(fast);
            REQUIRE(static_cast<long long>(through_ogr.size()) == r.imported);
            const auto through_sqlite = geo::Workspace::open(fast).read_incidents();
            check_same(through_sqlite, through_ogr);

            // Written by OGR's CreateFeature instead, every stored value is the same, to the
            // byte and the storage class: fids, GeoPackage point blobs, text, integers, dates.
            const std::string ogr = write_with_ogr(through_ogr);
            CHECK(stored_rows(fast) == stored_rows(ogr));
            // And the SQLite read of OGR's file matches OGR's read of it too.
            check_same(geo::Workspace::open(ogr).read_incidents(), read_with_ogr(ogr));

            check_consistent(fast);
            remove_files({fast, ogr});
        }
    }
}

TEST_CASE("gpkg store: the default workspace (written by OGR) reads the same through SQLite",
          "[gpkg_store]") {
    const auto through_sqlite = geo::Workspace::open(LIMES_DEFAULT_WS).read_incidents();
    REQUIRE_FALSE(through_sqlite.empty());
    check_same(through_sqlite, read_with_ogr(LIMES_DEFAULT_WS));
}

TEST_CASE("gpkg store: a GeoPackage without limes' columns reads, with the others empty",
          "[gpkg_store]") {
    const std::string path = scratch("gpkg-fast-foreign");
    {
        geo::Workspace ws = geo::Workspace::create(path);
        ws.update_through_gdal([](GDALDataset& ds) {
            OGRSpatialReference srs = geo::wgs84();
            OGRLayer* l = ds.CreateLayer("incidents", &srs, wkbPoint, nullptr);
            REQUIRE(l);
            OGRFieldDefn id("event_id_cnty", OFTString);
            REQUIRE(l->CreateField(&id) == OGRERR_NONE);
            OGRFeature f(l->GetLayerDefn());
            f.SetField("event_id_cnty", "FOREIGN-1");
            OGRPoint p(45.5, 40.25);
            f.SetGeometry(&p);
            REQUIRE(l->CreateFeature(&f) == OGRERR_NONE);
        });
    }
    geo::Workspace ws = geo::Workspace::open(path);
    const auto incidents = ws.read_incidents();
    REQUIRE(incidents.size() == 1);
    CHECK(incidents[0].event_id_cnty == "FOREIGN-1");
    CHECK(incidents[0].lon == 45.5);
    CHECK(incidents[0].lat == 40.25);
    CHECK(incidents[0].event_type.empty());
    check_same(incidents, read_with_ogr(path));
    // Not a limes layer: it is not written into (the columns would be missing).
    CHECK_THROWS_AS(ws.incidents().write(), core::IoError);
    std::remove(path.c_str());
}

TEST_CASE("gpkg store: any other source is read through GDAL and refuses writes, naming itself",
          "[gpkg_store]") {
    geo::Workspace ws = geo::Workspace::open(data("incidents.geojson"));
    CHECK_FALSE(ws.writable());
    CHECK(ws.format() == "GeoJSON");
    try {
        ws.incidents().write();
        FAIL("a GeoJSON workspace must be read-only");
    } catch (const core::UsageError& e) {
        CHECK_THAT(std::string(e.what()), Catch::Contains(data("incidents.geojson")));
        CHECK_THAT(std::string(e.what()), Catch::Contains("read-only"));
        CHECK_THAT(std::string(e.what()), Catch::Contains("limes import"));
    }
    std::vector<core::Claim> none;
    CHECK_THROWS_AS(ws.append_claims(none), core::UsageError);
}

TEST_CASE("gpkg store: point blobs as GDAL writes them, and the other forms GeoPackages hold",
          "[gpkg_store]") {
    unsigned char blob[geo::kGpkgPointBlobSize];
    geo::write_gpkg_point(blob, 46.34, 39.51, 4326);
    std::string hex;
    for (unsigned char b : blob) {
        char h[3];
        std::snprintf(h, sizeof h, "%02X", b);
        hex += h;
    }
    // 'GP', version 0, flags 1 (little-endian, no envelope), srs 4326, WKB Point LE.
    CHECK(hex == "47500001E61000000101000000EC51B81E852B4740E17A14AE47C14340");
    double x = 0, y = 0;
    REQUIRE(geo::read_gpkg_point(blob, sizeof blob, x, y));
    CHECK(x == 46.34);
    CHECK(y == 39.51);

    auto be64 = [](unsigned char* p, double v) {
        unsigned char b[8];
        std::memcpy(b, &v, 8);
        for (int i = 0; i < 8; ++i) p[i] = b[7 - i];
    };
    // Big-endian header with an xy envelope, then a big-endian ISO Point Z.
    std::vector<unsigned char> z(8 + 32 + 1 + 4 + 24);
    z[0] = 'G', z[1] = 'P', z[2] = 0, z[3] = 0x02;     // big-endian, envelope kind 1
    z[40] = 0;                                         // WKB big-endian
    z[41] = 0, z[42] = 0, z[43] = 0x03, z[44] = 0xE9;  // 1001
    be64(&z[45], 44.5);
    be64(&z[53], 40.5);
    be64(&z[61], 1200.0);
    REQUIRE(geo::read_gpkg_point(z.data(), z.size(), x, y));
    CHECK(x == 44.5);
    CHECK(y == 40.5);

    unsigned char empty[geo::kGpkgPointBlobSize];
    geo::write_gpkg_point(empty, 0, 0, 4326);
    empty[3] |= 0x10;
    CHECK_FALSE(geo::read_gpkg_point(empty, sizeof empty, x, y));
    CHECK(geo::gpkg_blob_is_empty(empty, sizeof empty));
    unsigned char line[geo::kGpkgPointBlobSize];
    geo::write_gpkg_point(line, 1, 2, 4326);
    line[9] = 2;  // LineString
    CHECK_FALSE(geo::read_gpkg_point(line, sizeof line, x, y));
    CHECK_FALSE(geo::read_gpkg_point(blob, sizeof blob - 1, x, y));  // truncated
    CHECK_FALSE(geo::read_gpkg_point(nullptr, 0, x, y));
}

// ---------------------------------------------------------------------------------------------
// The R-tree
// ---------------------------------------------------------------------------------------------

TEST_CASE("gpkg store: OGR's spatial filter through the R-tree finds what a scan finds",
          "[gpkg_store][rtree]") {
    const std::string csv = write_csv("RT", 6000);
    const std::string path = scratch("gpkg-fast-rtree");
    REQUIRE(geo::import_file(path, csv, {}).imported == 6000);
    check_consistent(path);
    const auto incidents = geo::Workspace::open(path).read_incidents();
    geo::Workspace ws = geo::Workspace::open(path);
    OGRLayer& l = ws.require_layer(geo::kIncidents);
    const double boxes[][4] = {{44.0, 39.0, 45.0, 40.0},
                               {43.0, 38.0, 51.0, 42.5},
                               {46.3, 41.1, 46.4, 41.2},
                               {49.5, 38.0, 50.0, 38.5},
                               {10.0, 10.0, 11.0, 11.0}};
    for (const auto& b : boxes) {
        INFO("box " << b[0] << "," << b[1] << "," << b[2] << "," << b[3]);
        std::set<GIntBig> expected, found;
        for (const auto& inc : incidents)
            if (inc.lon >= b[0] && inc.lon <= b[2] && inc.lat >= b[1] && inc.lat <= b[3])
                expected.insert(inc.fid);
        l.SetSpatialFilterRect(b[0], b[1], b[2], b[3]);
        l.ResetReading();
        for (auto& f : l) found.insert(f->GetFID());
        CHECK(found == expected);
        // The R-tree itself, asked directly, holds each of those points.
        const std::string in_tree = query_one(
            path,
            "SELECT count(*) FROM rtree_incidents_geom WHERE minx >= " + std::to_string(b[0]) +
                " AND maxx <= " + std::to_string(b[2]) + " AND miny >= " + std::to_string(b[1]) +
                " AND maxy <= " + std::to_string(b[3]));
        CHECK(std::stoul(in_tree) >= expected.size());
    }
    l.SetSpatialFilter(nullptr);
    remove_files({path, csv});
}

TEST_CASE("gpkg store: appends keep the R-tree whole, row by row and rebuilt",
          "[gpkg_store][rtree]") {
    const std::string first = write_csv("AP1", 3000);
    const std::string second = write_csv("AP2", 2500);
    const std::string path = scratch("gpkg-fast-append");
    REQUIRE(geo::import_file(path, first, {}).imported == 3000);  // bulk load, empty tree
    check_consistent(path);
    // 8 rows next to 3000: inserted into the tree one by one.
    REQUIRE(geo::import_file(path, data("acled_2023.csv"), {}).imported == 8);
    check_consistent(path);
    // 2500 next to 3008: the tree is rebuilt with the stored rows read back.
    REQUIRE(geo::import_file(path, second, {}).imported == 2500);
    check_consistent(path);
    // The same file again: all duplicates, nothing changes.
    const geo::ImportReport again = geo::import_file(path, second, {});
    CHECK(again.imported == 0);
    CHECK(again.duplicates == 2500);
    check_consistent(path);
    const auto incidents = geo::Workspace::open(path).read_incidents();
    REQUIRE(incidents.size() == 5508);
    for (std::size_t i = 0; i < incidents.size(); ++i)
        CHECK(incidents[i].fid == static_cast<std::int64_t>(i + 1));
    check_same(incidents, read_with_ogr(path));
    remove_files({path, first, second});
}

// ---------------------------------------------------------------------------------------------
// Atomicity
// ---------------------------------------------------------------------------------------------

TEST_CASE("gpkg store: an import failing midway leaves the workspace as it was",
          "[gpkg_store][atomic]") {
    const std::string path = scratch("gpkg-fast-atomic");
    REQUIRE(geo::import_file(path, data("acled_2023.csv"), {}).imported == 8);
    {
        // A failure injected at row 7000 of 10000, after thousands were inserted: a unique
        // index of the database itself refuses that row (its key is the first row's). Not a
        // trigger: limes refuses to write to a workspace with a foreign one at all.
        sqlite3* db = nullptr;
        REQUIRE(sqlite3_open(path.c_str(), &db) == SQLITE_OK);
        REQUIRE(sqlite3_exec(db,
                             "CREATE UNIQUE INDEX inject_failure ON incidents((1)) "
                             "WHERE event_id_cnty = 'BOOM-007000' OR fid = 1",
                             nullptr, nullptr, nullptr) == SQLITE_OK);
        sqlite3_close(db);
    }
    const std::string before = read_all(path);
    const std::string csv = write_csv("BOOM", 10000);
    try {
        geo::import_file(path, csv, {});
        FAIL("the import should have failed");
    } catch (const core::IoError& e) {
        CHECK_THAT(std::string(e.what()), Catch::Contains(path));
        CHECK_THAT(std::string(e.what()), Catch::Contains("UNIQUE constraint failed"));
    }
    CHECK(read_all(path) == before);  // not a byte changed
    CHECK(geo::Workspace::open(path).read_incidents().size() == 8);
    check_consistent(path);

    // Strict mode with one bad row near the end of a large file: rows were written and rolled
    // back, the file is as it was.
    const std::string strict_csv = write_csv("STRICT", 9000, 8500);
    geo::ImportOptions strict;
    strict.strict = true;
    const geo::ImportReport r = geo::import_file(path, strict_csv, strict);
    CHECK(r.aborted);
    CHECK(r.imported == 0);
    CHECK(r.skipped == 1);
    CHECK(r.duplicates == 0);
    CHECK(read_all(path) == before);
    remove_files({path, csv, strict_csv});
}

TEST_CASE("gpkg store: a file broken after thousands of rows leaves no workspace and no layer",
          "[gpkg_store][atomic]") {
    const std::string csv = write_csv("TAIL", 9000, -1, true);
    // Into a new workspace: it is removed again.
    const std::string fresh = scratch("gpkg-fast-fresh");
    CHECK_THROWS_AS(geo::import_file(fresh, csv, {}), core::DataError);
    CHECK_FALSE(file_exists(fresh));
    // Into a workspace with claims only: the incidents layer the import added is dropped.
    const std::string claims = scratch("gpkg-fast-claims");
    REQUIRE(geo::import_file(claims, data("claims.geojson"), {}).imported > 0);
    const auto layers_before = geo::Workspace::open(claims).layer_names();
    const auto claims_before = geo::Workspace::open(claims).read_claims().size();
    CHECK_THROWS_AS(geo::import_file(claims, csv, {}), core::DataError);
    CHECK(geo::Workspace::open(claims).layer_names() == layers_before);
    CHECK(geo::Workspace::open(claims).read_claims().size() == claims_before);
    CHECK(query_one(claims, "PRAGMA integrity_check") == "ok");
    remove_files({claims, csv});
}

// ---------------------------------------------------------------------------------------------
// Export and the import pipeline
// ---------------------------------------------------------------------------------------------

TEST_CASE("gpkg store: export streams the same GeoJSON as the path through OGR", "[gpkg_store]") {
    // The default workspace from its file (SQLite, two passes) and from a copy in /vsimem/
    // (not a file SQLite can open: read through GDAL).
    const std::string bytes = read_all(LIMES_DEFAULT_WS);
    const std::string mem = "/vsimem/gpkg-fast-export.gpkg";
    VSILFILE* f =
        VSIFileFromMemBuffer(mem.c_str(), reinterpret_cast<GByte*>(const_cast<char*>(bytes.data())),
                             bytes.size(), FALSE);
    REQUIRE(f);
    VSIFCloseL(f);
    {
        geo::Workspace file_ws = geo::Workspace::open(LIMES_DEFAULT_WS);
        geo::Workspace mem_ws = geo::Workspace::open(mem);
        REQUIRE(file_ws.writable());       // the GeoPackage storage: SQLite
        REQUIRE_FALSE(mem_ws.writable());  // not a file SQLite opens: through GDAL
        std::vector<geo::ExportOptions> cases(5);
        cases[1].filter.bbox = core::BBox{45.0, 39.0, 46.5, 40.5};
        cases[2].filter.types = {"Explosions/Remote violence"};
        cases[3].filter.region = "Syunik";
        cases[4].filter.from = core::Date::from_ymd(2022, 9, 13);
        cases[4].filter.to = core::Date::from_ymd(2022, 9, 13);
        cases[4].precision = 3;
        for (std::size_t i = 0; i < cases.size(); ++i) {
            INFO("case " << i);
            std::ostringstream a, b;
            const long long na = geo::export_geojson(file_ws, cases[i], a);
            const long long nb = geo::export_geojson(mem_ws, cases[i], b);
            CHECK(na == nb);
            CHECK(a.str() == b.str());
            if (i > 0) CHECK(na > 0);
        }
    }
    VSIUnlink(mem.c_str());
}

TEST_CASE("import pipeline: a failure on either side stops both and reaches the caller",
          "[gpkg_store][pipeline]") {
    auto producer = [](int chunks) {
        return [chunks](const std::function<bool(geo::IncidentChunk&)>& emit) {
            geo::IncidentChunk chunk;
            for (int i = 0; i < chunks; ++i) {
                chunk.incidents.resize(4);
                chunk.rows.resize(4);
                chunk.size = 4;
                if (!emit(chunk)) return;
            }
        };
    };
    int consumed = 0;
    geo::run_pipeline(producer(100), [&](geo::IncidentChunk& c) { consumed += int(c.size); });
    CHECK(consumed == 400);

    consumed = 0;
    CHECK_THROWS_WITH(geo::run_pipeline(producer(1000000),
                                        [&](geo::IncidentChunk&) {
                                            if (++consumed == 3) throw std::runtime_error("writer");
                                        }),
                      "writer");
    CHECK(consumed == 3);

    CHECK_THROWS_WITH(geo::run_pipeline(
                          [](const std::function<bool(geo::IncidentChunk&)>& emit) {
                              geo::IncidentChunk chunk;
                              chunk.size = 0;
                              emit(chunk);
                              throw std::runtime_error("reader");
                          },
                          [](geo::IncidentChunk&) {}),
                      "reader");
}

TEST_CASE("import pipeline: the id filter never misses an id it was given, and rarely cries wolf",
          "[gpkg_store][pipeline]") {
    geo::IdFilter filter;  // starts small: 100,000 ids make it grow parts
    for (int i = 0; i < 100000; ++i) filter.add("SYN-ID-" + std::to_string(i));
    std::size_t missed = 0, false_maybe = 0;
    for (int i = 0; i < 100000; ++i) missed += !filter.may_contain("SYN-ID-" + std::to_string(i));
    for (int i = 0; i < 100000; ++i) false_maybe += filter.may_contain("SYN-NEW-" + std::to_string(i));
    CHECK(missed == 0);
    CHECK(false_maybe < 2000);            // < 2 % (each part ~0.3 % when full)
    CHECK(filter.bytes() < 100000 * 4);   // a few bytes an id, not the ids themselves
}

TEST_CASE("import pipeline: duplicates by event id, in the file and in the workspace",
          "[gpkg_store][pipeline]") {
    // A workspace holding "OLD", and rows written by this write so far: what the writer's
    // exact lookup answers for the ids the filter cannot clear.
    std::set<std::string> written;
    std::size_t looked_up = 0;
    const geo::StoredIds stored = [](const std::function<void(std::string_view)>& add) {
        add("OLD");
    };
    const geo::IdLookup lookup = [&](const std::vector<std::string_view>& ids) {
        std::vector<geo::IdPlace> places;
        for (const auto id : ids) {
            ++looked_up;
            places.push_back(id == "OLD"                        ? geo::IdPlace::InWorkspace
                             : written.count(std::string(id)) ? geo::IdPlace::EarlierInWrite
                                                              : geo::IdPlace::New);
        }
        return places;
    };
    geo::DuplicateCheck check(stored, lookup);
    std::vector<core::Incident> incidents(5);
    const char* ids[] = {"A", "OLD", "A", "", "B"};
    for (int i = 0; i < 5; ++i) incidents[i].event_id_cnty = ids[i];
    std::vector<long> rows = {2, 3, 4, 5, 6};
    std::vector<core::Diagnostic> dropped;
    CHECK(check.filter(incidents, rows, "f.csv", dropped) == 2);
    REQUIRE(incidents.size() == 3);
    CHECK(incidents[0].event_id_cnty == "A");
    CHECK(incidents[1].event_id_cnty.empty());
    CHECK(incidents[2].event_id_cnty == "B");
    CHECK(rows == std::vector<long>{2, 5, 6});
    REQUIRE(dropped.size() == 2);
    CHECK(dropped[0].where.row == 3);
    CHECK(dropped[0].message == "'OLD' is already in the workspace");
    CHECK(dropped[1].where.row == 4);
    CHECK(dropped[1].message == "'A' is already earlier in this file");
    CHECK(looked_up == 2);  // OLD and the second A: the others were cleared by the filter
    for (const auto& inc : incidents) written.insert(inc.event_id_cnty);

    // A second batch, after the first was written: its repeat of B is found by the lookup,
    // its repeat of C among its own earlier rows (not written yet).
    std::vector<core::Incident> next(3);
    const char* next_ids[] = {"B", "C", "C"};
    for (int i = 0; i < 3; ++i) next[i].event_id_cnty = next_ids[i];
    std::vector<long> next_rows = {7, 8, 9};
    std::vector<core::Diagnostic> next_dropped;
    CHECK(check.filter(next, next_rows, "f.csv", next_dropped) == 2);
    REQUIRE(next.size() == 1);
    CHECK(next[0].event_id_cnty == "C");
    REQUIRE(next_dropped.size() == 2);
    CHECK(next_dropped[0].message == "'B' is already earlier in this file");
    CHECK(next_dropped[1].where.row == 9);
}

TEST_CASE("import pipeline: a repeat thousands of rows later, and a file imported twice",
          "[gpkg_store][pipeline]") {
    // 9,000 rows (three of the import's 4,096-row batches), then row 11's id again.
    const std::string a = write_csv("DA", 9000);
    std::string text = limes_test::read_all(a);
    const std::string row11 = text.substr(text.find("DA-000010,"));
    text += row11.substr(0, row11.find('\n') + 1);
    limes_test::write_text(a, text);
    const std::string path = scratch("gpkg-dup-far");
    const geo::ImportReport r = geo::import_file(path, a, {});
    CHECK(r.imported == 9000);
    CHECK(r.duplicates == 1);
    REQUIRE(r.diagnostics.items().size() == 1);
    CHECK(r.diagnostics.items()[0].where.row == 9002);
    CHECK(r.diagnostics.items()[0].message == "'DA-000010' is already earlier in this file");
    // The same file again: every row is in the workspace now, nothing is written twice.
    const geo::ImportReport again = geo::import_file(path, a, {});
    CHECK(again.imported == 0);
    CHECK(again.duplicates == 9001);
    CHECK(again.diagnostics.items()[0].message == "'DA-000000' is already in the workspace");
    CHECK(query_one(path, "SELECT count(*) FROM incidents") == "9000");
    CHECK(query_one(path, "SELECT count(DISTINCT event_id_cnty) FROM incidents") == "9000");
    check_consistent(path);
    remove_files({path, a});
}

TEST_CASE("gpkg store: the marks a map draws match the whole rows' filter", "[gpkg_store]") {
    geo::Workspace ws = geo::Workspace::open(LIMES_DEFAULT_WS);
    auto same = [&](const core::Filter& f) {
        const auto fast = geo::select_marks(ws, f);
        const auto plain = core::marks_of(geo::select_incidents(ws, f));
        REQUIRE(fast.size() == plain.size());
        for (std::size_t i = 0; i < fast.size(); ++i) {
            CHECK(fast[i].lon == plain[i].lon);
            CHECK(fast[i].lat == plain[i].lat);
            CHECK(fast[i].days == plain[i].days);
            CHECK(fast[i].type == plain[i].type);
            CHECK(fast[i].fatalities == plain[i].fatalities);
            CHECK(fast[i].geo_precision == plain[i].geo_precision);
        }
        return fast.size();
    };
    core::Filter all;
    const std::size_t n = same(all);
    CHECK(n == ws.read_incidents().size());
    core::Filter some;
    some.types = {"Battles", "Explosions/Remote violence"};
    some.min_fatalities = 1;
    some.from = core::parse_date("2022-09-13");
    const std::size_t k = same(some);
    CHECK(k > 0);
    CHECK(k < n);
    core::Filter by_reporter;  // needs the reporter column: read because the filter says so
    by_reporter.reported_by = {"Armenian MoD"};
    CHECK(same(by_reporter) > 0);
}

TEST_CASE("gpkg store: the marks of a large workspace, read in two fid halves, match one pass",
          "[gpkg_store]") {
    // 60,000 rows: above the 50,000 fids from which select_marks reads in two parts.
    const std::string csv = write_csv("HALF", 60'000);
    const std::string path = scratch("gpkg-fast-halves");
    REQUIRE(geo::import_file(path, csv, {}).imported == 60'000);
    geo::Workspace ws = geo::Workspace::open(path);
    std::vector<core::IncidentMark> one_pass;
    ws.incidents().for_each(
        {}, [&](const core::Incident& inc) { one_pass.push_back(core::mark_of(inc)); });
    for (const bool filtered : {false, true}) {
        INFO("filtered " << filtered);
        core::Filter f;
        if (filtered) f.from = core::parse_date("2022-09-20");
        const auto halves = geo::select_marks(ws, f);
        std::vector<core::IncidentMark> expected;
        for (const auto& m : one_pass)
            if (!filtered || m.days >= core::parse_date("2022-09-20")->days) expected.push_back(m);
        REQUIRE(halves.size() == expected.size());
        std::size_t differ = 0;
        for (std::size_t i = 0; i < halves.size(); ++i)
            differ += halves[i].lon != expected[i].lon || halves[i].lat != expected[i].lat ||
                      halves[i].days != expected[i].days || halves[i].type != expected[i].type ||
                      halves[i].fatalities != expected[i].fatalities ||
                      halves[i].geo_precision != expected[i].geo_precision;
        CHECK(differ == 0);  // the same marks in the same (fid) order
        if (filtered) CHECK(halves.size() < one_pass.size());
    }

    // The split itself: two contiguous parts covering the fid range, part 0 first, each fid
    // once.
    const std::int64_t lo = std::stoll(query_one(path, "SELECT min(fid) FROM incidents"));
    const std::int64_t hi = std::stoll(query_one(path, "SELECT max(fid) FROM incidents"));
    geo::IncidentQuery points;
    points.columns = core::IncidentColumns();
    std::int64_t first[2], last[2];
    std::size_t seen[2];
    int resets = 0;
    auto reset_record = [&] {
        for (int p = 0; p < 2; ++p) first[p] = INT64_MAX, last[p] = INT64_MIN, seen[p] = 0;
    };
    auto record = [&](unsigned part, const core::Incident& inc) {
        first[part] = std::min(first[part], inc.fid);
        last[part] = std::max(last[part], inc.fid);
        ++seen[part];
    };
    reset_record();
    CHECK(ws.incidents().scan_parts(points, 2, record, [&] { ++resets; }) == 2);
    CHECK(first[0] == lo);
    CHECK(last[1] == hi);
    CHECK(first[1] > last[0]);
    CHECK(seen[0] + seen[1] == 60'000);
    CHECK(resets == 0);
    reset_record();
    CHECK(ws.incidents().scan_parts(points, 1, record, [&] { ++resets; }) == 1);
    CHECK((first[0] == lo && last[0] == hi && seen[0] == 60'000));

    // A commit while the parts read: they saw two states, so the whole table is read again.
    // (Part 1 commits, on a thread of its own: no Catch2 assertion there, only a flag.) In a
    // rollback journal (GDAL's default) a commit waits for every reader, so it can only land
    // between the parts' reads; in WAL mode it lands at once, which makes it testable here.
    {
        sqlite3* db = nullptr;
        REQUIRE(sqlite3_open(path.c_str(), &db) == SQLITE_OK);
        REQUIRE(sqlite3_exec(db, "PRAGMA journal_mode = WAL", nullptr, nullptr, nullptr) ==
                SQLITE_OK);
        sqlite3_close(db);
    }
    REQUIRE(query_one(path, "PRAGMA journal_mode") == "wal");
    std::atomic<int> wrote{0};
    reset_record();
    const unsigned used = ws.incidents().scan_parts(
        points, 2,
        [&](unsigned part, const core::Incident& inc) {
            record(part, inc);
            if (part == 1 && wrote == 0) {
                sqlite3* db = nullptr;
                int rc = sqlite3_open(path.c_str(), &db);
                if (rc == SQLITE_OK)
                    rc = sqlite3_exec(db, "CREATE TABLE limes_test_touch (x)", nullptr, nullptr,
                                      nullptr);
                sqlite3_close(db);
                wrote = rc == SQLITE_OK ? 1 : -1;
            }
        },
        [&] {
            ++resets;
            reset_record();
        });
    REQUIRE(wrote == 1);
    CHECK(used == 1);
    CHECK(resets == 1);
    CHECK((first[0] == lo && last[0] == hi && seen[0] == 60'000));

    // An empty table: nothing to read, no call.
    const std::string empty = scratch("gpkg-fast-empty-halves");
    geo::Workspace empty_ws = geo::Workspace::create(empty);
    empty_ws.incidents().write()->commit();
    int called = 0;
    CHECK(empty_ws.incidents().scan_parts(
              points, 2, [&](unsigned, const core::Incident&) { ++called; }, [] {}) == 0);
    CHECK(called == 0);
    remove_files({empty, path, csv});
}

TEST_CASE("gpkg store: a map's pass reads the covering marks index, and the same without it",
          "[gpkg_store]") {
    const std::string csv = write_csv("MARKS", 3'000);
    const std::string path = scratch("gpkg-marks-index");
    REQUIRE(geo::import_file(path, csv, {}).imported == 3'000);
    auto layout = [&] {
        geo::SqliteDb db(path, geo::SqliteDb::Mode::ReadOnly);
        const auto l = geo::inspect_incidents(db);
        REQUIRE(l);
        return *l;
    };
    // What SQLite plans for a pass's SELECT over a fid range, as the cursor runs it.
    auto plan = [&](const geo::IncidentQuery& q) {
        std::string detail;
        for (const auto& row : query(path, "EXPLAIN QUERY PLAN " + geo::gpkg_pass_sql(layout(), q) +
                                               " WHERE fid BETWEEN 1 AND 1000 ORDER BY fid"))
            detail += row.back() + "\n";
        return detail;
    };
    REQUIRE(layout().marks_index);
    geo::IncidentQuery drawn;
    drawn.columns = core::IncidentColumns::drawn();
    CHECK_THAT(plan(drawn), Catch::Contains("COVERING INDEX incidents_marks"));
    core::Filter by_type;
    by_type.types = {"Battles"};
    drawn.filter = &by_type;  // its column is drawn: still the index alone
    CHECK_THAT(plan(drawn), Catch::Contains("COVERING INDEX incidents_marks"));
    core::Filter by_actor;
    by_actor.actor = "Military";  // actor1, actor2: only the rows have them
    drawn.filter = &by_actor;
    CHECK_THAT(plan(drawn), !Catch::Contains("incidents_marks"));
    geo::IncidentQuery whole;
    whole.columns = core::IncidentColumns::all();
    CHECK_THAT(plan(whole), !Catch::Contains("incidents_marks"));

    core::Filter some;
    some.from = core::parse_date("2022-09-20");
    auto marks = [&] {
        geo::Workspace ws = geo::Workspace::open(path);
        return std::pair{geo::select_marks(ws, core::Filter{}), geo::select_marks(ws, some)};
    };
    auto same = [](const std::vector<core::IncidentMark>& a,
                   const std::vector<core::IncidentMark>& b) {
        REQUIRE(a.size() == b.size());
        std::size_t differ = 0;
        for (std::size_t i = 0; i < a.size(); ++i)
            differ += a[i].lon != b[i].lon || a[i].lat != b[i].lat || a[i].days != b[i].days ||
                      a[i].type != b[i].type || a[i].fatalities != b[i].fatalities ||
                      a[i].geo_precision != b[i].geo_precision || a[i].status != b[i].status ||
                      a[i].side != b[i].side;
        CHECK(differ == 0);
    };
    const auto indexed = marks();
    CHECK(indexed.first.size() == 3'000);
    CHECK(indexed.second.size() < 3'000);
    CHECK(!indexed.second.empty());

    // Without the index (a workspace of an older limes, or edited by a tool that dropped it):
    // the table's own rows, the same marks.
    sqlite_exec(path, "DROP INDEX incidents_marks");
    CHECK(!layout().marks_index);
    CHECK_THAT(plan(drawn), !Catch::Contains("incidents_marks"));
    const auto plain = marks();
    same(indexed.first, plain.first);
    same(indexed.second, plain.second);

    // An index of that name over other columns is not taken for it.
    sqlite_exec(path, "CREATE INDEX incidents_marks ON incidents (fid, geom, event_date)");
    CHECK(!layout().marks_index);
    sqlite_exec(path, "DROP INDEX incidents_marks");

    // The next import makes it again, with the rows already there, and keeps it in step.
    const std::string more = write_csv("MARKS2", 500);
    REQUIRE(geo::import_file(path, more, {}).imported == 500);
    CHECK(layout().marks_index);
    CHECK(query_one(path, "PRAGMA integrity_check") == "ok");
    CHECK(marks().first.size() == 3'500);
    remove_files({path, csv, more});
}

// ---------------------------------------------------------------------------------------------
// Writes: ids stay, nothing half-done
// ---------------------------------------------------------------------------------------------

TEST_CASE("gpkg store: an update keeps the fid and a removed fid is never given again",
          "[gpkg_store][edit]") {
    const std::string path = scratch("gpkg-store-edit");
    REQUIRE(geo::import_file(path, data("acled_2023.csv"), {}).imported == 8);
    geo::Workspace ws = geo::Workspace::open(path);
    const auto before = ws.read_incidents();
    REQUIRE(before.size() == 8);
    core::Incident changed = before[3];
    changed.notes = "Synthetic edit";
    changed.lon += 0.5;  // moved: the R-tree must follow
    {
        auto w = ws.incidents().write();
        w->update(changed);
        w->remove(before[7].fid);  // the largest fid
        w->commit();
    }
    auto after = ws.read_incidents();
    REQUIRE(after.size() == 7);
    CHECK(after[3].fid == before[3].fid);
    CHECK(after[3].notes == "Synthetic edit");
    CHECK(after[3].lon == changed.lon);
    CHECK(after[3].event_id_cnty == before[3].event_id_cnty);
    for (std::size_t i : {0, 1, 2, 4, 5, 6}) CHECK(after[i].fid == before[i].fid);
    check_same(after, read_with_ogr(path));
    check_consistent(path);
    // GDAL's spatial filter finds the moved point where it now is, not where it was.
    OGRLayer& l = ws.require_layer(geo::kIncidents);
    l.SetSpatialFilterRect(changed.lon - 1e-6, changed.lat - 1e-6, changed.lon + 1e-6,
                           changed.lat + 1e-6);
    l.ResetReading();
    std::set<GIntBig> found;
    for (auto& f : l) found.insert(f->GetFID());
    l.SetSpatialFilter(nullptr);
    CHECK(found.count(changed.fid) == 1);

    // A new incident never gets the removed one's id (an old export's id names nothing else).
    std::vector<core::Incident> fresh{before[0]};
    fresh[0].event_id_cnty = "SYN-STORE-NEW";
    {
        auto w = ws.incidents().write();
        w->append(fresh);
        w->commit();
    }
    CHECK(fresh[0].fid > before[7].fid);
    // Updating what is not stored is refused, and the write rolled back.
    core::Incident ghost = before[7];
    {
        auto w = ws.incidents().write();
        CHECK_THROWS_AS(w->update(ghost), core::UsageError);
    }
    CHECK(ws.read_incidents().size() == 8);
    check_consistent(path);
    std::remove(path.c_str());
}

TEST_CASE("gpkg store: a write rolled back leaves the file as it was, the layer it made included",
          "[gpkg_store][atomic]") {
    const std::string path = scratch("gpkg-store-rollback");
    REQUIRE(geo::import_file(path, data("claims.geojson"), {}).imported > 0);
    const std::string bytes = read_all(path);
    {
        geo::Workspace ws = geo::Workspace::open(path);
        REQUIRE_FALSE(ws.incidents().exists());
        std::vector<core::Incident> rows(3);
        for (std::size_t i = 0; i < rows.size(); ++i) {
            rows[i].lon = 45.0 + static_cast<double>(i);
            rows[i].lat = 40.0;
            rows[i].event_id_cnty = "SYN-RB-" + std::to_string(i);
        }
        auto w = ws.incidents().write();  // creates the layer
        w->append(rows);
        CHECK(rows[2].fid == 3);
    }  // no commit
    geo::Workspace ws = geo::Workspace::open(path);
    CHECK_FALSE(ws.incidents().exists());
    CHECK_FALSE(ws.has_layer(geo::kIncidents));
    CHECK(query_one(path, "PRAGMA integrity_check") == "ok");
    CHECK(query_one(path, "SELECT count(*) FROM gpkg_contents WHERE table_name = 'incidents'") ==
          "0");
    std::remove(path.c_str());
    (void)bytes;
}

TEST_CASE("gpkg store: a snapshot reads one state of the table while others write",
          "[gpkg_store]") {
    const std::string path = scratch("gpkg-store-snapshot");
    REQUIRE(geo::import_file(path, data("acled_2023.csv"), {}).imported == 8);
    geo::Workspace ws = geo::Workspace::open(path);
    const std::unique_ptr<geo::IncidentReads> snapshot = ws.incidents().snapshot();
    CHECK(snapshot->read_all().size() == 8);
    // Another connection (another limes) appends meanwhile: it waits for no reader...
    geo::Workspace other = geo::Workspace::open(path);
    std::vector<core::Incident> more(1);
    more[0].lon = 45.1;
    more[0].lat = 40.1;
    more[0].event_id_cnty = "SYN-SNAP-1";
    auto w = other.incidents().write();
    w->append(more);
    // ... but its commit must wait for the snapshot (rollback journal): the snapshot still sees
    // 8, a fresh read too until the commit lands.
    CHECK(snapshot->read_all().size() == 8);
    CHECK(ws.read_incidents().size() == 8);
    CHECK(ws.incidents().find("event_id_cnty", "SYN-SNAP-1", geo::TextMatch::Equals).empty());
    std::remove(path.c_str());
}
