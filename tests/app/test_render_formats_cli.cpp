// `limes render --format gtiff` and `--dpi`, through the command line: the GeoTIFF's
// georeferencing as GDAL reads it back agrees with the PNG's world file for the same
// arguments, its pixels are the PNG's, and the resolution is written where readers look
// (the PNG's pHYs chunk, parsed here byte by byte; the TIFF's resolution tags).
#include <catch2/catch.hpp>

#include <gdal_priv.h>
#include <ogr_spatialref.h>

#include <cmath>
#include <cstdint>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "../geo/support.hpp"
#include "core/error.hpp"
#include "geo/formats/image_writer.hpp"
#include "run_limes.hpp"

using limes_test::read_all;
using limes_test::world_file;
using limes_test::Result;
using limes_test::run_limes;
using limes_test::scratch;

namespace {

using limes_test::kWs;

std::uint32_t be32(const std::string& s, std::size_t at) {
    return (std::uint32_t(std::uint8_t(s[at])) << 24) |
           (std::uint32_t(std::uint8_t(s[at + 1])) << 16) |
           (std::uint32_t(std::uint8_t(s[at + 2])) << 8) | std::uint32_t(std::uint8_t(s[at + 3]));
}

struct Phys {
    bool found = false;
    std::uint32_t x = 0, y = 0;
    int unit = -1;
};

// The pHYs chunk of a PNG, walking the chunks from the signature (PNG spec 11.3.5.3).
Phys png_phys(const std::string& png) {
    Phys p;
    REQUIRE(png.size() > 8);
    REQUIRE(png.compare(0, 8, "\x89PNG\r\n\x1a\n") == 0);
    for (std::size_t at = 8; at + 12 <= png.size();) {
        const std::uint32_t length = be32(png, at);
        const std::string type = png.substr(at + 4, 4);
        if (type == "pHYs") {
            REQUIRE(length == 9);
            p.found = true;
            p.x = be32(png, at + 8);
            p.y = be32(png, at + 12);
            p.unit = std::uint8_t(png[at + 16]);
        }
        if (type == "IEND") break;
        at += 12 + length;
    }
    return p;
}

GDALDatasetUniquePtr open_raster(const std::string& path) {
    GDALAllRegister();
    return GDALDatasetUniquePtr(GDALDataset::Open(path.c_str(), GDAL_OF_RASTER | GDAL_OF_READONLY));
}

std::vector<std::uint8_t> rgba(GDALDataset& ds) {
    const int w = ds.GetRasterXSize(), h = ds.GetRasterYSize();
    std::vector<std::uint8_t> px(std::size_t(w) * h * 4);
    int bands[] = {1, 2, 3, 4};
    REQUIRE(ds.RasterIO(GF_Read, 0, 0, w, h, px.data(), w, h, GDT_Byte, 4, bands, 4, 4 * w, 1,
                        nullptr) == CE_None);
    return px;
}

}  // namespace

