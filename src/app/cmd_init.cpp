#include <unistd.h>

#include "app/cli.hpp"
#include "app/commands.hpp"
#include "core/error.hpp"
#include "geo/ops/importer.hpp"
#include "geo/store/pg_db.hpp"
#include "geo/store/pg_schema.hpp"
#include "geo/store/workspace.hpp"

namespace limes::app {
namespace {

std::string joined(const std::vector<std::string>& names) {
    std::string out;
    for (const auto& n : names) out += (out.empty() ? "" : ", ") + n;
    return out.empty() ? "none" : out;
}

// `limes init postgresql://…[?schema=S]`: limes' tables, indexes, version and audit triggers
// in a PostgreSQL/PostGIS schema (geo/store/pg_schema.hpp), so a team can share one workspace.
// Idempotent: what exists is kept, nothing is dropped, except an older limes' layout of the
// covering index incidents_marks, which is built again in the current one (and said so).
class InitCommand : public Command {
  public:
    CLI::App* add_to(CLI::App& app) override {
        auto* c = app.add_subcommand(
            "init", "create limes' tables in a PostgreSQL/PostGIS database (a shared workspace)");
        c->add_option("WORKSPACE", workspace_,
                      "postgresql://USER@HOST:PORT/DB[?schema=NAME] or PG:\"dbname=… "
                      "schema=…\"")
            ->required();
        c->add_flag("--no-basemap", no_basemap_,
                    "leave out the default workspace's basemap layers (countries, provinces, "
                    "borders, places); by default the schema gets them, as a new GeoPackage "
                    "workspace does");
        return c;
    }

    int run(std::ostream& out, std::ostream&) override {
        if (!geo::is_pg_workspace(workspace_))
            throw core::UsageError(
                workspace_ +
                ": limes init makes a PostgreSQL workspace (postgresql://… or PG:…); a "
                "GeoPackage workspace is made by the first `limes import " +
                workspace_ + " FILE`");
        geo::PgConnection db(geo::parse_pg_target(workspace_));
        const geo::PgInitReport r = geo::init_pg_workspace(db);
        // The basemap layers, as `limes import` gives a new GeoPackage: a map of the schema
        // renders with countries and provinces from the start. Layers there already are kept.
        std::vector<std::string> basemap;
        const std::string source = default_workspace_path();
        if (!no_basemap_ && access(source.c_str(), R_OK) == 0) {
            geo::Workspace ws = geo::Workspace::open(workspace_);
            basemap = geo::copy_basemap(ws, source);
        }
        out << db.target().display << " (schema " << db.target().schema
            << "): limes workspace ready\n"
            << "  created: " << joined(r.created) << '\n'
            << "  already there, kept: " << joined(r.kept) << '\n';
        if (!r.rebuilt.empty())
            out << "  index of an older limes built again: " << joined(r.rebuilt) << '\n';
        out << "  basemap layers copied: " << joined(basemap) << '\n'
            << "  PostGIS " << r.postgis_version
            << (r.created_postgis ? " (extension created)" : "") << '\n';
        return kOk;
    }

  private:
    std::string workspace_;
    bool no_basemap_ = false;
};

}  // namespace

std::unique_ptr<Command> make_init_command() {
    return std::make_unique<InitCommand>();
}

}  // namespace limes::app
