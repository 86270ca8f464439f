# specbound_generate(TARGET <name> SPEC <root spec file> NAMESPACE <c++ namespace>
#                    [OUTPUT_DIR <dir>] [DOCS_DIR <dir>] [QUIET] [CHECK] [HEADER_ONLY]
#                    [COMPILED_OPERATIONS <n>])
#
# Creates the INTERFACE library <name>: its include directory holds the client that specbound-gen
# generates from SPEC (`#include <NAMESPACE/client.hpp>`, `<NAMESPACE/NAMESPACE.hpp>`, ...) and it
# links specbound::runtime (below). Generation runs at build time, before anything that links <name> is
# compiled, and runs again when the spec changes, including any other file of a multi-file spec
# (specbound-gen writes a depfile listing every file it loaded), or when the generator changes.
#
#   HEADER_ONLY link specbound::specbound (the header-only runtime) instead of specbound::runtime:
#               every TU that includes the client then compiles the call engine and the transport.
#
# specbound::runtime is a STATIC library built in the calling project (with its compiler and
# flags) from specbound_runtime.cpp beside this file, which includes <specbound/src.hpp>: the
# runtime's coroutines compiled once, and SPECBOUND_SEPARATE_COMPILATION as a PUBLIC definition,
# so each TU that calls the API compiles only what it uses. The first specbound_generate() creates
# it (EXCLUDE_FROM_ALL: built only when something links it); specbound_add_runtime_library()
# creates it without generating anything, for a program's own TUs that use the runtime directly.
# Every TU of a program that includes specbound headers must agree on the definition: link
# specbound::runtime, or the generated target, rather than specbound::specbound alone.
#
#   COMPILED_OPERATIONS <n>  for big APIs: <name> is a STATIC library that compiles every
#               operation's request building and response decoding once, in n generated sources
#               (NAMESPACE/operations_<i>.cpp, the ops headers spread over them by operation
#               count), and a TU that calls an operation compiles none of that code. Choose n for
#               the machine: each source holds about (operations / n) operations; 30 to 40 of them
#               take about 1 GB and half a minute to compile at -O0. n: 1 to 1000.
#   OUTPUT_DIR  where to generate (default: <current binary dir>/<name>_specbound); the headers
#               land in OUTPUT_DIR/NAMESPACE/.
#   DOCS_DIR    also write the Markdown reference (DOCS_DIR/NAMESPACE/README.md, one page per
#               tag, models.md) from the same run, so the docs never drift from the code.
#   QUIET       pass --quiet: no generator warnings in the build log.
#   CHECK       for generated code kept in the source tree: OUTPUT_DIR (and DOCS_DIR) name folders
#               of the sources (relative paths are read from the current source dir), <name> uses
#               them as they are, and the build runs `specbound-gen --check` instead of writing:
#               it fails, listing each difference, when they no longer match what SPEC generates.
#
# The generator is, in order: ${SPECBOUND_GEN_EXECUTABLE} when set (e.g. a host build when
# cross-compiling), else the target specbound::specbound-gen (built in-tree, or imported by
# find_package(specbound)), else a specbound-gen installed beside this file or found on PATH.
#
# This file also runs as a script (cmake -P) to point the generator's depfile at the stamp file.
cmake_minimum_required(VERSION 3.20)

