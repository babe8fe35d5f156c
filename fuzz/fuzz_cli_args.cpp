// Fuzz target cli_args: the `limes` command line, in-process through app::run. Each line of
// the input is one argument (argv[1..], at most 64). Nothing heavy or outside the scratch
// folder can happen:
//   - the process works inside its scratch folder, and every '/' of an argument becomes '_',
//     so any path an argument names is a plain name in that (emptied) folder;
//   - the default workspace ($LIMES_WORKSPACE) is a file that does not exist, so import finds
//     no input file and export, info, stats and render stop at opening the workspace;
//   - DISPLAY and WAYLAND_DISPLAY are unset, so `view` stops at opening the window;
//   - GDAL stays off the network (fuzz::init_gdal_offline);
//   - no PostgreSQL connection is tried: a URI has no '/' left, and an argument that starts
//     with "PG:" (any case) gets '_' for its ':' (init and history would connect to any host
//     a PG: string names).
// What is fuzzed is therefore CLI11's parsing with limes' options, the option checks
// (--size, --dpi, --layers, --labels, --format, filters: --from/--to/--bbox/--type, ...),
// PROJ's reading of --crs, and the mapping of every error to an exit code. app::run must
// return 0, 1, 2, 3 or 4 and never throw; exit code 1 (internal error) is a finding too:
// nothing here should reach one.
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <sstream>
#include <string>
#include <vector>

#include "app/cli.hpp"
#include "fuzz_support.hpp"

extern "C" int LLVMFuzzerInitialize(int*, char***) {
    const std::string& dir = limes::fuzz::scratch_dir();
    if (::chdir(dir.c_str()) != 0) std::abort();
    ::setenv("LIMES_WORKSPACE", (dir + "/missing.gpkg").c_str(), 1);
    ::unsetenv("DISPLAY");
    ::unsetenv("WAYLAND_DISPLAY");
    limes::fuzz::init_gdal_offline();
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::vector<std::string> args{"limes"};
    std::string current;
    for (std::size_t i = 0; i < size && args.size() <= 64; ++i) {
        const char c = static_cast<char>(data[i]);
        if (c == '\n') {
            args.push_back(current);
            current.clear();
        } else {
            current += c == '/' ? '_' : c;
        }
    }
    if (!current.empty() && args.size() <= 64) args.push_back(current);
    for (auto& a : args)
        if (a.size() >= 3 && (a[0] == 'P' || a[0] == 'p') && (a[1] == 'G' || a[1] == 'g') &&
            a[2] == ':')
            a[2] = '_';
    std::vector<const char*> argv;
    for (const auto& a : args) argv.push_back(a.c_str());
    argv.push_back(nullptr);

    std::ostringstream out, err;
    const int code = limes::app::run(static_cast<int>(args.size()), argv.data(), out, err);
    if (code < 0 || code > 4 || code == 1) {
        std::fprintf(stderr, "cli_args: exit code %d\n%s", code, err.str().c_str());
        std::abort();
    }
    limes::fuzz::clear_dir(limes::fuzz::scratch_dir());
    return 0;
}
