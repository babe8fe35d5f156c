#include "core/incident_rows.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <unordered_set>
#include <utility>

#include "core/error.hpp"
#include "core/text.hpp"

namespace limes::core {
namespace {

std::string quoted(std::string_view v) {
    constexpr std::size_t kMax = 60;
    std::string s(v.substr(0, kMax));
    if (v.size() > kMax) s += "...";
    return "'" + s + "'";
}

// ACLED columns of either schema that limes does not store: derivable or internal ids.
bool known_but_dropped(std::string_view name) {
    return name == "year" || name == "data_id" || name == "event_id_no_cnty" || name == "iso3";
}

// Where a value is, named without building the Location (three strings) for every value of
// every row: it is only made when there is something to report.
struct Where {
    const std::string& file;
    long row;
    std::string_view field;
    Location location() const { return {file, row, std::string(field)}; }
};

double parse_degrees(std::string_view text, const Where& where, double limit) {
    std::string_view t = trim(text);
    if (t.empty()) throw DataError(where.location(), "missing coordinate");
    // Plain decimal numbers only: std::from_chars is locale-independent and, unlike strtod,
    // reads no hexadecimal ("0x1.3cp5") and no "+", which no coordinate column holds.
    std::string_view digits = t;
    if (digits.size() > 1 && digits.front() == '+') digits.remove_prefix(1);
    double v = 0;
    const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), v,
                                           std::chars_format::general);
    if (ec != std::errc() || end != digits.data() + digits.size() || !std::isfinite(v))
        throw DataError(where.location(), quoted(t) + " is not a number");
    if (v < -limit || v > limit)
        throw DataError(where.location(), quoted(t) + " is outside -" + std::to_string(int(limit)) +
                                              ".." + std::to_string(int(limit)) + " degrees");
    return v;
}

std::optional<std::int64_t> parse_int(std::string_view text, const Where& where) {
    std::string_view t = trim(text);
    if (t.empty()) return std::nullopt;
    // Some exports write integers as "3.0".
    if (t.size() > 2 && t.substr(t.size() - 2) == ".0") t.remove_suffix(2);
    std::int64_t v = 0;
    auto [p, ec] = std::from_chars(t.data(), t.data() + t.size(), v);
    if (ec != std::errc() || p != t.data() + t.size())
        throw DataError(where.location(), quoted(t) + " is not a whole number");
    return v;
}

void check_range(const std::optional<std::int64_t>& v, std::int64_t lo, std::int64_t hi,
                 const Where& where) {
    if (v && (*v < lo || *v > hi))
        throw DataError(where.location(), std::to_string(*v) + " is outside " + std::to_string(lo) +
                                              ".." + std::to_string(hi));
}

}  // namespace

