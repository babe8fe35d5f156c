#include "app/autosave.hpp"

#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "core/error.hpp"
#include "core/program_dir.hpp"
#include "core/text.hpp"
#include "geo/formats/safe_output.hpp"
#include "geo/store/pg_db.hpp"

namespace limes::app {
namespace {

using nlohmann::json;

constexpr const char* kFormat = "limes-autosave";

json to_json(const core::Incident& inc) {
    json j = {{"lon", inc.lon}, {"lat", inc.lat}, {"event_date", inc.event_date.iso()}};
    for (const auto& c : core::incident_columns()) {
        const std::string name(c.name);
        if (c.type == core::ColumnType::Text)
            j[name] = inc.*c.text;
        else if (c.type == core::ColumnType::Integer && inc.*c.integer)
            j[name] = *(inc.*c.integer);
    }
    return j;
}

core::Incident from_json(const json& j, const core::Location& where) {
    core::Incident inc;
    try {
        inc.lon = j.at("lon").get<double>();
        inc.lat = j.at("lat").get<double>();
        const auto date = core::parse_date(j.at("event_date").get<std::string>());
        if (!date) throw core::DataError(where, "event_date is not a date");
        inc.event_date = *date;
        for (const auto& c : core::incident_columns()) {
            const std::string name(c.name);
            if (!j.contains(name)) continue;
            if (c.type == core::ColumnType::Text)
                inc.*c.text = j[name].get<std::string>();
            else if (c.type == core::ColumnType::Integer)
                inc.*c.integer = j[name].get<std::int64_t>();
        }
    } catch (const json::exception& e) {
        throw core::DataError(where, std::string("not an incident: ") + e.what());
    }
    return inc;
}

std::string utc_now() {
    const std::time_t t = std::time(nullptr);
    std::tm tm{};
    gmtime_r(&t, &tm);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return buf;
}

/** The workspace as messages and the file name show it: a database's address with its
 *  password masked. */
std::string masked_workspace(const std::string& workspace) {
    return geo::is_pg_workspace(workspace) ? geo::parse_pg_target(workspace).display : workspace;
}

}  // namespace

std::string autosave_path(const std::string& workspace) {
    if (!geo::is_pg_workspace(workspace)) return workspace + ".autosave.json";
    // A database has no folder beside it: the user's cache folder, one file per address
    // (schema and a hash of the masked address, so that the name stays short and says which).
    const std::string dir = core::user_cache_dir();
    std::error_code ec;
    std::filesystem::create_directories(dir, ec);  // a failure shows when the file is written
    const std::string display = masked_workspace(workspace);
    std::uint64_t h = core::kFnvOffset;
    core::fnv1a(h, display.data(), display.size());
    char hex[17];
    std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(h));
    std::string schema = geo::parse_pg_target(workspace).schema;
    for (char& c : schema)
        if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_') c = '_';
    return dir + "/autosave-" + schema + "-" + hex + ".json";
}

void write_autosave(const std::string& workspace, const core::IncidentStore& store) {
    const std::vector<std::uint32_t> rows = store.unsaved();
    const std::string path = autosave_path(workspace);
    if (rows.empty()) {
        remove_autosave(workspace);
        return;
    }
    json edits = json::array();
    for (const std::uint32_t i : rows) {
        json e = {{"fid", store.fid(i)}, {"removed", store.removed(i)}};
        if (!store.removed(i)) e["row"] = to_json(store.row(i));
        edits.push_back(std::move(e));
    }
    const json doc = {{"format", kFormat},
                      {"version", 1},
                      {"workspace", masked_workspace(workspace)},
                      {"written", utc_now()},
                      {"edits", std::move(edits)}};
    // Staged beside it, flushed to disk, renamed over the last one; never through a link.
    geo::write_file_atomically(
        path, [&](std::ostream& out) { out << doc.dump(1) << '\n'; }, true);
}

std::optional<Autosave> read_autosave(const std::string& workspace) {
    const std::string path = autosave_path(workspace);
    std::ifstream in(path, std::ios::binary);
    if (!in) return std::nullopt;
    std::stringstream text;
    text << in.rdbuf();
    json doc;
    try {
        doc = json::parse(text.str());
    } catch (const json::exception& e) {
        throw core::DataError({path, -1, ""}, std::string("not a limes autosave: ") + e.what());
    }
    if (!doc.is_object() || doc.value("format", "") != kFormat || !doc.contains("edits") ||
        !doc["edits"].is_array())
        throw core::DataError({path, -1, "format"}, "not a limes autosave");
    Autosave a;
    a.written = doc.value("written", "");
    long n = 0;
    for (const auto& e : doc["edits"]) {
        ++n;
        const core::Location where{path, n, "edits"};
        AutosavedEdit edit;
        if (!e.is_object() || !e.contains("fid") || !e["fid"].is_number_integer())
            throw core::DataError(where, "edit " + std::to_string(n) + ": no fid");
        edit.fid = e["fid"].get<std::int64_t>();
        edit.removed = e.value("removed", false);
        if (!edit.removed) {
            if (!e.contains("row"))
                throw core::DataError(where, "edit " + std::to_string(n) + ": no row");
            edit.row = from_json(e["row"], where);
        }
        a.edits.push_back(std::move(edit));
    }
    return a;
}

void remove_autosave(const std::string& workspace) {
    std::remove(autosave_path(workspace).c_str());
}

}  // namespace limes::app
