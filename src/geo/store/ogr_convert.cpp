#include "geo/store/ogr_convert.hpp"

#include "core/error.hpp"

namespace limes::geo {

namespace {

/** Calls visit for each single geometry of g: g itself, or the parts of a multi-geometry or a
 *  collection (nested ones too). */
template <typename Visit>
void for_each_part(const OGRGeometry* g, Visit&& visit) {
    if (!g) return;
    if (OGR_GT_IsSubClassOf(wkbFlatten(g->getGeometryType()), wkbGeometryCollection)) {
        for (const OGRGeometry* part : *g->toGeometryCollection()) for_each_part(part, visit);
        return;
    }
    visit(*g);
}

core::Ring ring_of(const OGRSimpleCurve& curve) {
    core::Ring r;
    r.reserve(static_cast<std::size_t>(curve.getNumPoints()));
    for (int i = 0; i < curve.getNumPoints(); ++i) r.push_back({curve.getX(i), curve.getY(i)});
    return r;
}

}  // namespace

core::MultiPolygon to_multipolygon(const OGRGeometry* g) {
    core::MultiPolygon out;
    for_each_part(g, [&](const OGRGeometry& part) {
        if (wkbFlatten(part.getGeometryType()) != wkbPolygon) return;
        core::Polygon poly;
        for (const OGRLinearRing* ring : *part.toPolygon()) poly.push_back(ring_of(*ring));
        out.push_back(std::move(poly));
    });
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
    for_each_part(g, [&](const OGRGeometry& part) {
        switch (wkbFlatten(part.getGeometryType())) {
            case wkbLineString: out.push_back(ring_of(*part.toLineString())); break;
            case wkbPolygon:
                for (const OGRLinearRing* ring : *part.toPolygon()) out.push_back(ring_of(*ring));
                break;
            default: break;
        }
    });
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

core::Claim claim_of(const OGRFeature& f) {
    const OGRFeatureDefn* defn = f.GetDefnRef();
    core::Claim c;
    c.fid = f.GetFID();
    for (const auto& column : core::claim_text_columns()) {
        const int k = defn->GetFieldIndex(column.name);
        if (k >= 0 && f.IsFieldSetAndNotNull(k)) c.*column.member = f.GetFieldAsString(k);
    }
    c.valid_from = field_date(f, defn->GetFieldIndex("valid_from"));
    c.valid_to = field_date(f, defn->GetFieldIndex("valid_to"));
    if (const int k = defn->GetFieldIndex("accuracy_m"); k >= 0 && f.IsFieldSetAndNotNull(k))
        c.accuracy_m = f.GetFieldAsDouble(k);
    c.area = to_multipolygon(f.GetGeometryRef());
    return c;
}

}  // namespace limes::geo
