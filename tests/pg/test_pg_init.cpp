// PostGIS workspaces, part 1 (issue 16): the target a user types, `limes init`, the row
// version and the audit trail, against a private cluster that ctest starts
// (tests/pg/pg_cluster.sh, fixture "pg"). Each test case works in a schema of its own.
#include <catch2/catch.hpp>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <string>
#include <thread>

#include "../app/run_limes.hpp"
#include "pg_support.hpp"
#include "core/error.hpp"
#include "core/incident.hpp"
#include "geo/store/pg_audit.hpp"
#include "geo/store/pg_db.hpp"
#include "geo/store/pg_schema.hpp"

using limes::geo::PgConnection;
using limes::geo::parse_pg_target;
using limes_test::cluster_url;
using limes_test::run_limes;

using limes_test::fresh_schema;
using limes_test::one;
using limes_test::url_with;

TEST_CASE("target: a URI or a PG: string, the schema split off, the password masked",
          "[pg]") {
    auto t = parse_pg_target("postgresql://ann:s3cret@db.example:5433/team?schema=caucasus"
                             "&sslmode=disable");
    CHECK(t.schema == "caucasus");
    CHECK(t.conninfo == "postgresql://ann:s3cret@db.example:5433/team?sslmode=disable");
    CHECK(t.display.find("s3cret") == std::string::npos);
    CHECK(t.display.find("ann:***@db.example") != std::string::npos);

    t = parse_pg_target("postgres:///team");
    CHECK(t.schema == "public");

    t = parse_pg_target("PG:dbname=team host=/run/pg password='a b' active_schema=monitor");
    CHECK(t.schema == "monitor");
    CHECK(t.conninfo == "dbname=team host=/run/pg password='a b'");
    CHECK(t.display == "PG:dbname=team host=/run/pg password=*** active_schema=monitor");

    // GDAL's driver: schemas= naming one schema makes it the active one; active_schema= wins.
    t = parse_pg_target("PG:dbname=team schemas=caucasus");
    CHECK(t.schema == "caucasus");
    CHECK(t.conninfo == "dbname=team");
    t = parse_pg_target("PG:dbname=team schemas=a,b active_schema=b");
    CHECK(t.schema == "b");
    CHECK_THROWS_WITH(parse_pg_target("PG:dbname=team schemas=a,b"),
                      Catch::Contains("active_schema=NAME"));

    t = parse_pg_target("postgresql:///x?schema=caucasus%20team");
    CHECK(t.schema == "caucasus team");

    CHECK_THROWS_WITH(parse_pg_target("PG:dbname"), Catch::Contains("expected key=value"));
    CHECK_THROWS_WITH(parse_pg_target("postgresql:///x?schema="),
                      Catch::Contains("the schema is empty"));
    CHECK_THROWS_WITH(parse_pg_target("postgresql:///x?nosuchoption=1"),
                      Catch::Contains("not a connection string libpq reads"));
    CHECK(limes::geo::is_pg_workspace("PG:dbname=x"));
    CHECK(limes::geo::is_pg_workspace("postgresql://h/db"));
    CHECK_FALSE(limes::geo::is_pg_workspace("ws.gpkg"));
    CHECK_FALSE(limes::geo::is_pg_workspace("pg.gpkg"));
}

