// Fuzz target kml_gpx_import: `limes import WS in.kml` and `limes import WS in.gpx` in-process,
// through GDAL's LIBKML / KML and GPX drivers. The first byte of the input chooses how, the rest
// is the file:
//   bit 0      0: in.kml, 1: in.gpx
//   bits 1-3   --source-layer: none, or (GPX) waypoints, routes, tracks, route_points,
//              track_points; (KML) a folder called incidents or claims
//   bits 4-5   --layer: none (the geometry decides), incidents, claims, or a layer of its own
//              ("features", the generic path)
// geo::import_file reads the file into a workspace that does not exist yet (created only when
// a feature is valid). When rows landed, the workspace is opened again and the target layer
// read back: as many rows as the report says were imported, and incidents and claims keep
// the import's promises (coordinates finite and within -180..180 / -90..90, a canonical event
// type, fatalities not negative, UTF-8 text without NUL; a claimant and an area).
// Expected answers: an ImportReport, or core::Error (usage, bad data, I/O) from the import.
// Any other exception, an error reading back what limes wrote, a crash, a sanitizer report or
// a broken promise is a finding. GDAL stays off the network (fuzz::init_gdal_offline), so a
// URL inside the input (a KML NetworkLink, an xlink) is never fetched. The scratch folder is
// emptied after each input.
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "core/claim.hpp"
#include "core/columns.hpp"
#include "core/error.hpp"
#include "core/incident.hpp"
#include "core/incident_rows.hpp"
#include "fuzz_support.hpp"
#include "geo/ops/importer.hpp"
#include "geo/store/workspace.hpp"

namespace {

using namespace limes;

[[noreturn]] void broken(const char* promise) {
    std::fprintf(stderr, "kml_gpx_import: breaks the promise: %s\n", promise);
    std::abort();
}

bool in_range(double lon, double lat) {
    return std::isfinite(lon) && std::isfinite(lat) && lon >= -180 && lon <= 180 && lat >= -90 &&
           lat <= 90;
}

void check_incident(const core::Incident& inc) {
    if (!in_range(inc.lon, inc.lat)) broken("incident: longitude -180..180, latitude -90..90");
    if (core::canonical_event_type(inc.event_type) != inc.event_type)
        broken("incident: event_type is one of ACLED's six");
    for (const auto* n : {&inc.fatalities, &inc.fatalities_low, &inc.fatalities_high})
        if (*n && **n < 0) broken("incident: fatalities are not negative");
    for (const auto& c : core::incident_columns()) {
        if (!c.text) continue;
        const std::string& s = inc.*(c.text);
        if (!core::is_valid_utf8(s) || s.find('\0') != std::string::npos ||
            s.size() > core::kMaxTextBytes)
            broken("incident: text is UTF-8, without NUL, at most 1 MiB");
    }
}

void check_claim(const core::Claim& c) {
    if (c.claimant.empty()) broken("claim: a claimant");
    if (c.area.empty()) broken("claim: an area");
    for (const auto& poly : c.area)
        for (const auto& ring : poly) {
            if (ring.size() < 4) broken("claim: rings of at least 4 vertices");
            for (const auto& p : ring)
                if (!in_range(p.lon, p.lat)) broken("claim: vertices within -180..180 / -90..90");
        }
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
    limes::fuzz::init_gdal_offline();
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0) return 0;
    static const char* const kGpxLayers[] = {"",       "waypoints",    "routes", "tracks",
                                             "route_points", "track_points", "",       ""};
    static const char* const kKmlLayers[] = {"", "", "", "", "incidents", "claims", "", ""};
    static const char* const kTargets[] = {"", geo::kIncidents, geo::kClaims, "features"};
    const unsigned choice = data[0];
    const bool gpx = choice & 1;
    geo::ImportOptions options;  // format auto: .kml and .gpx go through OGR
    options.source_layer = (gpx ? kGpxLayers : kKmlLayers)[(choice >> 1) & 7];
    options.layer = kTargets[(choice >> 4) & 3];

    const std::string dir = fuzz::scratch_dir();
    const std::string input = fuzz::write_scratch(gpx ? "in.gpx" : "in.kml", data + 1, size - 1);
    const std::string ws_path = dir + "/ws.gpkg";
    geo::ImportReport report;
    bool imported = false;
    try {
        report = geo::import_file(ws_path, input, options);
        imported = report.imported > 0;
    } catch (const core::Error&) {
        // exit code 2, 3 or 4 with a message naming the file
    }
    if (imported) {
        try {
            geo::Workspace ws = geo::Workspace::open(ws_path);
            long long count = 0;
            if (report.target_layer == geo::kIncidents) {
                const auto incidents = ws.read_incidents();
                for (const auto& inc : incidents) check_incident(inc);
                count = static_cast<long long>(incidents.size());
            } else if (report.target_layer == geo::kClaims) {
                const auto claims = ws.read_claims();
                for (const auto& c : claims) check_claim(c);
                count = static_cast<long long>(claims.size());
            } else {
                ws.for_each_feature(report.target_layer, [&](const OGRFeature&) { ++count; });
            }
            if (count != report.imported) broken("as many rows read back as were imported");
        } catch (const core::Error& e) {
            std::fprintf(stderr, "kml_gpx_import: %s\n", e.what());
            broken("what an import wrote reads back");
        }
    }
    fuzz::clear_dir(dir);
    return 0;
}
