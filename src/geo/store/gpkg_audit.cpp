#include "geo/store/gpkg_audit.hpp"

#include <pwd.h>
#include <unistd.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <map>

#include <nlohmann/json.hpp>

#include "core/incident_rows.hpp"

namespace limes::geo {
namespace {

const std::string kTable = sql_identifier(kGpkgAuditTable);

/** A value of the audit's JSON as history prints it: null is a gap (empty). */
std::string shown(const nlohmann::json& v) {
    if (v.is_null()) return {};
    if (v.is_string()) return v.get<std::string>();
    return v.dump();
}

std::string geometry_text(const nlohmann::json& row) {
    if (!row.contains("lon") || !row.contains("lat")) return {};
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.6f %.6f", row["lon"].get<double>(), row["lat"].get<double>());
    return buf;
}

/** The columns whose values differ between two rows, in the table's order (the point first,
 *  as "geometry"). */
std::vector<AuditEntry::Change> changes(const nlohmann::json& before, const nlohmann::json& after) {
    std::vector<AuditEntry::Change> out;
    const std::string g0 = geometry_text(before), g1 = geometry_text(after);
    if (g0 != g1) out.push_back({"geometry", g0, g1});
    for (const auto& c : core::incident_columns()) {
        const std::string name(c.name);
        const nlohmann::json& b = before.contains(name) ? before[name] : nlohmann::json();
        const nlohmann::json& a = after.contains(name) ? after[name] : nlohmann::json();
        if (b != a) out.push_back({name, shown(b), shown(a)});
    }
    return out;
}

nlohmann::json parse(const char* text) {
    if (!text) return nlohmann::json();
    nlohmann::json j = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
    return j.is_discarded() ? nlohmann::json() : j;
}

}  // namespace

std::string os_user() {
    const uid_t uid = ::geteuid();
    std::vector<char> buf(16384);
    struct passwd pw {};
    struct passwd* found = nullptr;
    if (::getpwuid_r(uid, &pw, buf.data(), buf.size(), &found) == 0 && found && found->pw_name &&
        *found->pw_name)
        return found->pw_name;
    return "uid " + std::to_string(uid);
}

namespace {

/** s as a JSON string literal, appended to out. Well-formed UTF-8 (every stored text, as imports
 *  and edits check it) is escaped here; anything else goes through nlohmann's serializer, which
 *  replaces invalid bytes rather than refusing them: the audit must never be what makes a save
 *  fail. */
void append_json_string(std::string& out, const std::string& s) {
    if (!core::is_valid_utf8(s)) {
        out += nlohmann::json(s).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
        return;
    }
    static constexpr char kHex[] = "0123456789abcdef";
    out += '"';
    for (const char ch : s) {
        const auto c = static_cast<unsigned char>(ch);
        switch (c) {
            case '"': out += "\\\""; break;
            case '\\': out += "\\\\"; break;
            case '\n': out += "\\n"; break;
            case '\r': out += "\\r"; break;
            case '\t': out += "\\t"; break;
            default:
                if (c < 0x20) {
                    out += "\\u00";
                    out += kHex[c >> 4];
                    out += kHex[c & 15];
                } else {
                    out += ch;
                }
        }
    }
    out += '"';
}

/** A double as the shortest text that reads back as the same value (JSON has no NaN or
 *  infinity: null for those). */
void append_json_number(std::string& out, double v) {
    if (!std::isfinite(v)) {
        out += "null";
        return;
    }
    char buf[32];
    const auto r = std::to_chars(buf, buf + sizeof buf, v);
    out.append(buf, r.ptr);
}

}  // namespace

std::string audit_json(const core::Incident& inc) {
    // Written directly, keys in the table's order: a window's save of thousands of edits wrote
    // two of these a row through nlohmann::json objects, whose map of keys was most of the
    // save's time. (history reads them back with nlohmann, in any key order.)
    std::string out;
    out.reserve(1024);
    out += "{\"fid\":";
    out += std::to_string(inc.fid);
    out += ",\"lon\":";
    append_json_number(out, inc.lon);
    out += ",\"lat\":";
    append_json_number(out, inc.lat);
    for (const auto& c : core::incident_columns()) {
        out += ",\"";
        out += c.name;  // limes' column names: plain ASCII, nothing to escape
        out += "\":";
        if (c.text) {
            const std::string& v = inc.*c.text;
            if (v.empty())
                out += "null";
            else
                append_json_string(out, v);
        } else if (c.integer) {
            const auto& v = inc.*c.integer;
            out += v ? std::to_string(*v) : std::string("null");
        } else {
            char date[40];
            const std::size_t n = inc.event_date.iso(date);
            out += '"';
            out.append(date, n);
            out += '"';
        }
    }
    out += '}';
    return out;
}

void GpkgAudit::inserted(std::int64_t fid) {
    if (!inserted_.empty() && inserted_.back().second + 1 == fid)
        inserted_.back().second = fid;
    else
        inserted_.emplace_back(fid, fid);
}

void GpkgAudit::updated(const core::Incident& before, const core::Incident& after) {
    changes_.push_back({before.fid, "update", audit_json(before), audit_json(after)});
}

void GpkgAudit::removed(const core::Incident& before) {
    changes_.push_back({before.fid, "delete", audit_json(before), {}});
}

void GpkgAudit::write(SqliteDb& db) {
    if (inserted_.empty() && changes_.empty()) return;
    db.exec("CREATE TABLE IF NOT EXISTS " + kTable +
            " (id INTEGER PRIMARY KEY AUTOINCREMENT, at TEXT NOT NULL, who TEXT NOT NULL, "
            "layer TEXT NOT NULL, fid INTEGER NOT NULL, last_fid INTEGER, action TEXT NOT NULL, "
            "\"before\" TEXT, \"after\" TEXT);"
            "CREATE INDEX IF NOT EXISTS " +
            sql_identifier(std::string(kGpkgAuditTable) + "_fid") + " ON " + kTable +
            " (layer, fid);"
            "INSERT INTO gpkg_contents (table_name, data_type, identifier, description, "
            "last_change) SELECT '" +
            kGpkgAuditTable + "', 'attributes', '" + kGpkgAuditTable +
            "', 'Who changed which incident, when, and the row before and after (limes)', "
            "strftime('%Y-%m-%dT%H:%M:%fZ','now') WHERE NOT EXISTS (SELECT 1 FROM "
            "gpkg_contents WHERE table_name = '" +
            kGpkgAuditTable + "')");
    const std::string who = os_user();
    auto q = db.prepare("INSERT INTO " + kTable +
                        " (at, who, layer, fid, last_fid, action, \"before\", \"after\") VALUES "
                        "(strftime('%Y-%m-%dT%H:%M:%SZ','now'), ?1, ?2, ?3, ?4, ?5, ?6, ?7)");
    auto add = [&](std::int64_t fid, std::optional<std::int64_t> last, const std::string& action,
                   const std::string& before, const std::string& after) {
        q.bind_text(1, who);
        q.bind_text(2, layer_);
        q.bind(3, fid);
        if (last) q.bind(4, *last); else q.bind_null(4);
        q.bind_text(5, action);
        if (before.empty()) q.bind_null(6); else q.bind_text(6, before);
        if (after.empty()) q.bind_null(7); else q.bind_text(7, after);
        q.run();
    };
    for (const auto& [first, last] : inserted_) add(first, last, "insert", {}, {});
    for (const Change& c : changes_) add(c.fid, std::nullopt, c.action, c.before, c.after);
    inserted_.clear();
    changes_.clear();
}

std::vector<AuditEntry> gpkg_incident_history(SqliteDb& db, const std::string& id) {
    if (!db.has_object("table", kGpkgAuditTable)) return {};
    const bool is_fid = !id.empty() && id.size() < 19 &&
                        std::all_of(id.begin(), id.end(), [](char c) { return c >= '0' && c <= '9'; });
    const bool has_incidents = db.has_object("table", "incidents");
    std::vector<std::int64_t> fids;
    if (is_fid) {
        fids.push_back(std::strtoll(id.c_str(), nullptr, 10));
    } else {
        // Every fid whose row ever carried the event id: now, or before or after a change.
        auto q = db.prepare(
            (has_incidents ? "SELECT fid FROM incidents WHERE event_id_cnty = ?1 UNION " : "") +
            std::string("SELECT fid FROM ") + kTable +
            " WHERE layer = 'incidents' AND (json_extract(\"before\", '$.event_id_cnty') = ?1 "
            "OR json_extract(\"after\", '$.event_id_cnty') = ?1)");
        q.bind_text(1, id);
        while (q.step()) fids.push_back(q.column_int64(0));
    }
    struct Row {
        std::int64_t id;
        AuditEntry entry;
        nlohmann::json before, after;
    };
    std::vector<Row> rows;
    auto q = db.prepare("SELECT id, at, who, action, \"before\", \"after\" FROM " + kTable +
                        " WHERE layer = 'incidents' AND ((action <> 'insert' AND fid = ?1) OR "
                        "(action = 'insert' AND ?1 BETWEEN fid AND coalesce(last_fid, fid)))"
                        " ORDER BY id");
    for (const std::int64_t fid : fids) {
        q.bind(1, fid);
        while (q.step()) {
            Row r;
            r.id = q.column_int64(0);
            r.entry.fid = fid;
            r.entry.at = std::string(q.column_text(1));
            r.entry.who = std::string(q.column_text(2));
            r.entry.action = std::string(q.column_text(3));
            r.before = parse(q.column_text_or_null(4));
            r.after = parse(q.column_text_or_null(5));
            rows.push_back(std::move(r));
        }
        q.reset();
    }
    std::sort(rows.begin(), rows.end(), [](const Row& a, const Row& b) { return a.id < b.id; });
    // An insert's row is the "before" of the row's next change, or the row as it is now.
    std::map<std::int64_t, std::string> current_id;
    if (has_incidents) {
        auto cur = db.prepare("SELECT event_id_cnty FROM incidents WHERE fid = ?1");
        for (const std::int64_t fid : fids) {
            cur.bind(1, fid);
            if (cur.step()) current_id[fid] = std::string(cur.column_text(0));
            cur.reset();
        }
    }
    auto event_id = [](const nlohmann::json& row) {
        return row.is_object() && row.contains("event_id_cnty") ? shown(row["event_id_cnty"])
                                                                : std::string();
    };
    std::vector<AuditEntry> out;
    for (std::size_t i = 0; i < rows.size(); ++i) {
        Row& r = rows[i];
        if (r.entry.action == "insert") {
            const Row* next = nullptr;
            for (std::size_t k = i + 1; k < rows.size() && !next; ++k)
                if (rows[k].entry.fid == r.entry.fid && rows[k].entry.action != "insert")
                    next = &rows[k];
            if (next)
                r.entry.event_id = event_id(next->before);
            else if (const auto it = current_id.find(r.entry.fid); it != current_id.end())
                r.entry.event_id = it->second;
        } else {
            r.entry.event_id = event_id(r.after.is_object() ? r.after : r.before);
            if (r.entry.action == "update") r.entry.changes = changes(r.before, r.after);
        }
        out.push_back(std::move(r.entry));
    }
    return out;
}

}  // namespace limes::geo
