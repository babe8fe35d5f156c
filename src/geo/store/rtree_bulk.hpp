#pragma once
// Bulk loading of an SQLite R-tree (the GeoPackage spatial index, `rtree_<table>_<geometry>`):
// inserting a million entries one by one through the virtual table costs ~15 µs each (every
// insert rewrites its leaf and the leaf's ancestors); packing the tree in memory and writing
// its three shadow tables directly costs well under 1 µs an entry. The format written is
// SQLite's own (ext/rtree/rtree.c, "Database Format of R-Tree Tables"):
//
//   <name>_node(nodeno, data)      node 1 is the root; data is node-size bytes:
//                                  [depth u16 BE, root only][cell count u16 BE]
//                                  cells of [id i64 BE][minx maxx miny maxy: float32 BE]
//   <name>_rowid(rowid, nodeno)    entry id -> the leaf that holds it
//   <name>_parent(nodeno, parentnode)  every node but the root -> its parent
//
// Coordinates are rounded outwards to float32 exactly as the virtual table rounds them, so a
// bulk-loaded tree answers every query as one filled row by row does. PRAGMA integrity_check
// and rtreecheck() accept it.
#include <cstdint>
#include <string>
#include <vector>

#include "geo/store/sqlite_db.hpp"

namespace limes::geo {

/** One R-tree entry: a row id and its bounding box (degrees for the workspace). */
struct RtreeEntry {
    std::int64_t id;
    double min_x, max_x, min_y, max_y;
};

/** Replaces whatever the 2-D R-tree `name` held by entries, packed Sort-Tile-Recursive. The
 *  caller's transaction covers it; this connection must not have used the R-tree virtual table
 *  itself before in that transaction (its node cache would go stale). Throws IoError. */
void rtree_bulk_load(SqliteDb& db, const std::string& name, std::vector<RtreeEntry> entries);

/** Number of entries in the R-tree `name`, counted in its _rowid shadow table (this does not
 *  open the virtual table). */
std::int64_t rtree_entry_count(SqliteDb& db, const std::string& name);

}  // namespace limes::geo
