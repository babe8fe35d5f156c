// The window's data path at unit scale, against the plain paths it replaces: the columns the
// loader fills (app/incident_loader) hold what Workspace::read_incidents returns; the window's
// filter (ui::ViewerState::refilter, per-value tables over the columns) selects what
// core::Filter::accepts selects on whole rows; saving only the edits leaves the file a whole
// GeoPackage with exactly the edited rows; notes search and GeoJSON of the visible rows match
// plain scans. All rows are synthetic.
#include <catch2/catch.hpp>

#include <algorithm>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <random>
#include <set>
#include <sstream>

#include "../geo/support.hpp"
#include "../geo/support_sqlite.hpp"
#include "app/autosave.hpp"
#include "app/incident_loader.hpp"
#include "core/error.hpp"
#include "core/filter.hpp"
#include "geo/geometry/projection.hpp"
#include "geo/ops/exporter.hpp"
#include "geo/store/edits.hpp"
#include "geo/store/workspace.hpp"
#include "run_limes.hpp"
#include "ui/viewer_state.hpp"

using namespace limes;
using limes_test::check_incidents_table;
using limes_test::query_one;
using limes_test::scratch;
using Text = core::IncidentStore::Text;

namespace {

const std::vector<std::string> kReporters = {"Synthetic MoD A", "Synthetic MoD B",
                                             "Synthetic monitor", ""};
const std::vector<std::string> kStatuses = {"reported", "confirmed", "disputed"};
const std::vector<std::string> kActors = {"Synthetic Army", "Synthetic Border Guard",
                                          "Civilians (Synthetic)", "Unidentified armed group", ""};

/** A workspace of n synthetic incidents, deterministic. */
std::string synthetic_workspace(int n, unsigned seed = 7) {
    const std::string path = scratch("viewer-data");
    std::mt19937 rng(seed);
    auto pick = [&](const auto& v) { return v[rng() % v.size()]; };
    std::vector<core::Incident> rows;
    for (int i = 0; i < n; ++i) {
        core::Incident inc;
        inc.lon = 44.0 + (rng() % 40000) / 10000.0;
        inc.lat = 38.5 + (rng() % 30000) / 10000.0;
        inc.event_date = core::Date{19000 + static_cast<std::int32_t>(rng() % 400)};
        inc.event_id_cnty = "SYN-" + std::to_string(i);
        inc.event_type = std::string(core::kEventTypes[rng() % core::kEventTypes.size()]);
        inc.reported_by = pick(kReporters);
        inc.status = pick(kStatuses);
        inc.actor1 = pick(kActors);
        inc.actor2 = pick(kActors);
        inc.location = "Synthville " + std::to_string(rng() % 50);
        inc.source = "Synthetic source " + std::to_string(rng() % 5);
        inc.notes =
            "Synthetic row " + std::to_string(i) + (rng() % 7 == 0 ? " mentions SHELLING" : "");
        if (rng() % 5) inc.fatalities = static_cast<std::int64_t>(rng() % 30);
        inc.geo_precision = static_cast<std::int64_t>(rng() % 3 + 1);
        rows.push_back(inc);
    }
    geo::Workspace ws = geo::Workspace::create(path);
    auto writer = ws.incidents().write();
    writer->append(rows);
    writer->commit();
    return path;
}

/** Loaded as the window loads: on the loader's thread, whole rows read back on demand. */
app::LoadedIncidents load(const std::string& path, double ox = 0, double oy = 0) {
    auto ws = std::make_shared<geo::Workspace>(geo::Workspace::open(path));
    app::IncidentLoader loader(*ws, geo::kDefaultMapCrs, ox, oy);
    app::LoadedIncidents loaded = loader.take();
    CHECK(loader.done());
    CHECK(loader.fraction() == 1.0);
    loaded.store.set_fetch(geo::fetch_from(ws, path));
    return loaded;
}

/** The window's Save on the workspace at path. */
std::size_t save_edits(const std::string& path, core::IncidentStore& store) {
    geo::Workspace ws = geo::Workspace::open(path);
    return geo::save_edits(ws.incidents(), store);
}

/** A ViewerState over the workspace, loaded as the window loads it. */
ui::ViewerState state_of(const std::string& path) {
    ui::ViewerState st;
    st.workspace_path = path;
    st.incidents = load(path).store;
    st.reset_time_range();
    return st;
}

}  // namespace

