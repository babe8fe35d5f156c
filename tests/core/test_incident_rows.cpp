// Rows to incidents: ACLED (2023 and older schemas) and UCDP GED mapping, the ACLED taxonomy,
// and every bad-input fixture giving a DataError that names file, row and field.
#include <catch2/catch.hpp>

#include <algorithm>
#include <optional>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "../support/files.hpp"
#include "core/csv_reader.hpp"
#include "core/diagnostics.hpp"
#include "core/error.hpp"
#include "core/incident.hpp"
#include "core/incident_rows.hpp"

using namespace limes::core;
using limes_test::split;

namespace {

std::string data_path(const std::string& name) {
    return std::string(LIMES_TEST_DATA) + "/" + name;
}

struct Loaded {
    RowFormat format = RowFormat::Acled;
    std::vector<std::string> ignored;
    std::vector<Incident> incidents;
    std::vector<long> rows;         // line of each incident
    std::vector<DataError> errors;  // row errors, reading went on
};

// Reads a CSV as an import does: header, format, then every row; a row error is kept and the
// next row is read. Header and CSV syntax errors propagate.
Loaded load(const std::string& path) {
    auto reader = CsvReader::from_file(path);
    std::vector<std::string_view> f;
    Loaded out;
    if (!reader.next(f)) return out;
    const std::vector<std::string> header(f.begin(), f.end());
    out.format = detect_row_format(header, path);
    IncidentRowMapper mapper(out.format, header, path);
    out.ignored = mapper.ignored_columns();
    while (reader.next(f)) {
        try {
            out.incidents.push_back(mapper.map(f, reader.line()));
            out.rows.push_back(reader.line());
        } catch (const DataError& e) {
            out.errors.push_back(e);
        }
    }
    return out;
}

// The first DataError anywhere in reading the file (header, CSV syntax or a row), if any.
std::optional<DataError> first_error(const std::string& path) {
    try {
        Loaded l = load(path);
        if (!l.errors.empty()) return l.errors.front();
    } catch (const DataError& e) {
        return e;
    }
    return std::nullopt;
}

const Incident& by_id(const Loaded& l, const std::string& id) {
    auto it = std::find_if(l.incidents.begin(), l.incidents.end(),
                           [&](const Incident& i) { return i.event_id_cnty == id; });
    REQUIRE(it != l.incidents.end());
    return *it;
}

// A mapper over an in-memory header, and rows split on commas (no quoting needed here).
struct MemTable {
    IncidentRowMapper mapper;
    explicit MemTable(const std::string& header, RowFormat format = RowFormat::Acled)
        : mapper(format, split(header), "mem.csv") {}
    Incident map(const std::string& row, long line = 2) const {
        const auto cells = split(row);
        const std::vector<std::string_view> views(cells.begin(), cells.end());
        return mapper.map(views, line);
    }
    DataError error(const std::string& row, long line = 2) const {
        try {
            map(row, line);
        } catch (const DataError& e) {
            return e;
        }
        FAIL("row was accepted: " << row);
        throw;  // unreachable
    }
};

const char* kMiniHeader =
    "event_id_cnty,event_date,event_type,sub_event_type,latitude,longitude,fatalities,"
    "geo_precision,time_precision,status";

}  // namespace

TEST_CASE("ACLED taxonomy: 6 event types, 25 sub-event types", "[incident]") {
    std::size_t subs = 0;
    for (auto type : kEventTypes) {
        const std::string list = sub_event_types_of(type);
        REQUIRE_FALSE(list.empty());
        subs += std::count(list.begin(), list.end(), ',') + 1;
        CHECK(canonical_event_type(type) == type);
    }
    CHECK(subs == 25);
    CHECK(canonical_event_type("explosions / remote violence") == "Explosions/Remote violence");
    CHECK(canonical_event_type("  VIOLENCE   against civilians ") == "Violence against civilians");
    CHECK(canonical_event_type("Skirmish").empty());
    CHECK(canonical_event_type("").empty());
    CHECK(canonical_sub_event_type("Explosions/Remote violence", "air / drone strike") ==
          "Air/drone strike");
    CHECK(canonical_sub_event_type("Strategic developments", "other") == "Other");
    CHECK(canonical_sub_event_type("Battles", "Peaceful protest").empty());
    CHECK(canonical_status("Disputed") == "disputed");
    CHECK(canonical_status("rumoured").empty());
}

