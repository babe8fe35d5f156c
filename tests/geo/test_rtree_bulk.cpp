// The R-tree bulk load (geo/store/rtree_bulk.hpp) on its own: points sorted by x through
// temporary runs, and trees packed from them that SQLite's own rtreecheck() accepts and that
// answer box queries as a scan does.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "geo/store/rtree_bulk.hpp"
#include "geo/store/sqlite_db.hpp"
#include "support.hpp"
#include "support_sqlite.hpp"

using namespace limes;
using limes_test::query_one;
using limes_test::scratch;

namespace {

struct Point {
    std::int64_t id;
    double x, y;
};

/** n SYNTHETIC points in the Caucasus box, ids first_id, first_id + step, ...; a few share x. */
std::vector<Point> points(std::size_t n, std::int64_t first_id = 1, std::int64_t step = 1) {
    std::vector<Point> out;
    std::uint64_t state = 88172645463325252ULL;  // xorshift64: the same points every run
    auto next = [&] {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        return static_cast<double>(state % 1000000) / 1e6;
    };
    for (std::size_t i = 0; i < n; ++i) {
        const double x = i % 10 == 0 && i > 0 ? out[i - 1].x : 43.0 + 8.0 * next();
        out.push_back({first_id + static_cast<std::int64_t>(i) * step, x, 38.0 + 4.0 * next()});
    }
    return out;
}

/** An SQLite file with an empty 2-D R-tree `rt`, as GeoPackages have. */
std::string new_rtree_file(const std::string& stem) {
    const std::string path = scratch(stem, ".sqlite");
    sqlite3* db = nullptr;
    REQUIRE(sqlite3_open(path.c_str(), &db) == SQLITE_OK);
    CHECK(sqlite3_exec(db, "CREATE VIRTUAL TABLE rt USING rtree(id, minx, maxx, miny, maxy)",
                       nullptr, nullptr, nullptr) == SQLITE_OK);
    sqlite3_close(db);
    return path;
}

void bulk_load(const std::string& path, const std::vector<Point>& pts, std::size_t in_memory) {
    geo::SqliteDb db(path, geo::SqliteDb::Mode::ReadWrite);
    geo::RtreePointSorter sorter(in_memory);
    for (const Point& p : pts) sorter.add(p.id, p.x, p.y);
    db.exec("BEGIN");
    geo::rtree_bulk_load_sorted(db, "rt", sorter.size(), sorter.min_id(), sorter.max_id(),
                                sorter.by_x());
    db.exec("COMMIT");
}

}  // namespace

TEST_CASE("rtree bulk: points come back sorted by x through runs on disk, each one once",
          "[rtree]") {
    const auto pts = points(25000);
    for (std::size_t in_memory : {std::size_t{1000}, std::size_t{25000}, std::size_t{97}}) {
        CAPTURE(in_memory);
        geo::RtreePointSorter sorter(in_memory);
        for (const Point& p : pts) sorter.add(p.id, p.x, p.y);
        CHECK(sorter.size() == 25000);
        CHECK(sorter.min_id() == 1);
        CHECK(sorter.max_id() == 25000);
        const geo::RtreeEntriesByX next = sorter.by_x();
        std::map<std::int64_t, int> seen;
        double last_x = -1e300;
        std::size_t count = 0, out_of_order = 0, wrong_point = 0;
        for (geo::RtreeEntry e; next(e);) {
            ++count;
            out_of_order += e.min_x < last_x;
            last_x = e.min_x;
            ++seen[e.id];
            const Point& p = pts[static_cast<std::size_t>(e.id - 1)];
            wrong_point += !(e.min_x == p.x && e.max_x == p.x && e.min_y == p.y && e.max_y == p.y);
        }
        CHECK(count == pts.size());
        CHECK(seen.size() == pts.size());
        CHECK(out_of_order == 0);
        CHECK(wrong_point == 0);
    }
}

TEST_CASE("rtree bulk: a packed tree passes rtreecheck and answers boxes as a scan does",
          "[rtree]") {
    struct Case {
        const char* name;
        std::vector<Point> pts;
        std::size_t in_memory;
    };
    const std::vector<Case> cases = {
        {"20,000 points, sorted through runs on disk", points(20000), 3000},
        {"sparse ids (the id -> leaf map as pairs)", points(5000, 10, 100000), 1 << 19},
        {"one point (a leaf root)", points(1), 1 << 19},
        {"51 points (one full leaf)", points(51), 1 << 19},
        {"52 points (two leaves and a root)", points(52), 1 << 19},
        {"no points (an empty root)", {}, 1 << 19},
    };
    for (const Case& c : cases) {
        SECTION(c.name) {
            const std::string path = new_rtree_file("rtree-bulk");
            bulk_load(path, c.pts, c.in_memory);
            CHECK(query_one(path, "SELECT rtreecheck('rt')") == "ok");
            CHECK(query_one(path, "PRAGMA integrity_check") == "ok");
            CHECK(query_one(path, "SELECT count(*) FROM rt") == std::to_string(c.pts.size()));
            CHECK(query_one(path, "SELECT count(*) FROM rt_rowid") == std::to_string(c.pts.size()));
            const double boxes[][4] = {
                {44.0, 39.0, 45.0, 40.0}, {43.0, 38.0, 51.0, 42.0}, {46.3, 41.1, 46.4, 41.2}};
            for (const auto& b : boxes) {
                std::size_t expected = 0;
                for (const Point& p : c.pts)
                    expected += p.x >= b[0] && p.x <= b[2] && p.y >= b[1] && p.y <= b[3];
                // The float32 boxes are rounded outwards: a box query finds every point in it
                // (and at most a few within 1e-5 degrees of its edges).
                const auto found = std::stoul(query_one(
                    path, "SELECT count(*) FROM rt WHERE maxx >= " + std::to_string(b[0]) +
                              " AND minx <= " + std::to_string(b[2]) +
                              " AND maxy >= " + std::to_string(b[1]) +
                              " AND miny <= " + std::to_string(b[3])));
                CHECK(found >= expected);
                CHECK(found <= expected + 5);
            }
            // Each point's own entry holds it.
            std::size_t not_held = 0;
            for (std::size_t i = 0; i < c.pts.size(); i += 97) {
                const Point& p = c.pts[i];
                not_held += query_one(path, "SELECT count(*) FROM rt WHERE id = " +
                                                std::to_string(p.id) + " AND minx <= " +
                                                std::to_string(p.x) + " AND maxx >= " +
                                                std::to_string(p.x)) != "1";
            }
            CHECK(not_held == 0);
            std::remove(path.c_str());
        }
    }
}
