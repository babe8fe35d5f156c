#pragma once
// OpenGL 3.3 core entry points for src/render: prototypes straight from libGL (libglvnd
// dispatches them to the current context's driver), no loader. Include this, never <GL/gl.h>.
#define GL_GLEXT_PROTOTYPES 1
#include <GL/gl.h>
#include <GL/glext.h>

#include <string>

namespace limes::render {

/** Name of a GL error code, e.g. GL_OUT_OF_MEMORY. */
std::string gl_error_name(GLenum code);

/** Throws core::IoError("OpenGL: <what>: GL_...") if glGetError() reports an error; clears all
 *  pending errors either way. */
void check_gl(const char* what);

}  // namespace limes::render
