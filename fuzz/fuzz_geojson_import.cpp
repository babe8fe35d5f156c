// Fuzz target geojson_import: `limes import WS in.geojson` in-process. The bytes are written to
// a GeoJSON file in the scratch folder and geo::import_file reads them through OGR into a
// workspace that does not exist yet (created only when a feature is valid), as incidents or
// claims by the geometry, the way the command does. The workspace is removed after each
// input. Expected answers: an ImportReport, or core::Error (usage, bad data, I/O). Any other
// exception, a crash or a sanitizer report is a finding. GDAL stays off the network
// (fuzz::init_gdal_offline), so a URL inside the input is never fetched.
#include <cstdint>
#include <string>

#include "core/error.hpp"
#include "fuzz_support.hpp"
#include "geo/ops/importer.hpp"

extern "C" int LLVMFuzzerInitialize(int*, char***) {
    limes::fuzz::init_gdal_offline();
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace limes;
    const std::string dir = fuzz::scratch_dir();
    const std::string input = fuzz::write_scratch("in.geojson", data, size);
    try {
        geo::ImportOptions options;  // format auto: a .geojson goes through OGR
        geo::import_file(dir + "/ws.gpkg", input, options);
    } catch (const core::Error&) {
        // exit code 2, 3 or 4 with a message naming the file
    }
    fuzz::clear_dir(dir);
    return 0;
}
