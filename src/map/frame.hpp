#pragma once
// One frame of the map, composed the same way for the window and for `limes render`: the
// scene's layers with their styles, then the incidents as symbols, clusters or a heatmap; and
// the extent that fits the incidents with some context around them. The window adds only its
// own decorations (selection, measure line, the claim being drawn) on top.
#include <cstdint>
#include <limits>
#include <vector>

#include "core/incident_mark.hpp"
#include "map/cluster.hpp"
#include "map/density.hpp"
#include "map/draw_list.hpp"
#include "map/scene.hpp"
#include "map/symbol_mode.hpp"

namespace limes::map {

/** Map-CRS bounds (absolute, x = easting, y = northing); empty() until something is added. */
struct Bounds {
    double min_x = std::numeric_limits<double>::infinity(), min_y = min_x;
    double max_x = -std::numeric_limits<double>::infinity(), max_y = max_x;
    bool empty() const { return min_x > max_x; }
    void add(double x, double y) {
        if (x < min_x) min_x = x;
        if (x > max_x) max_x = x;
        if (y < min_y) min_y = y;
        if (y > max_y) max_y = y;
    }
};

/** Bounds of the incidents' positions (relative to origin, as Scene::positions; of subset, or
 *  all when null), absolute; NaN positions (outside the CRS) are left out. */
Bounds incident_bounds(const std::vector<Vec2>& positions, const std::vector<std::uint32_t>* subset,
                       double origin_x, double origin_y);

/** The bounds grown so that context shows around incidents: a fifth of their spread on each
 *  side, and at least 15 km (map units are metres in limes' projected CRSs). */
Bounds with_context(Bounds b);

/** The view of width x height pixels that shows bounds whole, centred, with margin (a
 *  fraction of the larger side) around. */
View fit_view(const Bounds& b, int width, int height, double margin);

/** What Automatic shows for n incidents in view: clusters when more than the screen can show
 *  one by one (one per 40x40 px on average, at least 2,000), else symbols. */
SymbolMode resolve_mode(SymbolMode mode, std::size_t incidents_in_view, const View& view);

/** Composes frames; keeps the clusters of the last frame, which change only when the
 *  incidents shown (their version) or the zoom level (a power of two) change. */
class FrameComposer {
  public:
    /** The scene's layers in styles' order and visibility; the incidents of visible (indices
     *  into marks; null: all) at positions, as mode says (resolved: not Auto).
     *  visible_version changes whenever visible does (cache key of the clusters). look: how
     *  symbols are drawn (colour by, scale, fanned offsets). */
    DrawList compose(const Scene& scene, const std::vector<core::IncidentMark>& marks,
                     const std::vector<Vec2>& positions, const std::vector<std::uint32_t>* visible,
                     std::uint64_t visible_version, const View& view,
                     const std::vector<LayerStyle>& styles, SymbolMode mode,
                     const IncidentLook& look = {});

    /** The clusters of the last frame composed in SymbolMode::Clusters. */
    const std::vector<Cluster>& clusters() const { return clusters_; }

    /** The heat scale of the last frame composed in SymbolMode::Heatmap (empty when nothing
     *  was in view). */
    const HeatScale& heat_scale() const { return heat_scale_; }

    /** The heatmap's grid cells and kernel (standard deviation), in pixels; clusters aim at
     *  map::kClusterCellPx pixels a cell (map/cluster.hpp). */
    static constexpr float kHeatCellPx = 4.0f;
    static constexpr float kHeatSigmaPx = 12.0f;

  private:
    std::vector<Cluster> clusters_;
    HeatScale heat_scale_;
    std::uint64_t clusters_version_ = ~std::uint64_t{0};
    double clusters_cell_ = 0.0;
};

}  // namespace limes::map
