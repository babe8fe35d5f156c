#include <malloc.h>

#include <cstdio>

#include "app/cli.hpp"
#include "app/commands.hpp"
#include "app/viewer.hpp"
#include "core/error.hpp"
#include "geo/formats/image_writer.hpp"

namespace limes::app {
namespace {

/** glibc's malloc gives the top of the heap back to the kernel (brk) as soon as 128 KiB are
 *  free there, and picks that threshold up to 32 MiB by itself. A frame of the window
 *  allocates and frees buffers of that order every time (Mesa's llvmpipe bins the scene; the
 *  labels; ImGui's vertices), so the heap grew and shrank every frame: 1,300 page faults a
 *  frame here, a fifth of the window's CPU time under llvmpipe (perf stat on a 120-frame
 *  replay: 160k faults -> 31k, 6.9 s -> 5.7 s of CPU). Freed memory at the top is now kept up
 *  to 128 MiB, and blocks below 32 MiB come from the heap, not from their own mmap. */
void keep_heap_between_frames() {
    mallopt(M_MMAP_THRESHOLD, 32 << 20);
    mallopt(M_TRIM_THRESHOLD, 128 << 20);
    mallopt(M_TOP_PAD, 16 << 20);
}

class ViewCommand : public Command {
  public:
    CLI::App* add_to(CLI::App& app) override {
        auto* c = app.add_subcommand("view", "interactive window (needs a display)");
        c->add_option("WORKSPACE", workspace_, "workspace (default: the built-in workspace)");
        c->add_option("--replay", viewer_.replay, "replay scripted input (see docs) and exit");
        c->add_option("--screenshot", viewer_.screenshot,
                      "with --replay: the window at the end, georeferenced: .png (with .pgw "
                      "and .aux.xml beside it) or .tif (one GeoTIFF)");
        c->add_option("--size", size_, "window WIDTHxHEIGHT (default 1280x720)");
        c->add_option("--replay-log", viewer_.replay_log,
                      "with --replay: JSON lines of state per frame");
        c->add_option("--crs", viewer_.crs, "map CRS (default: Lambert conformal conic 39/41 N)");
        c->add_option("--labels", viewer_.labels, "map labels: en, hy, az or off (default en)")
            ->check(CLI::IsMember({"en", "hy", "az", "off"}));
        return c;
    }

    int run(std::ostream&, std::ostream& err) override {
        viewer_.workspace = or_default(workspace_);
        parse_size(size_, 200, 150, "1280x720", viewer_.width, viewer_.height);
        if ((!viewer_.screenshot.empty() || !viewer_.replay_log.empty()) && viewer_.replay.empty())
            throw core::UsageError("--screenshot and --replay-log need --replay");
        if (!viewer_.screenshot.empty()) geo::raster_format_for(viewer_.screenshot);  // exit 2
        keep_heap_between_frames();
        run_viewer(viewer_, err);  // no display or no GL: core::IoError, exit 4
        return kOk;
    }

  private:
    std::string workspace_, size_ = "1280x720";
    ViewerOptions viewer_;
};

}  // namespace

std::unique_ptr<Command> make_view_command() {
    return std::make_unique<ViewCommand>();
}

}  // namespace limes::app
