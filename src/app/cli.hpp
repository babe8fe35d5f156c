#pragma once
// The `limes` command line as a function over argv and streams, so tests run every command
// in-process; main.cpp only forwards to it. This is the one place that maps errors to exit
// codes: 0 ok, 2 usage, 3 bad input data, 4 I/O, 5 imported with rows skipped, 1 internal.
#include <ostream>
#include <string>

namespace limes::app {

enum ExitCode : int {
    kOk = 0,
    kInternal = 1,
    kUsage = 2,
    kBadData = 3,
    kIo = 4,
    /** `limes import` landed its valid rows but skipped bad ones (without --strict): a
     *  script can tell it from a clean import (0) and from one that landed nothing (3). */
    kPartial = 5,
};

int run(int argc, const char* const* argv, std::ostream& out, std::ostream& err);

/** The default workspace: $LIMES_WORKSPACE, else geodata/caucasus.gpkg beside the
 *  executable's build tree. */
std::string default_workspace_path();

}  // namespace limes::app
