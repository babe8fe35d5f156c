// `limes animate`, read back by FFmpeg's own tools (Debian ffmpeg: ffprobe counts the decoded
// frames, ffmpeg extracts one): the frame count, rate and size the options ask for, in MP4
// (H.264), WebM (VP9) and GIF; and frame N is the briefing `render` draws for frame N's day.
#include <catch2/catch.hpp>

#include <gdal_priv.h>

#include <cmath>
#include <cstdio>
#include <map>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "../geo/support.hpp"
#include "app/animate.hpp"
#include "run_limes.hpp"

using limes_test::capture;
using limes_test::check_contains;
using limes_test::run_limes;
using limes_test::scratch;

namespace {

using limes_test::kWs;

// ffprobe's key=value lines for the first video stream, frames counted by decoding.
std::map<std::string, std::string> probe(const std::string& path) {
    int status = -1;
    const std::string out = capture(
        "ffprobe -v error -select_streams v:0 -count_frames -show_entries "
        "stream=codec_name,width,height,r_frame_rate,nb_read_frames -of default=nw=1 '" +
            path + "'",
        &status);
    INFO(out);
    REQUIRE(status == 0);
    std::map<std::string, std::string> kv;
    std::istringstream in(out);
    for (std::string line; std::getline(in, line);)
        if (auto eq = line.find('='); eq != std::string::npos)
            kv[line.substr(0, eq)] = line.substr(eq + 1);
    return kv;
}

std::vector<std::uint8_t> read_rgb(const std::string& path, int& w, int& h) {
    GDALAllRegister();
    GDALDatasetUniquePtr ds(GDALDataset::Open(path.c_str(), GDAL_OF_RASTER | GDAL_OF_READONLY));
    REQUIRE(ds);
    w = ds->GetRasterXSize();
    h = ds->GetRasterYSize();
    std::vector<std::uint8_t> px(std::size_t(w) * h * 3);
    int bands[] = {1, 2, 3};
    REQUIRE(ds->RasterIO(GF_Read, 0, 0, w, h, px.data(), w, h, GDT_Byte, 3, bands, 3, 3 * w, 1,
                         nullptr) == CE_None);
    return px;
}

// Mean absolute difference per channel (0..255) and the share of pixels off by more than 64.
std::pair<double, double> difference(const std::vector<std::uint8_t>& a,
                                     const std::vector<std::uint8_t>& e) {
    REQUIRE(a.size() == e.size());
    double sum = 0;
    std::size_t far = 0;
    for (std::size_t i = 0; i < a.size(); i += 3) {
        int most = 0;
        for (int k = 0; k < 3; ++k) {
            const int d = std::abs(int(a[i + k]) - int(e[i + k]));
            sum += d;
            most = std::max(most, d);
        }
        if (most > 64) ++far;
    }
    return {sum / a.size(), double(far) / (a.size() / 3)};
}

}  // namespace

TEST_CASE("animate: MP4, WebM and GIF with the frames, rate and size asked for",
          "[animate][video]") {
    struct Case {
        const char* ext;
        const char* codec;
        const char* step;
        const char* fps;
        const char* frames;
    };
    // 12 to 14 September 2022: 3 days, so 12 frames at 6h, 6 at 12h, 3 at 1d.
    for (const Case& c : {Case{".mp4", "h264", "6h", "4", "12"}, Case{".webm", "vp9", "12h", "2", "6"},
                          Case{".gif", "gif", "1d", "1", "3"}}) {
        const std::string out = scratch("anim", c.ext);
        const auto r = run_limes({"animate", kWs, "-o", out, "--from", "2022-09-12", "--to",
                                  "2022-09-14", "--step", c.step, "--fps", c.fps, "--size",
                                  "320x180"});
        INFO(c.ext << ": " << r.err);
        REQUIRE(r.code == 0);
        const auto kv = probe(out);
        CHECK(kv.at("codec_name") == c.codec);
        CHECK(kv.at("width") == "320");
        CHECK(kv.at("height") == "180");
        CHECK(kv.at("r_frame_rate") == std::string(c.fps) + "/1");
        CHECK(kv.at("nb_read_frames") == c.frames);
    }
}

