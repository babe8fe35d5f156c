#include "geo/store/workspace.hpp"

// [SECTION] index
//   Opening       the one decision: a GeoPackage file, or any other source read-only
//   GDAL handles  the read handle, update handles for GDAL's writes, layer creation
//   Claims        read and appended through GDAL
//   Layers        names, summaries, named areas, generic features

#include <cpl_conv.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <mutex>
#include <cctype>
#include <cerrno>
#include <cstring>

#include "core/error.hpp"
#include "core/text.hpp"
#include "geo/formats/gdal_util.hpp"
#include "geo/store/gpkg_audit.hpp"
#include "geo/store/gpkg_incidents.hpp"
#include "geo/store/ogr_convert.hpp"
#include "geo/store/ogr_incidents.hpp"
#include "geo/store/pg_audit.hpp"
#include "geo/store/pg_db.hpp"
#include "geo/store/pg_incidents.hpp"
#include "geo/store/pg_layers.hpp"
#include "geo/store/pg_schema.hpp"
#include "geo/store/schema_check.hpp"
#include "geo/store/sqlite_db.hpp"
#include "geo/store/watch.hpp"

namespace limes::geo {

struct Workspace::Impl {
    std::string path;
    bool gpkg = false;   // a GeoPackage file: incidents through SQLite, writable
    std::optional<PgTarget> pg;  // a PostGIS schema: incidents through libpq, writable
    std::string driver;  // GDAL's name of the format
    mutable std::shared_ptr<GDALDataset> read;  // GDAL's read handle, opened at the first need
    std::unique_ptr<IncidentTable> incidents;
    std::vector<SchemaObject> foreign;  // foreign triggers and views found at the open
    mutable std::mutex layers_mutex;    // guards layers_db: read_layers may run on two threads
    mutable std::unique_ptr<PgConnection> layers_db;  // a database's layer reads (first need)

