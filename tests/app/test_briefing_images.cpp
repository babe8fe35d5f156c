// Briefing images of the default workspace through the real headless renderer, `limes render`
// run in-process: GDAL places the drawn place dots within a pixel (world file + .aux.xml), the
// sea outside every country is the background colour, the 1991 oblast outline passes through
// its vertices' pixels, golden images match within a stated tolerance, and empty views, bad
// layer/view names and saved views behave.
//
// Golden images (tests/golden_images/, README.md there): a pixel differs when any of its
// R, G, B, A channels differs by more than kGoldenChannelTolerance (24); a comparison fails
// when more than kGoldenMaxDifferingFraction (0.2 %) of the pixels differ. On failure
// <build>/tests/golden_diff/<name>-actual.png and <name>-diff.png are written. Regenerate:
//   LIMES_UPDATE_GOLDEN=1 ctest --test-dir build -R golden_image
#include <catch2/catch.hpp>

#include <gdal_priv.h>
#include <ogr_spatialref.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "../geo/support.hpp"
#include "app/cli.hpp"
#include "geo/formats/gdal_util.hpp"
#include "map/style.hpp"

using namespace limes;

namespace {

constexpr int kGoldenChannelTolerance = 24;          // per channel, 0..255
constexpr double kGoldenMaxDifferingFraction = 0.002;  // of all pixels
constexpr const char* kEpoch = "1663027200";         // 2022-09-13 00:00 UTC: fixed timestamp

int run_cli(const std::vector<std::string>& args) {
    std::vector<const char*> argv{"limes"};
    for (const auto& a : args) argv.push_back(a.c_str());
    std::ostringstream out, err;
    const int rc = app::run(static_cast<int>(argv.size()), argv.data(), out, err);
    UNSCOPED_INFO("limes render: " << err.str());
    return rc;
}

struct Image {
    int width = 0, height = 0;
    std::vector<std::uint8_t> rgba;  // row 0 at the top
    bool contains(int x, int y) const { return x >= 0 && y >= 0 && x < width && y < height; }
    map::Rgba at(int x, int y) const {
        const std::uint8_t* p = &rgba[(static_cast<std::size_t>(y) * width + x) * 4];
        return {p[0], p[1], p[2], p[3]};
    }
};

std::string str(map::Rgba c) {
    return "(" + std::to_string(c.r) + "," + std::to_string(c.g) + "," + std::to_string(c.b) + "," +
           std::to_string(c.a) + ")";
}

bool near(map::Rgba a, map::Rgba b, int tol) {
    return std::abs(a.r - b.r) <= tol && std::abs(a.g - b.g) <= tol && std::abs(a.b - b.b) <= tol;
}

// Reads an RGB(A) raster through GDAL; alpha 255 when there is none.
Image read_image(const std::string& path) {
    geo::ensure_gdal();
    GDALDatasetUniquePtr ds(GDALDataset::Open(path.c_str(), GDAL_OF_RASTER));
    REQUIRE(ds);
    Image img;
    img.width = ds->GetRasterXSize();
    img.height = ds->GetRasterYSize();
    const int bands = ds->GetRasterCount();
    REQUIRE(bands >= 3);
    img.rgba.assign(static_cast<std::size_t>(img.width) * img.height * 4, 255);
    for (int b = 0; b < std::min(bands, 4); ++b)
        REQUIRE(ds->GetRasterBand(b + 1)->RasterIO(GF_Read, 0, 0, img.width, img.height,
                                                   img.rgba.data() + b, img.width, img.height,
                                                   GDT_Byte, 4, 4 * img.width, nullptr) == CE_None);
    return img;
}

// Writes 8-bit RGBA as PNG through GDAL (MEM dataset, then the PNG driver's CreateCopy).
void write_png(const std::string& path, const Image& img) {
    geo::ensure_gdal();
    GDALDriver* mem = GetGDALDriverManager()->GetDriverByName("MEM");
    GDALDriver* png = GetGDALDriverManager()->GetDriverByName("PNG");
    REQUIRE(mem);
    REQUIRE(png);
    GDALDatasetUniquePtr ds(mem->Create("", img.width, img.height, 4, GDT_Byte, nullptr));
    REQUIRE(ds);
    REQUIRE(ds->RasterIO(GF_Write, 0, 0, img.width, img.height,
                         const_cast<std::uint8_t*>(img.rgba.data()), img.width, img.height,
                         GDT_Byte, 4, nullptr, 4, 4 * img.width, 1, nullptr) == CE_None);
    GDALDatasetUniquePtr out(png->CreateCopy(path.c_str(), ds.get(), FALSE, nullptr, nullptr, nullptr));
    REQUIRE(out);
}

// Pixel coordinates (continuous: pixel i covers [i, i+1)) of lon/lat in a georeferenced image,
// through the CRS GDAL reads from the .aux.xml and the geotransform from the world file.
class Georeference {
public:
    explicit Georeference(const std::string& path) {
        geo::ensure_gdal();
        GDALDatasetUniquePtr ds(GDALDataset::Open(path.c_str(), GDAL_OF_RASTER));
        REQUIRE(ds);
        REQUIRE(ds->GetGeoTransform(gt_) == CE_None);  // the .pgw (or the .aux.xml)
        REQUIRE(gt_[2] == 0.0);
        REQUIRE(gt_[4] == 0.0);
        REQUIRE(ds->GetSpatialRef() != nullptr);  // the CRS, from the .aux.xml
        OGRSpatialReference map_srs(*ds->GetSpatialRef());
        map_srs.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
        OGRSpatialReference wgs = geo::wgs84();  // traditional lon, lat order
        ct_.reset(OGRCreateCoordinateTransformation(&wgs, &map_srs));
        REQUIRE(ct_);
    }
    void to_pixel(double lon, double lat, double& px, double& py) const {
        double x = lon, y = lat;
        REQUIRE(ct_->Transform(1, &x, &y));
        px = (x - gt_[0]) / gt_[1];
        py = (y - gt_[3]) / gt_[5];
    }

private:
    double gt_[6] = {};
    std::unique_ptr<OGRCoordinateTransformation> ct_;
};

// True when (x, y) or one of its 8 neighbours is within tol of colour c.
bool near_in_3x3(const Image& img, int x, int y, map::Rgba c, int tol) {
    for (int dy = -1; dy <= 1; ++dy)
        for (int dx = -1; dx <= 1; ++dx)
            if (img.contains(x + dx, y + dy) && near(img.at(x + dx, y + dy), c, tol)) return true;
    return false;
}

struct Place {
    double lon = 0, lat = 0;
};

// A place of the default workspace's `places` layer by its English name.
Place place(const std::string& name_en) {
    geo::ensure_gdal();
    GDALDatasetUniquePtr ds(GDALDataset::Open(LIMES_DEFAULT_WS, GDAL_OF_VECTOR | GDAL_OF_READONLY));
    REQUIRE(ds);
    OGRLayer* layer = ds->GetLayerByName("places");
    REQUIRE(layer);
    for (auto& f : *layer) {
        if (name_en != f->GetFieldAsString("name_en")) continue;
        const OGRGeometry* g = f->GetGeometryRef();
        REQUIRE(g);
        REQUIRE(wkbFlatten(g->getGeometryType()) == wkbPoint);
        return {g->toPoint()->getX(), g->toPoint()->getY()};
    }
    FAIL("no place '" << name_en << "' in " << LIMES_DEFAULT_WS);
    return {};
}

void set_fixed_timestamp() { ::setenv("SOURCE_DATE_EPOCH", kEpoch, 1); }

bool copy_file(const std::string& from, const std::string& to) {
    std::ifstream in(from, std::ios::binary);
    std::ofstream out(to, std::ios::binary | std::ios::trunc);
    if (!in || !out) return false;
    out << in.rdbuf();
    return static_cast<bool>(out);
}

// Renders args into a scratch PNG and compares it with tests/golden_images/<name>.png.
void check_golden(const std::string& name, std::vector<std::string> args) {
    set_fixed_timestamp();
    const std::string png = limes_test::scratch("golden-" + name, ".png");
    args.insert(args.begin(), {"render", LIMES_DEFAULT_WS, "-o", png});
    REQUIRE(run_cli(args) == 0);
    const std::string golden = std::string(LIMES_GOLDEN_DIR) + "/" + name + ".png";
    const char* update = std::getenv("LIMES_UPDATE_GOLDEN");
    if (update && std::string(update) == "1") {
        REQUIRE(copy_file(png, golden));
        WARN("updated golden image " << golden);
        return;
    }
    INFO("golden image " << golden << " (regenerate: LIMES_UPDATE_GOLDEN=1 ctest --test-dir build -R golden_image)");
    REQUIRE(limes_test::file_exists(golden));
    const Image actual = read_image(png);
    const Image expected = read_image(golden);
    REQUIRE(actual.width == expected.width);
    REQUIRE(actual.height == expected.height);

    Image diff = actual;
    long long differing = 0;
    int worst = 0;
    for (std::size_t i = 0; i < actual.rgba.size(); i += 4) {
        int pixel_max = 0;
        for (int c = 0; c < 4; ++c) {
            const int d = std::abs(int(actual.rgba[i + c]) - int(expected.rgba[i + c]));
            pixel_max = std::max(pixel_max, d);
            if (c < 3) diff.rgba[i + c] = static_cast<std::uint8_t>(std::min(255, 4 * d));
        }
        diff.rgba[i + 3] = 255;
        worst = std::max(worst, pixel_max);
        if (pixel_max > kGoldenChannelTolerance) ++differing;
    }
    const long long pixels = static_cast<long long>(actual.width) * actual.height;
    const long long allowed = static_cast<long long>(kGoldenMaxDifferingFraction * pixels);
    INFO(differing << " of " << pixels << " pixels differ by more than " << kGoldenChannelTolerance
                   << " in some channel (allowed: " << allowed << "); largest difference " << worst);
    if (differing > allowed) {
        const std::string dir = LIMES_GOLDEN_DIFF_DIR;
        ::mkdir(dir.c_str(), 0777);
        const std::string actual_path = dir + "/" + name + "-actual.png";
        const std::string diff_path = dir + "/" + name + "-diff.png";
        copy_file(png, actual_path);
        write_png(diff_path, diff);
        std::remove((diff_path + ".aux.xml").c_str());
        FAIL("golden image mismatch; wrote " << actual_path << " and " << diff_path);
    }
    CHECK(differing <= allowed);
}

}  // namespace

