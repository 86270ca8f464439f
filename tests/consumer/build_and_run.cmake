# Configure, build and run a consumer project, as its user would.
# -D SOURCE=<project> -D WORK=<build dir> -D GENERATOR=<cmake generator> [-D MAKE_PROGRAM=<tool>]
# -D OPTIONS=<'|'-separated -D options> -D RUN=<'|'-separated executable names, relative to WORK>
# The build's parallelism follows CMAKE_BUILD_PARALLEL_LEVEL from the environment (cmake --build).
foreach(_var IN ITEMS SOURCE WORK GENERATOR RUN)
    if(NOT ${_var})
        message(FATAL_ERROR "build_and_run.cmake: ${_var} is required")
    endif()
endforeach()
string(REPLACE "|" ";" OPTIONS "${OPTIONS}")
set(_make_program)
if(MAKE_PROGRAM)
    set(_make_program "-DCMAKE_MAKE_PROGRAM=${MAKE_PROGRAM}")
endif()

execute_process(COMMAND "${CMAKE_COMMAND}" -S "${SOURCE}" -B "${WORK}" -G "${GENERATOR}" ${_make_program} ${OPTIONS}
    RESULT_VARIABLE _rc OUTPUT_VARIABLE _out ERROR_VARIABLE _out)
if(NOT _rc EQUAL 0)
    message(FATAL_ERROR "configure failed (${_rc}):\n${_out}")
endif()
execute_process(COMMAND "${CMAKE_COMMAND}" --build "${WORK}"
    RESULT_VARIABLE _rc OUTPUT_VARIABLE _out ERROR_VARIABLE _out)
if(NOT _rc EQUAL 0)
    message(FATAL_ERROR "build failed (${_rc}):\n${_out}")
endif()
string(REPLACE "|" ";" RUN "${RUN}")
foreach(_run IN LISTS RUN)
    execute_process(COMMAND "${WORK}/${_run}" RESULT_VARIABLE _rc OUTPUT_VARIABLE _out ERROR_VARIABLE _out TIMEOUT 120)
    if(NOT _rc EQUAL 0)
        message(FATAL_ERROR "${_run} failed (${_rc}):\n${_out}")
    endif()
    message(STATUS "${_run}: ${_out}")
endforeach()