TEST_CASE("incident_columns: 33 columns, names indexed", "[incident]") {
    const auto& cols = incident_columns();
    CHECK(cols.size() == 33);
    std::set<std::string_view> names;
    for (std::size_t i = 0; i < cols.size(); ++i) {
        names.insert(cols[i].name);
        CHECK(incident_column_index(cols[i].name) == static_cast<int>(i));
        if (cols[i].type == ColumnType::Text) CHECK(cols[i].text != nullptr);
        if (cols[i].type == ColumnType::Integer) CHECK(cols[i].integer != nullptr);
    }
    CHECK(names.size() == 33);
    CHECK(incident_column_index("event_date") >= 0);
    CHECK(incident_column_index("latitude") == -1);  // geometry, not an attribute
    CHECK(incident_column_index("EVENT_DATE") == -1);
}

TEST_CASE("ACLED 2023 schema maps column by column", "[incident][fixture]") {
    const Loaded l = load(data_path("acled_2023.csv"));
    CHECK(l.format == RowFormat::Acled);
    CHECK(l.errors.empty());
    CHECK(l.ignored.empty());  // every 2023 column is stored or known (year)
    REQUIRE(l.incidents.size() == 8);
    CHECK(l.rows == std::vector<long>{2, 4, 5, 6, 7, 8, 9, 10});

    std::set<std::string> types;
    for (const auto& i : l.incidents) {
        types.insert(i.event_type);
        CHECK(i.reported_by == "ACLED");  // no reported_by column: the dataset reported it
        CHECK(i.status == "reported");
        CHECK(i.lon >= 44.0);
        CHECK(i.lon <= 47.0);
        CHECK(i.lat >= 39.0);
        CHECK(i.lat <= 41.0);
    }
    CHECK(types.size() == 6);

    const Incident& a = by_id(l, "SYN-0001");
    CHECK(a.event_date == Date::from_ymd(2022, 9, 13));
    CHECK(a.event_type == "Battles");
    CHECK(a.sub_event_type == "Armed clash");
    CHECK(a.notes == "Synthetic test row, with commas, \"doubled quotes\", and\na second line");
    CHECK(a.lat == Approx(39.51));
    CHECK(a.lon == Approx(46.34));
    CHECK(a.fatalities == 3);
    CHECK(a.iso == 51);
    CHECK(a.time_precision == 1);
    CHECK(a.geo_precision == 1);
    CHECK(a.timestamp == 1663200000);
    CHECK(a.actor1 == "Synthetic Armed Group A");
    CHECK(a.actor2 == "Synthetic Armed Group B");
    CHECK(a.interaction == "11");
    CHECK(a.country == "Armenia");
    CHECK(a.source_scale == "National");
    CHECK(a.disorder_type == "Political violence");

    const Incident& b = by_id(l, "SYN-0002");
    CHECK(b.location == "Սինթետիկ Գյուղ");
    CHECK(b.geo_precision == 2);
    REQUIRE(b.fatalities.has_value());
    CHECK(*b.fatalities == 0);  // 0 is a statement...

    const Incident& c = by_id(l, "SYN-0003");
    CHECK(c.location == "Yaşıl Dağ Kəndi");
    CHECK(c.civilian_targeting == "Civilian targeting");
    CHECK(c.iso == 31);

    CHECK_FALSE(by_id(l, "SYN-0005").fatalities.has_value());  // ...empty is a gap
    CHECK(by_id(l, "SYN-0006").geo_precision == 3);
    CHECK(by_id(l, "SYN-0008").sub_event_type == "Air/drone strike");
}

