#pragma once
// RFC 7946 GeoJSON output: WGS84 lon/lat, exterior rings counter-clockwise and holes
// clockwise (rings are reversed when they come the other way), a fixed number of decimals,
// a top-level bbox, one feature at a time so large layers stream.
#include <cstdint>
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

    /** Opens the FeatureCollection; bbox is written first when known (not empty). */
    void begin(const core::BBox& bbox);
    void end();

    /** Starts a feature with a stable numeric id; then geometry, then properties. */
    void begin_feature(std::int64_t id);
    void point(double lon, double lat);
    void multipolygon(const core::MultiPolygon& mp);
    /** Any OGR geometry (already WGS84 lon/lat); null geometry when g is null or empty. */
    void geometry(const OGRGeometry* g);
    void null_geometry();

    void begin_properties();
    void property(std::string_view key, std::string_view text);   ///< empty text -> null
    void property(std::string_view key, std::optional<std::int64_t> value);
    void property(std::string_view key, double value);
    void property_null(std::string_view key);
    void end_feature();  ///< closes properties and the feature

    std::int64_t features_written() const { return count_; }

private:
    void number(double v);
    void coord(double lon, double lat);
    void ring(const core::Ring& r, bool want_ccw);
    void key(std::string_view k);
    void write_string(std::string_view s);
    void write_polygon_rings(const OGRGeometry& polygon);
    void write_geometry_body(const OGRGeometry& g);

    std::ostream& out_;
    int precision_;
    std::int64_t count_ = 0;
    bool first_property_ = true;
};

/** Signed area of a ring in degree² by the shoelace formula: > 0 counter-clockwise. */
double signed_area(const core::Ring& r);

}  // namespace limes::geo
