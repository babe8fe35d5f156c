#pragma once
// Small text helpers shared by the modules (ASCII case folding only: names are compared as
// users type them; non-ASCII letters must match exactly).
#include <algorithm>
#include <cctype>
#include <string>
#include <string_view>

namespace limes::core {

/** s with ASCII letters in lower case (other bytes, UTF-8 included, as they are). */
inline std::string to_lower(std::string_view s) {
    std::string out(s);
    for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

/** ASCII case-insensitive equality. */
inline bool iequals(std::string_view a, std::string_view b) {
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
               return std::tolower(static_cast<unsigned char>(x)) ==
                      std::tolower(static_cast<unsigned char>(y));
           });
}

}  // namespace limes::core
