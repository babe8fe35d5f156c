#include <sys/stat.h>

#include "app/cli.hpp"
#include "app/commands.hpp"
#include "geo/store/pg_db.hpp"
#include "geo/store/schema_check.hpp"
#include "geo/store/sqlite_db.hpp"

namespace limes::app {
namespace {

// `limes clean WS.gpkg`: the explicit step that makes a workspace from someone else writable
// again. It removes only what is foreign (a trigger or view that is neither the GeoPackage
// standard's nor limes'), and says each one it removes; the data stays as it was.
class CleanCommand : public Command {
  public:
    CLI::App* add_to(CLI::App& app) override {
        auto* c = app.add_subcommand(
            "clean", "remove foreign triggers and views from a workspace (listing each)");
        c->add_option("WORKSPACE", workspace_, "the GeoPackage workspace")->required();
        c->add_flag("-n,--dry-run", dry_run_, "list what would be removed, remove nothing");
        return c;
    }

    int run(std::ostream& out, std::ostream&) override {
        // A database's triggers and views are its owner's to manage (limes' own audit and
        // version triggers among them), and limes writes through them: nothing to clean.
        if (geo::is_pg_workspace(workspace_))
            throw core::UsageError(
                geo::parse_pg_target(workspace_).display +  // the password masked
                ": limes clean is for GeoPackage files; in a PostgreSQL workspace triggers and "
                "views belong to the database (limes' audit among them) and writes go through "
                "them, so there is nothing to remove: ask the database's owner about any "
                "you do not want");
        struct stat st {};
        if (::stat(workspace_.c_str(), &st) != 0)
            throw core::IoError(workspace_, "no such file");
        if (!dry_run_) geo::require_writable_file(workspace_);
        const auto found = geo::remove_foreign_logic(workspace_, dry_run_);
        if (found.empty()) {
            out << workspace_ << ": no foreign triggers or views; nothing to remove\n";
            return kOk;
        }
        for (const auto& o : found)
            out << (dry_run_ ? "would remove " : "removed ") << geo::describe(o) << " (" << o.why
                << ")\n";
        out << workspace_ << ": " << found.size() << (dry_run_ ? " object(s) to remove" : " object(s) removed")
            << '\n';
        return kOk;
    }

  private:
    std::string workspace_;
    bool dry_run_ = false;
};

}  // namespace

std::unique_ptr<Command> make_clean_command() {
    return std::make_unique<CleanCommand>();
}

}  // namespace limes::app
