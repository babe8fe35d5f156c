#include "geo/ops/stats.hpp"

#include <algorithm>
#include <cctype>
#include <deque>
#include <map>
#include <exception>
#include <thread>

#include "core/error.hpp"
#include "core/huge_pages.hpp"
#include "core/text.hpp"
#include "geo/geometry/geodesic.hpp"
#include "geo/geometry/point_in_polygon.hpp"
#include "geo/ops/selection.hpp"

namespace limes::geo {
namespace {

// ---------------------------------------------------------------------------------------------
// [SECTION] Areas and their counts
// ---------------------------------------------------------------------------------------------

// The areas' lon/lat rings, gridded (see point_in_polygon.hpp).
PolygonLocator locator_for(const std::vector<NamedArea>& areas) {
    PolygonLocator locator;
    for (const auto& a : areas) locator.add(a.area);
    locator.prepare();
    return locator;
}

std::vector<AreaCount> counts_for(const std::vector<NamedArea>& areas) {
    std::vector<AreaCount> out;
    for (const auto& a : areas) out.push_back({a.name, a.country, 0, {}});
    return out;
}

void sort_counts(std::vector<AreaCount>& v) {
    v.erase(std::remove_if(v.begin(), v.end(), [](const AreaCount& c) { return c.incidents == 0; }),
            v.end());
    std::sort(v.begin(), v.end(), [](const AreaCount& a, const AreaCount& b) {
        return a.incidents != b.incidents ? a.incidents > b.incidents : a.name < b.name;
    });
}

/** What one pass (or one thread's part of it) counted; merged into Stats at the end. Written
 *  at every row: the tally and its arrays take cache lines of their own (core::kCacheLine), so
 *  that the two threads' counts never share one. */
struct alignas(core::kCacheLine) Tally {
    long long incidents = 0, outside = 0;
    FatalityCount fatalities;
    core::LineVector<long long> country_n, province_n;
    core::LineVector<FatalityCount> country_dead, province_dead;

