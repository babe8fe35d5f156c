// The `limes` command line run in-process (limes::app::run over argv and string streams):
// exit codes (0 ok, 2 usage, 3 bad data, 4 I/O), output to the out stream, and messages that
// name the file, row and field.
#include <catch2/catch.hpp>

#include <sys/wait.h>

#include <cstdlib>
#include <fstream>
#include <initializer_list>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "../geo/support.hpp"
#include "app/cli.hpp"
#include "geo/store/workspace.hpp"
#include "run_limes.hpp"

using limes_test::check_contains;
using limes_test::data;
using limes_test::file_exists;
using limes_test::Result;
using limes_test::run_limes;
using limes_test::run_limes_ok;
using limes_test::scratch;
using nlohmann::json;

namespace {

const std::string kWs = LIMES_DEFAULT_WS;

long long incident_count(const std::string& ws) {
    return static_cast<long long>(limes::geo::Workspace::open(ws).read_incidents().size());
}

}  // namespace

TEST_CASE("cli: info of the default workspace", "[cli]") {
    const Result r = run_limes({"info", kWs});
    CHECK(r.code == 0);
    CHECK(r.err.empty());
    check_contains(r.out,
                   {"countries", "provinces", "historical_lines", "regions", "places", "claims",
                    "incidents", "EPSG:4326", "incidents dates: 2022-09-12 .. 2022-09-14"});
}

TEST_CASE("cli: help and version exit 0", "[cli]") {
    const Result help = run_limes({"--help"});
    CHECK(help.code == 0);
    check_contains(help.out, {"import", "export"});
    const Result version = run_limes({"--version"});
    CHECK(version.code == 0);
    CHECK_FALSE(version.out.empty());
}

TEST_CASE("cli: usage errors exit 2", "[cli][usage]") {
    SECTION("unknown subcommand") {
        const Result r = run_limes({"frobnicate"});
        CHECK(r.code == 2);
        CHECK_THAT(r.err, Catch::Contains("unknown command 'frobnicate'"));
        CHECK_THAT(r.err, Catch::Contains("import"));  // lists the commands there are
    }
    SECTION("no subcommand") {
        CHECK(run_limes({}).code == 2);
    }
    SECTION("unknown option") {
        CHECK(run_limes({"info", kWs, "--colour"}).code == 2);
    }
    SECTION("export without -o") {
        CHECK(run_limes({"export", kWs}).code == 2);
    }
    SECTION("malformed --bbox") {
        const Result r = run_limes({"export", kWs, "-o", "-", "--bbox", "45,39,47"});
        CHECK(r.code == 2);
        CHECK_THAT(r.err, Catch::Contains("--bbox"));
        CHECK(r.out.empty());
    }
    SECTION("inverted --bbox") {
        CHECK(run_limes({"export", kWs, "-o", "-", "--bbox", "47,39,45,41"}).code == 2);
        CHECK(run_limes({"stats", kWs, "--bbox", "45,41,47,39"}).code == 2);
    }
    SECTION("--from after --to") {
        const Result r =
            run_limes({"export", kWs, "-o", "-", "--from", "2022-09-14", "--to", "2022-09-12"});
        CHECK(r.code == 2);
        CHECK(r.out.empty());
        CHECK(run_limes({"stats", kWs, "--from", "2022-09-14", "--to", "2022-09-12"}).code == 2);
    }
    SECTION("a date that is no date") {
        const Result r = run_limes({"stats", kWs, "--from", "2022-02-30"});
        CHECK(r.code == 2);
        CHECK_THAT(r.err, Catch::Contains("--from"));
    }
    SECTION("unknown --region") {
        const Result r = run_limes({"export", kWs, "-o", "-", "--region", "Atlantis"});
        CHECK(r.code == 2);
        CHECK_THAT(r.err, Catch::Contains("Atlantis"));
        CHECK(run_limes({"stats", kWs, "--region", "Atlantis"}).code == 2);
    }
    SECTION("unknown --type") {
        const Result r = run_limes({"export", kWs, "-o", "-", "--type", "Skirmish"});
        CHECK(r.code == 2);
        CHECK_THAT(r.err, Catch::Contains("Skirmish"));
    }
    SECTION("--precision out of range") {
        CHECK(run_limes({"export", kWs, "-o", "-", "--precision", "99"}).code == 2);
    }
    SECTION("unknown layer") {
        CHECK(run_limes({"export", kWs, "-o", "-", "--layer", "no_such_layer"}).code == 2);
    }
    SECTION("unknown import format") {
        const std::string ws = scratch("cli-format");
        CHECK(run_limes({"import", ws, data("acled_2023.csv"), "--format", "xls"}).code == 2);
        CHECK_FALSE(file_exists(ws));
    }
}

