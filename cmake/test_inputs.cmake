# The real API descriptions specbound's tests and examples read in place, never copied into the
# repository: DigitalOcean's from ../shared, GitHub's from the npm package @octokit/openapi that
# scripts/setup.sh installs in tools/node_modules.
#
# A missing description skips what needs it, with a message. With SPECBOUND_REQUIRE_TEST_INPUTS
# (scripts/run-tests.sh sets it: CI must not pass by testing less) a missing one is a configure
# error instead, and the C++ tests that read one fail rather than skip (tests/support/test_inputs.hpp).
include_guard(GLOBAL)

option(SPECBOUND_REQUIRE_TEST_INPUTS "Fail when a real API description the tests or examples use is missing (CI)" OFF)
set(SPECBOUND_DIGITALOCEAN_SPEC
    "${PROJECT_SOURCE_DIR}/../shared/specs/digitalocean/specification/DigitalOcean-public.v2.yaml"
    CACHE FILEPATH "DigitalOcean's public API description (../shared/specs/digitalocean)")
set(SPECBOUND_GITHUB_SPEC "${PROJECT_SOURCE_DIR}/tools/node_modules/@octokit/openapi/generated/api.github.com.json"
    CACHE FILEPATH "GitHub's REST API description (@octokit/openapi, installed by scripts/setup.sh)")

# specbound_have_test_input(<result> <path> <what> <used by>): TRUE in <result> when <path> exists;
# otherwise FALSE and a status message naming what is skipped, or a fatal error when required.
function(specbound_have_test_input result path what used_by)
    if(EXISTS "${path}")
        set(${result} TRUE PARENT_SCOPE)
        return()
    endif()
    if(SPECBOUND_REQUIRE_TEST_INPUTS)
        message(FATAL_ERROR "specbound: ${what} not found at ${path}; ${used_by} needs it and "
                            "SPECBOUND_REQUIRE_TEST_INPUTS is ON (scripts/run-tests.sh: set "
                            "SPECBOUND_ALLOW_MISSING_INPUTS=1 to skip what needs it instead)")
    endif()
    message(STATUS "specbound: ${what} not found at ${path}; ${used_by} is skipped")
    set(${result} FALSE PARENT_SCOPE)
endfunction()

# For C++ tests that read the descriptions: their paths and whether a missing one fails the test.
function(specbound_test_input_definitions target)
    if(SPECBOUND_REQUIRE_TEST_INPUTS)
        set(_required 1)
    else()
        set(_required 0)
    endif()
    target_compile_definitions(${target} PRIVATE
        SPECBOUND_DIGITALOCEAN_SPEC="${SPECBOUND_DIGITALOCEAN_SPEC}"
        SPECBOUND_GITHUB_SPEC="${SPECBOUND_GITHUB_SPEC}"
        SPECBOUND_REQUIRE_TEST_INPUTS=${_required})
endfunction()