if(CMAKE_SCRIPT_MODE_FILE)
    # Script mode: -D SPECBOUND_DEPFILE_IN=<generator's depfile> -D SPECBOUND_DEPFILE_OUT=<file>
    # -D SPECBOUND_DEPFILE_TARGET=<stamp>. The generator names its own output as the depfile's
    # target; Ninja re-runs an edge forever when that is not the edge's first output, so the
    # rule is rewritten with the stamp as its target and the same prerequisites.
    if(NOT DEFINED SPECBOUND_DEPFILE_IN OR NOT DEFINED SPECBOUND_DEPFILE_OUT OR NOT DEFINED SPECBOUND_DEPFILE_TARGET)
        message(FATAL_ERROR "specbound_generate.cmake: script mode needs SPECBOUND_DEPFILE_IN, _OUT and _TARGET")
    endif()
    if(NOT EXISTS "${SPECBOUND_DEPFILE_IN}")
        message(FATAL_ERROR "specbound-gen wrote no depfile at ${SPECBOUND_DEPFILE_IN}")
    endif()
    file(READ "${SPECBOUND_DEPFILE_IN}" _specbound_dep)
    # The target ends at the first ':' followed by blank or end of line (a drive letter's ':' is
    # followed by a slash).
    string(REGEX MATCH "^[^\n]*[^\\\\]:([ \t]|\r?\n|$)" _specbound_head "${_specbound_dep}")
    if(_specbound_head STREQUAL "")
        message(FATAL_ERROR "specbound-gen's depfile ${SPECBOUND_DEPFILE_IN} is not a make rule")
    endif()
    string(FIND "${_specbound_head}" ":" _specbound_colon REVERSE)
    math(EXPR _specbound_rest_at "${_specbound_colon} + 1")
    string(SUBSTRING "${_specbound_dep}" ${_specbound_rest_at} -1 _specbound_prerequisites)
    string(REPLACE " " "\\ " _specbound_target "${SPECBOUND_DEPFILE_TARGET}")
    file(WRITE "${SPECBOUND_DEPFILE_OUT}" "${_specbound_target}:${_specbound_prerequisites}")
    return()
endif()

include_guard(GLOBAL)

set(_SPECBOUND_GENERATE_SCRIPT "${CMAKE_CURRENT_LIST_FILE}")
set(_SPECBOUND_GENERATE_DIR "${CMAKE_CURRENT_LIST_DIR}")

# specbound::runtime (see the top of this file). Creates it once; later calls do nothing.
function(specbound_add_runtime_library)
    if(TARGET specbound::runtime)
        return()
    endif()
    if(NOT TARGET specbound::specbound)
        message(FATAL_ERROR "specbound_add_runtime_library: target specbound::specbound is missing "
            "(find_package(specbound) or add_subdirectory(specbound) first)")
    endif()
    # CMAKE_CURRENT_FUNCTION_LIST_DIR: this file's folder, whichever directory calls the function.
    add_library(specbound_runtime STATIC EXCLUDE_FROM_ALL "${CMAKE_CURRENT_FUNCTION_LIST_DIR}/specbound_runtime.cpp")
    add_library(specbound::runtime ALIAS specbound_runtime)
    target_compile_definitions(specbound_runtime PUBLIC SPECBOUND_SEPARATE_COMPILATION)
    target_link_libraries(specbound_runtime PUBLIC specbound::specbound)
endfunction()

