#pragma once
// `limes view`: the interactive window. The map is drawn by the same Scene and Renderer as
// `limes render`; Dear ImGui panels sit around it. With a replay script the window runs the
// scripted input frame by frame and can save screenshots, which is how it is tested.
#include <ostream>
#include <string>

namespace limes::app {

struct ViewerOptions {
    std::string workspace;
    std::string replay;      ///< script of input (see replay.hpp); empty: live
    std::string screenshot;  ///< PNG of the window written after the replay's last frame
    std::string replay_log;  ///< JSON lines, one per frame: hover, selection, view, counts
    int benchmark_frames = 0;  ///< > 0: no vsync; pan and zoom this many frames, print fps
    int width = 1280, height = 720;
    std::string crs;         ///< empty: the default Lambert conformal conic
};

/** Runs the window until it is closed (or the replay ends). Throws core::Error on failures
 *  that prevent it from starting (no display, bad workspace, bad script). */
void run_viewer(const ViewerOptions& options, std::ostream& log);

}  // namespace limes::app