TEST_CASE("cli: an import whose every row is bad exits 3 and writes nothing", "[cli][import]") {
    const std::string ws = scratch("cli-all-bad");
    const std::string file = data("geo/all_rows_bad.csv");
    const Result r = run_limes({"import", ws, file});
    CHECK(r.code == 3);
    check_contains(r.err, {file + ":2: field 'event_date'", file + ":3: field 'event_type'"});
    CHECK_FALSE(file_exists(ws));
}

TEST_CASE("cli: --strict with a bad row exits 3 and imports nothing", "[cli][import]") {
    const std::string file = data("bad/bad_date.csv");
    SECTION("into a new workspace: not created") {
        const std::string ws = scratch("cli-strict-new");
        const Result r = run_limes({"import", ws, file, "--strict"});
        CHECK(r.code == 3);
        check_contains(r.err, {file + ":3: field 'event_date'", "--strict"});
        CHECK_FALSE(file_exists(ws));
    }
    SECTION("into an existing workspace: unchanged") {
        const std::string ws = scratch("cli-strict-existing");
        REQUIRE(run_limes({"import", ws, data("acled_2023.csv")}).code == 0);
        CHECK(run_limes({"import", ws, file, "--strict"}).code == 3);
        CHECK(incident_count(ws) == 8);
        std::remove(ws.c_str());
    }
}

TEST_CASE("cli: an import with some bad rows exits 0 and names file, row and field",
          "[cli][import]") {
    const std::string ws = scratch("cli-some-bad");
    const std::string file = data("bad/bad_date.csv");
    const Result r = run_limes_ok({"import", ws, file}, {"imported 1 of 2"});
    check_contains(r.err, {file + ":3: field 'event_date'", "2022-02-30"});
    CHECK(incident_count(ws) == 1);
    // The same file again: its valid row is already there, which is not an error.
    const Result again = run_limes({"import", ws, file});
    CHECK(again.code == 0);
    CHECK(incident_count(ws) == 1);
    std::remove(ws.c_str());
}

TEST_CASE("cli: whole-file errors exit 3 and name the file", "[cli][import]") {
    const std::string ws = scratch("cli-whole-file");
    const std::string quote = data("bad/unterminated_quote.csv");
    const Result r = run_limes({"import", ws, quote});
    CHECK(r.code == 3);
    CHECK_THAT(r.err, Catch::Contains(quote + ":3: field 'notes'"));
    const std::string column = data("bad/missing_event_date_column.csv");
    const Result c = run_limes({"import", ws, column});
    CHECK(c.code == 3);
    CHECK_THAT(c.err, Catch::Contains(column + ":1: field 'event_date'"));
    CHECK_FALSE(file_exists(ws));
}

TEST_CASE("cli: a missing file exits 4", "[cli][io]") {
    const std::string missing = scratch("cli-missing");
    for (auto r : {run_limes({"info", missing}), run_limes({"export", missing, "-o", "-"}),
                   run_limes({"stats", missing})}) {
        CHECK(r.code == 4);
        CHECK_THAT(r.err, Catch::Contains(missing));
        CHECK(r.out.empty());
    }
    const std::string ws = scratch("cli-missing-input");
    const Result imp = run_limes({"import", ws, data("no_such_input.csv")});
    CHECK(imp.code == 4);
    CHECK_THAT(imp.err, Catch::Contains("no_such_input.csv"));
    CHECK_FALSE(file_exists(ws));
    // An output that cannot be written.
    const Result out = run_limes({"export", kWs, "-o", "/nonexistent-dir/out.geojson"});
    CHECK(out.code == 4);
    CHECK_THAT(out.err, Catch::Contains("/nonexistent-dir/out.geojson"));
}

TEST_CASE("cli: export -o - writes GeoJSON to the out stream", "[cli][export]") {
    const Result r = run_limes({"export", kWs, "-o", "-", "--from", "2022-09-12", "--to",
                                "2022-09-12", "--precision", "4"});
    REQUIRE(r.code == 0);
    CHECK(r.err.empty());
    const json j = json::parse(r.out);
    CHECK(j.at("type") == "FeatureCollection");
    REQUIRE(j.at("features").size() == 4);  // the four incidents of 12 September 2022
    for (const auto& f : j.at("features"))
        CHECK(f.at("properties").at("event_date") == "2022-09-12");
    const Result all = run_limes({"export", kWs, "-o", "-"});
    REQUIRE(all.code == 0);
    const auto n = json::parse(all.out).at("features").size();
    CHECK(static_cast<long long>(n) == incident_count(kWs));
    const Result region =
        run_limes({"export", kWs, "-o", "-", "--region", "Gegharkunik", "--type",
                   "Explosions/Remote violence", "--reported-by", "Armenian MoD"});
    REQUIRE(region.code == 0);
    const auto k = json::parse(region.out).at("features").size();
    CHECK(k > 0);
    CHECK(k < n);
}

