// `limes import`: which reader a file goes to (import_csv.hpp, import_ogr.hpp), and what lands
// in the workspace: one write, duplicates left out, nothing left behind when it fails.
#include "geo/ops/importer.hpp"

#include <cpl_conv.h>

#include <algorithm>
#include <functional>
#include <memory>
#include <optional>

#include "core/error.hpp"
#include "geo/formats/gdal_util.hpp"
#include "geo/ops/import_csv.hpp"
#include "geo/ops/import_ogr.hpp"
#include "geo/ops/incident_pipeline.hpp"
#include "geo/store/pg_db.hpp"
#include "geo/store/workspace.hpp"

namespace limes::geo {

std::vector<std::string> copy_basemap(Workspace& ws, const std::string& source,
                                      const std::vector<std::string>& except) {
    GDALDatasetUniquePtr src = open_vector(source, false);
    return copy_basemap(ws, *src, source, except);
}

std::vector<std::string> copy_basemap(Workspace& ws, GDALDataset& source,
                                      const std::string& source_name,
                                      const std::vector<std::string>& except) {
    // The data of one workspace stays there; its basemap (Natural Earth layers, places, the
    // region aliases, and whatever basemap layer the default workspace gains) is shared.
    static const char* const kData[] = {"incidents",   "claims",       "statements",
                                        "limes_views", "layer_styles", "gpkg_ogr_contents",
                                        "limes_audit"};
    std::vector<std::string> copied;
    // No fsync per CopyLayer transaction (a second of a small import's time, on a busy disk):
    // the workspace is new, and one that fails to land is removed, so nothing is at risk.
    CPLConfigOptionSetter no_sync("OGR_SQLITE_SYNCHRONOUS", "OFF", /*bSetOnlyIfUndefined=*/false);
    ws.update_through_gdal(
        [&](GDALDataset& ds) {
            for (int i = 0; i < source.GetLayerCount(); ++i) {
                OGRLayer* layer = source.GetLayer(i);
                const std::string name = layer->GetName();
                if (std::find(std::begin(kData), std::end(kData), name) != std::end(kData) ||
                    std::find(except.begin(), except.end(), name) != except.end() ||
                    ds.GetLayerByName(name.c_str()))
                    continue;
                const char* options[] = {"FID=fid", nullptr};
                if (!ds.CopyLayer(layer, name.c_str(), const_cast<char**>(options)))
                    throw core::IoError(ws.path(), "cannot copy layer " + name + " from " +
                                                       source_name + ": " +
                                                       gdal_error("GDAL error"));
                copied.push_back(name);
            }
        },
        /*transaction=*/false);  // CopyLayer groups its writes in transactions of its own; a
                                 // copy into a new workspace that fails removes the workspace
    return copied;
}

namespace {

/** The import's whole effect on the workspace, undone when it does not land: a workspace the
 *  import created is removed again (a layer it created goes with the writer's rollback). */
class WorkspaceScope {
  public:
    WorkspaceScope(const std::string& path, const ImportOptions& options, ImportReport& report)
        : path_(path) {
        // A database workspace is made by `limes init`, never by an import (which would
        // need the rights to create tables that an analyst's role usually lacks).
        VSIStatBufL st;
        created_ = !is_pg_workspace(path) && VSIStatL(path.c_str(), &st) != 0;
        ws_.emplace(created_ ? Workspace::create(path) : Workspace::open(path));
        try {
            ws_->require_writable();
            // A new workspace starts with the basemap (not the layer this import fills).
            if (created_ && !options.basemap_from.empty())
                report.basemap_layers =
                    copy_basemap(*ws_, options.basemap_from, {report.target_layer});
        } catch (...) {
            ws_.reset();
            if (created_) VSIUnlink(path_.c_str());
            throw;
        }
    }
    ~WorkspaceScope() {
        if (landed_ || !created_) return;
        ws_.reset();  // every handle closed before the file goes
        VSIUnlink(path_.c_str());
    }
    WorkspaceScope(const WorkspaceScope&) = delete;
    WorkspaceScope& operator=(const WorkspaceScope&) = delete;
    Workspace& ws() { return *ws_; }
    bool created() const { return created_; }
    void landed() { landed_ = true; }

