#include "geo/ops/regions.hpp"

#include <algorithm>
#include <cctype>

#include "core/error.hpp"
#include "core/text.hpp"

namespace limes::geo {
namespace {

struct Source {
    const char* layer;
    std::vector<std::string> names;
};

const std::vector<Source>& region_sources() {
    static const std::vector<Source> s = {
        {"regions", {"name", "name_en"}},
        {"provinces", {"name", "name_en", "gn_name"}},
        {"countries", {"name", "NAME", "iso_a3", "ISO_A3"}},
        {"claims", {"name", "claim_id"}},
    };
    return s;
}

}  // namespace

std::vector<NamedArea> load_areas(const Workspace& ws, const GeosContext& ctx,
                                  const std::string& layer_name,
                                  const std::vector<std::string>& name_fields,
                                  const std::string& country_field) {
    std::vector<NamedArea> out;
    OGRLayer* layer = ws.layer(layer_name);
    if (!layer) return out;
    OGRFeatureDefn* defn = layer->GetLayerDefn();
    int name_index = -1;
    for (const auto& f : name_fields)
        if ((name_index = defn->GetFieldIndex(f.c_str())) >= 0) break;
    const int country_index =
        country_field.empty() ? -1 : defn->GetFieldIndex(country_field.c_str());
    layer->ResetReading();
    for (auto& f : *layer) {
        const OGRGeometry* g = f->GetGeometryRef();
        if (!g || g->IsEmpty()) continue;
        const auto t = wkbFlatten(g->getGeometryType());
        if (t != wkbPolygon && t != wkbMultiPolygon) continue;
        NamedArea a;
        a.layer = layer_name;
        a.name = name_index >= 0 ? f->GetFieldAsString(name_index) : std::to_string(f->GetFID());
        if (country_index >= 0) a.country = f->GetFieldAsString(country_index);
        a.geom = to_geos(ctx, *g);
        out.push_back(std::move(a));
    }
    return out;
}

NamedArea find_region(const Workspace& ws, const GeosContext& ctx, const std::string& name) {
    std::vector<std::string> known;
    for (const auto& src : region_sources()) {
        for (auto& area : load_areas(ws, ctx, src.layer, src.names)) {
            if (core::iequals(area.name, name)) return std::move(area);
            if (known.size() < 400) known.push_back(area.name);
        }
    }
    // Suggest names that share a prefix, else the first few.
    std::string hint;
    int shown = 0;
    for (const auto& k : known) {
        if (shown < 12 && k.size() >= 2 && name.size() >= 2 &&
            std::tolower(static_cast<unsigned char>(k[0])) ==
                std::tolower(static_cast<unsigned char>(name[0]))) {
            hint += (shown++ ? ", " : "") + k;
        }
    }
    for (std::size_t i = 0; shown == 0 && i < known.size() && i < 12; ++i)
        hint += (i ? ", " : "") + known[i];
    throw core::UsageError("--region '" + name + "': no region, province, country or claim of " +
                           ws.path() + " has that name" +
                           (hint.empty() ? std::string() : " (e.g. " + hint + ")"));
}

RegionFilter::RegionFilter(const Workspace& ws, const GeosContext& ctx, const std::string& name)
    : ctx_(ctx) {
    if (name.empty()) return;
    area_ = find_region(ws, ctx, name);
    prepared_ = prepare(ctx, area_->geom.get());
}

bool RegionFilter::contains(double lon, double lat) const {
    if (!prepared_) return true;
    GeomPtr pt = own(ctx_, GEOSGeom_createPointFromXY_r(ctx_.get(), lon, lat), "point");
    return GEOSPreparedContains_r(ctx_.get(), prepared_.get(), pt.get()) == 1;
}

bool RegionFilter::intersects(const GEOSGeometry* g) const {
    return !prepared_ || GEOSPreparedIntersects_r(ctx_.get(), prepared_.get(), g) == 1;
}

}  // namespace limes::geo
