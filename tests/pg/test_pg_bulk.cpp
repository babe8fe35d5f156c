// PostGIS workspaces, the bulk write (issue 16): a write of many rows into a table no larger
// than it drops the spatial, date and covering indexes in its transaction and builds them again at the
// commit. What must hold: the indexes come back as they were (same definitions, valid), a
// rollback leaves the old ones untouched, and the path is not taken where it would block a
// reader or is not the writer's to take (a role that does not own the table). Whether the
// indexes were rebuilt shows in their object ids: a rebuilt index is a new relation.
// Against the private cluster of the "pg" fixture; the incidents are SYNTHETIC.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <exception>
#include <mutex>
#include <random>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

#include "../app/run_limes.hpp"
#include "../geo/support.hpp"
#include "pg_support.hpp"
#include "geo/store/pg_db.hpp"
#include "geo/store/workspace.hpp"

using limes::geo::PgConnection;
using limes::geo::parse_pg_target;
using limes_test::fresh_schema;
using limes_test::one;
using limes_test::run_limes;
using limes_test::url_with;
using limes_test::synthetic;
using limes_test::append_all;

namespace {

constexpr int kRows = 60'000;  // over the writer's 50,000-row threshold

struct Index {
    std::string oid, definition;
    bool valid = false;
};

/** The incidents table's date, spatial and covering indexes: oid, definition, validity. */
std::vector<Index> indexes(PgConnection& db) {
    auto r = db.exec(
        "SELECT i.oid::text, pg_get_indexdef(i.oid), x.indisvalid FROM pg_index x JOIN pg_class "
        "i ON i.oid = x.indexrelid WHERE x.indrelid = $1::regclass AND i.relname IN "
        "('incidents_geom_gist', 'incidents_event_date', 'incidents_marks') ORDER BY i.relname",
        std::vector<limes::geo::PgParam>{db.table("incidents")}, "read the indexes");
    std::vector<Index> out;
    for (int k = 0; k < r.rows(); ++k)
        out.push_back({std::string(r.text(k, 0)), std::string(r.text(k, 1)), r.text(k, 2) == "t"});
    return out;
}

/** Whether every index is valid and has the definition of the one at the same place. */
void same_definitions(const std::vector<Index>& now, const std::vector<Index>& before) {
    REQUIRE(now.size() == 3);
    REQUIRE(before.size() == 3);
    for (std::size_t k = 0; k < 3; ++k) {
        CHECK(now[k].valid);
        CHECK(now[k].definition == before[k].definition);
    }
}

}  // namespace

