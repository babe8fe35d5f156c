// Renderer: offscreen targets (an RGBA8 texture; with RenderOptions::samples > 1 also a
// multisampled renderbuffer for the basemap, resolved into the texture that symbols, overlay
// and glyphs are then drawn on), tiling and readback. The draw calls themselves are in
// pipelines.cpp and text_pipeline.cpp.
#include "render/renderer.hpp"
#include "core/error.hpp"

#include <algorithm>
#include <chrono>
#include <stdexcept>
#include <string>

#include "render/pipelines.hpp"

namespace limes::render {
namespace {

using Clock = std::chrono::steady_clock;

double ms_since(Clock::time_point start) {
    return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

int gl_integer(GLenum name) {
    GLint value = 0;
    glGetIntegerv(name, &value);
    return value;
}

void require_context() {
    if (glGetString(GL_VERSION) == nullptr) {
        throw core::IoError(
            "OpenGL",
            "no current OpenGL context (create a platform::HeadlessContext or a window first)");
    }
}

// Largest power of two used when the GL limits allow more: 4096² × 4 samples × 4 B = 256 MiB.
constexpr int default_tile_cap = 4096;

}  // namespace

std::vector<TileRect> plan_tiles(int width, int height, int tile_size) {
    if (width < 1 || height < 1 || tile_size < 1) {
        throw std::invalid_argument("plan_tiles: sizes must be positive, got " +
                                    std::to_string(width) + "x" + std::to_string(height) +
                                    " tile " + std::to_string(tile_size));
    }
    std::vector<TileRect> tiles;
    for (int y = 0; y < height; y += tile_size) {
        for (int x = 0; x < width; x += tile_size) {
            tiles.push_back(
                {x, y, std::min(tile_size, width - x), std::min(tile_size, height - y)});
        }
    }
    return tiles;
}

struct Renderer::Impl {
    Pipelines pipelines;
    int tile_size = 0;
    int frame_size = 0;  // viewport frame: a multiple of tile_size, <= GL_MAX_VIEWPORT_DIMS
    int samples = 1;
    Timings timings;

    // Offscreen targets, tile-sized, (re)made when a render needs more room.
    int target_width = 0, target_height = 0;
    Renderbuffer msaa_color;  // only when samples > 1
    Framebuffer msaa_fbo;
    Texture resolved;  // plain RGBA8: what glReadPixels reads
    Framebuffer resolved_fbo;

    void ensure_targets(int width, int height);
};

void Renderer::Impl::ensure_targets(int width, int height) {
    if (width <= target_width && height <= target_height) return;
    width = std::max(width, target_width);
    height = std::max(height, target_height);
    msaa_fbo.reset();
    msaa_color.reset();
    resolved_fbo.reset();
    resolved.reset();

    resolved = make_texture();
    glBindTexture(GL_TEXTURE_2D, resolved.id());
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, GL_NEAREST);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, GL_NEAREST);
    glTexImage2D(GL_TEXTURE_2D, 0, GL_RGBA8, width, height, 0, GL_RGBA, GL_UNSIGNED_BYTE, nullptr);
    glBindTexture(GL_TEXTURE_2D, 0);
    resolved_fbo = make_framebuffer();
    glBindFramebuffer(GL_FRAMEBUFFER, resolved_fbo.id());
    glFramebufferTexture2D(GL_FRAMEBUFFER, GL_COLOR_ATTACHMENT0, GL_TEXTURE_2D, resolved.id(), 0);
    if (glCheckFramebufferStatus(GL_FRAMEBUFFER) != GL_FRAMEBUFFER_COMPLETE) {
        throw core::IoError("OpenGL", "resolve framebuffer incomplete at " + std::to_string(width) +
                                          "x" + std::to_string(height));
    }
    if (samples > 1) {
        msaa_color = make_renderbuffer();
        glBindRenderbuffer(GL_RENDERBUFFER, msaa_color.id());
        glRenderbufferStorageMultisample(GL_RENDERBUFFER, samples, GL_RGBA8, width, height);
        glBindRenderbuffer(GL_RENDERBUFFER, 0);
        msaa_fbo = make_framebuffer();
        glBindFramebuffer(GL_FRAMEBUFFER, msaa_fbo.id());
        glFramebufferRenderbuffer(GL_FRAMEBUFFER, GL_COLOR_ATTACHMENT0, GL_RENDERBUFFER,
                                  msaa_color.id());
        if (glCheckFramebufferStatus(GL_FRAMEBUFFER) != GL_FRAMEBUFFER_COMPLETE) {
            throw core::IoError("OpenGL", "multisample framebuffer incomplete at " +
                                              std::to_string(width) + "x" + std::to_string(height) +
                                              ", " + std::to_string(samples) + " samples");
        }
    }
    glBindFramebuffer(GL_FRAMEBUFFER, 0);
    check_gl("creating offscreen render targets");
    target_width = width;
    target_height = height;
}

