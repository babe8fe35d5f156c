// SVG 1.1 written as XML text: SVG has no well-kept writer library in Debian that keeps text
// as <text> (cairo's SVG surface draws glyphs as paths, which readers cannot search or
// select). One <g> per group, marked as an Inkscape layer; text as <text> with a position for
// every glyph (where the GL path puts it) and the Noto fonts it uses embedded as @font-face,
// subset by HarfBuzz to the letters the briefing uses (a few kB instead of 500 kB a font).
#include <hb-subset.h>
#include <hb.h>

#include <cmath>
#include <cstdio>
#include <fstream>
#include <iterator>
#include <map>
#include <set>
#include <sstream>

#include "core/error.hpp"
#include "geo/formats/safe_output.hpp"
#include "vector/output.hpp"
#include "vector/paint.hpp"
#include "vector/xml_text.hpp"

namespace limes::vector {
namespace {

std::string hex(map::Rgba c) {
    char b[8];
    std::snprintf(b, sizeof b, "#%02x%02x%02x", c.r, c.g, c.b);
    return b;
}

std::string num(double v) {
    char b[32];
    std::snprintf(b, sizeof b, "%.2f", v);
    std::string s = b;
    while (!s.empty() && s.back() == '0') s.pop_back();
    if (!s.empty() && s.back() == '.') s.pop_back();
    return s == "-0" ? "0" : s;
}

std::string d_of(const Path& p) {
    std::string d;
    for (const auto& s : p.subs) {
        for (std::size_t i = 0; i < s.points.size(); ++i)
            d += (i == 0 ? "M" : "L") + num(s.points[i].x) + " " + num(s.points[i].y);
        if (s.closed) d += "Z";
    }
    return d;
}

std::string base64(const std::string& in) {
    static const char* t = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    std::string out;
    std::size_t i = 0;
    for (; i + 2 < in.size(); i += 3) {
        const unsigned v = (unsigned char)in[i] << 16 | (unsigned char)in[i + 1] << 8 | (unsigned char)in[i + 2];
        out += {t[v >> 18], t[(v >> 12) & 63], t[(v >> 6) & 63], t[v & 63]};
    }
    if (i + 1 == in.size()) {
        const unsigned v = (unsigned char)in[i] << 16;
        out += {t[v >> 18], t[(v >> 12) & 63], '=', '='};
    } else if (i + 2 == in.size()) {
        const unsigned v = (unsigned char)in[i] << 16 | (unsigned char)in[i + 1] << 8;
        out += {t[v >> 18], t[(v >> 12) & 63], t[(v >> 6) & 63], '='};
    }
    return out;
}

// The code points of UTF-8 text (runs are valid UTF-8: TextEngine re-encodes what it decoded).
void add_code_points(const std::string& utf8, std::set<std::uint32_t>& out) {
    for (std::size_t i = 0; i < utf8.size();) {
        const auto c = static_cast<unsigned char>(utf8[i]);
        const int len = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
        std::uint32_t cp = len == 1 ? c : len == 2 ? c & 0x1F : len == 3 ? c & 0x0F : c & 0x07;
        for (int k = 1; k < len && i + k < utf8.size(); ++k)
            cp = (cp << 6) | (static_cast<unsigned char>(utf8[i + k]) & 0x3F);
        out.insert(cp);
        i += len;
    }
}

// font_file cut down to code_points (their glyphs, and what those need: composites, layout
// tables); the whole file when HarfBuzz cannot subset it.
std::string subset_font(const std::string& font_file, const std::set<std::uint32_t>& code_points) {
    std::ifstream f(font_file, std::ios::binary);
    const std::string data((std::istreambuf_iterator<char>(f)), {});
    if (data.empty()) throw core::IoError(font_file, "cannot read font to embed");
    hb_blob_t* blob = hb_blob_create(data.data(), static_cast<unsigned>(data.size()),
                                     HB_MEMORY_MODE_READONLY, nullptr, nullptr);
    hb_face_t* face = hb_face_create(blob, 0);
    hb_subset_input_t* input = hb_subset_input_create_or_fail();
    std::string out = data;
    if (input) {
        hb_set_t* unicodes = hb_subset_input_unicode_set(input);
        for (std::uint32_t cp : code_points) hb_set_add(unicodes, cp);
        if (hb_face_t* sub = hb_subset_or_fail(face, input)) {
            hb_blob_t* sub_blob = hb_face_reference_blob(sub);
            unsigned length = 0;
            const char* bytes = hb_blob_get_data(sub_blob, &length);
            if (bytes && length > 0) out.assign(bytes, length);
            hb_blob_destroy(sub_blob);
            hb_face_destroy(sub);
        }
        hb_subset_input_destroy(input);
    }
    hb_face_destroy(face);
    hb_blob_destroy(blob);
    return out;
}

class SvgCanvas : public Canvas {
  public:
    explicit SvgCanvas(std::ostream& out) : out_(out) {}
    void begin_group(const std::string& id, const std::string& title, bool) override {
        out_ << "<g id=\"" << xml_escape(id) << "\" inkscape:groupmode=\"layer\" inkscape:label=\""
             << xml_escape(title) << "\">\n";
    }
    void end_group() override { out_ << "</g>\n"; }
    void fill(const Path& path, map::Rgba c, bool even_odd) override {
        if (path.empty() || c.a == 0) return;
        out_ << "<path d=\"" << d_of(path) << "\" fill=\"" << hex(c) << "\"";
        if (c.a < 255) out_ << " fill-opacity=\"" << num(c.a / 255.0) << "\"";
        if (even_odd) out_ << " fill-rule=\"evenodd\"";
        out_ << "/>\n";
    }
    void stroke(const Path& path, map::Rgba c, float width, float dash, float gap) override {
        if (path.empty() || c.a == 0) return;
        out_ << "<path d=\"" << d_of(path) << "\" fill=\"none\" stroke=\"" << hex(c)
             << "\" stroke-width=\"" << num(width) << "\" stroke-linejoin=\"round\"";
        if (c.a < 255) out_ << " stroke-opacity=\"" << num(c.a / 255.0) << "\"";
        if (dash > 0)
            out_ << " stroke-dasharray=\"" << num(dash) << " " << num(gap) << "\"";
        else
            out_ << " stroke-linecap=\"round\"";
        out_ << "/>\n";
    }
    void push_clip(const Path& path) override {
        const std::string id = "clip" + std::to_string(++clips_);
        out_ << "<clipPath id=\"" << id << "\"><path d=\"" << d_of(path) << "\"/></clipPath>\n"
             << "<g clip-path=\"url(#" << id << ")\">\n";
    }
    void pop_clip() override { out_ << "</g>\n"; }
    void push_offset(float dx, float dy) override {
        out_ << "<g transform=\"translate(" << num(dx) << " " << num(dy) << ")\">\n";
    }
    void pop_offset() override { out_ << "</g>\n"; }
    void text(const map::TextRun& run) override {
        if (run.glyphs.empty()) return;
        add_code_points(run.utf8, fonts_[{run.font_file, run.family + (run.bold ? "|bold" : "")}]);
        out_ << "<text x=\"";
        for (std::size_t i = 0; i < run.x.size(); ++i) out_ << (i ? " " : "") << num(run.x[i]);
        out_ << "\" y=\"" << num(run.baseline_y) << "\" font-family=\"'" << xml_escape(run.family)
             << "', sans-serif\" font-size=\"" << num(run.size_px) << "\"";
        if (run.bold) out_ << " font-weight=\"bold\"";
        out_ << " fill=\"" << hex(run.color) << "\"";
        if (run.color.a < 255) out_ << " fill-opacity=\"" << num(run.color.a / 255.0) << "\"";
        if (run.halo_px > 0 && run.halo.a > 0)
            out_ << " stroke=\"" << hex(run.halo) << "\" stroke-width=\"" << num(2 * run.halo_px)
                 << "\" stroke-linejoin=\"round\" paint-order=\"stroke\"";
        out_ << " xml:space=\"preserve\">" << xml_escape(run.utf8) << "</text>\n";
    }
    /** (font file, "family" or "family|bold") of every run drawn, and the code points drawn
     *  with it. */
    const std::map<std::pair<std::string, std::string>, std::set<std::uint32_t>>& fonts() const {
        return fonts_;
    }

