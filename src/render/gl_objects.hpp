#pragma once
// RAII owners of OpenGL object names: each deletes its object when destroyed, is move-only,
// and must be created and destroyed while the owning context is current.
#include <string_view>
#include <utility>

#include "render/gl.hpp"

namespace limes::render {

/** Owns one GL object name; Delete frees it (never called with 0). */
template <void (*Delete)(GLuint)>
class GlObject {
  public:
    GlObject() = default;
    explicit GlObject(GLuint id) : id_(id) {}
    ~GlObject() { reset(); }
    GlObject(GlObject&& other) noexcept : id_(std::exchange(other.id_, 0)) {}
    GlObject& operator=(GlObject&& other) noexcept {
        if (this != &other) {
            reset();
            id_ = std::exchange(other.id_, 0);
        }
        return *this;
    }
    GlObject(const GlObject&) = delete;
    GlObject& operator=(const GlObject&) = delete;

    GLuint id() const { return id_; }
    explicit operator bool() const { return id_ != 0; }
    void reset() {
        if (id_ != 0) Delete(id_);
        id_ = 0;
    }

  private:
    GLuint id_ = 0;
};

/** A byte offset into the bound buffer, as glVertexAttribPointer takes it. */
inline const void* byte_offset(std::size_t bytes) {
    return reinterpret_cast<const void*>(bytes);
}

namespace detail {
void delete_program(GLuint id);
void delete_shader(GLuint id);
void delete_buffer(GLuint id);
void delete_vertex_array(GLuint id);
void delete_texture(GLuint id);
void delete_renderbuffer(GLuint id);
void delete_framebuffer(GLuint id);
}  // namespace detail

using Program = GlObject<detail::delete_program>;
using Shader = GlObject<detail::delete_shader>;
using Buffer = GlObject<detail::delete_buffer>;
using VertexArray = GlObject<detail::delete_vertex_array>;
using Texture = GlObject<detail::delete_texture>;
using Renderbuffer = GlObject<detail::delete_renderbuffer>;
using Framebuffer = GlObject<detail::delete_framebuffer>;

Buffer make_buffer();              ///< glGenBuffers
VertexArray make_vertex_array();   ///< glGenVertexArrays
Texture make_texture();            ///< glGenTextures
Renderbuffer make_renderbuffer();  ///< glGenRenderbuffers
Framebuffer make_framebuffer();    ///< glGenFramebuffers

/** Compiles and links the embedded shaders/<vert_name> and shaders/<frag_name> (see
 *  shader_sources.hpp). Throws core::IoError ("OpenGL") with the file name and the driver's log. */
Program make_program(std::string_view vert_name, std::string_view frag_name);

/** Uniform location by name; throws core::IoError ("OpenGL") when the program lacks it (a typo or a
 *  uniform the GLSL compiler optimised away), so mistakes fail loudly at start-up. */
GLint uniform_location(const Program& program, const char* name);

}  // namespace limes::render
