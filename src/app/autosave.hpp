#pragma once
// The window's autosave: its unsaved edits in a file beside the workspace, rewritten after
// every edit, so that a crash or a power cut loses nothing; offered back at the next start.
//
//   <workspace>.autosave.json   {"format": "limes-autosave", "version": 1,
//                                "workspace": "<path>", "written": "<UTC ISO time>",
//                                "edits": [{"fid": 12, "removed": false, "row": {...}}, ...]}
//   fid: the stored row an edit replaces or removes (0: a row made in the window); row: every
//   column of the incident as edited (absent for a removal), lon/lat in WGS84 degrees.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/incident.hpp"
#include "core/incident_store.hpp"

namespace limes::app {

struct AutosavedEdit {
    std::int64_t fid = 0;
    bool removed = false;
    core::Incident row;
};

struct Autosave {
    std::string written;  ///< UTC, ISO 8601
    std::vector<AutosavedEdit> edits;
};

/** "<workspace>.autosave.json". */
std::string autosave_path(const std::string& workspace);

/** Writes the store's unsaved rows, atomically (a temporary file, fsync, rename): a crash
 *  while writing leaves the previous autosave. No edits: removes the file. Throws IoError. */
void write_autosave(const std::string& workspace, const core::IncidentStore& store);

/** The autosave of a workspace, nullopt when there is none. Throws DataError naming the file
 *  and the edit for one that cannot be read back. */
std::optional<Autosave> read_autosave(const std::string& workspace);

/** Removes the autosave (after a save, or when the user discards the edits). */
void remove_autosave(const std::string& workspace);

}  // namespace limes::app
