#include "app/incident_loader.hpp"

#include <algorithm>
#include <cctype>
#include <chrono>
#include <memory>

#include "core/error.hpp"
#include "geo/ops/exporter.hpp"
#include "geo/store/gpkg_fast.hpp"
#include "geo/geometry/projection.hpp"
#include "geo/store/workspace.hpp"

namespace limes::app {
namespace {

struct Cancelled {};

/** The workspace's incidents through SQLite, or nullopt for a file that path does not fit
 *  (the callers then go through OGR). */
std::optional<geo::IncidentReader> reader_for(const std::string& workspace) {
    return geo::IncidentReader::open(workspace);
}

}  // namespace

IncidentLoader::IncidentLoader(std::string workspace, std::string crs, double origin_x, double origin_y)
    : workspace_(std::move(workspace)),
      crs_(std::move(crs)),
      origin_x_(origin_x),
      origin_y_(origin_y),
      thread_([this] { run(); }) {}

IncidentLoader::~IncidentLoader() {
    stop_ = true;
    if (thread_.joinable()) thread_.join();
}

void IncidentLoader::run() {
    const auto t0 = std::chrono::steady_clock::now();
    try {
        // A projector of this thread's own: a PROJ context is not shared between threads.
        const geo::Projector proj(crs_);
        core::IncidentStore store(fetch_from(workspace_));
        std::vector<map::Vec2> positions;
        std::size_t total = 0, n = 0;
        auto add = [&](const core::Incident& inc) {
            store.add_stored(inc);
            double x, y;
            proj.forward(inc.lon, inc.lat, x, y);  // NaN where the CRS cannot show it
            positions.push_back({static_cast<float>(x - origin_x_), static_cast<float>(y - origin_y_)});
            if (++n % 16384 == 0) {
                if (stop_) throw Cancelled{};
                if (total > 0) fraction_ = std::min(0.99, static_cast<double>(n) / static_cast<double>(total));
            }
        };
        if (auto reader = reader_for(workspace_)) {
            total = reader->count_hint();
            store.reserve(total);
            positions.reserve(total);
            reader->for_each(add);
        } else {
            const geo::Workspace ws = geo::Workspace::open(workspace_, false);
            const auto all = ws.read_incidents();
            total = all.size();
            for (const auto& inc : all) add(inc);
        }
        result_.store = std::move(store);
        result_.positions = std::move(positions);
    } catch (const Cancelled&) {
    } catch (...) {
        error_ = std::current_exception();
    }
    result_.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    fraction_ = 1.0;
    done_ = true;
}

LoadedIncidents IncidentLoader::take() {
    if (thread_.joinable()) thread_.join();
    if (error_) std::rethrow_exception(error_);
    return std::move(result_);
}

core::IncidentStore::Fetch fetch_from(const std::string& workspace) {
    // One connection for every read back, opened at the first (on the thread that reads:
    // the window's), holding no lock between reads so that saving is never kept waiting.
    auto reader = std::make_shared<std::unique_ptr<geo::IncidentReader>>();
    return [workspace, reader](std::int64_t fid) {
        std::optional<core::Incident> inc;
        if (!*reader)
            if (auto r = geo::IncidentReader::open(workspace, false))
                *reader = std::make_unique<geo::IncidentReader>(std::move(*r));
        if (*reader) {
            inc = (*reader)->read(fid);
        } else {
            for (auto& i : geo::Workspace::open(workspace, false).read_incidents())
                if (i.fid == fid) inc = std::move(i);
        }
        if (!inc) throw core::IoError(workspace, "incident fid " + std::to_string(fid) + " is no longer stored");
        return *inc;
    };
}

std::vector<std::int64_t> find_in_notes(const std::string& workspace, const std::string& text) {
    if (auto reader = reader_for(workspace)) return reader->fids_containing("notes", text);
    std::vector<std::int64_t> out;  // OGR: the slow way, for files the SQLite path does not fit
    for (const auto& inc : geo::Workspace::open(workspace, false).read_incidents()) {
        std::string notes = inc.notes, needle = text;
        for (std::string* s : {&notes, &needle})
            for (char& c : *s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        if (notes.find(needle) != std::string::npos) out.push_back(inc.fid);
    }
    return out;
}

bool event_id_stored(const std::string& workspace, const std::string& event_id) {
    if (auto reader = reader_for(workspace)) return reader->has_value("event_id_cnty", event_id);
    for (const auto& inc : geo::Workspace::open(workspace, false).read_incidents())
        if (inc.event_id_cnty == event_id) return true;
    return false;
}

std::size_t save_edits(const std::string& workspace, core::IncidentStore& store) {
    const std::vector<std::uint32_t> rows = store.unsaved();
    if (rows.empty()) return 0;
    std::vector<std::int64_t> gone;   // stored rows removed or changed: deleted
    std::vector<core::Incident> put;  // changed and new rows: inserted (new fids)
    std::vector<std::uint32_t> put_rows;
    for (const std::uint32_t i : rows) {
        if (store.fid(i) > 0) gone.push_back(store.fid(i));
        if (!store.removed(i)) {
            put.push_back(store.row(i));
            put_rows.push_back(i);
        }
    }
    {
        geo::IncidentBulkWriter writer(workspace);  // one transaction; rolled back on throw
        writer.remove(gone);
        writer.add(put);
        writer.finish();
        writer.commit();
    }
    // Only after the commit: a failed save leaves the store's idea of the file unchanged.
    for (std::size_t k = 0; k < put.size(); ++k) store.mark_saved(put_rows[k], put[k].fid);
    for (const std::uint32_t i : rows)
        if (store.removed(i)) store.mark_saved(i, 0);
    return rows.size();
}

long long write_rows_geojson(const std::string& workspace, const core::IncidentStore& store,
                             const std::vector<std::uint32_t>& rows, std::ostream& out) {
    core::BBox bbox;
    std::vector<std::int64_t> stored;
    std::vector<std::uint32_t> edited;
    for (const std::uint32_t i : rows) {
        bbox.add(store.marks()[i].lon, store.marks()[i].lat);
        if (store.edited(i)) edited.push_back(i);
        else stored.push_back(store.fid(i));
    }
    std::sort(stored.begin(), stored.end());
    std::optional<geo::IncidentReader> reader = reader_for(workspace);
    if (!reader && !stored.empty()) throw core::IoError(workspace, "cannot read the incidents back for the export");
    std::optional<geo::IncidentReader::Scan> scan;
    if (reader) scan.emplace(reader->scan(&stored));
    std::size_t next_edited = 0;
    return geo::write_incidents_geojson(
        bbox,
        [&](core::Incident& inc) {
            if (scan && scan->next(inc)) return true;
            if (next_edited == edited.size()) return false;
            inc = *store.edited(edited[next_edited++]);
            return true;
        },
        6, out);
}

}  // namespace limes::app
