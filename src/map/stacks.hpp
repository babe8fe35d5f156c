#pragma once
// Incidents at one place: found on the screen, fanned out around their true point so that
// each shows, and marked with a count. A stack is a group of symbols whose centres lie
// within overlap_px of the group's first symbol (the same place, or so close that the drawn
// symbols hide each other). The briefing fans every stack out (a ring of symbols around a
// badge with the count at the true point, thin leaders from the badge to each symbol); the
// window can fan out the stack a click hits with the same functions.
// Screen pixels here: x right, y down, (0, 0) the image's top-left.
#include <cstdint>
#include <vector>

#include "core/incident_mark.hpp"
#include "map/briefing.hpp"
#include "map/draw_list.hpp"
#include "map/scene.hpp"

namespace limes::map {

class TextEngine;

/** Two or more symbols at one place. */
struct Stack {
    Vec2 center;                         ///< screen px: the first member's position
    std::vector<std::uint32_t> members;  ///< indices into the positions given, in their order
};

/** Stacks and where each symbol goes. */
struct StackLayout {
    std::vector<Stack> stacks;
    /** Per position given: screen-pixel offset of its symbol from its true point (x right,
     *  y down); (0, 0) for a symbol that is not in a stack. */
    std::vector<Vec2> offsets_px;
    float badge_px = 0.0f;  ///< diameter of the count badges, px
};

/** Screen pixels of map positions (relative to origin, as Scene::positions) in view; NaN
 *  stays NaN. */
std::vector<Vec2> screen_positions(const std::vector<Vec2>& positions, const View& view,
                                   double origin_x, double origin_y);

/** The stacks among screen positions (NaN ones are never in a stack): each position joins
 *  the stack of the first earlier position within overlap_px of it (not a chain: a group
 *  spans at most 2 overlap_px), found through a grid of overlap_px cells, O(n). */
std::vector<Stack> find_stacks(const std::vector<Vec2>& screen_px, float overlap_px);

/** Offsets (screen px, x right, y down) for n symbols of diameter symbol_px fanned around a
 *  centre badge of diameter badge_px: the first straight up (half a step on for a multiple
 *  of 4, so none lies straight right, where labels go), then clockwise on a ring whose
 *  neighbours stand apart by 1.15 symbol_px and clear of the badge; beyond a ring's room, a
 *  further ring outside it. */
std::vector<Vec2> fan_offsets(std::size_t n, float symbol_px, float badge_px);

/** find_stacks, then fan_offsets for each stack (symbol_px: its largest member's size when
 *  sizes_px is given, else symbol_px). */
StackLayout fan_stacks(const std::vector<Vec2>& screen_px, float overlap_px, float symbol_px,
                       float badge_px, const std::vector<float>* sizes_px = nullptr);

/** Thin leaders from each stack's centre to its fanned symbols, as a line batch in the
 *  list's map units (drawn under every symbol); positions and view as for screen_positions. */
void add_stack_leaders(const StackLayout& layout, const std::vector<Vec2>& screen_px,
                       const View& view, float scale, DrawList& list);

/** The count badges (a dark disc with the number in white at each stack's centre) into
 *  list.overlay, with their glyphs from text (list.atlas is set to text's); none for a stack
 *  whose centre lies in one of covered (the furniture: the overlay is drawn over it). */
void add_stack_badges(const StackLayout& layout, float scale, TextEngine& text, DrawList& list,
                      const std::vector<PixelBox>& covered = {});

/** Incidents are fanned out only in views of at most this many (as uncertainty discs). */
inline constexpr std::size_t kMaxStackedIncidents = 20'000;

/** A briefing's stacks of incidents at screen_px (Scene::positions through
 *  screen_positions): symbols whose centres are closer than 0.6 of the base symbol size
 *  (times look.scale) stack; each stack fans out by its largest symbol around a badge of
 *  15 px times look.scale. Empty beyond kMaxStackedIncidents. */
StackLayout stack_incidents(const std::vector<core::IncidentMark>& marks,
                            const std::vector<Vec2>& screen_px, const IncidentLook& look);

/** Badge colours, for the legend and tests. */
inline constexpr Rgba kBadgeFill{45, 45, 45, 255};
inline constexpr Rgba kBadgeText{255, 255, 255, 255};
inline constexpr Rgba kLeader{70, 70, 70, 200};

}  // namespace limes::map
