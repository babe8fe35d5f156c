# Sanitizer and fuzzing builds (see FUZZING.md and test.sh). Included by the top-level
# CMakeLists.txt before any target is made, so the flags reach every target: limes' libraries,
# the tests, the tools that build the default workspace and the fuzz targets alike.
#
#   -DLIMES_SANITIZE=ON  AddressSanitizer + UndefinedBehaviorSanitizer (GCC or clang). Any UB
#                        aborts (-fno-sanitize-recover); test.sh's second stage runs ctest here
#                        with leak checking on and sanitizers/lsan.supp for third-party leaks.
#   -DLIMES_FUZZ=ON      clang only: the same sanitizers plus libFuzzer's coverage
#                        instrumentation (-fsanitize=fuzzer-no-link); fuzz/ then builds one
#                        libFuzzer binary per target (fuzz_<name>, linked with -fsanitize=fuzzer).
# Without either, fuzz/ still builds each target's regression runner (a plain main that feeds
# the files under fuzz/regressions/<target>/ to the same entry point), run by ctest.

if(LIMES_FUZZ)
  if(NOT CMAKE_CXX_COMPILER_ID MATCHES "Clang")
    message(FATAL_ERROR "LIMES_FUZZ needs clang (libFuzzer): "
                        "cmake -DCMAKE_CXX_COMPILER=clang++ -DLIMES_FUZZ=ON (FUZZING.md)")
  endif()
  set(LIMES_SANITIZE ON CACHE BOOL "" FORCE)
  add_compile_options(-fsanitize=fuzzer-no-link)
endif()

# Any UB report stops the program. The fuzz build compiles UB checks recoverable and stops
# through UBSAN_OPTIONS=halt_on_error=1 instead (fuzz/run_fuzzers.sh): the same for every
# report, except that fuzz/ubsan_known.supp can then silence a finding that is reported and
# not yet fixed, so a run goes on to find the next one.
if(LIMES_FUZZ)
  set(LIMES_UB_RECOVER -fsanitize-recover=undefined)
else()
  set(LIMES_UB_RECOVER -fno-sanitize-recover=undefined)
endif()
if(LIMES_SANITIZE)
  add_compile_options(-fsanitize=address,undefined ${LIMES_UB_RECOVER} -fno-omit-frame-pointer)
  add_link_options(-fsanitize=address,undefined ${LIMES_UB_RECOVER})
endif()
