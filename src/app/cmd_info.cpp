#include <iomanip>
#include <optional>
#include <sstream>

#include "app/cli.hpp"
#include "app/commands.hpp"
#include "core/error.hpp"
#include "geo/formats/gdal_util.hpp"
#include "geo/ops/import_csv.hpp"
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

// An ACLED or UCDP GED CSV, read as `limes import` reads it (not through GDAL's CSV driver,
// which sees no geometry in it): the format recognised from its columns, its rows (valid and
// bad) and their dates. False when the header fits neither format: the caller falls back to
// GDAL.
bool describe_incident_csv(const std::string& path, std::ostream& out) {
    geo::ImportOptions opt;
    geo::ImportReport report;
    std::optional<geo::CsvRows> rows;
    std::size_t columns = 0;
    try {
        // The header alone decides the format (core::detect_row_format).
        core::CsvReader csv = core::CsvReader::from_file(path);
        std::vector<std::string_view> header;
        if (!csv.next(header)) return false;
        columns = header.size();
        core::detect_row_format(std::vector<std::string>(header.begin(), header.end()), path);
        rows.emplace(path, opt, report);
    } catch (const core::DataError&) {
        return false;
    }
    core::Incident inc;
    long row = 0;
    long long valid = 0;
    std::optional<core::Date> first, last;
    while (rows->next(inc, row)) {
        ++valid;
        if (!first || inc.event_date < *first) first = inc.event_date;
        if (!last || inc.event_date > *last) last = inc.event_date;
    }
    out << path << " (" << report.format << ", recognised from its " << columns
        << " columns; points from latitude/longitude, EPSG:4326)\n";
    out << "rows: " << report.read << " (" << valid << " valid";
    if (report.skipped) out << ", " << report.skipped << " bad: `limes import` skips them";
    out << ")\n";
    if (first) out << "dates: " << first->iso() << " .. " << last->iso() << '\n';
    if (!report.ignored_columns.empty())
        out << "columns not kept by an import: " << report.ignored_columns.size() << '\n';
    out << "not a workspace: `limes import WORKSPACE.gpkg " << path << "` makes one\n";
    return true;
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
        geo::require_regular_file(path);
        if (geo::is_csv_path(path) && describe_incident_csv(path, out)) return kOk;
        geo::Workspace ws = geo::Workspace::open(path);
        out << ws.path() << " (" << ws.format() << ")\n";  // a database: password masked
        if (!ws.foreign_logic().empty()) {
            out << "foreign logic (not part of a GeoPackage or of limes; never run, and the "
                   "workspace is read-only while it is there; `limes clean "
                << path << "` removes it):\n";
            for (const auto& o : ws.foreign_logic())
                out << "  " << geo::describe(o) << ": " << o.why << '\n';
        }
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
