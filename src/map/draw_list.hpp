#pragma once
// What `map` hands to `render`: CPU draw lists in map units, like Dear ImGui's ImDrawData.
// Coordinates are in the map CRS (metres for the default Lambert conformal conic), stored as
// floats relative to DrawList::origin so that float precision holds at any map position
// (a float has ~7 digits: metres relative to a local origin, not absolute eastings).
// render only uploads and draws these; it knows nothing of layers, CRS or styles.
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace limes::map {

struct Vec2 {
    float x = 0.0f;
    float y = 0.0f;
};

/** 8-bit sRGB colour with straight (not premultiplied) alpha. */
struct Rgba {
    std::uint8_t r = 0, g = 0, b = 0, a = 255;
};

/** Filled triangles (a triangulated polygon layer), one colour per batch. */
struct FillBatch {
    std::vector<Vec2> vertices;          ///< map units relative to origin
    std::vector<std::uint32_t> indices;  ///< triangles: 3 indices each
    Rgba color;
    /** Hatching over the fill: 0 = none, else stripe spacing in pixels (45°, colour hatch). */
    float hatch_spacing_px = 0.0f;
    Rgba hatch;
    /** The map layer this batch draws ("countries", "claims"…): a vector briefing's PDF
     *  optional-content group and SVG group. The GL path ignores it. */
    std::string layer;
};

/** Polylines extruded to a pixel width in the shader; dashed when dash_px > 0. */
struct LineBatch {
    std::vector<std::vector<Vec2>> polylines;  ///< map units relative to origin
    Rgba color;
    float width_px = 1.0f;
    float dash_px = 0.0f;  ///< dash length in pixels; 0 = solid
    float gap_px = 0.0f;   ///< gap length in pixels
    std::string layer;     ///< the map layer this batch draws (see FillBatch::layer)
};

/** Symbol shapes for incidents: distinguishable by outline alone (greyscale print). */
enum class Shape : std::uint8_t { Circle, Square, Triangle, Diamond, Star, Cross, Disc };

/** How a symbol's inside and outline are drawn: what a status looks like (map/style.hpp). */
enum class SymbolFill : std::uint8_t {
    Solid,   ///< fill colour inside the outline band
    Hollow,  ///< a ring of the fill colour inside the outline band, the middle left empty
};

/** One instanced symbol at a map position, sized in pixels. */
struct Symbol {
    Vec2 position;      ///< map units relative to origin
    float size_px = 8;  ///< diameter in pixels
    Shape shape = Shape::Circle;
    Rgba fill;
    Rgba outline;
    float outline_px = 1.5f;  ///< width of the outline band, pixels (0..31; Disc has none)
    SymbolFill fill_style = SymbolFill::Solid;
    bool dashed = false;  ///< outline in dashes (white gaps) around the centre
    /** A thin white line inside the fill, following the outline (fatalities not stated); the
     *  centre keeps the fill colour. */
    bool inner_ring = false;
};

/** Glyphs as a signed distance field: 8 bits per texel, row 0 at the top. A texel holds
 *  edge_value (128) on the glyph outline, more inside, less outside, changing by
 *  value_per_texel per atlas texel of distance. One atlas serves all text of a DrawList; the
 *  renderer re-uploads it when `version` changes. */
struct GlyphAtlas {
    int width = 0;
    int height = 0;
    std::vector<std::uint8_t> sdf;  ///< width * height
    float edge_value = 128.0f;
    float value_per_texel = 32.0f;  ///< distance scale: 255 units span ~8 texels
    std::uint64_t version = 0;
};

/** A textured rectangle of the atlas (one glyph) in image pixels: x right, y down, origin
 *  at the image's top-left. The shader thresholds the SDF at the edge for the glyph and at
 *  halo_px further out for a halo behind it (0 = no halo). */
struct GlyphQuad {
    float x0 = 0, y0 = 0, x1 = 0, y1 = 0;  ///< image pixels
    float u0 = 0, v0 = 0, u1 = 0, v1 = 0;  ///< atlas coordinates 0..1, v down
    Rgba color;
    Rgba halo{255, 255, 255, 0};
    float halo_px = 0.0f;        ///< halo width in image pixels
    float texels_per_px = 1.0f;  ///< atlas texels per image pixel at this quad's size
};

/** Text as text, for the vector backends (PDF, SVG): one run per stretch of a string that one
 *  font draws, with every glyph where the GL path's quads put it. The GL path draws the
 *  GlyphQuads laid out alongside and ignores these. Positions in image pixels (x right, y down,
 *  origin at the image's top-left). */
struct TextRun {
    std::string utf8;                     ///< the stretch's text
    std::vector<std::uint32_t> glyphs;    ///< glyph index in font_file, one per code point
    std::vector<float> x;                 ///< pen x of each glyph, image pixels
    std::vector<std::uint8_t> bytes;      ///< UTF-8 bytes of each glyph's code point
    float baseline_y = 0.0f;              ///< image pixels
    float size_px = 12.0f;                ///< em height, image pixels
    Rgba color;
    Rgba halo{255, 255, 255, 0};
    float halo_px = 0.0f;   ///< halo width around the glyphs, image pixels; 0: none
    std::string font_file;  ///< the TrueType file the glyph indices are of
    std::string family;     ///< its family name ("Noto Sans Armenian"), for SVG
    bool bold = false;
    /** The map layer this text belongs to ("incidents" for a stack's or cluster's count);
     *  empty: the labels and furniture. */
    std::string layer;
};

/** Symbols [first, first + count) of a symbol list belong to a map layer, for the vector
 *  backends' groups: in DrawList::symbols those outside every span are "incidents"; in
 *  Overlay::symbols, furniture (labels, legend). */
struct SymbolSpan {
    std::size_t first = 0;
    std::size_t count = 0;
    std::string layer;
};

/** Furniture drawn after the map in image pixels (x right, y down, origin at the image's
 *  top-left), not moved by the view: labels, title, legend, scale bar, north arrow. Drawn in
 *  the order fills, lines, symbols, glyphs. */
struct Overlay {
    std::vector<FillBatch> fills;   ///< vertices in image pixels
    std::vector<LineBatch> lines;   ///< vertices in image pixels
    std::vector<Symbol> symbols;    ///< positions in image pixels (legend keys)
    std::vector<GlyphQuad> glyphs;  ///< text, last
    std::vector<TextRun> texts;     ///< the same text as runs (vector backends only)
    /** Symbols of a map layer among the furniture's (a stack's count badge: "incidents"). */
    std::vector<SymbolSpan> symbol_layers;
};


/** Marks the overlay's symbols from first_symbol and texts from first_text on as belonging to
 *  layer (what a count drawn on a map symbol is part of). */
inline void mark_layer(Overlay& o, std::size_t first_symbol, std::size_t first_text,
                       const std::string& layer) {
    if (o.symbols.size() > first_symbol)
        o.symbol_layers.push_back({first_symbol, o.symbols.size() - first_symbol, layer});
    for (std::size_t i = first_text; i < o.texts.size(); ++i) o.texts[i].layer = layer;
}

struct DrawList {
    double origin_x = 0.0;  ///< map CRS coordinates the Vec2s are relative to
    double origin_y = 0.0;
    Rgba background{236, 240, 243, 255};
    std::vector<FillBatch> fills;             ///< drawn first, in order
    std::vector<LineBatch> lines;             ///< then lines, in order
    std::vector<Symbol> symbols;              ///< then symbols, in order (later on top)
    std::vector<SymbolSpan> symbol_layers;    ///< which layer drew which symbols
    Overlay overlay;                          ///< then the furniture, in image pixels
    std::shared_ptr<const GlyphAtlas> atlas;  ///< for overlay.glyphs; may be null
};

/** The visible window: map CRS coordinates of the centre, scale, and the pixel size. */
struct View {
    double center_x = 0.0;  ///< map CRS units
    double center_y = 0.0;
    double units_per_pixel = 1.0;  ///< map units (metres) per pixel
    int width = 1920;              ///< pixels
    int height = 1080;
};

}  // namespace limes::map
