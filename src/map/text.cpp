#include "map/text.hpp"

#include <stb_truetype.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <tuple>

#include "core/error.hpp"

namespace limes::map {
namespace {

constexpr float kSdfPx = 40.0f;       // em height the SDF is rasterised at, pixels
constexpr int kPadding = 5;           // texels of distance field around each glyph
constexpr unsigned char kEdge = 128;  // SDF value on the outline
constexpr float kPerTexel = 25.0f;    // SDF units per texel of distance (5 texels ~ 125)
constexpr int kAtlasWidth = 1024;

std::vector<unsigned char> read_file(const std::string& path) {
    std::unique_ptr<std::FILE, int (*)(std::FILE*)> f(std::fopen(path.c_str(), "rb"), &std::fclose);
    if (!f) throw core::IoError(path, "cannot open font (package fonts-noto-core)");
    std::vector<unsigned char> data;
    unsigned char buf[1 << 16];
    std::size_t n;
    while ((n = std::fread(buf, 1, sizeof buf, f.get())) > 0) data.insert(data.end(), buf, buf + n);
    return data;
}

}  // namespace

struct TextEngine::Face {
    std::vector<unsigned char> data;
    std::string path;    // the font file, for the vector backends (TextRun::font_file)
    std::string family;  // "Noto Sans", "Noto Sans Armenian"