TEST_CASE("bulk: a large write into an empty table builds its spatial and date indexes at the "
          "commit, and a rollback keeps the old ones",
          "[pg]") {
    // A database of its own: the VACUUM after the commit can mark every page all-visible
    // only when no transaction in the database is older than the rows (the other cases run
    // beside this one).
    const limes_test::OwnDatabase own("limes_bulk", fresh_schema("bulk"));
    const std::string& url = own.url;
    REQUIRE(run_limes({"init", url, "--no-basemap"}).code == 0);
    PgConnection db(parse_pg_target(url));
    // The rolled-back rows below are dead rows for autovacuum to clean up; this case is about
    // the writer, so autovacuum stays out of its way (the writer's lock would cancel it
    // after deadlock_timeout, but a loaded machine should not make that a race).
    db.exec("ALTER TABLE " + db.table("incidents") + " SET (autovacuum_enabled = false)");
    const std::vector<Index> before = indexes(db);
    REQUIRE(before.size() == 3);
    auto ws = limes::geo::Workspace::open(url);

    // Rolled back (the writer goes without a commit): nothing written, the indexes untouched.
    {
        auto rows = synthetic(kRows, "gone");
        auto w = ws.incidents().write();
        append_all(*w, rows);
    }
    CHECK(one(db, "SELECT count(*) FROM " + db.table("incidents")) == "0");
    const std::vector<Index> after_rollback = indexes(db);
    same_definitions(after_rollback, before);
    for (std::size_t k = 0; k < 3; ++k) CHECK(after_rollback[k].oid == before[k].oid);

    // Committed: rebuilt (new relations), the same definitions, and they answer queries.
    auto rows = synthetic(kRows, "kept");
    {
        auto w = ws.incidents().write();
        append_all(*w, rows);
        w->commit();
    }
    const std::vector<Index> built = indexes(db);
    same_definitions(built, before);
    for (std::size_t k = 0; k < 3; ++k) CHECK(built[k].oid != before[k].oid);
    CHECK(one(db, "SELECT count(*) FROM " + db.table("incidents")) == std::to_string(kRows));
    // With sequential scans off, these are answered from the rebuilt indexes; their counts
    // match the rows' own: a grid of 300 columns x 200 rows, 0.01 and 0.005 degrees apart,
    // of which the box holds 50 x 50; the first of January is every 84th row (lcm of 12, 28).
    db.exec("SET enable_seqscan = off");
    CHECK(one(db, "SELECT count(*) FROM " + db.table("incidents") +
                      " WHERE geom && ST_MakeEnvelope(43.995, 38.4975, 44.495, 38.7475, 4326)") ==
          "2500");
    CHECK(one(db, "SELECT count(*) FROM " + db.table("incidents") +
                      " WHERE event_date = DATE '2023-01-01'") ==
          std::to_string(kRows / 84 + (kRows % 84 > 0 ? 1 : 0)));
    // Vacuumed after the commit (autovacuum is off for this table): the visibility map is
    // set, so what a map reads comes from incidents_marks alone, no row of the table visited,
    // and the planner chooses that by itself (sequential scans allowed again).
    {
        CHECK(one(db, "SELECT vacuum_count FROM pg_stat_user_tables WHERE relid = '" +
                          db.table("incidents") + "'::regclass") == "1");
        db.exec("RESET enable_seqscan");
        const std::string text =
            one(db, "EXPLAIN (ANALYZE, FORMAT JSON, TIMING false) SELECT geom, "
                    "event_date, event_type, fatalities, geo_precision, reported_by, status "
                    "FROM " + db.table("incidents") + " ORDER BY fid");
        INFO(text);
        const nlohmann::json plan = nlohmann::json::parse(text).at(0).at("Plan");
        CHECK(plan.value("Node Type", "") == "Index Only Scan");
        CHECK(plan.value("Index Name", "") == "incidents_marks");
        CHECK(plan.value("Heap Fetches", -1) == 0);
    }
    // Analysed in the same commit: the planner knows the table's size at once.
    CHECK(one(db, "SELECT reltuples::bigint FROM pg_class WHERE oid = '" + db.table("incidents") +
                      "'::regclass") == std::to_string(kRows));
    // A scan in two parts (two server processes, one snapshot): every row once, part 0's
    // fids all below part 1's, the points bit for bit as written.
    {
        std::vector<std::vector<std::int64_t>> fids(2);
        std::mutex m;
        std::size_t mismatched = 0;
        std::unordered_map<std::int64_t, const limes::core::Incident*> by_fid;
        for (const auto& r : rows) by_fid[r.fid] = &r;
        const unsigned parts = ws.incidents().scan_parts(
            {}, 2,
            [&](unsigned part, const limes::core::Incident& inc) {
                fids[part].push_back(inc.fid);
                const auto want = by_fid.find(inc.fid);
                if (want == by_fid.end() || inc.lon != want->second->lon ||
                    inc.lat != want->second->lat) {
                    std::lock_guard<std::mutex> lock(m);
                    ++mismatched;
                }
            },
            [] { FAIL("a restart in one snapshot"); });
        CHECK(parts == 2);
        REQUIRE_FALSE(fids[0].empty());
        REQUIRE_FALSE(fids[1].empty());
        CHECK(fids[0].size() + fids[1].size() == static_cast<std::size_t>(kRows));
        CHECK(std::is_sorted(fids[0].begin(), fids[0].end()));
        CHECK(std::is_sorted(fids[1].begin(), fids[1].end()));
        CHECK(fids[0].back() < fids[1].front());
        CHECK(mismatched == 0);
    }
    // A map's pass (IncidentQuery::keys false, as select_marks asks): the server sends no
    // fid or version (left 0), and the points and drawn columns are the rows', in fid order.
    {
        std::vector<const limes::core::Incident*> in_order;
        for (const auto& r : rows) in_order.push_back(&r);
        std::sort(in_order.begin(), in_order.end(),
                  [](const auto* a, const auto* b) { return a->fid < b->fid; });
        limes::geo::IncidentQuery marks;
        marks.columns = limes::core::IncidentColumns::drawn();
        marks.keys = false;
        std::size_t n = 0, keyed = 0, mismatched = 0;
        limes::core::Incident inc;
        for (auto c = ws.incidents().query(marks); c->next(inc); ++n) {
            if (inc.fid != 0 || inc.version != 0) ++keyed;
            const limes::core::Incident* want = n < in_order.size() ? in_order[n] : nullptr;
            if (!want || inc.lon != want->lon || inc.lat != want->lat ||
                inc.event_date != want->event_date || inc.event_type != want->event_type ||
                inc.fatalities != want->fatalities)
                ++mismatched;
        }
        CHECK(n == static_cast<std::size_t>(kRows));
        CHECK(keyed == 0);
        CHECK(mismatched == 0);
    }
    // The audit has each row, as for any insert: every fid in exactly one insert's range, and
    // one audit row per COPY of consecutive fids, not per row.
    const std::string audit = db.table("limes_audit");
    CHECK(one(db, "SELECT count(*) FROM " + db.table("incidents") + " i WHERE (SELECT count(*) "
                  "FROM " + audit + " a WHERE a.action = 'insert' AND i.fid BETWEEN a.fid AND "
                  "a.last_fid) <> 1") == "0");
    CHECK(one(db, "SELECT sum(last_fid - fid + 1) FROM " + audit + " WHERE action = 'insert'") ==
          std::to_string(kRows));
    CHECK(std::stoi(one(db, "SELECT count(*) FROM " + audit)) < kRows / 1000);
}

