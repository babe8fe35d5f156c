#include "geo/store/pg_incidents.hpp"

// [SECTION] index
//   Rows          the SELECT list, text and binary values to an Incident and back (COPY)
//   Cursors       a binary COPY streamed on a connection, the filter applied as rows arrive
//   The table     shared connection for read/find/count, snapshots, scan_parts
//   The writer    one transaction: nextval fids, COPY, UPDATE, DELETE

#include <unistd.h>

#include <array>
#include <charconv>
#include <cstring>
#include <future>
#include <mutex>
#include <optional>
#include <random>
#include <thread>
#include <unordered_map>
#include <utility>

#include "core/error.hpp"
#include "core/parallel.hpp"
#include "geo/store/pg_schema.hpp"

namespace limes::geo {
// Inside a namespace of its own: in a unity batch with gpkg_incidents.cpp, whose helpers in
// the anonymous namespace have the same names (Selection, select_for, decode), each file's
// code finds its own.
namespace pg_rows {
namespace {

// ---------------------------------------------------------------------------------------------
// [SECTION] Rows
// ---------------------------------------------------------------------------------------------


/** The columns a pass reads: fid, lon, lat, version, then the asked-for attribute columns. */
struct Selection {
    std::string sql;              // the SELECT list
    std::vector<std::size_t> at;  // incident_columns() index of each attribute, in order
    int first = 4;                // the result column of the first attribute
    bool keys = true;             // fid and version are read (raw_geom only: not for marks)
};

/** raw_geom: the point as the geometry itself (EWKB in a binary COPY: fid, geom, version,
 *  …), which the server sends for a third of what ST_X and ST_Y cost it (a million rows:
 *  0.37 s against 0.97 s here), and without fid and version when the query does not want
 *  them (geom, …); otherwise as two numbers (fid, ST_X, ST_Y, version, …). */
Selection select_for(PgConnection& db, const IncidentQuery& q, bool raw_geom = false) {
    core::IncidentColumns columns = q.columns;
    if (q.filter) columns.add(q.filter->columns());
    Selection s;
    s.keys = !raw_geom || q.keys;
    s.sql = !raw_geom ? "fid, ST_X(geom), ST_Y(geom), version"
                      : (s.keys ? "fid, geom, version" : "geom");
    s.first = !raw_geom ? 4 : (s.keys ? 3 : 1);
    const auto& all = core::incident_columns();
    for (std::size_t i = 0; i < all.size(); ++i) {
        if (!columns.has(i)) continue;
        s.sql += ", " + db.identifier(all[i].name);
        s.at.push_back(i);
    }
    return s;
}

std::optional<std::int64_t> parse_int64(std::string_view t) {
    std::int64_t v = 0;
    const auto [end, ec] = std::from_chars(t.data(), t.data() + t.size(), v);
    if (ec != std::errc() || end != t.data() + t.size()) return std::nullopt;
    return v;
}

std::int64_t to_int64(std::string_view text, const PgConnection& db, const char* what) {
    const auto v = parse_int64(text);
    if (!v)
        throw core::IoError(db.target().display, std::string("the server sent ") + what + " '" +
                                                     std::string(text) + "', not a whole number");
    return *v;
}

double to_double(std::string_view text, const PgConnection& db) {
    double v = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
    if (ec != std::errc() || end != text.data() + text.size())
        throw core::IoError(db.target().display,
                            "the server sent a coordinate '" + std::string(text) + "'");
    return v;
}

/** Row r of res into out: every column of sel, the others emptied. */
void decode(const PgResult& res, int r, const Selection& sel, const PgConnection& db,
            core::Incident& out) {
    const auto& all = core::incident_columns();
    out.fid = to_int64(res.text(r, 0), db, "a fid");
    out.lon = to_double(res.text(r, 1), db);
    out.lat = to_double(res.text(r, 2), db);
    out.version = to_int64(res.text(r, 3), db, "a version");
    for (const auto& c : all) {
        if (c.text) (out.*c.text).clear();
        if (c.integer) out.*c.integer = std::nullopt;
    }
    out.event_date = core::Date{};
    for (std::size_t k = 0; k < sel.at.size(); ++k) {
        const int col = static_cast<int>(k) + sel.first;
        if (res.is_null(r, col)) continue;
        const auto& c = all[sel.at[k]];
        const std::string_view v = res.text(r, col);
        if (c.type == core::ColumnType::Text) {
            (out.*c.text).assign(v.data(), v.size());
        } else if (c.type == core::ColumnType::Integer) {
            out.*c.integer = to_int64(v, db, std::string(c.name).c_str());
        } else if (auto d = core::parse_date(v)) {
            out.event_date = *d;
        }
    }
}

// Binary values (a binary COPY's rows): network byte order; checked little-endian host
// (PgIncidentTable's constructor). int8, and date as int4 days since 2000-01-01; points as
// EWKB, in the byte order the value itself names.
// The binary COPY format's signature: 11 bytes, its NUL included.
constexpr char kCopySignature[] = "PGCOPY\n\377\r\n";

constexpr std::int32_t kDays1970To2000 = 10957;  // PostgreSQL's dates count from 2000

std::uint64_t be64(const char* p) {
    std::uint64_t v;
    std::memcpy(&v, p, 8);
    return __builtin_bswap64(v);
}

std::int32_t be32(const char* p) {
    std::uint32_t v;
    std::memcpy(&v, p, 4);
    return static_cast<std::int32_t>(__builtin_bswap32(v));
}

/** A point's x and y from its EWKB (PostGIS' binary output of geometry): byte order, type
 *  (0x20000000: an SRID follows), the SRID, then x and y as doubles in that byte order.
 *  False for anything but a point. */
bool ewkb_point(const char* p, int n, double& x, double& y) {
    if (n < 21 || (p[0] != 0 && p[0] != 1)) return false;
    const bool little = p[0] == 1;
    auto u32 = [&](const char* q) {
        std::uint32_t v;
        std::memcpy(&v, q, 4);
        return little ? v : __builtin_bswap32(v);
    };
    auto f64 = [&](const char* q) {
        std::uint64_t v;
        std::memcpy(&v, q, 8);
        if (!little) v = __builtin_bswap64(v);
        double d;
        std::memcpy(&d, &v, 8);
        return d;
    };
    const std::uint32_t type = u32(p + 1);
    if ((type & 0x0FFFFFFFu) != 1) return false;  // not a point (flags: Z, M, SRID)
    const int at = 5 + ((type & 0x20000000u) ? 4 : 0);
    if (n < at + 16) return false;
    x = f64(p + at);
    y = f64(p + at + 8);
    return true;
}

/** One value as the server sent it in binary: its bytes, or n < 0 for NULL. */
struct BinaryCell {
    const char* p = nullptr;
    int n = -1;
};

/** PostgreSQL's binary COPY format, read a CopyData message at a time: the file header
 *  (signature, a flags word, an extension area) before the first row, then per row a 16-bit
 *  field count and each field's 32-bit length (-1: NULL) and bytes, all in network byte
 *  order, and a count of -1 (the trailer) after the last. Anything else (no header, unknown
 *  critical flags, a row cut short or with bytes left over, a length below -1, a row after
 *  the trailer) is an error: the stream is not what was asked for. */
class BinaryCopyRows {
  public:
    explicit BinaryCopyRows(const PgConnection& db) : db_(db) {}

