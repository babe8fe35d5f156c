// Fuzz target replay_script: the script of `limes view --replay FILE`, parsed as the window
// does before its first frame. The bytes are written to in.replay in the scratch folder and
// app::parse_replay reads them; no window, no GL: only the parser. Expected answers: the
// frames, or core::Error (DataError naming the file and line, IoError). Any other exception,
// a crash, a sanitizer report, a timeout or running out of memory is a finding. The frames
// that come out must keep the parser's promises: cursor coordinates finite, at most the
// three buttons, key codes GLFW knows (key_code), a screenshot path that is .png or .tif.
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "app/replay.hpp"
#include "core/error.hpp"
#include "fuzz_support.hpp"
#include "geo/formats/image_writer.hpp"

namespace {

[[noreturn]] void broken(const char* promise, std::size_t frame) {
    std::fprintf(stderr, "replay_script: frame %zu breaks the promise: %s\n", frame, promise);
    std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace limes;
    const std::string dir = fuzz::scratch_dir();
    const std::string path = fuzz::write_scratch("in.replay", data, size);
    try {
        const std::vector<app::ReplayFrame> frames = app::parse_replay(path);
        for (std::size_t i = 0; i < frames.size(); ++i) {
            const ui::ScriptedInput& in = frames[i].input;
            // Coordinates come from istream >> float: finite (an overflow fails the read).
            if (!std::isfinite(in.x) || !std::isfinite(in.y) || !std::isfinite(in.wheel))
                broken("cursor and wheel are finite numbers", i);
            // GLFW's printable and function keys lie in 32..348 (GLFW_KEY_LAST).
            for (const int k : in.keys)
                if (k < 32 || k > 348) broken("key codes are GLFW keys", i);
            if (!frames[i].screenshot.empty()) {
                try {
                    geo::raster_format_for(frames[i].screenshot);
                } catch (const core::Error&) {
                    broken("a screenshot path names a raster format", i);
                }
            }
        }
    } catch (const core::Error&) {
        // DataError (file, line, command) or IoError: exit code 2 or 3 from `limes view`
    }
    fuzz::clear_dir(dir);
    return 0;
}
