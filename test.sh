#!/usr/bin/env bash
# Installs what is missing, builds (Release, Ninja) with the default workspace, and runs the
# tests through ctest; then builds again with AddressSanitizer + UndefinedBehaviorSanitizer
# and runs the whole suite there, with leak checking on. The Release stage leaves out what
# only the sanitizer stage needs to run (see stage 1 below). No network beyond the Debian
# archive, no display, no GPU.
#   LIMES_BUILD_DIR        Release build folder (default: build)
#   LIMES_ASAN_BUILD_DIR   sanitizer build folder (default: build-asan)
#   LIMES_CMAKE_ARGS       extra cmake arguments for both builds
#   LIMES_SKIP_SANITIZE=1  skip the sanitizer stage, for quick local runs (CI always runs it)
#   LIMES_JOBS             parallel build and test jobs (default: nproc)
# Time (FUZZING.md, "Sanitizers"): both builds are unity builds (LIMES_UNITY_BUILD), the
# sanitizer build leaves the tests' own code uninstrumented and is compiled by clang, which
# builds it in about 2/3 of GCC's time (a GeoPackage-and-OGR batch 35 s -> 14 s).
set -euo pipefail
cd "$(dirname "$0")"
./third_party/install-deps.sh
jobs=${LIMES_JOBS:-$(nproc)}

skip_sanitize=0
if [ "${LIMES_SKIP_SANITIZE:-0}" = 1 ] && [ "${CI:-}" != true ]; then
  skip_sanitize=1
fi

# ---- stage 1: Release build and tests
# With the sanitizer stage to follow, the Release stage leaves out what that stage runs for
# both (LIMES_RELEASE_STAGE in CMakeLists.txt: the bad-input corpus, the fuzz regressions,
# the window's and PostGIS cases not tagged [release]); without it (LIMES_SKIP_SANITIZE=1),
# it runs all.
# Running those suites in both stages cost ~70 s of stage 1 (its tests 227 -> 158 s here;
# FUZZING.md, "Time, issue 16").
build=${LIMES_BUILD_DIR:-build}
release_stage=$([ "$skip_sanitize" = 1 ] && echo OFF || echo ON)
cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DLIMES_RELEASE_STAGE=$release_stage \
  ${LIMES_CMAKE_ARGS:-}
cmake --build "$build" -j "$jobs"
# The user's cache folder of the tests (the triangles of basemap fills, a database
# workspace's autosave): one per stage, emptied first, so that a run computes what it
# reads and never sees a user's or an older build's files.
export XDG_CACHE_HOME="$PWD/$build/test-cache"
rm -rf "$XDG_CACHE_HOME"
ctest --test-dir "$build" --output-on-failure -j "$jobs"

if [ "$skip_sanitize" = 1 ]; then
  echo "test.sh: LIMES_SKIP_SANITIZE=1: sanitizer stage skipped" >&2
  exit 0
fi

# ---- stage 2: ASan + UBSan build and tests, leak checking on
# Every limes target is instrumented (cmake/sanitizers.cmake); any UB report aborts
# (-fno-sanitize-recover). Compiled by clang (Debian's clang 14 and its compiler-rt runtimes,
# linked statically into each program), as the fuzz build is: GCC's stage took 4 min 20 s to
# build here, clang's 2 min 50 s, and the suite runs as fast or faster under it. Stage 1
# stays GCC: the two compilers check the code between them (the suites stage 1 leaves out run
# under clang only). LIMES_ASAN_CC/LIMES_ASAN_CXX
# name others. The options are exported, so they reach every process the tests
# start: the limes binary run by the golden and bad-input tests, and the viewer under
# xvfb-run. cmake/lsan_keep_modules.c, preloaded, keeps GL drivers from being unloaded
# before the leak check (see there); cmake/lsan.supp may name third-party libraries whose
# leaks are theirs, never limes' own code.
asan=${LIMES_ASAN_BUILD_DIR:-build-asan}
here=$(pwd)
mkdir -p "$asan"
cc -shared -fPIC -O1 -o "$asan/liblsan_keep_modules.so" cmake/lsan_keep_modules.c
# verify_asan_link_order=0: with a shared ASan runtime (GCC's, LIMES_ASAN_CXX=g++) the
# preloaded library comes before it; it defines dlclose only, which ASan does not intercept.
# intercept_tls_get_addr=0: GCC 12's runtime (and clang 14's) tracks the dynamic TLS blocks of dlopen'ed
# libraries (Mesa's llvmpipe threads) through __tls_get_addr, and LeakSanitizer's tracer then
# faulted at exit in about one viewer run in five ("Tracer caught signal 11": 12 of 63 runs);
# without that tracking it did not fault in 80 runs, the 300k-incident loading test included,
# and leaks are still found (a planted leak is reported as before): heap and static data are
# scanned as ever, only those TLS blocks, which hold no limes allocation, are not.
# quarantine_size_mb=32: freed memory waits in ASan's quarantine (for use-after-free reports)
# until 32 MiB more has been freed, not 256: a use after a free that recent is still caught,
# and the window, which frees and allocates tens of MiB a frame (llvmpipe), no longer walks
# through fresh pages all the time (173k page faults -> 78k on a 120-frame replay; its wall
# time -21 %).
export ASAN_OPTIONS="detect_leaks=1:halt_on_error=1:check_initialization_order=1:strict_init_order=1:verify_asan_link_order=0:intercept_tls_get_addr=0:quarantine_size_mb=32"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
export LSAN_OPTIONS="suppressions=$here/cmake/lsan.supp:print_suppressions=0"
# Natural Earth is already in the Release build: no second download.
if [ ! -f "$asan/geodata/world_map.gpkg" ] && [ -f "$build/geodata/world_map.gpkg" ]; then
  mkdir -p "$asan/geodata"
  cp "$build/geodata/world_map.gpkg" "$asan/geodata/world_map.gpkg"
