#include "geo/store/pg_audit.hpp"

#include <algorithm>
#include <cstdlib>

#include "geo/store/pg_schema.hpp"

namespace limes::geo {

std::vector<AuditEntry> incident_history(PgConnection& db, const std::string& id) {
    const bool is_fid =
        !id.empty() && std::all_of(id.begin(), id.end(), [](char c) { return c >= '0' && c <= '9'; });
    const std::string audit = db.table(kAuditTable);
    const std::string incidents = db.table("incidents");
    // The fids asked for: the fid itself, or every fid whose row ever carried the event id
    // (before or after a change, or now).
    const std::string asked =
        is_fid ? "SELECT $1::bigint"
               : "SELECT fid FROM " + audit +
                     " WHERE layer = 'incidents' AND (after->>'event_id_cnty' = $1 OR "
                     "before->>'event_id_cnty' = $1) UNION SELECT fid FROM " + incidents +
                     " WHERE event_id_cnty = $1";
    // An update or delete names its fid; an insert the range of fids it gave (pg_schema.cpp).
    // A schema of an older limes has no last_fid (one row per inserted fid) until init runs
    // again.
    const std::string gave = audit_has_ranges(db)
                                 ? std::string(kAuditInsertedRange) + " @> f.asked"
                                 : std::string("fid = f.asked");
    const std::string columns_read = "f.asked, id, at, who, action, before, after";
    // The asked fids once (a CTE used twice is computed once), joined twice: each branch on
    // an index of its own.
    const std::string changes =
        "SELECT " + columns_read + " FROM f JOIN " + audit +
        " ON layer = 'incidents' AND action <> 'insert' AND fid = f.asked UNION ALL SELECT " +
        columns_read + " FROM f JOIN " + audit +
        " ON layer = 'incidents' AND action = 'insert' AND " + gave;
    // An insert's row (pg_schema.cpp keeps no copy of it): the "before" of the row's next
    // audited change, or the row as it is now when it never changed.
    const std::string after =
        "coalesce(a.after, CASE WHEN a.action = 'insert' THEN coalesce(lead(a.before) OVER w, "
        "to_jsonb(i)) END)";
    const PgResult r = db.exec(
        "WITH f(asked) AS (" + asked + ") SELECT a.asked, to_char(a.at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'), "
        "a.who, a.action, coalesce(" + after + ", a.before)->>'event_id_cnty', a.before::text, " +
            after + "::text FROM (" + changes + ") a LEFT JOIN " + incidents +
            " i ON i.fid = a.asked WINDOW w AS (PARTITION BY a.asked ORDER BY a.id) "
            "ORDER BY a.id, a.asked",
        {id}, "read the audit trail");
    // Changed columns in the table's order (a text[] of limes' column names: plain
    // identifiers), compared as jsonb values; one query per update, a history is short.
    std::string columns = "{";
    for (const PgColumn& c : pg_incident_columns())
        if (c.name != "fid" && c.name != "version")
            columns += (columns.size() > 1 ? "," : "") + c.name;
    columns += "}";
    std::vector<AuditEntry> out;
    for (int i = 0; i < r.rows(); ++i) {
        AuditEntry e;
        e.fid = std::strtoll(std::string(r.text(i, 0)).c_str(), nullptr, 10);
        e.at = r.text(i, 1);
        e.who = r.text(i, 2);
        e.action = r.text(i, 3);
        e.event_id = r.is_null(i, 4) ? "" : std::string(r.text(i, 4));
        if (e.action == "update") {
            const PgResult d = db.exec(
                "SELECT k, coalesce($1::jsonb->>k, ''), coalesce($2::jsonb->>k, '') FROM "
                "unnest($3::text[]) WITH ORDINALITY AS u(k, n) WHERE $1::jsonb->k IS DISTINCT "
                "FROM $2::jsonb->k ORDER BY n",
                {std::string(r.text(i, 5)), std::string(r.text(i, 6)), columns},
                "compare the row before and after");
            for (int k = 0; k < d.rows(); ++k)
                e.changes.push_back({std::string(d.text(k, 0)), std::string(d.text(k, 1)),
                                     std::string(d.text(k, 2))});
        }
        out.push_back(std::move(e));
    }
    return out;
}

}  // namespace limes::geo
