#pragma once
// Draws a map::DrawList with OpenGL 3.3 core, offscreen (briefing images) or into a bound
// framebuffer (the window). Needs a current GL context (platform::HeadlessContext or a
// window's); all calls must come from the thread that owns it.
//
// Pixels: x right, y down, (0,0) the top-left corner of the image; a map point p maps to
//   pixel = (p + origin - view.center) / units_per_pixel, y negated, + (width/2, height/2)
// so map y (north) is up in the image. DrawList::overlay positions and glyph quads are image
// pixels already (same axes), drawn after the map and not moved by the view; tiles show their
// part of them like of everything else. Colours: 8-bit sRGB, straight alpha, blended in sRGB.
#include <cstdint>
#include <memory>
#include <vector>

#include "map/draw_list.hpp"

namespace limes::render {

/** A rectangle of the image in pixels: top-left corner (x, y), y down. */
struct TileRect {
    int x = 0, y = 0;
    int width = 0, height = 0;
};

/** Row order of the framebuffer a frame is drawn into. */
enum class RowOrder {
    TopDown,   ///< framebuffer row 0 is the image's top row (offscreen: glReadPixels order)
    BottomUp,  ///< GL's convention for windows: row 0 is the bottom row
};

/** Milliseconds spent in each phase (wall clock; draw includes glFinish and MSAA resolve). */
struct Timings {
    double upload_ms = 0.0;    ///< packing the DrawList and filling GL buffers
    double draw_ms = 0.0;      ///< all tiles
    double readback_ms = 0.0;  ///< glReadPixels of all tiles into the image
    int tiles = 0;
    /** Whether the last upload() copied the glyph atlas to the GPU: only when DrawList::atlas
     *  is another object than last time, or the same one with another version. */
    bool atlas_uploaded = false;
};

struct RenderOptions {
    /** Largest tile edge in pixels; 0 = the GL limits (renderbuffer size, viewport), capped at
     *  4096 so a tile stays at 256 MiB even with 4× MSAA. Tests force small tiles to check
     *  stitching. */
    int max_tile_size = 0;
    /** MSAA samples per pixel for the map's fills and lines, lowered to GL_MAX_SAMPLES; 0 or
     *  1 = no multisampling, the default: every fill limes draws lies under an anti-aliased
     *  outline of its own boundary (countries, claims), and symbols, lines and glyphs
     *  anti-alias in their shaders, so 4x changes next to nothing (857 of the 8.3M pixels of
     *  the default 4K briefing, by at most 2 of 255) for ~215 ms of llvmpipe's time there.
     *  The window draws without it too (platform/window.cpp). */
    int samples = 1;
};

/** Splits a width × height image into row-major tiles of at most tile_size pixels a side. */
std::vector<TileRect> plan_tiles(int width, int height, int tile_size);

class Renderer {
  public:
    /** Compiles the embedded shaders. Throws core::IoError ("OpenGL") when no GL context is current
     *  or the driver rejects a shader. */
    explicit Renderer(const RenderOptions& options = {});
    ~Renderer();
    Renderer(const Renderer&) = delete;
    Renderer& operator=(const Renderer&) = delete;

    /** Copies `list` into GL buffers, replacing the previous one; `list` may die afterwards
     *  (the atlas is re-uploaded only when it changed, see Timings::atlas_uploaded). Throws
     *  std::invalid_argument, before touching GL state, for malformed fill batches, glyphs
     *  without an atlas, a malformed atlas, or a glyph with texels_per_px <= 0. */
    void upload(const map::DrawList& list);

    /** Clears to the background and draws the uploaded list into the bound draw framebuffer,
     *  whose pixels (0,0)..(tile.width, tile.height) show `tile` of the view's image; sets the
     *  viewport. A window passes the whole view as the tile and RowOrder::BottomUp. */
    void draw(const map::View& view, const TileRect& tile, RowOrder rows);

    /** Renders the uploaded list at view.width × view.height, in tiles when larger than
     *  tile_size(), and returns top-down RGBA8 rows (row 0 = the image's top; 4 bytes a
     *  pixel, straight alpha). Throws std::invalid_argument for a size < 1 and
     *  core::IoError ("OpenGL") on GL failures (e.g. GL_OUT_OF_MEMORY). */
    std::vector<std::uint8_t> render(const map::View& view);

    /** The window's last frame: reads the back buffer of the bound default framebuffer
     *  (width × height, drawn with RowOrder::BottomUp) and returns top-down RGBA8 rows, alpha
     *  255 (a window is opaque). For screenshots of the window. */
    std::vector<std::uint8_t> read_window(int width, int height) const;

    /** Phases of the last upload() and render(). */
    const Timings& timings() const;
    /** Largest tile edge in pixels used by render(). */
    int tile_size() const;
    /** MSAA samples per pixel actually used (1 = none). */
    int samples() const;

  private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

/** One-shot: Renderer + upload + render. Needs a current GL context. */
std::vector<std::uint8_t> render_image(const map::DrawList& list, const map::View& view,
                                       const RenderOptions& options = {},
                                       Timings* timings = nullptr);

}  // namespace limes::render
