#pragma once
// `limes export`: a filtered layer of a workspace as RFC 7946 GeoJSON.
#include <functional>
#include <ostream>
#include <string>

#include "core/filter.hpp"
#include "core/incident_store.hpp"
#include "geo/store/workspace.hpp"

namespace limes::geo {

struct ExportOptions {
    std::string layer = kIncidents;
    core::Filter filter;
    int precision = 6;  ///< decimals of coordinates, 0..15
};

/** Writes the features that pass the filter; returns how many. Feature ids are the
 *  workspace's feature ids, so the same feature keeps its id from one export to the next. */
long long export_geojson(Workspace& ws, const ExportOptions& options, std::ostream& out);

/** RFC 7946 GeoJSON of the incidents next() yields (it fills its argument and returns
 *  false after the last; the window's filtered set, read back row by row). bbox: theirs,
 *  known beforehand (the window has every position in memory). Returns the number written. */
long long write_incidents_geojson(const core::BBox& bbox,
                                  const std::function<bool(core::Incident&)>& next, int precision,
                                  std::ostream& out);

/** RFC 7946 GeoJSON of a window's rows (indices into store): the rows as stored read back
 *  from the table in one pass (fid order), then the rows edited in the window from memory.
 *  Returns the number of features written. */
long long write_rows_geojson(IncidentTable& table, const core::IncidentStore& store,
                             const std::vector<std::uint32_t>& rows, std::ostream& out);

}  // namespace limes::geo