TEST_CASE("viewer data: the loader's columns hold what read_incidents returns", "[viewer_data]") {
    const std::string path = synthetic_workspace(3000);
    const auto plain = geo::Workspace::open(path).read_incidents();
    const app::LoadedIncidents loaded = load(path, 1000.0, -2000.0);
    const core::IncidentStore& st = loaded.store;
    REQUIRE(st.size() == plain.size());
    REQUIRE(loaded.positions.size() == plain.size());
    const geo::Projector proj;
    for (std::size_t i = 0; i < plain.size(); ++i) {
        const core::IncidentMark expected = core::mark_of(plain[i]);
        const core::IncidentMark& m = st.marks()[i];
        REQUIRE(m.lon == expected.lon);
        REQUIRE(m.lat == expected.lat);
        REQUIRE(m.days == expected.days);
        REQUIRE(m.type == expected.type);
        REQUIRE(m.fatalities == expected.fatalities);
        REQUIRE(m.geo_precision == expected.geo_precision);
        REQUIRE(st.fid(i) == plain[i].fid);
        REQUIRE(st.text(Text::ReportedBy, i) == plain[i].reported_by);
        REQUIRE(st.text(Text::Status, i) == plain[i].status);
        REQUIRE(st.text(Text::Actor1, i) == plain[i].actor1);
        REQUIRE(st.text(Text::Actor2, i) == plain[i].actor2);
        REQUIRE(st.text(Text::Location, i) == plain[i].location);
        REQUIRE(st.text(Text::Source, i) == plain[i].source);
        double x, y;
        proj.forward(plain[i].lon, plain[i].lat, x, y);
        REQUIRE(loaded.positions[i].x == Approx(x - 1000.0).margin(0.01));
        REQUIRE(loaded.positions[i].y == Approx(y + 2000.0).margin(0.01));
    }
    // Whole rows come back from the file on demand, every column.
    for (std::size_t i : {std::size_t{0}, std::size_t{1234}, plain.size() - 1}) {
        CHECK(st.row(i).notes == plain[i].notes);
        CHECK(st.row(i).event_id_cnty == plain[i].event_id_cnty);
    }
    // At 3,000 rows the columns are a small fraction of whole rows in memory.
    CHECK(st.bytes() < plain.size() * 200);
}

TEST_CASE("viewer data: the window's filter selects what core::Filter selects", "[viewer_data]") {
    const std::string path = synthetic_workspace(3000);
    const auto plain = geo::Workspace::open(path).read_incidents();
    ui::ViewerState st = state_of(path);
    REQUIRE(st.visible.size() == plain.size());  // everything at first
    std::mt19937 rng(11);
    for (int round = 0; round < 40; ++round) {
        // Random settings of every filter the window has.
        st.types_off.clear();
        st.reported_by_off.clear();
        st.status_off.clear();
        for (auto t : core::kEventTypes)
            if (rng() % 3 == 0) st.types_off.emplace_back(t);
        for (const auto& r : kReporters)
            if (rng() % 3 == 0) st.reported_by_off.push_back(r);
        for (const auto& s : kStatuses)
            if (rng() % 4 == 0) st.status_off.push_back(s);
        st.range_from = st.span_from + static_cast<std::int32_t>(rng() % 200);
        st.range_to = st.range_from + static_cast<std::int32_t>(rng() % 250);
        st.min_fatalities = rng() % 2 ? 0 : static_cast<int>(rng() % 20);
        st.actor_search =
            rng() % 2 ? ""
                      : std::vector<std::string>{"army", "GUARD", "synthetic", "zzz"}[rng() % 4];
        st.refilter();

        // The same selection as a plain core::Filter on whole rows.
        core::Filter f;
        f.from = core::Date{st.range_from};
        f.to = core::Date{st.range_to};
        for (auto t : core::kEventTypes)
            if (std::find(st.types_off.begin(), st.types_off.end(), std::string(t)) ==
                st.types_off.end())
                f.types.emplace_back(t);
        for (const auto& r : kReporters)
            if (std::find(st.reported_by_off.begin(), st.reported_by_off.end(), r) ==
                st.reported_by_off.end())
                f.reported_by.push_back(r);
        for (const auto& s : kStatuses)
            if (std::find(st.status_off.begin(), st.status_off.end(), s) == st.status_off.end())
                f.statuses.push_back(s);
        f.min_fatalities = st.min_fatalities;
        f.actor = st.actor_search;
        std::vector<std::uint32_t> expected;
        for (std::size_t i = 0; i < plain.size(); ++i) {
            // core::Filter reads an empty list as "no test": nothing kept means nothing passes.
            const bool none_kept = f.types.empty() || f.reported_by.empty() || f.statuses.empty();
            if (!none_kept && f.accepts(plain[i]))
                expected.push_back(static_cast<std::uint32_t>(i));
        }
        INFO("round " << round);
        REQUIRE(st.visible == expected);
    }
}