TEST_CASE("cli: export -o FILE writes the file and reports on stderr", "[cli][export]") {
    const std::string path = scratch("cli-export", ".geojson");
    const Result r = run_limes({"export", kWs, "-o", path, "--layer", "claims"});
    REQUIRE(r.code == 0);
    CHECK(r.out.empty());
    CHECK_THAT(r.err, Catch::Contains("wrote 6 feature(s) of layer claims"));
    std::ifstream in(path);
    const json j = json::parse(in);
    CHECK(j.at("features").size() == 6);
    CHECK_FALSE(file_exists(path + ".limes-tmp"));
    std::remove(path.c_str());
}

TEST_CASE("cli: stats --json has the documented keys", "[cli][stats]") {
    const Result r = run_limes({"stats", kWs, "--json"});
    REQUIRE(r.code == 0);
    const json j = json::parse(r.out);
    for (const char* key : {"incidents", "fatalities", "countries", "provinces", "claims"})
        CHECK(j.contains(key));
    CHECK(j.at("incidents").is_number_integer());
    CHECK(j.at("incidents").get<long long>() == incident_count(kWs));
    CHECK(j.at("fatalities").is_number_integer());
    REQUIRE(j.at("claims").is_array());
    CHECK(j.at("claims").size() == 6);
    int encroaching = 0;
    for (const auto& c : j.at("claims")) {
        CHECK(c.at("area_km2").is_number());
        if (c.at("encroachment_km2").is_number() && c.at("encroachment_km2").get<double>() > 0)
            ++encroaching;
    }
    CHECK(encroaching == 3);  // the exclaves
    long long per_country = 0;
    for (const auto& c : j.at("countries")) per_country += c.at("incidents").get<long long>();
    CHECK(per_country + j.at("outside_countries").get<long long>() ==
          j.at("incidents").get<long long>());
}

TEST_CASE("cli: stats filters change the counts", "[cli][stats]") {
    const Result all = run_limes({"stats", kWs, "--json"});
    const Result one_day =
        run_limes({"stats", kWs, "--json", "--from", "2022-09-12", "--to", "2022-09-12"});
    const Result region = run_limes({"stats", kWs, "--json", "--region", "Syunik"});
    REQUIRE(all.code == 0);
    REQUIRE(one_day.code == 0);
    REQUIRE(region.code == 0);
    CHECK(json::parse(one_day.out).at("incidents") == 4);
    const json r = json::parse(region.out);
    CHECK(r.at("incidents").get<long long>() > 0);
    CHECK(r.at("incidents").get<long long>() <
          json::parse(all.out).at("incidents").get<long long>());
    // Every incident counted in a Syunik filter lies in Syunik.
    REQUIRE(r.at("provinces").size() == 1);
    CHECK(r.at("provinces")[0].at("name") == "Syunik");
}

TEST_CASE("cli: stats table lists countries, provinces and claims", "[cli][stats]") {
    const Result r = run_limes({"stats", kWs});
    REQUIRE(r.code == 0);
    check_contains(r.out, {"Armenia (ARM)", "Azerbaijan (AZE)", "Artsvashen", "encroachment km2"});
}

TEST_CASE("cli: import GeoJSON claims reports the repair", "[cli][import]") {
    const std::string ws = scratch("cli-claims");
    const Result r = run_limes({"import", ws, data("claims.geojson")});
    CHECK(r.code == 0);
    CHECK_THAT(r.out, Catch::Contains("repaired 1"));
    check_contains(r.err, {data("claims.geojson") + ":2: field 'geometry'", "MakeValid"});
    const Result info = run_limes({"info", ws});
    CHECK(info.code == 0);
    CHECK_THAT(info.out, Catch::Contains("claims"));
    std::remove(ws.c_str());
}

TEST_CASE("cli: the real binary forwards the exit code", "[cli][binary]") {
    const std::string missing = scratch("cli-binary-missing");
    auto status = [](const std::string& cmd) {
        const int s = std::system((cmd + " >/dev/null 2>&1").c_str());
        REQUIRE(WIFEXITED(s));
        return WEXITSTATUS(s);
    };
    const std::string bin = std::string("'") + LIMES_BINARY + "'";
    CHECK(status(bin + " info '" + kWs + "'") == 0);
    CHECK(status(bin + " frobnicate") == 2);
    CHECK(status(bin + " info '" + missing + "'") == 4);
}
