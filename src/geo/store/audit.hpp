#pragma once
// An audited change of one incident, as `limes history` prints it: the same for a PostGIS
// workspace (pg_audit.hpp) and a GeoPackage (gpkg_audit.hpp).
#include <cstdint>
#include <string>
#include <vector>

namespace limes::geo {

/** One audited change of one incident. */
struct AuditEntry {
    std::int64_t fid = 0;
    std::string at;        ///< when, UTC, ISO 8601 ("2026-12-04T03:40:01Z")
    std::string who;       ///< the database role (PostGIS) or OS user (GeoPackage)
    std::string action;    ///< insert | update | delete
    std::string event_id;  ///< the incident's event_id_cnty (after the change, else before)
    /** For an update, each column whose value changed: name, before, after (text; a gap is
     *  empty), in the table's column order; the version is left out. */
    struct Change {
        std::string column, before, after;
    };
    std::vector<Change> changes;
};

}  // namespace limes::geo
