#version 330 core
// Filled triangles of a FillBatch.
// Map units -> image pixels (x right, y down, origin at the image's top-left corner):
//   image = (p + origin - center) / units_per_pixel, y negated, + (width/2, height/2)
// then frame pixels -> clip space (u_ndc_scale/bias also pick the row order).
layout(location = 0) in vec2 a_position;  // map units relative to DrawList::origin, y up

uniform vec2 u_offset;        // origin - view centre, map units
uniform float u_inv_upp;      // pixels per map unit
uniform vec2 u_image_center;  // (width/2, height/2), pixels
uniform vec2 u_frame_origin;  // top-left corner of the viewport's frame, image pixels
uniform vec2 u_ndc_scale;     // frame pixels -> NDC
uniform vec2 u_ndc_bias;

vec2 map_to_image(vec2 p) {
    vec2 q = (p + u_offset) * u_inv_upp;
    return vec2(u_image_center.x + q.x, u_image_center.y - q.y);
}

// Image pixels -> clip space. The viewport spans a whole frame of the image (see
// pipelines.cpp), not just the tile being drawn: every tile of a frame then rasterises the
// same window coordinates and clips at the same places, so tiles stitch sample-exactly.
vec4 image_to_clip(vec2 image) {
    return vec4((image - u_frame_origin) * u_ndc_scale + u_ndc_bias, 0.0, 1.0);
}

void main() {
    gl_Position = image_to_clip(map_to_image(a_position));
}
