// core::IncidentStore: the window's columns of incidents. Rows keep their index for ever (a
// removal only flags), edits keep the full row until saved, stored rows are read back through
// the fetch function, and the columns say what the rows say.
#include <catch2/catch.hpp>

#include <map>
#include <stdexcept>

#include "core/incident_store.hpp"

using namespace limes::core;
using Text = IncidentStore::Text;

namespace {

// Synthetic rows (not real events).
Incident incident(std::int64_t fid, const std::string& type, const std::string& reporter, int day) {
    Incident inc;
    inc.fid = fid;
    inc.lon = 45.0 + fid * 0.01;
    inc.lat = 40.0 - fid * 0.01;
    inc.event_date = Date{19000 + day};
    inc.event_type = type;
    inc.reported_by = reporter;
    inc.status = "reported";
    inc.actor1 = "Synthetic actor " + std::to_string(fid % 3);
    inc.location = "Synthville " + std::to_string(fid);
    inc.notes = "synthetic note " + std::to_string(fid);
    inc.fatalities = fid % 4 == 0 ? std::optional<std::int64_t>() : fid;
    inc.geo_precision = fid % 3 + 1;
    return inc;
}

/** A store over a pretend workspace (a map by fid) that counts its reads. */
struct Fixture {
    std::map<std::int64_t, Incident> disk;
    int reads = 0;
    IncidentStore store{[this](std::int64_t fid) {
        ++reads;
        auto it = disk.find(fid);
        if (it == disk.end()) throw std::runtime_error("no fid " + std::to_string(fid));
        return it->second;
    }};
    Fixture() {
        const char* types[] = {"Battles", "Riots", "Not an ACLED type"};
        for (std::int64_t fid = 1; fid <= 9; ++fid) {
            disk[fid] =
                incident(fid, types[fid % 3], fid % 2 ? "Side A" : "Side B", static_cast<int>(fid));
            store.add_stored(disk[fid]);
        }
    }
};

}  // namespace

TEST_CASE("incident store: the columns hold what the rows say", "[store]") {
    Fixture fx;
    REQUIRE(fx.store.size() == 9);
    REQUIRE(fx.store.live() == 9);
    for (std::size_t i = 0; i < 9; ++i) {
        const Incident& d = fx.disk[static_cast<std::int64_t>(i) + 1];
        const IncidentMark& m = fx.store.marks()[i];
        CHECK(m.lon == d.lon);
        CHECK(m.lat == d.lat);
        CHECK(m.days == d.event_date.days);
        CHECK(m.fatalities == (d.fatalities ? *d.fatalities : -1));
        CHECK(m.geo_precision == *d.geo_precision);
        CHECK(m.type == (d.event_type == "Battles" ? 0
                         : d.event_type == "Riots" ? 4
                                                   : kOtherEventType));
        CHECK(fx.store.text(Text::ReportedBy, i) == d.reported_by);
        CHECK(fx.store.text(Text::Actor1, i) == d.actor1);
        CHECK(fx.store.text(Text::Location, i) == d.location);
        CHECK(fx.store.fid(i) == d.fid);
    }
    // Each distinct value once: two reporters, three actors (actor2 is empty: a fourth value).
    CHECK(fx.store.pool(Text::ReportedBy).size() == 2);
    CHECK(fx.store.pool(Text::Actor1).size() == 4);
    CHECK(fx.reads == 0);  // nothing read back yet
}

TEST_CASE("incident store: a load's second half appended keeps every column and maps its "
          "text ids into the first half's pools",
          "[store]") {
    Fixture whole;  // the 9 rows added in one store
    // The same rows as a load in two halves reads them: fids 1-4 and 5-9, each into a store
    // of its own, whose pools number the values in another order.
    IncidentStore first, second;
    for (std::int64_t fid = 1; fid <= 4; ++fid) first.add_stored(whole.disk[fid]);
    for (std::int64_t fid = 5; fid <= 9; ++fid) second.add_stored(whole.disk[fid]);
    REQUIRE(second.text_id(Text::ReportedBy, 0) == 0);  // "Side A" is id 0 there ...
    REQUIRE(first.text_id(Text::ReportedBy, 0) == 0);   // ... and here
    REQUIRE(first.text_id(Text::ReportedBy, 1) == 1);   // "Side B"
    first.append_stored(std::move(second));
    CHECK(second.size() == 0);
    REQUIRE(first.size() == whole.store.size());
    for (std::size_t i = 0; i < first.size(); ++i) {
        INFO("row " << i);
        CHECK(first.fid(i) == whole.store.fid(i));
        CHECK(first.marks()[i].lon == whole.store.marks()[i].lon);
        CHECK(first.marks()[i].days == whole.store.marks()[i].days);
        for (int c = 0; c < IncidentStore::kTextColumns; ++c)
            CHECK(first.text(static_cast<Text>(c), i) == whole.store.text(static_cast<Text>(c), i));
        CHECK_FALSE(first.removed(i));
    }
    // Each distinct value still once.
    CHECK(first.pool(Text::ReportedBy).size() == 2);
    CHECK(first.pool(Text::Location).size() == 9);
    CHECK(first.unsaved().empty());
    // A store with edits is not a load's half.
    IncidentStore edited;
    edited.add_new(incident(10, "Battles", "Side A", 1));
    CHECK_THROWS_AS(first.append_stored(std::move(edited)), std::logic_error);
}

