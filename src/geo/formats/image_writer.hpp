#pragma once
// Writes a rendered RGBA image as a georeferenced file: PNG (encoded here with zlib, see
// image_writer.cpp) with a world file (.pgw) and a .aux.xml carrying the CRS, both written by
// GDAL, or a GeoTIFF through GDAL with both inside. GIS tools (QGIS,
// gdalinfo) then place the image on the map.
#include <cstdint>
#include <string>
#include <vector>

namespace limes::geo {

struct Georeference {
    double top_left_x = 0.0;  ///< map CRS x of the image's top-left corner (not pixel centre)
    double top_left_y = 0.0;  ///< map CRS y of that corner
    double pixel_size = 1.0;  ///< map units per pixel (square pixels; y grows downwards)
    std::string wkt;          ///< the map CRS as WKT
};

/** Png and GeoTiff are raster (write_image); Pdf and Svg are the vector briefings
 *  (src/vector), chosen by the same extension rule. */
enum class ImageFormat { Png, GeoTiff, Pdf, Svg };

/** The format an output's file name asks for, by its extension (ASCII case-insensitive):
 *  .png -> Png, .tif or .tiff -> GeoTiff, .pdf -> Pdf, .svg -> Svg. Any other extension, or none, throws UsageError
 *  naming it and the formats limes writes: the bytes always match the name. */
ImageFormat image_format_for(const std::string& path);

/** As image_format_for, for pixels only (a window's screenshot): .pdf and .svg are refused
 *  too, with UsageError pointing to the vector briefing. */
ImageFormat raster_format_for(const std::string& path);

/** "png", "gtiff", "pdf" or "svg", as --format spells them. */
const char* format_name(ImageFormat format);

/** rgba: width*height*4 bytes, row 0 at the top. format must be the one path's extension
 *  names (image_format_for); a mismatch throws UsageError before anything is written. dpi is
 * written into the file (PNG pHYs, TIFF resolution tags). Written in a private directory beside
 * path and renamed into place with its side files (path.aux.xml; for PNG the world file, path
 * without .png + .pgw), so that a symlink at any of these names is replaced and never followed
 *  (geo/safe_output.hpp). Throws IoError naming the path. */
void write_image(const std::string& path, const std::vector<std::uint8_t>& rgba, int width,
                 int height, const Georeference& geo, ImageFormat format, int dpi);

/** The bytes of a PNG file of rgba (width*height*4 bytes, row 0 at the top, straight alpha):
 *  8-bit RGBA, dpi as its pHYs, the rows deflated (zlib level 3) on two threads when the image
 *  is large. Any PNG reader (GDAL, libpng) decodes it to rgba exactly. */
std::string encode_png(const std::vector<std::uint8_t>& rgba, int width, int height, int dpi);

}  // namespace limes::geo
