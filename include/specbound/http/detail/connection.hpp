// One pooled HTTP/1.1 connection and the per-attempt abort control.
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/bind_executor.hpp>
#include <boost/asio/cancellation_signal.hpp>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

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

    /// What can be known of a pooled connection without a system call: open, nothing unread.
    bool plausibly_usable() noexcept { return buffer.size() == 0 && lowest().socket().is_open(); }

    /// A pooled connection the server has closed (EOF pending) or that holds unsolicited bytes
    /// cannot carry a new request. Checked without blocking, so most stale connections are
    /// dropped before use; the replay logic covers the remaining race.
    bool usable() noexcept
    {
        if (!plausibly_usable())
            return false;
        auto& sock = lowest().socket();
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

class attempt_control;

/// The deadlines of a transport's attempts, on one timer armed for the earliest of them.
///
/// A per-attempt timer costs a system call per request (timerfd_settime: each new wait becomes the
/// reactor's earliest timer). Here an attempt whose deadline is not earlier than the armed expiry
/// costs none: sequential calls with the same timeout each add a later deadline, and the timer,
/// armed by the first, is re-armed only when it expires (then for the earliest deadline still
/// registered) or when an earlier deadline comes. A reached deadline fires on time: the armed
/// expiry is never later than any registered deadline.
///
/// A pending wait keeps its io_context's run() from returning, so once no attempt is registered
/// the timer is cancelled, from a handler posted for that purpose: back-to-back calls (the next
/// attempt registers before that handler runs) keep the timer armed; a client left idle lets
/// run() return. That handler is posted to the transport's executor, not to the attempts' strand
/// (see idle_soon), so that it costs no extra pass of the event loop. Shared with the timer's
/// handlers, which may run after the transport is gone.
class deadline_set : public std::enable_shared_from_this<deadline_set> {
public:
    explicit deadline_set(asio::any_io_executor ex) : timer_(ex), handlers_(std::move(ex)) {}

    /// Where the timer's handlers run: the executor the attempts run on (the client's strand),
    /// so that they never run beside an attempt on another thread. Called by every send().
    void run_handlers_on(const asio::any_io_executor& ex)
    {
        if (handlers_ != ex)
            handlers_ = ex;
    }

    /// Registers `a` with `deadline` (time_point::max(): no deadline), or moves it there.
    inline void set(attempt_control& a, clock::time_point deadline);
    /// Unregisters `a` (nothing if it is not registered).
    inline void remove(attempt_control& a) noexcept;
    /// The transport is going away: no more waits.
    void close() noexcept
    {
        closed_ = true;
        disarm();
    }

    /// How many times the timer was armed (for tests: a deadline not reached arms nothing).
    std::size_t armings() const noexcept { return armings_; }

private:
    void arm(clock::time_point expiry)
    {
        ++armings_;
        armed_ = expiry;
        waiting_ = true;
        const std::uint64_t gen = ++generation_;
        timer_.expires_at(expiry);
        timer_.async_wait(asio::bind_executor(handlers_, [self = shared_from_this(), gen](boost::system::error_code ec) {
            if (gen == self->generation_) // not re-armed or disarmed since
                self->expired(ec);
        }));
    }

    void disarm() noexcept
    {
        if (!waiting_)
            return;
        waiting_ = false;
        armed_ = clock::time_point::max();
        ++generation_;
        timer_.cancel();
    }

    inline void expired(boost::system::error_code ec);

    void idle_soon()
    {
        if (idle_check_posted_ || closed_)
            return;
        idle_check_posted_ = true;
        // Posted to the timer's executor (the transport's), then entering the attempts' executor
        // with dispatch: inline when that strand is free. Posted to the strand itself, the check
        // would sit in the strand's queue ahead of the next attempt's read completion, which then
        // waits for the strand to be scheduled again: one more pass of the event loop per
        // request, each pass an epoll_wait (4 system calls per keep-alive request instead of 3).
        asio::post(timer_.get_executor(), [self = shared_from_this(), ex = handlers_] {
            asio::dispatch(ex, [self] {
                self->idle_check_posted_ = false;
                if (self->entries_.empty())
                    self->disarm();
            });
        });
    }

    asio::steady_timer timer_;
    asio::any_io_executor handlers_;
    std::vector<attempt_control*> entries_; // unordered; each knows its index
    clock::time_point armed_ = clock::time_point::max();
    std::uint64_t generation_ = 0;
    std::size_t armings_ = 0;
    bool waiting_ = false;
    bool idle_check_posted_ = false;
    bool closed_ = false;
};

/// Aborts whatever one attempt is waiting on, on timeout or caller cancellation: in-flight
/// operations fail because their resolver/socket/timer is cancelled or closed. Shared with the
/// caller's cancellation handler, which may run after the attempt has finished.
class attempt_control : public std::enable_shared_from_this<attempt_control> {
public:
    enum class reason { none, timeout, cancelled };

    explicit attempt_control(std::shared_ptr<deadline_set> deadlines) : deadlines_(std::move(deadlines)) {}
    ~attempt_control() { deadlines_->remove(*this); }
    attempt_control(const attempt_control&) = delete;
    attempt_control& operator=(const attempt_control&) = delete;

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

    /// Aborts with `timeout` at `deadline`, replacing any earlier deadline.
    void arm(clock::time_point deadline)
    {
        if (!finished_)
            deadlines_->set(*this, deadline);
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
        deadlines_->remove(*this);
    }

private:
    friend class deadline_set;

    std::shared_ptr<deadline_set> deadlines_;
    clock::time_point deadline_ = clock::time_point::max();
    std::size_t index_ = npos; // in deadlines_->entries_
    static constexpr std::size_t npos = static_cast<std::size_t>(-1);
    reason why_ = reason::none;
    bool finished_ = false;
    tcp::resolver* resolver_ = nullptr;
    beast::tcp_stream* stream_ = nullptr;
    asio::steady_timer* wait_timer_ = nullptr;
    asio::cancellation_slot caller_slot_;
};

inline void deadline_set::set(attempt_control& a, clock::time_point deadline)
{
    if (deadline == clock::time_point::max()) {
        remove(a);
        return;
    }
    a.deadline_ = deadline;
    if (a.index_ == attempt_control::npos) {
        a.index_ = entries_.size();
        entries_.push_back(&a);
    }
    if (closed_)
        return;
    if (!waiting_ || deadline < armed_)
        arm(deadline);
}

inline void deadline_set::remove(attempt_control& a) noexcept
{
    if (a.index_ == attempt_control::npos)
        return;
    attempt_control* last = entries_.back();
    entries_[a.index_] = last;
    last->index_ = a.index_;
    entries_.pop_back();
    a.index_ = attempt_control::npos;
    if (entries_.empty() && waiting_) {
        try {
            idle_soon();
        } catch (...) {
            disarm(); // no memory to post the check: cancel now (the next attempt arms again)
        }
    }
}

inline void deadline_set::expired(boost::system::error_code ec)
{
    waiting_ = false;
    armed_ = clock::time_point::max();
    if (ec || closed_)
        return;
    const auto now = clock::now();
    // Unregister the expired first: abort() only closes sockets and cancels waits (their
    // handlers run later), but keep the walk simple and safe.
    std::vector<std::shared_ptr<attempt_control>> due;
    for (std::size_t i = 0; i < entries_.size();) {
        attempt_control* a = entries_[i];
        if (a->deadline_ <= now) {
            due.push_back(a->shared_from_this());
            remove(*a); // moves the last entry to i
        } else {
            ++i;
        }
    }
    for (const auto& a : due)
        a->abort(attempt_control::reason::timeout);
    auto earliest = clock::time_point::max();
    for (const attempt_control* a : entries_)
        earliest = std::min(earliest, a->deadline_);
    if (earliest != clock::time_point::max())
        arm(earliest);
}

} // namespace specbound::http::detail
