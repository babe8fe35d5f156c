#pragma once
// A current OpenGL 3.3 core context with no window and no display server: EGL on Mesa's
// surfaceless platform (EGL_MESA_platform_surfaceless). On a machine without a GPU Mesa picks
// llvmpipe (CPU). There is no default framebuffer: render into a framebuffer object.
#include <string>

namespace limes::platform {

/** RAII over an EGL display + context made current on the constructing thread.
 *  The constructor throws std::runtime_error naming the failing EGL call and its error code
 *  (e.g. "eglCreateContext failed: EGL_BAD_MATCH"); the destructor releases the context and,
 *  with the last HeadlessContext of the process, terminates the display. Not copyable or
 *  movable: the GL context belongs to the thread that created it. */
class HeadlessContext {
  public:
    /** Creates an OpenGL `major`.`minor` core-profile context and makes it current. */
    explicit HeadlessContext(int major = 3, int minor = 3);
    ~HeadlessContext();
    HeadlessContext(const HeadlessContext&) = delete;
    HeadlessContext& operator=(const HeadlessContext&) = delete;

    /** Makes this context current on the calling thread again (after another was). */
    void make_current();

  private:
    void* display_ = nullptr;  // EGLDisplay
    void* context_ = nullptr;  // EGLContext
};

/** GL_RENDERER of the current context, e.g. "llvmpipe (LLVM 15.0.6, 256 bits)", for logs;
 *  "(no current OpenGL context)" when there is none. */
std::string gl_renderer();

/** GL_VERSION of the current context, e.g. "4.5 (Core Profile) Mesa 22.3.6"; same fallback. */
std::string gl_version();

/** Name of an EGL error code, e.g. 0x3003 -> "EGL_BAD_ALLOC"; unknown codes as hex. */
std::string egl_error_name(int code);

}  // namespace limes::platform
