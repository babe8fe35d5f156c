// geo::encode_png and geo::write_image: the PNG limes writes itself (zlib, two threads for large
// images) decodes through GDAL (libpng) to exactly the pixels given, with the dpi in its pHYs
// chunk; the georeferencing GDAL adds beside it (world file, CRS in the .aux.xml) reads back.
#include <gdal_priv.h>
#include <ogr_spatialref.h>

#include <catch2/catch.hpp>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <random>
#include <string>
#include <vector>

#include "geo/formats/gdal_util.hpp"
#include "geo/formats/image_writer.hpp"
#include "support.hpp"

namespace geo = limes::geo;
using limes_test::scratch;

namespace {

/** Noise over flat blocks: runs deflate matches and bytes it cannot, alpha included. */
std::vector<std::uint8_t> test_image(int w, int h, unsigned seed) {
    std::vector<std::uint8_t> rgba(static_cast<std::size_t>(w) * h * 4);
    std::mt19937 rng(seed);
    for (int y = 0; y < h; ++y)
        for (int x = 0; x < w; ++x) {
            std::uint8_t* p = &rgba[(static_cast<std::size_t>(y) * w + x) * 4];
            const bool flat = ((x / 50) + (y / 40)) % 2 == 0;
            for (int c = 0; c < 4; ++c)
                p[c] = flat ? static_cast<std::uint8_t>(40 * c + (x / 50) * 7)
                            : static_cast<std::uint8_t>(rng());
        }
    return rgba;
}

/** RGBA rows of the raster GDAL reads at path (row 0 at the top). */
std::vector<std::uint8_t> decode(const std::string& path, int& w, int& h) {
    GDALDatasetUniquePtr ds(GDALDataset::Open(path.c_str(), GDAL_OF_RASTER | GDAL_OF_READONLY));
    REQUIRE(ds);
    REQUIRE(ds->GetRasterCount() == 4);
    w = ds->GetRasterXSize();
    h = ds->GetRasterYSize();
    std::vector<std::uint8_t> rgba(static_cast<std::size_t>(w) * h * 4);
    REQUIRE(ds->RasterIO(GF_Read, 0, 0, w, h, rgba.data(), w, h, GDT_Byte, 4, nullptr, 4,
                         static_cast<GSpacing>(w) * 4, 1, nullptr) == CE_None);
    return rgba;
}

std::uint32_t be32(const std::string& s, std::size_t at) {
    return (std::uint32_t(std::uint8_t(s[at])) << 24) |
           (std::uint32_t(std::uint8_t(s[at + 1])) << 16) |
           (std::uint32_t(std::uint8_t(s[at + 2])) << 8) | std::uint32_t(std::uint8_t(s[at + 3]));
}

}  // namespace

TEST_CASE("png: small and two-part images decode to exactly their pixels", "[image]") {
    geo::ensure_gdal();
    // 37x23: one part. 1000x300 and 641x999: two halves deflated on two threads (when the
    // machine has two cores), the second starting mid-image.
    for (const auto& [w, h] : {std::pair{37, 23}, std::pair{1000, 300}, std::pair{641, 999}}) {
        INFO(w << "x" << h);
        const auto rgba = test_image(w, h, static_cast<unsigned>(w * 7 + h));
        const std::string bytes = geo::encode_png(rgba, w, h, 150);
        const std::string path = scratch("png-roundtrip", ".png");
        {
            std::FILE* f = std::fopen(path.c_str(), "wb");
            REQUIRE(f);
            REQUIRE(std::fwrite(bytes.data(), 1, bytes.size(), f) == bytes.size());
            std::fclose(f);
        }
        int rw = 0, rh = 0;
        const auto back = decode(path, rw, rh);
        CHECK(rw == w);
        CHECK(rh == h);
        CHECK(back == rgba);
        // pHYs: 150 dpi as pixels per metre, unit metre.
        const std::size_t phys = bytes.find("pHYs");
        REQUIRE(phys != std::string::npos);
        CHECK(be32(bytes, phys + 4) == 5906);  // round(150 / 0.0254)
        CHECK(be32(bytes, phys + 8) == 5906);
        CHECK(bytes[phys + 12] == 1);
        CHECK(bytes.compare(bytes.size() - 8, 4, "IEND") == 0);
        std::remove(path.c_str());
    }
    CHECK_THROWS(geo::encode_png(std::vector<std::uint8_t>(10), 2, 2, 96));  // 16 bytes expected
}

TEST_CASE("png: write_image adds the world file and the CRS GDAL reads back", "[image]") {
    geo::ensure_gdal();
    const int w = 700, h = 400;
    const auto rgba = test_image(w, h, 3);
    geo::Georeference g;
    g.top_left_x = -250'000.0;
    g.top_left_y = 180'000.0;
    g.pixel_size = 381.5;
    OGRSpatialReference lcc;
    REQUIRE(lcc.importFromProj4("+proj=lcc +lat_0=40 +lon_0=46 +lat_1=39 +lat_2=41 +datum=WGS84 "
                                "+units=m +no_defs") == OGRERR_NONE);
    char* wkt = nullptr;
    lcc.exportToWkt(&wkt);
    g.wkt = wkt;
    CPLFree(wkt);
    const std::string png = scratch("png-georef", ".png");
    geo::write_image(png, rgba, w, h, g, geo::ImageFormat::Png, 96);
    int rw = 0, rh = 0;
    CHECK(decode(png, rw, rh) == rgba);
    GDALDatasetUniquePtr ds(GDALDataset::Open(png.c_str(), GDAL_OF_RASTER | GDAL_OF_READONLY));
    REQUIRE(ds);
    double gt[6];
    REQUIRE(ds->GetGeoTransform(gt) == CE_None);  // from the .pgw
    CHECK(gt[0] == Approx(g.top_left_x).margin(1e-6));
    CHECK(gt[1] == Approx(g.pixel_size).margin(1e-9));
    CHECK(gt[3] == Approx(g.top_left_y).margin(1e-6));
    CHECK(gt[5] == Approx(-g.pixel_size).margin(1e-9));
    const OGRSpatialReference* srs = ds->GetSpatialRef();  // from the .aux.xml
    REQUIRE(srs);
    CHECK(srs->IsSame(&lcc));
    ds.reset();
    const std::string base = png.substr(0, png.size() - 4);
    for (const std::string& f : {png, base + ".pgw", png + ".aux.xml"}) {
        CHECK(limes_test::file_exists(f));
        std::remove(f.c_str());
    }
}
