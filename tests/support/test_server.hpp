// Scriptable in-process HTTP/1.1 server (plain or TLS) on 127.0.0.1, for integration tests.
//
// The server runs on its own thread (loopback_server) and stops in its destructor. A handler
// decides, per request, what happens: a normal response (optionally slow, optionally with
// Connection: close), raw bytes (garbage, truncated bodies), silence (stall), or a close
// without an answer (the keep-alive race a client must survive).
#pragma once

#include <specbound/transport.hpp>

#include "support/loopback_server.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

namespace specbound::test {

namespace detail {
inline auto tuple_token() { return boost::asio::as_tuple(boost::asio::use_awaitable); }
} // namespace detail

/// Where a request arrived: which accepted connection (0-based) and which request on it.
struct request_info {
    std::size_t connection_index = 0;
    std::size_t request_on_connection = 0;
};

/// What the server does with one request.
struct reply {
    enum class kind {
        respond,              // write `response` (Content-Length computed when absent)
        raw,                  // write `raw_bytes` verbatim, then close the connection
        raw_then_stall,       // write `raw_bytes` verbatim, then keep the connection open, silent
        stall,                // never answer; the connection stays open until the server stops
        close_without_answer, // close right away, as a server dropping an idle connection does
        reset,                // abort the connection with a TCP reset (RST) instead of a close
    };

    kind what = kind::respond;
    http_response response{boost::beast::http::status::ok, 11};
    std::string raw_bytes;
    std::chrono::milliseconds delay{0}; // wait before answering

    static reply text(std::string body, boost::beast::http::status status = boost::beast::http::status::ok)
    {
        reply r;
        r.response.result(status);
        r.response.set(boost::beast::http::field::content_type, "text/plain");
        r.response.body() = std::move(body);
        return r;
    }
    static reply json(std::string body, boost::beast::http::status status = boost::beast::http::status::ok)
    {
        reply r = text(std::move(body), status);
        r.response.set(boost::beast::http::field::content_type, "application/json");
        return r;
    }
    /// A response with `Connection: close`; the server closes after writing it.
    static reply text_then_close(std::string body)
    {
        reply r = text(std::move(body));
        r.response.keep_alive(false);
        return r;
    }
    static reply raw(std::string bytes)
    {
        reply r;
        r.what = kind::raw;
        r.raw_bytes = std::move(bytes);
        return r;
    }
    /// A response that starts and never ends (an endless stream that goes quiet).
    static reply raw_then_stall(std::string bytes)
    {
        reply r = raw(std::move(bytes));
        r.what = kind::raw_then_stall;
        return r;
    }
    static reply stall()
    {
        reply r;
        r.what = kind::stall;
        return r;
    }
    static reply close_without_answer()
    {
        reply r;
        r.what = kind::close_without_answer;
        return r;
    }
    static reply reset()
    {
        reply r;
        r.what = kind::reset;
        return r;
    }
};

using request_handler = std::function<reply(const http_request&, const request_info&)>;

struct server_options {
    /// Set for an HTTPS server; the context must outlive the server.
    boost::asio::ssl::context* tls = nullptr;
    /// Close keep-alive connections that wait longer than this for their next request (0: never).
    std::chrono::milliseconds close_idle_after{0};
    /// Keep every request for requests(); off for long runs (soak), where it would grow without bound.
    bool record_requests = true;
};

class test_server {
public:
    using tcp = boost::asio::ip::tcp;

    explicit test_server(request_handler handler, server_options options = {})
        : handler_(std::move(handler)), options_(options),
          server_([this](tcp::socket socket, std::size_t index) { return session(std::move(socket), index); })
    {
    }

    std::uint16_t port() const noexcept { return server_.port(); }
    specbound::origin origin() const { return {options_.tls ? "https" : "http", "127.0.0.1", port()}; }

    std::size_t connections_accepted() const noexcept { return server_.connections_accepted(); }
    std::size_t requests_received() const noexcept { return requests_.load(); }
    std::size_t tls_handshakes_failed() const noexcept { return handshake_failures_.load(); }
    /// Connections currently open on the server side.
    std::size_t connections_open() const noexcept { return server_.connections_open(); }
    /// Most sessions served at once.
    std::size_t max_concurrent_connections() const noexcept { return server_.max_concurrent_connections(); }

