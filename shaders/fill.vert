#version 330 core
// Filled triangles of a FillBatch, of the map layers or of the overlay.
// Layer units -> image pixels (x right, y down, origin at the image's top-left corner):
//   map:     image = (p + origin - center) / units_per_pixel, y negated, + (width/2, height/2)
//   overlay: image = p (positions are image pixels already; the view does not move them)
// then frame pixels -> clip space (u_ndc_scale/bias also pick the row order).
layout(location = 0) in vec2 a_position;  // map units rel. to origin (y up) or overlay px (y down)

uniform vec2 u_offset;        // map: origin - view centre, map units; overlay: 0
uniform vec2 u_scale;         // image pixels per unit: map (1/upp, -1/upp), overlay (1, 1)
uniform vec2 u_image_center;  // map: (width/2, height/2) pixels; overlay: (0, 0)
uniform vec2 u_frame_origin;  // top-left corner of the viewport's frame, image pixels
uniform vec2 u_ndc_scale;     // frame pixels -> NDC
uniform vec2 u_ndc_bias;

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
    gl_Position = image_to_clip(layer_to_image(a_position));
}
