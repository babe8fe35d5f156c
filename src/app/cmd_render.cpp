#include <cstdio>
#include <sstream>

#include "app/briefing.hpp"
#include "app/cli.hpp"
#include "app/commands.hpp"
#include "core/error.hpp"
#include "core/text.hpp"
#include "geo/store/views.hpp"
#include "geo/store/workspace.hpp"

namespace limes::app {
namespace {

class RenderCommand : public Command {
  public:
    CLI::App* add_to(CLI::App& app) override {
        auto* c = app.add_subcommand(
            "render", "a briefing: PNG or GeoTIFF image, or vector PDF (georeferenced) or SVG");
        c->add_option("WORKSPACE", workspace_, "workspace (default: the built-in workspace)");
        c->add_option("-o,--output", brief_.output,
                      "output: .png (PNG + .pgw + .aux.xml), .tif/.tiff (GeoTIFF), .pdf "
                      "(vector, georeferenced, one optional layer per map layer) or .svg")
            ->required();
        c->add_option("--size", size_, "WIDTHxHEIGHT in pixels (default 1920x1080)");
        c->add_option("--dpi", brief_.dpi,
                      "print resolution, written into the image; when given, text and symbols "
                      "are sized for it (300: twice their size at 150); without it they follow "
                      "the image size (1920x1080: as at 150)");
        c->add_option("--crs", brief_.crs, "map CRS (default: Lambert conformal conic 39/41 N)");
        c->add_option("--format", format_,
                      "png, gtiff, pdf or svg; optional, the extension of -o decides and must "
                      "agree");
        c->add_option("--paper", brief_.paper,
                      "A4, A3 or letter: a page of that size (the image size follows from it, "
                      "the margins and --dpi; text and symbols at print size)")
            ->excludes(c->get_option("--size"));
        c->add_option("--orientation", orientation_, "landscape (default) or portrait");
        c->add_option("--margin", brief_.margin_mm,
                      "white border around the page's content, mm (default 10 with --paper, "
                      "else 0; PDF and SVG)");
        c->add_option("--banner", brief_.banner,
                      "handling or classification banner, in a bar at the top and the bottom "
                      "of every page");
        c->add_option("--org", brief_.organisation,
                      "organisation line, in the top bar");
        c->add_option("--title", brief_.title, "title of the briefing");
        c->add_option("--layers", layers_, "comma-separated layers to show (default: all)");
        c->add_option("--labels", brief_.label_language, "place names in en (default), hy or az");
        c->add_option("--color-by", color_by_,
                      "symbol fill: type (default), reported_by or status (shape is always the "
                      "type, outline the reporting side, dashed/hollow the status)");
        c->add_option("--at", at_,
                      "draw claims and historical lines as they were on this day (YYYY-MM-DD; "
                      "default: the end of the time range)");
        c->add_option("--changes", changes_,
                      "FROM..TO: draw the ground whose holder changed between two days (claims "
                      "as of TO), with its km2 per change in the legend");
        c->add_flag("--symbols", symbols_,
                    "one symbol per incident however many (default: clusters with counts once "
                    "symbols would cover the image, as the window's Automatic)");
        c->add_option("--density", density_,
                      "clusters or heatmap: draw incidents as that whatever their number");
        c->add_option("--compare", compare_,
                      "DATE1,DATE2: two panels side by side (before, after) with one legend: "
                      "claims as of each day, incidents from --from (default DATE1) to it");
        c->add_option("--view", view_, "render a view saved in the workspace");
        c->add_option("--save-view", brief_.save_view, "save these options as a named view");
        c->add_flag("--no-inset{false}", brief_.inset,
                    "no locator inset (the wider setting with the map's extent on it)");
        filters_.add_to(*c);
        cmd_ = c;
        return c;
    }

