# consumer.install: `cmake --install` this build into a fresh PREFIX and check what a package
# user relies on is there. -D BUILD_DIR=<build tree> -D PREFIX=<dir> -D CONFIG=<build type>
foreach(_var IN ITEMS BUILD_DIR PREFIX)
    if(NOT ${_var})
        message(FATAL_ERROR "install_check.cmake: ${_var} is required")
    endif()
endforeach()

file(REMOVE_RECURSE "${PREFIX}")
set(_config_args)
if(CONFIG)
    set(_config_args --config "${CONFIG}")
endif()
execute_process(COMMAND "${CMAKE_COMMAND}" --install "${BUILD_DIR}" --prefix "${PREFIX}" ${_config_args}
    RESULT_VARIABLE _rc OUTPUT_VARIABLE _out ERROR_VARIABLE _out)
if(NOT _rc EQUAL 0)
    message(FATAL_ERROR "cmake --install failed (${_rc}):\n${_out}")
endif()

file(GLOB_RECURSE _configs "${PREFIX}/*/specbound-config.cmake")
list(LENGTH _configs _count)
if(NOT _count EQUAL 1)
    message(FATAL_ERROR "expected one specbound-config.cmake under ${PREFIX}, found: ${_configs}")
endif()
get_filename_component(_cmakedir "${_configs}" DIRECTORY)
foreach(_file IN ITEMS
        "${_cmakedir}/specbound-config-version.cmake"
        "${_cmakedir}/specbound-targets.cmake"
        "${_cmakedir}/specbound-gen-targets.cmake"
        "${_cmakedir}/specbound_generate.cmake"
        "${_cmakedir}/specbound_runtime.cpp"
        "${PREFIX}/include/specbound/descriptor.hpp"
        "${PREFIX}/include/specbound/client.hpp"
        "${PREFIX}/bin/specbound-gen")
    if(NOT EXISTS "${_file}")
        message(FATAL_ERROR "missing after install: ${_file}")
    endif()
endforeach()

# The installed generator runs on its own (no build tree needed).
execute_process(COMMAND "${PREFIX}/bin/specbound-gen" --help
    RESULT_VARIABLE _rc OUTPUT_VARIABLE _out ERROR_VARIABLE _out)
if(NOT _rc EQUAL 0)
    message(FATAL_ERROR "installed specbound-gen --help failed (${_rc}):\n${_out}")
endif()
message(STATUS "installed to ${PREFIX}; package files in ${_cmakedir}")
