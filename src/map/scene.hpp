#pragma once
// A Scene is a basemap and its claims (core::Basemap, plain data from storage) projected into
// one map CRS and triangulated, once; draw() then turns it plus a set of incidents into a
// DrawList for one view. The window rebuilds only the incident symbols when filters or the
// time range change. How each layer looks is a table in map/style.hpp.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/basemap.hpp"
#include "core/incident.hpp"
#include "core/incident_mark.hpp"
#include "geo/geometry/projection.hpp"
#include "map/draw_list.hpp"
#include "map/symbol_mode.hpp"

namespace limes::map {

/** How incident symbols are drawn beyond their type's shape. */
struct IncidentLook {
    ColorBy color_by = ColorBy::Type;  ///< what the fill colour means
    /** Image pixels per nominal pixel of symbol sizes and outlines: 1 on screen; a briefing's
     *  furniture_scale (as its text), so symbols keep their size next to the labels. */
    float scale = 1.0f;
    /** Per incident (indexed like the positions): where its symbol goes from its true point,
     *  screen px (x right, y down), e.g. StackLayout::offsets_px; null: at the point. The
     *  uncertainty disc stays at the point. */
    const std::vector<Vec2>* offsets_px = nullptr;
};

/** The symbol of one incident (position left at 0): shape by type, fill by look.color_by,
 *  outline by the reporting side (white when the fill already shows the side), dashed when
 *  disputed, hollow when denied, an inner white ring when fatalities are not stated, size by the
 *  stated fatalities; sizes and outline times look.scale. What the legend samples too. */
Symbol incident_symbol(const core::IncidentMark& mark, const IncidentLook& look);

/** A settlement to label: position in map units relative to the draw list origin. */
struct PlaceInfo {
    Vec2 position;
    std::string name_en, name_hy, name_az, kind;
    int rank = 3;  ///< 0 capital, 1 city, 2 town, 3 village/area: lower is labelled first
};

/** A claim of the scene and where its label goes (a point inside its largest part, map units
 *  relative to the draw list origin); rings: every ring of every part, for placing the label
 *  elsewhere inside when that point is taken. */
struct ClaimLabel {
    core::Claim claim;
    Vec2 anchor;
    std::vector<std::vector<Vec2>> rings;
};

/** A named feature of a basemap layer that the briefing labels or lists in its legend:
 *  countries, lakes, rivers, regions and the --region area ("highlight"). Geometry in map
 *  units relative to the draw list origin: the rings of every polygon part (even-odd inside),
 *  or a river's polylines. */
struct FeatureInfo {
    std::string layer;
    std::string key;  ///< countries: ISO3 (what the fill is chosen by)
    std::string name_en, name_hy, name_az;
    std::vector<std::vector<Vec2>> rings;  ///< polygon rings, or polylines when is_line
    bool is_line = false;
    float min_x = 0, min_y = 0, max_x = 0, max_y = 0;  ///< bounds of rings
};

/** How one layer is drawn: shown or not, and its opacity (0..1). The order of a list of
 *  these is the drawing order within each kind of primitive (fills, lines, symbols). */
struct LayerStyle {
    std::string name;
    bool visible = true;
    float opacity = 1.0f;
    bool recolor = false;      ///< draw the layer's fills, lines and symbols in `color`
    Rgba color{0, 0, 0, 255};  ///< with recolor: the colour (its alpha is ignored)
    float line_width = 1.0f;   ///< factor on the layer's line widths
};

/** A lon/lat point's position in a draw list: projected with proj (NaN where the CRS cannot
 *  show it), relative to the origin (map units), as float. The one way positions are made:
 *  Scene::local and positions(), and the window's loader on its own thread and projector. */
inline Vec2 local_position(const geo::Projector& proj, double origin_x, double origin_y, double lon,
                           double lat) {
    double x, y;
    proj.forward(lon, lat, x, y);
    return {static_cast<float>(x - origin_x), static_cast<float>(y - origin_y)};
}

class Scene {
  public:
    /** Projects the basemap's layers and claims into crs (anything PROJ accepts; UsageError
     *  naming it when PROJ does not) and triangulates them. layers names the ones to show
     *  (empty: all). A layer named "highlight" (a briefing's --region area) is always shown:
     *  a strong outline above the other lines. */
    Scene(const core::Basemap& basemap, const std::string& crs = geo::kDefaultMapCrs,
          const std::vector<std::string>& layers = {});

    /** The layer names a Scene knows, for --layers messages. */
    static const std::vector<std::string>& layer_names();

