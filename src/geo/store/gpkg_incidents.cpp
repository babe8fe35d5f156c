#include "geo/store/gpkg_incidents.hpp"

// [SECTION] index
//   The layout      which of limes' columns the table has, its fid and geometry columns
//   Reading         one cursor per pass, its SELECT built from the columns asked for
//   Split scans     two fid halves on two connections, read again whole on a concurrent write
//   The table       read(), find(), count_hint(), write()

#include <algorithm>
#include <cctype>
#include <limits>
#include <thread>
#include <unordered_set>
#include <utility>

#include "core/error.hpp"
#include "core/parallel.hpp"
#include "core/text.hpp"
#include "geo/store/gpkg_blob.hpp"
#include "geo/store/gpkg_writer.hpp"

namespace limes::geo {
namespace {

constexpr const char* kIncidentsTable = "incidents";

/** The column's name quoted for SQL, after checking it is one of limes' text columns (the name
 *  goes into the statement, so only known ones pass). */
std::string text_column(std::string_view column) {
    return sql_identifier(require_text_column(column));
}

/** The marks index's columns: fid first (a pass reads a fid range, in fid order), the point,
 *  then the drawn columns in incident_columns() order. */
std::vector<std::string> marks_index_columns(const GpkgIncidentLayout& l) {
    std::vector<std::string> out{l.fid, l.geom};
    const core::IncidentColumns drawn = core::IncidentColumns::drawn();
    const auto& columns = core::incident_columns();
    for (std::size_t i = 0; i < kIncidentColumnCount; ++i)
        if (drawn.has(i)) out.emplace_back(columns[i].name);
    return out;
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
        if (q.column_int64(5) == 1 && core::to_lower(q.column_text(2)) == "integer") l.fid = name;
        if (core::to_lower(name) == core::to_lower(l.geom)) geom_found = true;
        const int k = core::incident_column_index(core::to_lower(name));
        if (k >= 0) l.present[static_cast<std::size_t>(k)] = true;
    }
    if (l.fid.empty() || !geom_found) return std::nullopt;
    // The covering index counts only with exactly its columns, in its order: an index of that
    // name made otherwise would not answer a pass's columns.
    {
        const std::vector<std::string> expected = marks_index_columns(l);
        const std::string name = marks_index_name(l);  // bound without a copy: outlives c
        auto c = db.prepare("SELECT name FROM pragma_index_info(?1) ORDER BY seqno");
        c.bind_text(1, name);
        std::size_t k = 0;
        bool same = true;
        while (c.step()) {
            same = same && k < expected.size() && !c.is_null(0) &&
                   core::iequals(c.column_text(0), expected[k]);
            ++k;
        }
        l.marks_index = same && k == expected.size();
    }
    return l;
}

std::string marks_index_name(const GpkgIncidentLayout& l) {
    return l.table + "_marks";
}

std::string marks_index_sql(const GpkgIncidentLayout& l) {
    std::string sql = "CREATE INDEX IF NOT EXISTS " + sql_identifier(marks_index_name(l)) +
                      " ON " + sql_identifier(l.table) + " (";
    bool first = true;
    for (const std::string& c : marks_index_columns(l)) {
        sql += (first ? "" : ", ") + sql_identifier(c);
        first = false;
    }
    return sql + ")";
}

// ---------------------------------------------------------------------------------------------
// [SECTION] Reading
// ---------------------------------------------------------------------------------------------

/** What one pass selects: fid, geometry, then the columns read, in incident_columns() order.
 *  A column the table lacks is read as NULL (empty), as OGR reads a field it does not have.
 *  (Outside the anonymous namespace: GpkgRowReader keeps one.) */
struct GpkgSelection {
    std::string sql;                   // SELECT ... FROM t (no WHERE)
    std::vector<std::size_t> columns;  // incident column index of result column 2, 3, ...
    core::IncidentColumns unread;      // columns the pass leaves empty
};

namespace {

using Selection = GpkgSelection;

Selection select_for(const GpkgIncidentLayout& l, const IncidentQuery& q) {
    core::IncidentColumns wanted = q.columns;
    if (q.filter) wanted.add(q.filter->columns());
    Selection s;
    s.sql = "SELECT " + sql_identifier(l.fid) + ", " + sql_identifier(l.geom);
    const auto& columns = core::incident_columns();
    for (std::size_t i = 0; i < kIncidentColumnCount; ++i) {
        if (!wanted.has(i)) {
            s.unread.add(i);
            continue;
        }
        s.sql += ", ";
        s.sql += l.present[i] ? sql_identifier(columns[i].name) : std::string("NULL");
        s.columns.push_back(i);
    }
    s.sql += " FROM " + sql_identifier(l.table);
    // Every column the pass reads is in the covering index: SQLite reads the index alone. Named,
    // as the planner would otherwise take the table's own b-tree for a fid range.
    if (l.marks_index && (wanted | core::IncidentColumns::drawn()) == core::IncidentColumns::drawn())
        s.sql += " INDEXED BY " + sql_identifier(marks_index_name(l));
    return s;
}

/** The same pass through the table's own b-tree. */
Selection without_index(Selection s) {
    const std::size_t at = s.sql.find(" INDEXED BY ");
    if (at != std::string::npos) s.sql.erase(at);
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

/** Decodes the current row of q (laid out as sel says) into inc. Each column through its
 *  sqlite3_value (SqliteStatement::value): half the calls into the statement of the
 *  column_*() pairs, a twentieth of a 10M render's CPU (BENCHMARKS.md). */
void decode(const SqliteStatement& q, const Selection& sel, core::Incident& inc) {
    inc.fid = sqlite3_value_int64(q.value(0));
    sqlite3_value* geom = q.value(1);
    const auto* blob = static_cast<const unsigned char*>(sqlite3_value_blob(geom));
    if (!read_gpkg_point(blob, static_cast<std::size_t>(sqlite3_value_bytes(geom)), inc.lon,
                         inc.lat))
        inc.lon = inc.lat = 0.0;  // as OGR's read leaves a missing or non-point geometry
    const auto& columns = core::incident_columns();
    int k = 2;
    for (const std::size_t i : sel.columns) {
        const auto& c = columns[i];
        sqlite3_value* v = q.value(k++);
        switch (c.type) {
            case core::ColumnType::Text: {
                const std::string_view text = sqlite_text(v);  // NULL reads as ""
                (inc.*c.text).assign(text.data(), text.size());
                break;
            }
            case core::ColumnType::Integer:
                if (sqlite3_value_type(v) == SQLITE_NULL)
                    (inc.*c.integer).reset();
                else
                    inc.*c.integer = sqlite3_value_int64(v);
                break;
            case core::ColumnType::Date:
                inc.event_date = sqlite3_value_type(v) == SQLITE_NULL
                                     ? core::Date{}
                                     : parse_stored_date(sqlite_text(v)).value_or(core::Date{});
                break;
        }
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
        const std::string where =
            " WHERE " + fid + (lookup_ ? " = ?1" : " BETWEEN ?1 AND ?2 ORDER BY " + fid);
        try {
            q_.emplace(db_.prepare(sel_.sql + where));
        } catch (const core::Error&) {
            // The marks index went between reading the layout and now (another tool dropped
            // it): the table itself has every row.
            if (sel_.sql.find(" INDEXED BY ") == std::string::npos) throw;
            sel_ = without_index(std::move(sel_));
            q_.emplace(db_.prepare(sel_.sql + where));
        }
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
            for (std::size_t i = 0; i < kIncidentColumnCount; ++i)
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
            "SELECT feature_count FROM gpkg_ogr_contents WHERE lower(table_name) = "
            "lower(?1)");
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
    if (lo && hi && *hi >= *lo && *hi - *lo < (1 << 26))
        return static_cast<std::size_t>(*hi - *lo + 1);
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
        return std::make_unique<GpkgCursor>(path_, &db_, layout_, q, kFirstFid, kLastFid,
                                            count_hint());
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

}  // namespace

// ---------------------------------------------------------------------------------------------
// [SECTION] The table
// ---------------------------------------------------------------------------------------------

namespace {

class GpkgIncidentTable : public IncidentTable {
  public:
    GpkgIncidentTable(std::string path, GpkgLayerHooks hooks);
    ~GpkgIncidentTable() override;

    bool exists() override;
    std::size_t count_hint() override;
    std::unique_ptr<IncidentCursor> query(const IncidentQuery& query) override;
    std::unique_ptr<IncidentReads> snapshot() override;
    std::optional<core::Incident> read(std::int64_t fid) override;
    std::vector<std::int64_t> find(std::string_view column, const std::string& text,
                                   TextMatch match) override;
    unsigned scan_parts(const IncidentQuery& query, unsigned threads,
                        const std::function<void(unsigned, const core::Incident&)>& visit,
                        const std::function<void()>& restart) override;
    std::unique_ptr<IncidentWriter> write() override;

    const std::string& path() const { return path_; }

  private:
    /** The layout, read at the first need (and again after write() created the layer). */
    const GpkgIncidentLayout* layout();
    SqliteDb& shared_db();  // for read() and find(); caller holds mutex_

    std::string path_;
    GpkgLayerHooks hooks_;
    std::optional<GpkgIncidentLayout> layout_;
    std::mutex mutex_;                  // guards layout_, shared_ and read_one_
    std::unique_ptr<SqliteDb> shared_;  // read(), find(), count_hint(): no transaction held
    std::unique_ptr<GpkgRowReader> read_one_;  // on shared_; reset first (the destructor)
};

}  // namespace

std::unique_ptr<IncidentTable> make_gpkg_incidents(std::string path, GpkgLayerHooks hooks) {
    return std::make_unique<GpkgIncidentTable>(std::move(path), std::move(hooks));
}

GpkgIncidentTable::GpkgIncidentTable(std::string path, GpkgLayerHooks hooks)
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

bool GpkgIncidentTable::exists() {
    return layout() != nullptr;
}

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

std::string gpkg_pass_sql(const GpkgIncidentLayout& layout, const IncidentQuery& query) {
    return select_for(layout, query).sql;
}

struct GpkgRowReader::Impl {
    Selection sel;
    SqliteStatement q;
};

GpkgRowReader::GpkgRowReader(SqliteDb& db, const GpkgIncidentLayout& layout) {
    Selection sel = select_for(layout, IncidentQuery{});
    SqliteStatement q = db.prepare(sel.sql + " WHERE " + sql_identifier(layout.fid) + " = ?1");
    impl_ = std::make_unique<Impl>(Impl{std::move(sel), std::move(q)});
}

GpkgRowReader::~GpkgRowReader() = default;

std::optional<core::Incident> GpkgRowReader::read(std::int64_t fid) {
    SqliteStatement& q = impl_->q;
    // Reset on every way out: a statement left stepping would hold the read lock and keep
    // writers out.
    struct Reset {
        SqliteStatement& q;
        ~Reset() { q.reset(); }
    } reset{q};
    q.bind(1, fid);
    if (!q.step()) return std::nullopt;
    core::Incident inc;
    decode(q, impl_->sel, inc);
    return inc;
}

std::optional<core::Incident> GpkgIncidentTable::read(std::int64_t fid) {
    const GpkgIncidentLayout* l = layout();
    if (!l) return std::nullopt;
    std::lock_guard<std::mutex> lock(mutex_);
    if (!read_one_) read_one_ = std::make_unique<GpkgRowReader>(shared_db(), *l);
    return read_one_->read(fid);
}

std::vector<std::int64_t> GpkgIncidentTable::find(std::string_view column, const std::string& text,
                                                  TextMatch match) {
    const std::string col = text_column(column);
    const GpkgIncidentLayout* l = layout();
    std::vector<std::int64_t> out;
    if (!l || !l->present[static_cast<std::size_t>(core::incident_column_index(column))])
        return out;
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

unsigned GpkgIncidentTable::scan_parts(
    const IncidentQuery& query, unsigned threads,
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
    return make_gpkg_writer(path_, *l, created, drop);
}

}  // namespace limes::geo
