#include "geo/ops/selection.hpp"

#include <algorithm>

#include "core/error.hpp"
#include "core/huge_pages.hpp"
#include "core/text.hpp"

namespace limes::geo {

RegionTest region_test(const Workspace& ws, const std::string& region) {
    if (region.empty()) return RegionTest();
    return RegionTest(ws.find_area(region).area);
}

std::vector<core::IncidentMark> select_marks(Workspace& ws, const core::Filter& filter) {
    core::check_range(filter);
    IncidentTable& table = ws.incidents();
    IncidentQuery query;
    query.columns = core::IncidentColumns::drawn();
    query.filter = &filter;
    query.keys = false;  // a mark has neither fid nor version
    const RegionTest region = region_test(ws, filter.region);
    // Two parts on two threads, each with its own region test (GEOS contexts are per thread).
    // A cache line each: side by side, the two vectors' ends (written at every row) shared
    // one, which the two cores then passed back and forth: a tenth of a 10M render's CPU was
    // the load of that end (perf annotate), none now.
    struct alignas(core::kCacheLine) Part {
        RegionTest region;
        core::MarkMaker make;
        std::vector<core::IncidentMark> marks;
    };
    Part parts[2] = {{region.for_thread(), {}, {}}, {region.for_thread(), {}, {}}};
    // Part 0 ends up holding both; part 1 about half (the fid range split in two): no vector
    // of millions regrown and copied on the way.
    const std::size_t expected = table.count_hint();
    core::reserve_big(parts[0].marks, expected);
    core::reserve_big(parts[1].marks, expected / 2 + 1);
    const unsigned n = table.scan_parts(
        query, 0,
        [&](unsigned part, const core::Incident& inc) {
            Part& p = parts[part];
            if (p.region.contains(inc.lon, inc.lat)) p.marks.push_back(p.make(inc));
        },
        [&] { parts[0].marks.clear(), parts[1].marks.clear(); });
    if (n == 2)
        parts[0].marks.insert(parts[0].marks.end(), parts[1].marks.begin(), parts[1].marks.end());
    return std::move(parts[0].marks);
}

std::vector<core::Incident> select_incidents(Workspace& ws, const core::Filter& filter) {
    core::check_range(filter);
    const RegionTest region = region_test(ws, filter.region);
    IncidentQuery query;
    query.filter = &filter;
    std::vector<core::Incident> out;
    core::Incident inc;
    for (auto rows = ws.incidents().query(query); rows->next(inc);)
        if (region.contains(inc.lon, inc.lat)) out.push_back(inc);
    return out;
}

bool claim_in_time(const core::Claim& c, const core::Filter& f) {
    if (f.to && c.valid_from && *c.valid_from > *f.to) return false;
    if (f.from && c.valid_to && *c.valid_to < *f.from) return false;
    return true;
}

std::vector<core::Claim> select_claims(const Workspace& ws, const core::Filter& filter) {
    const RegionTest region = region_test(ws, filter.region);
    std::vector<core::Claim> out;
    for (auto& c : ws.read_claims()) {
        if (!claim_in_time(c, filter)) continue;
        // --reported-by names whose statement: for a claim, its claimant (case-insensitive,
        // as for incidents).
        if (!filter.reported_by.empty() &&
            std::none_of(filter.reported_by.begin(), filter.reported_by.end(),
                         [&](const std::string& r) { return core::iequals(r, c.claimant); }))
            continue;
        if (filter.bbox) {
            core::BBox box;
            for (const auto& poly : c.area)
                for (const auto& ring : poly)
                    for (const auto& p : ring) box.add(p.lon, p.lat);
            const core::BBox& f = *filter.bbox;
            if (box.empty() || box.east < f.west || box.west > f.east || box.north < f.south ||
                box.south > f.north)
                continue;
        }
        if (region.active() && (c.area.empty() || !region.intersects(c.area))) continue;
        out.push_back(std::move(c));
    }
    return out;
}

}  // namespace limes::geo
