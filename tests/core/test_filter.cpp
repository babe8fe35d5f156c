// The shared filters: date range, bbox, event type, reported_by, and their option parsers.
#include <catch2/catch.hpp>

#include <initializer_list>
#include <sstream>
#include <string>
#include <vector>

#include "core/claim.hpp"
#include "core/csv_reader.hpp"
#include "core/error.hpp"
#include "core/filter.hpp"
#include "core/incident_rows.hpp"

using namespace limes::core;
namespace core = limes::core;

namespace {

Incident make(int y, int m, int d, double lon, double lat, const char* type,
              const char* reported_by) {
    Incident i;
    i.event_date = Date::from_ymd(y, m, d);
    i.lon = lon;
    i.lat = lat;
    i.event_type = type;
    i.reported_by = reported_by;
    return i;
}

// A Battles report at 45 E 40 N on 13 September 2022, but for the one thing named.
Incident at(double lon, double lat) {
    return make(2022, 9, 13, lon, lat, "Battles", "");
}
Incident of_type(const char* type) {
    return make(2022, 9, 13, 45, 40, type, "");
}
Incident reported(const char* reported_by) {
    return make(2022, 9, 13, 45, 40, "Battles", reported_by);
}

// f accepts each of accepted and none of rejected.
void check_verdicts(const Filter& f, std::initializer_list<Incident> accepted,
                    std::initializer_list<Incident> rejected) {
    auto describe = [](const Incident& i) {
        std::ostringstream out;
        out << i.event_date.iso() << ' ' << i.event_type << " reported by '" << i.reported_by
            << "' at " << i.lon << ", " << i.lat;
        return out.str();
    };
    for (const Incident& i : accepted) {
        INFO("to accept: " << describe(i));
        CHECK(f.accepts(i));
    }
    for (const Incident& i : rejected) {
        INFO("to reject: " << describe(i));
        CHECK_FALSE(f.accepts(i));
    }
}

std::vector<Incident> load_acled_2023() {
    const std::string path = std::string(LIMES_TEST_DATA) + "/acled_2023.csv";
    auto reader = CsvReader::from_file(path);
    std::vector<std::string_view> f;
    REQUIRE(reader.next(f));
    const std::vector<std::string> header(f.begin(), f.end());
    IncidentRowMapper mapper(detect_row_format(header, path), header, path);
    std::vector<Incident> out;
    while (reader.next(f)) out.push_back(mapper.map(f, reader.line()));
    return out;
}

std::size_t count_accepted(const Filter& filter, const std::vector<Incident>& incidents) {
    std::size_t n = 0;
    for (const auto& i : incidents) n += filter.accepts(i);
    return n;
}

std::string usage_message(std::string_view bbox) {
    try {
        parse_bbox(bbox);
    } catch (const UsageError& e) {
        CHECK(e.kind() == ErrorKind::Usage);
        return e.what();
    }
    return "(accepted)";
}

}  // namespace

TEST_CASE("Filter: an empty filter accepts everything", "[filter]") {
    Filter f;
    CHECK(f.is_empty());
    CHECK(f.accepts(make(1900, 1, 1, -179, -89, "Riots", "")));
    CHECK(f.accepts(make(2022, 9, 13, 45, 40, "Battles", "ACLED")));
    f.region = "Syunik";
    CHECK_FALSE(f.is_empty());
    // The region test belongs to src/geo; core ignores it.
    CHECK(f.accepts(make(2022, 9, 13, 45, 40, "Battles", "ACLED")));
}

TEST_CASE("Filter: date range is inclusive on both ends", "[filter]") {
    Filter f;
    f.from = Date::from_ymd(2022, 9, 13);
    f.to = Date::from_ymd(2022, 9, 14);
    CHECK_FALSE(f.is_empty());
    CHECK_FALSE(f.accepts(make(2022, 9, 12, 45, 40, "Battles", "")));
    CHECK(f.accepts(make(2022, 9, 13, 45, 40, "Battles", "")));
    CHECK(f.accepts(make(2022, 9, 14, 45, 40, "Battles", "")));
    CHECK_FALSE(f.accepts(make(2022, 9, 15, 45, 40, "Battles", "")));
    Filter only_from;
    only_from.from = Date::from_ymd(2022, 9, 13);
    CHECK(only_from.accepts(make(2030, 1, 1, 45, 40, "Battles", "")));
    CHECK_FALSE(only_from.accepts(make(2022, 9, 12, 45, 40, "Battles", "")));
    Filter only_to;
    only_to.to = Date::from_ymd(2022, 9, 13);
    CHECK(only_to.accepts(make(1990, 1, 1, 45, 40, "Battles", "")));
    CHECK_FALSE(only_to.accepts(make(2022, 9, 14, 45, 40, "Battles", "")));
}

