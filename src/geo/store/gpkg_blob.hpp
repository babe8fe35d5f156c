#pragma once
// The GeoPackage encodings limes reads and writes itself (store/gpkg_incidents.cpp): geometry
// blobs of points, and dates as GDAL stores an OFTDate (written as core::Date::iso).
//
//   GeoPackage geometry blob of a point, as GDAL writes it (29 bytes):
//   'G' 'P' | version 0 | flags 0x01 | srs_id int32 LE | WKB: 0x01 | type 1 uint32 LE | x | y
//             (flags: bit 0 little-endian, bits 1-3 envelope kind 0 = none, bit 4 empty)
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

#include "core/date.hpp"

namespace limes::geo {

/** Size of the blob write_gpkg_point() writes. */
inline constexpr std::size_t kGpkgPointBlobSize = 29;

/** A GeoPackage geometry blob of the point (x = lon, y = lat in degrees for EPSG:4326), no
 *  envelope, little-endian: byte for byte what GDAL 3.6 writes for a point. */
void write_gpkg_point(unsigned char* out, double x, double y, std::int32_t srs_id);

/** True for a GeoPackage blob flagged empty (an empty geometry of any type). */
bool gpkg_blob_is_empty(const unsigned char* blob, std::size_t size);

/** x, y of a GeoPackage point blob (either byte order, any envelope, Z/M variants); false for
 *  other geometry types, empty points and malformed blobs. */
bool read_gpkg_point(const unsigned char* blob, std::size_t size, double& x, double& y);

/** An OGR DATE field's text as OGR reads it: "YYYY-MM-DD" (the fast case), or any form
 *  core::parse_date knows (e.g. with a time of day); nullopt for text OGR would not take as a
 *  date. */
std::optional<core::Date> parse_stored_date(std::string_view text);

}  // namespace limes::geo
