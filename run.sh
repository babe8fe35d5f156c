#!/usr/bin/env bash
# Installs what is missing, builds, and opens the viewer on the default workspace. With no
# display it renders the default briefing to a PNG instead and prints its path. Extra
# arguments are passed to limes instead (e.g. ./run.sh stats --json).
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
ws="$build/geodata/caucasus.gpkg"
if [ -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ]; then
  exec "$build/limes" view "$ws"
fi
# No display: the default briefing, headless (EGL on Mesa, no GPU needed).
case "$build" in /*) out="$build/briefing.png" ;; *) out="$PWD/$build/briefing.png" ;; esac
"$build/limes" render "$ws" -o "$out" --title "Armenia–Azerbaijan border clashes, September 2022" >/dev/null
echo "$out"
