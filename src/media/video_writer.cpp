#include "media/video_writer.hpp"

#include <dlfcn.h>

#include <array>
#include <mutex>
#include <optional>

#include "core/error.hpp"
#include "core/program_dir.hpp"
#include "core/text.hpp"
#include "geo/formats/safe_output.hpp"
#include "media/encoder_module.h"

namespace limes::media {

/** The FFmpeg module's entry points (encoder_module.h). */
struct EncoderModule {
    limes_video_open_fn open = nullptr;
    limes_video_add_fn add = nullptr;
    limes_video_finish_fn finish = nullptr;
    limes_video_close_fn close = nullptr;
};

namespace {

std::string extension_of(const std::string& path) {
    const auto slash = path.find_last_of('/');
    const auto dot = path.find_last_of('.');
    if (dot == std::string::npos || (slash != std::string::npos && dot < slash)) return "";
    return path.substr(dot);
}

/** Loads limes-ffmpeg.so once per process and keeps it (never dlclose'd). Looked for beside
 *  the program's prefix, so that a moved installation still finds it: PREFIX/lib/limes for
 *  an installed bin/limes, and the build tree's lib/limes for build/limes and the programs
 *  in build's subfolders (tests, bench). Throws core::IoError naming path (the video). */
const EncoderModule& module_for(const std::string& path) {
    static std::once_flag once;
    static EncoderModule module;
    static std::string failure;
    std::call_once(once, [] {
        const std::string dir = core::program_dir();
        std::string tried;
        void* handle = nullptr;
        for (const std::string& candidate :
             {dir + "/../lib/limes/limes-ffmpeg.so", dir + "/lib/limes/limes-ffmpeg.so"}) {
            handle = ::dlopen(candidate.c_str(), RTLD_NOW | RTLD_LOCAL);
            if (handle) break;
            const char* why = ::dlerror();
            // dlerror names the file and why ("...: cannot open shared object file").
            tried += (tried.empty() ? "" : "; ") + (why ? std::string(why) : candidate);
        }
        if (!handle) {
            failure = "cannot load limes' FFmpeg module (" + tried + ")";
            return;
        }
        module.open = reinterpret_cast<limes_video_open_fn>(::dlsym(handle, "limes_video_open"));
        module.add = reinterpret_cast<limes_video_add_fn>(::dlsym(handle, "limes_video_add"));
        module.finish =
            reinterpret_cast<limes_video_finish_fn>(::dlsym(handle, "limes_video_finish"));
        module.close = reinterpret_cast<limes_video_close_fn>(::dlsym(handle, "limes_video_close"));
        if (!module.open || !module.add || !module.finish || !module.close)
            failure = "limes' FFmpeg module lacks its entry points (a different build?)";
    });
    if (!failure.empty()) throw core::IoError(path, failure);
    return module;
}

}  // namespace

VideoFormat video_format_for(const std::string& path) {
    const std::string ext = core::to_lower(extension_of(path));
    if (ext == ".mp4") return VideoFormat::Mp4;
    if (ext == ".webm") return VideoFormat::WebM;
    if (ext == ".gif") return VideoFormat::Gif;
    throw core::UsageError(
        "-o " + path + ": " +
        (ext.empty() ? std::string("has no extension") : "ends in '" + extension_of(path) + "'") +
        "; limes animate writes .mp4 (H.264), .webm (VP9) or .gif, chosen by "
        "the extension");
}

struct VideoWriter::Impl {
    std::string path;
    VideoFormat format;
    int width, height, fps;
    std::optional<geo::StagingDir> stage;
    std::string staged;
    const EncoderModule* module = nullptr;
    LimesVideo* video = nullptr;
    long count = 0;
    bool finished = false;

    ~Impl() {
        if (video) module->close(video);
    }

    /** rc of a module call: nonzero throws core::IoError naming the video, with err. */
    void check(int rc, const std::array<char, 512>& err) const {
        if (rc != 0) throw core::IoError(path, err.data());
    }
};

VideoWriter::VideoWriter(const std::string& path, int width, int height, int fps)
    : impl_(std::make_unique<Impl>()) {
    Impl& m = *impl_;
    m.path = path;
    m.format = video_format_for(path);
    m.width = width, m.height = height, m.fps = fps;
    if (width < 2 || height < 2 || width > 16384 || height > 16384)
        throw core::UsageError("--size " + std::to_string(width) + "x" + std::to_string(height) +
                               ": each side must be 2..16384 pixels for a video");
    if (m.format != VideoFormat::Gif && (width % 2 || height % 2))
        throw core::UsageError("--size " + std::to_string(width) + "x" + std::to_string(height) +
                               ": MP4 and WebM need even sides (4:2:0 colour)");
    if (fps < 1 || fps > 120) throw core::UsageError("--fps must be 1..120");
    m.module = &module_for(path);
    m.stage.emplace(path);
    m.staged = m.stage->path(geo::file_name_of(path));
    std::array<char, 512> err{};
    const int format = m.format == VideoFormat::Mp4    ? LIMES_VIDEO_MP4
                       : m.format == VideoFormat::WebM ? LIMES_VIDEO_WEBM
                                                       : LIMES_VIDEO_GIF;
    m.video = m.module->open(LIMES_VIDEO_ABI, m.staged.c_str(), format, width, height, fps,
                             err.data(), err.size());
    if (!m.video) throw core::IoError(path, err.data());
}

VideoWriter::~VideoWriter() = default;

long VideoWriter::frames() const {
    return impl_->count;
}

void VideoWriter::add(const std::vector<std::uint8_t>& rgba) {
    Impl& m = *impl_;
    if (rgba.size() != std::size_t(m.width) * m.height * 4)
        throw core::Error(core::ErrorKind::Internal, "video frame of the wrong size");
    std::array<char, 512> err{};
    m.check(m.module->add(m.video, rgba.data(), err.data(), err.size()), err);
    ++m.count;
}

void VideoWriter::finish() {
    Impl& m = *impl_;
    if (m.finished) return;
    std::array<char, 512> err{};
    m.check(m.module->finish(m.video, err.data(), err.size()), err);
    m.finished = true;
    m.stage->publish(geo::file_name_of(m.path), m.path);
}

}  // namespace limes::media
