// PostGIS workspaces, part 2 (issue 16): a postgresql:// workspace behind the same commands
// as a GeoPackage file. The same CSV imported into both gives the same export, the same
// stats and the same briefing image; the IncidentTable calls read and write the same rows;
// a role that may only read can view, export and render, and its writes fail with exit 4
// and leave nothing behind. Against the private cluster of the "pg" fixture.
#include <catch2/catch.hpp>


#include <gdal_priv.h>
#include <nlohmann/json.hpp>

#include <chrono>
#include <filesystem>
#include <regex>
#include <cstdio>
#include <cstdlib>
#include <thread>
#include <string>

#include "../app/run_limes.hpp"
#include "../app/session_support.hpp"
#include "../geo/support.hpp"
#include "pg_support.hpp"
#include "core/error.hpp"
#include "geo/store/pg_db.hpp"
#include "geo/store/workspace.hpp"
#include "geo/formats/gdal_util.hpp"


using limes::geo::PgConnection;
using limes::geo::parse_pg_target;
using limes_test::fresh_schema;
using limes_test::one;
using limes_test::run_limes;
using limes_test::url_with;
using nlohmann::json;

namespace {

/** `limes init url` and the same CSV into it and into a new GeoPackage; returns the
 *  GeoPackage's path. */
std::string import_both(const std::string& url, const std::string& csv) {
    auto r = run_limes({"init", url});
    INFO(r.out << r.err);
    REQUIRE(r.code == 0);
    CHECK_THAT(r.out, Catch::Contains("basemap layers copied: ") && Catch::Contains("countries"));
    const std::string gpkg = limes_test::scratch("pg-same");
    r = run_limes({"import", gpkg, csv});
    INFO(r.out << r.err);
    REQUIRE(r.code == 0);
    const auto pg = run_limes({"import", url, csv});
    INFO(pg.out << pg.err);
    REQUIRE(pg.code == 0);
    // "imported N of M into …" alike (the workspace's name aside).
    auto counts = [](const std::string& out) {
        const auto at = out.find("imported");
        return out.substr(at, out.find(" into", at) - at);
    };
    CHECK(counts(r.out) == counts(pg.out));
    return gpkg;
}

/** An image's pixels, every band interleaved, through GDAL (PNG). */
std::vector<unsigned char> pixels(const std::string& path, int& w, int& h) {
    limes::geo::ensure_gdal();
    GDALDatasetUniquePtr ds(GDALDataset::Open(path.c_str(), GDAL_OF_RASTER));
    REQUIRE(ds);
    w = ds->GetRasterXSize();
    h = ds->GetRasterYSize();
    const int bands = ds->GetRasterCount();
    std::vector<unsigned char> out(static_cast<std::size_t>(w) * h * bands);
    REQUIRE(ds->RasterIO(GF_Read, 0, 0, w, h, out.data(), w, h, GDT_Byte, bands, nullptr, bands,
                         static_cast<GSpacing>(w) * bands, 1, nullptr) == CE_None);
    return out;
}

/** `limes init url` without the basemap, and the 8 synthetic incidents of acled_2023.csv. */
void acled_workspace(const std::string& url) {
    REQUIRE(run_limes({"init", url, "--no-basemap"}).code == 0);
    REQUIRE(run_limes({"import", url, limes_test::data("acled_2023.csv")}).code == 0);
}

json exported(const std::string& ws, const std::vector<std::string>& more = {}) {
    const std::string out = limes_test::scratch("pg-export", ".geojson");
    std::vector<std::string> args{"export", ws, "-o", out};
    args.insert(args.end(), more.begin(), more.end());
    std::vector<const char*> argv{"limes"};
    for (const auto& a : args) argv.push_back(a.c_str());
    argv.push_back(nullptr);
    std::ostringstream o, e;
    const int code = limes::app::run(static_cast<int>(argv.size() - 1), argv.data(), o, e);
    INFO(o.str() << e.str());
    REQUIRE(code == 0);
    return json::parse(limes_test::read_all(out));
}

std::string described(const limes::core::MultiPolygon& mp) {
    std::string out;
    char buf[64];
    for (const auto& poly : mp)
        for (const auto& ring : poly) {
            out += "|";
            for (const auto& p : ring) {
                std::snprintf(buf, sizeof buf, " %.17g,%.17g", p.lon, p.lat);
                out += buf;
            }
        }
    return out;
}

std::string described(const std::optional<limes::core::Date>& d) {
    return d ? d->iso() : "-";
}

/** A basemap as text: every layer, feature, name, key, kind, date and vertex (%.17g: the
 *  doubles bit for bit), the claims without their fids. */
std::string described(const limes::core::Basemap& b) {
    std::string out;
    for (const auto& layer : b.layers) {
        out += "\n# " + layer.name + " " + std::to_string(layer.features.size());
        for (const auto& f : layer.features) {
            out += "\n" + std::to_string(f.fid) + " " + f.name + "/" + f.name_hy + "/" +
                   f.name_az + " " + f.key + " " + f.kind + " " + described(f.valid_from) + " " +
                   described(f.valid_to) + described(f.polygons);
            for (const auto& line : f.lines) out += described({{line}});
            if (f.point) out += described({{{*f.point}}});
        }
    }
    for (const auto& c : b.claims) {
        out += "\nclaim";
        for (const auto& col : limes::core::claim_text_columns()) out += " " + c.*col.member;
        out += " " + described(c.valid_from) + " " + described(c.valid_to) + " " +
               (c.accuracy_m ? std::to_string(*c.accuracy_m) : "-") + described(c.area);
    }
    return out;
}

}  // namespace

