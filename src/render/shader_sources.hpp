#pragma once
// The GLSL files of the top-level shaders/ folder, embedded at build time as string literals
// (render/embed_shaders.cmake writes embedded_shaders.cpp into the build tree; editing a shader
// regenerates it). No file is read at run time.
#include <string_view>
#include <vector>

namespace limes::render {

/** Source text of shaders/<name> (e.g. "fill.vert"); throws std::out_of_range if unknown. */
std::string_view shader_source(std::string_view name);

/** Names of all embedded shader files, sorted. */
std::vector<std::string_view> shader_names();

}  // namespace limes::render