TEST_CASE("render --format gtiff: georeferenced as the PNG's world file says, same pixels",
          "[render][gtiff]") {
    const std::string png = scratch("fmt", ".png");
    const std::string tif = scratch("fmt", ".tif");
    const std::vector<std::string> common = {"--size", "320x180",    "--region", "Syunik",
                                             "--from", "2022-09-13", "--to",     "2022-09-13"};
    auto render = [&](std::vector<std::string> args) {
        std::vector<const char*> argv{"limes"};
        for (const auto& a : args) argv.push_back(a.c_str());
        for (const auto& a : common) argv.push_back(a.c_str());
        std::ostringstream out, err;
        const int rc = limes::app::run(static_cast<int>(argv.size()), argv.data(), out, err);
        INFO(err.str());
        REQUIRE(rc == 0);
    };
    render({"render", kWs, "-o", png});
    render({"render", kWs, "-o", tif, "--format", "gtiff"});

    // The GeoTIFF really is one (magic "II*\0" or "MM\0*"), not a renamed PNG.
    const std::string tif_bytes = read_all(tif);
    REQUIRE(tif_bytes.size() > 8);
    CHECK((tif_bytes.compare(0, 4, std::string("II*\0", 4)) == 0 ||
           tif_bytes.compare(0, 4, std::string("MM\0*", 4)) == 0));

    const std::vector<double> w = world_file(png.substr(0, png.size() - 4) + ".pgw");
    REQUIRE(w.size() == 6);
    CHECK(w[0] > 0);  // metres per pixel eastward
    CHECK(w[3] < 0);  // north up

    GDALDatasetUniquePtr t = open_raster(tif);
    REQUIRE(t);
    CHECK(std::string(t->GetDriver()->GetDescription()) == "GTiff");
    CHECK(t->GetRasterXSize() == 320);
    CHECK(t->GetRasterYSize() == 180);
    double gt[6];
    REQUIRE(t->GetGeoTransform(gt) == CE_None);
    // World file (A, D, B, E, C, F) -> GDAL (C - A/2 - B/2, A, B, F - D/2 - E/2, D, E).
    const double scale = std::fabs(w[0]);
    CHECK(gt[1] == Approx(w[0]).epsilon(1e-9));
    CHECK(gt[2] == Approx(w[2]).margin(scale * 1e-9));
    CHECK(gt[4] == Approx(w[1]).margin(scale * 1e-9));
    CHECK(gt[5] == Approx(w[3]).epsilon(1e-9));
    CHECK(gt[0] == Approx(w[4] - w[0] / 2 - w[2] / 2).margin(scale * 1e-6));
    CHECK(gt[3] == Approx(w[5] - w[1] / 2 - w[3] / 2).margin(scale * 1e-6));

    // The CRS: inside the GeoTIFF, the same as the PNG's .aux.xml, the default Lambert
    // conformal conic with standard parallels 39 and 41 N.
    REQUIRE(t->GetSpatialRef());
    GDALDatasetUniquePtr p = open_raster(png);
    REQUIRE(p);
    REQUIRE(p->GetSpatialRef());
    CHECK(t->GetSpatialRef()->IsSame(p->GetSpatialRef()));
    const OGRSpatialReference& srs = *t->GetSpatialRef();
    CHECK(std::string(srs.GetAttrValue("PROJECTION")) == SRS_PT_LAMBERT_CONFORMAL_CONIC_2SP);
    CHECK(srs.GetProjParm(SRS_PP_STANDARD_PARALLEL_1) == Approx(39.0));
    CHECK(srs.GetProjParm(SRS_PP_STANDARD_PARALLEL_2) == Approx(41.0));

    // Goris (46.34 E, 39.51 N), in Syunik, lands inside the image through that transform.
    OGRSpatialReference map_srs(srs);
    map_srs.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
    OGRSpatialReference wgs;
    wgs.importFromEPSG(4326);
    wgs.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
    std::unique_ptr<OGRCoordinateTransformation> ct(
        OGRCreateCoordinateTransformation(&wgs, &map_srs));
    REQUIRE(ct);
    double x = 46.34, y = 39.51;
    REQUIRE(ct->Transform(1, &x, &y));
    const double col = (x - gt[0]) / gt[1], row = (y - gt[3]) / gt[5];
    CHECK(col > 0);
    CHECK(col < 320);
    CHECK(row > 0);
    CHECK(row < 180);

    // The same image in either format. Not required bit for bit: once in about 25 runs, two
    // renders of the same arguments in one process differed in 81 bytes of the alpha band
    // along one row (a label's edge), whichever the format. A swapped channel, flipped rows or
    // a lost alpha band differ in far more than the 0.1 % of bytes allowed here.
    REQUIRE(p->GetRasterCount() == 4);
    REQUIRE(t->GetRasterCount() == 4);
    const auto a = rgba(*p), b = rgba(*t);
    std::size_t differing = 0;
    for (std::size_t i = 0; i < a.size(); ++i) differing += a[i] != b[i];
    CHECK(differing <= a.size() / 1000);
    // And not a blank one: the basemap draws more than one colour.
    std::size_t not_first = 0;
    for (std::size_t i = 4; i < a.size(); i += 4)
        not_first += a[i] != a[0] || a[i + 1] != a[1] || a[i + 2] != a[2];
    CHECK(not_first > a.size() / 4 / 10);
}