  private:
    std::ostream& out_;
    int clips_ = 0;
    std::map<std::pair<std::string, std::string>, std::set<std::uint32_t>> fonts_;
};

}  // namespace

void write_svg(const std::vector<Panel>& panels, const map::Overlay& frame, int width, int height,
               const Page& page, const std::string& path) {
    std::ostringstream body;
    SvgCanvas canvas(body);
    paint(panels, frame, width, height, canvas);
    geo::write_file_atomically(path, [&](std::ostream& out) {
        out << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
            << "<svg xmlns=\"http://www.w3.org/2000/svg\" "
               "xmlns:inkscape=\"http://www.inkscape.org/namespaces/inkscape\" version=\"1.1\" "
            << "width=\"" << num(page.width_pt) << "pt\" height=\"" << num(page.height_pt)
            << "pt\" viewBox=\"0 0 " << num(page.width_pt) << " " << num(page.height_pt) << "\">\n"
            << "<title>" << xml_escape(page.title) << "</title>\n";
        // The fonts the text uses, subset to its letters (SVG readers take TrueType data
        // URLs), so the briefing looks the same on a machine without Noto.
        if (!canvas.fonts().empty()) {
            out << "<defs><style type=\"text/css\"><![CDATA[\n";
            for (const auto& [font, code_points] : canvas.fonts()) {
                const auto& [file, family] = font;
                const std::string data = subset_font(file, code_points);
                const bool bold = family.size() > 5 && family.compare(family.size() - 5, 5, "|bold") == 0;
                out << "@font-face { font-family: '" << family.substr(0, family.find('|'))
                    << "'; font-weight: " << (bold ? "bold" : "normal")
                    << "; src: url(data:font/ttf;base64," << base64(data) << ") format('truetype'); }\n";
            }
            out << "]]></style></defs>\n";
        }
        out << "<g transform=\"translate(" << num(page.offset_x_pt) << " " << num(page.offset_y_pt)
            << ") scale(" << page.pt_per_px << ")\">\n"
            << body.str() << "</g>\n</svg>\n";
    });
}

}  // namespace limes::vector
