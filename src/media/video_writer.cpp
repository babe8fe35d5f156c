#include "media/video_writer.hpp"

extern "C" {
#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libavutil/imgutils.h>
#include <libavutil/opt.h>
#include <libswscale/swscale.h>
}

#include <algorithm>
#include <array>
#include <cmath>
#include <cstring>
#include <optional>

#include "core/error.hpp"
#include "core/text.hpp"
#include "geo/formats/safe_output.hpp"

namespace limes::media {
namespace {

std::string av_error(int code) {
    char buf[AV_ERROR_MAX_STRING_SIZE] = {};
    av_strerror(code, buf, sizeof buf);
    return buf;
}

std::string extension_of(const std::string& path) {
    const auto slash = path.find_last_of('/');
    const auto dot = path.find_last_of('.');
    if (dot == std::string::npos || (slash != std::string::npos && dot < slash)) return "";
    return path.substr(dot);
}

// A GIF frame's palette (256 colours at most): the frame's most frequent colours at 5 bits a
// channel, and the nearest of them for every 5-bit colour. Map fills are pale and close
// together (Armenia's beige and Azerbaijan's green differ by a few levels): a fixed colour
// cube would turn both white, so each frame gets the colours it has; anti-aliased edges, the
// rare ones, take their nearest.
struct GifPalette {
    std::array<std::uint32_t, 256> argb{};
    std::vector<std::uint8_t> nearest;  // 32*32*32

    explicit GifPalette(const std::vector<std::uint8_t>& rgba) {
        std::vector<std::uint32_t> count(32 * 32 * 32, 0);
        for (std::size_t i = 0; i + 3 < rgba.size(); i += 4)
            ++count[((rgba[i] >> 3) * 32 + (rgba[i + 1] >> 3)) * 32 + (rgba[i + 2] >> 3)];
        std::vector<std::uint32_t> order;
        for (std::uint32_t c = 0; c < count.size(); ++c)
            if (count[c]) order.push_back(c);
        const std::size_t n = std::min<std::size_t>(256, order.size());
        std::partial_sort(order.begin(), order.begin() + static_cast<long>(n), order.end(),
                          [&](std::uint32_t a, std::uint32_t b) { return count[a] > count[b]; });
        int rgb[256][3] = {};
        for (std::size_t k = 0; k < n; ++k) {
            const std::uint32_t c = order[k];
            // The middle of the 5-bit cell, as 8 bits.
            rgb[k][0] = int(c >> 10) * 8 + 4, rgb[k][1] = int(c >> 5 & 31) * 8 + 4,
            rgb[k][2] = int(c & 31) * 8 + 4;
            argb[k] = 0xFF000000u | std::uint32_t(rgb[k][0]) << 16 | std::uint32_t(rgb[k][1]) << 8 |
                      std::uint32_t(rgb[k][2]);
        }
        nearest.resize(32 * 32 * 32);
        for (std::uint32_t c = 0; c < nearest.size(); ++c) {
            if (count[c] && n == order.size()) {  // every colour has its own entry
                nearest[c] = static_cast<std::uint8_t>(
                    std::find(order.begin(), order.begin() + static_cast<long>(n), c) - order.begin());
                continue;
            }
            const int R = int(c >> 10) * 8 + 4, G = int(c >> 5 & 31) * 8 + 4, B = int(c & 31) * 8 + 4;
            int best = 0;
            long best_d = 1L << 40;
            for (std::size_t k = 0; k < n; ++k) {
                const int dr = R - rgb[k][0], dg = G - rgb[k][1], db = B - rgb[k][2];
                const long d = 3L * dr * dr + 4L * dg * dg + 2L * db * db;
                if (d < best_d) best_d = d, best = static_cast<int>(k);
            }
            nearest[c] = static_cast<std::uint8_t>(best);
        }
    }
};

}  // namespace

VideoFormat video_format_for(const std::string& path) {
    const std::string ext = core::to_lower(extension_of(path));
    if (ext == ".mp4") return VideoFormat::Mp4;
    if (ext == ".webm") return VideoFormat::WebM;
    if (ext == ".gif") return VideoFormat::Gif;
    throw core::UsageError("-o " + path + ": " +
                           (ext.empty() ? std::string("has no extension")
                                        : "ends in '" + extension_of(path) + "'") +
                           "; limes animate writes .mp4 (H.264), .webm (VP9) or .gif, chosen by "
                           "the extension");
}

struct VideoWriter::Impl {
    std::string path;
    VideoFormat format;
    int width, height, fps;
    std::optional<geo::StagingDir> stage;
    std::string staged;
    AVFormatContext* fmt = nullptr;
    AVCodecContext* enc = nullptr;
    AVStream* stream = nullptr;
    AVFrame* frame = nullptr;
    AVPacket* packet = nullptr;
    SwsContext* sws = nullptr;
    long count = 0;
    bool finished = false;

