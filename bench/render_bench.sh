#!/usr/bin/env bash
# The import and render steps of bench/run_all.sh (which supersedes this script), with this
# script's old defaults: RUNS=5 render runs, IMPORT_RUNS=3 import runs per tool.
#   bench/render_bench.sh
#   RUNS=3 IMPORT_RUNS=1 bench/render_bench.sh
# Every other variable (SCRATCH, BUILD, ROWS, SEED, SIZE, MAPNIK) is run_all.sh's.
set -euo pipefail
RENDER_RUNS=${RUNS:-5} IMPORT_RUNS=${IMPORT_RUNS:-3} STEPS="import render" \
    exec "$(dirname "$0")/run_all.sh"
