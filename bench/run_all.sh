#!/usr/bin/env bash
# Benchmark of issue 5: limes side by side with its peers on 1M SYNTHETIC incidents, each pair
# alternating in the same run on the same files; prints medians and ratios. A benchmark, not a
# test: nothing in ctest/CI runs it. Figures and how to read them: BENCHMARKS.md.
#
#   bench/run_all.sh                                  # defaults below
#   BUILD=build-h1 RUNS=3 bench/run_all.sh
#   STEPS="stats" RUNS=5 bench/run_all.sh             # only some steps
#
#   step    limes                          peer(s)
#   import  limes import WS CSV            ogr2ogr CSV -> GeoPackage (spatial index, all columns)
#   export  limes export WS -o F.geojson   ogr2ogr GeoPackage -> GeoJSON -lco RFC7946=YES
#   stats   limes stats WS --json          SpatiaLite (ogrinfo -dialect SQLite): incidents per
#                                          country; PostGIS (psql \timing, data loaded and
#                                          GiST-indexed): per country, and per province
#   render  limes render WS 3840x2160      QGIS 3.22 (bench/qgis_render.py: PyQGIS, the peer issue 5
#                                          names) and Mapnik (bench/mapnik_render.py), same extent
#
# Environment (defaults):
#   SCRATCH=/tmp/limes-bench   everything the script writes (~5 GB at 1M rows; rm -rf after)
#   BUILD=<repo>/build         where limes and limes-gen-acled are built
#   ROWS=1000000 SEED=1        size and seed of the synthetic CSV (bench/gen_acled.cpp)
#   RUNS=3                     runs per tool and step (IMPORT_RUNS, EXPORT_RUNS, STATS_RUNS,
#                              RENDER_RUNS override it per step)
#   STEPS="import export stats render"
#   SIZE=3840x2160             render size
#   QGIS=auto MAPNIK=auto POSTGIS=auto SPATIALITE=yes
#                              auto: use the peer, apt-get install its Debian package when
#                              missing (skipped with a note when that fails); no: skip it
#   PGPORT=54329               port of the private PostgreSQL cluster (127.0.0.1 only)
#   READBACK=auto              GDAL reads limes' GeoJSON back (auto: up to 2M rows)
#
# PostGIS: a private cluster (initdb in $SCRATCH/pg, trust auth, 127.0.0.1:$PGPORT, socket in
# $SCRATCH), started here and stopped on exit; run as user postgres when the script runs as
# root (initdb refuses root). The workspace's incidents, countries and provinces are loaded
# with ogr2ogr -f PostgreSQL (GiST index on every geometry), then VACUUM ANALYZE; only the
# queries are timed (psql's \timing: client round trip, no connection set-up).
# The counts of SpatiaLite and PostGIS must equal limes' (per country name; per province name
# for PostGIS), or the script stops.
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
SCRATCH=${SCRATCH:-/tmp/limes-bench}
BUILD=${BUILD:-$repo/build}
ROWS=${ROWS:-1000000}
SEED=${SEED:-1}
RUNS=${RUNS:-3}
IMPORT_RUNS=${IMPORT_RUNS:-$RUNS}
EXPORT_RUNS=${EXPORT_RUNS:-$RUNS}
STATS_RUNS=${STATS_RUNS:-$RUNS}
RENDER_RUNS=${RENDER_RUNS:-$RUNS}
STEPS=${STEPS:-import export stats render}
SIZE=${SIZE:-3840x2160}
MAPNIK=${MAPNIK:-auto}
QGIS=${QGIS:-auto}
POSTGIS=${POSTGIS:-auto}
SPATIALITE=${SPATIALITE:-yes}
PGPORT=${PGPORT:-54329}
READBACK=${READBACK:-auto}
PY=/usr/bin/python3  # Debian's python: python3-mapnik and python3-qgis are installed for it

