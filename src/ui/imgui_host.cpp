#include "core/text.hpp"
#include "ui/imgui_host.hpp"

#include <GLFW/glfw3.h>
#include <imgui.h>
#include <imgui_impl_glfw.h>
#include <imgui_impl_opengl3.h>

#include <cstdio>
#include <cstdlib>

namespace limes::ui {
namespace {

bool readable(const std::string& path) {
    if (std::FILE* f = std::fopen(path.c_str(), "rb")) {
        std::fclose(f);
        return true;
    }
    return false;
}

}  // namespace

ImGuiHost::ImGuiHost(GLFWwindow* window, const std::string& font_dir) {
    IMGUI_CHECKVERSION();
    ImGui::CreateContext();
    ImGuiIO& io = ImGui::GetIO();
    io.IniFilename = nullptr;  // layout is not persisted: replays must start the same way
    std::string dir = font_dir;
    if (dir.empty()) {
        const char* env = std::getenv("LIMES_FONT_DIR");
        dir = env && *env ? env : "/usr/share/fonts/truetype/noto";
    }
    // Noto Sans for Latin Extended (ə ş ğ ı) and Cyrillic, merged with Noto Sans Armenian.
    static const ImWchar latin[] = {0x0020, 0x024F, 0x0259, 0x0259, 0x0300, 0x036F, 0x0370,
                                    0x03FF, 0x0400, 0x052F, 0x1E00, 0x1EFF, 0x2000, 0x206F,
                                    0x20A0, 0x20CF, 0x2190, 0x21FF, 0x2212, 0x2212, 0};
    static const ImWchar armenian[] = {0x0530, 0x058F, 0xFB13, 0xFB17, 0};
    const std::string regular = dir + "/NotoSans-Regular.ttf";
    const std::string hy = dir + "/NotoSansArmenian-Regular.ttf";
    if (readable(regular)) {
        io.Fonts->AddFontFromFileTTF(regular.c_str(), 16.0f, nullptr, latin);
        if (readable(hy)) {
            ImFontConfig merge;
            merge.MergeMode = true;
            io.Fonts->AddFontFromFileTTF(hy.c_str(), 16.0f, &merge, armenian);
        }
    } else {
        io.Fonts->AddFontDefault();
    }
    ImGui::StyleColorsLight();
    ImGui::GetStyle().WindowRounding = 4.0f;
    ImGui_ImplGlfw_InitForOpenGL(window, true);
    ImGui_ImplOpenGL3_Init("#version 330 core");
}

ImGuiHost::~ImGuiHost() {
    ImGui_ImplOpenGL3_Shutdown();
    ImGui_ImplGlfw_Shutdown();
    ImGui::DestroyContext();
}

void ImGuiHost::new_frame(const ScriptedInput* in) {
    ImGui_ImplOpenGL3_NewFrame();
    ImGui_ImplGlfw_NewFrame();
    if (in) {
        // The GLFW backend has just read the real devices; replace them with the script's.
        ImGuiIO& io = ImGui::GetIO();
        // Scripted frames are 1/60 s apart whatever the machine's speed, so double-clicks
        // and key repeats behave the same on every run.
        io.DeltaTime = 1.0f / 60.0f;
        io.MousePos = ImVec2(in->x, in->y);
        for (int b = 0; b < 3; ++b) io.MouseDown[b] = in->down[b];
        io.MouseWheel = in->wheel;
        io.MouseWheelH = 0;
        for (int k : held_keys_) io.KeysDown[k] = false;
        held_keys_.clear();
        for (int k : in->keys)
            if (k >= 0 && k < IM_ARRAYSIZE(io.KeysDown)) {
                io.KeysDown[k] = true;
                held_keys_.push_back(k);
            }
        io.KeyCtrl = in->ctrl;
        io.KeyShift = in->shift;
        io.KeyAlt = io.KeySuper = false;
        if (!in->text.empty()) io.AddInputCharactersUTF8(in->text.c_str());
    }
    ImGui::NewFrame();
}

std::uint64_t ImGuiHost::finish_frame() {
    ImGui::Render();
    const ImDrawData* d = ImGui::GetDrawData();
    std::uint64_t h = core::kFnvOffset;
    core::fnv1a(h, &d->DisplaySize, sizeof d->DisplaySize);
    for (int i = 0; i < d->CmdListsCount; ++i) {
        const ImDrawList* list = d->CmdLists[i];
        core::fnv1a(h, list->VtxBuffer.Data, list->VtxBuffer.size_in_bytes());
        core::fnv1a(h, list->IdxBuffer.Data, list->IdxBuffer.size_in_bytes());
        for (const ImDrawCmd& c : list->CmdBuffer) {
            core::fnv1a(h, &c.ClipRect, sizeof c.ClipRect);
            const ImTextureID texture = c.GetTexID();
            core::fnv1a(h, &texture, sizeof texture);
            core::fnv1a(h, &c.ElemCount, sizeof c.ElemCount);
            core::fnv1a(h, &c.IdxOffset, sizeof c.IdxOffset);
            core::fnv1a(h, &c.VtxOffset, sizeof c.VtxOffset);
        }
    }
    return h;
}

void ImGuiHost::draw() {
    ImGui_ImplOpenGL3_RenderDrawData(ImGui::GetDrawData());
}

}  // namespace limes::ui
