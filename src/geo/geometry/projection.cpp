#include "geo/geometry/projection.hpp"

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
        // PROJ's own text for an unknown code is "Unknown error (code 4096)": say what it means.
        proj_context_destroy(ctx_);
        throw core::UsageError("unknown CRS '" + crs +
                               "' (--crs takes an EPSG code such as EPSG:32638, a PROJ string "
                               "or WKT that PROJ knows)");
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

core::XYMultiPolygon Projector::forward(const core::MultiPolygon& mp) const {
    core::XYMultiPolygon out(mp.size());
    for (std::size_t i = 0; i < mp.size(); ++i) {
        out[i].resize(mp[i].size());
        for (std::size_t r = 0; r < mp[i].size(); ++r) {
            out[i][r].reserve(mp[i][r].size());
            for (const core::LonLat& p : mp[i][r]) out[i][r].push_back(forward(p));
        }
    }
    return out;
}

bool Projector::inverse(double x, double y, double& lon, double& lat) const {
    PJ_COORD r = proj_trans(pj_, PJ_INV, proj_coord(x, y, 0, 0));
    lon = r.lp.lam;
    lat = r.lp.phi;
    return std::isfinite(lon) && std::isfinite(lat) && lon != HUGE_VAL;
}

std::string Projector::wkt() const {
    // A PROJ string such as kDefaultMapCrs describes a conversion, not a CRS, until it says
    // +type=crs; then PROJ writes it as WKT as GDAL would (WKT1 with GDAL's conventions, the
    // form world files' .aux.xml and GeoTIFF keys take), or as WKT2 where WKT1 cannot say it.
    std::string definition = crs_;
    if (!definition.empty() && definition[0] == '+' &&
        definition.find("+type=crs") == std::string::npos)
        definition += " +type=crs";
    PJ* crs = proj_create(ctx_, definition.c_str());
    if (!crs) return {};
    const char* text = proj_as_wkt(ctx_, crs, PJ_WKT1_GDAL, nullptr);
    if (!text) text = proj_as_wkt(ctx_, crs, PJ_WKT2_2019, nullptr);
    std::string out = text ? text : "";
    proj_destroy(crs);
    return out;
}

}  // namespace limes::geo
