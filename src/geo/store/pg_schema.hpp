#pragma once
// limes' tables in a PostgreSQL/PostGIS schema (`limes init postgresql://…`), the second
// storage of a workspace after the GeoPackage file (docs/ARCHITECTURE.md, docs/SCALING.md).
//
//   incidents    fid (identity), geom geometry(Point, 4326) (lon/lat, GIS order), the 33
//                columns of core::Incident (text, bigint, date), version (1, +1 by a trigger
//                on every UPDATE, whoever runs it: the row version concurrent editors check)
//   claims       fid, geom geometry(MultiPolygon, 4326), the claim columns, version
//   limes_audit  one row per updated or deleted incident or claim, and per run of consecutive
//                fids an insert statement gave (fid .. last_fid, as the GeoPackage's audit):
//                at (timestamptz), who (session_user: the role that logged in), layer, fid,
//                last_fid (inserts; NULL in rows of an older limes: fid alone), action,
//                before and after (the whole row as jsonb; an insert keeps neither). Written by
//                statement-level triggers with transition tables (one INSERT … SELECT per
//                statement, so a COPY of a million rows costs one pass, not a million trigger
//                calls), SECURITY DEFINER: editors need no right on the audit table and cannot
//                write or change it themselves.
// GiST indexes on both geometries and on the audit's insert ranges; B-tree on incidents'
// event_date and event_id_cnty, the audit's (layer, fid, id); incidents_marks (covering).
// Everything is created with IF NOT EXISTS / OR REPLACE in one transaction: init is
// idempotent, and a failure leaves the schema as it was.
#include <string>
#include <vector>

#include "geo/store/pg_db.hpp"

namespace limes::geo {

inline constexpr const char* kAuditTable = "limes_audit";
/** The fids an audit row's insert gave, as a range (the expression of the GiST index
 *  limes_audit_inserted; a query must spell it the same to use the index). */
inline constexpr const char* kAuditInsertedRange = "int8range(fid, coalesce(last_fid, fid), '[]')";
/** The channel the audit triggers NOTIFY on every change, with "SCHEMA TOKEN" as payload
 *  (TOKEN: the limes.writer setting of the writing transaction, empty for other programs). */
inline constexpr const char* kIncidentsChannel = "limes_incidents";

/** A column of one of limes' tables: its name and PostgreSQL type. */
struct PgColumn {
    std::string name, type;
};
/** The incidents table's columns in order: fid, geom, the 33 of core::Incident, version. A
 *  table made beforehand (partitioned by date, docs/SCALING.md) must have them all. */
std::vector<PgColumn> pg_incident_columns();

struct PgInitReport {
    bool created_postgis = false;      ///< CREATE EXTENSION postgis ran
    std::vector<std::string> created;  ///< tables that did not exist before
    std::vector<std::string> kept;     ///< tables that existed (left as they were)
    std::vector<std::string> rebuilt;  ///< indexes of an older layout, built again
    std::string postgis_version;       ///< postgis_lib_version()
};

/** Creates limes' tables, indexes and triggers in the target's schema (and the schema, and the
 *  postgis extension when the role may). A table that exists is kept as it is (a partitioned
 *  one included) and gets the indexes and triggers; DataError (exit 3) naming the columns it
 *  lacks or has of another type (require_incident_columns). IoError (exit 4) when PostGIS is not available or the role may not create (42501,
 *  see pg_db.hpp). */
PgInitReport init_pg_workspace(PgConnection& db);

/** DataError (exit 3) naming the columns of limes' incidents that the target's table lacks,
 *  or that are of a type that does not read what limes writes (a table made by someone else:
 *  init checks it, and so does every import before its first row). */
void require_incident_columns(PgConnection& db);

/** Whether the target's schema holds limes' incidents table. */
bool has_pg_workspace(PgConnection& db);
/** Whether the audit table has last_fid (an insert's range of fids): false for one an older
 *  limes made, until `limes init` runs again. */
bool audit_has_ranges(PgConnection& db);

}  // namespace limes::geo