TEST_CASE("init: tables, GiST indexes and triggers in a new schema, and a second init keeps "
          "them",
          "[pg]") {
    const std::string schema = fresh_schema("init");
    const std::string url = url_with(schema);
    auto r = run_limes({"init", url});
    INFO(r.out << r.err);
    REQUIRE(r.code == 0);
    limes_test::check_contains(r.out, {"limes workspace ready",
                                       "created: incidents, claims, limes_audit",
                                       "already there, kept: none", "PostGIS 3"});

    PgConnection db(parse_pg_target(url));
    CHECK(limes::geo::has_pg_workspace(db));
    // Every column of core::Incident, the point as geometry(Point, 4326), and the version.
    CHECK(one(db, "SELECT count(*) FROM information_schema.columns WHERE table_schema = " +
                      db.literal(schema) + " AND table_name = 'incidents'") ==
          std::to_string(2 + limes::core::incident_columns().size() + 1));
    CHECK(one(db, "SELECT type || ',' || srid FROM geometry_columns WHERE f_table_schema = " +
                      db.literal(schema) + " AND f_table_name = 'incidents'") == "POINT,4326");
    CHECK(one(db, "SELECT count(*) FROM pg_indexes WHERE schemaname = " + db.literal(schema) +
                      " AND tablename IN ('incidents', 'claims') AND indexdef LIKE "
                      "'%USING gist%'") == "2");
    CHECK(one(db, "SELECT count(*) FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
                  "JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = " +
                      db.literal(schema) + " AND NOT t.tgisinternal") == "8");

    // The covering index a map reads: no padding between its columns, no version, packed full.
    const std::string marks_layout =
        "SELECT string_agg(a.attname, ',' ORDER BY a.attnum) || ' ' || "
        "array_to_string(c.reloptions, ',') FROM pg_class c JOIN pg_attribute a ON a.attrelid = "
        "c.oid WHERE c.oid = to_regclass(" + db.literal(schema + ".incidents_marks") +
        ") GROUP BY c.reloptions";
    const std::string current =
        "fid,geo_precision,fatalities,event_date,geom,event_type,reported_by,status "
        "fillfactor=100";
    CHECK(one(db, marks_layout) == current);

    r = run_limes({"init", url});
    INFO(r.out << r.err);
    REQUIRE(r.code == 0);
    limes_test::check_contains(r.out, {"created: none",
                                       "already there, kept: incidents, claims, limes_audit"});
    CHECK(r.out.find("built again") == std::string::npos);

    // An older limes' layout (version included, table order, the default fill) is built again
    // by init, and said so; the rows stay.
    db.exec("INSERT INTO " + db.table("incidents") + " (geom, event_id_cnty, event_date) VALUES "
            "(ST_SetSRID(ST_MakePoint(46.75, 39.82), 4326), 'SYN-I-1', '2023-09-19')");
    db.exec("DROP INDEX " + db.identifier(schema) +
            ".incidents_marks");
    db.exec("CREATE INDEX incidents_marks ON " + db.table("incidents") +
            " (fid) INCLUDE (geom, version, event_date, event_type, geo_precision, fatalities, "
            "reported_by, status)");
    CHECK(one(db, marks_layout) != current);
    r = run_limes({"init", url});
    INFO(r.out << r.err);
    REQUIRE(r.code == 0);
    CHECK_THAT(r.out, Catch::Contains("index of an older limes built again: incidents_marks"));
    CHECK(one(db, marks_layout) == current);
    CHECK(one(db, "SELECT count(*) FROM " + db.table("incidents")) == "1");
}