TEST_CASE("same: import, export, stats, a briefing and an animation from PostGIS equal the "
          "same from a GeoPackage",
          "[pg][release]") {
    const std::string url = url_with(fresh_schema("same"));
    const std::string gpkg = import_both(url, limes_test::data("acled_2023.csv"));

    // Export: the same features, ids, properties and coordinates, filtered or not.
    for (const std::vector<std::string>& filter :
         {std::vector<std::string>{}, std::vector<std::string>{"--from", "2022-09-14", "--type",
                                                               "Battles"}}) {
        const json a = exported(gpkg, filter), b = exported(url, filter);
        REQUIRE(a["features"].size() > 0);
        CHECK(a["features"] == b["features"]);
        CHECK(a["bbox"] == b["bbox"]);
    }

    // Stats: the same counts by country and province (the basemap came with init).
    auto sa = run_limes({"stats", gpkg, "--json"}), sb = run_limes({"stats", url, "--json"});
    INFO(sa.err << sb.err);
    REQUIRE(sa.code == 0);
    REQUIRE(sb.code == 0);
    json ja = json::parse(sa.out), jb = json::parse(sb.out);
    for (json* j : {&ja, &jb}) j->erase("workspace");
    CHECK(ja == jb);

    // A briefing: the same pixels (both have the same layers; the footer's time is fixed).
    ::setenv("SOURCE_DATE_EPOCH", "1663027200", 1);
    const std::string pa = limes_test::scratch("pg-brief-a", ".png"),
                      pb = limes_test::scratch("pg-brief-b", ".png");
    auto ra = run_limes({"render", gpkg, "-o", pa, "--size", "640x360", "--title", "same"});
    auto rb = run_limes({"render", url, "-o", pb, "--size", "640x360", "--title", "same"});
    INFO(ra.err << rb.err);
    REQUIRE(ra.code == 0);
    REQUIRE(rb.code == 0);
    int wa = 0, ha = 0, wb = 0, hb = 0;
    const auto ia = pixels(pa, wa, ha), ib = pixels(pb, wb, hb);
    REQUIRE(wa == 640);
    REQUIRE((wb == wa && hb == ha));
    long differing = 0;
    for (std::size_t i = 0; i < ia.size(); ++i) differing += ia[i] != ib[i];
    CHECK(differing == 0);

    // An animation through the sample's days: the same GIF, byte for byte.
    const std::string ga = limes_test::scratch("pg-anim-a", ".gif"),
                      gb = limes_test::scratch("pg-anim-b", ".gif");
    ra = run_limes({"animate", gpkg, "-o", ga, "--from", "2022-09-13", "--to", "2022-09-16",
                    "--size", "320x180"});
    rb = run_limes({"animate", url, "-o", gb, "--from", "2022-09-13", "--to", "2022-09-16",
                    "--size", "320x180"});
    INFO(ra.err << rb.err);
    REQUIRE(ra.code == 0);
    REQUIRE(rb.code == 0);
    const std::string gif_a = limes_test::read_all(ga);
    REQUIRE(gif_a.size() > 1000);
    CHECK(gif_a == limes_test::read_all(gb));

    // The basemap limes reads from PostGIS on its own connection (pg_layers.hpp) is the one
    // GDAL reads from the GeoPackage, and claims stored in both through GDAL read back alike.
    {
        auto wa = limes::geo::Workspace::open(gpkg), wb = limes::geo::Workspace::open(url);
        std::vector<limes::core::Claim> claims(2);  // SYNTHETIC claims, not real ones
        claims[0].claim_id = "SYN-CLAIM-1";
        claims[0].name = "Synthetic area (test)";
        claims[0].claimant = "Synthetic reporter";
        claims[0].valid_from = limes::core::Date::from_ymd(1992, 8, 1);
        claims[0].valid_from_precision = "month";
        claims[0].accuracy_m = 1234.5;
        claims[0].area = {{{{46.1, 39.1}, {46.4, 39.1}, {46.4, 39.35}, {46.1, 39.1}},
                           {{46.3, 39.12}, {46.35, 39.12}, {46.35, 39.15}, {46.3, 39.12}}}};
        claims[1].claim_id = "SYN-CLAIM-2";
        claims[1].notes = "Ünicode Արցախ";
        claims[1].valid_to = limes::core::Date::from_ymd(2023, 9, 19);
        claims[1].area = {{{{45.0, 40.0}, {45.1 + 1e-13, 40.0}, {45.1, 40.1}, {45.0, 40.0}}}};
        auto copy = claims;
        wa.append_claims(claims);
        wb.append_claims(copy);
        const limes::core::Basemap ba = wa.basemap(), bb = wb.basemap();
        REQUIRE(ba.layers.size() >= 5);
        REQUIRE(ba.claims.size() == 2);
        REQUIRE(bb.claims.size() == 2);
        CHECK(described(bb) == described(ba));
    }

    // info names the database (password-free) and its layers.
    auto info = run_limes({"info", url});
    INFO(info.err);
    REQUIRE(info.code == 0);
    CHECK_THAT(info.out, Catch::Contains("(PostgreSQL)") && Catch::Contains("incidents ") &&
                             Catch::Contains("countries "));
}

