// limes render end to end, headless: the written PNG, placed by GDAL through its world file
// and .aux.xml, shows each incident's type colour at the pixel of its lon/lat.
#include <catch2/catch.hpp>

#include <gdal_priv.h>
#include <ogr_spatialref.h>

#include <sys/wait.h>

#include <cstdlib>
#include <fstream>
#include <iterator>
#include <memory>
#include <sstream>

#include "../geo/support.hpp"
#include "app/cli.hpp"
#include "geo/formats/gdal_util.hpp"
#include "geo/ops/importer.hpp"
#include "map/style.hpp"

using namespace limes;

namespace {

int render_cli(std::vector<std::string> args) {
    std::vector<const char*> argv{"limes"};
    for (const auto& a : args) argv.push_back(a.c_str());
    std::ostringstream out, err;
    const int rc = app::run(static_cast<int>(argv.size()), argv.data(), out, err);
    INFO(err.str());
    return rc;
}

}  // namespace

TEST_CASE("render: incidents drawn at their georeferenced pixels in their type colour",
          "[render]") {
    const std::string ws = limes_test::scratch("render-ws");
    geo::import_file(ws, limes_test::data("incidents.geojson"), {});
    const std::string png = limes_test::scratch("brief", ".png");
    // No basemap in this workspace: everything but the symbols is background.
    REQUIRE(render_cli({"render", ws, "-o", png, "--size", "640x480", "--bbox", "44,38.5,48,41.5"}) ==
            0);

    geo::ensure_gdal();
    GDALDatasetUniquePtr ds(GDALDataset::Open(png.c_str(), GDAL_OF_RASTER));
    REQUIRE(ds);
    REQUIRE(ds->GetRasterXSize() == 640);
    double gt[6];
    REQUIRE(ds->GetGeoTransform(gt) == CE_None);  // from the .pgw / .aux.xml
    REQUIRE(ds->GetSpatialRef() != nullptr);      // the CRS from .aux.xml
    OGRSpatialReference map_srs(*ds->GetSpatialRef());
    map_srs.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
    OGRSpatialReference wgs = geo::wgs84();
    std::unique_ptr<OGRCoordinateTransformation> ct(
        OGRCreateCoordinateTransformation(&wgs, &map_srs));
    REQUIRE(ct);

    auto pixel = [&](int px, int py) {
        std::uint8_t rgba[4];
        for (int b = 0; b < 4; ++b)
            REQUIRE(ds->GetRasterBand(b + 1)->RasterIO(GF_Read, px, py, 1, 1, &rgba[b], 1, 1,
                                                       GDT_Byte, 0, 0, nullptr) == CE_None);
        return map::Rgba{rgba[0], rgba[1], rgba[2], rgba[3]};
    };
    auto to_pixel = [&](double lon, double lat, int& px, int& py) {
        double x = lon, y = lat;
        REQUIRE(ct->Transform(1, &x, &y));
        px = static_cast<int>((x - gt[0]) / gt[1]);
        py = static_cast<int>((y - gt[3]) / gt[5]);
    };
    struct Expect {
        double lon, lat;
        const char* type;
    };
    // tests/data/incidents.geojson (synthetic): three points of three types.
    OGRLayer* layer = nullptr;
    GDALDatasetUniquePtr src(
        GDALDataset::Open(limes_test::data("incidents.geojson").c_str(), GDAL_OF_VECTOR));
    REQUIRE(src);
    layer = src->GetLayer(0);
    int checked = 0;
    for (auto& f : *layer) {
        const OGRPoint* p = f->GetGeometryRef()->toPoint();
        int px, py;
        to_pixel(p->getX(), p->getY(), px, py);
        const map::Rgba want = map::style_for_type(f->GetFieldAsString("event_type")).fill;
        const map::Rgba got = pixel(px, py);
        INFO("incident at " << p->getX() << "," << p->getY() << " pixel " << px << "," << py);
        CHECK(std::abs(got.r - want.r) <= 12);
        CHECK(std::abs(got.g - want.g) <= 12);
        CHECK(std::abs(got.b - want.b) <= 12);
        ++checked;
    }
    CHECK(checked == 3);
    // A point far from every incident and clear of the furniture (title top-left, north
    // arrow top-right, legend bottom-left, scale bar bottom-right): the background colour.
    int px, py;
    to_pixel(47.3, 40.3, px, py);
    const map::Rgba bg = pixel(px, py);
    CHECK(bg.r == map::kBackground.r);
    CHECK(bg.g == map::kBackground.g);
    CHECK(bg.b == map::kBackground.b);
}