    /** The fields of the row in message into cells; false for the trailer, and for a
     *  message that holds only the header. */
    bool parse(std::string_view message, std::vector<BinaryCell>& cells) {
        const char* p = message.data();
        const char* end = p + message.size();
        if (ended_) throw bad(message, "data after the end");
        if (!header_seen_) {
            if (message.size() < 19 || std::memcmp(p, kCopySignature, 11) != 0)
                throw bad(message, "no binary COPY header");
            // Bits 16-31 of the flags are critical: one this reader does not know means a
            // format it cannot read (bit 16: OIDs, which the SELECT does not ask for).
            if (be32(p + 11) & static_cast<std::int32_t>(0xFFFF0000u))
                throw bad(message, "a header flag this reader does not know");
            const std::int32_t extension = be32(p + 15);
            if (extension < 0 || end - (p + 19) < extension) throw bad(message, "cut short");
            p += 19 + extension;
            header_seen_ = true;
            if (p == end) return false;  // the header in a message of its own
        }
        if (end - p < 2) throw bad(message, "cut short");
        const auto count = static_cast<std::int16_t>((static_cast<unsigned char>(p[0]) << 8) |
                                                     static_cast<unsigned char>(p[1]));
        p += 2;
        if (count == -1) {
            if (p != end) throw bad(message, "bytes after the trailer");
            ended_ = true;
            return false;
        }
        if (count < 0) throw bad(message, "a negative field count");
        cells.resize(static_cast<std::size_t>(count));
        for (BinaryCell& c : cells) {
            if (end - p < 4) throw bad(message, "cut short");
            c.n = be32(p);
            p += 4;
            c.p = p;
            if (c.n == -1) continue;  // NULL
            if (c.n < 0 || end - p < c.n) throw bad(message, "cut short");
            p += c.n;
        }
        if (p != end) throw bad(message, "bytes after its last field");
        return true;
    }

  private:
    core::IoError bad(std::string_view message, const char* what) const {
        return core::IoError(db_.target().display, std::string("the server sent a binary COPY row ") +
                                                       "that limes cannot read (" + what + ", " +
                                                       std::to_string(message.size()) + " bytes)");
    }

