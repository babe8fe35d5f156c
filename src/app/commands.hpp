#pragma once
// The subcommands of `limes`, one object each: its options and what it does. app::run
// (cli.cpp) parses argv with CLI11, runs the one chosen and turns the errors into exit codes;
// a command only throws (core::Error with its kind) and returns kOk or kBadData.
#include <CLI/CLI.hpp>

#include <cstdio>
#include <memory>
#include <ostream>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "core/filter.hpp"
#include "geo/formats/safe_output.hpp"
#include "map/symbol_mode.hpp"

namespace limes::app {

class Command {
  public:
    virtual ~Command() = default;
    /** Adds the subcommand and its options to app; returns it. */
    virtual CLI::App* add_to(CLI::App& app) = 0;
    /** Runs after a parse that chose this command: out for results, err for the log and
     *  reports. Returns an exit code (cli.hpp); throws core::Error. */
    virtual int run(std::ostream& out, std::ostream& err) = 0;
};

/** The commands, in the order `limes --help` lists them. */
std::vector<std::unique_ptr<Command>> make_commands();

std::unique_ptr<Command> make_import_command();
std::unique_ptr<Command> make_export_command();
std::unique_ptr<Command> make_info_command();
std::unique_ptr<Command> make_stats_command();
std::unique_ptr<Command> make_render_command();
std::unique_ptr<Command> make_animate_command();
std::unique_ptr<Command> make_view_command();
std::unique_ptr<Command> make_clean_command();
std::unique_ptr<Command> make_init_command();
std::unique_ptr<Command> make_history_command();

/** The shared filters of export, stats and render: --from, --to, --bbox, --region, --type,
 *  --reported-by. */
struct FilterArgs {
    std::string from, to, bbox, region;
    std::vector<std::string> types, reported_by;

    void add_to(CLI::App& cmd) {
        cmd.add_option("--from", from,
                       "first day, inclusive: 2022-09-13, 13-09-2022 or '13 September 2022'");
        cmd.add_option("--to", to,
                       "last day, inclusive: 2022-09-13, 13-09-2022 or '13 September 2022'");
        cmd.add_option("--bbox", bbox, "W,S,E,N in degrees (WGS84)");
        cmd.add_option("--region", region,
                       "a region, province, country or claim by name, or an alias of a province "
                       "or country (English, Armenian, Azerbaijani: Kalbajar, Սյունիք, Erevan)");
        // One value an occurrence (CLI11 lets a vector option take every word that follows,
        // so `--type Battles ws.gpkg` would read the workspace as a second type).
        cmd.add_option("--type", types, "ACLED event type (repeatable)")->allow_extra_args(false);
        cmd.add_option("--reported-by", reported_by, "whose statement (repeatable)")->allow_extra_args(false);
    }
    core::Filter build() const {
        core::Filter f;
        if (!from.empty()) f.from = core::parse_date_option("--from", from);
        if (!to.empty()) f.to = core::parse_date_option("--to", to);
        if (!bbox.empty()) f.bbox = core::parse_bbox(bbox);
        f.region = region;
        for (const auto& t : types) f.types.push_back(core::parse_event_type_option(t));
        f.reported_by = reported_by;
        core::check_range(f);
        return f;
    }
};

/** --size WIDTHxHEIGHT in pixels, each side from min to 65536: one parse and one wording
 *  for render and view. Throws UsageError. */
inline void parse_size(const std::string& value, int min_width, int min_height, const char* example,
                       int& width, int& height) {
    constexpr int kMax = 65536;
    if (std::sscanf(value.c_str(), "%dx%d", &width, &height) != 2 || width < min_width ||
        height < min_height || width > kMax || height > kMax)
        throw core::UsageError("--size '" + value + "': expected WIDTHxHEIGHT in pixels, from " +
                               std::to_string(min_width) + "x" + std::to_string(min_height) +
                               " to " + std::to_string(kMax) + "x" + std::to_string(kMax) +
                               " (e.g. " + example + ")");
}

/** --layers a,b,c: the names, empty items skipped (checked against the scene's layers later). */
inline std::vector<std::string> parse_layer_list(const std::string& value) {
    std::vector<std::string> out;
    std::string item;
    for (char c : value + ",") {
        if (c != ',') {
            item += c;
        } else if (!item.empty()) {
            out.push_back(item);
            item.clear();
        }
    }
    return out;
}

/** --color-by NAME; throws UsageError naming the three. */
inline map::ColorBy parse_color_by(const std::string& value) {
    if (const auto by = map::color_by_of(value)) return *by;
    throw core::UsageError("--color-by '" + value + "': type, reported_by or status");
}

/** The workspace given, or the default one when none was. */
std::string or_default(const std::string& workspace);

// Writes through a private staging directory and a rename into place (geo/formats/safe_output.hpp):
// a crash or a full disk never leaves a half-written output where the user expects a file,
// and a symlink at the path is replaced, not written through. "-" writes to out directly.
template <typename Fn>
void write_output(const std::string& path, std::ostream& stdout_stream, Fn&& body) {
    if (path == "-") {
        body(stdout_stream);
        stdout_stream.flush();
        return;
    }
    geo::write_file_atomically(path, [&](std::ostream& o) { body(o); });
}

}  // namespace limes::app
