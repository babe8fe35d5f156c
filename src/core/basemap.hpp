#pragma once
// The basemap as a map draws it: each layer's features as plain geometry (WGS84 lon/lat) with
// the few attributes the styles and labels read. Storage fills it (geo/store/basemap.hpp); the
// map module turns it into draw lists without knowing where it came from.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/claim.hpp"
#include "core/geometry.hpp"

namespace limes::core {

struct BasemapFeature {
    std::int64_t fid = 0;
    MultiPolygon polygons;         ///< polygon layers (countries, provinces, regions)
    std::vector<Line> lines;       ///< line layers (historical_lines)
    std::optional<LonLat> point;   ///< point layers (places)
    std::string name;              ///< display name (English)
    std::string name_hy, name_az;  ///< Armenian and Azerbaijani names where the layer has them
    std::string key;               ///< what fills are coloured by: ISO3 code, else the name
    std::string kind;  ///< historical_lines: e.g. ceasefire_line_1994; places: capital, city, ...
    /** When the feature held (historical lines: the days the line was in force; see
     *  core::valid_on); nullopt: open-ended or not dated (always drawn). */
    std::optional<Date> valid_from, valid_to;
};

/** Whether a map of day draws f: dated lines (historical lines) only on the days they were
 *  valid (core::valid_on); areas whatever their dates, as references (Basemap::as_of). */
inline bool drawn_on(const BasemapFeature& f, Date day) {
    return f.lines.empty() || valid_on(f.valid_from, f.valid_to, day);
}

struct BasemapLayer {
    std::string name;  ///< countries, provinces, historical_lines, regions, places
    std::vector<BasemapFeature> features;
};

struct Basemap {
    std::vector<BasemapLayer> layers;  ///< the layers the workspace has, of those asked for
    std::vector<Claim> claims;

    /** The basemap as of day: the claims and the dated lines (historical lines) valid on it
     *  (core::valid_on); undated lines are kept. Areas are kept whatever their dates: the
     *  regions are references (the 1991 oblast outlines Nagorno-Karabakh on a map of 2022,
     *  and its legend says 1991), and --region looks them up at any date. */
    Basemap as_of(Date day) const {
        Basemap out;
        for (const auto& l : layers) {
            BasemapLayer kept{l.name, {}};
            for (const auto& f : l.features)
                if (drawn_on(f, day)) kept.features.push_back(f);
            out.layers.push_back(std::move(kept));
        }
        for (const auto& c : claims)
            if (valid_on(c.valid_from, c.valid_to, day)) out.claims.push_back(c);
        return out;
    }

    /** The named layer, or null. */
    const BasemapLayer* layer(std::string_view name) const {
        for (const auto& l : layers)
            if (l.name == name) return &l;
        return nullptr;
    }
};

}  // namespace limes::core