    const PgConnection& db_;
    bool header_seen_ = false;
    bool ended_ = false;
};

/** A binary row (select_for's raw_geom layout: fid, geom, version, …, or geom, … without
 *  the keys, which are then 0) into out, as decode() does for text. */
void decode_binary(const std::vector<BinaryCell>& row, const Selection& sel,
                   const PgConnection& db, core::Incident& out) {
    const std::size_t columns = static_cast<std::size_t>(sel.first) + sel.at.size();
    if (row.size() != columns)
        throw core::IoError(db.target().display, "the server sent " + std::to_string(row.size()) +
                                                     " columns for a row, not " +
                                                     std::to_string(columns));
    auto value = [&](std::size_t col, int size, const char* what) {
        if (row[col].n != size)
            throw core::IoError(db.target().display,
                                std::string("the server sent no ") + what + " for a row");
        return row[col].p;
    };
    const auto& all = core::incident_columns();
    const std::size_t geom = sel.keys ? 1 : 0;
    out.fid = sel.keys ? static_cast<std::int64_t>(be64(value(0, 8, "fid"))) : 0;
    if (!ewkb_point(row[geom].p, row[geom].n, out.lon, out.lat))
        throw core::IoError(db.target().display,
                            sel.keys ? "the server sent no point for incident " +
                                           std::to_string(out.fid)
                                     : std::string("the server sent no point for a row"));
    out.version = sel.keys ? static_cast<std::int64_t>(be64(value(2, 8, "version"))) : 0;
    for (const auto& c : all) {
        if (c.text) (out.*c.text).clear();
        if (c.integer) out.*c.integer = std::nullopt;
    }
    out.event_date = core::Date{};
    for (std::size_t k = 0; k < sel.at.size(); ++k) {
        const std::size_t col = k + sel.first;
        if (row[col].n < 0) continue;  // NULL
        const auto& c = all[sel.at[k]];
        if (c.type == core::ColumnType::Text) {
            (out.*c.text).assign(row[col].p, static_cast<std::size_t>(row[col].n));
        } else if (c.type == core::ColumnType::Integer) {
            out.*c.integer = static_cast<std::int64_t>(be64(value(col, 8, "a whole number")));
        } else {
            out.event_date = core::Date{be32(value(col, 4, "event_date")) + kDays1970To2000};
        }
    }
}

/** The WHERE clause for what of the filter the table's indexes answer: the date range
 *  (B-tree on event_date). The rest is core::Filter::accepts' as rows arrive. */
std::string date_range_sql(const core::Filter* f) {
    if (!f) return "";
    std::string w;
    if (f->from) w += "event_date >= '" + f->from->iso() + "'::date";
    if (f->to) w += std::string(w.empty() ? "" : " AND ") + "event_date <= '" + f->to->iso() + "'::date";
    return w.empty() ? "" : " WHERE " + w;
}

/** The point as EWKB (little-endian, SRID 4326): type 0x20000001 (a Point, an SRID follows),
 *  the SRID, x (longitude) and y (latitude) as doubles. x86-64 and every Debian arch limes
 *  builds for are little-endian; PgIncidentTable's constructor checks. */
using PointEwkb = std::array<char, 25>;

PointEwkb point_ewkb(double lon, double lat) {
    static_assert(sizeof(double) == 8);
    PointEwkb wkb;
    wkb[0] = 1;  // little-endian
    const std::uint32_t type = 0x20000001;
    const std::uint32_t srid = 4326;
    std::memcpy(wkb.data() + 1, &type, 4);
    std::memcpy(wkb.data() + 5, &srid, 4);
    std::memcpy(wkb.data() + 9, &lon, 8);
    std::memcpy(wkb.data() + 17, &lat, 8);
    return wkb;
}

/** The point as hex EWKB, as PostGIS reads a geometry in text (an UPDATE's parameter). */
std::string hex_point(double lon, double lat) {
    static const char* const kHex = "0123456789ABCDEF";
    std::string out;
    for (const char c : point_ewkb(lon, lat)) {
        const auto b = static_cast<unsigned char>(c);
        out += kHex[b >> 4];
        out += kHex[b & 15];
    }
    return out;
}

bool little_endian() {
    const std::uint16_t one = 1;
    unsigned char first;
    std::memcpy(&first, &one, 1);
    return first == 1;
}

// A binary COPY FROM STDIN (the format BinaryCopyRows reads, written): the header once, per
// row a 16-bit field count and each field as a 32-bit length (-1: NULL) and its bytes, int8
// and int4 in network byte order, the trailer (-1) at the end. Binary, not text, because the
// server then parses nothing: the import's load is the server's COPY, on one core (1M rows:
// 13.1 s of a 14.4 s load, server log), and a text COPY of the same rows took it 0.4-0.9 s
// longer (BENCHMARKS.md). The server still checks every text value's encoding (text_recv) and
// the point's type and SRID against the column's (PostGIS' geometry_recv).
void put_be16(std::string& out, std::int16_t v) {
    const auto u = static_cast<std::uint16_t>(v);
    out += static_cast<char>(u >> 8);
    out += static_cast<char>(u & 0xFF);
}

void put_be32(std::string& out, std::int32_t v) {
    const std::uint32_t u = __builtin_bswap32(static_cast<std::uint32_t>(v));
    out.append(reinterpret_cast<const char*>(&u), 4);
}

void put_be64(std::string& out, std::int64_t v) {
    const std::uint64_t u = __builtin_bswap64(static_cast<std::uint64_t>(v));
    out.append(reinterpret_cast<const char*>(&u), 8);
}

void put_field(std::string& out, const char* p, std::size_t n) {
    put_be32(out, static_cast<std::int32_t>(n));
    out.append(p, n);
}

/** The binary COPY header: signature, flags (none), an empty extension area. */
void copy_header(std::string& out) {
    out.append(kCopySignature, 11);
    put_be32(out, 0);
    put_be32(out, 0);
}

void copy_trailer(std::string& out) { put_be16(out, -1); }

/** One incident as a binary COPY row: fid, geom, the 33 columns (NULL for a gap; a text
 *  value is its UTF-8 bytes, a date its days since 2000-01-01). */
void copy_row(std::string& out, const core::Incident& inc) {
    static const std::int16_t kFields =
        static_cast<std::int16_t>(2 + core::incident_columns().size());
    put_be16(out, kFields);
    put_be32(out, 8);
    put_be64(out, inc.fid);
    const PointEwkb wkb = point_ewkb(inc.lon, inc.lat);
    put_field(out, wkb.data(), wkb.size());
    for (const auto& c : core::incident_columns()) {
        if (c.type == core::ColumnType::Text) {
            const std::string& s = inc.*c.text;
            if (s.empty()) put_be32(out, -1);
            else put_field(out, s.data(), s.size());
        } else if (c.type == core::ColumnType::Integer) {
            const auto& v = inc.*c.integer;
            if (!v) {
                put_be32(out, -1);
            } else {
                put_be32(out, 8);
                put_be64(out, *v);
            }
        } else {
            put_be32(out, 4);
            put_be32(out, inc.event_date.days - kDays1970To2000);
        }
    }
}

/** incidents_marks (pg_schema.cpp) holds the drawn text columns (event_type, reported_by,
 *  status) in every entry, and a B-tree entry must fit in a third of a page (2,704 bytes):
 *  a longer value would fail the whole write with the index's message. Refused here, with
 *  the row's id and the column, at a limit that leaves room for all three. */
constexpr std::size_t kMaxIndexedText = 800;

void check_indexed_text(const core::Incident& inc, const PgConnection& db) {
    // The drawn text columns, found once (every row of an import passes here).
    static const std::vector<std::size_t> indexed = [] {
        std::vector<std::size_t> out;
        const core::IncidentColumns drawn = core::IncidentColumns::drawn();
        const auto& all = core::incident_columns();
        for (std::size_t i = 0; i < all.size(); ++i)
            if (drawn.has(i) && all[i].type == core::ColumnType::Text) out.push_back(i);
        return out;
    }();
    const auto& all = core::incident_columns();
    for (const std::size_t i : indexed) {
        const std::string& value = inc.*all[i].text;
        if (value.size() <= kMaxIndexedText) continue;
        throw core::DataError(
            core::Location{db.target().display, -1, std::string(all[i].name)},
            "incident '" + inc.event_id_cnty + "': " + std::to_string(value.size()) +
                " bytes; a PostGIS workspace indexes this column (incidents_marks), which "
                "takes at most " + std::to_string(kMaxIndexedText) + " bytes of it");
    }
}

/** The 33 columns' values of inc as UPDATE parameters ($3…), in incident_columns() order. */
std::vector<PgParam> column_params(const core::Incident& inc) {
    std::vector<PgParam> p;
    for (const auto& c : core::incident_columns()) {
        if (c.type == core::ColumnType::Text) {
            const std::string& s = inc.*c.text;
            p.push_back(s.empty() ? PgParam{} : PgParam{s});
        } else if (c.type == core::ColumnType::Integer) {
            const auto& v = inc.*c.integer;
            p.push_back(v ? PgParam{std::to_string(*v)} : PgParam{});
        } else {
            p.push_back(inc.event_date.iso());
        }
    }
    return p;
}


/** The incident with this fid, whole, as db's transaction (if any) sees it. */
std::optional<core::Incident> read_row(PgConnection& db, std::int64_t fid) {
    const Selection sel = select_for(db, IncidentQuery{});
    const PgResult r =
        db.exec("SELECT " + sel.sql + " FROM " + db.table("incidents") + " WHERE fid = $1",
                {std::to_string(fid)}, "read incident " + std::to_string(fid));
    if (r.rows() == 0) return std::nullopt;
    core::Incident inc;
    decode(r, 0, sel, db, inc);
    return inc;
}

// ---------------------------------------------------------------------------------------------
// [SECTION] Cursors
// ---------------------------------------------------------------------------------------------

/** One pass over the incidents, in fid order, on a connection and REPEATABLE READ READ ONLY
 *  transaction of its own (a table's query(), and each pass of a snapshot, which then reads
 *  the snapshot's exported one): a binary COPY of the SELECT, streamed (PgCopyOut), so that
 *  the server reads and sends while this thread decodes (which needs a connection nobody
 *  else uses meanwhile). The date range is the server's (the event_date index), the rest of
 *  the filter is applied here. */
class PgCursor final : public IncidentCursor {
  public:
    using FidRange = std::optional<std::pair<std::int64_t, std::int64_t>>;

