# Install and export rules: headers, the runtime target, the generator, and a CMake package
# (find_package(specbound CONFIG)) that brings specbound_generate() along.
include(CMakePackageConfigHelpers)

# lib/ rather than share/: the package carries an executable, so it is architecture-specific.
set(SPECBOUND_INSTALL_CMAKEDIR "${CMAKE_INSTALL_LIBDIR}/cmake/specbound"
    CACHE STRING "Where specbound's CMake package files are installed (relative to the prefix)")
mark_as_advanced(SPECBOUND_INSTALL_CMAKEDIR)

install(DIRECTORY "${PROJECT_SOURCE_DIR}/include/specbound"
    DESTINATION "${CMAKE_INSTALL_INCLUDEDIR}"
    COMPONENT specbound_development
    FILES_MATCHING PATTERN "*.hpp" PATTERN "*.ipp")

install(TARGETS specbound EXPORT specbound-targets)
install(EXPORT specbound-targets
    NAMESPACE specbound::
    DESTINATION "${SPECBOUND_INSTALL_CMAKEDIR}"
    COMPONENT specbound_development)

# The generator has its own export set so that a package manager may move the executable
# (vcpkg: tools/specbound/) and drop this file; the config then finds the program itself.
if(TARGET specbound-gen)
    install(TARGETS specbound-gen EXPORT specbound-gen-targets
        RUNTIME DESTINATION "${CMAKE_INSTALL_BINDIR}" COMPONENT specbound_generator)
    install(EXPORT specbound-gen-targets
        NAMESPACE specbound::
        DESTINATION "${SPECBOUND_INSTALL_CMAKEDIR}"
        COMPONENT specbound_generator)
endif()

configure_package_config_file(
    "${CMAKE_CURRENT_LIST_DIR}/specbound-config.cmake.in"
    "${PROJECT_BINARY_DIR}/specbound-config.cmake"
    INSTALL_DESTINATION "${SPECBOUND_INSTALL_CMAKEDIR}")

# ARCH_INDEPENDENT: the runtime is header-only and the generator is a build-host tool, so a
# consumer compiling for another pointer size can still use this package. Before 1.0 a minor
# version may break things; SameMajorVersion is what the 1.x series will promise.
write_basic_package_version_file(
    "${PROJECT_BINARY_DIR}/specbound-config-version.cmake"
    VERSION "${PROJECT_VERSION}"
    COMPATIBILITY SameMajorVersion
    ARCH_INDEPENDENT)

install(FILES
    "${PROJECT_BINARY_DIR}/specbound-config.cmake"
    "${PROJECT_BINARY_DIR}/specbound-config-version.cmake"
    "${CMAKE_CURRENT_LIST_DIR}/specbound_generate.cmake"
    "${CMAKE_CURRENT_LIST_DIR}/specbound_runtime.cpp"
    DESTINATION "${SPECBOUND_INSTALL_CMAKEDIR}"
    COMPONENT specbound_development)
