#include "map/style.hpp"

#include <algorithm>
#include <array>
#include <cmath>

#include "core/incident.hpp"

namespace limes::map {
namespace {

// Six hues far apart (after the Tableau 10 / ColorBrewer qualitative sets), each paired
// with its own shape.
constexpr std::array<TypeStyle, 6> kTypes = {{
    {"Battles", Shape::Circle, {214, 39, 40, 255}},
    {"Explosions/Remote violence", Shape::Triangle, {255, 127, 14, 255}},
    {"Violence against civilians", Shape::Diamond, {148, 103, 189, 255}},
    {"Protests", Shape::Square, {31, 119, 180, 255}},
    {"Riots", Shape::Cross, {140, 86, 75, 255}},
    {"Strategic developments", Shape::Star, {44, 160, 44, 255}},
}};
constexpr bool same_order_as_core() {
    if (kTypes.size() != core::kEventTypes.size()) return false;
    for (std::size_t i = 0; i < kTypes.size(); ++i)
        if (kTypes[i].event_type != core::kEventTypes[i]) return false;
    return true;
}
static_assert(same_order_as_core(), "style_for_type_index indexes core::kEventTypes");
constexpr TypeStyle kUnknown{"", Shape::Circle, {127, 127, 127, 255}};

std::uint32_t hash(std::string_view s) {
    std::uint32_t h = 2166136261u;  // FNV-1a
    for (char c : s) h = (h ^ static_cast<unsigned char>(c)) * 16777619u;
    return h;
}

}  // namespace

const OutlineLook& outline_look(std::string_view layer) {
    static constexpr OutlineLook kLooks[] = {
        {"countries", kCountryOutline, 1.2f},
        {"provinces", kProvinceOutline, 0.6f},
        {"regions", kRegionOutline, 2.0f},
        {"highlight", kHighlightOutline, kHighlightWidthPx},
    };
    for (const auto& l : kLooks)
        if (l.layer == layer) return l;
    return kLooks[0];
}

const LineLook& line_look(std::string_view kind) {
    // Dashed: lines that are not borders. Long dashes for the former oblast, short ones for
    // the ceasefire line, so that a greyscale print tells them apart.
    static constexpr LineLook kLooks[] = {
        {"former_oblast_1991", kOblastLine, 1.6f, 8.0f, 4.0f, LineLook::Legend::Oblast},
        {"ceasefire_line_1994", kCeasefireLine, 1.6f, 3.0f, 3.0f, LineLook::Legend::Ceasefire},
    };
    for (const auto& l : kLooks)
        if (l.kind == kind) return l;
    return kLooks[0];
}

const TypeStyle& style_for_type(std::string_view event_type) {
    for (const auto& t : kTypes)
        if (t.event_type == event_type) return t;
    return kUnknown;
}

const TypeStyle& style_for_type_index(std::size_t index) {
    return index < kTypes.size() ? kTypes[index] : kUnknown;
}

float symbol_size_px(long long fatalities, bool known) {
    // px: a triangle keeps a solid core inside its 2 px outline, a hollow one a visible hole
    constexpr float kBase = 14.0f;
    if (!known || fatalities <= 0) return kBase;
    return std::min(40.0f, kBase + 4.0f * std::sqrt(static_cast<float>(fatalities)));
}

float shape_scale(Shape shape) {
    switch (shape) {
        case Shape::Triangle: return 1.45f;
        case Shape::Star: return 1.4f;
        case Shape::Diamond: return 1.2f;
        case Shape::Cross: return 1.25f;
        case Shape::Square: return 0.9f;
        default: return 1.0f;
    }
}

Rgba side_color(core::ReportingSide side) {
    switch (side) {
        case core::ReportingSide::Armenian: return {25, 25, 25, 255};
        case core::ReportingSide::Azerbaijani: return {0, 170, 215, 255};
        case core::ReportingSide::ThirdParty: return {255, 255, 255, 255};
        default: return {150, 150, 150, 255};
    }
}

Rgba status_color(std::uint8_t status) {
    // Index into core::kStatuses: reported, confirmed, disputed, denied.
    static constexpr Rgba kColors[] = {
        {120, 120, 120, 255}, {30, 140, 60, 255}, {235, 160, 0, 255}, {150, 50, 170, 255}};
    return status < std::size(kColors) ? kColors[status] : Rgba{190, 190, 190, 255};
}

double uncertainty_radius_m(long long geo_precision) {
    if (geo_precision == 2) return 10'000.0;
    if (geo_precision >= 3) return 25'000.0;
    return 0.0;
}

namespace {

/** A palette keyed by country: Armenia's and Azerbaijan's colours fixed, any other key one of
 *  four by its hash (the same key always gets the same colour). */
struct Palette {
    Rgba armenia, azerbaijan;
    std::array<Rgba, 4> others;
    Rgba operator()(std::string_view key) const {
        if (key == "ARM" || key == "Armenia") return armenia;
        if (key == "AZE" || key == "Azerbaijan") return azerbaijan;
        return others[hash(key) % others.size()];
    }
};

bool is_armenia_or_azerbaijan(std::string_view key) {
    return key == "ARM" || key == "Armenia" || key == "AZE" || key == "Azerbaijan";
}

}  // namespace

// clang-format off
// Pastel land tints, Armenia's and Azerbaijan's of equal lightness; and the stronger colours of
// claims by their holder (drawn translucent).
constexpr Palette kLand{{243, 233, 214, 255}, {226, 236, 214, 255},
                        {{{236, 232, 226, 255}, {232, 232, 236, 255}, {238, 236, 226, 255}, {230, 236, 232, 255}}}};
constexpr Palette kHolders{{200, 120, 40, 255}, {40, 140, 120, 255},
                           {{{90, 90, 170, 255}, {170, 90, 140, 255}, {120, 120, 60, 255}, {60, 120, 170, 255}}}};
// clang-format on

// Every other country: one neutral tint (the legend's "other countries"); country outlines and
// names tell the neighbours apart.
constexpr Rgba kOtherLand{236, 233, 228, 255};

Rgba country_fill(std::string_view key) {
    return is_armenia_or_azerbaijan(key) ? kLand(key) : kOtherLand;
}

Rgba other_country_fill() {
    return kOtherLand;
}

Rgba holder_color(std::string_view key) {
    return kHolders(key);
}

}  // namespace limes::map
