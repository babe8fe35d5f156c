// Fuzz target claims_import: `limes import WS in.geojson --layer claims` in-process. The bytes
// are written to in.geojson in the scratch folder and geo::import_file reads them as claims
// (ImportOptions::layer "claims": whatever the geometry, every feature goes the claim path of
// geo/ops/import_ogr.cpp: text checks, claimant, kind, dates, accuracy, the polygon checked and
// repaired with GEOS) into a workspace that does not exist yet. When claims landed, the
// workspace is opened again and Workspace::read_claims() reads them back:
//   - there are as many as the report says were imported, and each keeps the import's
//     promises: a claimant, a canonical kind (or none), a status, valid_from not after
//     valid_to, a known date precision, an accuracy >= 0, text that is UTF-8 without NUL, and
//     an area of closed rings of at least 4 finite vertices within -180..180 / -90..90;
//   - each is the claim the importer read (geo::read_ogr on the same file), field by field and
//     vertex by vertex: what lands is what was read.
// Expected answers: an ImportReport, or core::Error (usage, bad data, I/O) from the import.
// Any other exception, an error reading back claims limes wrote, a crash, a sanitizer report
// or a broken promise is a finding. GDAL stays off the network (fuzz::init_gdal_offline).
// The workspace is removed after each input.
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "core/claim.hpp"
#include "core/error.hpp"
#include "core/incident_rows.hpp"
#include "fuzz_support.hpp"
#include "geo/ops/import_ogr.hpp"
#include "geo/ops/importer.hpp"
#include "geo/store/workspace.hpp"

namespace {

using namespace limes;

[[noreturn]] void broken(std::size_t i, const char* promise) {
    std::fprintf(stderr, "claims_import: claim %zu breaks the promise: %s\n", i, promise);
    std::abort();
}

void check_claim(const core::Claim& c, std::size_t i) {
    if (c.claimant.empty()) broken(i, "a claim names its claimant");
    if (!c.kind.empty() && core::canonical_claim_kind(c.kind) != c.kind)
        broken(i, "kind is canonical or empty");
    if (c.status.empty()) broken(i, "a claim has a status (reported by default)");
    if (c.valid_from && c.valid_to && *c.valid_to < *c.valid_from)
        broken(i, "valid_from is not after valid_to");
    if (!core::canonical_date_precision(c.valid_from_precision) ||
        *core::canonical_date_precision(c.valid_from_precision) != c.valid_from_precision)
        broken(i, "valid_from_precision is '', month or year");
    if (c.accuracy_m && !(std::isfinite(*c.accuracy_m) && *c.accuracy_m >= 0))
        broken(i, "accuracy_m is a finite distance >= 0");
    for (const std::string* s :
         {&c.claim_id, &c.name, &c.kind, &c.claimant, &c.holder, &c.sovereign, &c.status,
          &c.source, &c.source_url, &c.notes, &c.geometry_source})
        if (!core::is_valid_utf8(*s) || s->find('\0') != std::string::npos ||
            s->size() > core::kMaxTextBytes)
            broken(i, "text is UTF-8, without NUL, at most 1 MiB");
    if (c.area.empty()) broken(i, "a claim has an area");
    for (const core::Polygon& poly : c.area) {
        if (poly.empty()) broken(i, "every polygon has an exterior ring");
        for (const core::Ring& ring : poly) {
            if (ring.size() < 4) broken(i, "rings have at least 4 vertices");
            if (ring.front().lon != ring.back().lon || ring.front().lat != ring.back().lat)
                broken(i, "rings are closed");
            for (const core::LonLat& p : ring)
                if (!std::isfinite(p.lon) || !std::isfinite(p.lat) || p.lon < -180 ||
                    p.lon > 180 || p.lat < -90 || p.lat > 90)
                    broken(i, "vertices are finite, within -180..180 / -90..90");
        }
    }
}

bool same_area(const core::MultiPolygon& a, const core::MultiPolygon& b) {
    if (a.size() != b.size()) return false;
    for (std::size_t p = 0; p < a.size(); ++p) {
        if (a[p].size() != b[p].size()) return false;
        for (std::size_t r = 0; r < a[p].size(); ++r) {
            if (a[p][r].size() != b[p][r].size()) return false;
            for (std::size_t k = 0; k < a[p][r].size(); ++k)
                if (a[p][r][k].lon != b[p][r][k].lon || a[p][r][k].lat != b[p][r][k].lat)
                    return false;
        }
    }
    return true;
}

void check_same(const core::Claim& read, const core::Claim& stored, std::size_t i) {
    auto differ = [&](const char* what) {
        std::fprintf(stderr, "claims_import: claim %zu read back differs in %s\n", i, what);
        std::abort();
    };
    if (read.claim_id != stored.claim_id) differ("claim_id");
    if (read.name != stored.name) differ("name");
    if (read.kind != stored.kind) differ("kind");
    if (read.claimant != stored.claimant) differ("claimant");
    if (read.holder != stored.holder) differ("holder");
    if (read.sovereign != stored.sovereign) differ("sovereign");
    if (read.status != stored.status) differ("status");
    if (read.source != stored.source) differ("source");
    if (read.source_url != stored.source_url) differ("source_url");
    if (read.notes != stored.notes) differ("notes");
    if (read.geometry_source != stored.geometry_source) differ("geometry_source");
    if (read.valid_from_precision != stored.valid_from_precision) differ("valid_from_precision");
    if (read.valid_from != stored.valid_from) differ("valid_from");
    if (read.valid_to != stored.valid_to) differ("valid_to");
    if (read.accuracy_m != stored.accuracy_m) differ("accuracy_m");
    if (!same_area(read.area, stored.area)) differ("area");
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
    limes::fuzz::init_gdal_offline();
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string dir = fuzz::scratch_dir();
    const std::string input = fuzz::write_scratch("in.geojson", data, size);
    const std::string ws_path = dir + "/ws.gpkg";
    geo::ImportOptions options;
    options.layer = geo::kClaims;
    geo::ImportReport report;
    bool imported = false;
    try {
        report = geo::import_file(ws_path, input, options);
        imported = report.imported > 0;
    } catch (const core::Error&) {
        // exit code 2, 3 or 4 with a message naming the file
    }
    if (imported) {
        std::vector<core::Claim> stored;
        geo::Parsed parsed;
        try {
            stored = geo::Workspace::open(ws_path).read_claims();
            geo::ImportReport again;
            again.target_layer = options.layer;  // as import_file sets it before read_ogr
            GDALDatasetUniquePtr source;
            geo::read_ogr(input, options, again, parsed, source);
        } catch (const core::Error& e) {
            std::fprintf(stderr, "claims_import: %s\n", e.what());
            broken(0, "the claims an import wrote read back, and the file reads again");
        }
        if (stored.size() != static_cast<std::size_t>(report.imported) ||
            parsed.claims.size() != stored.size())
            broken(stored.size(), "as many claims read back as were imported");
        for (std::size_t i = 0; i < stored.size(); ++i) {
            check_claim(stored[i], i);
            check_same(parsed.claims[i], stored[i], i);
        }
    }
    fuzz::clear_dir(dir);
    return 0;
}