TEST_CASE("bulk: not while someone reads the table, nor for a role that does not own it, nor "
          "into a larger table: the rows go through the indexes",
          "[pg]") {
    const std::string schema = fresh_schema("bulk_not");
    const std::string url = url_with(schema);
    REQUIRE(run_limes({"init", url, "--no-basemap"}).code == 0);
    PgConnection db(parse_pg_target(url));
    const std::vector<Index> before = indexes(db);
    REQUIRE(before.size() == 3);
    auto unchanged = [&] {
        const std::vector<Index> now = indexes(db);
        same_definitions(now, before);
        for (std::size_t k = 0; k < 3; ++k) CHECK(now[k].oid == before[k].oid);
    };

    SECTION("a reader's open transaction") {
        PgConnection reader(parse_pg_target(url));
        reader.exec("BEGIN; SELECT count(*) FROM " + reader.table("incidents"));
        auto ws = limes::geo::Workspace::open(url);
        auto rows = synthetic(kRows, "read");
        auto w = ws.incidents().write();
        append_all(*w, rows);
        w->commit();  // not blocked by the reader, and the reader never by the writer
        reader.exec("COMMIT");
        unchanged();
        CHECK(one(db, "SELECT count(*) FROM " + db.table("incidents")) == std::to_string(kRows));
    }
    SECTION("an editor that may insert but does not own the table") {
        const std::string editor = "editor_" + schema;
        db.exec("CREATE ROLE " + db.identifier(editor) + " LOGIN; GRANT USAGE ON SCHEMA " +
                db.identifier(schema) + " TO " + db.identifier(editor) +
                "; GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA " +
                db.identifier(schema) + " TO " + db.identifier(editor) +
                "; GRANT USAGE ON ALL SEQUENCES IN SCHEMA " + db.identifier(schema) + " TO " +
                db.identifier(editor));
        {
            auto ws = limes::geo::Workspace::open(url_with(schema, editor));
            auto rows = synthetic(kRows, "edit");
            auto w = ws.incidents().write();
            append_all(*w, rows);
            w->commit();
        }
        unchanged();
        CHECK(one(db, "SELECT count(*) FROM " + db.table("incidents")) == std::to_string(kRows));
        CHECK(one(db, "SELECT min(who) FROM " + db.table("limes_audit")) == editor);
        limes_test::drop_role(db, editor);
    }
    SECTION("a table already larger than the write") {
        auto ws = limes::geo::Workspace::open(url);
        // The rows already there, put in by SQL (the writer's own large write is the other
        // test case's; this one is about the second write).
        db.exec("INSERT INTO " + db.table("incidents") +
                " (geom, event_id_cnty, event_date) SELECT ST_SetSRID(ST_MakePoint(44 + (i % 300)"
                " * 0.01, 38.5 + (i / 300) * 0.005), 4326), 'BULK-first-' || i, DATE '2023-01-01'"
                " FROM generate_series(0, " + std::to_string(kRows - 1) + ") i");
        db.exec("ANALYZE " + db.table("incidents"));  // as autovacuum would: its size known
        const std::vector<Index> then = indexes(db);
        auto second = synthetic(kRows - 1000, "second");
        {
            auto w = ws.incidents().write();
            append_all(*w, second);
            w->commit();
        }
        const std::vector<Index> now = indexes(db);
        same_definitions(now, before);
        CHECK(now[0].oid == then[0].oid);
        CHECK(now[1].oid == then[1].oid);
        CHECK(one(db, "SELECT count(*) FROM " + db.table("incidents")) ==
              std::to_string(2 * kRows - 1000));
    }
}

