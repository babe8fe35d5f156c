#pragma once
// The audit trail of a GeoPackage workspace: the table limes_audit in the file (registered in
// gpkg_contents as attributes, so GDAL and QGIS list it beside the layers). limes' own writer
// (gpkg_writer.cpp) adds its rows in the same transaction as the change they record, so a
// change and its record land together or not at all; "who" is the OS user. There is no
// trigger: a workspace's triggers are refused as foreign logic (a file from someone else must
// not run code), so edits made by other tools (QGIS, sqlite3) are not recorded.
//
//   id        INTEGER PRIMARY KEY AUTOINCREMENT  (the order of the changes)
//   at        TEXT   UTC, ISO 8601, seconds ("2026-12-04T03:40:01Z")
//   who       TEXT   the OS user the writing process ran as
//   layer     TEXT   "incidents"
//   fid       INTEGER, last_fid INTEGER: the row; an insert names the range fid..last_fid of
//                    fids it gave (an import of ten million rows is one audit row)
//   action    TEXT   insert | update | delete
//   before, after    TEXT   JSON objects of the row ({"fid", "lon", "lat" (WGS84 degrees),
//                    limes' columns: text, integer or null}): update both, delete before,
//                    insert neither (the row as inserted is the next change's "before", or
//                    the row itself while it never changed: `limes history` shows it so)
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/incident.hpp"
#include "geo/store/audit.hpp"
#include "geo/store/sqlite_db.hpp"

namespace limes::geo {

inline constexpr const char* kGpkgAuditTable = "limes_audit";

/** The records of one write transaction, added to the file at its commit. */
class GpkgAudit {
  public:
    explicit GpkgAudit(std::string layer) : layer_(std::move(layer)) {}
    /** fid was given to a new row (fids of one write come in runs: kept as ranges). */
    void inserted(std::int64_t fid);
    /** The row before and after an update; before alone for a delete. */
    void updated(const core::Incident& before, const core::Incident& after);
    void removed(const core::Incident& before);
    /** Creates limes_audit when missing and writes the records, in db's open transaction. */
    void write(SqliteDb& db);

  private:
    struct Change {
        std::int64_t fid;
        std::string action, before, after;
    };
    std::string layer_;
    std::vector<std::pair<std::int64_t, std::int64_t>> inserted_;  // fid ranges
    std::vector<Change> changes_;
};

/** The OS user this process runs as (its login name; the uid when it has none). */
std::string os_user();

/** The row as the audit stores it (JSON; see the table above). */
std::string audit_json(const core::Incident& inc);

/** Every recorded change of the incidents with this id, oldest first: id is a fid (all
 *  digits) or an event_id_cnty (every fid that ever carried it). Empty when the file has no
 *  limes_audit. */
std::vector<AuditEntry> gpkg_incident_history(SqliteDb& db, const std::string& id);

}  // namespace limes::geo
