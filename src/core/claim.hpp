#pragma once
// A claim: somebody's statement that an area is held by someone. Neutral by construction:
// claimant (whose statement), holder (who holds it according to that statement) and sovereign
// (whose internationally recognised territory it lies in) are separate fields.
#include <array>
#include <cmath>
#include <cstdlib>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/date.hpp"
#include "core/error.hpp"
#include "core/geometry.hpp"

namespace limes::core {

struct Claim {
    std::int64_t fid = 0;  ///< feature id in the workspace; 0 until stored
    std::string claim_id, name, kind, claimant, holder, sovereign, status, source, source_url,
        notes;
    std::optional<Date> valid_from, valid_to;  ///< nullopt: open-ended / not stated
    MultiPolygon area;                         ///< WGS84 lon/lat
    /** How the geometry was made ("Natural Earth 10m admin-1 district polygon, whole
     *  district", "digitised from ..."); empty: not stated. */
    std::string geometry_source;
    /** How far the drawn boundary may be from the real one, metres; nullopt: not stated.
     *  Above kApproximateM the map draws the boundary dashed and says so. */
    std::optional<double> accuracy_m;
    /** How precisely valid_from is known: "" (the day), "month" or "year". A source that says
     *  "August 1992" is stored as valid_from 1992-08-01 with "month", so that a map of any day
     *  of that month or later draws it, and labels say "since 1992-08", not a day nobody
     *  stated. */
    std::string valid_from_precision;
};

/** A text column of the claims layer: its name in storage and its member. */
struct ClaimTextColumn {
    const char* name;
    std::string Claim::*member;
};
/** The claims layer's text columns in storage order (then valid_from, valid_to: dates;
 *  accuracy_m: a real), for every storage. */
inline const std::array<ClaimTextColumn, 12>& claim_text_columns() {
    static const std::array<ClaimTextColumn, 12> kColumns = {{
        {"claim_id", &Claim::claim_id},
        {"name", &Claim::name},
        {"kind", &Claim::kind},
        {"claimant", &Claim::claimant},
        {"holder", &Claim::holder},
        {"sovereign", &Claim::sovereign},
        {"status", &Claim::status},
        {"source", &Claim::source},
        {"source_url", &Claim::source_url},
        {"notes", &Claim::notes},
        {"geometry_source", &Claim::geometry_source},
        {"valid_from_precision", &Claim::valid_from_precision},
    }};
    return kColumns;
}

/** The canonical valid_from_precision ("", "month", "year"; "day" reads as ""), or nullopt
 *  for anything else. */
inline std::optional<std::string> canonical_date_precision(const std::string& text) {
    if (text.empty() || text == "day") return std::string();
    if (text == "month" || text == "year") return text;
    return std::nullopt;
}

/** The canonical valid_from_precision of a field read at `where`; throws DataError naming it
 *  for anything but day, month, year or empty. One rule for the importer and the default
 *  workspace's recipe. */
inline std::string date_precision_at(const std::string& text, const Location& where) {
    if (auto canonical = canonical_date_precision(text)) return *canonical;
    throw DataError(where, "'" + text + "': expected day, month or year");
}

/** valid_from as precisely as it is known: "1992-08-27", "1992-08" or "1992"; empty when not
 *  stated. */
inline std::string since_text(const Claim& c) {
    if (!c.valid_from) return {};
    const std::string iso = c.valid_from->iso();
    if (c.valid_from_precision == "month") return iso.substr(0, 7);
    if (c.valid_from_precision == "year") return iso.substr(0, 4);
    return iso;
}

/** Boundaries less accurate than this (metres) are drawn and listed as approximate. */
inline constexpr double kApproximateM = 500.0;

/** accuracy_m as text: a finite distance in metres, >= 0; nullopt for anything else (empty
 *  included). One rule for the importer and the default workspace's recipe. */
inline std::optional<double> parse_accuracy_m(const std::string& text) {
    char* end = nullptr;
    const double v = std::strtod(text.c_str(), &end);
    if (text.empty() || end == text.c_str() || *end != '\0' || !(v >= 0) || !std::isfinite(v))
        return std::nullopt;
    return v;
}

inline bool is_approximate(const Claim& c) {
    return c.accuracy_m && *c.accuracy_m > kApproximateM;
}

/** What is derived from a claim's geometry (geo/ops/stats.hpp): its geodesic area, and the
 *  part of it inside its sovereign's recognised territory while someone else holds it. */
struct ClaimFacts {
    double area_km2 = 0.0;  ///< geodesic, WGS84
    std::optional<double>
        encroachment_km2;  ///< nullopt: the sovereign is not in the countries layer
};

/** A claim with its derived figures, as stats and the window's claims list show it. */
struct MeasuredClaim {
    Claim claim;
    ClaimFacts facts;
};

inline constexpr std::array<std::string_view, 6> kClaimKinds = {
    "seized", "controlled", "transferred", "ceasefire_zone", "corridor", "other"};

/** The canonical claim kind (case-insensitive), or empty when unknown. */
std::string_view canonical_claim_kind(std::string_view text);

}  // namespace limes::core
