// The private cluster of the PostGIS tests (tests/pg/pg_cluster.sh, ctest fixture "pg").
#pragma once
#include <catch2/catch.hpp>
#include <unistd.h>

#include <fstream>
#include <string>

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

/** The one value of a query that returns one row. */
inline std::string one(limes::geo::PgConnection& db, const std::string& sql) {
    auto r = db.exec(sql);
    REQUIRE(r.rows() == 1);
    return std::string(r.text(0, 0));
}

}  // namespace limes_test
