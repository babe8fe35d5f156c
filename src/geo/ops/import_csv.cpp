#include "geo/ops/import_csv.hpp"

#include <cctype>
#include <cstring>

namespace limes::geo {

static std::string lower(std::string s) {
    for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
}

bool is_csv_path(const std::string& path) {
    const std::string p = lower(path);
    for (const char* ext : {".csv", ".tsv", ".txt"})
        if (p.size() > std::strlen(ext) &&
            p.compare(p.size() - std::strlen(ext), std::string::npos, ext) == 0)
            return true;
    return false;
}

}  // namespace limes::geo
