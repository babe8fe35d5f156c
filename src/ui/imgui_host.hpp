#pragma once
// Dear ImGui on a GLFW window: context, fonts (Noto, with Armenian and Azerbaijani letters),
// the GLFW and OpenGL3 backends, and scripted input for replays.
#include <cstdint>
#include <string>
#include <vector>

struct GLFWwindow;

namespace limes::ui {

/** Input for one frame from a replay script, replacing the real mouse and keyboard. */
struct ScriptedInput {
    float x = 0, y = 0;                    ///< cursor, window pixels
    bool down[3] = {false, false, false};  ///< left, right, middle
    float wheel = 0;                       ///< wheel steps this frame (> 0 away from the user)
    std::vector<int> keys;                 ///< GLFW key codes pressed this frame
    bool ctrl = false, shift = false;
    std::string text;  ///< UTF-8 typed this frame
};

class ImGuiHost {
  public:
    /** font_dir: Noto fonts (default /usr/share/fonts/truetype/noto). */
    ImGuiHost(GLFWwindow* window, const std::string& font_dir = "");
    ~ImGuiHost();
    ImGuiHost(const ImGuiHost&) = delete;
    ImGuiHost& operator=(const ImGuiHost&) = delete;

    /** Starts a frame; with scripted input the real devices are ignored. */
    void new_frame(const ScriptedInput* scripted);
    /** Ends the frame's panels (ImGui::Render) and returns a digest of what they draw: the
     *  vertices, indices, clip rectangles and textures of every draw command (FNV-1a, 64
     *  bits). Equal digests: the panels look the same as the frame before. */
    std::uint64_t finish_frame();
    /** Draws the finished frame's panels into the bound framebuffer. */
    void draw();

  private:
    std::vector<int> held_keys_;
};

}  // namespace limes::ui
