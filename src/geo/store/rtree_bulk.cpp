#include "geo/store/rtree_bulk.hpp"

#include <algorithm>
#include <cmath>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <optional>
#include <functional>
#include <memory>
#include <queue>
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

using Pair = std::pair<std::int64_t, std::int64_t>;

// INSERT INTO table (columns) VALUES (a, b), (a, b), ... for every pair next gives (false after
// the last), 256 to a statement.
void write_pairs(SqliteDb& db, const std::string& table, const char* columns,
                 const std::function<bool(Pair&)>& next) {
    constexpr std::size_t kBatch = 256;
    auto sql = [&](std::size_t rows) {
        std::string out = "INSERT INTO " + table + " (" + columns + ") VALUES ";
        for (std::size_t r = 0; r < rows; ++r) out += r ? ",(?,?)" : "(?,?)";
        return out;
    };
    std::optional<SqliteStatement> batch;
    std::vector<Pair> rows;
    rows.reserve(kBatch);
    auto flush = [&] {
        if (rows.empty()) return;
        std::optional<SqliteStatement> tail;
        if (rows.size() < kBatch) tail.emplace(db.prepare(sql(rows.size())));
        else if (!batch) batch.emplace(db.prepare(sql(kBatch)));
        SqliteStatement& q = rows.size() < kBatch ? *tail : *batch;
        for (std::size_t j = 0; j < rows.size(); ++j) {
            q.bind(static_cast<int>(2 * j + 1), rows[j].first);
            q.bind(static_cast<int>(2 * j + 2), rows[j].second);
        }
        q.run();
        rows.clear();
    };
    for (Pair p; next(p);) {
        rows.push_back(p);
        if (rows.size() == kBatch) flush();
    }
    flush();
}

/** Entry id -> the leaf that holds it, for the _rowid table: 4 bytes an id over a dense id
 *  range (fids are), id/leaf pairs otherwise. */
class LeafOfId {
  public:
    LeafOfId(std::int64_t expected, std::int64_t min_id, std::int64_t max_id) : min_(min_id) {
        if (expected > 0 && max_id >= min_id && max_id - min_id < 4 * expected + 4096)
            dense_.assign(static_cast<std::size_t>(max_id - min_id + 1), 0);
        else
            sparse_ = true;
    }
    void set(std::int64_t id, std::int64_t leaf) {
        if (!sparse_ && (id < min_ || id - min_ >= static_cast<std::int64_t>(dense_.size()) ||
                         leaf > static_cast<std::int64_t>(UINT32_MAX)))
            to_sparse();
        if (sparse_)
            pairs_.emplace_back(id, leaf);
        else
            dense_[static_cast<std::size_t>(id - min_)] = static_cast<std::uint32_t>(leaf);
    }
    /** Written in id order: appends to the end of the table's b-tree. */
    void write(SqliteDb& db, const std::string& table) {
        std::size_t i = 0;
        if (!sparse_) {
            write_pairs(db, table, "rowid, nodeno", [&](Pair& p) {
                while (i < dense_.size() && dense_[i] == 0) ++i;
                if (i == dense_.size()) return false;
                p = {min_ + static_cast<std::int64_t>(i), dense_[i]};
                ++i;
                return true;
            });
            return;
        }
        if (!std::is_sorted(pairs_.begin(), pairs_.end())) std::sort(pairs_.begin(), pairs_.end());
        write_pairs(db, table, "rowid, nodeno", [&](Pair& p) {
            if (i == pairs_.size()) return false;
            p = pairs_[i++];
            return true;
        });
    }

  private:
    void to_sparse() {
        for (std::size_t i = 0; i < dense_.size(); ++i)
            if (dense_[i] != 0) pairs_.emplace_back(min_ + static_cast<std::int64_t>(i), dense_[i]);
        std::vector<std::uint32_t>().swap(dense_);
        sparse_ = true;
    }
    std::int64_t min_;
    bool sparse_ = false;
    std::vector<std::uint32_t> dense_;  // leaf node number, 0: no entry (nodes start at 1)
    std::vector<std::pair<std::int64_t, std::int64_t>> pairs_;
};

