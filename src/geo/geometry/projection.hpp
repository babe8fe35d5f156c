#pragma once
// PROJ transforms from WGS84 longitude/latitude (degrees) to a map CRS and back. Axis order
// is normalised for visualisation (proj_normalize_for_visualization): always x = easting or
// longitude, y = northing or latitude, whatever the CRS definition says.
#include <string>

#include "core/geometry.hpp"

struct pj_ctx;
struct PJconsts;

namespace limes::geo {

/** limes' default map CRS: Lambert conformal conic centred on the South Caucasus. Units:
 *  metres; standard parallels 39 N and 41 N; origin 40 N 46 E. */
inline constexpr const char* kDefaultMapCrs =
    "+proj=lcc +lat_0=40 +lon_0=46 +lat_1=39 +lat_2=41 +datum=WGS84 +units=m +no_defs";

class Projector {
  public:
    /** crs: anything PROJ accepts (EPSG:32638, a PROJ string, WKT). Throws UsageError naming
     *  the CRS with PROJ's reason when it is unknown. */
    explicit Projector(const std::string& crs = kDefaultMapCrs);
    ~Projector();
    Projector(const Projector&) = delete;
    Projector& operator=(const Projector&) = delete;

    /** lon/lat degrees -> map x/y (CRS units). Returns false where the CRS cannot represent
     *  the point (x, y are then set to NaN). */
    bool forward(double lon, double lat, double& x, double& y) const;
    /** A lon/lat point in map coordinates (NaN where the CRS cannot represent it). */
    core::XY forward(core::LonLat p) const {
        core::XY out;
        forward(p.lon, p.lat, out.x, out.y);
        return out;
    }
    /** Every vertex of a lon/lat multipolygon in map coordinates. */
    core::XYMultiPolygon forward(const core::MultiPolygon& mp) const;
    /** map x/y -> lon/lat degrees. */
    bool inverse(double x, double y, double& lon, double& lat) const;

    const std::string& crs() const { return crs_; }
    /** True when the map CRS is geographic (units are degrees, not metres). */
    bool is_geographic() const { return geographic_; }
    /** The CRS as WKT (for .aux.xml / GeoTIFF georeferencing). */
    std::string wkt() const;

  private:
    std::string crs_;
    pj_ctx* ctx_ = nullptr;
    PJconsts* pj_ = nullptr;  // WGS84 -> crs, normalised
    PJconsts* target_ = nullptr;
    bool geographic_ = false;
};

}  // namespace limes::geo
