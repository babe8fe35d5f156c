// An incident edited in the window and saved keeps its id: the real binary under xvfb-run at
// 1280x720 (the harness of viewer_support.hpp), checked against `limes export` run before and
// after the save, and against the workspace read through OGR.
//
// Positions at 1280x720, located on screenshots (no imgui.ini: the layout of
// src/ui/panels.cpp): a click on a symbol opens the Inspector in the lower half of the side
// bar, Edit at its top (867, 379). The "Edit incident" form has the layout of the "New
// incident" one (viewer_support.hpp's form_field).
#include <catch2/catch.hpp>

#include <ogrsf_frmts.h>

#include <map>
#include <set>

#include "viewer_support.hpp"

using namespace limes;
using namespace limes_viewer;

namespace {

struct Exported {
    std::map<long long, json> by_id;  ///< feature id -> its properties
};

/** `limes export WS -o path` through the real binary; the features by id. */
Exported export_ws(const std::string& dir, const std::string& ws, const std::string& name) {
    const std::string path = dir + "/" + name;
    const std::string cmd = std::string("'") + LIMES_BINARY + "' export '" + ws + "' -o '" + path +
                            "' >'" + path + ".txt' 2>&1";
    const int status = shell_status(cmd);
    INFO(slurp(path + ".txt"));
    REQUIRE(status == 0);
    const json doc = json::parse(slurp(path));
    Exported out;
    for (const auto& f : doc.at("features")) {
        REQUIRE(f.at("id").is_number_integer());
        const long long id = f["id"].get<long long>();
        CHECK(out.by_id.count(id) == 0);  // ids are unique
        out.by_id[id] = f.at("properties");
    }
    return out;
}

std::string event_id(const json& props) {
    return props.at("event_id_cnty").get<std::string>();
}

}  // namespace

TEST_CASE("edit: an incident edited in the inspector and saved keeps its id in the export",
          "[viewer][edit][ids]") {
    const std::string dir = case_dir("edit-ids");
    const std::string ws = copy_default_ws(dir);
    const Exported before = export_ws(dir, ws, "before.geojson");
    REQUIRE(before.by_id.size() >= 10);
    const long long max_fid = before.by_id.rbegin()->first;

    // The incident to edit: alone under the cursor (nothing else within 14 px: picking takes
    // what lies within 9 px), on the open map, and not the last fid (so that a row appended
    // again could not get its old fid back by chance).
    const ViewState v = initial_view(dir);
    const auto incs = geo::Workspace::open(ws).read_incidents();
    REQUIRE(incs.size() == before.by_id.size());
    double tx = 0, ty = 0;
    const core::Incident* target = lone_incident(incs, v, tx, ty, [&](const core::Incident& inc) {
        return inc.fid > 0 && inc.fid != max_fid;
    });
    REQUIRE(target);
    const long long fid = target->fid;
    const std::string eid = target->event_id_cnty;
    INFO("editing " << eid << " (fid " << fid << ") at " << tx << "," << ty);
    REQUIRE(before.by_id.count(fid) == 1);
    REQUIRE(event_id(before.by_id.at(fid)) == eid);
    const long long new_fatalities = 123;
    const std::string new_notes = "Edited in the window by the ids test";
    REQUIRE(target->fatalities != std::optional<long long>(new_fatalities));
    REQUIRE(target->notes != new_notes);

    // Select, Edit in the Inspector, change fatalities and notes, OK, ctrl+s.
    std::vector<std::string> script = {"wait 2", at("click", tx, ty), "wait 3"};
    const std::size_t selected = frames(dir, script) - 1;
    append(script, {"click 867 379", "wait 3", "screenshot form.png"});
    const std::size_t form = frames(dir, script) - 1;
    append(script, {form_field(kFormFatalities), "key ctrl+a",
                    "type " + std::to_string(new_fatalities), kFormNotes, "key ctrl+a",
                    "type " + new_notes, "wait 2", "screenshot filled.png", kFormOk, "wait 3"});
    const std::size_t edited = frames(dir, script) - 1;
    append(script, {"key ctrl+s", "wait 3"});
    const Run r = replay(dir, ws, script);
    INFO(r.output);
    REQUIRE(r.code == 0);
    REQUIRE(r.log.size() == frames(dir, script));
    CHECK(r.log[selected]["selected"] == eid);
    CHECK(r.log[form]["form_open"] == true);
    CHECK(r.log[edited]["form_open"] == false);
    CHECK(r.log[edited]["dirty"] == true);
    CHECK(r.log[edited]["incidents"] == incs.size());
    const json& end = r.log.back();
    CHECK(end["selected"] == eid);
    CHECK(end["dirty"] == false);
    CHECK(end["incidents"] == incs.size());
    CHECK(end["message"] == "saved " + std::to_string(incs.size()) + " incidents");

    // The exports. The edited incident: one feature, under the id it had before, with the
    // new values.
    const Exported after = export_ws(dir, ws, "after.geojson");
    std::vector<long long> ids_of_eid;
    for (const auto& [id, p] : after.by_id)
        if (event_id(p) == eid) ids_of_eid.push_back(id);
    CHECK(ids_of_eid == std::vector<long long>{fid});
    if (after.by_id.count(fid)) {
        const json& edited_props = after.by_id.at(fid);
        CHECK(event_id(edited_props) == eid);
        CHECK(edited_props.at("fatalities") == new_fatalities);
        CHECK(edited_props.at("notes") == new_notes);
    } else {
        FAIL_CHECK("no feature with the edited incident's id " << fid << " after the save");
    }
    // Every feature: the same set of ids, each naming the incident it named before; only the
    // edited one changed.
    std::set<long long> ids_before, ids_after;
    for (const auto& [id, p] : before.by_id) ids_before.insert(id);
    for (const auto& [id, p] : after.by_id) ids_after.insert(id);
    CHECK(ids_after == ids_before);
    for (const auto& [id, p] : before.by_id) {
        INFO("feature id " << id << " (" << event_id(p) << ")");
        const auto it = after.by_id.find(id);
        if (it == after.by_id.end()) {
            FAIL_CHECK("feature id " << id << " is gone after the save");
            continue;
        }
        CHECK(event_id(it->second) == event_id(p));
        if (id != fid) CHECK(it->second == p);
    }

    // The workspace through OGR: the edited row has its old fid, and no row was added.
    geo::ensure_gdal();
    GDALDatasetUniquePtr ds(GDALDataset::Open(ws.c_str(), GDAL_OF_VECTOR));
    REQUIRE(ds);
    OGRLayer* layer = ds->GetLayerByName("incidents");
    REQUIRE(layer);
    CHECK(layer->GetFeatureCount() == static_cast<GIntBig>(incs.size()));
    std::vector<long long> fids_of_eid;
    for (auto& f : *layer) {
        CHECK(f->GetFID() <= max_fid);
        if (eid == f->GetFieldAsString("event_id_cnty")) {
            fids_of_eid.push_back(f->GetFID());
            CHECK(f->GetFieldAsInteger64("fatalities") == new_fatalities);
            CHECK(std::string(f->GetFieldAsString("notes")) == new_notes);
        }
    }
    CHECK(fids_of_eid == std::vector<long long>{fid});
}