    /** A GDAL handle on the workspace: the file, or the database with limes' schema active
     *  (layers there are listed by their plain names; new ones are created there). */
    GDALDatasetUniquePtr open_gdal(bool update) const {
        if (!pg) return open_vector(path, update);
        return open_database_workspace(gdal_pg_connection(*pg), pg->display,
                                       {"ACTIVE_SCHEMA=" + pg->schema, "SCHEMAS=" + pg->schema},
                                       update);
    }
    GDALDataset& gdal() const {
        if (!read) read = std::shared_ptr<GDALDataset>(open_gdal(false).release());
        return *read;
    }
};

namespace {

// ---------------------------------------------------------------------------------------------
// [SECTION] Opening
// ---------------------------------------------------------------------------------------------

/** A local file that SQLite reads and that says it is a GeoPackage (its application_id, or
 *  the gpkg_contents table older writers leave without one). */
bool is_gpkg_file(const std::string& path) {
    if (path.compare(0, 4, "/vsi") == 0 || is_network_path(path)) return false;
    VSIStatBufL st;
    if (VSIStatL(path.c_str(), &st) != 0 || !VSI_ISREG(st.st_mode)) return false;
    try {
        SqliteDb db(path, SqliteDb::Mode::ReadOnly);
        auto q = db.prepare("PRAGMA application_id");
        const std::int64_t id = q.step() ? q.column_int64(0) : 0;
        return id == 0x47504B47 /* "GPKG" */ || id == 0x47503130 /* "GP10" */ ||
               db.has_object("table", "gpkg_contents");
    } catch (const core::IoError&) {
        return false;  // not SQLite at all ("file is not a database"): GDAL decides
    }
}

OGRLayer& create_layer(GDALDataset& ds, const char* name, OGRwkbGeometryType type,
                       const std::string& path) {
    OGRSpatialReference srs = wgs84();
    const char* options[] = {"FID=fid", "GEOMETRY_NAME=geom", "SPATIAL_INDEX=YES", nullptr};
    OGRLayer* layer = ds.CreateLayer(name, &srs, type, const_cast<char**>(options));
    if (!layer)
        throw core::IoError(
            path, std::string("cannot create layer ") + name + ": " + gdal_error("GDAL error"));
    return *layer;
}

void create_field(OGRLayer& layer, const char* name, OGRFieldType type, const std::string& path) {
    OGRFieldDefn def(name, type);
    if (layer.CreateField(&def) != OGRERR_NONE)
        throw core::IoError(path, std::string("cannot create field ") + name + " in layer " +
                                      layer.GetName() + ": " + gdal_error("GDAL error"));
}

/** The incidents layer with limes' schema: a point and the 33 columns of core::Incident. */
void create_incidents_layer(GDALDataset& ds, const std::string& path) {
    if (ds.GetLayerByName(kIncidents)) return;
    OGRLayer& l = create_layer(ds, kIncidents, wkbPoint, path);
    for (const auto& c : core::incident_columns())
        create_field(l, std::string(c.name).c_str(),
                     c.type == core::ColumnType::Text      ? OFTString
                     : c.type == core::ColumnType::Integer ? OFTInteger64
                                                           : OFTDate,
                     path);
}

OGRLayer& claims_layer(GDALDataset& ds, const std::string& path) {
    if (OGRLayer* l = ds.GetLayerByName(kClaims)) return *l;
    OGRLayer& l = create_layer(ds, kClaims, wkbMultiPolygon, path);
    for (const auto& c : core::claim_text_columns()) create_field(l, c.name, OFTString, path);
    create_field(l, "valid_from", OFTDate, path);
    create_field(l, "valid_to", OFTDate, path);
    create_field(l, "accuracy_m", OFTReal, path);
    return l;
}

}  // namespace

Workspace::Workspace(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Workspace::Workspace(Workspace&&) noexcept = default;
Workspace& Workspace::operator=(Workspace&&) noexcept = default;
Workspace::~Workspace() = default;

Workspace Workspace::open(const std::string& path, const Options& options) {
    ensure_gdal();
    auto impl = std::make_unique<Impl>();
    impl->path = path;
    if (is_pg_workspace(path)) {
        // Connected now, so that a server that cannot be reached, or a schema without limes'
        // tables, fails here, naming the workspace (password masked).
        impl->pg = parse_pg_target(path);
        impl->path = impl->pg->display;
        auto db = std::make_unique<PgConnection>(*impl->pg);
        if (!has_pg_workspace(*db))
            throw core::UsageError(impl->pg->display + ": no limes workspace in schema " +
                                   impl->pg->schema + " (create it first: limes init " +
                                   impl->pg->display + ")");
        impl->driver = "PostgreSQL";
        // The incidents' one-row reads and catalog questions go on to use this connection.
        impl->incidents = make_pg_incidents(*impl->pg, std::move(db));
        return Workspace(std::move(impl));
    }
    roll_back_hot_journal(path);  // after a crash mid-save: the last committed state
    impl->gpkg = !options.through_gdal && is_gpkg_file(path);
    if (impl->gpkg) {
        impl->driver = "GPKG";
        {
            SqliteDb db(path, SqliteDb::Mode::ReadOnly);
            impl->foreign = inspect_schema(db);  // throws when it cannot be read safely
        }
        Impl* self = impl.get();  // stable while the Workspace moves: hooks may keep it
        GpkgLayerHooks hooks;
        hooks.create = [self] {
            Workspace::update_gdal(
                *self, [self](GDALDataset& ds) { create_incidents_layer(ds, self->path); }, false);
        };
        hooks.drop = [self] {
            Workspace::update_gdal(
                *self,
                [](GDALDataset& ds) {
                    for (int i = 0; i < ds.GetLayerCount(); ++i)
                        if (std::string(ds.GetLayer(i)->GetName()) == kIncidents) ds.DeleteLayer(i);
                },
                false);
        };
        impl->incidents = make_gpkg_incidents(path, std::move(hooks));
    } else {
        // Opened now, so that a file GDAL cannot read fails here, naming it.
        impl->read = std::shared_ptr<GDALDataset>(open_vector(path, false).release());
        impl->driver = impl->read->GetDriver() ? impl->read->GetDriver()->GetDescription() : "?";
        // The incidents get a handle of their own: the window reads them on a second thread.
        std::shared_ptr<GDALDataset> own(open_vector(path, false).release());
        OGRLayer* layer = own->GetLayerByName(kIncidents);
        impl->incidents = make_ogr_incidents(path, std::move(own), layer);
    }
    return Workspace(std::move(impl));
}

Workspace Workspace::create(const std::string& path) {
    ensure_gdal();
    VSIStatBufL st;
    if (VSIStatL(path.c_str(), &st) == 0) throw core::IoError(path, "already exists");
    // The folder, checked first: SQLite's "unable to open database file" does not say why.
    const std::size_t slash = path.rfind('/');
    const std::string folder =
        slash == std::string::npos ? "." : (slash == 0 ? "/" : path.substr(0, slash));
    struct stat folder_st {};
    if (::stat(folder.c_str(), &folder_st) != 0 || !S_ISDIR(folder_st.st_mode))
        throw core::Error(core::ErrorKind::Io, "cannot create the workspace " + path +
                                                   ": the folder " + folder + " does not exist");
    if (::access(folder.c_str(), W_OK) != 0)
        throw core::Error(core::ErrorKind::Io, "cannot create the workspace " + path +
                                                   ": the folder " + folder + " is read-only (" +
                                                   core::to_lower(std::strerror(errno)) + ")");
    GDALDriver* driver = GetGDALDriverManager()->GetDriverByName("GPKG");
    if (!driver) throw core::IoError(path, "GDAL has no GPKG driver");
    {
        GDALDatasetUniquePtr ds(driver->Create(path.c_str(), 0, 0, 0, GDT_Unknown, nullptr));
        if (!ds) throw core::IoError(path, gdal_error("cannot create GeoPackage"));
    }  // closed: written out before SQLite reads it
    return open(path);
}

const std::string& Workspace::path() const {
    return impl_->path;
}
std::string Workspace::format() const {
    return impl_->driver;
}
bool Workspace::writable() const {
    return impl_->gpkg || impl_->pg;
}

bool Workspace::is_database() const {
    return impl_->pg.has_value();
}

void Workspace::require_writable() const {
    if (impl_->pg) {
        // Said before anything is written, as for a read-only file: the database's own
        // grants decide (a viewer's role may read and not write), exit 4.
        PgConnection db(*impl_->pg);
        const PgResult r = db.exec(
            "SELECT has_table_privilege($1, 'INSERT') AND has_table_privilege($1, 'UPDATE') "
            "AND has_table_privilege($1, 'DELETE'), "
            "current_setting('transaction_read_only')::boolean",
            {db.table(kIncidents)}, "check the role's rights");
        if (r.text(0, 1) == "t")  // a replica, or read-only transactions: not the role's fault
            throw core::IoError(impl_->pg->display,
                                server_takes_no_writes("transaction_read_only is on"));
        if (r.text(0, 0) != "t")
            throw core::IoError(impl_->pg->display,
                                "the database does not let role \"" + db.role() +
                                    "\" write here (it may read: view, render and export work)");
        return;
    }
    if (impl_->gpkg) {
        // Said before any SQL runs: a write would fail in the middle of a statement with
        // SQLite's "attempt to write a readonly database" (and GDAL's SQL text).
        require_writable_file(impl_->path);
        if (!impl_->foreign.empty()) refuse_foreign_logic(impl_->foreign, impl_->path);
        return;
    }
    throw core::UsageError(impl_->path + ": a " + impl_->driver +
                           " source is read-only in limes (it writes GeoPackage workspaces only); "
                           "import it into one to edit it: limes import NEW.gpkg " +
                           impl_->path);
}

const std::vector<SchemaObject>& Workspace::foreign_logic() const {
    return impl_->foreign;
}

std::unique_ptr<WorkspaceWatch> Workspace::watch() const {
    if (impl_->pg) return watch_pg(*impl_->pg);
    if (impl_->gpkg) return watch_gpkg(impl_->path);
    return nullptr;
}

std::vector<AuditEntry> Workspace::history(const std::string& id) const {
    if (impl_->pg) {
        PgConnection db(*impl_->pg);
        return incident_history(db, id);
    }
    if (impl_->gpkg) {
        SqliteDb db(impl_->path, SqliteDb::Mode::ReadOnly);
        return gpkg_incident_history(db, id);
    }
    throw core::UsageError(impl_->path + ": a " + impl_->driver +
                           " source keeps no audit trail (GeoPackage and PostGIS workspaces do)");
}

IncidentTable& Workspace::incidents() {
    return *impl_->incidents;
}

std::vector<core::Incident> Workspace::read_incidents() {
    return impl_->incidents->read_all();
}

// ---------------------------------------------------------------------------------------------
// [SECTION] GDAL handles
// ---------------------------------------------------------------------------------------------

GDALDataset& Workspace::gdal() const {
    return impl_->gdal();
}

void Workspace::update_gdal(Impl& impl, const std::function<void(GDALDataset&)>& body,
                            bool transaction) {
    impl.read.reset();  // no stale view of the layers after the write; reopened when needed
    GDALDatasetUniquePtr ds = impl.open_gdal(true);
    if (transaction && ds->StartTransaction(FALSE) != OGRERR_NONE)
        throw core::IoError(impl.path, "cannot start a transaction: " + gdal_error("GDAL error"));
    // Checked again here, inside the write's transaction: someone may have added a trigger
    // since the workspace was opened.
    if (auto* db = static_cast<sqlite3*>(ds->GetInternalHandle("SQLITE_HANDLE")))
        require_no_foreign_logic(db, impl.path);
    try {
        body(*ds);
    } catch (...) {
        if (transaction) ds->RollbackTransaction();
        throw;
    }
    if (transaction && ds->CommitTransaction() != OGRERR_NONE)
        throw core::IoError(impl.path, "commit failed: " + gdal_error("GDAL error"));
    ds.reset();  // closed: GDAL has written what it keeps beside the rows
}

void Workspace::update_through_gdal(const std::function<void(GDALDataset&)>& body,
                                    bool transaction) {
    require_writable();
    update_gdal(*impl_, body, transaction);
}

// ---------------------------------------------------------------------------------------------
// [SECTION] Claims
// ---------------------------------------------------------------------------------------------

std::vector<core::Claim> Workspace::read_claims() const {
    std::vector<core::Claim> out;
    read_layers({kClaims}, {}, [&](const OGRFeature& f) { out.push_back(claim_of(f)); });
    return out;
}

void Workspace::read_layers(const std::vector<std::string>& names,
                            const std::function<void(const std::string&)>& start,
                            const std::function<void(const OGRFeature&)>& visit) const {
    if (impl_->pg) {
        std::lock_guard<std::mutex> lock(impl_->layers_mutex);
        if (!impl_->layers_db) impl_->layers_db = std::make_unique<PgConnection>(*impl_->pg);
        PgLayerReader reader(*impl_->layers_db, names);
        for (const std::string& name : names) {
            if (!reader.has(name)) continue;
            if (start) start(name);
            reader.read(name, visit);
        }
        return;
    }
    for (const std::string& name : names) {
        OGRLayer* l = layer(name);
        if (!l) continue;
        if (start) start(name);
        l->ResetReading();
        for (auto& f : *l) visit(*f);
    }
}

void Workspace::append_claims(std::vector<core::Claim>& claims) {
    update_through_gdal([&](GDALDataset& ds) {
        OGRLayer& l = claims_layer(ds, impl_->path);
        // A workspace made before these fields existed gets them when a claim brings them.
        for (auto [name, type] : {std::pair{"geometry_source", OFTString},
                                  std::pair{"accuracy_m", OFTReal},
                                  std::pair{"valid_from_precision", OFTString}})
            if (l.GetLayerDefn()->GetFieldIndex(name) < 0) create_field(l, name, type, impl_->path);
        OGRFeatureDefn* defn = l.GetLayerDefn();
        for (core::Claim& c : claims) {
            OGRFeature f(defn);
            for (const auto& column : core::claim_text_columns()) {
                const std::string& s = c.*column.member;
                if (!s.empty()) f.SetField(column.name, s.c_str());
            }
            if (c.valid_from) set_field_date(f, defn->GetFieldIndex("valid_from"), *c.valid_from);
            if (c.valid_to) set_field_date(f, defn->GetFieldIndex("valid_to"), *c.valid_to);
            if (c.accuracy_m) f.SetField("accuracy_m", *c.accuracy_m);
            f.SetGeometryDirectly(to_ogr_multipolygon(c.area).release());
            if (l.CreateFeature(&f) != OGRERR_NONE)
                throw core::IoError(impl_->path, "cannot write claim " + c.claim_id + ": " +
                                                     gdal_error("GDAL error"));
            c.fid = f.GetFID();
        }
    });
}

// ---------------------------------------------------------------------------------------------
// [SECTION] Layers
// ---------------------------------------------------------------------------------------------

std::vector<std::string> Workspace::layer_names() const {
    std::vector<std::string> names;
    GDALDataset& ds = gdal();
    for (int i = 0; i < ds.GetLayerCount(); ++i) names.push_back(ds.GetLayer(i)->GetName());
    return names;
}

bool Workspace::has_layer(const std::string& name) const {
    return layer(name) != nullptr;
}

OGRLayer* Workspace::layer(const std::string& name) const {
    return gdal().GetLayerByName(name.c_str());
}

OGRLayer& Workspace::require_layer(const std::string& name) const {
    if (OGRLayer* l = layer(name)) return *l;
    std::string all;
    for (const auto& n : layer_names()) all += (all.empty() ? "" : ", ") + n;
    throw core::UsageError(impl_->path + ": no layer '" + name +
                           "' (layers: " + (all.empty() ? "none" : all) + ")");
}

std::vector<LayerSummary> Workspace::summarize() const {
    std::vector<LayerSummary> out;
    GDALDataset& ds = gdal();
    for (int i = 0; i < ds.GetLayerCount(); ++i) {
        OGRLayer* l = ds.GetLayer(i);
        // A foreign view is listed by foreign_logic(), never read: reading runs its query.
        if (std::any_of(impl_->foreign.begin(), impl_->foreign.end(), [&](const SchemaObject& o) {
                return o.type == "view" && core::to_lower(o.name) == core::to_lower(l->GetName());
            }))
            continue;
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
        const OGRFeatureDefn* defn = l->GetLayerDefn();
        const bool events = defn->GetFieldIndex("event_date") >= 0,
                   dated = defn->GetFieldIndex("valid_from") >= 0 &&
                           defn->GetFieldIndex("valid_to") >= 0;  // claims: the days they span
        if ((events || dated) && s.count > 0) {
            // MIN/MAX through SQL: on a GeoPackage SQLite answers from the table directly.
            const std::string table = "\"" + s.name + "\"";
            const std::string sql =
                events ? "SELECT MIN(event_date) AS a, MAX(event_date) AS b FROM " + table
                       : "SELECT MIN(d) AS a, MAX(d) AS b FROM (SELECT valid_from AS d FROM " +
                             table + " UNION ALL SELECT valid_to FROM " + table + ")";
            if (OGRLayer* r = ds.ExecuteSQL(sql.c_str(), nullptr, nullptr)) {
                if (OGRFeatureUniquePtr f{r->GetNextFeature()}) {
                    if (auto a = core::parse_date(f->GetFieldAsString(0))) s.first = a;
                    if (auto b = core::parse_date(f->GetFieldAsString(1))) s.last = b;
                }
                ds.ReleaseResultSet(r);
            }
        }
        out.push_back(std::move(s));
    }
    return out;
}

std::vector<NamedArea> Workspace::areas(const std::string& layer_name,
                                        const std::vector<std::string>& name_fields,
                                        const std::string& country_field) const {
    std::vector<NamedArea> out;
    int name_index = -1, country_index = -1;
    bool looked = false;  // the layer's fields, found at its first feature
    read_layers(
        {layer_name}, {},
        [&](const OGRFeature& f) {
            if (!looked) {
                looked = true;
                const OGRFeatureDefn* defn = f.GetDefnRef();
                for (const auto& n : name_fields)
                    if ((name_index = defn->GetFieldIndex(n.c_str())) >= 0) break;
                country_index =
                    country_field.empty() ? -1 : defn->GetFieldIndex(country_field.c_str());
            }
            const OGRGeometry* g = f.GetGeometryRef();
            if (!g || g->IsEmpty()) return;
            const auto t = wkbFlatten(g->getGeometryType());
            if (t != wkbPolygon && t != wkbMultiPolygon) return;
            NamedArea a;
            a.layer = layer_name;
            a.name = name_index >= 0 ? f.GetFieldAsString(name_index) : std::to_string(f.GetFID());
            if (country_index >= 0) a.country = f.GetFieldAsString(country_index);
            a.area = to_multipolygon(g);
            out.push_back(std::move(a));
        });
    return out;
}

std::string Workspace::area_label(const NamedArea& area, const std::string& language) const {
    if (area.layer != "provinces" && area.layer != "countries") return area.name;
    // The first alias of that language in the table's order.
    std::optional<std::string> label;
    read_layers({"region_aliases"}, {}, [&](const OGRFeature& f) {
        if (label) return;
        const OGRFeatureDefn* defn = f.GetDefnRef();
        const int alias_index = defn->GetFieldIndex("alias"),
                  name_index = defn->GetFieldIndex("name"),
                  language_index = defn->GetFieldIndex("language");
        if (alias_index >= 0 && name_index >= 0 && language_index >= 0 &&
            language == f.GetFieldAsString(language_index) &&
            area.name == f.GetFieldAsString(name_index))
            label = f.GetFieldAsString(alias_index);
    });
    return label.value_or(area.name);
}

NamedArea Workspace::find_area(const std::string& name) const {
    struct Source {
        const char* layer;
        std::vector<std::string> names;
    };
    static const std::vector<Source> kSources = {
        {"regions", {"name", "name_en"}},
        {"provinces", {"name", "name_en", "gn_name"}},
        {"countries", {"name", "NAME", "iso_a3", "ISO_A3"}},
        {"claims", {"name", "claim_id"}},
    };
    // 1. An area's own name (ASCII case-insensitive), in the order of kSources.
    std::vector<NamedArea> all;
    for (const auto& src : kSources)
        for (auto& area : areas(src.layer, src.names)) all.push_back(std::move(area));
    for (auto& area : all)
        if (core::iequals(area.name, name)) return std::move(area);
    // 2. The workspace's alias table (built from geodata/region_aliases.csv and Natural
    //    Earth's other spellings; see geodata/README.md): English, Armenian, Azerbaijani
    //    names and the incidents' admin1 values, each naming a province or country.
    std::string target;
    read_layers({"region_aliases"}, {}, [&](const OGRFeature& f) {
        const int alias_index = f.GetDefnRef()->GetFieldIndex("alias");
        const int name_index = f.GetDefnRef()->GetFieldIndex("name");
        if (target.empty() && alias_index >= 0 && name_index >= 0 &&
            core::iequals(f.GetFieldAsString(alias_index), name))
            target = f.GetFieldAsString(name_index);
    });
    if (!target.empty())
        for (auto& area : all)
            if ((area.layer == "provinces" || area.layer == "countries") &&
                core::iequals(area.name, target))
                return std::move(area);
    // Suggest names that share a first letter, else the first few.
    std::vector<std::string> known;
    for (const auto& a : all)
        if (known.size() < 400) known.push_back(a.name);
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
                           impl_->path + " has that name" +
                           (hint.empty() ? std::string() : " (e.g. " + hint + ")"));
}

void Workspace::for_each_feature(const std::string& layer_name,
                                 const std::function<void(const OGRFeature&)>& visit) const {
    require_layer(layer_name);
    OGRLayer* layer = gdal().GetLayerByName(layer_name.c_str());
    layer->ResetReading();
    for (auto& f : *layer) visit(*f);
}

void Workspace::append_features(const std::string& name, const OGRFeatureDefn& source_fields,
                                OGRwkbGeometryType geometry_type,
                                const std::vector<OGRFeatureUniquePtr>& features) {
    update_through_gdal([&](GDALDataset& ds) {
        OGRLayer* layer = ds.GetLayerByName(name.c_str());
        if (!layer) {
            OGRSpatialReference srs = wgs84();
            const char* options[] = {"FID=fid", "GEOMETRY_NAME=geom", nullptr};
            layer = ds.CreateLayer(name.c_str(), &srs, geometry_type, const_cast<char**>(options));
            if (!layer)
                throw core::IoError(
                    impl_->path, "cannot create layer " + name + ": " + gdal_error("GDAL error"));
            for (int i = 0; i < source_fields.GetFieldCount(); ++i)
                layer->CreateField(const_cast<OGRFeatureDefn&>(source_fields).GetFieldDefn(i));
        }
        for (const auto& f : features) {
            OGRFeature out(layer->GetLayerDefn());
            out.SetFrom(f.get(), TRUE);  // fields matched by name; unknown ones dropped
            if (layer->CreateFeature(&out) != OGRERR_NONE)
                throw core::IoError(
                    impl_->path, "cannot write to layer " + name + ": " + gdal_error("GDAL error"));
        }
    });
}

}  // namespace limes::geo
