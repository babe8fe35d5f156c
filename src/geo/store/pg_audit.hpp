#pragma once
// The audit trail of a PostgreSQL workspace (limes_audit, geo/store/pg_schema.hpp) read back:
// what `limes history INCIDENT_ID` prints.
#include <cstdint>
#include <string>
#include <vector>

#include "geo/store/pg_db.hpp"

namespace limes::geo {

/** One audited change of one incident. */
struct AuditEntry {
    std::int64_t fid = 0;
    std::string at;      ///< when, UTC, ISO 8601 ("2026-12-04T03:40:01Z")
    std::string who;     ///< the database role that logged in
    std::string action;  ///< insert | update | delete
    std::string event_id;  ///< the incident's event_id_cnty (after the change, else before)
    /** For an update, each column whose value changed: name, before, after (text; a gap is
     *  empty), in the table's column order; the version is left out. */
    struct Change {
        std::string column, before, after;
    };
    std::vector<Change> changes;
};

/** Every audited change of the incidents with this id, oldest first: id is a fid (all
 *  digits) or an event_id_cnty (every fid that ever carried it). */
std::vector<AuditEntry> incident_history(PgConnection& db, const std::string& id);

}  // namespace limes::geo