    int run(std::ostream& out, std::ostream& err) override {
        brief_.workspace = or_default(workspace_);
        // The output's extension decides the format (.png, .tif/.tiff; anything else is
        // refused); --format, when given, must say the same, so that the bytes match the name.
        brief_.format = geo::image_format_for(brief_.output);
        if (!format_.empty()) {
            const std::string f = core::to_lower(format_);
            geo::ImageFormat asked;
            if (f == "png")
                asked = geo::ImageFormat::Png;
            else if (f == "gtiff" || f == "geotiff" || f == "tiff")
                asked = geo::ImageFormat::GeoTiff;
            else if (f == "pdf")
                asked = geo::ImageFormat::Pdf;
            else if (f == "svg")
                asked = geo::ImageFormat::Svg;
            else
                throw core::UsageError("--format '" + format_ + "': png, gtiff, pdf or svg");
            if (asked != brief_.format)
                throw core::UsageError("--format " + format_ + " disagrees with -o " +
                                       brief_.output + " (a " + geo::format_name(brief_.format) +
                                       " name); name the file ." +
                                       (asked == geo::ImageFormat::GeoTiff
                                            ? std::string("tif")
                                            : std::string(geo::format_name(asked))) +
                                       " or leave --format out: the extension decides");
        }
        if (orientation_ == "landscape" || orientation_ == "portrait")
            brief_.landscape = orientation_ == "landscape";
        else
            throw core::UsageError("--orientation '" + orientation_ + "': landscape or portrait");
        if (cmd_->count("--orientation") && brief_.paper.empty())
            throw core::UsageError("--orientation needs --paper");
        if (!brief_.paper.empty()) paper_mm(brief_.paper);  // a bad name fails before any work
        brief_.filter = filters_.build();
        if (!at_.empty()) brief_.at = core::parse_date_option("--at", at_);
        if (!changes_.empty()) {
            if (brief_.at) throw core::UsageError("--at and --changes: give one of them");
            brief_.changes = core::parse_date_range_option("--changes", changes_);
        }
        if (!compare_.empty()) {
            if (brief_.at || brief_.changes)
                throw core::UsageError("--compare and --at/--changes: give one of them");
            if (!brief_.save_view.empty())
                throw core::UsageError("--compare and --save-view: a view is one map; save "
                                       "it without --compare");
            const auto comma = compare_.find(',');
            if (comma == std::string::npos)
                throw core::UsageError("--compare '" + compare_ + "': DATE1,DATE2");
            brief_.compare = std::pair{
                core::parse_date_option("--compare", compare_.substr(0, comma)),
                core::parse_date_option("--compare", compare_.substr(comma + 1))};
            if (!(brief_.compare->first < brief_.compare->second))
                throw core::UsageError("--compare " + compare_ +
                                       ": the first day must come before the second");
        }
        parse_size(size_, 1, 1, "1920x1080", brief_.width, brief_.height);
        brief_.layers = parse_layer_list(layers_);
        if (!view_.empty()) {
            // The saved view decides everything the command line does not set itself.
            const geo::SavedView v = geo::load_view(geo::Workspace::open(brief_.workspace), view_);
            apply_saved_view(v, brief_,
                             [&](const char* option) { return cmd_->count(option) > 0; });
        }
        brief_.dpi_sizes = cmd_->count("--dpi") > 0;
        if (symbols_ && !density_.empty())
            throw core::UsageError("--symbols and --density: give one of them");
        if (symbols_) brief_.mode = map::SymbolMode::Symbols;
        if (density_ == "clusters")
            brief_.mode = map::SymbolMode::Clusters;
        else if (density_ == "heatmap")
            brief_.mode = map::SymbolMode::Heatmap;
        else if (!density_.empty())
            throw core::UsageError("--density '" + density_ + "': clusters or heatmap");
        brief_.color_by = parse_color_by(color_by_);
        // A view cannot be saved in a workspace limes cannot write: said before rendering.
        if (!brief_.save_view.empty()) geo::Workspace::open(brief_.workspace).require_writable();
        render_briefing(brief_, err);
        out << brief_.output << '\n';
        return kOk;
    }

  private:
    std::string workspace_, size_ = "1920x1080", format_, layers_, view_, at_, changes_, compare_;
    std::string color_by_ = "type", orientation_ = "landscape", density_;
    bool symbols_ = false;
    BriefingOptions brief_;
    FilterArgs filters_;
    CLI::App* cmd_ = nullptr;
};

}  // namespace

std::unique_ptr<Command> make_render_command() {
    return std::make_unique<RenderCommand>();
}

}  // namespace limes::app
