#pragma once
// RAII around the GEOS C API (Debian ships only geos_c): a context per user (GEOS contexts
// are not thread-safe), geometries and prepared geometries that free themselves, and the
// bridges to limes' plain geometry (core/geometry.hpp). No raw GEOSGeometry* leaves src/geo.
#include <geos_c.h>

#include <memory>
#include <string>

#include "core/geometry.hpp"

namespace limes::geo {

class GeosContext {
  public:
    GeosContext();
    ~GeosContext();
    GeosContext(const GeosContext&) = delete;
    GeosContext& operator=(const GeosContext&) = delete;

    GEOSContextHandle_t get() const { return handle_; }
    /** The last error GEOS reported on this context (empty if none). */
    const std::string& last_error() const { return last_error_; }

  private:
    static void on_error(const char* message, void* self);
    GEOSContextHandle_t handle_;
    std::string last_error_;
};

struct GeomDeleter {
    GEOSContextHandle_t ctx = nullptr;
    void operator()(GEOSGeometry* g) const {
        if (g) GEOSGeom_destroy_r(ctx, g);
    }
};
using GeomPtr = std::unique_ptr<GEOSGeometry, GeomDeleter>;

struct PreparedDeleter {
    GEOSContextHandle_t ctx = nullptr;
    void operator()(const GEOSPreparedGeometry* g) const {
        if (g) GEOSPreparedGeom_destroy_r(ctx, g);
    }
};
using PreparedPtr = std::unique_ptr<const GEOSPreparedGeometry, PreparedDeleter>;

/** Takes ownership of a GEOS result; throws core::Error (Internal) with what (and GEOS's
 *  message) when it is null. */
GeomPtr own(const GeosContext& ctx, GEOSGeometry* g, const char* what);

/** A plain multipolygon (lon/lat or projected x/y, as given) as a GEOS MultiPolygon. Rings
 *  are taken as they are: not closed, or too short, GEOS refuses them (core::Error). */
GeomPtr to_geos(const GeosContext& ctx, const core::MultiPolygon& mp);
/** The same for projected coordinates. */
GeomPtr to_geos(const GeosContext& ctx, const core::XYMultiPolygon& mp);
/** The polygons of a GEOS geometry (a polygon, a multipolygon, or the polygonal parts of a
 *  collection) as a plain multipolygon; anything else gives an empty one. */
core::MultiPolygon to_multipolygon(const GeosContext& ctx, const GEOSGeometry* g);

/** Prepared geometry for repeated containment tests (the geometry must outlive it). */
PreparedPtr prepare(const GeosContext& ctx, const GEOSGeometry* g);

/** A valid version of g: g itself (cloned) when valid, else GEOSMakeValid's result reduced to
 *  its polygonal part. reason receives GEOS's validity reason when a repair was made. */
GeomPtr make_valid_polygonal(const GeosContext& ctx, const GEOSGeometry* g, std::string* reason);

}  // namespace limes::geo
