# consumer.drift: specbound_generate(... CHECK) passes while the kept code matches the spec, fails
# the build naming the difference once it does not (an edited header, an edited spec), writes
# nothing itself, and passes again once the code is regenerated.
# -D PREFIX=<installed specbound> -D SOURCE=<drift project> -D SPEC=<petstore.yaml> -D WORK=<scratch dir>
# -D GENERATOR=<cmake generator> -D MAKE_PROGRAM=<its tool> -D OPTIONS=<'|'-separated -D options>
foreach(_var IN ITEMS PREFIX SOURCE SPEC WORK GENERATOR)
    if(NOT ${_var})
        message(FATAL_ERROR "drift_check.cmake: ${_var} is required")
    endif()
endforeach()
string(REPLACE "|" ";" OPTIONS "${OPTIONS}")
include("${CMAKE_CURRENT_LIST_DIR}/nested_project.cmake")

file(REMOVE_RECURSE "${WORK}")
file(COPY "${SOURCE}/" DESTINATION "${WORK}/src")
file(COPY "${SPEC}" DESTINATION "${WORK}/src/spec")
find_program(_gen specbound-gen PATHS "${PREFIX}/bin" NO_DEFAULT_PATH REQUIRED)

function(regenerate)
    execute_process(COMMAND "${_gen}" --spec "${WORK}/src/spec/petstore.yaml" --namespace kept
                            --out "${WORK}/src/generated" --quiet
        RESULT_VARIABLE _rc OUTPUT_VARIABLE _out ERROR_VARIABLE _out)
    if(NOT _rc EQUAL 0)
        message(FATAL_ERROR "specbound-gen failed (${_rc}):\n${_out}")
    endif()
endfunction()

# Builds the check only: nothing here needs compiling.
function(check_build what expect_success expect_text)
    execute_process(COMMAND "${CMAKE_COMMAND}" --build "${WORK}/build" --target kept_client_specbound_generate
        RESULT_VARIABLE _rc OUTPUT_VARIABLE _out ERROR_VARIABLE _out)
    if(expect_success AND NOT _rc EQUAL 0)
        message(FATAL_ERROR "${what}: the build failed (${_rc}):\n${_out}")
    elseif(NOT expect_success AND _rc EQUAL 0)
        message(FATAL_ERROR "${what}: the build passed though the kept code differs:\n${_out}")
    endif()
    string(FIND "${_out}" "${expect_text}" _at)
    if(_at EQUAL -1)
        message(FATAL_ERROR "${what}: the build log lacks '${expect_text}':\n${_out}")
    endif()
    message(STATUS "${what}: ok")
endfunction()

regenerate()
configure_nested()

check_build("kept code as generated" TRUE "specbound-gen: checking")

# Some file systems keep whole seconds: make each edit visibly newer than the stamp.
execute_process(COMMAND "${CMAKE_COMMAND}" -E sleep 1.1)
file(READ "${WORK}/src/generated/kept/client.hpp" _client)
file(WRITE "${WORK}/src/generated/kept/client.hpp" "${_client}// edited by hand\n")
check_build("a kept header edited by hand" FALSE "kept/client.hpp:")
file(READ "${WORK}/src/generated/kept/client.hpp" _after)
if(NOT _after STREQUAL "${_client}// edited by hand\n")
    message(FATAL_ERROR "the check changed the kept code")
endif()

regenerate()
check_build("regenerated" TRUE "specbound-gen: checking")

execute_process(COMMAND "${CMAKE_COMMAND}" -E sleep 1.1)
file(READ "${WORK}/src/spec/petstore.yaml" _spec)
string(REPLACE "operationId: listPets" "operationId: listAllPets" _spec "${_spec}")
file(WRITE "${WORK}/src/spec/petstore.yaml" "${_spec}")
check_build("the spec edited, the kept code not" FALSE "differs from what")

regenerate()
check_build("regenerated from the edited spec" TRUE "specbound-gen: checking")