TEST_CASE("audit: every insert, update and delete is recorded with who, when, before and "
          "after, and an update raises the row's version",
          "[pg]") {
    const std::string schema = fresh_schema("audit");
    const std::string url = url_with(schema);
    REQUIRE(run_limes({"init", url}).code == 0);
    PgConnection db(parse_pg_target(url));
    const std::string t = db.table("incidents");
    // Three rows in one statement (the audit triggers fire once a statement).
    db.exec("INSERT INTO " + t +
            " (geom, event_id_cnty, event_date, event_type, fatalities) VALUES "
            "(ST_SetSRID(ST_MakePoint(46.75, 39.82), 4326), 'SYN-A-1', '2023-09-19', "
            "'Battles', NULL), "
            "(ST_SetSRID(ST_MakePoint(45.0, 40.0), 4326), 'SYN-A-2', '2023-09-20', "
            "'Battles', 2), "
            "(ST_SetSRID(ST_MakePoint(45.5, 40.5), 4326), 'SYN-A-3', '2023-09-21', "
            "'Protests', 0)");
    CHECK(one(db, "SELECT string_agg(version::text, ',' ORDER BY fid) FROM " + t) == "1,1,1");
    db.exec("UPDATE " + t + " SET fatalities = 5 WHERE event_id_cnty = 'SYN-A-2'");
    db.exec("DELETE FROM " + t + " WHERE event_id_cnty = 'SYN-A-3'");
    CHECK(one(db, "SELECT version FROM " + t + " WHERE event_id_cnty = 'SYN-A-2'") == "2");

    const std::string a = db.table("limes_audit");
    // One INSERT of three rows: one audit row naming their fids, as a COPY of a million rows
    // is a few hundred (one per run of consecutive fids), not a million.
    CHECK(one(db, "SELECT string_agg(action, ',' ORDER BY id) FROM " + a) ==
          "insert,update,delete");
    CHECK(one(db, "SELECT count(DISTINCT who) || ':' || min(who) FROM " + a) == "1:limes");
    CHECK(one(db, "SELECT count(*) FROM " + a + " WHERE at > now() - interval '1 hour'") == "3");
    // The update keeps the row before and after, each whole (the point included).
    CHECK(one(db, "SELECT (before->>'fatalities') || '>' || (after->>'fatalities') || ' v' || "
                  "(before->>'version') || '>' || (after->>'version') FROM " +
                      a + " WHERE action = 'update'") == "2>5 v1>2");
    CHECK(one(db, "SELECT (before ? 'geom')::text || (after ? 'event_date')::text FROM " + a +
                      " WHERE action = 'update'") == "truetrue");
    CHECK(one(db, "SELECT before->>'event_id_cnty' FROM " + a + " WHERE action = 'delete'") ==
          "SYN-A-3");
    // An insert names its rows, and keeps no copy of them: the update's "before" and the
    // delete's keep what was inserted, and the rows themselves the rest.
    CHECK(one(db, "SELECT fid || '-' || last_fid FROM " + a + " WHERE action = 'insert' AND "
                  "before IS NULL AND after IS NULL") ==
          one(db, "SELECT min(fid) FROM " + t) + "-" +
              one(db, "SELECT fid FROM " + a + " WHERE action = 'delete'"));
    const auto history = limes::geo::incident_history(db, "SYN-A-2");
    REQUIRE(history.size() == 2);
    CHECK(history[0].action == "insert");
    CHECK(history[0].event_id == "SYN-A-2");
    CHECK(history[1].action == "update");
    REQUIRE(history[1].changes.size() >= 1);
    CHECK(history[1].changes[0].column == "fatalities");
    // The range's ends: a row never changed (its insert shows the row as it is), and one
    // deleted (its insert shows what the delete kept), asked for by fid and by id.
    const std::string first = one(db, "SELECT min(fid) FROM " + t);
    const auto unchanged = limes::geo::incident_history(db, first);
    REQUIRE(unchanged.size() == 1);
    CHECK(unchanged[0].action == "insert");
    CHECK(unchanged[0].event_id == "SYN-A-1");
    CHECK(std::to_string(unchanged[0].fid) == first);
    const auto deleted = limes::geo::incident_history(db, "SYN-A-3");
    REQUIRE(deleted.size() == 2);
    CHECK(deleted[0].action == "insert");
    CHECK(deleted[0].event_id == "SYN-A-3");
    CHECK(deleted[1].action == "delete");
    CHECK(deleted[0].fid == deleted[1].fid);

    CHECK(one(db, "SELECT count(*) FROM pg_indexes WHERE schemaname = " + db.literal(schema) +
                      " AND indexname = 'limes_audit_inserted'") == "1");
}