    /** On a connection of its own. fids: only those from first to last (both included;
     *  scan_parts' halves). */
    PgCursor(const PgTarget& target, const IncidentQuery& q, const std::string& snapshot = "",
             FidRange fids = std::nullopt)
        : PgCursor(std::make_unique<PgConnection>(target), q, snapshot, fids, false) {}

    /** On db, whose REPEATABLE READ READ ONLY transaction is open already (begun) or is begun
     *  here, in snapshot when one is named. */
    PgCursor(std::unique_ptr<PgConnection> db, const IncidentQuery& q, const std::string& snapshot,
             FidRange fids, bool begun)
        : db_(std::move(db)), filter_(q.filter) {
        if (!begun) {
            db_->exec("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
            if (!snapshot.empty()) {
                db_->exec("SET TRANSACTION SNAPSHOT " + db_->literal(snapshot),
                          "share a snapshot");
                // The exporting part holds the table's lock and waits for this one: if an
                // ALTER or TRUNCATE queues between them, this lock would wait for it and it for
                // the exporter, a cycle through this process the server cannot see. An error
                // after 10 s instead of a render that never ends.
                db_->exec("SET LOCAL lock_timeout = '10s'", "read the incidents");
            }
        }
        // The pass is one statement that lasts as long as its reader takes (a window's load
        // of ten million rows, an export): a server's statement_timeout, set for a team's
        // interactive sessions, would cut it off midway. For this transaction only.
        db_->exec("SET LOCAL statement_timeout = 0", "read the incidents");
        sel_ = select_for(*db_, q, /*raw_geom=*/true);
        std::string where = date_range_sql(q.filter);
        if (q.fids) {
            // The fids as one array literal: '{1,2,3}'.
            std::string list = "{";
            for (std::size_t i = 0; i < q.fids->size(); ++i)
                list += (i ? "," : "") + std::to_string((*q.fids)[i]);
            list += "}";
            where += std::string(where.empty() ? " WHERE " : " AND ") + "fid = ANY(" +
                     db_->literal(list) + "::bigint[])";
        }
        if (fids)
            where += std::string(where.empty() ? " WHERE " : " AND ") + "fid BETWEEN " +
                     std::to_string(fids->first) + " AND " + std::to_string(fids->second);
        // Binary rows: nothing to parse back into numbers and dates. A COPY rather than a
        // cursor's FETCHes: no PGresult built a batch (a render's load of 1M rows 1.70-2.17 s
        // -> 1.48-1.84 s, BENCHMARKS.md).
        rows_.emplace(*db_,
                      "COPY (SELECT " + sel_.sql + " FROM " + db_->table("incidents") + where +
                          " ORDER BY fid) TO STDOUT (FORMAT binary)",
                      "read the incidents");
    }

    bool next(core::Incident& out) override {
        std::string_view row;
        while (rows_->next(row)) {
            if (!format_.parse(row, cells_)) continue;  // header or trailer: no row
            decode_binary(cells_, sel_, *db_, out);
            if (!filter_ || filter_->accepts(out)) return true;
        }
        return false;
    }

  private:
    std::unique_ptr<PgConnection> db_;  // before rows_: a COPY left unfinished ends with it
    const core::Filter* filter_;
    Selection sel_;
    std::optional<PgCopyOut> rows_;
    BinaryCopyRows format_{*db_};
    std::vector<BinaryCell> cells_;
};

long long estimated_rows(PgConnection& db) {
    // The planner's estimate (pg_class.reltuples, kept by ANALYZE and autovacuum), as
    // GeoPackage's gpkg_ogr_contents count: a hint, not a count(*) over ten million rows. A
    // partitioned table's is the sum of its partitions'.
    const PgResult r = db.exec(
        "SELECT coalesce(sum(greatest(c.reltuples, 0)), 0)::bigint FROM pg_class c "
        "WHERE c.oid = $1::regclass OR c.oid IN (SELECT inhrelid FROM pg_inherits "
        "WHERE inhparent = $1::regclass)",
        {db.table("incidents")}, "estimate the incidents' count");
    return r.rows() ? parse_int64(r.text(0, 0)).value_or(0) : 0;
}

/** Every pass sees the rows of one moment: this connection's transaction exports its
 *  snapshot (pg_export_snapshot) and holds it open; each pass reads it on a connection of
 *  its own, so that the server streams it while this side decodes (PgCursor). */
class PgSnapshot final : public IncidentReads {
  public:
    explicit PgSnapshot(const PgTarget& target) : target_(target), db_(target) {
        db_.exec("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
        snapshot_ = std::string(db_.exec("SELECT pg_export_snapshot()", "take a snapshot").text(0, 0));
    }
    std::unique_ptr<IncidentCursor> query(const IncidentQuery& q) override {
        return std::make_unique<PgCursor>(target_, q, snapshot_);
    }
    std::size_t count_hint() override {
        return static_cast<std::size_t>(estimated_rows(db_));
    }

  private:
    PgTarget target_;
    PgConnection db_;
    std::string snapshot_;
};

// ---------------------------------------------------------------------------------------------
// [SECTION] The writer
// ---------------------------------------------------------------------------------------------

/** A token for this process's notifications: its pid and a random number drawn once (pids
 *  repeat across machines and restarts; the pair does not, in practice). */
const std::string& own_token() {
    static const std::string token = [] {
        std::random_device rd;
        return std::to_string(::getpid()) + "-" + std::to_string(rd()) + std::to_string(rd());
    }();
    return token;
}

class PgWriter final : public IncidentWriter {
  public:
    explicit PgWriter(const PgTarget& target) : db_(target), tx_(db_) {
        // The audit triggers' notification carries it (pg_schema.cpp): this process's own
        // window lets its own saves pass.
        db_.exec("SELECT set_config('limes.writer', $1, true)", {own_token()},
                 "name this writer");
        if (!has_pg_workspace(db_))
            throw core::UsageError(target.display + ": no limes workspace in schema " +
                                   target.schema + " (create it first: limes init " +
                                   target.display + ")");
    }

