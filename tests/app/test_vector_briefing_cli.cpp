// `limes render -o brief.pdf` and `-o brief.svg`, read back by real readers (poppler-utils:
// pdfinfo, pdffonts, pdftotext, pdftoppm; GDAL's PDF driver; librsvg's rsvg-convert; an XML
// parse): text is text in every script, fonts are embedded, the map layers are optional
// content, the PDF is georeferenced as the PNG's world file says, and rasterised it looks like
// the PNG of the same arguments (tolerances stated at each check).
#include <catch2/catch.hpp>

#include <gdal_priv.h>

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "../geo/support.hpp"
#include "app/briefing.hpp"
#include "run_limes.hpp"

using limes_test::capture;
using limes_test::read_all;
using limes_test::world_file;
using limes_test::run_limes;
using limes_test::scratch;

namespace {

using limes_test::kWs;

limes_test::Result run_render(std::vector<std::string> args) {
    std::vector<const char*> argv{"limes", "render", kWs.c_str()};
    for (const auto& a : args) argv.push_back(a.c_str());
    std::ostringstream out, err;
    limes_test::Result r;
    r.code = limes::app::run(static_cast<int>(argv.size()), argv.data(), out, err);
    r.out = out.str();
    r.err = err.str();
    INFO(r.err);
    REQUIRE(r.code == 0);
    return r;
}

struct RgbImage {
    int w = 0, h = 0;
    std::vector<std::uint8_t> rgb;  // w * h * 3
    const std::uint8_t* at(int x, int y) const { return &rgb[(std::size_t(y) * w + x) * 3]; }
};

RgbImage read_rgb(const std::string& path) {
    GDALAllRegister();
    GDALDatasetUniquePtr ds(GDALDataset::Open(path.c_str(), GDAL_OF_RASTER | GDAL_OF_READONLY));
    REQUIRE(ds);
    RgbImage im;
    im.w = ds->GetRasterXSize();
    im.h = ds->GetRasterYSize();
    im.rgb.resize(std::size_t(im.w) * im.h * 3);
    int bands[] = {1, 2, 3};
    REQUIRE(ds->RasterIO(GF_Read, 0, 0, im.w, im.h, im.rgb.data(), im.w, im.h, GDT_Byte, 3, bands,
                         3, 3 * im.w, 1, nullptr) == CE_None);
    return im;
}

struct Difference {
    double mean = 0;      // mean absolute difference per channel, 0..255
    double far = 0;       // fraction of pixels where some channel differs by more than 64
};

Difference compare(const RgbImage& a, const RgbImage& b) {
    REQUIRE(a.w == b.w);
    REQUIRE(a.h == b.h);
    double sum = 0;
    std::size_t far = 0;
    for (std::size_t i = 0; i < a.rgb.size(); i += 3) {
        int most = 0;
        for (int c = 0; c < 3; ++c) {
            const int d = std::abs(int(a.rgb[i + c]) - int(b.rgb[i + c]));
            sum += d;
            most = std::max(most, d);
        }
        if (most > 64) ++far;
    }
    return {sum / a.rgb.size(), double(far) / (a.rgb.size() / 3)};
}

}  // namespace

