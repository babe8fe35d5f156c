#pragma once
// The incidents layer of a GeoPackage workspace read and written through SQLite directly, for
// million-row layers: GDAL's per-feature OGR API costs tens of microseconds a row, one
// prepared statement a few. The layer itself is still created by OGR
// (Workspace::incidents_for_write: gpkg_contents, gpkg_geometry_columns, the SRS, the R-tree and
// its triggers), so the file stays the GeoPackage GDAL and QGIS expect; these paths only move
// rows, and keep what OGR keeps beside them (R-tree, extent, feature count) in step.
//
//   GeoPackage geometry blob of a point, as GDAL writes it (29 bytes):
//   'G' 'P' | version 0 | flags 0x01 | srs_id int32 LE | WKB: 0x01 | type 1 uint32 LE | x | y
//             (flags: bit 0 little-endian, bits 1-3 envelope kind 0 = none, bit 4 empty)
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <unordered_set>
#include <utility>
#include <vector>

#include "core/progress.hpp"
#include "core/incident.hpp"
#include "geo/formats/gdal_util.hpp"
#include "geo/store/rtree_bulk.hpp"
#include "geo/store/sqlite_db.hpp"

namespace limes::geo {

class Workspace;

/** An OGR DATE field's text as OGR reads it: "YYYY-MM-DD" (the fast case), or any form
 *  core::parse_date knows (e.g. with a time of day); nullopt for text OGR would not take as a
 *  date. */
std::optional<core::Date> parse_stored_date(std::string_view text);

/** Size of the blob write_gpkg_point() writes. */
inline constexpr std::size_t kGpkgPointBlobSize = 29;

/** A GeoPackage geometry blob of the point (x = lon, y = lat in degrees for EPSG:4326), no
 *  envelope, little-endian: byte for byte what GDAL 3.6 writes for a point. */
void write_gpkg_point(unsigned char* out, double x, double y, std::int32_t srs_id);

/** True for a GeoPackage blob flagged empty (an empty geometry of any type). */
bool gpkg_blob_is_empty(const unsigned char* blob, std::size_t size);

/** x, y of a GeoPackage point blob (either byte order, any envelope, Z/M variants); false for
 *  other geometry types, empty points and malformed blobs. */
bool read_gpkg_point(const unsigned char* blob, std::size_t size, double& x, double& y);

/** One SQLite write transaction that appends incidents to the incidents layer of a GeoPackage.
 *  No GDAL dataset may have the file open for writing meanwhile (close it first): the two
 *  would keep different ideas of the layer. The destructor rolls back unless commit() ran, so
 *  an exception or a crash leaves the workspace as it was. */
class IncidentBulkWriter {
public:
    /** Opens path and takes the write lock (BEGIN IMMEDIATE). Throws IoError naming path when
     *  it cannot, or when the incidents layer is missing or lacks one of limes' columns. */
    explicit IncidentBulkWriter(const std::string& path);
    ~IncidentBulkWriter();
    IncidentBulkWriter(const IncidentBulkWriter&) = delete;
    IncidentBulkWriter& operator=(const IncidentBulkWriter&) = delete;

    /** event_id_cnty of every stored incident (not NULL), for the duplicates check. */
    std::unordered_set<std::string> stored_event_ids();
    /** Deletes the stored incidents with these fids (GDAL's triggers keep the R-tree and the
     *  feature count in step). Call before add(). */
    void remove(const std::vector<std::int64_t>& fids);
    /** Inserts the incidents after the stored ones and sets each fid; the R-tree, the extent
     *  in gpkg_contents and the count in gpkg_ogr_contents follow: add(), then finish(). */
    void append(std::vector<core::Incident>& incidents, core::ProgressSink* progress = nullptr);
    /** Inserts one batch and sets each fid; finish() after the last batch. For streaming: the
     *  incidents need not stay alive after the call. */
    void add(std::vector<core::Incident>& incidents) { add(incidents.data(), incidents.size()); }
    void add(core::Incident* incidents, std::size_t count);
    /** Brings the R-tree, extent and feature count in step with what add() inserted;
     *  progress gets 0.9 and 1. */
    void finish(core::ProgressSink* progress = nullptr);
    /** Makes it all durable. Throws IoError (and the destructor rolls back) when it cannot. */
    void commit();

private:
    static constexpr std::size_t kBatchRows = 64;  ///< rows per INSERT statement
    static constexpr int kParamsPerRow = 35;       ///< fid, geometry, 33 columns

    void begin();  ///< at the first add(): drops the insert triggers, prepares the INSERT
    std::string insert_sql(std::size_t rows) const;
    /** Adds the new rows to the R-tree: one bulk load of the whole tree when they are many
     *  next to the stored ones, else one virtual-table insert each. */
    void update_rtree();

