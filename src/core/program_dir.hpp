#pragma once
// Where the running program is: what limes finds its default workspace (app/cli.cpp) and its
// FFmpeg module (media/video_writer.cpp) relative to, so that a build tree, an installed
// prefix and a moved prefix all work from any directory. And the user's cache folder (the
// window's autosave of a database workspace, the triangles of basemap fills).
#include <string>

namespace limes::core {

/** The folder of the running executable (/proc/self/exe, links resolved), without a
 *  trailing '/'; "" when it cannot be read. */
std::string program_dir();

/** limes' folder in the user's cache: $XDG_CACHE_HOME/limes, else $HOME/.cache/limes, else
 *  /tmp/.cache/limes (XDG Base Directory). Not created here. */
std::string user_cache_dir();

}  // namespace limes::core
