#pragma once
// The incidents of a workspace that is not a GeoPackage file (a GeoJSON, a Shapefile, a
// GeoPackage inside a /vsizip/ archive, ...), read through GDAL's OGR API: its layer called
// "incidents", its fields matched to limes' columns by name. Read-only: limes writes only
// GeoPackage workspaces, and write() says so, naming the file and what to do instead.
//
// One GDAL dataset serves every call; GDAL datasets are not shared between threads, so calls
// take turns (a recursive mutex: a cursor holds it while it lives).
#include <memory>
#include <string>

#include <gdal_priv.h>
#include <ogrsf_frmts.h>

#include "geo/store/incident_table.hpp"

namespace limes::geo {

/** The incidents of an open GDAL source: ds's layer (null: there are none). */
std::unique_ptr<IncidentTable> make_ogr_incidents(std::string path, std::shared_ptr<GDALDataset> ds,
                                                  OGRLayer* layer);

}  // namespace limes::geo
