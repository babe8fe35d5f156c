#pragma once
// `limes view`: the interactive window. The map is drawn by the same Scene and Renderer as
// `limes render`; Dear ImGui panels sit around it. With a replay script the window runs the
// scripted input frame by frame and can save screenshots, which is how it is tested.
#include <cstddef>
#include <ostream>
#include <string>

namespace limes::app {

struct ViewerOptions {
    std::string workspace;
    std::string replay;      ///< script of input (see replay.hpp); empty: live
    std::string screenshot;  ///< PNG of the window written after the replay's last frame
    std::string replay_log;  ///< JSON lines, one per frame: hover, selection, view, counts
    int width = 1280, height = 720;
    std::string crs;            ///< empty: the default Lambert conformal conic
    std::string labels = "en";  ///< the map's names: en | hy | az | off (View > Labels)
};

class Session;

/** Something that drives the window frame by frame instead of a user, with no vsync: the
 *  frame-rate benchmark (bench/view_benchmark.cpp). */
class FrameDriver {
  public:
    virtual ~FrameDriver() = default;
    /** Before frame's input is read: may change the view and the session's state; false
     *  ends the run. The incidents are loaded before the first frame. */
    virtual bool before_frame(std::size_t frame, Session& session) = 0;
    /** After the frame is drawn and finished (glFinish): its wall time in ms. */
    virtual void after_frame(std::size_t frame, double ms) = 0;
    /** After the last frame, with the GL context still current. */
    virtual void finish(Session& session, std::ostream& log) = 0;
};

/** Runs the window until it is closed (or the replay ends, or driver stops it). Throws
 *  core::Error on failures that prevent it from starting (no display, bad workspace, bad
 *  script). */
void run_viewer(const ViewerOptions& options, std::ostream& log, FrameDriver* driver = nullptr);

}  // namespace limes::app
