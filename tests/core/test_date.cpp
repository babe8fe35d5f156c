// Calendar dates: the days-since-epoch conversion, validity of days and every accepted form.
#include <catch2/catch.hpp>

#include <string>

#include "core/date.hpp"

using limes::core::Date;
using limes::core::is_valid_ymd;
using limes::core::parse_date;

namespace {

// An independent month-length table, so the round trip does not test the code against itself.
int days_in_month(int y, int m) {
    static const int kDays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    const bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return kDays[m - 1] + (m == 2 && leap ? 1 : 0);
}

std::string iso_of(const std::optional<Date>& d) {
    return d ? d->iso() : "nullopt";
}

}  // namespace

TEST_CASE("Date: known day counts since 1970-01-01", "[date]") {
    CHECK(Date::from_ymd(1970, 1, 1).days == 0);
    CHECK(Date::from_ymd(1969, 12, 31).days == -1);
    CHECK(Date::from_ymd(2000, 2, 29).days == 11016);
    CHECK(Date::from_ymd(2000, 3, 1).days == 11017);
    CHECK(Date::from_ymd(2022, 9, 13).days == 19248);
    CHECK(Date::from_ymd(1900, 1, 1).days == -25567);
    CHECK(Date::from_ymd(2100, 12, 31).days == 47846);
}

TEST_CASE("Date: from_ymd/to_ymd round trip every day of 1900..2100", "[date]") {
    std::int32_t expected = Date::from_ymd(1900, 1, 1).days;
    long checked = 0, mismatches = 0;
    std::string first_bad;
    for (int y = 1900; y <= 2100; ++y) {
        for (int m = 1; m <= 12; ++m) {
            for (int d = 1; d <= days_in_month(y, m); ++d) {
                const Date date = Date::from_ymd(y, m, d);
                int yy = 0, mm = 0, dd = 0;
                date.to_ymd(yy, mm, dd);
                const bool ok = date.days == expected && yy == y && mm == m && dd == d &&
                                date.year() == y && is_valid_ymd(y, m, d);
                if (!ok && mismatches++ == 0)
                    first_bad = std::to_string(y) + "-" + std::to_string(m) + "-" +
                                std::to_string(d) + " -> " + std::to_string(date.days) +
                                " (expected " + std::to_string(expected) + ") -> " +
                                std::to_string(yy) + "-" + std::to_string(mm) + "-" +
                                std::to_string(dd);
                ++expected;
                ++checked;
            }
            // The day after the last one of the month is never valid.
            if (is_valid_ymd(y, m, days_in_month(y, m) + 1) && mismatches++ == 0)
                first_bad = "day after end of " + std::to_string(y) + "-" + std::to_string(m);
        }
    }
    INFO(first_bad);
    CHECK(mismatches == 0);
    CHECK(checked == 201 * 365 + 49);  // 49 leap years: 1904..2096 (1900 and 2100 are not)
    CHECK(expected == Date::from_ymd(2101, 1, 1).days);
}

TEST_CASE("Date: leap days", "[date]") {
    CHECK(is_valid_ymd(2000, 2, 29));  // divisible by 400
    CHECK(is_valid_ymd(2024, 2, 29));
    CHECK_FALSE(is_valid_ymd(1900, 2, 29));  // divisible by 100, not 400
    CHECK_FALSE(is_valid_ymd(2100, 2, 29));
    CHECK_FALSE(is_valid_ymd(2023, 2, 29));
    CHECK(Date::from_ymd(2024, 3, 1).days - Date::from_ymd(2024, 2, 28).days == 2);
    CHECK(Date::from_ymd(2023, 3, 1).days - Date::from_ymd(2023, 2, 28).days == 1);
    CHECK(Date::from_ymd(2024, 2, 29).iso() == "2024-02-29");
    CHECK(iso_of(parse_date("2024-02-29")) == "2024-02-29");
    CHECK_FALSE(parse_date("2023-02-29"));
    CHECK_FALSE(parse_date("1900-02-29"));
    CHECK_FALSE(parse_date("29 February 2100"));
}

