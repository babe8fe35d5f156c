#version 330 core
// Glyph from an 8-bit signed distance field, anti-aliased over one image pixel, with an
// optional halo behind it. The atlas stores edge_value on the outline, more inside, changing
// by value_per_texel per atlas texel, so the distance to the outline in image pixels is
//   d = (sdf - edge_value) / value_per_texel / texels_per_px      (> 0 inside the glyph)
// glyph coverage = smoothstep(-0.5, 0.5, d), halo coverage = smoothstep(-0.5, 0.5, d + halo_px)
// (halo_px further out; none when halo_px is 0), glyph composited over halo here.
in vec2 v_uv;
flat in vec4 v_color;           // straight alpha
flat in vec4 v_halo;            // straight alpha
flat in float v_halo_px;        // image pixels
flat in float v_texels_per_px;  // atlas texels per image pixel

uniform sampler2D u_atlas;        // GL_R8, linear, clamped: .r = sdf / 255
uniform float u_edge_value;       // sdf units (0..255) on the outline
uniform float u_value_per_texel;  // sdf units per atlas texel of distance

out vec4 o_color;

void main() {
    float sdf = texture(u_atlas, v_uv).r * 255.0;
    float d = (sdf - u_edge_value) / u_value_per_texel / v_texels_per_px;  // image pixels
    float glyph = smoothstep(-0.5, 0.5, d);
    float halo = v_halo_px > 0.0 ? smoothstep(-0.5, 0.5, d + v_halo_px) : 0.0;
    vec4 g = vec4(v_color.rgb * v_color.a, v_color.a) * glyph;  // premultiplied
    vec4 h = vec4(v_halo.rgb * v_halo.a, v_halo.a) * halo;
    vec4 c = g + h * (1.0 - g.a);  // glyph over halo
    if (c.a <= 0.0) discard;
    o_color = vec4(c.rgb / c.a, c.a);  // straight alpha for the blend stage
}
