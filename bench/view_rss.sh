#!/usr/bin/env bash
# The window's resident memory over a run (issue 16: "resident ≤ 1 GB" at 10M): runs
# limes-view-bench on WORKSPACE under xvfb-run (1280x720, llvmpipe, FRAMES frames after the
# load: pans, zooms, time-range steps) and samples its VmRSS every 0.25 s from /proc. Prints
# the benchmark's own summary, the peak and every sample (MiB).
#   bench/view_rss.sh WORKSPACE [BUILD_DIR]      env: FRAMES=60
set -euo pipefail
ws=${1:?usage: bench/view_rss.sh WORKSPACE [BUILD_DIR]}
build=$(cd "${2:-$(dirname "$0")/../build}" && pwd)
frames=${FRAMES:-60}
out=$(mktemp -d)
pid=
trap '[ -n "$pid" ] && kill "$pid" 2>/dev/null; rm -rf "$out"' EXIT
xvfb-run -a -s '-screen 0 1920x1080x24' "$build/limes-view-bench" "$ws" --frames "$frames" \
    >"$out/log" 2>&1 &
runner=$!
for _ in $(seq 100); do  # the benchmark's own process, once xvfb-run has started it
    pid=$(pgrep -f "^$build/limes-view-bench" | head -1) && break
    sleep 0.1
done
[ -n "$pid" ] || { cat "$out/log" >&2; echo "view_rss: limes-view-bench did not start" >&2; exit 1; }
while kill -0 "$pid" 2>/dev/null; do
    awk '/^VmRSS:/ {print int($2 / 1024)}' "/proc/$pid/status" 2>/dev/null >>"$out/rss" || true
    sleep 0.25
done
wait "$runner" || { cat "$out/log" >&2; exit 1; }
grep -E 'loaded|benchmark|frames|re-filter|memory' "$out/log" || true
[ -s "$out/rss" ] || { echo "view_rss: no sample (the run ended within 0.25 s)" >&2; exit 1; }
echo "resident peak: $(sort -n "$out/rss" | tail -1) MiB over $(wc -l <"$out/rss") samples"
echo "samples (MiB): $(tr '\n' ' ' <"$out/rss")"
