// `limes stats`' fast path (SQLite scan of only the needed columns, PolygonLocator's grid, two
// threads on two fid ranges) against the plain one (every incident decoded, GEOS prepared
// contains per point): the same totals and the same counts per country and province, for
// every filter, on a few thousand synthetic incidents of which many lie within metres of a
// boundary. Synthetic rows only (ids SYN-TEST-...).
#include <catch2/catch.hpp>

#include <filesystem>
#include <random>
#include <string>
#include <vector>

#include "core/filter.hpp"
#include "core/incident.hpp"
#include "geo/geometry/geos_util.hpp"
#include "geo/ops/stats.hpp"
#include "geo/store/workspace.hpp"
#include "support.hpp"

namespace geo = limes::geo;
namespace core = limes::core;

namespace {

// Points: half uniform over the map, half within ~1 m of a province boundary vertex (but never
// on it: 1e-5 degrees off at least), where the grid leaves the answer to the bands.
std::vector<core::Incident> synthetic_incidents(std::size_t n) {
    geo::GeosContext ctx;
    const auto ws = geo::Workspace::open(LIMES_DEFAULT_WS);
    std::vector<core::LonLat> vertices;
    for (const auto& a : ws.areas("provinces", {"name"}))
        for (const auto& poly : a.area)
            for (const auto& ring : poly)
                for (const auto& p : ring)
                    if (p.lon > 43.5 && p.lon < 50.5 && p.lat > 38.2 && p.lat < 42.3)
                        vertices.push_back(p);
    REQUIRE(vertices.size() > 500);

    std::mt19937_64 rng(7);
    std::uniform_real_distribution<double> lon(43.0, 51.0), lat(38.0, 42.5), off(1e-5, 3e-5);
    std::uniform_int_distribution<int> coin(0, 1), dead(-1, 12), day(0, 2000), pick(0, 1 << 30);
    const char* types[] = {
        "Battles", "Explosions/Remote violence", "Violence against civilians", "Protests",
        "Riots",   "Strategic developments"};
    const char* reporters[] = {"Armenian MoD", "Azerbaijani MoD", "Human Rights Watch", ""};
    const char* statuses[] = {"reported", "confirmed", "disputed", "denied"};
    const char* actors[] = {"Military Forces of Armenia", "Military Forces of Azerbaijan",
                            "Civilians", ""};
    std::vector<core::Incident> out(n);
    for (std::size_t i = 0; i < n; ++i) {
        core::Incident& inc = out[i];
        if (i % 2 == 0) {
            inc.lon = lon(rng);
            inc.lat = lat(rng);
        } else {
            const core::LonLat v = vertices[static_cast<std::size_t>(pick(rng)) % vertices.size()];
            inc.lon = v.lon + (coin(rng) ? 1 : -1) * off(rng);
            inc.lat = v.lat + (coin(rng) ? 1 : -1) * off(rng);
        }
        inc.event_id_cnty = "SYN-TEST-" + std::to_string(i);
        inc.event_date = core::Date{core::Date::from_ymd(2018, 1, 1).days + day(rng)};
        inc.event_type = types[static_cast<std::size_t>(pick(rng)) % 6];
        inc.reported_by = reporters[static_cast<std::size_t>(pick(rng)) % 4];
        inc.status = statuses[static_cast<std::size_t>(pick(rng)) % 4];
        inc.actor1 = actors[static_cast<std::size_t>(pick(rng)) % 4];
        inc.actor2 = actors[static_cast<std::size_t>(pick(rng)) % 4];
        inc.notes = "Synthetic test row";
        if (const int d = dead(rng); d >= 0) inc.fatalities = d;
    }
    return out;
}

// The default workspace plus n synthetic incidents, in a scratch file.
std::string workspace_with(std::size_t n) {
    const std::string path = limes_test::scratch("stats");
    std::filesystem::copy_file(LIMES_DEFAULT_WS, path);
    auto ws = geo::Workspace::open(path);
    auto incidents = synthetic_incidents(n);
    auto writer = ws.incidents().write();
    writer->append(incidents);
    writer->commit();
    return path;
}

void check_same_counts(const std::vector<geo::AreaCount>& a, const std::vector<geo::AreaCount>& b) {
    REQUIRE(a.size() == b.size());
    for (std::size_t i = 0; i < a.size(); ++i) {
        INFO(b[i].name);
        CHECK(a[i].name == b[i].name);
        CHECK(a[i].country == b[i].country);
        CHECK(a[i].incidents == b[i].incidents);
        CHECK(a[i].fatalities == b[i].fatalities);
    }
}

void check_same(const geo::Stats& a, const geo::Stats& b) {
    CHECK(a.incidents == b.incidents);
    CHECK(a.fatalities == b.fatalities);
    CHECK(a.outside_countries == b.outside_countries);
    check_same_counts(a.countries, b.countries);
    check_same_counts(a.provinces, b.provinces);
    CHECK(a.claims.size() == b.claims.size());
}

geo::Stats stats_with(geo::Workspace& ws, const core::Filter& f, geo::StatsOptions::Method method,
                      unsigned threads) {
    geo::StatsOptions opt;
    opt.method = method;
    opt.threads = threads;
    return geo::compute_stats(ws, f, opt);
}

}  // namespace

