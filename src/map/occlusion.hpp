#pragma once
// Symbols that cannot show: at a million incidents most symbols of a dense area lie wholly
// under others drawn later, yet each still costs the rasteriser its whole quad (on llvmpipe,
// fill rate is the price of a 4K briefing). drop_hidden_symbols walks the symbols from the top
// of the drawing order down with a coverage mask of the image and drops every symbol whose
// quad lies entirely on pixels that opaque symbols above it cover. Dropping them changes no
// pixel: a covered pixel shows the opaque symbol above whatever lies under it.
#include <cstddef>
#include <vector>

#include "map/draw_list.hpp"

namespace limes::map {

/** Below this many symbols the mask is not worth its memory (width × height bytes). */
inline constexpr std::size_t kDropHiddenFrom = 20'000;

/** Drops the symbols of symbols[first..] (drawn in order: later ones on top; positions in map
 *  units relative to origin) that opaque symbols after them hide completely in view. Symbols
 *  reaching outside the view are kept, and a safety margin of a pixel keeps the result exact
 *  after the window pans the same list by any fraction of a pixel. Order is kept. Returns how
 *  many were dropped. */
std::size_t drop_hidden_symbols(std::vector<Symbol>& symbols, std::size_t first, const View& view,
                                double origin_x, double origin_y);

/** Half side, in pixels, of the centred square where a symbol of this shape and size is opaque
 *  at every sample (fill and outline opaque), from the shapes of shaders/symbol.frag; 0 for
 *  translucent ones and discs. */
double opaque_half_side(const Symbol& s);

/** Half width, in pixels, of the row dy pixels below the symbol's centre (image y down) where
 *  it is opaque with `inset` pixels to spare: its pixels whose centres lie within that of the
 *  centre's x stay opaque after a move by up to inset pixels. Negative where the row has none,
 *  and for translucent symbols and discs. From the signed distances of shaders/symbol.frag;
 *  stars use the square of opaque_half_side. */
double opaque_half_width(const Symbol& s, double dy, double inset);

}  // namespace limes::map
