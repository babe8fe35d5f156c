#pragma once
// The vector backends' drawing surface: what map::DrawList becomes when it is not rasterised by
// GL but written as PDF (cairo) or SVG. Coordinates are image pixels (x right, y down, origin
// at the composition's top-left), the same units as the GL image; each canvas maps them onto its
// page (a uniform scale and an offset: points for PDF, CSS px for SVG).
#include <string>
#include <vector>

#include "map/draw_list.hpp"

namespace limes::vector {

/** Closed or open sub-paths of points, image pixels. */
struct Path {
    struct Sub {
        std::vector<map::Vec2> points;
        bool closed = false;
    };
    std::vector<Sub> subs;
    bool empty() const { return subs.empty(); }
};

class Canvas {
  public:
    virtual ~Canvas() = default;
    /** Everything until end_group belongs to one group: a PDF optional-content group (layer
     *  a reader switches on and off) or an SVG <g>. optional: false for the page frame
     *  (banner, classification), which must show whatever the reader switches off. */
    virtual void begin_group(const std::string& id, const std::string& title, bool optional) = 0;
    virtual void end_group() = 0;
    /** even_odd: holes by the even-odd rule; else non-zero winding. */
    virtual void fill(const Path& path, map::Rgba color, bool even_odd) = 0;
    /** Round joins and caps; dash/gap in pixels, 0: solid. */
    virtual void stroke(const Path& path, map::Rgba color, float width, float dash = 0,
                        float gap = 0) = 0;
    /** Restricts drawing to path (non-zero) until pop_clip. */
    virtual void push_clip(const Path& path) = 0;
    virtual void pop_clip() = 0;
    /** Text as text (searchable, fonts embedded), its halo as an outline stroked under it. */
    virtual void text(const map::TextRun& run) = 0;
    /** Moves everything drawn until pop_offset by (dx, dy) pixels: a panel of a comparison. */
    virtual void push_offset(float dx, float dy) = 0;
    virtual void pop_offset() = 0;
};

}  // namespace limes::vector
