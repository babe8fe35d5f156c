#include "app/cli.hpp"
#include "app/commands.hpp"
#include "core/error.hpp"
#include "geo/store/pg_db.hpp"
#include "geo/store/pg_schema.hpp"

namespace limes::app {
namespace {

std::string joined(const std::vector<std::string>& names) {
    std::string out;
    for (const auto& n : names) out += (out.empty() ? "" : ", ") + n;
    return out.empty() ? "none" : out;
}

// `limes init postgresql://…[?schema=S]`: limes' tables, indexes, version and audit triggers
// in a PostgreSQL/PostGIS schema (geo/store/pg_schema.hpp), so a team can share one workspace.
// Idempotent: what exists is kept, nothing is dropped.
class InitCommand : public Command {
  public:
    CLI::App* add_to(CLI::App& app) override {
        auto* c = app.add_subcommand(
            "init", "create limes' tables in a PostgreSQL/PostGIS database (a shared workspace)");
        c->add_option("WORKSPACE", workspace_,
                      "postgresql://USER@HOST:PORT/DB[?schema=NAME] or PG:\"dbname=… "
                      "schema=…\"")
            ->required();
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
        out << db.target().display << " (schema " << db.target().schema
            << "): limes workspace ready\n"
            << "  created: " << joined(r.created) << '\n'
            << "  already there, kept: " << joined(r.kept) << '\n'
            << "  PostGIS " << r.postgis_version
            << (r.created_postgis ? " (extension created)" : "") << '\n';
        return kOk;
    }

  private:
    std::string workspace_;
};

}  // namespace

std::unique_ptr<Command> make_init_command() {
    return std::make_unique<InitCommand>();
}

}  // namespace limes::app
