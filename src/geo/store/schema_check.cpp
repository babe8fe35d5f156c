#include "geo/store/schema_check.hpp"

#include <chrono>
#include <set>

#include "core/error.hpp"

namespace limes::geo {

namespace {

// Tables limes reads by name: a view in their place would run someone's query in limes' read.
const char* const kReadTables[] = {
    "gpkg_contents", "gpkg_geometry_columns", "gpkg_spatial_ref_sys", "gpkg_ogr_contents",
    "gpkg_extensions", "incidents", "claims", "limes_views", "countries", "lakes", "rivers",
    "provinces", "historical_lines", "regions", "places", "statements", "region_aliases"};

// Metadata tables and what is absurd in them: more rows than any real workspace has layers
// or CRSs, or a row longer than any real definition.
constexpr std::int64_t kMaxMetadataRows = 100'000;
constexpr std::int64_t kMaxMetadataRowBytes = 4 << 20;  // 4 MiB: a WKT2 CRS is a few kB
const char* const kMetadataTables[] = {"gpkg_contents", "gpkg_geometry_columns",
                                       "gpkg_spatial_ref_sys", "gpkg_extensions",
                                       "gpkg_ogr_contents", "limes_views"};
constexpr std::int64_t kMaxSchemaObjects = 200'000;

[[noreturn]] void refuse(const std::string& path, const std::string& what) {
    throw core::DataError(core::Location{path, -1, ""},
                          what + "; limes does not open it (an untrusted workspace)");
}

/** A progress handler that interrupts SQLite once the deadline has passed. */
class Deadline {
  public:
    Deadline(sqlite3* db, double seconds)
        : db_(db), end_(std::chrono::steady_clock::now() +
                        std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                            std::chrono::duration<double>(seconds))) {
        sqlite3_progress_handler(db_, 10'000, &Deadline::check, this);
    }
    ~Deadline() { sqlite3_progress_handler(db_, 0, nullptr, nullptr); }
    Deadline(const Deadline&) = delete;
    Deadline& operator=(const Deadline&) = delete;
    bool passed() const { return std::chrono::steady_clock::now() > end_; }

  private:
    static int check(void* self) { return static_cast<Deadline*>(self)->passed() ? 1 : 0; }
    sqlite3* db_;
    std::chrono::steady_clock::time_point end_;
};

std::int64_t one_int(SqliteDb& db, const std::string& sql) {
    auto q = db.prepare(sql);
    return q.step() && !q.is_null(0) ? q.column_int64(0) : 0;
}

void check_metadata_table(SqliteDb& db, const char* table) {
    if (!db.has_object("table", table)) return;
    std::vector<std::string> columns;
    {
        auto q = db.prepare("SELECT name FROM pragma_table_info(" + sql_literal(table) + ")");
        while (q.step()) columns.emplace_back(q.column_text(0));
    }
    if (columns.empty()) return;
    std::string length;
    for (const auto& c : columns)
        length += (length.empty() ? "" : " + ") + ("coalesce(length(CAST(" + sql_identifier(c) +
                                                   " AS BLOB)), 0)");
    auto q = db.prepare("SELECT count(*), max(" + length + ") FROM " + sql_identifier(table));
    if (!q.step()) return;
    const std::int64_t rows = q.column_int64(0), longest = q.is_null(1) ? 0 : q.column_int64(1);
    if (rows > kMaxMetadataRows)
        refuse(db.path(), "its table " + std::string(table) + " has " + std::to_string(rows) +
                              " rows (absurd metadata: more than " +
                              std::to_string(kMaxMetadataRows) + ")");
    if (longest > kMaxMetadataRowBytes)
        refuse(db.path(), "a row of its table " + std::string(table) + " holds " +
                              std::to_string(longest) + " bytes (absurd metadata: more than " +
                              std::to_string(kMaxMetadataRowBytes) + ")");
}

}  // namespace

std::string describe_foreign_logic(const std::vector<SchemaObject>& objects) {
    std::string out;
    for (const auto& o : objects) {
        if (!out.empty()) out += "; ";
        out += describe(o) + " (" + o.why + ")";
    }
    return out;
}

std::string foreign_logic_note(const std::string& path, const std::vector<SchemaObject>& foreign) {
    if (foreign.empty()) return "";
    return "note: " + path + " holds foreign logic, which limes never runs (read-only until `limes clean " +
           path + "` removes it): " + describe_foreign_logic(foreign);
}

std::vector<SchemaObject> inspect_schema(SqliteDb& db) {
    Deadline deadline(db.handle(), kSchemaCheckSeconds);
    try {
        const std::int64_t objects = one_int(db, "SELECT count(*) FROM sqlite_master");
        if (objects > kMaxSchemaObjects)
            refuse(db.path(), "its schema has " + std::to_string(objects) +
                                  " tables, indexes, triggers and views (absurd: more than " +
                                  std::to_string(kMaxSchemaObjects) + ")");
        for (const char* table : kReadTables)
            if (db.has_object("view", table))
                refuse(db.path(), std::string("its ") + table +
                                      " is a view, not a table: a query of someone else's would "
                                      "run wherever limes reads " +
                                      table + " (`limes clean " + db.path() +
                                      "` removes foreign views and triggers)");
        for (const char* table : kMetadataTables) check_metadata_table(db, table);
        return foreign_logic(db.handle());
    } catch (const core::IoError&) {
        if (deadline.passed())
            refuse(db.path(), "checking its schema took over " +
                                  std::to_string(static_cast<int>(kSchemaCheckSeconds)) +
                                  " s (absurd metadata)");
        throw;
    }
}

void require_no_foreign_logic(sqlite3* db, const std::string& path) {
    const std::vector<SchemaObject> foreign = foreign_logic(db);
    if (!foreign.empty()) refuse_foreign_logic(foreign, path);
}

void refuse_foreign_logic(const std::vector<SchemaObject>& foreign, const std::string& path) {
    throw core::DataError(
        core::Location{path, -1, ""},
        "the workspace holds logic that is not part of a GeoPackage or of limes: " +
            describe_foreign_logic(foreign) +
            ". limes never runs it and does not write to a workspace that holds it; "
            "`limes clean " +
            path + "` removes it (and lists what it removes), or import the data into a new "
                   "workspace");
}

std::vector<SchemaObject> remove_foreign_logic(const std::string& path, bool dry_run) {
    roll_back_hot_journal(path);
    SqliteDb db(path, dry_run ? SqliteDb::Mode::ReadOnly : SqliteDb::Mode::ReadWrite);
    if (!dry_run) db.exec("BEGIN IMMEDIATE");
    std::vector<SchemaObject> found = foreign_logic(db.handle());
    if (dry_run) return found;
    try {
        for (const auto& o : found) {
            db.exec("DROP " + std::string(o.type == "view" ? "VIEW " : "TRIGGER ") +
                    sql_identifier(o.name));
            if (o.type != "view") continue;
            for (const char* table : {"gpkg_contents", "gpkg_geometry_columns",
                                      "gpkg_ogr_contents", "gpkg_extensions"}) {
                if (!db.has_object("table", table)) continue;
                auto q = db.prepare("DELETE FROM " + sql_identifier(table) +
                                    " WHERE lower(table_name) = lower(?1)");
                q.bind_text(1, o.name);
                q.run();
            }
        }
        db.exec("COMMIT");
    } catch (...) {
        sqlite3_exec(db.handle(), "ROLLBACK", nullptr, nullptr, nullptr);
        throw;
    }
    return found;
}

}  // namespace limes::geo
