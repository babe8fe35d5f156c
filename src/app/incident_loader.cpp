#include "app/incident_loader.hpp"

#include <algorithm>
#include <cctype>
#include <chrono>
#include <memory>

#include "core/error.hpp"
#include "core/huge_pages.hpp"
#include "geo/geometry/projection.hpp"
#include "map/scene.hpp"

namespace limes::app {
namespace {

struct Cancelled {};

}  // namespace

IncidentLoader::IncidentLoader(geo::Workspace& workspace, std::string crs, double origin_x,
                               double origin_y)
    : workspace_(workspace),
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
        geo::IncidentTable& table = workspace_.incidents();
        core::IncidentStore store;
        std::vector<map::Vec2> positions;
        std::size_t total = 0, n = 0;
        auto add = [&](const core::Incident& inc) {
            store.add_stored(inc);
            positions.push_back(map::local_position(proj, origin_x_, origin_y_, inc.lon, inc.lat));
            if (++n % 16384 == 0) {
                if (stop_) throw Cancelled{};
                if (total > 0)
                    fraction_ = std::min(0.99, static_cast<double>(n) / static_cast<double>(total));
            }
        };
        total = table.count_hint();
        store.reserve(total);
        core::reserve_big(positions, total);
        geo::IncidentQuery query;
        query.columns = core::IncidentStore::columns();
        table.for_each(query, add);
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

}  // namespace limes::app