TEST_CASE("older ACLED schema maps too", "[incident][fixture]") {
    const Loaded l = load(data_path("acled_old.csv"));
    CHECK(l.format == RowFormat::Acled);
    CHECK(l.errors.empty());
    CHECK(l.ignored.empty());  // data_id, event_id_no_cnty, iso3, year are known and dropped
    REQUIRE(l.incidents.size() == 4);
    CHECK(by_id(l, "SYN-0101").event_date == Date::from_ymd(2022, 9, 13));  // "13 September 2022"
    CHECK(by_id(l, "SYN-0102").event_date == Date::from_ymd(2022, 9, 2));   // "2 September 2022"
    CHECK(by_id(l, "SYN-0103").event_date == Date::from_ymd(2022, 9, 14));  // "14-09-2022"
    CHECK(by_id(l, "SYN-0104").event_date == Date::from_ymd(2022, 9, 15));
    const Incident& a = by_id(l, "SYN-0101");
    CHECK(a.fatalities == 5);
    CHECK(a.iso == 51);
    CHECK(a.timestamp == 1663300000);
    CHECK(a.notes == "Synthetic test row, old schema, long date");
    CHECK(a.lat == Approx(39.6));
    CHECK(a.lon == Approx(46.2));
    const Incident& d = by_id(l, "SYN-0104");
    CHECK(d.sub_event_type == "Looting/property destruction");
    CHECK(d.geo_precision == 3);
    CHECK_FALSE(d.fatalities.has_value());
    CHECK(by_id(l, "SYN-0103").country == "Azerbaijan");
}

TEST_CASE("UCDP GED rows are translated", "[incident][fixture][ucdp]") {
    const Loaded l = load(data_path("ucdp_ged.csv"));
    CHECK(l.format == RowFormat::Ucdp);
    CHECK(l.errors.empty());
    REQUIRE(l.incidents.size() == 4);

    const Incident& a = by_id(l, "UCDP-GED-900001");
    CHECK(a.event_date == Date::from_ymd(2022, 9, 13));
    CHECK(a.event_type == "Battles");  // type_of_violence 1: state-based
    CHECK(a.sub_event_type == "Armed clash");
    CHECK(a.actor1 == "Synthetic Side A");
    CHECK(a.actor2 == "Synthetic Side B");
    CHECK(a.fatalities == 6);  // best
    CHECK(a.fatalities_low == 5);
    CHECK(a.fatalities_high == 9);
    CHECK(a.geo_precision == 1);   // where_prec 1
    CHECK(a.time_precision == 1);  // date_prec 1
    CHECK(a.reported_by == "UCDP");
    CHECK(a.status == "reported");
    CHECK(a.source == "UCDP GED; Synthetic Office");
    CHECK(a.notes == "Synthetic test row headline one | where: Synthetic test row place one");
    CHECK(a.location == "Synthetic Town One");
    CHECK(a.admin1 == "Synthetic Province");
    CHECK(a.admin2 == "Synthetic District");
    CHECK(a.country == "Armenia");
    CHECK(a.tags == "Synthetic Conflict A - B");
    CHECK(a.lat == Approx(39.51));
    CHECK(a.lon == Approx(46.34));

    const Incident& b = by_id(l, "UCDP-GED-900002");
    CHECK(b.geo_precision == 2);   // where_prec 2: within 25 km
    CHECK(b.time_precision == 2);  // date_prec 2
    REQUIRE(b.fatalities.has_value());
    CHECK(*b.fatalities == 0);
    CHECK(b.fatalities_high == 2);
    CHECK(b.notes == "Synthetic test row headline two");

    const Incident& c = by_id(l, "UCDP-GED-900003");
    CHECK(c.event_type == "Violence against civilians");  // type_of_violence 3: one-sided
    CHECK(c.sub_event_type == "Attack");
    CHECK(c.actor2 == "Civilians");
    CHECK(c.geo_precision == 3);    // where_prec 4: first-order admin
    CHECK(c.source == "UCDP GED");  // no source_office
    CHECK(c.fatalities == 1);

    const Incident& d = by_id(l, "UCDP-GED-900004");
    CHECK(d.geo_precision == 3);   // where_prec 7
    CHECK(d.time_precision == 3);  // date_prec 4: month
    CHECK(d.event_date == Date::from_ymd(2022, 9, 1));
    CHECK(d.fatalities_low == 3);
    CHECK(d.fatalities_high == 7);
}