TEST_CASE("render: bad arguments exit 2", "[render]") {
    const std::string png = limes_test::scratch("bad", ".png");
    CHECK(render_cli({"render", LIMES_DEFAULT_WS, "-o", png, "--size", "0x100"}) == 2);
    CHECK(render_cli({"render", LIMES_DEFAULT_WS, "-o", png, "--size", "big"}) == 2);
    CHECK(render_cli({"render", LIMES_DEFAULT_WS, "-o", png, "--crs", "EPSG:999999"}) == 2);
    CHECK(render_cli({"render", LIMES_DEFAULT_WS, "-o", png, "--region", "Atlantis"}) == 2);
    CHECK(render_cli({"render", LIMES_DEFAULT_WS, "-o", png, "--from", "2022-09-14", "--to",
                   "2022-09-01"}) == 2);
}

TEST_CASE(
    "render: without a usable EGL the exit is 4 (I/O), naming EGL, as the window's without a "
    "display",
    "[render][errors]") {
    // libglvnd finds no EGL vendor when pointed at a file that is not there: no OpenGL at all.
    const std::string dir = limes_test::scratch("no-egl-dir", "");
    const std::string png = dir + "-brief.png";
    const std::string log = dir + "-render.log";
    const std::string cmd = "__EGL_VENDOR_LIBRARY_FILENAMES=/nonexistent/limes-test.json '" +
                            std::string(LIMES_BINARY) + "' render -o '" + png +
                            "' > /dev/null 2> '" + log + "'";
    const int status = std::system(cmd.c_str());
    REQUIRE(WIFEXITED(status));
    CHECK(WEXITSTATUS(status) == 4);
    std::ifstream in(log);
    const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    INFO(text);
    CHECK(text.find("EGL") != std::string::npos);
    CHECK(text.find("internal error") == std::string::npos);
    CHECK_FALSE(limes_test::file_exists(png));
    // The window without a display: the same exit code.
    const std::string view = "env -u DISPLAY -u WAYLAND_DISPLAY '" + std::string(LIMES_BINARY) +
                             "' view > /dev/null 2> '" + log + "'";
    const int view_status = std::system(view.c_str());
    REQUIRE(WIFEXITED(view_status));
    CHECK(WEXITSTATUS(view_status) == 4);
}

