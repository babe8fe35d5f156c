#pragma once
// Where the running program is: what limes finds its default workspace (app/cli.cpp) and its
// FFmpeg module (media/video_writer.cpp) relative to, so that a build tree, an installed
// prefix and a moved prefix all work from any directory.
#include <string>

namespace limes::core {

/** The folder of the running executable (/proc/self/exe, links resolved), without a
 *  trailing '/'; "" when it cannot be read. */
std::string program_dir();

}  // namespace limes::core
