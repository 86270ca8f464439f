// A small HTTP proxy on 127.0.0.1 for integration tests: CONNECT tunnels and absolute-form
// forwarding of plain HTTP requests. It records every request line it receives and can demand
// Proxy-Authorization. Runs on its own thread (loopback_server); stops in its destructor.
#pragma once

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/connect.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/url/parse.hpp>

#include "support/loopback_server.hpp"

#include <array>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace specbound::test {

/// One request line as the proxy saw it.
struct proxy_request {
    std::string method;
    std::string target;
    std::string proxy_authorization;
};

class test_proxy {
public:
    using tcp = boost::asio::ip::tcp;

    /// With a non-empty `required_authorization` (e.g. "Basic dXNlcjpwYXNz"), other requests get 407.
    explicit test_proxy(std::string required_authorization = {})
        : required_(std::move(required_authorization)),
          server_([this](tcp::socket socket, std::size_t) { return session(std::move(socket)); })
    {
    }

    std::uint16_t port() const noexcept { return server_.port(); }
    std::string url() const { return "http://127.0.0.1:" + std::to_string(port()); }
    std::size_t connections_accepted() const noexcept { return server_.connections_accepted(); }

    std::vector<proxy_request> requests() const
    {
        std::lock_guard lock(mutex_);
        return seen_;
    }

private:
    static auto token() { return boost::asio::as_tuple(boost::asio::use_awaitable); }

    static boost::asio::awaitable<void> pump(std::shared_ptr<tcp::socket> from, std::shared_ptr<tcp::socket> to)
    {
        std::array<char, 16 * 1024> buf;
        for (;;) {
            auto [ec, n] = co_await from->async_read_some(boost::asio::buffer(buf), token());
            if (ec)
                break;
            auto [wec, wn] = co_await boost::asio::async_write(*to, boost::asio::buffer(buf.data(), n), token());
            (void)wn;
            if (wec)
                break;
        }
        boost::system::error_code ignored;
        to->shutdown(tcp::socket::shutdown_send, ignored);
    }

    static boost::asio::awaitable<bool> connect_upstream(tcp::socket& upstream, const std::string& host,
                                                         const std::string& port)
    {
        tcp::resolver resolver(upstream.get_executor());
        auto [rec, results] = co_await resolver.async_resolve(host, port, token());
        if (rec)
            co_return false;
        auto [cec, ep] = co_await boost::asio::async_connect(upstream, results, token());
        (void)ep;
        co_return !cec;
    }

    boost::asio::awaitable<void> answer(boost::beast::tcp_stream& client, boost::beast::http::status status)
    {
        namespace http = boost::beast::http;
        http::response<http::string_body> res{status, 11};
        res.keep_alive(false);
        if (status == http::status::proxy_authentication_required)
            res.set(http::field::proxy_authenticate, "Basic realm=\"test\"");
        res.prepare_payload();
        (void)co_await http::async_write(client, res, token());
    }

    boost::asio::awaitable<void> session(tcp::socket socket)
    {
        namespace http = boost::beast::http;
        boost::beast::tcp_stream client(std::move(socket));
        boost::beast::flat_buffer buffer;
        for (;;) {
            http::request_parser<http::string_body> parser;
            parser.body_limit(64 * 1024 * 1024);
            auto [ec, n] = co_await http::async_read(client, buffer, parser, token());
            (void)n;
            if (ec)
                co_return;
            http::request<http::string_body> req = parser.release();
            const std::string auth(req[http::field::proxy_authorization]);
            {
                std::lock_guard lock(mutex_);
                seen_.push_back({std::string(req.method_string()), std::string(req.target()), auth});
            }
            if (!required_.empty() && auth != required_) {
                co_await answer(client, http::status::proxy_authentication_required);
                co_return;
            }

            auto upstream = std::make_shared<tcp::socket>(client.get_executor());
            if (req.method() == http::verb::connect) {
                const std::string target(req.target());
                const auto colon = target.rfind(':');
                if (colon == std::string::npos ||
                    !co_await connect_upstream(*upstream, target.substr(0, colon), target.substr(colon + 1))) {
                    co_await answer(client, http::status::bad_gateway);
                    co_return;
                }
                static constexpr char established[] = "HTTP/1.1 200 Connection established\r\n\r\n";
                auto [wec, wn] = co_await boost::asio::async_write(
                    client, boost::asio::buffer(established, sizeof established - 1), token());
                (void)wn;
                if (wec)
                    co_return;
                auto down = std::make_shared<tcp::socket>(client.release_socket());
                if (buffer.size() != 0) {
                    auto [bec, bn] = co_await boost::asio::async_write(*upstream, buffer.data(), token());
                    (void)bn;
                    if (bec)
                        co_return;
                }
                boost::asio::co_spawn(down->get_executor(), pump(down, upstream), boost::asio::detached);
                boost::asio::co_spawn(down->get_executor(), pump(upstream, down), boost::asio::detached);
                co_return;
            }

            // Absolute-form: forward in origin-form to the named host, relay the answer.
            auto url = boost::urls::parse_absolute_uri(req.target());
            if (!url || url->scheme() != "http") {
                co_await answer(client, http::status::bad_request);
                co_return;
            }
            const std::string port = url->has_port() ? std::string(url->port()) : "80";
            if (!co_await connect_upstream(*upstream, url->host(), port)) {
                co_await answer(client, http::status::bad_gateway);
                co_return;
            }
            std::string origin_form(url->encoded_path());
            if (origin_form.empty())
                origin_form = "/";
            if (url->has_query())
                origin_form += "?" + std::string(url->encoded_query());
            req.target(origin_form);
            req.erase(http::field::proxy_authorization);
            auto [wec, wn] = co_await http::async_write(*upstream, req, token());
            (void)wn;
            if (wec)
                co_return;
            boost::beast::flat_buffer upstream_buffer;
            http::response_parser<http::string_body> rp;
            rp.body_limit(64 * 1024 * 1024);
            auto [rec, rn] = co_await http::async_read(*upstream, upstream_buffer, rp, token());
            (void)rn;
            if (rec) {
                co_await answer(client, http::status::bad_gateway);
                co_return;
            }
            auto res = rp.release();
            const bool keep = req.keep_alive() && res.keep_alive();
            res.keep_alive(keep);
            auto [cwec, cwn] = co_await http::async_write(client, res, token());
            (void)cwn;
            if (cwec || !keep)
                co_return;
        }
    }

    std::string required_;
    mutable std::mutex mutex_;
    std::vector<proxy_request> seen_;
    loopback_server server_; // last: its sessions use the members above
};

} // namespace specbound::test
