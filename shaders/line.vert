#version 330 core
// One polyline segment per instance, extruded in pixels: a quad around the segment grown by
// half the width plus 1 px of anti-aliasing margin on every side (so ends get round caps and
// consecutive segments meet in round joins). Vertex i of the 4-vertex triangle strip:
//   bit 0 -> start (0) or end (1) of the segment, bit 1 -> right (0) or left (1) side.
// Layer units (map or overlay) -> image pixels (x right, y down) as in fill.vert.
layout(location = 0) in vec2 a_start;     // map units rel. to origin (y up) or overlay px (y down)
layout(location = 1) in vec2 a_end;       // same units as a_start
layout(location = 2) in float a_distance; // units of a_start along the polyline up to it

uniform vec2 u_offset;        // map: origin - view centre, map units; overlay: 0
uniform vec2 u_scale;         // image pixels per unit: map (1/upp, -1/upp), overlay (1, 1)
uniform vec2 u_image_center;  // map: (width/2, height/2) pixels; overlay: (0, 0)
uniform vec2 u_frame_origin;  // top-left corner of the viewport's frame, image pixels
uniform vec2 u_ndc_scale;     // frame pixels -> NDC
uniform vec2 u_ndc_bias;
uniform float u_half_width;   // pixels

out vec2 v_image;             // this fragment's position, image pixels
flat out vec2 v_start;        // segment ends, image pixels
flat out vec2 v_end;
flat out float v_distance;    // pixels along the polyline up to v_start

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

void main() {
    vec2 a = layer_to_image(a_start);
    vec2 b = layer_to_image(a_end);
    vec2 ab = b - a;
    float len = length(ab);
    vec2 dir = len > 1e-6 ? ab / len : vec2(1.0, 0.0);
    vec2 normal = vec2(-dir.y, dir.x);
    float grow = u_half_width + 1.0;
    vec2 along = (gl_VertexID & 1) == 0 ? a - dir * grow : b + dir * grow;
    vec2 p = along + normal * (((gl_VertexID >> 1) == 0) ? -grow : grow);

    v_image = p;
    v_start = a;
    v_end = b;
    v_distance = a_distance * abs(u_scale.x);
    gl_Position = image_to_clip(p);
}