function(specbound_generate)
    cmake_parse_arguments(PARSE_ARGV 0 arg "QUIET;CHECK;HEADER_ONLY" "TARGET;SPEC;NAMESPACE;OUTPUT_DIR;DOCS_DIR;COMPILED_OPERATIONS" "")
    if(arg_UNPARSED_ARGUMENTS)
        message(FATAL_ERROR "specbound_generate: unknown arguments: ${arg_UNPARSED_ARGUMENTS}")
    endif()
    foreach(_required IN ITEMS TARGET SPEC NAMESPACE)
        if(NOT arg_${_required})
            message(FATAL_ERROR "specbound_generate: ${_required} is required")
        endif()
    endforeach()
    if(TARGET ${arg_TARGET})
        message(FATAL_ERROR "specbound_generate: target '${arg_TARGET}' already exists")
    endif()
    # The generator's own range (1..1000), refused here at configure time rather than at build time.
    if("COMPILED_OPERATIONS" IN_LIST arg_KEYWORDS_MISSING_VALUES)
        message(FATAL_ERROR "specbound_generate: COMPILED_OPERATIONS takes a count of sources (1 to 1000), and none was given")
    endif()
    if(DEFINED arg_COMPILED_OPERATIONS AND (NOT arg_COMPILED_OPERATIONS MATCHES "^[1-9][0-9]*$" OR arg_COMPILED_OPERATIONS GREATER 1000))
        message(FATAL_ERROR "specbound_generate: COMPILED_OPERATIONS takes a count of sources (1 to 1000), "
            "not '${arg_COMPILED_OPERATIONS}'")
    endif()
    if(NOT arg_NAMESPACE MATCHES "^[A-Za-z_][A-Za-z0-9_]*$")
        message(FATAL_ERROR "specbound_generate: NAMESPACE '${arg_NAMESPACE}' is not a C++ identifier")
    endif()

    cmake_path(ABSOLUTE_PATH arg_SPEC BASE_DIRECTORY "${CMAKE_CURRENT_SOURCE_DIR}" NORMALIZE OUTPUT_VARIABLE _spec)
    if(NOT EXISTS "${_spec}" OR IS_DIRECTORY "${_spec}")
        message(FATAL_ERROR "specbound_generate: SPEC '${arg_SPEC}' is not a file (looked at ${_spec})")
    endif()

    # Checked code lives in the sources; generated code in the build tree.
    set(_base "${CMAKE_CURRENT_BINARY_DIR}")
    if(arg_CHECK)
        set(_base "${CMAKE_CURRENT_SOURCE_DIR}")
        if(NOT arg_OUTPUT_DIR)
            message(FATAL_ERROR "specbound_generate: CHECK needs OUTPUT_DIR, the folder of the generated code kept in the sources")
        endif()
    endif()
    if(arg_OUTPUT_DIR)
        cmake_path(ABSOLUTE_PATH arg_OUTPUT_DIR BASE_DIRECTORY "${_base}" NORMALIZE OUTPUT_VARIABLE _out)
    else()
        set(_out "${CMAKE_CURRENT_BINARY_DIR}/${arg_TARGET}_specbound")
    endif()

    if(NOT SPECBOUND_GEN_EXECUTABLE AND NOT TARGET specbound::specbound-gen)
        # Package managers that make their own CMake config (Conan's CMakeDeps) include only this
        # module: look beside it (<prefix>/lib/cmake/specbound -> <prefix>/bin), then on PATH
        # (a Conan tool_requires). A cross build never runs the one beside it: wrong architecture.
        set(_hints)
        if(NOT CMAKE_CROSSCOMPILING)
            set(_hints HINTS "${_SPECBOUND_GENERATE_DIR}/../../../bin" "${_SPECBOUND_GENERATE_DIR}/../../tools/specbound")
        endif()
        find_program(SPECBOUND_GEN_EXECUTABLE specbound-gen ${_hints} DOC "The specbound-gen code generator")
    endif()
    if(SPECBOUND_GEN_EXECUTABLE)
        set(_generator "${SPECBOUND_GEN_EXECUTABLE}")
        set(_generator_dependency "${SPECBOUND_GEN_EXECUTABLE}")
    elseif(TARGET specbound::specbound-gen)
        set(_generator "$<TARGET_FILE:specbound::specbound-gen>")
        # A target in DEPENDS orders the build after it and re-runs generation when it changes.
        set(_generator_dependency specbound::specbound-gen)
    else()
        message(FATAL_ERROR "specbound_generate: no specbound-gen: build specbound with "
            "SPECBOUND_BUILD_CODEGEN=ON, install it with the generator, or set SPECBOUND_GEN_EXECUTABLE")
    endif()
    if(NOT TARGET specbound::specbound)
        message(FATAL_ERROR "specbound_generate: target specbound::specbound is missing "
            "(find_package(specbound) or add_subdirectory(specbound) first)")
    endif()

    set(_runtime specbound::specbound)
    if(NOT arg_HEADER_ONLY)
        specbound_add_runtime_library()
        set(_runtime specbound::runtime)
    endif()

    set(_work "${CMAKE_CURRENT_BINARY_DIR}/${arg_TARGET}_specbound.dir")
    set(_stamp "${_work}/generated.stamp")
    set(_raw_depfile "${_work}/specbound-gen.d")
    set(_depfile "${_work}/generated.d")
    set(_quiet)
    if(arg_QUIET)
        set(_quiet --quiet)
    endif()
    set(_docs)
    set(_docs_byproducts)
    if(arg_DOCS_DIR)
        cmake_path(ABSOLUTE_PATH arg_DOCS_DIR BASE_DIRECTORY "${_base}" NORMALIZE OUTPUT_VARIABLE _docs_dir)
        set(_docs --docs "${_docs_dir}")
        set(_docs_byproducts "${_docs_dir}/${arg_NAMESPACE}/README.md")
    endif()
    set(_sources_option)
    set(_sources)
    if(arg_COMPILED_OPERATIONS)
        set(_sources_option --operation-sources ${arg_COMPILED_OPERATIONS})
        math(EXPR _last "${arg_COMPILED_OPERATIONS} - 1")
        foreach(_i RANGE ${_last})
            list(APPEND _sources "${_out}/${arg_NAMESPACE}/operations_${_i}.cpp")
        endforeach()
    endif()
    set(_mode)
    set(_checked)
    set(_byproducts "${_out}/${arg_NAMESPACE}/client.hpp" "${_out}/${arg_NAMESPACE}/${arg_NAMESPACE}.hpp" ${_docs_byproducts}
        ${_sources})
    set(_comment "specbound-gen: generating ${arg_NAMESPACE} from ${arg_SPEC}")
    if(arg_CHECK)
        set(_mode --check)
        set(_byproducts) # writes nothing
        set(_comment "specbound-gen: checking ${_out} against ${arg_SPEC}")
        # An edit of the kept code runs the check again, as an edit of the spec does.
        file(GLOB_RECURSE _checked CONFIGURE_DEPENDS "${_out}/${arg_NAMESPACE}/*")
        if(arg_DOCS_DIR)
            file(GLOB_RECURSE _checked_docs CONFIGURE_DEPENDS "${_docs_dir}/${arg_NAMESPACE}/*")
            list(APPEND _checked ${_checked_docs})
        endif()
    else()
        file(MAKE_DIRECTORY "${_out}")
    endif()
    file(MAKE_DIRECTORY "${_work}")

    set(_depfile_args)
    if(CMAKE_GENERATOR MATCHES "Ninja|Makefiles" OR CMAKE_VERSION VERSION_GREATER_EQUAL 3.21)
        set(_depfile_args DEPFILE "${_depfile}")
    endif()

    add_custom_command(
        OUTPUT "${_stamp}"
        BYPRODUCTS ${_byproducts}
        COMMAND "${_generator}" --spec "${_spec}" --namespace "${arg_NAMESPACE}" --out "${_out}"
                --depfile "${_raw_depfile}" ${_docs} ${_quiet} ${_mode} ${_sources_option}
        COMMAND "${CMAKE_COMMAND}" "-DSPECBOUND_DEPFILE_IN=${_raw_depfile}" "-DSPECBOUND_DEPFILE_OUT=${_depfile}"
                "-DSPECBOUND_DEPFILE_TARGET=${_stamp}" -P "${_SPECBOUND_GENERATE_SCRIPT}"
        COMMAND "${CMAKE_COMMAND}" -E touch "${_stamp}"
        MAIN_DEPENDENCY "${_spec}"
        DEPENDS ${_generator_dependency} "${_SPECBOUND_GENERATE_SCRIPT}" ${_checked}
        ${_depfile_args}
        WORKING_DIRECTORY "${_work}"
        COMMENT "${_comment}"
        VERBATIM)

    add_custom_target(${arg_TARGET}_specbound_generate DEPENDS "${_stamp}")
    if(arg_COMPILED_OPERATIONS)
        add_library(${arg_TARGET} STATIC ${_sources})
        target_include_directories(${arg_TARGET} PUBLIC "$<BUILD_INTERFACE:${_out}>")
        target_link_libraries(${arg_TARGET} PUBLIC ${_runtime})
    else()
        add_library(${arg_TARGET} INTERFACE)
        target_include_directories(${arg_TARGET} INTERFACE "$<BUILD_INTERFACE:${_out}>")
        target_link_libraries(${arg_TARGET} INTERFACE ${_runtime})
    endif()
    # Dependencies of an INTERFACE library are followed by everything that links it.
    add_dependencies(${arg_TARGET} ${arg_TARGET}_specbound_generate)
    set_target_properties(${arg_TARGET} PROPERTIES SPECBOUND_GENERATED_DIR "${_out}")
endfunction()