TEST_CASE("animate: frame N is the briefing render draws for frame N's day", "[animate][video]") {
  // MP4 (H.264, 4:2:0) and GIF (a palette of each frame's own 256 colours).
  for (const std::string ext : {".mp4", ".gif"}) {
    limes::app::AnimationOptions o;
    o.base.workspace = kWs;
    o.base.output = scratch("frames", ext);
    o.base.width = 480;
    o.base.height = 270;
    o.from = limes::core::Date::from_ymd(2022, 9, 12);
    o.to = limes::core::Date::from_ymd(2022, 9, 15);
    o.base.filter.from = o.from;
    o.base.filter.to = o.to;
    o.step_minutes = 1440;
    o.fps = 2;
    const auto r = run_limes({"animate", kWs, "-o", o.base.output, "--from", "2022-09-12", "--to",
                              "2022-09-15", "--step", "1d", "--fps", "2", "--size", "480x270"});
    INFO(r.err);
    REQUIRE(r.code == 0);
    const auto frames = limes::app::animation_frames(o);
    REQUIRE(frames.size() == 4);
    CHECK(frames[2].label == "2022-09-14");
    const auto extent = limes::app::animation_extent(o);
    for (std::size_t n : {std::size_t{0}, std::size_t{2}}) {
        // Frame n as a PNG, decoded by ffmpeg.
        const std::string got = scratch("frame" + std::to_string(n), ".png");
        int status = -1;
        const std::string said = capture("ffmpeg -v error -y -i '" + o.base.output +
                                             "' -vf 'select=eq(n\\," + std::to_string(n) +
                                             ")' -vframes 1 '" + got + "'",
                                         &status);
        INFO(said);
        REQUIRE(status == 0);
        // The same frame as `render` draws it: claims as of its day, the day's incidents.
        limes::app::BriefingOptions b = limes::app::frame_options(o, frames[n], extent);
        CHECK(b.at == frames[n].day);
        CHECK(b.filter.from == frames[n].day);  // a one-day window
        CHECK(b.title == "Reported incidents — " + frames[n].label);
        b.output = scratch("render" + std::to_string(n), ".png");
        std::ostringstream log;
        limes::app::render_briefing(b, log);
        int w1, h1, w2, h2;
        const auto a = read_rgb(got, w1, h1);
        const auto e = read_rgb(b.output, w2, h2);
        REQUIRE(w1 == w2);
        REQUIRE(h1 == h2);
        // H.264 at CRF 18 with 4:2:0 colour blurs the colour of thin lines and small text; a
        // GIF's palette rounds colours to 5 bits a channel and its rarest ones to the nearest
        // kept. The stated tolerance: mean difference under 4 of 255 per channel (measured
        // 1.8-2.0 for MP4 at 480x270, 1.5-1.6 for GIF), and under 3 % of pixels off by more than
        // 64 (measured 0.01 %).
        const auto [mean, far_share] = difference(a, e);
        // Another day's briefing (other incidents, another title) is further from the frame
        // than the codec's loss: the check tells frames apart.
        limes::app::BriefingOptions other = limes::app::frame_options(o, frames[n + 1], extent);
        other.output = scratch("other" + std::to_string(n), ".png");
        limes::app::render_briefing(other, log);
        const auto [other_mean, other_far] = difference(a, read_rgb(other.output, w2, h2));
        INFO(ext << " frame " << n << ": mean " << mean << ", far " << far_share << "; next day's: mean "
                      << other_mean << ", far " << other_far);
        CHECK(other_mean > 3 * mean);
        CHECK(other_far > 2 * far_share);
        CHECK(mean < 4.0);
        CHECK(far_share < 0.03);
    }
  }
}

TEST_CASE("animate: bad options are refused with what to give", "[animate]") {
    const std::string out = scratch("bad", ".mp4");
    auto r = run_limes({"animate", kWs, "-o", out, "--from", "2022-09-12"});
    CHECK(r.code == 2);
    CHECK_THAT(r.err, Catch::Contains("--from and --to"));
    r = run_limes({"animate", kWs, "-o", out, "--from", "2022-09-12", "--to", "2022-09-13",
                   "--step", "0h"});
    CHECK(r.code == 2);
    CHECK_THAT(r.err, Catch::Contains("--step '0h'"));
    r = run_limes({"animate", kWs, "-o", out, "--from", "2022-09-12", "--to", "2022-09-13",
                   "--size", "321x181"});
    CHECK(r.code == 2);
    CHECK_THAT(r.err, Catch::Contains("even"));
    const std::string avi = scratch("bad", ".avi");
    r = run_limes({"animate", kWs, "-o", avi, "--from", "2022-09-12", "--to", "2022-09-13"});
    CHECK(r.code == 2);
    CHECK_THAT(r.err, Catch::Contains(".mp4"));
    CHECK_FALSE(limes_test::file_exists(out));
    CHECK_FALSE(limes_test::file_exists(avi));
}

TEST_CASE("animate: without its FFmpeg module, limes says where it looked, exit 4, no file",
          "[animate][video]") {
    // FFmpeg is loaded on demand from PREFIX/lib/limes (src/media/CMakeLists.txt): a copy of
    // the binary alone in a folder has none beside it. Every other command works without it.
    const std::string dir = scratch("no-module", "");
    REQUIRE(std::system(("rm -rf '" + dir + "' && mkdir -p '" + dir + "/bin'").c_str()) == 0);
    const std::string bin = dir + "/bin/limes";
    REQUIRE(limes_test::copy_file(LIMES_BINARY, bin));
    REQUIRE(std::system(("chmod +x '" + bin + "'").c_str()) == 0);
    const std::string out = dir + "/days.gif";
    int status = -1;
    const std::string said =
        capture("'" + bin + "' animate '" + kWs + "' -o '" + out +
                    "' --size 160x90 --from 2022-09-12 --to 2022-09-13",
                &status);
    INFO(said);
    CHECK(status == 4);
    check_contains(said, {out, "cannot load limes' FFmpeg module",
                          dir + "/bin/../lib/limes/limes-ffmpeg.so"});
    CHECK_FALSE(limes_test::file_exists(out));
    capture("'" + bin + "' info '" + kWs + "'", &status);
    CHECK(status == 0);
    REQUIRE(std::system(("rm -rf '" + dir + "'").c_str()) == 0);
}
