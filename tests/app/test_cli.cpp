// The `limes` command line run in-process (limes::app::run over argv and string streams):
// exit codes (0 ok, 2 usage, 3 bad data, 4 I/O, 5 import with rows skipped), output to the
// out stream, and messages that name the file, row and field.
#include <catch2/catch.hpp>

#include <fcntl.h>
#include <grp.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <initializer_list>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
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
using limes_test::remove_files;
using limes_test::Result;
using limes_test::run_limes;
using limes_test::run_limes_ok;
using limes_test::scratch;
using nlohmann::json;

namespace {

using limes_test::kWs;

long long incident_count(const std::string& ws) {
    return static_cast<long long>(limes::geo::Workspace::open(ws).read_incidents().size());
}

/** The workspace's claims, read through the storage layer (not through the command tested). */
std::vector<limes::core::Claim> claims_of(const std::string& ws) {
    return limes::geo::Workspace::open(ws).read_claims();
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

TEST_CASE("cli: an import with some bad rows exits 5 and names file, row and field",
          "[cli][import][partial]") {
    const std::string ws = scratch("cli-some-bad");
    const std::string file = data("bad/bad_date.csv");
    const Result r = run_limes({"import", ws, file});
    // 5: imported with rows skipped, distinct from a clean import (0) and from --strict or an
    // import that landed nothing (3); the printed summary is the same as before.
    CHECK(r.code == 5);
    CHECK_THAT(r.out, Catch::Contains("imported 1 of 2") && Catch::Contains("skipped 1 bad"));
    check_contains(r.err, {file + ":3: field 'event_date'", "2022-02-30"});
    CHECK(incident_count(ws) == 1);
    // The same file again: its valid row is already there (not an error), its bad row is still
    // skipped.
    const Result again = run_limes({"import", ws, file});
    CHECK(again.code == 5);
    CHECK(incident_count(ws) == 1);
    std::remove(ws.c_str());
}

TEST_CASE("cli: import exit status: clean 0, partial 5, --strict 3", "[cli][import][partial]") {
    const std::string bad = data("bad/bad_date.csv");
    const std::string clean_ws = scratch("cli-status-clean");
    const Result clean = run_limes({"import", clean_ws, data("acled_2023.csv")});
    CHECK(clean.code == 0);
    CHECK_THAT(clean.out, Catch::Contains("imported 8 of 8"));
    // Duplicates are not bad rows: a second clean import is still 0.
    CHECK(run_limes({"import", clean_ws, data("acled_2023.csv")}).code == 0);
    const std::string partial_ws = scratch("cli-status-partial");
    CHECK(run_limes({"import", partial_ws, bad}).code == 5);
    CHECK(incident_count(partial_ws) == 1);
    const std::string strict_ws = scratch("cli-status-strict");
    CHECK(run_limes({"import", strict_ws, bad, "--strict"}).code == 3);
    CHECK_FALSE(file_exists(strict_ws));
    // The real binary hands 5 to the shell.
    const int s = std::system(("'" + std::string(LIMES_BINARY) + "' import '" + partial_ws + "' '" +
                               data("bad/bad_date.csv") + "' >/dev/null 2>&1")
                                  .c_str());
    REQUIRE(WIFEXITED(s));
    CHECK(WEXITSTATUS(s) == 5);
    remove_files({clean_ws, partial_ws});
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
    const std::size_t n = claims_of(kWs).size();
    REQUIRE(n >= 30);  // the exclaves and the 1994-2024 history layer
    CHECK_THAT(r.err,
               Catch::Contains("wrote " + std::to_string(n) + " feature(s) of layer claims"));
    std::ifstream in(path);
    const json j = json::parse(in);
    CHECK(j.at("features").size() == n);
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
    CHECK(j.at("incidents_stating_fatalities").get<long long>() +
              j.at("incidents_fatalities_not_stated").get<long long>() ==
          j.at("incidents").get<long long>());
    REQUIRE(j.at("claims").is_array());
    const auto claims = claims_of(kWs);
    CHECK(j.at("claims").size() == claims.size());
    // Those held by someone other than their sovereign encroach on it (the exclaves, the
    // ground held 1994-2023, the Lachin corridor); the others do not.
    int foreign = 0;
    for (const auto& c : claims) foreign += c.holder != c.sovereign;
    int encroaching = 0;
    for (const auto& c : j.at("claims")) {
        CHECK(c.at("area_km2").is_number());
        if (c.at("encroachment_km2").is_number() && c.at("encroachment_km2").get<double>() > 0)
            ++encroaching;
    }
    CHECK(foreign >= 3);
    CHECK(encroaching == foreign);
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

namespace {

// A scratch workspace: the default one's basemap, its incidents replaced by five synthetic
// rows whose fatalities are known: in Armenia 2, 0 and one not stated; in Azerbaijan two not
// stated (Ganja and Baku, so no Azerbaijani province states a figure either).
std::string workspace_with_known_fatalities() {
    const std::string ws = scratch("cli-not-stated");
    {
        std::ifstream in(kWs, std::ios::binary);
        std::ofstream out(ws, std::ios::binary);
        out << in.rdbuf();
    }
    {
        limes::geo::Workspace w = limes::geo::Workspace::open(ws);
        auto writer = w.incidents().write();
        for (const auto& inc : w.read_incidents()) writer->remove(inc.fid);
        writer->commit();
    }
    const std::string csv = scratch("cli-not-stated", ".csv");
    std::ofstream f(csv);
    f << "event_id_cnty,event_date,year,time_precision,disorder_type,event_type,sub_event_type,"
         "actor1,assoc_actor_1,inter1,actor2,assoc_actor_2,inter2,interaction,civilian_targeting,"
         "iso,region,country,admin1,admin2,admin3,location,latitude,longitude,geo_precision,"
         "source,source_scale,notes,fatalities,tags,timestamp\n";
    auto row = [&](const char* id, const char* country, double lat, double lon, const char* dead) {
        f << id << ",2022-09-13,2022,1,Political violence,Battles,Armed clash,Synthetic A,,1,"
          << "Synthetic B,,1,11,,0,Caucasus and Central Asia," << country
          << ",Synthetic,,,Synthetic place," << lat << ',' << lon
          << ",1,Synthetic source,National,Synthetic row," << dead << ",,1663200000\n";
    };
    row("NS-1", "Armenia", 40.18, 44.51, "2");    // Yerevan
    row("NS-2", "Armenia", 39.51, 46.34, "0");    // Goris: stated, zero
    row("NS-3", "Armenia", 39.52, 46.35, "");     // Goris: not stated
    row("NS-4", "Azerbaijan", 40.68, 46.36, "");  // Ganja
    row("NS-5", "Azerbaijan", 40.41, 49.87, "");  // Baku
    f.close();
    REQUIRE(run_limes({"import", ws, csv}).code == 0);
    std::remove(csv.c_str());
    return ws;
}

const json& named(const json& list, const std::string& name) {
    for (const auto& o : list)
        if (o.at("name") == name) return o;
    FAIL("no entry named " << name);
    static const json none;
    return none;
}

}  // namespace

TEST_CASE("cli: stats counts incidents that state no fatality figure apart, never as 0",
          "[cli][stats][fatalities]") {
    const std::string ws = workspace_with_known_fatalities();
    const Result r = run_limes({"stats", ws, "--json"});
    REQUIRE(r.code == 0);
    const json j = json::parse(r.out);
    CHECK(j.at("incidents") == 5);
    CHECK(j.at("fatalities") == 2);
    CHECK(j.at("incidents_stating_fatalities") == 2);
    CHECK(j.at("incidents_fatalities_not_stated") == 3);
    const json& arm = named(j.at("countries"), "Armenia");
    CHECK(arm.at("incidents") == 3);
    CHECK(arm.at("fatalities") == 2);
    CHECK(arm.at("incidents_stating_fatalities") == 2);
    CHECK(arm.at("incidents_fatalities_not_stated") == 1);
    // No Azerbaijani incident states a figure: null, not 0.
    const json& aze = named(j.at("countries"), "Azerbaijan");
    CHECK(aze.at("incidents") == 2);
    CHECK(aze.at("fatalities").is_null());
    CHECK(aze.at("incidents_stating_fatalities") == 0);
    CHECK(aze.at("incidents_fatalities_not_stated") == 2);
    // Syunik: a stated 0 is a figure (0), beside one not stated.
    const json& syunik = named(j.at("provinces"), "Syunik");
    CHECK(syunik.at("fatalities") == 0);
    CHECK(syunik.at("incidents_stating_fatalities") == 1);
    CHECK(syunik.at("incidents_fatalities_not_stated") == 1);

    // The table says "not stated" where no incident of a group states a figure.
    const Result t = run_limes({"stats", ws});
    REQUIRE(t.code == 0);
    CHECK_THAT(t.out, Catch::Contains("fatalities: 2 (stated by 2, not stated by 3)"));
    std::istringstream lines(t.out);
    bool seen_aze = false;
    for (std::string line; std::getline(lines, line);)
        if (line.find("Azerbaijan (AZE)") != std::string::npos) {
            seen_aze = true;
            CHECK_THAT(line, Catch::Contains("not stated"));
            CHECK_THAT(line, !Catch::Contains(" 0 "));
        }
    CHECK(seen_aze);

    // The export writes null for a figure not stated and 0 for a stated 0.
    const Result e = run_limes({"export", ws, "-o", "-"});
    REQUIRE(e.code == 0);
    int nulls = 0, zeros = 0;
    const json exported = json::parse(e.out);
    for (const auto& feature : exported.at("features")) {
        const json& dead = feature.at("properties").at("fatalities");
        nulls += dead.is_null();
        zeros += dead.is_number_integer() && dead == 0;
    }
    CHECK(nulls == 3);
    CHECK(zeros == 1);
    std::remove(ws.c_str());
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

TEST_CASE("cli: a claim's date precision survives export and import, and labels say no more",
          "[cli][claims]") {
    // Artsvashen: "captured in August 1992", day not given (geodata audit D13).
    const std::string out = scratch("cli-claims-precision", ".geojson");
    REQUIRE(run_limes({"export", kWs, "-o", out, "--layer", "claims"}).code == 0);
    json exported;
    {
        std::ifstream in(out);
        exported = json::parse(in);
    }
    int month = 0;
    for (const auto& f : exported["features"]) {
        const json& p = f["properties"];
        if (p["claim_id"] == "LIMES-CLM-0001") {
            CHECK(p["valid_from"] == "1992-08-01");
            CHECK(p["valid_from_precision"] == "month");
            ++month;
        } else {
            CHECK(p["valid_from_precision"].is_null());
        }
    }
    CHECK(month == 1);
    // Imported back into a new workspace: the same precision.
    const std::string ws = scratch("cli-claims-precision-ws");
    REQUIRE(run_limes({"import", ws, out, "--layer", "claims", "--no-basemap"}).code == 0);
    int kept = 0;
    for (const auto& c : limes::geo::Workspace::open(ws).read_claims())
        if (c.claim_id == "LIMES-CLM-0001") {
            CHECK(c.valid_from_precision == "month");
            CHECK(limes::core::since_text(c) == "1992-08");
            ++kept;
        }
    CHECK(kept == 1);
    // A precision that is none of day, month, year is bad data, named.
    exported["features"][0]["properties"]["valid_from_precision"] = "fortnight";
    const std::string bad = scratch("cli-claims-precision-bad", ".geojson");
    {
        std::ofstream o(bad);
        o << exported.dump();
    }
    const std::string ws2 = scratch("cli-claims-precision-ws2");
    const Result r = run_limes({"import", ws2, bad, "--layer", "claims", "--no-basemap", "--strict"});
    CHECK(r.code == 3);
    CHECK_THAT(r.err, Catch::Contains("valid_from_precision") && Catch::Contains("fortnight"));
    for (const std::string& p : {out, ws, bad, ws2}) std::remove(p.c_str());
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

// --region takes the names users type (trial problem 12): English, Armenian and Azerbaijani
// names, Natural Earth's own spellings and the incidents' admin1 values, each resolving to the
// same polygon as the Natural Earth name it stands for (geodata/region_aliases.csv, built into
// the workspace as the table region_aliases).
TEST_CASE("cli: --region accepts aliases of provinces and countries", "[cli][region]") {
    auto stats = [](const std::string& region) {
        const Result r = run_limes({"stats", kWs, "--json", "--region", region});
        INFO(region << ": " << r.err);
        REQUIRE(r.code == 0);
        return json::parse(r.out);
    };
    const std::vector<std::pair<std::string, std::vector<std::string>>> cases = {
        {"Kəlbəcər",
         {"Kalbajar", "Kalbajar District", "kalbajar district", "KALBAJAR", "Kəlbəcər rayonu",
          "Kalbacar Rayonu"}},
        {"Erevan", {"Yerevan", "yerevan", "Երևան", "İrəvan"}},
        {"Syunik", {"Սյունիք", "Սյունիքի մարզ", "Syunik Province", "Syunik'i Marz"}},
        {"Zəngilan", {"Zangilan", "Zangilan District", "Zəngilan rayonu"}},
        {"Vayots Dzor", {"Վայոց ձոր", "Vayots Dzor Province"}},
        {"Armenia", {"Հայաստան", "Ermənistan"}},
    };
    for (const auto& [ne_name, aliases] : cases) {
        const json expected = stats(ne_name);
        for (const auto& alias : aliases) {
            INFO(alias << " for " << ne_name);
            CHECK(stats(alias) == expected);
        }
    }
    // Kalbajar's incidents are there under its English name: not an empty selection.
    CHECK(stats("Kalbajar").at("incidents").get<long long>() > 0);
    CHECK(stats("Kalbajar").at("incidents") != stats("Syunik").at("incidents"));

    // render and export take the same aliases: the same extent, the same features.
    const std::string a = scratch("alias-a", ".png"), b = scratch("alias-b", ".png");
    REQUIRE(run_limes({"render", kWs, "-o", a, "--size", "200x150", "--layers", "countries",
                       "--region", "Kalbajar District"})
                .code == 0);
    REQUIRE(run_limes({"render", kWs, "-o", b, "--size", "200x150", "--layers", "countries",
                       "--region", "Kəlbəcər"})
                .code == 0);
    CHECK(limes_test::read_all(a.substr(0, a.size() - 4) + ".pgw") ==
          limes_test::read_all(b.substr(0, b.size() - 4) + ".pgw"));
    const Result e1 = run_limes({"export", kWs, "-o", "-", "--region", "Yerevan"});
    const Result e2 = run_limes({"export", kWs, "-o", "-", "--region", "Erevan"});
    REQUIRE(e1.code == 0);
    CHECK(e1.out == e2.out);

    // A miss still says what there is.
    const Result miss = run_limes({"stats", kWs, "--region", "Kalbajarr"});
    CHECK(miss.code == 2);
    check_contains(miss.err, {"--region 'Kalbajarr'", "e.g.", "Kəlbəcər"});
}

TEST_CASE("cli: every incident's admin1 value selects that incident with --region",
          "[cli][region]") {
    const Result all = run_limes({"export", kWs, "-o", "-"});
    REQUIRE(all.code == 0);
    std::map<std::string, std::set<std::string>> ids_by_admin1;
    const json all_json = json::parse(all.out);  // kept: the loop reads into it
    for (const auto& f : all_json.at("features")) {
        const json& p = f.at("properties");
        if (p.at("admin1").is_string())
            ids_by_admin1[p.at("admin1").get<std::string>()].insert(
                p.at("event_id_cnty").get<std::string>());
    }
    REQUIRE(ids_by_admin1.size() >= 6);
    for (const auto& [admin1, ids] : ids_by_admin1) {
        const Result r = run_limes({"export", kWs, "-o", "-", "--region", admin1});
        INFO(admin1 << ": " << r.err);
        REQUIRE(r.code == 0);
        std::set<std::string> selected;
        const json some = json::parse(r.out);
        for (const auto& f : some.at("features"))
            selected.insert(f.at("properties").at("event_id_cnty").get<std::string>());
        for (const auto& id : ids) {
            INFO(id);
            CHECK(selected.count(id) == 1);
        }
    }
}

// ---- Plain messages for what cannot be written (trial problem 11) ---------------------------

namespace {

// The real binary, as an unprivileged user (nobody) when the tests run as root, so that file
// permissions apply to it as they do to an analyst; stdout and stderr through scratch files.
Result run_binary_unprivileged(const std::vector<std::string>& args) {
    const std::string out_path = scratch("unpriv-out", ".txt"),
                      err_path = scratch("unpriv-err", ".txt");
    const pid_t pid = fork();
    REQUIRE(pid >= 0);
    if (pid == 0) {
        const int out = ::open(out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0666);
        const int err = ::open(err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0666);
        if (out < 0 || err < 0 || dup2(out, 1) < 0 || dup2(err, 2) < 0) _exit(126);
        if (geteuid() == 0 &&
            (setgroups(0, nullptr) != 0 || setgid(65534) != 0 || setuid(65534) != 0))
            _exit(125);
        std::vector<const char*> argv{LIMES_BINARY};
        for (const auto& a : args) argv.push_back(a.c_str());
        argv.push_back(nullptr);
        execv(LIMES_BINARY, const_cast<char* const*>(argv.data()));
        _exit(127);
    }
    int status = 0;
    REQUIRE(waitpid(pid, &status, 0) == pid);
    REQUIRE(WIFEXITED(status));
    Result r;
    r.code = WEXITSTATUS(status);
    r.out = limes_test::read_all(out_path);
    r.err = limes_test::read_all(err_path);
    remove_files({out_path, err_path});
    return r;
}

// A folder of the scratch dir with this mode (a copy of the default workspace inside when
// ws_mode is not 0).
std::string folder_with(const std::string& stem, mode_t folder_mode, mode_t ws_mode = 0) {
    const std::string dir = scratch(stem, "");
    REQUIRE(::mkdir(dir.c_str(), 0777) == 0);
    if (ws_mode) {
        std::ifstream in(kWs, std::ios::binary);
        std::ofstream out(dir + "/ws.gpkg", std::ios::binary);
        out << in.rdbuf();
        out.close();
        REQUIRE(::chmod((dir + "/ws.gpkg").c_str(), ws_mode) == 0);
    }
    REQUIRE(::chmod(dir.c_str(), folder_mode) == 0);
    return dir;
}

void check_no_sql(const std::string& err) {
    for (const char* internal : {"SQL", "sqlite3_", "INSERT", "DROP", "CREATE", "no such table"})
        CHECK_THAT(err, !Catch::Contains(internal));
}

}  // namespace

TEST_CASE("cli: writing to a read-only workspace says so plainly, exit 4", "[cli][io][readonly]") {
    // The file read-only in a folder anyone may write: the file is named.
    const std::string dir = folder_with("ro-file", 0777, 0444);
    const std::string ws = dir + "/ws.gpkg";
    const std::string before = limes_test::read_all(ws);
    SECTION("render --save-view") {
        const Result r =
            run_binary_unprivileged({"render", ws, "-o", dir + "/out.png", "--size", "200x150",
                                     "--layers", "countries", "--save-view", "mine"});
        INFO(r.err);
        CHECK(r.code == 4);
        CHECK_THAT(r.err,
                   Catch::Contains("the workspace " + ws + " is read-only (permission denied)"));
        check_no_sql(r.err);
        CHECK_FALSE(file_exists(dir + "/out.png"));  // refused before rendering
    }
    SECTION("import") {
        const Result r = run_binary_unprivileged({"import", ws, data("acled_2023.csv")});
        INFO(r.err);
        CHECK(r.code == 4);
        CHECK_THAT(r.err,
                   Catch::Contains("the workspace " + ws + " is read-only (permission denied)"));
        check_no_sql(r.err);
    }
    CHECK(limes_test::read_all(ws) == before);
    // A writable file in a folder the user cannot write: SQLite's journal cannot be made.
    const std::string ro_dir = folder_with("ro-folder", 0755, 0666);
    const Result r =
        run_binary_unprivileged({"import", ro_dir + "/ws.gpkg", data("acled_2023.csv")});
    INFO(r.err);
    if (geteuid() == 0 || ::access(ro_dir.c_str(), W_OK) != 0) {
        CHECK(r.code == 4);
        CHECK_THAT(r.err, Catch::Contains("the folder " + ro_dir + " of the workspace " + ro_dir +
                                          "/ws.gpkg is read-only (permission denied)"));
        check_no_sql(r.err);
    }
}

TEST_CASE("cli: a workspace in a missing or read-only folder: the folder named, exit 4",
          "[cli][io][readonly]") {
    const std::string missing = scratch("no-such-folder", "") + "/sub";
    Result r = run_limes({"import", missing + "/ws.gpkg", data("acled_2023.csv")});
    CHECK(r.code == 4);
    CHECK_THAT(r.err, Catch::Contains("cannot create the workspace " + missing +
                                      "/ws.gpkg: the folder " + missing + " does not exist"));
    check_no_sql(r.err);
    CHECK_THAT(r.err, !Catch::Contains("sqlite3_open"));

    const std::string ro = folder_with("ro-create", 0555);
    r = run_binary_unprivileged({"import", ro + "/ws.gpkg", data("acled_2023.csv")});
    INFO(r.err);
    CHECK(r.code == 4);
    CHECK_THAT(r.err,
               Catch::Contains("cannot create the workspace " + ro + "/ws.gpkg: the folder " + ro +
                               " is read-only (permission denied)"));
    CHECK_FALSE(file_exists(ro + "/ws.gpkg"));
    ::chmod(ro.c_str(), 0755);
}

TEST_CASE("cli: an unknown CRS is named as such, exit 2", "[cli][usage]") {
    const std::string png = scratch("crs", ".png");
    const Result r = run_limes({"render", kWs, "-o", png, "--crs", "EPSG:99999"});
    CHECK(r.code == 2);
    CHECK_THAT(r.err, Catch::Contains("unknown CRS 'EPSG:99999'"));
    CHECK_THAT(r.err, !Catch::Contains("Unknown error"));
}

TEST_CASE("cli: a missing file is 'no such file' for every command", "[cli][io]") {
    const std::string missing = scratch("cli-nothing", ".csv");
    for (const Result& r : {run_limes({"import", scratch("cli-nothing-ws"), missing}),
                            run_limes({"info", missing}), run_limes({"stats", missing})}) {
        CHECK(r.code == 4);
        CHECK_THAT(r.err, Catch::Contains(missing + ": no such file"));
        CHECK_THAT(r.err, !Catch::Contains("No such file or directory"));
    }
    const Result out = run_limes({"export", kWs, "-o", "/nonexistent-dir/out.geojson"});
    CHECK(out.code == 4);
    CHECK_THAT(out.err, Catch::Contains("the folder /nonexistent-dir does not exist"));
}

TEST_CASE("cli: render and view word a bad --size the same way", "[cli][usage]") {
    const Result render =
        run_limes({"render", kWs, "-o", scratch("size", ".png"), "--size", "0x100"});
    const Result view = run_limes({"view", kWs, "--size", "100x100"});
    CHECK(render.code == 2);
    CHECK(view.code == 2);
    CHECK_THAT(render.err, Catch::Contains("--size '0x100': expected WIDTHxHEIGHT in pixels, from "
                                           "1x1 to 65536x65536"));
    CHECK_THAT(view.err, Catch::Contains("--size '100x100': expected WIDTHxHEIGHT in pixels, from "
                                         "200x150 to 65536x65536"));
}

TEST_CASE("cli: --help of --from and --to names the three date forms", "[cli]") {
    const Result r = run_limes({"stats", "--help"});
    REQUIRE(r.code == 0);
    check_contains(r.out, {"2022-09-13, 13-09-2022 or '13 September 2022'"});
}

TEST_CASE("cli: stats --at lists the claims valid that day and the ground each holder held",
          "[cli][as_of]") {
    const Result after = run_limes({"stats", kWs, "--json", "--at", "2024-06-01"});
    REQUIRE(after.code == 0);
    const json a = json::parse(after.out);
    CHECK(a["as_of"] == "2024-06-01");
    // Every claim listed is valid that day, and every claim valid that day is listed.
    std::size_t valid = 0;
    for (const auto& c : claims_of(kWs))
        valid += limes::core::valid_on(c.valid_from, c.valid_to, *limes::core::parse_date("2024-06-01"));
    CHECK(a["claims"].size() == valid);
    // The ground Azerbaijan holds in Azerbaijan in 2024 (handovers, districts retaken, the
    // former oblast): the union of those claims, each km2 once, so less than their sum (the
    // Lachin strip lies in two of them) ...
    double sum = 0;
    int n = 0;
    for (const auto& c : a["claims"]) {
        if (c["holder"] != "Azerbaijan" || c["sovereign"] != "Azerbaijan") continue;
        sum += c["area_km2"].get<double>(), ++n;
    }
    REQUIRE(n >= 10);
    const json* row = nullptr;
    for (const auto& h : a["held"])
        if (h["holder"] == "Azerbaijan" && h["sovereign"] == "Azerbaijan") row = &h;
    REQUIRE(row);
    CHECK((*row)["claims"] == n);
    CHECK((*row)["area_km2"].get<double>() < sum - 100);
    // ... and exactly the ground held under the 1994 ceasefire until 2020 (2019's claim).
    const Result before = run_limes({"stats", kWs, "--json", "--at", "2019-01-01"});
    REQUIRE(before.code == 0);
    const json b = json::parse(before.out);
    double ground_1994 = 0;
    for (const auto& c : b["claims"])
        if (c["claim_id"] == "LIMES-CLM-0007") ground_1994 = c["area_km2"].get<double>();
    CHECK(ground_1994 > 10000);
    CHECK((*row)["area_km2"].get<double>() == Approx(ground_1994).epsilon(0.001));
    for (const auto& h : b["held"])
        CHECK_FALSE((h["holder"] == "Azerbaijan" && h["sovereign"] == "Azerbaijan"));
    bool held_1994 = false;
    for (const auto& h : b["held"])
        held_1994 = held_1994 || h["holder"] == "Armenian and Nagorno-Karabakh forces";
    CHECK(held_1994);
    // The text table says it too; a bad day exits 2.
    const Result text = run_limes({"stats", kWs, "--at", "2024-06-01"});
    CHECK_THAT(text.out, Catch::Contains("held as of 2024-06-01"));
    const Result bad = run_limes({"stats", kWs, "--at", "2024-13-01"});
    CHECK(bad.code == 2);
    CHECK_THAT(bad.err, Catch::Contains("--at '2024-13-01'"));
}

TEST_CASE("cli: stats --changes FROM..TO gives each holder's ground gained and lost",
          "[cli][as_of]") {
    const Result r = run_limes({"stats", kWs, "--json", "--changes", "2019-01-01..2024-06-01"});
    REQUIRE(r.code == 0);
    const json j = json::parse(r.out);
    CHECK(j["changes"]["from"] == "2019-01-01");
    CHECK(j["changes"]["to"] == "2024-06-01");
    // The held area on 2024-06-01, as --at computes it.
    const json at = json::parse(run_limes({"stats", kWs, "--json", "--at", "2024-06-01"}).out);
    std::map<std::string, double> held_2024;
    for (const auto& h : at["held"])
        held_2024[h["holder"].get<std::string>() + "/" + h["sovereign"].get<std::string>()] =
            h["area_km2"].get<double>();
    // Every holder of 2024 is listed, plus the one that held ground in 2019 and none in 2024.
    REQUIRE(j["changes"]["holders"].size() == held_2024.size() + 1);
    const std::string kForces = "Armenian and Nagorno-Karabakh forces/Azerbaijan";
    for (const auto& h : j["changes"]["holders"]) {
        const std::string key =
            h["holder"].get<std::string>() + "/" + h["sovereign"].get<std::string>();
        INFO(key);
        const double from = h["from_km2"].get<double>(), to = h["to_km2"].get<double>(),
                     gained = h["gained_km2"].get<double>(), lost = h["lost_km2"].get<double>();
        CHECK(to == Approx(held_2024.count(key) ? held_2024.at(key) : 0.0).margin(1e-6));
        // Area balance: what is held now is what was held then, plus gains, less losses.
        CHECK(from + gained - lost == Approx(to).margin(0.01));
        if (key == kForces) {
            // The ground held under the 1994 ceasefire: all of it lost by 2024.
            CHECK(from == Approx(11458).epsilon(0.05));
            CHECK(lost == Approx(from).margin(0.01));
        }
    }
    // The two largest changes come first: the ground held under the 1994 ceasefire, lost, and
    // Azerbaijan's, gained from nothing (the same ground: a tie, in either order).
    std::set<std::string> top;
    for (int i : {0, 1}) {
        const json& h = j["changes"]["holders"][i];
        top.insert(h["holder"].get<std::string>() + "/" + h["sovereign"].get<std::string>());
        CHECK(h["gained_km2"].get<double>() + h["lost_km2"].get<double>() > 10000);
    }
    CHECK(top == std::set<std::string>{kForces, "Azerbaijan/Azerbaijan"});
    // Who it went to: all the forces lost, to Azerbaijan, one transfer.
    const json& transfers = j["changes"]["transfers"];
    REQUIRE(transfers.size() == 1);
    CHECK(transfers[0]["from_holder"] == "Armenian and Nagorno-Karabakh forces");
    CHECK(transfers[0]["to_holder"] == "Azerbaijan");
    for (const auto& h : j["changes"]["holders"])
        if (h["holder"].get<std::string>() + "/" + h["sovereign"].get<std::string>() == kForces)
            CHECK(transfers[0]["area_km2"].get<double>() ==
                  Approx(h["lost_km2"].get<double>()).epsilon(0.001));
    // Within one week of September 2022 no claim starts or ends: nothing changes.
    const json week =
        json::parse(run_limes({"stats", kWs, "--json", "--changes", "2022-09-12..2022-09-14"}).out);
    for (const auto& h : week["changes"]["holders"]) {
        CHECK(h["gained_km2"].get<double>() == 0);
        CHECK(h["lost_km2"].get<double>() == 0);
    }
    // Usage errors: no "..", TO before FROM, with --at.
    CHECK(run_limes({"stats", kWs, "--changes", "2024-01-01"}).code == 2);
    CHECK(run_limes({"stats", kWs, "--changes", "2024-01-01..2019-01-01"}).code == 2);
    CHECK(run_limes({"stats", kWs, "--changes", "2019-01-01..2024-01-01", "--at", "2020-01-01"})
              .code == 2);
    CHECK_THAT(run_limes({"stats", kWs, "--changes", "2019-01-01..2024-01-01"}).out,
               Catch::Contains("changes from 2019-01-01 to 2024-01-01"));
}