TEST_CASE("layers: a basemap table another tool made (its own key, timestamps) reads as GDAL "
          "would give it, and one a role may not read is named with the grant it needs",
          "[pg]") {
    const std::string schema = fresh_schema("layers");
    const std::string url = url_with(schema);
    REQUIRE(run_limes({"init", url, "--no-basemap"}).code == 0);
    PgConnection owner(parse_pg_target(url));
    // As shp2pgsql names the key (gid) and ogr2ogr the geometry (wkb_geometry), with a
    // GeoJSON's date-times as timestamptz (midday: the same day in any session time zone);
    // SYNTHETIC lines.
    owner.exec("CREATE TABLE " + owner.table("historical_lines") +
               " (gid serial PRIMARY KEY, name varchar, kind varchar, valid_from timestamptz, "
               "valid_to timestamp, wkb_geometry geometry(LineString, 4326)); INSERT INTO " +
               owner.table("historical_lines") + " (gid, name, kind, valid_from, valid_to, "
               "wkb_geometry) VALUES (7, 'Synthetic line A', 'ceasefire_line', "
               "'1994-05-12 12:00:00+00', '2020-11-10 00:00:00', "
               "ST_GeomFromText('LINESTRING(46.5 39.9, 46.7 40.1)', 4326)), "
               "(3, 'Synthetic line B', NULL, NULL, NULL, "
               "ST_GeomFromText('LINESTRING(45.25 40.5, 45.5 40.75)', 4326))");
    {
        auto ws = limes::geo::Workspace::open(url);
        const limes::core::Basemap b = ws.basemap({"historical_lines"});
        REQUIRE(b.layers.size() == 1);
        const auto& f = b.layers[0].features;
        REQUIRE(f.size() == 2);
        CHECK(f[0].fid == 3);  // the primary key, in its order
        CHECK(f[0].name == "Synthetic line B");
        CHECK_FALSE(f[0].valid_from);
        CHECK(f[1].fid == 7);
        CHECK(f[1].kind == "ceasefire_line");
        REQUIRE(f[1].valid_from);
        CHECK(f[1].valid_from->iso() == "1994-05-12");
        REQUIRE(f[1].valid_to);
        CHECK(f[1].valid_to->iso() == "2020-11-10");
        REQUIRE(f[1].lines.size() == 1);
        CHECK(f[1].lines[0].size() == 2);
        CHECK(f[1].lines[0][1].lon == 46.7);
    }
    // A reader granted every table, then a layer added that it was not granted.
    const std::string reader = limes_test::make_reader(owner, schema);
    owner.exec("CREATE TABLE " + owner.table("rivers") + " (fid serial PRIMARY KEY, name text, "
               "geom geometry(LineString, 4326))");
    {
        auto ws = limes::geo::Workspace::open(url_with(schema, reader));
        try {
            ws.basemap();
            FAIL("a table the role may not read was read");
        } catch (const limes::core::Error& e) {
            CHECK(e.kind() == limes::core::ErrorKind::Io);
            CHECK_THAT(e.what(), Catch::Contains("may not read table rivers") &&
                                     Catch::Contains("GRANT SELECT ON"));
        }
    }
    limes_test::drop_role(owner, reader);
}