TEST_CASE("briefing image: GDAL places Yerevan, Stepanakert and Ganja on their drawn dots",
          "[render][briefing]") {
    const std::string png = limes_test::scratch("georef", ".png");
    // Every layer but incidents: the report located in Yerevan draws its star over the dot.
    REQUIRE(run_cli({"render", LIMES_DEFAULT_WS, "-o", png, "--size", "1920x1080", "--layers",
                     "countries,provinces,claims,historical_lines,regions,places"}) == 0);
    REQUIRE(limes_test::file_exists(png.substr(0, png.size() - 4) + ".pgw"));
    REQUIRE(limes_test::file_exists(png + ".aux.xml"));
    const Image img = read_image(png);
    REQUIRE(img.width == 1920);
    REQUIRE(img.height == 1080);
    const Georeference georef(png);
    int checked = 0;
    for (const char* name : {"Yerevan", "Stepanakert / Khankendi", "Ganja"}) {
        const Place p = place(name);
        double fx, fy;
        georef.to_pixel(p.lon, p.lat, fx, fy);
        const int x = static_cast<int>(std::floor(fx)), y = static_cast<int>(std::floor(fy));
        INFO(name << " at " << p.lon << "," << p.lat << " -> pixel " << fx << "," << fy
                  << ", colour there " << (img.contains(x, y) ? str(img.at(x, y)) : "outside"));
        REQUIRE(img.contains(x, y));
        CHECK(near_in_3x3(img, x, y, map::kPlace, 40));
        // The dark core's centroid (pixel centres within 3 px) is within one pixel of where
        // GDAL puts the place: the whole dot, not one stray dark pixel, is in the right spot.
        double sx = 0, sy = 0;
        int n = 0;
        for (int dy = -3; dy <= 3; ++dy)
            for (int dx = -3; dx <= 3; ++dx)
                if (img.contains(x + dx, y + dy) && near(img.at(x + dx, y + dy), map::kPlace, 40)) {
                    sx += x + dx + 0.5, sy += y + dy + 0.5, ++n;
                }
        REQUIRE(n >= 3);
        CHECK(std::hypot(sx / n - fx, sy / n - fy) <= 1.0);
        ++checked;
    }
    CHECK(checked == 3);
}