TEST_CASE("render -o brief.pdf: text as text with embedded fonts, layers, georeferenced",
          "[render][pdf]") {
    const std::string pdf = scratch("brief", ".pdf");
    const std::string png = scratch("brief", ".png");
    const std::vector<std::string> common = {"--size", "1200x675", "--title", "Border briefing",
                                             "--from", "2022-09-12", "--to", "2022-09-14",
                                             "--at", "2022-09-14"};
    auto with = [&](std::string out, std::vector<std::string> more) {
        std::vector<std::string> a{"-o", out};
        a.insert(a.end(), common.begin(), common.end());
        a.insert(a.end(), more.begin(), more.end());
        return a;
    };
    run_render(with(pdf, {}));
    run_render(with(png, {}));

    int status = -1;
    const std::string info = capture("pdfinfo '" + pdf + "'", &status);
    INFO(info);
    REQUIRE(status == 0);
    CHECK_THAT(info, Catch::Contains("Pages:           1"));
    CHECK_THAT(info, Catch::Contains("Title:           Border briefing"));
    // 1200x675 px at 150 dpi: 576 x 324 pt.
    CHECK_THAT(info, Catch::Contains("Page size:       576 x 324 pts"));

    // The title, place names and the legend are text a reader extracts and searches.
    const std::string text = capture("pdftotext '" + pdf + "' -");
    for (const char* s : {"Border briefing", "Stepanakert", "Yerevan", "Battles", "Lake Sevan",
                          "Natural Earth"})
        CHECK_THAT(text, Catch::Contains(s));

    // Every font embedded (pdffonts' "emb" column), and the fonts are Noto.
    const std::string fonts = capture("pdffonts '" + pdf + "'");
    INFO(fonts);
    std::istringstream lines(fonts);
    int font_rows = 0;
    for (std::string line; std::getline(lines, line);) {
        if (line.find("Noto") == std::string::npos) continue;
        ++font_rows;
        CHECK_THAT(line, Catch::Contains(" yes "));  // emb
    }
    CHECK(font_rows >= 2);  // regular and bold at least

    // Optional content: one group per map layer, named as readers list them.
    CHECK_THAT(read_all(pdf), Catch::Contains("/OCProperties"));
    GDALAllRegister();
    GDALDatasetUniquePtr ds(GDALDataset::Open(pdf.c_str(), GDAL_OF_RASTER | GDAL_OF_READONLY));
    REQUIRE(ds);
    std::string layers;
    for (char** m = ds->GetMetadata("LAYERS"); m && *m; ++m) layers += std::string(*m) + "\n";
    INFO(layers);
    for (const char* l : {"Countries", "Claims", "Incidents", "Places", "Labels"})
        CHECK_THAT(layers, Catch::Contains(l));

    // Georeferenced: GDAL reads the map CRS and the corners; they agree with the PNG's world
    // file (which gives pixel centres) within a pixel.
    double gt[6];
    REQUIRE(ds->GetGeoTransform(gt) == CE_None);
    const std::vector<double> wld = world_file(png.substr(0, png.size() - 4) + ".pgw");
    REQUIRE(wld.size() == 6);
    const double px = wld[0];
    CHECK(gt[1] == Approx(px).epsilon(0.001));
    CHECK(gt[5] == Approx(-px).epsilon(0.001));
    CHECK(std::abs(gt[0] - (wld[4] - px / 2)) < px);
    CHECK(std::abs(gt[3] - (wld[5] + px / 2)) < px);
    CHECK(ds->GetRasterXSize() == 1200);
    CHECK(ds->GetRasterYSize() == 675);
    const OGRSpatialReference* srs = ds->GetSpatialRef();
    REQUIRE(srs);
    CHECK(srs->IsProjected());
    CHECK_THAT(std::string(srs->GetAttrValue("PROJECTION")),
               Catch::Contains("Lambert_Conformal_Conic"));

    // Rasterised by poppler at the briefing's 150 dpi, the PDF is the PNG: the same layout,
    // within anti-aliasing, hatch phase and font hinting. Stated tolerance: mean difference
    // under 5 of 255 per channel (measured 3.4), and under 1.5 % of pixels off by more than
    // 64 (edges of text, stripes and symbols). A missing layer or a shifted map fails both.
    const std::string stem = scratch("brief_pdf", "");
    status = -1;
    capture("pdftoppm -r 150 -png -singlefile '" + pdf + "' '" + stem + "'", &status);
    REQUIRE(status == 0);
    const Difference d = compare(read_rgb(png), read_rgb(stem + ".png"));
    INFO("mean " << d.mean << ", far " << d.far);
    CHECK(d.mean < 5.0);
    CHECK(d.far < 0.015);

    // A reader switches a layer off: GDAL's PDF renderer (poppler) with the Incidents group
    // off draws the same page less the symbols: some pixels change, most do not.
    const std::string on = scratch("layers_on", ".png"), off = scratch("layers_off", ".png");
    status = -1;
    capture("gdal_translate -q '" + pdf + "' '" + on + "'", &status);
    REQUIRE(status == 0);
    capture("gdal_translate -q --config GDAL_PDF_LAYERS_OFF Incidents '" + pdf + "' '" + off + "'",
            &status);
    REQUIRE(status == 0);
    const Difference layer = compare(read_rgb(on), read_rgb(off));
    INFO("incidents off: " << layer.far);
    CHECK(layer.far > 0.001);
    CHECK(layer.far < 0.05);
}

