// Untrusted files (issue 6): opening a file never reaches the network unless asked to, and
// outputs land only at the path the user named.
// The network tests run a local HTTP server on 127.0.0.1 (local_http_server.hpp) and check
// that it received no connection at all; each also has a positive control that turns the
// network on and sees the request arrive, so a server nobody could reach proves nothing.
// ctest runs each test case in its own process: the network switch is process-wide.
#include <catch2/catch.hpp>

#include <cpl_conv.h>
#include <cpl_http.h>
#include <cpl_string.h>
#include <cpl_vsi.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <fstream>
#include <initializer_list>
#include <string>
#include <utility>
#include <vector>

#include "core/error.hpp"
#include "geo/formats/gdal_util.hpp"
#include "geo/formats/image_writer.hpp"
#include "geo/formats/safe_output.hpp"
#include "geo/ops/importer.hpp"
#include "geo/store/workspace.hpp"
#include "local_http_server.hpp"
#include "support.hpp"

namespace geo = limes::geo;
namespace core = limes::core;
using namespace limes_test;

namespace {

// A new OGR VRT file whose one layer, incidents, is read from source.
std::string vrt_of(const std::string& source) {
    const std::string vrt = scratch("remote", ".vrt");
    write_text(vrt, "<OGRVRTDataSource><OGRVRTLayer name=\"incidents\"><SrcDataSource>" + source +
                        "</SrcDataSource></OGRVRTLayer></OGRVRTDataSource>");
    return vrt;
}

// The positive control of a "no request" test: with the network allowed, importing file into
// ws does reach the server. Whether the import then succeeds does not matter, only the request.
void check_reached_when_allowed(const LocalHttpServer& server, const std::string& ws,
                                const std::string& file) {
    geo::ImportOptions allow;
    allow.allow_network = true;
    try {
        geo::import_file(ws, file, allow);
    } catch (const core::Error&) {
    }
    CHECK(server.connections() >= 1);
}

bool gdal_opens(const std::string& path) {
    GDALDatasetH ds = GDALOpenEx(path.c_str(), GDAL_OF_VECTOR, nullptr, nullptr, nullptr);
    if (ds) GDALClose(ds);
    return ds != nullptr;
}

// Every network file system of GDAL 3.6, each pointed at the local server where its
// configuration allows it.
std::vector<std::string> network_paths(const LocalHttpServer& server) {
    const std::string hostport = "127.0.0.1:" + std::to_string(server.port());
    const std::pair<const char*, std::string> options[] = {
        {"AWS_S3_ENDPOINT", hostport},
        {"AWS_HTTPS", "NO"},
        {"AWS_VIRTUAL_HOSTING", "FALSE"},
        {"AWS_NO_SIGN_REQUEST", "YES"},
        {"CPL_GS_ENDPOINT", server.url("/")},
        {"GS_NO_SIGN_REQUEST", "YES"},
        {"OSS_ENDPOINT", hostport},
        {"OSS_HTTPS", "NO"},
        {"OSS_ACCESS_KEY_ID", "synthetic"},
        {"OSS_SECRET_ACCESS_KEY", "synthetic"},
        {"SWIFT_STORAGE_URL", server.url("/swift")},
        {"SWIFT_AUTH_TOKEN", "synthetic"},
        {"AZURE_STORAGE_CONNECTION_STRING",
         "DefaultEndpointsProtocol=http;AccountName=synthetic;AccountKey=c3ludGhldGlj;"
         "BlobEndpoint=" +
             server.url("/synthetic")},
    };
    for (const auto& [key, value] : options) CPLSetConfigOption(key, value.c_str());
    return {"/vsicurl/" + server.url("/x.geojson"),
            // Not caught by CPL_VSIL_CURL_ALLOWED_EXTENSIONS=none-like settings: ends in "none".
            "/vsicurl/" + server.url("/xnone"), "/vsicurl?url=" + server.url("/x.geojson"),
            "/vsicurl_streaming/" + server.url("/x.geojson"),
            "/vsizip//vsicurl/" + server.url("/x.zip"),
            "/vsigzip//vsicurl/" + server.url("/x.geojson.gz"), "/vsis3/bucket/x.geojson",
            "/vsis3_streaming/bucket/x.geojson", "/vsigs/bucket/x.geojson",
            "/vsiaz/container/x.geojson", "/vsiadls/container/x.geojson",
            "/vsioss/bucket/x.geojson", "/vsiswift/container/x.geojson",
            "/vsiwebhdfs/" + server.url("/webhdfs/v1/x.geojson")};
}

}  // namespace

