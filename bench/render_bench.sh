#!/usr/bin/env bash
# Benchmark: import and render 1M SYNTHETIC incidents with limes, side by side with the peers
# (ogr2ogr for CSV -> GeoPackage, Mapnik for the 3840x2160 PNG), alternating limes and peer in
# the same run, and print medians and ratios. A benchmark, not a test: nothing in ctest/CI runs
# it. Figures and how to read them: BENCHMARKS.md.
#
#   bench/render_bench.sh                      # defaults below
#   RUNS=3 IMPORT_RUNS=1 bench/render_bench.sh
#
# Environment (defaults):
#   SCRATCH=/tmp/limes-bench   everything the script writes goes here (rm -rf it afterwards)
#   BUILD=<repo>/build         where limes and limes-gen-acled are built
#   ROWS=1000000 SEED=1        size and seed of the synthetic CSV (bench/gen_acled.cpp)
#   RUNS=5                     render runs per tool
#   IMPORT_RUNS=3              import runs per tool (each ~1 min at 1M rows on 2 cores)
#   SIZE=3840x2160             image size
#   MAPNIK=auto                auto: use Mapnik, apt-get install python3-mapnik when missing
#                              (skipped with a note when that fails); no: skip Mapnik
#
# The machine is shared and noisy: only medians are reported, and each pair of runs alternates
# which tool goes first so drift hits both alike. Output: a table on stdout, also written to
# $SCRATCH/results.txt; every single run in $SCRATCH/runs.tsv.
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
SCRATCH=${SCRATCH:-/tmp/limes-bench}
BUILD=${BUILD:-$repo/build}
ROWS=${ROWS:-1000000}
SEED=${SEED:-1}
RUNS=${RUNS:-5}
IMPORT_RUNS=${IMPORT_RUNS:-3}
SIZE=${SIZE:-3840x2160}
MAPNIK=${MAPNIK:-auto}
PY=/usr/bin/python3  # Debian's python, the one python3-mapnik is installed for

width=${SIZE%x*}
height=${SIZE#*x}
mkdir -p "$SCRATCH"
runs_tsv=$SCRATCH/runs.tsv
printf 'what\trun\twall_ms\tpeak_rss_kb\tload_ms\tdraw_ms\treadback_ms\tencode_ms\n' >"$runs_tsv"

log() { printf '%s\n' "$*" >&2; }
die() { log "render_bench: $*"; exit 1; }

# ---- helpers --------------------------------------------------------------------------------
now_us() { local t=$EPOCHREALTIME; echo "${t/[.,]/}"; }

# timed NAME RUN CMD...: runs CMD with stdout+stderr to $SCRATCH/NAME.log; sets $wall_ms and
# $rss_kb (peak resident set of the process, from /usr/bin/time when present).
timed() {
    local name=$1 run=$2
    shift 2
    local out=$SCRATCH/$name.log t0 t1
    t0=$(now_us)
    if [ -x /usr/bin/time ]; then
        /usr/bin/time -f '%M' -o "$SCRATCH/$name.rss" "$@" >"$out" 2>&1 || {
            cat "$out" >&2
            die "$name run $run failed: $*"
        }
        rss_kb=$(tail -n 1 "$SCRATCH/$name.rss")
    else
        "$@" >"$out" 2>&1 || { cat "$out" >&2; die "$name run $run failed: $*"; }
        rss_kb=-
    fi
    t1=$(now_us)
    wall_ms=$(((t1 - t0) / 1000))
}

median() {
    printf '%s\n' "$@" | grep -E '^[0-9.]+$' | sort -n |
        awk '{a[NR]=$1} END {if (NR == 0) print "-"; else if (NR % 2) print a[(NR+1)/2];
             else print (a[NR/2] + a[NR/2+1]) / 2}'
}

ratio() { awk -v a="$1" -v b="$2" 'BEGIN {if (a == "-" || b == "-" || b == 0) print "-";
                                            else printf "%.2f", a / b}'; }
secs() { awk -v v="$1" 'BEGIN {if (v == "-") print "-"; else printf "%.2f s", v / 1000}'; }

# ---- binaries (copied, so a rebuild by someone else cannot change them mid-run) -------------
if [ ! -x "$BUILD/limes" ] || [ ! -x "$BUILD/limes-gen-acled" ]; then
    cmake --build "$BUILD" --target limes limes-gen-acled >&2 || die "build failed in $BUILD"
fi
mkdir -p "$SCRATCH/bin"
cp "$BUILD/limes" "$BUILD/limes-gen-acled" "$SCRATCH/bin/"
limes=$SCRATCH/bin/limes
default_ws=$BUILD/geodata/caucasus.gpkg
[ -f "$default_ws" ] || die "no default workspace at $default_ws (ninja -C $BUILD)"
command -v ogr2ogr >/dev/null || die "ogr2ogr not found (apt-get install gdal-bin)"

