#include "geo/store/pg_layers.hpp"

#include <cpl_string.h>
#include <ogr_geometry.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <memory>

#include "core/date.hpp"
#include "core/error.hpp"
#include "core/text.hpp"

namespace limes::geo {
namespace {

/** An OGRFeatureDefn held by reference count (GDAL's own ownership), released at the end. */
struct FeatureDefn {
    explicit FeatureDefn(const std::string& name) : defn(new OGRFeatureDefn(name.c_str())) {
        defn->Reference();
        defn->SetGeomType(wkbUnknown);
    }
    ~FeatureDefn() { defn->Release(); }
    FeatureDefn(const FeatureDefn&) = delete;
    FeatureDefn& operator=(const FeatureDefn&) = delete;
    OGRFeatureDefn* defn;
};

/** A buffer GDAL allocated (CPLHexToBinary), freed by GDAL. */
struct CplBytes {
    GByte* data = nullptr;
    int size = 0;
    ~CplBytes() { CPLFree(data); }
};

bool is_text(const std::string& t) { return t == "text" || t == "varchar" || t == "bpchar"; }
bool is_integer(const std::string& t) { return t == "int2" || t == "int4" || t == "int8"; }
bool is_real(const std::string& t) { return t == "float4" || t == "float8"; }

/** "{"a","b"}": a text[] literal of the names (each quoted, " and \ escaped). */
std::string text_array(const std::vector<std::string>& names) {
    std::string out = "{";
    for (std::size_t i = 0; i < names.size(); ++i) {
        out += i ? ",\"" : "\"";
        for (char c : names[i]) {
            if (c == '"' || c == '\\') out += '\\';
            out += c;
        }
        out += '"';
    }
    return out + "}";
}

}  // namespace

PgLayerReader::PgLayerReader(PgConnection& db, const std::vector<std::string>& tables) : db_(db) {
    // Each column, whether it is a one-column primary key (the feature id GDAL's driver
    // takes), and whether this role may read the table.
    const PgResult r = db_.exec(
        "SELECT c.relname, a.attname, t.typname, coalesce((SELECT i.indnatts = 1 FROM pg_index "
        "i WHERE i.indrelid = c.oid AND i.indisprimary AND a.attnum = ANY(i.indkey)), false), "
        "has_table_privilege(c.oid, 'SELECT') FROM pg_attribute a "
        "JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace "
        "JOIN pg_type t ON t.oid = a.atttypid WHERE n.nspname = $1 AND c.relname = ANY($2) "
        "AND c.relkind IN ('r', 'p', 'v', 'm', 'f') AND a.attnum > 0 AND NOT a.attisdropped "
        "ORDER BY c.relname, a.attnum",
        {db_.target().schema, text_array(tables)}, "list the basemap's columns");
    for (int i = 0; i < r.rows(); ++i) {
        const std::string table(r.text(i, 0));
        if (tables_.empty() || tables_.back().name != table)
            tables_.push_back({table, {}, r.text(i, 4) == "t"});
        tables_.back().columns.push_back(
            {std::string(r.text(i, 1)), std::string(r.text(i, 2)), r.text(i, 3) == "t"});
    }
}

bool PgLayerReader::has(const std::string& table) const {
    return std::any_of(tables_.begin(), tables_.end(),
                       [&](const Table& t) { return t.name == table; });
}

bool PgLayerReader::read(const std::string& table,
                         const std::function<void(const OGRFeature&)>& visit) {
    const auto it = std::find_if(tables_.begin(), tables_.end(),
                                 [&](const Table& t) { return t.name == table; });
    if (it == tables_.end()) return false;
    if (!it->readable)
        throw core::IoError(db_.target().display,
                            "role \"" + db_.role() + "\" may not read table " + table +
                                " (ask the schema's owner: GRANT SELECT ON " + db_.table(table) +
                                " TO " + db_.identifier(db_.role()) + ")");
    // The columns as GDAL's driver shows them: the feature id from the table's one-column
    // integer primary key, else a column ogc_fid (GDAL's name), else counted from 0; the first
    // geometry column as the geometry; every other column a field.
    auto id_column = [&]() -> const Column* {
        for (const Column& c : it->columns)
            if (c.key && is_integer(c.type)) return &c;
        for (const Column& c : it->columns)
            if (c.name == "ogc_fid" && is_integer(c.type)) return &c;
        return nullptr;
    };
    const Column* const fid_column = id_column();
    FeatureDefn defn(table);
    std::string select;
    int fid_at = -1, geom_at = -1;
    std::vector<int> field_of;  // result column -> field index (-1: fid or geometry)
    for (const Column& c : it->columns) {
        const std::string id = db_.identifier(c.name);
        const int at = static_cast<int>(field_of.size());
        std::string expr = id;
        int field = -1;
        if (&c == fid_column) {
            fid_at = at;
        } else if (c.type == "geometry") {
            if (geom_at >= 0) continue;  // GDAL's second geometry field: not read by limes
            geom_at = at;
            expr = "encode(ST_AsBinary(" + id + "), 'hex')";
        } else {
            OGRFieldType type = OFTString;
            if (c.type == "date") {
                type = OFTDate;
                expr = "to_char(" + id + ", 'YYYY-MM-DD')";  // whatever the session's DateStyle
            } else if (c.type == "timestamp" || c.type == "timestamptz") {
                // As GDAL's driver gives them (a timestamptz in the session's time zone), so
                // that a dated layer's valid_from/valid_to read as days (field_date).
                type = OFTDateTime;
                expr = "to_char(" + id + ", 'YYYY-MM-DD HH24:MI:SS')";
            } else if (is_integer(c.type)) {
                type = OFTInteger64;
            } else if (is_real(c.type)) {
                type = OFTReal;
            } else if (!is_text(c.type)) {
                expr = id + "::text";
            }
            OGRFieldDefn f(c.name.c_str(), type);
            field = defn.defn->GetFieldCount();
            defn.defn->AddFieldDefn(&f);
        }
        select += (select.empty() ? "" : ", ") + expr;
        field_of.push_back(field);
    }
    if (select.empty()) select = "NULL";
    const PgResult r =
        db_.exec("SELECT " + select + " FROM " + db_.table(table) +
                     (fid_column ? " ORDER BY " + db_.identifier(fid_column->name) : ""),
                 "read the layer " + table);
    for (int row = 0; row < r.rows(); ++row) {
        OGRFeature f(defn.defn);
        if (!fid_column) f.SetFID(row);
        for (int k = 0; k < static_cast<int>(field_of.size()); ++k) {
            if (r.is_null(row, k)) continue;
            const std::string value(r.text(row, k));
            if (k == fid_at) {
                f.SetFID(std::strtoll(value.c_str(), nullptr, 10));
            } else if (k == geom_at) {
                CplBytes wkb;
                wkb.data = CPLHexToBinary(value.c_str(), &wkb.size);
                OGRGeometry* g = nullptr;
                if (OGRGeometryFactory::createFromWkb(wkb.data, nullptr, &g, wkb.size) !=
                    OGRERR_NONE)
                    throw core::DataError({db_.target().display, -1, ""},
                                          "table " + table + ", fid " +
                                              std::to_string(f.GetFID()) +
                                              ": a geometry OGR cannot read");
                f.SetGeometryDirectly(g);
            } else {
                const int field = field_of[k];
                const OGRFieldType type = defn.defn->GetFieldDefn(field)->GetType();
                if (type == OFTDate || type == OFTDateTime) {
                    // "YYYY-MM-DD" and, for a timestamp, " HH:MM:SS" (to_char above).
                    if (const auto d = core::parse_date(value.substr(0, 10))) {
                        int y = 0, m = 0, day = 0, hh = 0, mm = 0, ss = 0;
                        d->to_ymd(y, m, day);
                        if (type == OFTDateTime)
                            std::sscanf(value.c_str() + std::min<std::size_t>(10, value.size()),
                                        " %d:%d:%d", &hh, &mm, &ss);
                        f.SetField(field, y, m, day, hh, mm, static_cast<float>(ss));
                    }
                } else {
                    f.SetField(field, value.c_str());  // OGR converts to the field's type
                }
            }
        }
        visit(f);
    }
    return true;
}

}  // namespace limes::geo
