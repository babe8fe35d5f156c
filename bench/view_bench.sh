#!/usr/bin/env bash
# Frame rate of the window (`limes view`) with 10k, 100k and 1M synthetic incidents.
# Runs the real window under xvfb-run (llvmpipe: CPU rendering, no GPU), driven by
# limes-view-bench (bench/view_benchmark.cpp): pans and zooms for FRAMES frames without vsync
# and prints the median frame time of pan and zoom frames.
#   bench/view_bench.sh [SIZES...]        default: 10000 100000 1000000
#   FRAMES=240 SIZE=1280x720 BUILD=build SCRATCH=/tmp/limes-bench-view
# All data is synthetic (bench/gen_acled.cpp), labelled so in every row.
set -euo pipefail
cd "$(dirname "$0")/.."
build=${BUILD:-build}
scratch=${SCRATCH:-/tmp/limes-bench-view}
frames=${FRAMES:-240}
size=${SIZE:-1280x720}
sizes=("$@")
[ ${#sizes[@]} -eq 0 ] && sizes=(10000 100000 1000000)
mkdir -p "$scratch"
printf '%-10s %-12s %-22s %-22s\n' incidents window "pan: median ms (fps)" "zoom: median ms (fps)"
for n in "${sizes[@]}"; do
  ws="$scratch/ws-$n.gpkg"
  if [ ! -f "$ws" ]; then
    "$build/limes-gen-acled" "$n" "$scratch/acled-$n.csv" >/dev/null
    cp "$build/geodata/caucasus.gpkg" "$ws.tmp"
    "$build/limes" import "$ws.tmp" "$scratch/acled-$n.csv" >/dev/null
    mv "$ws.tmp" "$ws"
  fi
  out=$(xvfb-run -a -s '-screen 0 1920x1080x24' "$build/limes-view-bench" "$ws" --size "$size" \
          --frames "$frames" 2>&1 >/dev/null | grep -E 'pan frames|zoom frames')
  pan=$(echo "$out" | sed -n 's/.*pan frames: median \([0-9.]*\) ms (\([0-9.]*\) fps).*/\1 (\2)/p')
  zoom=$(echo "$out" | sed -n 's/.*zoom frames: median \([0-9.]*\) ms (\([0-9.]*\) fps).*/\1 (\2)/p')
  printf '%-10s %-12s %-22s %-22s\n' "$n" "$size" "$pan" "$zoom"
done
