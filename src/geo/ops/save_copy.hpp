#pragma once
// Save As into a new GeoPackage from a workspace that cannot be copied byte for byte (a
// PostGIS schema, a read-only OGR source): its layers as they are now, written through
// limes' own writers, with a session's unsaved edits on top. A GeoPackage workspace is copied
// whole instead (app/session_actions.cpp), which keeps its fids and everything else in it.
#include <cstddef>
#include <string>

#include "core/incident_store.hpp"

namespace limes::geo {

class Workspace;

/** Writes a new GeoPackage workspace at path (which must not exist): source's basemap
 *  layers and claims, and its incidents as stored now with store's unsaved edits applied
 *  (an edited row as edited, a removed one left out, an added one appended). Fids are the
 *  new file's own (1, 2, … in the source's fid order): the copy is a new workspace, and its
 *  audit starts with these inserts. Written in a private folder beside path and renamed into
 *  place (geo/formats/safe_output.hpp): a failure leaves nothing under path. Returns the
 *  number of incidents written. */
std::size_t save_copy(Workspace& source, const core::IncidentStore& store,
                      const std::string& path);

}  // namespace limes::geo
