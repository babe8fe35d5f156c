#pragma once
// The window's incidents (core::IncidentStore: columns in memory, edits on top) and the table
// they came from: reading a whole row back when someone looks at it, and saving the edits.
#include <cstddef>
#include <memory>

#include "core/incident_store.hpp"
#include "geo/store/incident_table.hpp"

namespace limes::geo {

class Workspace;  // store/workspace.hpp

/** How an IncidentStore reads a stored row back: one lookup in the table (kept alive by the
 *  function). Throws IoError naming the workspace when the row is no longer stored. */
core::IncidentStore::Fetch fetch_from(std::shared_ptr<IncidentTable> table, std::string workspace);
/** The same from a shared workspace's incidents table (the function keeps the workspace open);
 *  errors name it as `name` says. */
core::IncidentStore::Fetch fetch_from(const std::shared_ptr<Workspace>& workspace, std::string name);

/** Writes the store's unsaved rows in one transaction: removed rows are deleted, changed ones
 *  written in place under their fid (so ids stay stable), new ones appended (and given fids);
 *  then marks them saved. Returns how many rows were written or deleted. A failure leaves the
 *  workspace and the store as they were. */
std::size_t save_edits(IncidentTable& table, core::IncidentStore& store);

}  // namespace limes::geo
