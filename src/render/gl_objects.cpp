#include "render/gl_objects.hpp"
#include "core/error.hpp"

#include <cstdio>
#include <stdexcept>
#include <string>

#include "render/shader_sources.hpp"

namespace limes::render {

std::string gl_error_name(GLenum code) {
    switch (code) {
        case GL_NO_ERROR: return "GL_NO_ERROR";
        case GL_INVALID_ENUM: return "GL_INVALID_ENUM";
        case GL_INVALID_VALUE: return "GL_INVALID_VALUE";
        case GL_INVALID_OPERATION: return "GL_INVALID_OPERATION";
        case GL_INVALID_FRAMEBUFFER_OPERATION: return "GL_INVALID_FRAMEBUFFER_OPERATION";
        case GL_OUT_OF_MEMORY: return "GL_OUT_OF_MEMORY";
        default: {
            char buf[32];
            std::snprintf(buf, sizeof buf, "GL error 0x%04X", code);
            return buf;
        }
    }
}

void check_gl(const char* what) {
    const GLenum first = glGetError();
    if (first == GL_NO_ERROR) return;
    // Drain the rest so the next check reports only its own errors (bounded: a lost context
    // can report errors forever).
    for (int i = 0; i < 16 && glGetError() != GL_NO_ERROR; ++i) {
    }
    throw core::IoError("OpenGL", std::string(what) + ": " + gl_error_name(first));
}

namespace detail {
void delete_program(GLuint id) {
    glDeleteProgram(id);
}
void delete_shader(GLuint id) {
    glDeleteShader(id);
}
void delete_buffer(GLuint id) {
    glDeleteBuffers(1, &id);
}
void delete_vertex_array(GLuint id) {
    glDeleteVertexArrays(1, &id);
}
void delete_texture(GLuint id) {
    glDeleteTextures(1, &id);
}
void delete_renderbuffer(GLuint id) {
    glDeleteRenderbuffers(1, &id);
}
void delete_framebuffer(GLuint id) {
    glDeleteFramebuffers(1, &id);
}
}  // namespace detail

namespace {

template <typename T>
T generate(void (*gen)(GLsizei, GLuint*), const char* what) {
    GLuint id = 0;
    gen(1, &id);
    if (id == 0) throw core::IoError("OpenGL", std::string(what) + " returned no name");
    return T(id);
}

Shader compile(GLenum type, std::string_view name) {
    const std::string_view source = shader_source(name);
    Shader shader(glCreateShader(type));
    if (!shader)
        throw core::IoError("OpenGL", "glCreateShader failed for shaders/" + std::string(name));
    const GLchar* text = source.data();
    const GLint length = static_cast<GLint>(source.size());
    glShaderSource(shader.id(), 1, &text, &length);
    glCompileShader(shader.id());
    GLint ok = GL_FALSE;
    glGetShaderiv(shader.id(), GL_COMPILE_STATUS, &ok);
    if (!ok) {
        GLint log_length = 0;
        glGetShaderiv(shader.id(), GL_INFO_LOG_LENGTH, &log_length);
        std::string log(static_cast<std::size_t>(log_length > 1 ? log_length : 1), '\0');
        glGetShaderInfoLog(shader.id(), log_length, nullptr, log.data());
        throw core::IoError("OpenGL",
                            "shaders/" + std::string(name) + " does not compile:\n" + log);
    }
    return shader;
}

}  // namespace

Buffer make_buffer() {
    return generate<Buffer>(glGenBuffers, "glGenBuffers");
}
VertexArray make_vertex_array() {
    return generate<VertexArray>(glGenVertexArrays, "glGenVertexArrays");
}
Texture make_texture() {
    return generate<Texture>(glGenTextures, "glGenTextures");
}
Renderbuffer make_renderbuffer() {
    return generate<Renderbuffer>(glGenRenderbuffers, "glGenRenderbuffers");
}
Framebuffer make_framebuffer() {
    return generate<Framebuffer>(glGenFramebuffers, "glGenFramebuffers");
}

Program make_program(std::string_view vert_name, std::string_view frag_name) {
    const Shader vert = compile(GL_VERTEX_SHADER, vert_name);
    const Shader frag = compile(GL_FRAGMENT_SHADER, frag_name);
    Program program(glCreateProgram());
    if (!program) throw core::IoError("OpenGL", "glCreateProgram failed");
    glAttachShader(program.id(), vert.id());
    glAttachShader(program.id(), frag.id());
    glLinkProgram(program.id());
    glDetachShader(program.id(), vert.id());
    glDetachShader(program.id(), frag.id());
    GLint ok = GL_FALSE;
    glGetProgramiv(program.id(), GL_LINK_STATUS, &ok);
    if (!ok) {
        GLint log_length = 0;
        glGetProgramiv(program.id(), GL_INFO_LOG_LENGTH, &log_length);
        std::string log(static_cast<std::size_t>(log_length > 1 ? log_length : 1), '\0');
        glGetProgramInfoLog(program.id(), log_length, nullptr, log.data());
        throw core::IoError("OpenGL", "shaders/" + std::string(vert_name) + " + " +
                                          std::string(frag_name) + " do not link:\n" + log);
    }
    return program;
}

GLint uniform_location(const Program& program, const char* name) {
    const GLint location = glGetUniformLocation(program.id(), name);
    if (location < 0) {
        throw core::IoError("OpenGL", std::string("shader program has no active uniform ") + name);
    }
    return location;
}

}  // namespace limes::render
