#pragma once
// Progress of long work (an import of a million rows, a load): the work reports here, the
// caller decides how to show it (a bar on a terminal, the window's progress bar, nothing).
namespace limes::core {

struct ProgressSink {
    virtual ~ProgressSink() = default;
    /** fraction 0..1 of the work done; message: what is being done. */
    virtual void update(double fraction, const char* message) = 0;
};

}  // namespace limes::core
