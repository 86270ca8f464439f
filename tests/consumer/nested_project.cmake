# Shared by the consumer scripts that build a project of their own against the installed package.
# configure_nested(): configures ${WORK}/src into ${WORK}/build with GENERATOR, MAKE_PROGRAM,
# OPTIONS and PREFIX as the scripts receive them; fails the test when configuring fails.
function(configure_nested)
    set(_make_program)
    if(MAKE_PROGRAM)
        set(_make_program "-DCMAKE_MAKE_PROGRAM=${MAKE_PROGRAM}")
    endif()
    execute_process(COMMAND "${CMAKE_COMMAND}" -S "${WORK}/src" -B "${WORK}/build" -G "${GENERATOR}"
            ${_make_program} ${OPTIONS} "-DCMAKE_PREFIX_PATH=${PREFIX}"
        RESULT_VARIABLE _rc OUTPUT_VARIABLE _out ERROR_VARIABLE _out)
    if(NOT _rc EQUAL 0)
        message(FATAL_ERROR "configure failed (${_rc}):\n${_out}")
    endif()
endfunction()
