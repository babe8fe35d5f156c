// PDF through cairo (one single-page PDF per layer) assembled by GDAL's PDF composition
// (https://gdal.org/drivers/raster/pdf.html#pdf-composition): each layer's page placed inside
// an optional-content group, the page georeferenced by four control points at the map's
// corners. cairo keeps text as text with subset TrueType fonts; GDAL copies those pages' objects
// as they are.
#include <cairo-ft.h>
#include <cairo-pdf.h>
#include <cairo.h>
#include <ft2build.h>
#include FT_FREETYPE_H
#include <cpl_error.h>
#include <gdal.h>

#include <cmath>
#include <cstdio>
#include <fstream>
#include <map>
#include <memory>
#include <mutex>
#include <sstream>

#include "core/error.hpp"
#include "geo/formats/gdal_util.hpp"
#include "geo/formats/safe_output.hpp"
#include "vector/output.hpp"
#include "vector/paint.hpp"
#include "vector/xml_text.hpp"

namespace limes::vector {
namespace {

// The cairo font face of a font file (a FreeType face), made once per process and
// kept. cairo keeps a font face, and the scaled fonts made from it, in caches of its own past
// cairo_font_face_destroy, and an FT_Face lives only as long as its FT_Library: a library
// freed at the end of one PDF took with it faces that cairo's caches still used in the next
// render of the same process (a crash in FT_Set_Transform from cairo_show_text_glyphs, the
// second of two renders in one test process, about one run in three). Kept, neither can go
// before the other. A mutex: a process may write two documents at once.
cairo_font_face_t* font_face(const std::string& file) {
    static std::mutex mutex;
    static std::map<std::string, cairo_font_face_t*> faces;
    static FT_Library lib = nullptr;
    std::lock_guard<std::mutex> lock(mutex);
    if (auto it = faces.find(file); it != faces.end()) return it->second;
    if (!lib && FT_Init_FreeType(&lib)) {
        lib = nullptr;
        throw core::IoError("FreeType", "cannot initialise");
    }
    FT_Face ft = nullptr;
    if (FT_New_Face(lib, file.c_str(), 0, &ft))
        throw core::IoError(file, "cannot open font (package fonts-noto-core)");
    cairo_font_face_t* f = cairo_ft_font_face_create_for_ft_face(ft, 0);
    // Should cairo ever let the face go, the FT_Face goes with it.
    static const cairo_user_data_key_t key{};
    cairo_font_face_set_user_data(f, &key, ft,
                                  [](void* p) { FT_Done_Face(static_cast<FT_Face>(p)); });
    faces[file] = f;
    return f;
}

void set_color(cairo_t* cr, map::Rgba c) {
    cairo_set_source_rgba(cr, c.r / 255.0, c.g / 255.0, c.b / 255.0, c.a / 255.0);
}

void add_path(cairo_t* cr, const Path& p) {
    cairo_new_path(cr);
    for (const auto& s : p.subs) {
        if (s.points.empty()) continue;
        cairo_move_to(cr, s.points[0].x, s.points[0].y);
        for (std::size_t i = 1; i < s.points.size(); ++i) cairo_line_to(cr, s.points[i].x, s.points[i].y);
        if (s.closed) cairo_close_path(cr);
    }
}

// Draws onto one cairo context whose user space is image pixels.
class CairoCanvas : public Canvas {
  public:
    explicit CairoCanvas(cairo_t* cr) : cr_(cr) {}
    void begin_group(const std::string&, const std::string&, bool) override {}
    void end_group() override {}
    void fill(const Path& path, map::Rgba color, bool even_odd) override {
        add_path(cr_, path);
        cairo_set_fill_rule(cr_, even_odd ? CAIRO_FILL_RULE_EVEN_ODD : CAIRO_FILL_RULE_WINDING);
        set_color(cr_, color);
        cairo_fill(cr_);
    }
    void stroke(const Path& path, map::Rgba color, float width, float dash, float gap) override {
        add_path(cr_, path);
        set_color(cr_, color);
        cairo_set_line_width(cr_, width);
        cairo_set_line_join(cr_, CAIRO_LINE_JOIN_ROUND);
        cairo_set_line_cap(cr_, CAIRO_LINE_CAP_ROUND);
        if (dash > 0) {
            const double d[2] = {dash, gap};
            cairo_set_dash(cr_, d, 2, 0);
            cairo_set_line_cap(cr_, CAIRO_LINE_CAP_BUTT);
        }
        cairo_stroke(cr_);
        cairo_set_dash(cr_, nullptr, 0, 0);
    }
    void push_clip(const Path& path) override {
        cairo_save(cr_);
        add_path(cr_, path);
        cairo_set_fill_rule(cr_, CAIRO_FILL_RULE_WINDING);
        cairo_clip(cr_);
    }
    void pop_clip() override { cairo_restore(cr_); }
    void push_offset(float dx, float dy) override {
        cairo_save(cr_);
        cairo_translate(cr_, dx, dy);
    }
    void pop_offset() override { cairo_restore(cr_); }
    void text(const map::TextRun& run) override {
        if (run.glyphs.empty()) return;
        cairo_set_font_face(cr_, font_face(run.font_file));
        cairo_set_font_size(cr_, run.size_px);
        std::vector<cairo_glyph_t> glyphs(run.glyphs.size());
        std::vector<cairo_text_cluster_t> clusters(run.glyphs.size());
        for (std::size_t i = 0; i < glyphs.size(); ++i) {
            glyphs[i] = {run.glyphs[i], run.x[i], run.baseline_y};
            clusters[i] = {run.bytes[i], 1};
        }
        if (run.halo_px > 0 && run.halo.a > 0) {
            cairo_new_path(cr_);
            cairo_glyph_path(cr_, glyphs.data(), static_cast<int>(glyphs.size()));
            set_color(cr_, run.halo);
            cairo_set_line_width(cr_, 2.0 * run.halo_px);
            cairo_set_line_join(cr_, CAIRO_LINE_JOIN_ROUND);
            cairo_stroke(cr_);
        }
        set_color(cr_, run.color);
        // Glyphs with their text (clusters): readers extract and search the real string.
        cairo_show_text_glyphs(cr_, run.utf8.data(), static_cast<int>(run.utf8.size()),
                               glyphs.data(), static_cast<int>(glyphs.size()), clusters.data(),
                               static_cast<int>(clusters.size()), cairo_text_cluster_flags_t(0));
    }