TEST_CASE("table: writes through IncidentTable land as rows with fids, versions and audit "
          "rows, and a snapshot keeps its rows while others write",
          "[pg]") {
    const std::string url = url_with(fresh_schema("table"));
    REQUIRE(run_limes({"init", url, "--no-basemap"}).code == 0);
    auto ws = limes::geo::Workspace::open(url);
    CHECK(ws.writable());
    CHECK(ws.format() == "PostgreSQL");
    limes::geo::IncidentTable& t = ws.incidents();
    REQUIRE(t.exists());

    std::vector<limes::core::Incident> rows(3);
    for (int i = 0; i < 3; ++i) {
        rows[i].lon = 45.0 + i * 0.123456789012345;
        rows[i].lat = 39.0 + i / 3.0;
        // One before 2000, where PostgreSQL's binary dates turn negative.
        rows[i].event_date = i == 2 ? limes::core::Date::from_ymd(1997, 12, 31)
                                    : limes::core::Date::from_ymd(2023, 1, 1 + i);
        rows[i].event_id_cnty = "SYN-PG-" + std::to_string(i);
        rows[i].notes = "tab\there, newline\nhere, back\\slash, A\u011fdam / \u0531\u0572\u0564\u0561\u0574";
        rows[i].fatalities = i == 0 ? std::optional<std::int64_t>{} : i;
    }
    {
        auto w = t.write();
        auto check = w->duplicate_check(3);
        w->append(rows);
        w->commit();
    }
    CHECK(rows[0].fid > 0);
    CHECK(rows[1].fid == rows[0].fid + 1);

    // Read back exactly: doubles bit for bit, control characters and UTF-8 as they were,
    // a date before 2000, a gap as a gap.
    auto snap = t.snapshot();
    const auto before = snap->read_all();
    REQUIRE(before.size() == 3);
    for (int i = 0; i < 3; ++i) {
        CHECK(before[i].fid == rows[i].fid);
        CHECK(before[i].lon == rows[i].lon);
        CHECK(before[i].lat == rows[i].lat);
        CHECK(before[i].event_date.days == rows[i].event_date.days);
        CHECK(before[i].notes == rows[i].notes);
        CHECK(before[i].fatalities == rows[i].fatalities);
    }
    CHECK(t.find("event_id_cnty", "SYN-PG-1", limes::geo::TextMatch::Equals) ==
          std::vector<std::int64_t>{rows[1].fid});
    CHECK(t.find("notes", "NEWLINE", limes::geo::TextMatch::Contains).size() == 3);

    // An update and a removal: the version rises, the audit has them, the snapshot does not.
    {
        auto w = t.write();
        auto edited = rows[1];
        edited.notes = "edited";
        w->update(edited);
        w->remove(rows[2].fid);
        auto ghost = rows[0];
        ghost.fid = 999999;
        CHECK_THROWS_AS(w->update(ghost), limes::core::UsageError);
        w->commit();
    }
    CHECK(t.read(rows[1].fid)->notes == "edited");
    CHECK_FALSE(t.read(rows[2].fid));
    CHECK(snap->read_all().size() == 3);  // the snapshot's transaction still sees three
    PgConnection db(parse_pg_target(url));
    CHECK(one(db, "SELECT version FROM " + db.table("incidents") + " WHERE fid = " +
                      std::to_string(rows[1].fid)) == "2");
    // The three rows of one append: one insert naming their fids, then the update and delete.
    CHECK(one(db, "SELECT string_agg(action || ' ' || fid || coalesce('-' || last_fid, ''), ',' "
                  "ORDER BY id) FROM " + db.table("limes_audit")) ==
          "insert " + std::to_string(rows[0].fid) + "-" + std::to_string(rows[2].fid) +
              ",update " + std::to_string(rows[1].fid) + ",delete " +
              std::to_string(rows[2].fid));

    // A duplicate id is left out by the same check as a GeoPackage's.
    {
        auto w = t.write();
        auto check = w->duplicate_check(1);
        std::vector<limes::core::Incident> again{rows[0]};
        std::vector<long> line{2};
        std::vector<limes::core::Diagnostic> dropped;
        CHECK(check->filter(again, line, "again.csv", dropped) == 1);
        CHECK(again.empty());
    }
}

