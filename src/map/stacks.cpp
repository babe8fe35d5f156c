#include "map/stacks.hpp"

#include <algorithm>
#include <cmath>
#include <string>
#include <unordered_map>

#include "core/huge_pages.hpp"
#include "map/style.hpp"
#include "map/text.hpp"

namespace limes::map {
namespace {

constexpr float kPi = 3.14159265358979f;

bool finite(Vec2 p) {
    return std::isfinite(p.x) && std::isfinite(p.y);
}

}  // namespace

std::vector<Vec2> screen_positions(const std::vector<Vec2>& positions, const View& view,
                                   double origin_x, double origin_y) {
    std::vector<Vec2> out;
    core::reserve_big(out, positions.size());
    out.resize(positions.size());
    for (std::size_t i = 0; i < positions.size(); ++i) {
        const Vec2 p = positions[i];
        // Map y is up, screen y is down; the view centre is the image centre.
        out[i] = {static_cast<float>((p.x + origin_x - view.center_x) / view.units_per_pixel +
                                     view.width / 2.0),
                  static_cast<float>(view.height / 2.0 -
                                     (p.y + origin_y - view.center_y) / view.units_per_pixel)};
    }
    return out;
}

std::vector<Stack> find_stacks(const std::vector<Vec2>& screen_px, float overlap_px) {
    std::vector<Stack> stacks;
    if (!(overlap_px > 0.0f)) overlap_px = 0.5f;  // at least the same pixel
    // Seeds (first positions of their groups) by grid cell of overlap_px: a later position
    // looks for a seed in its own and the 8 cells around, so only seeds within overlap_px.
    auto key = [](std::int64_t cx, std::int64_t cy) {
        return static_cast<std::uint64_t>(cx) * 0x9E3779B97F4A7C15ull ^
               static_cast<std::uint64_t>(cy);
    };
    std::unordered_map<std::uint64_t, std::vector<std::uint32_t>> seeds_in_cell;
    std::vector<std::int32_t> group_of_seed(screen_px.size(), -1);  // group index of a seed
    std::vector<std::vector<std::uint32_t>> groups;
    for (std::uint32_t i = 0; i < screen_px.size(); ++i) {
        const Vec2 p = screen_px[i];
        if (!finite(p)) continue;
        const auto cx = static_cast<std::int64_t>(std::floor(p.x / overlap_px));
        const auto cy = static_cast<std::int64_t>(std::floor(p.y / overlap_px));
        std::int64_t best_seed = -1;
        float best = overlap_px;
        for (std::int64_t dy = -1; dy <= 1; ++dy)
            for (std::int64_t dx = -1; dx <= 1; ++dx) {
                const auto it = seeds_in_cell.find(key(cx + dx, cy + dy));
                if (it == seeds_in_cell.end()) continue;
                for (const std::uint32_t s : it->second) {
                    const float d = std::hypot(screen_px[s].x - p.x, screen_px[s].y - p.y);
                    // The nearest seed (ties: the earlier one), strictly within overlap_px.
                    if (d < best || (d == best && best_seed >= 0 && s < best_seed)) {
                        best = d;
                        best_seed = s;
                    }
                }
            }
        if (best_seed >= 0) {
            groups[static_cast<std::size_t>(group_of_seed[best_seed])].push_back(i);
            continue;
        }
        group_of_seed[i] = static_cast<std::int32_t>(groups.size());
        groups.push_back({i});
        seeds_in_cell[key(cx, cy)].push_back(i);
    }
    for (auto& g : groups)
        if (g.size() >= 2) stacks.push_back({screen_px[g.front()], std::move(g)});
    return stacks;
}

std::vector<Vec2> fan_offsets(std::size_t n, float symbol_px, float badge_px) {
    std::vector<Vec2> out;
    out.reserve(n);
    const float step = 1.15f * symbol_px;                                  // centre to centre, px
    float radius = 0.5f * badge_px + 0.5f * symbol_px + 0.2f * symbol_px;  // clear of the badge
    std::size_t placed = 0;
    while (placed < n) {
        // As many as the ring holds with neighbours step apart (chord 2 r sin(pi / k) >= step).
        std::size_t room = 1;
        while (room < 64 && 2.0f * radius * std::sin(kPi / static_cast<float>(room + 1)) >= step)
            ++room;
        std::size_t k = std::min(room, n - placed);
        if (k == 1 && n - placed > 1) {  // a ring that holds one: grow it to hold two
            radius = std::max(radius, 0.5f * step);
            k = 2;
        }
        // A ring that will be the last one spreads what is left evenly; the first symbol
        // straight up, or half a step on when a multiple of 4 would put one straight right of
        // the point, where a place label goes first (angle clockwise from up, screen y down).
        const float start = k % 4 == 0 ? kPi / static_cast<float>(k) : 0.0f;
        for (std::size_t j = 0; j < k; ++j) {
            const float a = start + 2.0f * kPi * static_cast<float>(j) / static_cast<float>(k);
            out.push_back({radius * std::sin(a), -radius * std::cos(a)});
        }
        placed += k;
        radius += step;
    }
    return out;
}

StackLayout fan_stacks(const std::vector<Vec2>& screen_px, float overlap_px, float symbol_px,
                       float badge_px, const std::vector<float>* sizes_px) {
    StackLayout layout;
    layout.badge_px = badge_px;
    layout.offsets_px.assign(screen_px.size(), Vec2{0.0f, 0.0f});
    layout.stacks = find_stacks(screen_px, overlap_px);
    for (const Stack& s : layout.stacks) {
        float size = symbol_px;
        if (sizes_px) {
            size = 0.0f;
            for (const std::uint32_t m : s.members) size = std::max(size, (*sizes_px)[m]);
        }
        const std::vector<Vec2> fan = fan_offsets(s.members.size(), size, badge_px);
        for (std::size_t j = 0; j < s.members.size(); ++j) {
            const std::uint32_t m = s.members[j];
            // Around the stack's centre, whatever the member's own point (within overlap_px).
            layout.offsets_px[m] = {s.center.x + fan[j].x - screen_px[m].x,
                                    s.center.y + fan[j].y - screen_px[m].y};
        }
    }
    return layout;
}

StackLayout stack_incidents(const std::vector<core::IncidentMark>& marks,
                            const std::vector<Vec2>& screen_px, const IncidentLook& look) {
    if (marks.size() > kMaxStackedIncidents) {
        StackLayout none;
        none.offsets_px.assign(marks.size(), Vec2{0.0f, 0.0f});
        return none;
    }
    std::vector<float> sizes(marks.size());
    for (std::size_t i = 0; i < marks.size(); ++i)
        sizes[i] = incident_symbol(marks[i], look).size_px;
    const float base = symbol_size_px(0, true) * look.scale;
    return fan_stacks(screen_px, 0.6f * base, base, 15.0f * look.scale, &sizes);
}

void add_stack_leaders(const StackLayout& layout, const std::vector<Vec2>& screen_px,
                       const View& view, float scale, DrawList& list) {
    if (layout.stacks.empty()) return;
    LineBatch leaders;
    leaders.color = kLeader;
    leaders.layer = "incidents";
    leaders.width_px = 1.0f * scale;
    // Screen px -> map units relative to the list's origin (y up).
    auto to_map = [&](Vec2 s) {
        return Vec2{static_cast<float>((s.x - view.width / 2.0) * view.units_per_pixel +
                                       view.center_x - list.origin_x),
                    static_cast<float>((view.height / 2.0 - s.y) * view.units_per_pixel +
                                       view.center_y - list.origin_y)};
    };
    for (const Stack& s : layout.stacks)
        for (const std::uint32_t m : s.members) {
            const Vec2 end{screen_px[m].x + layout.offsets_px[m].x,
                           screen_px[m].y + layout.offsets_px[m].y};
            leaders.polylines.push_back({to_map(s.center), to_map(end)});
        }
    list.lines.push_back(std::move(leaders));
}

void add_stack_badges(const StackLayout& layout, float scale, TextEngine& text, DrawList& list,
                      const std::vector<PixelBox>& covered) {
    if (layout.stacks.empty()) return;
    const std::size_t first_symbol = list.overlay.symbols.size();
    const std::size_t first_text = list.overlay.texts.size();
    for (const Stack& s : layout.stacks) {
        if (std::any_of(covered.begin(), covered.end(), [&](const PixelBox& b) {
                return s.center.x >= b.x0 && s.center.x <= b.x1 && s.center.y >= b.y0 &&
                       s.center.y <= b.y1;
            }))
            continue;
        const std::string count = std::to_string(s.members.size());
        Symbol badge;
        badge.position = s.center;
        badge.shape = Shape::Circle;
        badge.fill = kBadgeFill;
        badge.outline = {255, 255, 255, 255};
        badge.outline_px = 1.0f * scale;
        // Wide enough for the digits: two digits widen it.
        const float size = 0.62f * layout.badge_px;
        const TextBox box = text.measure(count, size, Weight::Bold);
        badge.size_px = std::max(layout.badge_px, box.width + 0.5f * layout.badge_px);
        list.overlay.symbols.push_back(badge);
        // Digits are about 0.72 em tall, from the baseline up: centre them on the badge.
        text.layout(count, s.center.x - box.width / 2, s.center.y + 0.36f * size, size, kBadgeText,
                    list.overlay, Weight::Bold);
    }
    mark_layer(list.overlay, first_symbol, first_text, "incidents");
    list.atlas = text.atlas();
}

}  // namespace limes::map