TEST_CASE("UCDP: bad type_of_violence and missing columns", "[incident][ucdp]") {
    const std::string header =
        "id,date_start,type_of_violence,best,low,high,where_prec,latitude,longitude";
    MemTable t(header, RowFormat::Ucdp);
    CHECK(t.map("7,2022-09-13 00:00:00.000,2,3,2,4,1,40,45").event_type == "Battles");
    // where_prec 1 exact, 2-3 near / second-order admin, 4-7 province or coarser.
    const int geo[] = {0, 1, 2, 2, 3, 3, 3, 3};
    for (int wp = 1; wp <= 7; ++wp) {
        INFO("where_prec " << wp);
        CHECK(t.map("7,2022-09-13,1,3,2,4," + std::to_string(wp) + ",40,45").geo_precision ==
              geo[wp]);
    }
    MemTable dp("id,date_start,type_of_violence,best,date_prec,latitude,longitude",
                RowFormat::Ucdp);
    // date_prec 1 day, 2-3 within a week, 4-5 month or longer.
    const int time[] = {0, 1, 2, 2, 3, 3};
    for (int p = 1; p <= 5; ++p) {
        INFO("date_prec " << p);
        CHECK(dp.map("7,2022-09-13,1,3," + std::to_string(p) + ",40,45").time_precision == time[p]);
    }
    CHECK_FALSE(dp.map("7,2022-09-13,1,3,,40,45").time_precision.has_value());
    const DataError e = t.error("7,2022-09-13 00:00:00.000,4,3,2,4,1,40,45", 5);
    CHECK(e.where().field == "type_of_violence");
    CHECK(e.where().row == 5);
    CHECK(t.error("7,2022-09-31,1,3,2,4,1,40,45").where().field == "date_start");
    CHECK(t.error("7,2022-09-13,1,-3,2,4,1,40,45").where().field == "fatalities");
    CHECK(t.error("7,2022-09-13,1,3,2,4,1,,45").where().field == "latitude");
    try {
        IncidentRowMapper m(RowFormat::Ucdp, split("id,date_start,where_prec,best"), "u.csv");
        FAIL("UCDP header without type_of_violence accepted");
    } catch (const DataError& e2) {
        CHECK(e2.where().field == "type_of_violence");
        CHECK(e2.where().row == 1);
    }
}

TEST_CASE("ignored_columns reports unknown columns", "[incident]") {
    IncidentRowMapper m(RowFormat::Acled,
                        split("event_date,event_type,latitude,longitude,Extra_Col,year,iso3,"
                              "my notes,,reported_by"),
                        "x.csv");
    CHECK(m.ignored_columns() == std::vector<std::string>{"extra_col", "my notes"});
    CHECK(m.has_coordinates());
    CHECK(m.format() == RowFormat::Acled);
    IncidentRowMapper n(RowFormat::Acled, split("event_date,event_type"), "x.csv");
    CHECK(n.ignored_columns().empty());
    CHECK_FALSE(n.has_coordinates());
}