    std::unique_ptr<DuplicateCheck> duplicate_check(std::size_t expected_rows) override {
        const StoredIds stored = [this](const std::function<void(std::string_view)>& add) {
            db_.exec("DECLARE limes_ids NO SCROLL CURSOR FOR SELECT event_id_cnty FROM " +
                         db_.table("incidents") + " WHERE event_id_cnty IS NOT NULL",
                     "read the stored event ids");
            for (;;) {
                const PgResult r = db_.exec("FETCH FORWARD 100000 FROM limes_ids");
                for (int i = 0; i < r.rows(); ++i) add(r.text(i, 0));
                if (r.rows() < 100000) break;
            }
            db_.exec("CLOSE limes_ids");
        };
        // The ids the filter could not clear, in one query a batch (the event_id_cnty index).
        IdLookup lookup = [this](const std::vector<std::string_view>& ids) {
            std::string array = "{";
            for (const std::string_view id : ids) {
                array += array.size() > 1 ? ",\"" : "\"";
                for (const char c : id) {
                    if (c == '"' || c == '\\') array += '\\';
                    array += c;
                }
                array += '"';
            }
            array += '}';
            // On the event_id_cnty index, one process, always. The rows this import wrote
            // have no statistics yet (autovacuum cannot see them before the commit), so the
            // planner takes equality's default selectivity (1/200 a value) and, for an array
            // of a few hundred ids, expects every row: a parallel scan of the whole table a
            // batch made a 1M-row import 2.5x slower as the table grew (53-58 s, against 24 s
            // like this), and a parallel bitmap scan costs 20x a plain one at this size.
            // LOCAL to the writer's transaction, set at its first lookup and kept: none of its
            // other statements wants a sequential or parallel scan (COPY, an UPDATE or DELETE
            // by fid, the audit's inserts from the transition tables, the deferred CREATE
            // INDEX and ANALYZE; a never-analysed table's count, which an index answers too),
            // and setting them back after each lookup cost an import two round trips a batch.
            if (!lookup_planned_) {
                db_.exec("SELECT set_config('enable_seqscan', 'off', true), "
                         "set_config('max_parallel_workers_per_gather', '0', true)",
                         "plan the event id lookup");
                lookup_planned_ = true;
            }
            const PgResult r = db_.exec("SELECT event_id_cnty, min(fid) FROM " +
                                            db_.table("incidents") +
                                            " WHERE event_id_cnty = ANY($1::text[]) GROUP BY 1",
                                        {array}, "look up event ids");
            std::unordered_map<std::string, std::int64_t> found;
            for (int i = 0; i < r.rows(); ++i)
                found.emplace(std::string(r.text(i, 0)), to_int64(r.text(i, 1), db_, "a fid"));
            std::vector<IdPlace> places;
            places.reserve(ids.size());
            for (const std::string_view id : ids) {
                const auto it = found.find(std::string(id));
                places.push_back(it == found.end()           ? IdPlace::New
                                 : written_here(it->second) ? IdPlace::EarlierInWrite
                                                            : IdPlace::InWorkspace);
            }
            return places;
        };
        return std::make_unique<DuplicateCheck>(stored, std::move(lookup), expected_rows);
    }

    void append(core::Incident* incidents, std::size_t n) override {
        if (n == 0) return;
        for (std::size_t i = 0; i < n; ++i) check_indexed_text(incidents[i], db_);
        if (!columns_checked_) {  // a binary COPY must not meet a column of another type
            require_incident_columns(db_);
            columns_checked_ = true;
        }
        maybe_defer_indexes(n);
        appended_ += n;
        for (std::size_t i = 0; i < n; ++i) incidents[i].fid = next_fid(n - i);
        // The fids as ranges of consecutive numbers: a block's are, but other writers' may
        // lie between two blocks (nextval rises).
        for (std::size_t i = 0; i < n; ++i) {
            if (written_.empty() || incidents[i].fid != written_.back().second + 1)
                written_.emplace_back(incidents[i].fid, incidents[i].fid);
            else
                written_.back().second = incidents[i].fid;
        }
        std::string columns = "fid, geom";
        for (const auto& c : core::incident_columns())
            columns += ", " + db_.identifier(c.name);
        std::size_t next = 0;
        db_.copy_in(
            "COPY " + db_.table("incidents") + " (" + columns + ") FROM STDIN (FORMAT binary)",
            [&](std::string& chunk) {
                if (next == 0) copy_header(chunk);
                for (; next < n && chunk.size() < (1u << 20); ++next) copy_row(chunk, incidents[next]);
                if (next == n) copy_trailer(chunk);
                return next < n;
            },
            "write the new incidents");
    }

