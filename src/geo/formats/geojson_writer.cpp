#include "geo/formats/geojson_writer.hpp"

#include <ogr_geometry.h>

#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>

namespace limes::geo {

double signed_area(const core::Ring& r) {
    double a = 0.0;
    for (std::size_t i = 0, n = r.size(); i + 1 < n; ++i)
        a += r[i].lon * r[i + 1].lat - r[i + 1].lon * r[i].lat;
    return a / 2.0;
}

GeoJsonWriter::GeoJsonWriter(std::ostream& out, int precision)
    : out_(out), buf_(new char[kBufferBytes]), precision_(precision) {}

GeoJsonWriter::~GeoJsonWriter() {
    try {
        flush();
    } catch (...) {
        // A stream that throws on write: the caller learns of it from the stream's state.
    }
}

void GeoJsonWriter::flush() {
    if (len_ > 0) out_.write(buf_.get(), static_cast<std::streamsize>(len_));
    len_ = 0;
}

void GeoJsonWriter::integer(std::int64_t v) {
    char b[24];
    auto [end, ec] = std::to_chars(b, b + sizeof b, v);
    (void)ec;  // 24 bytes hold any int64
    put(b, static_cast<std::size_t>(end - b));
}

void GeoJsonWriter::number(double v) {
    if (!std::isfinite(v)) {
        put("null");
        return;
    }
    char buf[64];
    auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v, std::chars_format::fixed, precision_);
    if (ec != std::errc()) {
        put("null");
        return;
    }
    // Trim trailing zeros of the fraction ("45.500000" -> "45.5", "45.000000" -> "45"), and
    // turn "-0" into "0".
    char* p = end;
    if (precision_ > 0) {
        while (p > buf && p[-1] == '0') --p;
        if (p > buf && p[-1] == '.') --p;
    }
    if (p - buf == 2 && buf[0] == '-' && buf[1] == '0') {
        put('0');
        return;
    }
    put(buf, static_cast<std::size_t>(p - buf));
}

void GeoJsonWriter::coord(double lon, double lat) {
    put('[');
    number(lon);
    put(',');
    number(lat);
    put(']');
}

namespace {

// True when one of the 8 bytes of w is '"', '\\' or a control character (below 0x20): the
// word-at-a-time tests of "Bit Twiddling Hacks" (exact for "any byte"; UTF-8 bytes of 0x80 and
// above never match).
bool needs_escape(std::uint64_t w) {
    constexpr std::uint64_t ones = 0x0101010101010101ULL, highs = 0x8080808080808080ULL;
    const std::uint64_t quote = w ^ (ones * '"'), backslash = w ^ (ones * '\\');
    const std::uint64_t has_quote = (quote - ones) & ~quote;
    const std::uint64_t has_backslash = (backslash - ones) & ~backslash;
    const std::uint64_t has_control = (w - ones * 0x20) & ~w;
    return (has_quote | has_backslash | has_control) & highs;
}

}  // namespace

void GeoJsonWriter::write_string(std::string_view s) {
    put('"');
    // Runs of characters that need no escape are copied in one piece; 8 bytes are checked at
    // a time until one needs a look.
    std::size_t run = 0;
    for (std::size_t i = 0; i < s.size(); ++i) {
        while (i + 8 <= s.size()) {
            std::uint64_t w;
            std::memcpy(&w, s.data() + i, 8);
            if (needs_escape(w)) break;
            i += 8;
        }
        if (i >= s.size()) break;
        const char c = s[i];
        if (c != '"' && c != '\\' && static_cast<unsigned char>(c) >= 0x20) continue;
        put(s.data() + run, i - run);
        run = i + 1;
        switch (c) {
            case '"': put("\\\""); break;
            case '\\': put("\\\\"); break;
            case '\n': put("\\n"); break;
            case '\r': put("\\r"); break;
            case '\t': put("\\t"); break;
            default: {
                char buf[8];
                std::snprintf(buf, sizeof buf, "\\u%04x", static_cast<unsigned char>(c));
                put(buf);
            }
        }
    }
    put(s.data() + run, s.size() - run);
    put('"');
}

void GeoJsonWriter::key(std::string_view k) {
    if (!first_property_) put(',');
    first_property_ = false;
    write_string(k);
    put(':');
}

void GeoJsonWriter::begin(const core::BBox& bbox) {
    put("{\"type\":\"FeatureCollection\",");
    if (!bbox.empty()) {
        put("\"bbox\":[");
        number(bbox.west);
        put(',');
        number(bbox.south);
        put(',');
        number(bbox.east);
        put(',');
        number(bbox.north);
        put("],");
    }
    put("\"features\":[\n");
}

void GeoJsonWriter::end() {
    put("\n]}\n");
    flush();
}

void GeoJsonWriter::begin_feature(std::int64_t id) {
    if (count_++ > 0) put(",\n");
    put("{\"type\":\"Feature\",\"id\":");
    integer(id);
    put(",\"geometry\":");
}

void GeoJsonWriter::point(double lon, double lat) {
    put("{\"type\":\"Point\",\"coordinates\":");
    coord(lon, lat);
    put('}');
}