TEST_CASE("audit: init again on the schema of an older limes (an audit row per inserted fid) "
          "keeps its rows, which history reads as before, and audits inserts by ranges",
          "[pg]") {
    const std::string schema = fresh_schema("audit_old");
    const std::string url = url_with(schema);
    REQUIRE(run_limes({"init", url, "--no-basemap"}).code == 0);
    PgConnection db(parse_pg_target(url));
    const std::string t = db.table("incidents"), a = db.table("limes_audit");
    // The schema as an older limes left it: no last_fid nor its index, and its insert
    // trigger's function, a row per fid.
    db.exec("DROP INDEX " + db.identifier(schema) + ".limes_audit_inserted; ALTER TABLE " + a +
            " DROP COLUMN last_fid; CREATE OR REPLACE FUNCTION " + db.table("limes_audit_insert") +
            "() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, "
            "pg_temp AS $f$ BEGIN INSERT INTO " + a + " (who, layer, fid, action) SELECT "
            "session_user, TG_TABLE_NAME, n.fid, 'insert' FROM new_rows n; RETURN NULL; END $f$");
    auto insert = [&](const std::string& values) {
        db.exec("INSERT INTO " + t + " (geom, event_id_cnty, event_date, fatalities) VALUES " +
                values);
    };
    insert("(ST_SetSRID(ST_MakePoint(45.2, 40.2), 4326), 'SYN-O-1', '2023-09-22', 1), "
           "(ST_SetSRID(ST_MakePoint(45.3, 40.3), 4326), 'SYN-O-2', '2023-09-22', 2)");
    db.exec("UPDATE " + t + " SET fatalities = 7 WHERE event_id_cnty = 'SYN-O-2'");
    auto check_old_rows = [&] {
        const auto one_row = limes::geo::incident_history(db, "SYN-O-1");
        REQUIRE(one_row.size() == 1);
        CHECK(one_row[0].action == "insert");
        CHECK(one_row[0].event_id == "SYN-O-1");
        const auto changed = limes::geo::incident_history(db, "SYN-O-2");
        REQUIRE(changed.size() == 2);
        CHECK(changed[0].action == "insert");
        CHECK(changed[0].event_id == "SYN-O-2");
        CHECK(changed[1].action == "update");
    };
    CHECK(one(db, "SELECT count(*) FROM " + a + " WHERE action = 'insert'") == "2");
    check_old_rows();

    // init again while an analyst's insert runs: init takes the incidents' lock before the
    // audit's, as a writer does (the writer locks the incidents at its start and the audit in
    // its trigger), so one waits for the other; the other order deadlocked and PostgreSQL
    // rolled one back.
    std::string writer_error;
    std::thread writer([&] {
        try {
            PgConnection w(parse_pg_target(url));
            w.exec("INSERT INTO " + t + " (geom, event_id_cnty, event_date) SELECT "
                   "ST_SetSRID(ST_MakePoint(45.25, 40.25), 4326), 'SYN-O-W', '2023-09-22' "
                   "FROM pg_sleep(1)");
        } catch (const std::exception& e) {
            writer_error = e.what();
        }
    });
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    const auto again = run_limes({"init", url, "--no-basemap"});
    writer.join();
    INFO(again.err);
    CHECK(writer_error.empty());
    REQUIRE(again.code == 0);
    CHECK(limes::geo::incident_history(db, "SYN-O-W").size() == 1);
    CHECK(one(db, "SELECT count(*) FROM pg_indexes WHERE schemaname = " + db.literal(schema) +
                      " AND indexname = 'limes_audit_inserted'") == "1");
    check_old_rows();  // the older rows (last_fid NULL) read as before
    insert("(ST_SetSRID(ST_MakePoint(45.4, 40.4), 4326), 'SYN-O-3', '2023-09-23', 0), "
           "(ST_SetSRID(ST_MakePoint(45.5, 40.5), 4326), 'SYN-O-4', '2023-09-23', 0)");
    CHECK(one(db, "SELECT count(*) || ':' || min(last_fid - fid) FROM " + a +
                  " WHERE action = 'insert' AND last_fid IS NOT NULL") == "1:1");
    for (const char* id : {"SYN-O-3", "SYN-O-4"}) {
        const auto h = limes::geo::incident_history(db, id);
        REQUIRE(h.size() == 1);
        CHECK(h[0].action == "insert");
        CHECK(h[0].event_id == id);
    }
}

TEST_CASE("roles: a role without write rights gets exit 4 and a plain message, and cannot "
          "touch the audit",
          "[pg]") {
    const std::string schema = fresh_schema("roles");
    const std::string url = url_with(schema);
    REQUIRE(run_limes({"init", url}).code == 0);
    PgConnection owner(parse_pg_target(url));
    const std::string reader = limes_test::make_reader(owner, schema);

    // init in a schema the role may not create: refused, exit 4, the role named.
    const std::string other = fresh_schema("roles_other");
    auto r = run_limes({"init", url_with(other, reader)});
    INFO(r.out << r.err);
    CHECK(r.code == 4);
    limes_test::check_contains(r.err, {"does not let role \"" + reader + "\" write here",
                                       "permission denied"});
    CHECK(owner.exec("SELECT 1 FROM pg_namespace WHERE nspname = " + owner.literal(other))
              .rows() == 0);  // nothing half-done

    // Reading works; writing the incidents or the audit is refused (exit 4 material).
    PgConnection db(parse_pg_target(url_with(schema, reader)));
    CHECK(db.role() == reader);
    CHECK(one(db, "SELECT count(*) FROM " + db.table("incidents")) == "0");
    try {
        db.exec("INSERT INTO " + db.table("limes_audit") +
                    " (who, layer, fid, action) VALUES ('forged', 'incidents', 1, 'delete')",
                "forge an audit row");
        FAIL("the read-only role wrote the audit");
    } catch (const limes::core::Error& e) {
        CHECK(e.kind() == limes::core::ErrorKind::Io);
        CHECK_THAT(e.what(), Catch::Contains("forge an audit row") &&
                                 Catch::Contains("does not let role"));
    }
    limes_test::drop_role(owner, reader);
}