TEST_CASE("ACLED rows: normalisation and per-field checks", "[incident]") {
    MemTable t(kMiniHeader);
    SECTION("case, spacing and '3.0' integers are accepted and canonicalised") {
        const Incident i = t.map(
            "SYN-9,13 Sep 2022,explosions / remote violence,GRENADE,40.5, 45.5 ,3.0,2,1,"
            "Disputed");
        CHECK(i.event_type == "Explosions/Remote violence");
        CHECK(i.sub_event_type == "Grenade");
        CHECK(i.fatalities == 3);
        CHECK(i.lon == Approx(45.5));
        CHECK(i.status == "disputed");
        CHECK(i.reported_by == "ACLED");
    }
    SECTION("header names are matched case-insensitively and trimmed") {
        MemTable u(" Event_Date ,EVENT_TYPE,Latitude,LONGITUDE");
        const Incident i = u.map("2022-09-13,Riots,40,45");
        CHECK(i.event_type == "Riots");
        CHECK(i.event_date == Date::from_ymd(2022, 9, 13));
    }
    SECTION("an empty sub-event type is allowed") {
        CHECK(t.map("SYN-9,2022-09-13,Battles,,40,45,,,,").sub_event_type.empty());
    }
    SECTION("a reported_by column is kept, not overwritten") {
        MemTable u("event_date,event_type,latitude,longitude,reported_by");
        CHECK(u.map("2022-09-13,Battles,40,45,Synthetic Ministry A").reported_by ==
              "Synthetic Ministry A");
    }
    SECTION("a geometry point replaces the coordinate columns") {
        MemTable u("event_date,event_type");
        const auto cells = split("2022-09-13,Battles");
        const std::vector<std::string_view> v(cells.begin(), cells.end());
        const Incident i = u.mapper.map(v, 4, 45.25, 40.75);
        CHECK(i.lon == 45.25);
        CHECK(i.lat == 40.75);
        try {
            u.mapper.map(v, 4, 200.0, 40.0);
            FAIL("point outside -180..180 accepted");
        } catch (const DataError& e) {
            CHECK(e.where().field == "geometry");
            CHECK(e.where().row == 4);
        }
        try {
            u.mapper.map(v, 4);
            FAIL("row without coordinates accepted");
        } catch (const DataError& e) {
            CHECK(e.where().field == "latitude");
        }
    }
    SECTION("each bad field is named") {
        struct Case {
            const char* row;
            const char* field;
            const char* says;
        };
        const Case cases[] = {
            {"S,2022-02-30,Battles,,40,45,,,,", "event_date", "'2022-02-30' is not a date"},
            {"S,,Battles,,40,45,,,,", "event_date", "missing date"},
            {"S,2022-09-13,,,40,45,,,,", "event_type", "missing event type"},
            {"S,2022-09-13,Skirmish,,40,45,,,,", "event_type", "unknown event type 'Skirmish'"},
            {"S,2022-09-13,Riots,Air/drone strike,40,45,,,,", "sub_event_type",
             "not a sub-event type of Riots"},
            {"S,2022-09-13,Battles,,91,45,,,,", "latitude", "outside -90..90"},
            {"S,2022-09-13,Battles,,40,-180.5,,,,", "longitude", "outside -180..180"},
            {"S,2022-09-13,Battles,,north,45,,,,", "latitude", "not a number"},
            {"S,2022-09-13,Battles,,nan,45,,,,", "latitude", "not a number"},
            {"S,2022-09-13,Battles,,40,,,,,", "longitude", "missing coordinate"},
            {"S,2022-09-13,Battles,,40,45,2.5,,,", "fatalities", "not a whole number"},
            {"S,2022-09-13,Battles,,40,45,-1,,,", "fatalities", "negative"},
            {"S,2022-09-13,Battles,,40,45,,4,,", "geo_precision", "outside 1..3"},
            {"S,2022-09-13,Battles,,40,45,,,0,", "time_precision", "outside 1..3"},
            {"S,2022-09-13,Battles,,40,45,,,,rumoured", "status", "unknown status"},
        };
        for (const auto& c : cases) {
            INFO("row: " << c.row);
            const DataError e = t.error(c.row, 12);
            CHECK(e.kind() == ErrorKind::Data);
            CHECK(e.where().file == "mem.csv");
            CHECK(e.where().row == 12);
            CHECK(e.where().field == c.field);
            CHECK_THAT(e.what(),
                       Catch::StartsWith("mem.csv:12: field '" + std::string(c.field) + "': ") &&
                           Catch::Contains(c.says));
        }
    }
}

TEST_CASE("detect_row_format", "[incident]") {
    CHECK(detect_row_format(split("event_date,event_type,latitude"), "f") == RowFormat::Acled);
    CHECK(detect_row_format(split("id,Date_Start,WHERE_PREC"), "f") == RowFormat::Ucdp);
    // One marker is enough to choose, so the mapper can name the missing column.
    CHECK(detect_row_format(split("event_type,latitude"), "f") == RowFormat::Acled);
    CHECK(detect_row_format(split("id,date_start,best"), "f") == RowFormat::Ucdp);
    try {
        detect_row_format(split("name,lat,lon"), "places.csv");
        FAIL("unknown header accepted");
    } catch (const DataError& e) {
        CHECK(e.where().file == "places.csv");
        CHECK(e.where().row == 1);
        CHECK_THAT(e.what(), Catch::StartsWith("places.csv:1: "));
    }
}

