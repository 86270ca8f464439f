// An HTTP/1.1 server in a child process, for benchmarks that measure the client the way users run
// it: the server is another process that really parses every request (Boost.Beast), so neither
// its work nor its memory is counted as the client's.
//
//   forked_server server([](const request& req, tcp::socket& s) { ...write the response... });
//   ... connect to 127.0.0.1:server.port() ...
//
// The listening socket is made before fork(), so the port is known and connections queue from
// the start; the child serves each connection (keep-alive) on a thread of its own until it is
// killed by the destructor. Linux only, like the benchmarks.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdint>
#include <cstdlib>
#include <functional>
#include <stdexcept>
#include <thread>

namespace specbound::bench {

class forked_server {
public:
    using tcp = boost::asio::ip::tcp;
    using request = boost::beast::http::request<boost::beast::http::string_body>;
    /// Writes the whole response to `socket`; returns whether the connection stays open.
    using handler = std::function<bool(const request&, tcp::socket& socket)>;

    explicit forked_server(handler h)
    {
        const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
        if (fd < 0)
            throw std::runtime_error("forked_server: socket() failed");
        sockaddr_in addr{};
        addr.sin_family = AF_INET;
        addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        socklen_t len = sizeof addr;
        if (::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 || ::listen(fd, 64) != 0 ||
            ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
            ::close(fd);
            throw std::runtime_error("forked_server: cannot listen on 127.0.0.1");
        }
        port_ = ntohs(addr.sin_port);
        pid_ = ::fork();
        if (pid_ < 0) {
            ::close(fd);
            throw std::runtime_error("forked_server: fork() failed");
        }
        if (pid_ == 0) {
            serve(fd, h); // never returns
        }
        ::close(fd);
    }

    forked_server(const forked_server&) = delete;
    forked_server& operator=(const forked_server&) = delete;

    ~forked_server()
    {
        ::kill(pid_, SIGKILL);
        int status = 0;
        ::waitpid(pid_, &status, 0);
    }

    [[nodiscard]] std::uint16_t port() const noexcept { return port_; }
    [[nodiscard]] pid_t pid() const noexcept { return pid_; }

private:
    [[noreturn]] static void serve(int fd, const handler& h)
    {
        boost::asio::io_context ioc;
        tcp::acceptor acceptor(ioc, tcp::v4(), fd);
        for (;;) {
            tcp::socket socket(ioc);
            boost::system::error_code ec;
            acceptor.accept(socket, ec);
            if (ec)
                continue;
            // A thread per connection: a client's pooled keep-alive connection must not keep
            // another connection (its own, or a baseline's) waiting to be accepted.
            std::thread([s = std::move(socket), &h]() mutable { session(s, h); }).detach();
        }
    }

    static void session(tcp::socket& socket, const handler& h)
    {
        namespace http = boost::beast::http;
        boost::system::error_code ec;
        socket.set_option(tcp::no_delay(true), ec);
        boost::beast::flat_buffer buffer;
        for (;;) {
            request req;
            http::read(socket, buffer, req, ec);
            if (ec)
                break;
            bool keep = false;
            try {
                keep = h(req, socket) && req.keep_alive();
            } catch (...) {
                keep = false; // a write to a client that went away
            }
            if (!keep)
                break;
        }
        socket.shutdown(tcp::socket::shutdown_both, ec);
        socket.close(ec);
    }

    std::uint16_t port_ = 0;
    pid_t pid_ = -1;
};

} // namespace specbound::bench
