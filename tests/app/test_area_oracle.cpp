// Claim areas and encroachment of `limes stats --json` against two geodesic implementations
// that are not limes' own (limes: PROJ's geod_polygonarea, src/geo/geometry/geodesic.cpp):
//
//  - SpatiaLite's ST_Area(geom, 1) (librttopo's area on the WGS84 spheroid), on a SpatiaLite
//    copy of the workspace that GDAL writes; ST_Intersection there gives the encroachment
//    geometry. Other mathematics than limes' (librttopo's own spheroid integration, not
//    Karney's series) but approximate: measured against GeographicLib (Debian 12: libspatialite
//    5.0.1, librttopo 1.1.0) it is within 8.3e-5 on the default workspace's claims and 2.5e-4 on
//    the 154 km² triangle of the synthetic case; 5e-8 on the box below. kSpatiaLiteRel = 5e-4.
//  - GeographicLib's Planimeter tool (Debian geographiclib-tools), given every ring's vertices
//    as text: Karney's algorithm in its C++ original (PROJ's geodesic.c is a C port of it by
//    the same author: this checks how limes feeds it rings, holes, parts and lat/lon, to
//    round-off; SpatiaLite checks the mathematics). kPlanimeterRel = 1e-7 (measured: ~1e-9).
//
// Both on top of kJsonRounding: --json prints km² rounded to 3 decimals.
//
// A spherical area fails: on a sphere of the mean or authalic radius (~6371.0 km) the areas
// here come out 0.11-0.13 % small, on one of the equatorial radius ~0.10 % large (the radii of
// curvature at 40°N are M = 6363 km, N = 6387 km; only a sphere of radius sqrt(MN) fitted to
// this latitude would pass). That is 10^4 x kPlanimeterRel and 2x kSpatiaLiteRel. The first
// test case checks both oracles against the closed-form ellipsoidal area of a lat/lon box and
// that SpatiaLite's own spherical area (ST_Area(geom, 0)) and a mean-radius sphere miss it;
// every comparison also checks the spherical area of that very polygon would fail.
//
// Encroachment as src/geo/ops/stats.cpp defines it: 0 when holder and sovereign are the same
// (ASCII case-insensitively); otherwise the area of the claim ∩ the first feature of the
// `countries` layer whose name or iso_a3 is the sovereign; null when there is none.
#include <catch2/catch.hpp>

#include <gdal_priv.h>
#include <ogrsf_frmts.h>

#include <nlohmann/json.hpp>

#include <cmath>
#include <cstdio>
#include <fstream>
#include <iomanip>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "../geo/support.hpp"
#include "../support/ogr_layer.hpp"
#include "geo/formats/gdal_util.hpp"
#include "run_limes.hpp"

using nlohmann::json;