// A workspace made by `limes import` starts with the default workspace's basemap (trial
// problem 14): its first render is a map, countries filled where they lie, and the
// attribution credits Natural Earth only when its layers are drawn.
TEST_CASE("render: a workspace created by import has the basemap", "[render][import][basemap]") {
    const std::string ws = limes_test::scratch("fresh-import");
    std::vector<const char*> argv{"limes", "import", ws.c_str(), LIMES_TEST_DATA "/acled_2023.csv"};
    std::ostringstream out, err;
    REQUIRE(app::run(static_cast<int>(argv.size()), argv.data(), out, err) == 0);
    CHECK_THAT(err.str(), Catch::Contains("new workspace, with the default workspace's basemap "
                                          "layers: countries lakes rivers provinces"));
    {
        geo::ensure_gdal();
        GDALDatasetUniquePtr ds(GDALDataset::Open(ws.c_str(), GDAL_OF_VECTOR));
        REQUIRE(ds);
        for (const char* layer : {"countries", "provinces", "historical_lines", "places"}) {
            INFO(layer);
            OGRLayer* l = ds->GetLayerByName(layer);
            REQUIRE(l);
            CHECK(l->GetFeatureCount() > 0);
        }
        // The default workspace's own data is not copied: only the imported incidents.
        CHECK(ds->GetLayerByName("incidents")->GetFeatureCount() == 8);
        CHECK(ds->GetLayerByName("claims") == nullptr);
        CHECK(ds->GetLayerByName("statements") == nullptr);
    }
    const std::string fresh = limes_test::scratch("fresh-render", ".png");
    const std::string reference = limes_test::scratch("default-render", ".png");
    for (const auto& [workspace, png] :
         {std::pair{ws, fresh}, std::pair{std::string(LIMES_DEFAULT_WS), reference}})
        REQUIRE(render_cli({"render", workspace, "-o", png, "--size", "640x480", "--bbox",
                         "43.5,38.5,48.5,41.5", "--layers", "countries"}) == 0);
    geo::ensure_gdal();
    GDALDatasetUniquePtr a(GDALDataset::Open(fresh.c_str(), GDAL_OF_RASTER));
    GDALDatasetUniquePtr b(GDALDataset::Open(reference.c_str(), GDAL_OF_RASTER));
    REQUIRE(a);
    REQUIRE(b);
    double gt[6];
    REQUIRE(a->GetGeoTransform(gt) == CE_None);
    OGRSpatialReference map_srs(*a->GetSpatialRef());
    map_srs.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
    OGRSpatialReference wgs = geo::wgs84();
    std::unique_ptr<OGRCoordinateTransformation> ct(
        OGRCreateCoordinateTransformation(&wgs, &map_srs));
    REQUIRE(ct);
    auto pixel = [](GDALDataset& ds, int px, int py) {
        std::uint8_t rgba[4];
        for (int band = 0; band < 4; ++band)
            REQUIRE(ds.GetRasterBand(band + 1)->RasterIO(GF_Read, px, py, 1, 1, &rgba[band], 1, 1,
                                                         GDT_Byte, 0, 0, nullptr) == CE_None);
        return map::Rgba{rgba[0], rgba[1], rgba[2], rgba[3]};
    };
    // Inland points of Armenia (Lake Sevan's west, away from borders and furniture) and of
    // Azerbaijan (the Kura plain): the country's fill, as in the default workspace's render.
    struct Point {
        double lon, lat;
        const char* iso3;
    };
    for (const Point p : {Point{44.7, 40.0, "ARM"}, Point{47.5, 40.2, "AZE"}}) {
        double x = p.lon, y = p.lat;
        REQUIRE(ct->Transform(1, &x, &y));
        const int px = static_cast<int>((x - gt[0]) / gt[1]);
        const int py = static_cast<int>((y - gt[3]) / gt[5]);
        const map::Rgba got = pixel(*a, px, py), want = pixel(*b, px, py);
        const map::Rgba fill = map::country_fill(p.iso3);
        INFO(p.iso3 << " at pixel " << px << "," << py << ": " << int(got.r) << "," << int(got.g)
                    << "," << int(got.b));
        CHECK(std::abs(got.r - want.r) <= 2);
        CHECK(std::abs(got.g - want.g) <= 2);
        CHECK(std::abs(got.b - want.b) <= 2);
        CHECK(std::abs(got.r - fill.r) <= 12);
        CHECK(std::abs(got.g - fill.g) <= 12);
        CHECK(std::abs(got.b - fill.b) <= 12);
        CHECK_FALSE((got.r == map::kBackground.r && got.g == map::kBackground.g &&
                     got.b == map::kBackground.b));
    }
    limes_test::remove_files({ws});

    // --no-basemap: the empty workspace of before, on request.
    const std::string bare = limes_test::scratch("bare-import");
    std::vector<const char*> bare_argv{"limes", "import", bare.c_str(),
                                       LIMES_TEST_DATA "/acled_2023.csv", "--no-basemap"};
    std::ostringstream o2, e2;
    REQUIRE(app::run(static_cast<int>(bare_argv.size()), bare_argv.data(), o2, e2) == 0);
    GDALDatasetUniquePtr ds(GDALDataset::Open(bare.c_str(), GDAL_OF_VECTOR));
    REQUIRE(ds);
    CHECK(ds->GetLayerByName("countries") == nullptr);
}
