#pragma once
// One row of a legend as data: what the briefing draws in its legend panel and the window in
// its Legend tab (ui draws it with ImGui shapes). Header-only vocabulary (limes_map_types):
// ui uses it without linking limes_map.
#include <string>
#include <vector>

#include "map/draw_list.hpp"

namespace limes::map {

/** A key (symbol, disc, fill swatch or line) and its label. Sizes in pixels at the scale the
 *  entries were made for. */
struct LegendEntry {
    std::string label;
    int kind;  ///< 0 symbol, 1 disc, 2 fill swatch (fill, optional hatch), 4 line
    Symbol symbol;
    LineBatch line;                 ///< kind 4: the line; kind 2: the swatch's outline (optional)
    FillBatch fill = {};            ///< kind 2: colour and hatch of the swatch
    std::string badge = {};         ///< kind 0: text drawn on the symbol (a stack's count)
    std::vector<Symbol> more = {};  ///< kind 0: further samples after the key (sizes)
    bool framed = false;            ///< kind 0: a thin dark edge around the key (a white outline)
};

}  // namespace limes::map
