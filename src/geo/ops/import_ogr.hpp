#pragma once
// The GDAL side of `limes import` (ops/importer.cpp): any vector source GDAL reads (GeoJSON,
// GeoPackage, Shapefile, KML, TopoJSON, ...), its features checked, reprojected to WGS84 and
// turned into incidents, claims (polygons repaired where that is safe) or features of a
// basemap layer; each bad one reported with its file, feature and field.
#include <string>
#include <vector>

#include <gdal_priv.h>
#include <ogrsf_frmts.h>

#include "core/claim.hpp"
#include "core/incident.hpp"
#include "geo/ops/importer.hpp"

namespace limes::geo {

/** What a source holds once read: rows for the target layer, with the feature numbers they
 *  came from. */
struct Parsed {
    std::vector<core::Incident> incidents;
    std::vector<long> rows;
    std::vector<core::Claim> claims;
    // Generic layers: features ready to write (already in WGS84), and their schema source.
    std::vector<OGRFeatureUniquePtr> features;
    OGRFeatureDefn* source_defn = nullptr;
    OGRwkbGeometryType geometry_type = wkbUnknown;
};

/** Reads file into parsed, deciding report.target_layer when it is not given. keep_open
 *  holds the source (generic features point into its field definitions). Throws DataError
 *  for a file GDAL cannot read whole, UsageError for a network source or an ambiguous one. */
void read_ogr(const std::string& file, const ImportOptions& opt, ImportReport& report,
              Parsed& parsed, GDALDatasetUniquePtr& keep_open);

}  // namespace limes::geo
