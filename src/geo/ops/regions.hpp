#pragma once
// Named polygons of a workspace (regions, provinces, countries, claims) as GEOS geometries,
// for --region filters, per-area counts and encroachment.
#include <optional>
#include <string>
#include <vector>

#include "geo/geometry/geos_util.hpp"
#include "geo/store/workspace.hpp"

namespace limes::geo {

struct NamedArea {
    std::string layer;    ///< where it came from
    std::string name;     ///< display name
    std::string country;  ///< ISO3 / country name where the layer has one
    GeomPtr geom;         ///< WGS84 lon/lat polygonal geometry
};

/** Every feature of a polygon layer with its name (first of name_fields present); an absent
 *  layer gives an empty list. */
std::vector<NamedArea> load_areas(const Workspace& ws, const GeosContext& ctx,
                                  const std::string& layer,
                                  const std::vector<std::string>& name_fields,
                                  const std::string& country_field = "");

/** The polygon called name (case-insensitive) in regions, provinces, countries or claims,
 *  in that order. Throws UsageError listing the names there are when nothing matches. */
NamedArea find_region(const Workspace& ws, const GeosContext& ctx, const std::string& name);

/** A --region filter ready for many tests: the named polygon, prepared. With an empty name
 *  it is inactive and accepts everything. */
class RegionFilter {
public:
    RegionFilter(const Workspace& ws, const GeosContext& ctx, const std::string& name);
    bool active() const { return prepared_ != nullptr; }
    /** Point (lon/lat degrees) inside the region. */
    bool contains(double lon, double lat) const;
    /** Geometry (WGS84) touching the region. */
    bool intersects(const GEOSGeometry* g) const;

private:
    const GeosContext& ctx_;
    std::optional<NamedArea> area_;
    PreparedPtr prepared_;
};

}  // namespace limes::geo
