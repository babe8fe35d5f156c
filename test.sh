#!/usr/bin/env bash
# Installs what is missing, builds (Release, Ninja) with the default workspace, and runs
# every test through ctest. No network beyond the Debian archive, no display, no GPU.
#   LIMES_BUILD_DIR  build folder (default: build)
set -euo pipefail
cd "$(dirname "$0")"
./third_party/install-deps.sh
build=${LIMES_BUILD_DIR:-build}
cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release ${LIMES_CMAKE_ARGS:-}
cmake --build "$build"
ctest --test-dir "$build" --output-on-failure -j "$(nproc)"
