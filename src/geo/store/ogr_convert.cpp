#include "geo/store/ogr_convert.hpp"

#include "core/error.hpp"

namespace limes::geo {

core::MultiPolygon to_multipolygon(const OGRGeometry* g) {
    core::MultiPolygon out;
    if (!g) return out;
    auto add_polygon = [&](const OGRPolygon* p) {
        core::Polygon poly;
        for (const OGRLinearRing* ring : *p) {
            core::Ring r;
            r.reserve(ring->getNumPoints());
            for (const OGRPoint& pt : *ring) r.push_back({pt.getX(), pt.getY()});
            poly.push_back(std::move(r));
        }
        out.push_back(std::move(poly));
    };
    switch (wkbFlatten(g->getGeometryType())) {
        case wkbPolygon:
            add_polygon(g->toPolygon());
            break;
        case wkbMultiPolygon:
            for (const OGRPolygon* p : *g->toMultiPolygon()) add_polygon(p);
            break;
        case wkbGeometryCollection:
            for (const OGRGeometry* part : *g->toGeometryCollection()) {
                auto sub = to_multipolygon(part);
                out.insert(out.end(), sub.begin(), sub.end());
            }
            break;
        default:
            break;
    }
    return out;
}

std::unique_ptr<OGRMultiPolygon> to_ogr_multipolygon(const core::MultiPolygon& mp) {
    auto out = std::make_unique<OGRMultiPolygon>();
    for (const core::Polygon& poly : mp) {
        auto p = std::make_unique<OGRPolygon>();
        for (const core::Ring& ring : poly) {
            auto r = std::make_unique<OGRLinearRing>();
            r->setNumPoints(static_cast<int>(ring.size()), FALSE);
            for (std::size_t i = 0; i < ring.size(); ++i)
                r->setPoint(static_cast<int>(i), ring[i].lon, ring[i].lat);
            p->addRingDirectly(r.release());
        }
        out->addGeometryDirectly(p.release());
    }
    return out;
}

std::vector<core::Ring> to_lines(const OGRGeometry* g) {
    std::vector<core::Ring> out;
    if (!g || g->IsEmpty()) return out;
    auto add = [&](const OGRSimpleCurve& ls) {
        core::Ring line;
        line.reserve(static_cast<std::size_t>(ls.getNumPoints()));
        for (int i = 0; i < ls.getNumPoints(); ++i) line.push_back({ls.getX(i), ls.getY(i)});
        out.push_back(std::move(line));
    };
    switch (wkbFlatten(g->getGeometryType())) {
        case wkbLineString:
            add(*g->toLineString());
            break;
        case wkbMultiLineString:
            for (const OGRLineString* ls : *g->toMultiLineString()) add(*ls);
            break;
        case wkbPolygon:
            for (const OGRLinearRing* ring : *g->toPolygon()) add(*ring);
            break;
        case wkbMultiPolygon:
        case wkbGeometryCollection:
            for (const OGRGeometry* part : *g->toGeometryCollection()) {
                auto sub = to_lines(part);
                out.insert(out.end(), sub.begin(), sub.end());
            }
            break;
        default:
            break;
    }
    return out;
}

GeomPtr to_geos(const GeosContext& ctx, const OGRGeometry& g) {
    return own(ctx, g.exportToGEOS(ctx.get()), "conversion from OGR");
}

std::optional<core::Date> field_date(const OGRFeature& f, int i) {
    if (i < 0 || !f.IsFieldSetAndNotNull(i)) return std::nullopt;
    int y = 0, m = 0, d = 0, hh, mm, tz;
    float ss;
    if (!f.GetFieldAsDateTime(i, &y, &m, &d, &hh, &mm, &ss, &tz)) return std::nullopt;
    return core::Date::from_ymd(y, m, d);
}

void set_field_date(OGRFeature& f, int i, core::Date date) {
    int y, m, d;
    date.to_ymd(y, m, d);
    f.SetField(i, y, m, d, 0, 0, 0.0f, 0);
}

std::string field_text(const OGRFeature& f, const char* name) {
    const int i = f.GetFieldIndex(name);
    return i >= 0 && f.IsFieldSetAndNotNull(i) ? f.GetFieldAsString(i) : std::string();
}

}  // namespace limes::geo
