#include "geo/store/gpkg_blob.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>

namespace limes::geo {
namespace {

// ---------------------------------------------------------------------------------------------
// [SECTION] Byte order helpers (GeoPackage headers and WKB carry their own byte order)
// ---------------------------------------------------------------------------------------------

template <class T>
T load(const unsigned char* p, bool little) {
    unsigned char b[sizeof(T)];
    std::memcpy(b, p, sizeof(T));
    const bool host_little = [] {
        const std::uint16_t one = 1;
        unsigned char c;
        std::memcpy(&c, &one, 1);
        return c == 1;
    }();
    if (little != host_little) std::reverse(b, b + sizeof(T));
    T v;
    std::memcpy(&v, b, sizeof(T));
    return v;
}

template <class T>
void store_le(unsigned char* p, T v) {
    unsigned char b[sizeof(T)];
    std::memcpy(b, &v, sizeof(T));
    const std::uint16_t one = 1;
    unsigned char c;
    std::memcpy(&c, &one, 1);
    if (c != 1) std::reverse(b, b + sizeof(T));
    std::memcpy(p, b, sizeof(T));
}

}  // namespace

std::optional<core::Date> parse_stored_date(std::string_view s) {
    if (s.size() == 10 && s[4] == '-' && s[7] == '-') {
        int v[3] = {0, 0, 0};
        const std::size_t starts[3] = {0, 5, 8}, lengths[3] = {4, 2, 2};
        bool ok = true;
        for (int k = 0; k < 3 && ok; ++k)
            for (std::size_t i = starts[k]; i < starts[k] + lengths[k]; ++i) {
                if (s[i] < '0' || s[i] > '9') {
                    ok = false;
                    break;
                }
                v[k] = v[k] * 10 + (s[i] - '0');
            }
        if (ok) return core::Date::from_ymd(v[0], v[1], v[2]);
    }
    return core::parse_date(s);
}

// ---------------------------------------------------------------------------------------------
// [SECTION] GeoPackage point blobs
// ---------------------------------------------------------------------------------------------

void write_gpkg_point(unsigned char* out, double x, double y, std::int32_t srs_id) {
    out[0] = 'G';
    out[1] = 'P';
    out[2] = 0;     // version 1 of the blob format is written as 0
    out[3] = 0x01;  // little-endian, no envelope, not empty, standard type
    store_le(out + 4, srs_id);
    out[8] = 0x01;                        // WKB little-endian
    store_le(out + 9, std::uint32_t{1});  // Point
    store_le(out + 13, x);
    store_le(out + 21, y);
}

bool gpkg_blob_is_empty(const unsigned char* blob, std::size_t size) {
    return blob && size >= 8 && blob[0] == 'G' && blob[1] == 'P' && (blob[3] & 0x10);
}

bool read_gpkg_point(const unsigned char* blob, std::size_t size, double& x, double& y) {
    if (!blob || size < 8 || blob[0] != 'G' || blob[1] != 'P') return false;
    const unsigned char flags = blob[3];
    if (flags & 0x10) return false;  // empty geometry
    static constexpr std::size_t kEnvelopeBytes[8] = {0, 32, 48, 48, 64, 0, 0, 0};
    const unsigned envelope = (flags >> 1) & 0x07;
    if (envelope > 4) return false;
    const std::size_t wkb = 8 + kEnvelopeBytes[envelope];
    if (size < wkb + 21) return false;
    const unsigned char order = blob[wkb];
    if (order > 1) return false;
    const bool little = order == 1;
    std::uint32_t type = load<std::uint32_t>(blob + wkb + 1, little);
    type &= 0x0FFFFFFFu;                 // EWKB-style Z/M/SRID bits
    if (type % 1000 != 1) return false;  // ISO Point, Point Z (1001), M (2001), ZM (3001)
    x = load<double>(blob + wkb + 5, little);
    y = load<double>(blob + wkb + 13, little);
    return !(std::isnan(x) && std::isnan(y));  // WKB writes an empty point as NaN, NaN
}

}  // namespace limes::geo
