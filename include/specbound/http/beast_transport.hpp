// specbound::transport over Boost.Beast: HTTP/1.1 on TCP or TLS, pooled keep-alive connections
// per origin, proxies (CONNECT tunnels and absolute-form), timeouts and per-operation cancellation.
//
// Not thread-safe: use one transport from one thread or strand. Every send() must have completed
// before the transport is destroyed.
#pragma once

#include <specbound/body_source.hpp>
#include <specbound/detail/config.hpp>

#include <specbound/error_code.hpp>
#include <specbound/http/detail/connection.hpp>
#include <specbound/http/detail/proxy.hpp>
#include <specbound/http/transport_options.hpp>
#include <specbound/transport.hpp>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/bind_cancellation_slot.hpp>
#include <boost/asio/ip/address.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/ssl/error.hpp>
#include <boost/asio/ssl/host_name_verification.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/error.hpp>
#include <boost/beast/http/buffer_body.hpp>
#include <boost/beast/http/chunk_encode.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>
#include <boost/system/system_error.hpp>

#include <openssl/ssl.h>

#include <algorithm>
#include <cstdint>
#include <limits>
#include <list>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <unordered_map>
#include <utility>
#include <vector>

namespace specbound::http {

namespace detail {

namespace bhttp = boost::beast::http;
using error_code = boost::system::error_code;

/// Completion token for every operation inside an attempt: results as tuples (never throws) and
/// detached from the coroutine's cancellation slot, which the attempt listens on itself (see
/// attempt_control::listen): cancellation closes the socket, which reliably ends every composed
/// Beast operation and tells us why it ended.
inline auto op_token()
{
    return asio::bind_cancellation_slot(asio::cancellation_slot(), asio::as_tuple(asio::use_awaitable));
}

inline bool is_ip_literal(const std::string& host)
{
    error_code ec;
    (void)asio::ip::make_address(host, ec);
    return !ec;
}

inline bool is_tls_error(const error_code& ec)
{
    return ec.category() == asio::error::get_ssl_category() ||
           (ec.category() == asio::ssl::error::get_stream_category() &&
            ec != asio::ssl::error::stream_truncated);
}

inline error_code abort_code(const attempt_control& ctl)
{
    return ctl.why() == attempt_control::reason::cancelled ? make_error_code(transport_errc::cancelled)
                                                           : make_error_code(transport_errc::timeout);
}

/// A failed read: what went wrong, given whether any byte of the response had arrived.
inline error_code map_read_error(const error_code& ec, bool response_bytes, bool fresh_tls)
{
    if (ec == bhttp::error::body_limit)
        return transport_errc::body_too_large;
    if (ec == bhttp::error::partial_message)
        return transport_errc::truncated_response;
    if (ec == bhttp::error::end_of_stream)
        return transport_errc::connection_closed;
    if (ec.category() == bhttp::make_error_code(bhttp::error::bad_version).category())
        return transport_errc::malformed_response; // header_limit, bad status line, bad chunk...
    // TLS 1.3 reports a refused client certificate with an alert after the handshake.
    if (fresh_tls && !response_bytes && is_tls_error(ec))
        return transport_errc::tls_handshake_failed;
    return response_bytes ? transport_errc::truncated_response : transport_errc::connection_closed;
}

/// Writes what the socket takes of `sr` now, without waiting, on a plain TCP connection (a
/// request of a few KiB fits the send buffer): one system call fewer per request than an
/// asynchronous write, which completes through the scheduler. would_block means the rest is to be
/// written asynchronously; TLS streams always write asynchronously.
template <class Stream>
error_code write_without_waiting(Stream& stream, bhttp::request_serializer<bhttp::string_body>& sr)
{
    error_code ec = asio::error::would_block;
    if constexpr (std::is_same_v<Stream, beast::tcp_stream>) {
        tcp::socket& socket = stream.socket();
        ec = {};
        if (!socket.non_blocking())
            socket.non_blocking(true, ec);
        if (!ec)
            bhttp::write(socket, sr, ec);
    }
    return ec;
}

struct exchange_outcome {
    error_code ec;
    bool request_sent = false;
    bool response_bytes = false; // any byte of a response arrived
    bool keep_alive = false;
    bool body_streamed = false; // the body went to attempt_limits::stream
    http_response response;
};

struct waiter {
    explicit waiter(asio::any_io_executor ex) : timer(std::move(ex), clock::time_point::max()) {}
    asio::steady_timer timer;
    std::shared_ptr<connection> conn; // an idle connection handed over
    bool slot_granted = false;        // or permission to open one
};

struct origin_pool {
    std::vector<std::shared_ptr<connection>> idle; // most recently used last
    std::size_t open = 0;                          // busy + idle + being opened
    std::list<waiter*> waiters;                    // first come, first served
};

struct lease {
    bool ok = false;
    std::shared_ptr<connection> conn; // null: a slot to open a new connection
};

} // namespace detail

class beast_transport final : public specbound::transport {
public:
    /// Throws boost::system::system_error when the TLS configuration cannot be loaded (missing
    /// CA file, bad client certificate...) and std::invalid_argument for inconsistent options.
    beast_transport(boost::asio::any_io_executor ex, transport_options options = {})
        : ex_(std::move(ex)),
          options_(std::move(options)),
          proxies_(detail::proxy_config::from(options_.proxy)),
          ssl_(boost::asio::ssl::context::tls_client),
          deadlines_(std::make_shared<detail::deadline_set>(ex_))
    {
        if (options_.max_connections_per_origin == 0)
            throw std::invalid_argument("specbound: max_connections_per_origin must be at least 1");
        configure_tls();
    }

