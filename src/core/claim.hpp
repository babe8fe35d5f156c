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
};

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