    stbtt_fontinfo info{};
    Weight weight = Weight::Regular;
    float scale = 1.0f;  // stb scale for kSdfPx em height
};

TextEngine::TextEngine(const std::string& font_dir) : atlas_(std::make_shared<GlyphAtlas>()) {
    std::string dir = font_dir;
    if (dir.empty()) {
        const char* env = std::getenv("LIMES_FONT_DIR");
        dir = env && *env ? env : "/usr/share/fonts/truetype/noto";
    }
    // Order is the fallback chain per weight: Latin/Cyrillic/Greek first, then Armenian.
    const std::tuple<const char*, Weight, const char*> files[] = {
        {"NotoSans-Regular.ttf", Weight::Regular, "Noto Sans"},
        {"NotoSansArmenian-Regular.ttf", Weight::Regular, "Noto Sans Armenian"},
        {"NotoSans-Bold.ttf", Weight::Bold, "Noto Sans"},
        {"NotoSansArmenian-Bold.ttf", Weight::Bold, "Noto Sans Armenian"},
    };
    for (auto [file, weight, family] : files) {
        auto face = std::make_unique<Face>();
        const std::string path = dir + "/" + file;
        face->path = path;
        face->family = family;
        face->data = read_file(path);
        if (!stbtt_InitFont(&face->info, face->data.data(),
                            stbtt_GetFontOffsetForIndex(face->data.data(), 0)))
            throw core::IoError(path, "not a TrueType font stb_truetype can read");
        face->weight = weight;
        face->scale = stbtt_ScaleForMappingEmToPixels(&face->info, kSdfPx);
        faces_.push_back(std::move(face));
    }
    atlas_->width = kAtlasWidth;
    // Big enough for Latin Extended, Cyrillic and Armenian in both weights (~600 glyphs of
    // ~35×50 texels); growth would leave quads laid out before it with stale v coordinates.
    atlas_->height = 2048;
    atlas_->sdf.assign(static_cast<std::size_t>(atlas_->width) * atlas_->height, 0);
    atlas_->edge_value = kEdge;
    atlas_->value_per_texel = kPerTexel;
}

TextEngine::~TextEngine() = default;

std::u32string TextEngine::decode_utf8(std::string_view s) {
    // RFC 3629: overlong forms, surrogates and values past U+10FFFF are invalid; each
    // maximal invalid sequence becomes one U+FFFD.
    std::u32string out;
    out.reserve(s.size());
    const auto* p = reinterpret_cast<const unsigned char*>(s.data());
    const std::size_t n = s.size();
    std::size_t i = 0;
    while (i < n) {
        const unsigned char c = p[i];
        if (c < 0x80) {
            out.push_back(c);
            ++i;
            continue;
        }
        int len = 0;
        char32_t cp = 0;
        unsigned char lo = 0x80, hi = 0xBF;  // allowed range of the second byte
        if (c >= 0xC2 && c <= 0xDF)
            len = 1, cp = c & 0x1F;
        else if (c >= 0xE0 && c <= 0xEF) {
            len = 2, cp = c & 0x0F;
            if (c == 0xE0) lo = 0xA0;
            if (c == 0xED) hi = 0x9F;  // no surrogates
        } else if (c >= 0xF0 && c <= 0xF4) {
            len = 3, cp = c & 0x07;
            if (c == 0xF0) lo = 0x90;
            if (c == 0xF4) hi = 0x8F;  // nothing past U+10FFFF
        }
        std::size_t k = 1;
        if (len > 0) {
            for (; k <= static_cast<std::size_t>(len) && i + k < n; ++k) {
                const unsigned char b = p[i + k];
                const unsigned char blo = k == 1 ? lo : 0x80, bhi = k == 1 ? hi : 0xBF;
                if (b < blo || b > bhi) break;
                cp = (cp << 6) | (b & 0x3F);
            }
        }
        if (len > 0 && k == static_cast<std::size_t>(len) + 1) {
            out.push_back(cp);
            i += k;
        } else {
            out.push_back(U'\uFFFD');
            i += std::max<std::size_t>(1, k);  // skip the lead and the valid continuations
        }
    }
    return out;
}

int TextEngine::face_for(char32_t cp, Weight weight, int* glyph_index) const {
    int first = -1;
    for (std::size_t f = 0; f < faces_.size(); ++f) {
        if (faces_[f]->weight != weight) continue;
        if (first < 0) first = static_cast<int>(f);
        const int g = stbtt_FindGlyphIndex(&faces_[f]->info, static_cast<int>(cp));
        if (g != 0) {
            *glyph_index = g;
            return static_cast<int>(f);
        }
    }
    *glyph_index = 0;  // .notdef of the first face: only when no font has the letter
    return first;
}

bool TextEngine::has_glyph(char32_t cp) const {
    int g = 0;
    face_for(cp, Weight::Regular, &g);
    return g != 0;
}

const TextEngine::Glyph& TextEngine::glyph(char32_t cp, Weight weight) {
    int index = 0;
    const int f = face_for(cp, weight, &index);
    const auto key = std::make_pair(f, index);
    if (auto it = glyphs_.find(key); it != glyphs_.end()) return it->second;
    const Face& face = *faces_[f];
    Glyph g{};
    int advance = 0, lsb = 0;
    stbtt_GetGlyphHMetrics(&face.info, index, &advance, &lsb);
    g.advance = advance * face.scale;
    int w = 0, h = 0, xoff = 0, yoff = 0;
    unsigned char* sdf = stbtt_GetGlyphSDF(&face.info, face.scale, index, kPadding, kEdge,
                                           kPerTexel, &w, &h, &xoff, &yoff);
    g.empty = sdf == nullptr || w == 0 || h == 0;
    if (!g.empty) {
        // Shelf packing: left to right, a new shelf when the row is full; the atlas grows
        // downwards (doubling) when full.
        if (shelf_x_ + w + 1 > atlas_->width) {
            shelf_y_ += shelf_h_ + 1;
            shelf_x_ = 0;
            shelf_h_ = 0;
        }
        while (shelf_y_ + h + 1 > atlas_->height) {
            atlas_->height *= 2;
            atlas_->sdf.resize(static_cast<std::size_t>(atlas_->width) * atlas_->height, 0);
            // Existing glyphs keep their texel positions; their v coordinates change.
            for (auto& [k, other] : glyphs_) {
                other.v0 /= 2;
                other.v1 /= 2;
            }
        }
        for (int row = 0; row < h; ++row)
            std::copy(sdf + row * w, sdf + row * w + w,
                      atlas_->sdf.begin() +
                          static_cast<long>((shelf_y_ + row) * atlas_->width + shelf_x_));
        g.u0 = float(shelf_x_) / atlas_->width;
        g.u1 = float(shelf_x_ + w) / atlas_->width;
        g.v0 = float(shelf_y_) / atlas_->height;
        g.v1 = float(shelf_y_ + h) / atlas_->height;
        g.x_off = float(xoff);
        g.y_off = float(yoff);
        g.w = float(w);
        g.h = float(h);
        shelf_x_ += w + 1;
        shelf_h_ = std::max(shelf_h_, h);
        atlas_dirty_ = true;
    }
    if (sdf) stbtt_FreeSDF(sdf, nullptr);
    return glyphs_.emplace(key, g).first->second;
}

TextBox TextEngine::measure(std::string_view utf8, float size_px, Weight weight) {
    TextBox box;
    const float k = size_px / kSdfPx;
    const Face& face = *faces_[weight == Weight::Bold ? 2 : 0];
    int ascent, descent, gap;
    stbtt_GetFontVMetrics(&face.info, &ascent, &descent, &gap);
    box.ascent = ascent * face.scale * k;
    box.descent = -descent * face.scale * k;
    for (char32_t cp : decode_utf8(utf8)) box.width += glyph(cp, weight).advance * k;
    return box;
}

void TextEngine::layout(std::string_view utf8, float x, float baseline_y, float size_px, Rgba color,
                        std::vector<GlyphQuad>& out, Weight weight, Rgba halo, float halo_px) {
    const float k = size_px / kSdfPx;  // image pixels per SDF pixel
    const std::u32string text = decode_utf8(utf8);
    // With a halo, every glyph's halo goes first and the glyphs after: a glyph's halo
    // drawn after its neighbour would paint over it where their boxes overlap ("ij").
    for (int pass = halo_px > 0 && halo.a > 0 ? 0 : 1; pass < 2; ++pass) {
        float pen = x;
        for (char32_t cp : text) {
            const Glyph& g = glyph(cp, weight);
            if (!g.empty) {
                GlyphQuad q;
                q.x0 = pen + g.x_off * k;
                q.y0 = baseline_y + g.y_off * k;
                q.x1 = q.x0 + g.w * k;
                q.y1 = q.y0 + g.h * k;
                q.u0 = g.u0, q.v0 = g.v0, q.u1 = g.u1, q.v1 = g.v1;
                q.color = pass == 0 ? halo : color;  // pass 0: the glyph grown by halo_px
                q.halo = halo;
                q.halo_px = pass == 0 ? halo_px : 0.0f;
                q.texels_per_px = 1.0f / k;
                out.push_back(q);
            }
            pen += g.advance * k;
        }
    }
}

void TextEngine::layout(std::string_view utf8, float x, float baseline_y, float size_px, Rgba color,
                        Overlay& out, Weight weight, Rgba halo, float halo_px) {
    layout(utf8, x, baseline_y, size_px, color, out.glyphs, weight, halo, halo_px);
    // The same pen walk as the quads: a new run wherever the fallback chain changes font.
    const float k = size_px / kSdfPx;
    float pen = x;
    int run_face = -2;
    for (char32_t cp : decode_utf8(utf8)) {
        // The code point again as UTF-8 (invalid input bytes became U+FFFD: valid here).
        std::string bytes;
        if (cp < 0x80) {
            bytes += static_cast<char>(cp);
        } else if (cp < 0x800) {
            bytes += static_cast<char>(0xC0 | (cp >> 6));
            bytes += static_cast<char>(0x80 | (cp & 0x3F));
        } else if (cp < 0x10000) {
            bytes += static_cast<char>(0xE0 | (cp >> 12));
            bytes += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
            bytes += static_cast<char>(0x80 | (cp & 0x3F));
        } else {
            bytes += static_cast<char>(0xF0 | (cp >> 18));
            bytes += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
            bytes += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
            bytes += static_cast<char>(0x80 | (cp & 0x3F));
        }
        int index = 0;
        const int f = face_for(cp, weight, &index);
        const Glyph& g = glyph(cp, weight);
        if (f != run_face) {
            TextRun run;
            run.baseline_y = baseline_y;
            run.size_px = size_px;
            run.color = color;
            run.halo = halo;
            run.halo_px = halo_px;
            run.font_file = faces_[f]->path;
            run.family = faces_[f]->family;
            run.bold = weight == Weight::Bold;
            out.texts.push_back(std::move(run));
            run_face = f;
        }
        TextRun& run = out.texts.back();
        run.utf8 += bytes;
        run.glyphs.push_back(static_cast<std::uint32_t>(index));
        run.x.push_back(pen);
        run.bytes.push_back(static_cast<std::uint8_t>(bytes.size()));
        pen += g.advance * k;
    }
}

std::shared_ptr<const GlyphAtlas> TextEngine::atlas() {
    if (atlas_dirty_) {
        // Hand out a snapshot: the renderer may hold the old one while we add glyphs.
        auto snapshot = std::make_shared<GlyphAtlas>(*atlas_);
        snapshot->version = ++atlas_->version;
        atlas_dirty_ = false;
        last_ = snapshot;
    }
    return last_;
}

}  // namespace limes::map
