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
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "geo/store/sqlite_db.hpp"

namespace limes::geo {

/** One R-tree entry: a row id and its bounding box (degrees for the workspace). */
struct RtreeEntry {
    std::int64_t id;
    double min_x, max_x, min_y, max_y;
};

/** The next entry in order of the centre of its box along x (Sort-Tile-Recursive's first
 *  sort), into e; false after the last. */
using RtreeEntriesByX = std::function<bool(RtreeEntry& e)>;

/** Replaces whatever the 2-D R-tree `name` held by the entries next gives, sorted by x (a
 *  SQL ORDER BY can sort them: SQLite's sorter spills to disk), packed Sort-Tile-Recursive.
 *  expected: about how many there will be, and their ids about min_id..max_id (these size the
 *  slices and the id -> leaf map; other counts and ids still give a whole, valid tree). Held in
 *  memory: one vertical slice of ~sqrt(n * cells a node) entries, the nodes above the leaves
 *  (n / cells a node), and the leaf of each id (4 bytes an id while the ids are dense): about
 *  45 MB for ten million points, where the entries themselves would be 400 MB. The caller's
 *  transaction covers it; this connection must not have used the R-tree virtual table itself
 *  before in that transaction (its node cache would go stale). Throws IoError. */
void rtree_bulk_load_sorted(SqliteDb& db, const std::string& name, std::int64_t expected,
                            std::int64_t min_id, std::int64_t max_id, const RtreeEntriesByX& next);

/** Points (a row id and its x, y) gathered for a bulk load and given back sorted by x, in
 *  bounded memory: 24 bytes a point, up to 524,288 points in memory; past that, each such
 *  run is sorted and written to a temporary file (unlinked from the start: nothing is left
 *  behind, whatever happens) and the files are merged as they are read back. Ten million
 *  points cost 12 MiB of memory and 240 MB of temporary disk. */
class RtreePointSorter {
  public:
    /** points_in_memory: how many are sorted in memory before a run goes to a file. */
    explicit RtreePointSorter(std::size_t points_in_memory = std::size_t{1} << 19);  // 12 MiB
    ~RtreePointSorter();
    RtreePointSorter(const RtreePointSorter&) = delete;
    RtreePointSorter& operator=(const RtreePointSorter&) = delete;

    void add(std::int64_t id, double x, double y);
    std::int64_t size() const { return count_; }
    std::int64_t min_id() const { return min_id_; }
    std::int64_t max_id() const { return max_id_; }
    /** Every point added so far, by x, as rtree_bulk_load_sorted takes them. Once: the sorter
     *  is used up. */
    RtreeEntriesByX by_x();

    struct Packed;  // x, y, id
    struct Run;     // a sorted run in a temporary file

  private:
    void spill();  // sorts the points in memory and writes them out as a run

    std::size_t points_in_memory_;
    std::vector<Packed> points_;
    std::vector<std::unique_ptr<Run>> runs_;
    std::int64_t count_ = 0, min_id_ = 0, max_id_ = -1;
};

/** Number of entries in the R-tree `name`, counted in its _rowid shadow table (this does not
 *  open the virtual table). */
std::int64_t rtree_entry_count(SqliteDb& db, const std::string& name);

}  // namespace limes::geo
