#pragma once
// SQLite's C API wrapped once, for the GeoPackage storage (geo/store/gpkg_incidents.hpp): an owned
// connection and owned prepared statements, every failure an IoError naming the database file
// and quoting SQLite's own message. Only src/geo sees sqlite3 types.
#include <sqlite3.h>

#include <cstdint>
#include <string>
#include <string_view>

namespace limes::geo {

class SqliteStatement;

/** Throws an I/O error (exit 4) in plain words when limes cannot write the GeoPackage at
 *  path: the file read-only, or its folder (where SQLite writes its journal) read-only;
 *  returns when both are writable. No SQL text reaches the user. */
void require_writable_file(const std::string& path);

/** One SQLite connection, closed by the destructor (statements must be gone by then: they are
 *  finalized by their own destructors, which run first when declared after the connection). */
class SqliteDb {
  public:
    enum class Mode { ReadOnly, ReadWrite };

    /** Opens an existing file (never creates one). Throws IoError naming path. */
    SqliteDb(const std::string& path, Mode mode);
    ~SqliteDb();
    SqliteDb(const SqliteDb&) = delete;
    SqliteDb& operator=(const SqliteDb&) = delete;

    /** Runs one or more statements that return no rows. Throws IoError. */
    void exec(const std::string& sql);
    SqliteStatement prepare(const std::string& sql);
    /** True when sqlite_master has an object of this type ("table", "trigger") and name. */
    bool has_object(std::string_view type, std::string_view name);

    /** SQLite's defensive mode is on for every connection (geo/formats/sqlite_guard.hpp);
     *  the R-tree bulk load turns it off while it writes the index's shadow tables. */
    class ShadowWrites {
      public:
        explicit ShadowWrites(SqliteDb& db);
        ~ShadowWrites();
        ShadowWrites(const ShadowWrites&) = delete;
        ShadowWrites& operator=(const ShadowWrites&) = delete;

      private:
        SqliteDb& db_;
    };

    sqlite3* handle() const { return db_; }
    const std::string& path() const { return path_; }
    /** IoError text: "what: SQLite's message". */
    [[noreturn]] void fail(const std::string& what) const;

  private:
    std::string path_;
    sqlite3* db_ = nullptr;
};

/** Text of a value (empty for NULL), valid while the value is: text first, then its length,
 *  as SQLite asks (the length of the text the first call made). */
inline std::string_view sqlite_text(sqlite3_value* v) {
    const auto* p = reinterpret_cast<const char*>(sqlite3_value_text(v));
    return p ? std::string_view(p, static_cast<std::size_t>(sqlite3_value_bytes(v)))
             : std::string_view();
}

/** A prepared statement, finalized by the destructor. Column and parameter indexes follow
 *  SQLite: bind() counts from 1, column_*() from 0. */
class SqliteStatement {
  public:
    SqliteStatement(SqliteDb& db, const std::string& sql);
    ~SqliteStatement();
    SqliteStatement(SqliteStatement&& o) noexcept : db_(o.db_), stmt_(o.stmt_) {
        o.stmt_ = nullptr;
    }
    SqliteStatement(const SqliteStatement&) = delete;
    SqliteStatement& operator=(const SqliteStatement&) = delete;

    /** One step: true while a row is available, false when done. Throws IoError. */
    bool step();
    /** Runs to completion (for statements that return no rows) and resets. */
    void run();
    void reset() { sqlite3_reset(stmt_); }

    // Binding: the text and blob must stay alive until the next step() (SQLITE_STATIC).
    void bind_null(int i) { check(sqlite3_bind_null(stmt_, i)); }
    void bind(int i, std::int64_t v) { check(sqlite3_bind_int64(stmt_, i, v)); }
    void bind(int i, double v) { check(sqlite3_bind_double(stmt_, i, v)); }
    void bind_text(int i, std::string_view s) {
        check(sqlite3_bind_text(stmt_, i, s.data(), static_cast<int>(s.size()), SQLITE_STATIC));
    }
    void bind_blob(int i, const void* p, std::size_t n) {
        check(sqlite3_bind_blob(stmt_, i, p, static_cast<int>(n), SQLITE_STATIC));
    }

    /** Column c's value, read with sqlite3_value_*(): one call into the statement a column
     *  where the column_*() functions take two (type then number, text then length), each
     *  with the statement's entry and exit work; a pass over millions of rows reads eight
     *  columns a row. Valid until the next step(). SQLite calls it "unprotected" (no
     *  connection mutex is taken when it is read): read it on the thread that steps, as limes
     *  uses each connection on one thread. */
    sqlite3_value* value(int c) const { return sqlite3_column_value(stmt_, c); }
    bool is_null(int c) const { return sqlite3_column_type(stmt_, c) == SQLITE_NULL; }
    std::int64_t column_int64(int c) const { return sqlite3_column_int64(stmt_, c); }
    double column_double(int c) const { return sqlite3_column_double(stmt_, c); }
    /** Text of a column (empty for NULL); valid until the next step(). */
    std::string_view column_text(int c) const { return sqlite_text(value(c)); }
    /** Text of a column, nullptr for NULL; with column_bytes() for its length. */
    const char* column_text_or_null(int c) const {
        return reinterpret_cast<const char*>(sqlite3_column_text(stmt_, c));
    }
    std::size_t column_bytes(int c) const {
        return static_cast<std::size_t>(sqlite3_column_bytes(stmt_, c));
    }
    /** Blob bytes of a column (nullptr, 0 for NULL); valid until the next step(). */
    const unsigned char* column_blob(int c, std::size_t& size) const {
        const auto* p = static_cast<const unsigned char*>(sqlite3_column_blob(stmt_, c));
        size = static_cast<std::size_t>(sqlite3_column_bytes(stmt_, c));
        return p;
    }

  private:
    void check(int rc) {
        if (rc != SQLITE_OK) db_->fail("binding a parameter");
    }
    SqliteDb* db_;
    sqlite3_stmt* stmt_ = nullptr;
};

/** A crash in the middle of a write (a save, an import) leaves a hot journal beside the file,
 *  "<path>-journal". SQLite rolls it back at the next read, but only through a connection that
 *  may write: a read-only open (limes info, the window, GDAL in read mode) fails with "attempt
 *  to write a readonly database" instead. This rolls it back first: opens path read-write,
 *  when the file allows it, and reads the schema. Does nothing without a journal; never throws
 *  (a file it cannot mend is left for the open that follows to report). */
void roll_back_hot_journal(const std::string& path);

/** "name" quoted as an SQL identifier (double quotes, inner quotes doubled). */
std::string sql_identifier(std::string_view name);
/** 'text' quoted as an SQL string literal. */
std::string sql_literal(std::string_view text);

}  // namespace limes::geo
