#!/usr/bin/env bash
# PostGIS workspaces (issue 16), side by side in one run, on ROWS synthetic incidents (bench's
# generator, limes-gen-acled: labelled synthetic, not real events):
#   import  limes import postgresql://… (COPY, fids from the identity sequence, audit trigger)
#           vs ogr2ogr -f PostgreSQL of the same CSV (GiST index, PG_USE_COPY as GDAL defaults)
#   read    limes export and limes render of the PostGIS workspace vs the same rows in a
#           GeoPackage (limes import of the same CSV), both through limes: a render right
#           after each export, then renders in a row
# against a private cluster (tests/pg/pg_cluster.sh: initdb in /tmp, Unix socket only, fsync
# off as for the tests; the same settings for limes and ogr2ogr). Medians of RUNS runs,
# alternating who goes first; wall time and peak resident memory (GNU time).
# The server's shared_buffers is SHARED_BUFFERS (512MB): a server's, not PostgreSQL's laptop
# default of 128 MB, which holds incidents_marks at 1M (110 MB) but not much more, after which
# every render reads the whole index again through the kernel (docs/SCALING.md, "Memory";
# BENCHMARKS.md has the figures of both). SHARED_BUFFERS=128MB measures that default.
# Usage: bench/pg_bench.sh [BUILD_DIR]
#   env: ROWS=1000000 RUNS=3 SEED=7 SCRATCH=/tmp/limes-pg-bench SHARED_BUFFERS=512MB
#        STEPS="import read" (STEPS=import: the import pair only; the read side reads the
#        last limes import)
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
BUILD=$(cd "${1:-$repo/build}" && pwd)
ROWS=${ROWS:-1000000}
RUNS=${RUNS:-3}
STEPS=${STEPS:-import read}
SEED=${SEED:-7}
SCRATCH=${SCRATCH:-/tmp/limes-pg-bench}
mkdir -p "$SCRATCH"
export SOURCE_DATE_EPOCH=1663027200  # the briefing's footer time: the two renders compare
log() { printf '%s\n' "$*" >&2; }
die() { log "pg_bench: $*"; exit 1; }
limes=$BUILD/limes
[ -x "$limes" ] && [ -x "$BUILD/limes-gen-acled" ] || die "build limes and limes-gen-acled in $BUILD"
command -v ogr2ogr >/dev/null || die "ogr2ogr not found (apt-get install gdal-bin)"

csv=$SCRATCH/acled-synthetic-$ROWS-seed$SEED.csv
[ -s "$csv" ] || "$BUILD/limes-gen-acled" "$ROWS" "$csv" --seed "$SEED" >/dev/null

