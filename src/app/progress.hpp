#pragma once
// A progress bar on stderr for long work: drawn only when stderr is a terminal and the work
// has taken over a second, so pipes and logs stay clean.
#include <chrono>
#include <ostream>

#include "core/progress.hpp"

namespace limes::app {

class TerminalProgress : public core::ProgressSink {
  public:
    explicit TerminalProgress(std::ostream& err);
    ~TerminalProgress() override;
    void update(double fraction, const char* message) override;
    /** Ends the bar's line, if one was drawn (before anything else is printed). */
    void finish();

  private:
    std::ostream& err_;
    bool enabled_;
    bool drawn_ = false;
    int last_percent_ = -1;
    std::chrono::steady_clock::time_point start_;
};

}  // namespace limes::app
