# specbound_add_fuzz_target(<name> SOURCES <file>... [LIBRARIES <target>...]
#                           [CORPUS <dir>] [DICT <file>] [SECONDS <n>])
#
# A libFuzzer target <name> (clang only: -fsanitize=fuzzer,address,undefined, the project's strict
# warnings) and its CTest test `fuzz.<name>` (label `fuzz`), which runs the target over its
# committed seed corpus and then fuzzes for a bounded time:
#
#   <name> -max_total_time=<SECONDS> -rss_limit_mb=2048 -timeout=10 -print_final_stats=1
#          -dict=<DICT> -artifact_prefix=<build>/artifacts/ <build>/corpus <CORPUS>
#
# libFuzzer writes new inputs to the first corpus directory only, so everything it writes (new
# corpus entries, crash/leak/timeout artifacts) stays in <build> = <binary dir>/<name>.fuzz and
# never in the source tree. CORPUS defaults to <source dir>/corpus, DICT to <source dir>/<name>.dict
# (left out when absent), SECONDS to SPECBOUND_FUZZ_SECONDS (30). Any finding fails the test.
# <binary dir of the project>/fuzz_targets/<name>.args holds the executable and the same arguments
# but the time bound, one per line, for scripts/fuzz.sh.
#
# Libraries whose code the target exercises (rather than the header-only runtime, which the target
# compiles itself) are instrumented for coverage by linking specbound_fuzz_instrumented to them.
include_guard(GLOBAL)

set(SPECBOUND_FUZZ_SECONDS 30 CACHE STRING "Seconds each fuzz target runs in its CTest test (after its seed corpus)")

if(NOT CMAKE_CXX_COMPILER_ID MATCHES "Clang")
    message(FATAL_ERROR "SPECBOUND_FUZZ needs clang (libFuzzer), e.g. -DCMAKE_CXX_COMPILER=clang++-15; "
                        "this build uses ${CMAKE_CXX_COMPILER_ID} ${CMAKE_CXX_COMPILER_VERSION}")
endif()

# Sanitizer reports name functions and lines only with a symbolizer; clang 15's runtime does not
# find Debian's unversioned one by itself. Optional (llvm-15 or any llvm package brings one).
string(REGEX MATCH "^[0-9]+" _clang_major "${CMAKE_CXX_COMPILER_VERSION}")
find_program(SPECBOUND_LLVM_SYMBOLIZER NAMES llvm-symbolizer-${_clang_major} llvm-symbolizer
             DOC "llvm-symbolizer for the fuzz targets' sanitizer reports")

# Coverage instrumentation and sanitizers without libFuzzer's main: for libraries a target links.
if(NOT TARGET specbound_fuzz_instrumented)
    add_library(specbound_fuzz_instrumented INTERFACE)
    target_compile_options(specbound_fuzz_instrumented INTERFACE
        -fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer)
    target_link_options(specbound_fuzz_instrumented INTERFACE -fsanitize=address,undefined)
endif()

# Boost's assertion handler for every target: aborts on a failed BOOST_ASSERT like the default one,
# but lets one known-false assertion of Boost.Beast < 1.86 pass (see boost_assert_handler.cpp).
if(NOT TARGET specbound_fuzz_boost_assert)
    add_library(specbound_fuzz_boost_assert OBJECT "${CMAKE_CURRENT_LIST_DIR}/boost_assert_handler.cpp")
    target_compile_options(specbound_fuzz_boost_assert PRIVATE -fsanitize=address,undefined)
    target_link_libraries(specbound_fuzz_boost_assert PRIVATE Boost::headers specbound_project_options)
endif()

