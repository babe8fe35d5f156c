// Shared helpers of the geo tests: fixture paths and unique scratch files. ctest runs every
// test case as its own process, in parallel, so each scratch name carries the process id and a
// counter; a test removes what it leaves behind only on success (a failure keeps it to look at).
#pragma once
#include <unistd.h>

#include <sys/stat.h>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <initializer_list>
#include <map>
#include <string>
#include <vector>

#include "../support/files.hpp"
#include "core/incident.hpp"

namespace limes_test {

/** A file of tests/data. */
inline std::string data(const std::string& name) {
    return std::string(LIMES_TEST_DATA) + "/" + name;
}

/** $LIMES_TEST_TMP (set by ctest), else /tmp/limes-tests; created when missing. */
inline std::string scratch_dir() {
    const char* env = std::getenv("LIMES_TEST_TMP");
    const std::string dir = env && *env ? env : "/tmp/limes-tests";
    // mkdir -p: the parent (the build's tests folder) exists, the leaf may not.
    std::string partial;
    for (std::size_t i = 0; i <= dir.size(); ++i) {
        if (i == dir.size() || (dir[i] == '/' && i > 0)) {
            partial = dir.substr(0, i);
            ::mkdir(partial.c_str(), 0777);
        }
    }
    return dir;
}

/** A path in the scratch dir that no other test (or process) uses; nothing exists there. */
inline std::string scratch(const std::string& stem, const std::string& ext = ".gpkg") {
    static int counter = 0;
    const std::string path = scratch_dir() + "/" + stem + "-" + std::to_string(::getpid()) + "-" +
                             std::to_string(++counter) + ext;
    std::remove(path.c_str());
    return path;
}

/** Removes the files there are of these (a scratch test's leftovers, on success). */
inline void remove_files(std::initializer_list<std::string> paths) {
    for (const std::string& path : paths) std::remove(path.c_str());
}

inline bool file_exists(const std::string& path) {
    struct stat st;
    return ::stat(path.c_str(), &st) == 0;
}

/** A SYNTHETIC ACLED CSV of n rows in the scratch dir (not real events): the header of
 *  tests/data/acled_2023.csv and its row SYN-0002 n times over, ids "<prefix><i>" for i from
 *  0. Empty when that row is not in the file. */
inline std::string synthetic_acled_csv(int n, const std::string& prefix) {
    std::ifstream in(data("acled_2023.csv"));
    std::string header, line, row;
    std::getline(in, header);
    while (std::getline(in, line))
        if (line.rfind("SYN-0002,", 0) == 0) row = line.substr(line.find(','));
    if (row.empty()) return "";
    const std::string path = scratch("synthetic-acled", ".csv");
    std::ofstream out(path);
    out << header << '\n';
    for (int i = 0; i < n; ++i) out << prefix << i << row << '\n';
    return path;
}

/** Incidents by their event id. */
inline std::map<std::string, limes::core::Incident> by_id(
    const std::vector<limes::core::Incident>& v) {
    std::map<std::string, limes::core::Incident> out;
    for (const auto& inc : v) out[inc.event_id_cnty] = inc;
    return out;
}

}  // namespace limes_test
