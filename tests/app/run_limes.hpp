// `limes ARGS…` in-process for the app tests: app::run with its output captured.
#pragma once
#include <initializer_list>
#include <sstream>
#include <string>
#include <vector>

#include "app/cli.hpp"

namespace limes_test {

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

}  // namespace limes_test
