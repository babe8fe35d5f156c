#include "map/frame.hpp"

#include <algorithm>
#include <cmath>

#include "map/briefing.hpp"
#include "map/camera.hpp"

namespace limes::map {

Bounds incident_bounds(const std::vector<Vec2>& positions, const std::vector<std::uint32_t>* subset,
                       double origin_x, double origin_y) {
    Bounds b;
    auto add = [&](const Vec2& p) {
        if (std::isfinite(p.x) && std::isfinite(p.y)) b.add(p.x + origin_x, p.y + origin_y);
    };
    if (subset)
        for (const std::uint32_t i : *subset) add(positions[i]);
    else
        for (const Vec2& p : positions) add(p);
    return b;
}

Bounds with_context(Bounds b) {
    if (b.empty()) return b;
    const double pad = std::max({(b.max_x - b.min_x) * 0.2, (b.max_y - b.min_y) * 0.2, 15'000.0});
    b.add(b.min_x - pad, b.min_y - pad);
    b.add(b.max_x + pad, b.max_y + pad);
    return b;
}

View fit_view(const Bounds& b, int width, int height, double margin) {
    View v;
    v.width = width;
    v.height = height;
    fit_box(v, b.min_x, b.min_y, b.max_x, b.max_y, margin);
    return v;
}

SymbolMode resolve_mode(SymbolMode mode, std::size_t incidents_in_view, const View& view) {
    if (mode != SymbolMode::Auto) return mode;
    const double cells = double(view.width) * view.height / (40.0 * 40.0);
    return double(incidents_in_view) > std::max(2000.0, cells) ? SymbolMode::Clusters
                                                               : SymbolMode::Symbols;
}

DrawList FrameComposer::compose(const Scene& scene, const std::vector<core::IncidentMark>& marks,
                                const std::vector<Vec2>& positions,
                                const std::vector<std::uint32_t>* visible,
                                std::uint64_t visible_version, const View& view,
                                const std::vector<LayerStyle>& styles, SymbolMode mode,
                                const IncidentLook& look) {
    bool incidents_on = false;
    for (const auto& s : styles)
        incidents_on |= s.name == "incidents" && s.visible && s.opacity > 0.0f;
    if (mode == SymbolMode::Symbols)
        return scene.draw(marks, positions, visible, view, styles, look);
    // Clusters and heatmap replace the symbols: the layers are drawn without them.
    std::vector<LayerStyle> without = styles;
    for (auto& s : without)
        if (s.name == "incidents") s.visible = false;
    DrawList list = scene.draw(marks, positions, visible, view, without);
    if (!incidents_on) return list;
    if (mode == SymbolMode::Heatmap) {
        const double km_per_unit = km_per_pixel_at_center(scene, view) / view.units_per_pixel;
        // Over heat_area (the view and around it), so that the window's cache of this list
        // holds while it pans within a quarter of the view.
        const DensitySurface surface =
            density_surface(positions, visible, heat_area(view), list.origin_x, list.origin_y,
                            kHeatCellPx, kHeatSigmaPx, km_per_unit);
        heat_scale_ = map::heat_scale(surface);
        density_fills(surface, heat_scale_, list.fills);
        return list;
    }
    // Cells a power of two map units wide, nearest kClusterCellPx (cluster_cell_units): the
    // clusters change when the zoom crosses a power of two, not on every wheel step, and not
    // on panning: kept from frame to frame.
    const double cell_units = cluster_cell_units(view.units_per_pixel, kClusterCellPx);
    if (visible_version != clusters_version_ || cell_units != clusters_cell_) {
        clusters_ = cluster_incidents(marks, positions, visible, view, list.origin_x, list.origin_y,
                                      static_cast<float>(cell_units / view.units_per_pixel));
        clusters_version_ = visible_version;
        clusters_cell_ = cell_units;
    }
    cluster_symbols(clusters_, cluster_cell_px(view.units_per_pixel), list.symbols);
    return list;
}

}  // namespace limes::map
