#pragma once
// A GLFW window with an OpenGL 3.3 core context, for `limes view`. Needs a display (X11 or
// Wayland; tests use xvfb-run). RAII: the destructor closes the window and, with the last
// window, terminates GLFW.
#include <string>

struct GLFWwindow;

namespace limes::platform {

class Window {
  public:
    /** Opens a window of width × height screen coordinates. Throws std::runtime_error with
     *  GLFW's reason when there is no display or no GL 3.3 core context. visible=false keeps
     *  it hidden (replays that only need the framebuffer). */
    Window(int width, int height, const std::string& title, bool visible = true);
    ~Window();
    Window(const Window&) = delete;
    Window& operator=(const Window&) = delete;

    GLFWwindow* handle() const { return window_; }
    bool should_close() const;
    void request_close(bool close);
    void set_title(const std::string& title);
    /** Framebuffer size in pixels (differs from the window size on HiDPI screens). */
    void framebuffer_size(int& width, int& height) const;
    void swap_buffers();
    /** Processes pending events; wait_seconds > 0 sleeps until an event or the timeout. */
    void poll_events(double wait_seconds = 0.0);
    /** True when a display is reachable (DISPLAY or WAYLAND_DISPLAY set and GLFW starts). */
    static bool display_available();

  private:
    GLFWwindow* window_ = nullptr;
};

}  // namespace limes::platform
