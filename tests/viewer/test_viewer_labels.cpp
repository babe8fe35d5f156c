// The window's map labels (issue 12, "The window"): place, country and claim names drawn over
// the map as the briefing places them (map::place_labels), in the chosen language, inside
// the part of the window no panel covers, placed again when the view changes (more places
// when zoomed in) and not on frames where it does not. Same harness as test_viewer.cpp
// (viewer_support.hpp): the real binary under xvfb-run at 1280x720; the replay log lists
// the labels drawn (text, kind, box in window pixels).
#include <catch2/catch.hpp>

#include <cmath>
#include <map>
#include <set>

#include "map/style.hpp"
#include "viewer_support.hpp"

using namespace limes;
using namespace limes_viewer;

namespace {

struct Label {
    std::string text, kind;
    double x0, y0, x1, y1;
};

std::vector<Label> labels_of(const json& frame) {
    std::vector<Label> out;
    for (const auto& l : frame["labels"])
        out.push_back({l["text"].get<std::string>(), l["kind"].get<std::string>(),
                       l["box"][0].get<double>(), l["box"][1].get<double>(),
                       l["box"][2].get<double>(), l["box"][3].get<double>()});
    return out;
}

const Label* find(const std::vector<Label>& ls, const std::string& text) {
    for (const auto& l : ls)
        if (l.text == text) return &l;
    return nullptr;
}

// Pixels inside the box dark enough to be label ink (places 30 grey, countries 105 grey):
// every channel below 130. The basemap's fills and the halo are lighter.
int dark_pixels(const Shot& s, const Label& l) {
    int n = 0;
    for (int y = static_cast<int>(l.y0); y <= static_cast<int>(l.y1); ++y)
        for (int x = static_cast<int>(l.x0); x <= static_cast<int>(l.x1); ++x) {
            if (x < 0 || y < 0 || x >= s.w || y >= s.h) continue;
            const map::Rgba p = s.at(x, y);
            n += p.r < 130 && p.g < 130 && p.b < 130;
        }
    return n;
}

}  // namespace

TEST_CASE("labels: the window names places and countries where the panels leave the map free",
          "[viewer][labels][release]") {
    const std::vector<std::string> script = {"move 5 705", "wait 3", "screenshot shot.png"};
    const std::string on_dir = case_dir("labels-on"), off_dir = case_dir("labels-off"),
                      hy_dir = case_dir("labels-hy");
    const Run on = replay(on_dir, LIMES_DEFAULT_WS, script);
    const Run off = replay(off_dir, LIMES_DEFAULT_WS, script, "", "--labels off");
    const Run hy = replay(hy_dir, LIMES_DEFAULT_WS, script, "", "--labels hy");
    INFO(on.output << off.output << hy.output);
    REQUIRE(on.code == 0);
    REQUIRE(off.code == 0);
    REQUIRE(hy.code == 0);
    REQUIRE(!on.log.empty());
    REQUIRE(!off.log.empty());
    REQUIRE(!hy.log.empty());
    const json& last = on.log.back();
    // The same view in both runs: the difference in the pictures is the labels.
    CHECK(view_of(last).cx == view_of(off.log.back()).cx);
    CHECK(view_of(last).upp == view_of(off.log.back()).upp);
    CHECK(last["label_language"] == "en");
    CHECK(off.log.back()["labels"].empty());

    const auto labels = labels_of(last);
    INFO(last["labels"].dump());
    REQUIRE(labels.size() >= 5);
    for (const char* name : {"Yerevan", "Armenia", "Azerbaijan"}) {
        INFO(name);
        CHECK(find(labels, name) != nullptr);
    }
    CHECK(find(labels, "Yerevan")->kind == "place");
    CHECK(find(labels, "Armenia")->kind == "country");
    // Inside the map area, clear of the banner and the scale bar over it, and no two overlap.
    const AreaRect area = area_of(last);
    REQUIRE(last["map_furniture"].size() == 2);
    for (std::size_t i = 0; i < labels.size(); ++i) {
        const Label& a = labels[i];
        INFO(a.text);
        CHECK(a.x0 >= area.x0);
        CHECK(a.y0 >= area.y0);
        CHECK(a.x1 <= area.x1);
        CHECK(a.y1 <= area.y1);
        for (const auto& f : last["map_furniture"]) {
            INFO("furniture " << f.dump());
            CHECK_FALSE((a.x0 < f[2].get<double>() && f[0].get<double>() < a.x1 &&
                          a.y0 < f[3].get<double>() && f[1].get<double>() < a.y1));
        }
        for (std::size_t j = i + 1; j < labels.size(); ++j) {
            const Label& b = labels[j];
            CHECK_FALSE((a.x0 < b.x1 && b.x0 < a.x1 && a.y0 < b.y1 && b.y0 < a.y1));
        }
    }
    // Drawn: inside the boxes, dark ink that the same view without labels does not have.
    const Shot shot(on_dir + "/shot.png"), bare(off_dir + "/shot.png");
    int inked = 0, place_or_country = 0;
    for (const Label& l : labels) {
        if (l.kind != "place" && l.kind != "country") continue;
        ++place_or_country;
        const int with = dark_pixels(shot, l), without = dark_pixels(bare, l);
        const bool ink = with >= without + 10;
        inked += ink;
        if (l.text == "Yerevan" || l.text == "Armenia" || l.text == "Azerbaijan") {
            INFO(l.text << ": " << with << " dark pixels with labels, " << without << " without");
            CHECK(ink);
        }
    }
    INFO(inked << " of " << place_or_country << " place and country labels show ink");
    CHECK(inked >= place_or_country * 8 / 10);

    // In Armenian: Yerevan is Երևան, Armenia is no longer in English.
    const auto hy_labels = labels_of(hy.log.back());
    CHECK(hy.log.back()["label_language"] == "hy");
    CHECK(find(hy_labels, "Երևան") != nullptr);
    CHECK(find(hy_labels, "Yerevan") == nullptr);
    CHECK(find(hy_labels, "Armenia") == nullptr);

    // In Azerbaijani: Yerevan is İrəvan (ə is in the window font's ranges, imgui_host.cpp).
    const Run az = replay(case_dir("labels-az"), LIMES_DEFAULT_WS, script, "", "--labels az");
    REQUIRE(az.code == 0);
    REQUIRE(!az.log.empty());
    CHECK(az.log.back()["label_language"] == "az");
    CHECK(find(labels_of(az.log.back()), "İrəvan") != nullptr);
}

