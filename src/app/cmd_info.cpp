#include <iomanip>
#include <sstream>

#include "app/cli.hpp"
#include "app/commands.hpp"
#include "geo/formats/gdal_util.hpp"
#include "geo/store/workspace.hpp"

namespace limes::app {
namespace {

std::string fmt_bbox(const core::BBox& b) {
    if (b.empty()) return "-";
    std::ostringstream s;
    s << std::fixed << std::setprecision(4) << b.west << ',' << b.south << ',' << b.east << ','
      << b.north;
    return s.str();
}

class InfoCommand : public Command {
  public:
    CLI::App* add_to(CLI::App& app) override {
        auto* c = app.add_subcommand("info", "layers, counts, extents, CRS and date range");
        c->add_option("PATH", path_,
                      "workspace or any vector file (default: the built-in workspace)");
        c->add_flag("--allow-network", allow_network_,
                    "let GDAL read URLs and network file systems");
        return c;
    }

    int run(std::ostream& out, std::ostream&) override {
        if (allow_network_) geo::set_network_access(true);
        const std::string path = or_default(path_);
        geo::Workspace ws = geo::Workspace::open(path);
        out << path << " (" << ws.format() << ")\n";
        out << std::left << std::setw(18) << "layer" << std::setw(18) << "geometry" << std::right
            << std::setw(9) << "features"
            << "  " << std::left << std::setw(38) << "extent W,S,E,N"
            << "crs\n";
        for (const auto& l : ws.summarize()) {
            out << std::left << std::setw(18) << l.name << std::setw(18) << l.geometry_type
                << std::right << std::setw(9) << l.count << "  " << std::left << std::setw(38)
                << fmt_bbox(l.extent) << l.crs << '\n';
            if (l.first && l.last)
                out << "  " << l.name << " dates: " << l.first->iso() << " .. " << l.last->iso()
                    << '\n';
        }
        return kOk;
    }

  private:
    std::string path_;
    bool allow_network_ = false;
};

}  // namespace

std::unique_ptr<Command> make_info_command() {
    return std::make_unique<InfoCommand>();
}

}  // namespace limes::app
