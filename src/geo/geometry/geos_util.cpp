#include "geo/geometry/geos_util.hpp"

#include <ogr_geometry.h>

#include <cstdarg>
#include <cstdio>
#include <vector>

#include "core/error.hpp"

namespace limes::geo {

GeosContext::GeosContext() : handle_(GEOS_init_r()) {
    GEOSContext_setErrorMessageHandler_r(handle_, &GeosContext::on_error, this);
}

GeosContext::~GeosContext() { GEOS_finish_r(handle_); }

void GeosContext::on_error(const char* message, void* self) {
    static_cast<GeosContext*>(self)->last_error_ = message ? message : "";
}

GeomPtr own(const GeosContext& ctx, GEOSGeometry* g, const char* what) {
    if (!g)
        throw core::Error(core::ErrorKind::Internal,
                          std::string("GEOS ") + what + " failed: " + ctx.last_error());
    return GeomPtr(g, GeomDeleter{ctx.get()});
}

GeomPtr to_geos(const GeosContext& ctx, const OGRGeometry& g) {
    return own(ctx, g.exportToGEOS(ctx.get()), "conversion from OGR");
}

std::unique_ptr<OGRGeometry> to_ogr(const GeosContext& ctx, const GEOSGeometry* g) {
    // createFromGEOS takes a non-const pointer but does not modify or free it.
    OGRGeometry* out =
        OGRGeometryFactory::createFromGEOS(ctx.get(), const_cast<GEOSGeometry*>(g));
    if (!out) throw core::Error(core::ErrorKind::Internal, "GEOS -> OGR conversion failed");
    return std::unique_ptr<OGRGeometry>(out);
}

PreparedPtr prepare(const GeosContext& ctx, const GEOSGeometry* g) {
    const GEOSPreparedGeometry* p = GEOSPrepare_r(ctx.get(), g);
    if (!p)
        throw core::Error(core::ErrorKind::Internal, "GEOS prepare failed: " + ctx.last_error());
    return PreparedPtr(p, PreparedDeleter{ctx.get()});
}

GeomPtr make_valid_polygonal(const GeosContext& ctx, const GEOSGeometry* g, std::string* reason) {
    GEOSContextHandle_t h = ctx.get();
    if (GEOSisValid_r(h, g) == 1) return own(ctx, GEOSGeom_clone_r(h, g), "clone");
    if (reason) {
        char* r = GEOSisValidReason_r(h, g);
        *reason = r ? r : "invalid";
        GEOSFree_r(h, r);
    }
    GeomPtr fixed = own(ctx, GEOSMakeValid_r(h, g), "MakeValid");
    // MakeValid may return a collection with lines or points where a ring collapsed; keep
    // only the polygons so the layer's type (MultiPolygon) holds.
    const int type = GEOSGeomTypeId_r(h, fixed.get());
    if (type == GEOS_POLYGON || type == GEOS_MULTIPOLYGON) return fixed;
    std::vector<GEOSGeometry*> polys;
    const int n = GEOSGetNumGeometries_r(h, fixed.get());
    for (int i = 0; i < n; ++i) {
        const GEOSGeometry* part = GEOSGetGeometryN_r(h, fixed.get(), i);
        const int t = GEOSGeomTypeId_r(h, part);
        if (t == GEOS_POLYGON) {
            polys.push_back(GEOSGeom_clone_r(h, part));
        } else if (t == GEOS_MULTIPOLYGON) {
            for (int j = 0; j < GEOSGetNumGeometries_r(h, part); ++j)
                polys.push_back(GEOSGeom_clone_r(h, GEOSGetGeometryN_r(h, part, j)));
        }
    }
    return own(ctx,
               GEOSGeom_createCollection_r(h, GEOS_MULTIPOLYGON, polys.data(),
                                           static_cast<unsigned>(polys.size())),
               "collect polygons");
}

}  // namespace limes::geo
