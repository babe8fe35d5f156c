# Runs one golden CLI case (see CMakeLists.txt here): reads ARGS_FILE, substitutes @DATA@,
# @WS@ and @WORK@, runs LIMES, and compares stdout with EXPECTED byte for byte. The exit code
# is part of the expectation: a first line "exit N" in EXPECTED (default 0).
# Policies of 3.16 (CMP0053 NEW): without them "@WS@" in a quoted argument is itself read as a
# variable reference, and the placeholders below are never replaced.
cmake_minimum_required(VERSION 3.16)
file(REMOVE_RECURSE ${WORK})
file(MAKE_DIRECTORY ${WORK})
file(STRINGS ${ARGS_FILE} args)
set(argv "")
foreach(a ${args})
  string(REPLACE "@DATA@" "${DATA}" a "${a}")
  string(REPLACE "@WS@" "${WS}" a "${a}")
  string(REPLACE "@WORK@" "${WORK}" a "${a}")
  list(APPEND argv "${a}")
endforeach()
execute_process(COMMAND ${LIMES} ${argv}
  WORKING_DIRECTORY ${WORK}
  OUTPUT_VARIABLE out ERROR_VARIABLE err RESULT_VARIABLE rc)
# Paths differ between machines: replace them by their placeholders before comparing.
string(REPLACE "${DATA}" "@DATA@" out "${out}")
string(REPLACE "${WS}" "@WS@" out "${out}")
string(REPLACE "${WORK}" "@WORK@" out "${out}")
string(REPLACE "${DATA}" "@DATA@" err "${err}")
string(REPLACE "${WORK}" "@WORK@" err "${err}")
set(actual "exit ${rc}\n${out}--- stderr\n${err}")
# LIMES_UPDATE_GOLDEN=1 rewrites EXPECTED and passes: a developer's explicit update, never a
# test. So the test fails, and writes nothing, when the variable is set to anything but 1
# (LIMES_UPDATE_GOLDEN=0 or =yes is not an explicit update), or at all under CI (CI set and
# not 0/false): a CI whose environment carried it would otherwise pass every golden case.
if(DEFINED ENV{LIMES_UPDATE_GOLDEN})
  set(ci "$ENV{CI}")
  string(TOLOWER "${ci}" ci)
  if(NOT ci STREQUAL "" AND NOT ci STREQUAL "0" AND NOT ci STREQUAL "false")
    message(FATAL_ERROR "LIMES_UPDATE_GOLDEN is set under CI (CI=$ENV{CI}): refusing to rewrite "
      "${EXPECTED}; golden tests never update themselves in CI. Unset LIMES_UPDATE_GOLDEN.")
  endif()
  if(NOT "$ENV{LIMES_UPDATE_GOLDEN}" STREQUAL "1")
    message(FATAL_ERROR "LIMES_UPDATE_GOLDEN='$ENV{LIMES_UPDATE_GOLDEN}': set it to 1 to rewrite "
      "${EXPECTED} (an explicit update), or unset it to compare.")
  endif()
  file(WRITE ${EXPECTED} "${actual}")
  message(STATUS "updated ${EXPECTED}")
  return()
endif()
if(NOT EXISTS ${EXPECTED})
  message(FATAL_ERROR "missing ${EXPECTED}; run with LIMES_UPDATE_GOLDEN=1 to create it")
endif()
file(READ ${EXPECTED} expected)
if(NOT actual STREQUAL expected)
  file(WRITE ${WORK}/actual.txt "${actual}")
  message(FATAL_ERROR "output differs from ${EXPECTED}\n--- expected\n${expected}\n--- actual (also in ${WORK}/actual.txt)\n${actual}")
endif()
