#!/usr/bin/env bash
# A private PostgreSQL + PostGIS cluster for the PostGIS workspace tests (tests/pg/), started
# and stopped by ctest as a fixture:
#   pg_cluster.sh start STATE_DIR   initdb in a fresh temporary folder, pg_ctl start on a Unix
#                                   socket only (no TCP port: nothing to collide with another
#                                   run), CREATE DATABASE limes_test + postgis; writes
#                                   STATE_DIR/url (a libpq URI) and STATE_DIR/cluster (its folder)
#   pg_cluster.sh stop STATE_DIR    pg_ctl stop, folder removed
# Runs the server as `postgres` when called as root (initdb refuses root), as the caller
# otherwise. LIMES_PG_SHARED_BUFFERS (e.g. 512MB) sets the server's shared_buffers; unset,
# PostgreSQL's own default (128 MB), as for the tests (bench/pg_bench.sh sets it). Needs
# Debian's postgresql and postgresql-15-postgis-3 (./test.sh installs them).
set -euo pipefail
action=$1 state=$2
mkdir -p "$state"

as_owner() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

pg_bin() {
  local dir
  dir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
  [ -n "$dir" ] && [ -x "$dir/initdb" ] ||
    { echo "pg_cluster.sh: no PostgreSQL server (apt-get install postgresql)" >&2; exit 1; }
  echo "$dir"
}

case $action in
start)
  bin=$(pg_bin)
  ver=$(basename "$(dirname "$bin")")
  [ -f "/usr/share/postgresql/$ver/extension/postgis.control" ] ||
    { echo "pg_cluster.sh: no PostGIS for PostgreSQL $ver (apt-get install postgresql-$ver-postgis-3)" >&2; exit 1; }
  # A short path: the socket's name must fit in 107 bytes.
  dir=$(mktemp -d /tmp/limes-pg.XXXXXX)
  echo "$dir" >"$state/cluster"
  chmod 755 "$dir"
  [ "$(id -u)" = 0 ] && chown postgres "$dir"
  as_owner "$bin/initdb" -D "$dir/data" -U limes --auth=trust -E UTF8 --no-locale \
    >"$state/initdb.log" 2>&1 || { cat "$state/initdb.log" >&2; exit 1; }
  # fsync off: a test cluster, thrown away at the end; nothing here must survive a crash.
  settings="-c listen_addresses='' -k $dir -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
  [ -z "${LIMES_PG_SHARED_BUFFERS:-}" ] || settings+=" -c shared_buffers=$LIMES_PG_SHARED_BUFFERS"
  as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 -o "$settings" \
    start >/dev/null || { cat "$dir/server.log" >&2; exit 1; }
  psql=("$bin/psql" -X -q -v ON_ERROR_STOP=1 -h "$dir" -U limes)
  "${psql[@]}" -d postgres -c "CREATE DATABASE limes_test"
  "${psql[@]}" -d limes_test -c "CREATE EXTENSION postgis"
  echo "postgresql://limes@/limes_test?host=$dir" >"$state/url"
  echo "pg_cluster.sh: PostgreSQL $ver at $dir (socket), database limes_test"
  ;;
stop)
  [ -f "$state/cluster" ] || exit 0
  dir=$(cat "$state/cluster")
  bin=$(pg_bin)
  if [ -f "$dir/data/postmaster.pid" ]; then
    as_owner "$bin/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || true
  fi
  rm -rf "$dir" "$state/cluster" "$state/url"
  ;;
*)
  echo "usage: pg_cluster.sh start|stop STATE_DIR" >&2; exit 2 ;;
esac
