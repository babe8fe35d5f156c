#include "geo/ops/import_csv.hpp"
#include "core/text.hpp"

#include <cctype>
#include <cstring>

namespace limes::geo {

bool is_csv_path(const std::string& path) {
    const std::string p = core::to_lower(path);
    for (const char* ext : {".csv", ".tsv", ".txt"})
        if (p.size() > std::strlen(ext) &&
            p.compare(p.size() - std::strlen(ext), std::string::npos, ext) == 0)
            return true;
    return false;
}

}  // namespace limes::geo