/** Writes the nodes of an R-tree, numbering them from 2 up (1 is the root). */
class NodeWriter {
  public:
    NodeWriter(SqliteDb& db, const std::string& node_table, std::size_t node_size)
        : write_(db.prepare("INSERT INTO " + node_table + " (nodeno, data) VALUES (?1, ?2)")),
          data_(node_size) {}
    /** Writes cells [begin, end) as node `node` (the root with depth when node is 1); returns
     *  the cell that points to it from above. */
    Cell write(std::int64_t node, unsigned depth, const Cell* begin, const Cell* end) {
        std::fill(data_.begin(), data_.end(), 0);
        if (node == 1) put_u16(data_.data(), depth);
        put_u16(data_.data() + 2, static_cast<unsigned>(end - begin));
        Cell box{node, {begin->box[0], begin->box[1], begin->box[2], begin->box[3]}};
        for (const Cell* c = begin; c != end; ++c) {
            put_cell(data_.data() + 4 + static_cast<std::size_t>(c - begin) * kCellBytes, *c);
            box.box[0] = std::min(box.box[0], c->box[0]);
            box.box[1] = std::max(box.box[1], c->box[1]);
            box.box[2] = std::min(box.box[2], c->box[2]);
            box.box[3] = std::max(box.box[3], c->box[3]);
        }
        write_.bind(1, node);
        write_.bind_blob(2, data_.data(), data_.size());
        write_.run();
        return box;
    }

    static constexpr std::size_t kCellBytes = 8 + 4 * 4;

  private:
    SqliteStatement write_;
    std::vector<unsigned char> data_;
};

}  // namespace

std::int64_t rtree_entry_count(SqliteDb& db, const std::string& name) {
    auto q = db.prepare("SELECT count(*) FROM " + sql_identifier(name + "_rowid"));
    return q.step() ? q.column_int64(0) : 0;
}

void rtree_bulk_load_sorted(SqliteDb& db, const std::string& name, std::int64_t expected,
                            std::int64_t min_id, std::int64_t max_id, const RtreeEntriesByX& next) {
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
    constexpr std::size_t kCellBytes = NodeWriter::kCellBytes;
    if (node_size < 4 + 2 * kCellBytes) db.fail("R-tree " + name + " has no usable root node");
    const std::size_t cap = (node_size - 4) / kCellBytes;

    db.exec("DELETE FROM " + node_table + "; DELETE FROM " + rowid_table + "; DELETE FROM " +
            parent_table);
    NodeWriter nodes(db, node_table, node_size);
    LeafOfId leaf_of(expected, min_id, max_id);

    // The leaves, a vertical slice at a time: Sort-Tile-Recursive cuts the x-sorted entries
    // into ceil(sqrt(leaves)) slices of whole leaves and sorts each slice by y.
    const auto m = static_cast<std::size_t>(std::max<std::int64_t>(expected, 1));
    const std::size_t leaves = (m + cap - 1) / cap;
    const auto slices = static_cast<std::size_t>(std::ceil(std::sqrt(static_cast<double>(leaves))));
    const std::size_t slice_cells = (leaves + slices - 1) / slices * cap;
    std::vector<Cell> slice, above;  // above: one cell per leaf, for the level over them
    slice.reserve(slice_cells);
    std::vector<Cell> first_leaf;  // held back until a second exists: alone, it is the root
    std::int64_t next_node = 2;
    std::vector<std::pair<std::int64_t, std::int64_t>> parents;  // node -> parent node
    auto write_leaf = [&](std::int64_t node, const Cell* begin, const Cell* end) {
        above.push_back(nodes.write(node, 0, begin, end));
        for (const Cell* c = begin; c != end; ++c) leaf_of.set(c->id, node);
    };
    auto add_leaf = [&](const Cell* begin, const Cell* end) {
        if (above.empty() && first_leaf.empty()) {
            first_leaf.assign(begin, end);
            return;
        }
        if (!first_leaf.empty()) {
            write_leaf(next_node++, first_leaf.data(), first_leaf.data() + first_leaf.size());
            std::vector<Cell>().swap(first_leaf);
        }
        write_leaf(next_node++, begin, end);
    };
    auto by_y = [](const Cell& a, const Cell& b) {
        return a.box[2] + a.box[3] < b.box[2] + b.box[3];
    };
    auto flush_slice = [&] {
        if (slice.empty()) return;
        std::sort(slice.begin(), slice.end(), by_y);
        // ceil(c / cap) leaves of near-equal size: each holds at least cap / 2 (well above the
        // R*-tree's minimum of a third) when the slice is full.
        const std::size_t c = slice.size(), k = (c + cap - 1) / cap;
        for (std::size_t i = 0; i < k; ++i)
            add_leaf(slice.data() + i * c / k, slice.data() + (i + 1) * c / k);
        slice.clear();
    };
    for (RtreeEntry e; next(e);) {
        slice.push_back({e.id,
                         {round_down(e.min_x), round_up(e.max_x), round_down(e.min_y),
                          round_up(e.max_y)}});
        if (slice.size() == slice_cells) flush_slice();
    }
    flush_slice();

    if (above.empty()) {  // one leaf (or none: an empty tree is an empty leaf root, depth 0)
        const Cell* begin = first_leaf.data();
        if (first_leaf.empty()) {
            std::vector<unsigned char> empty(node_size);
            auto q = db.prepare("INSERT INTO " + node_table + " (nodeno, data) VALUES (1, ?1)");
            q.bind_blob(1, empty.data(), empty.size());
            q.run();
        } else {
            nodes.write(1, 0, begin, begin + first_leaf.size());
            for (const Cell& c : first_leaf) leaf_of.set(c.id, 1);
        }
        leaf_of.write(db, rowid_table);
        return;
    }
    // The levels above the leaves (a 51st of the entries and less), packed in memory.
    std::vector<Cell> level = std::move(above);
    for (unsigned depth = 1;; ++depth) {
        const auto packed = pack_level(level, cap);
        const bool root = packed.size() == 1;
        above.clear();
        above.reserve(packed.size());
        for (const auto& [begin, end] : packed) {
            const std::int64_t node = root ? 1 : next_node++;
            above.push_back(nodes.write(node, depth, level.data() + begin, level.data() + end));
            for (std::size_t i = begin; i < end; ++i) parents.emplace_back(level[i].id, node);
        }
        if (root) break;
        level = std::move(above);
    }
    // Both maps are written in key order (appends to the end of each table's b-tree), many
    // rows per statement.
    leaf_of.write(db, rowid_table);
    std::sort(parents.begin(), parents.end());
    std::size_t i = 0;
    write_pairs(db, parent_table, "nodeno, parentnode", [&](Pair& p) {
        if (i == parents.size()) return false;
        p = parents[i++];
        return true;
    });
}

