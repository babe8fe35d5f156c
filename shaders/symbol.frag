#version 330 core
// Symbol shapes as signed distance functions (pixels, negative inside; after Inigo Quilez's
// 2D distance functions), each fitting a circle of diameter size_px. Filled with the fill
// colour inside a 1.5 px band of the outline colour; Disc is a plain disc of the fill colour.
in vec2 v_local;          // pixels from the centre, y up
flat in float v_radius;   // pixels
flat in uint v_shape;
flat in vec4 v_fill;      // straight alpha
flat in vec4 v_outline;

out vec4 o_color;

const float OUTLINE_PX = 1.5;
// map::Shape
const uint CIRCLE = 0u, SQUARE = 1u, TRIANGLE = 2u, DIAMOND = 3u, STAR = 4u, CROSS = 5u,
           DISC = 6u;

float sd_box(vec2 p, vec2 half_size) {
    vec2 d = abs(p) - half_size;
    return length(max(d, 0.0)) + min(max(d.x, d.y), 0.0);
}

// Equilateral triangle pointing up, centroid at the origin, half side length r.
float sd_triangle(vec2 p, float r) {
    const float k = 1.7320508;
    p.x = abs(p.x) - r;
    p.y = p.y + r / k;
    if (p.x + k * p.y > 0.0) p = vec2(p.x - k * p.y, -k * p.x - p.y) / 2.0;
    p.x -= clamp(p.x, -2.0 * r, 0.0);
    return -length(p) * sign(p.y);
}

// Five-pointed star pointing up: outer radius r, inner radius ratio rf.
float sd_star5(vec2 p, float r, float rf) {
    const vec2 k1 = vec2(0.809016994375, -0.587785252292);
    const vec2 k2 = vec2(-k1.x, k1.y);
    p.x = abs(p.x);
    p -= 2.0 * max(dot(k1, p), 0.0) * k1;
    p -= 2.0 * max(dot(k2, p), 0.0) * k2;
    p.x = abs(p.x);
    p.y -= r;
    vec2 ba = rf * vec2(-k1.y, k1.x) - vec2(0.0, 1.0);
    float h = clamp(dot(p, ba) / dot(ba, ba), 0.0, r);
    return length(p - ba * h) * sign(p.y * ba.x - p.x * ba.y);
}

// Upright cross ("+"): arms of half length b.x and half thickness b.y.
float sd_cross(vec2 p, vec2 b) {
    p = abs(p);
    p = (p.y > p.x) ? p.yx : p.xy;
    vec2 q = p - b;
    float k = max(q.y, q.x);
    vec2 w = (k > 0.0) ? q : vec2(b.y - p.x, -k);
    return sign(k) * length(max(w, 0.0));
}

float shape_distance(vec2 p, float r) {
    if (v_shape == SQUARE) return sd_box(p, vec2(r));
    if (v_shape == TRIANGLE) return sd_triangle(p, r * 0.8660254);  // circumradius r
    if (v_shape == DIAMOND) return (abs(p.x) + abs(p.y) - r) * 0.70710678;
    if (v_shape == STAR) return sd_star5(p, r, 0.5);
    if (v_shape == CROSS) return sd_cross(p, vec2(r, 0.36 * r));
    return length(p) - r;  // CIRCLE, DISC
}

void main() {
    float d = shape_distance(v_local, v_radius);
    float coverage = clamp(0.5 - d, 0.0, 1.0);
    // 1 well inside the outline band, 0 in it; Disc has no outline.
    float inner = v_shape == DISC ? 1.0 : clamp(0.5 - (d + OUTLINE_PX), 0.0, 1.0);
    vec4 fill = vec4(v_fill.rgb * v_fill.a, v_fill.a);
    vec4 outline = vec4(v_outline.rgb * v_outline.a, v_outline.a);
    vec4 c = mix(outline, fill, inner) * coverage;  // premultiplied
    if (c.a <= 0.0) discard;
    o_color = vec4(c.rgb / c.a, c.a);
}