TEST_CASE("viewer data: saving writes just the edits, and the file stays a whole GeoPackage",
          "[viewer_data]") {
    const std::string path = synthetic_workspace(2000);
    const auto original = geo::Workspace::open(path).read_incidents();
    ui::ViewerState st = state_of(path);
    core::Incident changed = st.incidents.row(10);
    changed.notes = "Synthetic row, edited in the window";
    changed.event_type = "Riots";
    st.change(10, changed);
    const std::string removed_id = st.incidents.row(20).event_id_cnty;
    st.remove(20);
    core::Incident fresh = st.incidents.row(30);
    fresh.event_id_cnty.clear();  // the window names it
    fresh.location = "Synthetic new place";
    st.add(fresh);
    REQUIRE(st.incidents.live() == 2000);

    REQUIRE(save_edits(path, st.incidents) == 3);
    CHECK(st.incidents.unsaved().empty());
    check_incidents_table(path);
    auto saved = geo::Workspace::open(path).read_incidents();
    REQUIRE(saved.size() == 2000);
    std::map<std::string, core::Incident> by_id;
    for (const auto& inc : saved) by_id[inc.event_id_cnty] = inc;
    CHECK(by_id.size() == 2000);  // no id twice
    CHECK(by_id.count(removed_id) == 0);
    REQUIRE(by_id.count(changed.event_id_cnty) == 1);
    CHECK(by_id[changed.event_id_cnty].notes == "Synthetic row, edited in the window");
    CHECK(by_id[changed.event_id_cnty].event_type == "Riots");
    const std::string new_id = st.incidents.row(2000).event_id_cnty;
    CHECK(new_id.rfind("LOCAL-", 0) == 0);
    REQUIRE(by_id.count(new_id) == 1);
    CHECK(by_id[new_id].location == "Synthetic new place");
    // Every other row exactly as before: same fid, same notes, same place.
    for (const auto& inc : original) {
        if (inc.event_id_cnty == changed.event_id_cnty || inc.event_id_cnty == removed_id) continue;
        REQUIRE(by_id.count(inc.event_id_cnty) == 1);
        const core::Incident& now = by_id[inc.event_id_cnty];
        REQUIRE(now.fid == inc.fid);
        REQUIRE(now.notes == inc.notes);
        REQUIRE(now.lon == inc.lon);
    }

    // Undo after the save brings the removed row back; the next save writes it again.
    REQUIRE(st.undo());  // the add
    REQUIRE(st.undo());  // the removal
    CHECK(save_edits(path, st.incidents) == 2);
    check_incidents_table(path);
    saved = geo::Workspace::open(path).read_incidents();
    CHECK(saved.size() == 2000);
    std::set<std::string> ids;
    for (const auto& inc : saved) ids.insert(inc.event_id_cnty);
    CHECK(ids.count(removed_id) == 1);
    CHECK(ids.count(new_id) == 0);
}