TEST_CASE("Filter: bbox includes its edges and nothing outside", "[filter]") {
    Filter f;
    f.bbox = parse_bbox("45,39.5,46,40.5");
    // The corners are inside. Axis order is lon, lat: swapping them must not pass.
    check_verdicts(
        f, {at(45.5, 40.0), at(45.0, 39.5), at(46.0, 40.5)},
        {at(44.99, 40.0), at(46.01, 40.0), at(45.5, 39.49), at(45.5, 40.51), at(40.0, 45.5)});
}

TEST_CASE("Filter: event types, any of", "[filter]") {
    Filter f;
    f.types = {parse_event_type_option("battles"), parse_event_type_option("riots")};
    check_verdicts(f, {of_type("Battles"), of_type("Riots")},
                   {of_type("Protests"), of_type("Explosions/Remote violence")});
}

TEST_CASE("Filter: reported_by, any of, case-insensitive", "[filter]") {
    Filter f;
    f.reported_by = {"synthetic ministry a", "UCDP"};
    check_verdicts(
        f, {reported("Synthetic Ministry A"), reported("ucdp")},
        {reported("Synthetic Ministry B"), reported(""), reported("Synthetic Ministry")});
}

TEST_CASE("Filter: all tests combine over the ACLED fixture", "[filter][fixture]") {
    const auto incidents = load_acled_2023();
    REQUIRE(incidents.size() == 8);
    Filter f;
    CHECK(count_accepted(f, incidents) == 8);
    f.from = parse_date_option("--from", "2022-09-13");
    f.to = parse_date_option("--to", "14-09-2022");
    CHECK(count_accepted(f, incidents) == 4);  // SYN-0001..0004
    f.types = {"Battles", "Explosions/Remote violence"};
    CHECK(count_accepted(f, incidents) == 2);  // SYN-0001, SYN-0002
    f.bbox = parse_bbox("46,39,47,40");
    CHECK(count_accepted(f, incidents) == 1);  // SYN-0001 at 46.34E 39.51N
    f.reported_by = {"acled"};
    CHECK(count_accepted(f, incidents) == 1);
    f.reported_by = {"UCDP"};
    CHECK(count_accepted(f, incidents) == 0);
}

TEST_CASE("parse_bbox: valid boxes", "[filter]") {
    const BBox b = parse_bbox("44,39,47,41");
    CHECK(b.west == 44);
    CHECK(b.south == 39);
    CHECK(b.east == 47);
    CHECK(b.north == 41);
    CHECK_FALSE(b.empty());
    const BBox c = parse_bbox("-180,-90,180,90");
    CHECK(c.west == -180);
    CHECK(c.north == 90);
    const BBox d = parse_bbox("44.25, 39.5, 46.75, 40.125");
    CHECK(d.west == 44.25);
    CHECK(d.north == 40.125);
    CHECK(parse_bbox("-1e1,0,1e1,5").west == -10);
}

TEST_CASE("parse_bbox: malformed, out of range and inverted boxes", "[filter]") {
    struct Case {
        const char* text;
        const char* says;
    };
    const Case cases[] = {
        {"", "expected four numbers"},
        {"44,39,47", "expected four numbers"},
        {"44,39,47,", "expected four numbers"},
        {"a,b,c,d", "expected four numbers"},
        {"44;39;47;41", "expected four numbers"},
        {"44 39 47 41", "expected four numbers"},
        {"44,39,,41", "expected four numbers"},
        {"nan,39,47,41", "expected four numbers"},
        {"44,39,inf,41", "expected four numbers"},
        {"44,39,47,41,5", "trailing characters"},
        {"44,39,47,41x", "trailing characters"},
        {"-181,39,47,41", "outside -180..180 / -90..90"},
        {"44,39,181,41", "outside -180..180 / -90..90"},
        {"44,-91,47,41", "outside -180..180 / -90..90"},
        {"44,39,47,90.5", "outside -180..180 / -90..90"},
        {"47,39,44,41", "W must be less than E"},
        {"44,41,47,39", "S less than N"},
        {"44,39,44,41", "W must be less than E"},  // zero width
    };
    for (const auto& c : cases) {
        INFO("--bbox '" << c.text << "'");
        const std::string msg = usage_message(c.text);
        CHECK_THAT(msg, Catch::StartsWith("--bbox '" + std::string(c.text) + "': ") &&
                            Catch::Contains(c.says));
    }
}

