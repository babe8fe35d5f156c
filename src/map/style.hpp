#pragma once
// How layers look: colours and symbol shapes. Incident types differ in both shape and colour
// so a greyscale print still tells them apart; sizes grow with the square root of stated
// fatalities so area, not radius, tracks the count.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "core/incident_mark.hpp"
#include "map/draw_list.hpp"

namespace limes::map {

struct TypeStyle {
    std::string_view event_type;  ///< canonical ACLED event type
    Shape shape;
    Rgba fill;
};

/** The style of an ACLED event type (an unknown type gets a grey circle). */
const TypeStyle& style_for_type(std::string_view event_type);
/** The same by index into core::kEventTypes (core::kOtherEventType and beyond: grey circle). */
const TypeStyle& style_for_type_index(std::size_t index);

/** Symbol diameter in pixels for a number of stated fatalities (unknown: the base size,
 *  drawn with an inner white ring: Symbol::inner_ring). */
float symbol_size_px(long long fatalities, bool known);

/** Who reported an incident is its symbol's outline colour (its fill with --color-by
 *  reported_by): Armenian sources near-black, Azerbaijani sources cyan, third parties white,
 *  other/not stated grey; each set apart from the six type colours. */
Rgba side_color(core::ReportingSide side);
/** Fill colour of a status (index into core::kStatuses, or core::kNoStatus) for --color-by
 *  status: reported grey, confirmed green, disputed amber, denied purple. */
Rgba status_color(std::uint8_t status);
/** Width of an incident symbol's outline band at scale 1, px: wide enough to read its colour. */
inline constexpr float kSymbolOutlinePx = 2.0f;

/** Uncertainty discs are drawn only for views of at most this many incidents: beyond it
 *  they merge into one wash that hides the map and costs most of the drawing time (a 4K
 *  briefing of 1M incidents spent 89 % of its time filling discs on llvmpipe). */
inline constexpr std::size_t kMaxUncertaintyDiscs = 20'000;

/** Size factor that gives each shape about the visual weight of a circle of the same
 *  nominal size (a triangle inscribed in the circle covers 41 % of it, a star less). */
float shape_scale(Shape shape);

/** Radius in metres of the uncertainty disc for ACLED geo_precision 2 (near a town / part of
 *  a region) and 3 (only the province known); 0 for precise locations. */
double uncertainty_radius_m(long long geo_precision);

/** Fill colour of a country by ISO3 or name; neutral and light, so incidents stand out.
 *  Armenia and Azerbaijan each have their own tint, every other country shares one ("other
 *  countries" in the legend), so that the legend can say which fill is which. */
Rgba country_fill(std::string_view key);
/** The tint of every country but Armenia and Azerbaijan. */
Rgba other_country_fill();
/** A stronger colour for claims held by key (used translucent). */
Rgba holder_color(std::string_view key);

/** How the outlines of a polygon layer look (countries, provinces, regions). */
struct OutlineLook {
    std::string_view layer;
    Rgba color;
    float width_px;
};
/** The look of a layer's outlines; a layer not in the table looks like countries. */
const OutlineLook& outline_look(std::string_view layer);

/** How a historical line looks, by its kind; and which legend entry it stands for. */
struct LineLook {
    std::string_view kind;
    Rgba color;
    float width_px, dash_px, gap_px;
    enum class Legend { Oblast, Ceasefire } legend;
};
/** The look of a historical line of this kind; other kinds look like the 1991 oblast line. */
const LineLook& line_look(std::string_view kind);

inline constexpr Rgba kBackground{214, 226, 235, 255};  // sea / outside the data
inline constexpr Rgba kInk{30, 30, 30, 255};          // text of labels and furniture
inline constexpr Rgba kCountryOutline{90, 90, 90, 255};
inline constexpr Rgba kProvinceOutline{160, 160, 160, 255};
inline constexpr Rgba kOblastLine{120, 40, 40, 255};
inline constexpr Rgba kCeasefireLine{40, 40, 40, 255};
inline constexpr Rgba kRegionOutline{120, 40, 40, 255};
/** The --region area of a briefing: a strong edge above every other line, below incidents. */
inline constexpr Rgba kHighlightOutline{20, 20, 120, 255};
inline constexpr float kHighlightWidthPx = 3.5f;
/** Ground that changed hands on a change map (`render --changes`): its new holder's colour,
 *  stronger than a claim's, hatched and outlined in a magenta no holder or line uses. */
inline constexpr Rgba kChangeOutline{200, 20, 140, 255};
inline constexpr float kChangeWidthPx = 2.5f, kChangeHatchPx = 5.0f;
inline constexpr std::uint8_t kChangeFillAlpha = 120;
/** Lakes (fill) and rivers (lines, kRiverWidthPx wide): one water blue, darker than the sea
 *  background so a lake reads against both land and sea. */
inline constexpr Rgba kWater{120, 170, 215, 255};
inline constexpr float kRiverWidthPx = 1.8f;
/** The dashes of a claim boundary that is approximate (core::is_approximate), px at scale 1. */
inline constexpr float kApproxDashPx = 6.0f, kApproxGapPx = 4.0f;
/** Labels of water features: a dark blue whose blends with kWater, white halos and land
 *  never come within 24 per channel of an incident type's colour (Protests' blue). */
inline constexpr Rgba kWaterInk{25, 70, 120, 255};
inline constexpr Rgba kPlace{40, 40, 40, 255};
/** Approximate-location discs: one neutral, light tint (not the type's colour), no outline. */
inline constexpr Rgba kUncertaintyDisc{70, 90, 120, 18};

}  // namespace limes::map
