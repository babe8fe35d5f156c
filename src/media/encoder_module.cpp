// limes' FFmpeg module (limes-ffmpeg.so): the encoders behind media::VideoWriter, through
// FFmpeg's libraries (Debian libavcodec, libavformat, libavutil, libswscale). Loaded by
// video_writer.cpp on the first video a process writes, so that no other run of limes pays
// for loading FFmpeg and its codecs. Its interface is encoder_module.h: C linkage, errors as
// messages, nothing thrown across it.
extern "C" {
#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libavutil/imgutils.h>
#include <libavutil/opt.h>
#include <libswscale/swscale.h>
}

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <stdexcept>
#include <string>
#include <vector>

#include "media/encoder_module.h"

namespace {

std::string av_error(int code) {
    char buf[AV_ERROR_MAX_STRING_SIZE] = {};
    av_strerror(code, buf, sizeof buf);
    return buf;
}

/** A failure of an FFmpeg call, turned into the message of the interface's return value. */
struct Failure : std::runtime_error {
    using std::runtime_error::runtime_error;
};

void say(const char* what, char* err, std::size_t err_size) {
    if (err && err_size) std::snprintf(err, err_size, "%s", what);
}

// A GIF frame's palette (256 colours at most): the frame's most frequent colours at 5 bits a
// channel, and the nearest of them for every 5-bit colour. Map fills are pale and close
// together (Armenia's beige and Azerbaijan's green differ by a few levels): a fixed colour
// cube would turn both white, so each frame gets the colours it has; anti-aliased edges, the
// rare ones, take their nearest.
struct GifPalette {
    std::array<std::uint32_t, 256> argb{};
    std::vector<std::uint8_t> nearest;  // 32*32*32

    explicit GifPalette(const std::uint8_t* rgba, std::size_t size) {
        std::vector<std::uint32_t> count(32 * 32 * 32, 0);
        for (std::size_t i = 0; i + 3 < size; i += 4)
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
                    std::find(order.begin(), order.begin() + static_cast<long>(n), c) -
                    order.begin());
                continue;
            }
            const int R = int(c >> 10) * 8 + 4, G = int(c >> 5 & 31) * 8 + 4,
                      B = int(c & 31) * 8 + 4;
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

struct LimesVideo {
    int format = LIMES_VIDEO_MP4;  // encoder_module.h's LIMES_VIDEO_*
    int width = 0, height = 0;
    AVFormatContext* fmt = nullptr;
    AVCodecContext* enc = nullptr;
    AVStream* stream = nullptr;
    AVFrame* frame = nullptr;
    AVPacket* packet = nullptr;
    SwsContext* sws = nullptr;
    long count = 0;

    ~LimesVideo() {
        sws_freeContext(sws);
        av_packet_free(&packet);
        av_frame_free(&frame);
        avcodec_free_context(&enc);
        if (fmt) {
            if (fmt->pb) avio_closep(&fmt->pb);
            avformat_free_context(fmt);
        }
    }

