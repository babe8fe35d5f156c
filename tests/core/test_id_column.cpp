// core::IdColumn: pool ids held 1, 2 or 4 bytes a row, as narrow as the largest id allows,
// widened once when an id needs it, every id read back as written whatever the width.
#include <catch2/catch.hpp>

#include <cstdint>
#include <vector>

#include "core/id_column.hpp"
#include "core/incident_store.hpp"

using limes::core::IdColumn;

namespace {
void check_equal(const IdColumn& column, const std::vector<std::uint32_t>& expected) {
    REQUIRE(column.size() == expected.size());
    for (std::size_t i = 0; i < expected.size(); ++i) {
        INFO("row " << i);
        CHECK(column[i] == expected[i]);
    }
}
}  // namespace

TEST_CASE("id column: one byte a row until an id needs two, two until one needs four", "[store]") {
    IdColumn column;
    std::vector<std::uint32_t> expected;
    column.reserve(1000);
    for (std::uint32_t id = 0; id < 256; ++id) column.push_back(id), expected.push_back(id);
    CHECK(column.width() == 1);
    CHECK(column.bytes() >= 1000);  // the reserve, one byte a row
    CHECK(column.bytes() < 2000);
    column.push_back(256);          // the 257th distinct value
    expected.push_back(256);
    CHECK(column.width() == 2);
    CHECK(column.bytes() >= 2000);  // the reserve kept across the widening
    check_equal(column, expected);
    column.push_back(65535);
    expected.push_back(65535);
    CHECK(column.width() == 2);
    column.set(3, 65536);  // widened by a set, not only by a push
    expected[3] = 65536;
    CHECK(column.width() == 4);
    check_equal(column, expected);
    column.push_back(0xFFFFFFFFu);
    expected.push_back(0xFFFFFFFFu);
    check_equal(column, expected);
    column.release();
    CHECK(column.empty());
    CHECK(column.bytes() == 0);
    CHECK(column.width() == 1);
}

TEST_CASE("id column: a narrow column widened straight to four bytes keeps its rows", "[store]") {
    IdColumn column;
    column.push_back(7);
    column.push_back(200);
    column.set(0, 70000);  // from one byte to four, past two
    CHECK(column.width() == 4);
    check_equal(column, {70000, 200});
}

TEST_CASE("incident store: 300 places read back through a column that widened on the way",
          "[store]") {
    using limes::core::Incident;
    using limes::core::IncidentStore;
    using Text = IncidentStore::Text;
    IncidentStore store;
    for (std::int64_t fid = 1; fid <= 300; ++fid) {
        Incident inc;  // synthetic rows
        inc.fid = fid;
        inc.location = "Synthetic place " + std::to_string(fid);
        inc.reported_by = fid % 2 ? "Side A" : "Side B";
        store.add_stored(inc);
    }
    for (std::size_t i = 0; i < store.size(); ++i) {
        INFO("row " << i);
        CHECK(store.text(Text::Location, i) == "Synthetic place " + std::to_string(i + 1));
        CHECK(store.text(Text::ReportedBy, i) == (i % 2 ? "Side B" : "Side A"));
    }
    // An edit to a row stored before the widening reads back too.
    Incident edited;
    edited.reported_by = "Side A";
    edited.location = "Synthetic place 301";
    store.set(0, edited);
    CHECK(store.text(Text::Location, 0) == "Synthetic place 301");
    CHECK(store.pool(Text::Location).size() == 301);
}
