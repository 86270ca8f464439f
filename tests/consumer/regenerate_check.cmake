# consumer.regenerate: specbound_generate() runs the generator on the first build, not on a
# no-op rebuild, and again when a file the root spec references changes (the depfile at work).
# -D PREFIX=<installed specbound> -D SOURCE=<multifile project> -D WORK=<scratch dir>
# -D GENERATOR=<cmake generator> -D MAKE_PROGRAM=<its tool> -D OPTIONS=<'|'-separated -D options>
foreach(_var IN ITEMS PREFIX SOURCE WORK GENERATOR)
    if(NOT ${_var})
        message(FATAL_ERROR "regenerate_check.cmake: ${_var} is required")
    endif()
endforeach()
string(REPLACE "|" ";" OPTIONS "${OPTIONS}")
include("${CMAKE_CURRENT_LIST_DIR}/nested_project.cmake")

# Work on a copy: the test edits the spec.
file(REMOVE_RECURSE "${WORK}")
file(COPY "${SOURCE}/" DESTINATION "${WORK}/src")

set(_marker "specbound-gen: generating")

function(run_build what expect_generation)
    execute_process(COMMAND "${CMAKE_COMMAND}" --build "${WORK}/build"
        RESULT_VARIABLE _rc OUTPUT_VARIABLE _out ERROR_VARIABLE _out)
    if(NOT _rc EQUAL 0)
        message(FATAL_ERROR "${what}: build failed (${_rc}):\n${_out}")
    endif()
    string(FIND "${_out}" "${_marker}" _at)
    if(expect_generation AND _at EQUAL -1)
        message(FATAL_ERROR "${what}: the generator did not run:\n${_out}")
    elseif(NOT expect_generation AND NOT _at EQUAL -1)
        message(FATAL_ERROR "${what}: the generator ran though nothing changed:\n${_out}")
    endif()
    message(STATUS "${what}: ok")
endfunction()

configure_nested()

run_build("first build" TRUE)
run_build("no-op rebuild" FALSE)
# Some file systems keep whole seconds: make the edit visibly newer than the stamp.
execute_process(COMMAND "${CMAKE_COMMAND}" -E sleep 1.1)
file(APPEND "${WORK}/src/spec/schemas/item.yaml" "description: An item in stock\n")
run_build("rebuild after editing the referenced schemas/item.yaml" TRUE)
run_build("no-op rebuild after regeneration" FALSE)
execute_process(COMMAND "${CMAKE_COMMAND}" -E sleep 1.1)
file(APPEND "${WORK}/src/spec/inventory.yaml" "# edited\n")
run_build("rebuild after editing the root inventory.yaml" TRUE)
