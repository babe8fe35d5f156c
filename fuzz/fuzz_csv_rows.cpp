// Fuzz target csv_rows: an ACLED or UCDP CSV file as `limes import` reads it, without the
// workspace: core::CsvReader over the bytes, the header through detect_row_format and
// IncidentRowMapper, then every record through map_into, as geo/ops/importer.cpp's CsvRows does.
// Only core::Error (DataError, UsageError) is an expected answer; any other exception, a
// crash or a sanitizer report is a finding. An incident that comes out must also keep the
// promises of the import rules (README.md): coordinates in range, a canonical event type,
// fatalities not negative, text that is UTF-8 without NUL, a date that prints and re-parses.
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "core/csv_reader.hpp"
#include "core/date.hpp"
#include "core/error.hpp"
#include "core/incident.hpp"
#include "core/incident_rows.hpp"

namespace {

using namespace limes;

[[noreturn]] void broken(const char* promise, long row) {
    std::fprintf(stderr, "csv_rows: row %ld breaks the promise: %s\n", row, promise);
    std::abort();
}

void check_incident(const core::Incident& inc, long row) {
    if (!std::isfinite(inc.lon) || !std::isfinite(inc.lat) || inc.lon < -180 || inc.lon > 180 ||
        inc.lat < -90 || inc.lat > 90)
        broken("longitude -180..180, latitude -90..90", row);
    if (core::canonical_event_type(inc.event_type) != inc.event_type)
        broken("event_type is one of ACLED's six", row);
    for (const auto* n : {&inc.fatalities, &inc.fatalities_low, &inc.fatalities_high})
        if (*n && **n < 0) broken("fatalities are not negative", row);
    for (const auto& c : core::incident_columns()) {
        if (!c.text) continue;
        const std::string& s = inc.*(c.text);
        if (!core::is_valid_utf8(s) || s.find('\0') != std::string::npos ||
            s.size() > core::kMaxTextBytes)
            broken("text is UTF-8, without NUL, at most 1 MiB", row);
    }
    const auto again = core::parse_date(inc.event_date.iso());
    if (!again || *again != inc.event_date) broken("event_date prints and parses back", row);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    try {
        core::CsvReader csv(std::string(reinterpret_cast<const char*>(data), size), "fuzz.csv");
        std::vector<std::string_view> fields;
        if (!csv.next(fields)) return 0;
        const std::vector<std::string> header(fields.begin(), fields.end());
        const core::RowFormat format = core::detect_row_format(header, "fuzz.csv");
        const core::IncidentRowMapper mapper(format, header, "fuzz.csv");
        core::Incident incident;
        while (csv.next(fields)) {
            if (fields.size() != header.size()) continue;  // the importer skips these rows
            try {
                mapper.map_into(fields, csv.line(), incident);
                check_incident(incident, csv.line());
            } catch (const core::DataError&) {
                // a bad row: reported and skipped by the importer
            }
        }
    } catch (const core::Error&) {
        // the whole file refused: exit code 2/3 with a message
    }
    return 0;
}
