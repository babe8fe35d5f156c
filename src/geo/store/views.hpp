#pragma once
// Saved views (table limes_views of the workspace): what a briefing shows, by name, so
// `limes render --view NAME` reproduces a view saved from the window or the command line.
#include <optional>
#include <string>
#include <vector>

#include "core/filter.hpp"
#include "geo/store/workspace.hpp"

namespace limes::geo {

struct SavedView {
    std::string name;
    std::string crs;                  ///< empty: the default map CRS
    std::optional<core::BBox> bbox;   ///< extent in lon/lat degrees; empty: automatic
    core::Filter filter;              ///< time range, types, reported_by, region
    std::vector<std::string> layers;  ///< visible layers; empty: all
    std::string title;
    std::string label_language;  ///< en | hy | az; empty: en
    int width = 0, height = 0;   ///< 0: the command's default
    /** The day claims and lines are drawn as of (render --at); nullopt: the range's end. */
    std::optional<core::Date> at;
    /** A change map's days (render --changes FROM..TO); nullopt: not a change map. */
    std::optional<std::pair<core::Date, core::Date>> changes;
};

/** The view called name; throws UsageError listing the saved views when there is none. */
SavedView load_view(const Workspace& ws, const std::string& name);
/** Inserts or replaces the view (by name) in one transaction. */
void save_view(Workspace& ws, const SavedView& view);
std::vector<std::string> view_names(const Workspace& ws);

}  // namespace limes::geo
