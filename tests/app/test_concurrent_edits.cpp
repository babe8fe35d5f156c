// No lost updates: the window (app::Session, driven here without a display) and another
// writer on one workspace (`limes import`, plain SQL as another program would) in both orders.
// The window notices the commit, reads the file again and keeps its unsaved edits on top; a row
// changed on both sides is a conflict the user decides. All data synthetic.
#include <catch2/catch.hpp>
#include <sqlite3.h>

#include <fstream>
#include <sstream>
#include <string>

#include "../geo/support.hpp"
#include "../geo/support_sqlite.hpp"
#include "app/session.hpp"
#include "geo/formats/gdal_util.hpp"
#include "run_limes.hpp"
#include "session_support.hpp"

using limes_test::query_one;
using limes_test::run_limes;
using limes_test::scratch;
using limes_test::Window;
using limes_test::row_of;
namespace app = limes::app;
namespace core = limes::core;

namespace {

/** SQL by another program: GDAL's GeoPackage driver (its connection has the functions the
 *  R-tree triggers call), a connection of its own, committed when closed. */
void sql(const std::string& path, const std::string& text) {
    INFO(text);
    auto ds = limes::geo::open_vector(path, true);
    CPLErrorReset();
    OGRLayer* r = ds->ExecuteSQL(text.c_str(), nullptr, nullptr);
    if (r) ds->ReleaseResultSet(r);
    REQUIRE(CPLGetLastErrorType() < CE_Failure);
}

/** A workspace of the 8 synthetic incidents of tests/data/acled_2023.csv. */
std::string workspace(const std::string& stem) {
    const std::string path = scratch(stem);
    std::remove(path.c_str());
    REQUIRE(run_limes({"import", path, limes_test::data("acled_2023.csv")}).code == 0);
    return path;
}

/** A CSV of n synthetic ACLED rows with ids SYN-<tag>-k. */
std::string rows_csv(const std::string& tag, int n) {
    const std::string path = scratch("concurrent-" + tag, ".csv");
    std::ofstream out(path);
    out << "event_id_cnty,event_date,year,time_precision,disorder_type,event_type,"
           "sub_event_type,actor1,assoc_actor_1,inter1,actor2,assoc_actor_2,inter2,interaction,"
           "civilian_targeting,iso,region,country,admin1,admin2,admin3,location,latitude,"
           "longitude,geo_precision,source,source_scale,notes,fatalities,tags,timestamp\n";
    for (int k = 1; k <= n; ++k)
        out << "SYN-" << tag << "-" << k
            << ",2023-03-0" << k
            << ",2023,1,Political violence,Battles,Armed clash,Synthetic A,,1,Synthetic B,,1,11,,"
               "51,Caucasus,Armenia,Syunik,,,Goris,39.5,46.3,1,Synthetic,National,synthetic "
               "row,0,,0\n";
    return path;
}

std::string notes_in_file(const std::string& ws, const std::string& id) {
    return query_one(ws, "SELECT notes FROM incidents WHERE event_id_cnty = '" + id + "'");
}

}  // namespace

TEST_CASE("concurrent: an import while the window has unsaved edits loses neither",
          "[concurrent][session]") {
    const std::string ws = workspace("concurrent-import");
    Window w(ws);
    REQUIRE(w.s.state.incidents.live() == 8);
    CHECK_FALSE(w.frame());  // nothing changed yet: no reload

    const std::string first_id = w.s.state.incidents.row(0).event_id_cnty;
    w.edit_notes(first_id, "synthetic: edited in the window");
    core::Incident made = w.s.state.incidents.row(1);
    made.event_id_cnty = "SYN-WINDOW-1";
    made.fid = 0;
    w.s.state.add(made);

    // Another writer lands two rows while the edits are unsaved.
    const std::string csv = rows_csv("IMPORT", 2);
    REQUIRE(run_limes({"import", ws, csv}).code == 0);
    CHECK(w.frame());  // noticed and read again
    CHECK(w.s.state.incidents.live() == 11);
    CHECK(row_of(w.s, "SYN-IMPORT-1") >= 0);
    CHECK(row_of(w.s, "SYN-IMPORT-2") >= 0);
    CHECK(w.s.state.incidents.row(static_cast<std::size_t>(row_of(w.s, first_id))).notes ==
          "synthetic: edited in the window");
    CHECK(w.s.state.dirty);
    CHECK(w.s.state.conflicts.empty());
    CHECK(w.s.state.incidents.unsaved().size() == 2);

    w.s.save();
    CHECK(query_one(ws, "SELECT count(*) FROM incidents") == "11");
    CHECK(notes_in_file(ws, first_id) == "synthetic: edited in the window");
    CHECK(notes_in_file(ws, "SYN-IMPORT-1") == "synthetic row");
    CHECK_FALSE(w.frame());  // its own save is not someone else's change
    limes_test::remove_files({ws, csv});
}