TEST_CASE("render -o brief.pdf --labels hy and az: Armenian and Azerbaijani text extractable",
          "[render][pdf]") {
    for (const auto& [lang, yerevan] : {std::pair<std::string, std::string>{"hy", "Երևան"},
                                        {"az", "İrəvan"}}) {
        const std::string pdf = scratch("labels_" + lang, ".pdf");
        run_render({"-o", pdf, "--size", "1200x675", "--labels", lang});
        const std::string text = capture("pdftotext '" + pdf + "' -");
        INFO(lang << ": " << text.substr(0, 2000));
        CHECK_THAT(text, Catch::Contains(yerevan));
        if (lang == "hy") {
            const std::string fonts = capture("pdffonts '" + pdf + "'");
            CHECK_THAT(fonts, Catch::Contains("NotoSansArmenian"));
        }
    }
}

TEST_CASE("render -o brief.svg: parses, layers as groups, text as <text>, looks like the PNG",
          "[render][svg]") {
    const std::string svg = scratch("brief", ".svg");
    const std::string png = scratch("brief_svg_ref", ".png");
    const std::vector<std::string> common = {"--size", "1200x675", "--title", "Border briefing",
                                             "--labels", "hy"};
    auto with = [&](std::string out) {
        std::vector<std::string> a{"-o", out};
        a.insert(a.end(), common.begin(), common.end());
        return a;
    };
    run_render(with(svg));
    run_render(with(png));
    const std::string doc = read_all(svg);
    CHECK_THAT(doc, Catch::StartsWith("<?xml"));
    CHECK_THAT(doc, Catch::Contains(">Border briefing</text>"));
    CHECK_THAT(doc, Catch::Contains("Երևան</text>"));
    for (const char* id : {"<g id=\"countries\"", "<g id=\"claims\"", "<g id=\"incidents\"",
                           "<g id=\"labels\""})
        CHECK_THAT(doc, Catch::Contains(id));
    CHECK_THAT(doc, Catch::Contains("@font-face { font-family: 'Noto Sans Armenian'"));
    // The embedded fonts are subsets (HarfBuzz): a whole Noto Sans is 500 kB, 680 kB as
    // base64; the letters of a briefing take a few tens of kB.
    int fonts = 0;
    for (std::size_t at = doc.find("base64,"); at != std::string::npos;
         at = doc.find("base64,", at + 1)) {
        const std::size_t end = doc.find(')', at);
        REQUIRE(end != std::string::npos);
        CHECK(end - at < 120000);
        ++fonts;
    }
    CHECK(fonts >= 3);  // Noto Sans regular and bold, Noto Sans Armenian
    // librsvg parses it (a malformed document exits non-zero) and draws it; at 1 px per image
    // pixel it matches the PNG within the tolerance used for the PDF.
    const std::string drawn = scratch("brief_svg", ".png");
    int status = -1;
    const std::string said =
        capture("rsvg-convert -w 1200 -h 675 '" + svg + "' -o '" + drawn + "'", &status);
    INFO(said);
    REQUIRE(status == 0);
    const Difference d = compare(read_rgb(png), read_rgb(drawn));
    INFO("mean " << d.mean << ", far " << d.far);
    CHECK(d.mean < 5.0);
    CHECK(d.far < 0.015);
}

