// The audit trail of a GeoPackage workspace (geo/store/gpkg_audit.hpp) and `limes history` on
// it: who (the OS user), when, and the row before and after, written in the same transaction
// as the change; an import is one record for its fid range.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>
#include <regex>
#include <string>
#include <vector>

#include "../geo/support.hpp"
#include "../geo/support_sqlite.hpp"
#include "geo/store/gpkg_audit.hpp"
#include "geo/store/workspace.hpp"
#include "run_limes.hpp"

using namespace limes;
using limes_test::query;
using limes_test::query_one;
using limes_test::run_limes;

TEST_CASE("gpkg history: imports, edits and deletes are recorded with who and when, and "
          "limes history prints them",
          "[history]") {
    const std::string ws_path = limes_test::scratch("gpkg-history");
    REQUIRE(run_limes({"import", ws_path, limes_test::data("acled_2023.csv")}).code == 0);
    // One record for the whole import: its fid range, the OS user, a UTC time.
    auto rows = query(ws_path, "SELECT action, fid, last_fid, who, at, \"before\" IS NULL, "
                               "\"after\" IS NULL FROM limes_audit");
    REQUIRE(rows.size() == 1);
    CHECK(rows[0] == std::vector<std::string>{"insert", "1", "8", geo::os_user(), rows[0][4],
                                               "1", "1"});
    CHECK(std::regex_match(rows[0][4], std::regex(R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ)")));

    geo::Workspace ws = geo::Workspace::open(ws_path);
    const auto before = ws.read_incidents();
    REQUIRE(before.size() == 8);
    core::Incident edited = before[3];
    edited.notes = "Synthetic second report";
    edited.fatalities = 7;
    {
        auto w = ws.incidents().write();
        w->update(edited);
        w->remove(before[7].fid);
        w->remove(999);  // not stored: nothing deleted, nothing recorded
        w->commit();
    }
    {
        auto w = ws.incidents().write();  // rolled back: neither the change nor its record
        w->remove(before[0].fid);
    }
    CHECK(query_one(ws_path, "SELECT count(*) FROM limes_audit") == "3");
    CHECK(query_one(ws_path, "SELECT json_extract(\"before\", '$.notes') || ' > ' || "
                             "json_extract(\"after\", '$.notes') FROM limes_audit WHERE action "
                             "= 'update'") == before[3].notes + " > Synthetic second report");
    CHECK(query_one(ws_path, "SELECT json_extract(\"before\", '$.event_id_cnty') FROM "
                             "limes_audit WHERE action = 'delete'") == before[7].event_id_cnty);

    // The history of the edited incident, by fid and by event id: insert, then the update
    // with each changed value.
    for (const std::string& id : {std::to_string(before[3].fid), before[3].event_id_cnty}) {
        const auto h = ws.history(id);
        REQUIRE(h.size() == 2);
        CHECK(h[0].action == "insert");
        CHECK(h[0].event_id == before[3].event_id_cnty);
        CHECK(h[0].who == geo::os_user());
        CHECK(h[1].action == "update");
        REQUIRE(h[1].changes.size() == 2);
        CHECK(h[1].changes[0].column == "notes");
        CHECK(h[1].changes[0].after == "Synthetic second report");
        CHECK(h[1].changes[1].column == "fatalities");
        CHECK(h[1].changes[1].after == "7");
    }
    // A deleted incident's history ends with its delete; an untouched one has its insert.
    const auto gone = ws.history(before[7].event_id_cnty);
    REQUIRE(gone.size() == 2);
    CHECK(gone[1].action == "delete");
    const auto untouched = ws.history(std::to_string(before[1].fid));
    REQUIRE(untouched.size() == 1);
    CHECK(untouched[0].event_id == before[1].event_id_cnty);

    auto r = run_limes({"history", ws_path, before[3].event_id_cnty});
    INFO(r.out << r.err);
    REQUIRE(r.code == 0);
    limes_test::check_contains(r.out, {"history of " + before[3].event_id_cnty, "2 changes",
                                       geo::os_user(), "insert", "update",
                                       "→ Synthetic second report", "fatalities: "});
    r = run_limes({"history", ws_path, "SYN-NOPE"});
    CHECK(r.code == 2);
    CHECK_THAT(r.err, Catch::Contains("no audited change of incident SYN-NOPE"));

    // GDAL lists the audit as a table of the GeoPackage, beside the layers.
    const auto names = ws.layer_names();
    CHECK(std::find(names.begin(), names.end(), "limes_audit") != names.end());
    CHECK(query_one(ws_path, "PRAGMA integrity_check") == "ok");
    std::remove(ws_path.c_str());
}

TEST_CASE("gpkg history: a row's audit JSON is valid JSON holding every value, whatever the text",
          "[history]") {
    core::Incident inc;
    inc.fid = 42;
    inc.lon = 46.123456789012345;
    inc.lat = -0.1;
    inc.event_date = *core::parse_date("2023-09-19");
    inc.notes = "Synthetic: \"quoted\", back\\slash, tab\there, line\nbreak, bell\x07, "
                "Ստեփանակերտ / Xankəndi";
    inc.actor1 = "\xff\xfe broken bytes";  // not UTF-8: replaced, never refused
    inc.fatalities = 0;
    inc.source = "";  // empty: null, as the table stores it
    const nlohmann::json j = nlohmann::json::parse(geo::audit_json(inc));
    CHECK(j["fid"] == 42);
    CHECK(j["lon"].get<double>() == inc.lon);  // the shortest text that reads back exactly
    CHECK(j["lat"].get<double>() == inc.lat);
    CHECK(j["event_date"] == "2023-09-19");
    CHECK(j["notes"] == inc.notes);
    CHECK(j["actor1"] == "\xef\xbf\xbd\xef\xbf\xbd broken bytes");  // U+FFFD twice
    CHECK(j["fatalities"] == 0);
    CHECK(j["source"].is_null());
    CHECK(j["time_precision"].is_null());  // an integer column not set
    // One key per column, besides fid and the point.
    CHECK(j.size() == 3 + core::incident_columns().size());
}
