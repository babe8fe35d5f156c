#pragma once
// Between GDAL's OGR types and limes' plain model types, for the parts of the store that read
// and write through GDAL (claims, basemap layers, other OGR sources). Coordinates stay as OGR
// holds them in a workspace: EPSG:4326 in GIS order, x = longitude, y = latitude.
#include <ogr_feature.h>
#include <ogr_geometry.h>

#include <memory>
#include <optional>

#include "core/claim.hpp"
#include "core/date.hpp"
#include "core/geometry.hpp"
#include "geo/geometry/geos_util.hpp"

namespace limes::geo {

/** A multipolygon-ish OGR geometry (polygon, multipolygon, a collection of them) as the plain
 *  model type; other types and null give an empty one. */
core::MultiPolygon to_multipolygon(const OGRGeometry* g);
/** The plain model multipolygon as an OGR geometry. */
std::unique_ptr<OGRMultiPolygon> to_ogr_multipolygon(const core::MultiPolygon& mp);
/** The lines of a (multi)line string or a polygon's rings; other types give none. */
std::vector<core::Ring> to_lines(const OGRGeometry* g);

/** Any OGR geometry as GEOS (throws core::Error when GEOS refuses it, e.g. an empty one). */
GeomPtr to_geos(const GeosContext& ctx, const OGRGeometry& g);

/** An OGR date (or date-time) field as a calendar day; nullopt when unset or null. */
std::optional<core::Date> field_date(const OGRFeature& f, int index);
/** Sets an OGR date field. */
void set_field_date(OGRFeature& f, int index, core::Date date);
/** A field's text by name; empty when the layer has no such field or it is null. */
std::string field_text(const OGRFeature& f, const char* name);

/** A claims layer's feature as a claim (its fields by name; the geometry as a multipolygon). */
core::Claim claim_of(const OGRFeature& f);

}  // namespace limes::geo
