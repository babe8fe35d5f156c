#pragma once
// Calendar dates (proleptic Gregorian, no time of day, no time zone): what ACLED's event_date
// and UCDP's date_start mean. Stored as days since 1970-01-01 so ranges compare as integers.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace limes::core {

struct Date {
    std::int32_t days = 0;  ///< days since 1970-01-01 (negative before)

    static Date from_ymd(int year, int month, int day);
    void to_ymd(int& year, int& month, int& day) const;
    int year() const;
    /** ISO 8601 calendar date, "2022-09-13". */
    std::string iso() const;
    /** The same into buf, NUL-terminated, without allocating; returns its length. */
    std::size_t iso(char (&buf)[40]) const;

    friend bool operator==(Date a, Date b) { return a.days == b.days; }
    friend bool operator!=(Date a, Date b) { return a.days != b.days; }
    friend bool operator<(Date a, Date b) { return a.days < b.days; }
    friend bool operator<=(Date a, Date b) { return a.days <= b.days; }
    friend bool operator>(Date a, Date b) { return a.days > b.days; }
    friend bool operator>=(Date a, Date b) { return a.days >= b.days; }
};

/** True when something valid from `from` until `to` holds on `day`: from is the first day it
 *  holds, to the first day it no longer does (a handover on D ends one claim with valid_to D
 *  and starts the next with valid_from D, and on D only the next holds). An open end (nullopt)
 *  does not limit. */
inline bool valid_on(const std::optional<Date>& from, const std::optional<Date>& to, Date day) {
    return (!from || *from <= day) && (!to || day < *to);
}

/** True for a real day: month 1..12, day within that month (2022-02-30 is false). */
bool is_valid_ymd(int year, int month, int day);

/** Parses the date forms found in ACLED and UCDP exports:
 *  "2022-09-13" (ISO; a trailing time such as " 00:00:00.000" or "T00:00:00Z" is ignored),
 *  "13-09-2022" and "13/09/2022" (day first), "2022/09/13",
 *  "13 September 2022" and "13 Sep 2022" (English month names, any case).
 *  Returns nullopt for anything else, including impossible days such as 2022-02-30. */
std::optional<Date> parse_date(std::string_view text);

}  // namespace limes::core