TEST_CASE("render --format gtiff --crs EPSG:32638 writes that CRS into the GeoTIFF",
          "[render][gtiff]") {
    const std::string tif = scratch("utm", ".tif");
    const Result r = run_limes({"render", kWs, "-o", tif, "--format", "gtiff", "--size", "200x150",
                                "--crs", "EPSG:32638", "--region", "Syunik"});
    INFO(r.err);
    REQUIRE(r.code == 0);
    GDALDatasetUniquePtr t = open_raster(tif);
    REQUIRE(t);
    REQUIRE(t->GetSpatialRef());
    OGRSpatialReference utm;
    utm.importFromEPSG(32638);
    CHECK(t->GetSpatialRef()->IsSame(&utm));
    double gt[6];
    REQUIRE(t->GetGeoTransform(gt) == CE_None);
    // Syunik lies around 600-700 km east, 4,300-4,400 km north in UTM 38N.
    CHECK(gt[0] > 500000);
    CHECK(gt[0] < 800000);
    CHECK(gt[3] > 4200000);
    CHECK(gt[3] < 4500000);
}

TEST_CASE("render --dpi is written into the PNG and the GeoTIFF", "[render][dpi]") {
    const std::string png = scratch("dpi", ".png");
    const std::string tif = scratch("dpi", ".tif");
    const std::string png_default = scratch("dpi-default", ".png");
    for (const auto& args :
         {std::vector<std::string>{"render", kWs, "-o", png, "--dpi", "300"},
          std::vector<std::string>{"render", kWs, "-o", tif, "--dpi", "300", "--format", "gtiff"},
          std::vector<std::string>{"render", kWs, "-o", png_default}}) {
        std::vector<std::string> a = args;
        for (const char* s : {"--size", "200x120", "--layers", "countries"}) a.push_back(s);
        std::vector<const char*> argv{"limes"};
        for (const auto& s : a) argv.push_back(s.c_str());
        std::ostringstream out, err;
        INFO(a[3]);
        REQUIRE(limes::app::run(static_cast<int>(argv.size()), argv.data(), out, err) == 0);
    }
    // pHYs: pixels per metre, unit 1 = metre. 300 dpi = 300 / 0.0254 = 11811.02 -> 11811.
    const Phys phys = png_phys(read_all(png));
    REQUIRE(phys.found);
    CHECK(phys.unit == 1);
    CHECK(phys.x == 11811);
    CHECK(phys.y == 11811);
    // Without --dpi: the documented default of 150 dpi, 5905.5 -> 5906 (or 5905) per metre.
    const Phys def = png_phys(read_all(png_default));
    REQUIRE(def.found);
    CHECK(def.unit == 1);
    CHECK(std::abs(int(def.x) - 5906) <= 1);
    CHECK(def.x == def.y);

    // GDAL's PNG driver reads pHYs into the resolution metadata too.
    GDALDatasetUniquePtr p = open_raster(png);
    REQUIRE(p);
    const char* px = p->GetMetadataItem("TIFFTAG_XRESOLUTION");
    REQUIRE(px);
    CHECK(std::atof(px) == Approx(300).margin(0.01));

    // The TIFF's own XResolution/YResolution/ResolutionUnit tags, as GDAL reads them.
    GDALDatasetUniquePtr t = open_raster(tif);
    REQUIRE(t);
    const char* xr = t->GetMetadataItem("TIFFTAG_XRESOLUTION");
    const char* yr = t->GetMetadataItem("TIFFTAG_YRESOLUTION");
    const char* unit = t->GetMetadataItem("TIFFTAG_RESOLUTIONUNIT");
    REQUIRE(xr);
    REQUIRE(yr);
    REQUIRE(unit);
    CHECK(std::atof(xr) == Approx(300));
    CHECK(std::atof(yr) == Approx(300));
    CHECK(std::atoi(unit) == 2);  // inch
}

