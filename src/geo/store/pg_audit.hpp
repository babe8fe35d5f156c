#pragma once
// The audit trail of a PostgreSQL workspace (limes_audit, geo/store/pg_schema.hpp) read back:
// what `limes history INCIDENT_ID` prints.
#include <cstdint>
#include <string>
#include <vector>

#include "geo/store/audit.hpp"
#include "geo/store/pg_db.hpp"

namespace limes::geo {

/** Every audited change of the incidents with this id, oldest first: id is a fid (all
 *  digits) or an event_id_cnty (every fid that ever carried it). */
std::vector<AuditEntry> incident_history(PgConnection& db, const std::string& id);

}  // namespace limes::geo
