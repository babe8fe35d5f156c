#include <unistd.h>

#include <iomanip>

#include "app/cli.hpp"
#include "app/commands.hpp"
#include "app/progress.hpp"
#include "geo/ops/importer.hpp"

namespace limes::app {
namespace {

class ImportCommand : public Command {
  public:
    CLI::App* add_to(CLI::App& app) override {
        auto* c = app.add_subcommand("import", "import ACLED/UCDP CSV or any OGR vector source");
        c->add_option("WORKSPACE", workspace_, "workspace GeoPackage (created when missing)")
            ->required();
        c->add_option("FILE", file_, "input file")->required();
        c->add_option("--layer", opt_.layer, "target layer: incidents, claims or a basemap layer");
        c->add_option("--format", opt_.format, "acled, ucdp, ogr or auto (default)");
        c->add_option("--source-layer", opt_.source_layer, "layer of a multi-layer input");
        c->add_flag("--strict", opt_.strict, "import nothing when any row is bad");
        c->add_flag("--no-basemap", no_basemap_,
                    "a new WORKSPACE starts empty, without the default workspace's basemap "
                    "layers (countries, provinces, borders, places)");
        c->add_flag("--allow-network", opt_.allow_network,
                    "let GDAL read URLs and network file systems (/vsicurl/, /vsis3/, ...); "
                    "off, neither FILE nor anything it references is fetched");
        return c;
    }

    int run(std::ostream& out, std::ostream& err) override {
        TerminalProgress progress(err);
        opt_.progress = &progress;
        // A workspace this import creates starts with the default workspace's basemap, so
        // that its first render is a map (README, "A new workspace").
        const std::string basemap = default_workspace_path();
        if (!no_basemap_ && access(basemap.c_str(), R_OK) == 0) opt_.basemap_from = basemap;
        geo::ImportReport r = geo::import_file(workspace_, file_, opt_);
        progress.finish();  // the bar's line ends before the report starts
        if (!r.diagnostics.empty()) {
            std::string parts;
            auto part = [&](long long n, const char* what) {
                if (n) parts += (parts.empty() ? "" : ", ") + std::to_string(n) + what;
            };
            part(r.skipped, " bad row(s) skipped");
            part(r.duplicates, " duplicate(s) left out");
            part(r.repaired, " repaired");
            err << file_ << ": " << parts << ":\n";
            r.diagnostics.print(err);
        }
        if (!r.ignored_columns.empty()) {
            // A few names say enough: a hostile header has 100,000 columns.
            constexpr std::size_t kShown = 20;
            err << file_ << ": columns not kept (no such column in layer " << r.target_layer
                << "):";
            for (std::size_t i = 0; i < r.ignored_columns.size() && i < kShown; ++i)
                err << ' ' << r.ignored_columns[i];
            if (r.ignored_columns.size() > kShown)
                err << " ... (" << r.ignored_columns.size() - kShown << " more)";
            err << '\n';
        }
        if (r.aborted) {
            err << "limes import: --strict: nothing imported (" << r.skipped << " bad row(s) of "
                << r.read << ")\n";
            return kBadData;
        }
        if (!r.basemap_layers.empty()) {
            err << workspace_ << ": new workspace, with the default workspace's basemap layers:";
            for (const auto& l : r.basemap_layers) err << ' ' << l;
            err << '\n';
        }
        out << "imported " << r.imported << " of " << r.read << " into " << workspace_ << " layer "
            << r.target_layer << " (" << r.format << ")";
        if (r.skipped) out << ", skipped " << r.skipped << " bad";
        if (r.duplicates) out << ", " << r.duplicates << " already there";
        if (r.repaired) out << ", repaired " << r.repaired;
        out << '\n';
        // Bad data only when no row of the file was usable: rows already in the workspace were.
        if (r.imported == 0 && r.duplicates == 0 && r.skipped > 0) return kBadData;
        // Some rows landed, some were skipped: its own status (README, exit status).
        if (r.skipped > 0) return kPartial;
        return kOk;
    }

  private:
    std::string workspace_, file_;
    geo::ImportOptions opt_;
    bool no_basemap_ = false;
};

}  // namespace

std::unique_ptr<Command> make_import_command() {
    return std::make_unique<ImportCommand>();
}

}  // namespace limes::app