void GeoJsonWriter::ring(const core::Ring& r, bool want_ccw) {
    const bool ccw = signed_area(r) > 0;
    put('[');
    const std::size_t n = r.size();
    for (std::size_t i = 0; i < n; ++i) {
        if (i) put(',');
        const auto& p = ccw == want_ccw ? r[i] : r[n - 1 - i];
        coord(p.lon, p.lat);
    }
    put(']');
}

void GeoJsonWriter::multipolygon(const core::MultiPolygon& mp) {
    put("{\"type\":\"MultiPolygon\",\"coordinates\":[");
    for (std::size_t p = 0; p < mp.size(); ++p) {
        if (p) put(',');
        put('[');
        for (std::size_t r = 0; r < mp[p].size(); ++r) {
            if (r) put(',');
            ring(mp[p][r], r == 0);
        }
        put(']');
    }
    put("]}");
}

void GeoJsonWriter::null_geometry() {
    put("null");
}

void GeoJsonWriter::write_polygon_rings(const OGRGeometry& g) {
    const OGRPolygon* poly = g.toPolygon();
    put('[');
    int r = 0;
    for (const OGRLinearRing* lr : *poly) {
        core::Ring ringv;
        ringv.reserve(lr->getNumPoints());
        for (const OGRPoint& pt : *lr) ringv.push_back({pt.getX(), pt.getY()});
        if (r) put(',');
        ring(ringv, r == 0);
        ++r;
    }
    put(']');
}

void GeoJsonWriter::write_geometry_body(const OGRGeometry& g) {
    auto line = [&](const OGRSimpleCurve& c) {
        put('[');
        for (int i = 0; i < c.getNumPoints(); ++i) {
            if (i) put(',');
            coord(c.getX(i), c.getY(i));
        }
        put(']');
    };
    switch (wkbFlatten(g.getGeometryType())) {
        case wkbPoint:
            put("{\"type\":\"Point\",\"coordinates\":");
            coord(g.toPoint()->getX(), g.toPoint()->getY());
            break;
        case wkbLineString:
            put("{\"type\":\"LineString\",\"coordinates\":");
            line(*g.toLineString());
            break;
        case wkbPolygon:
            put("{\"type\":\"Polygon\",\"coordinates\":");
            write_polygon_rings(g);
            break;
        case wkbMultiPoint: {
            put("{\"type\":\"MultiPoint\",\"coordinates\":[");
            int i = 0;
            for (const OGRPoint* p : *g.toMultiPoint()) {
                if (i++) put(',');
                coord(p->getX(), p->getY());
            }
            put(']');
            break;
        }
        case wkbMultiLineString: {
            put("{\"type\":\"MultiLineString\",\"coordinates\":[");
            int i = 0;
            for (const OGRLineString* l : *g.toMultiLineString()) {
                if (i++) put(',');
                line(*l);
            }
            put(']');
            break;
        }
        case wkbMultiPolygon: {
            put("{\"type\":\"MultiPolygon\",\"coordinates\":[");
            int i = 0;
            for (const OGRPolygon* p : *g.toMultiPolygon()) {
                if (i++) put(',');
                write_polygon_rings(*p);
            }
            put(']');
            break;
        }
        case wkbGeometryCollection: {
            put("{\"type\":\"GeometryCollection\",\"geometries\":[");
            int i = 0;
            for (const OGRGeometry* part : *g.toGeometryCollection()) {
                if (i++) put(',');
                write_geometry_body(*part);
            }
            put("]}");
            return;
        }
        default: {
            // Curves and other non-GeoJSON types: linearise first.
            std::unique_ptr<OGRGeometry> linear(g.getLinearGeometry());
            if (linear &&
                wkbFlatten(linear->getGeometryType()) != wkbFlatten(g.getGeometryType())) {
                write_geometry_body(*linear);
                return;
            }
            put("null");
            return;
        }
    }
    put('}');
}

void GeoJsonWriter::geometry(const OGRGeometry* g) {
    if (!g || g->IsEmpty()) {
        null_geometry();
        return;
    }
    write_geometry_body(*g);
}

void GeoJsonWriter::begin_properties() {
    put(",\"properties\":{");
    first_property_ = true;
}

void GeoJsonWriter::property(std::string_view k, std::string_view text) {
    key(k);
    if (text.empty())
        put("null");
    else
        write_string(text);
}

void GeoJsonWriter::property(std::string_view k, std::optional<std::int64_t> value) {
    key(k);
    if (value)
        integer(*value);
    else
        put("null");
}

void GeoJsonWriter::property(std::string_view k, double value) {
    key(k);
    if (!std::isfinite(value)) {
        put("null");
        return;
    }
    char buf[64];
    auto [end, ec] = std::to_chars(buf, buf + sizeof buf, value);  // shortest round-trip form
    (void)ec;
    put(buf, static_cast<std::size_t>(end - buf));
}

void GeoJsonWriter::property_null(std::string_view k) {
    key(k);
    put("null");
}

void GeoJsonWriter::property_bool(std::string_view k, bool value) {
    key(k);
    put(value ? "true" : "false");
}

void GeoJsonWriter::end_feature() {
    put("}}");
}

}  // namespace limes::geo