    void update(const core::Incident& inc) override {
        check_indexed_text(inc, db_);
        const int n = static_cast<int>(core::incident_columns().size());
        std::vector<PgParam> params{std::to_string(inc.fid)};
        params.push_back(hex_point(inc.lon, inc.lat));
        std::string sql = "UPDATE " + db_.table("incidents") + " SET geom = $2::geometry";
        int k = 3;
        for (const auto& c : core::incident_columns())
            sql += ", " + db_.identifier(c.name) + " = $" + std::to_string(k++);
        sql += " WHERE fid = $1";
        for (auto& p : column_params(inc)) params.push_back(std::move(p));
        // The row as it was read, or refused: the check and the write are one statement, so
        // no other commit can slip between them.
        if (inc.version > 0) {
            sql += " AND version = $" + std::to_string(n + 3);
            params.push_back(std::to_string(inc.version));
        }
        if (db_.exec(sql, params, "update incident " + std::to_string(inc.fid)).affected() > 0)
            return;
        if (inc.version > 0) throw StaleRowError(db_.target().display, inc, stored(inc.fid));
        throw core::UsageError(db_.target().display + ": no incident with fid " +
                               std::to_string(inc.fid) + " to update");
    }

    void remove(std::int64_t fid, std::int64_t version) override {
        std::string sql = "DELETE FROM " + db_.table("incidents") + " WHERE fid = $1";
        std::vector<PgParam> params{std::to_string(fid)};
        if (version > 0) {
            sql += " AND version = $2";
            params.push_back(std::to_string(version));
        }
        if (db_.exec(sql, params, "delete incident " + std::to_string(fid)).affected() > 0 ||
            version <= 0)
            return;
        // Not deleted: gone already (nothing to refuse), or changed since it was read.
        if (std::optional<core::Incident> theirs = stored(fid)) {
            core::Incident mine = *theirs;  // what this side wanted gone, as it read it
            mine.version = version;
            throw StaleRowError(db_.target().display, mine, theirs);
        }
    }

    void commit(core::ProgressSink* progress) override {
        if (!deferred_indexes_.empty()) {
            if (progress) progress->update(0.9, "indexing");
            // A sorted build (PostgreSQL 15 sorts GiST point keys): 2.1 s for a million
            // points here, where inserting them one by one cost 7 s.
            db_.exec("SELECT set_config('maintenance_work_mem', '256MB', true) WHERE "
                     "pg_size_bytes(current_setting('maintenance_work_mem')) < 268435456",
                     "index the new incidents");  // raised, never lowered
            for (const std::string& create : deferred_indexes_)
                db_.exec(create, "index the new incidents");
            deferred_indexes_.clear();
            // The table's statistics, in the same commit: until autovacuum gets to it, the
            // planner would take a table of a million new rows for the small one it was. Its
            // size, and the columns limes' own queries select and sort on (fid order and
            // ranges, the date range, the event id lookups, a spatial query's geom): a sample
            // of 30,000 rows, 0.5 s a million here against 1.1 s for all 36 columns, whose
            // statistics (for others' queries) autovacuum gathers soon after, as the column
            // list leaves the table's count of changes since an analysis as it was.
            db_.exec("ANALYZE " + db_.table("incidents") +
                         " (fid, geom, event_date, event_id_cnty)",
                     "analyse the incidents");
        }
        if (progress) progress->update(0.95, "committing");
        const bool bulk = vacuum_after_;
        tx_.commit();
        if (bulk) {
            // The visibility map of the new pages (VACUUM cannot run in a transaction), so
            // that reading the incidents is an index-only scan of incidents_marks from now
            // on, not when autovacuum gets to them.
            if (progress) progress->update(0.97, "vacuuming");
            try {
                // SKIP_LOCKED: someone else's VACUUM or ANALYZE of the table now would make
                // this one wait, after the rows are committed; theirs does the work too.
                // INDEX_CLEANUP OFF when the table's file was empty when this write began (a
                // new schema's first import): the indexes were built a moment ago and have
                // nothing to clean, but a VACUUM with it reads the whole GiST index anyway
                // (PostgreSQL 15's gistvacuumcleanup; 1M rows 0.93-1.01 s with, 0.46-0.48 s
                // without). Not after an earlier write rolled back: its dead rows' line
                // pointers would stay until autovacuum, and their pages off the visibility map.
                // (Nor is it known of another session's insert rolled back between this
                // write's first batch and its lock: its dead rows, if any, are then left to
                // autovacuum too; a cost until then, never a wrong result.)
                db_.exec(std::string("VACUUM (SKIP_LOCKED") +
                             (empty_file_ ? ", INDEX_CLEANUP OFF) " : ") ") +
                             db_.table("incidents"),
                         "vacuum the incidents");
            } catch (const core::Error&) {
                // The rows are committed: a failed VACUUM (cancelled, say) only leaves the
                // visibility map to autovacuum, as for any other write.
            }
        }
        if (progress) progress->update(1.0, "committed");
    }

  private:
    /** The stored row now, as this transaction sees it. */
    std::optional<core::Incident> stored(std::int64_t fid) { return read_row(db_, fid); }