    /// Every request received so far, in arrival order.
    std::vector<http_request> requests() const
    {
        std::lock_guard lock(mutex_);
        return received_;
    }

private:
    boost::asio::awaitable<void> session(tcp::socket socket, std::size_t index)
    {
        boost::beast::tcp_stream stream(std::move(socket));
        if (!options_.tls) {
            co_await serve(stream, stream, index);
            co_return;
        }
        boost::beast::ssl_stream<boost::beast::tcp_stream> tls(std::move(stream), *options_.tls);
        boost::beast::get_lowest_layer(tls).expires_after(std::chrono::seconds(10));
        auto [ec] = co_await tls.async_handshake(boost::asio::ssl::stream_base::server, detail::tuple_token());
        boost::beast::get_lowest_layer(tls).expires_never();
        if (ec) {
            ++handshake_failures_;
            co_return;
        }
        co_await serve(tls, boost::beast::get_lowest_layer(tls), index);
    }

    template <class Stream>
    boost::asio::awaitable<void> serve(Stream& stream, boost::beast::tcp_stream& lowest, std::size_t index)
    {
        namespace http = boost::beast::http;
        boost::beast::flat_buffer buffer;
        for (std::size_t n = 0;; ++n) {
            http::request_parser<http::string_body> parser;
            parser.body_limit(64 * 1024 * 1024);
            if (options_.close_idle_after.count() > 0 && n > 0)
                lowest.expires_after(options_.close_idle_after);
            auto [ec, bytes] = co_await http::async_read(stream, buffer, parser, detail::tuple_token());
            (void)bytes;
            lowest.expires_never();
            if (ec)
                co_return;
            http_request req = parser.release();
            if (options_.record_requests) {
                std::lock_guard lock(mutex_);
                received_.push_back(req);
            }
            ++requests_;
            reply r = handler_(req, request_info{index, n});
            if (r.delay.count() > 0) {
                boost::asio::steady_timer t(co_await boost::asio::this_coro::executor, r.delay);
                (void)co_await t.async_wait(detail::tuple_token());
            }
            switch (r.what) {
            case reply::kind::respond: {
                r.response.version(11);
                const bool keep = req.keep_alive() && r.response.keep_alive();
                r.response.keep_alive(keep);
                if (!r.response.has_content_length() && !r.response.chunked())
                    r.response.prepare_payload();
                auto [wec, wn] = co_await http::async_write(stream, r.response, detail::tuple_token());
                (void)wn;
                if (wec || !keep) {
                    lowest.socket().shutdown(tcp::socket::shutdown_send, ec);
                    co_return;
                }
                break;
            }
            case reply::kind::raw: {
                auto [wec, wn] =
                    co_await boost::asio::async_write(stream, boost::asio::buffer(r.raw_bytes), detail::tuple_token());
                (void)wec;
                (void)wn;
                lowest.socket().shutdown(tcp::socket::shutdown_send, ec);
                co_return;
            }
            case reply::kind::raw_then_stall: {
                auto [wec, wn] =
                    co_await boost::asio::async_write(stream, boost::asio::buffer(r.raw_bytes), detail::tuple_token());
                (void)wec;
                (void)wn;
                boost::asio::steady_timer t(co_await boost::asio::this_coro::executor,
                                            std::chrono::steady_clock::time_point::max());
                (void)co_await t.async_wait(detail::tuple_token());
                co_return;
            }
            case reply::kind::stall: {
                boost::asio::steady_timer t(co_await boost::asio::this_coro::executor,
                                            std::chrono::steady_clock::time_point::max());
                (void)co_await t.async_wait(detail::tuple_token());
                co_return;
            }
            case reply::kind::close_without_answer:
                co_return;
            case reply::kind::reset:
                lowest.socket().set_option(tcp::socket::linger(true, 0), ec);
                lowest.socket().close(ec);
                co_return;
            }
        }
    }

    request_handler handler_;
    server_options options_;
    std::atomic<std::size_t> requests_{0}, handshake_failures_{0};
    mutable std::mutex mutex_;
    std::vector<http_request> received_;
    loopback_server server_; // last: its sessions use the members above
};

/// Server-side TLS context for the test PKI's identities. With `require_client_cert`, the
/// server demands a client certificate issued by `client_ca_file`.
inline std::unique_ptr<boost::asio::ssl::context> make_server_tls(const std::string& cert_file,
                                                                  const std::string& key_file,
                                                                  const std::string& client_ca_file = {},
                                                                  bool require_client_cert = false)
{
    namespace ssl = boost::asio::ssl;
    auto ctx = std::make_unique<ssl::context>(ssl::context::tls_server);
    ctx->use_certificate_chain_file(cert_file);
    ctx->use_private_key_file(key_file, ssl::context::pem);
    if (require_client_cert) {
        ctx->load_verify_file(client_ca_file);
        ctx->set_verify_mode(ssl::verify_peer | ssl::verify_fail_if_no_peer_cert);
    }
    return ctx;
}

} // namespace specbound::test