    static void check(int rc, const char* what) {
        if (rc < 0) throw Failure(std::string(what) + ": " + av_error(rc));
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

    void open(const char* file, int fps) {
        av_log_set_level(AV_LOG_ERROR);  // the encoders' statistics are not the user's business
        const char* muxer = format == LIMES_VIDEO_MP4    ? "mp4"
                            : format == LIMES_VIDEO_WEBM ? "webm"
                                                         : "gif";
        const char* codec_name = format == LIMES_VIDEO_MP4    ? "libx264"
                                 : format == LIMES_VIDEO_WEBM ? "libvpx-vp9"
                                                              : "gif";
        check(avformat_alloc_output_context2(&fmt, nullptr, muxer, file), "output");
        const AVCodec* codec = avcodec_find_encoder_by_name(codec_name);
        if (!codec)
            throw Failure(std::string("FFmpeg has no ") + codec_name +
                          " encoder (Debian libavcodec59 has it)");
        stream = avformat_new_stream(fmt, nullptr);
        enc = avcodec_alloc_context3(codec);
        frame = av_frame_alloc();
        packet = av_packet_alloc();
        if (!stream || !enc || !frame || !packet) throw Failure("out of memory");
        enc->width = width;
        enc->height = height;
        enc->time_base = AVRational{1, fps};
        enc->framerate = AVRational{fps, 1};
        stream->time_base = enc->time_base;
        stream->avg_frame_rate = enc->framerate;
        stream->r_frame_rate = enc->framerate;
        AVPixelFormat pix = AV_PIX_FMT_YUV420P;
        if (format == LIMES_VIDEO_GIF) {
            pix = AV_PIX_FMT_PAL8;
        } else {
            // BT.601 limited range: what swscale's RGB -> YUV uses by default, said in the
            // stream so that players convert back the same way.
            enc->colorspace = AVCOL_SPC_SMPTE170M;
            enc->color_primaries = AVCOL_PRI_SMPTE170M;
            enc->color_trc = AVCOL_TRC_SMPTE170M;
            enc->color_range = AVCOL_RANGE_MPEG;
            enc->gop_size = 2 * fps;
        }
        enc->pix_fmt = pix;
        if (format == LIMES_VIDEO_MP4) {
            // Near-transparent quality for maps (thin lines, small text); veryfast keeps a
            // 1080p frame's encode well under its render time.
            av_opt_set(enc->priv_data, "preset", "veryfast", 0);
            av_opt_set(enc->priv_data, "crf", "18", 0);
        } else if (format == LIMES_VIDEO_WEBM) {
            av_opt_set(enc->priv_data, "deadline", "good", 0);
            av_opt_set(enc->priv_data, "cpu-used", "5", 0);
            av_opt_set(enc->priv_data, "row-mt", "1", 0);
            av_opt_set(enc->priv_data, "crf", "24", 0);
            enc->bit_rate = 0;  // constant quality
        }
        if (fmt->oformat->flags & AVFMT_GLOBALHEADER) enc->flags |= AV_CODEC_FLAG_GLOBAL_HEADER;
        check(avcodec_open2(enc, codec, nullptr), "opening the encoder");
        check(avcodec_parameters_from_context(stream->codecpar, enc), "stream parameters");
        frame->format = pix;
        frame->width = width;
        frame->height = height;
        check(av_frame_get_buffer(frame, 0), "frame buffer");
        if (format != LIMES_VIDEO_GIF) {
            sws = sws_getContext(width, height, AV_PIX_FMT_RGBA, width, height, pix, SWS_BICUBIC,
                                 nullptr, nullptr, nullptr);
            if (!sws) throw Failure("no RGBA -> YUV conversion");
        }
        check(avio_open(&fmt->pb, file, AVIO_FLAG_WRITE), "opening");
        AVDictionary* opts = nullptr;
        // MP4: the index at the front, so browsers and players start before the whole file
        // is read.
        if (format == LIMES_VIDEO_MP4) av_dict_set(&opts, "movflags", "+faststart", 0);
        const int rc = avformat_write_header(fmt, &opts);
        av_dict_free(&opts);
        check(rc, "writing the header");
    }

    void add(const std::uint8_t* rgba) {
        check(av_frame_make_writable(frame), "frame buffer");
        if (format == LIMES_VIDEO_GIF) {
            const GifPalette palette(rgba, std::size_t(width) * height * 4);
            std::uint8_t* out = frame->data[0];
            for (int y = 0; y < height; ++y) {
                const std::uint8_t* p = rgba + std::size_t(y) * width * 4;
                std::uint8_t* row = out + std::size_t(y) * frame->linesize[0];
                for (int x = 0; x < width; ++x, p += 4)
                    row[x] = palette.nearest[((p[0] >> 3) * 32 + (p[1] >> 3)) * 32 + (p[2] >> 3)];
            }
            std::memcpy(frame->data[1], palette.argb.data(), 256 * 4);
        } else {
            const std::uint8_t* src[1] = {rgba};
            const int stride[1] = {width * 4};
            sws_scale(sws, src, stride, 0, height, frame->data, frame->linesize);
        }
        frame->pts = count++;
        encode(frame);
    }

    void finish() {
        encode(nullptr);
        check(av_write_trailer(fmt), "writing the trailer");
        check(avio_closep(&fmt->pb), "closing");
    }
};

// The interface (encoder_module.h), looked up by name with dlsym.
extern "C" {

__attribute__((visibility("default"))) LimesVideo* limes_video_open(int abi, const char* file,
                                                                    int format, int width,
                                                                    int height, int fps, char* err,
                                                                    size_t err_size) {
    if (abi != LIMES_VIDEO_ABI) {
        say("limes and its FFmpeg module are of different builds", err, err_size);
        return nullptr;
    }
    LimesVideo* v = nullptr;
    try {
        v = new LimesVideo;
        v->format = format, v->width = width, v->height = height;
        v->open(file, fps);
        return v;
    } catch (const std::exception& e) {
        delete v;
        say(e.what(), err, err_size);
        return nullptr;
    }
}

__attribute__((visibility("default"))) int limes_video_add(LimesVideo* v, const uint8_t* rgba,
                                                           char* err, size_t err_size) {
    try {
        v->add(rgba);
        return 0;
    } catch (const std::exception& e) {
        say(e.what(), err, err_size);
        return -1;
    }
}

__attribute__((visibility("default"))) int limes_video_finish(LimesVideo* v, char* err,
                                                              size_t err_size) {
    try {
        v->finish();
        return 0;
    } catch (const std::exception& e) {
        say(e.what(), err, err_size);
        return -1;
    }
}

__attribute__((visibility("default"))) void limes_video_close(LimesVideo* v) {
    delete v;
}

}  // extern "C"
