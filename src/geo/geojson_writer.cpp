#include "geo/geojson_writer.hpp"

#include <ogr_geometry.h>

#include <charconv>
#include <cstdio>
#include <cmath>

namespace limes::geo {

double signed_area(const core::Ring& r) {
    double a = 0.0;
    for (std::size_t i = 0, n = r.size(); i + 1 < n; ++i)
        a += r[i].lon * r[i + 1].lat - r[i + 1].lon * r[i].lat;
    return a / 2.0;
}

GeoJsonWriter::GeoJsonWriter(std::ostream& out, int precision) : out_(out), precision_(precision) {}

void GeoJsonWriter::number(double v) {
    if (!std::isfinite(v)) {
        out_ << "null";
        return;
    }
    char buf[64];
    auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v, std::chars_format::fixed, precision_);
    if (ec != std::errc()) {
        out_ << "null";
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
        out_ << '0';
        return;
    }
    out_.write(buf, p - buf);
}

void GeoJsonWriter::coord(double lon, double lat) {
    out_ << '[';
    number(lon);
    out_ << ',';
    number(lat);
    out_ << ']';
}

void GeoJsonWriter::write_string(std::string_view s) {
    out_ << '"';
    for (char c : s) {
        switch (c) {
            case '"': out_ << "\\\""; break;
            case '\\': out_ << "\\\\"; break;
            case '\n': out_ << "\\n"; break;
            case '\r': out_ << "\\r"; break;
            case '\t': out_ << "\\t"; break;
            default:
                if (static_cast<unsigned char>(c) < 0x20) {
                    char buf[8];
                    std::snprintf(buf, sizeof buf, "\\u%04x", static_cast<unsigned char>(c));
                    out_ << buf;
                } else {
                    out_ << c;
                }
        }
    }
    out_ << '"';
}

void GeoJsonWriter::key(std::string_view k) {
    if (!first_property_) out_ << ',';
    first_property_ = false;
    write_string(k);
    out_ << ':';
}

void GeoJsonWriter::begin(const core::BBox& bbox) {
    out_ << "{\"type\":\"FeatureCollection\",";
    if (!bbox.empty()) {
        out_ << "\"bbox\":[";
        number(bbox.west);
        out_ << ',';
        number(bbox.south);
        out_ << ',';
        number(bbox.east);
        out_ << ',';
        number(bbox.north);
        out_ << "],";
    }
    out_ << "\"features\":[\n";
}

void GeoJsonWriter::end() { out_ << "\n]}\n"; }

void GeoJsonWriter::begin_feature(std::int64_t id) {
    if (count_++ > 0) out_ << ",\n";
    out_ << "{\"type\":\"Feature\",\"id\":" << id << ",\"geometry\":";
}

void GeoJsonWriter::point(double lon, double lat) {
    out_ << "{\"type\":\"Point\",\"coordinates\":";
    coord(lon, lat);
    out_ << '}';
}

void GeoJsonWriter::ring(const core::Ring& r, bool want_ccw) {
    const bool ccw = signed_area(r) > 0;
    out_ << '[';
    const std::size_t n = r.size();
    for (std::size_t i = 0; i < n; ++i) {
        if (i) out_ << ',';
        const auto& p = ccw == want_ccw ? r[i] : r[n - 1 - i];
        coord(p.lon, p.lat);
    }
    out_ << ']';
}

void GeoJsonWriter::multipolygon(const core::MultiPolygon& mp) {
    out_ << "{\"type\":\"MultiPolygon\",\"coordinates\":[";
    for (std::size_t p = 0; p < mp.size(); ++p) {
        if (p) out_ << ',';
        out_ << '[';
        for (std::size_t r = 0; r < mp[p].size(); ++r) {
            if (r) out_ << ',';
            ring(mp[p][r], r == 0);
        }
        out_ << ']';
    }
    out_ << "]}";
}

void GeoJsonWriter::null_geometry() { out_ << "null"; }

