#include "geo/stats.hpp"

#include <algorithm>
#include <cctype>

#include "core/text.hpp"
#include "geo/exporter.hpp"
#include "geo/geodesic.hpp"
#include "geo/regions.hpp"

namespace limes::geo {
namespace {

// STRtree over the areas' envelopes; a query returns candidates, the prepared polygon decides.
class AreaIndex {
public:
    AreaIndex(const GeosContext& ctx, const std::vector<NamedArea>& areas) : ctx_(ctx) {
        tree_ = GEOSSTRtree_create_r(ctx.get(), 10);
        for (std::size_t i = 0; i < areas.size(); ++i) {
            prepared_.push_back(prepare(ctx, areas[i].geom.get()));
            ids_.push_back(i);
        }
        for (std::size_t i = 0; i < areas.size(); ++i)
            GEOSSTRtree_insert_r(ctx.get(), tree_, areas[i].geom.get(), &ids_[i]);
    }
    ~AreaIndex() { GEOSSTRtree_destroy_r(ctx_.get(), tree_); }
    AreaIndex(const AreaIndex&) = delete;
    AreaIndex& operator=(const AreaIndex&) = delete;

    /** Index of the first area containing the point, or -1. */
    long find(const GEOSGeometry* point) {
        Query q{this, point, -1};
        GEOSSTRtree_query_r(ctx_.get(), tree_, point, &AreaIndex::visit, &q);
        return q.found;
    }

private:
    struct Query {
        AreaIndex* self;
        const GEOSGeometry* point;
        long found;
    };
    static void visit(void* item, void* data) {
        auto* q = static_cast<Query*>(data);
        const std::size_t i = *static_cast<std::size_t*>(item);
        if (q->found >= 0 && static_cast<std::size_t>(q->found) < i) return;  // keep lowest
        if (GEOSPreparedContains_r(q->self->ctx_.get(), q->self->prepared_[i].get(), q->point) == 1)
            q->found = static_cast<long>(i);
    }
    const GeosContext& ctx_;
    GEOSSTRtree* tree_;
    std::vector<PreparedPtr> prepared_;
    std::vector<std::size_t> ids_;
};

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

Stats compute_stats(const Workspace& ws, const core::Filter& filter) {
    Stats stats;
    GeosContext ctx;
    const auto incidents = select_incidents(ws, filter);
    auto countries = load_areas(ws, ctx, "countries", {"name", "NAME"}, "iso_a3");
    auto provinces = load_areas(ws, ctx, "provinces", {"name", "name_en"}, "adm0_a3");
    stats.countries = counts_for(countries);
    stats.provinces = counts_for(provinces);
    {
        AreaIndex country_index(ctx, countries);
        AreaIndex province_index(ctx, provinces);
        for (const auto& inc : incidents) {
            ++stats.incidents;
            const long long dead = inc.fatalities.value_or(0);
            stats.fatalities += dead;
            GeomPtr pt = own(ctx, GEOSGeom_createPointFromXY_r(ctx.get(), inc.lon, inc.lat), "point");
            const long c = country_index.find(pt.get());
            if (c >= 0) {
                ++stats.countries[c].incidents;
                stats.countries[c].fatalities += dead;
            } else {
                ++stats.outside_countries;
            }
            const long p = province_index.find(pt.get());
            if (p >= 0) {
                ++stats.provinces[p].incidents;
                stats.provinces[p].fatalities += dead;
            }
        }
    }
    sort_counts(stats.countries);
    sort_counts(stats.provinces);

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
        stats.claims.push_back(std::move(s));
    }
    return stats;
}

}  // namespace limes::geo
