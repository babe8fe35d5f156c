#pragma once
// The incidents of a PostGIS workspace (`limes init postgresql://…`, store/pg_schema.hpp): the
// second implementation of IncidentTable (store/incident_table.hpp) after the GeoPackage one.
//
// Reading: each pass is a binary COPY of a SELECT (COPY (…) TO STDOUT (FORMAT binary)),
// streamed row by row on a connection of its own, in fid order; the point comes as its EWKB
// (lon, lat, degrees, EPSG:4326, the stored doubles bit for bit). A map's and stats' columns
// are all in the covering index incidents_marks (pg_schema.hpp), so their passes are
// index-only scans. One row read by fid (read()) is a plain SELECT in text. A query's filter
// is applied here, as on the GeoPackage path (the same core::Filter::accepts decides). A
// snapshot is one REPEATABLE READ transaction: every pass in it sees the same rows.
// Writing: one transaction per IncidentWriter. New rows take their fids from the table's
// identity sequence (nextval, so two analysts importing at once never collide) and go in by
// COPY FROM STDIN (binary format, the point as its EWKB); an update is one UPDATE of the row
// under its fid (the table's trigger raises its version), a removal one DELETE. The audit
// rows are the database's triggers' work (pg_schema.hpp), whoever writes.
#include <memory>

#include "geo/store/incident_table.hpp"
#include "geo/store/pg_db.hpp"

namespace limes::geo {

/** Whether a notification's payload is a commit to schema by another process (or by no
 *  IncidentWriter of this one): this process's own saves are not news to its window. */
bool is_others_commit(const char* payload, const std::string& schema);

/** The incidents table of target's schema. Its one-row reads and catalog questions go on
 *  connected (a connection to target that is in no transaction, e.g. the one Workspace::open
 *  checked the schema on) or, without one, on a connection made at the first need; IoError
 *  (exit 4) naming the workspace when the server cannot be reached. */
std::unique_ptr<IncidentTable> make_pg_incidents(const PgTarget& target,
                                                 std::unique_ptr<PgConnection> connected = {});

}  // namespace limes::geo
