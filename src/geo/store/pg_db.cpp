#include "geo/store/pg_db.hpp"

#include <cctype>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <memory>
#include <utility>

#include "core/error.hpp"
#include "core/text.hpp"

namespace limes::geo {
namespace {

bool starts_with_ci(std::string_view s, std::string_view prefix) {
    return s.size() >= prefix.size() && core::iequals(s.substr(0, prefix.size()), prefix);
}

bool is_uri(std::string_view s) {
    return starts_with_ci(s, "postgresql://") || starts_with_ci(s, "postgres://");
}

int hex_value(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

/** %XX decoded (a URI's query value); a malformed escape stays as it is. */
std::string percent_decode(std::string_view s) {
    std::string out;
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (s[i] == '%' && i + 2 < s.size() && hex_value(s[i + 1]) >= 0 &&
            hex_value(s[i + 2]) >= 0) {
            out += static_cast<char>(hex_value(s[i + 1]) * 16 + hex_value(s[i + 2]));
            i += 2;
        } else {
            out += s[i];
        }
    }
    return out;
}

/** A URI with the password of its user info and any password= parameter masked. */
std::string mask_uri(std::string_view uri) {
    std::string out(uri);
    const std::size_t start = out.find("://") + 3;
    const std::size_t end = out.find_first_of("/?", start);
    const std::size_t at = out.rfind('@', end == std::string::npos ? out.size() : end);
    if (at != std::string::npos && at >= start) {
        const std::size_t colon = out.find(':', start);
        if (colon != std::string::npos && colon < at) out.replace(colon + 1, at - colon - 1, "***");
    }
    for (std::size_t p = out.find("password="); p != std::string::npos;
         p = out.find("password=", p + 1)) {
        if (p == 0 || (out[p - 1] != '?' && out[p - 1] != '&')) continue;
        const std::size_t v = p + 9, e = out.find('&', v);
        out.replace(v, (e == std::string::npos ? out.size() : e) - v, "***");
    }
    return out;
}

PgTarget parse_uri(const std::string& text) {
    PgTarget t;
    t.display = mask_uri(text);
    const std::size_t q = text.find('?');
    t.conninfo = text.substr(0, q);
    if (q == std::string::npos) return t;
    std::string kept;
    std::size_t from = q + 1;
    while (from <= text.size()) {
        std::size_t amp = text.find('&', from);
        if (amp == std::string::npos) amp = text.size();
        const std::string_view param(text.data() + from, amp - from);
        if (starts_with_ci(param, "schema=")) {
            t.schema = percent_decode(param.substr(7));
        } else if (!param.empty()) {
            kept += kept.empty() ? "?" : "&";
            kept += param;
        }
        from = amp + 1;
    }
    t.conninfo += kept;
    return t;
}

/** GDAL's "PG:key=value key='quoted value' …": the pairs as typed, schema=, active_schema=
 *  and schemas= taken out. As GDAL's PostgreSQL driver reads them: active_schema= names the
 *  schema; else schemas= listing one schema makes it the active one. limes works in one
 *  schema, so a schemas= list of several without active_schema= is a UsageError (GDAL would
 *  write to "public" then, which is seldom what a team meant). */
PgTarget parse_pg_colon(const std::string& text) {
    PgTarget t;
    const std::string body = text.substr(3);
    std::string conninfo, display, schemas;
    bool active = false;
    std::size_t i = 0;
    while (i < body.size()) {
        while (i < body.size() && std::isspace(static_cast<unsigned char>(body[i]))) ++i;
        if (i >= body.size()) break;
        const std::size_t key_start = i;
        while (i < body.size() && body[i] != '=' &&
               !std::isspace(static_cast<unsigned char>(body[i])))
            ++i;
        const std::string key = core::to_lower(body.substr(key_start, i - key_start));
        while (i < body.size() && std::isspace(static_cast<unsigned char>(body[i]))) ++i;
        if (i >= body.size() || body[i] != '=')
            throw core::UsageError("PG:" + display + ": expected key=value after '" + key +
                                   "' (libpq's connection string form)");
        ++i;
        while (i < body.size() && std::isspace(static_cast<unsigned char>(body[i]))) ++i;
        std::string value;
        if (i < body.size() && body[i] == '\'') {
            for (++i; i < body.size() && body[i] != '\''; ++i) {
                if (body[i] == '\\' && i + 1 < body.size()) ++i;
                value += body[i];
            }
            if (i >= body.size())
                throw core::UsageError("PG:" + display + ": unterminated quote in " + key);
            ++i;
        } else {
            while (i < body.size() && !std::isspace(static_cast<unsigned char>(body[i])))
                value += body[i++];
        }
        const std::string raw = body.substr(key_start, i - key_start);
        if (key == "schema" || key == "active_schema") {
            t.schema = value;
            active = true;
        } else if (key == "schemas") {
            schemas = value;
        } else {
            conninfo += (conninfo.empty() ? "" : " ") + raw;
        }
        display += (display.empty() ? "" : " ") + (key == "password" ? "password=***" : raw);
    }
    t.conninfo = conninfo;
    t.display = "PG:" + display;
    if (!active && !schemas.empty()) {
        if (schemas.find(',') != std::string::npos)
            throw core::UsageError(t.display + ": schemas= lists several schemas; name the one "
                                               "limes works in with active_schema=NAME");
        t.schema = schemas;
    }
    return t;
}

std::string trimmed(const char* s) {
    return s ? std::string(core::trim(s)) : std::string();
}

/** Whether a statement's result says it ran (a command, or rows). */
bool succeeded(const PgResult& r) {
    const ExecStatusType s = r.get() ? PQresultStatus(r.get()) : PGRES_FATAL_ERROR;
    return s == PGRES_COMMAND_OK || s == PGRES_TUPLES_OK;
}

/** What libpq escaped, as a string; its buffer freed. Null (out of memory, bad encoding):
 *  IoError with libpq's reason. */
std::string take_escaped(char* q, PGconn* conn, const std::string& display) {
    if (!q) throw core::IoError(display, trimmed(PQerrorMessage(conn)));
    std::string out(q);
    PQfreemem(q);
    return out;
}

}  // namespace

bool is_pg_workspace(const std::string& text) {
    return is_uri(text) || starts_with_ci(text, "PG:");
}

namespace {

using ConninfoOptions = std::unique_ptr<PQconninfoOption, void (*)(PQconninfoOption*)>;

/** libpq's reading of the target's connection string (a URI or key=value); UsageError with
 *  libpq's own words when it cannot read it. */
ConninfoOptions parsed_conninfo(const PgTarget& t) {
    char* err = nullptr;
    ConninfoOptions options(PQconninfoParse(t.conninfo.c_str(), &err), PQconninfoFree);
    if (!options) {
        const std::string why = err ? trimmed(err) : "out of memory";
        PQfreemem(err);
        throw core::UsageError(t.display + ": not a connection string libpq reads: " + why);
    }
    return options;
}

}  // namespace

PgTarget parse_pg_target(const std::string& text) {
    if (!is_pg_workspace(text))
        throw core::UsageError(text + ": not a PostgreSQL workspace (postgresql://… or PG:…)");
    PgTarget t = is_uri(text) ? parse_uri(text) : parse_pg_colon(text);
    if (t.schema.empty())
        throw core::UsageError(t.display + ": the schema is empty (schema=NAME, or leave it "
                                           "out for \"public\")");
    parsed_conninfo(t);  // libpq reads the rest; a malformed string is its to report
    return t;
}

std::string gdal_pg_connection(const PgTarget& target) {
    const ConninfoOptions parsed = parsed_conninfo(target);
    PQconninfoOption* options = parsed.get();
    // key='value', with ' and \ escaped as libpq's key=value syntax wants.
    auto quoted = [](const char* v) {
        std::string q = "'";
        for (const char* c = v; *c; ++c) {
            if (*c == '\'' || *c == '\\') q += '\\';
            q += *c;
        }
        return q + "'";
    };
    std::string out = "PG:";
    bool timeout = false, application = false;
    for (PQconninfoOption* o = options; o->keyword; ++o) {
        if (!o->val || !*o->val) continue;
        const std::string key = o->keyword;
        timeout |= key == "connect_timeout";
        application |= key == "application_name" || key == "fallback_application_name";
        out += key + "=" + quoted(o->val) + " ";
    }
    if (!timeout) out += "connect_timeout='10' ";
    if (!application) out += "application_name='limes' ";
    out.pop_back();
    return out;
}

PgResult& PgResult::operator=(PgResult&& o) noexcept {
    if (this != &o) {
        PQclear(r_);
        r_ = o.r_;
        o.r_ = nullptr;
    }
    return *this;
}

long long PgResult::affected() const {
    const char* n = r_ ? PQcmdTuples(r_) : nullptr;
    return n && *n ? std::strtoll(n, nullptr, 10) : 0;
}

PgConnection::PgConnection(PgTarget target) : target_(std::move(target)) {
    // Keywords before "dbname" are defaults the expanded string may override; none after it.
    const char* keywords[] = {"connect_timeout", "fallback_application_name", "client_encoding",
                              "dbname", nullptr};
    const char* values[] = {"10", "limes", "UTF8", target_.conninfo.c_str(), nullptr};
    conn_ = PQconnectdbParams(keywords, values, /*expand_dbname=*/1);
    if (!conn_) throw core::IoError(target_.display, "cannot connect: out of memory");
    if (PQstatus(conn_) != CONNECTION_OK) {
        const std::string why = trimmed(PQerrorMessage(conn_));
        PQfinish(conn_);
        conn_ = nullptr;
        throw core::IoError(target_.display, "cannot connect to PostgreSQL: " + why);
    }
    // The server's notices ("relation … already exists, skipping" from init's IF NOT
    // EXISTS) are not the user's business; libpq would print each on stderr.
    PQsetNoticeProcessor(
        conn_, [](void*, const char*) {}, nullptr);
    PgResult r = exec("SELECT current_user", "who am I");
    role_ = std::string(r.text(0, 0));
}

PgConnection::~PgConnection() {
    PQfinish(conn_);
}

std::string server_takes_no_writes(const std::string& why) {
    return "this server takes no writes (" + why +
           "): a read replica, or read-only transactions; view, render and export work; write "
           "to the primary server";
}

namespace {

/** Whether a statement only reads (SELECT, SHOW, EXPLAIN, a COPY of a query TO STDOUT, a WITH
 *  query that changes nothing): a permission refused to it is a read refused, and the role's
 *  writes are not in question. */
bool only_reads(std::string_view sql) {
    const std::string head = core::to_lower(std::string(core::trim(sql.substr(0, 400))));
    auto starts = [&](const char* w) { return head.rfind(w, 0) == 0; };
    if (starts("select") || starts("show") || starts("explain") || starts("copy (")) return true;
    if (!starts("with")) return false;
    const std::string all = core::to_lower(std::string(sql));
    return all.find("insert ") == std::string::npos && all.find("update ") == std::string::npos &&
           all.find("delete ") == std::string::npos;
}

}  // namespace

void PgConnection::fail(const PGresult* result, const std::string& what, bool reading) const {
    const char* state = result ? PQresultErrorField(result, PG_DIAG_SQLSTATE) : nullptr;
    const std::string code = state ? state : "";
    std::string message =
        result ? trimmed(PQresultErrorField(result, PG_DIAG_MESSAGE_PRIMARY)) : std::string();
    if (message.empty()) {
        // No result with the server's fields (the connection broke): libpq's own text, whose
        // first line is the reason ("FATAL:  terminating connection due to administrator
        // command"); the CONTEXT and "server closed the connection unexpectedly … This
        // probably means" lines after it say the same at more length.
        message = trimmed(PQerrorMessage(conn_));
        message = trimmed(message.substr(0, message.find('\n')).c_str());
    }
    const std::string context = what.empty() ? "" : what + ": ";
    // The connection itself broke (the server restarted, the network went, an administrator
    // ended the session): what it leaves is the transaction's state, which the user must
    // know before anything else. Before the COMMIT the server has rolled it all back; during
    // the COMMIT it may have stored it or not, and only the database can say.
    if (PQstatus(conn_) == CONNECTION_BAD && tx_ == Tx::Open)
        message += "; the connection broke before the commit: the server rolls the "
                   "transaction back: nothing of this write is stored";
    else if (PQstatus(conn_) == CONNECTION_BAD && tx_ == Tx::Committing)
        message += "; the connection broke during the commit: whether this write was stored "
                   "cannot be known here; look at the workspace (limes info, limes history)";
    if (code == "25006")  // a standby, or default_transaction_read_only: the role is not at fault
        throw core::IoError(target_.display, context + server_takes_no_writes(message));
    if (code == "42501" && reading)
        throw core::IoError(target_.display,
                            context + "the database does not let role \"" + role_ +
                                "\" read this (" + message +
                                "); ask the database's owner for SELECT on limes' tables "
                                "(docs/SCALING.md, \"Roles\")");
    if (code == "42501")
        throw core::IoError(target_.display,
                            context + "the database does not let role \"" + role_ +
                                "\" write here (" + message +
                                "); it may view, render and export; to write, ask the "
                                "database's owner for INSERT/UPDATE/DELETE on limes' tables");
    if (code.compare(0, 2, "23") == 0)
        throw core::DataError(core::Location{target_.display, -1, ""}, context + message);
    throw core::IoError(target_.display, context + message);
}

PgResult PgConnection::exec(const std::string& sql, const std::string& what) {
    PgResult r(PQexec(conn_, sql.c_str()));
    if (!succeeded(r)) fail(r.get(), what, only_reads(sql));
    return r;
}

PgResult PgConnection::exec(const std::string& sql, const std::vector<PgParam>& params,
                            const std::string& what) {
    std::vector<const char*> values;
    values.reserve(params.size());
    for (const auto& p : params) values.push_back(p ? p->c_str() : nullptr);
    PgResult r(PQexecParams(conn_, sql.c_str(), static_cast<int>(values.size()), nullptr,
                            values.data(), nullptr, nullptr, /*resultFormat=*/0));
    if (!succeeded(r)) fail(r.get(), what, only_reads(sql));
    return r;
}

long long PgConnection::copy_in(const std::string& copy_sql,
                                const std::function<bool(std::string& chunk)>& produce,
                                const std::string& what) {
    {
        PgResult start(PQexec(conn_, copy_sql.c_str()));
        if (!start.get() || PQresultStatus(start.get()) != PGRES_COPY_IN) fail(start.get(), what);
    }
    // Whatever happens, the COPY is ended and every result read, so the connection stays
    // usable (for the ROLLBACK that follows a failure).
    auto finish = [&](const char* error) {
        PQputCopyEnd(conn_, error);
        PgResult last, r;
        while ((r = PgResult(PQgetResult(conn_))).get()) last = std::move(r);
        return last;
    };
    std::string chunk;
    try {
        for (;;) {
            chunk.clear();
            const bool more = produce(chunk);
            if (!chunk.empty() &&
                PQputCopyData(conn_, chunk.data(), static_cast<int>(chunk.size())) != 1)
                break;  // the server's reason comes with the final result
            if (!more) break;
        }
    } catch (...) {
        finish("limes: the import stopped");
        throw;
    }
    PgResult r = finish(nullptr);
    if (!r.get() || PQresultStatus(r.get()) != PGRES_COMMAND_OK) fail(r.get(), what);
    return r.affected();
}

PgCopyOut::PgCopyOut(PgConnection& db, const std::string& copy_sql, std::string what)
    : db_(db), what_(std::move(what)) {
    PgResult start(PQexec(db_.handle(), copy_sql.c_str()));
    if (!start.get() || PQresultStatus(start.get()) != PGRES_COPY_OUT)
        db_.fail(start.get(), what_, /*reading=*/true);
}

PgCopyOut::~PgCopyOut() {
    if (row_) PQfreemem(row_);
}

bool PgCopyOut::next(std::string_view& row) {
    if (row_) {
        PQfreemem(row_);
        row_ = nullptr;
    }
    if (done_) return false;
    const int n = PQgetCopyData(db_.handle(), &row_, /*async=*/0);
    if (n >= 0) {
        row = std::string_view(row_, static_cast<std::size_t>(n));
        return true;
    }
    // -1: the COPY is over, its result says how; -2: the connection failed.
    done_ = true;
    PgResult last, r;
    while ((r = PgResult(PQgetResult(db_.handle()))).get()) last = std::move(r);
    if (n == -2 || !last.get() || PQresultStatus(last.get()) != PGRES_COMMAND_OK)
        db_.fail(last.get(), what_, /*reading=*/true);
    return false;
}

std::string PgConnection::identifier(std::string_view name) const {
    return take_escaped(PQescapeIdentifier(conn_, name.data(), name.size()), conn_,
                        target_.display);
}

std::string PgConnection::literal(std::string_view text) const {
    return take_escaped(PQescapeLiteral(conn_, text.data(), text.size()), conn_,
                        target_.display);
}

std::string PgConnection::table(std::string_view name) const {
    return identifier(target_.schema) + "." + identifier(name);
}

PgTransaction::PgTransaction(PgConnection& db) : db_(db) {
    db_.exec("BEGIN", "start a transaction");
    db_.tx_ = PgConnection::Tx::Open;
}

PgTransaction::~PgTransaction() {
    if (!open_) return;
    db_.tx_ = PgConnection::Tx::None;
    // Nothing to report from here: the exception that got us here says what went wrong.
    PQclear(PQexec(db_.handle(), "ROLLBACK"));
}

void PgTransaction::commit() {
    db_.tx_ = PgConnection::Tx::Committing;
    db_.exec("COMMIT", "commit");
    db_.tx_ = PgConnection::Tx::None;
    open_ = false;
}

}  // namespace limes::geo
