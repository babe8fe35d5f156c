// Plain SQLite views of a workspace for tests: what a file holds, read without limes' code.
#pragma once
#include <sqlite3.h>

#include <catch2/catch.hpp>
#include <string>
#include <vector>

namespace limes_test {

/** Rows of an SQL query on a file, every value as text ("NULL" for NULL). */
inline std::vector<std::vector<std::string>> query(const std::string& path,
                                                   const std::string& sql) {
    sqlite3* db = nullptr;
    REQUIRE(sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK);
    sqlite3_stmt* st = nullptr;
    INFO(sql);
    REQUIRE(sqlite3_prepare_v2(db, sql.c_str(), -1, &st, nullptr) == SQLITE_OK);
    std::vector<std::vector<std::string>> rows;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        std::vector<std::string> row;
        for (int c = 0; c < sqlite3_column_count(st); ++c) {
            if (sqlite3_column_type(st, c) == SQLITE_NULL) {
                row.emplace_back("NULL");
                continue;
            }
            const auto* p = static_cast<const char*>(sqlite3_column_blob(st, c));
            row.emplace_back(p ? std::string(p, sqlite3_column_bytes(st, c)) : std::string());
        }
        rows.push_back(std::move(row));
    }
    CHECK(rc == SQLITE_DONE);
    sqlite3_finalize(st);
    sqlite3_close(db);
    return rows;
}

/** Runs sql (statements without results) on a file, read-write; fails the test on an error. */
inline void sqlite_exec(const std::string& path, const std::string& sql) {
    sqlite3* db = nullptr;
    REQUIRE(sqlite3_open(path.c_str(), &db) == SQLITE_OK);
    INFO(sql);
    char* msg = nullptr;
    const int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &msg);
    INFO((msg ? msg : ""));
    sqlite3_free(msg);
    sqlite3_close(db);
    REQUIRE(rc == SQLITE_OK);
}

inline std::string query_one(const std::string& path, const std::string& sql) {
    const auto rows = query(path, sql);
    REQUIRE(rows.size() == 1);
    REQUIRE(rows[0].size() == 1);
    return rows[0][0];
}

/** The SQLite-level checks of a workspace's incidents table: the file's and its R-tree's
 *  integrity, one R-tree entry and a feature count of one per row. Returns the row count. */
inline std::string check_incidents_table(const std::string& path) {
    CHECK(query_one(path, "PRAGMA integrity_check") == "ok");
    CHECK(query_one(path, "SELECT rtreecheck('rtree_incidents_geom')") == "ok");
    const std::string rows = query_one(path, "SELECT count(*) FROM incidents");
    CHECK(query_one(path, "SELECT count(*) FROM rtree_incidents_geom") == rows);
    CHECK(query_one(path,
                    "SELECT feature_count FROM gpkg_ogr_contents WHERE table_name = 'incidents'") ==
          rows);
    return rows;
}

}  // namespace limes_test