    beast_transport(const beast_transport&) = delete;
    beast_transport& operator=(const beast_transport&) = delete;

    ~beast_transport() override
    {
        deadlines_->close();
        close_idle();
    }

    [[nodiscard]] bool streams_uploads() const noexcept override { return true; }

    /// One attempt. A request without Content-Length or chunked framing gets Content-Length.
    /// For plain HTTP through a proxy the target is made absolute while writing and restored.
    boost::asio::awaitable<transport_result> send(const origin& to, http_request& request,
                                                  const attempt_limits& limits) override;

    /// Total connections ever opened (TCP connects that succeeded).
    std::size_t connections_opened() const noexcept { return connections_opened_; }

    /// How many times the attempts' deadline timer was armed, each a system call: once for a run
    /// of back-to-back attempts, not once per attempt (see detail::deadline_set).
    std::size_t deadline_timer_armings() const noexcept { return deadlines_->armings(); }

    /// Pooled connections reused without the non-blocking probe for a close by the server (see
    /// transport_options::stale_probe_after).
    std::size_t reused_without_probe() const noexcept { return reused_without_probe_; }

    /// Close every pooled idle connection.
    void close_idle()
    {
        for (auto& [key, pool] : pools_) {
            for (auto& c : pool.idle)
                c->close();
            pool.open -= pool.idle.size();
            pool.idle.clear();
        }
    }

    const transport_options& options() const noexcept { return options_; }

private:
    using clock = detail::clock;

    static clock::time_point saturating_add(clock::time_point t, clock::duration d)
    {
        if (d > clock::time_point::max() - t)
            return clock::time_point::max();
        return t + d;
    }

    void configure_tls()
    {
        namespace ssl = boost::asio::ssl;
        const tls_options& t = options_.tls;
        SSL_CTX_set_min_proto_version(ssl_.native_handle(), TLS1_2_VERSION);
        ssl_.set_options(ssl::context::default_workarounds | ssl::context::no_compression);
        boost::system::error_code ec;
        auto check = [&](const char* what, const std::string& path) {
            if (ec)
                throw boost::system::system_error(ec, std::string("specbound: ") + what + " '" + path + "'");
        };
        if (t.danger_accept_invalid_certificates) {
            ssl_.set_verify_mode(ssl::verify_none);
        } else {
            ssl_.set_verify_mode(t.verify_peer ? ssl::verify_peer : ssl::verify_none);
            system_trust_pending_ = t.use_system_trust; // loaded with the first https connection
            if (!t.ca_file.empty()) {
                ssl_.load_verify_file(t.ca_file, ec);
                check("cannot load CA file", t.ca_file);
            }
            if (!t.ca_directory.empty()) {
                ssl_.add_verify_path(t.ca_directory, ec);
                check("cannot use CA directory", t.ca_directory);
            }
        }
        if (t.client_certificate_file.empty() != t.client_private_key_file.empty())
            throw std::invalid_argument(
                "specbound: client_certificate_file and client_private_key_file go together");
        if (!t.client_certificate_file.empty()) {
            ssl_.use_certificate_chain_file(t.client_certificate_file, ec);
            check("cannot load client certificate", t.client_certificate_file);
            ssl_.use_private_key_file(t.client_private_key_file, ssl::context::pem, ec);
            check("cannot load client private key", t.client_private_key_file);
            if (SSL_CTX_check_private_key(ssl_.native_handle()) != 1)
                throw std::invalid_argument("specbound: client private key does not match the certificate '" +
                                            t.client_certificate_file + "'");
        }
    }

