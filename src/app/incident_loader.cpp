#include "app/incident_loader.hpp"

#include <algorithm>
#include <atomic>
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
        geo::IncidentTable& table = workspace_.incidents();
        // Two halves of the fid range read at once (IncidentTable::scan_parts: a GeoPackage's
        // two read transactions, a database's two server processes in one snapshot), each
        // into a store and positions of its own on its own thread with its own projector (a
        // PROJ context is not shared between threads); the second half is appended to the
        // first at the end. Part 0 is reserved for the whole table: rows are written into
        // pages as they come, so the reserve costs no memory, and the merge no regrowth.
        const std::size_t total = table.count_hint();
        // What a thread writes at every row (its columns' and positions' ends, its count) lies
        // on cache lines of its own: two threads writing one line pass it between their cores
        // at every write. So each part counts its rows itself and adds them to the shared
        // count once every kReport rows (an atomic shared per row is that same line).
        constexpr std::size_t kReport = 16384;
        struct alignas(core::kCacheLine) Part {
            explicit Part(const std::string& crs) : projector(crs) {}
            core::IncidentStore store;
            std::vector<map::Vec2> positions;
            geo::Projector projector;
            std::size_t unreported = 0;  // rows read since the last addition to n
        };
        Part parts[2] = {Part(crs_), Part(crs_)};
        parts[0].store.reserve(total);
        core::reserve_big(parts[0].positions, total);
        parts[1].store.reserve(total / 2 + 1);
        core::reserve_big(parts[1].positions, total / 2 + 1);
        std::atomic<std::size_t> n{0};
        geo::IncidentQuery query;
        query.columns = core::IncidentStore::columns();
        const unsigned used = table.scan_parts(
            query, 0,
            [&](unsigned p, const core::Incident& inc) {
                Part& part = parts[p];
                part.store.add_stored(inc);
                part.positions.push_back(
                    map::local_position(part.projector, origin_x_, origin_y_, inc.lon, inc.lat));
                if (++part.unreported == kReport) {
                    part.unreported = 0;
                    const std::size_t done =
                        n.fetch_add(kReport, std::memory_order_relaxed) + kReport;
                    if (stop_) throw Cancelled{};
                    // Only ever up: the two threads' counts reach here in either order.
                    const double f = total > 0 ? std::min(0.99, static_cast<double>(done) /
                                                                    static_cast<double>(total))
                                               : 0.0;
                    double now = fraction_.load();
                    while (f > now && !fraction_.compare_exchange_weak(now, f)) {
                    }
                }
            },
            [&] {  // a commit between the halves: the whole table again, as part 0
                for (Part& part : parts) {
                    part.store = core::IncidentStore{};
                    part.positions.clear();
                    part.unreported = 0;
                }
                n = 0;
            });
        if (used == 2) {
            parts[0].store.append_stored(std::move(parts[1].store));
            parts[0].positions.insert(parts[0].positions.end(), parts[1].positions.begin(),
                                      parts[1].positions.end());
            std::vector<map::Vec2>().swap(parts[1].positions);
        }
        result_.store = std::move(parts[0].store);
        result_.positions = std::move(parts[0].positions);
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
