// Fuzz target saved_views: the saved views of a workspace from elsewhere (table limes_views,
// geo/store/views.hpp), read the ways `limes render --view NAME` reads them. Each input is a
// small GeoPackage workspace whose limes_views table comes from the bytes:
//   line 1       the table's columns, separated by tabs (width, height and min_fatalities
//                INTEGER, every other TEXT); an empty line: the columns limes itself creates;
//   each line    one row, its fields separated by tabs in the order of the columns; "\N" is
//   after that   NULL, a field starting "\b" is the rest as a BLOB, anything else TEXT; missing
//                fields are NULL, extra ones are dropped.
// The empty workspace (geo::Workspace::create) is made once; each input gets a copy in the
// scratch folder and its table is written there with SQLite (registered in gpkg_contents as
// attributes, as GDAL registers it), then
//   - geo::view_names lists the views and geo::load_view loads each (the first 8 names);
//   - app::apply_saved_view puts each on the options of a render with nothing given;
//   - the first 4 are saved again (geo::save_view) and loaded back: the same view must come
//     back, field by field (a view loaded and saved by the window or `render --save-view`).
// Expected answers: views, or core::Error (a bad bbox or date in a row is a UsageError naming
// the column). Any other exception, a crash, a sanitizer report or a broken promise (a loaded
// view that is not what load_view promises, a round trip that changes it) is a finding. The
// scratch folder is emptied after each input.
#include <sqlite3.h>

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "app/briefing.hpp"
#include "core/error.hpp"
#include "fuzz_support.hpp"
#include "geo/store/views.hpp"
#include "geo/store/workspace.hpp"

namespace {

using namespace limes;

constexpr std::size_t kMaxColumns = 48, kMaxRows = 64, kMaxLoads = 8, kMaxRoundTrips = 4;

const std::string& empty_workspace() {
    static const std::string* const bytes = [] {
        const std::string path = fuzz::scratch_dir() + "/empty.gpkg";
        geo::Workspace::create(path);
        std::ifstream in(path, std::ios::binary);
        auto* b = new std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
        fuzz::clear_dir(fuzz::scratch_dir());
        if (b->empty()) {
            std::fprintf(stderr, "saved_views: cannot make the empty workspace\n");
            std::abort();
        }
        return b;
    }();
    return *bytes;
}

std::vector<std::string> split(const std::string& s, char sep) {
    std::vector<std::string> out;
    std::size_t start = 0;
    for (;;) {
        const std::size_t end = s.find(sep, start);
        out.push_back(s.substr(start, end == std::string::npos ? std::string::npos : end - start));
        if (end == std::string::npos) return out;
        start = end + 1;
    }
}

std::string quoted(const std::string& name) {
    std::string q = "\"";
    for (const char c : name) q += c == '"' ? std::string("\"\"") : std::string(1, c);
    return q + "\"";
}

/** Writes the table the input describes into the workspace at path; false when SQLite refuses
 *  the table itself (two columns of one name, a NUL in a name): nothing to read then. */
bool write_views_table(const std::string& path, const std::string& input) {
    std::vector<std::string> lines = split(input, '\n');
    std::vector<std::string> columns = split(lines.front(), '\t');
    if (lines.front().empty())
        columns = {"name",  "crs",      "bbox",  "from_date", "to_date", "types",
                   "reported_by", "region", "layers", "title", "statuses", "actor",
                   "labels", "at_date",  "changes", "width", "height", "min_fatalities"};
    if (columns.size() > kMaxColumns) columns.resize(kMaxColumns);
    std::string create = "CREATE TABLE limes_views (fid INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL";
    std::string insert = "INSERT INTO limes_views (", values;
    for (std::size_t i = 0; i < columns.size(); ++i) {
        if (columns[i].find('\0') != std::string::npos) return false;
        const bool integer = columns[i] == "width" || columns[i] == "height" ||
                             columns[i] == "min_fatalities";
        create += ", " + quoted(columns[i]) + (integer ? " MEDIUMINT" : " TEXT");
        insert += (i ? ", " : "") + quoted(columns[i]);
        values += i ? ", ?" : "?";
    }
    create += ")";
    insert += ") VALUES (" + values + ")";
    sqlite3* db = nullptr;
    if (sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE, nullptr) != SQLITE_OK) {
        std::fprintf(stderr, "saved_views: cannot open %s\n", path.c_str());
        std::abort();
    }
    bool ok = sqlite3_exec(db, "BEGIN", nullptr, nullptr, nullptr) == SQLITE_OK &&
              sqlite3_exec(db, create.c_str(), nullptr, nullptr, nullptr) == SQLITE_OK &&
              sqlite3_exec(db,
                           "INSERT INTO gpkg_contents (table_name, data_type, identifier) "
                           "VALUES ('limes_views', 'attributes', 'limes_views')",
                           nullptr, nullptr, nullptr) == SQLITE_OK;
    sqlite3_stmt* st = nullptr;
    ok = ok && (columns.empty() ||
                sqlite3_prepare_v2(db, insert.c_str(), -1, &st, nullptr) == SQLITE_OK);
    for (std::size_t r = 1; ok && st && r < lines.size() && r <= kMaxRows; ++r) {
        const std::vector<std::string> fields = split(lines[r], '\t');
        sqlite3_reset(st);
        sqlite3_clear_bindings(st);
        for (std::size_t i = 0; i < columns.size() && i < fields.size(); ++i) {
            const std::string& f = fields[i];
            const int k = static_cast<int>(i) + 1;
            if (f == "\\N")
                sqlite3_bind_null(st, k);
            else if (f.rfind("\\b", 0) == 0)
                sqlite3_bind_blob(st, k, f.data() + 2, static_cast<int>(f.size() - 2),
                                  SQLITE_TRANSIENT);
            else
                sqlite3_bind_text(st, k, f.data(), static_cast<int>(f.size()), SQLITE_TRANSIENT);
        }
        ok = sqlite3_step(st) == SQLITE_DONE;
    }
    if (st) sqlite3_finalize(st);
    ok = ok && sqlite3_exec(db, "COMMIT", nullptr, nullptr, nullptr) == SQLITE_OK;
    if (sqlite3_close(db) != SQLITE_OK) {
        std::fprintf(stderr, "saved_views: cannot close %s\n", path.c_str());
        std::abort();
    }
    return ok;
}

