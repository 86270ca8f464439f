// The seam between the client (request building, retries, auth, decoding) and the wire.
//
// The Beast transport (http/beast_transport.hpp) implements it with pooled TCP/TLS connections;
// testing/mock_transport.hpp implements it with scripted responses so users can unit-test code
// that calls a generated client without a network.
#pragma once

#include <specbound/error_code.hpp>

#include <boost/asio/awaitable.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/system/error_code.hpp>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>

namespace specbound {

using http_request = boost::beast::http::request<boost::beast::http::string_body>;
using http_response = boost::beast::http::response<boost::beast::http::string_body>;

/// Where a request goes: scheme ("http" or "https"), host and port. Connections are pooled per origin.
struct origin {
    std::string scheme;
    std::string host;
    std::uint16_t port = 0;

    friend bool operator==(const origin&, const origin&) = default;
};

/// Limits of one attempt, set by the client from its options and the remaining overall deadline.
struct attempt_limits {
    std::chrono::steady_clock::duration connect_timeout = std::chrono::seconds(10);
    std::chrono::steady_clock::duration attempt_timeout = std::chrono::seconds(30);
    std::size_t body_limit = 64 * 1024 * 1024;
    /// Send on a newly opened connection, not a pooled one: the call engine asks for it when it
    /// replays a request that a reused connection lost.
    bool fresh_connection = false;
};

/// Outcome of one attempt: facts only. A transport never retries nor replays on its own; the call
/// engine decides from these facts. When `ec` is set, `response` is meaningless.
struct transport_result {
    boost::system::error_code ec;
    /// Whether any byte of the request may have reached the server (false: safe to replay anything).
    bool request_sent = false;
    /// The attempt used a pooled connection that had carried an earlier exchange.
    bool connection_reused = false;
    /// Some byte of a response arrived before the failure.
    bool response_started = false;
    http_response response;
};

class transport {
public:
    virtual ~transport() = default;

    /// Send one request (target in origin-form, Host set by the caller) and read the whole response.
    /// Runs on the caller's executor; must not throw for network failures (report them in `ec`),
    /// and must not send the request twice: a replay is the call engine's decision.
    virtual boost::asio::awaitable<transport_result> send(const origin& to, http_request& request,
                                                          const attempt_limits& limits) = 0;
};

} // namespace specbound