TEST_CASE("viewer data: an incident edited and saved keeps its id, and exports carry the same ids",
          "[viewer_data][ids]") {
    const std::string path = synthetic_workspace(300);
    // feature id -> event id of an export through the command line, as a user would make it.
    auto export_ids = [&] {
        const limes_test::Result r = limes_test::run_limes({"export", path, "-o", "-"});
        INFO(r.err);
        REQUIRE(r.code == 0);
        std::map<std::int64_t, std::string> ids;
        const nlohmann::json doc = nlohmann::json::parse(r.out);
        for (const auto& f : doc["features"])
            ids[f["id"].get<std::int64_t>()] = f["properties"]["event_id_cnty"].get<std::string>();
        return ids;
    };
    const auto before = export_ids();
    REQUIRE(before.size() == 300);
    ui::ViewerState st = state_of(path);
    for (std::size_t i : {std::size_t{5}, std::size_t{150}, std::size_t{299}}) {
        core::Incident edited = st.incidents.row(i);
        edited.notes = "Synthetic, edited in the window";
        edited.lon += 0.01;  // moved too
        st.change(i, edited);
    }
    const std::int64_t fid5 = st.incidents.fid(5);
    REQUIRE(save_edits(path, st.incidents) == 3);
    CHECK(st.incidents.fid(5) == fid5);
    const auto after = export_ids();
    CHECK(after == before);  // every feature id names the same incident as before the save
    const auto saved = geo::Workspace::open(path).read_incidents();
    for (const auto& inc : saved)
        if (inc.fid == fid5) CHECK(inc.notes == "Synthetic, edited in the window");
}

TEST_CASE("viewer data: a save that fails midway leaves the file and the edits as they were",
          "[viewer_data]") {
    const std::string path = synthetic_workspace(500);
    ui::ViewerState st = state_of(path);
    st.remove(3);
    core::Incident changed = st.incidents.row(7);
    changed.notes = "Synthetic, edited";
    st.change(7, changed);
    const std::string before = query_one(
        path, "SELECT count(*) || ':' || sum(fid) || ':' || total(length(notes)) FROM incidents");
    // Inserts fail (after the save has deleted the removed and the changed row's old copy).
    auto exec = [&](const std::string& sql) {
        sqlite3* db = nullptr;
        REQUIRE(sqlite3_open(path.c_str(), &db) == SQLITE_OK);
        REQUIRE(sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr) == SQLITE_OK);
        sqlite3_close(db);
    };
    // A unique index whose one key the edited row would share with row 0 (not a trigger:
    // limes refuses to write to a workspace with a foreign one at all).
    exec("CREATE UNIQUE INDEX synthetic_failure ON incidents((1)) WHERE notes = "
         "'Synthetic, edited' OR fid = " +
         std::to_string(st.incidents.row(0).fid));
    CHECK_THROWS_WITH(save_edits(path, st.incidents), Catch::Contains("UNIQUE constraint"));
    exec("DROP INDEX synthetic_failure");
    CHECK(st.incidents.unsaved() == std::vector<std::uint32_t>{3, 7});
    CHECK(query_one(
              path,
              "SELECT count(*) || ':' || sum(fid) || ':' || total(length(notes)) FROM incidents") ==
          before);
    check_incidents_table(path);
    CHECK(save_edits(path, st.incidents) == 2);
    CHECK(query_one(path, "SELECT count(*) FROM incidents") == "499");
    check_incidents_table(path);
}