TEST_CASE("reader: a role that may only read views, exports and renders, and its import fails "
          "with exit 4 and writes nothing",
          "[pg]") {
    const std::string schema = fresh_schema("reader");
    const std::string url = url_with(schema);
    const std::string csv = limes_test::data("acled_2023.csv");
    acled_workspace(url);
    PgConnection owner(parse_pg_target(url));
    const std::string reader = limes_test::make_reader(owner, schema);
    const std::string count = one(owner, "SELECT count(*) FROM " + owner.table("incidents"));
    const std::string as_reader = url_with(schema, reader);

    CHECK(exported(as_reader)["features"].size() == std::stoul(count));
    const std::string png = limes_test::scratch("pg-reader", ".png");
    auto r = run_limes({"render", as_reader, "-o", png, "--size", "320x200"});
    INFO(r.err);
    CHECK(r.code == 0);

    const std::string more = limes_test::scratch("pg-more", ".csv");
    limes_test::write_text(more, limes_test::read_all(csv));
    r = run_limes({"import", as_reader, more});
    INFO(r.out << r.err);
    CHECK(r.code == 4);
    CHECK_THAT(r.err, Catch::Contains("does not let role \"" + reader + "\" write here"));
    CHECK(one(owner, "SELECT count(*) FROM " + owner.table("incidents")) == count);

    // A schema without limes' tables says how to make one.
    r = run_limes({"export", url_with(fresh_schema("empty")), "-o", png + ".geojson"});
    CHECK(r.code == 2);
    CHECK_THAT(r.err, Catch::Contains("limes init"));
    limes_test::drop_role(owner, reader);
}

TEST_CASE("copy: an import sends its rows in a binary COPY, not as INSERTs (the server's own log "
          "of the importing role's statements)",
          "[pg]") {
    // An analyst's role (SCALING.md, "Roles") whose statements the server logs
    // (log_statement = all for it alone: the other cases running beside this one log none, so
    // every "statement:" or "execute" line of the log is its), so the server, not limes, says
    // how the rows came. The schema is made by the cluster's owner first: the log holds the
    // import's statements only, not init's (whose trigger functions hold INSERTs of their own).
    const std::string schema = fresh_schema("copy");
    const std::string role = "copy_" + schema;
    REQUIRE(run_limes({"init", url_with(schema), "--no-basemap"}).code == 0);
    PgConnection admin(parse_pg_target(url_with(schema)));
    const std::string r_id = admin.identifier(role), s_id = admin.identifier(schema);
    admin.exec("CREATE ROLE " + r_id + " LOGIN; GRANT USAGE ON SCHEMA " + s_id + " TO " + r_id +
               "; GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA " + s_id +
               " TO " + r_id + "; GRANT USAGE ON ALL SEQUENCES IN SCHEMA " + s_id + " TO " +
               r_id + "; ALTER ROLE " + r_id + " SET log_statement = 'all'");
    const auto r = run_limes({"import", url_with(schema, role), limes_test::data("acled_2023.csv")});
    INFO(r.out << r.err);
    REQUIRE(r.code == 0);
    const std::string incidents = admin.table("incidents");
    REQUIRE(std::stoi(one(admin, "SELECT count(*) FROM " + incidents)) == 8);

    std::ifstream log(limes_test::cluster_log());
    REQUIRE(log);
    int statements = 0, copies = 0, row_writes = 0;
    std::string writes;
    for (std::string line; std::getline(log, line);) {
        if (line.find("LOG:  statement: ") == std::string::npos &&
            line.find("LOG:  execute ") == std::string::npos)
            continue;
        ++statements;
        if (line.find("statement: COPY " + incidents) != std::string::npos &&
            line.find("FROM STDIN (FORMAT binary)") != std::string::npos)
            ++copies;
        // An INSERT into or UPDATE of the incidents table, however it is spelled (quoted or
        // not, with the schema or through the search path, in any case).
        static const std::regex row_write(
            R"((insert\s+into|update)\s+("?\w+"?\s*\.\s*)?"?incidents"?(\s|\(|$))",
            std::regex::icase);
        if (std::regex_search(line, row_write)) {
            ++row_writes;
            writes += line + "\n";
        }
    }
    INFO(statements << " statements logged; INSERTs or UPDATEs:\n" << writes);
    CHECK(statements > 0);  // the log does show the role's statements
    CHECK(copies >= 1);
    CHECK(row_writes == 0);
    admin.exec("DROP SCHEMA " + s_id + " CASCADE");
    limes_test::drop_role(admin, role);
}

