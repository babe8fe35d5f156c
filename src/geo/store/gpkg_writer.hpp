#pragma once
// The write transaction of a GeoPackage's incidents (gpkg_writer.cpp), for
// GpkgIncidentTable::write(): batched INSERTs with fids given, updates in place, removals,
// and the R-tree, extent and feature count GDAL keeps beside the rows brought in step at the
// commit.
#include <functional>
#include <memory>
#include <string>

#include "geo/store/gpkg_incidents.hpp"

namespace limes::geo {

/** Opens path and takes the write lock (BEGIN IMMEDIATE). created_layer: this write made the
 *  layer, and drop_layer removes it again when the write is rolled back. Throws IoError when
 *  the layer lacks one of limes' columns or the file cannot be written. */
std::unique_ptr<IncidentWriter> make_gpkg_writer(const std::string& path,
                                                 const GpkgIncidentLayout& layout,
                                                 bool created_layer,
                                                 std::function<void()> drop_layer);

}  // namespace limes::geo