TEST_CASE("init: an unreachable server or a file names the workspace without its password",
          "[pg]") {
    auto r = run_limes({"init", "postgresql://ann:s3cret@/nodb?host=/nonexistent-limes-dir"});
    CHECK(r.code == 4);
    CHECK_THAT(r.err, Catch::Contains("cannot connect to PostgreSQL") &&
                          Catch::Contains("ann:***@"));
    CHECK(r.err.find("s3cret") == std::string::npos);

    r = run_limes({"init", "team.gpkg"});
    CHECK(r.code == 2);
    CHECK_THAT(r.err, Catch::Contains("limes import team.gpkg FILE"));

    // clean is for files: a database's triggers and views are its owner's, and it says so
    // (not "no such file"), in both forms, without the password.
    for (const std::string ws : {"postgresql://ann:s3cret@/nodb?host=/nonexistent-limes-dir",
                                 "PG:dbname=nodb password=s3cret"}) {
        r = run_limes({"clean", ws});
        INFO(ws);
        CHECK(r.code == 2);
        CHECK_THAT(r.err, Catch::Contains("limes clean is for GeoPackage files") &&
                              Catch::Contains("belong to the database"));
        CHECK(r.err.find("s3cret") == std::string::npos);
    }
}

TEST_CASE("history: an incident's changes, oldest first, with who, when and each changed value, "
          "by event id or fid",
          "[pg]") {
    const std::string schema = fresh_schema("history");
    const std::string url = url_with(schema);
    REQUIRE(run_limes({"init", url}).code == 0);
    PgConnection owner(parse_pg_target(url));
    const std::string t = owner.table("incidents");
    const std::string ann = "ann_" + schema;
    const std::string s = owner.identifier(schema), a = owner.identifier(ann);
    owner.exec("CREATE ROLE " + a + " LOGIN; GRANT USAGE ON SCHEMA " + s + " TO " + a +
               "; GRANT SELECT, INSERT, UPDATE, DELETE ON " + t + " TO " + a +
               "; GRANT SELECT ON " + owner.table("limes_audit") + " TO " + a);
    owner.exec("INSERT INTO " + t +
               " (geom, event_id_cnty, event_date, event_type, fatalities, notes) VALUES "
               "(ST_SetSRID(ST_MakePoint(46.75, 39.82), 4326), 'SYN-H-1', '2023-09-19', "
               "'Battles', 2, 'first report')");
    const std::string fid(owner.exec("SELECT fid FROM " + t).text(0, 0));
    {
        PgConnection analyst(parse_pg_target(url_with(schema, ann)));
        analyst.exec("UPDATE " + t + " SET fatalities = 5, notes = 'second report'");
        analyst.exec("DELETE FROM " + t);
    }

    for (const std::string& id : {std::string("SYN-H-1"), fid}) {
        auto r = run_limes({"history", url, id});
        INFO(r.out << r.err);
        REQUIRE(r.code == 0);
        limes_test::check_contains(
            r.out, {"history of " + id, "3 changes", "fid " + fid + "  SYN-H-1",
                    "notes: first report → second report; fatalities: 2 → 5"});
        const auto insert = r.out.find("insert"), update = r.out.find("update"),
                   remove = r.out.find("delete");
        CHECK(insert < update);
        CHECK(update < remove);
        CHECK(remove != std::string::npos);
        // who: the owner inserted, the analyst updated and deleted.
        CHECK(r.out.rfind("limes", insert) != std::string::npos);
        CHECK(r.out.substr(update - ann.size() - 8, ann.size() + 8).find(ann) !=
              std::string::npos);
        CHECK(r.out.find("version") == std::string::npos);
    }

    auto r = run_limes({"history", url, "SYN-NOPE"});
    CHECK(r.code == 2);
    CHECK_THAT(r.err, Catch::Contains("no audited change of incident SYN-NOPE"));
    r = run_limes({"history", "no-such-team.gpkg", "1"});
    CHECK(r.code != 0);
    CHECK_THAT(r.err, Catch::Contains("no-such-team.gpkg"));
    owner.exec("DROP OWNED BY " + a + "; DROP ROLE " + a);
}