TEST_CASE("untrusted: is_network_path tells URLs, network file systems and connection strings",
          "[untrusted][network]") {
    for (const char* p :
         {"http://example.org/x.geojson", "https://example.org/x", "ftp://h/x",
          "/vsicurl/http://h/x", "/vsis3/b/x", "/vsis3_streaming/b/x",
          "/vsizip//vsicurl/http://h/x.zip", "/vsitar//vsigs/b/x.tar", "PG:dbname=x host=h",
          "pg:host=h", "MySQL:db,host=h", "WFS:http://h", "/vsicurl?url=http://h/x"})
        CHECK(geo::is_network_path(p));
    for (const char* p : {"incidents.geojson", "/tmp/a.gpkg", "/vsizip/a.zip/x.shp",
                          "/vsimem/x.geojson", "dir/PG_dump.sql", "/vsigzip/a.geojson.gz"})
        CHECK_FALSE(geo::is_network_path(p));
}

TEST_CASE("untrusted: GDAL's network file systems make no request while the network is off",
          "[untrusted][network]") {
    LocalHttpServer server(one_incident_geojson("SYN-NET-1"));
    geo::ensure_gdal();
    REQUIRE_FALSE(geo::network_access_allowed());
    for (const std::string& path : network_paths(server)) {
        INFO(path);
        // GDAL itself, not limes' own path check: the refusal is in the file system layer.
        CHECK_FALSE(gdal_opens(path));
        VSIStatBufL st;
        CHECK(VSIStatL(path.c_str(), &st) != 0);
        VSILFILE* f = VSIFOpenL(path.c_str(), "rb");
        CHECK(f == nullptr);
        if (f) VSIFCloseL(f);
        CHECK_THROWS_AS(geo::open_vector(path, false), core::UsageError);
        CHECK(server.connections() == 0);
    }
    CHECK(server.requests().empty());

    // Positive control: with the network on, the same paths do reach the server.
    geo::set_network_access(true);
    CHECK(gdal_opens("/vsicurl/" + server.url("/x.geojson")));
    const int via_curl = server.connections();
    CHECK(via_curl > 0);
    gdal_opens("/vsis3/bucket/x.geojson");
    CHECK(server.connections() > via_curl);
    geo::set_network_access(false);
    const int before = server.connections();
    CHECK_FALSE(gdal_opens("/vsicurl/" + server.url("/again.geojson")));
    CHECK(server.connections() == before);
}

TEST_CASE("untrusted: HTTP fetches (HTTP drivers, the GeoJSON driver reading a URL) are refused",
          "[untrusted][network]") {
    LocalHttpServer server(one_incident_geojson("SYN-NET-1"));
    geo::ensure_gdal();
    CHECK_FALSE(gdal_opens(server.url("/x.geojson")));
    CHECK_FALSE(gdal_opens("WFS:" + server.url("/wfs")));
    CHECK_FALSE(gdal_opens("OAPIF:" + server.url("/oapif")));
    CPLHTTPResult* r = CPLHTTPFetch(server.url("/direct").c_str(), nullptr);
    REQUIRE(r != nullptr);
    CHECK(r->nStatus != 0);
    REQUIRE(r->pszErrBuf != nullptr);
    CHECK_THAT(std::string(r->pszErrBuf), Catch::Contains("network access is disabled"));
    CPLHTTPDestroyResult(r);
    CHECK(server.connections() == 0);

    geo::set_network_access(true);  // positive control
    r = CPLHTTPFetch(server.url("/direct").c_str(), nullptr);
    REQUIRE(r != nullptr);
    CHECK(r->nStatus == 0);
    CPLHTTPDestroyResult(r);
    CHECK(server.connections() == 1);
    geo::set_network_access(false);
}

TEST_CASE("untrusted: a GeoJSON that references a URL (a CRS link) is not fetched",
          "[untrusted][network][import]") {
    LocalHttpServer server("PROJCS[\"synthetic\"]");
    const std::string file = scratch("crs-link", ".geojson");
    write_text(file,
               "{\"type\":\"FeatureCollection\",\"crs\":{\"type\":\"link\",\"properties\":"
               "{\"href\":\"" +
                   server.url("/crs.wkt") +
                   "\",\"type\":\"ogcwkt\"}},"
                   "\"features\":[{\"type\":\"Feature\",\"properties\":{\"event_date\":"
                   "\"2022-09-13\",\"event_type\":\"Battles\"},\"geometry\":{\"type\":\"Point\","
                   "\"coordinates\":[46.34,39.51]}}]}");
    const std::string ws = scratch("crs-link-ws");
    try {
        geo::import_file(ws, file, {});
        FAIL("the import should refuse a file whose CRS it cannot read");
    } catch (const core::DataError& e) {
        CHECK_THAT(std::string(e.what()), Catch::Contains("network access is disabled"));
    }
    CHECK(server.connections() == 0);
    CHECK_FALSE(limes_test::file_exists(ws));

    // Positive control: GDAL does follow the link when the network is allowed.
    check_reached_when_allowed(server, ws, file);
    CHECK_FALSE(geo::network_access_allowed());  // the import's scope put it back
    limes_test::remove_files({file, ws});
}

