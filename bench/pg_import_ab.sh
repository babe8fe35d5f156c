#!/usr/bin/env bash
# Two limes binaries' PostGIS imports of the same CSV, alternating on one private cluster
# (tests/pg/pg_cluster.sh, shared_buffers as bench/pg_bench.sh's): before/after a change to
# the import, where the machine's noise is larger than the change. Each import goes into a
# new schema (limes init --no-basemap) on a quiet cluster (VACUUM ANALYZE, CHECKPOINT), and
# the schema is dropped after it, so that every import writes into a database of one size.
# Prints each run and the medians.
# Usage: bench/pg_import_ab.sh LIMES_A LIMES_B CSV [RUNS]     env: SHARED_BUFFERS=512MB
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
[ $# -ge 3 ] || { echo "usage: $0 LIMES_A LIMES_B CSV [RUNS]" >&2; exit 2; }
a=$(realpath "$1") b=$(realpath "$2") csv=$(realpath "$3") runs=${4:-5}
state=$(mktemp -d /tmp/limes-ab.XXXXXX)
trap '"$repo/tests/pg/pg_cluster.sh" stop "$state" >/dev/null 2>&1 || true; rm -rf "$state"' EXIT
LIMES_PG_SHARED_BUFFERS=${SHARED_BUFFERS:-512MB} "$repo/tests/pg/pg_cluster.sh" start "$state" >&2
url=$(cat "$state/url")
sock=${url##*host=}
sql() { PGOPTIONS='-c client_min_messages=warning' psql -X -q -h "$sock" -U limes -d limes_test "$@" >/dev/null; }
for ((i = 1; i <= runs; i++)); do
    for who in a b; do
        bin=$a
        [ $who = b ] && bin=$b
        schema=ab_${who}_$i
        sql -c "VACUUM ANALYZE" -c "CHECKPOINT"
        "$bin" init "$url&schema=$schema" --no-basemap >/dev/null
        /usr/bin/time -f "%e" -o "$state/time" "$bin" import "$url&schema=$schema" "$csv" >"$state/log" 2>&1
        grep -q 'imported \([0-9]*\) of \1 ' "$state/log" || { cat "$state/log" >&2; exit 1; }
        echo "$who $(cat "$state/time")" | tee -a "$state/times"
        sql -c "DROP SCHEMA $schema CASCADE"
    done
done
for who in a b; do
    awk -v w=$who '$1 == w {print $2}' "$state/times" | sort -n |
        awk -v w=$who '{v[NR] = $1} END {printf "%s median %s s\n", w, (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2}'
done