[[noreturn]] void broken(const std::string& view, const char* promise) {
    std::fprintf(stderr, "saved_views: view '%s' breaks the promise: %s\n", view.c_str(), promise);
    std::abort();
}

bool same_bbox(const std::optional<core::BBox>& a, const std::optional<core::BBox>& b) {
    if (!a || !b) return !a && !b;
    return a->west == b->west && a->south == b->south && a->east == b->east &&
           a->north == b->north;
}

void check_view(const geo::SavedView& v) {
    if (v.bbox) {
        const core::BBox& b = *v.bbox;
        if (!std::isfinite(b.west) || !std::isfinite(b.south) || !std::isfinite(b.east) ||
            !std::isfinite(b.north) || b.west > b.east || b.south > b.north)
            broken(v.name, "a bbox is finite and not inverted");
    }
    if (!same_bbox(v.bbox, v.filter.bbox)) broken(v.name, "the filter's bbox is the view's");
    for (const auto* list : {&v.filter.types, &v.filter.reported_by, &v.filter.statuses, &v.layers})
        for (const auto& item : *list)
            if (item.empty()) broken(v.name, "lists hold no empty items");
    if (v.changes && v.changes->second < v.changes->first)
        broken(v.name, "a change map's days are in order");
    for (const auto& d : {v.filter.from, v.filter.to, v.at})
        if (d && core::parse_date(d->iso()) != d) broken(v.name, "dates print and parse back");
}

void check_same(const geo::SavedView& a, const geo::SavedView& b) {
    auto differ = [&](const char* what) {
        std::fprintf(stderr, "saved_views: '%s' saved and loaded again differs in %s\n",
                     a.name.c_str(), what);
        std::abort();
    };
    if (a.name != b.name) differ("name");
    if (a.crs != b.crs) differ("crs");
    if (!same_bbox(a.bbox, b.bbox) || !same_bbox(a.filter.bbox, b.filter.bbox)) differ("bbox");
    if (a.filter.from != b.filter.from || a.filter.to != b.filter.to) differ("from/to");
    if (a.filter.types != b.filter.types) differ("types");
    if (a.filter.reported_by != b.filter.reported_by) differ("reported_by");
    if (a.filter.region != b.filter.region) differ("region");
    if (a.filter.statuses != b.filter.statuses) differ("statuses");
    if (a.filter.actor != b.filter.actor) differ("actor");
    if (a.filter.min_fatalities != b.filter.min_fatalities) differ("min_fatalities");
    if (a.layers != b.layers) differ("layers");
    if (a.title != b.title) differ("title");
    if (a.label_language != b.label_language) differ("labels");
    if (a.width != b.width || a.height != b.height) differ("width/height");
    if (a.at != b.at) differ("at_date");
    if (a.changes != b.changes) differ("changes");
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
    limes::fuzz::init_gdal_offline();
    empty_workspace();
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string dir = fuzz::scratch_dir();
    const std::string& empty = empty_workspace();
    const std::string path = fuzz::write_scratch(
        "ws.gpkg", reinterpret_cast<const std::uint8_t*>(empty.data()), empty.size());
    if (write_views_table(path, std::string(reinterpret_cast<const char*>(data), size))) {
        try {
            geo::Workspace ws = geo::Workspace::open(path);
            const std::vector<std::string> names = geo::view_names(ws);
            std::vector<geo::SavedView> loaded;
            std::set<std::string> seen;
            for (const std::string& name : names) {
                if (!seen.insert(name).second) continue;
                if (seen.size() > kMaxLoads) break;
                try {
                    geo::SavedView v = geo::load_view(ws, name);
                    if (v.name != name) broken(name, "load_view gives the view asked for");
                    check_view(v);
                    app::BriefingOptions options;
                    app::apply_saved_view(v, options, [](const char*) { return false; });
                    if (options.crs != v.crs || options.title != v.title ||
                        options.layers != v.layers || options.at != v.at ||
                        options.changes != v.changes)
                        broken(name, "a render given nothing takes the view's options");
                    loaded.push_back(std::move(v));
                } catch (const core::Error&) {
                    // a row limes cannot read (bad bbox, date): UsageError naming the column
                }
            }
            for (std::size_t i = 0; i < loaded.size() && i < kMaxRoundTrips; ++i) {
                try {
                    geo::save_view(ws, loaded[i]);
                } catch (const core::Error&) {
                    continue;  // a table limes cannot write to (a column of another type)
                }
                std::optional<geo::SavedView> again;
                try {
                    again = geo::load_view(ws, loaded[i].name);
                } catch (const core::Error& e) {
                    std::fprintf(stderr, "saved_views: %s\n", e.what());
                    broken(loaded[i].name, "a view limes saved loads again");
                }
                check_same(loaded[i], *again);
            }
        } catch (const core::Error&) {
        }
    }
    fuzz::clear_dir(dir);
    return 0;
}