namespace {

constexpr double kSpatiaLiteRel = 5e-4;
constexpr double kPlanimeterRel = 1e-7;
// Encroachment is measured on SpatiaLite's ST_Intersection, not on limes' own intersection:
// where a claim was cut along its sovereign's border (the 1994-2023 rows share Azerbaijan's
// edges) the two overlays place the shared edges' vertices a few mm apart. Measured: up to
// 1.6e-6 of the area (8,219 km2: 0.002 km2) on the default workspace.
constexpr double kOverlayRel = 3e-6;
constexpr double kJsonRounding = 0.0005;  // km²: --json rounds to 0.001 km²
constexpr double kSphereMeanRadiusM = 6371008.8;

// ---- GeographicLib's Planimeter ----------------------------------------------------------

/** Area in km² of every polygon of g (outer rings minus holes) through `Planimeter`: one ring
 *  per polygon it reads (rings end with a blank line), each its own signed area. */
double planimeter_km2(const OGRGeometry& g) {
    std::vector<const OGRLinearRing*> rings;
    std::vector<bool> outer;
    std::vector<const OGRPolygon*> polys;
    const auto type = wkbFlatten(g.getGeometryType());
    if (type == wkbPolygon) {
        polys.push_back(g.toPolygon());
    } else if (type == wkbMultiPolygon || type == wkbGeometryCollection) {
        for (const OGRGeometry* part : *g.toGeometryCollection()) {
            const auto t = wkbFlatten(part->getGeometryType());
            if (t == wkbPolygon) polys.push_back(part->toPolygon());
            if (t == wkbMultiPolygon)
                for (const OGRPolygon* p : *part->toMultiPolygon()) polys.push_back(p);
        }
    }
    for (const OGRPolygon* p : polys)
        for (int i = 0; i < 1 + p->getNumInteriorRings(); ++i) {
            rings.push_back(i == 0 ? p->getExteriorRing() : p->getInteriorRing(i - 1));
            outer.push_back(i == 0);
        }
    REQUIRE_FALSE(rings.empty());
    const std::string in = limes_test::scratch("planimeter", ".txt");
    {
        std::ofstream f(in);
        char line[96];
        for (const OGRLinearRing* r : rings) {
            int n = r->getNumPoints();
            if (n > 1 && r->getX(0) == r->getX(n - 1) && r->getY(0) == r->getY(n - 1)) --n;
            for (int i = 0; i < n; ++i) {
                std::snprintf(line, sizeof line, "%.17g %.17g\n", r->getY(i),
                              r->getX(i));  // lat lon
                f << line;
            }
            f << '\n';
        }
        REQUIRE(f.good());
    }
    // -p 9: areas to 1e-9 m² in the text (the default, 6, gives 0.1 m²).
    const std::string cmd = "Planimeter -p 9 < '" + in + "' 2>&1";
    std::unique_ptr<FILE, int (*)(FILE*)> pipe(::popen(cmd.c_str(), "r"), ::pclose);
    REQUIRE(pipe);
    std::string text;
    char buf[512];
    while (std::fgets(buf, sizeof buf, pipe.get())) text += buf;
    const int status = ::pclose(pipe.release());
    INFO("Planimeter (Debian package geographiclib-tools, third_party/debian-packages.txt): "
         << text);
    REQUIRE(status == 0);
    std::istringstream lines(text);
    double total_m2 = 0.0;
    std::size_t k = 0;
    for (std::string l; std::getline(lines, l);) {
        if (l.empty()) continue;
        std::istringstream fields(l);
        long long n = 0;
        double perimeter = 0, area = 0;
        REQUIRE(static_cast<bool>(fields >> n >> perimeter >> area));
        REQUIRE(k < rings.size());
        total_m2 += (outer[k] ? 1.0 : -1.0) * std::fabs(area);
        ++k;
    }
    REQUIRE(k == rings.size());
    std::remove(in.c_str());
    return total_m2 / 1e6;
}

std::unique_ptr<OGRGeometry> from_wkt(const std::string& wkt) {
    OGRGeometry* g = nullptr;
    REQUIRE(OGRGeometryFactory::createFromWkt(wkt.c_str(), nullptr, &g) == OGRERR_NONE);
    REQUIRE(g);
    return std::unique_ptr<OGRGeometry>(g);
}

// ---- SpatiaLite --------------------------------------------------------------------------

std::string quoted(const std::string& s) {
    std::string q = "'";
    for (char c : s) q += c == '\'' ? std::string("''") : std::string(1, c);
    return q + "'";
}

/** A SpatiaLite database (GDAL's SQLite driver, SPATIALITE=YES: it holds spatial_ref_sys, which
 *  ST_Area(g, 1) reads the ellipsoid from) with copies of some layers; geometry column geom. */
class SpatiaLite {
  public:
    SpatiaLite() : path_(limes_test::scratch("oracle", ".sqlite")) {
        limes::geo::ensure_gdal();
        GDALDriver* drv = GetGDALDriverManager()->GetDriverByName("SQLite");
        REQUIRE(drv);
        char** opts = CSLSetNameValue(nullptr, "SPATIALITE", "YES");
        ds_.reset(drv->Create(path_.c_str(), 0, 0, 0, GDT_Unknown, opts));
        CSLDestroy(opts);
        REQUIRE(ds_);
    }
    ~SpatiaLite() {
        ds_.reset();
        std::remove(path_.c_str());
    }
    void copy(const std::string& src_path, const std::string& layer, const std::string& as) {
        GDALDatasetUniquePtr src(
            GDALDataset::Open(src_path.c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY));
        REQUIRE(src);
        OGRLayer* l = layer.empty() ? src->GetLayer(0) : src->GetLayerByName(layer.c_str());
        INFO("layer " << layer << " of " << src_path);
        REQUIRE(l);
        char** opts = CSLSetNameValue(nullptr, "GEOMETRY_NAME", "geom");
        OGRLayer* copy = ds_->CopyLayer(l, as.c_str(), opts);
        CSLDestroy(opts);
        REQUIRE(copy);
        REQUIRE(copy->GetFeatureCount() == l->GetFeatureCount());
    }
    /** The rows of a query, every column as text (NULL: nullopt). */
    std::vector<std::vector<std::optional<std::string>>> rows(const std::string& sql) {
        INFO("SpatiaLite: " << sql);
        CPLErrorReset();
        OGRLayer* result = ds_->ExecuteSQL(sql.c_str(), nullptr, nullptr);
        INFO("GDAL error: " << CPLGetLastErrorMsg());
        REQUIRE(result);
        std::vector<std::vector<std::optional<std::string>>> out;
        for (auto& f : *result) {
            std::vector<std::optional<std::string>> row;
            for (int i = 0; i < f->GetFieldCount(); ++i)
                row.push_back(f->IsFieldSetAndNotNull(i)
                                  ? std::optional<std::string>(f->GetFieldAsString(i))
                                  : std::nullopt);
            out.push_back(std::move(row));
        }
        ds_->ReleaseResultSet(result);
        return out;
    }
    std::optional<std::string> value(const std::string& sql) {
        const auto r = rows(sql);
        REQUIRE(r.size() == 1);
        REQUIRE(r[0].size() == 1);
        return r[0][0];
    }

