// Small file and text helpers shared by the test programs (Catch2 ones and the bad-input
// runner alike): no Catch2 and no limes code here.
#pragma once
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

namespace limes_test {

/** The whole file as bytes; empty when it cannot be read. */
inline std::string read_all(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

/** Replaces the file at path with text, byte for byte. */
inline void write_text(const std::string& path, const std::string& text) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << text;
}

/** s cut at every sep, empty pieces kept ("a,,b" is three pieces, "" one). */
inline std::vector<std::string> split(const std::string& s, char sep = ',') {
    std::vector<std::string> out;
    std::string cur;
    for (char c : s) {
        if (c == sep) {
            out.push_back(cur);
            cur.clear();
        } else {
            cur += c;
        }
    }
    out.push_back(cur);
    return out;
}

}  // namespace limes_test
