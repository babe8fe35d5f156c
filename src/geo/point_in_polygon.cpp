#include "geo/point_in_polygon.hpp"

#include <algorithm>
#include <cmath>

namespace limes::geo {

std::size_t PolygonLocator::add(const core::MultiPolygon& mp) {
    Area a;
    std::vector<Edge> edges;
    for (const auto& poly : mp)
        for (const auto& ring : poly)
            for (std::size_t i = 0; i + 1 < ring.size(); ++i) {
                const core::LonLat p = ring[i], q = ring[i + 1];
                a.box.add(p.lon, p.lat);
                if (p.lat == q.lat) continue;  // never crossed by a horizontal ray
                edges.push_back(p.lat < q.lat ? Edge{p.lon, p.lat, q.lon, q.lat}
                                              : Edge{q.lon, q.lat, p.lon, p.lat});
            }
    // About 8 edges per band on average, at most 4096 bands.
    const std::size_t nbands = std::clamp<std::size_t>(edges.size() / 8, 1, 4096);
    a.bands.resize(nbands);
    a.band_height = a.box.empty() ? 1.0 : std::max((a.box.north - a.box.south) / nbands, 1e-12);
    for (const Edge& e : edges) {
        const auto b0 = static_cast<std::size_t>(std::clamp((e.y0 - a.box.south) / a.band_height, 0.0, double(nbands - 1)));
        const auto b1 = static_cast<std::size_t>(std::clamp((e.y1 - a.box.south) / a.band_height, 0.0, double(nbands - 1)));
        for (std::size_t b = b0; b <= b1; ++b) a.bands[b].push_back(e);
    }
    areas_.push_back(std::move(a));
    return areas_.size() - 1;
}

bool PolygonLocator::contains(std::size_t index, double lon, double lat) const {
    const Area& a = areas_[index];
    if (a.box.empty() || !a.box.contains(lon, lat)) return false;
    const auto band = static_cast<std::size_t>(
        std::clamp((lat - a.box.south) / a.band_height, 0.0, double(a.bands.size() - 1)));
    // Crossing number: edges whose half-open y range [y0, y1) holds lat and that cross the
    // ray from the point towards +lon. Holes and multiple parts count the same way.
    bool inside = false;
    for (const Edge& e : a.bands[band]) {
        if (lat < e.y0 || lat >= e.y1) continue;
        const double x = e.x0 + (lat - e.y0) * (e.x1 - e.x0) / (e.y1 - e.y0);
        if (x > lon) inside = !inside;
    }
    return inside;
}

long PolygonLocator::find(double lon, double lat) const {
    for (std::size_t i = 0; i < areas_.size(); ++i)
        if (contains(i, lon, lat)) return static_cast<long>(i);
    return -1;
}

}  // namespace limes::geo
