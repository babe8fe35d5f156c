#!/usr/bin/env bash
# Soak (BENCHMARKS.md "Soak"): the window under a randomised replay for MINUTES, its resident
# memory sampled every 15 s, then import/export cycles in one process (limes-soak-io).
#   bench/soak.sh BUILD_DIR [MINUTES=30] [INCIDENTS=100000] [CYCLES=100] [SEED=1]
# Passes (exit 0) when the window ran the whole time without crashing and its resident memory
# after warm-up (the first 5 minutes, or a sixth of the run) stayed within 5 % of the warm
# value, and the cycles' descriptors stayed equal and their memory within 5 % of cycle 10.
# The data are SYNTHETIC (limes-gen-acled). Needs xvfb-run and python3.
set -euo pipefail
build=$(cd "${1:?usage: bench/soak.sh BUILD_DIR [MINUTES] [INCIDENTS] [CYCLES] [SEED]}" && pwd)
minutes=${2:-30}
incidents=${3:-100000}
cycles=${4:-100}
seed=${5:-1}
dir=$(mktemp -d "${TMPDIR:-/tmp}/limes-soak.XXXXXX")
trap 'rm -rf "$dir"' EXIT
echo "soak: window ${minutes} min on ${incidents} synthetic incidents, ${cycles} io cycles, seed ${seed}"

"$build/limes-gen-acled" "$incidents" "$dir/synthetic.csv" >/dev/null
"$build/limes" import "$dir/ws.gpkg" "$dir/synthetic.csv" >/dev/null

# A random walk of what a user does on the map (never the menus: no dialog, no Quit): hover,
# drag to pan, wheel and double-click to zoom, clicks that select, +/- keys, waits. 1280x720;
# the side bar takes the left part, so the map is x 420..1260, y 60..700.
python3 - "$dir/script.txt" "$seed" <<'PY'
import random, sys
path, seed = sys.argv[1], int(sys.argv[2])
r = random.Random(seed)
x = lambda: r.randint(420, 1260)
y = lambda: r.randint(60, 700)
lines, frames = ["wait-loaded"], 0
while frames < 900000:
    k = r.random()
    if k < 0.30: lines.append(f"move {x()} {y()}"); frames += 1
    elif k < 0.50: lines.append(f"drag {x()} {y()} {x()} {y()} {r.randint(4, 30)}"); frames += 20
    elif k < 0.65: lines.append(f"wheel {r.choice([-2, -1, 1, 2])} {x()} {y()}"); frames += 1
    elif k < 0.72: lines.append(f"dblclick {x()} {y()}"); frames += 4
    elif k < 0.82: lines.append(f"click {x()} {y()}"); frames += 2
    elif k < 0.90: lines.append("key " + r.choice(["plus", "minus"])); frames += 1
    else: lines.append(f"wait {r.randint(1, 30)}"); frames += 15
open(path, "w").write("\n".join(lines) + "\n")
PY

samples=$dir/rss.tsv
: > "$samples"
(
  cd "$dir"
  timeout --signal=TERM "$((minutes * 60))" xvfb-run -a -s "-screen 0 1600x900x24" \
    "$build/limes" view ws.gpkg --replay script.txt --size 1280x720 > view.log 2>&1
) &
runner=$!
start=$(date +%s)
pid=""
while kill -0 "$runner" 2>/dev/null; do
  if [ -z "$pid" ]; then  # the limes process itself (not timeout or xvfb-run): in $dir
    for p in $(pgrep -x limes || true); do
      [ "$(readlink "/proc/$p/cwd" 2>/dev/null)" = "$dir" ] && pid=$p
    done
  fi
  if [ -n "$pid" ] && [ -r "/proc/$pid/status" ]; then
    rss=$(awk '/VmRSS/ {print $2}' "/proc/$pid/status" 2>/dev/null || true)
    [ -z "$rss" ] || printf '%s\t%s\n' "$(( $(date +%s) - start ))" "$rss" >> "$samples"
  fi
  sleep 15
done
set +e
wait "$runner"
status=$?
set -e
ok=1
# 124: timeout ended it at MINUTES, as planned; anything else before that is a crash or an
# early end of the script.
if [ "$status" != 124 ]; then
  echo "window: ended with status $status before ${minutes} min"; tail -5 "$dir/view.log"; ok=0
fi
python3 - "$samples" "$minutes" <<'PY' || ok=0
import sys
rows = [tuple(map(int, l.split())) for l in open(sys.argv[1]) if l.strip()]
minutes = int(sys.argv[2])
warm_s = min(300, minutes * 60 // 6)
warm = [r for t, r in rows if t >= warm_s]
if len(warm) < 2: print("window: too few samples"); sys.exit(1)
base, peak, last = warm[0], max(warm), warm[-1]
print(f"window: {len(rows)} samples; RSS at {rows[0][0]} s {rows[0][1]/1024:.0f} MB, after warm-up ({warm_s} s) {base/1024:.0f} MB, peak {peak/1024:.0f} MB, last {last/1024:.0f} MB; growth after warm-up {100*(peak-base)/base:+.1f} %")
sys.exit(0 if peak <= base * 1.05 else 1)
PY
grep -E "^loaded" "$dir/view.log" | head -1 || true

"$build/limes-gen-acled" 2000 "$dir/cycle.csv" >/dev/null
"$build/limes-soak-io" "$dir/cycle.csv" "$cycles" "$dir" > "$dir/io.tsv"
python3 - "$dir/io.tsv" <<'PY' || ok=0
import sys
rows = [l.split("\t") for l in open(sys.argv[1]).read().splitlines()[1:]]
fds = [int(r[3]) for r in rows]; rss = [int(r[4]) for r in rows]
ref = rss[min(9, len(rss) - 1)]
print(f"io: {len(rows)} cycles of {rows[0][1]} imported / {rows[0][2]} exported; descriptors {fds[0]} -> {fds[-1]} (max {max(fds)}); RSS cycle 1 {rss[0]/1024:.1f} MB, cycle 10 {ref/1024:.1f} MB, last {rss[-1]/1024:.1f} MB ({100*(rss[-1]-ref)/ref:+.1f} % from cycle 10)")
sys.exit(0 if len(set(fds[1:])) == 1 and rss[-1] <= ref * 1.05 else 1)
PY
[ "$ok" = 1 ] && echo "soak: passed" || { echo "soak: FAILED"; exit 1; }