width=${SIZE%x*}
height=${SIZE#*x}
mkdir -p "$SCRATCH"
SCRATCH=$(cd "$SCRATCH" && pwd)
runs_tsv=$SCRATCH/runs.tsv
printf 'what\trun\twall_ms\tpeak_rss_kb\tnote\n' >"$runs_tsv"

log() { printf '%s\n' "$*" >&2; }
die() { log "run_all: $*"; exit 1; }
want() { [[ " $STEPS " == *" $1 "* ]]; }

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

# record WHAT RUN WALL_MS RSS [NOTE]: one line of runs.tsv and of the log.
record() {
    printf '%s\t%s\t%s\t%s\t%s\n' "$1" "$2" "$3" "$4" "${5:-}" >>"$runs_tsv"
    log "  $(printf '%-22s' "$1") run $2: $(secs "$3")${5:+ ($5)}"
}

median() {
    printf '%s\n' "$@" | grep -E '^[0-9.]+$' | sort -n |
        awk '{a[NR]=$1} END {if (NR == 0) print "-"; else if (NR % 2) print a[(NR+1)/2];
             else print (a[NR/2] + a[NR/2+1]) / 2}'
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {if (a == "-" || b == "-" || b == 0) print "-";
                                            else printf "%.3f", a / b}'; }
secs() { awk -v v="$1" 'BEGIN {if (v == "-" || v == "") print "-"; else printf "%.2f s", v / 1000}'; }
sum_ms() { awk -v a="$1" -v b="$2" 'BEGIN {if (a == "-" || b == "-") print "-"; else print a + b}'; }
# med NAME: median of the array called NAME ("-" when empty).
med() {
    local -n arr=$1
    if ((${#arr[@]})); then median "${arr[@]}"; else echo -; fi
}

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
commit=$(git -C "$repo" rev-parse --short HEAD 2>/dev/null || echo unknown)
dirty=$(git -C "$repo" status --porcelain -- src shaders 2>/dev/null | wc -l)
log "machine: $(nproc) CPUs, $cpu, $mem; load $(cut -d' ' -f1-3 /proc/loadavg); limes $commit ($dirty files changed in src/ shaders/)"

# ---- input: synthetic CSV and the workspace ---------------------------------------------------
csv=$SCRATCH/acled-synthetic-$ROWS-seed$SEED.csv
if [ ! -s "$csv" ]; then
    log "generating $ROWS synthetic rows (seed $SEED) -> $csv"
    timed gen 1 "$SCRATCH/bin/limes-gen-acled" "$ROWS" "$csv" --seed "$SEED"
    log "  generated in $(secs "$wall_ms")"
fi
csv_bytes=$(stat -L -c %s "$csv")

ws=$SCRATCH/workspace.gpkg
run_limes_import() {
    rm -f "$ws"
    cp "$default_ws" "$ws"
    timed limes-import "$1" "$limes" import "$ws" "$csv"
    grep -q "imported $ROWS of $ROWS " "$SCRATCH/limes-import.log" ||
        die "limes import did not import every row: $(cat "$SCRATCH/limes-import.log")"
}

# ---- import: limes import vs ogr2ogr CSV -> GPKG ------------------------------------------------
li_wall=() oi_wall=() li_rss=() oi_rss=()
if want import; then
    ogr_gpkg=$SCRATCH/ogr2ogr.gpkg
    log "import: $IMPORT_RUNS runs each, alternating"
    for ((i = 1; i <= IMPORT_RUNS; i++)); do
        for who in $( ((i % 2)) && echo "ogr limes" || echo "limes ogr"); do
            if [ "$who" = limes ]; then
                run_limes_import "$i"
                li_wall+=("$wall_ms") li_rss+=("$rss_kb")
                record "limes import" "$i" "$wall_ms" "$rss_kb"
            else
                rm -f "$ogr_gpkg"
                timed ogr2ogr-import "$i" ogr2ogr -f GPKG "$ogr_gpkg" "$csv" \
                    -oo X_POSSIBLE_NAMES=longitude -oo Y_POSSIBLE_NAMES=latitude \
                    -oo KEEP_GEOM_COLUMNS=NO -a_srs EPSG:4326
                oi_wall+=("$wall_ms") oi_rss+=("$rss_kb")
                record "ogr2ogr import" "$i" "$wall_ms" "$rss_kb"
            fi
        done
    done
    n=$(ogrinfo -ro -so "$ogr_gpkg" "$(basename "$csv" .csv)" | sed -n 's/^Feature Count: //p')
    [ "$n" = "$ROWS" ] || die "ogr2ogr imported $n rows, not $ROWS"
    rm -f "$ogr_gpkg"
fi
# Every later step reads the workspace the last limes import wrote.
if [ ! -s "$ws" ] || ! want import; then
    log "workspace: limes import (not timed)"
    run_limes_import 0
fi
incidents=$("$PY" -c 'import sqlite3, sys; print(sqlite3.connect(sys.argv[1]).execute(
    "select count(*) from incidents").fetchone()[0])' "$ws")
log "workspace $ws: $incidents incidents"

# ---- export: limes export vs ogr2ogr GPKG -> GeoJSON ----------------------------------------------
le_wall=() oe_wall=() le_rss=() oe_rss=()
if want export; then
    log "export: $EXPORT_RUNS runs each, alternating"
    for ((i = 1; i <= EXPORT_RUNS; i++)); do
        for who in $( ((i % 2)) && echo "limes ogr" || echo "ogr limes"); do
            if [ "$who" = limes ]; then
                rm -f "$SCRATCH/limes.geojson"
                timed limes-export "$i" "$limes" export "$ws" -o "$SCRATCH/limes.geojson"
                le_wall+=("$wall_ms") le_rss+=("$rss_kb")
                record "limes export" "$i" "$wall_ms" "$rss_kb"
            else
                rm -f "$SCRATCH/ogr2ogr.geojson"
                timed ogr2ogr-export "$i" ogr2ogr -f GeoJSON "$SCRATCH/ogr2ogr.geojson" "$ws" \
                    incidents -lco RFC7946=YES
                oe_wall+=("$wall_ms") oe_rss+=("$rss_kb")
                record "ogr2ogr export" "$i" "$wall_ms" "$rss_kb"
            fi
        done
    done
    # Both write one feature a line; "type":"Feature" cannot occur inside a JSON string.
    for f in limes ogr2ogr; do
        n=$(grep -c -E '"type": ?"Feature"' "$SCRATCH/$f.geojson" || true)
        [ "$n" = "$incidents" ] || die "$f.geojson has $n features, not $incidents"
    done
    # And GDAL reads limes' file back, every feature: GDAL's GeoJSON reader holds the whole
    # document in memory (~20 GB at ten million features), so past two million rows only on ask.
    if [ "$READBACK" = yes ] || { [ "$READBACK" = auto ] && [ "$ROWS" -le 2000000 ]; }; then
        n=$(ogrinfo -ro -so -al "$SCRATCH/limes.geojson" 2>/dev/null | sed -n 's/^Feature Count: //p')
        [ "$n" = "$incidents" ] || die "GDAL reads $n features from limes.geojson, not $incidents"
    else
        log "export: GDAL's read-back of limes.geojson skipped ($ROWS rows; READBACK=yes forces it)"
    fi
    rm -f "$SCRATCH/limes.geojson" "$SCRATCH/ogr2ogr.geojson"
fi

# ---- stats: limes stats vs SpatiaLite and PostGIS -------------------------------------------------
ls_wall=() ls_rss=() sl_wall=() sl_rss=() pc_ms=() pp_ms=()
pg_note="" sl_note="" pg_version=- postgis_version=- spatialite_version=- pg_load_ms=-
pg_bin="" pg_data=$SCRATCH/pg/data pg_sock=$SCRATCH/pg
# as_pg CMD...: runs CMD as the cluster's owner (postgres when this script runs as root).
as_pg() {
    if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}
pg_stop() {
    if [ -n "$pg_bin" ] && [ -f "$pg_data/postmaster.pid" ]; then
        as_pg "$pg_bin/pg_ctl" -D "$pg_data" -m fast -w stop >/dev/null 2>&1 || true
    fi
}
trap pg_stop EXIT
psql_bench() { psql -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$PGPORT" -U limes "$@"; }

# pg_setup: sets pg_bin and starts a fresh cluster with the workspace loaded, or sets pg_note.
pg_setup() {
    local ver
    ver=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 | cut -d/ -f5 || true)
    if [ -z "$ver" ] || [ ! -f "/usr/share/postgresql/$ver/extension/postgis.control" ]; then
        log "PostgreSQL/PostGIS missing: apt-get install postgresql postgis"
        local pkgs="postgresql postgis"
        [ -n "$ver" ] && pkgs="postgresql-$ver-postgis-3"
        # shellcheck disable=SC2086
        if ! DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends $pkgs \
            >"$SCRATCH/apt-postgis.log" 2>&1; then
            pg_note="PostGIS skipped: apt-get install failed (see $SCRATCH/apt-postgis.log)"
            return
        fi
        ver=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 | cut -d/ -f5 || true)
    fi
    [ -n "$ver" ] && [ -f "/usr/share/postgresql/$ver/extension/postgis.control" ] ||
        { pg_note="PostGIS skipped: no postgis extension after installing"; return; }
    command -v psql >/dev/null || { pg_note="PostGIS skipped: no psql"; return; }
    pg_bin=/usr/lib/postgresql/$ver/bin
    rm -rf "$SCRATCH/pg"
    mkdir -p "$pg_data"
    if [ "$(id -u)" = 0 ]; then chown -R postgres "$SCRATCH/pg"; fi
    log "PostGIS: initdb + start on 127.0.0.1:$PGPORT ($pg_data)"
    as_pg "$pg_bin/initdb" -D "$pg_data" -U limes --auth=trust -E UTF8 --no-locale \
        >"$SCRATCH/pg-initdb.log" 2>&1 || die "initdb failed: see $SCRATCH/pg-initdb.log"
    as_pg "$pg_bin/pg_ctl" -D "$pg_data" -l "$SCRATCH/pg/server.log" -w \
        -o "-c listen_addresses=127.0.0.1 -p $PGPORT -k $pg_sock" start >/dev/null ||
        die "PostgreSQL did not start: see $SCRATCH/pg/server.log"
    psql_bench -d postgres -c "CREATE DATABASE bench"
    psql_bench -d bench -c "CREATE EXTENSION postgis"
    pg_version=$(psql_bench -d bench -At -c "SHOW server_version" | cut -d' ' -f1)
    postgis_version=$(psql_bench -d bench -At -c "SELECT postgis_lib_version()")
    log "PostGIS: loading the workspace (ogr2ogr -f PostgreSQL, GiST indexes, VACUUM ANALYZE)"
    local t0 t1
    t0=$(now_us)
    ogr2ogr -f PostgreSQL "PG:host=127.0.0.1 port=$PGPORT user=limes dbname=bench" "$ws" \
        incidents countries provinces -lco GEOMETRY_NAME=geom -lco FID=fid \
        -lco SPATIAL_INDEX=GIST >"$SCRATCH/pg-load.log" 2>&1 ||
        die "loading PostGIS failed: see $SCRATCH/pg-load.log"
    psql_bench -d bench -c "VACUUM ANALYZE"
    t1=$(now_us)
    pg_load_ms=$(((t1 - t0) / 1000))
    log "  loaded in $(secs "$pg_load_ms")"
}

# The counts each tool gives, as sorted "name<TAB>count" lines, checked against limes'.
limes_counts() {  # limes_counts JSON KEY
    "$PY" -c 'import json, sys
for c in json.load(open(sys.argv[1]))[sys.argv[2]]: print("%s\t%d" % (c["name"], c["incidents"]))' \
        "$1" "$2" | LC_ALL=C sort
}
q_countries="SELECT c.name, count(*) FROM countries c JOIN incidents i ON ST_Contains(c.geom, i.geom) GROUP BY c.fid, c.name"
q_provinces="SELECT p.name, count(*) FROM provinces p JOIN incidents i ON ST_Contains(p.geom, i.geom) GROUP BY p.fid, p.name"
# pg_query NAME RUN SQL: sets $query_ms from psql's \timing, the rows to $SCRATCH/NAME.tsv.
pg_query() {
    local out=$SCRATCH/$1.log
    psql_bench -d bench -At -F $'\t' -c '\timing on' -c "$3" >"$out" 2>&1 ||
        { cat "$out" >&2; die "PostGIS query $1 run $2 failed"; }
    query_ms=$(sed -n 's/^Time: \([0-9.]*\) ms.*/\1/p' "$out" | tail -n 1)
    grep -v -E '^(Time:|Timing is)' "$out" | LC_ALL=C sort >"$SCRATCH/$1.tsv"
}
check_counts() {  # check_counts WHAT GOT.tsv EXPECTED.tsv
    cmp -s "$2" "$3" || { diff "$3" "$2" | head -n 20 >&2; die "$1: counts differ from limes' (< limes, > $1)"; }
}

if want stats; then
    if [ "$POSTGIS" = no ]; then pg_note="PostGIS skipped (POSTGIS=no)"; else pg_setup; fi
    if [ -n "$pg_note" ]; then log "$pg_note"; fi
    if [ "$SPATIALITE" = no ]; then
        sl_note="SpatiaLite skipped (SPATIALITE=no)"
    else
        spatialite_version=$(ogrinfo -ro -q "$ws" -dialect SQLite -sql \
            "SELECT spatialite_version() AS v" 2>/dev/null | sed -n 's/.*v (String) = //p')
        [ -n "$spatialite_version" ] || sl_note="SpatiaLite skipped: GDAL's SQLite dialect has no SpatiaLite"
    fi
    if [ -n "$sl_note" ]; then log "$sl_note"; fi
    sql_sl="SELECT c.name AS name, count(*) AS n FROM countries c JOIN incidents i ON ST_Contains(c.geom, i.geom) GROUP BY c.fid, c.name"
    log "stats: $STATS_RUNS runs each, alternating"
    for ((i = 1; i <= STATS_RUNS; i++)); do
        for who in $( ((i % 2)) && echo "limes spatialite postgis" || echo "postgis spatialite limes"); do
            case $who in
                limes)
                    timed limes-stats "$i" "$limes" stats "$ws" --json
                    cp "$SCRATCH/limes-stats.log" "$SCRATCH/limes-stats.json"
                    ls_wall+=("$wall_ms") ls_rss+=("$rss_kb")
                    record "limes stats" "$i" "$wall_ms" "$rss_kb"
                    limes_counts "$SCRATCH/limes-stats.json" countries >"$SCRATCH/limes-countries.tsv"
                    limes_counts "$SCRATCH/limes-stats.json" provinces >"$SCRATCH/limes-provinces.tsv"
                    ;;
                spatialite)
                    [ -z "$sl_note" ] || continue
                    timed spatialite-stats "$i" ogrinfo -ro -q "$ws" -dialect SQLite -sql "$sql_sl"
                    sl_wall+=("$wall_ms") sl_rss+=("$rss_kb")
                    record "spatialite countries" "$i" "$wall_ms" "$rss_kb"
                    awk '/^  name \(String\) = / {sub(/^  name \(String\) = /, ""); name = $0}
                         /^  n \(Integer(64)?\) = / {print name "\t" $NF}' \
                        "$SCRATCH/spatialite-stats.log" | LC_ALL=C sort >"$SCRATCH/spatialite-countries.tsv"
                    ;;
                postgis)
                    [ -z "$pg_note" ] || continue
                    pg_query postgis-countries "$i" "$q_countries"
                    pc_ms+=("$query_ms")
                    record "postgis countries" "$i" "$query_ms" - "psql \\timing"
                    pg_query postgis-provinces "$i" "$q_provinces"
                    pp_ms+=("$query_ms")
                    record "postgis provinces" "$i" "$query_ms" - "psql \\timing"
                    ;;
            esac
        done
    done
    # Same counts as limes, or the comparison means nothing.
    if [ -z "$sl_note" ]; then
        check_counts SpatiaLite "$SCRATCH/spatialite-countries.tsv" "$SCRATCH/limes-countries.tsv"
    fi
    if [ -z "$pg_note" ]; then
        check_counts "PostGIS (countries)" "$SCRATCH/postgis-countries.tsv" "$SCRATCH/limes-countries.tsv"
        check_counts "PostGIS (provinces)" "$SCRATCH/postgis-provinces.tsv" "$SCRATCH/limes-provinces.tsv"
        # The plan PostGIS chose, for the record.
        psql_bench -d bench -c "EXPLAIN ANALYZE $q_countries" >"$SCRATCH/postgis-explain.txt" 2>&1 || true
    fi
    log "stats: counts checked (limes = SpatiaLite = PostGIS)"
    pg_stop