TEST_CASE("untrusted: an OGR VRT cannot make GDAL reach a server", "[untrusted][network][import]") {
    LocalHttpServer server(one_incident_geojson("SYN-NET-1"));
    const std::string ws = scratch("vrt-ws");
    const std::vector<std::string> sources = {
        "/vsicurl/" + server.url("/src.geojson"), server.url("/src.geojson"),
        "PG:host=127.0.0.1 port=" + std::to_string(server.port()) +
            " dbname=synthetic "
            "connect_timeout=2"};
    for (const std::string& source : sources) {
        INFO(source);
        const std::string vrt = vrt_of(source);
        CHECK_THROWS_AS(geo::import_file(ws, vrt, {}), core::DataError);
        CHECK(server.connections() == 0);
        CHECK_FALSE(limes_test::file_exists(ws));
        std::remove(vrt.c_str());
    }
    // Positive control: the first VRT does reach the server with the network on.
    const std::string vrt = vrt_of(sources[0]);
    check_reached_when_allowed(server, ws, vrt);
    limes_test::remove_files({vrt, ws});
}

TEST_CASE("untrusted: importing a URL needs allow_network", "[untrusted][network][import]") {
    LocalHttpServer server(one_incident_geojson("SYN-NET-1"));
    const std::string ws = scratch("url-ws");
    for (const std::string& url :
         {server.url("/x.geojson"), "/vsicurl/" + server.url("/x.geojson"), server.url("/x.csv")}) {
        INFO(url);
        CHECK_THROWS_AS(geo::import_file(ws, url, {}), core::UsageError);
    }
    CHECK(server.connections() == 0);
    CHECK_FALSE(limes_test::file_exists(ws));

    geo::ImportOptions allow;
    allow.allow_network = true;
    const geo::ImportReport r = geo::import_file(ws, server.url("/x.geojson"), allow);
    CHECK(r.imported == 1);
    CHECK(server.connections() >= 1);
    CHECK_FALSE(geo::network_access_allowed());
    std::remove(ws.c_str());
}

// [SECTION] Outputs

namespace {

// A scratch directory of its own, so that a test can list everything in it.
std::string scratch_folder(const std::string& stem) {
    const std::string dir = scratch(stem, ".d");
    ::mkdir(dir.c_str(), 0777);
    return dir;
}

std::vector<std::string> listing(const std::string& dir) {
    std::vector<std::string> out;
    char** names = VSIReadDir(dir.c_str());
    for (int i = 0; names && names[i]; ++i)
        if (std::string(names[i]) != "." && std::string(names[i]) != "..") out.push_back(names[i]);
    CSLDestroy(names);
    std::sort(out.begin(), out.end());
    return out;
}

bool is_symlink(const std::string& path) {
    struct stat st;
    return ::lstat(path.c_str(), &st) == 0 && S_ISLNK(st.st_mode);
}

void remove_folder(const std::string& dir) {
    for (const auto& n : listing(dir)) std::remove((dir + "/" + n).c_str());
    ::rmdir(dir.c_str());
}

/** A new scratch folder holding elsewhere.txt and, at each of names, a symlink to it: what an
 *  attacker would plant where limes writes. */
std::string folder_with_links(const std::string& stem, std::initializer_list<const char*> names) {
    const std::string dir = scratch_folder(stem);
    write_text(dir + "/elsewhere.txt", "not to be overwritten");
    for (const char* name : names)
        REQUIRE(::symlink("elsewhere.txt", (dir + "/" + name).c_str()) == 0);
    return dir;
}

/** The planted links' target is as it was. */
void check_link_target_intact(const std::string& dir) {
    CHECK(read_all(dir + "/elsewhere.txt") == "not to be overwritten");
}

}  // namespace