TEST_CASE("midway: an import whose connection is cut in its 13th batch of rows leaves the "
          "table, its indexes and the audit as they were, and says so with exit 4",
          "[pg][release]") {
    const std::string schema = fresh_schema("midway");
    const std::string url = url_with(schema);
    REQUIRE(run_limes({"init", url, "--no-basemap"}).code == 0);
    REQUIRE(run_limes({"import", url, limes_test::data("acled_2023.csv")}).code == 0);
    PgConnection db(parse_pg_target(url));
    const std::string incidents = db.table("incidents"), audit = db.table("limes_audit");
    const std::string rows_before = one(db, "SELECT count(*) FROM " + incidents);
    const std::string audit_before = one(db, "SELECT count(*) FROM " + audit);
    const std::vector<Index> before = indexes(db);
    // Row 50,000 of 60,000 (in the 13th of the importer's batches of 4,096) stalls in a
    // BEFORE trigger of the test's, which fires as that row is inserted, the rows before it
    // already in the table in the import's transaction; the importing backend is terminated
    // there, as a server's restart or a broken network would end it. The trigger first
    // makes sure the bulk write's index drop has happened (else the import fails with the
    // trigger's own message, and the case with it).
    const std::string stall = db.identifier(schema) + ".stall";
    db.exec("CREATE FUNCTION " + stall +
            "() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN IF (SELECT count(*) FROM pg_index x "
            "JOIN pg_class i ON i.oid = x.indexrelid WHERE x.indrelid = TG_RELID AND i.relname "
            "IN ('incidents_geom_gist', 'incidents_event_date', 'incidents_marks')) > 0 THEN "
            "RAISE EXCEPTION 'the bulk write has not dropped its indexes'; END IF; PERFORM "
            "pg_sleep(600); RETURN NEW; END $$; CREATE TRIGGER stall BEFORE INSERT ON " +
            incidents + " FOR EACH ROW WHEN (NEW.event_id_cnty = 'MIDWAY-50000') EXECUTE FUNCTION " +
            stall + "()");
    const std::string csv = limes_test::synthetic_acled_csv(kRows, "MIDWAY-");
    REQUIRE(!csv.empty());
    std::atomic<bool> cut{false}, done{false};
    std::exception_ptr watch_error;
    std::thread watcher([&] {
        try {
            PgConnection w(parse_pg_target(url));
            while (!cut && !done) {
                auto r = w.exec(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE wait_event = "
                    "'PgSleep' AND starts_with(query, $1)",
                    std::vector<limes::geo::PgParam>{"COPY " + incidents}, "cut the import");
                if (r.rows() > 0 && r.text(0, 0) == "t")
                    cut = true;
                else
                    std::this_thread::sleep_for(std::chrono::milliseconds(20));
            }
        } catch (...) {
            watch_error = std::current_exception();
        }
    });
    const auto r = run_limes({"import", url, csv});
    done = true;
    watcher.join();
    if (watch_error) std::rethrow_exception(watch_error);
    INFO(r.out << r.err);
    REQUIRE(cut);
    CHECK(r.code == 4);
    // libpq's first line only: the server's "terminating connection due to administrator
    // command" when it got to read it, else its own "server closed the connection
    // unexpectedly" (which one depends on where the client was in sending its COPY).
    CHECK_THAT(r.err, Catch::Contains("write the new incidents: ") &&
                          Catch::Contains("the connection broke before the commit: the server "
                                          "rolls the transaction back: nothing of this write "
                                          "is stored") &&
                          !Catch::Contains("This probably means"));
    CHECK(one(db, "SELECT count(*) FROM " + incidents) == rows_before);
    CHECK(one(db, "SELECT count(*) FROM " + audit) == audit_before);
    CHECK(one(db, "SELECT count(*) FROM " + incidents + " WHERE event_id_cnty LIKE 'MIDWAY-%'") ==
          "0");
    // The bulk write had dropped the indexes in its transaction: the same ones are back (the
    // same relations, not new ones built again).
    const std::vector<Index> after = indexes(db);
    same_definitions(after, before);
    for (std::size_t k = 0; k < after.size() && k < before.size(); ++k)
        CHECK(after[k].oid == before[k].oid);
    db.exec("DROP SCHEMA " + db.identifier(schema) + " CASCADE");
}

