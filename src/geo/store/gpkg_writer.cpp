#include "geo/store/gpkg_writer.hpp"

#include <algorithm>
#include <optional>
#include <utility>
#include <vector>

#include "core/error.hpp"
#include "geo/store/gpkg_audit.hpp"
#include "geo/store/gpkg_blob.hpp"
#include "geo/store/rtree_bulk.hpp"
#include "geo/store/schema_check.hpp"
#include "geo/store/sqlite_db.hpp"

namespace limes::geo {
namespace {

class GpkgWriter : public IncidentWriter {
  public:
    GpkgWriter(const std::string& path, const GpkgIncidentLayout& layout, bool created_layer,
               std::function<void()> drop_layer)
        : db_(std::make_unique<SqliteDb>(path, SqliteDb::Mode::ReadWrite)),
          layout_(layout),
          created_layer_(created_layer),
          drop_layer_(std::move(drop_layer)) {
        for (std::size_t i = 0; i < kIncidentColumnCount; ++i)
            if (!layout.present[i])
                throw core::IoError(path, "layer incidents has no column " +
                                              std::string(core::incident_columns()[i].name) +
                                              " (not a limes workspace layer?)");
        // 32 MiB of pages: an import appends (the table, the id index and the R-tree's shadow
        // tables all grow at their ends), so a larger cache buys nothing; 256 MiB made a 1M
        // import no faster and held 10M rows' import at 0.5 GB (BENCHMARKS.md, ten million).
        db_->exec("PRAGMA cache_size = -32768");
        db_->exec("BEGIN IMMEDIATE");
        open_ = true;
        // Inside the transaction: no trigger can be added between this check and the writes.
        require_no_foreign_logic(db_->handle(), path);
        table_ = sql_identifier(layout.table);
        fid_ = sql_identifier(layout.fid);
        rtree_name_ = "rtree_" + layout.table + "_" + layout.geom;
    }

    ~GpkgWriter() override {
        if (open_) sqlite3_exec(db_->handle(), "ROLLBACK", nullptr, nullptr, nullptr);
        batch_.reset();
        single_.reset();
        row_reader_.reset();
        db_.reset();  // closed before GDAL opens the file to drop the layer
        if (open_ && created_layer_ && drop_layer_) {
            try {
                drop_layer_();  // best effort: an empty layer holds no data either
            } catch (...) {
            }
        }
    }

    std::unique_ptr<DuplicateCheck> duplicate_check(std::size_t expected_rows) override {
        // The exact lookups go through an index on the ids: a workspace without one (GDAL's
        // own layers have none) gets it, in this write's transaction.
        db_->exec("CREATE INDEX IF NOT EXISTS " + sql_identifier(layout_.table + "_event_id_cnty") +
                  " ON " + table_ + " (event_id_cnty)");
        const StoredIds stored = [this](const std::function<void(std::string_view)>& add) {
            auto q = db_->prepare("SELECT event_id_cnty FROM " + table_ +
                                  " WHERE event_id_cnty IS NOT NULL");
            while (q.step()) add(q.column_text(0));
        };
        IdLookup lookup = [this](const std::vector<std::string_view>& ids) {
            if (!find_id_)
                find_id_.emplace(db_->prepare("SELECT min(" + fid_ + ") FROM " + table_ +
                                              " WHERE event_id_cnty = ?1"));
            std::vector<IdPlace> places;
            places.reserve(ids.size());
            for (const std::string_view id : ids) {
                find_id_->bind_text(1, id);
                IdPlace place = IdPlace::New;
                if (find_id_->step() && !find_id_->is_null(0))
                    place = started_ && find_id_->column_int64(0) >= first_fid_
                                ? IdPlace::EarlierInWrite
                                : IdPlace::InWorkspace;
                find_id_->reset();
                places.push_back(place);
            }
            return places;
        };
        return std::make_unique<DuplicateCheck>(stored, std::move(lookup), expected_rows);
    }