# ---- machine ----------------------------------------------------------------------------------
cpu=$(grep -m1 'model name' /proc/cpuinfo | sed 's/.*: //')
mem=$(awk '/MemTotal/ {printf "%.1f GiB", $2 / 1048576}' /proc/meminfo)
"$limes" render "$default_ws" -o "$SCRATCH/probe.png" --size 64x64 >/dev/null 2>&1 || true
gl=$(LD_DEBUG=files "$limes" render "$default_ws" -o "$SCRATCH/probe.png" --size 64x64 2>&1 |
    grep -oE 'file=[^ ]*_dri\.so' | sed 's/file=//; s/.*\///' | sort -u | head -n 1 || true)
case $gl in
    swrast_dri.so) gl="Mesa llvmpipe (swrast_dri.so, CPU)" ;;
    "") gl="unknown" ;;
esac
commit=$(git -C "$repo" rev-parse --short HEAD 2>/dev/null || echo unknown)
dirty=$(git -C "$repo" status --porcelain -- src shaders 2>/dev/null | wc -l)
log "machine: $(nproc) CPUs, $cpu, $mem; GL: $gl; limes $commit ($dirty files changed in src/ shaders/)"

# ---- input: synthetic CSV -------------------------------------------------------------------
csv=$SCRATCH/acled-synthetic-$ROWS.csv
log "generating $ROWS synthetic rows (seed $SEED) -> $csv"
timed gen 1 "$SCRATCH/bin/limes-gen-acled" "$ROWS" "$csv" --seed "$SEED"
gen_ms=$wall_ms
csv_bytes=$(stat -c %s "$csv")

# ---- import: limes import vs ogr2ogr CSV -> GPKG ------------------------------------------------
ws=$SCRATCH/workspace.gpkg
ogr_out=$SCRATCH/ogr2ogr.gpkg
run_limes_import() {
    rm -f "$ws"
    cp "$default_ws" "$ws"
    timed limes-import "$1" "$limes" import "$ws" "$csv"
    grep -q "imported $ROWS of $ROWS " "$SCRATCH/limes-import.log" ||
        die "limes import did not import every row: $(cat "$SCRATCH/limes-import.log")"
    li_wall+=("$wall_ms")
    printf 'limes import\t%s\t%s\t%s\n' "$1" "$wall_ms" "$rss_kb" >>"$runs_tsv"
    log "  limes import   run $1: $(secs "$wall_ms")"
}
run_ogr_import() {
    rm -f "$ogr_out"
    timed ogr2ogr "$1" ogr2ogr -f GPKG "$ogr_out" "$csv" -oo X_POSSIBLE_NAMES=longitude \
        -oo Y_POSSIBLE_NAMES=latitude -oo KEEP_GEOM_COLUMNS=NO -a_srs EPSG:4326
    oi_wall+=("$wall_ms")
    printf 'ogr2ogr\t%s\t%s\t%s\n' "$1" "$wall_ms" "$rss_kb" >>"$runs_tsv"
    log "  ogr2ogr        run $1: $(secs "$wall_ms")"
}
li_wall=()
oi_wall=()
log "import: $IMPORT_RUNS runs each, alternating"
for ((i = 1; i <= IMPORT_RUNS; i++)); do
    # The last run is limes', so $ws holds the workspace the render runs use.
    if (((IMPORT_RUNS - i) % 2 == 0)); then
        run_ogr_import "$i"
        run_limes_import "$i"
    else
        run_limes_import "$i"
        run_ogr_import "$i"
    fi
done
rm -f "$ogr_out"

# ---- Mapnik available? ------------------------------------------------------------------------
mapnik_note=""
if [ "$MAPNIK" = no ]; then
    mapnik_note="Mapnik skipped (MAPNIK=no)"
elif ! "$PY" -c 'import mapnik' 2>/dev/null; then
    log "python3-mapnik missing: trying apt-get install -y python3-mapnik"
    if DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends python3-mapnik \
        >"$SCRATCH/apt-mapnik.log" 2>&1 && "$PY" -c 'import mapnik' 2>/dev/null; then
        :
    else
        mapnik_note="Mapnik skipped: python3-mapnik could not be installed (see $SCRATCH/apt-mapnik.log)"
    fi
