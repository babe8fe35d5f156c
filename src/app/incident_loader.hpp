#pragma once
// The window's incidents: read from the workspace into columns (core::IncidentStore) on a
// thread of their own, so the window keeps drawing, with progress, while a million rows load.
// Only the columns the store keeps are read (core::IncidentStore::columns()); the rest of a
// row is read back when someone looks at it (geo/store/edits.hpp).
#include <atomic>
#include <cstdint>
#include <exception>
#include <memory>
#include <ostream>
#include <string>
#include <thread>
#include <vector>

#include "core/incident_store.hpp"
#include "geo/store/workspace.hpp"
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
    /** Starts reading the incidents of the workspace; positions in crs (PROJ string or EPSG
     *  code) minus origin_x/origin_y. The workspace must outlive the loader. */
    IncidentLoader(geo::Workspace& workspace, std::string crs, double origin_x, double origin_y);
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

    geo::Workspace& workspace_;
    std::string crs_;
    double origin_x_, origin_y_;
    std::atomic<double> fraction_{0.0};
    std::atomic<bool> done_{false}, stop_{false};
    LoadedIncidents result_;
    std::exception_ptr error_;
    std::thread thread_;  // last: starts once the members above exist
};

}  // namespace limes::app
