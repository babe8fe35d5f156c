#pragma once
// RFC 7946 GeoJSON output: WGS84 lon/lat, exterior rings counter-clockwise and holes
// clockwise (rings are reversed when they come the other way), a fixed number of decimals,
// a top-level bbox, one feature at a time so large layers stream. Text is gathered in a
// buffer and handed to the stream in blocks of ~1 MB (per-character std::ostream calls cost
// more than the formatting itself at a million features); end() writes what remains.
#include <cstdint>
#include <cstring>
#include <memory>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>

#include "core/geometry.hpp"

class OGRGeometry;

namespace limes::geo {

class GeoJsonWriter {
  public:
    /** precision: decimals for coordinates (RFC 7946 suggests 6, about 0.1 m). */
    GeoJsonWriter(std::ostream& out, int precision);
    /** Hands any text not yet written to the stream (end() normally has). */
    ~GeoJsonWriter();
    GeoJsonWriter(const GeoJsonWriter&) = delete;
    GeoJsonWriter& operator=(const GeoJsonWriter&) = delete;

    /** Opens the FeatureCollection; bbox is written first when known (not empty). */
    void begin(const core::BBox& bbox);
    void end();  ///< closes the collection and flushes the buffer to the stream

    /** Starts a feature with a stable numeric id; then geometry, then properties. */
    void begin_feature(std::int64_t id);
    void point(double lon, double lat);
    void multipolygon(const core::MultiPolygon& mp);
    /** Any OGR geometry (already WGS84 lon/lat); null geometry when g is null or empty. */
    void geometry(const OGRGeometry* g);
    void null_geometry();

    void begin_properties();
    void property(std::string_view key, std::string_view text);  ///< empty text -> null
    void property(std::string_view key, std::optional<std::int64_t> value);
    void property(std::string_view key, double value);
    void property_null(std::string_view key);
    void property_bool(std::string_view key, bool value);  ///< JSON true / false
    void end_feature();  ///< closes properties and the feature

    std::int64_t features_written() const { return count_; }

  private:
    // The buffer: kBufferBytes, handed to the stream whenever the next piece would not fit.
    static constexpr std::size_t kBufferBytes = 1 << 20;
    void put(char c) {
        if (len_ == kBufferBytes) flush();
        buf_[len_++] = c;
    }
    void put(const char* s, std::size_t n) {
        if (n > kBufferBytes - len_) {
            flush();
            if (n > kBufferBytes) {
                out_.write(s, static_cast<std::streamsize>(n));
                return;
            }
        }
        std::memcpy(buf_.get() + len_, s, n);
        len_ += n;
    }
    void put(std::string_view s) { put(s.data(), s.size()); }
    void integer(std::int64_t v);
    void flush();
    void number(double v);
    void coord(double lon, double lat);
    void ring(const core::Ring& r, bool want_ccw);
    void key(std::string_view k);
    void write_string(std::string_view s);
    void write_polygon_rings(const OGRGeometry& polygon);
    void write_geometry_body(const OGRGeometry& g);

    std::ostream& out_;
    std::unique_ptr<char[]> buf_;
    std::size_t len_ = 0;
    int precision_;
    std::int64_t count_ = 0;
    bool first_property_ = true;
};

/** Signed area of a ring in degree² by the shoelace formula: > 0 counter-clockwise. */
double signed_area(const core::Ring& r);

}  // namespace limes::geo