TEST_CASE("Date: is_valid_ymd limits", "[date]") {
    CHECK(is_valid_ymd(2022, 1, 31));
    CHECK(is_valid_ymd(2022, 12, 31));
    CHECK_FALSE(is_valid_ymd(2022, 0, 1));
    CHECK_FALSE(is_valid_ymd(2022, 13, 1));
    CHECK_FALSE(is_valid_ymd(2022, 4, 31));
    CHECK_FALSE(is_valid_ymd(2022, 2, 30));
    CHECK_FALSE(is_valid_ymd(2022, 1, 0));
    CHECK_FALSE(is_valid_ymd(2022, 1, -1));
    CHECK_FALSE(is_valid_ymd(0, 1, 1));
}

TEST_CASE("Date: iso() pads and orders", "[date]") {
    CHECK(Date::from_ymd(2022, 9, 3).iso() == "2022-09-03");
    CHECK(Date::from_ymd(1905, 1, 1).iso() == "1905-01-01");
    CHECK(Date{}.iso() == "1970-01-01");
    CHECK(Date::from_ymd(2022, 9, 13).year() == 2022);
    const Date a = Date::from_ymd(2022, 9, 13), b = Date::from_ymd(2022, 9, 14);
    CHECK(a < b);
    CHECK(a <= b);
    CHECK(b > a);
    CHECK(b >= a);
    CHECK(a != b);
    CHECK(a == Date::from_ymd(2022, 9, 13));
    CHECK_FALSE(b < a);
}

TEST_CASE("parse_date: every accepted form", "[date]") {
    struct Case {
        const char* text;
        const char* iso;
    };
    const Case cases[] = {
        {"2022-09-13", "2022-09-13"},
        {"2022-09-13 00:00:00.000", "2022-09-13"},  // UCDP date_start
        {"2022-09-13T23:59:59Z", "2022-09-13"},
        {"  2022-09-13\t", "2022-09-13"},
        {"2022/09/13", "2022-09-13"},
        {"13-09-2022", "2022-09-13"},  // day first, older ACLED exports
        {"13/09/2022", "2022-09-13"},
        {"01/02/2022", "2022-02-01"},  // day first, never month first
        {"31 December 2014", "2014-12-31"},
        {"1 Dec 2014", "2014-12-01"},
        {"01 Dec 2014", "2014-12-01"},
        {"13 September 2022", "2022-09-13"},
        {"13 september 2022", "2022-09-13"},
        {"13 SEPTEMBER 2022", "2022-09-13"},
        {"13 Sep 2022", "2022-09-13"},
        {"13 Sept 2022", "2022-09-13"},
        {"13 Sep. 2022", "2022-09-13"},
        {"2 May 2022", "2022-05-02"},
        {"29 Feb 2024", "2024-02-29"},
    };
    for (const auto& c : cases) {
        INFO("input: '" << c.text << "'");
        CHECK(iso_of(parse_date(c.text)) == c.iso);
    }
}

TEST_CASE("parse_date: rejects impossible days and other text", "[date]") {
    const char* bad[] = {
        "2022-02-30",
        "2022-02-29",
        "2022-04-31",
        "2022-13-01",
        "2022-00-10",
        "2022-09-00",
        "31-04-2022",
        "30/02/2022",
        "31 April 2022",
        "32 December 2014",
        "0 Dec 2014",
        "30 Feb 2022",
        "",
        "   ",
        "2022",
        "2022-09-1",
        "2022-9-13",
        "20220913",
        "2022-09-13X",
        "2022-09/13",
        "2022/09-13",
        "13-09-22",
        "13-09/2022",
        "13 Smarch 2022",
        "13 Sep 22",
        "Sep 13 2022",
        "13 Se 2022",
        "September 2022",
        "123 Sep 2022",
        "aaaa-bb-cc",
        "-022-09-13",
        "1O Sep 2022",
    };
    for (const char* text : bad) {
        INFO("input: '" << text << "'");
        CHECK_FALSE(parse_date(text).has_value());
    }
}
