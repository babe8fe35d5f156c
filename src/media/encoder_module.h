#pragma once
// The C interface between limes and its FFmpeg module (limes-ffmpeg.so, encoder_module.cpp).
// FFmpeg's libraries and the ~70 codec libraries they bring are loaded (dlopen) only when a
// video is written: every other run of limes starts without them (~0.06 s a start saved;
// BENCHMARKS.md, "Process start"). C linkage and plain types, no exception crosses it:
// each call reports failure through its return value and a message in err.
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/** The interface's version: the module refuses (and limes names) a mismatch. */
#define LIMES_VIDEO_ABI 1

/** The format argument of open: limes::media::VideoFormat, as an int. */
#define LIMES_VIDEO_MP4 0  /* H.264 in MP4 */
#define LIMES_VIDEO_WEBM 1 /* VP9 in WebM */
#define LIMES_VIDEO_GIF 2  /* animated GIF, a palette a frame */

/** One open encoder (encoder_module.cpp). */
typedef struct LimesVideo LimesVideo;

/** Opens an encoder writing file (a path in limes' staging directory) for frames of
 *  width x height (checked by the caller: even for MP4 and WebM, 2..16384) at fps. Returns
 *  null and a message in err (err_size bytes, always terminated) on failure. */
typedef LimesVideo* (*limes_video_open_fn)(int abi, const char* file, int format, int width,
                                           int height, int fps, char* err, size_t err_size);
/** One frame, width * height * 4 bytes of RGBA, row 0 at the top. 0: done; else a message. */
typedef int (*limes_video_add_fn)(LimesVideo* v, const uint8_t* rgba, char* err, size_t err_size);
/** Flushes the encoder and writes the trailer; the file is complete. 0: done. */
typedef int (*limes_video_finish_fn)(LimesVideo* v, char* err, size_t err_size);
/** Frees the encoder (after finish, or instead of it: the file is then incomplete). */
typedef void (*limes_video_close_fn)(LimesVideo* v);

#ifdef __cplusplus
}
#endif