fi

# ---- render: limes render vs QGIS and Mapnik -------------------------------------------------------
lr_wall=() lr_rss=() lr_load=() lr_draw=() lr_readback=() lr_encode=() mr_wall=() mr_rss=()
qr_wall=() qr_rss=()
mapnik_note="" mapnik_version=- qgis_note="" qgis_version=- n_drawn=-
if want render; then
    if [ "$QGIS" = no ]; then
        qgis_note="QGIS skipped (QGIS=no)"
    elif ! "$PY" -c 'import qgis.core' 2>/dev/null; then
        log "python3-qgis missing: trying apt-get install -y python3-qgis qgis-providers"
        if ! { DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
            python3-qgis qgis-providers >"$SCRATCH/apt-qgis.log" 2>&1 &&
            "$PY" -c 'import qgis.core' 2>/dev/null; }; then
            qgis_note="QGIS skipped: python3-qgis could not be installed (see $SCRATCH/apt-qgis.log)"
        fi
    fi
    if [ -n "$qgis_note" ]; then log "$qgis_note"; fi
    [ -n "$qgis_note" ] || qgis_version=$(QT_QPA_PLATFORM=offscreen "$PY" -c \
        'from qgis.core import Qgis; print(Qgis.QGIS_VERSION.split("-")[0])' 2>/dev/null || echo -)
    if [ "$MAPNIK" = no ]; then
        mapnik_note="Mapnik skipped (MAPNIK=no)"
    elif ! "$PY" -c 'import mapnik' 2>/dev/null; then
        log "python3-mapnik missing: trying apt-get install -y python3-mapnik"
        if ! { DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
            python3-mapnik >"$SCRATCH/apt-mapnik.log" 2>&1 && "$PY" -c 'import mapnik' 2>/dev/null; }; then
            mapnik_note="Mapnik skipped: python3-mapnik could not be installed (see $SCRATCH/apt-mapnik.log)"
        fi
    fi
    if [ -n "$mapnik_note" ]; then log "$mapnik_note"; fi
    [ -n "$mapnik_note" ] || mapnik_version=$("$PY" -c 'import mapnik; v = mapnik.mapnik_version();
print("%d.%d.%d" % (v // 100000, v // 100 % 1000, v % 100))' 2>/dev/null || echo -)
    png=$SCRATCH/limes.png
    extent=()
    log "render $SIZE: $RENDER_RUNS runs each, alternating"
    for ((i = 1; i <= RENDER_RUNS; i++)); do
        # Run 1 is limes' first: its world file gives the peers the same extent.
        for who in $( ((i % 2)) && echo "limes qgis mapnik" || echo "mapnik qgis limes"); do
            if [ "$who" = limes ]; then
                timed limes-render "$i" "$limes" render "$ws" -o "$png" --size "$SIZE"
                phases=$(sed -nE 's/.*load ([0-9.]+) ms, draw ([0-9.]+) ms, readback ([0-9.]+) ms, encode ([0-9.]+) ms.*/\1 \2 \3 \4/p' \
                    "$SCRATCH/limes-render.log" | tail -n 1)
                [ -n "$phases" ] || phases="- - - -"
                n_drawn=$(sed -nE 's/.*\([0-9]+x[0-9]+, ([0-9]+) incidents[,;].*/\1/p' "$SCRATCH/limes-render.log" | tail -n 1)
                read -r p_load p_draw p_readback p_encode <<<"$phases"
                lr_wall+=("$wall_ms") lr_rss+=("$rss_kb") lr_load+=("$p_load") lr_draw+=("$p_draw")
                lr_readback+=("$p_readback") lr_encode+=("$p_encode")
                record "limes render" "$i" "$wall_ms" "$rss_kb" \
                    "load $p_load, draw $p_draw, readback $p_readback, encode $p_encode ms"
                if [ ${#extent[@]} -eq 0 ]; then
                    # World file: x size, 0, 0, -y size, x and y of the top-left pixel's centre.
                    mapfile -t pgw <"${png%.png}.pgw"
                    read -r -a extent < <(awk -v a="${pgw[0]}" -v e="${pgw[3]}" -v c="${pgw[4]}" \
                        -v f="${pgw[5]}" -v w="$width" -v h="$height" 'BEGIN {
                            minx = c - a / 2; maxy = f - e / 2;
                            printf "%.3f %.3f %.3f %.3f\n", minx, maxy + e * h, minx + a * w, maxy }')
                fi
            elif [ "$who" = qgis ]; then
                [ -z "$qgis_note" ] || continue
                timed qgis-render "$i" "$PY" "$repo/bench/qgis_render.py" "$ws" \
                    "$SCRATCH/qgis.png" "$width" "$height" "${extent[@]}"
                grep -q '^qgis: ' "$SCRATCH/qgis-render.log" ||
                    die "QGIS did not render: $(tail -n 3 "$SCRATCH/qgis-render.log")"
                qr_wall+=("$wall_ms") qr_rss+=("$rss_kb")
                record "qgis render" "$i" "$wall_ms" "$rss_kb" "$(grep '^qgis: ' "$SCRATCH/qgis-render.log")"
            elif [ -z "$mapnik_note" ]; then
                timed mapnik-render "$i" "$PY" "$repo/bench/mapnik_render.py" "$ws" \
                    "$SCRATCH/mapnik.png" "$width" "$height" "${extent[@]}"
                mr_wall+=("$wall_ms") mr_rss+=("$rss_kb")
                record "mapnik render" "$i" "$wall_ms" "$rss_kb"
            fi
        done
    done
fi

# ---- table ----------------------------------------------------------------------------------------
li=$(med li_wall) oi=$(med oi_wall) le=$(med le_wall) oe=$(med oe_wall)
ls_=$(med ls_wall) sl=$(med sl_wall) pc=$(med pc_ms) pp=$(med pp_ms)
pcp=$( ((${#pc_ms[@]})) && median "$(for ((k = 0; k < ${#pc_ms[@]}; k++)); do
    sum_ms "${pc_ms[k]}" "${pp_ms[k]}"; done)" || echo -)
lr=$(med lr_wall) mr=$(med mr_wall) qr=$(med qr_wall)
row() { printf '| %-58s | %10s | %10s | %8s |\n' "$1" "$(secs "$2")" "$(secs "$3")" "$(ratio "$2" "$3")"; }
{
    echo "limes benchmark (bench/run_all.sh), SYNTHETIC data: $ROWS rows from limes-gen-acled --seed $SEED" \
        "($((csv_bytes / 1048576)) MiB, $((csv_bytes / ROWS)) bytes/row); workspace: $incidents incidents"
    echo "machine: $(nproc) CPUs ($cpu), $mem; load at the end $(cut -d' ' -f1-3 /proc/loadavg)"
    echo "limes $commit ($dirty changed files in src/ shaders/); $(ogr2ogr --version | cut -d, -f1);" \
        "SpatiaLite $spatialite_version; PostgreSQL $pg_version + PostGIS $postgis_version; QGIS $qgis_version; Mapnik $mapnik_version"
    counts=""
    for step in import export stats render; do
        if want "$step"; then
            k=${step^^}_RUNS
            counts+="${counts:+, }$step ${!k}"
        fi
    done
    echo "medians of runs ($counts) per tool, alternating; limes and ogr2ogr/SpatiaLite/QGIS/Mapnik:" \
        "process wall time; PostGIS: psql \\timing of the query"
    echo
    printf '| %-58s | %10s | %10s | %8s |\n' "work" "limes" "peer" "ratio"
    printf '|%s|%s|%s|%s|\n' "------------------------------------------------------------" \
        "------------" "------------" "----------"
    if want import; then row "CSV -> GeoPackage (limes import / ogr2ogr)" "$li" "$oi"; fi
    if want export; then row "GeoPackage -> GeoJSON (limes export / ogr2ogr RFC7946)" "$le" "$oe"; fi
    if want stats; then
        row "per country (limes stats, all counts / SpatiaLite)" "$ls_" "$sl"
        row "per country (limes stats, all counts / PostGIS)" "$ls_" "$pc"
        row "per country + province (limes stats / PostGIS, 2 queries)" "$ls_" "$pcp"
    fi
    if want render; then
        row "$SIZE PNG, $n_drawn incidents (limes render / QGIS)" "$lr" "$qr"
        row "$SIZE PNG, $n_drawn incidents (limes render / Mapnik)" "$lr" "$mr"
    fi
    echo
    if want stats && [ -z "$pg_note" ]; then
        echo "PostGIS: per-province query alone $(secs "$pp"); loading the workspace (ogr2ogr -f PostgreSQL + GiST + VACUUM ANALYZE, once) $(secs "$pg_load_ms")"
    fi
    if want render; then
        echo "limes render phases (medians): load $(med lr_load) ms, draw $(med lr_draw) ms," \
            "readback $(med lr_readback) ms, encode $(med lr_encode) ms"
    fi
    echo "peak RSS (medians, KB): limes import $(med li_rss), ogr2ogr import $(med oi_rss);" \
        "limes export $(med le_rss), ogr2ogr export $(med oe_rss); limes stats $(med ls_rss)," \
        "SpatiaLite $(med sl_rss); limes render $(med lr_rss), QGIS $(med qr_rss), Mapnik $(med mr_rss)"
    for note in "$sl_note" "$pg_note" "$qgis_note" "$mapnik_note"; do
        if [ -n "$note" ]; then echo "$note"; fi
    done
    echo "every run: $runs_tsv"
} | tee "$SCRATCH/results.txt"
