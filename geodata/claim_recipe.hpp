#pragma once
// Geometry recipes of geodata/claims.csv: how each claim's area is made from the layers of the
// workspace being built (Natural Earth countries, provinces, historical lines, the oblast) and
// from claims built before it. All geometry is WGS84, longitude/latitude (x = lon, y = lat).
//
//   recipe   := operand { (" + " | " - " | " & ") operand }     left to right: union,
//                                                               difference, intersection
//   operand  := part:ISO3:LON,LAT      the part of that country's polygon containing the point
//             | province:ISO3:GN_NAME  a Natural Earth province, by its geonames name
//             | region:KIND            a polygon of the regions layer (former_autonomous_oblast)
//             | side:LINE_KIND:ISO3:LON,LAT
//                                      the part of ISO3 containing the point, cut along the
//                                      historical lines of LINE_KIND: the side with the point
//             | claim:CLAIM_ID         the area of a claim of an earlier row
//             | corridor:WIDTH_M:LON LAT,LON LAT,...
//                                      a strip WIDTH_M metres wide (geodesic, measured in an
//                                      azimuthal equidistant projection centred on its start)
//                                      along the line through the points
//             | box:WEST,SOUTH,EAST,NORTH   a lon/lat rectangle (degrees)
#include <gdal_priv.h>
#include <ogr_geometry.h>

#include <map>
#include <memory>
#include <stdexcept>
#include <string>

namespace limes::geo {

/** A recipe that cannot be made; the message names the operand (the caller adds file/row). */
struct RecipeError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

/** Areas of the rows built so far, by claim_id (WGS84 multipolygons). */
using BuiltAreas = std::map<std::string, std::unique_ptr<OGRGeometry>>;

/** The polygonal area the recipe describes (a MultiPolygon, valid, never empty). */
std::unique_ptr<OGRGeometry> make_claim_geometry(GDALDataset& ws, const std::string& recipe,
                                                 const BuiltAreas& earlier);

}  // namespace limes::geo