TEST_CASE("labels: zooming in names places that had no room, placement runs once per view",
          "[viewer][labels]") {
    const std::string dir = case_dir("labels-zoom");
    // Zoom in three wheel steps over the middle of the map area, then hold still.
    const std::vector<std::string> script = {"move 5 705", "wait 3",     "move 420 300",
                                             "wheel 3",    "move 5 705", "wait 3"};
    const Run r = replay(dir, LIMES_DEFAULT_WS, script);
    INFO(r.output);
    REQUIRE(r.code == 0);
    REQUIRE(r.log.size() == frames(dir, script));
    const json& before = r.log[2];
    const json& after = r.log.back();
    REQUIRE(view_of(after).upp < view_of(before).upp * 0.8);
    std::set<std::string> shown_before;
    for (const Label& l : labels_of(before))
        if (l.kind == "place") shown_before.insert(l.text);
    std::vector<std::string> new_places;
    for (const Label& l : labels_of(after))
        if (l.kind == "place" && !shown_before.count(l.text)) new_places.push_back(l.text);
    INFO(before["labels"].dump() << "\n" << after["labels"].dump());
    CHECK(!new_places.empty());
    // The cache: frames with the same view do not place again.
    const std::size_t n = r.log.size();
    CHECK(r.log[n - 1]["label_placements"] == r.log[n - 2]["label_placements"]);
    CHECK(r.log[2]["label_placements"] == r.log[1]["label_placements"]);
    CHECK(after["label_placements"].get<int>() > before["label_placements"].get<int>());
}

TEST_CASE("labels: during a pan the labels move with the map, placed again once at rest",
          "[viewer][labels]") {
    const std::string dir = case_dir("labels-pan");
    std::vector<std::string> script = {"move 5 705", "wait 3"};
    const std::size_t still = frames(dir, script) - 1;
    append(script, {"drag 420 300 320 250 8"});  // 8 frames of moving the map
    // The drag's frames: to the start, press, 8 moves, release; the 6th move is mid-pan.
    const std::size_t dragged = frames(dir, script) - 4;
    append(script, {"move 5 705", "wait 3"});
    const Run r = replay(dir, LIMES_DEFAULT_WS, script);
    INFO(r.output);
    REQUIRE(r.code == 0);
    REQUIRE(r.log.size() == frames(dir, script));
    const json &a = r.log[still], &b = r.log[dragged], &last = r.log.back();
    const ViewState va = view_of(a), vb = view_of(b);
    REQUIRE(va.cx != vb.cx);
    REQUIRE(view_of(r.log[dragged - 1]).cx != vb.cx);  // the map moved in that frame
    // The labels of the still frame, moved by the pan in pixels (those still in the map area).
    const double dx = (va.cx - vb.cx) / va.upp, dy = (vb.cy - va.cy) / va.upp;
    const auto la = labels_of(a), lb = labels_of(b);
    REQUIRE(!lb.empty());
    for (const Label& l : lb) {
        const Label* was = find(la, l.text);
        INFO(l.text);
        REQUIRE(was != nullptr);
        CHECK(std::abs(l.x0 - (was->x0 + dx)) < 0.5);
        CHECK(std::abs(l.y0 - (was->y0 + dy)) < 0.5);
    }
    // No placement while moving; one when the view is at rest.
    CHECK(b["label_placements"] == a["label_placements"]);
    CHECK(last["label_placements"].get<int>() == a["label_placements"].get<int>() + 1);
}

