#include "geo/formats/versions.hpp"

#include <gdal.h>
#include <geos_c.h>
#include <proj.h>
#include <sqlite3.h>

namespace limes::geo {

std::vector<std::pair<std::string, std::string>> library_versions() {
    std::string geos = GEOSversion();  // "3.11.1-CAPI-1.17.1": the library's part
    geos = geos.substr(0, geos.find('-'));
    return {{"GDAL", GDALVersionInfo("RELEASE_NAME")},
            {"PROJ", proj_info().version},
            {"GEOS", geos},
            {"SQLite", sqlite3_libversion()}};
}

}  // namespace limes::geo
