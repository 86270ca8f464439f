# consumer.arguments: specbound_generate() refuses arguments that cannot work when the project is
# configured, with the reason, instead of failing later in the build (or not at all).
# -D SCRIPT=<cmake/specbound_generate.cmake> -D WORK=<scratch dir>
# Each case configures a project of no language (no compiler to find: a fraction of a second)
# that includes the script and calls specbound_generate(); the checks come before anything else.
foreach(_var IN ITEMS SCRIPT WORK)
    if(NOT ${_var})
        message(FATAL_ERROR "arguments_check.cmake: ${_var} is required")
    endif()
endforeach()
file(REMOVE_RECURSE "${WORK}")
file(MAKE_DIRECTORY "${WORK}")

# Configures WORK/<name> whose CMakeLists.txt runs `call`: _rc and _out in the caller's scope.
function(configure name call)
    file(WRITE "${WORK}/${name}/CMakeLists.txt"
        "cmake_minimum_required(VERSION 3.20)\nproject(arguments_${name} NONE)\ninclude(\"${SCRIPT}\")\n${call}\n")
    execute_process(COMMAND "${CMAKE_COMMAND}" -S "${WORK}/${name}" -B "${WORK}/${name}/build"
        RESULT_VARIABLE _rc OUTPUT_VARIABLE _out ERROR_VARIABLE _out)
    set(_rc "${_rc}" PARENT_SCOPE)
    set(_out "${_out}" PARENT_SCOPE)
endfunction()

# case: name | the arguments after TARGET/SPEC/NAMESPACE | text the failure must contain
set(_cases
    "compiled_zero|COMPILED_OPERATIONS 0|COMPILED_OPERATIONS takes a count of sources (1 to 1000), not '0'"
    "compiled_word|COMPILED_OPERATIONS two|not 'two'"
    "compiled_negative|COMPILED_OPERATIONS -3|not '-3'"
    "compiled_suffix|COMPILED_OPERATIONS 4x|not '4x'"
    "compiled_too_many|COMPILED_OPERATIONS 1001|not '1001'"
    "compiled_missing|COMPILED_OPERATIONS|and none was given"
    "namespace|NAMESPACE_OVERRIDE 9lives|NAMESPACE '9lives' is not a C++ identifier"
    "unknown|FLAVOUR spicy|unknown arguments: FLAVOUR")
foreach(_case IN LISTS _cases)
    string(REPLACE "|" ";" _parts "${_case}")
    list(GET _parts 0 _name)
    list(GET _parts 1 _args)
    list(GET _parts 2 _expected)
    set(_namespace petstore)
    if(_args MATCHES "^NAMESPACE_OVERRIDE (.*)$")
        set(_namespace "${CMAKE_MATCH_1}")
        set(_args "")
    endif()
    configure("${_name}" "specbound_generate(TARGET t SPEC spec.yaml NAMESPACE ${_namespace} ${_args})")
    if(_rc EQUAL 0)
        message(FATAL_ERROR "${_name}: specbound_generate(${_args}) was accepted:\n${_out}")
    endif()
    string(REPLACE "\n" " " _flat "${_out}")
    string(REGEX REPLACE " +" " " _flat "${_flat}")
    string(FIND "${_flat}" "${_expected}" _at)
    if(_at EQUAL -1)
        message(FATAL_ERROR "${_name}: the failure does not say '${_expected}':\n${_out}")
    endif()
    message(STATUS "${_name}: refused as expected")
endforeach()

# The control: a valid count passes these checks (the project then fails further on, with no spec
# and no specbound to generate with, which is not what this test looks at).
configure(control "specbound_generate(TARGET t SPEC spec.yaml NAMESPACE petstore COMPILED_OPERATIONS 1000)")
if(_out MATCHES "COMPILED_OPERATIONS takes")
    message(FATAL_ERROR "control: COMPILED_OPERATIONS 1000 was refused:\n${_out}")
endif()
message(STATUS "control: COMPILED_OPERATIONS 1000 passes the argument checks")
