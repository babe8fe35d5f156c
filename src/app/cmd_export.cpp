#include "app/cli.hpp"
#include "app/commands.hpp"
#include "geo/ops/exporter.hpp"
#include "geo/store/schema_check.hpp"
#include "geo/store/workspace.hpp"

namespace limes::app {
namespace {

class ExportCommand : public Command {
  public:
    CLI::App* add_to(CLI::App& app) override {
        auto* c = app.add_subcommand("export", "write a filtered layer as RFC 7946 GeoJSON");
        c->add_option("WORKSPACE", workspace_,
                      "workspace (default: the built-in Caucasus workspace)");
        c->add_option("-o,--output", output_, "output file, - for stdout")->required();
        c->add_option("--layer", opt_.layer, "layer to export (default incidents)");
        c->add_option("--precision", opt_.precision, "decimals of coordinates (default 6)");
        filters_.add_to(*c);
        return c;
    }

    int run(std::ostream& out, std::ostream& err) override {
        opt_.filter = filters_.build();
        geo::Workspace ws = geo::Workspace::open(or_default(workspace_));
        if (!ws.foreign_logic().empty())
            err << geo::foreign_logic_note(ws.path(), ws.foreign_logic()) << '\n';
        long long n = 0;
        write_output(output_, out, [&](std::ostream& o) { n = geo::export_geojson(ws, opt_, o); });
        if (output_ != "-")
            err << "wrote " << n << " feature(s) of layer " << opt_.layer << " to " << output_
                << '\n';
        return kOk;
    }

  private:
    std::string workspace_, output_;
    geo::ExportOptions opt_;
    FilterArgs filters_;
};

}  // namespace

std::unique_ptr<Command> make_export_command() {
    return std::make_unique<ExportCommand>();
}

}  // namespace limes::app
