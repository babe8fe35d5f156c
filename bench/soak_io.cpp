// limes-soak-io: import/export cycles in one process, to show that they leak neither file
// descriptors nor memory (BENCHMARKS.md "Soak"). Each cycle: a fresh workspace, the same
// SYNTHETIC CSV imported (geo::import_file, as `limes import`), every incident exported to
// RFC 7946 GeoJSON (geo::export_geojson, as `limes export`), the workspace opened again and
// its incidents counted, both files removed. After each cycle it prints the open descriptors
// (/proc/self/fd) and the resident memory (/proc/self/statm).
//   limes-soak-io CSV CYCLES SCRATCH_DIR
#include <dirent.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <iostream>
#include <string>

#include "geo/formats/gdal_util.hpp"
#include "geo/ops/exporter.hpp"
#include "geo/ops/importer.hpp"
#include "geo/store/workspace.hpp"

namespace {

int open_descriptors() {
    int n = 0;
    if (DIR* d = ::opendir("/proc/self/fd")) {
        while (::readdir(d)) ++n;
        ::closedir(d);
    }
    return n - 3;  // ".", ".." and the directory's own descriptor
}

long resident_kb() {
    std::ifstream statm("/proc/self/statm");
    long pages = 0, resident = 0;
    statm >> pages >> resident;
    return resident * (::sysconf(_SC_PAGESIZE) / 1024);
}

}  // namespace

int main(int argc, char** argv) {
    if (argc != 4) {
        std::cerr << "usage: limes-soak-io CSV CYCLES SCRATCH_DIR\n";
        return 2;
    }
    const std::string csv = argv[1], dir = argv[3];
    const int cycles = std::stoi(argv[2]);
    const std::string ws = dir + "/soak.gpkg", out = dir + "/soak.geojson";
    try {
        std::cout << "cycle\timported\texported\tfds\trss_kb\n";
        for (int c = 1; c <= cycles; ++c) {
            std::remove(ws.c_str());
            const auto report = limes::geo::import_file(ws, csv, {});
            long long exported = 0;
            {
                limes::geo::Workspace w = limes::geo::Workspace::open(ws);
                std::ofstream o(out);
                exported = limes::geo::export_geojson(w, limes::geo::ExportOptions{}, o);
            }
            {
                limes::geo::Workspace w = limes::geo::Workspace::open(ws);
                if (w.incidents().count_hint() == 0) throw std::runtime_error("nothing read back");
            }
            std::remove(out.c_str());
            std::cout << c << '\t' << report.imported << '\t' << exported << '\t'
                      << open_descriptors() << '\t' << resident_kb() << std::endl;
        }
        std::remove(ws.c_str());
    } catch (const std::exception& e) {
        std::cerr << "limes-soak-io: " << e.what() << '\n';
        return 1;
    }
    return 0;
}
