#pragma once
// Text for labels and furniture: Noto fonts (Debian fonts-noto-core) rasterised with
// stb_truetype into a signed-distance-field atlas, laid out left to right in image pixels.
// A fallback chain covers Latin Extended (Azerbaijani ə ş ğ ı), Cyrillic and Armenian: each
// code point takes the first font that has a glyph for it, so nothing renders as a box
// while any Noto font has the letter.
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "map/draw_list.hpp"

namespace limes::map {

enum class Weight { Regular, Bold };

/** Extent of laid-out text in image pixels, relative to the pen origin on the baseline. */
struct TextBox {
    float width = 0.0f;
    float ascent = 0.0f;   ///< above the baseline (> 0)
    float descent = 0.0f;  ///< below the baseline (> 0)
};

class TextEngine {
  public:
    /** Loads the Noto fonts from font_dir (default: $LIMES_FONT_DIR, else
     *  /usr/share/fonts/truetype/noto). Throws core::IoError naming a missing font file. */
    explicit TextEngine(const std::string& font_dir = "");
    ~TextEngine();
    TextEngine(const TextEngine&) = delete;
    TextEngine& operator=(const TextEngine&) = delete;

    /** Size of utf8 at size_px (the font's em height in pixels). */
    TextBox measure(std::string_view utf8, float size_px, Weight weight = Weight::Regular);

    /** Appends one quad per visible glyph, pen starting at (x, baseline_y) in image pixels. */
    void layout(std::string_view utf8, float x, float baseline_y, float size_px, Rgba color,
                std::vector<GlyphQuad>& out, Weight weight = Weight::Regular,
                Rgba halo = {255, 255, 255, 0}, float halo_px = 0.0f);

    /** As above into out.glyphs, and the same text as TextRuns into out.texts (one per
     *  stretch that one font draws), for the vector backends: text stays text there. */
    void layout(std::string_view utf8, float x, float baseline_y, float size_px, Rgba color,
                Overlay& out, Weight weight = Weight::Regular, Rgba halo = {255, 255, 255, 0},
                float halo_px = 0.0f);

    /** True when some font of the chain has a real glyph (not .notdef) for code point cp. */
    bool has_glyph(char32_t cp) const;

    /** The atlas with every glyph laid out so far; a new version after new glyphs. */
    std::shared_ptr<const GlyphAtlas> atlas();

    /** Decodes UTF-8; invalid bytes become U+FFFD. */
    static std::u32string decode_utf8(std::string_view s);

  private:
    struct Face;
    struct Glyph {
        float u0, v0, u1, v1;  // atlas, 0..1
        float x_off, y_off;    // of the bitmap's top-left from the pen, at kSdfPx, pixels
        float w, h;            // bitmap size at kSdfPx, texels
        float advance;         // at kSdfPx, pixels
        bool empty;            // no bitmap (space)
    };
    const Glyph& glyph(char32_t cp, Weight weight);
    int face_for(char32_t cp, Weight weight, int* glyph_index) const;

    std::vector<std::unique_ptr<Face>> faces_;
    std::map<std::pair<int, int>, Glyph> glyphs_;  // (face, glyph index) -> glyph
    std::shared_ptr<GlyphAtlas> atlas_;
    std::shared_ptr<const GlyphAtlas> last_;
    bool atlas_dirty_ = true;
    int shelf_x_ = 0, shelf_y_ = 0, shelf_h_ = 0;
};

}  // namespace limes::map
