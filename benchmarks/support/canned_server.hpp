// The server of the HTTP benchmarks: answers every request with the same pre-serialized response,
// as a static-file server does, on 127.0.0.1 and its own thread.
//
// Whatever the server costs per request is paid by every variant a benchmark compares, and it
// hides the differences between them; so this one does as little as possible: no HTTP parser, no
// allocation, no copy of the response, and readiness-based I/O (wait until readable, then one
// non-blocking read; one non-blocking write) so a request costs it three system calls. The scriptable
// tests/support/test_server.hpp, which parses, records and can misbehave, is the one for tests.
//
// Requests are recognised by the blank line ending their head; they must not have a body (the
// benchmarks send GETs). A connection whose request head exceeds 8 KiB is closed.
#pragma once

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>

#include <algorithm>
#include <array>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>
#include <string>
#include <string_view>
#include <thread>
#include <utility>

namespace specbound::bench {

class canned_server {
public:
    /// `response`: the exact bytes of one HTTP/1.1 response (status line, headers, body).
    explicit canned_server(std::string response)
        : response_(std::move(response)), ioc_(std::make_unique<boost::asio::io_context>(1))
    {
        tcp::acceptor acceptor(*ioc_, tcp::endpoint(boost::asio::ip::make_address("127.0.0.1"), 0));
        port_ = acceptor.local_endpoint().port();
        boost::asio::co_spawn(*ioc_, accept_loop(std::move(acceptor)), boost::asio::detached);
        thread_ = std::thread([this] { ioc_->run(); });
    }

    canned_server(const canned_server&) = delete;
    canned_server& operator=(const canned_server&) = delete;

    ~canned_server()
    {
        ioc_->stop();
        thread_.join();
        ioc_.reset(); // destroys the suspended sessions and their sockets on this thread
    }

    std::uint16_t port() const noexcept { return port_; }
    const std::string& response() const noexcept { return response_; }
    std::size_t connections_accepted() const noexcept { return accepted_.load(); }
    std::size_t max_concurrent_connections() const noexcept { return max_open_.load(); }

    /// A `200 OK` response with `body` and Content-Type `content_type`, kept alive.
    static std::string ok(std::string_view content_type, std::string_view body)
    {
        std::string r = "HTTP/1.1 200 OK\r\nContent-Type: ";
        r += content_type;
        r += "\r\nContent-Length: ";
        r += std::to_string(body.size());
        r += "\r\n\r\n";
        r += body;
        return r;
    }

private:
    using tcp = boost::asio::ip::tcp;

    static auto token() { return boost::asio::as_tuple(boost::asio::use_awaitable); }

    boost::asio::awaitable<void> accept_loop(tcp::acceptor acceptor)
    {
        for (;;) {
            auto [ec, socket] = co_await acceptor.async_accept(token());
            if (ec)
                co_return;
            ++accepted_;
            boost::asio::co_spawn(acceptor.get_executor(), session(std::move(socket)), boost::asio::detached);
        }
    }

    boost::asio::awaitable<void> session(tcp::socket socket)
    {
        const std::size_t open = ++open_;
        for (std::size_t seen = max_open_.load(); open > seen && !max_open_.compare_exchange_weak(seen, open);) {
        }
        boost::system::error_code ec;
        socket.set_option(tcp::no_delay(true), ec);
        socket.non_blocking(true, ec);
        std::array<char, 8192> head{};
        std::size_t have = 0;
        while (!ec) {
            auto [wec] = co_await socket.async_wait(tcp::socket::wait_read, token());
            if (wec)
                break;
            const std::size_t n = socket.read_some(boost::asio::buffer(head.data() + have, head.size() - have), ec);
            if (ec == boost::asio::error::would_block) {
                ec = {};
                continue;
            }
            have += n;
            // Answer every complete request head; keep a partial one for the next read.
            std::string_view pending(head.data(), have);
            std::size_t requests = 0;
            for (std::size_t end; (end = pending.find("\r\n\r\n")) != std::string_view::npos; ++requests)
                pending.remove_prefix(end + 4);
            if (pending.size() == head.size())
                break;
            std::memmove(head.data(), pending.data(), pending.size());
            have = pending.size();
            for (; requests > 0 && !ec; --requests)
                ec = co_await write_response(socket);
        }
        --open_;
    }

    /// One non-blocking write, which a response of a few KiB on a drained connection completes;
    /// the asynchronous write for whatever the socket did not take.
    boost::asio::awaitable<boost::system::error_code> write_response(tcp::socket& socket)
    {
        boost::system::error_code ec;
        std::size_t done = socket.write_some(boost::asio::buffer(response_), ec);
        if (ec == boost::asio::error::would_block) {
            ec = {};
            done = 0;
        }
        if (!ec && done < response_.size()) {
            auto [aec, n] =
                co_await boost::asio::async_write(socket, boost::asio::buffer(response_.data() + done, response_.size() - done), token());
            (void)n;
            ec = aec;
        }
        co_return ec;
    }

    std::string response_;
    std::unique_ptr<boost::asio::io_context> ioc_;
    std::thread thread_;
    std::uint16_t port_ = 0;
    std::atomic<std::size_t> accepted_{0};
    std::atomic<std::size_t> open_{0};
    std::atomic<std::size_t> max_open_{0};
};

} // namespace specbound::bench
