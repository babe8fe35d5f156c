#pragma once
// `limes animate`: a briefing per time step, encoded as a video (src/media). Every frame is the
// briefing `limes render` draws for that frame's day (frame_options): claims and lines as of
// the day, the incidents of a sliding window ending on it (or all since --from), one extent
// for the whole animation, the date in the title.
#include <functional>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "app/briefing.hpp"
#include "core/date.hpp"

namespace limes::app {

struct AnimationOptions {
    BriefingOptions base;  ///< workspace, output (.mp4/.webm/.gif), size, title, layers, filters
    core::Date from, to;   ///< first and last day of the animation, inclusive
    long step_minutes = 1440;  ///< time between frames
    /** Incidents shown in a frame: those of the window_minutes ending with the frame's day
     *  (whole days: incidents are dated to the day); nullopt: the step, at least a day. */
    std::optional<long> window_minutes;
    bool cumulative = false;  ///< every incident since `from` instead of a window
    int fps = 4;
};

struct AnimationFrame {
    long minutes = 0;   ///< since `from` 00:00
    core::Date day;     ///< the day it shows (claims as of, last day of incidents)
    std::string label;  ///< "2022-09-13", or "2022-09-13 06:00" when steps are under a day
};

/** "6h", "1d", "2w", "90m" -> minutes; throws UsageError naming option. */
long parse_duration_minutes(const std::string& option, const std::string& text);

/** The frames from `from` 00:00 by step while on or before `to`. */
std::vector<AnimationFrame> animation_frames(const AnimationOptions& options);

/** The briefing of one frame: base's options with the frame's time range, --at its day, the
 *  extent given, and the frame's date after the title. */
BriefingOptions frame_options(const AnimationOptions& options, const AnimationFrame& frame,
                              const std::optional<map::Bounds>& extent);

/** The extent every frame shares: the one `limes render` chooses for the whole range (its
 *  bbox, region or incidents), so nothing jumps from frame to frame. */
map::Bounds animation_extent(const AnimationOptions& options, BriefingCache* cache = nullptr);

struct AnimationResult {
    long frames = 0;
    double seconds = 0;
    /** Where the time went, ms over all frames: composing (workspace reads, scene, labels,
     *  legend), drawing (GL and readback), encoding. */
    double compose_ms = 0, draw_ms = 0, encode_ms = 0;
};

/** Renders every frame on one headless GL context and encodes them; progress(fraction) after
 *  each frame. Throws core::Error. */
AnimationResult render_animation(const AnimationOptions& options,
                                 const std::function<void(double)>& progress = {});

}  // namespace limes::app
