# vcpkg overlay port for specbound: `vcpkg install specbound --overlay-ports=<repo>/ports`.
# The runtime is header-only; the `generator` feature (default) builds specbound-gen, which is
# installed as a tool (tools/specbound/) and found by specbound-config.cmake.

# Header-only runtime and a release-built tool: a debug tree would hold nothing useful.
set(VCPKG_BUILD_TYPE release)

# TO BE FILLED AT RELEASE: REPO (the public repository), REF (the release tag) and the SHA512 of
# its source archive (vcpkg prints the right SHA512 on the first install attempt with SHA512 0).
vcpkg_from_github(
    OUT_SOURCE_PATH SOURCE_PATH
    REPO specbound/specbound
    REF "v${VERSION}"
    SHA512 0
    HEAD_REF main
)

vcpkg_check_features(OUT_FEATURE_OPTIONS FEATURE_OPTIONS
    FEATURES
        generator SPECBOUND_BUILD_CODEGEN
)

set(GENERATOR_OPTIONS)
if("generator" IN_LIST FEATURES)
    # codegen/ finds libyaml through pkg-config (yaml-0.1.pc).
    vcpkg_find_acquire_program(PKGCONFIG)
    set(GENERATOR_OPTIONS "-DPKG_CONFIG_EXECUTABLE=${PKGCONFIG}")
endif()

vcpkg_cmake_configure(
    SOURCE_PATH "${SOURCE_PATH}"
    OPTIONS
        ${FEATURE_OPTIONS}
        ${GENERATOR_OPTIONS}
        -DSPECBOUND_BUILD_TESTS=OFF
        -DSPECBOUND_BUILD_EXAMPLES=OFF
        -DSPECBOUND_BUILD_BENCHMARKS=OFF
        -DSPECBOUND_INSTALL=ON
)
vcpkg_cmake_install()
vcpkg_cmake_config_fixup(PACKAGE_NAME specbound CONFIG_PATH lib/cmake/specbound)

if("generator" IN_LIST FEATURES)
    vcpkg_copy_tools(TOOL_NAMES specbound-gen AUTO_CLEAN)
    # The exported target points at bin/, which vcpkg empties; the config finds
    # tools/specbound/specbound-gen with find_program instead.
    file(GLOB _specbound_gen_targets "${CURRENT_PACKAGES_DIR}/share/specbound/specbound-gen-targets*.cmake")
    file(REMOVE ${_specbound_gen_targets})
endif()

# Header-only runtime: lib/ held only the CMake files that config_fixup moved to share/.
file(REMOVE_RECURSE "${CURRENT_PACKAGES_DIR}/lib")

file(INSTALL "${CMAKE_CURRENT_LIST_DIR}/usage" DESTINATION "${CURRENT_PACKAGES_DIR}/share/${PORT}")
vcpkg_install_copyright(FILE_LIST "${SOURCE_PATH}/LICENSE")
