#pragma once
// PostgreSQL's C API (libpq) wrapped once, for the PostGIS workspace (issue 16): a target
// parsed from what the user typed, an owned connection, owned results, a transaction guard and
// COPY FROM STDIN and TO STDOUT. Every failure is a core::Error naming the workspace as the user typed it,
// password masked, and quoting the server's message; the SQLSTATE decides the kind:
//   42501 insufficient_privilege (a role that may not write, or read, this)  -> IoError,
//   exit 4, naming the role and whether a write or a read was refused;
//   25006 read_only_sql_transaction (a replica, default_transaction_read_only) -> IoError,
//   exit 4, "this server takes no writes";
//   23xxx integrity constraint violations                          -> DataError, exit 3;
//   anything else, and a connection that cannot be made            -> IoError, exit 4.
// Only src/geo/store sees libpq types.
#include <libpq-fe.h>

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace limes::geo {

/** The sentence of a write refused because the server takes none (a read replica, or
 *  default_transaction_read_only), why in brackets: for PgConnection::fail (SQLSTATE 25006)
 *  and for Workspace::require_writable's check before anything is written. */
std::string server_takes_no_writes(const std::string& why);

/** A PostgreSQL workspace as typed: a libpq URI ("postgresql://user@host:5432/db",
 *  "postgres://…") or GDAL's form ("PG:dbname=db host=… user=…"), either with an optional
 *  schema ("?schema=team" in a URI, "schema=team" in the PG: form; GDAL's "active_schema="
 *  and "schemas=team" too). limes' tables live in that schema (default "public"). */
struct PgTarget {
    std::string conninfo;  ///< what libpq gets: the URI or key=value string, schema removed
    std::string schema = "public";
    std::string display;  ///< as typed, any password replaced by "***": for every message
};

/** Whether a workspace argument names a PostgreSQL database rather than a file. */
bool is_pg_workspace(const std::string& text);
/** Splits the schema off; UsageError (exit 2) naming the text when it is neither form, or
 *  the schema is empty. */
PgTarget parse_pg_target(const std::string& text);

/** The target as GDAL's PostgreSQL driver takes it: "PG:key='value' …" (a URI expanded by
 *  libpq's own parser, so both forms mean the same server), with the connect timeout and
 *  application name limes' own connections have. The schema goes as an open option. Holds
 *  any password: never for a message. */
std::string gdal_pg_connection(const PgTarget& target);

class PgConnection;

/** One result, cleared by the destructor. Values are text (libpq's text format). */
class PgResult {
  public:
    PgResult() = default;
    explicit PgResult(PGresult* r) : r_(r) {}
    ~PgResult() { PQclear(r_); }
    PgResult(PgResult&& o) noexcept : r_(o.r_) { o.r_ = nullptr; }
    PgResult& operator=(PgResult&& o) noexcept;
    PgResult(const PgResult&) = delete;
    PgResult& operator=(const PgResult&) = delete;

    int rows() const { return r_ ? PQntuples(r_) : 0; }
    int columns() const { return r_ ? PQnfields(r_) : 0; }
    bool is_null(int row, int column) const { return PQgetisnull(r_, row, column) != 0; }
    std::string_view text(int row, int column) const {
        return {PQgetvalue(r_, row, column),
                static_cast<std::size_t>(PQgetlength(r_, row, column))};
    }
    /** The rows a command touched (UPDATE, DELETE, INSERT), 0 when it does not say. */
    long long affected() const;
    PGresult* get() const { return r_; }

  private:
    PGresult* r_ = nullptr;
};

/** A parameter of exec(): text, or SQL NULL. */
using PgParam = std::optional<std::string>;

/** One connection, closed by the destructor. Not for two threads at once. */
class PgConnection {
  public:
    /** Connects (10 s timeout unless the target says otherwise; application_name "limes";
     *  client encoding UTF8). Throws IoError naming target.display with libpq's reason. */
    explicit PgConnection(PgTarget target);
    ~PgConnection();
    PgConnection(const PgConnection&) = delete;
    PgConnection& operator=(const PgConnection&) = delete;

    /** Runs one or more statements (no parameters); the last one's result. Throws (see the
     *  header) with what as the context: "what: server message". */
    PgResult exec(const std::string& sql, const std::string& what = "");
    /** One statement with $1… parameters sent as text. */
    PgResult exec(const std::string& sql, const std::vector<PgParam>& params,
                  const std::string& what = "");
    /** COPY … FROM STDIN: sends the chunks produce() fills (false: no more) in COPY's text
     *  format; returns the rows copied. On a failure the COPY is ended with an error and the
     *  server's reason thrown. */
    long long copy_in(const std::string& copy_sql,
                      const std::function<bool(std::string& chunk)>& produce,
                      const std::string& what = "");

    /** "schema"."name", each part escaped by libpq. */
    std::string table(std::string_view name) const;
    /** An identifier escaped by libpq ("a""b"). */
    std::string identifier(std::string_view name) const;
    /** A string literal escaped by libpq ('it''s'). */
    std::string literal(std::string_view text) const;

    const PgTarget& target() const { return target_; }
    /** The role this connection acts as (current_user). */
    const std::string& role() const { return role_; }
    PGconn* handle() const { return conn_; }

    /** Throws the error for a failed result: kind from its SQLSTATE (see the header);
     *  reading: the statement only read (a refused permission is then a read refused). */
    [[noreturn]] void fail(const PGresult* result, const std::string& what,
                           bool reading = false) const;

  private:
    friend class PgTransaction;
    /** Where a PgTransaction stands, for fail() to say what a broken connection left. */
    enum class Tx { None, Open, Committing };

    PgTarget target_;
    PGconn* conn_ = nullptr;
    std::string role_;
    Tx tx_ = Tx::None;
};

/** COPY … TO STDOUT, read a row at a time (PQgetCopyData: one CopyData message, one row;
 *  a binary COPY's first row carries the file header). The server streams the rows into
 *  the socket while the caller decodes: no round trip per batch, no PGresult built per row.
 *  Left before the end, the connection is still in COPY mode: close it (as PgCursor does). */
class PgCopyOut {
  public:
    /** Starts copy_sql; throws as PgConnection::exec, with what as the context. */
    PgCopyOut(PgConnection& db, const std::string& copy_sql, std::string what);
    ~PgCopyOut();
    PgCopyOut(const PgCopyOut&) = delete;
    PgCopyOut& operator=(const PgCopyOut&) = delete;

    /** The next row's bytes, valid until the next call; false at the end, when the COPY's
     *  result has been read (a failure on the way is thrown with the server's reason). */
    bool next(std::string_view& row);

  private:
    PgConnection& db_;
    std::string what_;
    char* row_ = nullptr;  // libpq's buffer of the last row (PQfreemem)
    bool done_ = false;
};

/** BEGIN in the constructor; ROLLBACK in the destructor unless commit() ran, so an exception
 *  leaves the database as it was. */
class PgTransaction {
  public:
    explicit PgTransaction(PgConnection& db);
    ~PgTransaction();
    PgTransaction(const PgTransaction&) = delete;
    PgTransaction& operator=(const PgTransaction&) = delete;
    void commit();

  private:
    PgConnection& db_;
    bool open_ = true;
};

}  // namespace limes::geo