fi
asan_cc=$(command -v "${LIMES_ASAN_CC:-clang}") asan_cxx=$(command -v "${LIMES_ASAN_CXX:-clang++}")
# A build folder configured with another compiler (GCC, before) is configured afresh: CMake
# keeps the compiler of an existing cache whatever CC and CXX say.
if [ -f "$asan/CMakeCache.txt" ] &&
    ! grep -qx "CMAKE_CXX_COMPILER:[A-Z]*=$asan_cxx" "$asan/CMakeCache.txt"; then
  rm -rf "$asan/CMakeCache.txt" "$asan/CMakeFiles"
fi
CC=$asan_cc CXX=$asan_cxx \
cmake -S . -B "$asan" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  "-DCMAKE_CXX_FLAGS_RELWITHDEBINFO=-O1 -g1" -DLIMES_SANITIZE=ON -DLIMES_BUILD_BENCH=OFF \
  -DLIMES_RELEASE_STAGE=OFF \
  ${LIMES_CMAKE_ARGS:-}
cmake --build "$asan" -j "$jobs"
export LD_PRELOAD="$here/$asan/liblsan_keep_modules.so${LD_PRELOAD:+:$LD_PRELOAD}"
no_leak_check="${ASAN_OPTIONS/detect_leaks=1/detect_leaks=0}"
# A safety net for LeakSanitizer's tracer fault (see intercept_tls_get_addr above): it is the
# checker dying, not a leak report. A test whose output shows that fault, and no leak, ASan or
# UBSan report, runs again alone without the leak check (ASan and UBSan on) and must pass; any
# other failure fails the stage.
log="$asan/Testing/stage2.log"
mkdir -p "$asan/Testing"
export XDG_CACHE_HOME="$PWD/$asan/test-cache"
rm -rf "$XDG_CACHE_HOME"
set +e
ctest --test-dir "$asan" --output-on-failure -j "$jobs" --timeout 900 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
set -e
if [ "$status" -ne 0 ]; then
  failed_list="$asan/Testing/Temporary/LastTestsFailed.log"
  [ -s "$failed_list" ] || exit "$status"
  mapfile -t failed <"$failed_list"  # read first: each rerun below rewrites the file
  for entry in "${failed[@]}"; do
    number=${entry%%:*} name=${entry#*:}
    # The test's output: from its ***Failed line to the next test's line.
    output=$(awk -v n="$number" '
      $0 ~ "Test +#" n ":" && /\*\*\*/ {on = 1; next}
      on && /^ *([0-9]+\/[0-9]+ Test +#|Start +[0-9]+:)/ {exit}
      on {print}' "$log")
    if ! grep -q 'LeakSanitizer has encountered a fatal error' <<<"$output" ||
        grep -qE 'detected memory leaks|ERROR: AddressSanitizer|runtime error:' <<<"$output"; then
      echo "test.sh: $name failed under the sanitizers" >&2
      exit "$status"
    fi
    echo "test.sh: LeakSanitizer's tracer died in '$name'; again without the leak check" >&2
    ASAN_OPTIONS="$no_leak_check" ctest --test-dir "$asan" --output-on-failure --timeout 900 \
      -I "$number,$number" </dev/null
  done
fi