    /** A large write (50,000 rows or more) into a table that held fewer than that when it
     *  began (the first import into a new schema): the spatial, date and covering indexes are
     *  dropped in this transaction and built again, sorted, at the commit (the import of a
     *  million rows 21.7 s -> 14.9 s here, ogr2ogr's 11.5 s, which builds its one index after
     *  its rows too). Readers wait for the commit meanwhile (DROP INDEX locks the table), so
     *  it is done only when nobody is reading now (the lock within 2 s), by the table's owner
     *  (only the owner may drop an index), and not on a partitioned table. The event_id_cnty index
     *  stays: the duplicate lookups need it. A failure rolls the drop back with the rows. */
    void maybe_defer_indexes(std::size_t about_to_write) {
        if (bulk_decided_) return;
        if (stored_rows_ < 0) {
            // Asked at the first append, before any row of this write is in the table (a
            // count(*) in this transaction would count them too).
            const PgResult r = db_.exec(
                "SELECT c.relkind = 'r' AND pg_has_role(c.relowner, 'USAGE'), "
                "CASE WHEN c.reltuples >= 0 THEN c.reltuples::bigint ELSE (SELECT count(*) "
                "FROM " + db_.table("incidents") +
                    ") END, pg_relation_size(c.oid) = 0 FROM pg_class c WHERE c.oid = "
                    "$1::regclass",
                {db_.table("incidents")}, "size the incidents table");
            stored_rows_ = to_int64(r.text(0, 1), db_, "a row count");
            empty_file_ = r.text(0, 2) == "t";
            // Decided now when it cannot be: not the owner, partitioned, or a table that is
            // already large (rebuilding its indexes would cost more than inserting into them).
            if (r.text(0, 0) != "t" || stored_rows_ >= kBulkRows) {
                bulk_decided_ = true;
                return;
            }
        }
        // Decided once, when the write reaches kBulkRows: a write that large into a table that
        // held fewer when it began.
        if (static_cast<std::int64_t>(appended_ + about_to_write) < kBulkRows) return;
        bulk_decided_ = true;
        db_.exec("SAVEPOINT limes_bulk", "defer the indexes");
        try {
            // Two seconds at most: past deadlock_timeout (1 s), at which PostgreSQL cancels an
            // autovacuum that stands in the way, but not long enough to hold up for long the
            // readers that queue behind this request. Someone's open read: the indexes stay.
            db_.exec("SET LOCAL lock_timeout = '2s'", "lock the incidents table");
            db_.exec("LOCK TABLE " + db_.table("incidents") + " IN ACCESS EXCLUSIVE MODE",
                     "lock the incidents table");
            db_.exec("RESET lock_timeout", "lock the incidents table");
        } catch (const core::IoError&) {  // someone reads now: insert into the indexes
            db_.exec("ROLLBACK TO SAVEPOINT limes_bulk", "defer the indexes");
            return;
        }
        const PgResult r = db_.exec(
            "SELECT i.relname, pg_get_indexdef(i.oid) FROM pg_index x JOIN pg_class i ON "
            "i.oid = x.indexrelid WHERE x.indrelid = $1::regclass AND x.indisvalid AND "
            "i.relname IN ('incidents_geom_gist', 'incidents_event_date', 'incidents_marks') "
            "ORDER BY 1 DESC",
            {db_.table("incidents")}, "read the incidents' indexes");
        for (int i = 0; i < r.rows(); ++i) {
            db_.exec("DROP INDEX " + db_.identifier(db_.target().schema) + "." +
                         db_.identifier(std::string(r.text(i, 0))),
                     "defer the indexes");
            deferred_indexes_.emplace_back(r.text(i, 1));
        }
        db_.exec("RELEASE SAVEPOINT limes_bulk", "defer the indexes");
        vacuum_after_ = true;
    }

    /** A fid for the next new incident, `left` of them (this one included) still to number
     *  in this append. Fids come from the identity sequence: never one another writer has,
     *  nor a deleted one's, rising. A small write asks for what it needs; a large one (past
     *  kBulkRows) for kFidBlock at a time, which saves the import a query and a result of a
     *  few thousand rows per batch (1M rows: 0.86 -> 0.43 s of the writer's time) and leaves
     *  fewer than kFidBlock numbers unused at its end, a gap like a rolled-back write's. */
    std::int64_t next_fid(std::size_t left) {
        constexpr std::size_t kFidBlock = 16384;
        if (fid_next_ == fids_.size()) {
            // Looked up once: pg_get_serial_sequence for every row cost 2.4 s a million rows.
            if (fid_sequence_.empty())
                fid_sequence_ = db_.exec("SELECT pg_get_serial_sequence($1, 'fid')",
                                         {db_.table("incidents")}, "find the fid sequence")
                                    .text(0, 0);
            const bool large = static_cast<std::int64_t>(appended_) >= kBulkRows;
            const std::size_t want = large ? std::max(left, kFidBlock) : left;
            const PgResult ids =
                db_.exec("SELECT nextval($1::regclass) FROM generate_series(1, $2)",
                         {fid_sequence_, std::to_string(want)}, "number the new incidents");
            if (ids.rows() != static_cast<int>(want))
                throw core::IoError(db_.target().display, "the fid sequence gave too few numbers");
            fids_.resize(want);
            for (std::size_t i = 0; i < want; ++i)
                fids_[i] = to_int64(ids.text(static_cast<int>(i), 0), db_, "a fid");
            fid_next_ = 0;
        }
        return fids_[fid_next_++];
    }

    /** Whether this writer gave the row with this fid. */
    bool written_here(std::int64_t fid) const {
        for (const auto& [first, last] : written_)
            if (fid >= first && fid <= last) return true;
        return false;
    }

    static constexpr std::int64_t kBulkRows = 50'000;  // a large write, from this many rows