TEST_CASE("concurrent: a save that finds the file changed reads it first, then saves",
          "[concurrent][session]") {
    const std::string ws = workspace("concurrent-save-first");
    Window w(ws);
    const std::string id = w.s.state.incidents.row(2).event_id_cnty;
    w.edit_notes(id, "synthetic: mine");
    const std::string csv = rows_csv("LATE", 1);
    REQUIRE(run_limes({"import", ws, csv}).code == 0);
    // Saved straight away, before any frame noticed: the import is not overwritten.
    w.s.save();
    w.s.poll_loading(true);  // the reload the save started, then the save itself
    CHECK(query_one(ws, "SELECT count(*) FROM incidents") == "9");
    CHECK(notes_in_file(ws, id) == "synthetic: mine");
    CHECK(notes_in_file(ws, "SYN-LATE-1") == "synthetic row");
    CHECK_FALSE(w.s.state.dirty);

    // The other order: the window saves, then the import; the window shows both.
    w.edit_notes(id, "synthetic: mine again");
    w.s.save();
    const std::string csv2 = rows_csv("AFTER", 1);
    REQUIRE(run_limes({"import", ws, csv2}).code == 0);
    CHECK(w.frame());
    CHECK(row_of(w.s, "SYN-AFTER-1") >= 0);
    CHECK(w.s.state.incidents.live() == 10);
    CHECK_FALSE(w.s.state.dirty);
    CHECK(notes_in_file(ws, id) == "synthetic: mine again");
    limes_test::remove_files({ws, csv, csv2});
}

TEST_CASE("concurrent: the same row changed on both sides is asked, never overwritten",
          "[concurrent][session]") {
    const std::string ws = workspace("concurrent-conflict");
    for (bool keep_mine : {true, false}) {
        INFO((keep_mine ? "keep mine" : "take theirs"));
        Window w(ws);
        const std::string id = w.s.state.incidents.row(3).event_id_cnty;
        const std::string other = w.s.state.incidents.row(4).event_id_cnty;
        w.edit_notes(id, "synthetic: the window's");
        w.edit_notes(other, "synthetic: only the window");
        sql(ws, "UPDATE incidents SET notes = 'synthetic: the other analyst''s', fatalities = 3 "
                "WHERE event_id_cnty = '" + id + "'");
        CHECK(w.frame());
        REQUIRE(w.s.state.conflicts.size() == 1);
        const auto& k = w.s.state.conflicts[0];
        CHECK(k.event_id == id);
        REQUIRE(k.theirs);
        CHECK(k.mine.notes == "synthetic: the window's");
        CHECK(k.theirs->notes == "synthetic: the other analyst's");
        CHECK(std::find(k.columns.begin(), k.columns.end(), "notes") != k.columns.end());
        CHECK(std::find(k.columns.begin(), k.columns.end(), "fatalities") != k.columns.end());
        // The row without a conflict kept its edit; saving waits for the decision.
        CHECK(w.s.state.incidents.row(static_cast<std::size_t>(row_of(w.s, other))).notes ==
              "synthetic: only the window");
        CHECK_THROWS_WITH(w.s.save(), Catch::Contains("choose whose value to keep"));
        CHECK(notes_in_file(ws, id) == "synthetic: the other analyst's");

        w.s.resolve_conflicts(keep_mine);
        w.s.save();
        CHECK(notes_in_file(ws, id) ==
              (keep_mine ? "synthetic: the window's" : "synthetic: the other analyst's"));
        CHECK(notes_in_file(ws, other) == "synthetic: only the window");
        sql(ws, "UPDATE incidents SET notes = 'synthetic row' WHERE event_id_cnty IN ('" + id +
                    "', '" + other + "')");
    }
    limes_test::remove_files({ws});
}

TEST_CASE("concurrent: a row deleted elsewhere that the window edited is asked about",
          "[concurrent][session]") {
    const std::string ws = workspace("concurrent-deleted");
    Window w(ws);
    const std::string id = w.s.state.incidents.row(5).event_id_cnty;
    w.edit_notes(id, "synthetic: still wanted");
    sql(ws, "DELETE FROM incidents WHERE event_id_cnty = '" + id + "'");
    CHECK(w.frame());
    REQUIRE(w.s.state.conflicts.size() == 1);
    CHECK_FALSE(w.s.state.conflicts[0].theirs);
    w.s.resolve_conflicts(true);  // kept: stored again as a new row
    w.s.save();
    CHECK(notes_in_file(ws, id) == "synthetic: still wanted");
    CHECK(query_one(ws, "SELECT count(*) FROM incidents") == "8");
    limes_test::remove_files({ws});
}
