#include "geo/store/sqlite_db.hpp"

#include <sys/stat.h>

#include "core/error.hpp"

namespace limes::geo {

SqliteDb::SqliteDb(const std::string& path, Mode mode) : path_(path) {
    // NOMUTEX: a connection is used by one thread at a time, so SQLite need not lock it per call.
    const int flags = (mode == Mode::ReadOnly ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE) |
                      SQLITE_OPEN_NOMUTEX;
    const int rc = sqlite3_open_v2(path.c_str(), &db_, flags, nullptr);
    if (rc != SQLITE_OK) {
        const std::string msg = db_ ? sqlite3_errmsg(db_) : sqlite3_errstr(rc);
        sqlite3_close_v2(db_);
        db_ = nullptr;
        throw core::IoError(path, "cannot open as SQLite: " + msg);
    }
    sqlite3_extended_result_codes(db_, 1);
    // Another process (QGIS, a second limes) may hold the file for a moment.
    sqlite3_busy_timeout(db_, 10000);
}

void roll_back_hot_journal(const std::string& path) {
    struct stat st {};
    if (::stat((path + "-journal").c_str(), &st) != 0 || st.st_size == 0) return;
    sqlite3* db = nullptr;
    if (sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE, nullptr) == SQLITE_OK) {
        sqlite3_busy_timeout(db, 10000);
        // Any read takes the shared lock, finds the journal hot, and plays it back.
        sqlite3_exec(db, "SELECT count(*) FROM sqlite_master", nullptr, nullptr, nullptr);
    }
    sqlite3_close_v2(db);
}

SqliteDb::~SqliteDb() {
    sqlite3_close_v2(db_);
}

void SqliteDb::fail(const std::string& what) const {
    throw core::IoError(path_, what + ": " + sqlite3_errmsg(db_));
}

void SqliteDb::exec(const std::string& sql) {
    char* err = nullptr;
    if (sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &err) != SQLITE_OK) {
        const std::string msg = err ? err : sqlite3_errmsg(db_);
        sqlite3_free(err);
        throw core::IoError(path_, "SQL '" + sql.substr(0, 200) + "': " + msg);
    }
}

SqliteStatement SqliteDb::prepare(const std::string& sql) {
    return SqliteStatement(*this, sql);
}

bool SqliteDb::has_object(std::string_view type, std::string_view name) {
    SqliteStatement q(*this, "SELECT 1 FROM sqlite_master WHERE type = ?1 AND name = ?2");
    q.bind_text(1, type);
    q.bind_text(2, name);
    return q.step();
}

SqliteStatement::SqliteStatement(SqliteDb& db, const std::string& sql) : db_(&db) {
    if (sqlite3_prepare_v2(db.handle(), sql.c_str(), static_cast<int>(sql.size()), &stmt_,
                           nullptr) != SQLITE_OK)
        db.fail("SQL '" + sql.substr(0, 200) + "'");
}

SqliteStatement::~SqliteStatement() {
    sqlite3_finalize(stmt_);
}

bool SqliteStatement::step() {
    const int rc = sqlite3_step(stmt_);
    if (rc == SQLITE_ROW) return true;
    if (rc == SQLITE_DONE) return false;
    // sqlite3_reset returns the same error; the message is the connection's.
    const std::string msg = sqlite3_errmsg(db_->handle());
    sqlite3_reset(stmt_);
    throw core::IoError(db_->path(), std::string("SQL '") + sqlite3_sql(stmt_) + "': " + msg);
}

void SqliteStatement::run() {
    while (step()) {
    }
    sqlite3_reset(stmt_);
}

namespace {

/** text between two quote characters, each quote inside doubled (SQL's escape). */
std::string quoted(std::string_view text, char quote) {
    std::string out(1, quote);
    for (char c : text) {
        if (c == quote) out += quote;
        out += c;
    }
    return out + quote;
}

}  // namespace

std::string sql_identifier(std::string_view name) {
    return quoted(name, '"');
}

std::string sql_literal(std::string_view text) {
    return quoted(text, '\'');
}

}  // namespace limes::geo
