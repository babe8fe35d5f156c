#include "geo/ops/exporter.hpp"

#include <ogr_geometry.h>

#include <algorithm>
#include <cctype>
#include <functional>

#include "core/error.hpp"
#include "geo/formats/geojson_writer.hpp"
#include "geo/store/gpkg_fast.hpp"
#include "geo/ops/incident_pipeline.hpp"
#include "geo/ops/regions.hpp"

namespace limes::geo {
namespace {

// Date::iso() without its allocation and snprintf: a million of those show in a profile.
std::string_view iso_date(core::Date date, char (&buf)[40]) {
    int y, m, d;
    date.to_ymd(y, m, d);
    if (y < 0 || y > 9999) {
        const std::string s = date.iso();
        return std::string_view(buf, s.copy(buf, sizeof buf));
    }
    const int digits[8] = {y / 1000, y / 100 % 10, y / 10 % 10, y % 10,
                           m / 10,   m % 10,       d / 10,      d % 10};
    const int at[8] = {0, 1, 2, 3, 5, 6, 8, 9};
    for (int i = 0; i < 8; ++i) buf[at[i]] = static_cast<char>('0' + digits[i]);
    buf[4] = buf[7] = '-';
    return std::string_view(buf, 10);
}

void write_incident(GeoJsonWriter& w, const core::Incident& inc) {
    w.begin_feature(inc.fid);
    w.point(inc.lon, inc.lat);
    w.begin_properties();
    char date[40];
    for (const auto& c : core::incident_columns()) {
        switch (c.type) {
            case core::ColumnType::Text: w.property(c.name, inc.*c.text); break;
            case core::ColumnType::Integer: w.property(c.name, inc.*c.integer); break;
            case core::ColumnType::Date: w.property(c.name, iso_date(inc.event_date, date)); break;
        }
    }
    w.end_feature();
}

// Claims overlap the time filter when [valid_from, valid_to] meets [from, to].
bool claim_in_time(const core::Claim& c, const core::Filter& f) {
    if (f.to && c.valid_from && *c.valid_from > *f.to) return false;
    if (f.from && c.valid_to && *c.valid_to < *f.from) return false;
    return true;
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
    w.property("valid_to", c.valid_to ? c.valid_to->iso() : std::string());
    w.property("status", c.status);
    w.property("source", c.source);
    w.property("source_url", c.source_url);
    w.property("notes", c.notes);
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
            case OFTInteger64: w.property(name, std::optional<std::int64_t>(f.GetFieldAsInteger64(i))); break;
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

// The incidents of a GeoPackage workspace in two passes over SQLite (geo/gpkg_fast.hpp), one
// reused Incident at a time: the first finds the bbox (written before the features) and which
// incidents pass the filter, the second writes them. Same output as select_incidents() and a
// loop over it, without holding a million incidents.
long long export_streaming(IncidentReader& reader, const Workspace& ws,
                           const ExportOptions& options, GeoJsonWriter& w) {
    const core::Filter& filter = options.filter;
    core::BBox bbox;
    std::vector<std::int64_t> accepted;  // fids in read order; unused without a filter
    const bool everything = filter.is_empty();
    if (everything) {
        reader.for_each_point([&](std::int64_t, double lon, double lat) { bbox.add(lon, lat); });
    } else {
        GeosContext ctx;
        const RegionFilter region(ws, ctx, filter.region);
        reader.for_each([&](const core::Incident& inc) {
            if (!filter.accepts(inc) || !region.contains(inc.lon, inc.lat)) return;
            bbox.add(inc.lon, inc.lat);
            accepted.push_back(inc.fid);
        });
    }
    w.begin(bbox);
    // This thread decodes rows while a second one formats and writes them.
    IncidentReader::Scan rows = reader.scan(everything ? nullptr : &accepted);
    run_pipeline(
        [&](const std::function<bool(IncidentChunk&)>& emit) {
            constexpr std::size_t kChunkRows = 2048;
            IncidentChunk chunk;
            for (;;) {
                if (chunk.incidents.size() < kChunkRows) chunk.incidents.resize(kChunkRows);
                const bool more = rows.next(chunk.incidents[chunk.size]);
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

long long write_incidents_geojson(const core::BBox& bbox, const std::function<bool(core::Incident&)>& next,
                                  int precision, std::ostream& out) {
    GeoJsonWriter w(out, precision);
    w.begin(bbox);
    core::Incident inc;  // reused: its strings keep their buffers
    while (next(inc)) write_incident(w, inc);
    w.end();
    return w.features_written();
}

std::vector<core::IncidentMark> select_marks_for_map(const Workspace& ws, const core::Filter& filter) {
    core::check_range(filter);
    GeosContext ctx;
    const RegionFilter region(ws, ctx, filter.region);
    std::vector<core::IncidentMark> out;
    auto reader = IncidentReader::open(ws);
    if (!reader) {
        for (const auto& inc : ws.read_incidents())
            if (filter.accepts(inc) && region.contains(inc.lon, inc.lat)) out.push_back(core::mark_of(inc));
        return out;
    }
    // Filters on reporter, status or actor need those columns; the others only what the map
    // draws anyway, a fifth of the row. That fifth is read in two fid halves on two threads
    // when there is no --region (its GEOS context is not shared between threads).
    if (!filter.reported_by.empty() || !filter.statuses.empty() || !filter.actor.empty() ||
        region.active()) {
        out.reserve(reader->count_hint());
        reader->for_each([&](const core::Incident& inc) {
            if (filter.accepts(inc) && region.contains(inc.lon, inc.lat)) out.push_back(core::mark_of(inc));
        });
        return out;
    }
    std::vector<core::IncidentMark> halves[2];
    const std::size_t expected = reader->count_hint();
    const unsigned parts = scan_in_fid_halves(
        reader->path(), reader->table(), reader->fid_column(), 0,
        [&](unsigned part, std::int64_t first, std::int64_t last) {
            std::vector<core::IncidentMark>& marks = part == 0 ? out : halves[1];
            marks.reserve(part == 0 ? expected : expected / 2 + 1);
            auto own = IncidentReader::open(reader->path());
            if (!own) throw core::IoError(reader->path(), "the incidents table changed while reading");
            own->for_each_drawn(
                [&](const core::Incident& inc) {
                    if (filter.accepts(inc)) marks.push_back(core::mark_of(inc));
                },
                first, last);
        },
        [&] { out.clear(), halves[1].clear(); });
    if (parts == 2) out.insert(out.end(), halves[1].begin(), halves[1].end());
    return out;
}

std::vector<core::Incident> select_incidents(const Workspace& ws, const core::Filter& filter) {
    core::check_range(filter);
    std::vector<core::Incident> all = ws.read_incidents();
    GeosContext ctx;
    const RegionFilter region(ws, ctx, filter.region);
    // Kept in place, in order: a second vector of a million incidents would double the memory.
    std::size_t kept = 0;
    for (std::size_t i = 0; i < all.size(); ++i) {
        core::Incident& inc = all[i];
        if (!filter.accepts(inc)) continue;
        if (!region.contains(inc.lon, inc.lat)) continue;
        if (kept != i) all[kept] = std::move(inc);
        ++kept;
    }
    all.erase(all.begin() + static_cast<std::ptrdiff_t>(kept), all.end());
    return all;
}

long long export_geojson(const Workspace& ws, const ExportOptions& options, std::ostream& out) {
    if (options.precision < 0 || options.precision > 15)
        throw core::UsageError("--precision " + std::to_string(options.precision) +
                               ": expected 0..15 decimals");
    const core::Filter& filter = options.filter;
    core::check_range(filter);
    GeoJsonWriter w(out, options.precision);
    core::BBox bbox;

    if (options.layer == kIncidents) {
        if (!ws.layer(kIncidents)) ws.require_layer(kIncidents);
        if (auto reader = IncidentReader::open(ws)) return export_streaming(*reader, ws, options, w);
        auto incidents = select_incidents(ws, filter);
        for (const auto& inc : incidents) bbox.add(inc.lon, inc.lat);
        w.begin(bbox);
        for (const auto& inc : incidents) write_incident(w, inc);
        w.end();
        return w.features_written();
    }

    // Other layers: filter by bbox / region (intersects) and, for claims, time and claimant.
    OGRLayer& layer = ws.require_layer(options.layer);
    GeosContext ctx;
    const RegionFilter region(ws, ctx, filter.region);
    auto keep_geometry = [&](const OGRGeometry* g) {
        if (!g || g->IsEmpty()) return !filter.bbox && !region.active();
        OGREnvelope env;
        g->getEnvelope(&env);
        if (filter.bbox && (env.MaxX < filter.bbox->west || env.MinX > filter.bbox->east ||
                            env.MaxY < filter.bbox->south || env.MinY > filter.bbox->north))
            return false;
        if (region.active() && !region.intersects(to_geos(ctx, *g).get())) return false;
        return true;
    };

    if (options.layer == kClaims) {
        std::vector<core::Claim> claims;
        for (auto& c : ws.read_claims()) {
            if (!claim_in_time(c, filter)) continue;
            if (!filter.reported_by.empty()) {
                bool match = false;
                // Case-insensitive, as for incidents (core::Filter::accepts).
                for (const auto& r : filter.reported_by)
                    match |= r.size() == c.claimant.size() &&
                             std::equal(r.begin(), r.end(), c.claimant.begin(), [](char x, char y) {
                                 return std::tolower(static_cast<unsigned char>(x)) ==
                                        std::tolower(static_cast<unsigned char>(y));
                             });
                if (!match) continue;
            }
            auto g = to_ogr_multipolygon(c.area);
            if (!keep_geometry(g.get())) continue;
            for (const auto& poly : c.area)
                for (const auto& pt : poly.front()) bbox.add(pt.lon, pt.lat);
            claims.push_back(std::move(c));
        }
        w.begin(bbox);
        for (const auto& c : claims) write_claim(w, c);
        w.end();
        return w.features_written();
    }

    std::vector<OGRFeatureUniquePtr> features;
    layer.ResetReading();
    for (auto& f : layer) {
        if (!keep_geometry(f->GetGeometryRef())) continue;
        if (const OGRGeometry* g = f->GetGeometryRef(); g && !g->IsEmpty()) {
            OGREnvelope env;
            g->getEnvelope(&env);
            bbox.add(env.MinX, env.MinY);
            bbox.add(env.MaxX, env.MaxY);
        }
        features.emplace_back(f->Clone());
    }
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