  private:
    std::string path_;
    bool created_ = false, landed_ = false;
    std::optional<Workspace> ws_;
};

/** Keeps the first incident of each event id (IncidentWriter's duplicate check) and reports
 *  the others: not bad data, they count as duplicates. */
void drop_duplicates(DuplicateCheck& check, Parsed& parsed, const std::string& file,
                     ImportReport& report) {
    std::vector<core::Diagnostic> dropped;
    report.duplicates +=
        static_cast<long long>(check.filter(parsed.incidents, parsed.rows, file, dropped));
    for (auto& d : dropped)
        report.diagnostics.add(d.severity, std::move(d.where), std::move(d.message));
}

// A CSV in one pass (the usual case, and the one that must be fast for a million rows): this
// thread reads and checks rows, and drops duplicates, while a second one writes them, in one
// transaction. What lands, what is reported and what is left on failure are as if the file
// were read whole first: strict mode and a file without valid rows roll the transaction back.
void import_csv_streaming(const std::string& workspace_path, const std::string& file, CsvRows& csv,
                          const ImportOptions& options, ImportReport& report) {
    constexpr std::size_t kChunkRows = 4096;
    WorkspaceScope scope(workspace_path, options, report);
    std::unique_ptr<IncidentWriter> writer = scope.ws().incidents().write();
    const std::unique_ptr<DuplicateCheck> check = writer->duplicate_check(1 << 16);
    std::size_t valid = 0;
    long long duplicates = 0, imported = 0;
    // The writer's duplicates, reported after the bad rows (as when the whole file is read
    // first): kept whole up to Diagnostics::kKept, counted past it.
    core::Diagnostics dropped;
    std::vector<core::Diagnostic> chunk_dropped;
    run_pipeline(
        [&](const std::function<bool(IncidentChunk&)>& emit) {
            IncidentChunk chunk;
            for (;;) {
                if (chunk.incidents.size() < kChunkRows) {
                    chunk.incidents.resize(kChunkRows);
                    chunk.rows.resize(kChunkRows);
                    chunk.maybe_duplicate.resize(kChunkRows);
                }
                long row = 0;
                const bool more = csv.next(chunk.incidents[chunk.size], row);
                if (more) {
                    chunk.rows[chunk.size++] = row;
                    ++valid;
                }
                if ((chunk.size == kChunkRows || !more) && chunk.size > 0) {
                    // The ids are screened here (the writer's side is the busier); the few the
                    // filter cannot clear are looked up by the writer.
                    check->screen(chunk.incidents.data(), chunk.size, chunk.maybe_duplicate.data());
                    if (!emit(chunk)) return;  // the writer failed
                }
                if (!more) return;
            }
        },
        [&](IncidentChunk& chunk) {
            chunk_dropped.clear();
            const std::size_t kept =
                check->resolve(chunk.incidents.data(), chunk.rows.data(),
                               chunk.maybe_duplicate.data(), chunk.size, file, chunk_dropped);
            duplicates += static_cast<long long>(chunk.size - kept);
            for (auto& d : chunk_dropped)
                dropped.add(d.severity, std::move(d.where), std::move(d.message));
            writer->append(chunk.incidents.data(), kept);
            imported += static_cast<long long>(kept);
        });
    if (options.strict && report.skipped > 0) {
        report.aborted = true;  // the writer rolls back
        return;
    }
    if (valid == 0) {  // nothing to write: leave the workspace as it was (or not at all)
        if (report.read == 0) throw core::DataError({file, 2, ""}, "no rows after the header");
        return;
    }
    writer->commit(options.progress);
    scope.landed();
    report.created_workspace = scope.created();
    // Duplicates are reported after the bad rows, as when the whole file is read first.
    report.duplicates += duplicates;
    report.diagnostics.append(std::move(dropped));
    report.imported = imported;
}

}  // namespace

ImportReport import_file(const std::string& workspace_path, const std::string& file,
                         const ImportOptions& options) {
    ensure_gdal();
    if (options.format != "auto" && options.format != "acled" && options.format != "ucdp" &&
        options.format != "ogr")
        throw core::UsageError("--format '" + options.format +
                               "': expected acled, ucdp, ogr or auto");
    NetworkAccessScope network(options.allow_network);
    if (!network_access_allowed() && is_network_path(file))
        throw core::UsageError(file +
                               ": a network source; limes reads local files only unless "
                               "--allow-network is given");
    require_regular_file(file);  // before any reader blocks on a FIFO or reads /dev/zero
    ImportReport report;
    report.target_layer = options.layer;
    const bool csv = options.format == "acled" || options.format == "ucdp" ||
                     (options.format == "auto" && is_csv_path(file));
    if (csv) {
        if (!report.target_layer.empty() && report.target_layer != kIncidents)
            throw core::UsageError("--layer " + report.target_layer +
                                   ": ACLED and UCDP files import into the incidents layer");
        report.target_layer = kIncidents;
        CsvRows rows(file, options, report);
        import_csv_streaming(workspace_path, file, rows, options, report);
        return report;
    }

    Parsed parsed;
    GDALDatasetUniquePtr source;  // keeps OGR field definitions alive for generic layers
    read_ogr(file, options, report, parsed, source);
    if (options.strict && report.skipped > 0) {
        report.aborted = true;
        return report;
    }
    const std::size_t valid =
        parsed.incidents.size() + parsed.claims.size() + parsed.features.size();
    VSIStatBufL st;
    if (valid == 0 && VSIStatL(workspace_path.c_str(), &st) != 0)
        return report;  // nothing to write: do not leave an empty file
    WorkspaceScope scope(workspace_path, options, report);
    Workspace& ws = scope.ws();
    if (report.target_layer == kIncidents) {
        std::unique_ptr<IncidentWriter> writer = ws.incidents().write();
        drop_duplicates(*writer->duplicate_check(parsed.incidents.size()), parsed, file, report);
        writer->append(parsed.incidents);
        if (options.progress) options.progress->update(0.85, "writing incidents");
        writer->commit(options.progress);
        report.imported = static_cast<long long>(parsed.incidents.size());
    } else if (report.target_layer == kClaims) {
        ws.append_claims(parsed.claims);
        report.imported = static_cast<long long>(parsed.claims.size());
    } else {
        ws.append_features(report.target_layer, *parsed.source_defn, parsed.geometry_type,
                           parsed.features);
        report.imported = static_cast<long long>(parsed.features.size());
    }
    scope.landed();
    report.created_workspace = scope.created();
    return report;
}

}  // namespace limes::geo
