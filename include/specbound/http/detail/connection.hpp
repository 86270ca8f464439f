// One pooled HTTP/1.1 connection and the per-attempt abort control.
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/cancellation_signal.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>

#include <cerrno>
#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#if __has_include(<sys/socket.h>)
#include <sys/socket.h>
#endif

namespace specbound::http::detail {

namespace asio = boost::asio;
namespace beast = boost::beast;
using tcp = asio::ip::tcp;
using clock = std::chrono::steady_clock;

struct connection {
    explicit connection(std::string key) : pool_key(std::move(key)) {}

    std::string pool_key;
    std::optional<beast::tcp_stream> plain;                        // set for http
    std::unique_ptr<beast::ssl_stream<beast::tcp_stream>> tls;     // set for https
    beast::flat_buffer buffer;                                     // kept across requests, pre-sized
    clock::time_point idle_since{};
    bool fresh = true;                     // no exchange completed on it yet
    bool absolute_form = false;            // plain HTTP through a proxy
    std::string proxy_authorization;       // for absolute-form requests through the proxy

    beast::tcp_stream& lowest() noexcept { return tls ? beast::get_lowest_layer(*tls) : *plain; }

    void close() noexcept
    {
        // Not a graceful TLS shutdown: it would cost a round trip and the peer may be gone.
        boost::system::error_code ignored;
        lowest().socket().shutdown(tcp::socket::shutdown_both, ignored);
        lowest().close();
    }

    /// A pooled connection the server has closed (EOF pending) or that holds unsolicited bytes
    /// cannot carry a new request. Checked without blocking, so most stale connections are
    /// dropped before use; the replay logic covers the remaining race.
    bool usable() noexcept
    {
        if (buffer.size() != 0)
            return false;
        auto& sock = lowest().socket();
        if (!sock.is_open())
            return false;
#if defined(MSG_DONTWAIT)
        // One syscall instead of three: this runs before every reused request.
        char byte;
        const auto n = ::recv(sock.native_handle(), &byte, 1, MSG_PEEK | MSG_DONTWAIT);
        return n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK);
#else
        boost::system::error_code ec;
        sock.non_blocking(true, ec);
        if (ec)
            return false;
        char probe;
        const std::size_t n = sock.receive(asio::buffer(&probe, 1), tcp::socket::message_peek, ec);
        boost::system::error_code ignored;
        sock.non_blocking(false, ignored);
        return n == 0 && ec == asio::error::would_block;
#endif
    }
};

/// Aborts whatever one attempt is waiting on, on timeout or caller cancellation: in-flight
/// operations fail because their resolver/socket/timer is cancelled or closed. Shared with the
/// watchdog timer's handler, which may run after the attempt has finished.
class attempt_control : public std::enable_shared_from_this<attempt_control> {
public:
    enum class reason { none, timeout, cancelled };

    explicit attempt_control(asio::any_io_executor ex) : watchdog_(std::move(ex)) {}

    /// The caller's cancellation slot (the coroutine's cancellation state).
    void set_caller_slot(asio::cancellation_slot slot) noexcept { caller_slot_ = slot; }

    /// Attach to the caller's slot. Asio's awaitable clears that slot whenever an operation
    /// completes, so this is called before every suspension of the attempt.
    void listen()
    {
        if (caller_slot_.is_connected() && !finished_)
            caller_slot_.assign([self = shared_from_this()](asio::cancellation_type) {
                self->abort(reason::cancelled);
            });
    }

    void set_resolver(tcp::resolver* r) noexcept { resolver_ = r; }
    void set_stream(beast::tcp_stream* s) noexcept { stream_ = s; }
    void set_wait_timer(asio::steady_timer* t) noexcept { wait_timer_ = t; }

    bool aborted() const noexcept { return why_ != reason::none; }
    reason why() const noexcept { return why_; }

    /// Fires `abort(timeout)` at `deadline`, replacing any earlier deadline.
    void arm(clock::time_point deadline)
    {
        const std::uint64_t gen = ++generation_;
        watchdog_.expires_at(deadline);
        watchdog_.async_wait([self = shared_from_this(), gen](boost::system::error_code ec) {
            // A stale expiry (re-armed meanwhile) must not abort the next phase.
            if (!ec && gen == self->generation_)
                self->abort(reason::timeout);
        });
    }

    void abort(reason r) noexcept
    {
        if (finished_ || why_ != reason::none)
            return;
        why_ = r;
        boost::system::error_code ignored;
        if (resolver_)
            resolver_->cancel();
        if (stream_) {
            stream_->socket().shutdown(tcp::socket::shutdown_both, ignored);
            stream_->close();
        }
        if (wait_timer_)
            wait_timer_->cancel();
    }

    void finish() noexcept
    {
        finished_ = true;
        if (caller_slot_.is_connected())
            caller_slot_.clear();
        resolver_ = nullptr;
        stream_ = nullptr;
        wait_timer_ = nullptr;
        ++generation_;
        watchdog_.cancel();
    }

private:
    asio::steady_timer watchdog_;
    std::uint64_t generation_ = 0;
    reason why_ = reason::none;
    bool finished_ = false;
    tcp::resolver* resolver_ = nullptr;
    beast::tcp_stream* stream_ = nullptr;
    asio::steady_timer* wait_timer_ = nullptr;
    asio::cancellation_slot caller_slot_;
};

} // namespace specbound::http::detail