TEST_CASE("briefing image: the Caspian Sea outside every country is the background colour",
          "[render][briefing]") {
    const double lon = 50.2, lat = 39.2;  // open sea between Lankaran and the Absheron islands
    {  // the point is outside every polygon of the countries and provinces layers
        geo::ensure_gdal();
        GDALDatasetUniquePtr ds(GDALDataset::Open(LIMES_DEFAULT_WS, GDAL_OF_VECTOR | GDAL_OF_READONLY));
        REQUIRE(ds);
        const OGRPoint pt(lon, lat);
        for (const char* layer_name : {"countries", "provinces", "claims", "regions"}) {
            OGRLayer* layer = ds->GetLayerByName(layer_name);
            if (!layer) continue;
            for (auto& f : *layer) {
                const OGRGeometry* g = f->GetGeometryRef();
                INFO(layer_name << " feature " << f->GetFID());
                if (g) CHECK_FALSE(g->Intersects(&pt));
            }
        }
    }
    const std::string png = limes_test::scratch("sea", ".png");
    REQUIRE(run_cli({"render", LIMES_DEFAULT_WS, "-o", png, "--bbox", "43,38,51,42.5"}) == 0);
    const Image img = read_image(png);
    const Georeference georef(png);
    double fx, fy;
    georef.to_pixel(lon, lat, fx, fy);
    const int x = static_cast<int>(std::floor(fx)), y = static_cast<int>(std::floor(fy));
    REQUIRE(img.contains(x - 3, y - 3));
    REQUIRE(img.contains(x + 3, y + 3));
    // Exactly the background: nothing drawn (no label, no furniture, no blending) for 3 px.
    for (int dy = -3; dy <= 3; ++dy)
        for (int dx = -3; dx <= 3; ++dx) {
            const map::Rgba c = img.at(x + dx, y + dy);
            INFO("pixel " << x + dx << "," << y + dy << " is " << str(c));
            CHECK(c.r == map::kBackground.r);
            CHECK(c.g == map::kBackground.g);
            CHECK(c.b == map::kBackground.b);
            CHECK(c.a == 255);
        }
}

