// The private cluster of the PostGIS tests (tests/pg/pg_cluster.sh, ctest fixture "pg").
#pragma once
#include <catch2/catch.hpp>
#include <unistd.h>

#include <algorithm>
#include <fstream>
#include <string>
#include <vector>

#include "core/incident.hpp"
#include "geo/store/incident_table.hpp"
#include "geo/store/pg_db.hpp"

namespace limes_test {

/** The cluster's URI ("postgresql://limes@/limes_test?host=/tmp/limes-pg.X"); a schema is
 *  added with "&schema=NAME". */
inline std::string cluster_url() {
    std::ifstream in(std::string(LIMES_TEST_PG_STATE) + "/url");
    std::string url;
    std::getline(in, url);
    REQUIRE(!url.empty());
    return url;
}

/** The cluster server's log (pg_cluster.sh: pg_ctl -l in the cluster's folder). */
inline std::string cluster_log() {
    std::ifstream in(std::string(LIMES_TEST_PG_STATE) + "/cluster");
    std::string dir;
    std::getline(in, dir);
    REQUIRE(!dir.empty());
    return dir + "/server.log";
}

/** A schema name no other test case (or run) uses. */
inline std::string fresh_schema(const std::string& stem) {
    static int counter = 0;
    return stem + "_" + std::to_string(::getpid()) + "_" + std::to_string(++counter);
}

/** The cluster's URI with a schema, as user (the cluster's "limes" when empty). */
inline std::string url_with(const std::string& schema, const std::string& user = "") {
    std::string url = cluster_url() + "&schema=" + schema;
    if (!user.empty()) url.replace(url.find("limes@"), 6, user + "@");
    return url;
}

/** A database of its own on the cluster, with a schema's URL into it, dropped (connections
 *  and all) when this goes: for a case that must not see the other cases' transactions (a
 *  VACUUM's horizon of visible rows is per database). */
struct OwnDatabase {
    std::string name, url;
    OwnDatabase(const std::string& stem, const std::string& schema)
        : name(fresh_schema(stem)), url(cluster_url()) {
        limes::geo::PgConnection admin(limes::geo::parse_pg_target(url));
        admin.exec("CREATE DATABASE " + admin.identifier(name));
        url.replace(url.find("/limes_test?"), 12, "/" + name + "?");
        url += "&schema=" + schema;
    }
    ~OwnDatabase() {
        try {
            limes::geo::PgConnection admin(limes::geo::parse_pg_target(cluster_url()));
            admin.exec("DROP DATABASE IF EXISTS " + admin.identifier(name) + " WITH (FORCE)");
        } catch (...) {  // the cluster goes at the end of the run anyway
        }
    }
    OwnDatabase(const OwnDatabase&) = delete;
    OwnDatabase& operator=(const OwnDatabase&) = delete;
};

/** A login role that may read the schema's tables and nothing more ("reader_SCHEMA"); dropped
 *  again by drop_role. */
inline std::string make_reader(limes::geo::PgConnection& owner, const std::string& schema) {
    const std::string reader = "reader_" + schema;
    owner.exec("CREATE ROLE " + owner.identifier(reader) + " LOGIN");
    owner.exec("GRANT USAGE ON SCHEMA " + owner.identifier(schema) + " TO " +
               owner.identifier(reader));
    owner.exec("GRANT SELECT ON ALL TABLES IN SCHEMA " + owner.identifier(schema) + " TO " +
               owner.identifier(reader));
    return reader;
}

inline void drop_role(limes::geo::PgConnection& owner, const std::string& role) {
    owner.exec("REASSIGN OWNED BY " + owner.identifier(role) + " TO limes; DROP OWNED BY " +
               owner.identifier(role) + "; DROP ROLE " + owner.identifier(role));
}

/** SYNTHETIC incidents with ids "BULK-<tag>-<i>", spread over the region: a grid of 300
 *  columns 0.01 degrees apart, rows 0.005 apart from 44 E 38.5 N; dates in 2023, every day of
 *  month 1-28 of each month in turn. */
inline std::vector<limes::core::Incident> synthetic(int n, const std::string& tag) {
    std::vector<limes::core::Incident> out(static_cast<std::size_t>(n));
    for (int i = 0; i < n; ++i) {
        out[i].lon = 44.0 + (i % 300) * 0.01;
        out[i].lat = 38.5 + (i / 300) * 0.005;
        out[i].event_date = limes::core::Date::from_ymd(2023, 1 + i % 12, 1 + i % 28);
        out[i].event_id_cnty = "BULK-" + tag + "-" + std::to_string(i);
        out[i].notes = "SYNTHETIC";
    }
    return out;
}

/** Appends the rows in the importer's batches of 4,096, through the duplicate check. */
inline void append_all(limes::geo::IncidentWriter& w, std::vector<limes::core::Incident>& rows) {
    auto check = w.duplicate_check(rows.size());
    for (std::size_t at = 0; at < rows.size(); at += 4096)
        w.append(rows.data() + at, std::min<std::size_t>(4096, rows.size() - at));
}

/** The one value of a query that returns one row. */
inline std::string one(limes::geo::PgConnection& db, const std::string& sql) {
    auto r = db.exec(sql);
    REQUIRE(r.rows() == 1);
    return std::string(r.text(0, 0));
}

}  // namespace limes_test
