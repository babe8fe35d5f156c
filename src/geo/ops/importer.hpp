#pragma once
// `limes import`: ACLED / UCDP CSV files and any OGR vector source into a workspace layer.
// Every row is validated; bad rows are reported (file, row, field) and skipped, and all valid
// rows land in one transaction — or, with strict, nothing lands when any row is bad. A
// workspace that the import itself created is removed again when nothing was written.
#include <string>
#include <vector>

#include "core/diagnostics.hpp"
#include "core/progress.hpp"
#include "geo/formats/gdal_util.hpp"

namespace limes::geo {

struct ImportOptions {
    std::string layer;  ///< target layer; empty: incidents for points/CSV, claims for polygons
    std::string format = "auto";  ///< auto | acled | ucdp | ogr
    std::string source_layer;  ///< layer of a multi-layer source; empty: the only / same-named one
    bool strict = false;       ///< any bad row aborts the whole import
    bool allow_network = false;  ///< let GDAL reach the network (URLs, /vsicurl/, ...); see
                                 ///< set_network_access: off, a file cannot make limes fetch
    core::ProgressSink* progress = nullptr;
    /** A workspace whose basemap layers (Workspace::copy_basemap_from) a workspace this import
     *  creates starts with, so that its first render is a map; empty: none. */
    std::string basemap_from;
};

struct ImportReport {
    std::string target_layer;
    std::string format;        ///< "ACLED CSV", "UCDP GED CSV", "OGR (GeoJSON)", ...
    long long read = 0;        ///< rows/features read
    long long imported = 0;    ///< written to the workspace
    long long skipped = 0;     ///< bad rows left out
    long long duplicates = 0;  ///< event_id_cnty already stored or repeated: left out
    long long repaired = 0;    ///< kept after a repair (MakeValid)
    bool created_workspace = false;
    std::vector<std::string> basemap_layers;   ///< copied into the new workspace (basemap_from)
    bool aborted = false;                      ///< strict mode refused the import: nothing written
    std::vector<std::string> ignored_columns;  ///< source columns with no place in the layer
    core::Diagnostics diagnostics;
};

class Workspace;

/** Copies the basemap of the workspace at source into ws: every layer but the data ones
 *  (incidents, claims, statements, saved views, styles), skipping those named in except and
 *  those ws has already. What a workspace created by `limes import` (or `limes init` on a
 *  database) starts with. Returns the names of the layers copied. */
std::vector<std::string> copy_basemap(Workspace& ws, const std::string& source,
                                      const std::vector<std::string>& except = {});
/** The same from a source already open (named source_name in errors). */
std::vector<std::string> copy_basemap(Workspace& ws, GDALDataset& source,
                                      const std::string& source_name,
                                      const std::vector<std::string>& except = {});

/** Imports file into the workspace at workspace_path (created when missing). Throws
 *  DataError for a file that cannot be read as a whole (bad header, unterminated quote, no
 *  rows, not vector data GDAL reads, a damaged file that stops mid-way), IoError for files
 *  that cannot be opened or written, UsageError for bad options and for a network source
 *  without allow_network. When it throws, or when no row was valid, the workspace is left
 *  as it was (byte for byte; one it would have created is not left behind). */
ImportReport import_file(const std::string& workspace_path, const std::string& file,
                         const ImportOptions& options);

}  // namespace limes::geo