bool is_valid_utf8(std::string_view s) {
    const auto* p = reinterpret_cast<const unsigned char*>(s.data());
    const auto* end = p + s.size();
    while (p < end) {
        // Fast path over ASCII, 8 bytes at a time.
        while (end - p >= 8) {
            std::uint64_t w;
            std::memcpy(&w, p, 8);
            if (w & 0x8080808080808080ULL) break;
            p += 8;
        }
        if (p >= end) break;
        const unsigned char c = *p;
        if (c < 0x80) {
            ++p;
            continue;
        }
        int n;
        std::uint32_t cp;
        if ((c & 0xE0) == 0xC0)
            n = 1, cp = c & 0x1F;
        else if ((c & 0xF0) == 0xE0)
            n = 2, cp = c & 0x0F;
        else if ((c & 0xF8) == 0xF0)
            n = 3, cp = c & 0x07;
        else
            return false;
        if (end - p <= n) return false;
        for (int i = 1; i <= n; ++i) {
            if ((p[i] & 0xC0) != 0x80) return false;
            cp = (cp << 6) | (p[i] & 0x3F);
        }
        // Overlong forms, surrogates and values past U+10FFFF are not UTF-8.
        if ((n == 1 && cp < 0x80) || (n == 2 && cp < 0x800) || (n == 3 && cp < 0x10000) ||
            cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
            return false;
        p += n + 1;
    }
    return true;
}

void check_text(std::string_view value, const std::string& file, long row, std::string_view field) {
    if (value.size() > kMaxTextBytes)
        throw DataError({file, row, std::string(field)}, "text of " + std::to_string(value.size()) +
                                                             " bytes; a field holds at most " +
                                                             std::to_string(kMaxTextBytes));
    if (!is_valid_utf8(value))
        throw DataError({file, row, std::string(field)}, "text is not valid UTF-8");
    if (!value.empty() && std::memchr(value.data(), '\0', value.size()))  // memchr wants non-null
        throw DataError({file, row, std::string(field)}, "text contains a NUL byte");
}

RowFormat detect_row_format(const std::vector<std::string>& header, const std::string& file) {
    auto has = [&](std::string_view name) {
        return std::any_of(header.begin(), header.end(),
                           [&](const std::string& h) { return core::to_lower(trim(h)) == name; });
    };
    if (has("date_start") && has("where_prec")) return RowFormat::Ucdp;
    if (has("event_date") && has("event_type")) return RowFormat::Acled;
    // Half of one format's markers: choose it, so that its mapper names the missing column.
    if (has("event_date") || has("event_type")) return RowFormat::Acled;
    if (has("date_start") || has("where_prec")) return RowFormat::Ucdp;
    throw DataError({file, 1, ""},
                    "not an ACLED CSV (needs event_date and event_type columns) nor a UCDP GED "
                    "CSV (needs date_start and where_prec)");
}

IncidentRowMapper::IncidentRowMapper(RowFormat format, std::vector<std::string> header,
                                     std::string file)
    : format_(format), header_(std::move(header)), file_(std::move(file)) {
    // Column names are checked as text first: they are printed (ignored columns) and stored.
    for (std::size_t i = 0; i < header_.size(); ++i)
        check_text(header_[i], file_, 1, "column " + std::to_string(i + 1));
    for (auto& h : header_) h = core::to_lower(trim(h));  // names as written, trimmed, any case
    // Duplicated column names make the mapping ambiguous: refuse rather than pick one. A set,
    // not a pairwise loop: a hostile header has 100,000 columns.
    std::unordered_set<std::string_view> seen;
    for (const std::string& h : header_)
        if (!h.empty() && !seen.insert(h).second)
            throw DataError({file_, 1, h}, "column appears twice in the header");
    lat_ = col("latitude");
    lon_ = col("longitude");
    has_reported_by_ = col("reported_by") >= 0;
    if (format_ == RowFormat::Acled) {
        for (const char* required : {"event_date", "event_type"})
            if (col(required) < 0)
                throw DataError({file_, 1, required}, "required column is missing");
        target_.assign(header_.size(), -1);
        for (std::size_t i = 0; i < header_.size(); ++i) {
            target_[i] = incident_column_index(header_[i]);
            if (target_[i] < 0 && header_[i] != "latitude" && header_[i] != "longitude" &&
                !known_but_dropped(header_[i]) && !header_[i].empty())
                ignored_.push_back(header_[i]);
        }
    } else {
        for (const char* required : {"id", "date_start", "type_of_violence", "best"})
            if (col(required) < 0)
                throw DataError({file_, 1, required}, "required UCDP GED column is missing");
    }
}

int IncidentRowMapper::col(std::string_view name) const {
    for (std::size_t i = 0; i < header_.size(); ++i)
        if (header_[i] == name) return static_cast<int>(i);
    return -1;
}

Incident IncidentRowMapper::map(const std::vector<std::string_view>& values, long row) const {
    Incident inc;
    map_into(values, row, inc);
    return inc;
}

Incident IncidentRowMapper::map(const std::vector<std::string_view>& values, long row, double lon,
                                double lat) const {
    Incident inc;
    if (format_ == RowFormat::Acled)
        map_acled(values, row, true, lon, lat, inc);
    else
        map_ucdp(values, row, true, lon, lat, inc);
    return inc;
}

void IncidentRowMapper::map_into(const std::vector<std::string_view>& values, long row,
                                 Incident& out) const {
    if (format_ == RowFormat::Acled)
        map_acled(values, row, false, 0, 0, out);
    else
        map_ucdp(values, row, false, 0, 0, out);
}

namespace {

// Shared by both formats: coordinates from the columns (or the geometry), then checks.
void set_point(Incident& inc, const std::vector<std::string_view>& v, int lat_col, int lon_col,
               bool has_point, double lon, double lat, const std::string& file, long row) {
    if (has_point) {
        if (!std::isfinite(lon) || !std::isfinite(lat) || lat < -90 || lat > 90 || lon < -180 ||
            lon > 180)
            throw DataError({file, row, "geometry"},
                            "point is outside -180..180 / -90..90 degrees");
        inc.lon = lon;
        inc.lat = lat;
        return;
    }
    if (lat_col < 0 || lon_col < 0)
        throw DataError({file, row, lat_col < 0 ? "latitude" : "longitude"},
                        "missing coordinates (no such column)");
    inc.lat = parse_degrees(static_cast<std::size_t>(lat_col) < v.size() ? v[lat_col] : "",
                            Where{file, row, "latitude"}, 90);
    inc.lon = parse_degrees(static_cast<std::size_t>(lon_col) < v.size() ? v[lon_col] : "",
                            Where{file, row, "longitude"}, 180);
}

// Valid (event type, sub-event type) pairs in their canonical spelling, built once from the
// taxonomy in core/incident.cpp, so that rows spelled canonically (nearly all) skip the
// case- and space-folding comparison.
bool is_canonical_sub_event_type(std::string_view type, std::string_view sub) {
    static const std::vector<std::pair<std::string, std::string>> pairs = [] {
        std::vector<std::pair<std::string, std::string>> out;
        for (auto t : kEventTypes) {
            const std::string all = sub_event_types_of(t);  // "A, B, C"
            std::size_t begin = 0;
            while (begin < all.size()) {
                std::size_t end = all.find(", ", begin);
                if (end == std::string::npos) end = all.size();
                out.emplace_back(std::string(t), all.substr(begin, end - begin));
                begin = end + 2;
            }
        }
        return out;
    }();
    for (const auto& [t, s] : pairs)
        if (t == type && s == sub) return true;
    return false;
}

template <std::size_t N>
bool is_one_of(const std::array<std::string_view, N>& names, std::string_view text) {
    return std::find(names.begin(), names.end(), text) != names.end();
}

// Checks shared by both formats once the columns are filled.
void validate(Incident& inc, const std::string& file, long row) {
    const auto type = is_one_of(kEventTypes, inc.event_type) ? std::string_view(inc.event_type)
                                                             : canonical_event_type(inc.event_type);
    if (type.empty()) {
        std::string all;
        for (auto e : kEventTypes) all += (all.empty() ? "" : ", ") + std::string(e);
        throw DataError({file, row, "event_type"},
                        (inc.event_type.empty() ? std::string("missing event type")
                                                : "unknown event type " + quoted(inc.event_type)) +
                            " (ACLED types: " + all + ")");
    }
    if (type.data() != inc.event_type.data()) inc.event_type = std::string(type);
    if (!inc.sub_event_type.empty() && !is_canonical_sub_event_type(type, inc.sub_event_type)) {
        const auto sub = canonical_sub_event_type(type, inc.sub_event_type);
        if (sub.empty())
            throw DataError({file, row, "sub_event_type"},
                            quoted(inc.sub_event_type) + " is not a sub-event type of " +
                                std::string(type) + " (" + sub_event_types_of(type) + ")");
        inc.sub_event_type = std::string(sub);
    }
    if (inc.status.empty()) {
        inc.status = "reported";
    } else if (!is_one_of(kStatuses, inc.status)) {
        const auto st = canonical_status(inc.status);
        if (st.empty())
            throw DataError({file, row, "status"},
                            "unknown status " + quoted(inc.status) +
                                " (reported, confirmed, disputed or denied)");
        inc.status = std::string(st);
    }
    check_range(inc.time_precision, 1, 3, Where{file, row, "time_precision"});
    check_range(inc.geo_precision, 1, 3, Where{file, row, "geo_precision"});
    for (auto [value, name] : {std::pair{&inc.fatalities, "fatalities"},
                               std::pair{&inc.fatalities_low, "fatalities_low"},
                               std::pair{&inc.fatalities_high, "fatalities_high"}})
        if (*value && **value < 0)
            throw DataError({file, row, name}, std::to_string(**value) + " is negative");
}

}  // namespace

// Makes inc a default Incident again while its strings keep their buffers, so that mapping a
// million rows into the same few thousand Incidents allocates next to nothing. Every member
// is either one of incident_columns() or reset here by name.
namespace {
void reset(Incident& inc) {
    inc.fid = 0;
    inc.lon = inc.lat = 0.0;
    inc.event_date = Date{};
    for (const auto& c : incident_columns()) {
        if (c.text) (inc.*c.text).clear();
        if (c.integer) (inc.*c.integer).reset();
    }
}
}  // namespace

void IncidentRowMapper::map_acled(const std::vector<std::string_view>& v, long row, bool has_point,
                                  double lon, double lat, Incident& inc) const {
    reset(inc);
    bool have_date = false;
    const auto& columns = incident_columns();
    const std::size_t n = std::min(v.size(), target_.size());
    for (std::size_t i = 0; i < n; ++i) {
        const int t = target_[i];
        if (t < 0) continue;
        const IncidentColumn& c = columns[t];
        const std::string_view value = v[i];
        check_text(value, file_, row, c.name);
        switch (c.type) {
            case ColumnType::Text: {
                const std::string_view t = trim(value);
                (inc.*c.text).assign(t.data(), t.size());
                break;
            }
            case ColumnType::Integer:
                inc.*c.integer = parse_int(value, Where{file_, row, c.name});
                break;
            case ColumnType::Date: {
                const auto d = parse_date(value);
                if (!d)
                    throw DataError({file_, row, "event_date"},
                                    trim(value).empty()
                                        ? std::string("missing date")
                                        : quoted(value) +
                                              " is not a date (expected YYYY-MM-DD, "
                                              "DD-MM-YYYY or '31 December 2014')");
                inc.event_date = *d;
                have_date = true;
                break;
            }
        }
    }
    if (!have_date) throw DataError({file_, row, "event_date"}, "missing date");
    set_point(inc, v, lat_, lon_, has_point, lon, lat, file_, row);
    if (inc.reported_by.empty() && !has_reported_by_) inc.reported_by = "ACLED";
    validate(inc, file_, row);
}

void IncidentRowMapper::map_ucdp(const std::vector<std::string_view>& v, long row, bool has_point,
                                 double lon, double lat, Incident& inc) const {
    auto get = [&](std::string_view name) -> std::string_view {
        const int c = col(name);
        if (c < 0 || static_cast<std::size_t>(c) >= v.size()) return {};
        check_text(v[c], file_, row, name);
        return trim(v[c]);
    };
    auto get_int = [&](std::string_view name) {
        return parse_int(get(name), Where{file_, row, name});
    };
    reset(inc);
    inc.event_id_cnty = "UCDP-GED-" + std::string(get("id"));
    const auto d = parse_date(get("date_start"));
    if (!d)
        throw DataError({file_, row, "date_start"},
                        get("date_start").empty() ? std::string("missing date")
                                                  : quoted(get("date_start")) + " is not a date");
    inc.event_date = *d;
    // UCDP date_prec: 1 exact day, 2 2-6 days, 3 week, 4 month, 5 longer. ACLED: 1 day,
    // 2 week, 3 month.
    if (auto p = get_int("date_prec")) inc.time_precision = *p <= 1 ? 1 : *p <= 3 ? 2 : 3;
    // UCDP where_prec: 1 exact, 2 within 25 km, 3 second-order admin, 4 first-order admin,
    // 5-7 larger or unknown. ACLED geo_precision: 1 town, 2 near / part of region, 3 province.
    if (auto p = get_int("where_prec")) inc.geo_precision = *p <= 1 ? 1 : *p <= 3 ? 2 : 3;
    const auto tov = get_int("type_of_violence");
    if (!tov || *tov < 1 || *tov > 3)
        throw DataError({file_, row, "type_of_violence"},
                        "expected 1 (state-based), 2 (non-state) or 3 (one-sided)");
    inc.event_type = *tov == 3 ? "Violence against civilians" : "Battles";
    inc.sub_event_type = *tov == 3 ? "Attack" : "Armed clash";
    inc.actor1 = std::string(get("side_a"));
    inc.actor2 = std::string(get("side_b"));
    inc.country = std::string(get("country"));
    inc.region = std::string(get("region"));
    inc.admin1 = std::string(get("adm_1"));
    inc.admin2 = std::string(get("adm_2"));
    inc.location = std::string(get("where_coordinates"));
    inc.fatalities = get_int("best");
    inc.fatalities_low = get_int("low");
    inc.fatalities_high = get_int("high");
    const std::string_view office = get("source_office");
    inc.source = office.empty() ? "UCDP GED" : "UCDP GED; " + std::string(office);
    std::string notes(get("source_headline"));
    if (auto where = get("where_description"); !where.empty())
        notes += (notes.empty() ? "" : " | ") + std::string("where: ") + std::string(where);
    inc.notes = std::move(notes);
    inc.tags = std::string(get("conflict_name"));
    inc.reported_by = "UCDP";
    set_point(inc, v, lat_, lon_, has_point, lon, lat, file_, row);
    validate(inc, file_, row);
}

}  // namespace limes::core
