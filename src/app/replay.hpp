#pragma once
// Scripted input for `limes view --replay FILE`: one command per line, expanded into one
// ScriptedInput per frame. Commands (coordinates in window pixels, y down):
//   wait N                 N frames with nothing new (default 1)
//   move X Y               cursor to X Y
//   down [left|right|middle]   press a button (left by default); up [...] releases it
//   click X Y [button]     move, press, release (two frames)
//   dblclick X Y           two clicks in quick succession
//   drag X1 Y1 X2 Y2 [N]   press at 1, move to 2 in N steps (default 8, at most 100000), release
//   wheel DY [X Y]         wheel steps (> 0 zooms in), at X Y when given
//   key NAME               press and release: plus minus enter escape tab backspace delete
//                          left right up down home end, a..z, 0..9, ctrl+s ctrl+z ctrl+y ...
//   type TEXT              the rest of the line as typed text
//   screenshot PATH        save the window after this frame (also --screenshot at the end)
//   crash                  the process kills itself (SIGKILL) after this frame: a power cut,
//                          for tests of the autosave
//   wait-loaded            frames with nothing new until the incidents have loaded. A replay
//                          starts once they have, unless this is its first command: then its
//                          frames run while they load (as a user's would)
// Blank lines and lines starting with # are ignored. Errors name the file and line. A script
// runs at most 1000000 frames (wait and drag at most 100000 each).
#include <cstddef>
#include <ostream>
#include <string>
#include <vector>

#include "ui/imgui_host.hpp"

namespace limes::app {

struct ReplayFrame {
    ui::ScriptedInput input;
    std::string screenshot;    ///< save the window after this frame when not empty
    bool wait_loaded = false;  ///< repeat this frame while the incidents load
    bool crash = false;        ///< SIGKILL after this frame
};

/** Parses a replay script; throws core::DataError (file, line) on a bad command. */
std::vector<ReplayFrame> parse_replay(const std::string& path);

class Session;

/** One line of `--replay-log`: what a test needs to know about frame, as a JSON object.
 *  tooltip: whether the hovered incident's tooltip was shown; drawn: whether the frame was
 *  drawn (false: it would have looked as the one on screen). Fields in replay.cpp. */
void write_replay_log(std::ostream& out, const Session& session, std::size_t frame, bool tooltip,
                      bool drawn);

}  // namespace limes::app
