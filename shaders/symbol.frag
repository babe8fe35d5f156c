#version 330 core
// Symbol shapes as signed distance functions (pixels, negative inside; after Inigo Quilez's
// 2D distance functions), each fitting a circle of diameter size_px. Filled with the fill
// colour inside a band of the outline colour (v_outline_px wide); Disc is a plain disc of the
// fill colour. Hollow (style bit 0): only a ring of the fill colour inside the band, the middle
// empty. Dashed (bit 1): the band in dashes around the centre, the gaps white. Inner ring
// (bit 2): a thin white line inside the fill along the outline, the middle keeps the fill.
in vec2 v_local;          // pixels from the centre, y up
flat in float v_radius;   // pixels
flat in uint v_shape;
flat in float v_outline_px;
flat in uint v_style;
flat in vec4 v_fill;      // straight alpha
flat in vec4 v_outline;

out vec4 o_color;

const float PI = 3.14159265;
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

// Distance from the centre to the nearest edge of the shape, as a fraction of its radius.
float inradius_factor() {
    if (v_shape == TRIANGLE) return 0.5;
    if (v_shape == DIAMOND) return 0.7071068;
    if (v_shape == STAR) return 0.4;
    if (v_shape == CROSS) return 0.36;
    return 1.0;  // CIRCLE, SQUARE
}

void main() {
    float d = shape_distance(v_local, v_radius);
    float coverage = clamp(0.5 - d, 0.0, 1.0);
    vec4 fill = vec4(v_fill.rgb * v_fill.a, v_fill.a);
    vec4 outline = vec4(v_outline.rgb * v_outline.a, v_outline.a);
    vec4 c;
    if (v_shape == DISC) {
        c = fill * coverage;
    } else {
        // 1 well inside the outline band, 0 in it.
        float inner = clamp(0.5 - (d + v_outline_px), 0.0, 1.0);
        if ((v_style & 2u) != 0u) {
            // Dashes of about 2.5 band widths (at least 3 px), a whole number around, each
            // 60 % dash and 40 % gap, anti-aliased over a pixel of arc.
            float around = 2.0 * PI * v_radius;
            float n = max(4.0, floor(around / max(3.0, 2.5 * v_outline_px)));
            float t = fract((atan(v_local.y, v_local.x) / (2.0 * PI) + 0.25) * n);
            float px_per_t = around / n;
            float on = clamp(min(t, 0.6 - t) * px_per_t + 0.5, 0.0, 1.0);
            // Gaps white: a shape keeps a closed edge, and the dashes read as dashes.
            outline = mix(vec4(1.0), outline, on);
        }
        c = mix(outline, fill, inner);
        if ((v_style & 1u) != 0u) {
            // A ring of the fill colour a fifth of the radius wide (at least 1.5 px) inside
            // the band, the middle empty.
            float ring = max(1.5, 0.2 * v_radius);
            float hole = clamp(0.5 - (d + v_outline_px + ring), 0.0, 1.0);
            c *= 1.0 - hole;
        }
        if ((v_style & 4u) != 0u) {
            // The fill runs from the band (depth v_outline_px) to the shape's deepest point
            // (its inradius); the line lies 45 % of the way in, about 1 px wide, where the
            // fill is deep enough (2.5 px) to show both it and a middle of fill colour.
            float inradius = v_radius * inradius_factor();
            float depth = inradius - v_outline_px;
            if (depth >= 2.5) {
                float at = -(v_outline_px + 0.45 * depth);
                float half_w = 0.5 * max(1.0, 0.1 * inradius);
                float line = clamp(half_w + 0.5 - abs(d - at), 0.0, 1.0);
                c = mix(c, vec4(1.0), line);
            }
        }
        c *= coverage;  // premultiplied
    }
    if (c.a <= 0.0) discard;
    o_color = vec4(c.rgb / c.a, c.a);
}
