#include "geo/formats/sqlite_guard.hpp"

#include <algorithm>
#include <cctype>
#include <mutex>
#include <set>

namespace limes::geo {

namespace {

std::string lower(std::string_view s) {
    std::string out(s);
    for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

bool starts_with(std::string_view s, std::string_view prefix) {
    return s.size() >= prefix.size() && s.compare(0, prefix.size(), prefix) == 0;
}

bool ends_with(std::string_view s, std::string_view suffix) {
    return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

// The suffixes of the R-tree triggers: the GeoPackage standard's insert, update1-4 and
// delete, and update5-7 of GDAL 3.7 and later (the same index kept with fewer statements).
const char* const kRtreeSuffixes[] = {"_insert",  "_update1", "_update2", "_update3",
                                      "_update4", "_update5", "_update6", "_update7",
                                      "_delete"};

/** The R-tree table a trigger named rtree_<table>_<column>_<suffix> maintains, or "". */
std::string rtree_of(const std::string& name) {
    if (!starts_with(name, "rtree_")) return "";
    for (const char* suffix : kRtreeSuffixes)
        if (ends_with(name, suffix)) return name.substr(0, name.size() - std::string(suffix).size());
    return "";
}

/** Whether a name has the shape of a standard trigger (the authorizer's test: it sees names). */
bool standard_name(const std::string& name) {
    return !rtree_of(name).empty() || starts_with(name, "trigger_insert_feature_count_") ||
           starts_with(name, "trigger_delete_feature_count_") || starts_with(name, "gpkg_");
}

/** SQL as tokens: words lower-cased and unquoted ("x", `x`, [x] are the word x), string
 *  literals as the one token '', punctuation one character a token. Comments dropped. */
std::vector<std::string> tokens_of(std::string_view sql) {
    std::vector<std::string> out;
    std::size_t i = 0;
    const std::size_t n = sql.size();
    auto quoted = [&](char close) {
        std::string word;
        ++i;
        while (i < n) {
            if (sql[i] == close) {
                if (close != ']' && i + 1 < n && sql[i + 1] == close) {
                    word += close;
                    i += 2;
                    continue;
                }
                ++i;
                break;
            }
            word += sql[i++];
        }
        return word;
    };
    while (i < n) {
        const char c = sql[i];
        if (std::isspace(static_cast<unsigned char>(c))) {
            ++i;
        } else if (c == '-' && i + 1 < n && sql[i + 1] == '-') {
            while (i < n && sql[i] != '\n') ++i;
        } else if (c == '/' && i + 1 < n && sql[i + 1] == '*') {
            const std::size_t end = sql.find("*/", i + 2);
            i = end == std::string_view::npos ? n : end + 2;
        } else if (c == '\'') {
            quoted('\'');
            out.emplace_back("''");
        } else if (c == '"' || c == '`') {
            out.push_back(lower(quoted(c)));
        } else if (c == '[') {
            out.push_back(lower(quoted(']')));
        } else if (std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '$' ||
                   static_cast<unsigned char>(c) >= 0x80) {
            std::size_t j = i;
            while (j < n && (std::isalnum(static_cast<unsigned char>(sql[j])) || sql[j] == '_' ||
                             sql[j] == '$' || static_cast<unsigned char>(sql[j]) >= 0x80 ||
                             sql[j] == '.'))
                ++j;
            out.push_back(lower(sql.substr(i, j - i)));
            i = j;
        } else {
            out.emplace_back(1, c);
            ++i;
        }
    }
    return out;
}

// Words that may stand before "(" without being a function call.
bool keyword_before_paren(const std::string& w) {
    static const std::set<std::string> k = {"values", "in",  "and",    "or",   "not", "exists",
                                            "when",   "where", "select", "on", "of",  "then",
                                            "else",   "is",  "between", "like", "glob", "case",
                                            "as",     "begin", "end",   "row"};
    return k.count(w) > 0;
}

}  // namespace

std::string describe(const SchemaObject& o) {
    return o.type + " " + o.name + (o.type == "trigger" ? " on " + o.table : std::string());
}

bool is_standard_trigger(std::string_view name_in, std::string_view table_in,
                         std::string_view sql, std::string* why) {
    auto no = [&](const std::string& reason) {
        if (why) *why = reason;
        return false;
    };
    const std::string name = lower(name_in), table = lower(table_in);
    // What the trigger may write to (and read from), by its kind.
    std::set<std::string> targets = {table};
    const std::string rtree = rtree_of(name);
    if (!rtree.empty()) {
        if (!starts_with(rtree, "rtree_" + table + "_"))
            return no("named for an R-tree index of another table than " + table);
        targets.insert(rtree);
    } else if (name == "trigger_insert_feature_count_" + table ||
               name == "trigger_delete_feature_count_" + table) {
        targets.insert("gpkg_ogr_contents");
    } else if (starts_with(name, "gpkg_") && starts_with(table, "gpkg_")) {
        // The standard's constraint triggers on its own tables (gpkg_tile_matrix_*,
        // gpkg_metadata_*): they only RAISE.
    } else {
        return no("not part of the GeoPackage standard");
    }
    static const std::set<std::string> functions = {"st_isempty", "st_minx", "st_maxx",
                                                    "st_miny",    "st_maxy", "lower",
                                                    "raise",      "strftime"};
    const std::vector<std::string> t = tokens_of(sql);
    const auto begin = std::find(t.begin(), t.end(), "begin");
    if (begin == t.end()) return no("not a trigger the GeoPackage standard defines");
    for (std::size_t i = 0; i + 1 < t.size(); ++i) {
        const std::string& w = t[i];
        if (t[i + 1] == "(" && !w.empty() &&
            (std::isalpha(static_cast<unsigned char>(w[0])) || w[0] == '_') &&
            !keyword_before_paren(w) && functions.count(w) == 0)
            return no("calls " + w + "()");
    }
    // In the body: every table written or read is one of the targets.
    for (auto it = begin; it != t.end(); ++it) {
        const std::string& w = *it;
        if (w == "attach" || w == "pragma" || w == "detach")
            return no("runs " + w);
        if ((w == "into" || w == "update" || w == "from" || w == "join") && it + 1 != t.end()) {
            std::string target = *(it + 1);
            const std::size_t dot = target.rfind('.');
            if (dot != std::string::npos) target = target.substr(dot + 1);
            if (w == "update" && target == "of") continue;  // "AFTER UPDATE OF col" is header
            if (targets.count(target) == 0) return no("touches the table " + *(it + 1));
        }
    }
    return true;
}

std::vector<SchemaObject> foreign_logic(sqlite3* db) {
    std::vector<SchemaObject> out;
    sqlite3_stmt* q = nullptr;
    if (sqlite3_prepare_v2(db,
                           "SELECT type, name, tbl_name, sql FROM main.sqlite_master "
                           "WHERE type IN ('trigger', 'view') ORDER BY type, name",
                           -1, &q, nullptr) != SQLITE_OK)
        return out;
    auto text = [&](int c) {
        const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(q, c));
        return p ? std::string(p, static_cast<std::size_t>(sqlite3_column_bytes(q, c)))
                 : std::string();
    };
    while (sqlite3_step(q) == SQLITE_ROW) {
        SchemaObject o{text(0), text(1), text(2), ""};
        if (o.type == "view")
            o.why = "a view: neither the GeoPackage standard nor limes creates one";
        else if (is_standard_trigger(o.name, o.table, text(3), &o.why))
            continue;
        out.push_back(std::move(o));
    }
    sqlite3_finalize(q);
    return out;
}

namespace {

// The names an authorizer denies although they may have a standard trigger's shape: the
// foreign objects of a connection's schema when it was guarded, one set for each distinct list
// (kept for the life of the program: connections come and go, the sets are few and small).
const std::set<std::string>* denied_names(std::set<std::string> names) {
    static std::mutex mutex;
    static std::set<std::set<std::string>> sets;
    std::lock_guard<std::mutex> lock(mutex);
    return &*sets.insert(std::move(names)).first;
}

int authorize(void* data, int, const char*, const char*, const char*, const char* inner) {
    if (!inner) return SQLITE_OK;  // top-level SQL: limes' own or GDAL's
    const std::string name = lower(inner);
    const auto* denied = static_cast<const std::set<std::string>*>(data);
    if (standard_name(name) && denied->count(name) == 0) return SQLITE_OK;
    return SQLITE_DENY;
}

}  // namespace

void guard_sqlite_connection(sqlite3* db) {
    sqlite3_db_config(db, SQLITE_DBCONFIG_DEFENSIVE, 1, nullptr);
    std::set<std::string> denied;
    for (const SchemaObject& o : foreign_logic(db)) denied.insert(lower(o.name));
    sqlite3_set_authorizer(db, authorize, const_cast<std::set<std::string>*>(denied_names(denied)));
}

}  // namespace limes::geo
