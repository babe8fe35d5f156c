// Workspace::basemap: the layers a map draws, read through GDAL into plain core types, so that
// src/map never sees a GDAL type.
#include <algorithm>

#include "geo/store/ogr_convert.hpp"
#include "geo/store/workspace.hpp"

namespace limes::geo {
namespace {

/** The basemap layers, in the order a map lists them. */
constexpr const char* kBasemapLayers[] = {"countries",        "lakes",   "rivers", "provinces",
                                          "historical_lines", "regions", "places"};

std::string first_field(const OGRFeature& f, std::initializer_list<const char*> names) {
    for (const char* n : names)
        if (std::string v = field_text(f, n); !v.empty()) return v;
    return {};
}

core::BasemapFeature feature_of(const OGRFeature& f) {
    core::BasemapFeature out;
    out.fid = f.GetFID();
    out.name = first_field(f, {"name", "name_en", "NAME"});
    out.name_hy = field_text(f, "name_hy");
    out.name_az = field_text(f, "name_az");
    out.key = first_field(f, {"iso_a3", "ISO_A3"});
    if (out.key.empty()) out.key = out.name;
    out.kind = field_text(f, "kind");
    // Dated features (historical lines): when present, the days the feature held.
    const OGRFeatureDefn* defn = f.GetDefnRef();
    out.valid_from = field_date(f, defn->GetFieldIndex("valid_from"));
    out.valid_to = field_date(f, defn->GetFieldIndex("valid_to"));
    const OGRGeometry* g = f.GetGeometryRef();
    if (!g || g->IsEmpty()) return out;
    switch (wkbFlatten(g->getGeometryType())) {
        case wkbPoint: out.point = core::LonLat{g->toPoint()->getX(), g->toPoint()->getY()}; break;
        case wkbLineString:
        case wkbMultiLineString: out.lines = to_lines(g); break;
        default: out.polygons = to_multipolygon(g); break;
    }
    return out;
}

}  // namespace

core::Basemap Workspace::basemap(const std::vector<std::string>& layers) const {
    auto wanted = [&](const char* name) {
        return layers.empty() || std::find(layers.begin(), layers.end(), name) != layers.end();
    };
    std::vector<std::string> names;
    for (const char* name : kBasemapLayers)
        if (wanted(name)) names.push_back(name);
    if (wanted(kClaims)) names.push_back(kClaims);
    core::Basemap out;
    bool claims = false;
    read_layers(
        names,
        [&](const std::string& name) {
            claims = name == kClaims;
            if (!claims) out.layers.push_back({name, {}});
        },
        [&](const OGRFeature& f) {
            if (claims)
                out.claims.push_back(claim_of(f));
            else
                out.layers.back().features.push_back(feature_of(f));
        });
    return out;
}

}  // namespace limes::geo