    Tally(std::size_t countries, std::size_t provinces)
        : country_n(countries),
          province_n(provinces),
          country_dead(countries),
          province_dead(provinces) {}
    /** One accepted incident in country c and province p (-1: none). */
    void add(long c, long p, const std::optional<std::int64_t>& dead) {
        ++incidents;
        fatalities.add(dead);
        if (c >= 0) {
            ++country_n[static_cast<std::size_t>(c)];
            country_dead[static_cast<std::size_t>(c)].add(dead);
        } else {
            ++outside;
        }
        if (p >= 0) {
            ++province_n[static_cast<std::size_t>(p)];
            province_dead[static_cast<std::size_t>(p)].add(dead);
        }
    }
    void add_to(Stats& s) const {
        s.incidents += incidents;
        s.fatalities.add(fatalities);
        s.outside_countries += outside;
        for (std::size_t i = 0; i < country_n.size(); ++i) {
            s.countries[i].incidents += country_n[i];
            s.countries[i].fatalities.add(country_dead[i]);
        }
        for (std::size_t i = 0; i < province_n.size(); ++i) {
            s.provinces[i].incidents += province_n[i];
            s.provinces[i].fatalities.add(province_dead[i]);
        }
    }
};

// ---------------------------------------------------------------------------------------------
// [SECTION] The pass over the incidents
// ---------------------------------------------------------------------------------------------

/** What the count reads: fatalities, and whatever the filter tests. */
IncidentQuery count_query(const core::Filter& filter) {
    IncidentQuery q;
    q.columns = core::IncidentColumns{"fatalities"};
    q.filter = &filter;
    q.keys = false;  // a count needs neither fid nor version
    return q;
}

/** Fast: the grid locators, the table read in parts on two threads when it is large. */
void count_fast(Workspace& ws, const core::Filter& filter, unsigned threads,
                const PolygonLocator& countries, const PolygonLocator& provinces, Stats& stats) {
    const RegionTest region = region_test(ws, filter.region);
    const RegionTest regions[2] = {region.for_thread(), region.for_thread()};
    const Tally zero(stats.countries.size(), stats.provinces.size());
    std::vector<Tally> tallies(2, zero);
    const unsigned parts = ws.incidents().scan_parts(
        count_query(filter), std::min(threads, 2u),
        [&](unsigned part, const core::Incident& inc) {
            if (!regions[part].contains(inc.lon, inc.lat)) return;
            tallies[part].add(countries.find(inc.lon, inc.lat), provinces.find(inc.lon, inc.lat),
                              inc.fatalities);
        },
        [&] { tallies.assign(2, zero); });
    tallies.erase(tallies.begin() + parts, tallies.end());  // the parts that stand
    for (const Tally& t : tallies) t.add_to(stats);
}

/** Plain: one pass, each point tested with GEOS prepared contains against every area. */
void count_plain(Workspace& ws, const core::Filter& filter, const std::vector<NamedArea>& countries,
                 const std::vector<NamedArea>& provinces, Stats& stats) {
    const GeosContext ctx;
    struct Prepared {
        GeomPtr geom;
        PreparedPtr prepared;
    };
    auto prepared = [&](const std::vector<NamedArea>& areas) {
        std::vector<Prepared> out;
        for (const auto& a : areas) {
            Prepared p{to_geos(ctx, a.area), nullptr};
            p.prepared = prepare(ctx, p.geom.get());
            out.push_back(std::move(p));
        }
        return out;
    };
    const auto country_geoms = prepared(countries), province_geoms = prepared(provinces);
    auto first_containing = [&](const std::vector<Prepared>& areas, const GEOSGeometry* pt) {
        for (std::size_t i = 0; i < areas.size(); ++i)
            if (GEOSPreparedContains_r(ctx.get(), areas[i].prepared.get(), pt) == 1)
                return static_cast<long>(i);
        return -1L;
    };
    const RegionTest region = region_test(ws, filter.region);
    Tally tally(countries.size(), provinces.size());
    ws.incidents().for_each(count_query(filter), [&](const core::Incident& inc) {
        if (!region.contains(inc.lon, inc.lat)) return;
        GeomPtr pt = own(ctx, GEOSGeom_createPointFromXY_r(ctx.get(), inc.lon, inc.lat), "point");
        tally.add(first_containing(country_geoms, pt.get()),
                  first_containing(province_geoms, pt.get()), inc.fatalities);
    });
    tally.add_to(stats);
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// [SECTION] Claims and the whole
// ---------------------------------------------------------------------------------------------

std::vector<core::MeasuredClaim> compute_claim_stats(const Workspace& ws,
                                                     const core::Filter& filter) {
    const GeosContext ctx;
    const auto countries = ws.areas("countries", {"name", "NAME"}, "iso_a3");
    std::vector<core::MeasuredClaim> out;
    for (auto& claim : select_claims(ws, filter)) {
        core::MeasuredClaim m{std::move(claim), {}};
        const core::Claim& c = m.claim;
        core::ClaimFacts& s = m.facts;
        s.area_km2 = geodesic_area_km2(c.area);
        if (!c.sovereign.empty() && !c.holder.empty() && core::iequals(c.sovereign, c.holder)) {
            s.encroachment_km2 = 0.0;
        } else {
            // The sovereign's recognised territory: its country polygon.
            for (const auto& country : countries) {
                if (!core::iequals(country.name, c.sovereign) &&
                    !core::iequals(country.country, c.sovereign))
                    continue;
                GeomPtr claim = to_geos(ctx, c.area), land = to_geos(ctx, country.area);
                GeomPtr inside = own(ctx, GEOSIntersection_r(ctx.get(), claim.get(), land.get()),
                                     "intersection");
                s.encroachment_km2 = geodesic_area_km2(to_multipolygon(ctx, inside.get()));
                break;
            }
        }
        out.push_back(std::move(m));
    }
    return out;
}

namespace {

// The union of the claims' areas (null when there are none): the ground they cover, once.
GeomPtr union_of(const GeosContext& ctx, const std::vector<const core::Claim*>& claims) {
    if (claims.empty()) return nullptr;
    std::vector<GEOSGeometry*> parts;
    for (const core::Claim* c : claims) parts.push_back(to_geos(ctx, c->area).release());
    // A collection owns its parts; the union of it is the ground counted once.
    GeomPtr all = own(ctx,
                      GEOSGeom_createCollection_r(ctx.get(), GEOS_GEOMETRYCOLLECTION, parts.data(),
                                                  static_cast<unsigned>(parts.size())),
                      "collection");
    return own(ctx, GEOSUnaryUnion_r(ctx.get(), all.get()), "union");
}

// x less y: x itself (a copy) when y is null (nothing to take away).
GeomPtr difference_of(const GeosContext& ctx, const GEOSGeometry* x, const GEOSGeometry* y) {
    if (!y) return own(ctx, GEOSGeom_clone_r(ctx.get(), x), "clone");
    return own(ctx, GEOSDifference_r(ctx.get(), x, y), "difference");
}

double area_of(const GeosContext& ctx, const GEOSGeometry* g) {
    return g ? geodesic_area_km2(to_multipolygon(ctx, g)) : 0.0;
}

using HolderKey = std::pair<std::string, std::string>;  // holder, sovereign

}  // namespace

std::vector<Holding> holdings(const std::vector<core::Claim>& claims) {
    const GeosContext ctx;
    std::map<HolderKey, std::vector<const core::Claim*>> groups;
    for (const core::Claim& c : claims) groups[{c.holder, c.sovereign}].push_back(&c);
    std::vector<Holding> out;
    for (const auto& [key, members] : groups) {
        Holding h;
        h.holder = key.first;
        h.sovereign = key.second;
        h.area_km2 = area_of(ctx, union_of(ctx, members).get());
        h.claims = members.size();
        out.push_back(std::move(h));
    }
    std::sort(out.begin(), out.end(),
              [](const Holding& a, const Holding& b) { return a.area_km2 > b.area_km2; });
    return out;
}

std::vector<HoldingChange> holding_changes(const std::vector<core::Claim>& claims,
                                           core::Date from, core::Date to) {
    const GeosContext ctx;
    std::map<HolderKey, std::pair<std::vector<const core::Claim*>, std::vector<const core::Claim*>>>
        groups;  // claims valid on from, on to
    for (const core::Claim& c : claims) {
        if (core::valid_on(c.valid_from, c.valid_to, from))
            groups[{c.holder, c.sovereign}].first.push_back(&c);
        if (core::valid_on(c.valid_from, c.valid_to, to))
            groups[{c.holder, c.sovereign}].second.push_back(&c);
    }
    std::vector<HoldingChange> out;
    for (const auto& [key, sides] : groups) {
        const GeomPtr a = union_of(ctx, sides.first), b = union_of(ctx, sides.second);
        HoldingChange h;
        h.holder = key.first;
        h.sovereign = key.second;
        h.from_km2 = area_of(ctx, a.get());
        h.to_km2 = area_of(ctx, b.get());
        h.gained_km2 = b ? area_of(ctx, difference_of(ctx, b.get(), a.get()).get()) : 0.0;
        h.lost_km2 = a ? area_of(ctx, difference_of(ctx, a.get(), b.get()).get()) : 0.0;
        out.push_back(std::move(h));
    }
    std::sort(out.begin(), out.end(), [](const HoldingChange& x, const HoldingChange& y) {
        const double cx = x.gained_km2 + x.lost_km2, cy = y.gained_km2 + y.lost_km2;
        return cx != cy ? cx > cy : x.to_km2 > y.to_km2;
    });
    return out;
}

std::vector<HolderTransfer> holder_transfers(const std::vector<core::Claim>& claims,
                                             core::Date from, core::Date to) {
    const GeosContext ctx;
    // Each holder's ground on each day, and all ground held on each day.
    std::map<std::string, std::vector<const core::Claim*>> on_from, on_to;
    std::vector<const core::Claim*> all_from, all_to;
    for (const core::Claim& c : claims) {
        if (core::valid_on(c.valid_from, c.valid_to, from))
            on_from[c.holder].push_back(&c), all_from.push_back(&c);
        if (core::valid_on(c.valid_from, c.valid_to, to))
            on_to[c.holder].push_back(&c), all_to.push_back(&c);
    }
    std::map<std::string, GeomPtr> before, after;
    for (const auto& [holder, members] : on_from) before[holder] = union_of(ctx, members);
    for (const auto& [holder, members] : on_to) after[holder] = union_of(ctx, members);
    const GeomPtr held_before = union_of(ctx, all_from), held_after = union_of(ctx, all_to);
    // What each holder lost (held on `from`, not on `to`) and gained (the reverse).
    auto find = [](const std::map<std::string, GeomPtr>& m, const std::string& k) {
        const auto it = m.find(k);
        return it == m.end() ? nullptr : it->second.get();
    };
    std::map<std::string, GeomPtr> lost, gained;
    for (const auto& [a, ga] : before) lost[a] = difference_of(ctx, ga.get(), find(after, a));
    for (const auto& [b, gb] : after) gained[b] = difference_of(ctx, gb.get(), find(before, b));
    std::vector<HolderTransfer> out;
    auto add = [&](const std::string& a, const std::string& b, GeomPtr g) {
        if (!g || GEOSisEmpty_r(ctx.get(), g.get())) return;
        HolderTransfer t{a, b, to_multipolygon(ctx, g.get()), 0.0};
        t.area_km2 = geodesic_area_km2(t.area);
        if (t.area_km2 >= kMinTransferKm2) out.push_back(std::move(t));
    };
    for (const auto& [a, la] : lost) {
        // What A lost and B gained: A's to B. (Ground two holders' claims both cover on both
        // days, a corridor through a district, is neither lost nor gained: no transfer.)
        for (const auto& [b, gb] : gained)
            if (a != b)
                add(a, b, own(ctx, GEOSIntersection_r(ctx.get(), la.get(), gb.get()), "intersection"));
        // Lost, and held by nobody on `to`.
        add(a, "", difference_of(ctx, la.get(), held_after.get()));
    }
    // Gained from nobody.
    for (const auto& [b, gb] : gained) add("", b, difference_of(ctx, gb.get(), held_before.get()));
    std::sort(out.begin(), out.end(), [](const HolderTransfer& x, const HolderTransfer& y) {
        return x.area_km2 > y.area_km2;
    });
    return out;
}

Stats compute_stats(Workspace& ws, const core::Filter& filter, const StatsOptions& options) {
    Stats stats;
    core::check_range(filter);
    const auto countries = ws.areas("countries", {"name", "NAME"}, "iso_a3");
    const auto provinces = ws.areas("provinces", {"name", "name_en"}, "adm0_a3");
    stats.countries = counts_for(countries);
    stats.provinces = counts_for(provinces);
    if (options.method == StatsOptions::Method::Plain)
        count_plain(ws, filter, countries, provinces, stats);
    else
        count_fast(ws, filter, options.threads, locator_for(countries), locator_for(provinces),
                   stats);
    sort_counts(stats.countries);
    sort_counts(stats.provinces);
    stats.claims = compute_claim_stats(ws, filter);
    return stats;
}

}  // namespace limes::geo
