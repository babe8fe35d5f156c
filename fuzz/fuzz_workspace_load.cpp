// Fuzz target workspace_load: a workspace file from elsewhere, opened the ways limes opens
// one. The bytes are written to ws.gpkg in the scratch folder, then read
//   - through geo::Workspace as every command does (the storage it picks for the file):
//     layer names, `limes info`'s summary, every incident, the points alone, one row by fid, a
//     notes search, an event-id lookup, a split scan, every claim, the saved views;
//   - the same file through GDAL's driver (Workspace::Options::through_gdal);
//   - through the window's loader, app::IncidentLoader (its own thread, projected points).
// Expected answers: data or core::Error. Any other exception, a crash or a sanitizer report
// is a finding.
#include <cstdint>
#include <string>

#include "app/incident_loader.hpp"
#include "core/error.hpp"
#include "fuzz_support.hpp"
#include "geo/geometry/projection.hpp"
#include "geo/store/views.hpp"
#include "geo/store/workspace.hpp"

extern "C" int LLVMFuzzerInitialize(int*, char***) {
    limes::fuzz::init_gdal_offline();
    return 0;
}

namespace {

void read_everything(limes::geo::Workspace& ws) {
    using namespace limes;
    ws.layer_names();
    ws.summarize();
    geo::IncidentTable& table = ws.incidents();
    table.count_hint();
    const auto all = ws.read_incidents();
    geo::IncidentQuery points;
    points.columns = core::IncidentColumns();
    std::int64_t last = 0;
    table.for_each(points, [&](const core::Incident& inc) { last = inc.fid; });
    table.read(last);
    table.read(all.empty() ? 1 : all.front().fid);
    table.find("notes", "shell", geo::TextMatch::Contains);
    table.find("event_id_cnty", "ARM1", geo::TextMatch::Equals);
    table.scan_parts(
        points, 2, [](unsigned, const core::Incident&) {}, [] {});
    ws.read_claims();
    for (const auto& name : geo::view_names(ws)) geo::load_view(ws, name);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace limes;
    const std::string dir = fuzz::scratch_dir();
    const std::string path = fuzz::write_scratch("ws.gpkg", data, size);
    for (const bool through_gdal : {false, true}) {
        try {
            geo::Workspace ws = geo::Workspace::open(path, geo::Workspace::Options{through_gdal});
            read_everything(ws);
        } catch (const core::Error&) {
        }
    }
    try {
        geo::Workspace ws = geo::Workspace::open(path);
        app::IncidentLoader loader(ws, geo::kDefaultMapCrs, 0.0, 0.0);
        loader.take();
    } catch (const core::Error&) {
    }
    fuzz::clear_dir(dir);
    return 0;
}
