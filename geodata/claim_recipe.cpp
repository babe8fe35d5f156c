#include "claim_recipe.hpp"

#include <ogr_spatialref.h>

#include <cmath>
#include <cstdio>
#include <sstream>
#include <vector>

#include "geo/formats/gdal_util.hpp"

namespace limes::geo {
namespace {

using GeomUP = std::unique_ptr<OGRGeometry>;

// How far a free end of a cutting line is extended along its last segment (degrees, ~5 km),
// so that a line Natural Earth stops just short of a border still cuts the polygon through.
// The part beyond the border dangles and polygonizing drops it.
constexpr double kLineExtensionDeg = 0.05;

[[noreturn]] void fail(const std::string& operand, const std::string& msg) {
    throw RecipeError("'" + operand + "': " + msg);
}

// Overlays of polygons that share edges (a district cut from its country, a claim from the
// claim it was made from) leave slivers of no area between the copies of an edge. Parts and
// holes below this (square degrees, ~90 m2 at 40 N) are dropped: they are round-off, not
// ground, and a sliver with three vertices in one line is a ring GEOS may misjudge after a
// projection.
constexpr double kSliverDeg2 = 1e-8;

// A copy of p without the holes below kSliverDeg2; null when p itself is below it.
std::unique_ptr<OGRPolygon> without_slivers(const OGRPolygon& p) {
    if (p.get_Area() < kSliverDeg2) return nullptr;
    auto out = std::make_unique<OGRPolygon>();
    out->addRingDirectly(p.getExteriorRing()->clone());
    for (int i = 0; i < p.getNumInteriorRings(); ++i) {
        const OGRLinearRing* hole = p.getInteriorRing(i);
        if (hole->get_Area() >= kSliverDeg2) out->addRingDirectly(hole->clone());
    }
    return out;
}

// The polygons of g (a polygon, multipolygon or the polygonal parts of a collection), valid,
// without slivers.
GeomUP polygons_of(const OGRGeometry& g) {
    auto out = std::make_unique<OGRMultiPolygon>();
    auto keep = [&](const OGRPolygon& p) {
        if (auto kept = without_slivers(p)) out->addGeometryDirectly(kept.release());
    };
    auto add = [&](const OGRGeometry& part) {
        const auto t = wkbFlatten(part.getGeometryType());
        if (t == wkbPolygon) keep(*part.toPolygon());
        if (t == wkbMultiPolygon)
            for (const OGRPolygon* p : *part.toMultiPolygon()) keep(*p);
    };
    if (OGR_GT_IsSubClassOf(wkbFlatten(g.getGeometryType()), wkbGeometryCollection) &&
        wkbFlatten(g.getGeometryType()) != wkbMultiPolygon) {
        for (const OGRGeometry* part : *g.toGeometryCollection()) add(*part);
    } else {
        add(g);
    }
    if (!out->IsValid()) {
        GeomUP fixed(out->MakeValid());
        if (!fixed) throw RecipeError("cannot make a valid polygon");
        return polygons_of(*fixed);
    }
    return out;
}

bool parse_point(const std::string& text, double& lon, double& lat) {
    return std::sscanf(text.c_str(), "%lf,%lf", &lon, &lat) == 2;
}

// "ISO3:rest" -> {ISO3, rest}
std::pair<std::string, std::string> split_once(const std::string& s, const std::string& operand) {
    const auto c = s.find(':');
    if (c == std::string::npos) fail(operand, "expected another ':'");
    return {s.substr(0, c), s.substr(c + 1)};
}

GeomUP country_part(GDALDataset& ws, const std::string& iso, double lon, double lat,
                    const std::string& operand) {
    OGRLayer* countries = ws.GetLayerByName("countries");
    if (!countries) fail(operand, "the workspace has no countries layer yet");
    countries->SetAttributeFilter(("iso_a3 = '" + iso + "'").c_str());
    const OGRPoint pt(lon, lat);
    GeomUP found;
    for (auto& f : *countries) {
        const OGRGeometry* g = f->GetGeometryRef();
        if (!g || wkbFlatten(g->getGeometryType()) != wkbMultiPolygon) continue;
        for (const OGRPolygon* p : *g->toMultiPolygon())
            if (!found && p->Contains(&pt)) found.reset(p->clone());
    }
    countries->SetAttributeFilter(nullptr);
    if (!found) fail(operand, "no part of " + iso + " contains that point");
    return found;
}

// Extends each free end (one no other part shares) of the lines by kLineExtensionDeg.
std::unique_ptr<OGRMultiLineString> extend_free_ends(std::vector<std::unique_ptr<OGRLineString>> parts) {
    auto same = [](const OGRPoint& a, const OGRPoint& b) {
        return std::hypot(a.getX() - b.getX(), a.getY() - b.getY()) < 1e-9;
    };
    auto shared = [&](const OGRLineString* self, const OGRPoint& p) {
        for (const auto& other : parts) {
            if (other.get() == self) continue;
            OGRPoint a, b;
            other->StartPoint(&a);
            other->EndPoint(&b);
            if (same(a, p) || same(b, p)) return true;
        }
        return false;
    };
    auto out = std::make_unique<OGRMultiLineString>();
    for (auto& line : parts) {
        const int n = line->getNumPoints();
        if (n < 2) continue;
        auto extended = std::make_unique<OGRLineString>(*line);
        for (int end : {0, n - 1}) {
            OGRPoint p, q;
            line->getPoint(end, &p);
            line->getPoint(end == 0 ? 1 : n - 2, &q);
            if (shared(line.get(), p)) continue;
            const double dx = p.getX() - q.getX(), dy = p.getY() - q.getY();
            const double len = std::hypot(dx, dy);
            if (len == 0.0) continue;
            const double x = p.getX() + dx / len * kLineExtensionDeg,
                         y = p.getY() + dy / len * kLineExtensionDeg;
            if (end == 0) {
                auto front = std::make_unique<OGRLineString>();
                front->addPoint(x, y);
                for (int i = 0; i < extended->getNumPoints(); ++i)
                    front->addPoint(extended->getX(i), extended->getY(i));
                extended = std::move(front);
            } else {
                extended->addPoint(x, y);
            }
        }
        out->addGeometryDirectly(extended.release());
    }
    return out;
}

GeomUP side_of_lines(GDALDataset& ws, const std::string& arg, const std::string& operand) {
    auto [line_kind, rest] = split_once(arg, operand);
    auto [iso, point] = split_once(rest, operand);
    double lon = 0, lat = 0;
    if (!parse_point(point, lon, lat)) fail(operand, "bad lon,lat");
    GeomUP area = country_part(ws, iso, lon, lat, operand);
    OGRLayer* lines = ws.GetLayerByName("historical_lines");
    if (!lines) fail(operand, "the workspace has no historical_lines layer");
    lines->SetAttributeFilter(("kind = '" + line_kind + "'").c_str());
    std::vector<std::unique_ptr<OGRLineString>> parts;
    for (auto& f : *lines) {
        const OGRGeometry* g = f->GetGeometryRef();
        if (!g) continue;
        const auto t = wkbFlatten(g->getGeometryType());
        if (t == wkbLineString) parts.emplace_back(g->clone()->toLineString());
        if (t == wkbMultiLineString)
            for (const OGRLineString* l : *g->toMultiLineString())
                parts.emplace_back(l->clone());
    }
    lines->SetAttributeFilter(nullptr);
    if (parts.empty()) fail(operand, "no historical line of kind '" + line_kind + "'");
    auto cut = extend_free_ends(std::move(parts));
    GeomUP boundary(area->Boundary());
    GeomUP noded(boundary->Union(cut.get()));
    if (!noded) fail(operand, "cannot node the lines with the boundary");
    GeomUP faces(noded->Polygonize());
    if (!faces) fail(operand, "cannot polygonize");
    const OGRPoint pt(lon, lat);
    for (const OGRGeometry* face : *faces->toGeometryCollection()) {
        if (!face->Contains(&pt)) continue;
        // Faces of the boundary's own holes (lakes drawn as holes) are not land: keep only
        // what lies inside the part.
        GeomUP inside(face->Intersection(area.get()));
        if (!inside) fail(operand, "intersection failed");
        if (inside->Equals(area.get())) fail(operand, "the lines do not cut the part in two");
        return polygons_of(*inside);
    }
    fail(operand, "no face on the point's side");
}

GeomUP corridor(const std::string& arg, const std::string& operand) {
    const auto c = arg.find(':');
    if (c == std::string::npos) fail(operand, "expected corridor:WIDTH_M:LON LAT,LON LAT,...");
    const double width = std::atof(arg.substr(0, c).c_str());
    if (!(width > 0)) fail(operand, "the width must be a positive number of metres");
    OGRLineString line;
    std::stringstream points(arg.substr(c + 1));
    std::string item;
    while (std::getline(points, item, ',')) {
        double lon = 0, lat = 0;
        if (std::sscanf(item.c_str(), "%lf %lf", &lon, &lat) != 2)
            fail(operand, "bad point '" + item + "' (expected LON LAT)");
        line.addPoint(lon, lat);
    }
    if (line.getNumPoints() < 2) fail(operand, "a corridor needs two points or more");
    // Metres in an azimuthal equidistant projection centred on the first point: distances
    // from the centre are true, and across a few tens of km the scale error is < 0.1 %.
    OGRSpatialReference geographic = wgs84(), local;
    local.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
    char proj[160];
    std::snprintf(proj, sizeof proj, "+proj=aeqd +lat_0=%.6f +lon_0=%.6f +datum=WGS84 +units=m",
                  line.getY(0), line.getX(0));
    if (local.importFromProj4(proj) != OGRERR_NONE) fail(operand, "PROJ refused the projection");
    std::unique_ptr<OGRCoordinateTransformation> to_local(
        OGRCreateCoordinateTransformation(&geographic, &local)),
        to_geographic(OGRCreateCoordinateTransformation(&local, &geographic));
    if (!to_local || !to_geographic) fail(operand, "no transformation to the local projection");
    if (line.transform(to_local.get()) != OGRERR_NONE) fail(operand, "cannot project the line");
    GeomUP strip(line.Buffer(width / 2.0, 8));
    if (!strip || strip->transform(to_geographic.get()) != OGRERR_NONE)
        fail(operand, "cannot buffer the line");
    return polygons_of(*strip);
}

GeomUP operand_geometry(GDALDataset& ws, const std::string& operand, const BuiltAreas& earlier) {
    const auto c = operand.find(':');
    if (c == std::string::npos) fail(operand, "expected KIND:ARGUMENTS");
    const std::string kind = operand.substr(0, c), arg = operand.substr(c + 1);
    if (kind == "part") {
        auto [iso, point] = split_once(arg, operand);
        double lon = 0, lat = 0;
        if (!parse_point(point, lon, lat)) fail(operand, "bad lon,lat");
        return polygons_of(*country_part(ws, iso, lon, lat, operand));
    }
    if (kind == "province") {
        auto [iso, name] = split_once(arg, operand);
        OGRLayer* provinces = ws.GetLayerByName("provinces");
        if (!provinces) fail(operand, "the workspace has no provinces layer yet");
        for (auto& f : *provinces)
            if (iso == f->GetFieldAsString("adm0_a3") && name == f->GetFieldAsString("gn_name"))
                return polygons_of(*f->GetGeometryRef());
        fail(operand, "no province of " + iso + " has gn_name '" + name + "'");
    }
    if (kind == "region") {
        OGRLayer* regions = ws.GetLayerByName("regions");
        if (!regions) fail(operand, "the workspace has no regions layer yet");
        for (auto& f : *regions)
            if (arg == f->GetFieldAsString("kind")) return polygons_of(*f->GetGeometryRef());
        fail(operand, "no region of kind '" + arg + "'");
    }
    if (kind == "side") return side_of_lines(ws, arg, operand);
    if (kind == "claim") {
        const auto it = earlier.find(arg);
        if (it == earlier.end()) fail(operand, "no earlier row has that claim_id");
        return GeomUP(it->second->clone());
    }
    if (kind == "corridor") return corridor(arg, operand);
    if (kind == "box") {
        double w = 0, s = 0, e = 0, n = 0;
        if (std::sscanf(arg.c_str(), "%lf,%lf,%lf,%lf", &w, &s, &e, &n) != 4 || !(w < e) ||
            !(s < n))
            fail(operand, "expected box:WEST,SOUTH,EAST,NORTH");
        OGRLinearRing ring;
        for (auto [x, y] : {std::pair{w, s}, {e, s}, {e, n}, {w, n}, {w, s}}) ring.addPoint(x, y);
        OGRPolygon p;
        p.addRing(&ring);
        return polygons_of(p);
    }
    fail(operand, "unknown recipe kind '" + kind + "'");
}

}  // namespace

std::unique_ptr<OGRGeometry> make_claim_geometry(GDALDataset& ws, const std::string& recipe,
                                                 const BuiltAreas& earlier) {
    // Split at " + ", " - ", " & " (operands hold no such sequence: names have no spaced signs).
    std::vector<std::string> operands;
    std::vector<char> ops;
    std::size_t start = 0;
    for (std::size_t i = 0; i + 2 < recipe.size(); ++i) {
        const char o = recipe[i + 1];
        if (recipe[i] == ' ' && recipe[i + 2] == ' ' && (o == '+' || o == '-' || o == '&')) {
            operands.push_back(recipe.substr(start, i - start));
            ops.push_back(o);
            start = i + 3;
            i += 2;
        }
    }
    operands.push_back(recipe.substr(start));
    GeomUP result = operand_geometry(ws, operands[0], earlier);
    for (std::size_t k = 0; k < ops.size(); ++k) {
        GeomUP rhs = operand_geometry(ws, operands[k + 1], earlier);
        GeomUP next(ops[k] == '+'   ? result->Union(rhs.get())
                    : ops[k] == '-' ? result->Difference(rhs.get())
                                    : result->Intersection(rhs.get()));
        if (!next) fail(recipe, std::string("the '") + ops[k] + "' with '" + operands[k + 1] +
                                    "' failed");
        result = polygons_of(*next);
    }
    if (result->IsEmpty()) fail(recipe, "the recipe makes an empty area");
    return result;
}

}  // namespace limes::geo
