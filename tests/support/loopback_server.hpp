// The shell of every in-process server of the tests and benchmarks (test_server, test_proxy,
// benchmarks' canned_server): an acceptor on 127.0.0.1 with a port of its own, its own
// io_context and thread, and each accepted connection handed to a session coroutine and counted.
//
// The destructor stops the thread, then destroys the suspended sessions (and their sockets) on
// the calling thread. A class that owns one and state its sessions use declares it as its last
// member, so the sessions are gone before that state is.
#pragma once

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <thread>
#include <utility>

namespace specbound::test {

class loopback_server {
public:
    using tcp = boost::asio::ip::tcp;
    /// Serves one accepted connection; `index` counts the connections accepted before it.
    using session_fn = std::function<boost::asio::awaitable<void>(tcp::socket socket, std::size_t index)>;

    explicit loopback_server(session_fn session)
        : session_(std::move(session)), ioc_(std::make_unique<boost::asio::io_context>(1))
    {
        tcp::acceptor acceptor(*ioc_, tcp::endpoint(boost::asio::ip::make_address("127.0.0.1"), 0));
        port_ = acceptor.local_endpoint().port();
        boost::asio::co_spawn(*ioc_, accept_loop(std::move(acceptor)), boost::asio::detached);
        thread_ = std::thread([this] { ioc_->run(); });
    }

    loopback_server(const loopback_server&) = delete;
    loopback_server& operator=(const loopback_server&) = delete;

    ~loopback_server()
    {
        ioc_->stop();
        thread_.join();
        ioc_.reset();
    }

    std::uint16_t port() const noexcept { return port_; }
    std::size_t connections_accepted() const noexcept { return accepted_.load(); }
    /// Connections whose session is running.
    std::size_t connections_open() const noexcept { return open_.load(); }
    /// Most sessions running at once.
    std::size_t max_concurrent_connections() const noexcept { return max_open_.load(); }

private:
    boost::asio::awaitable<void> accept_loop(tcp::acceptor acceptor)
    {
        for (std::size_t index = 0;; ++index) {
            auto [ec, socket] = co_await acceptor.async_accept(boost::asio::as_tuple(boost::asio::use_awaitable));
            if (ec)
                co_return;
            ++accepted_;
            boost::asio::co_spawn(acceptor.get_executor(), counted(std::move(socket), index), boost::asio::detached);
        }
    }

    boost::asio::awaitable<void> counted(tcp::socket socket, std::size_t index)
    {
        struct open_guard {
            loopback_server& s;
            explicit open_guard(loopback_server& server) : s(server)
            {
                const std::size_t now = ++s.open_;
                std::size_t prev = s.max_open_.load();
                while (prev < now && !s.max_open_.compare_exchange_weak(prev, now)) {
                }
            }
            ~open_guard() { --s.open_; }
        } guard(*this);
        co_await session_(std::move(socket), index);
    }

    session_fn session_;
    std::atomic<std::size_t> accepted_{0}, open_{0}, max_open_{0};
    std::uint16_t port_ = 0;
    std::unique_ptr<boost::asio::io_context> ioc_;
    std::thread thread_;
};

} // namespace specbound::test
