#pragma once
// The versions of the C libraries limes runs with (as loaded at run time, not as compiled
// against): what `limes --version` prints and a bug report needs.
#include <string>
#include <utility>
#include <vector>

namespace limes::geo {

/** {"GDAL", "3.6.2"}, {"PROJ", "9.1.1"}, {"GEOS", "3.11.1"}, {"SQLite", "3.40.1"}, in that
 *  order. */
std::vector<std::pair<std::string, std::string>> library_versions();

}  // namespace limes::geo
