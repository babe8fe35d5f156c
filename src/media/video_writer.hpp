#pragma once
// Encodes RGBA frames into a video file through FFmpeg's libraries (Debian libavcodec,
// libavformat, libswscale): MP4 with H.264 (libx264), WebM with VP9 (libvpx), or an animated GIF,
// chosen by the file's extension. Frames are encoded as they come: nothing is written to disk
// but the video, and no program is run. FFmpeg itself is in limes' module limes-ffmpeg.so,
// loaded by the first VideoWriter of a process (encoder_module.h).
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace limes::media {

enum class VideoFormat { Mp4, WebM, Gif };

/** The format path's extension names (.mp4, .webm, .gif; any case); anything else throws
 *  core::UsageError naming it and the three. */
VideoFormat video_format_for(const std::string& path);

class VideoWriter {
  public:
    /** Opens path for frames of width x height at fps frames a second. MP4 and WebM store
     *  4:2:0 colour, so their sides must be even (throws UsageError otherwise). Written in a
     *  staging directory beside path and moved there by finish(): a failed encode leaves no
     *  half file. Throws core::IoError naming path. */
    VideoWriter(const std::string& path, int width, int height, int fps);
    ~VideoWriter();
    VideoWriter(const VideoWriter&) = delete;
    VideoWriter& operator=(const VideoWriter&) = delete;

    /** One frame: width * height * 4 bytes, row 0 at the top, straight alpha (ignored). */
    void add(const std::vector<std::uint8_t>& rgba);
    /** Flushes the encoder, writes the trailer and moves the file into place. */
    void finish();

    /** Frames added so far. */
    long frames() const;

  private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace limes::media
