#include "geo/ops/exporter.hpp"

#include <ogr_geometry.h>

#include <algorithm>
#include <cctype>
#include <functional>

#include "core/error.hpp"
#include "geo/formats/geojson_writer.hpp"
#include "geo/ops/incident_pipeline.hpp"
#include "geo/ops/selection.hpp"
#include "geo/store/ogr_convert.hpp"

namespace limes::geo {
namespace {

void write_incident(GeoJsonWriter& w, const core::Incident& inc) {
    w.begin_feature(inc.fid);
    w.point(inc.lon, inc.lat);
    w.begin_properties();
    char date[40];
    for (const auto& c : core::incident_columns()) {
        switch (c.type) {
            case core::ColumnType::Text: w.property(c.name, inc.*c.text); break;
            case core::ColumnType::Integer: w.property(c.name, inc.*c.integer); break;
            case core::ColumnType::Date:
                w.property(c.name, std::string_view(date, inc.event_date.iso(date)));
                break;
        }
    }
    w.end_feature();
}

void write_claim(GeoJsonWriter& w, const core::Claim& c) {
    w.begin_feature(c.fid);
    w.multipolygon(c.area);
    w.begin_properties();
    w.property("claim_id", c.claim_id);
    w.property("name", c.name);
    w.property("kind", c.kind);
    w.property("claimant", c.claimant);
    w.property("holder", c.holder);
    w.property("sovereign", c.sovereign);
    w.property("valid_from", c.valid_from ? c.valid_from->iso() : std::string());
    if (c.valid_from_precision.empty())
        w.property_null("valid_from_precision");
    else
        w.property("valid_from_precision", c.valid_from_precision);
    w.property("valid_to", c.valid_to ? c.valid_to->iso() : std::string());
    w.property("status", c.status);
    w.property("source", c.source);
    w.property("source_url", c.source_url);
    w.property("notes", c.notes);
    w.property("geometry_source", c.geometry_source);
    if (c.accuracy_m)
        w.property("accuracy_m", *c.accuracy_m);
    else
        w.property_null("accuracy_m");
    // approximate: the boundary may be more than core::kApproximateM from the real one.
    w.property_bool("approximate", core::is_approximate(c));
    w.end_feature();
}

void write_ogr_properties(GeoJsonWriter& w, const OGRFeature& f) {
    w.begin_properties();
    const OGRFeatureDefn* defn = f.GetDefnRef();
    for (int i = 0; i < defn->GetFieldCount(); ++i) {
        const OGRFieldDefn* fd = defn->GetFieldDefn(i);
        const char* name = fd->GetNameRef();
        if (!f.IsFieldSetAndNotNull(i)) {
            w.property_null(name);
            continue;
        }
        switch (fd->GetType()) {
            case OFTInteger:
            case OFTInteger64:
                w.property(name, std::optional<std::int64_t>(f.GetFieldAsInteger64(i)));
                break;
            case OFTReal: w.property(name, f.GetFieldAsDouble(i)); break;
            case OFTDate: {
                int y, m, d, hh, mm, tz;
                float ss;
                f.GetFieldAsDateTime(i, &y, &m, &d, &hh, &mm, &ss, &tz);
                w.property(name, core::Date::from_ymd(y, m, d).iso());
                break;
            }
            default: w.property(name, std::string_view(f.GetFieldAsString(i))); break;
        }
    }
    w.end_feature();
}

// The incidents in two passes over one snapshot of the table, one reused Incident at a time:
// the first finds the bbox (written before the features) and which incidents pass the filter,
// reading only the columns the filter needs; the second writes them whole. A million
// incidents are never held at once.
long long export_incidents(Workspace& ws, const core::Filter& filter, GeoJsonWriter& w) {
    const std::unique_ptr<IncidentReads> snapshot = ws.incidents().snapshot();
    core::BBox bbox;
    std::vector<std::int64_t> accepted;  // fids in read order; unused without a filter
    const bool everything = filter.is_empty();
    {
        const RegionTest region = region_test(ws, filter.region);
        IncidentQuery first;
        first.columns = core::IncidentColumns();  // the point, and what the filter reads
        first.filter = &filter;
        snapshot->for_each(first, [&](const core::Incident& inc) {
            if (!region.contains(inc.lon, inc.lat)) return;
            bbox.add(inc.lon, inc.lat);
            if (!everything) accepted.push_back(inc.fid);
        });
    }
    w.begin(bbox);
    IncidentQuery second;
    if (!everything) second.fids = &accepted;
    const std::unique_ptr<IncidentCursor> rows = snapshot->query(second);
    // This thread decodes rows while a second one formats and writes them.
    run_pipeline(
        [&](const std::function<bool(IncidentChunk&)>& emit) {
            constexpr std::size_t kChunkRows = 2048;
            IncidentChunk chunk;
            for (;;) {
                if (chunk.incidents.size() < kChunkRows) chunk.incidents.resize(kChunkRows);
                const bool more = rows->next(chunk.incidents[chunk.size]);
                if (more) ++chunk.size;
                if ((chunk.size == kChunkRows || !more) && chunk.size > 0 && !emit(chunk)) return;
                if (!more) return;
            }
        },
        [&](IncidentChunk& chunk) {
            for (std::size_t i = 0; i < chunk.size; ++i) write_incident(w, chunk.incidents[i]);
        });
    w.end();
    return w.features_written();
}

}  // namespace

long long write_incidents_geojson(const core::BBox& bbox,
                                  const std::function<bool(core::Incident&)>& next, int precision,
                                  std::ostream& out) {
    GeoJsonWriter w(out, precision);
    w.begin(bbox);
    core::Incident inc;  // reused: its strings keep their buffers
    while (next(inc)) write_incident(w, inc);
    w.end();
    return w.features_written();
}

long long write_rows_geojson(IncidentTable& table, const core::IncidentStore& store,
                             const std::vector<std::uint32_t>& rows, std::ostream& out) {
    core::BBox bbox;
    std::vector<std::int64_t> stored;
    std::vector<std::uint32_t> edited;
    for (const std::uint32_t i : rows) {
        bbox.add(store.marks()[i].lon, store.marks()[i].lat);
        if (store.edited(i))
            edited.push_back(i);
        else
            stored.push_back(store.fid(i));
    }
    std::sort(stored.begin(), stored.end());
    IncidentQuery query;
    query.fids = &stored;
    const std::unique_ptr<IncidentCursor> scan = table.query(query);
    std::size_t next_edited = 0;
    return write_incidents_geojson(
        bbox,
        [&](core::Incident& inc) {
            if (scan->next(inc)) return true;
            if (next_edited == edited.size()) return false;
            inc = *store.edited(edited[next_edited++]);
            return true;
        },
        6, out);
}

long long export_geojson(Workspace& ws, const ExportOptions& options, std::ostream& out) {
    if (options.precision < 0 || options.precision > 15)
        throw core::UsageError("--precision " + std::to_string(options.precision) +
                               ": expected 0..15 decimals");
    const core::Filter& filter = options.filter;
    core::check_range(filter);
    GeoJsonWriter w(out, options.precision);

    if (options.layer == kIncidents) {
        if (!ws.incidents().exists()) ws.require_layer(kIncidents);
        return export_incidents(ws, filter, w);
    }

    core::BBox bbox;
    if (options.layer == kClaims) {
        ws.require_layer(kClaims);
        const std::vector<core::Claim> claims = select_claims(ws, filter);
        for (const auto& c : claims)
            for (const auto& poly : c.area)
                for (const auto& pt : poly.front()) bbox.add(pt.lon, pt.lat);
        w.begin(bbox);
        for (const auto& c : claims) write_claim(w, c);
        w.end();
        return w.features_written();
    }

    // Other layers (the basemap): by bbox and region (intersects), with their own fields.
    const RegionTest region = region_test(ws, filter.region);
    auto keep_geometry = [&](const OGRGeometry* g) {
        if (!g || g->IsEmpty()) return !filter.bbox && !region.active();
        OGREnvelope env;
        g->getEnvelope(&env);
        if (filter.bbox && (env.MaxX < filter.bbox->west || env.MinX > filter.bbox->east ||
                            env.MaxY < filter.bbox->south || env.MinY > filter.bbox->north))
            return false;
        if (region.active() && !region.intersects(to_geos(region.context(), *g).get()))
            return false;
        return true;
    };
    std::vector<OGRFeatureUniquePtr> features;
    ws.for_each_feature(options.layer, [&](const OGRFeature& f) {
        if (!keep_geometry(f.GetGeometryRef())) return;
        if (const OGRGeometry* g = f.GetGeometryRef(); g && !g->IsEmpty()) {
            OGREnvelope env;
            g->getEnvelope(&env);
            bbox.add(env.MinX, env.MinY);
            bbox.add(env.MaxX, env.MaxY);
        }
        features.emplace_back(f.Clone());
    });
    w.begin(bbox);
    for (const auto& f : features) {
        w.begin_feature(f->GetFID());
        w.geometry(f->GetGeometryRef());
        write_ogr_properties(w, *f);
    }
    w.end();
    return w.features_written();
}

}  // namespace limes::geo
