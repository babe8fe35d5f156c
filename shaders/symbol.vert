#version 330 core
// One incident symbol per instance: a 4-vertex triangle strip around the shape, centred on the
// symbol's position: a screen-aligned quad of size_px + 2 px (anti-aliasing margin; vertex i
// picks the corner, bit 0 -> x, bit 1 -> y), or a tighter triangle or diamond for those
// shapes (outline_vertex). Layer units -> image pixels (x right, y down) as in fill.vert.
layout(location = 0) in vec2 a_position;  // map units rel. to origin (y up) or overlay px (y down)
layout(location = 1) in float a_size;     // diameter, pixels
layout(location = 2) in uvec4 a_shape;    // map::Shape, outline width in 1/8 px, style bits, pad
layout(location = 3) in vec4 a_fill;      // straight alpha, normalised from bytes
layout(location = 4) in vec4 a_outline;

uniform vec2 u_offset;        // map: origin - view centre, map units; overlay: 0
uniform vec2 u_scale;         // image pixels per unit: map (1/upp, -1/upp), overlay (1, 1)
uniform vec2 u_image_center;  // map: (width/2, height/2) pixels; overlay: (0, 0)
uniform vec2 u_frame_origin;  // top-left corner of the viewport's frame, image pixels
uniform vec2 u_ndc_scale;     // frame pixels -> NDC
uniform vec2 u_ndc_bias;

out vec2 v_local;             // pixels from the symbol centre, x right, y UP (shapes point up)
flat out float v_radius;      // pixels
flat out uint v_shape;
flat out float v_outline_px;  // width of the outline band, pixels
flat out uint v_style;        // bit 0 hollow, bit 1 dashed outline, bit 2 inner ring
flat out vec4 v_fill;
flat out vec4 v_outline;

// Layer units -> image pixels: map units relative to DrawList::origin (y up, flipped by the
// negative u_scale.y) or, for the overlay, image pixels already (identity).
vec2 layer_to_image(vec2 p) {
    return u_image_center + (p + u_offset) * u_scale;
}

// Image pixels -> clip space. The viewport spans a whole frame of the image (see
// pipelines.cpp), not just the tile being drawn: every tile of a frame then rasterises the
// same window coordinates and clips at the same places, so tiles stitch sample-exactly.
vec4 image_to_clip(vec2 image) {
    return vec4((image - u_frame_origin) * u_ndc_scale + u_ndc_bias, 0.0, 1.0);
}

// map::Shape values with a tighter outline than the quad.
const uint TRIANGLE = 2u, DIAMOND = 3u;

// Vertex i of the symbol's outline, pixels from its centre, y UP: a shape that holds every
// pixel the fragment shader gives coverage (signed distance < 0.5 px) with room to spare, and
// as few others as it can, since on a CPU rasteriser every fragment costs. Triangles and
// diamonds fill about half of their square: they get a triangle (the 4th vertex repeats the
// apex) or a rotated square; the other shapes the square of size_px + 2 px.
vec2 outline_vertex(int i, float radius) {
    if (a_shape.x == TRIANGLE) {
        // Equilateral, centroid at the centre; the shape's inradius is radius / 2, this one's
        // radius / 2 + 1 px (circumradius radius + 2), which holds the shape grown by 1 px.
        float c = radius + 2.0;
        if (i == 0) return vec2(-0.8660254 * c, -0.5 * c);
        if (i == 1) return vec2(0.8660254 * c, -0.5 * c);
        return vec2(0.0, c);
    }
    if (a_shape.x == DIAMOND) {
        // |x| + |y| <= radius + 2: the shape (|x| + |y| <= radius) grown by 1.4 px.
        float e = radius + 2.0;
        if (i == 0) return vec2(0.0, -e);
        if (i == 1) return vec2(e, 0.0);
        if (i == 2) return vec2(-e, 0.0);
        return vec2(0.0, e);
    }
    vec2 corner = vec2(float(i & 1), float(i >> 1)) * 2.0 - 1.0;
    return corner * (radius + 1.0);
}

void main() {
    float radius = 0.5 * a_size;
    vec2 local = outline_vertex(gl_VertexID, radius);
    vec2 image = layer_to_image(a_position) + vec2(local.x, -local.y);  // image y is down

    v_local = local;
    v_radius = radius;
    v_shape = a_shape.x;
    v_outline_px = float(a_shape.y) / 8.0;
    v_style = a_shape.z;
    v_fill = a_fill;
    v_outline = a_outline;
    gl_Position = image_to_clip(image);
}
