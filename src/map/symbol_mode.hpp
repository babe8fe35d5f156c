#pragma once
// How a map shows many incidents: one symbol each, clusters, or a heatmap; Automatic picks
// symbols or clusters by how many are in view. And what a symbol's fill colour stands for.
// Shared by the window's menu (ui), the frame composer (map/frame.hpp) and `limes render
// --color-by`, header-only like the rest of map's vocabulary (draw_list.hpp).
#include <optional>
#include <string_view>

namespace limes::map {

enum class SymbolMode { Symbols, Clusters, Heatmap, Auto };

/** What an incident symbol's fill colour means; its shape is always the event type, its
 *  outline the reporting side (map/style.hpp) and its form the status (dashed: disputed,
 *  hollow: denied). */
enum class ColorBy { Type, ReportedBy, Status };

/** "type", "reported_by" or "status" as a ColorBy; nullopt for anything else. */
inline std::optional<ColorBy> color_by_of(std::string_view name) {
    if (name == "type") return ColorBy::Type;
    if (name == "reported_by") return ColorBy::ReportedBy;
    if (name == "status") return ColorBy::Status;
    return std::nullopt;
}

}  // namespace limes::map
