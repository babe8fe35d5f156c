// The entry point of the fuzz targets in builds without libFuzzer: runs every file named on
// the command line (folders: every file inside, in name order) through the target's
// LLVMFuzzerTestOneInput once. ctest runs it over fuzz/corpus/<target>/ and
// fuzz/regressions/<target>/, so each input that once crashed a target stays a test: a
// crash, a sanitizer report or an uncaught exception fails it.
#include <dirent.h>
#include <sys/stat.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);
extern "C" __attribute__((weak)) int LLVMFuzzerInitialize(int* argc, char*** argv);

namespace {

void collect(const std::string& path, std::vector<std::string>& files) {
    struct stat st;
    if (::stat(path.c_str(), &st) != 0) {
        std::fprintf(stderr, "fuzz regression: no such file or folder: %s\n", path.c_str());
        std::exit(2);
    }
    if (!S_ISDIR(st.st_mode)) {
        files.push_back(path);
        return;
    }
    std::vector<std::string> names;
    if (DIR* d = ::opendir(path.c_str())) {
        while (const dirent* e = ::readdir(d))
            if (e->d_name[0] != '.') names.push_back(e->d_name);  // no hidden files
        ::closedir(d);
    }
    std::sort(names.begin(), names.end());
    for (const auto& n : names)
        if (n != "README.md") collect(path + "/" + n, files);
}

}  // namespace

int main(int argc, char** argv) {
    // Every input is read before the target's set-up, which may change the working folder.
    std::vector<std::string> files;
    for (int i = 1; i < argc; ++i) collect(argv[i], files);
    std::vector<std::vector<char>> inputs;
    for (const auto& f : files) {
        std::ifstream in(f, std::ios::binary);
        inputs.emplace_back(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    }
    if (LLVMFuzzerInitialize) LLVMFuzzerInitialize(&argc, &argv);
    for (std::size_t i = 0; i < files.size(); ++i) {
        std::fprintf(stderr, "running %s (%zu bytes)\n", files[i].c_str(), inputs[i].size());
        LLVMFuzzerTestOneInput(reinterpret_cast<const std::uint8_t*>(inputs[i].data()),
                               inputs[i].size());
    }
    std::printf("%zu input(s) ran without a crash\n", files.size());
    return 0;
}
