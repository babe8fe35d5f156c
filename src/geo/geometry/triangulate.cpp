#include "geo/geometry/triangulate.hpp"

#include "geo/geometry/geos_util.hpp"

namespace limes::geo {

void triangulate(const core::XYMultiPolygon& projected, Triangles& out) {
    if (projected.empty()) return;
    thread_local GeosContext ctx;
    GeomPtr g = to_geos(ctx, projected);
    GeomPtr valid = make_valid_polygonal(ctx, g.get(), nullptr);
    GeomPtr tris = own(ctx, GEOSConstrainedDelaunayTriangulation_r(ctx.get(), valid.get()),
                       "constrained Delaunay triangulation");
    GEOSContextHandle_t h = ctx.get();
    const int n = GEOSGetNumGeometries_r(h, tris.get());
    out.xy.reserve(out.xy.size() + static_cast<std::size_t>(n) * 6);
    out.indices.reserve(out.indices.size() + static_cast<std::size_t>(n) * 3);
    for (int i = 0; i < n; ++i) {
        const GEOSGeometry* tri = GEOSGetGeometryN_r(h, tris.get(), i);
        const GEOSGeometry* ring = GEOSGetExteriorRing_r(h, tri);
        const GEOSCoordSequence* seq = GEOSGeom_getCoordSeq_r(h, ring);
        unsigned size = 0;
        GEOSCoordSeq_getSize_r(h, seq, &size);
        if (size < 4) continue;
        const auto base = static_cast<std::uint32_t>(out.xy.size() / 2);
        for (unsigned k = 0; k < 3; ++k) {
            double x, y;
            GEOSCoordSeq_getXY_r(h, seq, k, &x, &y);
            out.xy.push_back(x);
            out.xy.push_back(y);
            out.indices.push_back(base + k);
        }
    }
}

}  // namespace limes::geo
