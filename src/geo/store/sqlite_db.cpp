#include "geo/store/sqlite_db.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "core/error.hpp"
#include "core/text.hpp"
#include "geo/formats/sqlite_guard.hpp"

namespace limes::geo {

namespace {

std::string folder_of(const std::string& path) {
    const std::size_t slash = path.rfind('/');
    if (slash == std::string::npos) return ".";
    return slash == 0 ? "/" : path.substr(0, slash);
}

// errno as words, lower case: "permission denied", "read-only file system".
std::string reason(int err) {
    return core::to_lower(std::strerror(err));
}

// The message of a failed statement, in plain words: SQLite's own text and never the SQL
// (internal), a read-only file or folder said as such.
[[noreturn]] void fail_plainly(sqlite3* db, const std::string& path) {
    const int code = sqlite3_extended_errcode(db);
    const std::string msg = sqlite3_errmsg(db);
    if ((code & 0xff) == SQLITE_READONLY || (code & 0xff) == SQLITE_PERM) {
        require_writable_file(path);  // throws, naming the file or the folder
        throw core::Error(core::ErrorKind::Io,
                          "the workspace " + path + " cannot be written (" + msg + ")");
    }
    if ((code & 0xff) == SQLITE_FULL) throw core::IoError(path, "the disk is full (" + msg + ")");
    throw core::IoError(path, "SQLite: " + msg);
}

}  // namespace

void require_writable_file(const std::string& path) {
    const std::string hint =
        "; limes cannot change it: copy it somewhere you can write, or "
        "import it into a new workspace (limes import NEW.gpkg " +
        path + ")";
    if (::access(path.c_str(), W_OK) != 0 && errno != ENOENT)
        throw core::Error(core::ErrorKind::Io,
                          "the workspace " + path + " is read-only (" + reason(errno) + ")" + hint);
    const std::string folder = folder_of(path);
    if (::access(folder.c_str(), W_OK) != 0)
        throw core::Error(core::ErrorKind::Io,
                          "the folder " + folder + " of the workspace " + path + " is read-only (" +
                              reason(errno) +
                              "): the database journal is written beside the workspace" + hint);
}

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
    guard_sqlite_connection(db_);  // an untrusted file: no foreign trigger or view runs here
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

SqliteDb::ShadowWrites::ShadowWrites(SqliteDb& db) : db_(db) {
    sqlite3_db_config(db_.handle(), SQLITE_DBCONFIG_DEFENSIVE, 0, nullptr);
}

SqliteDb::ShadowWrites::~ShadowWrites() {
    sqlite3_db_config(db_.handle(), SQLITE_DBCONFIG_DEFENSIVE, 1, nullptr);
}

SqliteDb::~SqliteDb() {
    sqlite3_close_v2(db_);
}

void SqliteDb::fail(const std::string& what) const {
    throw core::IoError(path_, what + ": " + sqlite3_errmsg(db_));
}

void SqliteDb::exec(const std::string& sql) {
    if (sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, nullptr) != SQLITE_OK)
        fail_plainly(db_, path_);
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
        fail_plainly(db.handle(), db.path());
}

SqliteStatement::~SqliteStatement() {
    sqlite3_finalize(stmt_);
}

bool SqliteStatement::step() {
    const int rc = sqlite3_step(stmt_);
    if (rc == SQLITE_ROW) return true;
    if (rc == SQLITE_DONE) return false;
    // sqlite3_reset returns the same error; the code and message are the connection's, read
    // before the reset.
    try {
        fail_plainly(db_->handle(), db_->path());
    } catch (...) {
        sqlite3_reset(stmt_);
        throw;
    }
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
