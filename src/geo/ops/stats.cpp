#include "geo/ops/stats.hpp"

#include <algorithm>
#include <cctype>
#include <deque>
#include <exception>
#include <thread>

#include "core/error.hpp"
#include "core/text.hpp"
#include "geo/ops/exporter.hpp"
#include "geo/geometry/geodesic.hpp"
#include "geo/store/gpkg_fast.hpp"
#include "geo/geometry/point_in_polygon.hpp"
#include "geo/ops/regions.hpp"
#include "geo/store/sqlite_db.hpp"

namespace limes::geo {
namespace {

// ---------------------------------------------------------------------------------------------
// [SECTION] Areas and their counts
// ---------------------------------------------------------------------------------------------

// The areas' lon/lat rings, gridded (see point_in_polygon.hpp).
PolygonLocator locator_for(const GeosContext& ctx, const std::vector<NamedArea>& areas) {
    PolygonLocator locator;
    for (const auto& a : areas) locator.add(to_multipolygon(to_ogr(ctx, a.geom.get()).get()));
    locator.prepare();
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

/** What one pass (or one thread's part of it) counted; merged into Stats at the end. */
struct Tally {
    long long incidents = 0, fatalities = 0, outside = 0;
    std::vector<long long> country_n, country_dead, province_n, province_dead;

    Tally(std::size_t countries, std::size_t provinces)
        : country_n(countries), country_dead(countries), province_n(provinces),
          province_dead(provinces) {}
    /** One accepted incident in country c and province p (-1: none). */
    void add(long c, long p, long long dead) {
        ++incidents;
        fatalities += dead;
        if (c >= 0) {
            ++country_n[static_cast<std::size_t>(c)];
            country_dead[static_cast<std::size_t>(c)] += dead;
        } else {
            ++outside;
        }
        if (p >= 0) {
            ++province_n[static_cast<std::size_t>(p)];
            province_dead[static_cast<std::size_t>(p)] += dead;
        }
    }
    void add_to(Stats& s) const {
        s.incidents += incidents;
        s.fatalities += fatalities;
        s.outside_countries += outside;
        for (std::size_t i = 0; i < country_n.size(); ++i) {
            s.countries[i].incidents += country_n[i];
            s.countries[i].fatalities += country_dead[i];
        }
        for (std::size_t i = 0; i < province_n.size(); ++i) {
            s.provinces[i].incidents += province_n[i];
            s.provinces[i].fatalities += province_dead[i];
        }
    }
};

// ---------------------------------------------------------------------------------------------
// [SECTION] Fast path: the incidents table through SQLite, only the columns needed
// ---------------------------------------------------------------------------------------------

/** --region for the fast path: the region's grid answers points clear of its boundary, GEOS
 *  (as RegionFilter does for the plain path) the few near it. One per thread: a GEOS context
 *  is not shared between threads. */
class RegionTest {
public:
    RegionTest(const Workspace& ws, const std::string& name, const PolygonLocator* grid)
        : exact_(ws, ctx_, name), grid_(grid) {}
    bool contains(double lon, double lat) const {
        if (!grid_) return true;
        const long k = grid_->find_in_grid(lon, lat);
        return k == PolygonLocator::kUnsure ? exact_.contains(lon, lat) : k == 0;
    }

private:
    GeosContext ctx_;  // before exact_, which keeps a reference to it
    RegionFilter exact_;
    const PolygonLocator* grid_;
};

/** Where the incidents are and which of their columns the filter reads. */
struct ScanPlan {
    std::string path, table, fid, geom;
    // Columns after geometry and fatalities, in SELECT order (Filter::accepts reads only these).
    bool date = false, type = false, reported_by = false, status = false, actor = false;
    std::string select;  // the SELECT of one fid range (?1 .. ?2, inclusive)
};

// nullopt when the workspace is not a GeoPackage file whose incidents table IncidentReader
// reads (the plain path then counts).
std::optional<ScanPlan> plan_scan(const Workspace& ws, const core::Filter& filter) {
    if (!IncidentReader::open(ws)) return std::nullopt;  // checks the layout, flushes GDAL
    ScanPlan plan;
    plan.path = ws.path();
    SqliteDb db(plan.path, SqliteDb::Mode::ReadOnly);
    {
        auto q = db.prepare(
            "SELECT table_name, column_name FROM gpkg_geometry_columns "
            "WHERE lower(table_name) = lower(?1)");
        q.bind_text(1, kIncidents);
        if (!q.step()) return std::nullopt;
        plan.table = q.column_text(0);
        plan.geom = q.column_text(1);
    }
    {
        auto q = db.prepare("PRAGMA table_info(" + sql_identifier(plan.table) + ")");
        while (q.step())
            if (q.column_int64(5) == 1) plan.fid = q.column_text(1);
        if (plan.fid.empty()) return std::nullopt;
    }
    plan.date = filter.from || filter.to;
    plan.type = !filter.types.empty();
    plan.reported_by = !filter.reported_by.empty();
    plan.status = !filter.statuses.empty();
    plan.actor = !filter.actor.empty();
    std::string cols = sql_identifier(plan.geom) + ", \"fatalities\"";
    if (plan.date) cols += ", \"event_date\"";
    if (plan.type) cols += ", \"event_type\"";
    if (plan.reported_by) cols += ", \"reported_by\"";
    if (plan.status) cols += ", \"status\"";
    if (plan.actor) cols += ", \"actor1\", \"actor2\"";
    const std::string fid = sql_identifier(plan.fid);
    plan.select = "SELECT " + cols + " FROM " + sql_identifier(plan.table) + " WHERE " + fid +
                  " BETWEEN ?1 AND ?2";
    return plan;
}


void read_text(const SqliteStatement& q, int column, std::string& out) {
    const char* text = q.column_text_or_null(column);
    if (text)
        out.assign(text, q.column_bytes(column));
    else
        out.clear();
}

/** Counts the incidents with fid in [first, last] on a connection of its own. */
void scan_range(const ScanPlan& plan, std::int64_t first, std::int64_t last,
                const core::Filter& filter, const RegionTest& region,
                const PolygonLocator& countries, const PolygonLocator& provinces, Tally& tally) {
    SqliteDb db(plan.path, SqliteDb::Mode::ReadOnly);
    auto q = db.prepare(plan.select);
    q.bind(1, first);
    q.bind(2, last);
    const bool test = !filter.is_empty();
    core::Incident inc;  // only the fields the filter reads are set
    while (q.step()) {
        std::size_t size = 0;
        const unsigned char* blob = q.column_blob(0, size);
        double lon = 0.0, lat = 0.0;
        if (!read_gpkg_point(blob, size, lon, lat)) lon = lat = 0.0;  // as IncidentReader
        const bool has_dead = !q.is_null(1);
        const long long dead = has_dead ? q.column_int64(1) : 0;
        if (test) {
            inc.lon = lon;
            inc.lat = lat;
            if (has_dead)
                inc.fatalities = dead;
            else
                inc.fatalities.reset();
            int k = 2;
            if (plan.date) {
                inc.event_date = q.is_null(k) ? core::Date{} : parse_stored_date(q.column_text(k)).value_or(core::Date{});
                ++k;
            }
            if (plan.type) read_text(q, k++, inc.event_type);
            if (plan.reported_by) read_text(q, k++, inc.reported_by);
            if (plan.status) read_text(q, k++, inc.status);
            if (plan.actor) {
                read_text(q, k++, inc.actor1);
                read_text(q, k++, inc.actor2);
            }
            if (!filter.accepts(inc)) continue;
        }
        if (!region.contains(lon, lat)) continue;
        tally.add(countries.find(lon, lat), provinces.find(lon, lat), dead);
    }
}

/** Counts every incident of the plan's table into stats; threads as StatsOptions says. */
void count_fast(const Workspace& ws, const ScanPlan& plan, const core::Filter& filter,
                unsigned threads, const PolygonLocator& countries,
                const PolygonLocator& provinces, Stats& stats) {
    std::optional<PolygonLocator> region_grid;
    std::deque<RegionTest> regions;  // one per thread (GEOS contexts), never moved
    if (!filter.region.empty()) {
        GeosContext ctx;
        region_grid.emplace();
        region_grid->add(
            to_multipolygon(to_ogr(ctx, find_region(ws, ctx, filter.region).geom.get()).get()));
        region_grid->prepare();
    }
    const PolygonLocator* region_ptr = region_grid ? &*region_grid : nullptr;
    for (unsigned t = 0; t < 2; ++t) regions.emplace_back(ws, filter.region, region_ptr);

    const Tally zero(stats.countries.size(), stats.provinces.size());
    std::vector<Tally> tallies(2, zero);
    const unsigned parts = scan_in_fid_halves(
        plan.path, plan.table, plan.fid, std::min(threads, 2u),
        [&](unsigned part, std::int64_t first, std::int64_t last) {
            scan_range(plan, first, last, filter, regions[part], countries, provinces,
                       tallies[part]);
        },
        [&] { tallies.assign(2, zero); });
    tallies.erase(tallies.begin() + parts, tallies.end());  // the parts that stand
    for (const Tally& t : tallies) t.add_to(stats);
}

/** The fast path's grid for sources that are not a GeoPackage file: OGR reads them. */
void count_located(const Workspace& ws, const GeosContext& ctx, const core::Filter& filter,
                   const PolygonLocator& countries, const PolygonLocator& provinces,
                   Stats& stats) {
    const RegionFilter region(ws, ctx, filter.region);
    Tally tally(stats.countries.size(), stats.provinces.size());
    for (const auto& inc : ws.read_incidents()) {
        if (!filter.accepts(inc) || !region.contains(inc.lon, inc.lat)) continue;
        tally.add(countries.find(inc.lon, inc.lat), provinces.find(inc.lon, inc.lat),
                  inc.fatalities.value_or(0));
    }
    tally.add_to(stats);
}

// ---------------------------------------------------------------------------------------------
// [SECTION] Plain path: OGR reads, GEOS prepared contains (the reference)
// ---------------------------------------------------------------------------------------------

void count_plain(const Workspace& ws, const GeosContext& ctx, const core::Filter& filter,
                 const std::vector<NamedArea>& countries,
                 const std::vector<NamedArea>& provinces, Stats& stats) {
    auto prepared = [&](const std::vector<NamedArea>& areas) {
        std::vector<PreparedPtr> out;
        for (const auto& a : areas) out.push_back(prepare(ctx, a.geom.get()));
        return out;
    };
    const auto country_geoms = prepared(countries), province_geoms = prepared(provinces);
    auto first_containing = [&](const std::vector<PreparedPtr>& areas, const GEOSGeometry* pt) {
        for (std::size_t i = 0; i < areas.size(); ++i)
            if (GEOSPreparedContains_r(ctx.get(), areas[i].get(), pt) == 1)
                return static_cast<long>(i);
        return -1L;
    };
    const RegionFilter region(ws, ctx, filter.region);
    Tally tally(countries.size(), provinces.size());
    for (const auto& inc : ws.read_incidents()) {
        if (!filter.accepts(inc) || !region.contains(inc.lon, inc.lat)) continue;
        GeomPtr pt = own(ctx, GEOSGeom_createPointFromXY_r(ctx.get(), inc.lon, inc.lat), "point");
        tally.add(first_containing(country_geoms, pt.get()),
                  first_containing(province_geoms, pt.get()), inc.fatalities.value_or(0));
    }
    tally.add_to(stats);
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// [SECTION] Claims and the whole
// ---------------------------------------------------------------------------------------------

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

Stats compute_stats(const Workspace& ws, const core::Filter& filter, const StatsOptions& options) {
    Stats stats;
    GeosContext ctx;
    core::check_range(filter);
    auto countries = load_areas(ws, ctx, "countries", {"name", "NAME"}, "iso_a3");
    auto provinces = load_areas(ws, ctx, "provinces", {"name", "name_en"}, "adm0_a3");
    stats.countries = counts_for(countries);
    stats.provinces = counts_for(provinces);
    if (options.method == StatsOptions::Method::Plain) {
        count_plain(ws, ctx, filter, countries, provinces, stats);
    } else {
        const PolygonLocator country_index = locator_for(ctx, countries);
        const PolygonLocator province_index = locator_for(ctx, provinces);
        if (const auto plan = plan_scan(ws, filter))
            count_fast(ws, *plan, filter, options.threads, country_index, province_index, stats);
        else
            count_located(ws, ctx, filter, country_index, province_index, stats);
    }
    sort_counts(stats.countries);
    sort_counts(stats.provinces);

    stats.claims = compute_claim_stats(ws, filter);
    return stats;
}

}  // namespace limes::geo