    /// "scheme://host:port" in lower case. A client talks to one origin, mostly: the last key is kept.
    const std::string& pool_key(const origin& to)
    {
        if (last_key_.empty() || !(to == last_key_origin_)) {
            last_key_origin_ = to;
            last_key_ =
                detail::ascii_lower(to.scheme) + "://" + detail::ascii_lower(to.host) + ":" + std::to_string(to.port);
        }
        return last_key_;
    }

    // ---- pool ---------------------------------------------------------------------------

    void purge_expired(detail::origin_pool& p, clock::time_point now)
    {
        auto stale = [&](const std::shared_ptr<detail::connection>& c) {
            return now - c->idle_since > options_.idle_timeout;
        };
        for (auto it = p.idle.begin(); it != p.idle.end();) {
            if (stale(*it)) {
                (*it)->close();
                --p.open;
                it = p.idle.erase(it);
            } else {
                ++it;
            }
        }
    }

    /// A pooled connection or a slot to open one; `fresh`: never a pooled one. `replayed_if_lost`:
    /// see attempt_limits (a connection used moments ago is then not probed).
    boost::asio::awaitable<detail::lease> acquire(const std::string& key, bool fresh, bool replayed_if_lost,
                                                  detail::attempt_control& ctl);

    void give_back(const std::string& key, std::shared_ptr<detail::connection> c)
    {
        detail::origin_pool& p = pools_[key];
        c->idle_since = clock::now();
        if (!p.waiters.empty()) {
            detail::waiter* w = p.waiters.front();
            p.waiters.pop_front();
            w->conn = std::move(c);
            w->timer.cancel();
            return;
        }
        p.idle.push_back(std::move(c));
    }

    void release_slot(const std::string& key)
    {
        detail::origin_pool& p = pools_[key];
        if (!p.waiters.empty()) {
            detail::waiter* w = p.waiters.front();
            p.waiters.pop_front();
            w->slot_granted = true;
            w->timer.cancel();
            return;
        }
        // An origin with nothing open and nobody waiting is forgotten, so a long-lived transport
        // talking to many hosts does not accumulate empty pools. Safe: acquire() only holds a
        // reference to a pool while it has a waiter in it.
        if (--p.open == 0 && p.idle.empty())
            pools_.erase(key);
    }

    // ---- connecting ---------------------------------------------------------------------

    struct open_result {
        boost::system::error_code ec;
        std::shared_ptr<detail::connection> conn;
    };

    boost::asio::awaitable<open_result> open_connection(const origin& to, const std::string& key,
                                                        detail::attempt_control& ctl,
                                                        clock::time_point connect_deadline,
                                                        clock::time_point attempt_deadline);

    // ---- one request/response -----------------------------------------------------------

