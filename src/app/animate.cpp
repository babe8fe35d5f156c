#include "app/animate.hpp"

#include <chrono>
#include <cstdio>
#include <future>

#include "core/error.hpp"
#include "media/video_writer.hpp"
#include "render/renderer.hpp"

namespace limes::app {

long parse_duration_minutes(const std::string& option, const std::string& text) {
    std::size_t used = 0;
    long n = 0;
    try {
        n = std::stol(text, &used);
    } catch (const std::exception&) {
        used = 0;
    }
    const std::string unit = text.substr(used);
    long per = 0;
    if (unit == "m" || unit == "min") per = 1;
    if (unit == "h") per = 60;
    if (unit == "d") per = 1440;
    if (unit == "w") per = 7 * 1440;
    if (used == 0 || per == 0 || n <= 0 || n > 100000)
        throw core::UsageError(option + " '" + text +
                               "': a positive whole number with m, h, d or w (6h, 1d, 2w)");
    return n * per;
}

std::vector<AnimationFrame> animation_frames(const AnimationOptions& o) {
    if (o.to < o.from)
        throw core::UsageError("--from " + o.from.iso() + " is after --to " + o.to.iso());
    std::vector<AnimationFrame> out;
    const long end = (long(o.to.days) - o.from.days + 1) * 1440;  // to's end, exclusive
    for (long m = 0; m < end; m += o.step_minutes) {
        AnimationFrame f;
        f.minutes = m;
        f.day = core::Date{static_cast<std::int32_t>(o.from.days + m / 1440)};
        f.label = f.day.iso();
        if (o.step_minutes % 1440 != 0) {
            char hm[16];
            std::snprintf(hm, sizeof hm, " %02ld:%02ld", (m % 1440) / 60, m % 60);
            f.label += hm;
        }
        out.push_back(std::move(f));
        if (out.size() > 100000) throw core::UsageError("--step: over 100,000 frames; a longer step");
    }
    return out;
}

BriefingOptions frame_options(const AnimationOptions& o, const AnimationFrame& f,
                              const std::optional<map::Bounds>& extent) {
    BriefingOptions b = o.base;
    const long window = o.window_minutes ? *o.window_minutes : std::max(o.step_minutes, 1440L);
    // Whole days: the window's days ending with the frame's day (at least that day).
    const long days = std::max(1L, (window + 1439) / 1440);
    b.filter.from = o.cumulative ? o.from
                                 : std::max(o.from, core::Date{static_cast<std::int32_t>(
                                                        f.day.days - days + 1)});
    b.filter.to = f.day;
    b.at = f.day;
    b.changes.reset();
    b.extent = extent;
    b.title = o.base.title + " — " + f.label;
    return b;
}

map::Bounds animation_extent(const AnimationOptions& o, BriefingCache* cache) {
    BriefingOptions whole = o.base;
    whole.filter.from = o.from;
    whole.filter.to = o.to;
    whole.at = o.to;  // no change map: the extent of the incidents (or bbox, region)
    whole.banner.clear(), whole.organisation.clear();
    const BriefingComposition c = compose_briefing_page(whole, cache);
    map::Bounds b;
    const double hw = c.view.width * c.view.units_per_pixel / 2;
    const double hh = c.view.height * c.view.units_per_pixel / 2;
    b.add(c.view.center_x - hw, c.view.center_y - hh);
    b.add(c.view.center_x + hw, c.view.center_y + hh);
    return b;
}

AnimationResult render_animation(const AnimationOptions& o,
                                 const std::function<void(double)>& progress) {
    const auto t0 = std::chrono::steady_clock::now();
    if (o.fps < 1 || o.fps > 120) throw core::UsageError("--fps must be 1..120");
    const std::vector<AnimationFrame> frames = animation_frames(o);
    media::video_format_for(o.base.output);  // a bad name fails before any work
    // One workspace, basemap, scene (while the claims stay the same), glyph atlas and one read
    // of the incidents for every frame.
    BriefingCache cache;
    map::Bounds extent;
    // The GL context beside the first read (the workspace, the extent, every frame's
    // incidents), as a briefing makes it.
    Gl gl;
    compose_beside_gl(true, gl, [&] {
        extent = animation_extent(o, &cache);
        if (!frames.empty()) {
            core::Filter all = frame_options(o, frames.front(), extent).filter;
            all.to = o.to;
            cache.preload_incidents(o.base.workspace, all);
        }
    });
    render::Renderer& renderer = *gl.renderer;
    std::optional<media::VideoWriter> video;
    AnimationResult r;
    using Clock = std::chrono::steady_clock;
    auto ms = [](Clock::time_point a, Clock::time_point b) {
        return std::chrono::duration<double, std::milli>(b - a).count();
    };
    // Frame i is encoded on a second thread while frame i + 1 is composed and drawn (the
    // encoder keeps the order: one frame in flight at a time).
    std::future<double> encoding;
    auto wait_encoding = [&] {
        if (encoding.valid()) r.encode_ms += encoding.get();
    };
    // Frame i + 1 is composed on a third thread while frame i is drawn (the cache serves one
    // composition at a time: the next starts when the previous is taken).
    auto compose = [&](std::size_t i) {
        const auto t = Clock::now();
        BriefingComposition c = compose_briefing_page(frame_options(o, frames[i], extent), &cache);
        r.compose_ms += ms(t, Clock::now());
        return c;
    };
    std::future<BriefingComposition> next;
    std::shared_ptr<const map::Scene> base_scene;  // whose layers base_image holds
    std::vector<std::uint8_t> base_image;
    if (!frames.empty()) next = std::async(std::launch::async, compose, std::size_t{0});
    for (std::size_t i = 0; i < frames.size(); ++i) {
        BriefingComposition c = next.get();
        if (i + 1 < frames.size()) next = std::async(std::launch::async, compose, i + 1);
        if (!video) video.emplace(o.base.output, c.options.width, c.options.height, o.fps);
        const auto t2 = Clock::now();
        std::vector<std::uint8_t> rgba;
        if (c.mode == map::SymbolMode::Heatmap) {
            // The density surface lies under the scene's lines: drawn whole.
            rgba = rasterize_briefing(c, renderer);
        } else {
            // The scene's layers (all under the incidents) drawn once while the frames share
            // the scene; each frame draws its incidents and furniture over a copy.
            map::DrawList scene_layers = split_scene_layers(c.list);
            if (c.scene != base_scene) {
                renderer.upload(scene_layers);
                base_image = renderer.render(c.view);
                base_scene = c.scene;
            }
            rgba = base_image;
            composite_over(rasterize_briefing(c, renderer), rgba);
        }
        r.draw_ms += ms(t2, Clock::now());
        wait_encoding();
        encoding = std::async(std::launch::async, [&video, &ms, px = std::move(rgba)] {
            const auto t = Clock::now();
            video->add(px);
            return ms(t, Clock::now());
        });
        if (progress) progress(double(i + 1) / frames.size());
    }
    wait_encoding();
    const auto t5 = Clock::now();
    video->finish();
    r.encode_ms += ms(t5, Clock::now());
    r.frames = static_cast<long>(frames.size());
    r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    return r;
}

}  // namespace limes::app
