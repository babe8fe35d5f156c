// The limes executable: everything happens in limes::app::run, which tests call in-process.
#include <iostream>

#include "app/cli.hpp"

int main(int argc, char** argv) {
    return limes::app::run(argc, argv, std::cout, std::cerr);
}
