#include "geo/stats.hpp"

#include <algorithm>
#include <cctype>

#include "core/text.hpp"
#include "geo/exporter.hpp"
#include "geo/geodesic.hpp"
#include "geo/gpkg_fast.hpp"
#include "geo/point_in_polygon.hpp"
#include "geo/regions.hpp"

namespace limes::geo {
namespace {

// Band-indexed point-in-polygon over the areas' lon/lat rings (see point_in_polygon.hpp);
// tests/geo compares it with GEOS's prepared contains on the default workspace.
PolygonLocator locator_for(const GeosContext& ctx, const std::vector<NamedArea>& areas) {
    PolygonLocator locator;
    for (const auto& a : areas) locator.add(to_multipolygon(to_ogr(ctx, a.geom.get()).get()));
    return locator;
}

std::vector<AreaCount> counts_for(const std::vector<NamedArea>& areas) {
    std::vector<AreaCount> out;
    for (const auto& a : areas) out.push_back({a.name, a.country, 0, 0});
    return out;
}

void sort_counts(std::vector<AreaCount>& v) {
    v.erase(std::remove_if(v.begin(), v.end(), [](const AreaCount& c) { return c.incidents == 0; }),
            v.end());
    std::sort(v.begin(), v.end(), [](const AreaCount& a, const AreaCount& b) {
        return a.incidents != b.incidents ? a.incidents > b.incidents : a.name < b.name;
    });
}

}  // namespace

std::vector<ClaimStat> compute_claim_stats(const Workspace& ws, const core::Filter& filter) {
    GeosContext ctx;
    const auto countries = load_areas(ws, ctx, "countries", {"name", "NAME"}, "iso_a3");
    std::vector<ClaimStat> out;
    // Claims follow the time filter and, with --region, must touch the region.
    const RegionFilter region(ws, ctx, filter.region);
    for (const auto& c : ws.read_claims()) {
        if (filter.to && c.valid_from && *c.valid_from > *filter.to) continue;
        if (filter.from && c.valid_to && *c.valid_to < *filter.from) continue;
        if (region.active() && !region.intersects(to_geos(ctx, *to_ogr_multipolygon(c.area)).get()))
            continue;
        ClaimStat s;
        s.fid = c.fid;
        s.claim_id = c.claim_id;
        s.name = c.name;
        s.kind = c.kind;
        s.claimant = c.claimant;
        s.holder = c.holder;
        s.sovereign = c.sovereign;
        s.status = c.status;
        s.valid_from = c.valid_from;
        s.valid_to = c.valid_to;
        s.area_km2 = geodesic_area_km2(c.area);
        if (!c.sovereign.empty() && !c.holder.empty() && core::iequals(c.sovereign, c.holder)) {
            s.encroachment_km2 = 0.0;
        } else {
            // The sovereign's recognised territory: its country polygon.
            for (const auto& country : countries) {
                if (!core::iequals(country.name, c.sovereign) && !core::iequals(country.country, c.sovereign))
                    continue;
                auto claim_ogr = to_ogr_multipolygon(c.area);
                GeomPtr claim_geom = to_geos(ctx, *claim_ogr);
                GeomPtr inside = own(ctx, GEOSIntersection_r(ctx.get(), claim_geom.get(), country.geom.get()),
                                     "intersection");
                auto inside_ogr = to_ogr(ctx, inside.get());
                s.encroachment_km2 = geodesic_area_km2(to_multipolygon(inside_ogr.get()));
                break;
            }
        }
        out.push_back(std::move(s));
    }
    return out;
}

Stats compute_stats(const Workspace& ws, const core::Filter& filter) {
    Stats stats;
    GeosContext ctx;
    core::check_range(filter);
    auto countries = load_areas(ws, ctx, "countries", {"name", "NAME"}, "iso_a3");
    auto provinces = load_areas(ws, ctx, "provinces", {"name", "name_en"}, "adm0_a3");
    stats.countries = counts_for(countries);
    stats.provinces = counts_for(provinces);
    const PolygonLocator country_index = locator_for(ctx, countries);
    const PolygonLocator province_index = locator_for(ctx, provinces);
    const RegionFilter incident_region(ws, ctx, filter.region);
    auto count = [&](const core::Incident& inc) {
        if (!filter.accepts(inc) || !incident_region.contains(inc.lon, inc.lat)) return;
        ++stats.incidents;
        const long long dead = inc.fatalities.value_or(0);
        stats.fatalities += dead;
        const long c = country_index.find(inc.lon, inc.lat);
        if (c >= 0) {
            ++stats.countries[c].incidents;
            stats.countries[c].fatalities += dead;
        } else {
            ++stats.outside_countries;
        }
        const long p = province_index.find(inc.lon, inc.lat);
        if (p >= 0) {
            ++stats.provinces[p].incidents;
            stats.provinces[p].fatalities += dead;
        }
    };
    // A GeoPackage streams through one reused Incident (no million-row vector); other
    // sources go through OGR.
    if (auto reader = IncidentReader::open(ws)) {
        reader->for_each(count);
    } else {
        for (const auto& inc : ws.read_incidents()) count(inc);
    }
    sort_counts(stats.countries);
    sort_counts(stats.provinces);

    stats.claims = compute_claim_stats(ws, filter);
    return stats;
}

}  // namespace limes::geo