TEST_CASE("legend: the Legend tab lists the visible incidents by type and the basemap's fills",
          "[viewer][legend][release]") {
    const std::string dir = case_dir("legend-tab");
    // The Legend tab is the fifth of the side bar's tabs, after Filters.
    const std::vector<std::string> script = {
        "move 5 705", "wait 3", "screenshot before.png", "click 1112 41",
        "move 5 705", "wait 2", "screenshot legend.png"};
    const Run r = replay(dir, LIMES_DEFAULT_WS, script);
    INFO(r.output);
    REQUIRE(r.code == 0);
    REQUIRE(!r.log.empty());
    const json& last = r.log.back();
    INFO(last["legend"].dump());
    std::set<std::string> rows;
    for (const auto& e : last["legend"]) rows.insert(e.get<std::string>());
    // Every type present among the visible incidents, with its count; no other type.
    const auto incs = default_incidents();
    REQUIRE(last["visible"].get<std::size_t>() == incs.size());  // all shown at the start
    std::map<std::string, int> per_type;
    for (const auto& inc : incs) ++per_type[inc.event_type];
    for (const auto& [type, n] : per_type) {
        INFO(type);
        CHECK(rows.count(type + " (" + std::to_string(n) + ")") == 1);
    }
    for (std::size_t i = 0; i < core::kEventTypes.size(); ++i) {
        const std::string type(core::kEventTypes[i]);
        if (per_type.count(type)) continue;
        for (const auto& row : rows) CHECK(row.rfind(type + " (", 0) != 0);
    }
    for (const char* basemap : {"Armenia", "Azerbaijan", "Lake"}) {
        INFO(basemap);
        CHECK(rows.count(basemap) == 1);
    }
    // Drawn: the Armenia row's swatch in the country's fill shows in the side bar once the
    // tab is open, and not before (the map is left of x 846 at 1280x720).
    const Shot before(dir + "/before.png"), legend(dir + "/legend.png");
    const map::Rgba arm = map::country_fill("ARM");
    auto in_sidebar = [&](const Shot& s) {
        for (int y = 60; y < 700; y += 2)
            if (s.colour_near(880, y, arm, 20, 3)) return true;
        return false;
    };
    CHECK_FALSE(in_sidebar(before));
    CHECK(in_sidebar(legend));

    // Only the layers shown: with claims hidden in the Layers panel, no claim rows.
    auto claim_rows = [](const json& frame) {
        int n = 0;
        // "Claim: held by ..." and "Claim boundary approximate ...": both about claims.
        for (const auto& e : frame["legend"]) n += e.get<std::string>().rfind("Claim", 0) == 0;
        return n;
    };
    CHECK(claim_rows(last) > 0);
    int row = -1;
    for (std::size_t i = 0; i < last["layers"].size(); ++i)
        if (last["layers"][i]["name"] == "claims") row = static_cast<int>(i);
    REQUIRE(row >= 0);
    std::vector<std::string> hide = {"move 5 705", "wait 2"};
    append(hide, kTabLayers);
    append(hide, {"click 864 " + std::to_string(layer_row_y(row)), "wait 2", "click 1112 41",
                  "move 5 705", "wait 2"});
    const Run h = replay(case_dir("legend-hidden"), LIMES_DEFAULT_WS, hide);
    REQUIRE(h.code == 0);
    REQUIRE(!h.log.empty());
    INFO(h.log.back()["legend"].dump());
    CHECK(h.log.back()["layers"][static_cast<std::size_t>(row)]["visible"] == false);
    CHECK(claim_rows(h.log.back()) == 0);
    CHECK(h.log.back()["legend"].size() + claim_rows(last) == last["legend"].size());
}