TEST_CASE("render --paper A4 --banner --org: a landscape A4 page with the frame on it",
          "[render][pdf][print]") {
    const std::string pdf = scratch("a4", ".pdf");
    const std::string png = scratch("a4", ".png");
    const std::vector<std::string> common = {"--paper", "A4", "--banner", "UNCLASSIFIED // SYNTHETIC TEST",
                                             "--org", "Border monitoring desk", "--dpi", "100"};
    auto with = [&](std::string out) {
        std::vector<std::string> a{"-o", out};
        a.insert(a.end(), common.begin(), common.end());
        return a;
    };
    run_render(with(pdf));
    run_render(with(png));
    const std::string info = capture("pdfinfo '" + pdf + "'");
    INFO(info);
    CHECK_THAT(info, Catch::Contains("841.89 x 595.276 pts (A4)"));
    const std::string text = capture("pdftotext '" + pdf + "' -");
    // The banner at the top and at the bottom of the page, the organisation once.
    std::size_t banners = 0;
    for (std::size_t at = text.find("UNCLASSIFIED // SYNTHETIC TEST"); at != std::string::npos;
         at = text.find("UNCLASSIFIED // SYNTHETIC TEST", at + 1))
        ++banners;
    CHECK(banners == 2);
    CHECK_THAT(text, Catch::Contains("Border monitoring desk"));

    // The PNG of the same page: (297 - 20) x (210 - 20) mm at 100 dpi, the bars dark at its
    // top and bottom rows, the map between them.
    const RgbImage im = read_rgb(png);
    CHECK(im.w == 1091);
    CHECK(im.h == 748);
    for (int y : {2, im.h - 3}) {
        const std::uint8_t* p = im.at(3, y);
        CHECK(int(p[0]) + p[1] + p[2] < 3 * 70);
    }
    // The page's georeferencing still places the map: the PDF's pixel size (at its 100 dpi)
    // is the PNG's, and its origin lies 10 mm (39.4 px) of margin up and left of the PNG's.
    GDALAllRegister();
    GDALDatasetUniquePtr ds(GDALDataset::Open(pdf.c_str(), GDAL_OF_RASTER | GDAL_OF_READONLY));
    REQUIRE(ds);
    double gt[6];
    REQUIRE(ds->GetGeoTransform(gt) == CE_None);
    const std::vector<double> wld = world_file(png.substr(0, png.size() - 4) + ".pgw");
    REQUIRE(wld.size() == 6);
    const double px = wld[0];
    CHECK(gt[1] == Approx(px).epsilon(0.001));
    const double margin_px = 10 / 25.4 * 100;
    CHECK(std::abs(gt[0] - (wld[4] - px / 2 - margin_px * px)) < px);
    CHECK(std::abs(gt[3] - (wld[5] + px / 2 + margin_px * px)) < px);
}

TEST_CASE("render: bad print options are refused before any work", "[render][print]") {
    const std::string pdf = scratch("bad", ".pdf");
    auto r = run_limes({"render", kWs, "-o", pdf, "--paper", "B5"});
    CHECK(r.code == 2);
    CHECK_THAT(r.err, Catch::Contains("A4, A3 or letter"));
    r = run_limes({"render", kWs, "-o", pdf, "--paper", "A4", "--size", "800x600"});
    CHECK(r.code == 2);
    r = run_limes({"render", kWs, "-o", pdf, "--orientation", "portrait"});
    CHECK(r.code == 2);
    CHECK_THAT(r.err, Catch::Contains("--orientation needs --paper"));
    r = run_limes({"render", kWs, "-o", pdf, "--format", "png"});
    CHECK(r.code == 2);
    CHECK_THAT(r.err, Catch::Contains("disagrees"));
    CHECK_FALSE(limes_test::file_exists(pdf));
}

