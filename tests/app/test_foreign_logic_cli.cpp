// Untrusted workspaces: a GeoPackage from someone else may carry triggers and views. limes
// lists them, never runs them, refuses to write while they are there (exit 3, naming each),
// and `limes clean` removes exactly them. Every planted trigger here writes a witness row
// (into its own table `witness`) when it runs: the witness stays empty throughout.
#include <catch2/catch.hpp>
#include <sqlite3.h>

#include <chrono>
#include <fstream>
#include <string>

#include "../geo/support.hpp"
#include "../geo/support_sqlite.hpp"
#include "core/error.hpp"
#include "geo/formats/gdal_util.hpp"
#include "geo/formats/sqlite_guard.hpp"
#include "geo/store/schema_check.hpp"
#include "geo/store/sqlite_db.hpp"
#include "geo/store/workspace.hpp"
#include "run_limes.hpp"

using limes_test::query_one;
using limes_test::Result;
using limes_test::run_limes;
using limes_test::scratch;
using limes_test::sqlite_exec;
namespace geo = limes::geo;
namespace core = limes::core;

namespace {

/** A copy of the default workspace (synthetic witness table added: not real data). */
std::string workspace_copy(const std::string& stem) {
    const std::string path = scratch(stem);
    std::remove(path.c_str());
    {
        std::ifstream in(LIMES_DEFAULT_WS, std::ios::binary);
        std::ofstream out(path, std::ios::binary);
        out << in.rdbuf();
    }
    sqlite_exec(path, "CREATE TABLE witness(what TEXT)");
    return path;
}

// Four kinds of foreign logic, each of which would leave a row in `witness` if it ran.
const char* const kPlanted =
    // 1. copies every new incident's notes elsewhere (exfiltration on insert)
    "CREATE TRIGGER copy_notes AFTER INSERT ON incidents BEGIN "
    "INSERT INTO witness VALUES ('copy_notes: ' || NEW.notes); END;"
    // 2. dressed as a GeoPackage R-tree trigger, but deletes the claims
    "CREATE TRIGGER rtree_incidents_geom_update5 AFTER UPDATE ON incidents BEGIN "
    "INSERT INTO witness VALUES ('disguised'); DELETE FROM claims; END;"
    // 3. on the claims: rewrites a country's name when a claim is added
    "CREATE TRIGGER claims_hook BEFORE INSERT ON claims BEGIN "
    "INSERT INTO witness VALUES ('claims_hook'); UPDATE countries SET name = 'x'; END;"
    // 4. an endless recursive view, registered as a layer so that GDAL lists it
    "CREATE VIEW endless AS WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n) "
    "SELECT x AS fid, 'witness' AS what FROM n;"
    "INSERT INTO gpkg_contents (table_name, data_type, identifier) "
    "VALUES ('endless', 'attributes', 'endless');";

const char* const kCsvHeader =
    "event_id_cnty,event_date,year,time_precision,disorder_type,event_type,sub_event_type,"
    "actor1,assoc_actor_1,inter1,actor2,assoc_actor_2,inter2,interaction,civilian_targeting,"
    "iso,region,country,admin1,admin2,admin3,location,latitude,longitude,geo_precision,source,"
    "source_scale,notes,fatalities,tags,timestamp\n";

std::string one_row_csv(const std::string& stem) {
    const std::string path = scratch(stem, ".csv");
    std::ofstream(path) << kCsvHeader
                        << "SYN-FL-1,2022-09-13,2022,1,Political violence,Battles,Armed clash,"
                           "Synthetic A,,1,Synthetic B,,1,11,,51,Caucasus,Armenia,Syunik,,,Goris,"
                           "39.5,46.3,1,Synthetic,National,synthetic row,0,,0\n";
    return path;
}

double seconds_of(const std::function<void()>& f) {
    const auto t0 = std::chrono::steady_clock::now();
    f();
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

std::string witness(const std::string& path) {
    return query_one(path, "SELECT count(*) FROM witness");
}

}  // namespace

TEST_CASE("foreign logic: the standard triggers of GDAL-made workspaces are not foreign",
          "[untrusted][foreign_logic]") {
    sqlite3* db = nullptr;
    REQUIRE(sqlite3_open_v2(LIMES_DEFAULT_WS, &db, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK);
    CHECK(geo::foreign_logic(db).empty());  // 80-odd R-tree, count and tile-matrix triggers
    sqlite3_close(db);

    // GDAL 3.7 and later keep the R-tree with update6/update7 (an UPDATE of the R-tree row).
    CHECK(geo::is_standard_trigger(
        "rtree_t_geom_update6", "t",
        "CREATE TRIGGER \"rtree_t_geom_update6\" AFTER UPDATE OF \"geom\" ON \"t\" WHEN "
        "OLD.\"fid\" = NEW.\"fid\" AND (NEW.\"geom\" NOTNULL AND NOT ST_IsEmpty(NEW.\"geom\")) "
        "AND (OLD.\"geom\" NOTNULL AND NOT ST_IsEmpty(OLD.\"geom\")) BEGIN UPDATE "
        "\"rtree_t_geom\" SET minx = ST_MinX(NEW.\"geom\"), maxx = ST_MaxX(NEW.\"geom\"), miny = "
        "ST_MinY(NEW.\"geom\"), maxy = ST_MaxY(NEW.\"geom\") WHERE id = NEW.\"fid\"; END"));
    std::string why;
    // The shape decides, not the name.
    CHECK_FALSE(geo::is_standard_trigger(
        "rtree_t_geom_insert", "t",
        "CREATE TRIGGER rtree_t_geom_insert AFTER INSERT ON t BEGIN DELETE FROM secrets; END",
        &why));
    CHECK(why == "touches the table secrets");
    CHECK_FALSE(geo::is_standard_trigger(
        "rtree_t_geom_insert", "t",
        "CREATE TRIGGER rtree_t_geom_insert AFTER INSERT ON t BEGIN INSERT INTO rtree_t_geom "
        "VALUES (NEW.fid, load_extension('x'), 0, 0, 0); END",
        &why));
    CHECK(why == "calls load_extension()");
    CHECK_FALSE(geo::is_standard_trigger(
        "rtree_other_geom_insert", "t",
        "CREATE TRIGGER rtree_other_geom_insert AFTER INSERT ON t BEGIN DELETE FROM "
        "rtree_other_geom; END",
        &why));
    CHECK_FALSE(geo::is_standard_trigger(
        "trigger_insert_feature_count_t", "t",
        "CREATE TRIGGER trigger_insert_feature_count_t AFTER INSERT ON t BEGIN UPDATE "
        "gpkg_ogr_contents SET feature_count = feature_count + 1 WHERE table_name = 't'; "
        "DELETE FROM claims; END",
        &why));
}

TEST_CASE("foreign logic: listed, never run, and writes refused with exit 3",
          "[untrusted][foreign_logic][cli]") {
    const std::string ws = workspace_copy("foreign-cli");
    sqlite_exec(ws, kPlanted);
    const std::string claims_before = query_one(ws, "SELECT count(*) FROM claims");
    const std::string file_before = limes_test::read_all(ws);

    // Reading goes on and says what it found; the endless view is not read (bounded time).
    Result info;
    CHECK(seconds_of([&] { info = run_limes({"info", ws}); }) < 5.0);
    CHECK(info.code == 0);
    for (const char* name :
         {"trigger copy_notes on incidents", "trigger rtree_incidents_geom_update5 on incidents",
          "trigger claims_hook on claims", "view endless"})
        CHECK_THAT(info.out, Catch::Contains(name));
    CHECK_THAT(info.out, Catch::Contains("limes clean " + ws));
    CHECK_THAT(info.out, Catch::Contains("incidents"));
    CHECK_THAT(info.out, !Catch::Contains("endless  "));  // not summarised as a layer

    const std::string png = scratch("foreign-render", ".png");
    const Result render = run_limes({"render", ws, "-o", png});
    CHECK(render.code == 0);
    CHECK_THAT(render.err, Catch::Contains("foreign logic"));
    const Result exported = run_limes({"export", ws, "-o", "-"});
    CHECK(exported.code == 0);
    CHECK_THAT(exported.out, Catch::Contains("\"FeatureCollection\""));
    CHECK_THAT(exported.err, Catch::Contains("foreign logic"));

    // Every write: refused before anything is written, naming each object.
    const std::string csv = one_row_csv("foreign-row");
    const Result import = run_limes({"import", ws, csv});
    CHECK(import.code == 3);
    for (const char* name : {"copy_notes", "rtree_incidents_geom_update5", "claims_hook",
                             "view endless", "limes clean " })
        CHECK_THAT(import.err, Catch::Contains(name));
    const Result save_view = run_limes({"render", ws, "-o", png, "--save-view", "v1"});
    CHECK(save_view.code == 3);
    CHECK(limes_test::read_all(ws) == file_before);  // not a byte changed

    // The write paths below the commands refuse too.
    {
        geo::Workspace w = geo::Workspace::open(ws);
        CHECK(w.foreign_logic().size() == 4);
        CHECK_THROWS_AS(w.require_writable(), core::DataError);
        CHECK_THROWS_AS(w.incidents().write(), core::DataError);
        std::vector<core::Claim> none;
        CHECK_THROWS_AS(w.append_claims(none), core::DataError);
    }
    // And a connection that bypasses those checks still cannot run the logic: limes' own
    // (the authorizer refuses to compile the statement that would fire the trigger) ...
    {
        geo::SqliteDb db(ws, geo::SqliteDb::Mode::ReadWrite);
        CHECK_THROWS_WITH(db.exec("UPDATE incidents SET notes = notes WHERE fid = 1"),
                          Catch::Contains("prohibited") || Catch::Contains("not authorized"));
        CHECK_THROWS_WITH(db.exec("INSERT INTO claims (claim_id) VALUES ('SYN')"),
                          Catch::Contains("prohibited") || Catch::Contains("not authorized"));
        double t = seconds_of([&] {
            CHECK_THROWS(db.exec("SELECT count(*) FROM endless"));
        });
        CHECK(t < 5.0);
    }
    // ... and GDAL's (guarded when limes opens it).
    {
        auto ds = geo::open_vector(ws, true);
        limes::geo::GdalErrorCollector quiet;
        OGRLayer* r = ds->ExecuteSQL("INSERT INTO claims (claim_id) VALUES ('SYN')", nullptr,
                                     nullptr);
        if (r) ds->ReleaseResultSet(r);
    }
    CHECK(witness(ws) == "0");
    CHECK(query_one(ws, "SELECT count(*) FROM claims") == claims_before);
    CHECK(query_one(ws, "SELECT count(*) FROM countries WHERE name = 'x'") == "0");
    limes_test::remove_files({ws, csv, png});
}

TEST_CASE("foreign logic: a trigger planted after the open is refused inside the write",
          "[untrusted][foreign_logic]") {
    const std::string ws = workspace_copy("foreign-late");
    geo::Workspace w = geo::Workspace::open(ws);
    REQUIRE(w.foreign_logic().empty());
    sqlite_exec(ws,
         "CREATE TRIGGER late AFTER INSERT ON incidents BEGIN INSERT INTO witness VALUES "
         "('late'); END");
    CHECK_THROWS_WITH(w.incidents().write(), Catch::Contains("trigger late on incidents"));
    std::vector<core::Claim> none;
    CHECK_THROWS_WITH(w.append_claims(none), Catch::Contains("trigger late on incidents"));
    CHECK(witness(ws) == "0");
    limes_test::remove_files({ws});
}

TEST_CASE("foreign logic: limes clean removes exactly the foreign objects, and says so",
          "[untrusted][foreign_logic][cli]") {
    const std::string ws = workspace_copy("foreign-clean");
    const std::string standard_before =
        query_one(ws, "SELECT count(*) FROM sqlite_master WHERE type = 'trigger'");
    sqlite_exec(ws, kPlanted);
    const std::string file_before = limes_test::read_all(ws);

    const Result dry = run_limes({"clean", "--dry-run", ws});
    CHECK(dry.code == 0);
    CHECK_THAT(dry.out, Catch::Contains("would remove trigger copy_notes on incidents"));
    CHECK_THAT(dry.out, Catch::Contains("4 object(s) to remove"));
    CHECK(limes_test::read_all(ws) == file_before);

    const Result clean = run_limes({"clean", ws});
    CHECK(clean.code == 0);
    for (const char* line :
         {"removed trigger copy_notes on incidents",
          "removed trigger rtree_incidents_geom_update5 on incidents",
          "removed trigger claims_hook on claims", "removed view endless", "4 object(s) removed"})
        CHECK_THAT(clean.out, Catch::Contains(line));
    CHECK(query_one(ws, "SELECT count(*) FROM sqlite_master WHERE type = 'trigger'") ==
          standard_before);
    CHECK(query_one(ws, "SELECT count(*) FROM sqlite_master WHERE type = 'view'") == "0");
    CHECK(query_one(ws, "SELECT count(*) FROM gpkg_contents WHERE table_name = 'endless'") ==
          "0");
    CHECK(query_one(ws, "PRAGMA integrity_check") == "ok");

    const std::string csv = one_row_csv("foreign-clean-row");
    const Result import = run_limes({"import", ws, csv});
    CHECK(import.code == 0);
    CHECK(witness(ws) == "0");
    CHECK(run_limes({"clean", ws}).out.find("nothing to remove") != std::string::npos);
    CHECK(run_limes({"clean", scratch("no-such", ".gpkg")}).code == 4);
    limes_test::remove_files({ws, csv});
}

TEST_CASE("foreign logic: a view in place of a table, and absurd metadata, are refused quickly",
          "[untrusted][foreign_logic][cli]") {
    SECTION("incidents replaced by an endless view") {
        const std::string ws = workspace_copy("foreign-shadow");
        sqlite_exec(ws,
             "ALTER TABLE incidents RENAME TO incidents_data;"
             "CREATE VIEW incidents AS WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 "
             "FROM n) SELECT * FROM incidents_data, n");
        for (const char* cmd : {"info", "export", "render"}) {
            Result r;
            const std::string png = scratch("foreign-shadow", ".png");
            CHECK(seconds_of([&] {
                      r = std::string(cmd) == "info"     ? run_limes({cmd, ws})
                          : std::string(cmd) == "export" ? run_limes({cmd, ws, "-o", "-"})
                                                         : run_limes({cmd, ws, "-o", png});
                  }) < 5.0);
            INFO(cmd);
            CHECK(r.code == 3);
            CHECK_THAT(r.err, Catch::Contains(ws + ": its incidents is a view, not a table"));
        }
        limes_test::remove_files({ws});
    }
    SECTION("a quarter of a million layers in gpkg_contents") {
        const std::string ws = workspace_copy("foreign-many");
        sqlite_exec(ws,
             "WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n WHERE x < 250000) "
             "INSERT INTO gpkg_contents (table_name, data_type, identifier) "
             "SELECT 'synthetic_' || x, 'attributes', 'synthetic_' || x FROM n");
        Result r;
        CHECK(seconds_of([&] { r = run_limes({"info", ws}); }) < 5.0);
        CHECK(r.code == 3);
        CHECK_THAT(r.err, Catch::Contains("its table gpkg_contents has 250"));
        CHECK_THAT(r.err, Catch::Contains("absurd metadata"));
        limes_test::remove_files({ws});
    }
    SECTION("a 6 MB description of a layer") {
        const std::string ws = workspace_copy("foreign-long");
        sqlite_exec(ws,
             "UPDATE gpkg_contents SET description = hex(zeroblob(3000000)) "
             "WHERE table_name = 'countries'");
        const Result r = run_limes({"render", ws, "-o", scratch("foreign-long", ".png")});
        CHECK(r.code == 3);
        CHECK_THAT(r.err, Catch::Contains("a row of its table gpkg_contents holds 6000"));
        limes_test::remove_files({ws});
    }
}