TEST_CASE("viewer data: notes search and GeoJSON of the visible rows match plain scans",
          "[viewer_data]") {
    const std::string path = synthetic_workspace(2000);
    const auto plain = geo::Workspace::open(path).read_incidents();
    std::vector<std::int64_t> expected;
    for (const auto& inc : plain)
        if (inc.notes.find("SHELLING") != std::string::npos) expected.push_back(inc.fid);
    REQUIRE(!expected.empty());
    geo::Workspace ws = geo::Workspace::open(path);
    geo::IncidentTable& table = ws.incidents();
    CHECK(table.find("notes", "shelling", geo::TextMatch::Contains) ==
          expected);  // ASCII case ignored
    CHECK(table.find("notes", "no such words", geo::TextMatch::Contains).empty());
    CHECK(table.find("event_id_cnty", "SYN-17", geo::TextMatch::Equals).size() == 1);
    CHECK(table.find("event_id_cnty", "SYN-999999", geo::TextMatch::Equals).empty());

    ui::ViewerState st = state_of(path);
    st.types_off = {"Battles"};
    st.refilter();
    core::Incident edited = st.incidents.row(st.visible[3]);
    edited.notes = "Synthetic, edited before export";
    st.change(st.visible[3], edited);
    std::ostringstream out;
    const long long n = geo::write_rows_geojson(table, st.incidents, st.visible, out);
    CHECK(n == static_cast<long long>(st.visible.size()));
    const auto doc = nlohmann::json::parse(out.str());
    REQUIRE(doc["features"].size() == st.visible.size());
    std::set<std::string> ids, want;
    for (const auto& f : doc["features"]) {
        ids.insert(f["properties"]["event_id_cnty"].get<std::string>());
        CHECK(f["properties"]["event_type"] != "Battles");
        if (f["properties"]["event_id_cnty"] == edited.event_id_cnty)
            CHECK(f["properties"]["notes"] == "Synthetic, edited before export");
    }
    for (const std::uint32_t i : st.visible) want.insert(st.incidents.row(i).event_id_cnty);
    CHECK(ids == want);
}

TEST_CASE("viewer data: the autosave holds the unsaved edits, every column, and reads back",
          "[viewer_data]") {
    const std::string path = synthetic_workspace(300);
    ui::ViewerState st = state_of(path);
    core::Incident changed = st.incidents.row(4);
    changed.notes = "Synthetic, edited: \"quoted\", ünïcode, Սինթետիկ";
    changed.fatalities.reset();
    st.change(4, changed);
    st.remove(9);
    core::Incident fresh = st.incidents.row(12);
    fresh.event_id_cnty = "SYN-AUTOSAVE-1";
    st.add(fresh);
    app::write_autosave(path, st.incidents);
    const auto a = app::read_autosave(path);
    REQUIRE(a);
    REQUIRE(a->edits.size() == 3);
    CHECK(a->edits[0].fid == st.incidents.fid(4));
    CHECK_FALSE(a->edits[0].removed);
    CHECK(a->edits[0].row.notes == changed.notes);
    CHECK_FALSE(a->edits[0].row.fatalities.has_value());
    CHECK(a->edits[0].row.event_date == changed.event_date);
    CHECK(a->edits[0].row.lon == changed.lon);
    for (const auto& c : core::incident_columns())
        if (c.type == core::ColumnType::Text) CHECK(a->edits[0].row.*c.text == changed.*c.text);
    CHECK(a->edits[1].fid == st.incidents.fid(9));
    CHECK(a->edits[1].removed);
    CHECK(a->edits[2].fid == 0);
    CHECK(a->edits[2].row.event_id_cnty == "SYN-AUTOSAVE-1");

    // Saved: nothing left to autosave, and the file goes.
    save_edits(path, st.incidents);
    app::write_autosave(path, st.incidents);
    CHECK_FALSE(app::read_autosave(path));

    // A damaged autosave is reported with its name, not taken for edits.
    {
        std::ofstream(app::autosave_path(path))
            << "{\"format\": \"limes-autosave\", \"edits\": [{\"fid\": \"x\"}]}";
    }
    try {
        app::read_autosave(path);
        FAIL("no error");
    } catch (const core::DataError& e) {
        CHECK_THAT(e.what(), Catch::Contains(app::autosave_path(path)));
    }
    app::remove_autosave(path);
}
