#pragma once
// The incidents of a workspace, whatever holds them: the one interface every command and the
// window read and write incidents through. Which implementation serves a workspace is decided
// once, when it is opened (store/workspace.hpp): a GeoPackage through SQLite
// (store/gpkg_incidents.hpp), any other OGR source read-only through GDAL
// (store/ogr_incidents.hpp); a PostGIS table will be the next. Nothing above this interface
// knows which one it talks to.
//
// Ids: an incident's fid is its id, kept for its life: update() writes a row in place under
// the same fid, so exports before and after an edit carry the same ids.
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/columns.hpp"
#include "core/error.hpp"
#include "core/filter.hpp"
#include "core/incident.hpp"
#include "core/progress.hpp"
#include "geo/store/duplicates.hpp"

namespace limes::geo {

/** What a scan reads. Every incident it yields has fid and point set, the columns asked for
 *  and the filter's columns filled, and every other column empty. */
struct IncidentQuery {
    core::IncidentColumns columns = core::IncidentColumns::all();
    /** Incidents it does not accept (core::Filter::accepts: everything but the region, which
     *  needs geometry: callers add a RegionTest) are skipped. Null: all. */
    const core::Filter* filter = nullptr;
    /** Only these fids (ascending). Null: all. */
    const std::vector<std::int64_t>* fids = nullptr;
    /** Whether each incident's fid and version are wanted. False for a map's marks and the
     *  stats' counts, which need neither: a database then sends two values fewer a row (a
     *  render of 1M from PostGIS, BENCHMARKS.md); the cursor leaves them 0. A hint: a store
     *  may fill them. */
    bool keys = true;
};

/** The name of a text column of the incidents (checked: only known names go into SQL);
 *  UsageError for any other name. */
std::string require_text_column(std::string_view column);

/** One pass over incidents, in fid order; the table (or snapshot) must outlive it. */
class IncidentCursor {
  public:
    virtual ~IncidentCursor() = default;
    /** Fills out (overwritten whole; its strings keep their buffers) with the next incident;
     *  false at the end. Throws IoError naming the workspace when reading fails. */
    virtual bool next(core::Incident& out) = 0;
};

/** Reading: a table, or a snapshot of one in which every pass sees the same rows. */
class IncidentReads {
  public:
    virtual ~IncidentReads() = default;
    virtual std::unique_ptr<IncidentCursor> query(const IncidentQuery& query) = 0;
    /** About how many incidents there are, to size buffers and progress; 0: unknown. */
    virtual std::size_t count_hint() = 0;

    /** Calls visit for every incident query yields, with one reused Incident. */
    void for_each(const IncidentQuery& query,
                  const std::function<void(const core::Incident&)>& visit);
    /** Every incident the query yields, whole. */
    std::vector<core::Incident> read_all(const IncidentQuery& query = {});
};

/** How find() compares a text column with the text. */
enum class TextMatch {
    Equals,    ///< exactly
    Contains,  ///< a substring, ASCII letters without case
};

/** An update or removal of a row that someone else changed since it was read (its stored
 *  version is past the one the write carries): refused, nothing of the write lands (the
 *  writer's transaction rolls back). Carries both values, for the user to choose. */
class StaleRowError : public core::Error {
  public:
    StaleRowError(const std::string& workspace, core::Incident mine,
                  std::optional<core::Incident> theirs);
    const core::Incident& mine() const { return mine_; }
    /** The stored row now; none when it was deleted. */
    const std::optional<core::Incident>& theirs() const { return theirs_; }

  private:
    core::Incident mine_;
    std::optional<core::Incident> theirs_;
};

/** One write transaction on the incidents: nothing of it is visible to others until commit(),
 *  and the destructor rolls back unless commit() ran, so an exception or a crash leaves the
 *  workspace as it was (a layer the write created included). */
class IncidentWriter {
  public:
    virtual ~IncidentWriter() = default;
    /** The duplicates check against what is stored (by event_id_cnty): the one place that
     *  decides what is "already there". Usable on another thread than the writes. */
    virtual std::unique_ptr<DuplicateCheck> duplicate_check(std::size_t expected_rows) = 0;
    /** Appends after the stored incidents and sets each fid (new ones, never reused). */
    virtual void append(core::Incident* incidents, std::size_t count) = 0;
    void append(std::vector<core::Incident>& incidents) {
        append(incidents.data(), incidents.size());
    }
    /** Writes a stored incident in place: same fid. Throws UsageError when the fid is not
     *  stored; StaleRowError when incident.version > 0 and the stored row is past it. */
    virtual void update(const core::Incident& incident) = 0;
    /** Deletes the stored incident with this fid (nothing when there is none). version > 0:
     *  StaleRowError when the stored row is past it (changed since it was read). */
    virtual void remove(std::int64_t fid, std::int64_t version = 0) = 0;
    /** Makes it all durable (the spatial index, extent and count follow). progress: from
     *  0.9 to 1 of the whole work. Throws IoError (the destructor then rolls back). */
    virtual void commit(core::ProgressSink* progress = nullptr) = 0;
};

class IncidentTable : public IncidentReads {
  public:
    /** Whether the workspace has an incidents layer at all (an empty one counts). */
    virtual bool exists() = 0;
    /** A read view in which every query sees the same rows (one read transaction): for work
     *  that reads twice, as an export (extent first, then features). */
    virtual std::unique_ptr<IncidentReads> snapshot() = 0;
    /** The incident with this fid, whole; nullopt when there is none. Safe on another thread
     *  than a running query (the window reads a hovered row while incidents load). */
    virtual std::optional<core::Incident> read(std::int64_t fid) = 0;
    /** Fids (ascending) of incidents whose text column matches. UsageError for a name that
     *  is not a text column of the incidents. */
    virtual std::vector<std::int64_t> find(std::string_view column, const std::string& text,
                                           TextMatch match) = 0;
    /** A scan split into parts read at once on up to threads threads (0: as many as pay off
     *  for the table's size, at most 2): visit(part, incident) runs for part 0 on the calling
     *  thread and part 1 on a second one. Parts are contiguous runs of fids, part 0 first. When
     *  a write lands while the parts read, restart() is called and the whole table is read
     *  again as part 0 alone, so the result always stands on one state of the table. Returns
     *  how many parts it stands on (0 for an empty table). */
    virtual unsigned scan_parts(
        const IncidentQuery& query, unsigned threads,
        const std::function<void(unsigned part, const core::Incident&)>& visit,
        const std::function<void()>& restart) = 0;
    /** Starts a write. Throws UsageError naming the workspace when it is read-only (any
     *  source but a GeoPackage), IoError when the file cannot be written. */
    virtual std::unique_ptr<IncidentWriter> write() = 0;
};

}  // namespace limes::geo
