#pragma once
// Where the names go on a map, for the briefing (image pixels) and the window (screen pixels):
// the --region area's name first, then claims, places by rank, and below them in priority
// country names, regions, lakes and rivers. No label overlaps another or anything already
// occupied (the briefing's furniture, the window's panels), and every label lies inside the
// view. Placement depends only on the scene, the view, the language and the text measure, so
// a caller that keeps the view keeps the labels (the window recomputes only on a view change).
#include <functional>
#include <string>
#include <vector>

#include "map/draw_list.hpp"
#include "map/scene.hpp"
#include "map/text.hpp"

namespace limes::map {

/** An axis-aligned box in image pixels (x right, y down). */
struct PixelBox {
    float x0 = 0, y0 = 0, x1 = 0, y1 = 0;
    bool overlaps(const PixelBox& o) const {
        return x0 < o.x1 && o.x0 < x1 && y0 < o.y1 && o.y0 < y1;
    }
};

/** Even-odd point-in-polygon over rings (image pixels). */
bool inside_rings(const std::vector<std::vector<Vec2>>& rings, Vec2 p);

/** A point inside a polygon and its distance (pixels) to the nearest edge or to the border
 *  of the box it was looked for in. */
struct InteriorPoint {
    Vec2 at;
    float clearance = 0.0f;
};
/** Points of a grid (step pixels) inside the polygon given by rings (image pixels, even-odd)
 *  and inside `within`, farthest from the edges first: where a label of a large area goes,
 *  and where the next one goes when that place is taken. */
std::vector<InteriorPoint> interior_points(const std::vector<std::vector<Vec2>>& rings,
                                           const PixelBox& within, float step);

enum class LabelKind { Highlight, Claim, Place, Country, Region, Lake, River };

/** One placed label. box: image pixels (x right, y down), the text's extent (for a claim the
 *  two lines together); anchor: the pixel of what it names (a place's point, a claim's
 *  centroid, the box centre for areas and rivers). */
struct PlacedLabel {
    std::string text;
    std::string detail;  ///< a claim's second line ("held by HOLDER since DATE"), else empty
    LabelKind kind = LabelKind::Place;
    PixelBox box;
    Vec2 anchor;
    float size = 13.0f;  ///< text size in pixels
    Weight weight = Weight::Regular;
    Rgba ink{30, 30, 30, 255};
    float halo_px = 2.0f;  ///< width of the light halo around the glyphs
};

/** Extent of text at size pixels in the caller's font (TextEngine::measure, ImGui). */
using MeasureText = std::function<TextBox(const std::string& text, float size, Weight weight)>;

/** Which basemap layers the labels may name ("places", "claims", "countries", "regions",
 *  "lakes", "rivers"; "highlight" is always named). Empty: all. */
using LayerShown = std::function<bool(const std::string& layer)>;

struct LabelOptions {
    std::string language = "en";  ///< en | hy | az: which name; English where it has none
    float scale = 1.0f;           ///< factor on the text sizes (13 px places at 1)
    LayerShown shown;
};

/** Places the labels of scene in view (positions: map units relative to the scene's origin),
 *  in priority order, none overlapping another or a box of occupied. */
std::vector<PlacedLabel> place_labels(const Scene& scene, const View& view,
                                      const LabelOptions& options, const MeasureText& measure,
                                      std::vector<PixelBox> occupied = {});

}  // namespace limes::map