    SqliteDb db_;  // first: the statements below are finalized before it closes
    std::string fid_column_, geom_column_, rtree_name_;
    std::int32_t srs_id_ = 4326;
    bool open_ = false, started_ = false, has_rtree_ = false, had_rows_ = false;
    std::int64_t next_fid_ = 1, first_new_fid_ = 1;
    std::vector<std::pair<std::string, std::string>> triggers_;  // dropped: name, CREATE sql
    std::vector<RtreeEntry> added_;                              // fid and point of new rows
    std::optional<SqliteStatement> batch_;                       // INSERT of kBatchRows rows
};

/** The incidents of a GeoPackage workspace read through SQLite, in fid order (as OGR reads
 *  them), in one read transaction: every pass sees the same rows. Throws IoError when reading
 *  fails. */
class IncidentReader;

/** Reads one table of a SQLite file in two halves of its fid (rowid) range at once: scan(part,
 *  first, last) runs for part 1 on a thread of its own and part 0 on the caller's, each reading
 *  on a connection it opens itself (SQLite reads in parallel from separate connections; one
 *  connection is not shared between threads). Two parts when threads is 2, or when it is 0
 *  and the range spans at least 50,000 fids on a machine with two hardware threads; else one
 *  part, scan(0, min fid, max fid). Parts are contiguous and in fid order, part 0 first.
 *
 *  Each part reads in a read transaction of its own: when a commit lands between the two
 *  (PRAGMA data_version moved), they saw two states of the table, so reset() is called and the
 *  whole range is read again as one part. An exception in either part is rethrown here after
 *  both stopped. Returns how many parts the result stands on: 0 for an empty table. */
unsigned scan_in_fid_halves(const std::string& path, const std::string& table,
                            const std::string& fid, unsigned threads,
                            const std::function<void(unsigned part, std::int64_t first,
                                                     std::int64_t last)>& scan,
                            const std::function<void()>& reset);

class IncidentReader {
public:
    /** nullopt when the file does not fit this path (not SQLite, no incidents table, a limes
     *  column missing or of another type): the caller then reads through OGR. snapshot: one
     *  read transaction for the reader's life, every pass sees the same rows (and writers
     *  wait); false: each call reads what is committed then and holds no lock between calls,
     *  for a reader kept open beside writers (the window's). */
    static std::optional<IncidentReader> open(const std::string& path, bool snapshot = true);
    /** The same for an open workspace: nullopt too when it is not a GeoPackage file. Flushes
     *  the GDAL dataset first, so a layer created in this session is on disk. */
    static std::optional<IncidentReader> open(const Workspace& ws);
    IncidentReader(IncidentReader&&) noexcept = default;
    ~IncidentReader();

    /** Every incident. */
    std::vector<core::Incident> read_all();
    /** Calls visit for every incident with one reused Incident (valid during the call): a
     *  pass over a million rows that holds none of them and allocates next to nothing. With
     *  only (fids, ascending), just those incidents are decoded and visited. */
    void for_each(const std::function<void(const core::Incident&)>& visit,
                  const std::vector<std::int64_t>* only = nullptr);
    /** A pass that the caller drives: next() decodes the following incident (of only, when
     *  given: fids ascending) into an Incident of the caller's, false at the end. The reader
     *  must outlive it. */
    class Scan {
    public:
        bool next(core::Incident& out);

    private:
        friend class IncidentReader;
        Scan(SqliteStatement query, const std::vector<std::int64_t>* only);
        SqliteStatement query_;
        const std::vector<std::int64_t>* only_;
        std::size_t next_ = 0;
        bool done_ = false;  // SQLite would start the query over on a step after the end
    };
    Scan scan(const std::vector<std::int64_t>* only = nullptr);
    /** Calls visit for every incident with only fid, point, event_date, event_type, fatalities
     *  and geo_precision set (every other column empty): what a map draws, without reading
     *  or decoding the rest of the row. */
    void for_each_drawn(const std::function<void(const core::Incident&)>& visit);
    /** The same for the incidents with first <= fid <= last only (a range of the fid b-tree:
     *  what one thread of scan_in_fid_halves reads). */
    void for_each_drawn(const std::function<void(const core::Incident&)>& visit,
                        std::int64_t first, std::int64_t last);
    /** The incident with this fid, or nullopt when there is none: one indexed lookup. */
    std::optional<core::Incident> read(std::int64_t fid);
    /** Fids (ascending) of the incidents whose text column (one of limes' columns) contains
     *  text, ASCII letters compared without case (SQLite's lower()). UsageError for another
     *  column name. */
    std::vector<std::int64_t> fids_containing(std::string_view column, const std::string& text);
    /** Whether an incident's text column equals value exactly. */
    bool has_value(std::string_view column, const std::string& value);
    /** Only fid and point of every incident (lon = lat = 0 for a missing point). */
    void for_each_point(const std::function<void(std::int64_t fid, double lon, double lat)>& visit);
    /** About how many incidents there are (the count OGR keeps, or the fid range); 0: unknown. */
    std::size_t count_hint();
    /** The file, the incidents table and its fid column as this reader found them. */
    const std::string& path() const { return db_->path(); }
    const std::string& table() const { return table_; }
    const std::string& fid_column() const { return fid_; }

private:
    IncidentReader(std::unique_ptr<SqliteDb> db, std::string table, std::string fid,
                   std::string geom, bool snapshot);
    SqliteStatement select_all();
    static void decode(SqliteStatement& q, core::Incident& inc);

    std::unique_ptr<SqliteDb> db_;
    std::string table_, fid_, geom_;
    bool snapshot_ = true;
    std::optional<SqliteStatement> read_one_;  // read(): prepared once
};

/** Every incident of a GeoPackage workspace through IncidentReader; nullopt as its open(). */
std::optional<std::vector<core::Incident>> read_incidents_gpkg(const std::string& path);

}  // namespace limes::geo