state=$SCRATCH/cluster
"$repo/tests/pg/pg_cluster.sh" stop "$state" >/dev/null 2>&1 || true
LIMES_PG_SHARED_BUFFERS=${SHARED_BUFFERS:-512MB} "$repo/tests/pg/pg_cluster.sh" start "$state" >/dev/null
trap '"$repo/tests/pg/pg_cluster.sh" stop "$state" >/dev/null 2>&1 || true' EXIT
url=$(cat "$state/url")                       # postgresql://limes@/limes_test?host=DIR
sock=${url##*host=}
pg="PG:host=$sock user=limes dbname=limes_test"

# timed NAME CMD…: runs CMD, appends "NAME wall_s rss_mb" to $SCRATCH/times.
timed() {
    local name=$1
    shift
    /usr/bin/time -f "%e %M" -o "$SCRATCH/time.txt" "$@" >"$SCRATCH/$name.log" 2>&1 ||
        { cat "$SCRATCH/$name.log" >&2; die "$name failed"; }
    read -r wall kb <"$SCRATCH/time.txt"
    echo "$name $wall $((kb / 1024))" >>"$SCRATCH/times"
    log "  $name: $wall s, $((kb / 1024)) MB"
}
: >"$SCRATCH/times"
# Each timed step starts on a quiet cluster: the rows of the step before vacuumed and
# analysed, and a checkpoint written, here and untimed. Otherwise autovacuum works on the last
# import's million rows while the next step runs, on the same 2 cores, and whoever comes after
# ogr2ogr (whose table nobody has vacuumed yet) pays for it.
quiet() {
    psql -X -q -h "$sock" -U limes -d limes_test -c "VACUUM ANALYZE" -c "CHECKPOINT" >/dev/null
}

log "import: $ROWS rows, $RUNS runs each"
for ((i = 1; i <= RUNS; i++)); do
    for who in $( ((i % 2)) && echo "ogr2ogr limes" || echo "limes ogr2ogr"); do
        schema=bench_${who}_$i
        quiet
        if [ "$who" = limes ]; then
            "$limes" init "$url&schema=$schema" --no-basemap >/dev/null
            timed limes-pg-import "$limes" import "$url&schema=$schema" "$csv"
            grep -q "imported $ROWS of $ROWS " "$SCRATCH/limes-pg-import.log" ||
                die "limes import: $(cat "$SCRATCH/limes-pg-import.log")"
        else
            psql -X -q -h "$sock" -U limes -d limes_test -c "CREATE SCHEMA $schema"
            timed ogr2ogr-pg-import ogr2ogr -f PostgreSQL "$pg" "$csv" -nln incidents \
                -lco SCHEMA="$schema" -lco GEOMETRY_NAME=geom -lco FID=fid \
                -lco SPATIAL_INDEX=GIST -oo X_POSSIBLE_NAMES=longitude \
                -oo Y_POSSIBLE_NAMES=latitude -oo KEEP_GEOM_COLUMNS=NO -a_srs EPSG:4326
        fi
        # Untimed: a schema nobody reads again is dropped, so that every import writes into a
        # database of the same size (six million rows of earlier runs meant gigabytes of
        # dirty pages for the kernel to write back under the next one).
        [ "$schema" = "bench_limes_$RUNS" ] ||
            PGOPTIONS='-c client_min_messages=warning' \
                psql -X -q -h "$sock" -U limes -d limes_test -c "DROP SCHEMA $schema CASCADE"
    done
done

# The read side: the last limes schema against a GeoPackage of the same CSV.
read_side=no
case " $STEPS " in *" read "*) read_side=yes ;; esac
if [ $read_side = yes ]; then
    ws_pg="$url&schema=bench_limes_$RUNS"
    ws_gpkg=$SCRATCH/same.gpkg
    rm -f "$ws_gpkg"
    "$limes" import "$ws_gpkg" "$csv" >/dev/null  # new: the default basemap and these rows
    "$limes" init "$ws_pg" >/dev/null  # the basemap, for the render (tables there are kept)
    quiet
    # Two kinds of render: one right after an export (which reads every row in fid order,
    # through the server's shared_buffers: what they held of incidents_marks is gone, and the
    # render reads it again through the kernel), and renders in a row, as a team's server
    # serves them between writes (each side's caches hold what a render reads).
    log "read: export and a 1920x1080 render after it, $RUNS runs each"
    for ((i = 1; i <= RUNS; i++)); do
        for who in gpkg pg; do
            ws=$ws_gpkg
            [ "$who" = pg ] && ws=$ws_pg
            timed "export-$who" "$limes" export "$ws" -o "$SCRATCH/out-$who.geojson"
            timed "render-after-export-$who" "$limes" render "$ws" -o "$SCRATCH/out-$who.png" \
                --size 1920x1080
        done
    done
    log "read: 1920x1080 renders in a row, $RUNS runs each, alternating who goes first"
    for ((i = 1; i <= RUNS; i++)); do
        for who in $( ((i % 2)) && echo "gpkg pg" || echo "pg gpkg"); do
            ws=$ws_gpkg
            [ "$who" = pg ] && ws=$ws_pg
            timed "render-$who" "$limes" render "$ws" -o "$SCRATCH/out-$who.png" --size 1920x1080
        done
    done
    cmp -s "$SCRATCH/out-gpkg.png" "$SCRATCH/out-pg.png" || log "note: the two renders differ"
fi

median() {  # median NAME COLUMN
    awk -v n="$1" -v c="$2" '$1 == n {print $c}' "$SCRATCH/times" | sort -n |
        awk '{v[NR] = $1} END {print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2}'
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2f", a / b}'; }
li=$(median limes-pg-import 2) oi=$(median ogr2ogr-pg-import 2)
printf '\n| %s rows, %s runs, median, shared_buffers %s | limes | peer | limes / peer |\n|---|---|---|---|\n' "$ROWS" "$RUNS" "${SHARED_BUFFERS:-512MB}"
printf '| import CSV -> PostGIS (peer: ogr2ogr -f PostgreSQL) | %s s, %s MB | %s s, %s MB | %s |\n' \
    "$li" "$(median limes-pg-import 3)" "$oi" "$(median ogr2ogr-pg-import 3)" "$(ratio "$li" "$oi")"
[ $read_side = yes ] || exit 0
eg=$(median export-gpkg 2) ep=$(median export-pg 2)
rg=$(median render-gpkg 2) rp=$(median render-pg 2)
printf '| export from PostGIS (peer: the same from GeoPackage) | %s s, %s MB | %s s, %s MB | %s |\n' \
    "$ep" "$(median export-pg 3)" "$eg" "$(median export-gpkg 3)" "$(ratio "$ep" "$eg")"
ag=$(median render-after-export-gpkg 2) ap=$(median render-after-export-pg 2)
printf '| render 1920x1080 from PostGIS, right after an export (peer: from GeoPackage) | %s s, %s MB | %s s, %s MB | %s |\n' \
    "$ap" "$(median render-after-export-pg 3)" "$ag" "$(median render-after-export-gpkg 3)" "$(ratio "$ap" "$ag")"
printf '| render 1920x1080 from PostGIS, renders in a row (peer: from GeoPackage) | %s s, %s MB | %s s, %s MB | %s |\n' \
    "$rp" "$(median render-pg 3)" "$rg" "$(median render-gpkg 3)" "$(ratio "$rp" "$rg")"