function(specbound_add_fuzz_target name)
    cmake_parse_arguments(PARSE_ARGV 1 arg "" "CORPUS;DICT;SECONDS" "SOURCES;LIBRARIES")
    if(arg_UNPARSED_ARGUMENTS OR NOT arg_SOURCES)
        message(FATAL_ERROR "specbound_add_fuzz_target(${name}): SOURCES is required; unknown: ${arg_UNPARSED_ARGUMENTS}")
    endif()
    if(NOT arg_CORPUS)
        set(arg_CORPUS "${CMAKE_CURRENT_SOURCE_DIR}/corpus")
    endif()
    if(NOT arg_DICT AND EXISTS "${CMAKE_CURRENT_SOURCE_DIR}/${name}.dict")
        set(arg_DICT "${CMAKE_CURRENT_SOURCE_DIR}/${name}.dict")
    endif()
    if(NOT arg_SECONDS)
        set(arg_SECONDS ${SPECBOUND_FUZZ_SECONDS})
    endif()
    cmake_path(ABSOLUTE_PATH arg_CORPUS BASE_DIRECTORY "${CMAKE_CURRENT_SOURCE_DIR}")
    if(NOT IS_DIRECTORY "${arg_CORPUS}")
        message(FATAL_ERROR "specbound_add_fuzz_target(${name}): no seed corpus at ${arg_CORPUS}")
    endif()

    add_executable(${name} ${arg_SOURCES})
    target_compile_options(${name} PRIVATE -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all
                                           -fno-omit-frame-pointer)
    # Generated models initialise specbound::list tables with one level of braces (valid C++,
    # what GCC accepts silently); clang's -Wmissing-braces asks for two. Every other warning stays.
    # On the sources: their options come after -Wall from specbound_project_options.
    set_property(SOURCE ${arg_SOURCES} APPEND PROPERTY COMPILE_OPTIONS -Wno-missing-braces)
    target_link_options(${name} PRIVATE -fsanitize=fuzzer,address,undefined)
    target_link_libraries(${name} PRIVATE ${arg_LIBRARIES} specbound::specbound specbound_project_options
                                          specbound_fuzz_boost_assert)
    target_compile_definitions(${name} PRIVATE BOOST_ENABLE_ASSERT_HANDLER)

    # Everything libFuzzer writes goes here; the directories exist whenever the target does.
    set(_work "${CMAKE_CURRENT_BINARY_DIR}/${name}.fuzz")
    add_custom_command(TARGET ${name} POST_BUILD
        COMMAND "${CMAKE_COMMAND}" -E make_directory "${_work}/corpus" "${_work}/artifacts"
        VERBATIM)
    set(_dict)
    if(arg_DICT)
        cmake_path(ABSOLUTE_PATH arg_DICT BASE_DIRECTORY "${CMAKE_CURRENT_SOURCE_DIR}")
        set(_dict "-dict=${arg_DICT}")
    endif()
    set(_args -rss_limit_mb=2048 -timeout=10 -print_final_stats=1 ${_dict} "-artifact_prefix=${_work}/artifacts/"
              "${_work}/corpus" "${arg_CORPUS}")
    add_test(NAME fuzz.${name} COMMAND ${name} -max_total_time=${arg_SECONDS} ${_args})
    # Loading the corpus and the final report come on top of the fuzzing time.
    math(EXPR _timeout "${arg_SECONDS} * 2 + 120")
    set_tests_properties(fuzz.${name} PROPERTIES LABELS fuzz TIMEOUT ${_timeout})
    if(SPECBOUND_LLVM_SYMBOLIZER)
        set_tests_properties(fuzz.${name} PROPERTIES ENVIRONMENT "ASAN_SYMBOLIZER_PATH=${SPECBOUND_LLVM_SYMBOLIZER}")
    endif()
    # For scripts/fuzz.sh (long runs): the executable, then the same arguments, one per line.
    list(JOIN _args "\n" _lines)
    file(GENERATE OUTPUT "${CMAKE_BINARY_DIR}/fuzz_targets/${name}.args" CONTENT "$<TARGET_FILE:${name}>\n${_lines}\n")
endfunction()