    template <class Stream>
    boost::asio::awaitable<detail::exchange_outcome> exchange(Stream& stream, detail::connection& conn,
                                                              http_request& req, const attempt_limits& limits,
                                                              detail::attempt_control& ctl)
    {
        namespace bhttp = boost::beast::http;
        detail::exchange_outcome out;
        out.request_sent = true;
        bhttp::request_serializer<bhttp::string_body> sr{req};
        detail::error_code wec;
        if (limits.upload) {
            wec = co_await write_from_source(stream, sr, *limits.upload, req.chunked(), ctl);
        } else {
            wec = detail::write_without_waiting(stream, sr);
            if (wec == boost::asio::error::would_block) {
                ctl.listen();
                auto [ec, n] = co_await bhttp::async_write(stream, sr, detail::op_token());
                (void)n;
                wec = ec;
            }
        }
        if (ctl.aborted()) {
            out.ec = detail::abort_code(ctl);
            co_return out;
        }
        if (wec) {
            // The source's own failure is the engine's to report; anything else lost the connection.
            out.ec = wec == client_errc::source_failed ? wec : detail::error_code(transport_errc::connection_closed);
            co_return out;
        }

        // Interim 1xx answers (100 Continue, 103 Early Hints) precede the real one; bounded.
        for (int interim = 0;; ++interim) {
            bhttp::response_parser<bhttp::string_body> parser;
            parser.header_limit(static_cast<std::uint32_t>(std::min<std::size_t>(options_.header_limit, 0xffffffffu)));
            parser.body_limit(limits.body_limit);
            if (req.method() == bhttp::verb::head)
                parser.skip(true);
            if (limits.stream) {
                // The header first: the stream decides where this body goes. Its limit applies
                // only to a body read here, so a declared length is checked once the header is in.
                parser.body_limit(boost::none);
                ctl.listen();
                auto [hec, hn] = co_await bhttp::async_read_header(stream, conn.buffer, parser, detail::op_token());
                (void)hn;
                if (ctl.aborted()) {
                    out.ec = detail::abort_code(ctl);
                    co_return out;
                }
                out.response_bytes = out.response_bytes || parser.got_some() || conn.buffer.size() != 0;
                if (hec) {
                    out.ec = detail::map_read_error(hec, out.response_bytes, conn.fresh && conn.tls != nullptr);
                    co_return out;
                }
                const unsigned status = parser.get().result_int();
                if (!(status >= 100 && status < 200) && limits.stream->accept(parser.get().base())) {
                    co_await stream_body(stream, conn, parser, *limits.stream, ctl, out);
                    co_return out;
                }
                if (parser.content_length() && *parser.content_length() > limits.body_limit) {
                    out.ec = transport_errc::body_too_large;
                    co_return out;
                }
                parser.body_limit(limits.body_limit);
            }
            ctl.listen();
            auto [rec, rn] = co_await bhttp::async_read(stream, conn.buffer, parser, detail::op_token());
            (void)rn;
            if (ctl.aborted()) {
                out.ec = detail::abort_code(ctl);
                co_return out;
            }
            out.response_bytes = out.response_bytes || parser.got_some() || conn.buffer.size() != 0;
            bool ended_by_eof = false;
            if ((rec == boost::asio::ssl::error::stream_truncated || rec == boost::asio::error::eof) &&
                parser.is_header_done() && parser.need_eof()) {
                // A body delimited by the end of the connection: complete, even when a TLS peer
                // closed without close_notify (the truncation attack does not apply: no length).
                boost::system::error_code eof_ec;
                parser.put_eof(eof_ec);
                if (!eof_ec) {
                    rec = {};
                    ended_by_eof = true;
                }
            }
            if (rec) {
                out.ec = detail::map_read_error(rec, out.response_bytes, conn.fresh && conn.tls != nullptr);
                co_return out;
            }
            const unsigned status = parser.get().result_int();
            if (status >= 100 && status < 200 && status != 101) {
                if (interim >= 8) {
                    out.ec = transport_errc::malformed_response;
                    co_return out;
                }
                continue;
            }
            // A body delimited by the end of the connection leaves nothing to reuse.
            out.keep_alive = !ended_by_eof && !parser.need_eof() && parser.get().keep_alive() && req.keep_alive() &&
                             status != 101;
            out.response = parser.release();
            co_return out;
        }
    }