  private:
    std::string path_;
    GDALDatasetUniquePtr ds_;
};

double number(const std::optional<std::string>& s) {
    REQUIRE(s.has_value());
    return std::stod(*s);
}

std::string ascii_lower(std::string s) {
    for (char& c : s)
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    return s;
}

// ---- the comparison ----------------------------------------------------------------------

json stats_json(const std::string& ws) {
    const auto r = limes_test::run_limes({"stats", ws, "--json"});
    INFO(r.err);
    REQUIRE(r.code == 0);
    return json::parse(r.out);
}

/** One figure of limes against both oracles; also shows the spherical area (of SpatiaLite,
 *  radius from spatial_ref_sys) of the same polygon would fail. */
void check_area(const std::string& what, double limes_km2, double planimeter, double spatialite,
                double sphere, double planimeter_rel = kPlanimeterRel) {
    INFO(std::setprecision(10) << what << ": limes " << limes_km2 << " km2, Planimeter "
                               << planimeter << ", SpatiaLite " << spatialite << ", sphere "
                               << sphere);
    CHECK(std::fabs(limes_km2 - planimeter) <= kJsonRounding + planimeter_rel * planimeter);
    CHECK(std::fabs(limes_km2 - spatialite) <= kJsonRounding + kSpatiaLiteRel * spatialite);
    // The oracles agree with each other, and a sphere would not pass.
    CHECK(std::fabs(planimeter - spatialite) <= kSpatiaLiteRel * planimeter);
    CHECK(std::fabs(sphere - planimeter) > 5 * (kJsonRounding + kPlanimeterRel * planimeter));
}

/** Checks every claim of `stats --json` on ws. db holds copies of ws's claims and countries.
 *  Returns the number of non-zero encroachment figures checked. */
int check_claims(const std::string& ws, SpatiaLite& db, std::size_t expected_claims) {
    const json stats = stats_json(ws);
    REQUIRE(stats.contains("claims"));
    const json& claims = stats["claims"];
    REQUIRE(claims.size() == expected_claims);

    auto [src, claim_layer] = limes_test::open_layer(ws, "claims");
    int encroachments = 0;
    for (const json& c : claims) {
        const std::string id = c.at("claim_id").get<std::string>();
        const std::string sovereign =
            c.at("sovereign").is_null() ? "" : c["sovereign"].get<std::string>();
        const std::string holder = c.at("holder").is_null() ? "" : c["holder"].get<std::string>();
        INFO("claim " << id << " (" << c.at("name") << "), sovereign " << sovereign << ", holder "
                      << holder);

        // Area: Planimeter on the stored geometry as OGR reads it, SpatiaLite on its copy.
        std::unique_ptr<OGRGeometry> stored;
        claim_layer->SetAttributeFilter(("claim_id = " + quoted(id)).c_str());
        for (auto& f : *claim_layer) {
            REQUIRE_FALSE(stored);  // claim_id is unique
            REQUIRE(f->GetGeometryRef());
            stored.reset(f->GetGeometryRef()->clone());
        }
        REQUIRE(stored);
        const std::string where = " FROM claims WHERE claim_id = " + quoted(id);
        check_area("area", c.at("area_km2").get<double>(), planimeter_km2(*stored),
                   number(db.value("SELECT ST_Area(geom, 1) / 1e6" + where)),
                   number(db.value("SELECT ST_Area(geom, 0) / 1e6" + where)));

        // Encroachment.
        const json& enc = c.at("encroachment_km2");
        if (!sovereign.empty() && !holder.empty() &&
            ascii_lower(sovereign) == ascii_lower(holder)) {
            CHECK(enc == json(0.0));
            continue;
        }
        // The first matching country in layer order (ROWID + 0: GDAL would take a plain ROWID
        // column for the result's FID).
        const auto country = db.rows(
            "SELECT ROWID + 0 AS k FROM countries WHERE lower(name) = lower(" + quoted(sovereign) +
            ") OR lower(iso_a3) = lower(" + quoted(sovereign) + ") ORDER BY ROWID LIMIT 1");
        if (country.empty()) {
            CHECK(enc.is_null());
            continue;
        }
        REQUIRE(country[0].size() == 1);
        REQUIRE(country[0][0].has_value());
        REQUIRE(enc.is_number());
        const std::string inter = "ST_Intersection(c.geom, k.geom)";
        const std::string from = " FROM claims c, countries k WHERE c.claim_id = " + quoted(id) +
                                 " AND k.ROWID = " + *country[0][0];
        // (|| '': GDAL would take a bare AsText() column for the result's geometry)
        const auto wkt = db.value("SELECT AsText(" + inter + ") || '' AS wkt" + from);
        REQUIRE(wkt.has_value());  // every fixture claim overlaps its sovereign
        check_area("encroachment", enc.get<double>(), planimeter_km2(*from_wkt(*wkt)),
                   number(db.value("SELECT ST_Area(" + inter + ", 1) / 1e6" + from)),
                   number(db.value("SELECT ST_Area(" + inter + ", 0) / 1e6" + from)),
                   kOverlayRel);
        if (enc.get<double>() > 0.0) ++encroachments;
    }
    return encroachments;
}

// Closed-form area of the ellipsoid between two parallels over dlon degrees (WGS84):
// A = b² Δλ / 2 [q(φ2) - q(φ1)], q(φ) = sinφ / (1 - e² sin²φ) + atanh(e sinφ) / e.
double ellipsoid_box_km2(double lat1, double lat2, double dlon) {
    const double a = 6378137.0, f = 1.0 / 298.257223563, b = a * (1 - f);
    const double e2 = f * (2 - f), e = std::sqrt(e2);
    const double pi = std::acos(-1.0);
    auto q = [&](double lat) {
        const double s = std::sin(lat * pi / 180.0);
        return s / (1 - e2 * s * s) + std::atanh(e * s) / e;
    };
    return b * b * (dlon * pi / 180.0) / 2.0 * (q(lat2) - q(lat1)) / 1e6;
}

}  // namespace

