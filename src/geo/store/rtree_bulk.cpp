#include "geo/store/rtree_bulk.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <utility>

#include "core/error.hpp"

namespace limes::geo {
namespace {

// rtree.c's rtreeValueDown / rtreeValueUp: the nearest float32 below (above) the double, so a
// stored box always contains the exact one.
constexpr double kTowardsZero = 1.0 - 1.0 / 8388608.0;
constexpr double kAwayFromZero = 1.0 + 1.0 / 8388608.0;

float round_down(double d) {
    float f = static_cast<float>(d);
    if (f > d) f = static_cast<float>(d * (d < 0 ? kAwayFromZero : kTowardsZero));
    return f;
}

float round_up(double d) {
    float f = static_cast<float>(d);
    if (f < d) f = static_cast<float>(d * (d < 0 ? kTowardsZero : kAwayFromZero));
    return f;
}

/** A cell as stored: id (row id in a leaf, child node number above) and the float box. */
struct Cell {
    std::int64_t id;
    float box[4];  // min_x, max_x, min_y, max_y
};

void put_u16(unsigned char* p, unsigned v) {
    p[0] = static_cast<unsigned char>(v >> 8);
    p[1] = static_cast<unsigned char>(v);
}

void put_u32(unsigned char* p, std::uint32_t v) {
    for (int i = 0; i < 4; ++i) p[i] = static_cast<unsigned char>(v >> (24 - 8 * i));
}

void put_i64(unsigned char* p, std::int64_t v) {
    const auto u = static_cast<std::uint64_t>(v);
    for (int i = 0; i < 8; ++i) p[i] = static_cast<unsigned char>(u >> (56 - 8 * i));
}

void put_cell(unsigned char* p, const Cell& c) {
    put_i64(p, c.id);
    for (int k = 0; k < 4; ++k) {
        std::uint32_t bits;
        std::memcpy(&bits, &c.box[k], 4);
        put_u32(p + 8 + 4 * k, bits);
    }
}

/** Sort-Tile-Recursive: reorders cells and returns the [begin, end) ranges of the nodes of
 *  one level, ceil(m / cap) nodes of near-equal size (so each holds at least cap / 2, well
 *  above the R*-tree's minimum of a third), tiled in vertical slices sorted by y. */
std::vector<std::pair<std::size_t, std::size_t>> pack_level(std::vector<Cell>& cells,
                                                            std::size_t cap) {
    const std::size_t m = cells.size();
    const std::size_t k = (m + cap - 1) / cap;
    auto start = [&](std::size_t node) { return node * m / k; };
    auto by_x = [](const Cell& a, const Cell& b) {
        return a.box[0] + a.box[1] < b.box[0] + b.box[1];
    };
    auto by_y = [](const Cell& a, const Cell& b) {
        return a.box[2] + a.box[3] < b.box[2] + b.box[3];
    };
    std::sort(cells.begin(), cells.end(), by_x);
    const auto slices = static_cast<std::size_t>(std::ceil(std::sqrt(static_cast<double>(k))));
    std::vector<std::pair<std::size_t, std::size_t>> nodes;
    nodes.reserve(k);
    for (std::size_t s = 0; s < slices; ++s) {
        const std::size_t n0 = s * k / slices, n1 = (s + 1) * k / slices;
        if (n0 == n1) continue;
        std::sort(cells.begin() + static_cast<std::ptrdiff_t>(start(n0)),
                  cells.begin() + static_cast<std::ptrdiff_t>(start(n1)), by_y);
        for (std::size_t i = n0; i < n1; ++i) nodes.emplace_back(start(i), start(i + 1));
    }
    return nodes;
}

// INSERT INTO table (columns) VALUES (a, b), (a, b), ... for every pair, 256 to a statement.
void write_pairs(SqliteDb& db, const std::string& table, const char* columns,
                 const std::vector<std::pair<std::int64_t, std::int64_t>>& pairs) {
    constexpr std::size_t kBatch = 256;
    auto sql = [&](std::size_t rows) {
        std::string out = "INSERT INTO " + table + " (" + columns + ") VALUES ";
        for (std::size_t r = 0; r < rows; ++r) out += r ? ",(?,?)" : "(?,?)";
        return out;
    };
    const std::size_t n = pairs.size();
    const std::size_t full = n / kBatch * kBatch;
    if (full > 0) {
        auto batch = db.prepare(sql(kBatch));
        for (std::size_t first = 0; first < full; first += kBatch) {
            for (std::size_t j = 0; j < kBatch; ++j) {
                batch.bind(static_cast<int>(2 * j + 1), pairs[first + j].first);
                batch.bind(static_cast<int>(2 * j + 2), pairs[first + j].second);
            }
            batch.run();
        }
    }
    if (full < n) {
        auto tail = db.prepare(sql(n - full));
        for (std::size_t j = 0; full + j < n; ++j) {
            tail.bind(static_cast<int>(2 * j + 1), pairs[full + j].first);
            tail.bind(static_cast<int>(2 * j + 2), pairs[full + j].second);
        }
        tail.run();
    }
}

}  // namespace

std::int64_t rtree_entry_count(SqliteDb& db, const std::string& name) {
    auto q = db.prepare("SELECT count(*) FROM " + sql_identifier(name + "_rowid"));
    return q.step() ? q.column_int64(0) : 0;
}

void rtree_bulk_load(SqliteDb& db, const std::string& name, std::vector<RtreeEntry> entries) {
    const SqliteDb::ShadowWrites shadow(db);  // the writes below go to the shadow tables
    const std::string node_table = sql_identifier(name + "_node");
    const std::string rowid_table = sql_identifier(name + "_rowid");
    const std::string parent_table = sql_identifier(name + "_parent");

    // Every node has the root's size, fixed when the R-tree was created (page size - 64,
    // capped at 51 cells: 1228 bytes for 2-D on 4096-byte pages).
    std::size_t node_size = 0;
    {
        auto q = db.prepare("SELECT length(data) FROM " + node_table + " WHERE nodeno = 1");
        if (q.step()) node_size = static_cast<std::size_t>(q.column_int64(0));
    }
    constexpr std::size_t kCellBytes = 8 + 4 * 4;
    if (node_size < 4 + 2 * kCellBytes) db.fail("R-tree " + name + " has no usable root node");
    const std::size_t cap = (node_size - 4) / kCellBytes;

    db.exec("DELETE FROM " + node_table + "; DELETE FROM " + rowid_table + "; DELETE FROM " +
            parent_table);

    std::vector<Cell> level(entries.size());
    for (std::size_t i = 0; i < entries.size(); ++i) {
        const RtreeEntry& e = entries[i];
        level[i] = {
            e.id, {round_down(e.min_x), round_up(e.max_x), round_down(e.min_y), round_up(e.max_y)}};
    }
    std::vector<RtreeEntry>().swap(entries);

    auto write_node = db.prepare("INSERT INTO " + node_table + " (nodeno, data) VALUES (?1, ?2)");
    std::vector<unsigned char> data(node_size);
    std::vector<std::pair<std::int64_t, std::int64_t>> rowids;   // entry id -> leaf
    std::vector<std::pair<std::int64_t, std::int64_t>> parents;  // node -> parent node
    rowids.reserve(level.size());

    if (level.empty()) {  // an empty tree is an empty leaf root of depth 0
        write_node.bind(1, std::int64_t{1});
        write_node.bind_blob(2, data.data(), data.size());
        write_node.run();
        return;
    }
    std::int64_t next_node = 2;
    for (unsigned depth = 0;; ++depth) {
        const auto nodes = pack_level(level, cap);
        const bool root = nodes.size() == 1;
        std::vector<Cell> above;
        above.reserve(nodes.size());
        for (const auto& [begin, end] : nodes) {
            const std::int64_t node = root ? 1 : next_node++;
            std::fill(data.begin(), data.end(), 0);
            if (root) put_u16(data.data(), depth);
            put_u16(data.data() + 2, static_cast<unsigned>(end - begin));
            Cell box{node,
                     {level[begin].box[0], level[begin].box[1], level[begin].box[2],
                      level[begin].box[3]}};
            for (std::size_t i = begin; i < end; ++i) {
                const Cell& c = level[i];
                put_cell(data.data() + 4 + (i - begin) * kCellBytes, c);
                box.box[0] = std::min(box.box[0], c.box[0]);
                box.box[1] = std::max(box.box[1], c.box[1]);
                box.box[2] = std::min(box.box[2], c.box[2]);
                box.box[3] = std::max(box.box[3], c.box[3]);
                (depth == 0 ? rowids : parents).emplace_back(c.id, node);
            }
            write_node.bind(1, node);
            write_node.bind_blob(2, data.data(), data.size());
            write_node.run();
            above.push_back(box);
        }
        if (root) break;
        level = std::move(above);
    }

    // Both maps are written in key order (appends to the end of each table's b-tree), many
    // rows per statement.
    if (!std::is_sorted(rowids.begin(), rowids.end())) std::sort(rowids.begin(), rowids.end());
    std::sort(parents.begin(), parents.end());
    write_pairs(db, rowid_table, "rowid, nodeno", rowids);
    write_pairs(db, parent_table, "nodeno, parentnode", parents);
}

}  // namespace limes::geo
