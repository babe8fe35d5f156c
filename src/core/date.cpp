#include "core/date.hpp"

#include <array>
#include <cctype>
#include <cstdio>

#include "core/text.hpp"

namespace limes::core {
namespace {

// Days from civil and back: the standard era-based conversion (400-year cycles of 146097
// days), valid for every proleptic Gregorian date an int32 day count can hold.
std::int32_t days_from_civil(int y, int m, int d) {
    y -= m <= 2;
    const int era = (y >= 0 ? y : y - 399) / 400;
    const int yoe = y - era * 400;
    const int doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    const int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

bool leap(int y) {
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

// Reads exactly n ASCII digits at s[pos..]; -1 if not digits.
int digits(std::string_view s, std::size_t pos, std::size_t n) {
    if (pos + n > s.size()) return -1;
    int v = 0;
    for (std::size_t i = pos; i < pos + n; ++i) {
        if (s[i] < '0' || s[i] > '9') return -1;
        v = v * 10 + (s[i] - '0');
    }
    return v;
}

int month_from_name(std::string_view name) {
    static constexpr std::array<const char*, 12> kNames = {
        "january", "february", "march",     "april",   "may",      "june",
        "july",    "august",   "september", "october", "november", "december"};
    if (name.size() < 3) return 0;
    std::string lower;
    for (char c : name) lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (lower.back() == '.') lower.pop_back();
    for (int i = 0; i < 12; ++i) {
        std::string_view full = kNames[i];
        if (lower == full || (lower.size() == 3 && full.substr(0, 3) == lower) ||
            (lower == "sept" && i == 8))
            return i + 1;
    }
    return 0;
}

std::optional<Date> make(int y, int m, int d) {
    if (!is_valid_ymd(y, m, d)) return std::nullopt;
    return Date::from_ymd(y, m, d);
}

}  // namespace

Date Date::from_ymd(int year, int month, int day) {
    return Date{days_from_civil(year, month, day)};
}

void Date::to_ymd(int& year, int& month, int& day) const {
    const int z = days + 719468;
    const int era = (z >= 0 ? z : z - 146096) / 146097;
    const int doe = z - era * 146097;
    const int yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const int doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const int mp = (5 * doy + 2) / 153;
    day = doy - (153 * mp + 2) / 5 + 1;
    month = mp + (mp < 10 ? 3 : -9);
    year = yoe + era * 400 + (month <= 2);
}

int Date::year() const {
    int y, m, d;
    to_ymd(y, m, d);
    return y;
}

std::size_t Date::iso(char (&buf)[40]) const {
    int y, m, d;
    to_ymd(y, m, d);
    if (y < 0 || y > 9999)  // room for any int triple in buf, so no truncation
        return static_cast<std::size_t>(std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", y, m, d));
    // Without snprintf: an export or an import formats a million of these.
    const int digits[8] = {y / 1000, y / 100 % 10, y / 10 % 10, y % 10,
                           m / 10,   m % 10,       d / 10,      d % 10};
    const int at[8] = {0, 1, 2, 3, 5, 6, 8, 9};
    for (int i = 0; i < 8; ++i) buf[at[i]] = static_cast<char>('0' + digits[i]);
    buf[4] = buf[7] = '-';
    buf[10] = '\0';
    return 10;
}

std::string Date::iso() const {
    char buf[40];
    return std::string(buf, iso(buf));
}

bool is_valid_ymd(int year, int month, int day) {
    static constexpr int kDays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (year < 1 || year > 9999 || month < 1 || month > 12 || day < 1) return false;
    const int max_day = kDays[month - 1] + (month == 2 && leap(year));
    return day <= max_day;
}

std::optional<Date> parse_date(std::string_view text) {
    const std::string_view s = trim(text);
    if (s.size() < 8) return std::nullopt;
    // yyyy-mm-dd or yyyy/mm/dd, optionally followed by a time ("2022-09-13 00:00:00.000").
    if (s.size() >= 10 && (s[4] == '-' || s[4] == '/') && s[7] == s[4]) {
        const int y = digits(s, 0, 4), m = digits(s, 5, 2), d = digits(s, 8, 2);
        if (y < 0 || m < 0 || d < 0) return std::nullopt;
        if (s.size() > 10 && s[10] != ' ' && s[10] != 'T') return std::nullopt;
        return make(y, m, d);
    }
    // dd-mm-yyyy or dd/mm/yyyy (day first, as in ACLED's older exports).
    if (s.size() == 10 && (s[2] == '-' || s[2] == '/') && s[5] == s[2]) {
        const int d = digits(s, 0, 2), m = digits(s, 3, 2), y = digits(s, 6, 4);
        if (y < 0 || m < 0 || d < 0) return std::nullopt;
        return make(y, m, d);
    }
    // "31 December 2014", "1 Dec 2014".
    const std::size_t sp1 = s.find(' ');
    const std::size_t sp2 = s.rfind(' ');
    if (sp1 == std::string_view::npos || sp1 == sp2 || sp1 > 2) return std::nullopt;
    const int d = sp1 == 1 ? digits(s, 0, 1) : digits(s, 0, 2);
    const int m = month_from_name(trim(s.substr(sp1 + 1, sp2 - sp1 - 1)));
    const int y = s.size() - sp2 - 1 == 4 ? digits(s, sp2 + 1, 4) : -1;
    if (d < 0 || m == 0 || y < 0) return std::nullopt;
    return make(y, m, d);
}

}  // namespace limes::core