    void append(core::Incident* incidents, std::size_t n) override {
        if (n == 0) return;
        begin();
        if (!marks_indexed_) {
            // The covering index a map reads (gpkg_incidents.hpp): made with the layer's first
            // rows, once for a workspace made before it (or by GDAL). Appended rows come in fid
            // order, so SQLite adds them at its end, as it does to the table.
            db_->exec(marks_index_sql(layout_));
            marks_indexed_ = true;
        }
        for (std::size_t i = 0; i < n; ++i) {
            incidents[i].fid = next_fid_++;
            audit_.inserted(incidents[i].fid);
        }
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
        const std::optional<core::Incident> before = row_reader().read(inc.fid);
        remove_row(inc.fid);
        if (sqlite3_changes(db_->handle()) != 1)
            throw core::UsageError(db_->path() + ": incident fid " + std::to_string(inc.fid) +
                                   " is not stored, it cannot be updated");
        begin();
        if (!single_) single_.emplace(db_->prepare(insert_sql(1)));
        insert(*single_, &inc, 1);
        if (before) audit_.updated(*before, inc);
    }

    // A GeoPackage keeps no row versions (core::Incident::version is 0 for its rows): the
    // window's data_version watch finds others' changes instead (store/watch.hpp).
    void remove(std::int64_t fid, std::int64_t) override {
        const std::optional<core::Incident> before = row_reader().read(fid);
        if (!before) return;  // nothing stored: nothing to delete or record
        remove_row(fid);
        audit_.removed(*before);
    }

    void commit(core::ProgressSink* progress) override {
        if (progress) progress->update(0.9, "writing incidents");
        if (rtree_used_) {
            // Rows went: the stored extent may now be larger than the points. Unknown (NULL) is
            // what the GeoPackage allows for it, and GDAL then computes it when asked; exact
            // would cost a pass over every point on each save.
            auto q = db_->prepare(
                "UPDATE gpkg_contents SET min_x = NULL, min_y = NULL, max_x = NULL, max_y = NULL, "
                "last_change = strftime('%Y-%m-%dT%H:%M:%fZ','now') WHERE lower(table_name) = "
                "lower(?1)");
            q.bind_text(1, layout_.table);
            q.run();
        }
        if (started_) finish();
        audit_.write(*db_);  // in the same transaction: the change and its record land together
        db_->exec("COMMIT");
        open_ = false;
        if (progress) progress->update(1.0, "writing incidents");
    }

  private:
    static constexpr std::size_t kBatchRows = 64;  ///< rows per INSERT statement
    static constexpr int kParamsPerRow =
        2 + static_cast<int>(kIncidentColumnCount);  ///< fid, geometry, columns

    /** The rows as this transaction sees them, before a change (for the audit). */
    GpkgRowReader& row_reader() {
        if (!row_reader_) row_reader_ = std::make_unique<GpkgRowReader>(*db_, layout_);
        return *row_reader_;
    }

    void remove_row(std::int64_t fid) {
        if (!delete_)
            delete_.emplace(db_->prepare("DELETE FROM " + table_ + " WHERE " + fid_ + " = ?1"));
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
        first_fid_ = next_fid_;
        batch_.emplace(db_->prepare(insert_sql(kBatchRows)));
    }