Renderer::Renderer(const RenderOptions& options) {
    require_context();
    impl_ = std::make_unique<Impl>();
    GLint viewport[2] = {0, 0};
    glGetIntegerv(GL_MAX_VIEWPORT_DIMS, viewport);
    const int viewport_limit = std::min(viewport[0], viewport[1]);
    const int limit = std::min(
        {gl_integer(GL_MAX_RENDERBUFFER_SIZE), gl_integer(GL_MAX_TEXTURE_SIZE), viewport_limit});
    impl_->tile_size =
        std::min(limit, options.max_tile_size > 0 ? options.max_tile_size : default_tile_cap);
    if (impl_->tile_size < 1)
        throw core::IoError("OpenGL", "GL reports no usable framebuffer size");
    impl_->frame_size = viewport_limit / impl_->tile_size * impl_->tile_size;
    impl_->samples = std::clamp(options.samples, 1, std::max(1, gl_integer(GL_MAX_SAMPLES)));
    check_gl("querying GL limits");
}

Renderer::~Renderer() = default;

void Renderer::upload(const map::DrawList& list) {
    const auto start = Clock::now();
    const PackedDrawList packed = pack_draw_list(list);  // validates before any GL change
    const bool atlas_uploaded = impl_->pipelines.upload(list, packed);
    impl_->timings = Timings{};
    impl_->timings.upload_ms = ms_since(start);
    impl_->timings.atlas_uploaded = atlas_uploaded;
}

namespace {
// Clears the bound draw framebuffer to the background and sets the viewport for tile.
TileTransform begin_tile(const Pipelines& p, const map::View& view, const TileRect& tile,
                         RowOrder rows, int frame_size) {
    const map::Rgba bg = p.background();
    glDisable(GL_SCISSOR_TEST);
    glClearColor(bg.r / 255.0f, bg.g / 255.0f, bg.b / 255.0f, bg.a / 255.0f);
    glClear(GL_COLOR_BUFFER_BIT);
    const TileTransform t =
        make_tile_transform(view, p.origin_x(), p.origin_y(), tile, rows, frame_size);
    glViewport(t.viewport[0], t.viewport[1], t.viewport[2], t.viewport[3]);
    return t;
}
}  // namespace

void Renderer::draw(const map::View& view, const TileRect& tile, RowOrder rows) {
    const Pipelines& p = impl_->pipelines;
    p.draw(begin_tile(p, view, tile, rows, impl_->frame_size));
}

