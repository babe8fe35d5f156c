#include "core/program_dir.hpp"

#include <unistd.h>

#include <array>
#include <cstdlib>

namespace limes::core {

std::string program_dir() {
    std::array<char, 4096> buf{};
    const ssize_t n = ::readlink("/proc/self/exe", buf.data(), buf.size() - 1);
    if (n <= 0) return "";
    const std::string exe(buf.data(), static_cast<std::size_t>(n));
    const auto slash = exe.find_last_of('/');
    return slash == std::string::npos ? "" : exe.substr(0, slash);
}

std::string user_cache_dir() {
    const char* cache = std::getenv("XDG_CACHE_HOME");
    const char* home = std::getenv("HOME");
    const std::string root =
        cache && *cache ? cache : std::string(home && *home ? home : "/tmp") + "/.cache";
    return root + "/limes";
}

}  // namespace limes::core
