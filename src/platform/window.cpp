#include "platform/window.hpp"

#include "core/error.hpp"

#include <GLFW/glfw3.h>

#include <cstdlib>
#include <stdexcept>

namespace limes::platform {
namespace {

int g_windows = 0;
std::string g_last_error;

void on_error(int code, const char* description) {
    g_last_error = "GLFW error " + std::to_string(code) + ": " + (description ? description : "");
}

bool init_glfw() {
    glfwSetErrorCallback(on_error);
    return glfwInit() == GLFW_TRUE;
}

}  // namespace

bool Window::display_available() {
    const char* x = std::getenv("DISPLAY");
    const char* w = std::getenv("WAYLAND_DISPLAY");
    return (x && *x) || (w && *w);
}

Window::Window(int width, int height, const std::string& title, bool visible) {
    if (g_windows == 0 && !init_glfw())
        throw core::IoError("display", "cannot start GLFW (no display?): " + g_last_error);
    glfwWindowHint(GLFW_CONTEXT_VERSION_MAJOR, 3);
    glfwWindowHint(GLFW_CONTEXT_VERSION_MINOR, 3);
    glfwWindowHint(GLFW_OPENGL_PROFILE, GLFW_OPENGL_CORE_PROFILE);
    glfwWindowHint(GLFW_OPENGL_FORWARD_COMPAT, GLFW_TRUE);
    glfwWindowHint(GLFW_VISIBLE, visible ? GLFW_TRUE : GLFW_FALSE);
    // No MSAA on the window: on llvmpipe 4x MSAA costs ~10x the frame time; symbols, lines and
    // text anti-alias in their shaders and every fill lies under its outline (briefings,
    // offscreen, render without it too: render::RenderOptions::samples).
    glfwWindowHint(GLFW_SAMPLES, 0);
    window_ = glfwCreateWindow(width, height, title.c_str(), nullptr, nullptr);
    if (!window_) {
        if (g_windows == 0) glfwTerminate();
        throw core::IoError(
            "display", "cannot open a window with an OpenGL 3.3 core context: " + g_last_error);
    }
    ++g_windows;
    glfwMakeContextCurrent(window_);
    glfwSwapInterval(1);  // at the display's refresh rate
}

Window::~Window() {
    glfwDestroyWindow(window_);
    if (--g_windows == 0) glfwTerminate();
}

bool Window::should_close() const {
    return glfwWindowShouldClose(window_) == GLFW_TRUE;
}
void Window::request_close(bool close) {
    glfwSetWindowShouldClose(window_, close ? GLFW_TRUE : GLFW_FALSE);
}
void Window::set_title(const std::string& title) {
    glfwSetWindowTitle(window_, title.c_str());
}
void Window::framebuffer_size(int& width, int& height) const {
    glfwGetFramebufferSize(window_, &width, &height);
}
void Window::swap_buffers() {
    glfwSwapBuffers(window_);
}

void Window::poll_events(double wait_seconds) {
    if (wait_seconds > 0)
        glfwWaitEventsTimeout(wait_seconds);
    else
        glfwPollEvents();
}

}  // namespace limes::platform
