// Fuzz target workspace_load: a workspace file from elsewhere, opened the ways limes opens
// one. The bytes are written to ws.gpkg in the scratch folder, then read
//   - through the fast SQLite path, geo::IncidentReader: every incident, the points alone,
//     one row by fid, a notes search (what stats, render and the window's table use);
//   - through OGR, geo::Workspace: layer names, `limes info`'s summary, every incident and
//     claim, the saved views;
//   - through the window's loader, app::IncidentLoader (its own thread, projected points).
// Expected answers: data, an empty optional from IncidentReader::open (not a limes
// workspace), or core::Error. Any other exception, a crash or a sanitizer report is a finding.
#include <cstdint>
#include <string>

#include "app/incident_loader.hpp"
#include "core/error.hpp"
#include "fuzz_support.hpp"
#include "geo/store/gpkg_fast.hpp"
#include "geo/geometry/projection.hpp"
#include "geo/store/views.hpp"
#include "geo/store/workspace.hpp"

extern "C" int LLVMFuzzerInitialize(int*, char***) {
    limes::fuzz::init_gdal_offline();
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace limes;
    const std::string dir = fuzz::scratch_dir();
    const std::string path = fuzz::write_scratch("ws.gpkg", data, size);
    try {
        if (auto reader = geo::IncidentReader::open(path)) {
            reader->count_hint();
            const auto all = reader->read_all();
            std::int64_t last = 0;
            reader->for_each_point([&](std::int64_t fid, double, double) { last = fid; });
            reader->read(last);
            reader->read(all.empty() ? 1 : all.front().fid);
            reader->fids_containing("notes", "shell");
            reader->has_value("event_id_cnty", "ARM1");
        }
    } catch (const core::Error&) {
    }
    try {
        const geo::Workspace ws = geo::Workspace::open(path, false);
        ws.layer_names();
        ws.summarize();
        if (ws.layer(geo::kIncidents)) ws.read_incidents();
        if (ws.layer(geo::kClaims)) ws.read_claims();
        for (const auto& name : geo::view_names(ws)) geo::load_view(ws, name);
    } catch (const core::Error&) {
    }
    try {
        app::IncidentLoader loader(path, geo::kDefaultMapCrs, 0.0, 0.0);
        loader.take();
    } catch (const core::Error&) {
    }
    fuzz::clear_dir(dir);
    return 0;
}
