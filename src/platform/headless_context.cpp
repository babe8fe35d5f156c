// Headless EGL context on Mesa's surfaceless platform. Facts checked on Debian 12 (Mesa 22.3):
// eglGetDisplay(EGL_DEFAULT_DISPLAY) fails without $DISPLAY, the surfaceless platform does not.
#include "platform/headless_context.hpp"

#include <EGL/egl.h>
#include <EGL/eglext.h>
#include <GL/gl.h>

#include <cstdio>
#include <cstring>
#include <map>
#include <mutex>
#include <stdexcept>

#include "core/error.hpp"

namespace limes::platform {
namespace {

[[noreturn]] void throw_egl(const char* call) {
    throw core::IoError("EGL", std::string(call) + " failed: " + egl_error_name(eglGetError()));
}

// EGL hands out one EGLDisplay per (platform, native display); eglTerminate would pull it from
// under every other context on it, so terminate only when the last of ours is gone.
std::mutex display_mutex;
std::map<EGLDisplay, int> display_users;

EGLDisplay acquire_surfaceless_display() {
    const char* extensions = eglQueryString(EGL_NO_DISPLAY, EGL_EXTENSIONS);
    if (!extensions || !std::strstr(extensions, "EGL_MESA_platform_surfaceless")) {
        throw core::IoError("EGL",
                            "no headless OpenGL: EGL_MESA_platform_surfaceless is not available "
                            "(install Mesa's libegl-mesa0 and libgl1-mesa-dri)");
    }
    auto get_platform_display = reinterpret_cast<PFNEGLGETPLATFORMDISPLAYEXTPROC>(
        eglGetProcAddress("eglGetPlatformDisplayEXT"));
    if (!get_platform_display) throw_egl("eglGetProcAddress(eglGetPlatformDisplayEXT)");
    EGLDisplay display =
        get_platform_display(EGL_PLATFORM_SURFACELESS_MESA, EGL_DEFAULT_DISPLAY, nullptr);
    if (display == EGL_NO_DISPLAY) throw_egl("eglGetPlatformDisplayEXT(surfaceless)");

    std::lock_guard<std::mutex> lock(display_mutex);
    if (display_users[display] == 0) {
        EGLint major = 0, minor = 0;
        if (!eglInitialize(display, &major, &minor)) {
            display_users.erase(display);
            throw_egl("eglInitialize");
        }
    }
    ++display_users[display];
    return display;
}

void release_display(EGLDisplay display) {
    std::lock_guard<std::mutex> lock(display_mutex);
    if (--display_users[display] == 0) {
        display_users.erase(display);
        eglTerminate(display);
    }
}

std::string gl_string(GLenum name) {
    const GLubyte* s = glGetString(name);
    return s ? reinterpret_cast<const char*>(s) : "(no current OpenGL context)";
}

}  // namespace

HeadlessContext::HeadlessContext(int major, int minor) {
    EGLDisplay display = acquire_surfaceless_display();
    try {
        if (!eglBindAPI(EGL_OPENGL_API)) throw_egl("eglBindAPI(EGL_OPENGL_API)");

        // The surfaceless platform offers pbuffer-capable configs; none is used as a surface.
        const EGLint config_attribs[] = {EGL_SURFACE_TYPE,
                                         EGL_PBUFFER_BIT,
                                         EGL_RENDERABLE_TYPE,
                                         EGL_OPENGL_BIT,
                                         EGL_RED_SIZE,
                                         8,
                                         EGL_GREEN_SIZE,
                                         8,
                                         EGL_BLUE_SIZE,
                                         8,
                                         EGL_ALPHA_SIZE,
                                         8,
                                         EGL_NONE};
        EGLConfig config = nullptr;
        EGLint count = 0;
        if (!eglChooseConfig(display, config_attribs, &config, 1, &count)) {
            throw_egl("eglChooseConfig");
        }
        if (count == 0) {
            throw core::IoError("EGL", "eglChooseConfig: no RGBA8 OpenGL config on this display");
        }

        const EGLint context_attribs[] = {EGL_CONTEXT_MAJOR_VERSION,
                                          major,
                                          EGL_CONTEXT_MINOR_VERSION,
                                          minor,
                                          EGL_CONTEXT_OPENGL_PROFILE_MASK,
                                          EGL_CONTEXT_OPENGL_CORE_PROFILE_BIT,
                                          EGL_NONE};
        EGLContext context = eglCreateContext(display, config, EGL_NO_CONTEXT, context_attribs);
        if (context == EGL_NO_CONTEXT) throw_egl("eglCreateContext(OpenGL core)");
        if (!eglMakeCurrent(display, EGL_NO_SURFACE, EGL_NO_SURFACE, context)) {
            const EGLint error = eglGetError();
            eglDestroyContext(display, context);
            throw core::IoError("EGL",
                                "eglMakeCurrent(EGL_NO_SURFACE) failed: " + egl_error_name(error));
        }
        display_ = display;
        context_ = context;
    } catch (...) {
        release_display(display);
        throw;
    }
}

HeadlessContext::~HeadlessContext() {
    if (eglGetCurrentContext() == context_) {
        eglMakeCurrent(display_, EGL_NO_SURFACE, EGL_NO_SURFACE, EGL_NO_CONTEXT);
    }
    eglDestroyContext(display_, context_);
    release_display(display_);
    eglReleaseThread();
}

void HeadlessContext::make_current() {
    if (!eglMakeCurrent(display_, EGL_NO_SURFACE, EGL_NO_SURFACE, context_)) {
        throw_egl("eglMakeCurrent");
    }
}

std::string gl_renderer() {
    return gl_string(GL_RENDERER);
}

std::string gl_version() {
    return gl_string(GL_VERSION);
}

std::string egl_error_name(int code) {
    switch (code) {
        case EGL_SUCCESS: return "EGL_SUCCESS";
        case EGL_NOT_INITIALIZED: return "EGL_NOT_INITIALIZED";
        case EGL_BAD_ACCESS: return "EGL_BAD_ACCESS";
        case EGL_BAD_ALLOC: return "EGL_BAD_ALLOC";
        case EGL_BAD_ATTRIBUTE: return "EGL_BAD_ATTRIBUTE";
        case EGL_BAD_CONFIG: return "EGL_BAD_CONFIG";
        case EGL_BAD_CONTEXT: return "EGL_BAD_CONTEXT";
        case EGL_BAD_CURRENT_SURFACE: return "EGL_BAD_CURRENT_SURFACE";
        case EGL_BAD_DISPLAY: return "EGL_BAD_DISPLAY";
        case EGL_BAD_MATCH: return "EGL_BAD_MATCH";
        case EGL_BAD_NATIVE_PIXMAP: return "EGL_BAD_NATIVE_PIXMAP";
        case EGL_BAD_NATIVE_WINDOW: return "EGL_BAD_NATIVE_WINDOW";
        case EGL_BAD_PARAMETER: return "EGL_BAD_PARAMETER";
        case EGL_BAD_SURFACE: return "EGL_BAD_SURFACE";
        case EGL_CONTEXT_LOST: return "EGL_CONTEXT_LOST";
        default: {
            char buf[32];
            std::snprintf(buf, sizeof buf, "EGL error 0x%04X", static_cast<unsigned>(code));
            return buf;
        }
    }
}

}  // namespace limes::platform