    PgConnection db_;
    PgTransaction tx_;
    std::vector<std::pair<std::int64_t, std::int64_t>> written_;  // fid ranges of each append
    std::string fid_sequence_;                    // the fid column's sequence, qualified
    std::vector<std::int64_t> fids_;              // numbered by the sequence, not yet given
    std::size_t fid_next_ = 0;                    // the next of fids_ to give
    bool lookup_planned_ = false;                 // the lookup's planner settings are set
    bool empty_file_ = false;                     // the table's file was empty when it began
    bool columns_checked_ = false;                // require_incident_columns passed
    std::size_t appended_ = 0;                    // rows this writer appended
    std::int64_t stored_rows_ = -1;               // rows stored when it began (-1: not asked)
    bool bulk_decided_ = false;                   // maybe_defer_indexes said yes or no
    std::vector<std::string> deferred_indexes_;   // CREATE INDEX statements for the commit
    bool vacuum_after_ = false;                   // a bulk write: VACUUM after the commit
};

// ---------------------------------------------------------------------------------------------
// [SECTION] The table
// ---------------------------------------------------------------------------------------------

class PgIncidentTable final : public IncidentTable {
  public:
    PgIncidentTable(PgTarget target, std::unique_ptr<PgConnection> connected)
        : target_(std::move(target)), shared_(std::move(connected)) {
        if (!little_endian())
            throw core::IoError(target_.display, "limes writes PostGIS points little-endian");
    }

    bool exists() override {
        std::lock_guard<std::mutex> lock(mutex_);
        return has_pg_workspace(shared());
    }
    std::size_t count_hint() override {
        std::lock_guard<std::mutex> lock(mutex_);
        return static_cast<std::size_t>(estimated_rows(shared()));
    }
    std::unique_ptr<IncidentCursor> query(const IncidentQuery& q) override {
        return std::make_unique<PgCursor>(target_, q);
    }
    std::unique_ptr<IncidentReads> snapshot() override {
        return std::make_unique<PgSnapshot>(target_);
    }
    std::optional<core::Incident> read(std::int64_t fid) override {
        std::lock_guard<std::mutex> lock(mutex_);
        return read_row(shared(), fid);
    }
    std::vector<std::int64_t> find(std::string_view column, const std::string& text,
                                   TextMatch match) override {
        const std::string col = require_text_column(column);
        std::lock_guard<std::mutex> lock(mutex_);
        PgConnection& db = shared();
        // Contains: ASCII letters without case, as the GeoPackage path (SQLite's lower()).
        const std::string test = match == TextMatch::Equals
                                     ? db.identifier(col) + " = $1"
                                     : "strpos(lower(" + db.identifier(col) + "), lower($1)) > 0";
        const PgResult r = db.exec("SELECT fid FROM " + db.table("incidents") + " WHERE " + test +
                                       " ORDER BY fid",
                                   {text}, "search the incidents");
        std::vector<std::int64_t> out;
        for (int i = 0; i < r.rows(); ++i) out.push_back(to_int64(r.text(i, 0), db, "a fid"));
        return out;
    }
    unsigned scan_parts(const IncidentQuery& q, unsigned threads,
                        const std::function<void(unsigned, const core::Incident&)>& visit,
                        const std::function<void()>&) override {
        // Two halves of the fid range, each read by a server process of its own and decoded
        // on a thread of its own, in one snapshot (exported by this connection's transaction,
        // held open until both have read): no write lands between them, so no restart. The
        // server's side is most of a scan (1M rows: 2.2 s in one part, BENCHMARKS.md).
        auto db = std::make_unique<PgConnection>(target_);
        db->exec("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
        // min and max each from one end of the primary key's index.
        const PgResult r = db->exec("SELECT min(fid), max(fid) FROM " + db->table("incidents"),
                                    "read the incidents' fid range");
        if (r.is_null(0, 0)) return 0;  // no rows
        const std::int64_t lo = to_int64(r.text(0, 0), *db, "a fid");
        const std::int64_t hi = to_int64(r.text(0, 1), *db, "a fid");
        if (threads == 0)
            threads = (hi - lo >= 50'000 && std::thread::hardware_concurrency() >= 2) ? 2 : 1;
        auto read = [&](unsigned p, PgCursor& rows) {
            core::Incident inc;  // one for every row: its strings keep their buffers
            while (rows.next(inc)) visit(p, inc);
        };
        if (threads < 2 || hi == lo) {
            // One part: read on this connection, in the transaction the range came from (a
            // connection fewer: ~20 ms each on a local server, more across a network).
            PgCursor rows(std::move(db), q, "", std::make_pair(lo, hi), true);
            read(0, rows);
            return 1;
        }
        // Two parts: the first on this connection, the second on one of its own that imports
        // this transaction's snapshot, which exists while the transaction is open: the first
        // part's cursor, which ends it, waits until the second has taken it.
        const std::string snapshot(
            db->exec("SELECT pg_export_snapshot()", "share a snapshot").text(0, 0));
        const std::int64_t mid = lo + (hi - lo) / 2;
        std::promise<void> taken;  // set once the second part has the snapshot, or failed to
        std::future<void> second_has_it = taken.get_future();
        core::run_beside(
            [&] {
                PgCursor rows(std::move(db), q, "", std::make_pair(lo, mid), true);
                read(0, rows);
                second_has_it.wait();
            },
            [&] {
                std::optional<PgCursor> rows;
                try {
                    rows.emplace(target_, q, snapshot, std::make_pair(mid + 1, hi));
                } catch (...) {
                    taken.set_value();
                    throw;
                }
                taken.set_value();
                read(1, *rows);
            });
        return 2;
    }
    std::unique_ptr<IncidentWriter> write() override {
        return std::make_unique<PgWriter>(target_);
    }

  private:
    PgConnection& shared() {
        if (!shared_) shared_ = std::make_unique<PgConnection>(target_);
        return *shared_;
    }

    PgTarget target_;
    std::mutex mutex_;  // guards shared_
    std::unique_ptr<PgConnection> shared_;
};

}  // namespace
}  // namespace pg_rows

bool is_others_commit(const char* payload, const std::string& schema) {
    const std::string p = payload ? payload : "";
    if (p.compare(0, schema.size() + 1, schema + " ") != 0) return false;  // another schema
    return p.substr(schema.size() + 1) != pg_rows::own_token();
}

std::unique_ptr<IncidentTable> make_pg_incidents(const PgTarget& target,
                                                 std::unique_ptr<PgConnection> connected) {
    return std::make_unique<pg_rows::PgIncidentTable>(target, std::move(connected));
}

}  // namespace limes::geo
