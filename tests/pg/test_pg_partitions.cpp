// A team's incidents table partitioned by date (docs/SCALING.md): made beforehand by the
// database's owner with PostgreSQL's declarative partitioning, then `limes init` adds limes'
// indexes, version and audit triggers to it; rows land in their partitions and are versioned
// and audited as in a plain table, and limes' import, export, stats and render work on it. And a table that lacks limes' columns is named, not changed.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <unistd.h>

#include <fstream>
#include <string>

#include "../app/run_limes.hpp"
#include "../geo/support.hpp"
#include "pg_support.hpp"
#include "geo/store/pg_db.hpp"
#include "geo/store/pg_schema.hpp"
#include "geo/store/workspace.hpp"

using limes::geo::PgConnection;
using limes::geo::parse_pg_target;
using limes_test::run_limes;

namespace {

/** The private cluster's URI with a schema of this process's own. */
std::string partition_url(const std::string& stem) {
    return limes_test::cluster_url() + "&schema=" + stem + "_" + std::to_string(::getpid());
}

}  // namespace

TEST_CASE("partitions: an incidents table partitioned by event_date gets limes' triggers from "
          "init, rows in every partition are versioned and audited, and limes imports into it, "
          "writes 60,000 rows without dropping its indexes, and exports, counts and renders "
          "every partition",
          "[pg]") {
    const std::string url = partition_url("parts");
    PgConnection db(parse_pg_target(url));
    const std::string schema = db.identifier(db.target().schema);
    const std::string t = db.table("incidents");
    // The owner's recipe, as docs/SCALING.md gives it: limes init in a template schema once,
    // then the partitioned table LIKE its incidents (the primary key with the partition key
    // in it), a partition a year and a default one.
    const std::string template_url = partition_url("parts_template");
    REQUIRE(run_limes({"init", template_url}).code == 0);
    const std::string like = PgConnection(parse_pg_target(template_url)).table("incidents");
    db.exec("CREATE SCHEMA " + schema + "; CREATE TABLE " + t + " (LIKE " + like +
            " INCLUDING DEFAULTS INCLUDING IDENTITY, PRIMARY KEY (fid, event_date)) "
            "PARTITION BY RANGE (event_date); "
            "CREATE TABLE " + db.table("incidents_2020") + " PARTITION OF " + t +
            " FOR VALUES FROM ('2020-01-01') TO ('2021-01-01'); "
            "CREATE TABLE " + db.table("incidents_2023") + " PARTITION OF " + t +
            " FOR VALUES FROM ('2023-01-01') TO ('2024-01-01'); "
            "CREATE TABLE " + db.table("incidents_other") + " PARTITION OF " + t + " DEFAULT");

    auto r = run_limes({"init", url});
    INFO(r.out << r.err);
    REQUIRE(r.code == 0);
    limes_test::check_contains(r.out, {"created: claims, limes_audit", "kept: incidents"});

    db.exec("INSERT INTO " + t + " (geom, event_id_cnty, event_date, event_type) VALUES "
            "(ST_SetSRID(ST_MakePoint(46.75, 39.82), 4326), 'SYN-P-1', '2020-10-04', 'Battles'), "
            "(ST_SetSRID(ST_MakePoint(46.7, 39.8), 4326), 'SYN-P-2', '2023-09-19', 'Battles'), "
            "(ST_SetSRID(ST_MakePoint(45.0, 40.0), 4326), 'SYN-P-3', '2021-05-12', 'Protests')");
    auto count = [&](const char* part) {
        return std::string(db.exec("SELECT count(*) FROM " + db.table(part)).text(0, 0));
    };
    CHECK(count("incidents_2020") == "1");
    CHECK(count("incidents_2023") == "1");
    CHECK(count("incidents_other") == "1");
    // The GiST index reaches every partition.
    CHECK(std::string(db.exec("SELECT count(*) FROM pg_indexes WHERE schemaname = " +
                              db.literal(db.target().schema) +
                              " AND tablename LIKE 'incidents_%' AND indexdef LIKE "
                              "'%USING gist%'")
                          .text(0, 0)) == "3");

    db.exec("UPDATE " + t + " SET fatalities = 3 WHERE event_id_cnty = 'SYN-P-2'");
    CHECK(std::string(db.exec("SELECT version FROM " + t + " WHERE event_id_cnty = 'SYN-P-2'")
                          .text(0, 0)) == "2");
    // An insert names the range of fids it gave (one statement: one row), each other change
    // its fid.
    const std::string audit =
        db.exec("SELECT string_agg(a.action || ':' || (coalesce(a.after, a.before, "
                "to_jsonb(i))->>'event_id_cnty'), ',' ORDER BY a.id, i.fid) FROM " +
                db.table("limes_audit") + " a LEFT JOIN " + t + " i ON i.fid BETWEEN a.fid AND "
                "coalesce(a.last_fid, a.fid)")
            .text(0, 0)
            .data();
    CHECK(audit == "insert:SYN-P-1,insert:SYN-P-2,insert:SYN-P-3,update:SYN-P-2");
    CHECK(std::string(db.exec("SELECT count(*) || ':' || min(last_fid - fid) FROM " +
                              db.table("limes_audit") + " WHERE action = 'insert'")
                          .text(0, 0)) == "1:2");

    // limes' own commands on the partitioned table. An import: the sample's rows (2022) land
    // in the default partition.
    auto imp = run_limes({"import", url, limes_test::data("acled_2023.csv")});
    INFO(imp.out << imp.err);
    REQUIRE(imp.code == 0);
    CHECK(count("incidents_other") == "9");
    // A large write (over the 50,000 rows at which a write into a small plain table drops its
    // indexes and builds them again at the commit): a partitioned table keeps its indexes (the
    // same ones, the partitions' included), and the rows land in their year's partition.
    auto index_oids = [&] {
        return std::string(db.exec("SELECT string_agg(i.indexrelid::text, ',' ORDER BY "
                                   "i.indexrelid) FROM pg_index i JOIN pg_class c ON c.oid = "
                                   "i.indrelid JOIN pg_namespace n ON n.oid = c.relnamespace "
                                   "WHERE n.nspname = " + db.literal(db.target().schema))
                               .text(0, 0));
    };
    const std::string oids_before = index_oids();
    constexpr int kLarge = 60'000;
    {
        auto ws = limes::geo::Workspace::open(url);
        auto rows = limes_test::synthetic(kLarge, "part");  // all in 2023
        auto w = ws.incidents().write();
        limes_test::append_all(*w, rows);
        w->commit();
    }
    CHECK(count("incidents_2023") == std::to_string(1 + kLarge));
    CHECK(index_oids() == oids_before);
    const int total = 3 + 8 + kLarge;
    // Export (a date range: 2020-2022, three partitions' worth), stats and a render read every
    // partition.
    const std::string out = limes_test::scratch("pg-parts", ".geojson");
    r = run_limes({"export", url, "-o", out, "--from", "2020-01-01", "--to", "2022-12-31"});
    INFO(r.out << r.err);
    REQUIRE(r.code == 0);
    const auto exported = nlohmann::json::parse(limes_test::read_all(out));
    CHECK(exported["features"].size() == 2 + 8);  // SYN-P-1, SYN-P-3 and the sample
    r = run_limes({"stats", url, "--json"});
    REQUIRE(r.code == 0);
    CHECK(nlohmann::json::parse(r.out)["incidents"] == total);
    r = run_limes({"render", url, "-o", out + ".png", "--size", "320x200"});
    INFO(r.err);
    CHECK(r.code == 0);
    CHECK_THAT(r.err, Catch::Contains(std::to_string(total) + " incidents"));
}

