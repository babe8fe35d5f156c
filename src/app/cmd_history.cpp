#include <algorithm>

#include "app/cli.hpp"
#include "app/commands.hpp"
#include "core/error.hpp"
#include "geo/store/workspace.hpp"

namespace limes::app {
namespace {

/** A value as history prints it: a gap says so, long text is cut. */
std::string shown(const std::string& v) {
    if (v.empty()) return "(none)";
    constexpr std::size_t kMax = 80;
    return v.size() <= kMax ? v : v.substr(0, kMax) + "…";
}

// `limes history WORKSPACE INCIDENT_ID`: who changed an incident, when, and what, from the
// workspace's audit trail (limes_audit: geo/store/pg_audit.hpp, gpkg_audit.hpp), oldest first.
class HistoryCommand : public Command {
  public:
    CLI::App* add_to(CLI::App& app) override {
        auto* c = app.add_subcommand(
            "history", "who changed an incident, when and what (the workspace's audit trail)");
        c->add_option("WORKSPACE", workspace_, "a GeoPackage, or postgresql://… or PG:…")
            ->required();
        c->add_option("INCIDENT_ID", id_, "the incident's fid or event_id_cnty")->required();
        return c;
    }

    int run(std::ostream& out, std::ostream&) override {
        const geo::Workspace ws = geo::Workspace::open(workspace_);
        const auto entries = ws.history(id_);
        if (entries.empty())
            throw core::UsageError(ws.path() + ": no audited change of incident " + id_ +
                                   " (give its fid or its event_id_cnty)");
        out << "history of " << id_ << " in " << ws.path() << ": " << entries.size()
            << (entries.size() == 1 ? " change\n" : " changes\n");
        std::size_t who_width = 0;
        for (const auto& e : entries) who_width = std::max(who_width, e.who.size());
        for (const auto& e : entries) {
            out << e.at << "  " << e.who << std::string(who_width - e.who.size(), ' ') << "  "
                << e.action << std::string(6 - std::min<std::size_t>(6, e.action.size()), ' ')
                << "  fid " << e.fid;
            if (!e.event_id.empty()) out << "  " << e.event_id;
            for (std::size_t i = 0; i < e.changes.size(); ++i) {
                const auto& c = e.changes[i];
                out << (i == 0 ? "  " : "; ") << c.column << ": " << shown(c.before) << " → "
                    << shown(c.after);
            }
            out << '\n';
        }
        return kOk;
    }

  private:
    std::string workspace_, id_;
};

}  // namespace

std::unique_ptr<Command> make_history_command() {
    return std::make_unique<HistoryCommand>();
}

}  // namespace limes::app
