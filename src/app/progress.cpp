#include "app/progress.hpp"

#include <unistd.h>

#include <string>

namespace limes::app {

TerminalProgress::TerminalProgress(std::ostream& err)
    : err_(err), enabled_(isatty(STDERR_FILENO) == 1), start_(std::chrono::steady_clock::now()) {}

TerminalProgress::~TerminalProgress() {
    finish();
}

void TerminalProgress::finish() {
    if (drawn_) err_ << '\n' << std::flush;
    drawn_ = false;
}

void TerminalProgress::update(double fraction, const char* message) {
    if (!enabled_) return;
    if (std::chrono::steady_clock::now() - start_ < std::chrono::seconds(1)) return;
    const int percent = static_cast<int>(fraction * 100.0 + 0.5);
    if (percent == last_percent_) return;
    last_percent_ = percent;
    constexpr int kWidth = 40;
    const int filled = percent * kWidth / 100;
    err_ << "\r[" << std::string(filled, '#') << std::string(kWidth - filled, ' ') << "] "
         << percent << "% " << message << "\x1b[K" << std::flush;
    drawn_ = true;
}

}  // namespace limes::app
