// The triangle cache of basemap fills (geo/geometry/triangle_cache.hpp): what it returns is
// what GEOS's triangulation returns, a second call reads the file the first wrote (shown by
// planting a different, valid answer in it), other coordinates get another file, a damaged
// file is computed again and replaced, and without a folder nothing is written.
#include <catch2/catch.hpp>

#include <sys/stat.h>

#include <cstdio>
#include <filesystem>
#include <fstream>

#include "support.hpp"
#include "geo/geometry/triangle_cache.hpp"

using limes::core::XYMultiPolygon;
using limes::geo::Triangles;

namespace {

/** A square with a square hole, and an L-shape: synthetic map coordinates (metres). */
std::vector<XYMultiPolygon> shapes(double shift = 0.0) {
    XYMultiPolygon holed{{{{0 + shift, 0}, {100, 0}, {100, 100}, {0, 100}, {0 + shift, 0}},
                          {{40, 40}, {60, 40}, {60, 60}, {40, 60}, {40, 40}}}};
    XYMultiPolygon ell{{{{200, 0}, {260, 0}, {260, 20}, {220, 20}, {220, 80}, {200, 80},
                         {200, 0}}}};
    return {holed, XYMultiPolygon{}, ell};
}

bool same(const std::vector<Triangles>& a, const std::vector<Triangles>& b) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i)
        if (a[i].xy != b[i].xy || a[i].indices != b[i].indices) return false;
    return true;
}

std::size_t files_in(const std::string& dir) {
    std::size_t n = 0;
    std::error_code ec;
    for (const auto& e : std::filesystem::directory_iterator(dir, ec))
        n += e.path().extension() == ".tri";
    return n;
}

/** Sets the process's cache folder, and clears it again however the case ends. */
struct CacheFolder {
    explicit CacheFolder(const std::string& dir) { limes::geo::set_triangle_cache_dir(dir); }
    ~CacheFolder() { limes::geo::set_triangle_cache_dir(""); }
};

/** The triangulation with no cache folder set: GEOS itself. */
std::vector<Triangles> uncached(const std::vector<XYMultiPolygon>& in) {
    limes::geo::set_triangle_cache_dir("");
    return limes::geo::triangulate_all(in);
}

}  // namespace

TEST_CASE("triangle cache: the second call reads the file the first wrote, and a damaged "
          "file is computed again",
          "[geo][triangulate]") {
    const std::string dir = limes_test::scratch("triangles", "");
    const auto in = shapes();
    const auto fresh = uncached(in);
    REQUIRE(fresh.size() == 3);
    CHECK(fresh[0].indices.size() >= 3 * 8);  // a holed square: at least 8 triangles
    CHECK(fresh[1].indices.empty());          // an empty multipolygon: none
    CHECK(fresh[2].indices.size() == 3 * 4);  // an L of six corners: four

    CacheFolder folder(dir);
    CHECK(same(limes::geo::triangulate_all(in), fresh));
    const std::string file = limes::geo::triangle_cache_file(in);
    REQUIRE(limes_test::file_exists(file));
    CHECK(files_in(dir) == 1);

    // Plant another valid answer in the file (the first x moved by 1): the next call returns
    // it, so the answer came from the file and not from GEOS.
    {
        std::fstream f(file, std::ios::in | std::ios::out | std::ios::binary);
        f.seekp(8 + 4 + 8 + 8);  // magic, format, count, the first layer's xy count
        const double x = fresh[0].xy[0] + 1.0;
        f.write(reinterpret_cast<const char*>(&x), sizeof x);
    }
    const auto planted = limes::geo::triangulate_all(in);
    CHECK(planted[0].xy[0] == fresh[0].xy[0] + 1.0);

    // Cut short: not whole, so triangulated again and written whole.
    std::filesystem::resize_file(file, std::filesystem::file_size(file) - 5);
    CHECK(same(limes::geo::triangulate_all(in), fresh));
    CHECK(same(limes::geo::triangulate_all(in), fresh));  // and read back as written
    // Not a cache file at all: the same.
    {
        std::ofstream f(file, std::ios::binary | std::ios::trunc);
        f << "not triangles";
    }
    CHECK(same(limes::geo::triangulate_all(in), fresh));

    // Other coordinates (one corner moved by a metre): another file, another answer.
    const auto moved = shapes(1.0);
    CHECK(limes::geo::triangle_cache_file(moved) != file);
    const auto other = limes::geo::triangulate_all(moved);
    CHECK(files_in(dir) == 2);
    CHECK(same(other, uncached(moved)));

    // The folder keeps at most kTriangleCacheFiles files: the oldest go.
    limes::geo::set_triangle_cache_dir(dir);
    for (std::size_t k = 0; k < limes::geo::kTriangleCacheFiles + 3; ++k)
        limes::geo::triangulate_all(shapes(2.0 + static_cast<double>(k)));
    CHECK(files_in(dir) == limes::geo::kTriangleCacheFiles);

    std::filesystem::remove_all(dir);
}