TEST_CASE("replica: a server that takes no writes refuses an import with its own message, "
          "exit 4, and serves renders and exports, all through GDAL's PG: form, and a role "
          "that may not read the incidents is told that, not that it may not write",
          "[pg]") {
    const std::string schema = fresh_schema("replica");
    const std::string url = url_with(schema);
    acled_workspace(url);
    PgConnection owner(parse_pg_target(url));
    const std::string count = one(owner, "SELECT count(*) FROM " + owner.table("incidents"));
    // The same schema in GDAL's form (host: the cluster's socket folder; schemas= naming one
    // schema), with every transaction read-only, as on a standby that replays the primary.
    const std::string cluster = limes_test::cluster_url();
    const std::string host = cluster.substr(cluster.find("host=") + 5);
    const std::string pg = "PG:host=" + host + " dbname=limes_test user=limes schemas=" +
                           schema + " options='-c default_transaction_read_only=on'";
    const std::string png = limes_test::scratch("pg-replica", ".png");
    auto r = run_limes({"render", pg, "-o", png, "--size", "320x200"});
    INFO(r.out << r.err);
    CHECK(r.code == 0);
    CHECK_THAT(r.err, Catch::Contains(count + " incidents"));
    CHECK(exported(pg)["features"].size() == std::stoul(count));
    r = run_limes({"import", pg, limes_test::data("acled_2023.csv")});
    INFO(r.out << r.err);
    CHECK(r.code == 4);
    CHECK_THAT(r.err, Catch::Contains("this server takes no writes") &&
                          Catch::Contains("PG:host=") && !Catch::Contains("does not let role"));
    CHECK(one(owner, "SELECT count(*) FROM " + owner.table("incidents")) == count);

    // A role that may use the schema but not read its incidents: a read refused.
    const std::string blind = "blind_" + schema;
    owner.exec("CREATE ROLE " + owner.identifier(blind) + " LOGIN; GRANT USAGE ON SCHEMA " +
               owner.identifier(schema) + " TO " + owner.identifier(blind));
    r = run_limes({"export", url_with(schema, blind), "-o", png + ".geojson"});
    INFO(r.out << r.err);
    CHECK(r.code == 4);
    CHECK_THAT(r.err, Catch::Contains("does not let role \"" + blind + "\" read") &&
                          Catch::Contains("SELECT") && !Catch::Contains("write here"));
    limes_test::drop_role(owner, blind);
}

