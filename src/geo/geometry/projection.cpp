#include "geo/geometry/projection.hpp"

#include <cpl_conv.h>
#include <ogr_spatialref.h>
#include <proj.h>

#include <cmath>
#include <limits>

#include "core/error.hpp"

namespace limes::geo {

Projector::Projector(const std::string& crs) : crs_(crs), ctx_(proj_context_create()) {
    // PROJ must not fetch grids from the network (CDN) at run time.
    proj_context_set_enable_network(ctx_, 0);
    proj_log_level(ctx_, PJ_LOG_NONE);  // errors reach the user through our exceptions
    target_ = proj_create(ctx_, crs.c_str());
    if (!target_) {
        const std::string why = proj_context_errno_string(ctx_, proj_context_errno(ctx_));
        proj_context_destroy(ctx_);
        throw core::UsageError("--crs '" + crs + "': " + why);
    }
    const PJ_TYPE type = proj_get_type(target_);
    geographic_ = type == PJ_TYPE_GEOGRAPHIC_2D_CRS || type == PJ_TYPE_GEOGRAPHIC_3D_CRS;
    PJ* raw = proj_create_crs_to_crs(ctx_, "EPSG:4326", crs.c_str(), nullptr);
    if (raw) {
        pj_ = proj_normalize_for_visualization(ctx_, raw);
        proj_destroy(raw);
    }
    if (!pj_) {
        const std::string why = proj_context_errno_string(ctx_, proj_context_errno(ctx_));
        proj_destroy(target_);
        proj_context_destroy(ctx_);
        throw core::UsageError("--crs '" + crs + "': no transformation from WGS84 (" + why + ")");
    }
}

Projector::~Projector() {
    proj_destroy(pj_);
    proj_destroy(target_);
    proj_context_destroy(ctx_);
}

bool Projector::forward(double lon, double lat, double& x, double& y) const {
    PJ_COORD c = proj_coord(lon, lat, 0, 0);
    PJ_COORD r = proj_trans(pj_, PJ_FWD, c);
    x = r.xy.x;
    y = r.xy.y;
    if (!std::isfinite(x) || !std::isfinite(y) || x == HUGE_VAL) {
        x = y = std::numeric_limits<double>::quiet_NaN();
        return false;
    }
    return true;
}

bool Projector::inverse(double x, double y, double& lon, double& lat) const {
    PJ_COORD r = proj_trans(pj_, PJ_INV, proj_coord(x, y, 0, 0));
    lon = r.lp.lam;
    lat = r.lp.phi;
    return std::isfinite(lon) && std::isfinite(lat) && lon != HUGE_VAL;
}

std::string Projector::wkt() const {
    // Through OGR: a PROJ string such as kDefaultMapCrs is a conversion to PROJ, not a CRS,
    // and proj_as_wkt would give nothing; OGR builds the CRS around it.
    OGRSpatialReference srs;
    if (srs.SetFromUserInput(crs_.c_str()) != OGRERR_NONE) return {};
    char* text = nullptr;
    srs.exportToWkt(&text);
    std::string out = text ? text : "";
    CPLFree(text);
    return out;
}

}  // namespace limes::geo
