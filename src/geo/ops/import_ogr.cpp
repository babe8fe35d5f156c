#include "geo/ops/import_ogr.hpp"
#include "geo/ops/import_csv.hpp"

#include <cpl_conv.h>
#include <sys/stat.h>

#include <nlohmann/json.hpp>
#include <ogr_geometry.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdlib>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <functional>
#include <memory>
#include <optional>
#include <string_view>
#include <unordered_set>

#include "core/csv_reader.hpp"
#include "core/error.hpp"
#include "core/incident_rows.hpp"
#include "core/text.hpp"
#include "geo/geometry/geos_util.hpp"
#include "geo/ops/incident_pipeline.hpp"
#include "geo/store/ogr_convert.hpp"
#include "geo/store/workspace.hpp"

namespace limes::geo {
namespace {

OGRLayer& pick_source_layer(GDALDataset& src, const std::string& file, const ImportOptions& opt) {
    if (!opt.source_layer.empty()) {
        if (OGRLayer* l = src.GetLayerByName(opt.source_layer.c_str())) return *l;
        throw core::UsageError(file + ": no layer '" + opt.source_layer + "'");
    }
    if (src.GetLayerCount() == 1) return *src.GetLayer(0);
    if (!opt.layer.empty())
        if (OGRLayer* l = src.GetLayerByName(opt.layer.c_str())) return *l;
    if (src.GetLayerCount() == 0) throw core::DataError({file, -1, ""}, "no layers in this file");
    std::string all;
    for (int i = 0; i < src.GetLayerCount(); ++i)
        all += (i ? ", " : "") + std::string(src.GetLayer(i)->GetName());
    throw core::UsageError(file + " has several layers (" + all +
                           "): name one with --source-layer");
}

std::string ogr_field_text(const OGRFeature& f, int i) {
    if (!f.IsFieldSetAndNotNull(i)) return {};
    // GDAL types date-like GeoJSON strings as OFTDate and prints them "2022/09/14"; give them
    // back in ISO 8601 as the source wrote them, so a text column (notes) keeps its text.
    if (f.GetFieldDefnRef(i)->GetType() == OFTDate) {
        int y = 0, m = 0, d = 0, hh, mm, tz;
        float ss;
        if (f.GetFieldAsDateTime(i, &y, &m, &d, &hh, &mm, &ss, &tz)) {
            char buf[32];
            std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", y, m, d);
            return buf;
        }
    }
    return f.GetFieldAsString(i);
}

// The first failure found among g's coordinates (not finite, or beyond -180..180 / -90..90
// degrees once in WGS84), or empty when every vertex is fine. GEOS, the triangulation and
// the geodesic areas all assume finite lon/lat.
std::string coordinate_problem(const OGRGeometry& g) {
    struct Check : OGRDefaultConstGeometryVisitor {
        std::string problem;
        using OGRDefaultConstGeometryVisitor::visit;
        void visit(const OGRPoint* p) override {
            // No IsEmpty() test: GDAL calls a point with a NaN coordinate empty.
            if (!problem.empty()) return;
            const double x = p->getX(), y = p->getY();
            char buf[96];
            if (!std::isfinite(x) || !std::isfinite(y))
                std::snprintf(buf, sizeof buf, "a vertex is not a finite number (%g, %g)", x, y);
            else if (y < -90 || y > 90 || x < -180 || x > 180)
                std::snprintf(buf, sizeof buf,
                              "vertex (%.10g, %.10g) is outside -180..180 / -90..90 degrees", x, y);
            else
                return;
            problem = buf;
        }
    } check;
    g.accept(&check);
    return check.problem;
}

// A Shapefile's field names are cut to 10 characters (dBase): event_id_cnty arrives as
// event_id_c, reported_by as reported_b. Unread, the ids would be lost (a second import would
// double every row) and the reporter taken for ACLED. A cut name that is the start of exactly
// one of limes' columns, and not a column itself, is read as that column.
void restore_shapefile_names(std::vector<std::string>& header) {
    constexpr std::size_t kDbaseNameLength = 10;
    for (std::string& name : header) {
        const std::string l = core::to_lower(name);
        if (l.size() != kDbaseNameLength || core::incident_column_index(l) >= 0) continue;
        std::string_view match;
        int matches = 0;
        for (const auto& c : core::incident_columns())
            if (c.name.size() > kDbaseNameLength && c.name.compare(0, kDbaseNameLength, l) == 0) {
                match = c.name;
                ++matches;
            }
        if (matches == 1) name = std::string(match);
    }
}

// Which layer a source with no --layer goes to: its geometry type decides, else its name,
// else its columns (a GeoJSON whose features have no geometry, or mixed ones, reports an
// unknown type but still says "event_date"). nullopt when nothing tells.
std::optional<std::string> guess_target_layer(OGRLayer& src) {
    const OGRwkbGeometryType gtype = wkbFlatten(src.GetGeomType());
    if (gtype == wkbPoint || gtype == wkbMultiPoint) return std::string(kIncidents);
    if (gtype == wkbPolygon || gtype == wkbMultiPolygon) return std::string(kClaims);
    const std::string name = src.GetName();
    if (name == kClaims || name == kIncidents) return name;
    const OGRFeatureDefn* defn = src.GetLayerDefn();
    bool incident_columns = false, claim_columns = false;
    for (int i = 0; i < defn->GetFieldCount(); ++i) {
        const std::string f = core::to_lower(defn->GetFieldDefn(i)->GetNameRef());
        incident_columns |= f == "event_date" || f == "event_type" || f == "date_start";
        claim_columns |= f == "claimant";
    }
    if (incident_columns != claim_columns)
        return std::string(incident_columns ? kIncidents : kClaims);
    return std::nullopt;
}

// Text formats GDAL reads with C strings: a NUL byte inside one silently cuts a value short
// (a GeoJSON "notes" ends at it), so such a file is refused before GDAL reads it.
bool is_text_format(const std::string& path) {
    const std::string p = core::to_lower(path);
    for (const char* ext : {".geojson", ".json", ".geojsonl", ".geojsons", ".ndjson", ".kml",
                            ".gml", ".gpx", ".vrt", ".xml", ".csv", ".tsv", ".txt"})
        if (p.size() > std::strlen(ext) &&
            p.compare(p.size() - std::strlen(ext), std::string::npos, ext) == 0)
            return true;
    return false;
}

void refuse_nul_bytes(const std::string& file) {
    std::unique_ptr<std::FILE, int (*)(std::FILE*)> f(std::fopen(file.c_str(), "rb"), &std::fclose);
    if (!f) return;  // GDAL names the reason
    std::vector<char> buf(1 << 20);
    long long offset = 0;
    long line = 1;
    for (std::size_t n; (n = std::fread(buf.data(), 1, buf.size(), f.get())) > 0; offset += n) {
        const char* nul = static_cast<const char*>(std::memchr(buf.data(), '\0', n));
        const char* end = nul ? nul : buf.data() + n;
        line += static_cast<long>(std::count(static_cast<const char*>(buf.data()), end, '\n'));
        if (nul)
            throw core::DataError({file, line, ""},
                                  "a NUL byte at byte " +
                                      std::to_string(offset + (nul - buf.data())) +
                                      ": not a text file");
    }
}

// GDAL's GeoJSON reader refuses a coordinate that is not a number ("a") for the whole file,
// without saying where. This finds the first feature with one (a JSON parse of the file, up
// to 256 MB), so the error names the feature, its id and the field; nullopt otherwise.
std::optional<core::DataError> locate_bad_coordinate(const std::string& file) {
    struct stat st {};
    if (::stat(file.c_str(), &st) != 0 || st.st_size > (256 << 20)) return std::nullopt;
    std::ifstream in(file, std::ios::binary);
    const nlohmann::json doc = nlohmann::json::parse(in, nullptr, /*allow_exceptions=*/false);
    if (!doc.is_object() || !doc.contains("features") || !doc["features"].is_array())
        return std::nullopt;
    const nlohmann::json* bad = nullptr;
    std::function<void(const nlohmann::json&)> walk = [&](const nlohmann::json& c) {
        if (bad) return;
        if (c.is_array()) {
            for (const auto& x : c) walk(x);
        } else if (!c.is_number()) {
            bad = &c;
        }
    };
    const auto& features = doc["features"];
    for (std::size_t i = 0; i < features.size(); ++i) {
        const auto& f = features[i];
        if (!f.is_object() || !f.contains("geometry") || !f["geometry"].is_object() ||
            !f["geometry"].contains("coordinates"))
            continue;
        walk(f["geometry"]["coordinates"]);
        if (!bad) continue;
        std::string id;
        if (f.contains("id")) id = f["id"].dump();
        else if (f.contains("properties") && f["properties"].is_object() &&
                 f["properties"].contains("event_id_cnty"))
            id = f["properties"]["event_id_cnty"].dump();
        std::string value = bad->dump();
        if (value.size() > 40) value = value.substr(0, 40) + "...";
        return core::DataError({file, static_cast<long>(i + 1), "geometry"},
                               "feature " + std::to_string(i + 1) + (id.empty() ? "" : " (" + id + ")") +
                                   ": a coordinate is " + value + ", not a number");
    }
    return std::nullopt;
}

// Opens an import source. A local file that exists but is no vector data GDAL reads (empty,
// truncated, binary garbage, a broken GeoJSON) is bad input data (DataError, exit 3), not an
// I/O failure: the file was read, its content is wrong. errors: GDAL's failures so far, for
// a reason fuller than GDAL's last word ("Failed to read GeoJSON data" follows the one that
// says where and why).
GDALDatasetUniquePtr open_source(const std::string& file, const GdalErrorCollector& errors) {
    try {
        return open_vector(file, false);
    } catch (const core::IoError& e) {
        VSIStatBufL st;
        if (is_network_path(file) || VSIStatL(file.c_str(), &st) != 0) throw;
        if (std::FILE* f = std::fopen(file.c_str(), "rb")) {
            std::fclose(f);
        } else if (!VSI_ISDIR(st.st_mode)) {
            throw;  // exists but cannot be read: permissions, an I/O matter
        }
        std::string reason = errors.summary();
        if (reason.empty()) {
            const std::string what = e.what();
            reason = what.compare(0, file.size() + 2, file + ": ") == 0
                         ? what.substr(file.size() + 2)
                         : what;
        }
        throw core::DataError({file, -1, ""}, st.st_size == 0 && !VSI_ISDIR(st.st_mode)
                                                  ? std::string("the file is empty")
                                                  : "not vector data GDAL can read: " + reason);
    }
}

// A claim's polygon from a source geometry (already in WGS84): checked, repaired where that
// is safe (rings closed, GEOS MakeValid), with the repairs in repairs. Throws DataError for
// what cannot be repaired.
core::MultiPolygon claim_area(const GeosContext& geos, OGRGeometry& g, const std::string& file,
                              long row, std::vector<std::string>& repairs) {
    const core::Location where{file, row, "geometry"};
    if (g.IsEmpty()) throw core::DataError(where, "missing polygon");
    const auto t = wkbFlatten(g.getGeometryType());
    if (t != wkbPolygon && t != wkbMultiPolygon)
        throw core::DataError(where, std::string(OGRGeometryTypeToName(g.getGeometryType())) +
                                         " where a Polygon is expected");
    if (const std::string p = coordinate_problem(g); !p.empty()) throw core::DataError(where, p);
    // GEOS refuses rings that are not closed or have fewer than 4 points (it throws where a
    // repair belongs): close them here, and name the rings nothing can save.
    bool closed_any = false;
    auto check_polygon = [&](OGRPolygon* poly) {
        for (OGRLinearRing* ring : *poly) {
            if (ring->getNumPoints() > 0 && !ring->get_IsClosed()) {
                ring->closeRings();
                closed_any = true;
            }
            if (ring->getNumPoints() > 0 && ring->getNumPoints() < 4)
                throw core::DataError(where, "a ring of " + std::to_string(ring->getNumPoints()) +
                                                 " points (a polygon ring needs at least 4, "
                                                 "the last repeating the first)");
        }
    };
    if (t == wkbPolygon) {
        check_polygon(g.toPolygon());
    } else {
        for (OGRPolygon* poly : *g.toMultiPolygon()) check_polygon(poly);
    }
    if (closed_any) repairs.push_back("ring not closed: closed by repeating its first point");
    // A hole is ground taken out of the claim. One that lies wholly outside its polygon takes
    // nothing out; MakeValid would keep it as a polygon of its own, i.e. claim it. Dropped.
    bool dropped_hole = false;
    auto drop_outside_holes = [&](OGRPolygon* poly) {
        if (poly->getNumInteriorRings() == 0) return;
        OGRPolygon shell, kept;
        shell.addRing(poly->getExteriorRing());
        kept.addRing(poly->getExteriorRing());
        GeomPtr shell_g = to_geos(geos, shell);
        for (int i = 0; i < poly->getNumInteriorRings(); ++i) {
            OGRPolygon hole;
            hole.addRing(poly->getInteriorRing(i));
            GeomPtr hole_g = to_geos(geos, hole);
            // 0: disjoint; 2: GEOS could not tell (an invalid shell): kept for MakeValid.
            if (GEOSIntersects_r(geos.get(), shell_g.get(), hole_g.get()) == 0)
                dropped_hole = true;
            else
                kept.addRing(poly->getInteriorRing(i));
        }
        if (dropped_hole) *poly = kept;
    };
    try {
        if (t == wkbPolygon) {
            drop_outside_holes(g.toPolygon());
        } else {
            for (OGRPolygon* poly : *g.toMultiPolygon()) drop_outside_holes(poly);
        }
    } catch (const core::Error&) {
        // GEOS refused a ring: left to MakeValid below, which reports what it cannot mend.
    }
    if (dropped_hole)
        repairs.push_back(
            "a hole lies outside its polygon: dropped (it took no ground out of the claim)");
    try {
        GeomPtr gg = to_geos(geos, g);
        std::string reason;
        GeomPtr valid = make_valid_polygonal(geos, gg.get(), &reason);
        if (!reason.empty())
            repairs.push_back("invalid polygon (" + reason + ") made valid with GEOS MakeValid");
        double area = 0;
        if (GEOSArea_r(geos.get(), valid.get(), &area) != 1 || !(area > 0))
            throw core::DataError(
                where, reason.empty() ? "polygon has no area" : "polygon has no area after repair");
        core::MultiPolygon out = to_multipolygon(geos, valid.get());
        if (out.empty()) throw core::DataError(where, "polygon has no area after repair");
        return out;
    } catch (const core::DataError&) {
        throw;
    } catch (const core::Error& e) {
        // GEOS refused the geometry: a property of this feature, not a bug of the import.
        throw core::DataError(where, std::string("cannot be processed: ") + e.what());
    }
}

}  // namespace

void read_ogr(const std::string& file, const ImportOptions& opt, ImportReport& report,
              Parsed& parsed, GDALDatasetUniquePtr& keep_open) {
    // GDAL's failures while opening and reading, which its API otherwise only hints at: a
    // reader that meets a corrupt page ends the features as if the file ended there.
    if (is_text_format(file)) refuse_nul_bytes(file);
    GdalErrorCollector gdal_errors;
    keep_open = open_source(file, gdal_errors);
    OGRLayer& src = pick_source_layer(*keep_open, file, opt);
    report.format = std::string("OGR (") + keep_open->GetDriver()->GetDescription() + ")";
    // Failures while opening (a coordinate that is not a number, a CRS PROJ does not know, a
    // VRT whose source is missing) refuse the whole file: GDAL does not say which feature
    // they belong to, and goes on as if the geometry or the CRS were simply absent.
    const GIntBig count = src.GetFeatureCount(FALSE);
    if (!gdal_errors.empty() &&
        std::string(keep_open->GetDriver()->GetDescription()) == "GeoJSON" &&
        gdal_errors.summary().find("coordinate") != std::string::npos)
        if (auto located = locate_bad_coordinate(file)) throw *located;
    if (!gdal_errors.empty())
        throw core::DataError({file, -1, ""},
                              "GDAL cannot read it whole: " + gdal_errors.summary());
    if (count == 0)
        throw core::DataError({file, -1, ""},
                              std::string("no features in layer '") + src.GetName() + "'");
    if (report.target_layer.empty()) {
        if (auto t = guess_target_layer(src)) {
            report.target_layer = *t;
        } else {
            throw core::UsageError(file + ": cannot tell which layer to import into (geometry " +
                                   OGRGeometryTypeToName(src.GetGeomType()) +
                                   "): pass --layer incidents|claims|NAME");
        }
    }
    // Reproject to WGS84 lon/lat. A source without a CRS is taken to be WGS84 already.
    OGRSpatialReference target = wgs84();
    std::unique_ptr<OGRCoordinateTransformation> ct;
    if (const OGRSpatialReference* s = src.GetSpatialRef()) {
        OGRSpatialReference source(*s);
        source.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
        if (!source.IsSame(&target)) {
            ct.reset(OGRCreateCoordinateTransformation(&source, &target));
            if (!ct)
                throw core::DataError({file, -1, "crs"}, "cannot transform from " +
                                                             describe_crs(&source) + " to WGS84");
        }
    }
    gdal_errors.clear();
    OGRFeatureDefn* defn = src.GetLayerDefn();
    const GIntBig total = src.GetFeatureCount(FALSE);
    std::vector<std::string> header;
    for (int i = 0; i < defn->GetFieldCount(); ++i)
        header.push_back(defn->GetFieldDefn(i)->GetNameRef());
    if (report.target_layer == kIncidents &&
        std::string(keep_open->GetDriver()->GetDescription()) == "ESRI Shapefile")
        restore_shapefile_names(header);
    GeosContext geos;
    std::unique_ptr<core::IncidentRowMapper> mapper;
    if (report.target_layer == kIncidents) {
        mapper = std::make_unique<core::IncidentRowMapper>(core::RowFormat::Acled, header, file);
        report.ignored_columns = mapper->ignored_columns();
    }
    parsed.source_defn = defn;
    parsed.geometry_type = src.GetGeomType();
    long row = 0;
    src.ResetReading();
    std::vector<std::string> texts(header.size());
    std::vector<std::string_view> views(header.size());
    std::vector<std::string> repairs;
    for (auto& f : src) {
        ++row;
        ++report.read;
        auto skip = [&](const std::string& field, const std::string& message) {
            report.diagnostics.add(core::Severity::Skipped, {file, row, field}, message);
            ++report.skipped;
        };
        if (!gdal_errors.empty()) {
            // GDAL returned the feature but complained reading it (a geometry blob it cannot
            // parse, a field it could not convert): its content is not what the file says.
            skip("", "GDAL cannot read this feature: " + gdal_errors.summary());
            gdal_errors.clear();
            continue;
        }
        OGRGeometry* g = f->GetGeometryRef();
        if (g && ct && g->transform(ct.get()) != OGRERR_NONE) {
            skip("geometry", "cannot be transformed to WGS84");
            gdal_errors.clear();
            continue;
        }
        try {
            if (report.target_layer == kIncidents) {
                for (std::size_t i = 0; i < header.size(); ++i) {
                    texts[i] = ogr_field_text(*f, static_cast<int>(i));
                    views[i] = texts[i];
                }
                if (g && !g->IsEmpty()) {
                    if (wkbFlatten(g->getGeometryType()) != wkbPoint)
                        throw core::DataError(
                            {file, row, "geometry"},
                            std::string(OGRGeometryTypeToName(g->getGeometryType())) +
                                " where a Point is expected");
                    parsed.incidents.push_back(
                        mapper->map(views, row, g->toPoint()->getX(), g->toPoint()->getY()));
                } else if (mapper->has_coordinates()) {
                    parsed.incidents.push_back(mapper->map(views, row));
                } else {
                    // No geometry (null, empty, or one GDAL could not read) and no
                    // latitude/longitude columns to fall back on.
                    throw core::DataError({file, row, "geometry"},
                                          "missing point (no geometry, and no latitude and "
                                          "longitude columns)");
                }
                parsed.rows.push_back(row);
            } else if (report.target_layer == kClaims) {
                core::Claim c;
                auto text = [&](const char* name) {
                    const int k = defn->GetFieldIndex(name);
                    std::string s = k >= 0 ? ogr_field_text(*f, k) : std::string();
                    core::check_text(s, file, row, name);
                    return s;
                };
                c.claim_id = text("claim_id");
                c.name = text("name");
                c.claimant = text("claimant");
                c.holder = text("holder");
                c.sovereign = text("sovereign");
                c.status = text("status");
                c.source = text("source");
                c.source_url = text("source_url");
                c.notes = text("notes");
                c.kind = text("kind");
                c.geometry_source = text("geometry_source");
                c.valid_from_precision = core::date_precision_at(
                    text("valid_from_precision"), {file, row, "valid_from_precision"});
                if (const std::string a = text("accuracy_m"); !a.empty()) {
                    c.accuracy_m = core::parse_accuracy_m(a);
                    if (!c.accuracy_m)
                        throw core::DataError({file, row, "accuracy_m"},
                                              "'" + a + "' is not a distance in metres (>= 0)");
                }
                if (c.claimant.empty())
                    throw core::DataError({file, row, "claimant"},
                                          "missing: whose statement is this claim?");
                if (!c.kind.empty()) {
                    const auto k = core::canonical_claim_kind(c.kind);
                    if (k.empty())
                        throw core::DataError({file, row, "kind"},
                                              "unknown kind '" + c.kind +
                                                  "' (seized, controlled, transferred, "
                                                  "ceasefire_zone, corridor, other)");
                    c.kind = std::string(k);
                }
                if (c.status.empty()) c.status = "reported";
                for (auto [name, member] : {std::pair{"valid_from", &core::Claim::valid_from},
                                            std::pair{"valid_to", &core::Claim::valid_to}}) {
                    const std::string s = text(name);
                    if (s.empty()) continue;
                    auto d = core::parse_date(s);
                    if (!d) throw core::DataError({file, row, name}, "'" + s + "' is not a date");
                    c.*member = *d;
                }
                if (c.valid_from && c.valid_to && *c.valid_to < *c.valid_from)
                    throw core::DataError(
                        {file, row, "valid_to"},
                        c.valid_to->iso() + " is before valid_from " + c.valid_from->iso());
                if (!g) throw core::DataError({file, row, "geometry"}, "missing polygon");
                repairs.clear();
                c.area = claim_area(geos, *g, file, row, repairs);
                for (auto& r : repairs)
                    report.diagnostics.add(core::Severity::Repaired, {file, row, "geometry"},
                                           std::move(r));
                if (!repairs.empty()) ++report.repaired;
                parsed.claims.push_back(std::move(c));
                parsed.rows.push_back(row);
            } else {
                if (g) {
                    if (const std::string p = coordinate_problem(*g); !p.empty())
                        throw core::DataError({file, row, "geometry"}, p);
                }
                parsed.features.emplace_back(f->Clone());
            }
        } catch (const core::DataError& e) {
            report.diagnostics.add(core::Severity::Skipped, e.where(),
                                   std::string(e.what()).substr(e.where().describe().size()));
            ++report.skipped;
        }
        // What GDAL said while this feature was checked (a failed GEOS export, ...) is
        // accounted for by the checks above; what stays is about reading the next one.
        gdal_errors.clear();
        if (opt.progress && total > 0 && (row & 0x3FFF) == 0)
            opt.progress->update(0.8 * double(row) / double(total), "reading");
    }
    if (!gdal_errors.empty())
        throw core::DataError({file, row + 1, ""},
                              "cannot be read (a damaged file?): " + gdal_errors.summary());
    if (row == 0)
        throw core::DataError({file, -1, ""},
                              std::string("no features in layer '") + src.GetName() + "'");
}

}  // namespace limes::geo