    /// The body of the response whose header `parser` holds, read in pieces into `sink` (no limit:
    /// the stream counts what it decodes). Ends `out` with the response's header, or the error.
    template <class Stream>
    boost::asio::awaitable<void> stream_body(Stream& stream, detail::connection& conn,
                                             boost::beast::http::response_parser<boost::beast::http::string_body>& header,
                                             response_stream& sink, detail::attempt_control& ctl,
                                             detail::exchange_outcome& out)
    {
        namespace bhttp = boost::beast::http;
        bhttp::response_parser<bhttp::buffer_body> parser{std::move(header)};
        parser.body_limit(boost::none);
        const std::unique_ptr<char[]> buffer(new char[stream_chunk]);
        bool ended_by_eof = false;
        while (!parser.is_done()) {
            parser.get().body().data = buffer.get();
            parser.get().body().size = stream_chunk;
            ctl.listen();
            auto [ec, n] = co_await bhttp::async_read_some(stream, conn.buffer, parser, detail::op_token());
            (void)n;
            if (ec == bhttp::error::need_buffer)
                ec = {};
            if (ctl.aborted()) {
                out.ec = detail::abort_code(ctl);
                co_return;
            }
            if ((ec == boost::asio::ssl::error::stream_truncated || ec == boost::asio::error::eof) && parser.need_eof()) {
                boost::system::error_code eof_ec;
                parser.put_eof(eof_ec);
                if (!eof_ec) {
                    ec = {};
                    ended_by_eof = true;
                }
            }
            const std::size_t got = stream_chunk - parser.get().body().size;
            if (got > 0) {
                if (auto wec = sink.write(std::span<const char>(buffer.get(), got))) {
                    out.ec = wec;
                    co_return;
                }
                co_await sink.ready(); // a slow consumer holds the next read back
                if (ctl.aborted()) {
                    out.ec = detail::abort_code(ctl);
                    co_return;
                }
            }
            if (ec) {
                out.ec = detail::map_read_error(ec, true, false);
                co_return;
            }
        }
        if (auto fec = sink.finish()) {
            out.ec = fec;
            co_return;
        }
        out.keep_alive = !ended_by_eof && !parser.need_eof() && parser.get().keep_alive();
        out.body_streamed = true;
        out.response.base() = parser.get().base();
    }

    /// How much of a streamed body is read at a time.
    static constexpr std::size_t stream_chunk = 64 * 1024;

    /// The request's header, then its body read from `source` piece by piece: as it is (the
    /// header has Content-Length) or in chunks.
    template <class Stream>
    boost::asio::awaitable<detail::error_code> write_from_source(Stream& stream,
                                                                 boost::beast::http::request_serializer<boost::beast::http::string_body>& sr,
                                                                 body_source& source, bool chunked,
                                                                 detail::attempt_control& ctl)
    {
        namespace bhttp = boost::beast::http;
        ctl.listen();
        auto [hec, hn] = co_await bhttp::async_write_header(stream, sr, detail::op_token());
        (void)hn;
        if (hec || ctl.aborted())
            co_return hec;
        const std::unique_ptr<char[]> buffer(new char[stream_chunk]);
        for (;;) {
            detail::error_code rec;
            const std::size_t got = source.read(std::span<char>(buffer.get(), stream_chunk), rec);
            if (rec)
                co_return rec;
            ctl.listen();
            detail::error_code wec;
            if (chunked && got == 0) {
                auto [ec, n] = co_await boost::asio::async_write(stream, bhttp::make_chunk_last(), detail::op_token());
                (void)n;
                co_return ec;
            }
            if (got == 0)
                co_return detail::error_code{};
            if (chunked) {
                auto [ec, n] = co_await boost::asio::async_write(
                    stream, bhttp::make_chunk(boost::asio::buffer(buffer.get(), got)), detail::op_token());
                (void)n;
                wec = ec;
            } else {
                auto [ec, n] = co_await boost::asio::async_write(stream, boost::asio::buffer(buffer.get(), got),
                                                                 detail::op_token());
                (void)n;
                wec = ec;
            }
            if (wec || ctl.aborted())
                co_return wec;
        }
    }

    boost::asio::awaitable<detail::exchange_outcome> exchange_on(const origin& to, detail::connection& conn,
                                                                 http_request& req, const attempt_limits& limits,
                                                                 detail::attempt_control& ctl);

    boost::asio::awaitable<transport_result> run_attempt(const origin& to, http_request& req,
                                                         const attempt_limits& limits,
                                                         detail::attempt_control& ctl,
                                                         clock::time_point attempt_deadline);

    boost::asio::any_io_executor ex_;
    transport_options options_;
    detail::proxy_config proxies_;
    boost::asio::ssl::context ssl_;
    // OpenSSL parses every certificate of the system trust store, tens of milliseconds: a client
    // that only speaks http never pays it, and one constructed per command-line run pays it once.
    bool system_trust_pending_ = false;
    std::unordered_map<std::string, detail::origin_pool> pools_;
    std::shared_ptr<detail::deadline_set> deadlines_; // the attempts' deadlines, on one timer
    std::size_t connections_opened_ = 0;
    std::size_t reused_without_probe_ = 0;
    origin last_key_origin_;
    std::string last_key_;
};

} // namespace specbound::http

#if !defined(SPECBOUND_SEPARATE_COMPILATION)
#include <specbound/impl/beast_transport.ipp>
#endif