// ---------------------------------------------------------------------------------------------
// RtreePointSorter
// ---------------------------------------------------------------------------------------------

struct RtreePointSorter::Packed {
    double x, y;
    std::int64_t id;

    bool operator<(const Packed& o) const { return x < o.x || (x == o.x && y < o.y); }
    RtreeEntry entry() const { return {id, x, x, y, y}; }
};

struct RtreePointSorter::Run {
    std::unique_ptr<std::FILE, int (*)(std::FILE*)> file{std::tmpfile(), &std::fclose};
    std::vector<Packed> buffer;  // read back a block at a time
    std::size_t at = 0;

    bool refill() {
        buffer.resize(1 << 14);
        const std::size_t n = std::fread(buffer.data(), sizeof(Packed), buffer.size(), file.get());
        buffer.resize(n);
        at = 0;
        return n > 0;
    }
};

RtreePointSorter::RtreePointSorter(std::size_t points_in_memory)
    : points_in_memory_(std::max<std::size_t>(points_in_memory, 1)) {}
RtreePointSorter::~RtreePointSorter() = default;

void RtreePointSorter::add(std::int64_t id, double x, double y) {
    if (points_.size() == points_in_memory_) spill();
    points_.push_back({x, y, id});
    min_id_ = count_ == 0 ? id : std::min(min_id_, id);
    max_id_ = count_ == 0 ? id : std::max(max_id_, id);
    ++count_;
}

void RtreePointSorter::spill() {
    std::sort(points_.begin(), points_.end());
    auto run = std::make_unique<Run>();
    if (!run->file ||
        std::fwrite(points_.data(), sizeof(Packed), points_.size(), run->file.get()) !=
            points_.size() ||
        std::fflush(run->file.get()) != 0)
        throw core::IoError("temporary file", "cannot write the spatial index's sorted points (" +
                                                  std::string(std::strerror(errno)) + ")");
    runs_.push_back(std::move(run));
    points_.clear();
}

RtreeEntriesByX RtreePointSorter::by_x() {
    std::sort(points_.begin(), points_.end());
    if (runs_.empty()) {
        return [this, i = std::size_t{0}](RtreeEntry& e) mutable {
            if (i == points_.size()) return false;
            e = points_[i++].entry();
            return true;
        };
    }
    // A merge of the runs and the points still in memory (a source of their own): the least
    // head of them all, kept in a heap of (head, source).
    using Head = std::pair<Packed, std::size_t>;
    auto later = [](const Head& a, const Head& b) { return b.first < a.first; };
    auto heads = std::make_shared<std::priority_queue<Head, std::vector<Head>, decltype(later)>>(later);
    for (std::size_t i = 0; i < runs_.size(); ++i) {
        std::rewind(runs_[i]->file.get());
        if (runs_[i]->refill()) heads->push({runs_[i]->buffer[0], i});
    }
    if (!points_.empty()) heads->push({points_[0], runs_.size()});
    return [this, heads, in_memory = std::size_t{0}](RtreeEntry& e) mutable {
        if (heads->empty()) return false;
        const auto [head, source] = heads->top();
        heads->pop();
        e = head.entry();
        if (source == runs_.size()) {
            if (++in_memory < points_.size()) heads->push({points_[in_memory], source});
        } else {
            Run& run = *runs_[source];
            if (++run.at < run.buffer.size() || run.refill())
                heads->push({run.buffer[run.at], source});
        }
        return true;
    };
}

}  // namespace limes::geo
