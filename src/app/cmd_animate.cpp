#include "app/animate.hpp"
#include "app/cli.hpp"
#include "app/commands.hpp"
#include "app/progress.hpp"
#include "core/error.hpp"
#include "media/video_writer.hpp"

namespace limes::app {
namespace {

class AnimateCommand : public Command {
  public:
    CLI::App* add_to(CLI::App& app) override {
        auto* c = app.add_subcommand(
            "animate", "a video of the briefing through time: MP4 (H.264), WebM (VP9) or GIF");
        c->add_option("WORKSPACE", workspace_, "workspace (default: the built-in workspace)");
        c->add_option("-o,--output", anim_.base.output, "output video: .mp4, .webm or .gif")
            ->required();
        c->add_option("--step", step_, "time between frames: 6h, 1d (default), 1w, 90m");
        c->add_option("--fps", anim_.fps, "frames a second (default 4)");
        c->add_option("--window", window_,
                      "incidents of this long up to each frame's day (default: the step, at "
                      "least 1d); incidents are dated to the day");
        c->add_flag("--cumulative", anim_.cumulative,
                    "every incident from --from up to each frame's day, instead of a window");
        c->add_option("--size", size_, "WIDTHxHEIGHT in pixels (default 1280x720; even for "
                                       "MP4 and WebM)");
        c->add_option("--crs", anim_.base.crs, "map CRS (default: Lambert conformal conic)");
        c->add_option("--title", anim_.base.title, "title; each frame adds its date");
        c->add_option("--layers", layers_, "comma-separated layers to show (default: all)");
        c->add_option("--labels", anim_.base.label_language, "place names in en, hy or az");
        c->add_option("--color-by", color_by_, "symbol fill: type, reported_by or status");
        c->add_option("--banner", anim_.base.banner, "handling banner at the top and bottom");
        c->add_option("--org", anim_.base.organisation, "organisation line in the top bar");
        c->add_flag("--no-inset{false}", anim_.base.inset,
                    "no locator inset (the wider setting with the map's extent on it)");
        filters_.add_to(*c);
        cmd_ = c;
        return c;
    }

    int run(std::ostream& out, std::ostream& err) override {
        anim_.base.workspace = or_default(workspace_);
        media::video_format_for(anim_.base.output);
        anim_.base.filter = filters_.build();
        if (!anim_.base.filter.from || !anim_.base.filter.to)
            throw core::UsageError("animate needs --from and --to (the first and last day)");
        anim_.from = *anim_.base.filter.from;
        anim_.to = *anim_.base.filter.to;
        anim_.step_minutes = parse_duration_minutes("--step", step_);
        if (!window_.empty()) {
            if (anim_.cumulative) throw core::UsageError("--window and --cumulative: give one");
            anim_.window_minutes = parse_duration_minutes("--window", window_);
        }
        parse_size(size_, 2, 2, "1280x720", anim_.base.width, anim_.base.height);
        anim_.base.layers = parse_layer_list(layers_);
        anim_.base.color_by = parse_color_by(color_by_);
        TerminalProgress bar(err);
        const AnimationResult r = render_animation(anim_, [&](double f) {
            bar.update(f, "rendering frames");
        });
        bar.finish();
        err << "wrote " << anim_.base.output << " (" << r.frames << " frames at " << anim_.fps
            << " fps, " << anim_.base.width << "x" << anim_.base.height << ", in "
            << static_cast<long>(r.seconds * 1000) << " ms: compose " << static_cast<long>(r.compose_ms)
            << ", draw " << static_cast<long>(r.draw_ms) << ", encode "
            << static_cast<long>(r.encode_ms) << ")\n";
        out << anim_.base.output << '\n';
        return kOk;
    }

  private:
    std::string workspace_, step_ = "1d", window_, size_ = "1280x720", layers_;
    std::string color_by_ = "type";
    AnimationOptions anim_;
    FilterArgs filters_;
    CLI::App* cmd_ = nullptr;
};

}  // namespace

std::unique_ptr<Command> make_animate_command() {
    return std::make_unique<AnimateCommand>();
}

}  // namespace limes::app