TEST_CASE("covering index: a drawn text column too long for incidents_marks is refused with "
          "the incident's id and the column, and nothing of the write lands",
          "[pg]") {
    const std::string schema = fresh_schema("long_text");
    const std::string url = url_with(schema);
    REQUIRE(run_limes({"init", url, "--no-basemap"}).code == 0);
    PgConnection db(parse_pg_target(url));
    auto ws = limes::geo::Workspace::open(url);
    auto rows = synthetic(3, "long");
    rows[2].reported_by = std::string(900, 'x');  // SYNTHETIC, past the 800 bytes it takes
    {
        auto w = ws.incidents().write();
        try {
            w->append(rows.data(), rows.size());
            FAIL("the write went through");
        } catch (const limes::core::DataError& e) {
            const std::string what = e.what();
            INFO(what);
            CHECK(what.find("BULK-long-2") != std::string::npos);
            CHECK(what.find("reported_by") != std::string::npos);
            CHECK(what.find("900 bytes") != std::string::npos);
        }
    }
    CHECK(one(db, "SELECT count(*) FROM " + db.table("incidents")) == "0");
    // 800 bytes in each of the three go in (text that does not compress: the index entry
    // holds all three, and must stay within PostgreSQL's 2,704 bytes), and read back whole.
    std::mt19937 random(7);
    auto noise = [&] {
        std::string out(800, ' ');
        for (char& c : out) c = static_cast<char>('!' + random() % 90);
        return out;
    };
    rows[2].event_type = noise();
    rows[2].reported_by = noise();
    rows[2].status = noise();
    {
        auto w = ws.incidents().write();
        w->append(rows.data(), rows.size());
        w->commit();
    }
    CHECK(one(db, "SELECT count(*) FROM " + db.table("incidents") +
                      " WHERE octet_length(event_type) = 800 AND octet_length(reported_by) = 800 "
                      "AND octet_length(status) = 800") == "1");
}
