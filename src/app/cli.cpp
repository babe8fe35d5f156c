#include "app/cli.hpp"

#include <unistd.h>
#include <CLI/CLI.hpp>

#include <cstdlib>
#include <memory>
#include <vector>

#include "app/commands.hpp"
#include "core/error.hpp"
#include "core/program_dir.hpp"
#include "geo/geometry/triangle_cache.hpp"
#include "geo/formats/versions.hpp"

namespace limes::app {

std::vector<std::unique_ptr<Command>> make_commands() {
    std::vector<std::unique_ptr<Command>> out;
    out.push_back(make_import_command());
    out.push_back(make_export_command());
    out.push_back(make_info_command());
    out.push_back(make_stats_command());
    out.push_back(make_render_command());
    out.push_back(make_animate_command());
    out.push_back(make_view_command());
    out.push_back(make_clean_command());
    out.push_back(make_init_command());
    out.push_back(make_history_command());
    return out;
}

std::string or_default(const std::string& ws) {
    return ws.empty() ? default_workspace_path() : ws;
}

std::string default_workspace_path() {
    if (const char* env = std::getenv("LIMES_WORKSPACE"); env && *env) return env;
    // Found from the executable, so that a build tree and an installed prefix both work
    // from any directory: <build>/limes beside <build>/geodata/caucasus.gpkg, or
    // <prefix>/bin/limes with <prefix>/share/limes/caucasus.gpkg (a relocated prefix too);
    // then the prefix it was configured for, then the build tree it was built in.
    std::vector<std::string> candidates;
    if (const std::string dir = core::program_dir(); !dir.empty()) {
        candidates.push_back(dir + "/geodata/caucasus.gpkg");
        candidates.push_back(dir + "/../" LIMES_INSTALL_DATADIR_RELATIVE "/limes/caucasus.gpkg");
    }
    candidates.push_back(LIMES_INSTALL_DATADIR "/limes/caucasus.gpkg");
    candidates.push_back(std::string(LIMES_BUILD_GEODATA_DIR) + "/caucasus.gpkg");
    for (const auto& c : candidates)
        if (access(c.c_str(), R_OK) == 0) {
            // "/opt/x/bin/../share/limes/..." said as "/opt/x/share/limes/...".
            std::unique_ptr<char, void (*)(void*)> real(::realpath(c.c_str(), nullptr), std::free);
            return real ? std::string(real.get()) : c;
        }
    return candidates.back();
}

int run(int argc, const char* const* argv, std::ostream& out, std::ostream& err) {
    CLI::App app{"limes: maps reported border incidents and territorial claims", "limes"};
    app.require_subcommand(1);
    app.set_version_flag("--version", LIMES_VERSION);

    std::vector<std::unique_ptr<Command>> commands = make_commands();
    std::vector<CLI::App*> subcommands;
    for (auto& c : commands) subcommands.push_back(c->add_to(app));

    try {
        try {
            app.parse(argc, argv);
        } catch (const CLI::CallForHelp&) {
            out << app.help();
            return kOk;
        } catch (const CLI::CallForAllHelp&) {
            out << app.help("", CLI::AppFormatMode::All);
            return kOk;
        } catch (const CLI::CallForVersion&) {
            // The libraries as loaded now: a bug report needs what ran, not what was built.
            out << "limes " << LIMES_VERSION << '\n';
            for (const auto& [name, version] : geo::library_versions())
                out << name << ' ' << version << '\n';
            return kOk;
        } catch (const CLI::ParseError& e) {
            // CLI11 answers "A subcommand is required" to a mistyped command: name it instead.
            if (app.get_subcommands().empty() && argc > 1 && argv[1][0] != '-') {
                err << "limes: unknown command '" << argv[1] << "' (commands:";
                for (const CLI::App* sub : app.get_subcommands([](CLI::App*) { return true; }))
                    err << ' ' << sub->get_name();
                err << ")\n";
            } else {
                err << "limes: " << e.what() << '\n';
            }
            if (!app.get_subcommands().empty())
                err << "run 'limes " << app.get_subcommands().front()->get_name()
                    << " --help' for its options\n";
            else
                err << "run 'limes --help' for the commands\n";
            return kUsage;
        }
        // Basemap fills are triangulated once per layer, CRS and GEOS version on this
        // machine (geo/geometry/triangle_cache.hpp): most of a render's or a window's start.
        geo::set_triangle_cache_dir(core::user_cache_dir() + "/triangles");
        for (std::size_t i = 0; i < commands.size(); ++i)
            if (subcommands[i]->parsed()) return commands[i]->run(out, err);
        return kUsage;
    } catch (const core::Error& e) {
        err << "limes: " << e.what() << '\n';
        switch (e.kind()) {
            case core::ErrorKind::Usage: return kUsage;
            case core::ErrorKind::Data: return kBadData;
            case core::ErrorKind::Io: return kIo;
            case core::ErrorKind::Internal: return kInternal;
        }
        return kInternal;
    } catch (const std::exception& e) {
        err << "limes: internal error: " << e.what() << '\n';
        return kInternal;
    }
}

}  // namespace limes::app
