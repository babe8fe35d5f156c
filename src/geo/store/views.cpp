#include "geo/store/views.hpp"

#include <sstream>

#include "core/error.hpp"
#include "geo/formats/gdal_util.hpp"

namespace limes::geo {
namespace {

constexpr const char* kTable = "limes_views";

// Multi-valued filters are stored as one text: comma-separated, or '|'-separated for values
// that may hold commas (reported_by names). Empty items are dropped.
std::string join(const std::vector<std::string>& v, char sep = ',') {
    std::string out;
    for (const auto& s : v) {
        if (!out.empty()) out += sep;
        out += s;
    }
    return out;
}

std::vector<std::string> split(const std::string& s, char sep = ',') {
    std::vector<std::string> out;
    std::stringstream in(s);
    for (std::string item; std::getline(in, item, sep);)
        if (!item.empty()) out.push_back(item);
    return out;
}

// Columns added after the table's first version: a table saved by an older limes gains them
// on its next save (reading tolerates their absence).
void add_missing_columns(OGRLayer& l, const std::string& path) {
    for (const char* name : {"labels", "at_date", "changes"}) {
        if (l.GetLayerDefn()->GetFieldIndex(name) >= 0) continue;
        OGRFieldDefn f(name, OFTString);
        if (l.CreateField(&f) != OGRERR_NONE)
            throw core::IoError(path, std::string("cannot add column ") + name +
                                          " to limes_views: " + gdal_error("GDAL error"));
    }
}

OGRLayer& views_table(GDALDataset& ds, const std::string& path) {
    if (OGRLayer* l = ds.GetLayerByName(kTable)) {
        add_missing_columns(*l, path);
        return *l;
    }
    const char* options[] = {"ASPATIAL_VARIANT=GPKG_ATTRIBUTES", nullptr};
    OGRLayer* l = ds.CreateLayer(kTable, nullptr, wkbNone, const_cast<char**>(options));
    if (!l)
        throw core::IoError(path, "cannot create table limes_views: " + gdal_error("GDAL error"));
    for (const char* name : {"name", "crs", "bbox", "from_date", "to_date", "types", "reported_by",
                             "region", "layers", "title", "statuses", "actor", "labels",
                             "at_date", "changes"}) {
        OGRFieldDefn f(name, OFTString);
        l->CreateField(&f);
    }
    for (const char* name : {"width", "height", "min_fatalities"}) {
        OGRFieldDefn f(name, OFTInteger);
        l->CreateField(&f);
    }
    return *l;
}

}  // namespace

std::vector<std::string> view_names(const Workspace& ws) {
    std::vector<std::string> names;
    if (OGRLayer* l = ws.gdal().GetLayerByName(kTable)) {
        l->ResetReading();
        for (auto& f : *l) names.push_back(f->GetFieldAsString("name"));
    }
    return names;
}

SavedView load_view(const Workspace& ws, const std::string& name) {
    if (OGRLayer* l = ws.gdal().GetLayerByName(kTable)) {
        l->ResetReading();
        for (auto& f : *l) {
            if (name != f->GetFieldAsString("name")) continue;
            SavedView v;
            v.name = name;
            v.crs = f->GetFieldAsString("crs");
            const std::string bbox = f->GetFieldAsString("bbox");
            if (!bbox.empty()) v.bbox = core::parse_bbox(bbox);
            const std::string from = f->GetFieldAsString("from_date"),
                              to = f->GetFieldAsString("to_date");
            if (!from.empty()) v.filter.from = core::parse_date_option("from_date", from);
            if (!to.empty()) v.filter.to = core::parse_date_option("to_date", to);
            v.filter.types = split(f->GetFieldAsString("types"));
            v.filter.reported_by = split(f->GetFieldAsString("reported_by"), '|');
            v.filter.region = f->GetFieldAsString("region");
            v.filter.bbox = v.bbox;
            v.layers = split(f->GetFieldAsString("layers"));
            v.title = f->GetFieldAsString("title");
            v.filter.statuses = split(f->GetFieldAsString("statuses"));
            v.filter.actor = f->GetFieldAsString("actor");
            if (f->GetFieldIndex("labels") >= 0) v.label_language = f->GetFieldAsString("labels");
            v.filter.min_fatalities = f->GetFieldAsInteger("min_fatalities");
            v.width = f->GetFieldAsInteger("width");
            v.height = f->GetFieldAsInteger("height");
            if (f->GetFieldIndex("at_date") >= 0 && *f->GetFieldAsString("at_date"))
                v.at = core::parse_date_option("at_date", f->GetFieldAsString("at_date"));
            if (f->GetFieldIndex("changes") >= 0 && *f->GetFieldAsString("changes"))
                v.changes = core::parse_date_range_option("changes", f->GetFieldAsString("changes"));
            return v;
        }
    }
    std::string all = join(view_names(ws));
    throw core::UsageError("--view '" + name + "': no such view in " + ws.path() +
                           (all.empty() ? " (no views saved)" : " (views: " + all + ")"));
}

static void save_view_in(GDALDataset& ds, const std::string& path, const SavedView& v);

void save_view(Workspace& ws, const SavedView& v) {
    ws.update_through_gdal([&](GDALDataset& ds) { save_view_in(ds, ws.path(), v); });
}

static void save_view_in(GDALDataset& ds, const std::string& path, const SavedView& v) {
    OGRLayer& l = views_table(ds, path);
    l.ResetReading();
    for (auto& f : l)
        if (v.name == f->GetFieldAsString("name") && l.DeleteFeature(f->GetFID()) != OGRERR_NONE)
            throw core::IoError(path, "cannot replace view " + v.name);
    OGRFeature f(l.GetLayerDefn());
    f.SetField("name", v.name.c_str());
    f.SetField("crs", v.crs.c_str());
    if (v.bbox) {
        std::ostringstream b;
        b.precision(17);
        b << v.bbox->west << ',' << v.bbox->south << ',' << v.bbox->east << ',' << v.bbox->north;
        f.SetField("bbox", b.str().c_str());
    }
    if (v.filter.from) f.SetField("from_date", v.filter.from->iso().c_str());
    if (v.filter.to) f.SetField("to_date", v.filter.to->iso().c_str());
    f.SetField("types", join(v.filter.types).c_str());
    f.SetField("reported_by", join(v.filter.reported_by, '|').c_str());
    f.SetField("region", v.filter.region.c_str());
    f.SetField("layers", join(v.layers).c_str());
    f.SetField("title", v.title.c_str());
    f.SetField("statuses", join(v.filter.statuses).c_str());
    f.SetField("actor", v.filter.actor.c_str());
    f.SetField("labels", v.label_language.c_str());
    f.SetField("min_fatalities", static_cast<int>(v.filter.min_fatalities));
    f.SetField("width", v.width);
    f.SetField("height", v.height);
    if (v.at) f.SetField("at_date", v.at->iso().c_str());
    if (v.changes)
        f.SetField("changes", (v.changes->first.iso() + ".." + v.changes->second.iso()).c_str());
    if (l.CreateFeature(&f) != OGRERR_NONE)
        throw core::IoError(path, "cannot save view " + v.name + ": " + gdal_error("GDAL error"));
}

}  // namespace limes::geo
