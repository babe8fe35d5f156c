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
if(DEFINED ENV{LIMES_UPDATE_GOLDEN})
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