TEST_CASE("render: incidents too many for symbols become clusters with counts, as the window's "
          "Automatic, unless --symbols",
          "[render][density]") {
    // 6,000 SYNTHETIC incidents in a 0.4 degree square: more than the 2,000 one image shows
    // one by one (map::resolve_mode).
    const std::string csv = scratch("dense", ".csv");
    {
        std::ofstream out(csv);
        out << "event_id_cnty,event_date,event_type,latitude,longitude,source,fatalities,notes\n";
        for (int i = 0; i < 6000; ++i)
            out << "SYN-" << i << ",2022-09-13,Battles," << 39.6 + (i % 77) * 0.005 << ","
                << 45.6 + (i / 77) * 0.005 << ",Synthetic Source,,SYNTHETIC test row\n";
    }
    const std::string ws = scratch("dense", ".gpkg");
    REQUIRE(run_limes({"import", ws, csv}).code == 0);
    auto compose = [&](limes::map::SymbolMode mode) {
        limes::app::BriefingOptions o;
        o.workspace = ws;
        o.width = 800;
        o.height = 450;
        o.mode = mode;
        return limes::app::compose_briefing_page(o);
    };
    auto texts = [](const limes::app::BriefingComposition& c) {
        std::string all;
        for (const auto& t : c.list.overlay.texts) all += t.utf8 + "\n";
        return all;
    };
    const auto automatic = compose(limes::map::SymbolMode::Auto);
    CHECK(automatic.result.mode == limes::map::SymbolMode::Clusters);
    // A few dozen cluster circles instead of 6,000 symbols, each count written on it, and the
    // counts add up to every incident.
    CHECK(automatic.list.symbols.size() < 500);
    long total = 0;
    for (const auto& t : automatic.list.overlay.texts)
        if (!t.utf8.empty() && t.utf8.find_first_not_of("0123456789") == std::string::npos &&
            t.bold && t.halo_px > 0)
            total += std::stol(t.utf8);
    const std::string legend = texts(automatic);
    CHECK_THAT(legend, Catch::Contains("Cluster: incidents near each other"));
    CHECK(total > 5000);  // clusters of one carry no number
    CHECK(total <= 6000);
    const auto forced = compose(limes::map::SymbolMode::Symbols);
    CHECK(forced.result.mode == limes::map::SymbolMode::Symbols);
    CHECK(forced.list.symbols.size() >= 6000);
    const auto heat = compose(limes::map::SymbolMode::Heatmap);
    CHECK_THAT(texts(heat), Catch::Contains("incidents per 100 km²"));
    // The default workspace's 29 incidents stay symbols.
    limes::app::BriefingOptions few;
    few.workspace = kWs;
    few.width = 800;
    few.height = 450;
    CHECK(limes::app::compose_briefing_page(few).result.mode == limes::map::SymbolMode::Symbols);
}

TEST_CASE("render: a locator inset shows the wider setting with the map's extent, --no-inset "
          "drops it",
          "[render][inset]") {
    auto compose = [&](bool inset) {
        limes::app::BriefingOptions o;
        o.workspace = kWs;
        o.width = 1280;
        o.height = 720;
        o.filter.region = "Syunik";  // a part of the workspace: the setting is worth showing
        o.inset = inset;
        return limes::app::compose_briefing_page(o);
    };
    auto inset_fills = [](const limes::app::BriefingComposition& c) {
        std::size_t n = 0;
        for (const auto& f : c.list.overlay.fills) n += f.layer == "inset";
        return n;
    };
    const auto with = compose(true);
    const auto without = compose(false);
    CHECK(inset_fills(with) > 0);
    CHECK(inset_fills(without) == 0);
    // The inset's countries lie in the top-right corner, under the north arrow.
    for (const auto& f : with.list.overlay.fills) {
        if (f.layer != "inset") continue;
        for (const auto& v : f.vertices) {
            CHECK(v.x > 1280 * 0.7f);
            CHECK(v.y < 720 * 0.6f);
        }
    }
    // Drawn as PNG, the inset changes only that corner.
    const std::string a = scratch("inset", ".png"), b = scratch("no_inset", ".png");
    run_render({"-o", a, "--size", "1280x720", "--region", "Syunik"});
    run_render({"-o", b, "--size", "1280x720", "--region", "Syunik", "--no-inset"});
    const RgbImage ia = read_rgb(a), ib = read_rgb(b);
    long corner = 0, elsewhere = 0;
    for (int y = 0; y < ia.h; ++y)
        for (int x = 0; x < ia.w; ++x) {
            const bool differs = std::abs(int(ia.at(x, y)[0]) - int(ib.at(x, y)[0])) > 16;
            if (!differs) continue;
            (x > ia.w * 0.7 && y < ia.h * 0.6 ? corner : elsewhere) += 1;
        }
    CHECK(corner > 2000);
    CHECK(elsewhere < corner / 10);  // labels placed around it move a little
}

