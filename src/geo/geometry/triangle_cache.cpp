#include "geo/geometry/triangle_cache.hpp"

#include <geos_c.h>
#include <unistd.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <random>

#include "core/text.hpp"

namespace limes::geo {
namespace {

constexpr char kMagic[8] = {'L', 'I', 'M', 'E', 'S', 'T', 'R', 'I'};
constexpr std::uint32_t kFormat = 1;

std::mutex& dir_mutex() {
    static std::mutex m;
    return m;
}
std::string& dir_value() {
    static std::string dir;
    return dir;
}

/** The file's name: FNV-1a (core::fnv1a) over the format, the triangulation's version, the
 *  GEOS version, and every ring's size and coordinates bit for bit. */
std::string name_of(const std::vector<core::XYMultiPolygon>& polygons) {
    static_assert(sizeof(core::XY) == 2 * sizeof(double), "rings hashed as their bytes");
    std::uint64_t h = core::kFnvOffset;
    auto add = [&h](std::uint64_t v) { core::fnv1a(h, &v, sizeof v); };
    add(kFormat);
    add(kTriangulationVersion);
    const std::string geos = GEOSversion();
    core::fnv1a(h, geos.data(), geos.size());
    add(polygons.size());
    for (const auto& mp : polygons) {
        add(mp.size());
        for (const auto& poly : mp) {
            add(poly.size());
            for (const auto& ring : poly) {
                add(ring.size());
                core::fnv1a(h, ring.data(), ring.size() * sizeof(core::XY));
            }
        }
    }
    char hex[17];
    std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(h));
    return std::string(hex) + ".tri";
}

template <typename T>
bool read_vector(std::istream& in, std::vector<T>& v, std::uint64_t limit) {
    std::uint64_t n = 0;
    if (!in.read(reinterpret_cast<char*>(&n), sizeof n) || n > limit) return false;
    v.resize(static_cast<std::size_t>(n));
    return static_cast<bool>(in.read(reinterpret_cast<char*>(v.data()),
                                     static_cast<std::streamsize>(n * sizeof(T))));
}

template <typename T>
void write_vector(std::ostream& out, const std::vector<T>& v) {
    const std::uint64_t n = v.size();
    out.write(reinterpret_cast<const char*>(&n), sizeof n);
    out.write(reinterpret_cast<const char*>(v.data()), static_cast<std::streamsize>(n * sizeof(T)));
}

/** The file's triangles, or false when it is missing or not a whole file of this format for
 *  this many layers (every index checked against its vertices). */
bool load(const std::string& file, std::size_t count, std::vector<Triangles>& out) {
    std::ifstream in(file, std::ios::binary);
    if (!in) return false;
    char magic[8];
    std::uint32_t format = 0;
    std::uint64_t n = 0;
    if (!in.read(magic, 8) || std::memcmp(magic, kMagic, 8) != 0 ||
        !in.read(reinterpret_cast<char*>(&format), 4) || format != kFormat ||
        !in.read(reinterpret_cast<char*>(&n), 8) || n != count)
        return false;
    in.seekg(0, std::ios::end);
    const auto size = static_cast<std::uint64_t>(in.tellg());
    in.seekg(20);
    out.assign(count, Triangles{});
    for (Triangles& t : out) {
        if (!read_vector(in, t.xy, size / 8) || t.xy.size() % 2 != 0 ||
            !read_vector(in, t.indices, size / 4) || t.indices.size() % 3 != 0)
            return false;
        const std::size_t vertices = t.xy.size() / 2;
        for (const std::uint32_t i : t.indices)
            if (i >= vertices) return false;
    }
    return in.peek() == std::char_traits<char>::eof();  // nothing after: the whole file
}

/** Writes the file (a temporary name in the same folder, renamed), then leaves at most
 *  kTriangleCacheFiles in the folder. Failures are ignored: the cache only saves time. */
void store(const std::string& dir, const std::string& name, const std::vector<Triangles>& all) {
    std::error_code ec;
    std::filesystem::create_directories(dir, ec);
    std::random_device rd;
    const std::string tmp = dir + "/." + name + "." + std::to_string(::getpid()) + "." +
                            std::to_string(rd());
    {
        std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
        if (!out) return;
        const std::uint64_t n = all.size();
        out.write(kMagic, 8);
        out.write(reinterpret_cast<const char*>(&kFormat), 4);
        out.write(reinterpret_cast<const char*>(&n), 8);
        for (const Triangles& t : all) {
            write_vector(out, t.xy);
            write_vector(out, t.indices);
        }
        out.close();
        if (!out) {
            std::remove(tmp.c_str());
            return;
        }
    }
    if (std::rename(tmp.c_str(), (dir + "/" + name).c_str()) != 0) {
        std::remove(tmp.c_str());
        return;
    }
    // The oldest files beyond the limit go (by last write; a hit does not refresh it).
    std::vector<std::pair<std::filesystem::file_time_type, std::filesystem::path>> files;
    for (const auto& e : std::filesystem::directory_iterator(dir, ec))
        if (e.path().extension() == ".tri") files.emplace_back(e.last_write_time(ec), e.path());
    if (files.size() <= kTriangleCacheFiles) return;
    std::sort(files.begin(), files.end());
    for (std::size_t i = 0; i + kTriangleCacheFiles < files.size(); ++i)
        std::filesystem::remove(files[i].second, ec);
}

}  // namespace

void set_triangle_cache_dir(std::string dir) {
    std::lock_guard<std::mutex> lock(dir_mutex());
    dir_value() = std::move(dir);
}

std::string triangle_cache_dir() {
    std::lock_guard<std::mutex> lock(dir_mutex());
    return dir_value();
}

std::string triangle_cache_file(const std::vector<core::XYMultiPolygon>& polygons) {
    return triangle_cache_dir() + "/" + name_of(polygons);
}

std::vector<Triangles> triangulate_all(const std::vector<core::XYMultiPolygon>& polygons) {
    const std::string dir = triangle_cache_dir();
    std::string name;
    if (!dir.empty()) {
        name = name_of(polygons);
        std::vector<Triangles> cached;
        try {
            if (load(dir + "/" + name, polygons.size(), cached)) return cached;
        } catch (const std::exception&) {  // unreadable: computed below, as when missing
        }
    }
    std::vector<Triangles> out(polygons.size());
    for (std::size_t i = 0; i < polygons.size(); ++i) triangulate(polygons[i], out[i]);
    if (!dir.empty()) {
        try {
            store(dir, name, out);
        } catch (const std::exception&) {  // the cache only saves time; this run has its answer
        }
    }
    return out;
}

}  // namespace limes::geo