    ~Impl() {
        sws_freeContext(sws);
        av_packet_free(&packet);
        av_frame_free(&frame);
        avcodec_free_context(&enc);
        if (fmt) {
            if (fmt->pb) avio_closep(&fmt->pb);
            avformat_free_context(fmt);
        }
    }

    void check(int rc, const char* what) const {
        if (rc < 0) throw core::IoError(path, std::string(what) + ": " + av_error(rc));
    }

    // Sends frame (null: flush) and writes the packets the encoder hands back.
    void encode(AVFrame* f) {
        check(avcodec_send_frame(enc, f), "encoding a frame");
        for (;;) {
            const int rc = avcodec_receive_packet(enc, packet);
            if (rc == AVERROR(EAGAIN) || rc == AVERROR_EOF) return;
            check(rc, "encoding a frame");
            av_packet_rescale_ts(packet, enc->time_base, stream->time_base);
            packet->stream_index = stream->index;
            check(av_interleaved_write_frame(fmt, packet), "writing a frame");
        }
    }
};

VideoWriter::VideoWriter(const std::string& path, int width, int height, int fps)
    : impl_(std::make_unique<Impl>()) {
    Impl& m = *impl_;
    m.path = path;
    av_log_set_level(AV_LOG_ERROR);  // the encoders' statistics are not the user's business
    m.format = video_format_for(path);
    m.width = width, m.height = height, m.fps = fps;
    if (width < 2 || height < 2 || width > 16384 || height > 16384)
        throw core::UsageError("--size " + std::to_string(width) + "x" + std::to_string(height) +
                               ": each side must be 2..16384 pixels for a video");
    if (m.format != VideoFormat::Gif && (width % 2 || height % 2))
        throw core::UsageError("--size " + std::to_string(width) + "x" + std::to_string(height) +
                               ": MP4 and WebM need even sides (4:2:0 colour)");
    if (fps < 1 || fps > 120) throw core::UsageError("--fps must be 1..120");
    m.stage.emplace(path);
    m.staged = m.stage->path(geo::file_name_of(path));

    const char* muxer = m.format == VideoFormat::Mp4 ? "mp4" : m.format == VideoFormat::WebM ? "webm" : "gif";
    const char* codec_name = m.format == VideoFormat::Mp4    ? "libx264"
                             : m.format == VideoFormat::WebM ? "libvpx-vp9"
                                                             : "gif";
    m.check(avformat_alloc_output_context2(&m.fmt, nullptr, muxer, m.staged.c_str()), "output");
    const AVCodec* codec = avcodec_find_encoder_by_name(codec_name);
    if (!codec)
        throw core::IoError(path, std::string("FFmpeg has no ") + codec_name +
                                      " encoder (Debian libavcodec59 has it)");
    m.stream = avformat_new_stream(m.fmt, nullptr);
    m.enc = avcodec_alloc_context3(codec);
    m.frame = av_frame_alloc();
    m.packet = av_packet_alloc();
    if (!m.stream || !m.enc || !m.frame || !m.packet) throw core::IoError(path, "out of memory");
    m.enc->width = width;
    m.enc->height = height;
    m.enc->time_base = AVRational{1, fps};
    m.enc->framerate = AVRational{fps, 1};
    m.stream->time_base = m.enc->time_base;
    m.stream->avg_frame_rate = m.enc->framerate;
    m.stream->r_frame_rate = m.enc->framerate;
    AVPixelFormat pix = AV_PIX_FMT_YUV420P;
    if (m.format == VideoFormat::Gif) {
        pix = AV_PIX_FMT_PAL8;
    } else {
        // BT.601 limited range: what swscale's RGB -> YUV uses by default, said in the stream
        // so that players convert back the same way.
        m.enc->colorspace = AVCOL_SPC_SMPTE170M;
        m.enc->color_primaries = AVCOL_PRI_SMPTE170M;
        m.enc->color_trc = AVCOL_TRC_SMPTE170M;
        m.enc->color_range = AVCOL_RANGE_MPEG;
        m.enc->gop_size = 2 * fps;
    }
    m.enc->pix_fmt = pix;
    if (m.format == VideoFormat::Mp4) {
        // Near-transparent quality for maps (thin lines, small text); veryfast keeps a 1080p
        // frame's encode well under its render time.
        av_opt_set(m.enc->priv_data, "preset", "veryfast", 0);
        av_opt_set(m.enc->priv_data, "crf", "18", 0);
    } else if (m.format == VideoFormat::WebM) {
        av_opt_set(m.enc->priv_data, "deadline", "good", 0);
        av_opt_set(m.enc->priv_data, "cpu-used", "5", 0);
        av_opt_set(m.enc->priv_data, "row-mt", "1", 0);
        av_opt_set(m.enc->priv_data, "crf", "24", 0);
        m.enc->bit_rate = 0;  // constant quality
    }
    if (m.fmt->oformat->flags & AVFMT_GLOBALHEADER) m.enc->flags |= AV_CODEC_FLAG_GLOBAL_HEADER;
    m.check(avcodec_open2(m.enc, codec, nullptr), "opening the encoder");
    m.check(avcodec_parameters_from_context(m.stream->codecpar, m.enc), "stream parameters");
    m.frame->format = pix;
    m.frame->width = width;
    m.frame->height = height;
    m.check(av_frame_get_buffer(m.frame, 0), "frame buffer");
    if (m.format != VideoFormat::Gif) {
        m.sws = sws_getContext(width, height, AV_PIX_FMT_RGBA, width, height, pix, SWS_BICUBIC,
                               nullptr, nullptr, nullptr);
        if (!m.sws) throw core::IoError(path, "no RGBA -> YUV conversion");
    }
    m.check(avio_open(&m.fmt->pb, m.staged.c_str(), AVIO_FLAG_WRITE), "opening");
    AVDictionary* opts = nullptr;
    // MP4: the index at the front, so browsers and players start before the whole file is read.
    if (m.format == VideoFormat::Mp4) av_dict_set(&opts, "movflags", "+faststart", 0);
    const int rc = avformat_write_header(m.fmt, &opts);
    av_dict_free(&opts);
    m.check(rc, "writing the header");
}

VideoWriter::~VideoWriter() = default;

long VideoWriter::frames() const { return impl_->count; }

void VideoWriter::add(const std::vector<std::uint8_t>& rgba) {
    Impl& m = *impl_;
    if (rgba.size() != std::size_t(m.width) * m.height * 4)
        throw core::Error(core::ErrorKind::Internal, "video frame of the wrong size");
    m.check(av_frame_make_writable(m.frame), "frame buffer");
    if (m.format == VideoFormat::Gif) {
        const GifPalette palette(rgba);
        std::uint8_t* out = m.frame->data[0];
        for (int y = 0; y < m.height; ++y) {
            const std::uint8_t* p = &rgba[std::size_t(y) * m.width * 4];
            std::uint8_t* row = out + std::size_t(y) * m.frame->linesize[0];
            for (int x = 0; x < m.width; ++x, p += 4)
                row[x] = palette.nearest[((p[0] >> 3) * 32 + (p[1] >> 3)) * 32 + (p[2] >> 3)];
        }
        std::memcpy(m.frame->data[1], palette.argb.data(), 256 * 4);
    } else {
        const std::uint8_t* src[1] = {rgba.data()};
        const int stride[1] = {m.width * 4};
        sws_scale(m.sws, src, stride, 0, m.height, m.frame->data, m.frame->linesize);
    }
    m.frame->pts = m.count++;
    m.encode(m.frame);
}

void VideoWriter::finish() {
    Impl& m = *impl_;
    if (m.finished) return;
    m.encode(nullptr);
    m.check(av_write_trailer(m.fmt), "writing the trailer");
    m.check(avio_closep(&m.fmt->pb), "closing");
    m.finished = true;
    m.stage->publish(geo::file_name_of(m.path), m.path);
}

}  // namespace limes::media