void GeoJsonWriter::write_polygon_rings(const OGRGeometry& g) {
    const OGRPolygon* poly = g.toPolygon();
    out_ << '[';
    int r = 0;
    for (const OGRLinearRing* lr : *poly) {
        core::Ring ringv;
        ringv.reserve(lr->getNumPoints());
        for (const OGRPoint& pt : *lr) ringv.push_back({pt.getX(), pt.getY()});
        if (r) out_ << ',';
        ring(ringv, r == 0);
        ++r;
    }
    out_ << ']';
}

void GeoJsonWriter::write_geometry_body(const OGRGeometry& g) {
    auto line = [&](const OGRSimpleCurve& c) {
        out_ << '[';
        for (int i = 0; i < c.getNumPoints(); ++i) {
            if (i) out_ << ',';
            coord(c.getX(i), c.getY(i));
        }
        out_ << ']';
    };
    switch (wkbFlatten(g.getGeometryType())) {
        case wkbPoint:
            out_ << "{\"type\":\"Point\",\"coordinates\":";
            coord(g.toPoint()->getX(), g.toPoint()->getY());
            break;
        case wkbLineString:
            out_ << "{\"type\":\"LineString\",\"coordinates\":";
            line(*g.toLineString());
            break;
        case wkbPolygon:
            out_ << "{\"type\":\"Polygon\",\"coordinates\":";
            write_polygon_rings(g);
            break;
        case wkbMultiPoint: {
            out_ << "{\"type\":\"MultiPoint\",\"coordinates\":[";
            int i = 0;
            for (const OGRPoint* p : *g.toMultiPoint()) {
                if (i++) out_ << ',';
                coord(p->getX(), p->getY());
            }
            out_ << ']';
            break;
        }
        case wkbMultiLineString: {
            out_ << "{\"type\":\"MultiLineString\",\"coordinates\":[";
            int i = 0;
            for (const OGRLineString* l : *g.toMultiLineString()) {
                if (i++) out_ << ',';
                line(*l);
            }
            out_ << ']';
            break;
        }
        case wkbMultiPolygon: {
            out_ << "{\"type\":\"MultiPolygon\",\"coordinates\":[";
            int i = 0;
            for (const OGRPolygon* p : *g.toMultiPolygon()) {
                if (i++) out_ << ',';
                write_polygon_rings(*p);
            }
            out_ << ']';
            break;
        }
        case wkbGeometryCollection: {
            out_ << "{\"type\":\"GeometryCollection\",\"geometries\":[";
            int i = 0;
            for (const OGRGeometry* part : *g.toGeometryCollection()) {
                if (i++) out_ << ',';
                write_geometry_body(*part);
            }
            out_ << "]}";
            return;
        }
        default: {
            // Curves and other non-GeoJSON types: linearise first.
            std::unique_ptr<OGRGeometry> linear(g.getLinearGeometry());
            if (linear && wkbFlatten(linear->getGeometryType()) != wkbFlatten(g.getGeometryType())) {
                write_geometry_body(*linear);
                return;
            }
            out_ << "null";
            return;
        }
    }
    out_ << '}';
}

void GeoJsonWriter::geometry(const OGRGeometry* g) {
    if (!g || g->IsEmpty()) {
        null_geometry();
        return;
    }
    write_geometry_body(*g);
}

void GeoJsonWriter::begin_properties() {
    out_ << ",\"properties\":{";
    first_property_ = true;
}

void GeoJsonWriter::property(std::string_view k, std::string_view text) {
    key(k);
    if (text.empty()) out_ << "null";
    else write_string(text);
}

void GeoJsonWriter::property(std::string_view k, std::optional<std::int64_t> value) {
    key(k);
    if (value) out_ << *value;
    else out_ << "null";
}

void GeoJsonWriter::property(std::string_view k, double value) {
    key(k);
    if (!std::isfinite(value)) {
        out_ << "null";
        return;
    }
    char buf[64];
    auto [end, ec] = std::to_chars(buf, buf + sizeof buf, value);  // shortest round-trip form
    out_.write(buf, end - buf);
}

void GeoJsonWriter::property_null(std::string_view k) {
    key(k);
    out_ << "null";
}

void GeoJsonWriter::end_feature() { out_ << "}}"; }

}  // namespace limes::geo
