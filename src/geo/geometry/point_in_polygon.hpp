#pragma once
// Which polygon contains a point, for a million points. Two levels:
//
//   grid (after prepare()): one cell array over the union of the areas' boxes
//   +---+---+---+---+
//   | - | - | B | 1 |    -  no area contains any point of the cell
//   +---+---+---+---+    k  area k is the first area containing every point of the cell
//   | - | B | B | 1 |    B  an edge (of any area) comes within kMargin of the cell: ask the bands
//   +---+---+---+---+
//
//   bands (per area): the area's edges bucketed into horizontal bands, so a crossing-number
//   test looks at the few edges of one band instead of every edge.
//
// A cell no edge touches lies in one piece of the plane minus every boundary, so one
// crossing-number test at its centre answers for all its points: most points cost one array
// read. Coordinates are lon/lat degrees. A point on a boundary (an edge or a vertex, exactly)
// is in no area, as GEOS's contains, PostGIS's and SpatiaLite's ST_Contains have it: the
// crossing-number test notices when the point is within kMargin of an edge it looks at, and
// then decides again with GEOS's exact orientation test, edge by edge.
#include <cstdint>
#include <vector>

#include "core/geometry.hpp"

namespace limes::geo {

class PolygonLocator {
  public:
    /** find_in_grid(): the point's cell is crossed by a boundary; find() decides. */
    static constexpr long kUnsure = -2;

    /** Adds a polygonal area; returns its index (0, 1, ...). Drops a prepared grid. */
    std::size_t add(const core::MultiPolygon& area);
    /** Builds the grid over the areas added so far (call after the last add(); find() works
     *  without it, only slower). max_cells bounds its size (4 bytes a cell). */
    void prepare(std::size_t max_cells = std::size_t{1} << 20);
    /** Index of the first area added that contains (lon, lat), or -1. */
    long find(double lon, double lat) const {
        const long k = find_in_grid(lon, lat);
        return k != kUnsure ? k : find_by_bands(lon, lat);
    }
    /** find()'s answer where the grid alone gives it, else kUnsure (always without a grid). */
    long find_in_grid(double lon, double lat) const {
        if (cells_.empty()) return kUnsure;
        // !(a <= b) is true for NaN as well: no area contains a NaN point.
        if (!(lon >= grid_.west && lon <= grid_.east && lat >= grid_.south && lat <= grid_.north))
            return -1;
        auto i = static_cast<std::size_t>((lon - grid_.west) * inv_cell_w_);
        auto j = static_cast<std::size_t>((lat - grid_.south) * inv_cell_h_);
        if (i >= nx_) i = nx_ - 1;
        if (j >= ny_) j = ny_ - 1;
        return cells_[j * nx_ + i];
    }
    /** find() without the grid: a box test per area, then the bands of each candidate. */
    long find_by_bands(double lon, double lat) const;
    bool contains(std::size_t area, double lon, double lat) const;
    std::size_t size() const { return areas_.size(); }
    /** Share of grid cells that need the bands (0 without a grid): for benchmarks and tests. */
    double unsure_share() const;

  private:
    struct Edge {
        double x0, y0, x1, y1;  // bands: y0 < y1 (horizontal edges are dropped)
    };
    struct Area {
        core::BBox box;
        double band_height = 1.0;
        std::vector<std::vector<Edge>> bands;  // edges overlapping each band's y range
        std::vector<std::vector<Edge>> flats;  // horizontal edges (y0 == y1) of each band
        std::vector<Edge> segments;            // every edge as given, for the grid
    };
    void mark_segment(const Edge& e);
    /** contains() decided with exact orientation tests: false on an edge or a vertex. */
    static bool contains_exactly(const Area& a, std::size_t band, double lon, double lat);

    std::vector<Area> areas_;
    core::BBox grid_;              // union of the areas' boxes
    std::size_t nx_ = 0, ny_ = 0;  // columns, rows
    double cell_w_ = 1.0, cell_h_ = 1.0, inv_cell_w_ = 1.0, inv_cell_h_ = 1.0;
    std::vector<std::int32_t> cells_;  // row-major from south-west: area, -1 or kUnsure
};

}  // namespace limes::geo
