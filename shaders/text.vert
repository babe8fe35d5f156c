#version 330 core
// One glyph per instance: a quad in image pixels (x right, y down, origin at the top-left of
// the whole image; the view does not move it) sampling the signed distance field atlas.
// Vertex i of the 4-vertex triangle strip picks the corner: bit 0 -> x0 | x1, bit 1 -> y0 | y1.
layout(location = 0) in vec4 a_rect;     // x0, y0, x1, y1: image pixels
layout(location = 1) in vec4 a_uv;       // u0, v0, u1, v1: atlas 0..1, v down (row 0 on top)
layout(location = 2) in vec4 a_color;    // straight alpha, normalised from bytes
layout(location = 3) in vec4 a_halo;     // straight alpha
layout(location = 4) in vec2 a_metrics;  // halo width in image pixels, atlas texels per pixel

uniform vec2 u_frame_origin;  // top-left corner of the viewport's frame, image pixels
uniform vec2 u_ndc_scale;     // frame pixels -> NDC
uniform vec2 u_ndc_bias;

out vec2 v_uv;                 // atlas coordinates, v down
flat out vec4 v_color;
flat out vec4 v_halo;
flat out float v_halo_px;      // image pixels
flat out float v_texels_per_px;

// Image pixels -> clip space, the frame-wide viewport of fill.vert (tiles stitch exactly).
vec4 image_to_clip(vec2 image) {
    return vec4((image - u_frame_origin) * u_ndc_scale + u_ndc_bias, 0.0, 1.0);
}

void main() {
    vec2 corner = vec2(float(gl_VertexID & 1), float(gl_VertexID >> 1));  // 0..1, y down
    v_uv = mix(a_uv.xy, a_uv.zw, corner);
    v_color = a_color;
    v_halo = a_halo;
    v_halo_px = a_metrics.x;
    v_texels_per_px = a_metrics.y;
    gl_Position = image_to_clip(mix(a_rect.xy, a_rect.zw, corner));
}
