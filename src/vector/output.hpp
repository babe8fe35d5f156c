#pragma once
// Vector briefings: the briefing's draw list written as PDF (cairo, fonts embedded as subsets,
// each map layer an optional-content group, georeferenced through GDAL's PDF composition so
// that `gdalinfo` reads the map's CRS and corners) or as SVG (an XML document written here:
// one <g> per layer, Inkscape layers; text as <text> with the Noto fonts embedded).
#include <string>
#include <vector>

#include "map/draw_list.hpp"
#include "vector/paint.hpp"

namespace limes::vector {

/** Where the composition (view.width x view.height image pixels) lies on the page. */
struct Page {
    double width_pt = 0, height_pt = 0;  ///< the page, PostScript points (1/72 in)
    double offset_x_pt = 0;              ///< composition's top-left from the page's top-left
    double offset_y_pt = 0;
    double pt_per_px = 0.75;  ///< points per image pixel (72 / dpi)
    std::string title;        ///< document title (PDF Info, SVG <title>)
};

/** The map's georeferencing: the composition's top-left corner and pixel size in the map CRS
 *  (square pixels, y down), as geo::Georeference. */
struct PageGeoref {
    double top_left_x = 0, top_left_y = 0, pixel_size = 1;
    std::string wkt;  ///< the map CRS
};

/** Writes path (PDF) through a staging directory beside it: the panels (each georeferenced
 *  by geos[i], same order; an empty wkt: not georeferenced) and the frame on a page whose
 *  composition is width x height pixels. Throws core::IoError naming path. */
void write_pdf(const std::vector<Panel>& panels, const std::vector<PageGeoref>& geos,
               const map::Overlay& frame, int width, int height, const Page& page,
               const std::string& path);

/** Writes path (SVG 1.1) through a staging directory beside it. */
void write_svg(const std::vector<Panel>& panels, const map::Overlay& frame, int width, int height,
               const Page& page, const std::string& path);

}  // namespace limes::vector
