#include "geo/geometry/geos_util.hpp"

#include <cstdarg>
#include <cstdio>
#include <vector>

#include "core/error.hpp"

namespace limes::geo {

GeosContext::GeosContext() : handle_(GEOS_init_r()) {
    GEOSContext_setErrorMessageHandler_r(handle_, &GeosContext::on_error, this);
}

GeosContext::~GeosContext() {
    GEOS_finish_r(handle_);
}

void GeosContext::on_error(const char* message, void* self) {
    static_cast<GeosContext*>(self)->last_error_ = message ? message : "";
}

GeomPtr own(const GeosContext& ctx, GEOSGeometry* g, const char* what) {
    if (!g)
        throw core::Error(core::ErrorKind::Internal,
                          std::string("GEOS ") + what + " failed: " + ctx.last_error());
    return GeomPtr(g, GeomDeleter{ctx.get()});
}

namespace {

double x_of(const core::LonLat& p) {
    return p.lon;
}
double y_of(const core::LonLat& p) {
    return p.lat;
}
double x_of(const core::XY& p) {
    return p.x;
}
double y_of(const core::XY& p) {
    return p.y;
}

template <typename MultiPolygonT>
GeomPtr multipolygon_to_geos(const GeosContext& ctx, const MultiPolygonT& mp) {
    GEOSContextHandle_t h = ctx.get();
    auto ring_of = [&](const auto& r) {
        GEOSCoordSequence* seq = GEOSCoordSeq_create_r(h, static_cast<unsigned>(r.size()), 2);
        if (!seq)
            throw core::Error(core::ErrorKind::Internal,
                              "GEOS coordinate sequence: " + ctx.last_error());
        for (unsigned i = 0; i < r.size(); ++i)
            GEOSCoordSeq_setXY_r(h, seq, i, x_of(r[i]), y_of(r[i]));
        return own(ctx, GEOSGeom_createLinearRing_r(h, seq), "linear ring");  // takes seq
    };
    std::vector<GEOSGeometry*> polygons;
    auto free_all = [&] {
        for (GEOSGeometry* p : polygons) GEOSGeom_destroy_r(h, p);
    };
    try {
        for (const auto& poly : mp) {
            if (poly.empty()) continue;
            GeomPtr shell = ring_of(poly.front());
            std::vector<GeomPtr> holes;
            for (std::size_t k = 1; k < poly.size(); ++k) holes.push_back(ring_of(poly[k]));
            std::vector<GEOSGeometry*> raw;
            for (auto& hole : holes) raw.push_back(hole.release());
            GEOSGeometry* p = GEOSGeom_createPolygon_r(h, shell.release(), raw.data(),
                                                       static_cast<unsigned>(raw.size()));
            own(ctx, p, "polygon").release();  // throws on null; ownership moves to polygons
            polygons.push_back(p);
        }
    } catch (...) {
        free_all();
        throw;
    }
    GEOSGeometry* out = GEOSGeom_createCollection_r(h, GEOS_MULTIPOLYGON, polygons.data(),
                                                    static_cast<unsigned>(polygons.size()));
    if (!out) free_all();
    return own(ctx, out, "multipolygon");
}

}  // namespace

GeomPtr to_geos(const GeosContext& ctx, const core::MultiPolygon& mp) {
    return multipolygon_to_geos(ctx, mp);
}
GeomPtr to_geos(const GeosContext& ctx, const core::XYMultiPolygon& mp) {
    return multipolygon_to_geos(ctx, mp);
}

namespace {

core::Ring ring_from(GEOSContextHandle_t h, const GEOSGeometry* ring) {
    core::Ring out;
    const GEOSCoordSequence* seq = GEOSGeom_getCoordSeq_r(h, ring);
    unsigned size = 0;
    if (!seq || !GEOSCoordSeq_getSize_r(h, seq, &size)) return out;
    out.resize(size);
    for (unsigned i = 0; i < size; ++i) GEOSCoordSeq_getXY_r(h, seq, i, &out[i].lon, &out[i].lat);
    return out;
}

void add_polygons(GEOSContextHandle_t h, const GEOSGeometry* g, core::MultiPolygon& out) {
    const int type = GEOSGeomTypeId_r(h, g);
    if (type == GEOS_POLYGON) {
        if (GEOSisEmpty_r(h, g) == 1) return;
        core::Polygon poly;
        poly.push_back(ring_from(h, GEOSGetExteriorRing_r(h, g)));
        const int holes = GEOSGetNumInteriorRings_r(h, g);
        for (int i = 0; i < holes; ++i)
            poly.push_back(ring_from(h, GEOSGetInteriorRingN_r(h, g, i)));
        out.push_back(std::move(poly));
    } else if (type == GEOS_MULTIPOLYGON || type == GEOS_GEOMETRYCOLLECTION) {
        const int n = GEOSGetNumGeometries_r(h, g);
        for (int i = 0; i < n; ++i) add_polygons(h, GEOSGetGeometryN_r(h, g, i), out);
    }
}

}  // namespace

core::MultiPolygon to_multipolygon(const GeosContext& ctx, const GEOSGeometry* g) {
    core::MultiPolygon out;
    if (g) add_polygons(ctx.get(), g, out);
    return out;
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