TEST_CASE("editors: two analysts on one PostGIS workspace: the window hears the other's "
          "commit, keeps its edits on top, asks about the same row, and a stale save is refused",
          "[pg][concurrent][release]") {
    const std::string url = url_with(fresh_schema("editors"));
    acled_workspace(url);
    PgConnection other(parse_pg_target(url));  // the other analyst: plain SQL, as QGIS would
    const std::string t = other.table("incidents");
    auto notes_of = [&](const std::string& id) {
        return one(other, "SELECT notes FROM " + t + " WHERE event_id_cnty = " + other.literal(id));
    };

    limes_test::Window w(url);
    REQUIRE(w.s.state.incidents.live() == 8);
    CHECK_FALSE(w.frame());
    const std::string mine = w.s.state.incidents.row(1).event_id_cnty;
    const std::string both = w.s.state.incidents.row(2).event_id_cnty;
    w.edit_notes(mine, "synthetic: the window's");
    w.edit_notes(both, "synthetic: the window's too");

    // The other analyst changes one of the same rows and adds one; the window hears it (the
    // audit trigger's NOTIFY), reads again and asks about the shared row only.
    other.exec("UPDATE " + t + " SET notes = 'synthetic: the other analyst''s' WHERE "
               "event_id_cnty = " + other.literal(both));
    other.exec("INSERT INTO " + t + " (geom, event_id_cnty, event_date, notes) VALUES "
               "(ST_SetSRID(ST_MakePoint(46.1, 39.6), 4326), 'SYN-OTHER-1', '2022-09-20', "
               "'synthetic row')");
    bool heard = false;
    for (int i = 0; i < 50 && !heard; ++i) {  // delivered within milliseconds; 5 s at most
        heard = w.frame();
        if (!heard) std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    REQUIRE(heard);
    CHECK(w.s.state.incidents.live() == 9);
    REQUIRE(w.s.state.conflicts.size() == 1);
    CHECK(w.s.state.conflicts[0].event_id == both);
    REQUIRE(w.s.state.conflicts[0].theirs);
    CHECK(w.s.state.conflicts[0].theirs->notes == "synthetic: the other analyst's");
    CHECK(w.s.state.conflicts[0].mine.notes == "synthetic: the window's too");
    CHECK_THROWS_WITH(w.s.save(), Catch::Contains("choose whose value to keep"));
    w.s.resolve_conflicts(/*keep_mine=*/false);
    w.s.save();
    CHECK(notes_of(mine) == "synthetic: the window's");
    CHECK(notes_of(both) == "synthetic: the other analyst's");
    CHECK_FALSE(w.frame());  // its own save is not news

    // A stale save: the other analyst commits between the window's edit and its save, with
    // no frame in between. The version check refuses the stale row (or the watch heard it
    // first); either way the other's value stays and the window asks.
    w.edit_notes(mine, "synthetic: the window's second");
    other.exec("UPDATE " + t + " SET notes = 'synthetic: the other''s second' WHERE "
               "event_id_cnty = " + other.literal(mine));
    w.s.save();
    w.s.poll_loading(true);
    CHECK(notes_of(mine) == "synthetic: the other's second");
    REQUIRE(w.s.state.conflicts.size() == 1);
    CHECK(w.s.state.conflicts[0].theirs->notes == "synthetic: the other's second");
    w.s.resolve_conflicts(/*keep_mine=*/true);
    w.s.save();
    CHECK(notes_of(mine) == "synthetic: the window's second");
    CHECK(one(other, "SELECT version FROM " + t + " WHERE event_id_cnty = " +
                         other.literal(mine)) == "4");  // the window's two saves and the other's update
}

TEST_CASE("stale: a write of a row read at an older version is refused with both values, and "
          "nothing of that write lands",
          "[pg][concurrent]") {
    const std::string url = url_with(fresh_schema("stale"));
    acled_workspace(url);
    auto ws = limes::geo::Workspace::open(url);
    auto rows = ws.incidents().read_all();
    REQUIRE(rows.size() == 8);
    CHECK(rows[0].version == 1);
    PgConnection other(parse_pg_target(url));
    other.exec("UPDATE " + other.table("incidents") + " SET fatalities = 7 WHERE fid = " +
               std::to_string(rows[0].fid));
    limes::core::Incident mine = rows[0];
    mine.notes = "synthetic: stale";
    try {
        auto w = ws.incidents().write();
        auto ok = rows[1];
        ok.notes = "synthetic: fine on its own";
        w->update(ok);
        w->update(mine);
        w->commit();
        FAIL("a stale row was written");
    } catch (const limes::geo::StaleRowError& e) {
        REQUIRE(e.theirs());
        CHECK(e.theirs()->version == 2);
        CHECK(e.theirs()->fatalities == 7);
        CHECK(e.mine().notes == "synthetic: stale");
        CHECK_THAT(e.what(), Catch::Contains("changed by someone else") &&
                                 Catch::Contains("fatalities '7' there"));
    }
    CHECK(ws.incidents().read(rows[1].fid)->notes == rows[1].notes);  // rolled back whole
    // A removal of a row changed since is refused the same way; of the current one, done.
    {
        auto w = ws.incidents().write();
        CHECK_THROWS_AS(w->remove(rows[0].fid, 1), limes::geo::StaleRowError);
    }
    {
        auto w = ws.incidents().write();
        w->remove(rows[0].fid, 2);
        w->commit();
    }
    CHECK_FALSE(ws.incidents().read(rows[0].fid));
}

TEST_CASE("save as: a role that may only read keeps its edits in a new GeoPackage, with the "
          "schema's basemap and claims, and the database is left as it was",
          "[pg]") {
    const std::string schema = fresh_schema("saveas");
    const std::string url = url_with(schema);
    REQUIRE(run_limes({"init", url}).code == 0);  // with the basemap layers
    REQUIRE(run_limes({"import", url, limes_test::data("acled_2023.csv")}).code == 0);
    REQUIRE(run_limes({"import", url, limes_test::data("claims.geojson")}).code == 0);
    PgConnection owner(parse_pg_target(url));
    const std::string reader = limes_test::make_reader(owner, schema);
    const std::string stored = one(owner, "SELECT count(*) FROM " + owner.table("incidents"));
    REQUIRE(stored == "8");

    const std::string copy = limes_test::scratch("pg-saveas", ".gpkg");
    {
        limes_test::Window w(url_with(schema, reader));
        auto& store = w.s.state.incidents;
        REQUIRE(store.live() == 8);
        const std::string edited = store.row(1).event_id_cnty;
        const std::string gone = store.row(2).event_id_cnty;
        w.edit_notes(edited, "synthetic: edited by a reader");
        w.s.state.remove(static_cast<std::size_t>(limes_test::row_of(w.s, gone)));
        limes::core::Incident added = store.row(0);
        added.event_id_cnty = "SYN-SAVEAS-1";
        added.notes = "synthetic: added by a reader";
        w.s.state.add(added);
        // A plain save is refused (the role may only read) and points here.
        CHECK_THROWS_WITH(w.s.save(), Catch::Contains("Save As"));
        // Someone deletes the edited row from the database meanwhile: the copy still keeps
        // the edit (this session's), as a row of its own.
        owner.exec("DELETE FROM " + owner.table("incidents") +
                   " WHERE event_id_cnty = " + owner.literal(edited));

        w.s.save_as(copy);
        CHECK_FALSE(w.s.state.dirty);
        CHECK(w.s.open_next == copy);  // the window goes on in the copy

        auto ws = limes::geo::Workspace::open(copy);
        const auto rows = ws.incidents().snapshot()->read_all();
        REQUIRE(rows.size() == 8);  // 8 - 1 removed + 1 added (the edited one kept)
        auto notes_of = [&](const std::string& id) -> std::string {
            for (const auto& r : rows)
                if (r.event_id_cnty == id) return r.notes;
            return "(absent)";
        };
        CHECK(notes_of(edited) == "synthetic: edited by a reader");
        CHECK(notes_of(gone) == "(absent)");
        CHECK(notes_of("SYN-SAVEAS-1") == "synthetic: added by a reader");
        CHECK(ws.read_claims().size() ==
              std::stoul(one(owner, "SELECT count(*) FROM " + owner.table("claims"))));
        CHECK(ws.has_layer("countries"));
        CHECK(ws.has_layer("provinces"));
        // The copy's audit is its own: the rows' inserts by this OS user, not the schema's.
        const auto history = ws.history(edited);
        REQUIRE(history.size() == 1);
        CHECK(history[0].action == "insert");
        CHECK(history[0].who != reader);
    }
    // The database: as it was, but for the owner's delete.
    CHECK(one(owner, "SELECT count(*) FROM " + owner.table("incidents")) == "7");
    CHECK(one(owner, "SELECT count(*) FROM " + owner.table("incidents") +
                         " WHERE notes LIKE '%reader%'") == "0");
    // A name that exists is refused, and nothing is left beside it (no staging folder).
    limes_test::Window again(url_with(schema, reader));
    CHECK_THROWS_WITH(again.s.save_as(copy), Catch::Contains("exists"));
    const std::filesystem::path folder = std::filesystem::path(copy).parent_path();
    const std::string stem = "." + std::filesystem::path(copy).filename().string() + ".limes-";
    for (const auto& e : std::filesystem::directory_iterator(folder))
        CHECK(e.path().filename().string().rfind(stem, 0) != 0);
    limes_test::drop_role(owner, reader);
}