    std::string insert_sql(std::size_t rows) const {
        std::string sql =
            "INSERT INTO " + table_ + " (" + fid_ + ", " + sql_identifier(layout_.geom);
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
        for (std::size_t j = 0; j < n; ++j) {
            const core::Incident& inc = rows[j];
            const int base = static_cast<int>(j) * kParamsPerRow;
            q.bind(base + 1, inc.fid);
            write_gpkg_point(blobs[j], inc.lon, inc.lat, layout_.srs_id);
            q.bind_blob(base + 2, blobs[j], kGpkgPointBlobSize);
            for (std::size_t i = 0; i < kIncidentColumnCount; ++i) {
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
            extent_.add(inc.lon, inc.lat);
            points_.add(inc.fid, inc.lon, inc.lat);
        }
        inserted_ += static_cast<std::int64_t>(n);
        q.run();
    }

    /** Brings the R-tree, extent and feature count in step with what was inserted, and puts
     *  GDAL's triggers back. */
    void finish() {
        if (inserted_ == 0) {
            for (const auto& t : triggers_) db_->exec(t.second);
            triggers_.clear();
            return;
        }
        const std::int64_t n = inserted_;
        double min_x = extent_.min_x, max_x = extent_.max_x, min_y = extent_.min_y,
               max_y = extent_.max_y;
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
                known
                    ? "UPDATE gpkg_contents SET min_x = ?1, min_y = ?2, max_x = ?3, max_y = ?4, "
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
    }

    void update_rtree() {
        // Rebuilding reads every stored point back (~0.3 µs a row); inserting one by one costs
        // ~15 µs a row: rebuild unless the stored rows outnumber the new ones ~16 to 1, or the
        // tree was already used through its virtual table in this transaction.
        const std::int64_t stored = rtree_entry_count(*db_, rtree_name_);
        if (!rtree_used_ && (stored == 0 || inserted_ * 16 >= stored) && add_stored_points()) {
            rtree_bulk_load_sorted(*db_, rtree_name_, points_.size(), points_.min_id(),
                                   points_.max_id(), points_.by_x());
            return;
        }
        // As GDAL's trigger rtree_<t>_<g>_insert does it, for the rows inserted in this
        // transaction (the order does not matter here; stored rows that add_stored_points put
        // in before it found a geometry other than a point are in the tree already).
        auto insert = db_->prepare("INSERT OR REPLACE INTO " + sql_identifier(rtree_name_) +
                                   " VALUES (?1, ?2, ?3, ?4, ?5)");
        const RtreeEntriesByX next = points_.by_x();
        for (RtreeEntry e; next(e);) {
            if (stored_points_added_ && e.id < first_fid_) continue;
            insert.bind(1, e.id);
            insert.bind(2, e.min_x);
            insert.bind(3, e.max_x);
            insert.bind(4, e.min_y);
            insert.bind(5, e.max_y);
            insert.run();
        }
    }

    /** Adds the points of the rows stored before this transaction to those inserted, for a
     *  rebuild of the whole tree; false when a stored row holds another geometry than a point
     *  (the tree is then left to the row-by-row path). */
    bool add_stored_points() {
        if (!had_rows_) return true;
        auto q = db_->prepare("SELECT " + fid_ + ", " + sql_identifier(layout_.geom) + " FROM " +
                              table_ + " WHERE " + fid_ + " < ?1");
        q.bind(1, first_fid_);
        stored_points_added_ = true;
        while (q.step()) {
            std::size_t size = 0;
            const unsigned char* blob = q.column_blob(1, size);
            double x, y;
            if (read_gpkg_point(blob, size, x, y))
                points_.add(q.column_int64(0), x, y);
            else if (blob && !gpkg_blob_is_empty(blob, size))
                return false;  // not a point
            // NULL and empty geometries have no entry (GDAL's trigger skips them too).
        }
        return true;
    }

    std::unique_ptr<SqliteDb> db_;  // first: the statements below are finalized before it closes
    GpkgIncidentLayout layout_;
    bool created_layer_;
    std::function<void()> drop_layer_;
    std::string table_, fid_, rtree_name_;
    std::unique_ptr<GpkgRowReader> row_reader_;  // on db_
    bool marks_indexed_ = false;  ///< marks_index_sql() ran in this transaction
    bool open_ = false, started_ = false, has_rtree_ = false, had_rows_ = false,
         rtree_used_ = false;
    std::int64_t next_fid_ = 1;
    std::vector<std::pair<std::string, std::string>> triggers_;  // dropped: name, CREATE sql
    struct Extent {
        double min_x = 0, max_x = 0, min_y = 0, max_y = 0;
        bool any = false;
        void add(double x, double y) {
            if (!any) {
                min_x = max_x = x;
                min_y = max_y = y;
                any = true;
            }
            min_x = std::min(min_x, x);
            max_x = std::max(max_x, x);
            min_y = std::min(min_y, y);
            max_y = std::max(max_y, y);
        }
    };
    Extent extent_;                         // of the points inserted in this transaction
    std::int64_t inserted_ = 0;             // rows inserted: appended and updated
    std::int64_t first_fid_ = 1;            // the first appended row's fid
    RtreePointSorter points_;               // fid and point of each inserted row
    bool stored_points_added_ = false;      // points_ also holds the rows stored before
    GpkgAudit audit_{"incidents"};          // this write's records (gpkg_audit.hpp)
    std::optional<SqliteStatement> batch_, single_, delete_, find_id_;
};

}  // namespace

std::unique_ptr<IncidentWriter> make_gpkg_writer(const std::string& path,
                                                 const GpkgIncidentLayout& layout,
                                                 bool created_layer,
                                                 std::function<void()> drop_layer) {
    return std::make_unique<GpkgWriter>(path, layout, created_layer, std::move(drop_layer));
}

}  // namespace limes::geo
