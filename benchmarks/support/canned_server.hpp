// The server of the HTTP benchmarks: answers every request with the same pre-serialized response,
// as a static-file server does, on 127.0.0.1 and its own thread (tests/support/loopback_server.hpp).
//
// Whatever the server costs per request is paid by every variant a benchmark compares, and it
// hides the differences between them; so this one does as little as possible: no HTTP parser, no
// allocation, no copy of the response; it waits until the socket is readable, reads without
// blocking, and writes without waiting. The scriptable tests/support/test_server.hpp, which
// parses, records and can misbehave, is the one for tests.
//
// Requests are recognised by the blank line ending their head; they must not have a body (the
// benchmarks send GETs). A connection whose request head exceeds 8 KiB is closed.
#pragma once

#include "support/loopback_server.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>

#include <array>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <utility>

namespace specbound::bench {

class canned_server {
public:
    using tcp = boost::asio::ip::tcp;

    /// `response`: the exact bytes of one HTTP/1.1 response (status line, headers, body).
    explicit canned_server(std::string response)
        : response_(std::move(response)),
          server_([this](tcp::socket socket, std::size_t) { return session(std::move(socket)); })
    {
    }

    std::uint16_t port() const noexcept { return server_.port(); }
    const std::string& response() const noexcept { return response_; }
    std::size_t connections_accepted() const noexcept { return server_.connections_accepted(); }
    std::size_t max_concurrent_connections() const noexcept { return server_.max_concurrent_connections(); }

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
    static auto token() { return boost::asio::as_tuple(boost::asio::use_awaitable); }

    boost::asio::awaitable<void> session(tcp::socket socket)
    {
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
    test::loopback_server server_; // last: its sessions use response_
};

} // namespace specbound::bench