fi
if [ -n "$mapnik_note" ]; then log "$mapnik_note"; fi
mapnik_version=$([ -z "$mapnik_note" ] && "$PY" -c 'import mapnik; v = mapnik.mapnik_version();
print("%d.%d.%d" % (v // 100000, v // 100 % 1000, v % 100))' 2>/dev/null || echo -)

# ---- render: limes render vs Mapnik --------------------------------------------------------------
png=$SCRATCH/limes.png
extent=()
lr_wall=() lr_load=() lr_draw=() lr_readback=() lr_encode=() lr_rss=()
mr_wall=() mr_rss=()
n_drawn=-
run_limes_render() {
    timed limes-render "$1" "$limes" render "$ws" -o "$png" --size "$SIZE"
    local phases
    phases=$(sed -nE 's/.*load ([0-9.]+) ms, draw ([0-9.]+) ms, readback ([0-9.]+) ms, encode ([0-9.]+) ms.*/\1 \2 \3 \4/p' \
        "$SCRATCH/limes-render.log" | tail -n 1)
    [ -n "$phases" ] || phases="- - - -"
    n_drawn=$(sed -nE 's/.*, ([0-9]+) incidents;.*/\1/p' "$SCRATCH/limes-render.log" | tail -n 1)
    read -r p_load p_draw p_readback p_encode <<<"$phases"
    lr_wall+=("$wall_ms") lr_load+=("$p_load") lr_draw+=("$p_draw")
    lr_readback+=("$p_readback") lr_encode+=("$p_encode") lr_rss+=("$rss_kb")
    printf 'limes render\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$1" "$wall_ms" "$rss_kb" "$p_load" \
        "$p_draw" "$p_readback" "$p_encode" >>"$runs_tsv"
    log "  limes render   run $1: $(secs "$wall_ms") (load $p_load, draw $p_draw, readback $p_readback, encode $p_encode ms)"
    if [ ${#extent[@]} -eq 0 ]; then
        # World file: x size, 0, 0, -y size, x and y of the top-left pixel's centre (map CRS, m).
        mapfile -t pgw <"${png%.png}.pgw"
        read -r -a extent < <(awk -v a="${pgw[0]}" -v e="${pgw[3]}" -v c="${pgw[4]}" \
            -v f="${pgw[5]}" -v w="$width" -v h="$height" 'BEGIN {
                minx = c - a / 2; maxy = f - e / 2;
                printf "%.3f %.3f %.3f %.3f\n", minx, maxy + e * h, minx + a * w, maxy }')
    fi
}
run_mapnik_render() {
    timed mapnik-render "$1" "$PY" "$repo/bench/mapnik_render.py" "$ws" "$SCRATCH/mapnik.png" \
        "$width" "$height" "${extent[@]}"
    mr_wall+=("$wall_ms") mr_rss+=("$rss_kb")
    printf 'mapnik render\t%s\t%s\t%s\n' "$1" "$wall_ms" "$rss_kb" >>"$runs_tsv"
    log "  mapnik render  run $1: $(secs "$wall_ms")"
}
log "render $SIZE: $RUNS runs each, alternating"
for ((i = 1; i <= RUNS; i++)); do
    # Run 1 is limes' first: its world file gives Mapnik the same extent.
    if ((i % 2 == 1)) || [ -n "$mapnik_note" ]; then
        run_limes_render "$i"
        if [ -z "$mapnik_note" ]; then run_mapnik_render "$i"; fi
    else
        run_mapnik_render "$i"
        run_limes_render "$i"
    fi
done

# ---- table ----------------------------------------------------------------------------------
li=$(median "${li_wall[@]}") oi=$(median "${oi_wall[@]}")
lr=$(median "${lr_wall[@]}")
mr=$( ((${#mr_wall[@]})) && median "${mr_wall[@]}" || echo -)
{
    echo "limes benchmark, SYNTHETIC data: $ROWS rows from limes-gen-acled --seed $SEED" \
        "($((csv_bytes / 1048576)) MiB, $((csv_bytes / ROWS)) bytes/row; generated in $(secs "$gen_ms"))"
    echo "machine: $(nproc) CPUs ($cpu), $mem; GL: $gl"
    echo "limes $commit ($dirty changed files in src/ shaders/); $(ogr2ogr --version | cut -d, -f1); Mapnik $mapnik_version"
    echo "medians of $IMPORT_RUNS import and $RUNS render runs per tool, alternating; wall = process start to exit"
    echo
    printf '| %-52s | %12s | %12s | %12s |\n' "work" "limes" "peer" "limes/peer"
    printf '|%s|%s|%s|%s|\n' "------------------------------------------------------" \
        "--------------" "--------------" "--------------"
    printf '| %-52s | %12s | %12s | %12s |\n' "CSV -> GeoPackage (limes import vs ogr2ogr)" \
        "$(secs "$li")" "$(secs "$oi")" "$(ratio "$li" "$oi")"
    printf '| %-52s | %12s | %12s | %12s |\n' "$SIZE PNG, $n_drawn incidents (limes vs Mapnik)" \
        "$(secs "$lr")" "$(secs "$mr")" "$(ratio "$lr" "$mr")"
    echo
    echo "limes render phases (medians): load $(median "${lr_load[@]}") ms, draw $(median "${lr_draw[@]}") ms," \
        "readback $(median "${lr_readback[@]}") ms, encode $(median "${lr_encode[@]}") ms"
    echo "peak RSS (medians): limes render $(median "${lr_rss[@]}") KB; Mapnik $( ((${#mr_rss[@]})) && median "${mr_rss[@]}" || echo -) KB"
    if [ -n "$mapnik_note" ]; then echo "$mapnik_note"; fi
    echo "every run: $runs_tsv; images: $png, $SCRATCH/mapnik.png"
} | tee "$SCRATCH/results.txt"
