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

int run_cli(std::vector<std::string> args) {
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
    REQUIRE(run_cli({"render", ws, "-o", png, "--size", "640x480", "--bbox", "44,38.5,48,41.5"}) ==
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
    CHECK(run_cli({"render", LIMES_DEFAULT_WS, "-o", png, "--size", "0x100"}) == 2);
    CHECK(run_cli({"render", LIMES_DEFAULT_WS, "-o", png, "--size", "big"}) == 2);
    CHECK(run_cli({"render", LIMES_DEFAULT_WS, "-o", png, "--crs", "EPSG:999999"}) == 2);
    CHECK(run_cli({"render", LIMES_DEFAULT_WS, "-o", png, "--region", "Atlantis"}) == 2);
    CHECK(run_cli({"render", LIMES_DEFAULT_WS, "-o", png, "--from", "2022-09-14", "--to",
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