TEST_CASE("stats: the fast path counts what GEOS counts, for every filter", "[geo][stats]") {
    const std::string path = workspace_with(6000);
    auto ws = geo::Workspace::open(path);
    // The reference reads the same file through GDAL's GeoPackage driver, not limes' SQLite
    // path, and tests each point with GEOS.
    auto reference = geo::Workspace::open(path, geo::Workspace::Options{true});

    std::vector<std::pair<std::string, core::Filter>> filters;
    filters.push_back({"none", {}});
    core::Filter f;
    f.from = core::Date::from_ymd(2020, 9, 27);
    f.to = core::Date::from_ymd(2022, 9, 14);
    filters.push_back({"from/to", f});
    f = {};
    f.types = {"Battles", "Riots"};
    filters.push_back({"types", f});
    f = {};
    f.reported_by = {"armenian mod"};
    filters.push_back({"reported_by", f});
    f = {};
    f.statuses = {"disputed"};
    filters.push_back({"statuses", f});
    f = {};
    f.min_fatalities = 5;
    filters.push_back({"min_fatalities", f});
    f = {};
    f.actor = "AZERBAIJAN";
    filters.push_back({"actor", f});
    f = {};
    f.bbox = core::parse_bbox("45,39,47,41");
    filters.push_back({"bbox", f});
    f = {};
    f.region = "Nagorno-Karabakh Autonomous Oblast (1991)";
    filters.push_back({"region", f});
    f = {};
    f.region = "Armenia";
    f.from = core::Date::from_ymd(2019, 1, 1);
    f.types = {"Battles", "Explosions/Remote violence"};
    f.statuses = {"reported", "confirmed", "disputed"};
    f.actor = "armenia";
    filters.push_back({"region and more", f});

    using Method = geo::StatsOptions::Method;
    for (const auto& [name, filter] : filters) {
        INFO("filter: " << name);
        const geo::Stats plain = stats_with(reference, filter, Method::Plain, 0);
        REQUIRE(plain.incidents > 30);  // each filter keeps enough rows to compare
        check_same(stats_with(ws, filter, Method::Fast, 1), plain);
        check_same(stats_with(ws, filter, Method::Fast, 2), plain);
    }
    // The default (threads picked) is the fast path too.
    const geo::Stats all = geo::compute_stats(ws, {});
    check_same(all, stats_with(reference, {}, Method::Plain, 0));
    CHECK(all.incidents ==
          6000 + static_cast<long long>(
                     geo::Workspace::open(LIMES_DEFAULT_WS).read_incidents().size()));
    CHECK(all.provinces.size() > 20);
    std::remove(path.c_str());
}

TEST_CASE("stats: a workspace without incidents", "[geo][stats]") {
    const std::string path = limes_test::scratch("stats-empty");
    std::filesystem::copy_file(LIMES_DEFAULT_WS, path);
    {
        auto ws = geo::Workspace::open(path);
        auto writer = ws.incidents().write();
        for (const auto& inc : ws.read_incidents()) writer->remove(inc.fid);
        writer->commit();
    }
    auto ws = geo::Workspace::open(path);
    for (unsigned threads : {0u, 1u, 2u}) {
        geo::StatsOptions opt;
        opt.threads = threads;
        const geo::Stats s = geo::compute_stats(ws, {}, opt);
        CHECK(s.incidents == 0);
        CHECK(s.countries.empty());
        CHECK(s.provinces.empty());
        CHECK_FALSE(s.claims.empty());
    }
    std::remove(path.c_str());
}

TEST_CASE("stats: claims follow the filters as export selects them", "[geo][stats]") {
    geo::Workspace ws = geo::Workspace::open(LIMES_DEFAULT_WS);
    const auto all = geo::compute_claim_stats(ws, {});
    REQUIRE(all.size() >= 3);
    // --reported-by names whose statement: for a claim, its claimant (case-insensitive).
    const std::string claimant = all.front().claim.claimant;
    core::Filter by_claimant;
    by_claimant.reported_by = {claimant};
    std::size_t expected = 0;
    for (const auto& m : all) expected += m.claim.claimant == claimant;
    const auto some = geo::compute_claim_stats(ws, by_claimant);
    CHECK(some.size() == expected);
    for (const auto& m : some) CHECK(m.claim.claimant == claimant);
    core::Filter nobody;
    nobody.reported_by = {"Synthetic nobody"};
    CHECK(geo::compute_claim_stats(ws, nobody).empty());
    // A box far from every claim selects none of them.
    core::Filter far;
    far.bbox = core::parse_bbox("10,10,11,11");
    CHECK(geo::compute_claim_stats(ws, far).empty());
}
