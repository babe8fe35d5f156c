// limes-build-default: writes the default workspace at build time (see geodata/README.md).
//   limes-build-default WORLD_MAP_GPKG GEODATA_DIR OUT_GPKG
#include <iostream>

#include "core/error.hpp"
#include "default_workspace.hpp"

int main(int argc, char** argv) {
    if (argc != 4) {
        std::cerr << "usage: limes-build-default WORLD_MAP_GPKG GEODATA_DIR OUT_GPKG\n";
        return 2;
    }
    try {
        std::cout << "building " << argv[3] << " from " << argv[1] << " and " << argv[2] << '\n';
        limes::geo::build_default_workspace(argv[1], argv[2], argv[3], std::cout);
        return 0;
    } catch (const std::exception& e) {
        std::cerr << "limes-build-default: " << e.what() << '\n';
        return 1;
    }
}
