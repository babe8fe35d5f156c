#pragma once
// A GeoPackage is an SQLite database, and a database can carry logic: triggers that run on
// every write, views that run a query whenever they are read. A workspace from someone else
// is untrusted input, so every SQLite connection limes opens on one (its own, and GDAL's for
// the GPKG and SQLite drivers) gets SQLite's defences for untrusted files:
//   - SQLITE_DBCONFIG_DEFENSIVE: no writable_schema, no writes to shadow tables, no
//     journal_mode=OFF, no PRAGMA that can corrupt the file;
//   - trusted_schema stays as SQLite sets it: the standard R-tree triggers need it (the rtree
//     virtual table and GDAL 3.6's ST_MinX ... are not marked innocuous, so with it off every
//     indexed write fails "unsafe use of ..."); the built-in functions that reach outside the
//     file (load_extension, fts3_tokenizer) are off for every connection of the C API;
//   - an authorizer that denies every step of a trigger or view that is not the GeoPackage
//     standard's (the R-tree index triggers, GDAL's feature-count triggers, the gpkg_*
//     constraint triggers): foreign logic fails to compile instead of running.
// Which triggers count as standard is decided by their shape here (names, tables, what their
// bodies touch and call), once for the whole program.
#include <sqlite3.h>

#include <string>
#include <string_view>
#include <vector>

namespace limes::geo {

/** One trigger or view of a database's schema. */
struct SchemaObject {
    std::string type;   ///< "trigger" or "view"
    std::string name;
    std::string table;  ///< the table a trigger is on (a view's own name)
    std::string why;    ///< why it is foreign, in words ("not part of the GeoPackage standard")
};

/** "trigger x on incidents", "view y": how every message names a schema object. */
std::string describe(const SchemaObject& object);

/** Whether a trigger is one the GeoPackage standard (or GDAL's GPKG driver) creates: its name
 *  fits its table, it writes only to that table's R-tree or gpkg_ogr_contents, and it calls
 *  only the R-tree geometry functions (ST_MinX, ...), lower(), strftime() and RAISE(). why
 *  is set when it is not. sql is the trigger's CREATE statement from sqlite_master. */
bool is_standard_trigger(std::string_view name, std::string_view table, std::string_view sql,
                         std::string* why = nullptr);

/** The triggers and views of db's main schema that are foreign (every view is: neither the
 *  GeoPackage standard nor limes creates any). Reads sqlite_master only; runs nothing. */
std::vector<SchemaObject> foreign_logic(sqlite3* db);

/** Puts the defences above on a connection. */
void guard_sqlite_connection(sqlite3* db);

}  // namespace limes::geo
