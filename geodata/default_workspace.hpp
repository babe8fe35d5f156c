#pragma once
// Builds the default workspace (caucasus.gpkg) from Natural Earth 10m as Debian's qgis-common
// ships it (world_map.gpkg) and the project's own files under geodata/. See geodata/README.md
// for every layer's source and licence.
#include <ostream>
#include <string>

#include "core/geometry.hpp"

namespace limes::geo {

/** The clip box of the default workspace: lon 43..51 E, lat 38..42.5 N (WGS84 degrees). */
core::BBox default_clip_box();

/** Writes out_path (atomically: a temporary file renamed into place). log gets one line per
 *  layer with its feature count, and the NKAO polygon's checks. Throws on any failure. */
void build_default_workspace(const std::string& world_map, const std::string& geodata_dir,
                             const std::string& out_path, std::ostream& log);

}  // namespace limes::geo
