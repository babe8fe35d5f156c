#include "geo/formats/image_writer.hpp"

#include <cpl_conv.h>
#include <cpl_string.h>
#include <cpl_vsi.h>
#include <zlib.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstring>
#include <fstream>
#include <thread>

#include "core/error.hpp"
#include "core/parallel.hpp"
#include "core/text.hpp"
#include "geo/formats/gdal_util.hpp"
#include "geo/formats/safe_output.hpp"

namespace limes::geo {
namespace {

// ---------------------------------------------------------------------------------------------
// PNG: written here with zlib, not through GDAL's PNG driver (libpng), for speed at 4K. The
// image data is one zlib stream of the scanlines; the two halves of the image are deflated on
// two threads as raw deflate blocks (the first ended by a sync flush, so they join on a byte
// boundary) and framed by one zlib header and the Adler-32 of the whole (adler32_combine), as
// pigz does. Filter "None" on every row: a map's flat colours repeat every 4 bytes, which
// deflate matches as they are. On the 1M-incident 4K briefing this gives 2.65 MB at level 3,
// against 3.35-3.46 MB with the Sub, Up or Paeth filter and 3.48 MB for libpng's per-row
// choice (what GDAL wrote), and skips libpng's trial filtering (half of its encode time).
// GDAL still writes the georeferencing: the world file and the .aux.xml (see write_image).
// ---------------------------------------------------------------------------------------------

void put_u32(std::string& out, std::uint32_t v) {
    const char b[4] = {static_cast<char>(v >> 24), static_cast<char>(v >> 16),
                       static_cast<char>(v >> 8), static_cast<char>(v)};
    out.append(b, 4);
}

// One chunk: length, type, data, CRC-32 of type and data (PNG spec, 5.3).
void put_chunk(std::string& out, const char (&type)[5], const void* data, std::size_t size) {
    put_u32(out, static_cast<std::uint32_t>(size));
    const std::size_t at = out.size();
    out.append(type, 4);
    out.append(static_cast<const char*>(data), size);
    const uLong crc =
        crc32_z(crc32(0L, Z_NULL, 0), reinterpret_cast<const Bytef*>(out.data() + at), 4 + size);
    put_u32(out, static_cast<std::uint32_t>(crc));
}

struct DeflatedPart {
    std::string bytes;     // raw deflate blocks
    uLong adler = 1;       // Adler-32 of the part's scanlines
    std::size_t size = 0;  // bytes of scanlines
};

// Rows [first, last) as scanlines (filter byte 0, then the row), raw-deflated; the last part
// ends the stream (Z_FINISH), the others with a sync flush (byte-aligned, not final).
DeflatedPart deflate_rows(const std::uint8_t* rgba, int width, int first, int last, bool final,
                          int level) {
    z_stream z{};
    if (deflateInit2(&z, level, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY) != Z_OK)
        throw core::Error(core::ErrorKind::Internal, "zlib: deflateInit2 failed");
    DeflatedPart part;
    const std::size_t row_bytes = static_cast<std::size_t>(width) * 4;
    part.bytes.resize(deflateBound(&z, (row_bytes + 1) * static_cast<uLong>(last - first)) + 64);
    z.next_out = reinterpret_cast<Bytef*>(part.bytes.data());
    z.avail_out = static_cast<uInt>(part.bytes.size());
    Bytef filter = 0;
    int rc = Z_OK;
    for (int y = first; y < last && rc == Z_OK; ++y) {
        const Bytef* row = rgba + static_cast<std::size_t>(y) * row_bytes;
        part.adler = adler32_z(adler32(part.adler, &filter, 1), row, row_bytes);
        z.next_in = &filter;
        z.avail_in = 1;
        rc = deflate(&z, Z_NO_FLUSH);
        z.next_in = const_cast<Bytef*>(row);
        z.avail_in = static_cast<uInt>(row_bytes);
        if (rc == Z_OK) rc = deflate(&z, Z_NO_FLUSH);
    }
    part.size = (row_bytes + 1) * static_cast<std::size_t>(last - first);
    if (rc == Z_OK) rc = deflate(&z, final ? Z_FINISH : Z_SYNC_FLUSH);
    const bool ok = final ? rc == Z_STREAM_END : rc == Z_OK && z.avail_in == 0;
    part.bytes.resize(part.bytes.size() - z.avail_out);
    deflateEnd(&z);
    if (!ok) throw core::Error(core::ErrorKind::Internal, "zlib: deflate failed");
    return part;
}

// The extension of path's last component with its dot ("" when there is none).
std::string extension_of(const std::string& path) {
    const std::string name = file_name_of(path);
    const std::size_t dot = name.rfind('.');
    return dot == std::string::npos || dot == 0 ? std::string() : name.substr(dot);
}

}  // namespace

ImageFormat image_format_for(const std::string& path) {
    const std::string ext = core::to_lower(extension_of(path));
    if (ext == ".png") return ImageFormat::Png;
    if (ext == ".tif" || ext == ".tiff") return ImageFormat::GeoTiff;
    if (ext == ".pdf") return ImageFormat::Pdf;
    if (ext == ".svg") return ImageFormat::Svg;
    const std::string what =
        ext.empty() ? "has no extension" : "ends in '" + extension_of(path) + "'";
    throw core::UsageError("-o " + path + ": " + what +
                           "; limes writes .png (PNG with a .pgw world file and .aux.xml), "
                           ".tif/.tiff (GeoTIFF), .pdf (georeferenced vector PDF) or .svg, "
                           "chosen by the extension");
}

ImageFormat raster_format_for(const std::string& path) {
    const ImageFormat f = image_format_for(path);
    if (f == ImageFormat::Pdf || f == ImageFormat::Svg)
        throw core::UsageError(path + ": a screenshot is the window's pixels: .png or .tif/.tiff "
                                      "('" + extension_of(path) + "' is a vector briefing: File → "
                                      "Briefing… or limes render -o " + file_name_of(path) + ")");
    return f;
}

const char* format_name(ImageFormat format) {
    switch (format) {
        case ImageFormat::Png: return "png";
        case ImageFormat::GeoTiff: return "gtiff";
        case ImageFormat::Pdf: return "pdf";
        case ImageFormat::Svg: return "svg";
    }
    return "png";
}

std::string encode_png(const std::vector<std::uint8_t>& rgba, int width, int height, int dpi) {
    if (width < 1 || height < 1 || rgba.size() != static_cast<std::size_t>(width) * height * 4)
        throw core::Error(core::ErrorKind::Internal,
                          "encode_png: image buffer size does not match");
    constexpr int kLevel = 3;  // ~2/3 of level 6's time for ~5 % more bytes (measured at 4K)
    // Two parts when there is enough to share and a second core to share it with.
    const bool two = height >= 64 && static_cast<std::size_t>(width) * height >= (1u << 18) &&
                     std::thread::hardware_concurrency() >= 2;
    const int mid = two ? height / 2 : height;
    DeflatedPart parts[2];
    if (two) {
        core::run_beside(
            [&] { parts[0] = deflate_rows(rgba.data(), width, 0, mid, false, kLevel); },
            [&] { parts[1] = deflate_rows(rgba.data(), width, mid, height, true, kLevel); });
    } else {
        parts[0] = deflate_rows(rgba.data(), width, 0, height, true, kLevel);
    }
    // zlib stream: header (deflate, 32 KiB window, "fast" level; 0x785E % 31 == 0), the
    // parts, the Adler-32 of all scanlines (big-endian).
    std::string idat = "\x78\x5e";
    idat += parts[0].bytes;
    uLong adler = parts[0].adler;
    if (two) {
        idat += parts[1].bytes;
        adler = adler32_combine(adler, parts[1].adler, static_cast<z_off_t>(parts[1].size));
    }
    put_u32(idat, static_cast<std::uint32_t>(adler));

    std::string png("\x89PNG\r\n\x1a\n", 8);
    std::string ihdr;
    put_u32(ihdr, static_cast<std::uint32_t>(width));
    put_u32(ihdr, static_cast<std::uint32_t>(height));
    ihdr +=
        std::string("\x08\x06\x00\x00\x00", 5);  // 8 bits, RGBA, deflate, filters 0, no interlace
    put_chunk(png, "IHDR", ihdr.data(), ihdr.size());
    std::string phys;  // pixels per metre, both axes, unit 1 = metre
    const auto ppm = static_cast<std::uint32_t>(std::lround(dpi / 0.0254));
    put_u32(phys, ppm);
    put_u32(phys, ppm);
    phys += '\x01';
    put_chunk(png, "pHYs", phys.data(), phys.size());
    // IDAT chunks of at most 1 MiB (any split is valid; decoders concatenate them).
    constexpr std::size_t kChunk = std::size_t{1} << 20;
    for (std::size_t at = 0; at < idat.size(); at += kChunk)
        put_chunk(png, "IDAT", idat.data() + at, std::min(kChunk, idat.size() - at));
    put_chunk(png, "IEND", nullptr, 0);
    return png;
}

void write_image(const std::string& path, const std::vector<std::uint8_t>& rgba, int width,
                 int height, const Georeference& geo, ImageFormat format, int dpi) {
    // Refused before anything is written: a .tif holding PNG bytes (or a .png holding a TIFF)
    // is read wrongly by GIS tools, and GDAL looks for no world file beside a .tif.
    if (image_format_for(path) != format)
        throw core::UsageError("-o " + path + ": the name asks for " +
                               format_name(image_format_for(path)) + ", not " +
                               format_name(format));
    if (format == ImageFormat::Pdf || format == ImageFormat::Svg)
        throw core::Error(core::ErrorKind::Internal,
                          "write_image: vector formats are written by src/vector");
    ensure_gdal();
    if (rgba.size() != static_cast<std::size_t>(width) * height * 4)
        throw core::Error(core::ErrorKind::Internal, "image buffer size does not match");
    double gt[6] = {geo.top_left_x, geo.pixel_size, 0.0, geo.top_left_y, 0.0, -geo.pixel_size};
    // Written inside a private staging directory beside the output (geo/safe_output.hpp),
    // under the output's own file name so that GDAL names the side files as it would there,
    // then the image and its side files are renamed onto their final names: a symlink placed
    // at any of them is replaced, never written through.
    const StagingDir staging(path);
    const std::string name = file_name_of(path);
    const std::string staged = staging.path(name);

    if (format == ImageFormat::Png) {
        const std::string png = encode_png(rgba, width, height, dpi);
        {
            std::ofstream out(staged, std::ios::binary | std::ios::trunc);
            out.write(png.data(), static_cast<std::streamsize>(png.size()));
            out.close();
            if (!out)
                throw core::IoError(path,
                                    std::string("cannot write the image: ") + std::strerror(errno));
        }
        // Georeferencing by GDAL, as its PNG driver would write it: the world file (the
        // geotransform), then the CRS into the .aux.xml when the dataset closes (PAM).
        if (!GDALWriteWorldFile(staged.c_str(), "wld", gt))
            throw core::IoError(path, gdal_error("cannot write the world file"));
        if (!geo.wkt.empty()) {
            GDALDatasetUniquePtr ds(GDALDataset::Open(
                staged.c_str(), GDAL_OF_RASTER | GDAL_OF_READONLY, nullptr, nullptr, nullptr));
            if (!ds || ds->SetProjection(geo.wkt.c_str()) != CE_None)
                throw core::IoError(path, gdal_error("cannot georeference the image"));
            const std::string res = std::to_string(dpi);
            ds->SetMetadataItem("TIFFTAG_XRESOLUTION", res.c_str());
            ds->SetMetadataItem("TIFFTAG_YRESOLUTION", res.c_str());
            ds->SetMetadataItem("TIFFTAG_RESOLUTIONUNIT", "2");  // pixels per inch
        }                                                        // closing writes the .aux.xml
    } else {
        GDALDriver* mem = GetGDALDriverManager()->GetDriverByName("MEM");
        GDALDriver* tiff = GetGDALDriverManager()->GetDriverByName("GTiff");
        if (!mem || !tiff) throw core::IoError(path, "GDAL lacks the MEM/GTiff driver");
        GDALDatasetUniquePtr ds(mem->Create("", width, height, 4, GDT_Byte, nullptr));
        // Interleaved RGBA rows, top row first: pixel stride 4, line stride width*4, band stride 1.
        if (ds->RasterIO(GF_Write, 0, 0, width, height, const_cast<std::uint8_t*>(rgba.data()),
                         width, height, GDT_Byte, 4, nullptr, 4, static_cast<GSpacing>(width) * 4,
                         1, nullptr) != CE_None)
            throw core::IoError(path, gdal_error("cannot fill the image"));
        const GDALColorInterp interp[] = {GCI_RedBand, GCI_GreenBand, GCI_BlueBand, GCI_AlphaBand};
        for (int b = 0; b < 4; ++b) ds->GetRasterBand(b + 1)->SetColorInterpretation(interp[b]);
        ds->SetGeoTransform(gt);
        if (!geo.wkt.empty()) ds->SetProjection(geo.wkt.c_str());
        const std::string res = std::to_string(dpi);
        ds->SetMetadataItem("TIFFTAG_XRESOLUTION", res.c_str());
        ds->SetMetadataItem("TIFFTAG_YRESOLUTION", res.c_str());
        ds->SetMetadataItem("TIFFTAG_RESOLUTIONUNIT", "2");  // pixels per inch
        CPLStringList options;
        options.SetNameValue("COMPRESS", "DEFLATE");
        options.SetNameValue("TILED", "YES");
        GDALDatasetUniquePtr written(
            tiff->CreateCopy(staged.c_str(), ds.get(), FALSE, options.List(), nullptr, nullptr));
        if (!written) throw core::IoError(path, gdal_error("cannot write the image"));
        written.reset();  // flushes the .aux.xml, if any
    }
    staging.publish(name, path);
    if (staging.has(name + ".aux.xml")) staging.publish(name + ".aux.xml", path + ".aux.xml");
    if (format == ImageFormat::Png) {
        // The world file: NAME.wld (extension replaced); limes publishes it as .pgw beside
        // the image, named after the image without its .png.
        const std::string base = path.substr(0, path.size() - 4);  // ".png", any case
        const std::string world = file_name_of(CPLResetExtension(staged.c_str(), "wld"));
        if (staging.has(world)) staging.publish(world, base + ".pgw");
    }
}

}  // namespace limes::geo
