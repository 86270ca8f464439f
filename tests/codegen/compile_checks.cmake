# The checks that only compile (SPECBOUND_COMPILE_CHECKS): every golden file, and the compile-fail
# cases. Included by tests/codegen/CMakeLists.txt, whose variables they use.
# Every golden file compiles, not only the ones codegen_generated_tests rebuilds from their specs
# (webhooks and the merged sections would otherwise be compared as text only): one translation unit
# that includes every golden header, written at configure time. Golden files sit at
# golden/<case>/<namespace>/..., so each case's folder is an include directory.
file(GLOB_RECURSE _golden_headers RELATIVE "${_golden_dir}" CONFIGURE_DEPENDS "${_golden_dir}/*.hpp")
list(SORT _golden_headers)
set(_golden_includes "// Written by tests/codegen/CMakeLists.txt: every header of tests/codegen/golden, compiled.\n")
set(_golden_include_dirs)
foreach(_header IN LISTS _golden_headers)
    string(REGEX MATCH "^([^/]+)/(.+)$" _ignored "${_header}")
    list(APPEND _golden_include_dirs "${_golden_dir}/${CMAKE_MATCH_1}")
    string(APPEND _golden_includes "#include <${CMAKE_MATCH_2}>\n")
endforeach()
list(REMOVE_DUPLICATES _golden_include_dirs)
file(CONFIGURE OUTPUT "${CMAKE_CURRENT_BINARY_DIR}/golden_compile.cpp" CONTENT "${_golden_includes}" @ONLY)
add_library(codegen_golden_compile OBJECT "${CMAKE_CURRENT_BINARY_DIR}/golden_compile.cpp")
target_include_directories(codegen_golden_compile PRIVATE ${_golden_include_dirs})
target_link_libraries(codegen_golden_compile PRIVATE specbound::specbound specbound_project_options)

# The same TU under clang, whose -Wall warns where GCC's does not (-Wmissing-braces on brace-elided
# tables, deprecated members named by traits): generated code must not impose a warning on a clang
# user either. scripts/run-tests.sh installs clang-15 (for the fuzz targets) before it configures.
find_program(SPECBOUND_CLANGXX NAMES clang++-15 clang++ DOC "clang++ for the golden files' warning check")
if(SPECBOUND_CLANGXX)
    list(TRANSFORM _golden_include_dirs PREPEND "-I" OUTPUT_VARIABLE _golden_include_flags)
    add_test(NAME codegen_golden_clang
             COMMAND "${SPECBOUND_CLANGXX}" -std=gnu++20 -fsyntax-only -Wall -Wextra -Wpedantic -Werror
                     "-I${PROJECT_SOURCE_DIR}/include" ${_golden_include_flags} "${CMAKE_CURRENT_BINARY_DIR}/golden_compile.cpp")
else()
    message(STATUS "specbound: no clang++, so codegen_golden_clang (generated code warning-free under clang) is not run")
endif()

# Compile-fail: a descriptor whose path template disagrees with its parameters must not compile.
# The control variant (same file, consistent descriptor) must compile, so the failure is the check's.
# Each case passes only when the build fails on the static_assert of the rule it breaks (the
# message is specbound::valid_descriptor's own), for the descriptor of the file.
add_library(codegen_compile_fail_control OBJECT compile_fail/descriptor_path_mismatch.cpp)
target_link_libraries(codegen_compile_fail_control PRIVATE specbound::specbound specbound_project_options)
set(_path_rule "static assertion failed: specbound descriptor: the path template's \\{placeholders\\} and the operation's path parameters disagree")
set(_owner_rule "static assertion failed: specbound descriptor: a parameter binds a member of a struct other than the operation's request_type")
foreach(_case IN ITEMS "MISSING_PLACEHOLDER|path" "EXTRA_PLACEHOLDER|path" "UNBALANCED_BRACE|path" "WRONG_OWNER|owner")
    string(REPLACE "|" ";" _case "${_case}")
    list(GET _case 1 _rule)
    list(GET _case 0 _case)
    string(TOLOWER "${_case}" _lower)
    add_library(codegen_compile_fail_${_lower} OBJECT EXCLUDE_FROM_ALL compile_fail/descriptor_path_mismatch.cpp)
    target_link_libraries(codegen_compile_fail_${_lower} PRIVATE specbound::specbound specbound_project_options)
    target_compile_definitions(codegen_compile_fail_${_lower} PRIVATE SPECBOUND_COMPILE_FAIL_${_case})
    add_test(NAME codegen_compile_fail_${_lower}
        COMMAND ${CMAKE_COMMAND} --build ${CMAKE_BINARY_DIR} --target codegen_compile_fail_${_lower})
    set_tests_properties(codegen_compile_fail_${_lower} PROPERTIES
        PASS_REGULAR_EXPRESSION "valid_descriptor<compile_fail::get_item>.*${_${_rule}_rule}")
endforeach()

# Compile-fail: what a spec deprecates is [[deprecated]] for the code that uses it. The control
# (ordinary use of the structs around those members, with the project's -Werror) must compile; each
# case names one deprecated member (model field, request member, facade members of a deprecated
# operation) and passes only when -Werror=deprecated-declarations stops it, with the spec's message.
add_library(codegen_deprecated_control OBJECT compile_fail/deprecated_member.cpp)
target_link_libraries(codegen_deprecated_control PRIVATE codegen_forward_compat specbound::runtime specbound_project_options)
# (No `;` in these: a list would make several patterns, any one of which passes.)
set(_deprecated_field "outage::zone[^ ]* is deprecated: Read zones. this holds the first of them only")
set(_deprecated_parameter "list_notices_request::page[^ ]* is deprecated: Use cursor instead")
set(_deprecated_operation "try_get_summary.* is deprecated: Superseded by the counts in listNotices' response headers")
set(_deprecated_operation_with_metadata "acknowledge_notice_with_metadata.* is deprecated: deprecated in the API description")
foreach(_case IN ITEMS FIELD PARAMETER OPERATION OPERATION_WITH_METADATA)
    string(TOLOWER "${_case}" _lower)
    add_library(codegen_deprecated_${_lower} OBJECT EXCLUDE_FROM_ALL compile_fail/deprecated_member.cpp)
    target_link_libraries(codegen_deprecated_${_lower} PRIVATE
        codegen_forward_compat specbound::runtime specbound_project_options)
    target_compile_definitions(codegen_deprecated_${_lower} PRIVATE SPECBOUND_COMPILE_FAIL_${_case})
    add_test(NAME codegen_deprecated_${_lower}
        COMMAND ${CMAKE_COMMAND} --build ${CMAKE_BINARY_DIR} --target codegen_deprecated_${_lower})
    set_tests_properties(codegen_deprecated_${_lower} PROPERTIES
        PASS_REGULAR_EXPRESSION "${_deprecated_${_lower}}.*-Werror=deprecated-declarations")
endforeach()
