#version 330 core
// Fill colour, optionally with 45° hatching ("/" stripes in the image) over it. The stripes
// are laid out in image pixels (not tile pixels), so tiles stitch seamlessly.
uniform vec4 u_color;           // straight alpha, 0..1
uniform vec4 u_hatch;           // straight alpha, 0..1
uniform float u_hatch_spacing;  // pixels between stripe centres, measured across; 0 = none
uniform float u_hatch_width;    // stripe width, pixels
uniform vec2 u_frag_scale;      // gl_FragCoord.xy * scale + bias = image pixels (y down)
uniform vec2 u_frag_bias;

out vec4 o_color;

void main() {
    vec4 c = vec4(u_color.rgb * u_color.a, u_color.a);  // premultiplied while compositing
    if (u_hatch_spacing > 0.0) {
        vec2 image = gl_FragCoord.xy * u_frag_scale + u_frag_bias;
        float across = mod((image.x + image.y) * 0.70710678, u_hatch_spacing);
        float dist = min(across, u_hatch_spacing - across);  // to the nearest stripe centre
        float coverage = clamp(0.5 * u_hatch_width + 0.5 - dist, 0.0, 1.0);
        vec4 h = vec4(u_hatch.rgb * u_hatch.a, u_hatch.a) * coverage;
        c = h + c * (1.0 - h.a);  // hatch over fill
    }
    if (c.a <= 0.0) discard;
    o_color = vec4(c.rgb / c.a, c.a);  // back to straight alpha for the blend stage
}