TEST_CASE("briefing image: the 1991 oblast outline passes through its vertices' pixels",
          "[render][briefing]") {
    const std::string png = limes_test::scratch("oblast", ".png");
    REQUIRE(run_cli({"render", LIMES_DEFAULT_WS, "-o", png, "--layers", "regions", "--size",
                     "1200x900", "--bbox", "45.9,39.2,47.6,40.5"}) == 0);
    const Image img = read_image(png);
    const Georeference georef(png);

    geo::ensure_gdal();
    GDALDatasetUniquePtr ds(GDALDataset::Open(LIMES_DEFAULT_WS, GDAL_OF_VECTOR | GDAL_OF_READONLY));
    REQUIRE(ds);
    OGRLayer* regions = ds->GetLayerByName("regions");
    REQUIRE(regions);
    REQUIRE(regions->GetFeatureCount() == 1);
    OGRFeatureUniquePtr f(regions->GetNextFeature());
    REQUIRE(f);
    REQUIRE(std::string(f->GetFieldAsString("name")).find("1991") != std::string::npos);
    const OGRGeometry* g = f->GetGeometryRef();
    REQUIRE(g);
    int checked = 0, missed = 0;
    for (const OGRPolygon* poly : *g->toMultiPolygon())
        for (const OGRLinearRing* ring : *poly)
            for (int i = 0; i < ring->getNumPoints(); i += 5) {
                double fx, fy;
                georef.to_pixel(ring->getX(i), ring->getY(i), fx, fy);
                const int x = static_cast<int>(std::floor(fx)), y = static_cast<int>(std::floor(fy));
                REQUIRE(img.contains(x, y));  // the bbox holds the whole oblast
                ++checked;
                if (!near_in_3x3(img, x, y, map::kRegionOutline, 40)) {
                    ++missed;
                    UNSCOPED_INFO("vertex " << i << " (" << ring->getX(i) << "," << ring->getY(i)
                                            << ") pixel " << x << "," << y << " is " << str(img.at(x, y)));
                }
            }
    CHECK(checked >= 50);  // 381 vertices
    CHECK(missed == 0);
    // The oblast is outlined, not filled: its interior is the background.
    OGRPoint centroid;
    REQUIRE(g->Centroid(&centroid) == OGRERR_NONE);
    double cx, cy;
    georef.to_pixel(centroid.getX(), centroid.getY(), cx, cy);
    const map::Rgba inside = img.at(static_cast<int>(cx), static_cast<int>(cy));
    INFO("centroid pixel " << cx << "," << cy << " is " << str(inside));
    CHECK_FALSE(near(inside, map::kRegionOutline, 40));
    CHECK(near(inside, map::kBackground, 0));
}

