#!/usr/bin/env bash
# Builds the libFuzzer targets with clang into build-fuzz/ and runs them one after another,
# each for SECONDS (default 600), on one core. See FUZZING.md.
#   fuzz/run_fuzzers.sh [SECONDS] [TARGET...]     (targets: csv_rows filter_parse
#                                                  geojson_import workspace_load cli_args
#                                                  replay_script saved_views claims_import
#                                                  kml_gpx_import)
#   LIMES_FUZZ_BUILD_DIR  build folder (default: build-fuzz)
#   LIMES_JOBS            build jobs (default 2)
#   LIMES_FUZZ_NO_BUILD=1 run the binaries already built (while another build runs there)
# Each run writes build-fuzz/fuzz-out/<target>/: corpus/ (the grown corpus; the seeds are
# read from fuzz/corpus/<target>/ and the test data named below, never written), crashes
# (crash-*, leak-*, timeout-*, oom-*) and run.log, whose last lines are libFuzzer's figures.
# A crashing input belongs in fuzz/regressions/<target>/ once fixed (ctest runs it).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
seconds=${1:-600}
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(csv_rows filter_parse geojson_import workspace_load cli_args
                                     replay_script saved_views claims_import kml_gpx_import)
build=${LIMES_FUZZ_BUILD_DIR:-build-fuzz}
# clang and its libFuzzer runtime (Debian 12: clang-14); CI needs neither.
if ! command -v clang++ >/dev/null || ! ls /usr/lib/llvm-*/lib/clang/*/lib/linux/libclang_rt.fuzzer-x86_64.a >/dev/null 2>&1; then
  echo "run_fuzzers.sh: needs clang and libFuzzer: apt-get install clang libclang-rt-14-dev" >&2
  exit 2
fi

if [ "${LIMES_FUZZ_NO_BUILD:-0}" != 1 ]; then
  CC=clang CXX=clang++ cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    "-DCMAKE_CXX_FLAGS_RELWITHDEBINFO=-O1 -g" -DLIMES_FUZZ=ON -DLIMES_BUILD_TESTS=OFF \
    -DLIMES_BUILD_BENCH=OFF -DLIMES_BUILD_DEFAULT_WORKSPACE=OFF >/dev/null
  cmake --build "$build" -j "${LIMES_JOBS:-2}" --target $(printf 'fuzz_%s ' "${targets[@]}")
fi

# Leaks are findings too; halt on the first report of either sanitizer.
export ASAN_OPTIONS="detect_leaks=1:halt_on_error=1"
# UB checks are recoverable in this build (cmake/sanitizers.cmake) only so that
# fuzz/ubsan_known.supp can silence open findings; halt_on_error stops on every other one.
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1:suppressions=$root/fuzz/ubsan_known.supp"
export LSAN_OPTIONS="suppressions=$root/cmake/lsan.supp:print_suppressions=0"

for t in "${targets[@]}"; do
  out="$root/$build/fuzz-out/$t"
  mkdir -p "$out/corpus"
  seeds=("$root/fuzz/corpus/$t")
  [ -d "$root/fuzz/regressions/$t" ] && seeds+=("$root/fuzz/regressions/$t")
  max_len=65536
  case $t in
    csv_rows) for d in tests/data tests/data/bad tests/data/geo tests/bad/csv; do
                [ -d "$d" ] && seeds+=("$root/$d"); done ;;
    geojson_import) for d in tests/bad/geojson tests/bad/claims; do
                      [ -d "$d" ] && seeds+=("$root/$d"); done ;;
    claims_import) [ -d tests/bad/claims ] && seeds+=("$root/tests/bad/claims") ;;
    workspace_load) max_len=262144 ;;
    filter_parse) max_len=256 ;;
    cli_args) max_len=1024 ;;
    replay_script | saved_views) max_len=16384 ;;
  esac
  dict=()
  [ -f "fuzz/dicts/$t.dict" ] && dict=("-dict=$root/fuzz/dicts/$t.dict")
  echo "== $t: $seconds s, seeds: ${seeds[*]}" >&2
  # Absolute paths: cli_args works inside a scratch folder of its own.
  "$root/$build/fuzz/fuzz_$t" "$out/corpus" "${seeds[@]}" "${dict[@]}" \
    -max_total_time="$seconds" -max_len="$max_len" -timeout=30 -rss_limit_mb=4096 \
    -print_final_stats=1 -close_fd_mask=1 -artifact_prefix="$out/" \
    >"$out/run.log" 2>&1 || echo "== $t: stopped with a finding, see $out/run.log" >&2
  tail -n 12 "$out/run.log" >&2
  echo "== $t: corpus $(ls "$out/corpus" | wc -l) files" >&2
done
