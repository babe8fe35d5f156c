#!/usr/bin/env bash
# Installs what is missing, builds, and runs limes on the default workspace. Extra arguments
# are passed to limes instead (e.g. ./run.sh stats --json).
set -euo pipefail
cd "$(dirname "$0")"
./third_party/install-deps.sh
build=${LIMES_BUILD_DIR:-build}
if [ ! -f "$build/build.ninja" ]; then
  cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release ${LIMES_CMAKE_ARGS:-} >/dev/null
fi
cmake --build "$build" >/dev/null
if [ $# -gt 0 ]; then
  exec "$build/limes" "$@"
fi
# Until the viewer exists: what the default workspace holds.
exec "$build/limes" info "$build/geodata/caucasus.gpkg"