  private:
    cairo_t* cr_;
};

// One group's single-page PDF at file.
void write_group_pdf(const std::vector<Panel>& panels, const map::Overlay& frame, int width,
                     int height, const Page& page, const std::string& group,
                     const std::string& file) {
    cairo_surface_t* s = cairo_pdf_surface_create(file.c_str(), page.width_pt, page.height_pt);
    cairo_t* cr = cairo_create(s);
    cairo_translate(cr, page.offset_x_pt, page.offset_y_pt);
    cairo_scale(cr, page.pt_per_px, page.pt_per_px);
    cairo_font_options_t* fo = cairo_font_options_create();
    // Unhinted metrics: advances as the GL path's (stb_truetype, unhinted).
    cairo_font_options_set_hint_metrics(fo, CAIRO_HINT_METRICS_OFF);
    cairo_font_options_set_hint_style(fo, CAIRO_HINT_STYLE_NONE);
    cairo_set_font_options(cr, fo);
    cairo_font_options_destroy(fo);
    CairoCanvas canvas(cr);
    paint(panels, frame, width, height, canvas, group);
    const cairo_status_t st = cairo_status(cr);
    cairo_destroy(cr);
    cairo_surface_finish(s);
    const cairo_status_t sst = cairo_surface_status(s);
    cairo_surface_destroy(s);
    if (st != CAIRO_STATUS_SUCCESS || sst != CAIRO_STATUS_SUCCESS)
        throw core::IoError(file, std::string("cairo: ") +
                                      cairo_status_to_string(st != CAIRO_STATUS_SUCCESS ? st : sst));
}

}  // namespace

void write_pdf(const std::vector<Panel>& panels, const std::vector<PageGeoref>& geos,
               const map::Overlay& frame, int width, int height, const Page& page,
               const std::string& path) {
    const geo::StagingDir stage(path);
    const std::vector<GroupInfo> groups = groups_of(panels, frame);
    // GDAL's composition: a layer tree of the optional groups, the page with its
    // georeferencing, and each group's page inside "if this layer is on".
    std::ostringstream xml;
    xml.precision(17);
    xml << "<PDFComposition>\n<Metadata><Title>" << xml_escape(page.title)
        << "</Title><Creator>limes</Creator></Metadata>\n<LayerTree displayOnlyOnVisiblePages=\"false\">\n";
    for (const auto& g : groups)
        if (g.id != "frame" && g.id != "background")
            xml << " <Layer id=\"" << g.id << "\" name=\"" << xml_escape(g.title)
                << "\" initiallyVisible=\"true\"/>\n";
    xml << "</LayerTree>\n<Page>\n <DPI>" << 72.0 / page.pt_per_px << "</DPI>\n <Width>"
        << page.width_pt << "</Width>\n <Height>" << page.height_pt << "</Height>\n";
    for (std::size_t i = 0; i < panels.size() && i < geos.size(); ++i) {
        const PageGeoref& geo = geos[i];
        const map::View& view = panels[i].view;
        if (geo.wkt.empty()) continue;
        // PDF user space: points, origin at the page's bottom-left, y up.
        const double x0 = page.offset_x_pt + panels[i].x * page.pt_per_px;
        const double x1 = x0 + view.width * page.pt_per_px;
        const double y1 = page.height_pt - page.offset_y_pt - panels[i].y * page.pt_per_px;
        const double y0 = y1 - view.height * page.pt_per_px;
        const double gx0 = geo.top_left_x, gy1 = geo.top_left_y;
        const double gx1 = gx0 + view.width * geo.pixel_size, gy0 = gy1 - view.height * geo.pixel_size;
        xml << " <Georeferencing id=\"map" << i
            << "\" ISO32000ExtensionFormat=\"true\" OGCBestPracticeFormat=\"false\">\n"
            << "  <SRS>" << xml_escape(geo.wkt) << "</SRS>\n"
            << "  <BoundingBox x1=\"" << x0 << "\" y1=\"" << y0 << "\" x2=\"" << x1 << "\" y2=\"" << y1 << "\"/>\n"
            << "  <ControlPoint x=\"" << x0 << "\" y=\"" << y0 << "\" GeoX=\"" << gx0 << "\" GeoY=\"" << gy0 << "\"/>\n"
            << "  <ControlPoint x=\"" << x0 << "\" y=\"" << y1 << "\" GeoX=\"" << gx0 << "\" GeoY=\"" << gy1 << "\"/>\n"
            << "  <ControlPoint x=\"" << x1 << "\" y=\"" << y0 << "\" GeoX=\"" << gx1 << "\" GeoY=\"" << gy0 << "\"/>\n"
            << "  <ControlPoint x=\"" << x1 << "\" y=\"" << y1 << "\" GeoX=\"" << gx1 << "\" GeoY=\"" << gy1 << "\"/>\n"
            << " </Georeferencing>\n";
    }
    xml << " <Content>\n";
    for (std::size_t i = 0; i < groups.size(); ++i) {
        const std::string file = stage.path("layer" + std::to_string(i) + ".pdf");
        write_group_pdf(panels, frame, width, height, page, groups[i].id, file);
        const bool optional = groups[i].id != "frame" && groups[i].id != "background";
        if (optional) xml << "  <IfLayerOn layerId=\"" << groups[i].id << "\">";
        xml << "<PDF dataset=\"" << xml_escape(file) << "\"/>";
        if (optional) xml << "</IfLayerOn>";
        xml << "\n";
    }
    xml << " </Content>\n</Page>\n</PDFComposition>\n";
    const std::string xml_file = stage.path("composition.xml");
    {
        std::ofstream f(xml_file);
        f << xml.str();
        if (!f) throw core::IoError(xml_file, "cannot write");
    }
    geo::ensure_gdal();
    GDALDriverH driver = GDALGetDriverByName("PDF");
    if (!driver) throw core::IoError(path, "GDAL has no PDF driver");
    const std::string option = "COMPOSITION_FILE=" + xml_file;
    const char* options[] = {option.c_str(), nullptr};
    const std::string out = stage.path("out.pdf");
    GDALDatasetH ds = GDALCreate(driver, out.c_str(), 0, 0, 0, GDT_Unknown, const_cast<char**>(options));
    if (!ds) throw core::IoError(path, std::string("GDAL PDF composition: ") + CPLGetLastErrorMsg());
    GDALClose(ds);
    stage.publish("out.pdf", path);
}

}  // namespace limes::vector