TEST_CASE("golden_image: default workspace, 13 September 2022, 800x450", "[render][golden]") {
    check_golden("default_2022-09-13_800x450",
                 {"--size", "800x450", "--from", "2022-09-13", "--to", "2022-09-13", "--title",
                  "Golden test"});
}

TEST_CASE("golden_image: Armenian labels over the basemap, 640x360", "[render][golden]") {
    check_golden("basemap_labels-hy_640x360",
                 {"--size", "640x360", "--labels", "hy", "--layers",
                  "countries,provinces,places,regions"});
}

TEST_CASE("briefing image: an empty time range still renders", "[render][briefing]") {
    const std::string png = limes_test::scratch("empty", ".png");
    REQUIRE(run_cli({"render", LIMES_DEFAULT_WS, "-o", png, "--size", "640x360", "--from",
                     "1990-01-01", "--to", "1990-01-02"}) == 0);
    REQUIRE(limes_test::file_exists(png));
    const Image img = read_image(png);
    CHECK(img.width == 640);
    CHECK(img.height == 360);
}

TEST_CASE("briefing image: unknown layer or view names exit 2", "[render][briefing]") {
    const std::string png = limes_test::scratch("bad-name", ".png");
    CHECK(run_cli({"render", LIMES_DEFAULT_WS, "-o", png, "--layers", "nosuch"}) == 2);
    CHECK(run_cli({"render", LIMES_DEFAULT_WS, "-o", png, "--layers", "places,nosuch"}) == 2);
    CHECK(run_cli({"render", LIMES_DEFAULT_WS, "-o", png, "--view", "nosuch"}) == 2);
    CHECK_FALSE(limes_test::file_exists(png));
}

namespace {

// Saves a view with args in a scratch copy of the default workspace, renders it back by name
// and returns both images.
std::pair<Image, Image> save_and_render_view(const std::vector<std::string>& args) {
    set_fixed_timestamp();
    const std::string ws = limes_test::scratch("views-ws");
    REQUIRE(copy_file(LIMES_DEFAULT_WS, ws));
    const std::string saved = limes_test::scratch("view-saved", ".png");
    const std::string again = limes_test::scratch("view-again", ".png");
    std::vector<std::string> save{"render", ws, "-o", saved, "--save-view", "V"};
    save.insert(save.end(), args.begin(), args.end());
    REQUIRE(run_cli(save) == 0);
    REQUIRE(run_cli({"render", ws, "-o", again, "--view", "V"}) == 0);
    return {read_image(saved), read_image(again)};
}

// Number of bytes that differ between two pixel buffers of the same size.
long long differing_bytes(const Image& a, const Image& b) {
    long long n = 0;
    for (std::size_t i = 0; i < a.rgba.size(); ++i) n += a.rgba[i] != b.rgba[i];
    return n;
}

}  // namespace

TEST_CASE("briefing image: --save-view then --view reproduce the image", "[render][briefing][view]") {
    const auto [saved, again] = save_and_render_view(
        {"--size", "640x360", "--bbox", "45,39,47.5,40.8", "--from", "2022-09-13", "--to",
         "2022-09-14", "--type", "Battles", "--layers", "countries,provinces,incidents,places",
         "--title", "Saved view test", "--crs", "EPSG:32638"});
    REQUIRE(saved.width == 640);
    REQUIRE(saved.height == 360);
    REQUIRE(again.width == saved.width);
    REQUIRE(again.height == saved.height);
    REQUIRE(again.rgba.size() == saved.rgba.size());
    CHECK(differing_bytes(again, saved) == 0);
}

// The label language is part of what a view shows. : views do not store it yet
// (see the report); drop the tag once they do.
TEST_CASE("briefing image: a saved view keeps its label language", "[render][briefing][view]") {
    const auto [saved, again] = save_and_render_view(
        {"--size", "640x360", "--bbox", "45,39,47.5,40.8", "--labels", "hy"});
    REQUIRE(again.width == saved.width);
    REQUIRE(again.height == saved.height);
    REQUIRE(again.rgba.size() == saved.rgba.size());
    CHECK(differing_bytes(again, saved) == 0);
}
