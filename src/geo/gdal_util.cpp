#include "geo/gdal_util.hpp"

#include <cpl_conv.h>
#include <cpl_error.h>

#include <mutex>

#include "core/error.hpp"

namespace limes::geo {

void ensure_gdal() {
    static std::once_flag once;
    std::call_once(once, [] {
        // GDAL reports through exceptions we raise ourselves, with context; its own handler
        // would print to stderr as well.
        CPLSetErrorHandler(CPLQuietErrorHandler);
        CPLSetConfigOption("OGR_GEOJSON_MAX_OBJ_SIZE", "0");
        // Opening a file must never reach the network (untrusted inputs may reference URLs).
        CPLSetConfigOption("GDAL_HTTP_TIMEOUT", "1");
        CPLSetConfigOption("CPL_VSIL_CURL_ALLOWED_EXTENSIONS", "none");
        GDALAllRegister();
    });
}

std::string gdal_error(const std::string& fallback) {
    const char* msg = CPLGetLastErrorMsg();
    std::string out = (msg && *msg) ? msg : fallback;
    CPLErrorReset();
    return out;
}

GDALDatasetUniquePtr open_vector(const std::string& path, bool update) {
    ensure_gdal();
    CPLErrorReset();
    const unsigned flags = GDAL_OF_VECTOR | (update ? GDAL_OF_UPDATE : GDAL_OF_READONLY);
    GDALDatasetUniquePtr ds(GDALDataset::Open(path.c_str(), flags, nullptr, nullptr, nullptr));
    if (!ds) {
        VSIStatBufL st;
        if (VSIStatL(path.c_str(), &st) != 0) throw core::IoError(path, "no such file");
        throw core::IoError(path, gdal_error("GDAL cannot open this file as vector data"));
    }
    return ds;
}

OGRSpatialReference wgs84() {
    OGRSpatialReference srs;
    srs.importFromEPSG(4326);
    srs.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
    return srs;
}

std::string describe_crs(const OGRSpatialReference* srs) {
    if (!srs) return "none";
    const char* auth = srs->GetAuthorityName(nullptr);
    const char* code = srs->GetAuthorityCode(nullptr);
    const char* name = srs->GetName();
    std::string out;
    if (auth && code) out = std::string(auth) + ":" + code;
    if (name) out += out.empty() ? std::string(name) : " (" + std::string(name) + ")";
    return out.empty() ? "unknown" : out;
}

void exec_sql(GDALDataset& ds, const std::string& sql, const std::string& path) {
    CPLErrorReset();
    OGRLayer* result = ds.ExecuteSQL(sql.c_str(), nullptr, nullptr);
    if (result) ds.ReleaseResultSet(result);
    if (CPLGetLastErrorType() >= CE_Failure)
        throw core::IoError(path, "SQL '" + sql + "': " + gdal_error("failed"));
}

}  // namespace limes::geo