TEST_CASE(
    "area oracle: SpatiaLite and Planimeter give the ellipsoidal area of a 1x1 degree box at 40N",
    "[area_oracle]") {
    // 45-46°E, 40-41°N, its parallels as 200 short geodesics each: the chords' bulge towards
    // the pole shrinks as 1/n² (6.6e-6 of the area with one edge per side, ~1e-10 here).
    const std::string path = limes_test::scratch("box", ".geojson");
    {
        std::ofstream f(path);
        f << std::setprecision(17)
          << R"({"type":"FeatureCollection","features":[{"type":"Feature","properties":{},)"
          << R"("geometry":{"type":"Polygon","coordinates":[[)";
        const int n = 200;
        for (int i = 0; i <= n; ++i) f << "[" << 45.0 + double(i) / n << ",40],";
        for (int i = 0; i <= n; ++i) f << "[" << 46.0 - double(i) / n << ",41],";
        f << "[45,40]]]}}]}";
    }
    SpatiaLite db;
    db.copy(path, "", "box");
    const double exact = ellipsoid_box_km2(40.0, 41.0, 1.0);  // 9412.8516 km²
    const double spatialite = number(db.value("SELECT ST_Area(geom, 1) / 1e6 FROM box"));
    const double sphere = number(db.value("SELECT ST_Area(geom, 0) / 1e6 FROM box"));
    GDALDatasetUniquePtr src(GDALDataset::Open(path.c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY));
    REQUIRE(src);
    OGRFeatureUniquePtr feature(src->GetLayer(0)->GetNextFeature());
    REQUIRE(feature);
    const double planimeter = planimeter_km2(*feature->GetGeometryRef());
    const double pi = std::acos(-1.0);
    const double r = kSphereMeanRadiusM / 1000.0;
    const double mean_sphere =
        r * r * (pi / 180.0) * (std::sin(41 * pi / 180) - std::sin(40 * pi / 180));
    INFO(std::setprecision(10) << "closed form " << exact << " km2, SpatiaLite " << spatialite
                               << ", Planimeter " << planimeter << ", SpatiaLite's sphere "
                               << sphere << ", mean-radius sphere " << mean_sphere);
    CHECK(exact == Approx(9412.85).margin(0.01));  // the formula itself, against a hand value
    CHECK(std::fabs(spatialite - exact) <= 1e-6 * exact);
    CHECK(std::fabs(planimeter - exact) <= 1e-8 * exact);
    // A spherical area is ~0.1 % off here: outside both tolerances used below.
    CHECK(std::fabs(sphere - exact) > 2 * kSpatiaLiteRel * exact);
    CHECK(std::fabs(mean_sphere - exact) > 2 * kSpatiaLiteRel * exact);
    std::remove(path.c_str());
}