    /** The draw list for a view: basemap, claims, then incidents (uncertainty discs below
     *  symbols, larger symbols on top of smaller). */
    DrawList draw(const std::vector<core::IncidentMark>& incidents, const View& view) const;
    /** The same with layer visibility, opacity and order; "incidents" places the incident
     *  symbols among the layers. Layers missing from styles are not drawn. */
    DrawList draw(const std::vector<core::IncidentMark>& incidents, const View& view,
                  const std::vector<LayerStyle>& styles) const;
    /** The same for a subset of incidents (indices into all) whose map positions are
     *  already known (positions[i] for all[i], from positions()): what the window uses, so
     *  a frame never reprojects a million points. subset null: every incident. */
    DrawList draw(const std::vector<core::IncidentMark>& all, const std::vector<Vec2>& positions,
                  const std::vector<std::uint32_t>* subset, const View& view,
                  const std::vector<LayerStyle>& styles, const IncidentLook& look = {}) const;
    /** Map positions (relative to the draw list origin) of incidents, NaN where the CRS
     *  cannot show them. */
    std::vector<Vec2> positions(const std::vector<core::IncidentMark>& incidents) const;
    /** Symbols for incidents (uncertainty discs first, one per place and radius; then
     *  symbols small below large), as look says. */
    static void incident_symbols(const std::vector<core::IncidentMark>& all,
                                 const std::vector<Vec2>& positions,
                                 const std::vector<std::uint32_t>* subset, const View& view,
                                 std::vector<Symbol>& out, const IncidentLook& look = {});
    /** The default layer order with everything visible, incidents last. */
    std::vector<LayerStyle> default_styles() const;
    /** Map position (relative to the draw list origin) of a lon/lat point. */
    Vec2 local(double lon, double lat) const;
    /** The same of a point already in map coordinates. */
    Vec2 local(const core::XY& p) const;
    /** A lon/lat line as local map positions. */
    std::vector<Vec2> local(const core::Line& line) const;
    /** Every ring of a projected multipolygon as a local polyline, in order. */
    std::vector<std::vector<Vec2>> local_rings(const core::XYMultiPolygon& mp) const;

    /** Map-CRS bounds of the basemap (x = easting, y = northing). */
    double min_x() const { return min_x_; }
    double min_y() const { return min_y_; }
    double max_x() const { return max_x_; }
    double max_y() const { return max_y_; }
    const geo::Projector& projector() const { return proj_; }
    const std::vector<PlaceInfo>& places() const { return place_info_; }
    const std::vector<ClaimLabel>& claims() const { return claims_; }
    /** Named features of the countries, lakes, rivers, regions and highlight layers, in
     *  drawing order (with or without a name: the legend needs every country's key). */
    const std::vector<FeatureInfo>& features() const { return features_; }
    /** True when the scene draws features of the basemap layer (e.g. "provinces", "lakes",
     *  "claims"). Lakes and rivers are drawn in the draw list's "countries" layer. */
    bool draws(std::string_view layer) const;
    /** The label anchor of the claim with this fid (map units relative to the origin). */
    std::optional<Vec2> claim_anchor(std::int64_t fid) const {
        for (const auto& c : claims_)
            if (c.claim.fid == fid) return c.anchor;
        return std::nullopt;
    }
    double origin_x() const { return origin_x_; }
    double origin_y() const { return origin_y_; }
    /** Which basemap layers exist: "countries", "historical_lines", ... (for the legend). */
    bool has_oblast_line() const { return has_oblast_; }
    bool has_ceasefire_line() const { return has_ceasefire_; }
    bool has_regions() const { return has_regions_; }

  private:
    void add_fills(const core::BasemapLayer& layer);
    void add_outlines(const core::BasemapLayer& layer);
    void add_lines(const core::BasemapLayer& layer);
    void add_claims(const std::vector<core::Claim>& claims);
    /** A change map's "changes" layer: each feature (key: the new holder) filled in its new
     *  holder's colour, hatched and outlined in kChangeOutline. */
    void add_changes(const core::BasemapLayer& layer);
    void add_places(const core::BasemapLayer& layer);
    void add_water_lines(const core::BasemapLayer& layer);
    void add_feature_info(const core::BasemapLayer& layer);
    struct SceneLayer {
        std::string name;
        std::vector<FillBatch> fills;
        std::vector<LineBatch> lines;
        std::vector<Symbol> symbols;
    };
    SceneLayer& scene_layer(const std::string& name);

    geo::Projector proj_;
    double origin_x_ = 0.0, origin_y_ = 0.0;
    double min_x_ = 0, min_y_ = 0, max_x_ = 0, max_y_ = 0;
    std::vector<SceneLayer> layers_;  // in default drawing order
    std::vector<PlaceInfo> place_info_;
    std::vector<ClaimLabel> claims_;
    std::vector<FeatureInfo> features_;
    std::vector<std::string> drawn_;  // basemap layers (and "claims") with something drawn
    bool has_oblast_ = false, has_ceasefire_ = false, has_regions_ = false;
    bool skip_oblast_lines_ = false;  // the regions layer draws the 1991 oblast boundary
};

}  // namespace limes::map
