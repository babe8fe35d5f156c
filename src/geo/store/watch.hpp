#pragma once
// Whether anyone else committed to the workspace: the window asks every frame, so that two
// writers (the window and a `limes import`, two windows, two analysts on a shared folder or
// one database) never silently overwrite each other. Which watch a workspace gets is
// Workspace::watch()'s decision:
//   GeoPackage  SQLite's PRAGMA data_version on a connection of its own changes whenever
//               another connection (in this process or another) commits; asking costs a
//               shared lock for a moment, microseconds.
//   PostGIS     LISTEN limes_incidents on a connection of its own: every IncidentWriter
//               commit NOTIFYs with the schema and a token of the writing process, so a
//               window hears others' commits and not its own; asking reads what the socket
//               has, without waiting.
#include <cstdint>
#include <memory>
#include <string>

#include "geo/store/pg_db.hpp"
#include "geo/store/sqlite_db.hpp"

namespace limes::geo {

class WorkspaceWatch {
  public:
    virtual ~WorkspaceWatch() = default;
    /** True when someone else committed since the watch began or since the last call that
     *  returned true (or since absorb()). A failure to ask (a file gone, a connection
     *  lost) counts as no news. */
    virtual bool changed() = 0;
    /** Takes this process's own commit (a save) as known: the next changed() is false unless
     *  someone else commits after it. */
    virtual void absorb() = 0;
};

/** A GeoPackage's data_version. Throws IoError. */
std::unique_ptr<WorkspaceWatch> watch_gpkg(const std::string& path);
/** A PostGIS schema's notifications. Throws IoError when it cannot connect. */
std::unique_ptr<WorkspaceWatch> watch_pg(const PgTarget& target);

}  // namespace limes::geo
