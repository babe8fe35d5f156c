// Small file and text helpers shared by the test programs (Catch2 ones and the bad-input
// runner alike): no Catch2 and no limes code here.
#pragma once
#include <fstream>
#include <iterator>
#include <sstream>
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

/** Copies the file byte for byte; false when either side cannot be opened or written. */
inline bool copy_file(const std::string& from, const std::string& to) {
    std::ifstream in(from, std::ios::binary);
    std::ofstream out(to, std::ios::binary | std::ios::trunc);
    if (!in || !out) return false;
    out << in.rdbuf();
    return static_cast<bool>(out);
}

/** The six numbers of a world file: A D B E C F (C, F: the centre of the top-left pixel). */
inline std::vector<double> world_file(const std::string& path) {
    std::istringstream in(read_all(path));
    std::vector<double> v;
    for (double d; in >> d;) v.push_back(d);
    return v;
}

}  // namespace limes_test
