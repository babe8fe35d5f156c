#include "geo/store/workspace.hpp"

#include <cpl_conv.h>

#include <algorithm>

#include "core/error.hpp"
#include "geo/store/gpkg_fast.hpp"

namespace limes::geo {
namespace {

core::Date from_ogr_date(const OGRFeature& f, int i) {
    int y = 0, m = 0, d = 0, hh, mm, tz;
    float ss;
    f.GetFieldAsDateTime(i, &y, &m, &d, &hh, &mm, &ss, &tz);
    return core::Date::from_ymd(y, m, d);
}

void set_date(OGRFeature& f, int i, core::Date date) {
    int y, m, d;
    date.to_ymd(y, m, d);
    f.SetField(i, y, m, d, 0, 0, 0.0f, 0);
}

void create_field(OGRLayer& layer, const char* name, OGRFieldType type, const std::string& path) {
    OGRFieldDefn def(name, type);
    if (layer.CreateField(&def) != OGRERR_NONE)
        throw core::IoError(path, std::string("cannot create field ") + name + " in layer " +
                                      layer.GetName() + ": " + gdal_error("GDAL error"));
}

OGRLayer& create_layer(GDALDataset& ds, const char* name, OGRwkbGeometryType type,
                       const std::string& path) {
    OGRSpatialReference srs = wgs84();
    const char* options[] = {"FID=fid", "GEOMETRY_NAME=geom", "SPATIAL_INDEX=YES", nullptr};
    OGRLayer* layer = ds.CreateLayer(name, &srs, type, const_cast<char**>(options));
    if (!layer)
        throw core::IoError(path, std::string("cannot create layer ") + name + ": " +
                                      gdal_error("GDAL error"));
    return *layer;
}

const char* kClaimText[] = {"claim_id", "name",   "kind",   "claimant",   "holder",
                            "sovereign", "status", "source", "source_url", "notes"};
std::string core::Claim::*const kClaimMembers[] = {
    &core::Claim::claim_id, &core::Claim::name,   &core::Claim::kind,
    &core::Claim::claimant, &core::Claim::holder, &core::Claim::sovereign,
    &core::Claim::status,   &core::Claim::source, &core::Claim::source_url,
    &core::Claim::notes};

}  // namespace

Workspace Workspace::open(const std::string& path, bool update) {
    roll_back_hot_journal(path);  // after a crash mid-save: the last committed state
    return Workspace(path, open_vector(path, update));
}

Workspace Workspace::create(const std::string& path) {
    ensure_gdal();
    VSIStatBufL st;
    if (VSIStatL(path.c_str(), &st) == 0) throw core::IoError(path, "already exists");
    GDALDriver* driver = GetGDALDriverManager()->GetDriverByName("GPKG");
    if (!driver) throw core::IoError(path, "GDAL has no GPKG driver");
    GDALDatasetUniquePtr ds(driver->Create(path.c_str(), 0, 0, 0, GDT_Unknown, nullptr));
    if (!ds) throw core::IoError(path, gdal_error("cannot create GeoPackage"));
    return Workspace(path, std::move(ds));
}

OGRLayer* Workspace::layer(const std::string& name) const {
    return ds_->GetLayerByName(name.c_str());
}

std::vector<std::string> Workspace::layer_names() const {
    std::vector<std::string> names;
    for (int i = 0; i < ds_->GetLayerCount(); ++i) names.push_back(ds_->GetLayer(i)->GetName());
    return names;
}

OGRLayer& Workspace::require_layer(const std::string& name) const {
    if (OGRLayer* l = layer(name)) return *l;
    std::string all;
    for (const auto& n : layer_names()) all += (all.empty() ? "" : ", ") + n;
    throw core::UsageError(path_ + ": no layer '" + name + "' (layers: " +
                           (all.empty() ? "none" : all) + ")");
}

OGRLayer& Workspace::incidents_for_write() {
    if (OGRLayer* l = layer(kIncidents)) return *l;
    OGRLayer& l = create_layer(*ds_, kIncidents, wkbPoint, path_);
    for (const auto& c : core::incident_columns())
        create_field(l, std::string(c.name).c_str(),
                     c.type == core::ColumnType::Text      ? OFTString
                     : c.type == core::ColumnType::Integer ? OFTInteger64
                                                           : OFTDate,
                     path_);
    return l;
}

OGRLayer& Workspace::claims_for_write() {
    if (OGRLayer* l = layer(kClaims)) return *l;
    OGRLayer& l = create_layer(*ds_, kClaims, wkbMultiPolygon, path_);
    for (const char* name : kClaimText) create_field(l, name, OFTString, path_);
    create_field(l, "valid_from", OFTDate, path_);
    create_field(l, "valid_to", OFTDate, path_);
    return l;
}

std::vector<core::Incident> Workspace::read_incidents() const {
    std::vector<core::Incident> out;
    OGRLayer* l = layer(kIncidents);
    if (!l) return out;
    // A GeoPackage file: straight through SQLite (geo/gpkg_fast.hpp), faster than OGR's
    // features. It reads what is committed, as OGR's own read would after a commit.
    if (auto reader = IncidentReader::open(*this)) return reader->read_all();
    const auto& columns = core::incident_columns();
    OGRFeatureDefn* defn = l->GetLayerDefn();
    std::vector<int> index(columns.size());
    for (std::size_t i = 0; i < columns.size(); ++i)
        index[i] = defn->GetFieldIndex(std::string(columns[i].name).c_str());
    out.reserve(static_cast<std::size_t>(std::max<GIntBig>(0, l->GetFeatureCount(FALSE))));
    l->ResetReading();
    for (auto& f : *l) {
        core::Incident inc;
        inc.fid = f->GetFID();
        if (const OGRGeometry* g = f->GetGeometryRef();
            g && wkbFlatten(g->getGeometryType()) == wkbPoint && !g->IsEmpty()) {
            inc.lon = g->toPoint()->getX();
            inc.lat = g->toPoint()->getY();
        }
        for (std::size_t i = 0; i < columns.size(); ++i) {
            const int k = index[i];
            if (k < 0 || !f->IsFieldSetAndNotNull(k)) continue;
            const auto& c = columns[i];
            switch (c.type) {
                case core::ColumnType::Text: inc.*c.text = f->GetFieldAsString(k); break;
                case core::ColumnType::Integer: inc.*c.integer = f->GetFieldAsInteger64(k); break;
                case core::ColumnType::Date: inc.event_date = from_ogr_date(*f, k); break;
            }
        }
        out.push_back(std::move(inc));
    }
    return out;
}

void Workspace::append_incidents(std::vector<core::Incident>& incidents, core::ProgressSink* progress) {
    OGRLayer& l = incidents_for_write();
    const auto& columns = core::incident_columns();
    OGRFeatureDefn* defn = l.GetLayerDefn();
    std::vector<int> index(columns.size());
    for (std::size_t i = 0; i < columns.size(); ++i) {
        index[i] = defn->GetFieldIndex(std::string(columns[i].name).c_str());
        if (index[i] < 0)
            throw core::IoError(path_, "layer incidents has no column " +
                                           std::string(columns[i].name) +
                                           " (not a limes workspace layer?)");
    }
    OGRFeature f(defn);
    OGRPoint pt;
    const std::size_t n = incidents.size();
    for (std::size_t r = 0; r < n; ++r) {
        core::Incident& inc = incidents[r];
        f.SetFID(OGRNullFID);
        for (std::size_t i = 0; i < columns.size(); ++i) {
            const auto& c = columns[i];
            const int k = index[i];
            switch (c.type) {
                case core::ColumnType::Text: {
                    const std::string& s = inc.*c.text;
                    if (s.empty()) f.SetFieldNull(k);
                    else f.SetField(k, s.c_str());
                    break;
                }
                case core::ColumnType::Integer: {
                    const auto& v = inc.*c.integer;
                    if (v) f.SetField(k, static_cast<GIntBig>(*v));
                    else f.SetFieldNull(k);
                    break;
                }
                case core::ColumnType::Date: set_date(f, k, inc.event_date); break;
            }
        }
        pt.setX(inc.lon);
        pt.setY(inc.lat);
        f.SetGeometry(&pt);
        if (l.CreateFeature(&f) != OGRERR_NONE)
            throw core::IoError(path_, "cannot write incident " + inc.event_id_cnty + ": " +
                                           gdal_error("GDAL error"));
        inc.fid = f.GetFID();
        if (progress && (r & 0x3FFF) == 0) progress->update(double(r) / n, "writing incidents");
    }
    if (progress) progress->update(1.0, "writing incidents");
}

void Workspace::replace_incidents(std::vector<core::Incident>& incidents) {
    incidents_for_write();
    exec_sql(*ds_, "DELETE FROM incidents", path_);
    append_incidents(incidents);
}

std::vector<core::Claim> Workspace::read_claims() const {
    std::vector<core::Claim> out;
    OGRLayer* l = layer(kClaims);
    if (!l) return out;
    OGRFeatureDefn* defn = l->GetLayerDefn();
    l->ResetReading();
    for (auto& f : *l) {
        core::Claim c;
        c.fid = f->GetFID();
        for (std::size_t i = 0; i < std::size(kClaimText); ++i) {
            const int k = defn->GetFieldIndex(kClaimText[i]);
            if (k >= 0 && f->IsFieldSetAndNotNull(k)) c.*kClaimMembers[i] = f->GetFieldAsString(k);
        }
        for (auto [name, member] : {std::pair{"valid_from", &core::Claim::valid_from},
                                    std::pair{"valid_to", &core::Claim::valid_to}}) {
            const int k = defn->GetFieldIndex(name);
            if (k >= 0 && f->IsFieldSetAndNotNull(k)) c.*member = from_ogr_date(*f, k);
        }
        c.area = to_multipolygon(f->GetGeometryRef());
        out.push_back(std::move(c));
    }
    return out;
}

void Workspace::append_claims(std::vector<core::Claim>& claims) {
    OGRLayer& l = claims_for_write();
    OGRFeatureDefn* defn = l.GetLayerDefn();
    for (core::Claim& c : claims) {
        OGRFeature f(defn);
        for (std::size_t i = 0; i < std::size(kClaimText); ++i) {
            const std::string& s = c.*kClaimMembers[i];
            if (!s.empty()) f.SetField(kClaimText[i], s.c_str());
        }
        for (auto [name, member] : {std::pair{"valid_from", &core::Claim::valid_from},
                                    std::pair{"valid_to", &core::Claim::valid_to}})
            if (const auto& d = c.*member) set_date(f, defn->GetFieldIndex(name), *d);
        f.SetGeometryDirectly(to_ogr_multipolygon(c.area).release());
        if (l.CreateFeature(&f) != OGRERR_NONE)
            throw core::IoError(path_, "cannot write claim " + c.claim_id + ": " +
                                           gdal_error("GDAL error"));
        c.fid = f.GetFID();
    }
}

std::vector<LayerSummary> Workspace::summarize() const {
    std::vector<LayerSummary> out;
    for (int i = 0; i < ds_->GetLayerCount(); ++i) {
        OGRLayer* l = ds_->GetLayer(i);
        LayerSummary s;
        s.name = l->GetName();
        s.geometry_type = OGRGeometryTypeToName(l->GetGeomType());
        s.count = l->GetFeatureCount(TRUE);
        OGREnvelope env;
        if (l->GetGeomType() != wkbNone && s.count > 0 && l->GetExtent(&env, TRUE) == OGRERR_NONE) {
            s.extent.add(env.MinX, env.MinY);
            s.extent.add(env.MaxX, env.MaxY);
        }
        s.crs = describe_crs(l->GetSpatialRef());
        const int k = l->GetLayerDefn()->GetFieldIndex("event_date");
        if (k >= 0 && s.count > 0) {
            // MIN/MAX through SQL: on a GeoPackage SQLite answers from the table directly.
            const std::string sql = "SELECT MIN(event_date) AS a, MAX(event_date) AS b FROM \"" +
                                    s.name + "\"";
            if (OGRLayer* r = ds_->ExecuteSQL(sql.c_str(), nullptr, nullptr)) {
                if (OGRFeatureUniquePtr f{r->GetNextFeature()}) {
                    if (auto a = core::parse_date(f->GetFieldAsString(0))) s.first = a;
                    if (auto b = core::parse_date(f->GetFieldAsString(1))) s.last = b;
                }
                ds_->ReleaseResultSet(r);
            }
        }
        out.push_back(std::move(s));
    }
    return out;
}

Transaction::Transaction(Workspace& ws) : ws_(ws) {
    if (ws_.dataset().StartTransaction(FALSE) != OGRERR_NONE)
        throw core::IoError(ws_.path(), "cannot start a transaction: " + gdal_error("GDAL error"));
    open_ = true;
}

Transaction::~Transaction() {
    if (open_) ws_.dataset().RollbackTransaction();
}

void Transaction::commit() {
    if (ws_.dataset().CommitTransaction() != OGRERR_NONE)
        throw core::IoError(ws_.path(), "commit failed: " + gdal_error("GDAL error"));
    open_ = false;
}

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
        case wkbPolygon: add_polygon(g->toPolygon()); break;
        case wkbMultiPolygon:
            for (const OGRPolygon* p : *g->toMultiPolygon()) add_polygon(p);
            break;
        case wkbGeometryCollection:
            for (const OGRGeometry* part : *g->toGeometryCollection()) {
                auto sub = to_multipolygon(part);
                out.insert(out.end(), sub.begin(), sub.end());
            }
            break;
        default: break;
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

}  // namespace limes::geo