TEST_CASE("parse_date_option, parse_event_type_option, check_range", "[filter]") {
    CHECK(parse_date_option("--from", "13 September 2022") == Date::from_ymd(2022, 9, 13));
    CHECK_THROWS_WITH(parse_date_option("--to", "2022-02-30"),
                      Catch::StartsWith("--to '2022-02-30': not a date"));
    CHECK_THROWS_AS(parse_date_option("--from", "soon"), UsageError);

    CHECK(parse_event_type_option("Explosions / remote violence") == "Explosions/Remote violence");
    CHECK_THROWS_AS(parse_event_type_option("Skirmish"), UsageError);
    CHECK_THROWS_WITH(
        parse_event_type_option("Skirmish"),
        Catch::Contains("--type 'Skirmish'") && Catch::Contains("Strategic developments"));

    Filter f;
    f.from = Date::from_ymd(2022, 9, 14);
    f.to = Date::from_ymd(2022, 9, 14);
    CHECK_NOTHROW(check_range(f));
    f.to = Date::from_ymd(2022, 9, 13);
    CHECK_THROWS_WITH(check_range(f),
                      "--from 2022-09-14 is after --to 2022-09-13: the time "
                      "range is empty");
    f.to.reset();
    CHECK_NOTHROW(check_range(f));
}

TEST_CASE("canonical_claim_kind and BBox", "[filter]") {
    CHECK(canonical_claim_kind("Ceasefire_Zone") == "ceasefire_zone");
    CHECK(canonical_claim_kind("seized") == "seized");
    CHECK(canonical_claim_kind("annexed").empty());
    BBox b;
    CHECK(b.empty());
    b.add(45, 40);
    CHECK_FALSE(b.empty());
    CHECK(b.contains(45, 40));
    b.add(BBox{});  // adding an empty box changes nothing
    CHECK(b.west == 45);
    CHECK(b.east == 45);
    BBox c;
    c.add(44, 39);
    c.add(b);
    CHECK(c.west == 44);
    CHECK(c.north == 40);
}

TEST_CASE("filter: columns() names every column accepts() reads", "[filter][columns]") {
    // An incident with every column set, and copies with one column emptied at a time: a
    // filter whose answer changes when a column is emptied reads that column, so columns()
    // must name it (a storage scan reads only those).
    core::Incident full;
    full.lon = 45.5;
    full.lat = 40.0;
    full.event_date = core::Date::from_ymd(2022, 9, 13);
    for (const auto& c : core::incident_columns()) {
        if (c.type == core::ColumnType::Text) full.*c.text = "Armenia";
        if (c.type == core::ColumnType::Integer) full.*c.integer = 7;
    }
    full.event_type = "Battles";
    full.status = "confirmed";
    full.reported_by = "Armenian MoD";
    full.actor2 = "Azerbaijan";
    std::vector<core::Filter> filters(8);
    std::vector<core::Incident> incidents(8, full);
    filters[0].from = core::Date::from_ymd(2022, 9, 1);
    filters[1].to = core::Date::from_ymd(1969, 12, 31);  // an empty date reads as 1970-01-01
    incidents[1].event_date = core::Date::from_ymd(1969, 12, 1);
    filters[2].types = {"Battles"};
    filters[3].reported_by = {"armenian mod"};
    filters[4].statuses = {"confirmed"};
    filters[5].min_fatalities = 5;
    filters[6].actor = "armen";  // actor1
    filters[7].actor = "azerb";  // actor2
    const auto& columns = core::incident_columns();
    for (std::size_t f = 0; f < filters.size(); ++f) {
        INFO("filter " << f);
        const core::Incident& full = incidents[f];
        REQUIRE(filters[f].accepts(full));
        const core::IncidentColumns read = filters[f].columns();
        std::size_t matters = 0;
        for (std::size_t i = 0; i < columns.size(); ++i) {
            core::Incident without = full;
            switch (columns[i].type) {
                case core::ColumnType::Text: (without.*columns[i].text).clear(); break;
                case core::ColumnType::Integer: (without.*columns[i].integer).reset(); break;
                case core::ColumnType::Date: without.event_date = core::Date{}; break;
            }
            if (filters[f].accepts(without)) continue;
            INFO("column " << columns[i].name);
            CHECK(read.has(i));
            ++matters;
        }
        CHECK(matters >= 1);  // each of these filters does read something
    }
    CHECK(core::Filter{}.columns().empty());
}
