#include "default_workspace.hpp"

#include "claim_recipe.hpp"

#include <cpl_conv.h>
#include <cpl_vsi.h>
#include <ogr_geometry.h>

#include <cmath>
#include <cstdlib>
#include <cstdio>
#include <map>

#include "core/csv_reader.hpp"
#include "core/date.hpp"
#include "core/error.hpp"
#include "core/text.hpp"
#include "geo/formats/gdal_util.hpp"
#include "geo/geometry/geodesic.hpp"
#include "geo/geometry/geos_util.hpp"
#include "geo/ops/importer.hpp"
#include "geo/store/gpkg_audit.hpp"
#include "geo/store/ogr_convert.hpp"
#include "geo/store/sqlite_db.hpp"
#include "geo/store/workspace.hpp"

namespace limes::geo {
namespace {

constexpr const char* kNaturalEarth =
    "Natural Earth 10m v4.1.0 (public domain), via Debian qgis-common world_map.gpkg";

// Natural Earth's states_provinces names a few Azerbaijani rayons wrongly; the geonames name
// (gn_name) and the polygon's position agree on what they are. Only fixes checked by hand.
const std::map<std::string, std::string>& province_name_fixes() {
    static const std::map<std::string, std::string> fixes = {
        {"Lacin Rayonu", "Laçın"},  // NE name: "Lankaran"; centroid 46.32E 39.73N is Lachin
    };
    return fixes;
}

OGRLayer& new_layer(GDALDataset& ds, const char* name, OGRwkbGeometryType type) {
    OGRSpatialReference srs = wgs84();
    const char* options[] = {"FID=fid", "GEOMETRY_NAME=geom", "SPATIAL_INDEX=YES", nullptr};
    OGRLayer* l = ds.CreateLayer(name, &srs, type, const_cast<char**>(options));
    if (!l) throw core::IoError(ds.GetDescription(), std::string("cannot create layer ") + name);
    return *l;
}

void add_fields(OGRLayer& l, std::initializer_list<std::pair<const char*, OGRFieldType>> fields) {
    for (auto [name, type] : fields) {
        OGRFieldDefn def(name, type);
        l.CreateField(&def);
    }
}

void write(OGRLayer& l, OGRFeature& f) {
    if (l.CreateFeature(&f) != OGRERR_NONE)
        throw core::IoError(l.GetName(), "cannot write feature: " + gdal_error("GDAL error"));
}

std::unique_ptr<OGRGeometry> to_ogr(const GeosContext& ctx, const GEOSGeometry* g) {
    // createFromGEOS takes a non-const pointer but does not modify or free it.
    OGRGeometry* out = OGRGeometryFactory::createFromGEOS(ctx.get(), const_cast<GEOSGeometry*>(g));
    if (!out) throw core::Error(core::ErrorKind::Internal, "GEOS -> OGR conversion failed");
    return std::unique_ptr<OGRGeometry>(out);
}

GeomPtr clip_box_geom(const GeosContext& ctx) {
    const core::BBox b = default_clip_box();
    return own(ctx, GEOSGeom_createRectangle_r(ctx.get(), b.west, b.south, b.east, b.north),
               "rectangle");
}

// Intersection with the clip box, keeping only polygons; null when nothing is left.
std::unique_ptr<OGRGeometry> clip_polygonal(const GeosContext& ctx, const OGRGeometry& g,
                                            const GEOSGeometry* box) {
    GeomPtr gg = to_geos(ctx, g);
    GeomPtr cut = own(ctx, GEOSIntersection_r(ctx.get(), gg.get(), box), "clip");
    if (GEOSisEmpty_r(ctx.get(), cut.get())) return nullptr;
    GeomPtr valid = make_valid_polygonal(ctx, cut.get(), nullptr);
    if (GEOSisEmpty_r(ctx.get(), valid.get())) return nullptr;
    std::unique_ptr<OGRGeometry> out = to_ogr(ctx, valid.get());
    return std::unique_ptr<OGRGeometry>(OGRGeometryFactory::forceToMultiPolygon(out.release()));
}

std::string field(const std::vector<std::string_view>& row, const std::vector<std::string>& header,
                  const char* name);

// Armenian and Azerbaijani country names by ISO3 (geodata/country_names.csv).
std::map<std::string, std::pair<std::string, std::string>> read_country_names(
    const std::string& csv_path) {
    core::CsvReader csv = core::CsvReader::from_file(csv_path);
    std::vector<std::string_view> row;
    if (!csv.next(row)) throw core::DataError({csv_path, 1, ""}, "empty file");
    const std::vector<std::string> header(row.begin(), row.end());
    std::map<std::string, std::pair<std::string, std::string>> out;
    while (csv.next(row)) {
        const std::string iso = field(row, header, "iso_a3");
        if (iso.empty()) throw core::DataError({csv_path, csv.line(), "iso_a3"}, "empty");
        out[iso] = {field(row, header, "name_hy"), field(row, header, "name_az")};
    }
    return out;
}

long copy_countries(GDALDataset& src, GDALDataset& dst, const GeosContext& ctx,
                    const GEOSGeometry* box, const std::string& names_csv) {
    const auto names = read_country_names(names_csv);
    OGRLayer* in = src.GetLayerByName("countries");
    if (!in) throw core::DataError({src.GetDescription(), -1, ""}, "no layer 'countries'");
    OGRLayer& out = new_layer(dst, "countries", wkbMultiPolygon);
    add_fields(out, {{"name", OFTString},
                     {"name_hy", OFTString},
                     {"name_az", OFTString},
                     {"iso_a3", OFTString},
                     {"iso_a2", OFTString},
                     {"source", OFTString}});
    const core::BBox b = default_clip_box();
    in->SetSpatialFilterRect(b.west, b.south, b.east, b.north);
    long n = 0;
    for (auto& f : *in) {
        const OGRGeometry* g = f->GetGeometryRef();
        if (!g) continue;
        auto clipped = clip_polygonal(ctx, *g, box);
        if (!clipped) continue;
        OGRFeature o(out.GetLayerDefn());
        o.SetField("name", f->GetFieldAsString("NAME"));
        const std::string iso = f->GetFieldAsString("ISO_A3");
        if (auto n = names.find(iso); n != names.end()) {
            o.SetField("name_hy", n->second.first.c_str());
            o.SetField("name_az", n->second.second.c_str());
        }
        o.SetField("iso_a3", iso.c_str());
        o.SetField("iso_a2", f->GetFieldAsString("iso_a2"));
        o.SetField("source", kNaturalEarth);
        o.SetGeometryDirectly(clipped.release());
        write(out, o);
        ++n;
    }
    return n;
}

long copy_provinces(GDALDataset& src, GDALDataset& dst, const GeosContext& ctx,
                    const GEOSGeometry* box) {
    OGRLayer* in = src.GetLayerByName("states_provinces");
    if (!in) throw core::DataError({src.GetDescription(), -1, ""}, "no layer 'states_provinces'");
    OGRLayer& out = new_layer(dst, "provinces", wkbMultiPolygon);
    add_fields(out, {{"name", OFTString},
                     {"name_ne", OFTString},
                     {"gn_name", OFTString},
                     {"adm0_a3", OFTString},
                     {"admin", OFTString},
                     {"source", OFTString}});
    const core::BBox b = default_clip_box();
    in->SetSpatialFilterRect(b.west, b.south, b.east, b.north);
    long n = 0;
    for (auto& f : *in) {
        const OGRGeometry* g = f->GetGeometryRef();
        if (!g) continue;
        auto clipped = clip_polygonal(ctx, *g, box);
        if (!clipped) continue;
        const std::string ne_name = f->GetFieldAsString("name");
        const std::string gn_name = f->GetFieldAsString("gn_name");
        const auto fix = province_name_fixes().find(gn_name);
        OGRFeature o(out.GetLayerDefn());
        o.SetField("name",
                   fix != province_name_fixes().end() ? fix->second.c_str() : ne_name.c_str());
        o.SetField("name_ne", ne_name.c_str());
        o.SetField("gn_name", gn_name.c_str());
        o.SetField("adm0_a3", f->GetFieldAsString("adm0_a3"));
        o.SetField("admin", f->GetFieldAsString("admin"));
        o.SetField("source", kNaturalEarth);
        o.SetGeometryDirectly(clipped.release());
        write(out, o);
        ++n;
    }
    return n;
}

// When each historical line was in force (core::valid_on: valid_to is the first day it no
// longer was), with the public source of the dates. The geometry is Natural Earth's.
struct LineDates {
    const char* kind;
    core::Date from, to;
    const char* source;
};
const LineDates kLineDates[] = {
    // The NKAO: created by the decree of 7 July 1923, abolished by the Supreme Soviet of the
    // Azerbaijan SSR on 26 November 1991.
    {"former_oblast_1991", core::Date::from_ymd(1923, 7, 7), core::Date::from_ymd(1991, 11, 26),
     "Wikipedia, Nagorno-Karabakh Autonomous Oblast "
     "(https://en.wikipedia.org/wiki/Nagorno-Karabakh_Autonomous_Oblast)"},
    // The line of contact of the Bishkek Protocol's ceasefire, in force from 12 May 1994 until
    // the trilateral statement of 9/10 November 2020 took effect (10 November, 00:00 Moscow).
    {"ceasefire_line_1994", core::Date::from_ymd(1994, 5, 12), core::Date::from_ymd(2020, 11, 10),
     "Wikipedia, Bishkek Protocol (https://en.wikipedia.org/wiki/Bishkek_Protocol); "
     "Statement by the President of Azerbaijan, the Prime Minister of Armenia and the President "
     "of Russia, 10 November 2020 (http://en.kremlin.ru/events/president/news/64384)"},
};

// Historical lines: the 1991 oblast boundary and the 1994 ceasefire line, each dated
// (kLineDates); returns the oblast line parts for polygonizing.
long copy_historical_lines(GDALDataset& src, GDALDataset& dst,
                           std::vector<std::unique_ptr<OGRLineString>>& oblast_parts) {
    OGRLayer* in = src.GetLayerByName("disputed_borders");
    if (!in) throw core::DataError({src.GetDescription(), -1, ""}, "no layer 'disputed_borders'");
    OGRLayer& out = new_layer(dst, "historical_lines", wkbMultiLineString);
    add_fields(out, {{"name", OFTString},
                     {"kind", OFTString},
                     {"source", OFTString},
                     {"valid_from", OFTDate},
                     {"valid_to", OFTDate},
                     {"dates_source", OFTString}});
    const core::BBox b = default_clip_box();
    in->SetSpatialFilterRect(b.west, b.south, b.east, b.north);
    long n = 0;
    for (auto& f : *in) {
        const std::string name = f->GetFieldAsString("name");
        const char* kind = name == "Former USSR oblast in 1991" ? "former_oblast_1991"
                           : name == "Ceasefire Line 1994"      ? "ceasefire_line_1994"
                                                                : nullptr;
        const OGRGeometry* g = f->GetGeometryRef();
        if (!kind || !g) continue;
        if (std::string(kind) == "former_oblast_1991") {
            std::unique_ptr<OGRGeometry> copy(g->clone());
            OGRGeometry* lines = OGRGeometryFactory::forceToMultiLineString(copy.release());
            for (const OGRLineString* ls : *lines->toMultiLineString())
                oblast_parts.emplace_back(ls->clone());
            delete lines;
        }
        OGRFeature o(out.GetLayerDefn());
        o.SetField("name", name.c_str());
        o.SetField("kind", kind);
        o.SetField("source", kNaturalEarth);
        for (const LineDates& d : kLineDates)
            if (std::string(kind) == d.kind) {
                int y, m, day;
                d.from.to_ymd(y, m, day);
                o.SetField("valid_from", y, m, day);
                d.to.to_ymd(y, m, day);
                o.SetField("valid_to", y, m, day);
                o.SetField("dates_source", d.source);
            }
        o.SetGeometryDirectly(OGRGeometryFactory::forceToMultiLineString(g->clone()));
        write(out, o);
        ++n;
    }
    return n;
}

// The 1991 NKAO polygon: the oblast boundary comes in parts whose ends miss each other by up
// to ~0.003°; ends closer than 0.005° are moved to their midpoint, then the lines are noded
// (unary union) and polygonized. Exactly one polygon must come out.
std::unique_ptr<OGRGeometry> polygonize_oblast(const GeosContext& ctx,
                                               std::vector<std::unique_ptr<OGRLineString>>& parts,
                                               std::ostream& log) {
    constexpr double kSnap = 0.005;  // degrees (~450 m)
    struct End {
        OGRLineString* line;
        int index;
    };
    std::vector<End> ends;
    for (auto& p : parts) {
        ends.push_back({p.get(), 0});
        ends.push_back({p.get(), p->getNumPoints() - 1});
    }
    int joined = 0;
    double worst = 0.0;
    for (std::size_t i = 0; i < ends.size(); ++i) {
        for (std::size_t j = i + 1; j < ends.size(); ++j) {
            OGRPoint a, b;
            ends[i].line->getPoint(ends[i].index, &a);
            ends[j].line->getPoint(ends[j].index, &b);
            const double d = std::hypot(a.getX() - b.getX(), a.getY() - b.getY());
            if (d == 0.0 || d >= kSnap) continue;
            const double mx = (a.getX() + b.getX()) / 2, my = (a.getY() + b.getY()) / 2;
            ends[i].line->setPoint(ends[i].index, mx, my);
            ends[j].line->setPoint(ends[j].index, mx, my);
            worst = std::max(worst, d);
            ++joined;
        }
    }
    OGRMultiLineString all;
    for (auto& p : parts) all.addGeometry(p.get());
    GeomPtr lines = to_geos(ctx, all);
    GeomPtr noded = own(ctx, GEOSUnaryUnion_r(ctx.get(), lines.get()), "node lines");
    const GEOSGeometry* inputs[] = {noded.get()};
    GeomPtr polys = own(ctx, GEOSPolygonize_r(ctx.get(), inputs, 1), "polygonize");
    const int n = GEOSGetNumGeometries_r(ctx.get(), polys.get());
    log << "  oblast lines: " << parts.size() << " parts, " << joined
        << " near-miss ends joined (largest gap " << worst << " deg), " << n << " polygon(s)\n";
    if (n != 1)
        throw core::Error(core::ErrorKind::Internal, "polygonizing the 1991 oblast lines gave " +
                                                         std::to_string(n) +
                                                         " polygons, expected 1");
    GeomPtr poly = own(
        ctx, GEOSGeom_clone_r(ctx.get(), GEOSGetGeometryN_r(ctx.get(), polys.get(), 0)), "clone");
    if (GEOSisValid_r(ctx.get(), poly.get()) != 1)
        throw core::Error(core::ErrorKind::Internal, "the 1991 oblast polygon is not valid");
    return to_ogr(ctx, poly.get());
}

long write_regions(GDALDataset& dst, const GeosContext& ctx,
                   std::vector<std::unique_ptr<OGRLineString>>& parts, std::ostream& log) {
    auto poly = polygonize_oblast(ctx, parts, log);
    const double km2 = geodesic_area_km2(to_multipolygon(poly.get()));
    log << "  NKAO 1991 polygon: " << std::lround(km2) << " km2 (geodesic)\n";
    OGRLayer& out = new_layer(dst, "regions", wkbMultiPolygon);
    add_fields(out, {{"name", OFTString},
                     {"name_hy", OFTString},
                     {"name_az", OFTString},
                     {"kind", OFTString},
                     {"valid_from", OFTDate},
                     {"valid_to", OFTDate},
                     {"source", OFTString},
                     {"notes", OFTString}});
    OGRFeature o(out.GetLayerDefn());
    o.SetField("name", "Nagorno-Karabakh Autonomous Oblast (1991)");
    o.SetField("name_hy", "Լեռնային Ղարաբաղի ինքնավար մարզ");
    o.SetField("name_az", "Dağlıq Qarabağ Muxtar Vilayəti");
    o.SetField("kind", "former_autonomous_oblast");
    o.SetField("valid_from", 1923, 7, 7);
    o.SetField("valid_to", 1991, 11, 26);
    o.SetField("source",
               "Boundary: Natural Earth 10m disputed_borders 'Former USSR oblast in 1991' (public "
               "domain), polygonized by limes; dates: "
               "https://en.wikipedia.org/wiki/Nagorno-Karabakh_Autonomous_Oblast");
    o.SetField("notes",
               "Soviet-era autonomous oblast within the Azerbaijan SSR, established 7 July 1923; "
               "abolished by the Supreme Soviet of Azerbaijan on 26 November 1991.");
    o.SetGeometryDirectly(OGRGeometryFactory::forceToMultiPolygon(poly.release()));
    write(out, o);
    return 1;
}

std::string field(const std::vector<std::string_view>& row, const std::vector<std::string>& header,
                  const char* name) {
    for (std::size_t i = 0; i < header.size() && i < row.size(); ++i)
        if (header[i] == name) return std::string(row[i]);
    return {};
}

long write_places(GDALDataset& dst, const std::string& csv_path) {
    OGRLayer& out = new_layer(dst, "places", wkbPoint);
    add_fields(out, {{"name_en", OFTString},
                     {"name_hy", OFTString},
                     {"name_az", OFTString},
                     {"kind", OFTString},
                     {"country", OFTString},
                     {"population", OFTInteger64},
                     {"source", OFTString}});
    core::CsvReader csv = core::CsvReader::from_file(csv_path);
    std::vector<std::string_view> row;
    if (!csv.next(row)) throw core::DataError({csv_path, 1, ""}, "empty file");
    std::vector<std::string> header(row.begin(), row.end());
    long n = 0;
    while (csv.next(row)) {
        const std::string lat = field(row, header, "lat"), lon = field(row, header, "lon");
        char* e1 = nullptr;
        char* e2 = nullptr;
        const double y = std::strtod(lat.c_str(), &e1), x = std::strtod(lon.c_str(), &e2);
        if (lat.empty() || lon.empty() || *e1 || *e2 || y < -90 || y > 90 || x < -180 || x > 180)
            throw core::DataError({csv_path, csv.line(), "lat/lon"}, "bad coordinates");
        OGRFeature o(out.GetLayerDefn());
        for (const char* name : {"name_en", "name_hy", "name_az", "kind", "country", "source"}) {
            const std::string v = field(row, header, name);
            if (!v.empty()) o.SetField(name, v.c_str());
        }
        const std::string pop = field(row, header, "population");
        if (!pop.empty()) o.SetField("population", static_cast<GIntBig>(std::atoll(pop.c_str())));
        OGRPoint pt(x, y);
        o.SetGeometry(&pt);
        write(out, o);
        ++n;
    }
    return n;
}

// Statements that are not located events (geodata/statements.csv): national casualty totals,
// a claim about the other side's losses, a ceasefire announcement. A table without geometry
// (a GeoPackage "attributes" table): nothing puts a national figure at a town on the map or
// counts it in one province. Every column is kept as text but the three figures.
long write_statements(GDALDataset& dst, const std::string& csv_path) {
    const char* options[] = {"FID=fid", nullptr};
    OGRLayer* layer = dst.CreateLayer("statements", nullptr, wkbNone, const_cast<char**>(options));
    if (!layer) throw core::IoError(dst.GetDescription(), "cannot create layer statements");
    core::CsvReader csv = core::CsvReader::from_file(csv_path);
    std::vector<std::string_view> row;
    if (!csv.next(row)) throw core::DataError({csv_path, 1, ""}, "empty file");
    const std::vector<std::string> header(row.begin(), row.end());
    auto is_figure = [](const std::string& name) {
        return name == "killed" || name == "dead_or_missing" || name == "wounded";
    };
    for (const std::string& name : header) {
        OGRFieldDefn def(name.c_str(), is_figure(name) ? OFTInteger64 : OFTString);
        if (name == "event_date") def.SetType(OFTDate);
        layer->CreateField(&def);
    }
    long n = 0;
    while (csv.next(row)) {
        OGRFeature o(layer->GetLayerDefn());
        for (const std::string& name : header) {
            const std::string v = field(row, header, name.c_str());
            if (v.empty()) continue;  // not stated: NULL, never 0
            if (is_figure(name)) {
                char* end = nullptr;
                const long long figure = std::strtoll(v.c_str(), &end, 10);
                if (*end || figure < 0)
                    throw core::DataError({csv_path, csv.line(), name},
                                          "'" + v + "' is not a count");
                o.SetField(name.c_str(), static_cast<GIntBig>(figure));
            } else {
                o.SetField(name.c_str(), v.c_str());
            }
        }
        write(*layer, o);
        ++n;
    }
    return n;
}

// The region alias table (`region_aliases`, no geometry): spellings `--region` accepts besides
// the names of the provinces and countries layers (Workspace::find_area). Two sources:
// geodata/region_aliases.csv (English, Armenian and Azerbaijani names with the Wikipedia
// article each comes from, and the incidents' own admin1 values), and Natural Earth's other
// spellings of each province (gn_name and the place part of woe_label). An alias must
// name a province or country the workspace has, must not be another area's name, and must
// not point at two areas: the CSV's rows are checked (the build fails), Natural Earth's
// ambiguous or wrong spellings (ne_spelling_wrong; "Lankaran" of Laçın) are left out.
// Natural Earth spellings that name the wrong polygon or are garbled, checked by hand: the
// gn_names of Stepanakert (the city, 0.002 deg2) and Xocalı (the rayon) are swapped there;
// some names are UTF-8 read as Latin-1 twice ("AÄŸrÄ±"; neither Armenian, Azerbaijani nor
// Turkish spelling has Ã or Ä).
bool ne_spelling_wrong(const std::string& value) {
    return value == "Xocali Rayonu" || value == "Xankandi Sahari" ||
           value.find("\xC3\x83") != std::string::npos ||
           value.find("\xC3\x84") != std::string::npos;
}

long write_region_aliases(GDALDataset& src, GDALDataset& dst, const std::string& csv_path) {
    // Target names (provinces, then countries) as the workspace stores them.
    std::map<std::string, std::string> targets;  // lower-case name -> name
    for (const char* layer_name : {"provinces", "countries"}) {
        OGRLayer* layer = dst.GetLayerByName(layer_name);
        if (!layer) continue;
        const int name_index = layer->GetLayerDefn()->GetFieldIndex("name");
        layer->ResetReading();
        for (auto& f : *layer)
            if (name_index >= 0 && f->IsFieldSetAndNotNull(name_index))
                targets.emplace(core::to_lower(f->GetFieldAsString(name_index)),
                                f->GetFieldAsString(name_index));
    }
    struct Alias {
        std::string alias, name, language, source;
    };
    std::vector<Alias> out;
    std::map<std::string, std::string> seen;  // lower-case alias -> its target
    core::CsvReader csv = core::CsvReader::from_file(csv_path);
    std::vector<std::string_view> row;
    if (!csv.next(row)) throw core::DataError({csv_path, 1, ""}, "empty file");
    const std::vector<std::string> header(row.begin(), row.end());
    while (csv.next(row)) {
        Alias a{field(row, header, "alias"), field(row, header, "name"),
                field(row, header, "language"), field(row, header, "source")};
        const std::string key = core::to_lower(a.alias);
        if (a.alias.empty() || a.source.empty())
            throw core::DataError({csv_path, csv.line(), "alias"}, "alias and source are required");
        if (!targets.count(core::to_lower(a.name)))
            throw core::DataError({csv_path, csv.line(), "name"},
                                  "'" + a.name + "' is no province or country of the workspace");
        if (targets.count(key))
            throw core::DataError({csv_path, csv.line(), "alias"},
                                  "'" + a.alias + "' is already an area's own name");
        if (const auto it = seen.find(key); it != seen.end())
            throw core::DataError({csv_path, csv.line(), "alias"},
                                  "'" + a.alias + "' is given twice");
        seen.emplace(key, a.name);
        out.push_back(std::move(a));
    }
    // Natural Earth's other spellings, for the provinces this workspace has.
    OGRLayer* in = src.GetLayerByName("states_provinces");
    if (!in) throw core::DataError({src.GetDescription(), -1, ""}, "no layer 'states_provinces'");
    const core::BBox b = default_clip_box();
    in->SetSpatialFilterRect(b.west, b.south, b.east, b.north);
    std::map<std::string, std::vector<Alias>> from_ne;  // lower-case alias -> candidates
    in->ResetReading();
    for (auto& f : *in) {
        const std::string gn_name = f->GetFieldAsString("gn_name");
        const auto fix = province_name_fixes().find(gn_name);
        const std::string name =
            fix != province_name_fixes().end() ? fix->second : f->GetFieldAsString("name");
        if (!targets.count(core::to_lower(name))) continue;
        std::string label = f->GetFieldAsString("woe_label");  // "Yerevan, AM, Armenia"
        label = label.substr(0, label.find(','));
        // woe_name is left out: it names neighbours (Hajigabul's is "Əli Bayramlı", Shirvan's
        // former name; Lankaran's "Astara").
        for (const auto& [value, column] :
             {std::pair{gn_name, "gn_name"}, std::pair{label, "woe_label"}}) {
            const std::string key = core::to_lower(value);
            if (value.empty() || targets.count(key) || seen.count(key) || ne_spelling_wrong(value))
                continue;
            from_ne[key].push_back({value, name, "Natural Earth",
                                    std::string("Natural Earth states_provinces ") + column});
        }
    }
    for (auto& [key, candidates] : from_ne) {
        bool one_target = true;
        for (const auto& c : candidates) one_target = one_target && c.name == candidates[0].name;
        if (one_target) out.push_back(candidates[0]);
    }

    const char* options[] = {"FID=fid", nullptr};
    OGRLayer* layer =
        dst.CreateLayer("region_aliases", nullptr, wkbNone, const_cast<char**>(options));
    if (!layer) throw core::IoError(dst.GetDescription(), "cannot create layer region_aliases");
    add_fields(*layer, {{"alias", OFTString},
                        {"name", OFTString},
                        {"language", OFTString},
                        {"source", OFTString}});
    for (const auto& a : out) {
        OGRFeature o(layer->GetLayerDefn());
        o.SetField("alias", a.alias.c_str());
        o.SetField("name", targets.at(core::to_lower(a.name)).c_str());
        o.SetField("language", a.language.c_str());
        o.SetField("source", a.source.c_str());
        write(*layer, o);
    }
    return static_cast<long>(out.size());
}

long write_claims(Workspace& ws, const std::string& csv_path) {
    core::CsvReader csv = core::CsvReader::from_file(csv_path);
    std::vector<std::string_view> row;
    if (!csv.next(row)) throw core::DataError({csv_path, 1, ""}, "empty file");
    std::vector<std::string> header(row.begin(), row.end());
    std::vector<core::Claim> claims;
    BuiltAreas built;  // earlier rows' areas: recipes may build on them (claim:ID)
    while (csv.next(row)) {
        core::Claim c;
        c.claim_id = field(row, header, "claim_id");
        c.name = field(row, header, "name");
        c.kind = field(row, header, "kind");
        c.claimant = field(row, header, "claimant");
        c.holder = field(row, header, "holder");
        c.sovereign = field(row, header, "sovereign");
        c.status = field(row, header, "status");
        c.source = field(row, header, "source");
        c.source_url = field(row, header, "source_url");
        c.notes = field(row, header, "notes");
        c.geometry_source = field(row, header, "geometry_source");
        c.valid_from_precision = core::date_precision_at(
            field(row, header, "valid_from_precision"),
            {csv_path, csv.line(), "valid_from_precision"});
        if (c.geometry_source.empty())
            throw core::DataError({csv_path, csv.line(), "geometry_source"},
                                  "missing: how was this geometry made?");
        {
            const std::string a = field(row, header, "accuracy_m");
            c.accuracy_m = core::parse_accuracy_m(a);
            if (!c.accuracy_m)
                throw core::DataError({csv_path, csv.line(), "accuracy_m"},
                                      "'" + a + "': expected the boundary's accuracy in metres");
        }
        if (core::canonical_claim_kind(c.kind).empty())
            throw core::DataError({csv_path, csv.line(), "kind"}, "unknown kind '" + c.kind + "'");
        for (auto [name, member] : {std::pair{"valid_from", &core::Claim::valid_from},
                                    std::pair{"valid_to", &core::Claim::valid_to}}) {
            const std::string v = field(row, header, name);
            if (v.empty()) continue;
            auto d = core::parse_date(v);
            if (!d)
                throw core::DataError({csv_path, csv.line(), name}, "'" + v + "' is not a date");
            c.*member = *d;
        }
        std::unique_ptr<OGRGeometry> g;
        try {
            g = make_claim_geometry(ws.gdal(), field(row, header, "geometry"), built);
        } catch (const RecipeError& e) {
            throw core::DataError({csv_path, csv.line(), "geometry"}, e.what());
        }
        c.area = to_multipolygon(g.get());
        if (!built.emplace(c.claim_id, std::move(g)).second)
            throw core::DataError({csv_path, csv.line(), "claim_id"},
                                  "'" + c.claim_id + "' repeats an earlier row's id");
        claims.push_back(std::move(c));
    }
    ws.append_claims(claims);
    return static_cast<long>(claims.size());
}

// Lakes and rivers from geodata/lakes.geojson and rivers.geojson (made by make_water.sh, see
// README.md), named from geodata/water_names.csv: a lake is the part that contains the row's
// point, a river the line nearest to it (within kRiverNameReach). Unnamed parts stay unnamed.
long write_water(GDALDataset& dst, const std::string& layer_name, const std::string& geojson,
                 const std::string& names_csv, const char* source, std::ostream& log) {
    constexpr double kRiverNameReach = 0.1;  // degrees (~10 km): the point names a nearby line
    GDALDatasetUniquePtr in = open_vector(geojson, false);
    OGRLayer* src = in->GetLayer(0);
    if (!src) throw core::DataError({geojson, -1, ""}, "no layer");
    const bool lines = layer_name == "rivers";
    OGRLayer& out =
        new_layer(dst, layer_name.c_str(), lines ? wkbMultiLineString : wkbMultiPolygon);
    add_fields(out, {{"name", OFTString},
                     {"name_hy", OFTString},
                     {"name_az", OFTString},
                     {"source", OFTString},
                     {"name_source", OFTString}});
    std::vector<std::unique_ptr<OGRGeometry>> parts;
    for (auto& f : *src)
        if (const OGRGeometry* g = f->GetGeometryRef(); g && !g->IsEmpty())
            parts.emplace_back(g->clone());
    struct Name {
        std::string en, hy, az, source;
    };
    std::vector<Name> names(parts.size());
    core::CsvReader csv = core::CsvReader::from_file(names_csv);
    std::vector<std::string_view> row;
    if (!csv.next(row)) throw core::DataError({names_csv, 1, ""}, "empty file");
    const std::vector<std::string> header(row.begin(), row.end());
    while (csv.next(row)) {
        if (field(row, header, "layer") != layer_name) continue;
        const double lon = std::atof(field(row, header, "lon").c_str()),
                     lat = std::atof(field(row, header, "lat").c_str());
        const OGRPoint pt(lon, lat);
        long best = -1;
        double best_d = lines ? kRiverNameReach : 0.0;
        for (std::size_t i = 0; i < parts.size(); ++i) {
            const double d = lines ? parts[i]->Distance(&pt) : (parts[i]->Contains(&pt) ? 0 : 1);
            if (lines ? d < best_d : d == 0.0) best = static_cast<long>(i), best_d = d;
        }
        const std::string en = field(row, header, "name_en");
        if (best < 0)
            throw core::DataError(
                {names_csv, csv.line(), "lon/lat"},
                "no " + layer_name + " feature of " + geojson + " at the point of '" + en + "'");
        names[best] = {en, field(row, header, "name_hy"), field(row, header, "name_az"),
                       field(row, header, "source")};
    }
    long n = 0;
    for (std::size_t i = 0; i < parts.size(); ++i) {
        OGRFeature o(out.GetLayerDefn());
        if (!names[i].en.empty()) {
            o.SetField("name", names[i].en.c_str());
            o.SetField("name_hy", names[i].hy.c_str());
            o.SetField("name_az", names[i].az.c_str());
            o.SetField("name_source", names[i].source.c_str());
            log << "  " << layer_name << ": '" << names[i].en << "' named\n";
        }
        o.SetField("source", source);
        o.SetGeometryDirectly(lines ? OGRGeometryFactory::forceToMultiLineString(parts[i].release())
                                    : OGRGeometryFactory::forceToMultiPolygon(parts[i].release()));
        write(out, o);
        ++n;
    }
    return n;
}

constexpr const char* kLakesSource =
    "OpenStreetMap contributors (ODbL 1.0), via npm @geo-maps/earth-lakes-10m 0.6.0; clipped "
    "by geodata/make_water.sh";
constexpr const char* kRiversSource =
    "GSHHG 2.3.7 WDBII rivers (LGPL-3+), via Debian gmt-gshhg-high, dumped with GMT 6.4.0; "
    "clipped by geodata/make_water.sh";

}  // namespace

core::BBox default_clip_box() {
    core::BBox b;
    b.add(43.0, 38.0);
    b.add(51.0, 42.5);
    return b;
}

void build_default_workspace(const std::string& world_map, const std::string& geodata_dir,
                             const std::string& out_path, std::ostream& log) {
    const std::string tmp = out_path + ".tmp";
    VSIUnlink(tmp.c_str());
    GeosContext ctx;
    try {
        GDALDatasetUniquePtr src = open_vector(world_map, false);
        {
            // The basemap layers, written by GDAL in one transaction.
            GDALDriver* driver = GetGDALDriverManager()->GetDriverByName("GPKG");
            if (!driver) throw core::IoError(tmp, "GDAL has no GPKG driver");
            GDALDatasetUniquePtr dst(driver->Create(tmp.c_str(), 0, 0, 0, GDT_Unknown, nullptr));
            if (!dst) throw core::IoError(tmp, gdal_error("cannot create GeoPackage"));
            GeomPtr box = clip_box_geom(ctx);
            std::vector<std::unique_ptr<OGRLineString>> oblast_parts;
            if (dst->StartTransaction(FALSE) != OGRERR_NONE)
                throw core::IoError(tmp, "cannot start a transaction: " + gdal_error("GDAL error"));
            log << "countries: "
                << copy_countries(*src, *dst, ctx, box.get(), geodata_dir + "/country_names.csv")
                << '\n';
            const std::string water_names = geodata_dir + "/water_names.csv";
            const long lakes = write_water(*dst, "lakes", geodata_dir + "/lakes.geojson",
                                           water_names, kLakesSource, log);
            log << "lakes: " << lakes << '\n';
            const long rivers = write_water(*dst, "rivers", geodata_dir + "/rivers.geojson",
                                            water_names, kRiversSource, log);
            log << "rivers: " << rivers << '\n';
            log << "provinces: " << copy_provinces(*src, *dst, ctx, box.get()) << '\n';
            log << "historical_lines: " << copy_historical_lines(*src, *dst, oblast_parts) << '\n';
            const long regions = write_regions(*dst, ctx, oblast_parts, log);
            log << "regions: " << regions << '\n';
            log << "places: " << write_places(*dst, geodata_dir + "/places.csv") << '\n';
            log << "statements: " << write_statements(*dst, geodata_dir + "/statements.csv")
                << '\n';
            log << "region_aliases: "
                << write_region_aliases(*src, *dst, geodata_dir + "/region_aliases.csv") << '\n';
            if (dst->CommitTransaction() != OGRERR_NONE)
                throw core::IoError(tmp, "commit failed: " + gdal_error("GDAL error"));
        }
        {
            // Claims through the workspace, as the window's Draw claim stores them.
            Workspace ws = Workspace::open(tmp);
            log << "claims: " << write_claims(ws, geodata_dir + "/claims.csv") << '\n';
        }
        // Incidents go through the same importer as `limes import`, so the project's own
        // file is held to the rules users' files are.
        ImportOptions opt;
        opt.strict = true;
        const std::string incidents = geodata_dir + "/incidents_2022-09.csv";
        ImportReport report = import_file(tmp, incidents, opt);
        if (report.aborted) {
            report.diagnostics.print(log);
            throw core::DataError({incidents, -1, ""}, "rows rejected (see above)");
        }
        log << "incidents: " << report.imported << '\n';
        {
            // The import's audit record names whoever built limes and when: not data the
            // project ships (nor the same in two builds). Users' own writes start the trail.
            SqliteDb db(tmp, SqliteDb::Mode::ReadWrite);
            db.exec(std::string("DROP TABLE IF EXISTS ") + kGpkgAuditTable +
                    "; DELETE FROM gpkg_contents WHERE table_name = '" + kGpkgAuditTable + "'");
            if (db.has_object("table", "sqlite_sequence"))
                db.exec(std::string("DELETE FROM sqlite_sequence WHERE name = '") +
                        kGpkgAuditTable + "'");
        }
        if (VSIRename(tmp.c_str(), out_path.c_str()) != 0)
            throw core::IoError(out_path, "cannot rename the finished workspace into place");
    } catch (...) {
        VSIUnlink(tmp.c_str());
        throw;
    }
}

}  // namespace limes::geo