TEST_CASE("render --compare: two panels of one extent, before and after, one legend",
          "[render][compare]") {
    limes::app::BriefingOptions o;
    o.workspace = kWs;
    o.width = 1280;
    o.height = 540;
    o.compare = std::pair{limes::core::Date::from_ymd(2022, 9, 12),
                          limes::core::Date::from_ymd(2022, 9, 14)};
    const limes::app::Comparison cmp = limes::app::compose_comparison(o);
    REQUIRE(cmp.panels.size() == 2);
    const auto& before = cmp.panels[0];
    const auto& after = cmp.panels[1];
    // One extent: the same centre and scale; side by side they fill the width.
    CHECK(before.view.center_x == Approx(after.view.center_x));
    CHECK(before.view.center_y == Approx(after.view.center_y));
    CHECK(before.view.units_per_pixel == Approx(after.view.units_per_pixel));
    CHECK(before.options.width + cmp.gap + after.options.width <= 1280);
    CHECK(before.options.width + cmp.gap + after.options.width >= 1279);
    // Claims as of each day; the incidents from the first day up to each panel's day.
    CHECK(before.result.as_of == limes::core::Date::from_ymd(2022, 9, 12));
    CHECK(after.result.as_of == limes::core::Date::from_ymd(2022, 9, 14));
    CHECK(before.result.incidents < after.result.incidents);
    auto has = [](const limes::app::BriefingComposition& c, const std::string& text) {
        for (const auto& t : c.list.overlay.texts)
            if (t.utf8.find(text) != std::string::npos) return true;
        return false;
    };
    CHECK(has(before, "Reported incidents — 2022-09-12"));
    CHECK(has(after, "Reported incidents — 2022-09-14"));
    CHECK_FALSE(has(before, "Incidents by type"));  // one legend, in the second panel
    CHECK(has(after, "Incidents by type"));

    // As files: the PNG is the size asked for with a white gap between the panels; the PDF
    // has both titles as text and two georeferenced areas.
    const std::string png = scratch("compare", ".png"), pdf = scratch("compare", ".pdf");
    run_render({"-o", png, "--size", "1280x540", "--compare", "2022-09-12,2022-09-14"});
    run_render({"-o", pdf, "--size", "1280x540", "--compare", "2022-09-12,2022-09-14"});
    const RgbImage im = read_rgb(png);
    CHECK(im.w == 1280);
    CHECK(im.h == 540);
    const int gap_x = before.options.width + cmp.gap / 2;
    for (int y = 0; y < im.h; y += 37) {
        const std::uint8_t* p = im.at(gap_x, y);
        CHECK(int(p[0]) + p[1] + p[2] == 3 * 255);
    }
    const std::string text = capture("pdftotext '" + pdf + "' -");
    CHECK_THAT(text, Catch::Contains("Reported incidents — 2022-09-12"));
    CHECK_THAT(text, Catch::Contains("Reported incidents — 2022-09-14"));
    CHECK_THAT(read_all(pdf), Catch::Contains("/Measure"));  // georeferencing (ISO 32000)
}

TEST_CASE("render: a stack's count badge belongs to the incidents layer (a PDF reader hides it "
          "with them)",
          "[render][pdf]") {
    limes::app::BriefingOptions o;
    o.workspace = kWs;
    o.width = 1200;
    o.height = 675;
    const auto c = limes::app::compose_briefing_page(o);
    std::size_t badges = 0;
    for (const auto& t : c.list.overlay.texts)
        if (t.layer == "incidents") {
            ++badges;
            CHECK(t.utf8.find_first_not_of("0123456789") == std::string::npos);  // a count
        }
    CHECK(badges > 0);
    std::size_t badge_symbols = 0;
    for (const auto& span : c.list.overlay.symbol_layers)
        if (span.layer == "incidents") badge_symbols += span.count;
    CHECK(badge_symbols == badges);
    // The legend's and labels' text stays in the labels group.
    bool title = false;
    for (const auto& t : c.list.overlay.texts) title |= t.layer.empty() && t.utf8 == "Reported incidents";
    CHECK(title);
}
