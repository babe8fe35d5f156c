#pragma once
// How a map shows many incidents: one symbol each, clusters, or a heatmap; Automatic picks
// symbols or clusters by how many are in view. Shared by the window's menu (ui) and the frame
// composer (map/frame.hpp), header-only like the rest of map's vocabulary (draw_list.hpp).
namespace limes::map {

enum class SymbolMode { Symbols, Clusters, Heatmap, Auto };

}  // namespace limes::map
