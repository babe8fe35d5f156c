#pragma once
// `limes export`: a filtered layer of a workspace as RFC 7946 GeoJSON.
#include <ostream>
#include <string>

#include "core/filter.hpp"
#include "geo/workspace.hpp"

namespace limes::geo {

struct ExportOptions {
    std::string layer = kIncidents;
    core::Filter filter;
    int precision = 6;  ///< decimals of coordinates, 0..15
};

/** Writes the features that pass the filter; returns how many. Feature ids are the
 *  workspace's feature ids, so the same feature keeps its id from one export to the next. */
long long export_geojson(const Workspace& ws, const ExportOptions& options, std::ostream& out);

/** RFC 7946 GeoJSON of incidents already in memory (the window's filtered set): subset
 *  indexes all (null: every one). Returns the number written. */
long long write_incidents_geojson(const std::vector<core::Incident>& all,
                                  const std::vector<std::uint32_t>* subset, int precision,
                                  std::ostream& out);

/** Incidents that pass every filter, keeping only what a map draws: position, date, event
 *  type, fatalities, geo_precision, reported_by and status (a GeoPackage streams through
 *  one reused row, so a million incidents cost ~100 bytes each instead of ~2 KB). */
std::vector<core::Incident> select_incidents_for_map(const Workspace& ws, const core::Filter& filter);

/** Incidents that pass every filter, the region included (GEOS prepared polygon). */
std::vector<core::Incident> select_incidents(const Workspace& ws, const core::Filter& filter);

}  // namespace limes::geo
