#!/usr/bin/env bash
# The window's first map and its full load, timed from the process's start (issue 16: "first
# map in < 1 s and all incidents loaded with progress"): `limes view WORKSPACE` at 1280x720
# under xvfb-run (llvmpipe), replaying "wait-loaded" (frames drawn while the incidents load on
# the loader thread) and one frame more; the replay log's ms_since_start of the first frame
# (the basemap and its labels drawn, the progress bar at 0) and of the first frame after the
# load. The first run has an empty triangle cache (a user's first start with this basemap
# and CRS); the others read it. Medians of RUNS.
# Usage: bench/first_map.sh WORKSPACE [BUILD_DIR]     env: RUNS=5 SCRATCH=/tmp/limes-first-map
# WORKSPACE: a file, or a postgresql:// URL (a PostGIS workspace)
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
ws=$1
case $ws in postgresql://* | postgres://* | PG:*) ;; *) ws=$(realpath "$ws") ;; esac
BUILD=$(cd "${2:-$repo/build}" && pwd)
RUNS=${RUNS:-5}
SCRATCH=${SCRATCH:-/tmp/limes-first-map}
rm -rf "$SCRATCH"
mkdir -p "$SCRATCH"
export XDG_CACHE_HOME=$SCRATCH/cache  # empty at the first run
printf 'wait-loaded\nwait 1\n' >"$SCRATCH/script.txt"
: >"$SCRATCH/times"
for ((i = 1; i <= RUNS; i++)); do
    (cd "$SCRATCH" && xvfb-run -a -s "-screen 0 1600x900x24" "$BUILD/limes" view "$ws" \
        --replay script.txt --replay-log log.jsonl --size 1280x720 >run.log 2>&1) ||
        { cat "$SCRATCH/run.log" >&2; exit 1; }
    python3 - "$SCRATCH/log.jsonl" "$i" >>"$SCRATCH/times" <<'PY'
import json, sys
frames = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
first = frames[0]["ms_since_start"]
loaded = next(f for f in frames if not f["loading"])
print(sys.argv[2], round(first), round(loaded["ms_since_start"]), loaded["incidents"],
      sum(1 for f in frames if f["loading"]))
PY
    read -r _ first loaded n frames < <(tail -n 1 "$SCRATCH/times")
    echo "run $i: first map ${first} ms, all ${n} incidents loaded ${loaded} ms (${frames} frames drawn while loading)" >&2
done
median() { awk -v c="$1" 'NR > 1 {print $c}' "$SCRATCH/times" | sort -n |
    awk '{v[NR] = $1} END {print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2}'; }
read -r _ cold_first cold_loaded _ _ < <(head -n 1 "$SCRATCH/times")
echo "first map: ${cold_first} ms with an empty triangle cache; $(median 2) ms after (median of $((RUNS - 1)))"
echo "all incidents loaded: ${cold_loaded} ms, then $(median 3) ms (median)"
