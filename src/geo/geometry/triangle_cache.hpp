#pragma once
// A cache on disk of triangulated fills. GEOS's constrained Delaunay triangulation of the
// default basemap's countries, provinces and lakes is ~1.4 s of CPU (half of a small
// `limes render`, most of the window's start before its first map), and the same every time
// for the same coordinates in the same CRS. So a layer's triangles are kept in one file named
// by a 64-bit FNV-1a hash (core::fnv1a) of every input coordinate (bit for bit), the ring
// structure, the GEOS version, kTriangulationVersion and this file format: a changed layer,
// CRS, GEOS or triangulation is another name, never a stale answer. A file that is missing,
// short or otherwise unreadable is computed again and written anew; nothing the cache does
// fails the command (it is only ever time saved). Written to a temporary name and renamed,
// so a reader never sees half a file while another process writes it. At most
// kTriangleCacheFiles files are kept (the oldest go).
#include <cstddef>
#include <string>
#include <vector>

#include "geo/geometry/triangulate.hpp"

namespace limes::geo {

constexpr std::size_t kTriangleCacheFiles = 8;  // ~12 MB each for the default basemap

/** The folder of the process's triangle cache (app: $XDG_CACHE_HOME/limes/triangles or
 *  ~/.cache/limes/triangles); empty (the default): no cache, every call triangulates. */
void set_triangle_cache_dir(std::string dir);
std::string triangle_cache_dir();

/** triangulate() of each multipolygon (empty ones give empty Triangles), through the cache
 *  when one is set. */
std::vector<Triangles> triangulate_all(const std::vector<core::XYMultiPolygon>& polygons);

/** The cache file triangulate_all reads and writes for these polygons (in the cache folder). */
std::string triangle_cache_file(const std::vector<core::XYMultiPolygon>& polygons);

}  // namespace limes::geo
