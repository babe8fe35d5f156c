#include <cstdio>
#include <sstream>

#include "app/briefing.hpp"
#include "app/cli.hpp"
#include "app/commands.hpp"
#include "core/error.hpp"
#include "geo/store/views.hpp"
#include "geo/store/workspace.hpp"

namespace limes::app {
namespace {

class RenderCommand : public Command {
  public:
    CLI::App* add_to(CLI::App& app) override {
        auto* c = app.add_subcommand("render", "a briefing image (PNG + world file), headless");
        c->add_option("WORKSPACE", workspace_, "workspace (default: the built-in workspace)");
        c->add_option("-o,--output", brief_.output, "output image")->required();
        c->add_option("--size", size_, "WIDTHxHEIGHT in pixels (default 1920x1080)");
        c->add_option("--dpi", brief_.dpi, "resolution written into the image (default 150)");
        c->add_option("--crs", brief_.crs, "map CRS (default: Lambert conformal conic 39/41 N)");
        c->add_option("--format", format_, "png (default) or gtiff");
        c->add_option("--title", brief_.title, "title of the briefing");
        c->add_option("--layers", layers_, "comma-separated layers to show (default: all)");
        c->add_option("--labels", brief_.label_language, "place names in en (default), hy or az");
        c->add_option("--color-by", color_by_,
                      "symbol fill: type (default), reported_by or status (shape is always the "
                      "type, outline the reporting side, dashed/hollow the status)");
        c->add_option("--view", view_, "render a view saved in the workspace");
        c->add_option("--save-view", brief_.save_view, "save these options as a named view");
        filters_.add_to(*c);
        cmd_ = c;
        return c;
    }

    int run(std::ostream& out, std::ostream& err) override {
        brief_.workspace = or_default(workspace_);
        brief_.filter = filters_.build();
        if (std::sscanf(size_.c_str(), "%dx%d", &brief_.width, &brief_.height) != 2)
            throw core::UsageError("--size '" + size_ + "': expected WIDTHxHEIGHT, e.g. 1920x1080");
        std::stringstream list(layers_);
        for (std::string item; std::getline(list, item, ',');)
            if (!item.empty()) brief_.layers.push_back(item);
        if (!view_.empty()) {
            // The saved view decides everything the command line does not set itself.
            const geo::SavedView v = geo::load_view(geo::Workspace::open(brief_.workspace), view_);
            apply_saved_view(v, brief_,
                             [&](const char* option) { return cmd_->count(option) > 0; });
        }
        if (format_ == "gtiff" || format_ == "GTiff")
            brief_.format = geo::ImageFormat::GeoTiff;
        else if (format_ != "png")
            throw core::UsageError("--format '" + format_ + "': png or gtiff");
        if (const auto by = map::color_by_of(color_by_))
            brief_.color_by = *by;
        else
            throw core::UsageError("--color-by '" + color_by_ + "': type, reported_by or status");
        render_briefing(brief_, err);
        out << brief_.output << '\n';
        return kOk;
    }

  private:
    std::string workspace_, size_ = "1920x1080", format_ = "png", layers_, view_;
    std::string color_by_ = "type";
    BriefingOptions brief_;
    FilterArgs filters_;
    CLI::App* cmd_ = nullptr;
};

}  // namespace

std::unique_ptr<Command> make_render_command() {
    return std::make_unique<RenderCommand>();
}

}  // namespace limes::app
