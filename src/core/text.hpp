#pragma once
// Small text helpers shared by the modules (ASCII case folding only: names are compared as
// users type them; non-ASCII letters must match exactly).
#include <algorithm>
#include <cctype>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace limes::core {

/** s with ASCII letters in lower case (other bytes, UTF-8 included, as they are). */
inline std::string to_lower(std::string_view s) {
    std::string out(s);
    for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

/** s without leading and trailing ASCII white space. */
inline std::string_view trim(std::string_view s) {
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
    return s;
}

/** ASCII case-insensitive equality. */
inline bool iequals(std::string_view a, std::string_view b) {
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
               return std::tolower(static_cast<unsigned char>(x)) ==
                      std::tolower(static_cast<unsigned char>(y));
           });
}

/** FNV-1a, 64 bits: a digest of bytes (not for security), folded into h; start from
 *  kFnvOffset. For names of files and "did this change" checks. */
inline constexpr std::uint64_t kFnvOffset = 1469598103934665603ull;
inline void fnv1a(std::uint64_t& h, const void* data, std::size_t n) {
    const auto* p = static_cast<const unsigned char*>(data);
    for (std::size_t i = 0; i < n; ++i) h = (h ^ p[i]) * 1099511628211ull;
}

}  // namespace limes::core
