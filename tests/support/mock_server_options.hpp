// Client options for a test's calls to a specbound::testing::mock_server.
#pragma once

#include <specbound/options.hpp>

#include <chrono>

namespace specbound::test {

/// The mock server `server`, no retries (a test sees each answer once), and deadlines that end a
/// call that goes wrong instead of hanging the test.
template <class MockServer>
client_options against(const MockServer& server)
{
    client_options o;
    o.base_url = server.base_url();
    o.retry.max_retries = 0;
    o.timeouts.connect = std::chrono::seconds(5);
    o.timeouts.attempt = std::chrono::seconds(5);
    return o;
}

} // namespace specbound::test
