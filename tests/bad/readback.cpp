// The read-back half of tests/bad/run_case.cpp (tests/bad/README.md): what a repair case's
// import stored, read through GDAL/OGR. A program of its own so that run_bad_case, which the
// corpus starts 162 times per stage, does not load GDAL's ~116 libraries for the 141 cases
// that read nothing back (0.12 s each).
//   bad_readback fids WS SPEC        the fids of SPEC's layer, one a line (before the import)
//   bad_readback check WS SPEC FIDS  the problems with the rows added since FIDS (that list's
//                                    file), one a line; none when every check holds
// SPEC is the case's sixth column. Exit status 0 when it ran (problems or not), 2 on misuse.
#include <gdal_priv.h>
#include <ogr_geometry.h>
#include <ogrsf_frmts.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "../support/files.hpp"

namespace {

using limes_test::read_all;
using limes_test::split;

// The column lists checks separated by "; ", the first naming the layer:
//   layer=incidents; rows=1; event_id_cnty=SYN-B001; x=46.34; y=39.51; notes=Synthetic test row
// Each check applies to every row the import added to that layer (the fids that were not in
// the workspace before), in fid order; a value "a|b|c" gives one value per row instead.
//   rows=N          how many rows were added
//   x=, y=          the point's longitude, latitude (degrees, within 1e-9)
//   dim=N           the geometry's coordinate dimension (2: a Z was dropped)
//   valid=1         OGR (GEOS) says the geometry is valid
//   area=A          planar area in square degrees (within 1e-9); area>=A a lower bound
//   parts=N         number of polygons; holes=N interior rings in all
//   closed=1        every ring ends where it starts
//   covers=W,S,E,N  the geometry covers that lon/lat box
//   FIELD=VALUE     the attribute as text (dates as YYYY-MM-DD, NULL as empty)

std::set<GIntBig> fids_of(const std::string& ws, const std::string& layer_name) {
    std::set<GIntBig> out;
    GDALDatasetUniquePtr ds(GDALDataset::Open(ws.c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY));
    if (!ds) return out;
    if (OGRLayer* layer = ds->GetLayerByName(layer_name.c_str()))
        for (auto& f : *layer) out.insert(f->GetFID());
    return out;
}

std::string trim(const std::string& s) {
    const auto b = s.find_first_not_of(' ');
    const auto e = s.find_last_not_of(' ');
    return b == std::string::npos ? std::string() : s.substr(b, e - b + 1);
}

std::string field_text(const OGRFeature& f, int i) {
    if (!f.IsFieldSetAndNotNull(i)) return {};
    if (f.GetFieldDefnRef(i)->GetType() == OFTDate) {
        int y = 0, m = 0, d = 0, hh, mm, tz;
        float ss;
        f.GetFieldAsDateTime(i, &y, &m, &d, &hh, &mm, &ss, &tz);
        char buf[16];
        std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", y, m, d);
        return buf;
    }
    return f.GetFieldAsString(i);
}

struct Shape {
    int parts = 0, holes = 0;
    bool closed = true;
};

Shape shape_of(const OGRGeometry& g) {
    Shape s;
    auto polygon = [&](const OGRPolygon& p) {
        ++s.parts;
        s.holes += p.getNumInteriorRings();
        for (const OGRLinearRing* r : p) s.closed &= r->get_IsClosed() != 0;
    };
    const auto t = wkbFlatten(g.getGeometryType());
    if (t == wkbPolygon)
        polygon(*g.toPolygon());
    else if (t == wkbMultiPolygon)
        for (const OGRPolygon* p : *g.toMultiPolygon()) polygon(*p);
    return s;
}

double planar_area(const OGRGeometry& g) {
    const auto t = wkbFlatten(g.getGeometryType());
    if (t == wkbPolygon) return g.toPolygon()->get_Area();
    if (t == wkbMultiPolygon) return g.toMultiPolygon()->get_Area();
    return 0;
}

// The problems found, one a line; empty when every check holds.
std::vector<std::string> check_stored_rows(const std::string& ws, const std::string& spec,
                                           const std::set<GIntBig>& before) {
    std::vector<std::string> problems;
    std::vector<std::pair<std::string, std::string>> checks;  // key (with >= when so), value
    std::string layer_name;
    for (const std::string& item : [&] {
             std::vector<std::string> items;
             std::size_t at = 0;
             for (std::size_t next; (next = spec.find("; ", at)) != std::string::npos;
                  at = next + 2)
                 items.push_back(spec.substr(at, next - at));
             items.push_back(spec.substr(at));
             return items;
         }()) {
        const std::string t = trim(item);
        if (t.empty()) continue;
        const auto eq = t.find('=');
        if (eq == std::string::npos || eq == 0) {
            problems.push_back("bad check in cases.tsv: '" + t + "'");
            continue;
        }
        const bool at_least = t[eq - 1] == '>';
        std::string key = t.substr(0, at_least ? eq - 1 : eq);
        if (at_least) key += ">=";
        if (key == "layer")
            layer_name = t.substr(eq + 1);
        else
            checks.emplace_back(key, t.substr(eq + 1));
    }
    if (layer_name.empty()) problems.push_back("the sixth column names no layer= first");
    if (!problems.empty()) return problems;

    GDALDatasetUniquePtr ds(GDALDataset::Open(ws.c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY));
    if (!ds) return {"cannot open the workspace " + ws + " to read it back"};
    OGRLayer* layer = ds->GetLayerByName(layer_name.c_str());
    if (!layer) return {"no layer " + layer_name + " in the workspace"};
    std::vector<OGRFeatureUniquePtr> added;
    for (auto& f : *layer)
        if (!before.count(f->GetFID())) added.emplace_back(f.release());
    std::sort(added.begin(), added.end(),
              [](const OGRFeatureUniquePtr& a, const OGRFeatureUniquePtr& b) {
                  return a->GetFID() < b->GetFID();
              });

    for (const auto& check : checks) {
        // Not a structured binding: a lambda below uses key (C++17 cannot capture one).
        const std::string& key = check.first;
        const std::string& value = check.second;
        if (key == "rows") {
            if (std::to_string(added.size()) != value)
                problems.push_back(layer_name + ": " + std::to_string(added.size()) +
                                   " row(s) added, expected " + value);
            continue;
        }
        const std::vector<std::string> per_row = split(value, '|');
        if (added.empty())
            problems.push_back(key + "=" + value + ": no row was added to " + layer_name);
        if (per_row.size() > 1 && per_row.size() != added.size()) {
            problems.push_back(key + "=" + value + ": " + std::to_string(per_row.size()) +
                               " values for " + std::to_string(added.size()) + " rows");
            continue;
        }
        for (std::size_t i = 0; i < added.size(); ++i) {
            const OGRFeature& f = *added[i];
            const std::string want = per_row.size() > 1 ? per_row[i] : value;
            const std::string row = layer_name + " fid " + std::to_string(f.GetFID()) + ": ";
            const OGRGeometry* g = f.GetGeometryRef();
            auto number = [&](double got, double tolerance = 1e-9) {
                const double w = std::atof(want.c_str());
                const bool ok = key.size() > 2 && key.compare(key.size() - 2, 2, ">=") == 0
                                    ? got >= w - tolerance
                                    : std::fabs(got - w) <= tolerance;
                if (!ok) {
                    char buf[64];
                    std::snprintf(buf, sizeof buf, "%.12g", got);
                    problems.push_back(row + key + " is " + buf + ", expected " +
                                       (key.find(">=") != std::string::npos ? "" : "=") + want);
                }
            };
            const bool geometric = key == "x" || key == "y" || key == "dim" || key == "valid" ||
                                   key == "area" || key == "area>=" || key == "parts" ||
                                   key == "holes" || key == "closed" || key == "covers";
            if (geometric && !g) {
                problems.push_back(row + key + ": the row has no geometry");
                continue;
            }
            if (key == "x" || key == "y") {
                if (wkbFlatten(g->getGeometryType()) != wkbPoint) {
                    problems.push_back(row + "a " + g->getGeometryName() + ", not a point");
                    continue;
                }
                number(key == "x" ? g->toPoint()->getX() : g->toPoint()->getY());
            } else if (key == "dim") {
                number(g->CoordinateDimension(), 0);
            } else if (key == "valid") {
                number(g->IsValid() ? 1 : 0, 0);
            } else if (key == "area" || key == "area>=") {
                number(planar_area(*g));
            } else if (key == "parts") {
                number(shape_of(*g).parts, 0);
            } else if (key == "holes") {
                number(shape_of(*g).holes, 0);
            } else if (key == "closed") {
                number(shape_of(*g).closed ? 1 : 0, 0);
            } else if (key == "covers") {
                double w = 0, s = 0, e = 0, n = 0;
                if (std::sscanf(want.c_str(), "%lf,%lf,%lf,%lf", &w, &s, &e, &n) != 4) {
                    problems.push_back("bad covers= in cases.tsv: " + want);
                    continue;
                }
                OGRLinearRing ring;
                ring.addPoint(w, s);
                ring.addPoint(e, s);
                ring.addPoint(e, n);
                ring.addPoint(w, n);
                ring.addPoint(w, s);
                OGRPolygon box;
                box.addRing(&ring);
                if (!g->Contains(&box)) problems.push_back(row + "does not cover the box " + want);
            } else {
                const int k = f.GetFieldIndex(key.c_str());
                if (k < 0) {
                    problems.push_back(row + "no column '" + key + "'");
                    continue;
                }
                const std::string got = field_text(f, k);
                if (got != want)
                    problems.push_back(row + key + " is '" + got + "', expected '" + want + "'");
            }
        }
    }
    return problems;
}

/** The layer= a sixth column names first ("" when none). */
std::string layer_of(const std::string& spec) {
    const auto at = spec.find("layer=");
    if (at == std::string::npos) return "";
    return trim(spec.substr(at + 6, spec.find(';', at) - at - 6));
}

}  // namespace

int main(int argc, char** argv) {
    const std::string mode = argc > 1 ? argv[1] : "";
    if (!((mode == "fids" && argc == 4) || (mode == "check" && argc == 5))) {
        std::cerr << "usage: bad_readback fids WS SPEC | bad_readback check WS SPEC FIDS\n";
        return 2;
    }
    GDALAllRegister();
    const std::string ws = argv[2], spec = argv[3];
    if (mode == "fids") {
        for (GIntBig fid : fids_of(ws, layer_of(spec))) std::cout << fid << '\n';
        return 0;
    }
    std::set<GIntBig> before;
    std::istringstream in(read_all(argv[4]));
    for (long long fid; in >> fid;) before.insert(fid);
    for (const auto& p : check_stored_rows(ws, spec, before)) std::cout << p << '\n';
    return 0;
}
