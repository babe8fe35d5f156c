// Untrusted files through the command line (limes::app::run in-process): `limes import` and
// `limes info` reach no server unless --allow-network is given, and `limes export -o` writes
// only the file named. The local HTTP server counts every connection (tests/geo).
#include <catch2/catch.hpp>

#include <sys/stat.h>
#include <unistd.h>

#include <fstream>
#include <initializer_list>
#include <sstream>
#include <string>
#include <vector>

#include "../geo/local_http_server.hpp"
#include "../geo/support.hpp"
#include "app/cli.hpp"
#include "geo/formats/gdal_util.hpp"
#include "run_limes.hpp"

using limes_test::LocalHttpServer;
using limes_test::one_incident_geojson;
using limes_test::read_all;
using limes_test::Result;
using limes_test::run_limes;
using limes_test::scratch;

TEST_CASE("cli: import and info of a network source need --allow-network",
          "[cli][untrusted][network]") {
    LocalHttpServer server(one_incident_geojson("SYN-NET-2"));
    const std::string ws = scratch("cli-net");
    for (const std::string& source :
         {"/vsicurl/" + server.url("/x.geojson"), server.url("/x.geojson")}) {
        INFO(source);
        const Result r = run_limes({"import", ws, source});
        CHECK(r.code == 2);
        CHECK_THAT(r.err, Catch::Contains(source + ": a network source"));
        CHECK_THAT(r.err, Catch::Contains("--allow-network"));
        const Result info = run_limes({"info", source});
        CHECK(info.code == 2);
    }
    CHECK(server.connections() == 0);
    CHECK_FALSE(limes_test::file_exists(ws));

    const Result allowed = run_limes({"import", "--allow-network", ws, server.url("/x.geojson")});
    CHECK(allowed.code == 0);
    CHECK_THAT(allowed.out, Catch::Contains("imported 1 of 1"));
    CHECK(server.connections() >= 1);
    std::remove(ws.c_str());
}

TEST_CASE("cli: a local file whose CRS is a URL is refused without a request",
          "[cli][untrusted][network]") {
    LocalHttpServer server("PROJCS[\"synthetic\"]");
    const std::string file = scratch("cli-crs-link", ".geojson");
    {
        std::ofstream out(file);
        out << "{\"type\":\"FeatureCollection\",\"crs\":{\"type\":\"link\",\"properties\":{"
               "\"href\":\""
            << server.url("/crs.wkt")
            << "\",\"type\":\"ogcwkt\"}},\"features\":[{\"type\":\"Feature\",\"properties\":"
               "{\"event_date\":\"2022-09-13\",\"event_type\":\"Battles\"},\"geometry\":"
               "{\"type\":\"Point\",\"coordinates\":[46.34,39.51]}}]}";
    }
    const std::string ws = scratch("cli-crs-link-ws");
    const Result r = run_limes({"import", ws, file});
    CHECK(r.code == 3);
    CHECK_THAT(r.err, Catch::Contains(file));
    CHECK_THAT(r.err, Catch::Contains("network access is disabled"));
    CHECK(server.connections() == 0);
    CHECK_FALSE(limes_test::file_exists(ws));
    std::remove(file.c_str());
}

TEST_CASE("cli: export -o over a symlink replaces the link, not its target",
          "[cli][untrusted][output]") {
    const std::string dir = scratch("cli-export-link", ".d");
    ::mkdir(dir.c_str(), 0777);
    const std::string target = dir + "/elsewhere.txt";
    limes_test::write_text(target, "not to be overwritten");
    const std::string out = dir + "/claims.geojson";
    REQUIRE(::symlink("elsewhere.txt", out.c_str()) == 0);
    const Result r = run_limes({"export", LIMES_DEFAULT_WS, "-o", out, "--layer", "claims"});
    CHECK(r.code == 0);
    CHECK(read_all(target) == "not to be overwritten");
    struct stat st;
    REQUIRE(::lstat(out.c_str(), &st) == 0);
    CHECK(S_ISREG(st.st_mode));
    CHECK_THAT(read_all(out), Catch::StartsWith("{\"type\":\"FeatureCollection\""));
    limes_test::remove_files({out, target});
    ::rmdir(dir.c_str());
}
