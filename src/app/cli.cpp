#include "app/cli.hpp"

#include <CLI/CLI.hpp>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iomanip>
#include <nlohmann/json.hpp>
#include <sstream>

#include "app/briefing.hpp"
#include "app/viewer.hpp"
#include "app/progress.hpp"
#include "core/error.hpp"
#include "core/filter.hpp"
#include "geo/ops/exporter.hpp"
#include "geo/formats/gdal_util.hpp"
#include "geo/ops/importer.hpp"
#include "geo/formats/safe_output.hpp"
#include "geo/ops/stats.hpp"
#include "geo/store/views.hpp"
#include "geo/store/workspace.hpp"

namespace limes::app {
namespace {

// Options shared by export, stats (and later render): the filters of DESIGN.md.
struct FilterArgs {
    std::string from, to, bbox, region;
    std::vector<std::string> types, reported_by;

    void add_to(CLI::App& cmd) {
        cmd.add_option("--from", from, "first day, inclusive (YYYY-MM-DD)");
        cmd.add_option("--to", to, "last day, inclusive (YYYY-MM-DD)");
        cmd.add_option("--bbox", bbox, "W,S,E,N in degrees (WGS84)");
        cmd.add_option("--region", region, "name of a region, province, country or claim");
        cmd.add_option("--type", types, "ACLED event type (repeatable)");
        cmd.add_option("--reported-by", reported_by, "whose statement (repeatable)");
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

std::string or_default(const std::string& ws) { return ws.empty() ? default_workspace_path() : ws; }

// Writes through a private staging directory and a rename into place (geo/safe_output.hpp):
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

// Pads to a width in characters, not bytes: names like "Kəlbəcər" are UTF-8.
std::string pad(const std::string& s, std::size_t width, bool right = false) {
    std::size_t chars = 0;
    for (unsigned char c : s) chars += (c & 0xC0) != 0x80;
    if (chars >= width) return s;
    const std::string fill(width - chars, ' ');
    return right ? fill + s : s + fill;
}

std::string fmt_bbox(const core::BBox& b) {
    if (b.empty()) return "-";
    std::ostringstream s;
    s << std::fixed << std::setprecision(4) << b.west << ',' << b.south << ',' << b.east << ','
      << b.north;
    return s.str();
}

int cmd_import(const std::string& ws, const std::string& file, geo::ImportOptions opt,
               std::ostream& out, std::ostream& err) {
    TerminalProgress progress(err);
    opt.progress = &progress;
    geo::ImportReport r = geo::import_file(ws, file, opt);
    if (!r.diagnostics.empty()) {
        std::string parts;
        auto part = [&](long long n, const char* what) {
            if (n) parts += (parts.empty() ? "" : ", ") + std::to_string(n) + what;
        };
        part(r.skipped, " bad row(s) skipped");
        part(r.duplicates, " duplicate(s) left out");
        part(r.repaired, " repaired");
        err << file << ": " << parts << ":\n";
        r.diagnostics.print(err);
    }
    if (!r.ignored_columns.empty()) {
        // A few names say enough: a hostile header has 100,000 columns.
        constexpr std::size_t kShown = 20;
        err << file << ": columns not kept (no such column in layer " << r.target_layer << "):";
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
    out << "imported " << r.imported << " of " << r.read << " into " << ws << " layer "
        << r.target_layer << " (" << r.format << ")";
    if (r.skipped) out << ", skipped " << r.skipped << " bad";
    if (r.duplicates) out << ", " << r.duplicates << " already there";
    if (r.repaired) out << ", repaired " << r.repaired;
    out << '\n';
    // Bad data only when no row of the file was usable: rows already in the workspace were.
    if (r.imported == 0 && r.duplicates == 0 && r.skipped > 0) return kBadData;
    return kOk;
}

int cmd_info(const std::string& path, std::ostream& out) {
    geo::Workspace ws = geo::Workspace::open(path);
    out << path << " (" << ws.format() << ")\n";
    out << std::left << std::setw(18) << "layer" << std::setw(18) << "geometry" << std::right
        << std::setw(9) << "features" << "  " << std::left << std::setw(38) << "extent W,S,E,N"
        << "crs\n";
    for (const auto& l : ws.summarize()) {
        out << std::left << std::setw(18) << l.name << std::setw(18) << l.geometry_type
            << std::right << std::setw(9) << l.count << "  " << std::left << std::setw(38)
            << fmt_bbox(l.extent) << l.crs << '\n';
        if (l.first && l.last)
            out << "  " << l.name << " dates: " << l.first->iso() << " .. " << l.last->iso() << '\n';
    }
    return kOk;
}

nlohmann::json stats_json(const geo::Stats& s) {
    using nlohmann::json;
    auto counts = [](const std::vector<geo::AreaCount>& v) {
        json a = json::array();
        for (const auto& c : v) {
            json o = {{"name", c.name}, {"incidents", c.incidents}, {"fatalities", c.fatalities}};
            if (!c.country.empty()) o["country"] = c.country;
            a.push_back(o);
        }
        return a;
    };
    json claims = json::array();
    for (const auto& [c, facts] : s.claims) {
        json o = {{"id", c.fid},           {"claim_id", c.claim_id},   {"name", c.name},
                  {"kind", c.kind},        {"claimant", c.claimant},   {"holder", c.holder},
                  {"sovereign", c.sovereign}, {"status", c.status},
                  {"area_km2", std::round(facts.area_km2 * 1000) / 1000}};
        o["valid_from"] = c.valid_from ? json(c.valid_from->iso()) : json(nullptr);
        o["valid_to"] = c.valid_to ? json(c.valid_to->iso()) : json(nullptr);
        o["encroachment_km2"] = facts.encroachment_km2
                                    ? json(std::round(*facts.encroachment_km2 * 1000) / 1000)
                                    : json(nullptr);
        claims.push_back(o);
    }
    return {{"incidents", s.incidents},
            {"fatalities", s.fatalities},
            {"outside_countries", s.outside_countries},
            {"countries", counts(s.countries)},
            {"provinces", counts(s.provinces)},
            {"claims", claims}};
}

void stats_table(const geo::Stats& s, std::ostream& out) {
    out << "incidents: " << s.incidents << "  fatalities (stated): " << s.fatalities;
    if (s.outside_countries) out << "  outside every country: " << s.outside_countries;
    out << "\n\n";
    auto table = [&](const char* title, const std::vector<geo::AreaCount>& v) {
        out << std::left << std::setw(34) << title << std::right << std::setw(10) << "incidents"
            << std::setw(12) << "fatalities" << '\n';
        for (const auto& c : v) {
            std::string name = c.name + (c.country.empty() ? "" : " (" + c.country + ")");
            out << "  " << pad(name, 32) << std::right << std::setw(10)
                << c.incidents << std::setw(12) << c.fatalities << '\n';
        }
        if (v.empty()) out << "  (none)\n";
        out << '\n';
    };
    table("country", s.countries);
    table("province", s.provinces);
    out << std::left << std::setw(44) << "claim" << std::setw(13) << "kind" << std::setw(13)
        << "holder" << std::setw(13) << "sovereign" << std::right << std::setw(11) << "area km2"
        << std::setw(18) << "encroachment km2" << '\n';
    for (const auto& [c, facts] : s.claims) {
        std::ostringstream area, enc;
        area << std::fixed << std::setprecision(1) << facts.area_km2;
        if (facts.encroachment_km2) enc << std::fixed << std::setprecision(1) << *facts.encroachment_km2;
        else enc << "n/a";
        out << "  " << pad(c.name, 42) << ' ' << std::left << std::setw(13) << c.kind
            << pad(c.holder, 12) << ' ' << pad(c.sovereign, 12) << ' ' << std::right << std::setw(11) << area.str()
            << std::setw(18) << enc.str() << '\n';
    }
    if (s.claims.empty()) out << "  (none)\n";
}

}  // namespace

std::string default_workspace_path() {
    if (const char* env = std::getenv("LIMES_WORKSPACE"); env && *env) return env;
    // Beside the executable: <build>/limes and <build>/geodata/caucasus.gpkg.
    char buf[4096];
    const ssize_t n = readlink("/proc/self/exe", buf, sizeof buf - 1);
    if (n > 0) {
        std::string exe(buf, static_cast<std::size_t>(n));
        const std::string dir = exe.substr(0, exe.rfind('/'));
        const std::string candidate = dir + "/geodata/caucasus.gpkg";
        if (access(candidate.c_str(), R_OK) == 0) return candidate;
    }
    return std::string(LIMES_BUILD_GEODATA_DIR) + "/caucasus.gpkg";
}

int run(int argc, const char* const* argv, std::ostream& out, std::ostream& err) {
    CLI::App app{"limes: maps reported border incidents and territorial claims", "limes"};
    app.require_subcommand(1);
    app.set_version_flag("--version", LIMES_VERSION);

    std::string ws, file, output = "";
    geo::ImportOptions import_opt;
    auto* import = app.add_subcommand("import", "import ACLED/UCDP CSV or any OGR vector source");
    import->add_option("WORKSPACE", ws, "workspace GeoPackage (created when missing)")->required();
    import->add_option("FILE", file, "input file")->required();
    import->add_option("--layer", import_opt.layer, "target layer: incidents, claims or a basemap layer");
    import->add_option("--format", import_opt.format, "acled, ucdp, ogr or auto (default)");
    import->add_option("--source-layer", import_opt.source_layer, "layer of a multi-layer input");
    import->add_flag("--strict", import_opt.strict, "import nothing when any row is bad");
    import->add_flag("--allow-network", import_opt.allow_network,
                     "let GDAL read URLs and network file systems (/vsicurl/, /vsis3/, ...); "
                     "off, neither FILE nor anything it references is fetched");

    FilterArgs export_filters;
    geo::ExportOptions export_opt;
    auto* exp = app.add_subcommand("export", "write a filtered layer as RFC 7946 GeoJSON");
    exp->add_option("WORKSPACE", ws, "workspace (default: the built-in Caucasus workspace)");
    exp->add_option("-o,--output", output, "output file, - for stdout")->required();
    exp->add_option("--layer", export_opt.layer, "layer to export (default incidents)");
    exp->add_option("--precision", export_opt.precision, "decimals of coordinates (default 6)");
    export_filters.add_to(*exp);

    auto* info = app.add_subcommand("info", "layers, counts, extents, CRS and date range");
    info->add_option("PATH", ws, "workspace or any vector file (default: the built-in workspace)");
    bool info_network = false;
    info->add_flag("--allow-network", info_network, "let GDAL read URLs and network file systems");

    FilterArgs stats_filters;
    bool json = false;
    auto* stats = app.add_subcommand("stats", "incidents per province and country; claim areas");
    stats->add_option("WORKSPACE", ws, "workspace (default: the built-in workspace)");
    stats->add_flag("--json", json, "JSON instead of a table");
    stats_filters.add_to(*stats);

    FilterArgs render_filters;
    BriefingOptions brief;
    std::string size = "1920x1080", image_format = "png";
    auto* render = app.add_subcommand("render", "a briefing image (PNG + world file), headless");
    render->add_option("WORKSPACE", ws, "workspace (default: the built-in workspace)");
    render->add_option("-o,--output", brief.output, "output image")->required();
    render->add_option("--size", size, "WIDTHxHEIGHT in pixels (default 1920x1080)");
    render->add_option("--dpi", brief.dpi, "resolution written into the image (default 150)");
    render->add_option("--crs", brief.crs, "map CRS (default: Lambert conformal conic 39/41 N)");
    render->add_option("--format", image_format, "png (default) or gtiff");
    render->add_option("--title", brief.title, "title of the briefing");
    std::string layers_arg, view_name;
    render->add_option("--layers", layers_arg, "comma-separated layers to show (default: all)");
    render->add_option("--labels", brief.label_language, "place names in en (default), hy or az");
    render->add_option("--view", view_name, "render a view saved in the workspace");
    render->add_option("--save-view", brief.save_view, "save these options as a named view");
    render_filters.add_to(*render);

    ViewerOptions viewer;
    std::string window_size = "1280x720";
    auto* view_cmd = app.add_subcommand("view", "interactive window (needs a display)");
    view_cmd->add_option("WORKSPACE", ws, "workspace (default: the built-in workspace)");
    view_cmd->add_option("--replay", viewer.replay, "replay scripted input (see docs) and exit");
    view_cmd->add_option("--screenshot", viewer.screenshot, "with --replay: PNG of the window at the end");
    view_cmd->add_option("--size", window_size, "window WIDTHxHEIGHT (default 1280x720)");
    view_cmd->add_option("--replay-log", viewer.replay_log, "with --replay: JSON lines of state per frame");
    view_cmd->add_option("--crs", viewer.crs, "map CRS (default: Lambert conformal conic 39/41 N)");

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
            out << LIMES_VERSION << '\n';
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
        if (import->parsed()) return cmd_import(ws, file, import_opt, out, err);
        if (info->parsed()) {
            if (info_network) geo::set_network_access(true);
            return cmd_info(or_default(ws), out);
        }
        if (exp->parsed()) {
            export_opt.filter = export_filters.build();
            geo::Workspace w = geo::Workspace::open(or_default(ws));
            long long n = 0;
            write_output(output, out, [&](std::ostream& o) { n = geo::export_geojson(w, export_opt, o); });
            if (output != "-")
                err << "wrote " << n << " feature(s) of layer " << export_opt.layer << " to " << output << '\n';
            return kOk;
        }
        if (view_cmd->parsed()) {
            viewer.workspace = or_default(ws);
            if (std::sscanf(window_size.c_str(), "%dx%d", &viewer.width, &viewer.height) != 2 ||
                viewer.width < 200 || viewer.height < 150)
                throw core::UsageError("--size '" + window_size + "': expected WIDTHxHEIGHT, at least 200x150");
            if ((!viewer.screenshot.empty() || !viewer.replay_log.empty()) && viewer.replay.empty())
                throw core::UsageError("--screenshot and --replay-log need --replay");
            try {
                run_viewer(viewer, err);
            } catch (const std::runtime_error& e) {
                if (dynamic_cast<const core::Error*>(&e)) throw;
                // No display or no GL context: an I/O condition of this machine.
                throw core::IoError("display", e.what());
            }
            return kOk;
        }
        if (render->parsed()) {
            brief.workspace = or_default(ws);
            brief.filter = render_filters.build();
            if (std::sscanf(size.c_str(), "%dx%d", &brief.width, &brief.height) != 2)
                throw core::UsageError("--size '" + size + "': expected WIDTHxHEIGHT, e.g. 1920x1080");
            std::stringstream list(layers_arg);
            for (std::string item; std::getline(list, item, ',');)
                if (!item.empty()) brief.layers.push_back(item);
            if (!view_name.empty()) {
                // The saved view decides everything the command line does not set itself.
                const geo::SavedView v = geo::load_view(geo::Workspace::open(brief.workspace), view_name);
                auto given = [&](const char* opt) { return render->count(opt) > 0; };
                if (!given("--crs")) brief.crs = v.crs;
                if (!given("--title")) brief.title = v.title;
                if (!given("--labels") && !v.label_language.empty()) brief.label_language = v.label_language;
                if (!given("--layers")) brief.layers = v.layers;
                if (!given("--size") && v.width > 0 && v.height > 0)
                    brief.width = v.width, brief.height = v.height;
                if (!given("--from") && !given("--to") && !given("--bbox") && !given("--region") &&
                    !given("--type") && !given("--reported-by"))
                    brief.filter = v.filter;
            }
            if (image_format == "gtiff" || image_format == "GTiff") brief.format = geo::ImageFormat::GeoTiff;
            else if (image_format != "png") throw core::UsageError("--format '" + image_format + "': png or gtiff");
            render_briefing(brief, err);
            out << brief.output << '\n';
            return kOk;
        }
        if (stats->parsed()) {
            const core::Filter filter = stats_filters.build();
            geo::Workspace w = geo::Workspace::open(or_default(ws));
            const geo::Stats s = geo::compute_stats(w, filter);
            if (json) out << stats_json(s).dump(2) << '\n';
            else stats_table(s, out);
            return kOk;
        }
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
