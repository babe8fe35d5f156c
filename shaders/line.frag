#version 330 core
// Anti-aliased capsule around the segment (distance field, pixels), cut into dashes of
// u_dash pixels separated by u_gap pixels, measured along the whole polyline.
in vec2 v_image;
flat in vec2 v_start;
flat in vec2 v_end;
flat in float v_distance;

uniform vec4 u_color;           // straight alpha, 0..1
uniform float u_half_width;     // pixels (at least 0.5)
uniform float u_coverage_scale; // < 1 for lines thinner than a pixel: drawn fainter
uniform float u_dash;           // pixels; 0 = solid
uniform float u_gap;            // pixels

out vec4 o_color;

void main() {
    vec2 ab = v_end - v_start;
    float len = length(ab);
    vec2 dir = len > 1e-6 ? ab / len : vec2(1.0, 0.0);
    vec2 ap = v_image - v_start;
    float along = dot(ap, dir);  // pixels from the segment start, unclamped
    float dist = length(ap - dir * clamp(along, 0.0, len));
    float coverage = clamp(u_half_width + 0.5 - dist, 0.0, 1.0) * u_coverage_scale;

    if (u_dash > 0.0) {
        float period = u_dash + u_gap;
        float m = mod(v_distance + along, period);  // 0..u_dash is inside a dash
        float inside = m < u_dash ? min(m, u_dash - m) : -min(m - u_dash, period - m);
        coverage *= clamp(0.5 + inside, 0.0, 1.0);
    }
    if (coverage <= 0.0) discard;
    o_color = vec4(u_color.rgb, u_color.a * coverage);
}
