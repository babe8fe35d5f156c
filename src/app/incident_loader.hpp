#pragma once
// The window's incidents: read from the workspace into columns (core::IncidentStore) on a
// thread of their own, so the window keeps drawing, with progress, while a million rows load;
// and the reads that the columns send back to the workspace file later (one whole row, a
// search of the notes, whether an event id is taken), and saving the edits.
#include <atomic>
#include <cstdint>
#include <exception>
#include <ostream>
#include <string>
#include <thread>
#include <vector>

#include "core/incident_store.hpp"
#include "map/draw_list.hpp"

namespace limes::app {

struct LoadedIncidents {
    core::IncidentStore store;
    /** Map position of each row: map CRS units relative to the scene's origin (as
     *  map::Scene::local), NaN where the CRS cannot show the point. */
    std::vector<map::Vec2> positions;
    double seconds = 0.0;  ///< wall time of the load
};

class IncidentLoader {
public:
    /** Starts reading the incidents of the workspace file; positions in crs (PROJ string or
     *  EPSG code) minus origin_x/origin_y. */
    IncidentLoader(std::string workspace, std::string crs, double origin_x, double origin_y);
    /** Asks the thread to stop early and waits for it. */
    ~IncidentLoader();
    IncidentLoader(const IncidentLoader&) = delete;
    IncidentLoader& operator=(const IncidentLoader&) = delete;

    /** Share of the rows read so far, 0..1 (an estimate from the stored feature count). */
    double fraction() const { return fraction_.load(); }
    bool done() const { return done_.load(); }
    /** Waits for the thread, then gives the result or throws what the reading threw (an
     *  IoError naming the file). Once. */
    LoadedIncidents take();

private:
    void run();

    std::string workspace_, crs_;
    double origin_x_, origin_y_;
    std::atomic<double> fraction_{0.0};
    std::atomic<bool> done_{false}, stop_{false};
    LoadedIncidents result_;
    std::exception_ptr error_;
    std::thread thread_;  // last: starts once the members above exist
};

/** How an IncidentStore reads back a stored row: from the workspace file, one indexed lookup. */
core::IncidentStore::Fetch fetch_from(const std::string& workspace);

/** Fids (ascending) of stored incidents whose notes contain text (ASCII case ignored). */
std::vector<std::int64_t> find_in_notes(const std::string& workspace, const std::string& text);

/** Whether a stored incident has this event_id_cnty. */
bool event_id_stored(const std::string& workspace, const std::string& event_id);

/** Writes the store's unsaved rows to the workspace in one transaction: removed rows are
 *  deleted, changed ones replaced (under a new fid), new ones appended; then marks them saved.
 *  Returns how many rows were written or deleted. A failure leaves the file as it was. */
std::size_t save_edits(const std::string& workspace, core::IncidentStore& store);

/** RFC 7946 GeoJSON of the store's rows (indices): the rows as stored read back from the
 *  workspace in one pass (fid order), then the rows edited here from memory. Returns the
 *  number of features written. */
long long write_rows_geojson(const std::string& workspace, const core::IncidentStore& store,
                             const std::vector<std::uint32_t>& rows, std::ostream& out);

}  // namespace limes::app
