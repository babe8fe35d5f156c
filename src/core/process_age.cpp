#include "core/process_age.hpp"

#include <time.h>
#include <unistd.h>

#include <fstream>
#include <sstream>
#include <string>

namespace limes::core {

double process_age_ms() {
    std::ifstream in("/proc/self/stat");
    std::string stat;
    if (!std::getline(in, stat)) return -1;
    // Field 22, starttime, in clock ticks since boot; counted after the command's name (field
    // 2, in parentheses, may itself hold spaces and parentheses: the last ')' ends it).
    const auto close = stat.rfind(')');
    if (close == std::string::npos) return -1;
    std::istringstream fields(stat.substr(close + 2));
    std::string field;
    unsigned long long start_ticks = 0;
    for (int i = 3; i <= 22 && fields >> field; ++i)
        if (i == 22) start_ticks = std::stoull(field);
    timespec now{};
    const long hz = ::sysconf(_SC_CLK_TCK);
    if (start_ticks == 0 || hz <= 0 || ::clock_gettime(CLOCK_BOOTTIME, &now) != 0) return -1;
    const double now_ms =
        static_cast<double>(now.tv_sec) * 1e3 + static_cast<double>(now.tv_nsec) / 1e6;
    return now_ms - static_cast<double>(start_ticks) * 1e3 / static_cast<double>(hz);
}

}  // namespace limes::core
