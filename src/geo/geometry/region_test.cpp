#include "geo/geometry/region_test.hpp"

namespace limes::geo {

RegionTest::RegionTest(core::MultiPolygon area) {
    auto shared = std::make_shared<Shared>();
    shared->area = std::move(area);
    shared->grid.add(shared->area);
    shared->grid.prepare();
    shared_ = std::move(shared);
    prepare_geos();
}

void RegionTest::prepare_geos() {
    ctx_ = std::make_unique<GeosContext>();
    geom_ = to_geos(*ctx_, shared_->area);
    prepared_ = prepare(*ctx_, geom_.get());
}

RegionTest RegionTest::for_thread() const {
    RegionTest t;
    if (!shared_) return t;
    t.shared_ = shared_;
    t.prepare_geos();
    return t;
}

bool RegionTest::contains(double lon, double lat) const {
    if (!shared_) return true;
    const long k = shared_->grid.find_in_grid(lon, lat);
    if (k != PolygonLocator::kUnsure) return k == 0;
    GeomPtr pt = own(*ctx_, GEOSGeom_createPointFromXY_r(ctx_->get(), lon, lat), "point");
    return GEOSPreparedContains_r(ctx_->get(), prepared_.get(), pt.get()) == 1;
}

bool RegionTest::intersects(const GEOSGeometry* g) const {
    return !shared_ || GEOSPreparedIntersects_r(ctx_->get(), prepared_.get(), g) == 1;
}

bool RegionTest::intersects(const core::MultiPolygon& shape) const {
    if (!shared_) return true;
    GeomPtr g = to_geos(*ctx_, shape);
    return intersects(g.get());
}

}  // namespace limes::geo