TEST_CASE("is_valid_utf8", "[incident]") {
    CHECK(is_valid_utf8(""));
    CHECK(is_valid_utf8("plain ASCII text that is longer than eight bytes"));
    CHECK(is_valid_utf8("Սինթետիկ Գյուղ"));
    CHECK(is_valid_utf8("Yaşıl Dağ Kəndi"));
    CHECK(is_valid_utf8("\xF0\x9F\x97\xBA"));       // U+1F5FA, 4 bytes
    CHECK_FALSE(is_valid_utf8("abcdefghijk\xFF"));  // after the 8-byte fast path
    CHECK_FALSE(is_valid_utf8("\xFF"));
    CHECK_FALSE(is_valid_utf8("\x80"));              // lone continuation byte
    CHECK_FALSE(is_valid_utf8("\xC3"));              // truncated 2-byte sequence
    CHECK_FALSE(is_valid_utf8("abc\xE2\x82"));       // truncated 3-byte sequence
    CHECK_FALSE(is_valid_utf8("\xC3\x28"));          // bad continuation
    CHECK_FALSE(is_valid_utf8("\xC0\x80"));          // overlong NUL
    CHECK_FALSE(is_valid_utf8("\xE0\x80\xAF"));      // overlong '/'
    CHECK_FALSE(is_valid_utf8("\xED\xA0\x80"));      // surrogate U+D800
    CHECK_FALSE(is_valid_utf8("\xF4\x90\x80\x80"));  // past U+10FFFF
}

TEST_CASE("every bad fixture names file, row and field", "[incident][fixture][errors]") {
    struct Case {
        const char* file;
        long row;
        const char* field;
        const char* says;
    };
    const Case cases[] = {
        {"bad/bad_date.csv", 3, "event_date", "'2022-02-30' is not a date"},
        {"bad/bad_latitude.csv", 3, "latitude", "'123' is outside -90..90 degrees"},
        {"bad/missing_coords.csv", 3, "latitude", "missing coordinate"},
        {"bad/unknown_type.csv", 3, "event_type", "unknown event type 'Skirmish'"},
        {"bad/bad_subtype.csv", 3, "sub_event_type", "'Peaceful protest' is not a sub-event"},
        {"bad/negative_fatalities.csv", 3, "fatalities", "-3 is negative"},
        {"bad/unterminated_quote.csv", 3, "notes", "unterminated quoted field"},
        {"bad/duplicate_column.csv", 1, "notes", "column appears twice"},
        {"bad/missing_event_date_column.csv", 1, "event_date", "required column is missing"},
        {"bad/invalid_utf8.csv", 3, "location", "not valid UTF-8"},
        {"bad/mixed_valid_invalid.csv", 4, "event_date", "'2022-13-01' is not a date"},
    };
    for (const auto& c : cases) {
        const std::string path = data_path(c.file);
        INFO("fixture: " << c.file);
        const auto e = first_error(path);
        REQUIRE(e.has_value());
        CHECK(e->kind() == ErrorKind::Data);
        CHECK(e->where().file == path);
        CHECK(e->where().row == c.row);
        CHECK(e->where().field == c.field);
        const std::string prefix =
            path + ":" + std::to_string(c.row) + ": field '" + c.field + "': ";
        CHECK_THAT(e->what(), Catch::StartsWith(prefix) && Catch::Contains(c.says));
    }
}

