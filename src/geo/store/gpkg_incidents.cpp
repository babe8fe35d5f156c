#include "geo/store/gpkg_incidents.hpp"

// [SECTION] index
//   The layout      which of limes' columns the table has, its fid and geometry columns
//   Reading         one cursor per pass, its SELECT built from the columns asked for
//   Split scans     two fid halves on two connections, read again whole on a concurrent write
//   Writing         one transaction: batched INSERTs, in-place updates, the R-tree in step
//   The table       read(), find(), count_hint(), write()

#include <algorithm>
#include <cctype>
#include <limits>
#include <thread>
#include <unordered_set>
#include <utility>

#include "core/error.hpp"
#include "core/parallel.hpp"
#include "geo/store/gpkg_blob.hpp"
#include "geo/store/rtree_bulk.hpp"

namespace limes::geo {
namespace {

constexpr const char* kIncidentsTable = "incidents";
constexpr std::size_t kColumns = core::IncidentColumns::kCount;

std::string lower(std::string_view s) {
    std::string out(s);
    for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

/** The column's name quoted for SQL, after checking it is one of limes' text columns (the name
 *  goes into the statement, so only known ones pass). */
std::string text_column(std::string_view column) {
    const int i = core::incident_column_index(column);
    if (i < 0 || core::incident_columns()[static_cast<std::size_t>(i)].type != core::ColumnType::Text)
        throw core::UsageError("'" + std::string(column) + "' is not a text column of the incidents");
    return sql_identifier(std::string(column));
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// [SECTION] The layout
// ---------------------------------------------------------------------------------------------

std::optional<GpkgIncidentLayout> inspect_incidents(SqliteDb& db) {
    if (!db.has_object("table", "gpkg_geometry_columns")) return std::nullopt;
    GpkgIncidentLayout l;
    {
        auto q = db.prepare(
            "SELECT table_name, column_name, srs_id FROM gpkg_geometry_columns "
            "WHERE lower(table_name) = lower(?1)");
        q.bind_text(1, kIncidentsTable);
        if (!q.step()) return std::nullopt;
        l.table = q.column_text(0);
        l.geom = q.column_text(1);
        l.srs_id = static_cast<std::int32_t>(q.column_int64(2));
    }
    auto q = db.prepare("PRAGMA table_info(" + sql_identifier(l.table) + ")");
    bool geom_found = false;
    while (q.step()) {  // cid, name, type, notnull, dflt_value, pk
        const std::string name(q.column_text(1));
        if (q.column_int64(5) == 1 && lower(q.column_text(2)) == "integer") l.fid = name;
        if (lower(name) == lower(l.geom)) geom_found = true;
        const int k = core::incident_column_index(lower(name));
        if (k >= 0) l.present[static_cast<std::size_t>(k)] = true;
    }
    if (l.fid.empty() || !geom_found) return std::nullopt;
    return l;
}

// ---------------------------------------------------------------------------------------------
// [SECTION] Reading
// ---------------------------------------------------------------------------------------------

namespace {

/** What one pass selects: fid, geometry, then the columns read, in incident_columns() order.
 *  A column the table lacks is read as NULL (empty), as OGR reads a field it does not have. */
struct Selection {
    std::string sql;                 // SELECT ... FROM t (no WHERE)
    std::vector<std::size_t> columns;  // incident column index of result column 2, 3, ...
    core::IncidentColumns unread;      // columns the pass leaves empty
};

Selection select_for(const GpkgIncidentLayout& l, const IncidentQuery& q) {
    core::IncidentColumns wanted = q.columns;
    if (q.filter) wanted.add(q.filter->columns());
    Selection s;
    s.sql = "SELECT " + sql_identifier(l.fid) + ", " + sql_identifier(l.geom);
    const auto& columns = core::incident_columns();
    for (std::size_t i = 0; i < kColumns; ++i) {
        if (!wanted.has(i)) {
            s.unread.add(i);
            continue;
        }
        s.sql += ", ";
        s.sql += l.present[i] ? sql_identifier(columns[i].name) : std::string("NULL");
        s.columns.push_back(i);
    }
    s.sql += " FROM " + sql_identifier(l.table);
    return s;
}

void clear_column(core::Incident& inc, std::size_t i) {
    const auto& c = core::incident_columns()[i];
    switch (c.type) {
        case core::ColumnType::Text: (inc.*c.text).clear(); break;
        case core::ColumnType::Integer: (inc.*c.integer).reset(); break;
        case core::ColumnType::Date: inc.event_date = core::Date{}; break;
    }
}

/** Decodes the current row of q (laid out as sel says) into inc. */
void decode(const SqliteStatement& q, const Selection& sel, core::Incident& inc) {
    inc.fid = q.column_int64(0);
    std::size_t size = 0;
    const unsigned char* blob = q.column_blob(1, size);
    if (!read_gpkg_point(blob, size, inc.lon, inc.lat))
        inc.lon = inc.lat = 0.0;  // as OGR's read leaves a missing or non-point geometry
    const auto& columns = core::incident_columns();
    int k = 2;
    for (const std::size_t i : sel.columns) {
        const auto& c = columns[i];
        switch (c.type) {
            case core::ColumnType::Text: {
                // NULL comes back as a null pointer: no separate type check per value.
                const char* text = q.column_text_or_null(k);
                if (text)
                    (inc.*c.text).assign(text, q.column_bytes(k));
                else
                    (inc.*c.text).clear();
                break;
            }
            case core::ColumnType::Integer:
                if (q.is_null(k))
                    (inc.*c.integer).reset();
                else
                    inc.*c.integer = q.column_int64(k);
                break;
            case core::ColumnType::Date:
                inc.event_date = q.is_null(k) ? core::Date{}
                                              : parse_stored_date(q.column_text(k)).value_or(core::Date{});
                break;
        }
        ++k;
    }
}

class GpkgCursor : public IncidentCursor {
public:
    /** db: a connection of the caller's (a snapshot's) or null to open one on path. Only fids
     *  first..last are read. */
    GpkgCursor(const std::string& path, SqliteDb* db, const GpkgIncidentLayout& layout,
               const IncidentQuery& query, std::int64_t first, std::int64_t last,
               std::size_t count_hint)
        : own_(db ? nullptr : std::make_unique<SqliteDb>(path, SqliteDb::Mode::ReadOnly)),
          db_(db ? *db : *own_),
          sel_(select_for(layout, query)),
          filter_(query.filter && !query.filter->is_empty() ? query.filter : nullptr),
          fids_(query.fids) {
        const std::string fid = sql_identifier(layout.fid);
        // A few fids of many: one indexed lookup each instead of a pass over the table.
        lookup_ = fids_ && fids_->size() * 64 < count_hint;
        q_.emplace(db_.prepare(sel_.sql + " WHERE " + fid +
                               (lookup_ ? " = ?1" : " BETWEEN ?1 AND ?2 ORDER BY " + fid)));
        if (!lookup_) {
            q_->bind(1, first);
            q_->bind(2, last);
        }
    }
    ~GpkgCursor() override { q_.reset(); }  // before own_ closes

    bool next(core::Incident& out) override {
        if (&out != last_out_) {
            // Another Incident than last time: the columns this pass does not read may hold
            // anything. (The same one still has them empty from the last call.)
            for (std::size_t i = 0; i < kColumns; ++i)
                if (sel_.unread.has(i)) clear_column(out, i);
            last_out_ = &out;
        }
        return lookup_ ? next_lookup(out) : next_scan(out);
    }

private:
    bool next_scan(core::Incident& out) {
        while (!done_ && q_->step()) {
            if (fids_) {
                // Rows come in fid order, as the list: a row not on it is not even decoded.
                const std::int64_t fid = q_->column_int64(0);
                while (next_ < fids_->size() && (*fids_)[next_] < fid) ++next_;
                if (next_ == fids_->size()) break;
                if ((*fids_)[next_] != fid) continue;
            }
            decode(*q_, sel_, out);
            if (filter_ && !filter_->accepts(out)) continue;
            return true;
        }
        done_ = true;  // SQLite would start the query over on a step after the end
        return false;
    }

    bool next_lookup(core::Incident& out) {
        while (next_ < fids_->size()) {
            q_->reset();
            q_->bind(1, (*fids_)[next_++]);
            if (!q_->step()) continue;
            decode(*q_, sel_, out);
            if (filter_ && !filter_->accepts(out)) continue;
            q_->reset();  // no statement left stepping: it would hold the read lock
            return true;
        }
        q_->reset();
        return false;
    }

    std::unique_ptr<SqliteDb> own_;
    SqliteDb& db_;
    Selection sel_;
    const core::Filter* filter_;
    const std::vector<std::int64_t>* fids_;
    std::optional<SqliteStatement> q_;
    std::size_t next_ = 0;
    bool lookup_ = false, done_ = false;
    const core::Incident* last_out_ = nullptr;
};

std::size_t count_hint_of(SqliteDb& db, const GpkgIncidentLayout& l) {
    if (db.has_object("table", "gpkg_ogr_contents")) {
        auto q = db.prepare(
            "SELECT feature_count FROM gpkg_ogr_contents WHERE lower(table_name) = lower(?1)");
        q.bind_text(1, l.table);
        if (q.step() && !q.is_null(0) && q.column_int64(0) > 0)
            return static_cast<std::size_t>(q.column_int64(0));
    }
    // No count kept: the fid range bounds it. Two queries: SQLite answers min() and max()
    // alone from the ends of the b-tree, but both in one SELECT with a scan of every row.
    auto end = [&](const char* fn) -> std::optional<std::int64_t> {
        auto q = db.prepare(std::string("SELECT ") + fn + "(" + sql_identifier(l.fid) + ") FROM " +
                            sql_identifier(l.table));
        if (q.step() && !q.is_null(0)) return q.column_int64(0);
        return std::nullopt;
    };
    const auto lo = end("min"), hi = end("max");
    if (lo && hi && *hi >= *lo && *hi - *lo < (1 << 26)) return static_cast<std::size_t>(*hi - *lo + 1);
    return 0;
}

constexpr std::int64_t kFirstFid = std::numeric_limits<std::int64_t>::min();
constexpr std::int64_t kLastFid = std::numeric_limits<std::int64_t>::max();

/** Every query sees one read transaction of one connection. */
class GpkgSnapshot : public IncidentReads {
public:
    GpkgSnapshot(const std::string& path, const GpkgIncidentLayout& layout)
        : path_(path), db_(path, SqliteDb::Mode::ReadOnly), layout_(layout) {
        db_.exec("BEGIN");
        db_.exec("SELECT 1 FROM sqlite_master LIMIT 1");  // the read lock: the snapshot starts here
    }
    ~GpkgSnapshot() override { sqlite3_exec(db_.handle(), "COMMIT", nullptr, nullptr, nullptr); }
    std::unique_ptr<IncidentCursor> query(const IncidentQuery& q) override {
        return std::make_unique<GpkgCursor>(path_, &db_, layout_, q, kFirstFid, kLastFid, count_hint());
    }
    std::size_t count_hint() override {
        if (!count_) count_ = count_hint_of(db_, layout_);
        return *count_;
    }

private:
    std::string path_;
    SqliteDb db_;
    GpkgIncidentLayout layout_;
    std::optional<std::size_t> count_;
};

/** A snapshot of a workspace without an incidents layer: nothing to read. */
class EmptyReads : public IncidentReads {
public:
    std::unique_ptr<IncidentCursor> query(const IncidentQuery&) override {
        struct None : IncidentCursor {
            bool next(core::Incident&) override { return false; }
        };
        return std::make_unique<None>();
    }
    std::size_t count_hint() override { return 0; }
};

std::int64_t data_version(SqliteDb& db) {
    auto q = db.prepare("PRAGMA data_version");
    return q.step() ? q.column_int64(0) : 0;
}

// ---------------------------------------------------------------------------------------------
// [SECTION] Writing
// ---------------------------------------------------------------------------------------------

class GpkgWriter : public IncidentWriter {
public:
    GpkgWriter(const std::string& path, const GpkgIncidentLayout& layout, bool created_layer,
               std::function<void()> drop_layer)
        : db_(std::make_unique<SqliteDb>(path, SqliteDb::Mode::ReadWrite)),
          layout_(layout),
          created_layer_(created_layer),
          drop_layer_(std::move(drop_layer)) {
        for (std::size_t i = 0; i < kColumns; ++i)
            if (!layout.present[i])
                throw core::IoError(path, "layer incidents has no column " +
                                              std::string(core::incident_columns()[i].name) +
                                              " (not a limes workspace layer?)");
        // Pages of a large import stay in memory until the commit writes them (up to ~256 MB).
        db_->exec("PRAGMA cache_size = -262144");
        db_->exec("BEGIN IMMEDIATE");
        open_ = true;
        table_ = sql_identifier(layout.table);
        fid_ = sql_identifier(layout.fid);
        rtree_name_ = "rtree_" + layout.table + "_" + layout.geom;
    }

    ~GpkgWriter() override {
        if (open_) sqlite3_exec(db_->handle(), "ROLLBACK", nullptr, nullptr, nullptr);
        batch_.reset();
        single_.reset();
        db_.reset();  // closed before GDAL opens the file to drop the layer
        if (open_ && created_layer_ && drop_layer_) {
            try {
                drop_layer_();  // best effort: an empty layer holds no data either
            } catch (...) {
            }
        }
    }

    std::unique_ptr<DuplicateCheck> duplicate_check(std::size_t expected_rows) override {
        if (!stored_ids_) {
            auto ids = std::make_shared<StringSet>();
            auto q = db_->prepare("SELECT event_id_cnty FROM " + table_ + " WHERE event_id_cnty IS NOT NULL");
            while (q.step()) ids->insert(q.column_text(0));
            stored_ids_ = std::move(ids);
        }
        return std::make_unique<DuplicateCheck>(stored_ids_, expected_rows);
    }

    void append(core::Incident* incidents, std::size_t n) override {
        if (n == 0) return;
        begin();
        for (std::size_t i = 0; i < n; ++i) incidents[i].fid = next_fid_++;
        const std::size_t full = n / kBatchRows * kBatchRows;
        for (std::size_t first = 0; first < n; first += kBatchRows) {
            const std::size_t rows = std::min(kBatchRows, n - first);
            if (first < full) {
                insert(*batch_, incidents + first, rows);
            } else {
                SqliteStatement tail = db_->prepare(insert_sql(rows));  // the last, shorter batch
                insert(tail, incidents + first, rows);
            }
        }
    }

    void update(const core::Incident& inc) override {
        // Deleted and inserted again under the same fid: GDAL's R-tree triggers on UPDATE call
        // SQL functions only GDAL's connections have; the delete trigger does not, and the new
        // row's R-tree entry is added by commit() as for appended rows.
        remove_row(inc.fid);
        if (sqlite3_changes(db_->handle()) != 1)
            throw core::UsageError(db_->path() + ": incident fid " + std::to_string(inc.fid) +
                                   " is not stored, it cannot be updated");
        begin();
        if (!single_) single_.emplace(db_->prepare(insert_sql(1)));
        insert(*single_, &inc, 1);
    }

    void remove(std::int64_t fid) override { remove_row(fid); }

    void commit(core::ProgressSink* progress) override {
        if (progress) progress->update(0.9, "writing incidents");
        if (rtree_used_) {
            // Rows went: the stored extent may now be larger than the points. Unknown (NULL) is
            // what the GeoPackage allows for it, and GDAL then computes it when asked; exact
            // would cost a pass over every point on each save.
            auto q = db_->prepare(
                "UPDATE gpkg_contents SET min_x = NULL, min_y = NULL, max_x = NULL, max_y = NULL, "
                "last_change = strftime('%Y-%m-%dT%H:%M:%fZ','now') WHERE lower(table_name) = lower(?1)");
            q.bind_text(1, layout_.table);
            q.run();
        }
        if (started_) finish();
        db_->exec("COMMIT");
        open_ = false;
        if (progress) progress->update(1.0, "writing incidents");
    }

private:
    static constexpr std::size_t kBatchRows = 64;  ///< rows per INSERT statement
    static constexpr int kParamsPerRow = 2 + static_cast<int>(kColumns);  ///< fid, geometry, columns

    void remove_row(std::int64_t fid) {
        if (!delete_) delete_.emplace(db_->prepare("DELETE FROM " + table_ + " WHERE " + fid_ + " = ?1"));
        delete_->bind(1, fid);
        delete_->run();
        // GDAL's delete trigger took the entry out of the R-tree through its virtual table:
        // this connection's node cache now holds the tree, so commit() must not rewrite its
        // shadow tables underneath (see rtree_bulk.hpp).
        rtree_used_ = true;
    }

    /** At the first insert: drops GDAL's insert triggers, finds the next fid. */
    void begin() {
        if (started_) return;
        started_ = true;
        const std::string count_trigger = "trigger_insert_feature_count_" + layout_.table;
        // GDAL's AFTER INSERT triggers keep the R-tree and gpkg_ogr_contents in step one row at
        // a time, through SQL functions (ST_MinX, ...) that only GDAL's connections have. They
        // are dropped for the inserts and re-created verbatim by finish(), in the same
        // transaction.
        {
            auto q = db_->prepare(
                "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND "
                "lower(tbl_name) = lower(?1) AND name IN (?2, ?3)");
            q.bind_text(1, layout_.table);
            const std::string rtree_trigger = rtree_name_ + "_insert";
            q.bind_text(2, rtree_trigger);
            q.bind_text(3, count_trigger);
            while (q.step()) triggers_.emplace_back(q.column_text(0), q.column_text(1));
        }
        for (const auto& t : triggers_) db_->exec("DROP TRIGGER " + sql_identifier(t.first));
        has_rtree_ = db_->has_object("table", rtree_name_);
        {
            auto q = db_->prepare("SELECT EXISTS (SELECT 1 FROM " + table_ + ")");
            had_rows_ = q.step() && q.column_int64(0) != 0;
        }
        // fids continue after the largest stored one and after the AUTOINCREMENT counter (the
        // largest ever used), as SQLite would pick them: never one a deleted incident had, so
        // an id in an old export never names another incident. Giving them explicitly lets one
        // statement insert a batch of rows, which halves SQLite's per-row overhead.
        next_fid_ = 1;
        {
            auto q = db_->prepare("SELECT max(" + fid_ + ") FROM " + table_);
            if (q.step() && !q.is_null(0)) next_fid_ = q.column_int64(0) + 1;
        }
        if (db_->has_object("table", "sqlite_sequence")) {
            auto q = db_->prepare("SELECT seq FROM sqlite_sequence WHERE lower(name) = lower(?1)");
            q.bind_text(1, layout_.table);
            if (q.step() && !q.is_null(0)) next_fid_ = std::max(next_fid_, q.column_int64(0) + 1);
        }
        batch_.emplace(db_->prepare(insert_sql(kBatchRows)));
    }

    std::string insert_sql(std::size_t rows) const {
        std::string sql = "INSERT INTO " + table_ + " (" + fid_ + ", " + sql_identifier(layout_.geom);
        for (const auto& c : core::incident_columns()) sql += ", " + sql_identifier(c.name);
        sql += ") VALUES ";
        for (std::size_t r = 0; r < rows; ++r) {
            sql += r ? ",(" : "(";
            for (int k = 0; k < kParamsPerRow; ++k) sql += k ? ",?" : "?";
            sql += ")";
        }
        return sql;
    }

    /** Inserts rows (fids set) with one statement of that many rows. */
    void insert(SqliteStatement& q, const core::Incident* rows, std::size_t n) {
        const auto& columns = core::incident_columns();
        // Bound as SQLITE_STATIC: the blobs and dates must live until the statement has run.
        unsigned char blobs[kBatchRows][kGpkgPointBlobSize];
        char dates[kBatchRows][40];
        if (added_.capacity() < added_.size() + n)  // grow geometrically: inserts come per chunk
            added_.reserve(std::max(2 * added_.capacity(), added_.size() + n));
        for (std::size_t j = 0; j < n; ++j) {
            const core::Incident& inc = rows[j];
            const int base = static_cast<int>(j) * kParamsPerRow;
            q.bind(base + 1, inc.fid);
            write_gpkg_point(blobs[j], inc.lon, inc.lat, layout_.srs_id);
            q.bind_blob(base + 2, blobs[j], kGpkgPointBlobSize);
            for (std::size_t i = 0; i < kColumns; ++i) {
                const auto& c = columns[i];
                const int k = base + 3 + static_cast<int>(i);
                switch (c.type) {
                    case core::ColumnType::Text: {
                        const std::string& text = inc.*c.text;
                        if (text.empty())
                            q.bind_null(k);
                        else
                            q.bind_text(k, text);
                        break;
                    }
                    case core::ColumnType::Integer: {
                        const auto& v = inc.*c.integer;
                        if (v)
                            q.bind(k, static_cast<std::int64_t>(*v));
                        else
                            q.bind_null(k);
                        break;
                    }
                    case core::ColumnType::Date:
                        q.bind_text(k, std::string_view(dates[j], inc.event_date.iso(dates[j])));
                        break;
                }
            }
            added_.push_back({inc.fid, inc.lon, inc.lon, inc.lat, inc.lat});
        }
        q.run();
    }

    /** Brings the R-tree, extent and feature count in step with what was inserted, and puts
     *  GDAL's triggers back. */
    void finish() {
        if (added_.empty()) {
            for (const auto& t : triggers_) db_->exec(t.second);
            triggers_.clear();
            return;
        }
        const auto n = static_cast<std::int64_t>(added_.size());
        double min_x = added_[0].min_x, max_x = min_x, min_y = added_[0].min_y, max_y = min_y;
        for (const RtreeEntry& e : added_) {
            min_x = std::min(min_x, e.min_x);
            max_x = std::max(max_x, e.max_x);
            min_y = std::min(min_y, e.min_y);
            max_y = std::max(max_y, e.max_y);
        }
        if (has_rtree_) update_rtree();

        // What OGR keeps beside the rows: the feature count (an unknown one, NULL, is counted
        // now: OGR's readers size their work by it). Deletes were counted by GDAL's trigger.
        if (db_->has_object("table", "gpkg_ogr_contents")) {
            auto q = db_->prepare(
                "UPDATE gpkg_ogr_contents SET feature_count = coalesce(feature_count + ?1, "
                "CASE WHEN ?3 THEN (SELECT count(*) FROM " +
                table_ +
                ") ELSE ?1 END) "
                "WHERE lower(table_name) = lower(?2)");
            q.bind(1, n);
            q.bind_text(2, layout_.table);
            q.bind(3, std::int64_t{had_rows_});
            q.run();
        }
        // ... and the extent, grown to take the new points; an unknown extent of stored rows
        // stays unknown (NULL), as GDAL then computes it when asked.
        {
            auto q = db_->prepare(
                "SELECT min_x, min_y, max_x, max_y FROM gpkg_contents WHERE lower(table_name) = "
                "lower(?1)");
            q.bind_text(1, layout_.table);
            bool known = true;
            if (q.step()) {
                const bool any_null = q.is_null(0) || q.is_null(1) || q.is_null(2) || q.is_null(3);
                if (had_rows_ && any_null) {
                    known = false;
                } else if (had_rows_) {
                    min_x = std::min(min_x, q.column_double(0));
                    min_y = std::min(min_y, q.column_double(1));
                    max_x = std::max(max_x, q.column_double(2));
                    max_y = std::max(max_y, q.column_double(3));
                }
            }
            auto u = db_->prepare(
                known ? "UPDATE gpkg_contents SET min_x = ?1, min_y = ?2, max_x = ?3, max_y = ?4, "
                        "last_change = strftime('%Y-%m-%dT%H:%M:%fZ','now') "
                        "WHERE lower(table_name) = lower(?5)"
                      : "UPDATE gpkg_contents SET last_change = strftime('%Y-%m-%dT%H:%M:%fZ','now') "
                        "WHERE lower(table_name) = lower(?5)");
            if (known) {
                u.bind(1, min_x);
                u.bind(2, min_y);
                u.bind(3, max_x);
                u.bind(4, max_y);
            }
            u.bind_text(5, layout_.table);
            u.run();
        }
        for (const auto& t : triggers_) db_->exec(t.second);
        triggers_.clear();
        std::vector<RtreeEntry>().swap(added_);
    }

    void update_rtree() {
        // Rebuilding reads every stored point back (~0.3 µs a row); inserting one by one costs
        // ~15 µs a row: rebuild unless the stored rows outnumber the new ones ~16 to 1, or the
        // tree was already used through its virtual table in this transaction.
        const std::int64_t stored = rtree_entry_count(*db_, rtree_name_);
        const auto n = static_cast<std::int64_t>(added_.size());
        if (!rtree_used_ && (stored == 0 || n * 16 >= stored)) {
            // Every row of the table as it now stands, the inserted ones included.
            std::vector<RtreeEntry> entries;
            entries.reserve(static_cast<std::size_t>(stored + n));
            bool points_only = true;
            auto q = db_->prepare("SELECT " + fid_ + ", " + sql_identifier(layout_.geom) + " FROM " + table_);
            while (points_only && q.step()) {
                std::size_t size = 0;
                const unsigned char* blob = q.column_blob(1, size);
                double x, y;
                if (read_gpkg_point(blob, size, x, y))
                    entries.push_back({q.column_int64(0), x, x, y, y});
                else if (blob && !gpkg_blob_is_empty(blob, size))
                    points_only = false;  // not a point: leave the tree to the row-by-row path
                // NULL and empty geometries have no entry (GDAL's trigger skips them too).
            }
            if (points_only) {
                rtree_bulk_load(*db_, rtree_name_, std::move(entries));
                return;
            }
        }
        // As GDAL's trigger rtree_<t>_<g>_insert does it.
        auto insert = db_->prepare("INSERT OR REPLACE INTO " + sql_identifier(rtree_name_) +
                                   " VALUES (?1, ?2, ?3, ?4, ?5)");
        for (const RtreeEntry& e : added_) {
            insert.bind(1, e.id);
            insert.bind(2, e.min_x);
            insert.bind(3, e.max_x);
            insert.bind(4, e.min_y);
            insert.bind(5, e.max_y);
            insert.run();
        }
    }

    std::unique_ptr<SqliteDb> db_;  // first: the statements below are finalized before it closes
    GpkgIncidentLayout layout_;
    bool created_layer_;
    std::function<void()> drop_layer_;
    std::string table_, fid_, rtree_name_;
    bool open_ = false, started_ = false, has_rtree_ = false, had_rows_ = false, rtree_used_ = false;
    std::int64_t next_fid_ = 1;
    std::shared_ptr<const StringSet> stored_ids_;
    std::vector<std::pair<std::string, std::string>> triggers_;  // dropped: name, CREATE sql
    std::vector<RtreeEntry> added_;                              // fid and point of new rows
    std::optional<SqliteStatement> batch_, single_, delete_;
};

}  // namespace

// ---------------------------------------------------------------------------------------------
// [SECTION] The table
// ---------------------------------------------------------------------------------------------

GpkgIncidentTable::GpkgIncidentTable(std::string path, LayerHooks hooks)
    : path_(std::move(path)), hooks_(std::move(hooks)) {}

GpkgIncidentTable::~GpkgIncidentTable() {
    read_one_.reset();  // before the connection closes
}

const GpkgIncidentLayout* GpkgIncidentTable::layout() {
    std::lock_guard<std::mutex> lock(mutex_);
    if (!layout_) layout_ = inspect_incidents(shared_db());
    return layout_ ? &*layout_ : nullptr;
}

SqliteDb& GpkgIncidentTable::shared_db() {
    if (!shared_) shared_ = std::make_unique<SqliteDb>(path_, SqliteDb::Mode::ReadOnly);
    return *shared_;
}

bool GpkgIncidentTable::exists() { return layout() != nullptr; }

std::size_t GpkgIncidentTable::count_hint() {
    const GpkgIncidentLayout* l = layout();
    if (!l) return 0;
    std::lock_guard<std::mutex> lock(mutex_);
    return count_hint_of(shared_db(), *l);
}

std::unique_ptr<IncidentCursor> GpkgIncidentTable::query(const IncidentQuery& q) {
    const GpkgIncidentLayout* l = layout();
    if (!l) return EmptyReads().query(q);
    const std::size_t hint = q.fids ? count_hint() : 0;
    return std::make_unique<GpkgCursor>(path_, nullptr, *l, q, kFirstFid, kLastFid, hint);
}

std::unique_ptr<IncidentReads> GpkgIncidentTable::snapshot() {
    const GpkgIncidentLayout* l = layout();
    if (!l) return std::make_unique<EmptyReads>();
    return std::make_unique<GpkgSnapshot>(path_, *l);
}

std::optional<core::Incident> GpkgIncidentTable::read(std::int64_t fid) {
    const GpkgIncidentLayout* l = layout();
    if (!l) return std::nullopt;
    std::lock_guard<std::mutex> lock(mutex_);
    const Selection sel = select_for(*l, IncidentQuery{});
    if (!read_one_)
        read_one_.emplace(shared_db().prepare(sel.sql + " WHERE " + sql_identifier(l->fid) + " = ?1"));
    SqliteStatement& q = *read_one_;
    // Reset on every way out: a statement left stepping would hold the read lock and keep
    // writers out.
    struct Reset {
        SqliteStatement& q;
        ~Reset() { q.reset(); }
    } reset{q};
    q.bind(1, fid);
    if (!q.step()) return std::nullopt;
    core::Incident inc;
    decode(q, sel, inc);
    return inc;
}

std::vector<std::int64_t> GpkgIncidentTable::find(std::string_view column, const std::string& text,
                                                  TextMatch match) {
    const std::string col = text_column(column);
    const GpkgIncidentLayout* l = layout();
    std::vector<std::int64_t> out;
    if (!l || !l->present[static_cast<std::size_t>(core::incident_column_index(column))]) return out;
    std::lock_guard<std::mutex> lock(mutex_);
    const std::string fid = sql_identifier(l->fid);
    auto q = shared_db().prepare(
        "SELECT " + fid + " FROM " + sql_identifier(l->table) + " WHERE " +
        (match == TextMatch::Equals ? col + " = ?1" : "instr(lower(" + col + "), lower(?1)) > 0") +
        " ORDER BY " + fid);
    q.bind_text(1, text);
    while (q.step()) out.push_back(q.column_int64(0));
    return out;
}

unsigned GpkgIncidentTable::scan_parts(const IncidentQuery& query, unsigned threads,
                                       const std::function<void(unsigned, const core::Incident&)>& visit,
                                       const std::function<void()>& restart) {
    const GpkgIncidentLayout* l = layout();
    if (!l) return 0;
    // `watch` holds no transaction: it only notices (data_version) whether anyone committed
    // while the parts read, each in its own read transaction.
    SqliteDb watch(path_, SqliteDb::Mode::ReadOnly);
    const std::int64_t version = data_version(watch);
    // The ends of the fid range: one query each, as SQLite reads a lone min() or max() from
    // one end of the b-tree but scans the whole table for both in one SELECT.
    auto fid_end = [&](const char* fn) -> std::optional<std::int64_t> {
        auto q = watch.prepare("SELECT " + std::string(fn) + "(" + sql_identifier(l->fid) +
                               ") FROM " + sql_identifier(l->table));
        if (q.step() && !q.is_null(0)) return q.column_int64(0);
        return std::nullopt;
    };
    const auto first = fid_end("min"), last = fid_end("max");
    if (!first || !last || *last < *first) return 0;  // no rows
    const std::int64_t lo = *first, hi = *last;
    if (threads == 0)
        threads = (hi - lo >= 50'000 && std::thread::hardware_concurrency() >= 2) ? 2 : 1;
    if (hi == lo) threads = 1;
    auto part = [&](unsigned p, std::int64_t from, std::int64_t to) {
        GpkgCursor rows(path_, nullptr, *l, query, from, to, 0);
        core::Incident inc;  // one for every row: its strings keep their buffers
        while (rows.next(inc)) visit(p, inc);
    };
    if (threads >= 2) {
        const std::int64_t mid = lo + (hi - lo) / 2;
        core::run_beside([&] { part(0, lo, mid); }, [&] { part(1, mid + 1, hi); });
        if (data_version(watch) == version) return 2;
        restart();  // a commit between the halves' reads: one consistent pass instead
    }
    part(0, lo, hi);
    return 1;
}

std::unique_ptr<IncidentWriter> GpkgIncidentTable::write() {
    bool created = false;
    if (!layout()) {
        if (hooks_.create) hooks_.create();
        created = true;
        std::lock_guard<std::mutex> lock(mutex_);
        read_one_.reset();
        shared_.reset();  // a connection that read the schema before the layer was there
        layout_.reset();
    }
    const GpkgIncidentLayout* l = layout();
    if (!l) throw core::IoError(path_, "no incidents feature table to append to");
    // A rolled-back write drops the layer it created: this table then forgets its layout.
    auto drop = [this] {
        if (hooks_.drop) hooks_.drop();
        std::lock_guard<std::mutex> lock(mutex_);
        read_one_.reset();
        shared_.reset();
        layout_.reset();
    };
    return std::make_unique<GpkgWriter>(path_, *l, created, drop);
}

}  // namespace limes::geo
