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
#include <span>
#include <string>

namespace specbound {

class body_source; // <specbound/body_source.hpp>

using http_request = boost::beast::http::request<boost::beast::http::string_body>;
using http_response = boost::beast::http::response<boost::beast::http::string_body>;

/// Where a request goes: scheme ("http" or "https"), host and port. Connections are pooled per origin.
struct origin {
    std::string scheme;
    std::string host;
    std::uint16_t port = 0;

    friend bool operator==(const origin&, const origin&) = default;
};

/// Takes a response body as it arrives instead of it being held in response.body() (streaming
/// downloads). The call engine puts one in attempt_limits::stream; a transport shows it each final
/// response's header and, when it accepts, gives it the body's bytes as they arrive (as sent:
/// still content-encoded), then finish(). An error from write() or finish() ends the attempt
/// with that error (the engine knows which failure it was).
class response_stream {
public:
    virtual ~response_stream() = default;
    /// The final (non-1xx) response's header, its body not read yet: whether the body comes here.
    virtual bool accept(const boost::beast::http::response_header<>& header) = 0;
    virtual boost::system::error_code write(std::span<const char> bytes) = 0;
    /// Awaited after each write before reading more: the consumer's backpressure.
    virtual boost::asio::awaitable<void> ready() { co_return; }
    /// The body ended where the message said it does.
    virtual boost::system::error_code finish() = 0;
};

/// Limits of one attempt, set by the client from its options and the remaining overall deadline.
struct attempt_limits {
    std::chrono::steady_clock::duration connect_timeout = std::chrono::seconds(10);
    std::chrono::steady_clock::duration attempt_timeout = std::chrono::seconds(30);
    std::size_t body_limit = 64 * 1024 * 1024;
    /// Send on a newly opened connection, not a pooled one: the call engine asks for it when it
    /// replays a request that a reused connection lost.
    bool fresh_connection = false;
    /// The caller sends the request again, on a new connection, if a reused connection loses it
    /// before any answer (connection_closed, connection_reused, no response byte): the transport
    /// may then reuse a connection used moments ago without probing it for a close by the server
    /// first. The call engine sets it for idempotent methods and calls with an idempotency key.
    bool replayed_if_lost = false;
    /// Where an accepted response body goes instead of response.body() (see response_stream);
    /// body_limit does not apply to it (the stream counts the decoded bytes itself).
    response_stream* stream = nullptr;
    /// The request body to send instead of request.body(), read piece by piece (an upload), for
    /// transports whose streams_uploads() is true; the request's header says Content-Length or chunked.
    body_source* upload = nullptr;
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
    /// The body went to attempt_limits::stream; response.body() is empty.
    bool body_streamed = false;
    http_response response;
};

class transport {
public:
    virtual ~transport() = default;

    /// Send one request (target in origin-form, Host set by the caller) and read the whole response
    /// (its body into response.body(), or into limits.stream when that accepts it).
    /// Runs on the caller's executor; must not throw for network failures (report them in `ec`),
    /// and must not send the request twice: a replay is the call engine's decision.
    virtual boost::asio::awaitable<transport_result> send(const origin& to, http_request& request,
                                                          const attempt_limits& limits) = 0;

    /// Whether send() reads attempt_limits::upload itself; otherwise the client puts the whole
    /// body in request.body() first (mocks, cassettes and custom transports work unchanged).
    [[nodiscard]] virtual bool streams_uploads() const noexcept { return false; }
};

} // namespace specbound