// The extension decides the format (trial problem 4): `-o z.tif` is a GeoTIFF that GDAL
// georeferences by itself (no z.tif.pgw beside it), `-o z.png` a PNG with its .pgw; any
// other extension, or a --format that disagrees, is refused with exit 2 and nothing written.
TEST_CASE("render: the output's extension decides the format", "[render][gtiff][format]") {
    const std::vector<std::string> small = {"--size", "200x150", "--layers", "countries"};
    auto render = [&](std::vector<std::string> args) {
        args.insert(args.begin(), {"render", kWs});
        args.insert(args.end(), small.begin(), small.end());
        std::vector<const char*> argv{"limes"};
        for (const auto& a : args) argv.push_back(a.c_str());
        std::ostringstream out, err;
        Result r;
        r.code = limes::app::run(static_cast<int>(argv.size()), argv.data(), out, err);
        r.out = out.str();
        r.err = err.str();
        return r;
    };
    auto exists = [](const std::string& p) { return std::ifstream(p).good(); };

    SECTION(".tif without --format: a GeoTIFF with its CRS and corners inside") {
        for (const char* ext : {".tif", ".TIFF"}) {
            const std::string tif = scratch("ext", ext);
            const Result r = render({"-o", tif});
            INFO(r.err);
            REQUIRE(r.code == 0);
            GDALDatasetUniquePtr t = open_raster(tif);
            REQUIRE(t);
            CHECK(std::string(t->GetDriver()->GetDescription()) == "GTiff");
            REQUIRE(t->GetSpatialRef());
            CHECK(t->GetSpatialRef()->GetProjParm(SRS_PP_STANDARD_PARALLEL_1) == Approx(39.0));
            double gt[6];
            REQUIRE(t->GetGeoTransform(gt) == CE_None);
            CHECK(gt[1] > 0);
            CHECK(gt[5] < 0);
            // Georeferenced from inside the file, not through a world file GDAL never reads.
            CHECK_FALSE(exists(tif + ".pgw"));
            CHECK_FALSE(exists(tif.substr(0, tif.size() - std::string(ext).size()) + ".tfw"));
        }
    }
    SECTION(".png: a PNG with its world file and .aux.xml, --format png agreeing") {
        const std::string png = scratch("ext", ".png");
        const Result r = render({"-o", png, "--format", "png"});
        INFO(r.err);
        REQUIRE(r.code == 0);
        GDALDatasetUniquePtr p = open_raster(png);
        REQUIRE(p);
        CHECK(std::string(p->GetDriver()->GetDescription()) == "PNG");
        CHECK(p->GetSpatialRef());
        double gt[6];
        CHECK(p->GetGeoTransform(gt) == CE_None);
        CHECK(exists(png.substr(0, png.size() - 4) + ".pgw"));
    }
    SECTION("an extension limes cannot write is refused, naming it and the formats") {
        for (const char* ext : {".jpg", ".eps", ""}) {
            const std::string out = scratch("ext-refused", ext);
            const Result r = render({"-o", out});
            INFO(ext << ": " << r.err);
            CHECK(r.code == 2);
            CHECK_THAT(r.err, Catch::Contains(".png") && Catch::Contains(".tif"));
            if (*ext)
                CHECK_THAT(r.err, Catch::Contains(std::string("'") + ext + "'"));
            else
                CHECK_THAT(r.err, Catch::Contains("no extension"));
            CHECK_FALSE(exists(out));
        }
    }
    SECTION("--format that disagrees with the extension is refused") {
        const std::string png = scratch("mismatch", ".png");
        Result r = render({"-o", png, "--format", "gtiff"});
        INFO(r.err);
        CHECK(r.code == 2);
        CHECK_THAT(r.err, Catch::Contains("--format gtiff disagrees with -o " + png));
        CHECK_FALSE(exists(png));
        const std::string tif = scratch("mismatch", ".tif");
        r = render({"-o", tif, "--format", "png"});
        CHECK(r.code == 2);
        CHECK_FALSE(exists(tif));
        r = render({"-o", tif, "--format", "jpeg"});
        CHECK(r.code == 2);
        CHECK_THAT(r.err, Catch::Contains("png, gtiff, pdf or svg"));
    }
}

TEST_CASE("write_image refuses a format its path's extension does not name", "[render][format]") {
    const std::string png = scratch("writer", ".png");
    const std::vector<std::uint8_t> px(4 * 4 * 4, 200);
    limes::geo::Georeference g;
    CHECK_THROWS_AS(limes::geo::write_image(png, px, 4, 4, g, limes::geo::ImageFormat::GeoTiff, 96),
                    limes::core::UsageError);
    CHECK_FALSE(std::ifstream(png).good());
    CHECK(limes::geo::image_format_for("a/b.c/x.TIF") == limes::geo::ImageFormat::GeoTiff);
    CHECK_THROWS_AS(limes::geo::image_format_for("a/b.png/x"), limes::core::UsageError);
}
