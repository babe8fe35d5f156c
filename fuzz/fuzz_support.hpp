#pragma once
// Shared plumbing of the fuzz targets (FUZZING.md): a private scratch folder per process for
// the files a target writes (inputs, workspaces), and helpers to write and clear it. Each
// target defines LLVMFuzzerTestOneInput (and LLVMFuzzerInitialize when it needs set-up);
// libFuzzer calls them, and so does regression_main.cpp in builds without libFuzzer.
#include <dirent.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>
#include <string_view>

#include "geo/formats/gdal_util.hpp"

namespace limes::fuzz {

/** What every target that reaches GDAL does first (LLVMFuzzerInitialize): drivers registered,
 *  and no network, so a URL inside an input is never fetched. */
inline void init_gdal_offline() {
    geo::ensure_gdal();
    geo::set_network_access(false);
}

/** Removes everything inside dir (recursively), keeping dir itself. Symbolic links are
 *  removed, never followed. */
inline void clear_dir(const std::string& dir) {
    DIR* d = ::opendir(dir.c_str());
    if (!d) return;
    while (const dirent* e = ::readdir(d)) {
        const std::string name = e->d_name;
        if (name == "." || name == "..") continue;
        const std::string path = dir + "/" + name;
        struct stat st;
        if (::lstat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode)) {
            clear_dir(path);
            ::rmdir(path.c_str());
        } else {
            ::unlink(path.c_str());
        }
    }
    ::closedir(d);
}

/** A folder of this process's own, made once (under $TMPDIR, else /dev/shm when it is there,
 *  to keep the many small writes off the disk, else /tmp) and removed at exit. The name lives
 *  on the heap, never destroyed, so the exit handler can still read it. */
inline const std::string& scratch_dir() {
    static const std::string* const dir = [] {
        const char* tmp = std::getenv("TMPDIR");
        std::string base = tmp && *tmp ? tmp : "/tmp";
        struct stat st;
        if (!(tmp && *tmp) && ::stat("/dev/shm", &st) == 0 && S_ISDIR(st.st_mode) &&
            ::access("/dev/shm", W_OK) == 0)
            base = "/dev/shm";
        std::string pattern = base + "/limes-fuzz-XXXXXX";
        if (!::mkdtemp(pattern.data())) {
            std::perror("limes fuzz: mkdtemp");
            std::abort();
        }
        return new std::string(pattern);
    }();
    static const bool cleanup = [] {
        return std::atexit([] {
                   clear_dir(*dir);
                   ::rmdir(dir->c_str());
               }) == 0;
    }();
    (void)cleanup;
    return *dir;
}

/** Writes the bytes to scratch_dir()/name and returns the path. */
inline std::string write_scratch(const std::string& name, const std::uint8_t* data,
                                 std::size_t size) {
    const std::string path = scratch_dir() + "/" + name;
    std::ofstream f(path, std::ios::binary | std::ios::trunc);
    f.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
    f.close();
    if (!f) {
        std::fprintf(stderr, "limes fuzz: cannot write %s\n", path.c_str());
        std::abort();
    }
    return path;
}

}  // namespace limes::fuzz
