// Fuzz target filter_parse: the text that the shared filters and the CSV dates take from the
// user or a file. The first byte picks the parser, the rest is its text:
//   0 core::parse_date           (an ACLED/UCDP date field)
//   1 core::parse_bbox           (--bbox W,S,E,N)
//   2 core::parse_date_option    (--from / --to)
//   3 core::parse_event_type_option (--type)
//   4 a --from/--to pair through check_range, then Filter::accepts on a fixed incident
// Only core::UsageError is an expected answer. A date that parses must lie on a real day,
// print as ISO 8601 and parse back to itself; a bbox must be finite, in degrees and not
// inverted.
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "core/date.hpp"
#include "core/error.hpp"
#include "core/filter.hpp"
#include "core/incident.hpp"

namespace {

using namespace limes;

[[noreturn]] void broken(const char* promise, std::string_view text) {
    std::fprintf(stderr, "filter_parse: '%.*s' breaks the promise: %s\n",
                 static_cast<int>(text.size()), text.data(), promise);
    std::abort();
}

void check_date(core::Date d, std::string_view text) {
    int y = 0, m = 0, day = 0;
    d.to_ymd(y, m, day);
    if (!core::is_valid_ymd(y, m, day)) broken("a parsed date is a real day", text);
    if (core::Date::from_ymd(y, m, day) != d) broken("from_ymd(to_ymd(d)) == d", text);
    const auto again = core::parse_date(d.iso());
    if (!again || *again != d) broken("iso() parses back to the same day", text);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0) return 0;
    const std::string_view text(reinterpret_cast<const char*>(data) + 1, size - 1);
    try {
        switch (data[0] % 5) {
            case 0:
                if (const auto d = core::parse_date(text)) check_date(*d, text);
                break;
            case 1: {
                const core::BBox b = core::parse_bbox(text);
                if (!std::isfinite(b.west) || !std::isfinite(b.south) || !std::isfinite(b.east) ||
                    !std::isfinite(b.north) || b.west >= b.east || b.south >= b.north ||
                    b.west < -180 || b.east > 180 || b.south < -90 || b.north > 90)
                    broken("a bbox is finite, in degrees and not inverted", text);
                break;
            }
            case 2: check_date(core::parse_date_option("--from", text), text); break;
            case 3: {
                const std::string t = core::parse_event_type_option(text);
                if (core::canonical_event_type(t) != t)
                    broken("--type gives a canonical type", text);
                break;
            }
            case 4: {
                const auto comma = text.find(',');
                core::Filter f;
                f.from = core::parse_date_option("--from", text.substr(0, comma));
                if (comma != std::string_view::npos)
                    f.to = core::parse_date_option("--to", text.substr(comma + 1));
                core::check_range(f);
                core::Incident inc;
                inc.event_date = *f.from;
                if (!f.accepts(inc)) broken("a range accepts its first day", text);
                break;
            }
        }
    } catch (const core::UsageError&) {
        // a clear usage message, exit code 2
    }
    return 0;
}
