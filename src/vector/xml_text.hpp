#pragma once
// Text inside XML (the SVG document, GDAL's PDF composition file): the five reserved
// characters as entities, and the control characters XML 1.0 does not allow dropped.
#include <string>

namespace limes::vector {

inline std::string xml_escape(const std::string& s) {
    std::string o;
    o.reserve(s.size());
    for (char c : s) {
        switch (c) {
            case '&': o += "&amp;"; break;
            case '<': o += "&lt;"; break;
            case '>': o += "&gt;"; break;
            case '"': o += "&quot;"; break;
            default:
                if (static_cast<unsigned char>(c) >= 0x20 || c == '\t' || c == '\n') o += c;
        }
    }
    return o;
}

}  // namespace limes::vector
