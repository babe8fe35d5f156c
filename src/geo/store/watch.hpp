#pragma once
// Whether anyone else committed to a GeoPackage workspace: the window asks every frame, so that
// two writers (the window and a `limes import`, two windows, two analysts on a shared folder)
// never silently overwrite each other. SQLite's PRAGMA data_version on a connection of its
// own changes whenever another connection (in this process or another) commits; asking costs
// a shared lock for a moment, microseconds.
#include <cstdint>
#include <string>

#include "geo/store/sqlite_db.hpp"

namespace limes::geo {

class WorkspaceWatch {
  public:
    /** Watches the GeoPackage at path from now on. Throws IoError. */
    explicit WorkspaceWatch(const std::string& path);
    /** True when someone committed since the watch began or since the last call that
     *  returned true (or since absorb()). A failure to ask (a file gone) counts as no news. */
    bool changed();
    /** Takes this process's own commit (a save) as known: the next changed() is false unless
     *  someone else commits after it. */
    void absorb() { changed(); }

  private:
    SqliteDb db_;
    std::int64_t version_ = 0;
};

}  // namespace limes::geo
