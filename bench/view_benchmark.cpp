// limes-view-bench: the frame rate of the window (`limes view`) with a workspace's incidents,
// driven by a FrameDriver instead of a user, no vsync:
//   limes-view-bench WORKSPACE [--size WxH] [--frames N] [--crs CRS] [--labels L] [--mode M]
// Frames pan (no re-upload); every 8th zooms (re-upload of the symbols, whose uncertainty
// discs scale with the zoom) and every 8th, 4 frames later, moves the time range by a day
// (re-filter of every incident, then re-upload). Prints the median and the slowest frame of
// each kind, the re-filter time, and resident memory. Run under xvfb-run without a display
// (bench/view_bench.sh); figures in BENCHMARKS.md.
#include <CLI/CLI.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <vector>

#include "app/session.hpp"
#include "app/viewer.hpp"
#include "core/error.hpp"
#include "map/camera.hpp"
#include "render/gl.hpp"

namespace {

using namespace limes;

/** Resident set size of this process in MB (VmRSS of /proc/self/status), 0 if unknown. */
long resident_mb() {
    std::ifstream status("/proc/self/status");
    std::string key;
    long kb = 0;
    while (status >> key) {
        if (key == "VmRSS:") {
            status >> kb;
            return kb / 1024;
        }
        status.ignore(1 << 12, '\n');
    }
    return 0;
}

class PanZoomTimeline : public app::FrameDriver {
  public:
    PanZoomTimeline(std::size_t frames, map::SymbolMode mode) : frames_(frames), mode_(mode) {}

    bool before_frame(std::size_t frame, app::Session& s) override {
        if (frame >= frames_) return false;
        s.state.mode = mode_;
        kind_ = frame % 8 == 7 ? Zoom : frame % 8 == 3 ? Timeline : Pan;
        if (kind_ == Zoom) {
            map::zoom_at(s.view, (frame / 8) % 2 ? 1.1 : 1 / 1.1, s.view.width / 2.0,
                         s.view.height / 2.0);
        } else if (kind_ == Timeline) {
            const int day = (frame / 8) % 2 ? 1 : -1;
            s.state.range_from += day;
            s.state.range_to += day;
            const auto t = std::chrono::steady_clock::now();
            s.state.refilter();
            if (frame >= kWarmup)
                refilter_ms_.push_back(
                    std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t)
                        .count());
        } else {
            map::pan_pixels(s.view, (frame / 64) % 2 ? 3.0 : -3.0, 1.0);
        }
        return true;
    }

    void after_frame(std::size_t frame, double ms) override {
        if (frame >= kWarmup) ms_[kind_].push_back(ms);
    }

    void finish(app::Session& s, std::ostream& log) override {
        auto median = [](std::vector<double> v) {
            if (v.empty()) return 0.0;
            std::sort(v.begin(), v.end());
            return v[v.size() / 2];
        };
        // The slowest frames too: a median hides the zoom steps that rebuild the clusters.
        auto slowest = [](const std::vector<double>& v) {
            return v.empty() ? 0.0 : *std::max_element(v.begin(), v.end());
        };
        auto line = [&](const char* kind, const std::vector<double>& ms) {
            const double m = median(ms);
            log << "\n  " << kind << " frames: median " << m << " ms (" << (m > 0 ? 1000 / m : 0)
                << " fps), n=" << ms.size() << ", slowest " << slowest(ms) << " ms";
        };
        log << "view benchmark: " << s.state.incidents.size() << " incidents, " << s.view.width
            << "x" << s.view.height << ", GL " << glGetString(GL_RENDERER);
        line("pan", ms_[Pan]);
        line("zoom", ms_[Zoom]);
        line("timeline", ms_[Timeline]);
        log << "\n  re-filter (timeline step): median " << median(refilter_ms_) << " ms"
            << "\n  memory: resident " << resident_mb() << " MB, incident columns "
            << s.state.incidents.bytes() / 1'000'000 << " MB\n";
    }

  private:
    static constexpr std::size_t kWarmup = 8;
    enum Kind { Pan, Zoom, Timeline };
    std::size_t frames_;
    map::SymbolMode mode_;
    Kind kind_ = Pan;
    std::vector<double> ms_[3], refilter_ms_;
};

}  // namespace

int main(int argc, char** argv) {
    CLI::App cli{"limes-view-bench: frame rate of the limes window (pan, zoom, timeline)",
                 "limes-view-bench"};
    app::ViewerOptions options;
    std::string size = "1280x720";
    std::size_t frames = 200;
    cli.add_option("WORKSPACE", options.workspace, "workspace")->required();
    cli.add_option("--size", size, "window WIDTHxHEIGHT (default 1280x720)");
    cli.add_option("--frames", frames, "frames to draw (default 200)");
    cli.add_option("--crs", options.crs, "map CRS (default: limes' Lambert conformal conic)");
    cli.add_option("--labels", options.labels, "map labels: en, hy, az or off (default en)");
    std::string mode = "auto";
    cli.add_option("--mode", mode, "incidents as: symbols, clusters, heatmap or auto (default)")
        ->check(CLI::IsMember({"symbols", "clusters", "heatmap", "auto"}));
    CLI11_PARSE(cli, argc, argv);
    if (std::sscanf(size.c_str(), "%dx%d", &options.width, &options.height) != 2) {
        std::cerr << "limes-view-bench: --size '" << size << "': expected WIDTHxHEIGHT\n";
        return 2;
    }
    try {
        const map::SymbolMode as = mode == "symbols"    ? map::SymbolMode::Symbols
                               : mode == "clusters" ? map::SymbolMode::Clusters
                               : mode == "heatmap"  ? map::SymbolMode::Heatmap
                                                    : map::SymbolMode::Auto;
    PanZoomTimeline driver(frames, as);
        app::run_viewer(options, std::cerr, &driver);
        return 0;
    } catch (const std::exception& e) {
        std::cerr << "limes-view-bench: " << e.what() << '\n';
        return 1;
    }
}
