#pragma once
// What a GeoPackage workspace from someone else holds besides data, checked when it is opened
// and again inside every write's transaction. The connection-level defences (SQLite's defensive
// mode, the authorizer that stops foreign triggers and views) are geo/formats/sqlite_guard.hpp;
// this is the workspace's policy on top of them:
//   - foreign logic (a trigger or view neither the GeoPackage standard nor limes creates) is
//     listed when the workspace is opened and never runs; reading goes on, writing is refused
//     (a DataError, exit 3, naming each object) until `limes clean` removes it;
//   - a schema limes cannot read safely is refused outright, within a bounded time: a view in
//     place of a table limes reads (gpkg_contents, incidents, claims, ...), absurd metadata
//     (hundreds of thousands of layers, megabytes of text in one metadata row).
#include <string>
#include <vector>

#include "geo/formats/sqlite_guard.hpp"
#include "geo/store/sqlite_db.hpp"

namespace limes::geo {

/** Seconds the inspection of a workspace's schema may take before it is refused as hostile
 *  (a SQLite progress handler interrupts it). */
inline constexpr double kSchemaCheckSeconds = 10.0;

/** Checks a GeoPackage's schema when it is opened (read-only connection). Returns its foreign
 *  logic; throws DataError (exit 3) naming the file and the object when the schema cannot be
 *  read safely, or when the check runs past kSchemaCheckSeconds. */
std::vector<SchemaObject> inspect_schema(SqliteDb& db);

/** Throws DataError (exit 3) naming every foreign trigger and view of db and the command that
 *  removes them, when there is any. Writers call it inside their transaction. */
void require_no_foreign_logic(sqlite3* db, const std::string& path);
/** The same error for a list already read. */
[[noreturn]] void refuse_foreign_logic(const std::vector<SchemaObject>& foreign,
                                       const std::string& path);

/** What a command that only reads says about a workspace's foreign logic (one line, no
 *  newline), or "" when there is none. */
std::string foreign_logic_note(const std::string& path, const std::vector<SchemaObject>& foreign);

/** The sentence that lists foreign objects: "trigger x on incidents (calls load_extension());
 *  view y (...)". */
std::string describe_foreign_logic(const std::vector<SchemaObject>& objects);

/** Removes the foreign triggers and views of a GeoPackage (and the views' rows in gpkg_contents,
 *  gpkg_geometry_columns and gpkg_ogr_contents) in one transaction; returns what it removed.
 *  dry_run: removes nothing, returns what it would remove. Throws IoError. */
std::vector<SchemaObject> remove_foreign_logic(const std::string& path, bool dry_run);

}  // namespace limes::geo