TEST_CASE("output: a symlink at the output path is replaced, its target left alone",
          "[untrusted][output]") {
    const std::string dir = folder_with_links("out-link", {"out.geojson"});
    const std::string out = dir + "/out.geojson";
    geo::write_file_atomically(out, [](std::ostream& o) { o << "{}"; });
    check_link_target_intact(dir);
    CHECK_FALSE(is_symlink(out));
    CHECK(read_all(out) == "{}");
    CHECK(listing(dir) == std::vector<std::string>{"elsewhere.txt", "out.geojson"});
    remove_folder(dir);
}

TEST_CASE("output: links planted at the old temporary names are not followed",
          "[untrusted][output]") {
    // limes used to write "out.geojson.limes-tmp" and "out.png.limes-tmp.png": names anyone
    // could prepare. Now every write goes to a fresh mkdtemp directory.
    const std::string dir = folder_with_links(
        "out-tmp-link", {"out.geojson.limes-tmp", "out.png.limes-tmp.png",
                         "out.png.limes-tmp.png.aux.xml", "out.png.limes-tmp.wld"});
    geo::write_file_atomically(dir + "/out.geojson", [](std::ostream& o) { o << "{}"; });
    check_link_target_intact(dir);
    remove_folder(dir);
}

TEST_CASE("output: a failed write keeps the previous file and leaves nothing behind",
          "[untrusted][output]") {
    const std::string dir = scratch_folder("out-fail");
    const std::string out = dir + "/out.geojson";
    write_text(out, "previous");
    CHECK_THROWS(geo::write_file_atomically(out, [](std::ostream& o) {
        o << "half";
        throw std::runtime_error("disk full, say");
    }));
    CHECK(read_all(out) == "previous");
    CHECK(listing(dir) == std::vector<std::string>{"out.geojson"});
    // A directory at the path is an I/O error, and stays a directory.
    const std::string sub = dir + "/sub";
    REQUIRE(::mkdir(sub.c_str(), 0777) == 0);
    CHECK_THROWS_AS(geo::write_file_atomically(sub, [](std::ostream& o) { o << "x"; }),
                    core::IoError);
    struct stat st;
    CHECK((::stat(sub.c_str(), &st) == 0 && S_ISDIR(st.st_mode)));
    CHECK(listing(dir) == (std::vector<std::string>{"out.geojson", "sub"}));
    ::rmdir(sub.c_str());
    // No such directory: an I/O error naming the path.
    CHECK_THROWS_AS(
        geo::write_file_atomically(dir + "/missing/out.geojson", [](std::ostream& o) { o << "x"; }),
        core::IoError);
    remove_folder(dir);
}

TEST_CASE("output: files get the permissions of the umask, not the staging directory's",
          "[untrusted][output]") {
    const mode_t old = ::umask(022);
    const std::string dir = scratch_folder("out-mode");
    const std::string out = dir + "/out.geojson";
    geo::write_file_atomically(out, [](std::ostream& o) { o << "{}"; });
    struct stat st;
    REQUIRE(::stat(out.c_str(), &st) == 0);
    CHECK((st.st_mode & 0777) == 0644);
    ::umask(old);
    remove_folder(dir);
}

TEST_CASE("output: a briefing image and its side files replace symlinks at their names",
          "[untrusted][output]") {
    const std::string dir =
        folder_with_links("img-link", {"brief.png", "brief.pgw", "brief.png.aux.xml"});
    const int w = 8, h = 4;
    std::vector<std::uint8_t> rgba(static_cast<std::size_t>(w) * h * 4, 200);
    geo::Georeference g;
    g.top_left_x = 100000;
    g.top_left_y = 200000;
    g.pixel_size = 50;
    OGRSpatialReference srs = geo::wgs84();
    char* wkt = nullptr;
    srs.exportToWkt(&wkt);
    g.wkt = wkt;
    CPLFree(wkt);
    geo::write_image(dir + "/brief.png", rgba, w, h, g, geo::ImageFormat::Png, 96);
    check_link_target_intact(dir);
    for (const char* name : {"brief.png", "brief.pgw", "brief.png.aux.xml"}) {
        INFO(name);
        CHECK_FALSE(is_symlink(dir + "/" + name));
        CHECK(limes_test::file_exists(dir + "/" + name));
    }
    CHECK(listing(dir) == (std::vector<std::string>{"brief.pgw", "brief.png", "brief.png.aux.xml",
                                                    "elsewhere.txt"}));
    // The world file is the image's: pixel size and the top-left pixel centre.
    CHECK_THAT(read_all(dir + "/brief.pgw"), Catch::StartsWith("50"));
    remove_folder(dir);
}
