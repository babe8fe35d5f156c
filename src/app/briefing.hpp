#pragma once
// `limes render`: a briefing image of a workspace, headless (EGL on Mesa's surfaceless
// platform, so no display and no GPU are needed), with a world file and .aux.xml beside it.
// The window's "Briefing…" will call the same function so a briefing looks like the screen.
#include <exception>
#include <functional>
#include <memory>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "core/filter.hpp"
#include "core/parallel.hpp"
#include "geo/formats/image_writer.hpp"
#include "geo/ops/stats.hpp"
#include "geo/geometry/projection.hpp"
#include "geo/store/views.hpp"
#include "map/draw_list.hpp"
#include "map/frame.hpp"
#include "map/symbol_mode.hpp"
#include "map/scene.hpp"
#include "platform/headless_context.hpp"
#include "render/renderer.hpp"
#include "vector/output.hpp"

namespace limes::app {

struct BriefingOptions {
    std::string workspace;
    std::string output;               ///< .png (or .tif with GeoTiff)
    int width = 1920, height = 1080;  ///< pixels
    int dpi = 150;                    ///< written into the file
    /** --dpi was given: text and symbols are sized for print at that resolution (dpi / 150
     *  of their size at 150 dpi) instead of following the image size (furniture_scale). */
    bool dpi_sizes = false;
    std::string crs;                  ///< empty: the default Lambert conformal conic
    core::Filter filter;              ///< incidents shown; bbox/region also set the extent
    geo::ImageFormat format = geo::ImageFormat::Png;
    std::string title = "Reported incidents";
    std::vector<std::string> layers;             ///< shown layers; empty: all
    std::string label_language = "en";           ///< en | hy | az
    map::ColorBy color_by = map::ColorBy::Type;  ///< --color-by: what a symbol's fill means
    std::string save_view;                       ///< when set, stores these options as a named view
    /** --at: the day claims and historical lines are drawn as of; nullopt: the end of the
     *  time range (--to, else the last incident shown, else today). */
    std::optional<core::Date> at;
    /** --changes FROM..TO: the change map. Claims and lines as of TO, and over them the ground
     *  whose holder changed between FROM and TO (geo::holder_transfers), each pair of holders
     *  with its km² in the legend. Without it, a range given with --from and --to (and no
     *  --at) shows the changes inside it the same way. */
    std::optional<std::pair<core::Date, core::Date>> changes;
    /** --paper A4|A3|letter: the page (and, from it and dpi, the image size; print sizes for
     *  text and symbols); empty: the page is the image (width x height at dpi). */
    std::string paper;
    bool landscape = true;   ///< --orientation landscape (default) | portrait, with --paper
    double margin_mm = -1;   ///< --margin: white page border, mm; < 0: 10 with --paper, else 0
    /** --banner and --org: the page frame (map::FrameText), on every format. */
    std::string banner;
    std::string organisation;
    /** The extent in the map CRS, exactly (no margin added); overrides --bbox/--region/the
     *  incidents. An animation's frames share one. */
    std::optional<map::Bounds> extent;
    /** How incidents are drawn: Auto (default) as the window's Automatic: symbols while the
     *  image can show them one by one, clusters with counts once they would saturate it;
     *  --symbols forces Symbols, --density clusters|heatmap the others. */
    map::SymbolMode mode = map::SymbolMode::Auto;
    bool inset = true;  ///< the locator inset (map::BriefingText::inset); --no-inset drops it
    bool legend = true;  ///< the legend panel (off on a comparison's first panel)
    /** --compare DATE1,DATE2: two panels side by side (before, after) with one legend, each
     *  with claims and lines as of its day and the incidents from --from (default DATE1) up
     *  to its day, one extent for both. */
    std::optional<std::pair<core::Date, core::Date>> compare;
};

/** A paper's size in millimetres (width < height: portrait) of "A4", "A3", "letter" (any
 *  case); throws UsageError naming the sizes limes knows. */
std::pair<double, double> paper_mm(const std::string& paper);

struct BriefingResult {
    long long incidents = 0;  ///< incidents drawn
    core::Date as_of;         ///< the day claims and lines were drawn as of
    map::SymbolMode mode = map::SymbolMode::Symbols;  ///< how incidents were drawn (resolved)
    double load_ms = 0, draw_ms = 0, readback_ms = 0, encode_ms = 0;
    std::string foreign_logic;  ///< geo::foreign_logic_note of the workspace ("" when none)
};

/** The attribution line's sources: those of the layers the scene draws, and only those (the
 *  default workspace's recipe, geodata/README.md); incidents: whether incidents are drawn. */
std::string briefing_attribution(const map::Scene& scene, bool incidents);

/** Today's UTC day, or $SOURCE_DATE_EPOCH's (reproducible images and tests): the day a briefing
 *  with no dates is drawn as of, and the end of the window's as-of slider. */
core::Date today();

/** A change map's legend text for one transfer: "From A to B: 8,529 km²" ("no claim" for
 *  nobody). */
std::string change_label(const geo::HolderTransfer& t);

/** The "changes" layer a map draws over its claims (map::Scene): one feature per transfer of
 *  geo::holder_transfers between from and to, named by change_label, keyed by the new holder.
 *  The briefing's --changes and the window's View → Changes over the range both use it. */
core::BasemapLayer changes_layer(const std::vector<core::Claim>& claims, core::Date from,
                                 core::Date to);

/** Where an image of view lies on the map: its top-left corner, pixel size and the CRS. */
geo::Georeference georeference(const map::View& view, const geo::Projector& proj);

/** The options as a saved view called name (extent, time range, filters, layers, title,
 *  labels, size); apply_saved_view() is its inverse. */
geo::SavedView saved_view_of(const BriefingOptions& options, const std::string& name);
/** Takes from a saved view every option the command line did not set itself (given(option),
 *  e.g. given("--crs")): what `limes render --view NAME` reproduces. */
void apply_saved_view(const geo::SavedView& view, BriefingOptions& options,
                      const std::function<bool(const char*)>& given);
/** Stores the options as a named view in the workspace (saved_view_of), so
 *  `limes render --view NAME` reproduces them. */
void save_briefing_view(const BriefingOptions& options, const std::string& name);

/** A briefing composed and ready to draw: the draw list (map, labels, legend), the view of the
 *  whole image, the page frame (banner bars, drawn last), where it lies on the map and on a
 *  page. options: as given, with the image size the paper gives. */
struct BriefingComposition {
    BriefingOptions options;
    map::DrawList list;
    map::View view;
    map::Overlay frame;
    geo::Georeference georef;
    vector::Page page;
    BriefingResult result;  ///< incidents, as_of, load_ms so far
    int inner_height = 0;   ///< the map's height between the frame's bars, pixels
    std::shared_ptr<const map::Scene> scene;  ///< the scene drawn (a cache's: shared)
    map::SymbolMode mode = map::SymbolMode::Symbols;  ///< how incidents were drawn
};

/** What successive briefings of one workspace share (an animation's frames): the open
 *  workspace and its basemap, the scene of the last as-of day's claims and lines (rebuilt
 *  only when the day draws other ones), the text engine and its glyph atlas, and optionally
 *  the incidents of a whole range (marks), of which each briefing takes its days.
 *  One cache serves one workspace, CRS and layer list. */
struct BriefingCache {
    BriefingCache();
    ~BriefingCache();
    /** Loads the incidents of filter once (every field but the days must then be the same
     *  in each briefing composed with this cache; each takes the days of its own range). */
    void preload_incidents(const std::string& workspace, const core::Filter& filter);
    struct State;
    std::unique_ptr<State> state;
};

/** Everything of a briefing before it is drawn (reads the workspace, lays out the furniture);
 *  throws core::Error (usage, data, I/O) with context. cache: shared with other briefings of
 *  the same workspace (an animation), or null. */
BriefingComposition compose_briefing_page(const BriefingOptions& options,
                                          BriefingCache* cache = nullptr);

/** The composition drawn by renderer (on a current GL context): width * height * 4 bytes of
 *  RGBA, row 0 at the top. Moves the frame into the list. */
std::vector<std::uint8_t> rasterize_briefing(BriefingComposition& composition,
                                             render::Renderer& renderer);

/** A comparison (options.compare): two panels, each (width - gap) / 2 pixels wide and as
 *  tall as the image less the frame's bars (bar pixels each), the second gap pixels right of
 *  the first; outer: the whole range's briefing of the whole image (its frame, page, size). */
struct Comparison {
    std::vector<BriefingComposition> panels;
    BriefingComposition outer;
    int gap = 0, bar = 0;
};
Comparison compose_comparison(const BriefingOptions& options);
int panel_gap(int width);

/** Moves out of list everything that is not the incidents' (the scene's layers below them),
 *  into a list of its own with list's background; list keeps the incidents' symbols, lines
 *  and fills and the overlay, on a transparent background. Drawn apart and composited
 *  (composite_over), they give the image of the whole list: an animation draws the first once
 *  for all the frames that share a scene. */
map::DrawList split_scene_layers(map::DrawList& list);

/** top (premultiplied RGBA as GL leaves it over a transparent background) over base (opaque
 *  RGBA), into base. */
void composite_over(const std::vector<std::uint8_t>& top, std::vector<std::uint8_t>& base);

/** A GL context and limes' renderer on it, made beside other work by compose_beside_gl. */
struct Gl {
    std::optional<platform::HeadlessContext> context;
    std::optional<render::Renderer> renderer;  // after context: destroyed before it
};

/** Runs compose, and for a raster output makes gl's context and renderer meanwhile: EGL and
 *  llvmpipe's start (~0.1 s here) on this thread, where it draws, the composing (the
 *  workspace read, the basemap, the labels: nothing there touches GL) on a second one. A
 *  composing error (the user's: a bad option, a missing file) comes before the context's.
 *  render_briefing, render --compare and the animation (its extent and incidents read) share
 *  it. */
template <class Compose>
void compose_beside_gl(bool raster, Gl& gl, Compose&& compose) {
    if (!raster) {
        compose();
        return;
    }
    std::exception_ptr gl_failed;
    core::run_beside(
        [&] {
            try {
                gl.context.emplace();
                gl.renderer.emplace();
            } catch (...) {
                gl_failed = std::current_exception();
            }
        },
        compose);
    if (gl_failed) std::rethrow_exception(gl_failed);
}

/** Renders and writes the briefing; throws core::Error (usage, data, I/O) with context. */
BriefingResult render_briefing(const BriefingOptions& options, std::ostream& log);

}  // namespace limes::app
