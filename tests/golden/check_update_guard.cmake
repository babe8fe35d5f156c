# LIMES_UPDATE_GOLDEN cannot turn golden tests green in CI (run_golden.cmake): runs one golden
# case against a scratch EXPECTED holding stale text, under several environments, and checks
# which runs fail and whether the file was rewritten. Arguments: as run_golden.cmake (LIMES,
# ARGS_FILE, DATA, WS, WORK), plus RUNNER (the path of run_golden.cmake).
cmake_minimum_required(VERSION 3.16)
file(REMOVE_RECURSE ${WORK})
file(MAKE_DIRECTORY ${WORK})
set(expected ${WORK}/case.expected)
set(stale "stale: not what limes prints\n")

# env: arguments of `cmake -E env`; want_rc: 0 or "fail"; want_file: "stale" or "rewritten".
function(check name want_rc want_file)
  file(WRITE ${expected} "${stale}")
  execute_process(COMMAND ${CMAKE_COMMAND} -E env ${ARGN}
      ${CMAKE_COMMAND} -DLIMES=${LIMES} -DARGS_FILE=${ARGS_FILE} -DEXPECTED=${expected}
      -DDATA=${DATA} -DWS=${WS} -DWORK=${WORK}/run -P ${RUNNER}
    RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
  file(READ ${expected} now)
  if(want_rc STREQUAL "0" AND NOT rc EQUAL 0)
    message(FATAL_ERROR "${name}: expected exit 0, got ${rc}\n${out}${err}")
  elseif(want_rc STREQUAL "fail" AND rc EQUAL 0)
    message(FATAL_ERROR "${name}: passed, but must fail\n${out}${err}")
  endif()
  if(want_file STREQUAL "stale" AND NOT now STREQUAL stale)
    message(FATAL_ERROR "${name}: rewrote ${expected}, must leave it alone")
  elseif(want_file STREQUAL "rewritten" AND now STREQUAL stale)
    message(FATAL_ERROR "${name}: did not rewrite ${expected}")
  endif()
  message(STATUS "${name}: ok (exit ${rc})")
endfunction()

# Control: a plain comparison against the stale file fails.
check("no update, CI unset" fail stale --unset=CI --unset=LIMES_UPDATE_GOLDEN)
# The developer's update (tests/CMakeLists.txt) still works.
check("update, CI unset" 0 rewritten --unset=CI LIMES_UPDATE_GOLDEN=1)
check("update, CI=false" 0 rewritten CI=false LIMES_UPDATE_GOLDEN=1)
# Under CI, or set to anything but 1: fail loudly, write nothing.
check("update, CI=true" fail stale CI=true LIMES_UPDATE_GOLDEN=1)
check("update, CI=1" fail stale CI=1 LIMES_UPDATE_GOLDEN=1)
check("LIMES_UPDATE_GOLDEN=0" fail stale --unset=CI LIMES_UPDATE_GOLDEN=0)
check("LIMES_UPDATE_GOLDEN empty" fail stale --unset=CI LIMES_UPDATE_GOLDEN=)
