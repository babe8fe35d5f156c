#pragma once
// The --region test: whether points and shapes lie in one named polygon, for a million points.
// A grid over the polygon (PolygonLocator) answers the points clear of its boundary with one
// array read; GEOS's prepared geometry decides the few near it, so every answer is GEOS's.
// One RegionTest per thread (a GEOS context is not shared between threads): for_thread()
// makes another that shares the grid.
#include <memory>

#include "core/geometry.hpp"
#include "geo/geometry/geos_util.hpp"
#include "geo/geometry/point_in_polygon.hpp"

namespace limes::geo {

class RegionTest {
  public:
    /** Inactive: accepts everything (no --region). */
    RegionTest() = default;
    /** area: lon/lat degrees. Throws core::Error when GEOS cannot take it. */
    explicit RegionTest(core::MultiPolygon area);

    bool active() const { return static_cast<bool>(shared_); }
    /** Point (lon/lat degrees) inside the region; points on its boundary are outside. */
    bool contains(double lon, double lat) const;
    /** A shape (lon/lat) touching the region. */
    bool intersects(const core::MultiPolygon& shape) const;
    /** A GEOS geometry made with context() touching the region. */
    bool intersects(const GEOSGeometry* g) const;
    /** The GEOS context geometries for intersects() must come from. */
    const GeosContext& context() const { return *ctx_; }
    /** Another test of the same region for another thread. */
    RegionTest for_thread() const;

  private:
    struct Shared {
        core::MultiPolygon area;
        PolygonLocator grid;
    };
    void prepare_geos();

    std::shared_ptr<const Shared> shared_;
    std::unique_ptr<GeosContext> ctx_;  // before the geometries that use it
    GeomPtr geom_;
    PreparedPtr prepared_;
};

}  // namespace limes::geo
