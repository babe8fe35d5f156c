// `limes ARGS…` in-process for the app tests: app::run with its output captured, and what to
// look for in that output.
#pragma once
#include <catch2/catch.hpp>
#include <sys/wait.h>

#include <cstdio>
#include <initializer_list>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "app/cli.hpp"

namespace limes_test {

#ifdef LIMES_DEFAULT_WS
/** The default workspace of the build (geodata/caucasus.gpkg). */
inline const std::string kWs = LIMES_DEFAULT_WS;
#endif

struct Result {
    int code = -1;
    std::string out, err;
};

inline Result run_limes(std::initializer_list<std::string> args) {
    std::vector<std::string> storage{"limes"};
    storage.insert(storage.end(), args.begin(), args.end());
    std::vector<const char*> argv;
    for (const auto& a : storage) argv.push_back(a.c_str());
    argv.push_back(nullptr);
    std::ostringstream out, err;
    Result r;
    r.code = limes::app::run(static_cast<int>(storage.size()), argv.data(), out, err);
    r.out = out.str();
    r.err = err.str();
    return r;
}

/** Runs a shell command (a real reader: pdftotext, ffprobe, ...): its stdout and stderr, and
 *  its exit status in *status (-1 when it did not exit). */
inline std::string capture(const std::string& cmd, int* status = nullptr) {
    std::unique_ptr<FILE, int (*)(FILE*)> pipe(::popen((cmd + " 2>&1").c_str(), "r"), ::pclose);
    REQUIRE(pipe);
    std::string out;
    char buf[4096];
    while (std::size_t n = std::fread(buf, 1, sizeof buf, pipe.get())) out.append(buf, n);
    const int s = ::pclose(pipe.release());
    if (status) *status = WIFEXITED(s) ? WEXITSTATUS(s) : -1;
    return out;
}

/** text (a run's out or err) holds each of the pieces, CHECKed one by one. */
inline void check_contains(const std::string& text, std::initializer_list<std::string> pieces) {
    for (const std::string& piece : pieces) CHECK_THAT(text, Catch::Contains(piece));
}

/** `limes ARGS…`, which must exit 0 (REQUIREd) and say each of says on stdout; its output is
 *  shown with any of these checks that fails. */
inline Result run_limes_ok(std::initializer_list<std::string> args,
                           std::initializer_list<std::string> says = {}) {
    Result r = run_limes(args);
    INFO(r.out << r.err);
    REQUIRE(r.code == 0);
    check_contains(r.out, says);
    return r;
}

}  // namespace limes_test
