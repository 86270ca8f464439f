// Whether a real API description that a test reads in place (cmake/test_inputs.cmake) is there.
// Missing: the test is skipped with a warning, or fails when the build requires every input
// (SPECBOUND_REQUIRE_TEST_INPUTS, set by scripts/run-tests.sh): CI must not pass by testing less.
#pragma once

#include <catch2/catch.hpp>

#include <filesystem>
#include <string_view>

#ifndef SPECBOUND_REQUIRE_TEST_INPUTS
#error "the test target needs specbound_test_input_definitions() (cmake/test_inputs.cmake)"
#endif

namespace specbound::test {

inline bool have_test_input(const std::filesystem::path& path, std::string_view what)
{
    if (std::filesystem::exists(path))
        return true;
    if (SPECBOUND_REQUIRE_TEST_INPUTS)
        FAIL(what << " not found at " << path.string() << " (required: SPECBOUND_REQUIRE_TEST_INPUTS)");
    WARN("skipped: " << what << " not found at " << path.string());
    return false;
}

} // namespace specbound::test
