#include "geo/store/gpkg_fast.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <limits>
#include <thread>
#include <tuple>
#include <type_traits>
#include <utility>

#include "core/error.hpp"
#include "core/parallel.hpp"
#include "geo/store/rtree_bulk.hpp"
#include "geo/store/workspace.hpp"

namespace limes::geo {
namespace {

// ---------------------------------------------------------------------------------------------
// [SECTION] Byte order helpers (GeoPackage headers and WKB carry their own byte order)
// ---------------------------------------------------------------------------------------------

template <class T>
T load(const unsigned char* p, bool little) {
    unsigned char b[sizeof(T)];
    std::memcpy(b, p, sizeof(T));
    const bool host_little = [] {
        const std::uint16_t one = 1;
        unsigned char c;
        std::memcpy(&c, &one, 1);
        return c == 1;
    }();
    if (little != host_little) std::reverse(b, b + sizeof(T));
    T v;
    std::memcpy(&v, b, sizeof(T));
    return v;
}

template <class T>
void store_le(unsigned char* p, T v) {
    unsigned char b[sizeof(T)];
    std::memcpy(b, &v, sizeof(T));
    const std::uint16_t one = 1;
    unsigned char c;
    std::memcpy(&c, &one, 1);
    if (c != 1) std::reverse(b, b + sizeof(T));
    std::memcpy(p, b, sizeof(T));
}

std::string lower(std::string_view s) {
    std::string out(s);
    for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

// ---------------------------------------------------------------------------------------------
// [SECTION] The incidents table as stored: names, declared types, geometry column
// ---------------------------------------------------------------------------------------------

constexpr std::size_t kColumns =
    std::tuple_size_v<std::remove_reference_t<decltype(core::incident_columns())>>;

struct Layout {
    std::string table;      // as registered in gpkg_geometry_columns
    std::string fid, geom;  // INTEGER PRIMARY KEY, geometry column
    std::int32_t srs_id = 0;
    std::array<std::string, kColumns> types;  // declared type (upper case) or empty: missing
};

// nullopt when there is no incidents feature table with an integer primary key.
std::optional<Layout> inspect(SqliteDb& db) {
    if (!db.has_object("table", "gpkg_geometry_columns")) return std::nullopt;
    Layout l;
    {
        auto q = db.prepare(
            "SELECT table_name, column_name, srs_id FROM gpkg_geometry_columns "
            "WHERE lower(table_name) = lower(?1)");
        q.bind_text(1, kIncidents);
        if (!q.step()) return std::nullopt;
        l.table = q.column_text(0);
        l.geom = q.column_text(1);
        l.srs_id = static_cast<std::int32_t>(q.column_int64(2));
    }
    auto q = db.prepare("PRAGMA table_info(" + sql_identifier(l.table) + ")");
    bool geom_found = false;
    while (q.step()) {  // cid, name, type, notnull, dflt_value, pk
        const std::string name(q.column_text(1));
        std::string type(q.column_text(2));
        for (char& c : type) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
        if (q.column_int64(5) == 1 && type == "INTEGER") l.fid = name;
        if (lower(name) == lower(l.geom)) geom_found = true;
        const int k = core::incident_column_index(lower(name));
        if (k >= 0) l.types[static_cast<std::size_t>(k)] = type;
    }
    if (l.fid.empty() || !geom_found) return std::nullopt;
    return l;
}

// The declared types limes' layer has, as OGR creates them (Text: TEXT, Integer: INTEGER,
// Date: DATE) or as OGR reads the same way (MEDIUMINT, SMALLINT, TEXT(n)).
bool type_fits(core::ColumnType want, const std::string& type) {
    switch (want) {
        case core::ColumnType::Text:
            return type.compare(0, 4, "TEXT") == 0;
        case core::ColumnType::Integer:
            return type == "INTEGER" || type == "BIGINT" || type == "MEDIUMINT" ||
                   type == "SMALLINT" || type == "INT" || type == "TINYINT";
        case core::ColumnType::Date:
            return type == "DATE";
    }
    return false;
}

// The geometry column, then incident_columns() in order.
std::string column_list(const std::string& geom) {
    std::string out = sql_identifier(geom);
    for (const auto& c : core::incident_columns()) out += ", " + sql_identifier(c.name);
    return out;
}

// "YYYY-MM-DD" as GDAL writes an OFTDate ("%04d-%02d-%02d"); returns the length.
std::size_t format_date(core::Date date, char* buf) {
    int y, m, d;
    date.to_ymd(y, m, d);
    if (y < 0 || y > 9999)
        return static_cast<std::size_t>(std::snprintf(buf, 32, "%04d-%02d-%02d", y, m, d));
    buf[0] = static_cast<char>('0' + y / 1000);
    buf[1] = static_cast<char>('0' + y / 100 % 10);
    buf[2] = static_cast<char>('0' + y / 10 % 10);
    buf[3] = static_cast<char>('0' + y % 10);
    buf[4] = '-';
    buf[5] = static_cast<char>('0' + m / 10);
    buf[6] = static_cast<char>('0' + m % 10);
    buf[7] = '-';
    buf[8] = static_cast<char>('0' + d / 10);
    buf[9] = static_cast<char>('0' + d % 10);
    return 10;
}


}  // namespace

std::optional<core::Date> parse_stored_date(std::string_view s) {
    if (s.size() == 10 && s[4] == '-' && s[7] == '-') {
        int v[3] = {0, 0, 0};
        const std::size_t starts[3] = {0, 5, 8}, lengths[3] = {4, 2, 2};
        bool ok = true;
        for (int k = 0; k < 3 && ok; ++k)
            for (std::size_t i = starts[k]; i < starts[k] + lengths[k]; ++i) {
                if (s[i] < '0' || s[i] > '9') {
                    ok = false;
                    break;
                }
                v[k] = v[k] * 10 + (s[i] - '0');
            }
        if (ok) return core::Date::from_ymd(v[0], v[1], v[2]);
    }
    return core::parse_date(s);
}

// ---------------------------------------------------------------------------------------------
// [SECTION] GeoPackage point blobs
// ---------------------------------------------------------------------------------------------

void write_gpkg_point(unsigned char* out, double x, double y, std::int32_t srs_id) {
    out[0] = 'G';
    out[1] = 'P';
    out[2] = 0;     // version 1 of the blob format is written as 0
    out[3] = 0x01;  // little-endian, no envelope, not empty, standard type
    store_le(out + 4, srs_id);
    out[8] = 0x01;                        // WKB little-endian
    store_le(out + 9, std::uint32_t{1});  // Point
    store_le(out + 13, x);
    store_le(out + 21, y);
}

bool gpkg_blob_is_empty(const unsigned char* blob, std::size_t size) {
    return blob && size >= 8 && blob[0] == 'G' && blob[1] == 'P' && (blob[3] & 0x10);
}

bool read_gpkg_point(const unsigned char* blob, std::size_t size, double& x, double& y) {
    if (!blob || size < 8 || blob[0] != 'G' || blob[1] != 'P') return false;
    const unsigned char flags = blob[3];
    if (flags & 0x10) return false;  // empty geometry
    static constexpr std::size_t kEnvelopeBytes[8] = {0, 32, 48, 48, 64, 0, 0, 0};
    const unsigned envelope = (flags >> 1) & 0x07;
    if (envelope > 4) return false;
    const std::size_t wkb = 8 + kEnvelopeBytes[envelope];
    if (size < wkb + 21) return false;
    const unsigned char order = blob[wkb];
    if (order > 1) return false;
    const bool little = order == 1;
    std::uint32_t type = load<std::uint32_t>(blob + wkb + 1, little);
    type &= 0x0FFFFFFFu;                 // EWKB-style Z/M/SRID bits
    if (type % 1000 != 1) return false;  // ISO Point, Point Z (1001), M (2001), ZM (3001)
    x = load<double>(blob + wkb + 5, little);
    y = load<double>(blob + wkb + 13, little);
    return !(std::isnan(x) && std::isnan(y));  // WKB writes an empty point as NaN, NaN
}

// ---------------------------------------------------------------------------------------------
// [SECTION] Writing
// ---------------------------------------------------------------------------------------------

IncidentBulkWriter::IncidentBulkWriter(const std::string& path)
    : db_(path, SqliteDb::Mode::ReadWrite) {
    // Pages of a large import stay in memory until the commit writes them (up to ~256 MB).
    db_.exec("PRAGMA cache_size = -262144");
    db_.exec("BEGIN IMMEDIATE");
    open_ = true;
    const auto layout = inspect(db_);
    if (!layout) throw core::IoError(path, "no incidents feature table to append to");
    for (std::size_t i = 0; i < kColumns; ++i)
        if (layout->types[i].empty())
            throw core::IoError(path, "layer incidents has no column " +
                                          std::string(core::incident_columns()[i].name) +
                                          " (not a limes workspace layer?)");
    fid_column_ = layout->fid;
    geom_column_ = layout->geom;
    srs_id_ = layout->srs_id;
}

IncidentBulkWriter::~IncidentBulkWriter() {
    if (open_) sqlite3_exec(db_.handle(), "ROLLBACK", nullptr, nullptr, nullptr);
}

std::unordered_set<std::string> IncidentBulkWriter::stored_event_ids() {
    std::unordered_set<std::string> ids;
    auto q = db_.prepare("SELECT event_id_cnty FROM " + sql_identifier(kIncidents) +
                         " WHERE event_id_cnty IS NOT NULL");
    while (q.step()) ids.emplace(q.column_text(0));
    return ids;
}

void IncidentBulkWriter::begin() {
    if (started_) return;
    started_ = true;
    const std::string table = sql_identifier(kIncidents);
    rtree_name_ = std::string("rtree_") + kIncidents + "_" + geom_column_;
    const std::string count_trigger = std::string("trigger_insert_feature_count_") + kIncidents;

    // GDAL's AFTER INSERT triggers keep the R-tree and gpkg_ogr_contents in step one row at a
    // time, through SQL functions (ST_MinX, ...) that only GDAL's connections have. They are
    // dropped for the bulk insert and re-created verbatim by finish(), in the same transaction.
    {
        auto q = db_.prepare(
            "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND "
            "lower(tbl_name) = lower(?1) AND name IN (?2, ?3)");
        q.bind_text(1, kIncidents);
        const std::string rtree_trigger = rtree_name_ + "_insert";
        q.bind_text(2, rtree_trigger);
        q.bind_text(3, count_trigger);
        while (q.step()) triggers_.emplace_back(q.column_text(0), q.column_text(1));
    }
    for (const auto& t : triggers_) db_.exec("DROP TRIGGER " + sql_identifier(t.first));
    has_rtree_ = db_.has_object("table", rtree_name_);
    {
        auto q = db_.prepare("SELECT EXISTS (SELECT 1 FROM " + table + ")");
        had_rows_ = q.step() && q.column_int64(0) != 0;
    }

    // fids continue after the largest stored one and after the AUTOINCREMENT counter (the
    // largest ever used), as SQLite would pick them; giving them explicitly lets one statement
    // insert a batch of rows, which halves SQLite's per-row overhead.
    next_fid_ = 1;
    {
        auto q = db_.prepare("SELECT max(" + sql_identifier(fid_column_) + ") FROM " + table);
        if (q.step() && !q.is_null(0)) next_fid_ = q.column_int64(0) + 1;
    }
    if (db_.has_object("table", "sqlite_sequence")) {
        auto q = db_.prepare("SELECT seq FROM sqlite_sequence WHERE lower(name) = lower(?1)");
        q.bind_text(1, kIncidents);
        if (q.step() && !q.is_null(0)) next_fid_ = std::max(next_fid_, q.column_int64(0) + 1);
    }
    first_new_fid_ = next_fid_;
    batch_.emplace(db_.prepare(insert_sql(kBatchRows)));
}

std::string IncidentBulkWriter::insert_sql(std::size_t rows) const {
    std::string sql = "INSERT INTO " + sql_identifier(kIncidents) + " (" +
                      sql_identifier(fid_column_) + ", " + column_list(geom_column_) + ") VALUES ";
    for (std::size_t r = 0; r < rows; ++r) {
        sql += r ? ",(" : "(";
        for (int k = 0; k < kParamsPerRow; ++k) sql += k ? ",?" : "?";
        sql += ")";
    }
    return sql;
}

void IncidentBulkWriter::remove(const std::vector<std::int64_t>& fids) {
    if (fids.empty()) return;
    auto q = db_.prepare("DELETE FROM " + sql_identifier(kIncidents) + " WHERE " + sql_identifier(fid_column_) +
                         " = ?1");
    for (const std::int64_t fid : fids) {
        q.bind(1, fid);
        q.run();
    }
}

void IncidentBulkWriter::add(core::Incident* incidents, std::size_t n) {
    if (n == 0) return;
    begin();
    const std::size_t full = n / kBatchRows * kBatchRows;
    std::optional<SqliteStatement> tail;  // the last, shorter batch
    if (full < n) tail.emplace(db_.prepare(insert_sql(n - full)));

    const auto& columns = core::incident_columns();
    // Bound as SQLITE_STATIC: the blobs and dates must live until the statement has run.
    unsigned char blobs[kBatchRows][kGpkgPointBlobSize];
    char dates[kBatchRows][32];
    if (added_.capacity() < added_.size() + n)  // grow geometrically: add() comes per chunk
        added_.reserve(std::max(2 * added_.capacity(), added_.size() + n));
    for (std::size_t first = 0; first < n; first += kBatchRows) {
        SqliteStatement& insert = first < full ? *batch_ : *tail;
        const std::size_t rows = std::min(kBatchRows, n - first);
        for (std::size_t j = 0; j < rows; ++j) {
            core::Incident& inc = incidents[first + j];
            const int base = static_cast<int>(j) * kParamsPerRow;
            inc.fid = next_fid_++;
            insert.bind(base + 1, inc.fid);
            write_gpkg_point(blobs[j], inc.lon, inc.lat, srs_id_);
            insert.bind_blob(base + 2, blobs[j], kGpkgPointBlobSize);
            for (std::size_t i = 0; i < kColumns; ++i) {
                const auto& c = columns[i];
                const int k = base + 3 + static_cast<int>(i);
                switch (c.type) {
                    case core::ColumnType::Text: {
                        const std::string& text = inc.*c.text;
                        if (text.empty())
                            insert.bind_null(k);
                        else
                            insert.bind_text(k, text);
                        break;
                    }
                    case core::ColumnType::Integer: {
                        const auto& v = inc.*c.integer;
                        if (v)
                            insert.bind(k, static_cast<std::int64_t>(*v));
                        else
                            insert.bind_null(k);
                        break;
                    }
                    case core::ColumnType::Date:
                        insert.bind_text(
                            k, std::string_view(dates[j], format_date(inc.event_date, dates[j])));
                        break;
                }
            }
            added_.push_back({inc.fid, inc.lon, inc.lon, inc.lat, inc.lat});
        }
        insert.run();
    }
}

void IncidentBulkWriter::finish(core::ProgressSink* progress) {
    if (added_.empty()) {
        if (progress) progress->update(1.0, "writing incidents");
        return;  // nothing inserted: begin() has not run, the triggers are untouched
    }
    if (progress) progress->update(0.9, "writing incidents");
    const std::string table = sql_identifier(kIncidents);
    const auto n = static_cast<std::int64_t>(added_.size());
    double min_x = added_[0].min_x, max_x = min_x, min_y = added_[0].min_y, max_y = min_y;
    for (const RtreeEntry& e : added_) {
        min_x = std::min(min_x, e.min_x);
        max_x = std::max(max_x, e.max_x);
        min_y = std::min(min_y, e.min_y);
        max_y = std::max(max_y, e.max_y);
    }
    if (has_rtree_) update_rtree();

    // What OGR keeps beside the rows: the feature count (an unknown one, NULL, is counted now:
    // OGR's readers size their work by it) ...
    if (db_.has_object("table", "gpkg_ogr_contents")) {
        auto q = db_.prepare(
            "UPDATE gpkg_ogr_contents SET feature_count = coalesce(feature_count + ?1, "
            "CASE WHEN ?3 THEN (SELECT count(*) FROM " +
            table +
            ") ELSE ?1 END) "
            "WHERE lower(table_name) = lower(?2)");
        q.bind(1, n);
        q.bind_text(2, kIncidents);
        q.bind(3, std::int64_t{had_rows_});
        q.run();
    }
    // ... and the extent, grown to take the new points; an unknown extent of stored rows stays
    // unknown (NULL), as GDAL then computes it when asked.
    {
        auto q = db_.prepare(
            "SELECT min_x, min_y, max_x, max_y FROM gpkg_contents WHERE lower(table_name) = "
            "lower(?1)");
        q.bind_text(1, kIncidents);
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
        auto u = db_.prepare(
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
        u.bind_text(5, kIncidents);
        u.run();
    }
    for (const auto& t : triggers_) db_.exec(t.second);
    triggers_.clear();
    std::vector<RtreeEntry>().swap(added_);
    if (progress) progress->update(1.0, "writing incidents");
}

void IncidentBulkWriter::append(std::vector<core::Incident>& incidents, core::ProgressSink* progress) {
    add(incidents);
    finish(progress);
}

void IncidentBulkWriter::update_rtree() {
    // Rebuilding reads every stored point back (~0.3 µs a row); inserting one by one costs
    // ~15 µs a row: rebuild unless the stored rows outnumber the new ones ~16 to 1.
    const std::int64_t stored = rtree_entry_count(db_, rtree_name_);
    const auto n = static_cast<std::int64_t>(added_.size());
    if (stored == 0 || n * 16 >= stored) {
        std::vector<RtreeEntry> entries;
        bool points_only = true;
        if (had_rows_) {
            // The rows stored before this append (their fids are below the first new one).
            auto q =
                db_.prepare("SELECT " + sql_identifier(fid_column_) + ", " +
                            sql_identifier(geom_column_) + " FROM " + sql_identifier(kIncidents) +
                            " WHERE " + sql_identifier(fid_column_) + " < ?1");
            q.bind(1, first_new_fid_);
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
        }
        if (points_only) {
            entries.insert(entries.end(), added_.begin(), added_.end());
            rtree_bulk_load(db_, rtree_name_, std::move(entries));
            return;
        }
    }
    // As GDAL's trigger rtree_<t>_<g>_insert does it.
    auto insert = db_.prepare("INSERT OR REPLACE INTO " + sql_identifier(rtree_name_) +
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

void IncidentBulkWriter::commit() {
    db_.exec("COMMIT");
    open_ = false;
}

// ---------------------------------------------------------------------------------------------
// [SECTION] Reading
// ---------------------------------------------------------------------------------------------

std::optional<IncidentReader> IncidentReader::open(const std::string& path, bool snapshot) {
    std::unique_ptr<SqliteDb> db;
    roll_back_hot_journal(path);  // after a crash mid-save: the last committed state
    try {
        db = std::make_unique<SqliteDb>(path, SqliteDb::Mode::ReadOnly);
    } catch (const core::IoError&) {
        return std::nullopt;  // not a file SQLite opens (e.g. a /vsi path): OGR reads it
    }
    std::optional<Layout> layout;
    try {
        // One read transaction for every pass: they all see the same rows.
        if (snapshot) db->exec("BEGIN");
        layout = inspect(*db);
    } catch (const core::IoError&) {
        return std::nullopt;  // not SQLite at all ("file is not a database")
    }
    if (!layout) return std::nullopt;
    const auto& columns = core::incident_columns();
    for (std::size_t i = 0; i < kColumns; ++i)
        if (!type_fits(columns[i].type, layout->types[i])) return std::nullopt;
    return IncidentReader(std::move(db), layout->table, layout->fid, layout->geom, snapshot);
}

std::optional<IncidentReader> IncidentReader::open(const Workspace& ws) {
    const GDALDriver* driver = ws.dataset().GetDriver();
    if (!driver || std::string(driver->GetDescription()) != "GPKG" ||
        ws.path().compare(0, 4, "/vsi") == 0 || !ws.layer(kIncidents))
        return std::nullopt;
    ws.dataset().FlushCache();  // a layer created in this session reaches the file first
    return open(ws.path());
}

IncidentReader::IncidentReader(std::unique_ptr<SqliteDb> db, std::string table, std::string fid,
                               std::string geom, bool snapshot)
    : db_(std::move(db)),
      table_(std::move(table)),
      fid_(std::move(fid)),
      geom_(std::move(geom)),
      snapshot_(snapshot) {}

IncidentReader::~IncidentReader() {
    read_one_.reset();  // before the connection closes
    if (db_ && snapshot_) sqlite3_exec(db_->handle(), "COMMIT", nullptr, nullptr, nullptr);
}

std::size_t IncidentReader::count_hint() {
    if (db_->has_object("table", "gpkg_ogr_contents")) {
        auto q = db_->prepare(
            "SELECT feature_count FROM gpkg_ogr_contents WHERE lower(table_name) = lower(?1)");
        q.bind_text(1, table_);
        if (q.step() && !q.is_null(0) && q.column_int64(0) > 0)
            return static_cast<std::size_t>(q.column_int64(0));
    }
    // No count kept: the fid range bounds it. Two queries: SQLite answers min() and max()
    // alone from the ends of the b-tree, but both in one SELECT with a scan of every row.
    auto end = [&](const char* fn) -> std::optional<std::int64_t> {
        auto q = db_->prepare(std::string("SELECT ") + fn + "(" + sql_identifier(fid_) + ") FROM " +
                              sql_identifier(table_));
        if (q.step() && !q.is_null(0)) return q.column_int64(0);
        return std::nullopt;
    };
    const auto lo = end("min"), hi = end("max");
    if (lo && hi && *hi >= *lo && *hi - *lo < (1 << 26)) return static_cast<std::size_t>(*hi - *lo + 1);
    return 0;
}

SqliteStatement IncidentReader::select_all() {
    return db_->prepare("SELECT " + sql_identifier(fid_) + ", " + column_list(geom_) + " FROM " +
                        sql_identifier(table_));
}

void IncidentReader::decode(SqliteStatement& q, core::Incident& inc) {
    inc.fid = q.column_int64(0);
    std::size_t size = 0;
    const unsigned char* blob = q.column_blob(1, size);
    double x = 0.0, y = 0.0;
    if (read_gpkg_point(blob, size, x, y)) {
        inc.lon = x;
        inc.lat = y;
    } else {
        inc.lon = inc.lat = 0.0;  // as OGR's read leaves a missing or non-point geometry
    }
    const auto& columns = core::incident_columns();
    for (std::size_t i = 0; i < kColumns; ++i) {
        const int k = static_cast<int>(i) + 2;
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
            case core::ColumnType::Date: {
                std::optional<core::Date> d;
                if (!q.is_null(k)) d = parse_stored_date(q.column_text(k));
                inc.event_date = d.value_or(core::Date{});
                break;
            }
        }
    }
}

std::vector<core::Incident> IncidentReader::read_all() {
    std::vector<core::Incident> out;
    out.reserve(count_hint());
    auto q = select_all();
    while (q.step()) decode(q, out.emplace_back());
    return out;
}

IncidentReader::Scan::Scan(SqliteStatement query, const std::vector<std::int64_t>* only)
    : query_(std::move(query)), only_(only) {}

bool IncidentReader::Scan::next(core::Incident& out) {
    while (!done_ && query_.step()) {
        if (only_) {
            // Rows come in fid order, as the list: a row not on it is not even decoded.
            const std::int64_t fid = query_.column_int64(0);
            while (next_ < only_->size() && (*only_)[next_] < fid) ++next_;
            if (next_ == only_->size()) break;
            if ((*only_)[next_] != fid) continue;
        }
        decode(query_, out);
        return true;
    }
    done_ = true;
    return false;
}

IncidentReader::Scan IncidentReader::scan(const std::vector<std::int64_t>* only) {
    return Scan(select_all(), only);
}

void IncidentReader::for_each(const std::function<void(const core::Incident&)>& visit,
                              const std::vector<std::int64_t>* only) {
    core::Incident inc;  // one Incident for every row: its strings keep their buffers
    Scan rows = scan(only);
    while (rows.next(inc)) visit(inc);
}

std::optional<core::Incident> IncidentReader::read(std::int64_t fid) {
    if (!read_one_)
        read_one_.emplace(db_->prepare("SELECT " + sql_identifier(fid_) + ", " + column_list(geom_) + " FROM " +
                                       sql_identifier(table_) + " WHERE " + sql_identifier(fid_) + " = ?1"));
    SqliteStatement& q = *read_one_;
    // Reset on every way out: outside a snapshot, a statement left stepping would hold the
    // read lock and keep writers out.
    struct Reset {
        SqliteStatement& q;
        ~Reset() { q.reset(); }
    } reset{q};
    q.bind(1, fid);
    if (!q.step()) return std::nullopt;
    core::Incident inc;
    decode(q, inc);
    return inc;
}

namespace {

/** The column's name quoted for SQL, after checking it is one of limes' text columns (the name
 *  goes into the statement, so only known ones pass). */
std::string text_column(std::string_view column) {
    const int i = core::incident_column_index(column);
    if (i < 0 || core::incident_columns()[static_cast<std::size_t>(i)].type != core::ColumnType::Text)
        throw core::UsageError("'" + std::string(column) + "' is not a text column of the incidents");
    return sql_identifier(std::string(column));
}

}  // namespace

std::vector<std::int64_t> IncidentReader::fids_containing(std::string_view column, const std::string& text) {
    auto q = db_->prepare("SELECT " + sql_identifier(fid_) + " FROM " + sql_identifier(table_) +
                          " WHERE instr(lower(" + text_column(column) + "), lower(?1)) > 0 ORDER BY " +
                          sql_identifier(fid_));
    q.bind_text(1, text);
    std::vector<std::int64_t> out;
    while (q.step()) out.push_back(q.column_int64(0));
    return out;
}

bool IncidentReader::has_value(std::string_view column, const std::string& value) {
    auto q = db_->prepare("SELECT EXISTS (SELECT 1 FROM " + sql_identifier(table_) + " WHERE " +
                          text_column(column) + " = ?1)");
    q.bind_text(1, value);
    return q.step() && q.column_int64(0) != 0;
}

void IncidentReader::for_each_drawn(const std::function<void(const core::Incident&)>& visit) {
    for_each_drawn(visit, std::numeric_limits<std::int64_t>::min(),
                   std::numeric_limits<std::int64_t>::max());
}

void IncidentReader::for_each_drawn(const std::function<void(const core::Incident&)>& visit,
                                    std::int64_t first, std::int64_t last) {
    const std::string fid = sql_identifier(fid_);
    auto q = db_->prepare("SELECT " + fid + ", " + sql_identifier(geom_) +
                          ", event_date, event_type, fatalities, geo_precision FROM " +
                          sql_identifier(table_) + " WHERE " + fid + " BETWEEN ?1 AND ?2");
    q.bind(1, first);
    q.bind(2, last);
    core::Incident inc;  // reused; the columns not read stay empty
    while (q.step()) {
        inc.fid = q.column_int64(0);
        std::size_t size = 0;
        const unsigned char* blob = q.column_blob(1, size);
        if (!read_gpkg_point(blob, size, inc.lon, inc.lat)) inc.lon = inc.lat = 0.0;  // as decode()
        inc.event_date = q.is_null(2) ? core::Date{} : parse_stored_date(q.column_text(2)).value_or(core::Date{});
        const char* type = q.column_text_or_null(3);
        if (type) inc.event_type.assign(type, q.column_bytes(3));
        else inc.event_type.clear();
        if (q.is_null(4)) inc.fatalities.reset();
        else inc.fatalities = q.column_int64(4);
        if (q.is_null(5)) inc.geo_precision.reset();
        else inc.geo_precision = q.column_int64(5);
        visit(inc);
    }
}

void IncidentReader::for_each_point(
    const std::function<void(std::int64_t fid, double lon, double lat)>& visit) {
    auto q = db_->prepare("SELECT " + sql_identifier(fid_) + ", " + sql_identifier(geom_) +
                          " FROM " + sql_identifier(table_));
    while (q.step()) {
        std::size_t size = 0;
        const unsigned char* blob = q.column_blob(1, size);
        double x = 0.0, y = 0.0;
        if (!read_gpkg_point(blob, size, x, y)) x = y = 0.0;
        visit(q.column_int64(0), x, y);
    }
}

std::optional<std::vector<core::Incident>> read_incidents_gpkg(const std::string& path) {
    auto reader = IncidentReader::open(path);
    if (!reader) return std::nullopt;
    return reader->read_all();
}

namespace {
std::int64_t data_version(SqliteDb& db) {
    auto q = db.prepare("PRAGMA data_version");
    return q.step() ? q.column_int64(0) : 0;
}
}  // namespace

unsigned scan_in_fid_halves(const std::string& path, const std::string& table,
                            const std::string& fid, unsigned threads,
                            const std::function<void(unsigned, std::int64_t, std::int64_t)>& scan,
                            const std::function<void()>& reset) {
    // `watch` holds no transaction: it only notices (data_version) whether anyone committed
    // while the parts read, each in its own read transaction.
    SqliteDb watch(path, SqliteDb::Mode::ReadOnly);
    const std::int64_t version = data_version(watch);
    // The ends of the fid range: one query each, as SQLite reads a lone min() or max() from
    // one end of the b-tree but scans the whole table for both in one SELECT.
    auto fid_end = [&](const char* fn) -> std::optional<std::int64_t> {
        auto q = watch.prepare("SELECT " + std::string(fn) + "(" + sql_identifier(fid) +
                               ") FROM " + sql_identifier(table));
        if (q.step() && !q.is_null(0)) return q.column_int64(0);
        return std::nullopt;
    };
    const auto first = fid_end("min"), last = fid_end("max");
    if (!first || !last || *last < *first) return 0;  // no rows
    const std::int64_t lo = *first, hi = *last;
    if (threads == 0)
        threads = (hi - lo >= 50'000 && std::thread::hardware_concurrency() >= 2) ? 2 : 1;
    if (hi == lo) threads = 1;
    if (threads >= 2) {
        const std::int64_t mid = lo + (hi - lo) / 2;
        core::run_beside([&] { scan(0, lo, mid); }, [&] { scan(1, mid + 1, hi); });
        if (data_version(watch) == version) return 2;
        reset();  // a commit between the halves' reads: one consistent pass instead
    }
    scan(0, lo, hi);
    return 1;
}

}  // namespace limes::geo
