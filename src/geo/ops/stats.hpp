#pragma once
// `limes stats`: incidents and fatalities per province and per country (point in polygon), and
// each claim's geodesic area and encroachment: the part of the claim inside its sovereign's
// recognised territory while someone else holds it.
//
// Two ways to count, with identical results (tests/geo/test_stats.cpp compares them); both read
// only the columns the count and the filter need:
//   fast   the points located by PolygonLocator's grid; at many rows, two threads on two parts
//          of the table (IncidentTable::scan_parts);
//   plain  one pass, each point tested with GEOS prepared contains: the reference.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/claim.hpp"
#include "core/filter.hpp"
#include "geo/store/workspace.hpp"

namespace limes::geo {

/** Fatalities of a group of incidents. "Not stated" is not 0: an incident whose report gives
 *  no figure adds nothing to the sum and is counted apart, so a group where no incident
 *  states a figure has no sum at all (stated == 0), never a sum of 0. */
struct FatalityCount {
    long long sum = 0;         ///< sum over the incidents that state a figure
    long long stated = 0;      ///< incidents that state a figure (0 included)
    long long not_stated = 0;  ///< incidents whose report gives no figure
    bool any_stated() const { return stated > 0; }
    void add(const std::optional<std::int64_t>& dead) {
        if (dead) {
            sum += *dead;
            ++stated;
        } else {
            ++not_stated;
        }
    }
    void add(const FatalityCount& o) {
        sum += o.sum;
        stated += o.stated;
        not_stated += o.not_stated;
    }
    bool operator==(const FatalityCount& o) const {
        return sum == o.sum && stated == o.stated && not_stated == o.not_stated;
    }
};

struct AreaCount {
    std::string name;
    std::string country;  ///< ISO3 of the province's country (provinces only)
    long long incidents = 0;
    FatalityCount fatalities;
};

struct Stats {
    long long incidents = 0;
    FatalityCount fatalities;
    long long outside_countries = 0;   ///< incidents in no country polygon (sea, clipped out)
    std::vector<AreaCount> countries;  ///< sorted by incidents, then name
    std::vector<AreaCount> provinces;
    std::vector<core::MeasuredClaim> claims;
};

struct StatsOptions {
    enum class Method { Fast, Plain };
    Method method = Method::Fast;  ///< Plain: the GEOS reference path (tests, comparisons)
    /** Threads of the fast path: 0 picks (two at 50,000 rows and more on a machine with two
     *  cores or more, else one); 1 or 2 force that many (tests). */
    unsigned threads = 0;
};

Stats compute_stats(Workspace& ws, const core::Filter& filter, const StatsOptions& options = {});
/** Only the claims part (no pass over the incidents): the window's claims list. Claims are
 *  selected as export selects them (geo/ops/selection.hpp). */
std::vector<core::MeasuredClaim> compute_claim_stats(const Workspace& ws,
                                                     const core::Filter& filter);

/** Ground held by one holder inside one sovereign's territory, as the claims of one day say:
 *  the union of their areas (claims of one holder may overlap: counted once), geodesic. */
struct Holding {
    std::string holder, sovereign;
    double area_km2 = 0.0;    ///< geodesic (WGS84) area of the union
    std::size_t claims = 0;   ///< how many claims make it up
};

/** The holdings of claims (those valid on one day: core::Basemap::as_of), one per holder and
 *  sovereign, largest first. */
std::vector<Holding> holdings(const std::vector<core::Claim>& claims);

/** What one holder's ground inside one sovereign's territory became between two days, as the
 *  claims valid on each say: its area on each day and the ground gained (held on `to`, not on
 *  `from`) and lost (the reverse), geodesic km². */
struct HoldingChange {
    std::string holder, sovereign;
    double from_km2 = 0.0, to_km2 = 0.0, gained_km2 = 0.0, lost_km2 = 0.0;
};

/** The changes between from and to of every holder and sovereign that holds something on
 *  either day (claims: all of them, any dates), those that changed first, largest first. */
std::vector<HoldingChange> holding_changes(const std::vector<core::Claim>& claims,
                                           core::Date from, core::Date to);

/** Ground that changed hands between two days: held by from_holder on `from` (empty: by no
 *  claim) and by to_holder on `to` (empty: by none), as the claims valid on each day say.
 *  What a change map draws and its legend measures. */
struct HolderTransfer {
    std::string from_holder, to_holder;
    core::MultiPolygon area;  ///< WGS84 lon/lat
    double area_km2 = 0.0;    ///< geodesic (WGS84)
};

/** Transfers smaller than this (km²) are left out: claims built from shared edges leave
 *  slivers of round-off between them, not ground that moved. */
inline constexpr double kMinTransferKm2 = 0.5;

/** Every transfer between from and to of at least kMinTransferKm2, largest first. A holder's
 *  ground on a day is the union of its claims valid that day (whatever their sovereign). A's
 *  ground went to B where A lost it (held on `from`, not on `to`) and B gained it (the
 *  reverse): where two holders' claims overlap on both days (a corridor through a district)
 *  nothing moved. */
std::vector<HolderTransfer> holder_transfers(const std::vector<core::Claim>& claims,
                                             core::Date from, core::Date to);

}  // namespace limes::geo
