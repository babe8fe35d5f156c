#include "app/viewer.hpp"

#include <GLFW/glfw3.h>
#include <imgui.h>

#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <fstream>

#include "app/briefing.hpp"
#include "app/map_input.hpp"
#include "app/replay.hpp"
#include "app/session.hpp"
#include "core/error.hpp"
#include "geo/formats/image_writer.hpp"
#include "platform/window.hpp"
#include "render/gl.hpp"
#include "render/renderer.hpp"
#include "ui/imgui_host.hpp"
#include "ui/panels.hpp"

namespace limes::app {
namespace {

/** What a drawn frame shows: the map's view and uploaded content, the framebuffer's size and
 *  the panels' digest (ImGuiHost::finish_frame). */
struct FrameLook {
    double center_x = 0, center_y = 0, units_per_pixel = -1;
    int width = 0, height = 0;
    std::uint64_t panels = 0;
    std::string content;
    bool operator==(const FrameLook& o) const {
        return center_x == o.center_x && center_y == o.center_y &&
               units_per_pixel == o.units_per_pixel && width == o.width && height == o.height &&
               panels == o.panels && content == o.content;
    }
};

/** The window as it is now, georeferenced (the view's extent, the map CRS), in the format
 *  the name's extension says: .png with its .pgw and .aux.xml beside it (how a PNG carries
 *  georeferencing), or .tif/.tiff, one GeoTIFF file with everything inside. */
void write_screenshot(const std::string& path, const render::Renderer& renderer, int w, int h,
                      const Session& s) {
    geo::write_image(path, renderer.read_window(w, h), w, h, georeference(s.view, s.projector()),
                     geo::raster_format_for(path), 96);
}

}  // namespace

void run_viewer(const ViewerOptions& o, std::ostream& log, FrameDriver* driver) {
    std::vector<ReplayFrame> script;
    if (!o.replay.empty()) script = parse_replay(o.replay);
    const bool scripted = !o.replay.empty();
    // A script with no commands still draws one frame: --screenshot then has a window to save.
    if (scripted && script.empty()) script.emplace_back();
    auto owned = std::make_unique<Session>(o, log);
    owned->panels.label_language = o.labels;
    platform::Window window(o.width, o.height, "limes", true);
    ui::ImGuiHost host(window.handle());
    render::Renderer renderer;
    MapInput mi;
    int fb_w = 0, fb_h = 0;
    window.framebuffer_size(fb_w, fb_h);
    // A replay or a driven run (the benchmark) starts on the loaded workspace, so its frames
    // mean the same every run; interactively the window draws (with progress) while the
    // incidents load.
    const bool replay_while_loading = !script.empty() && script.front().wait_loaded;
    auto start = [&](Session& s, bool wait) {
        s.view.width = fb_w;
        s.view.height = fb_h;
        s.start_loading();
        if (wait) s.poll_loading(true);
        s.fit();
    };
    start(*owned, (scripted && !replay_while_loading) || driver);
    if (driver) glfwSwapInterval(0);  // as fast as it draws
    std::ofstream replay_log;
    if (!o.replay_log.empty()) {
        replay_log.open(o.replay_log);
        if (!replay_log) throw core::IoError(o.replay_log, "cannot open for writing");
    }
    std::size_t frame = 0;  // frames drawn
    std::size_t step = 0;   // frames of the script played (a wait-loaded frame may repeat)
    bool quit = false;
    auto last = std::chrono::steady_clock::now();
    std::string last_title;
    std::string uploaded_key;  // content_key() of what the renderer holds
    FrameLook drawn_look;      // what the frame on screen shows (nothing yet)
    bool idle = false;         // the last frame drew nothing
    std::chrono::steady_clock::time_point paced_until;  // while loading: no frame before
    while (!quit) {
        if (scripted && step >= script.size()) break;
        if (!owned->open_next.empty()) {
            // File > Open: a new session on the other workspace; this one stays when that
            // cannot be opened.
            ViewerOptions next = o;
            next.workspace = owned->open_next;
            owned->open_next.clear();
            try {
                auto other = std::make_unique<Session>(next, log);
                other->panels.hide_panels = owned->panels.hide_panels;
                other->panels.sidebar_open = owned->panels.sidebar_open;
                other->panels.menu_height = owned->panels.menu_height;
                other->panels.label_language = owned->panels.label_language;
                start(*other, scripted || driver);
                other->state.messages.push_back("opened " + next.workspace);
                owned = std::move(other);
                mi = MapInput{};
                uploaded_key.clear();
                log << "opened " << next.workspace << '\n';
            } catch (const std::exception& e) {
                owned->state.messages.push_back("error: cannot open " + next.workspace + ": " +
                                                e.what());
                log << "limes view: " << e.what() << '\n';
            }
        }
        Session& session = *owned;
        const auto frame_start = std::chrono::steady_clock::now();
        if (driver && !driver->before_frame(frame, session)) break;
        double wait = idle ? 1.0 / 60 : 0.0;
        const bool pace = !driver && session.state.loading;
        if (pace) {
            // While the incidents load, a frame every 1/60 s at most, as vsync paces a real
            // display; Xvfb has no vsync and a replay (scripted) none either, so they are
            // paced here too. The progress bar needs no more, and each frame (the panels'
            // logic, a draw) is CPU taken from the loader threads and, on one machine, from a
            // PostGIS server: 6,000 frames ran during a 1M load from PostGIS under Xvfb. An
            // input event ends the wait early (the window answers at once); the next frame's
            // wait counts from when this one really began, so it never runs ahead.
            const double left = std::chrono::duration<double>(paced_until - frame_start).count();
            wait = std::max(wait, std::clamp(left, 0.0, 1.0 / 60));
        }
        window.poll_events(wait);
        if (pace)
            paced_until = std::chrono::steady_clock::now() +
                          std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                              std::chrono::duration<double>(1.0 / 60));
        if (!scripted && window.should_close()) {
            window.request_close(false);
            session.state.actions.push_back({ui::Action::Kind::Quit});
        }
        window.framebuffer_size(fb_w, fb_h);
        session.view.width = std::max(fb_w, 1);
        session.view.height = std::max(fb_h, 1);

        session.poll_loading();
        session.check_external_changes();  // someone else committed: read again, edits on top
        host.new_frame(scripted ? &script[step].input : nullptr);
        ui::draw_panels(session.state, session.panels, fb_w, fb_h);
        const map::View before_input = session.view;
        handle_map_input(session, mi);
        if (session.view.center_x != before_input.center_x ||
            session.view.center_y != before_input.center_y ||
            session.view.units_per_pixel != before_input.units_per_pixel)
            session.view_moved = true;
        const bool tooltip = (session.state.hovered >= 0 || session.hovered_stack >= 0) &&
                             !ImGui::GetIO().WantCaptureMouse;
        if (tooltip) map_tooltip(session);
        status_overlay(session);
        cluster_labels(session);
        heat_scale_box(session);
        session.labels.draw(session);
        session.labels.update_legend(session);
        stack_badges(session);
        if (session.panels.claim_ready) session.add_claim_from_panel();
        session.run_actions(quit);
        session.autosave();

        // Timeline playback: a replay's frames are 1/60 s each, whatever the machine.
        const auto now = std::chrono::steady_clock::now();
        session.state.advance_playback(
            scripted ? 1.0 / 60 : std::chrono::duration<double>(now - last).count());
        last = now;

        const std::string title =
            "limes - " + session.state.workspace_path + (session.state.dirty ? " *" : "");
        if (title != last_title) window.set_title(last_title = title);

        session.update_as_of();  // claims and lines as of the timeline's end
        const std::string key = session.content_key();
        if (key != uploaded_key) {
            renderer.upload(session.draw_list());
            uploaded_key = key;
        }
        // Drawn only when it would look different from the frame on screen: the map's view
        // and uploaded content, and the panels' draw data, are all that the two draws read.
        // An idle window (an analyst reading the map) then costs next to nothing, and a
        // replay's waits cost only their logic; a screenshot always draws.
        const std::uint64_t panels = host.finish_frame();
        const bool holding = scripted && script[step].wait_loaded && session.state.loading;
        const bool last_frame = scripted && step + 1 == script.size() && !holding;
        const bool screenshot = (scripted && !script[step].screenshot.empty()) ||
                                (last_frame && !o.screenshot.empty());
        const FrameLook look{session.view.center_x, session.view.center_y,
                             session.view.units_per_pixel, fb_w, fb_h, panels, uploaded_key};
        const bool draw = driver || screenshot || !(look == drawn_look);
        if (draw) {
            glBindFramebuffer(GL_FRAMEBUFFER, 0);
            glViewport(0, 0, fb_w, fb_h);
            renderer.draw(session.view, render::TileRect{0, 0, fb_w, fb_h},
                          render::RowOrder::BottomUp);
            host.draw();
            drawn_look = look;
        }
        if (scripted && !script[step].screenshot.empty())
            write_screenshot(script[step].screenshot, renderer, fb_w, fb_h, session);
        if (last_frame && !o.screenshot.empty())
            write_screenshot(o.screenshot, renderer, fb_w, fb_h, session);
        if (replay_log.is_open()) write_replay_log(replay_log, session, frame, tooltip, draw);
        if (draw) window.swap_buffers();
        // Nothing to show: wait for input (or 1/60 s: loading, autosave and others' commits
        // are looked at every frame) instead of spinning.
        idle = !draw && !scripted;
        if (scripted && script[step].crash) {
            replay_log.flush();
            ::kill(::getpid(), SIGKILL);  // no destructor runs: as a power cut would leave it
        }
        if (driver) {
            glFinish();  // count the frame when the GPU (or llvmpipe) has drawn it
            driver->after_frame(frame, std::chrono::duration<double, std::milli>(
                                           std::chrono::steady_clock::now() - frame_start)
                                           .count());
        }
        ++frame;
        if (scripted && !holding) ++step;
    }
    if (driver) driver->finish(*owned, log);
}

}  // namespace limes::app