TEST_CASE("incident store: a stored row is read back once while it stays in view", "[store]") {
    Fixture fx;
    CHECK(fx.store.row(4).notes == "synthetic note 5");
    CHECK(fx.store.row(4).notes == "synthetic note 5");
    CHECK(fx.store.row(2).fid == 3);
    CHECK(fx.store.row(4).fid == 5);
    CHECK(fx.reads == 2);  // hovered and selected rows stay cached
    fx.store.row(6);       // a third row pushes the oldest (row 4) out
    fx.store.row(2);
    CHECK(fx.reads == 3);
    fx.store.row(4);
    CHECK(fx.reads == 4);
    CHECK_THROWS(fx.store.row(99));
}

TEST_CASE("incident store: edits, removals and what a save must write", "[store]") {
    Fixture fx;
    IncidentStore& st = fx.store;
    Incident changed = st.row(1);
    changed.event_type = "Protests";
    changed.lon = 44.5;
    changed.notes = "synthetic, edited";
    st.set(1, changed);
    CHECK(st.marks()[1].type == 3);
    CHECK(st.marks()[1].lon == 44.5);
    CHECK(st.row(1).notes == "synthetic, edited");
    CHECK(st.edited(1) != nullptr);
    CHECK(st.fid(1) == 2);  // still the stored row it replaces

    st.set_removed(3, true);
    CHECK(st.removed(3));
    CHECK(st.live() == 8);
    CHECK(st.size() == 9);  // indices stay

    Incident fresh = incident(0, "Battles", "Side C", 30);
    const std::size_t added = st.add_new(fresh);
    CHECK(added == 9);
    CHECK(st.fid(added) == 0);
    CHECK(st.text(Text::ReportedBy, added) == "Side C");

    CHECK(st.unsaved() == std::vector<std::uint32_t>{1, 3, 9});
    const auto moved = st.take_moved();
    CHECK(moved == std::vector<std::uint32_t>{1, 9});  // reprojected: the changed and the new row
    CHECK(st.take_moved().empty());

    // Saved: the changed and the new row got fids, the removed one is gone from the file.
    st.mark_saved(1, 20);
    st.mark_saved(9, 21);
    st.mark_saved(3, 0);
    CHECK(st.unsaved().empty());
    CHECK(st.edited(1) == nullptr);  // read back from the file from now on
    fx.disk[20] = changed;
    fx.disk[20].fid = 20;
    CHECK(st.row(1).notes == "synthetic, edited");
    CHECK(st.row(1).fid == 20);
    // The removed row keeps its value: undo after the save brings it back, to be written again.
    REQUIRE(st.edited(3) != nullptr);
    CHECK(st.edited(3)->location == "Synthville 4");
    st.set_removed(3, false);
    CHECK(st.unsaved() == std::vector<std::uint32_t>{3});
    CHECK(st.fid(3) == 0);
}

TEST_CASE("incident marks: types by index, stated and unstated counts, precision", "[store]") {
    Incident inc;
    inc.event_type = "Explosions/Remote violence";
    inc.fatalities = 0;
    inc.geo_precision = 7;
    IncidentMark m = mark_of(inc);
    CHECK(m.type == 1);
    CHECK(m.fatalities == 0);     // zero is a statement, not a gap
    CHECK(m.geo_precision == 3);  // 3 and above: only the province known
    inc.fatalities.reset();
    inc.geo_precision.reset();
    inc.event_type = "battles";  // not canonical: other
    m = mark_of(inc);
    CHECK(m.fatalities == -1);
    CHECK(m.geo_precision == 0);
    CHECK(m.type == kOtherEventType);
    inc.fatalities = -5;  // rejected by the importer; never read as "not stated"
    CHECK(mark_of(inc).fatalities == 0);
}

TEST_CASE("incident marks: a MarkMaker over many rows gives mark_of's marks", "[store]") {
    // Repeats (remembered), spelling variants the lookups fold or trim, unknown values, and
    // more distinct reporters than it remembers (looked up each time past that).
    const std::vector<std::string> types = {"Battles", "battles", "Explosions/Remote violence",
                                            "Riots", "", "Not a type"};
    const std::vector<std::string> reporters = {"Armenian MoD", " armenian mod ", "ACLED",
                                                "Azerbaijani MoD", "", "Someone else"};
    const std::vector<std::string> statuses = {"reported", "Confirmed", " disputed", "denied",
                                               "", "unheard of"};
    MarkMaker make;
    std::size_t differ = 0, rows = 0;
    for (int k = 0; k < 6000; ++k) {
        Incident inc = incident(k, types[k % types.size()],
                                k < 5000 ? reporters[k % reporters.size()]
                                         : "Synthetic reporter " + std::to_string(k),
                                k % 40);
        inc.status = statuses[(k / 7) % statuses.size()];
        const IncidentMark a = make(inc), b = mark_of(inc);
        differ += a.lon != b.lon || a.lat != b.lat || a.days != b.days || a.type != b.type ||
                  a.fatalities != b.fatalities || a.geo_precision != b.geo_precision ||
                  a.side != b.side || a.status != b.status;
        ++rows;
    }
    CHECK(rows == 6000);
    CHECK(differ == 0);
    // The lookups themselves: a variant folds to its side, an unknown one is Other.
    Incident inc = incident(1, "Battles", " armenian mod ", 0);
    CHECK(make(inc).side == ReportingSide::Armenian);
    inc.reported_by = "Armenian MoD (synthetic variant)";
    CHECK(make(inc).side == ReportingSide::Other);
}