std::vector<std::uint8_t> Renderer::render(const map::View& view) {
    if (view.width < 1 || view.height < 1 || !(view.units_per_pixel > 0.0)) {
        throw std::invalid_argument("render: bad view " + std::to_string(view.width) + "x" +
                                    std::to_string(view.height) + " px at " +
                                    std::to_string(view.units_per_pixel) + " units/px");
    }
    Impl& s = *impl_;
    const std::vector<TileRect> tiles = plan_tiles(view.width, view.height, s.tile_size);
    s.ensure_targets(std::min(view.width, s.tile_size), std::min(view.height, s.tile_size));
    std::vector<std::uint8_t> image(static_cast<std::size_t>(view.width) * view.height * 4);
    s.timings.draw_ms = s.timings.readback_ms = 0.0;
    s.timings.tiles = static_cast<int>(tiles.size());

    for (const TileRect& tile : tiles) {
        auto start = Clock::now();
        // The map's fills and lines into the multisampled target, resolved; what goes over
        // them (symbols, overlay, glyphs: anti-aliased by their shaders) straight into the
        // resolved one, where llvmpipe shades and blends one sample a pixel instead of four.
        const GLuint draw_fbo = s.samples > 1 ? s.msaa_fbo.id() : s.resolved_fbo.id();
        glBindFramebuffer(GL_FRAMEBUFFER, draw_fbo);
        const TileTransform t =
            begin_tile(s.pipelines, view, tile, RowOrder::TopDown, s.frame_size);
        s.pipelines.draw_base(t);
        if (s.samples > 1) {
            glBindFramebuffer(GL_READ_FRAMEBUFFER, s.msaa_fbo.id());
            glBindFramebuffer(GL_DRAW_FRAMEBUFFER, s.resolved_fbo.id());
            glBlitFramebuffer(0, 0, tile.width, tile.height, 0, 0, tile.width, tile.height,
                              GL_COLOR_BUFFER_BIT, GL_NEAREST);
            glBindFramebuffer(GL_FRAMEBUFFER, s.resolved_fbo.id());
        }
        s.pipelines.draw_top(t);
        glFinish();  // so draw and readback times are separable
        check_gl("drawing a tile");
        s.timings.draw_ms += ms_since(start);

        // RowOrder::TopDown put the tile's top row at framebuffer row 0, so the rows land in
        // the image in order, straight into place (PACK_ROW_LENGTH = image width).
        start = Clock::now();
        glBindFramebuffer(GL_READ_FRAMEBUFFER, s.resolved_fbo.id());
        glPixelStorei(GL_PACK_ALIGNMENT, 4);
        glPixelStorei(GL_PACK_ROW_LENGTH, view.width);
        const std::size_t at = (static_cast<std::size_t>(tile.y) * view.width + tile.x) * 4;
        glReadPixels(0, 0, tile.width, tile.height, GL_RGBA, GL_UNSIGNED_BYTE, image.data() + at);
        glPixelStorei(GL_PACK_ROW_LENGTH, 0);
        check_gl("reading back a tile");
        s.timings.readback_ms += ms_since(start);
    }
    glBindFramebuffer(GL_FRAMEBUFFER, 0);
    return image;
}

const Timings& Renderer::timings() const {
    return impl_->timings;
}

int Renderer::tile_size() const {
    return impl_->tile_size;
}

int Renderer::samples() const {
    return impl_->samples;
}

std::vector<std::uint8_t> Renderer::read_window(int width, int height) const {
    if (width < 1 || height < 1)
        throw std::invalid_argument("read_window: bad size " + std::to_string(width) + "x" +
                                    std::to_string(height));
    const std::size_t row = static_cast<std::size_t>(width) * 4;
    std::vector<std::uint8_t> rgba(row * static_cast<std::size_t>(height));
    glPixelStorei(GL_PACK_ALIGNMENT, 1);
    glReadBuffer(GL_BACK);
    glReadPixels(0, 0, width, height, GL_RGBA, GL_UNSIGNED_BYTE, rgba.data());
    // GL rows are bottom-up; images top-down.
    std::vector<std::uint8_t> tmp(row);
    for (int y = 0; y < height / 2; ++y) {
        std::uint8_t* a = rgba.data() + static_cast<std::size_t>(y) * row;
        std::uint8_t* b = rgba.data() + static_cast<std::size_t>(height - 1 - y) * row;
        std::copy(a, a + row, tmp.data());
        std::copy(b, b + row, a);
        std::copy(tmp.data(), tmp.data() + row, b);
    }
    for (std::size_t i = 3; i < rgba.size(); i += 4) rgba[i] = 255;
    return rgba;
}

std::vector<std::uint8_t> render_image(const map::DrawList& list, const map::View& view,
                                       const RenderOptions& options, Timings* timings) {
    Renderer renderer(options);
    renderer.upload(list);
    std::vector<std::uint8_t> image = renderer.render(view);
    if (timings) *timings = renderer.timings();
    return image;
}

}  // namespace limes::render