TEST_CASE("partitions: a table without limes' columns is named with what it lacks and left as "
          "it was",
          "[pg]") {
    const std::string url = partition_url("lacking");
    PgConnection db(parse_pg_target(url));
    const std::string t = db.table("incidents");
    db.exec("CREATE SCHEMA " + db.identifier(db.target().schema) + "; CREATE TABLE " + t +
            " (fid bigint PRIMARY KEY, geom geometry(Point, 4326), event_date date)");
    auto r = run_limes({"init", url});
    CHECK(r.code == 3);
    CHECK_THAT(r.err, Catch::Contains("lacks limes' columns event_id_cnty") &&
                          Catch::Contains("version") && Catch::Contains("docs/SCALING.md"));
    // Nothing half-done: no claims or audit table, no trigger on the table.
    CHECK(db.exec("SELECT to_regclass(" + db.literal(db.target().schema + ".claims") + ")")
              .is_null(0, 0));
    CHECK(std::string(db.exec("SELECT count(*) FROM pg_trigger WHERE tgrelid = " +
                              db.literal(t) + "::regclass AND NOT tgisinternal")
                          .text(0, 0)) == "0");
}

TEST_CASE("partitions: a column of another type than limes writes is named with both types, by "
          "init and by an import, which writes nothing",
          "[pg]") {
    // limes sends an import's values in PostgreSQL's binary form: a numeric column would read
    // a bigint's eight bytes as another number without an error. Such a table is refused.
    const std::string url = partition_url("mistyped");
    REQUIRE(run_limes({"init", url, "--no-basemap"}).code == 0);
    PgConnection db(parse_pg_target(url));
    const std::string t = db.table("incidents");
    db.exec("ALTER TABLE " + t + " ALTER COLUMN fatalities TYPE numeric(10, 0)");
    auto r = run_limes({"import", url, limes_test::data("acled_2023.csv")});
    INFO(r.out << r.err);
    CHECK(r.code == 3);
    CHECK_THAT(r.err, Catch::Contains("fatalities is numeric (limes writes bigint)"));
    CHECK(std::string(db.exec("SELECT count(*) FROM " + t).text(0, 0)) == "0");
    r = run_limes({"init", url, "--no-basemap"});
    CHECK(r.code == 3);
    CHECK_THAT(r.err, Catch::Contains("fatalities is numeric (limes writes bigint)"));
}
