#include "geo/geometry/point_in_polygon.hpp"

#include <algorithm>
#include <cmath>

#include "geo/geometry/geos_util.hpp"

namespace limes::geo {
namespace {

// How near (degrees) an edge may come to a grid cell before the cell is left to the bands.
// Far above the rounding of the cell arithmetic (~1e-14 at 180 degrees), far below any real
// distance between a boundary and an incident (1e-9 degrees is 0.1 mm).
constexpr double kMargin = 1e-9;

}  // namespace

std::size_t PolygonLocator::add(const core::MultiPolygon& mp) {
    Area a;
    std::vector<Edge> edges, flats;
    for (const auto& poly : mp)
        for (const auto& ring : poly)
            for (std::size_t i = 0; i + 1 < ring.size(); ++i) {
                const core::LonLat p = ring[i], q = ring[i + 1];
                a.box.add(p.lon, p.lat);
                a.box.add(q.lon, q.lat);
                a.segments.push_back({p.lon, p.lat, q.lon, q.lat});
                if (p.lat == q.lat) {  // never crossed by a horizontal ray; kept for contains_exactly
                    flats.push_back({std::min(p.lon, q.lon), p.lat, std::max(p.lon, q.lon), p.lat});
                    continue;
                }
                edges.push_back(p.lat < q.lat ? Edge{p.lon, p.lat, q.lon, q.lat}
                                              : Edge{q.lon, q.lat, p.lon, p.lat});
            }
    // About 8 edges per band on average, at most 4096 bands.
    const std::size_t nbands = std::clamp<std::size_t>(edges.size() / 8, 1, 4096);
    a.bands.resize(nbands);
    a.flats.resize(nbands);
    a.band_height = a.box.empty() ? 1.0 : std::max((a.box.north - a.box.south) / nbands, 1e-12);
    for (const Edge& e : edges) {
        const auto b0 = static_cast<std::size_t>(
            std::clamp((e.y0 - a.box.south) / a.band_height, 0.0, double(nbands - 1)));
        const auto b1 = static_cast<std::size_t>(
            std::clamp((e.y1 - a.box.south) / a.band_height, 0.0, double(nbands - 1)));
        for (std::size_t b = b0; b <= b1; ++b) a.bands[b].push_back(e);
    }
    for (const Edge& e : flats) {
        const auto b = static_cast<std::size_t>(
            std::clamp((e.y0 - a.box.south) / a.band_height, 0.0, double(nbands - 1)));
        a.flats[b].push_back(e);
    }
    areas_.push_back(std::move(a));
    cells_.clear();  // the grid no longer covers every area
    return areas_.size() - 1;
}

bool PolygonLocator::contains(std::size_t index, double lon, double lat) const {
    const Area& a = areas_[index];
    if (a.box.empty() || !a.box.contains(lon, lat)) return false;
    const auto band = static_cast<std::size_t>(
        std::clamp((lat - a.box.south) / a.band_height, 0.0, double(a.bands.size() - 1)));
    // Crossing number: edges whose half-open y range [y0, y1) holds lat and that cross the
    // ray from the point towards +lon. Holes and multiple parts count the same way.
    bool inside = false, near = false;
    for (const Edge& e : a.bands[band]) {
        if (lat < e.y0 || lat > e.y1) continue;
        const double x = e.x0 + (lat - e.y0) * (e.x1 - e.x0) / (e.y1 - e.y0);
        near = near || std::abs(x - lon) <= kMargin;
        if (lat < e.y1 && x > lon) inside = !inside;
    }
    for (const Edge& e : a.flats[band]) near = near || (lat == e.y0 && lon >= e.x0 && lon <= e.x1);
    return near ? contains_exactly(a, band, lon, lat) : inside;
}

bool PolygonLocator::contains_exactly(const Area& a, std::size_t band, double lon, double lat) {
    // Rare (a point within 1e-9 degrees of an edge), and where the rounded crossing above may
    // put the point on the wrong side: GEOS's orientation test is exact. One context per
    // thread: stats scans on two.
    thread_local const GeosContext geos;
    bool inside = false;
    for (const Edge& e : a.bands[band]) {
        if (lat < e.y0 || lat > e.y1) continue;
        // > 0: the point is left of the upward edge, i.e. the edge crosses its +lon ray.
        const int side = GEOSOrientationIndex_r(geos.get(), e.x0, e.y0, e.x1, e.y1, lon, lat);
        if (side == 0) return false;  // on the edge (lat is within its y range)
        if (lat < e.y1 && side > 0) inside = !inside;
    }
    for (const Edge& e : a.flats[band])
        if (lat == e.y0 && lon >= e.x0 && lon <= e.x1) return false;
    return inside;
}

long PolygonLocator::find_by_bands(double lon, double lat) const {
    for (std::size_t i = 0; i < areas_.size(); ++i)
        if (contains(i, lon, lat)) return static_cast<long>(i);
    return -1;
}

// Marks (in cells_, as kUnsure) every cell that comes within kMargin of the segment: row by
// row, the cells under the part of the segment whose y lies in the row (widened by the
// margin). The cell of a coordinate is computed as find_in_grid() computes it, and that
// computation is monotonic, so a point whose cell is left unmarked is at least ~kMargin away.
void PolygonLocator::mark_segment(const Edge& e) {
    auto column = [&](double x) {
        const double c = std::floor((x - grid_.west) * inv_cell_w_);
        return static_cast<std::size_t>(std::clamp(c, 0.0, double(nx_ - 1)));
    };
    auto row = [&](double y) {
        const double r = std::floor((y - grid_.south) * inv_cell_h_);
        return static_cast<std::size_t>(std::clamp(r, 0.0, double(ny_ - 1)));
    };
    const double ylo = std::min(e.y0, e.y1), yhi = std::max(e.y0, e.y1);
    auto x_at = [&](double y) {
        return e.y1 == e.y0 ? e.x0 : e.x0 + (y - e.y0) * (e.x1 - e.x0) / (e.y1 - e.y0);
    };
    for (std::size_t r = row(ylo - kMargin), r1 = row(yhi + kMargin); r <= r1; ++r) {
        double ya = std::max(ylo, grid_.south + double(r) * cell_h_ - kMargin);
        double yb = std::min(yhi, grid_.south + double(r + 1) * cell_h_ + kMargin);
        if (ya > yb) ya = yb = std::clamp(ya, ylo, yhi);
        double xa = x_at(ya), xb = x_at(yb);
        if (e.y1 == e.y0) xa = e.x0, xb = e.x1;
        const std::size_t c0 = column(std::min(xa, xb) - kMargin);
        const std::size_t c1 = column(std::max(xa, xb) + kMargin);
        std::fill(cells_.begin() + static_cast<std::ptrdiff_t>(r * nx_ + c0),
                  cells_.begin() + static_cast<std::ptrdiff_t>(r * nx_ + c1 + 1),
                  static_cast<std::int32_t>(kUnsure));
    }
}

void PolygonLocator::prepare(std::size_t max_cells) {
    cells_.clear();
    grid_ = core::BBox{};
    std::size_t segments = 0;
    for (const Area& a : areas_) {
        grid_.add(a.box);
        segments += a.segments.size();
    }
    if (grid_.empty()) return;  // no area has a point: find() answers -1 by the bands
    // Up to ~1,000 cells per edge: on the default workspace's provinces (3,000 edges, 2^20
    // cells) 2.7 % of the cells, holding 4 % of the synthetic benchmark's points, are left to
    // the bands; at 2^18 cells 5.4 % and 8 % (BENCHMARKS.md).
    const double w = std::max(grid_.east - grid_.west, 1e-9);
    const double h = std::max(grid_.north - grid_.south, 1e-9);
    const double target =
        std::clamp(1024.0 * double(segments), 1.0, double(std::max<std::size_t>(max_cells, 1)));
    nx_ = static_cast<std::size_t>(std::clamp(std::round(std::sqrt(target * w / h)), 1.0, target));
    ny_ = static_cast<std::size_t>(std::clamp(std::floor(target / double(nx_)), 1.0, target));
    cell_w_ = w / double(nx_);
    cell_h_ = h / double(ny_);
    inv_cell_w_ = double(nx_) / w;
    inv_cell_h_ = double(ny_) / h;
    cells_.assign(nx_ * ny_, 0);
    for (const Area& a : areas_)
        for (const Edge& e : a.segments) mark_segment(e);
    // Unmarked cells in a run along a row share one answer: no boundary separates them.
    for (std::size_t r = 0; r < ny_; ++r) {
        std::int32_t* cells = cells_.data() + r * nx_;
        for (std::size_t c = 0; c < nx_;) {
            if (cells[c] == kUnsure) {
                ++c;
                continue;
            }
            const double lon = grid_.west + (double(c) + 0.5) * cell_w_;
            const double lat = grid_.south + (double(r) + 0.5) * cell_h_;
            const auto answer = static_cast<std::int32_t>(find_by_bands(lon, lat));
            for (; c < nx_ && cells[c] != kUnsure; ++c) cells[c] = answer;
        }
    }
}

double PolygonLocator::unsure_share() const {
    if (cells_.empty()) return 0.0;
    const auto n = std::count(cells_.begin(), cells_.end(), static_cast<std::int32_t>(kUnsure));
    return double(n) / double(cells_.size());
}

}  // namespace limes::geo
