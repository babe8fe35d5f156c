#pragma once
// The furniture of a briefing image, laid out in image pixels on DrawList::overlay: labels of
// the --region area, claims, places, countries, regions, lakes and rivers in that priority
// (never overlapping each other), title and subtitle, a legend of the incident types present
// with their counts and of the basemap as drawn (which fill is which), a scale bar that is
// geodesically right at the map's centre, a north arrow pointing to true north there, and the
// attribution line.
#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "core/incident.hpp"
#include "map/density.hpp"
#include "map/draw_list.hpp"
#include "map/labels.hpp"
#include "map/legend_entry.hpp"
#include "map/scene.hpp"
#include "map/symbol_mode.hpp"
#include "map/text.hpp"

namespace limes::map {

struct BriefingText {
    std::string title = "Reported incidents";
    std::string subtitle;               ///< empty: the date range of the shown incidents
    std::string attribution;            ///< data sources; "made with limes" is appended
    std::string generated;              ///< generation timestamp, e.g. "2026-11-28 17:40 UTC"
    /** The day the claims and historical lines are drawn as of ("2022-09-14"), said in the
     *  title block; empty: not said. */
    std::string as_of;
    /** A change map's days ("2020-09-01 to 2020-12-31"), said in the title block, and how many
     *  transfers it found (the "changes" layer's features); empty: not a change map. */
    std::string changes;
    std::size_t changes_found = 0;
    std::string label_language = "en";  ///< en | hy | az: which place name is shown
    ColorBy color_by = ColorBy::Type;   ///< what the incident symbols' fill means (legend)
    std::size_t largest_stack = 0;      ///< incidents in the largest fanned stack; 0: none
    /** How the incidents are drawn (resolved, not Auto): the legend's incident rows follow. */
    SymbolMode mode = SymbolMode::Symbols;
    HeatScale heat;                     ///< mode Heatmap: the surface's classes
    std::uint32_t largest_cluster = 0;  ///< mode Clusters: the largest count
    /** Size of text, symbols and lines against their size at scale 1; 0: furniture_scale(view)
     *  (from the image size). `limes render --dpi D` sets D / 150, print sizes. */
    float scale = 0.0f;
    /** Shown when there are no incidents; empty: no note (e.g. the incidents layer is off). */
    std::string empty_note = "No incidents in this view and time range";
    /** A locator inset (the wider setting, the map's extent as a rectangle) under the north
     *  arrow, when the map shows only part of the workspace. */
    bool inset = true;
    /** The legend panel; false for the first panel of a comparison (one legend for both). */
    bool legend = true;
};

/** Where compose_briefing put things, for the window (hit tests) and for tests. */
struct BriefingLayout {
    std::vector<PixelBox> labels;          ///< every placed place and claim label
    std::vector<std::string> label_texts;  ///< same order as labels
    std::vector<PixelBox> furniture;       ///< title, north arrow, attribution, legend, scale bar
    std::vector<std::string> legend_entries;
    std::vector<std::string> title_lines;    ///< the title block's lines, top to bottom
    std::vector<std::string> claim_details;  ///< second line of each drawn claim label
    double scale_bar_km = 0.0;               ///< length the scale bar stands for
    float scale_bar_px = 0.0f;               ///< its length in pixels
    double north_angle = 0.0;                ///< radians clockwise from image-up
};

/** Pixel scale of the furniture for an image: 1 at 1920×1080, 2 at 3840×2160 (clamped to
 *  0.7..8 so text stays readable on small images). */
float furniture_scale(const View& view);

/** What the legend's incident rows count, in one pass over the marks shown: by event type,
 *  reporting side and status, fatalities stated or not, and whether any location is
 *  approximate (geo_precision 2 or 3). Counts, not a copy of the marks: the window's legend
 *  at ten million incidents shown would otherwise copy 320 MB of them at each change. */
struct IncidentTally {
    std::array<long long, core::kEventTypes.size() + 1> types{};  ///< the last: other types
    std::array<long long, core::kReportingSideCount> sides{};
    std::array<long long, core::kStatuses.size() + 1> statuses{};  ///< the last: not stated
    long long stated = 0;      ///< fatalities stated (0 included)
    long long not_stated = 0;  ///< fatalities not stated (-1)
    std::size_t total = 0;
    bool imprecise = false;

    /** Of every mark in all, or of all[i] for each i in subset when it is given. */
    static IncidentTally of(const std::vector<core::IncidentMark>& all,
                            const std::vector<std::uint32_t>* subset = nullptr);
    void add(const core::IncidentMark& m);
};

/** The legend's rows for incidents (the ones shown) and the basemap as scene draws it in
 *  view, in the briefing's order: incident types with counts, reporting sides, statuses,
 *  sizes, stacks, approximate locations, then countries, water, provinces, claims, lines.
 *  Keys are sized for scale (1: 1920x1080; the window uses 1). shown: the basemap layers
 *  with rows ("countries", "lakes", "rivers", "provinces", "claims", "historical_lines",
 *  "regions"); empty: all the scene draws. */
std::vector<LegendEntry> legend_entries(const Scene& scene, const IncidentTally& incidents,
                                        const View& view, const BriefingText& text, float scale,
                                        const LayerShown& shown = {});

/** Adds labels and furniture for view to list.overlay and sets list.atlas. */
BriefingLayout compose_briefing(const Scene& scene,
                                const std::vector<core::IncidentMark>& incidents, const View& view,
                                const BriefingText& text, TextEngine& engine, DrawList& list);

/** The page frame a briefing officer's document carries on every page: a handling or
 *  classification banner in a bar at the top and at the bottom, and an organisation line. */
struct FrameText {
    std::string banner;        ///< "UNCLASSIFIED // FOR OFFICIAL USE ONLY"; empty: none
    std::string organisation;  ///< left in the top bar; empty: none
    bool empty() const { return banner.empty() && organisation.empty(); }
};

/** Height in image pixels of each of the frame's two bars at scale (0 when frame is empty). */
int frame_bar_px(const FrameText& frame, float scale);

/** Draws the frame's bars over a width x height image into out (image pixels): banner
 *  centred in both, the organisation at the top bar's left. */
void compose_frame(const FrameText& frame, int width, int height, float scale, TextEngine& text,
                   Overlay& out);

/** Moves everything of overlay down by dy image pixels (a composition laid out for the part of
 *  an image between the frame's bars). */
void shift_overlay(Overlay& overlay, float dy);

/** Ground length in km of one image pixel at the view's centre, measured along the
 *  ellipsoid (WGS84 geodesic) between two points 100 px either side of the centre. */
double km_per_pixel_at_center(const Scene& scene, const View& view);

/** Angle of true north at the view's centre, radians clockwise from image-up. */
double north_angle_at_center(const Scene& scene, const View& view);

/** The longest "nice" length (1, 2 or 5 × 10^k km) not longer than max_km. */
double nice_length_km(double max_km);

}  // namespace limes::map
