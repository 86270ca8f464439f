// Client options for a test's calls to a specbound::testing::mock_server.
#pragma once

#include <specbound/options.hpp>

#include <chrono>
#include <string>
#include <utility>

namespace specbound::test {

/// The mock server at `base_url` (its base_url()), no retries (a test sees each answer once), and
/// deadlines that end a call that goes wrong instead of hanging the test.
inline client_options mock_server_options(std::string base_url)
{
    client_options o;
    o.base_url = std::move(base_url);
    o.retry.max_retries = 0;
    o.timeouts.connect = std::chrono::seconds(5);
    o.timeouts.attempt = std::chrono::seconds(5);
    return o;
}

} // namespace specbound::test