TEST_CASE("row errors leave the good rows of a bad file importable", "[incident][fixture]") {
    SECTION("each single-error fixture still yields its good row") {
        for (const char* f : {"bad/bad_date.csv", "bad/bad_latitude.csv", "bad/missing_coords.csv",
                              "bad/unknown_type.csv", "bad/bad_subtype.csv",
                              "bad/negative_fatalities.csv", "bad/invalid_utf8.csv"}) {
            INFO("fixture: " << f);
            const Loaded l = load(data_path(f));
            REQUIRE(l.incidents.size() == 1);
            CHECK(l.incidents[0].event_id_cnty == "SYN-0201");
            CHECK(l.errors.size() == 1);
        }
    }
    SECTION("mixed file: 5 imported, 2 skipped, reported through Diagnostics") {
        const std::string path = data_path("bad/mixed_valid_invalid.csv");
        const Loaded l = load(path);
        CHECK(l.incidents.size() == 5);
        REQUIRE(l.errors.size() == 2);
        CHECK(l.errors[0].where().row == 4);
        CHECK(l.errors[1].where().row == 7);
        CHECK(l.errors[1].where().field == "event_type");

        Diagnostics diags;
        for (const auto& e : l.errors) {
            const std::string what = e.what();
            diags.add(Severity::Skipped, e.where(), what.substr(e.where().describe().size()));
        }
        CHECK(diags.count(Severity::Skipped) == 2);
        CHECK(diags.count(Severity::Repaired) == 0);
        std::ostringstream out;
        diags.print(out);
        CHECK_THAT(out.str(), Catch::Contains("skipped: " + path + ":4: field 'event_date': ") &&
                                  Catch::Contains("skipped: " + path + ":7: field 'event_type': "));
        std::ostringstream one;
        diags.print(one, 1);
        CHECK_THAT(one.str(), Catch::EndsWith("... and 1 more\n"));
    }
}

TEST_CASE("Location::describe", "[error]") {
    CHECK(Location{"a.csv", 3, "notes"}.describe() == "a.csv:3: field 'notes': ");
    CHECK(Location{"a.csv", -1, ""}.describe() == "a.csv: ");
    CHECK(Location{"", 7, ""}.describe() == "row 7: ");
    CHECK(Location{"", -1, "x"}.describe() == "field 'x': ");
    CHECK(Location{}.describe().empty());
}

TEST_CASE("diagnostics: the first ten thousand are kept whole, every one is counted",
          "[diagnostics]") {
    limes::core::Diagnostics d;
    CHECK(d.empty());
    const std::size_t n = limes::core::Diagnostics::kKept + 50;
    for (std::size_t i = 0; i < n; ++i)
        d.add(i % 2 ? limes::core::Severity::Skipped : limes::core::Severity::Repaired,
              {"f.csv", static_cast<long>(i + 2), "event_id_cnty"}, "problem");
    d.add_count(limes::core::Severity::Skipped, 1000);  // found past the kept ones
    CHECK(d.items().size() == limes::core::Diagnostics::kKept);
    CHECK(d.items().back().where.row == static_cast<long>(limes::core::Diagnostics::kKept + 1));
    CHECK(d.count(limes::core::Severity::Skipped) == n / 2 + 1000);
    CHECK(d.count(limes::core::Severity::Repaired) == n / 2);
    CHECK(d.size() == n + 1000);
    std::ostringstream out;
    d.print(out, 3);
    CHECK(out.str().find("... and " + std::to_string(n + 1000 - 3) + " more\n") !=
          std::string::npos);
}

TEST_CASE("diagnostics: appending keeps the order, fills the kept ones, counts the rest",
          "[diagnostics]") {
    using limes::core::Diagnostics;
    using limes::core::Severity;
    Diagnostics first, later;
    first.add(Severity::Skipped, {"a.csv", 2, ""}, "bad row");
    const std::size_t n = Diagnostics::kKept + 20;
    for (std::size_t i = 0; i < n; ++i)
        later.add(Severity::Skipped, {"a.csv", static_cast<long>(i + 3), "event_id_cnty"},
                  "duplicate");
    later.add_count(Severity::Repaired, 5);
    first.append(std::move(later));
    CHECK(first.items().size() == Diagnostics::kKept);
    CHECK(first.items().front().message == "bad row");     // the earlier ones first
    CHECK(first.items().back().where.row == static_cast<long>(Diagnostics::kKept + 1));
    CHECK(first.count(Severity::Skipped) == n + 1);         // every one counted
    CHECK(first.count(Severity::Repaired) == 5);
    CHECK(first.size() == n + 6);
}