TEST_CASE("area oracle: stats --json claim areas and encroachment of the default workspace",
          "[area_oracle][default]") {
    SpatiaLite db;
    db.copy(LIMES_DEFAULT_WS, "claims", "claims");
    db.copy(LIMES_DEFAULT_WS, "countries", "countries");
    // Every claim of the workspace is in stats; those held by someone other than their
    // sovereign (the exclaves, the ground held 1994-2023, the corridor) encroach: its area
    // inside the sovereign's country polygon; those held by their sovereign (handovers,
    // ground retaken) do not (0).
    auto [src, layer] = limes_test::open_layer(LIMES_DEFAULT_WS, "claims");
    const auto rows = static_cast<std::size_t>(layer->GetFeatureCount());
    int foreign = 0;
    for (auto& f : *layer)
        foreign += std::string(f->GetFieldAsString("holder")) != f->GetFieldAsString("sovereign");
    CHECK(rows >= 30);
    CHECK(foreign >= 15);
    CHECK(check_claims(LIMES_DEFAULT_WS, db, rows) == foreign);
}

TEST_CASE(
    "area oracle: stats --json of tests/data/claims.geojson imported into a scratch workspace",
    "[area_oracle][import]") {
    // Synthetic countries for the synthetic claims' sovereigns (tests/data/README.md): State A
    // covers the east half of claim 1 but for a hole inside it, State B cuts across the
    // east triangle of claim 2 (the bow-tie, stored as two triangles after repair).
    const std::string countries = limes_test::scratch("synthetic-countries", ".geojson");
    {
        std::ofstream f(countries);
        f << R"({"type":"FeatureCollection","features":[
{"type":"Feature","properties":{"name":"Synthetic State A","iso_a3":"SYA"},"geometry":{"type":"Polygon","coordinates":[
 [[45.75,39.7],[46.1,39.7],[46.1,40.5],[45.75,40.5],[45.75,39.7]],
 [[45.8,39.85],[45.8,39.9],[45.85,39.9],[45.85,39.85],[45.8,39.85]]]}},
{"type":"Feature","properties":{"name":"Synthetic State B","iso_a3":"SYB"},"geometry":{"type":"Polygon","coordinates":[
 [[46.3,39.9],[47.0,39.9],[47.0,40.2],[46.3,40.2],[46.3,39.9]]]}}]})";
    }
    const std::string ws = limes_test::scratch("oracle-ws");
    for (const auto& [file, layer] : {std::pair<std::string, std::string>{countries, "countries"},
                                      {limes_test::data("claims.geojson"), "claims"}}) {
        const auto r = limes_test::run_limes({"import", ws, file, "--layer", layer});
        INFO(r.out << r.err);
        REQUIRE(r.code == 0);
    }
    SpatiaLite db;
    db.copy(ws, "claims", "claims");
    db.copy(ws, "countries", "countries");
    CHECK(check_claims(ws, db, 2) == 2);

    // End to end from the file: SpatiaLite repairs the bow-tie itself (librttopo's MakeValid,
    // not GEOS as limes) and its areas match what limes reports for the imported claims.
    SpatiaLite raw;
    raw.copy(limes_test::data("claims.geojson"), "", "src");
    const json stats = stats_json(ws);
    for (const json& c : stats["claims"]) {
        const std::string id = c.at("claim_id").get<std::string>();
        const double oracle =
            number(raw.value("SELECT ST_Area(ST_MakeValid(geom), 1) / 1e6 FROM src "
                             "WHERE claim_id = " +
                             quoted(id)));
        INFO(id << ": limes " << c["area_km2"] << " km2, SpatiaLite on the repaired file "
                << oracle);
        CHECK(std::fabs(c["area_km2"].get<double>() - oracle) <=
              kJsonRounding + kSpatiaLiteRel * oracle);
        CHECK(oracle > 500.0);  // 0.3 x 0.2 degrees: not a bow-tie's cancelling halves (~0)
    }
    limes_test::remove_files({ws, countries});
}
