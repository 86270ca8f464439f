// specbound::transport over Boost.Beast: HTTP/1.1 on TCP or TLS, pooled keep-alive connections
// per origin, proxies (CONNECT tunnels and absolute-form), timeouts and per-operation cancellation.
//
// Not thread-safe: use one transport from one thread or strand. Every send() must have completed
// before the transport is destroyed.
#pragma once

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

inline std::string authority(const std::string& host, std::uint16_t port)
{
    std::string out = host.find(':') != std::string::npos ? "[" + host + "]" : host;
    out += ':';
    out += std::to_string(port);
    return out;
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

struct exchange_outcome {
    error_code ec;
    bool request_sent = false;
    bool response_bytes = false; // any byte of a response arrived
    bool keep_alive = false;
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
          ssl_(boost::asio::ssl::context::tls_client)
    {
        if (options_.max_connections_per_origin == 0)
            throw std::invalid_argument("specbound: max_connections_per_origin must be at least 1");
        configure_tls();
    }

    beast_transport(const beast_transport&) = delete;
    beast_transport& operator=(const beast_transport&) = delete;

    ~beast_transport() override { close_idle(); }

    /// One attempt. A request without Content-Length or chunked framing gets Content-Length.
    /// For plain HTTP through a proxy the target is made absolute while writing and restored.
    boost::asio::awaitable<transport_result> send(const origin& to, http_request& request,
                                                  const attempt_limits& limits) override
    {
        namespace asio = boost::asio;
        transport_result result;
        asio::cancellation_state cs = co_await asio::this_coro::cancellation_state;
        if (cs.cancelled() != asio::cancellation_type::none) {
            result.ec = transport_errc::cancelled;
            co_return result;
        }
        auto ctl = std::make_shared<detail::attempt_control>(ex_);
        ctl->set_caller_slot(cs.slot());

        const auto start = detail::clock::now();
        const auto attempt_deadline = saturating_add(start, limits.attempt_timeout);
        ctl->arm(attempt_deadline);
        try {
            result = co_await run_attempt(to, request, limits, *ctl, attempt_deadline);
        } catch (const boost::system::system_error&) {
            // Asio throws operation_aborted at a co_await once the caller's coroutine is
            // cancelled; run_attempt never awaits after an abort, this is a safety net.
            result = {};
            result.ec = ctl->aborted() ? detail::abort_code(*ctl) : make_error_code(transport_errc::cancelled);
        }
        ctl->finish();
        co_return result;
    }

    /// Total connections ever opened (TCP connects that succeeded).
    std::size_t connections_opened() const noexcept { return connections_opened_; }

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
            if (t.use_system_trust) {
                ssl_.set_default_verify_paths(ec);
                check("cannot load the system trust store", "");
            }
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

    static std::string pool_key(const origin& to)
    {
        return detail::ascii_lower(to.scheme) + "://" + detail::ascii_lower(to.host) + ":" + std::to_string(to.port);
    }

    // ---- pool ---------------------------------------------------------------------------

    void purge_expired(detail::origin_pool& p)
    {
        const auto now = clock::now();
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

    boost::asio::awaitable<detail::lease> acquire(const std::string& key, detail::attempt_control& ctl)
    {
        detail::origin_pool& p = pools_[key]; // node-based map: the reference stays valid
        purge_expired(p);
        while (!p.idle.empty()) {
            auto c = std::move(p.idle.back());
            p.idle.pop_back();
            if (c->usable())
                co_return detail::lease{true, std::move(c)};
            c->close();
            --p.open;
        }
        if (p.open < options_.max_connections_per_origin) {
            ++p.open;
            co_return detail::lease{true, nullptr};
        }

        // Wait in line: release() hands a connection or a slot to the first waiter and wakes it.
        detail::waiter w(ex_);
        auto pos = p.waiters.insert(p.waiters.end(), &w);
        ctl.set_wait_timer(&w.timer);
        while (!w.conn && !w.slot_granted && !ctl.aborted()) {
            ctl.listen();
            (void)co_await w.timer.async_wait(detail::op_token());
        }
        ctl.set_wait_timer(nullptr);
        const bool granted = w.conn || w.slot_granted;
        if (!granted) {
            p.waiters.erase(pos);
            co_return detail::lease{};
        }
        if (ctl.aborted()) {
            // Granted and aborted at once: pass the grant on.
            if (w.conn)
                give_back(key, std::move(w.conn));
            else
                release_slot(key);
            co_return detail::lease{};
        }
        co_return detail::lease{true, std::move(w.conn)};
    }

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
                                                        clock::time_point attempt_deadline)
    {
        namespace asio = boost::asio;
        namespace beast = boost::beast;
        namespace bhttp = boost::beast::http;
        open_result r;
        const bool https = detail::ascii_lower(to.scheme) == "https";
        if (!https && detail::ascii_lower(to.scheme) != "http") {
            r.ec = transport_errc::connect_failed;
            co_return r;
        }
        ctl.arm(std::min(connect_deadline, attempt_deadline));

        std::optional<detail::proxy_endpoint> proxy;
        if (auto text = proxies_.select(https ? "https" : "http", to.host, to.port); !text.empty()) {
            proxy = detail::parse_proxy_url(text);
            if (!proxy) {
                r.ec = transport_errc::proxy_failed;
                co_return r;
            }
        }
        const std::string& host = proxy ? proxy->host : to.host;
        const std::uint16_t port = proxy ? proxy->port : to.port;

        detail::tcp::resolver resolver(ex_);
        ctl.set_resolver(&resolver);
        ctl.listen();
        auto [rec, endpoints] = co_await resolver.async_resolve(host, std::to_string(port), detail::op_token());
        ctl.set_resolver(nullptr);
        if (ctl.aborted()) {
            r.ec = detail::abort_code(ctl);
            co_return r;
        }
        if (rec || endpoints.empty()) {
            r.ec = transport_errc::resolve_failed;
            co_return r;
        }

        auto conn = std::make_shared<detail::connection>(key);
        conn->plain.emplace(ex_);
        ctl.set_stream(&*conn->plain);
        ctl.listen();
        auto [cec, ep] = co_await conn->plain->async_connect(endpoints, detail::op_token());
        (void)ep;
        if (ctl.aborted()) {
            r.ec = detail::abort_code(ctl);
            co_return r;
        }
        if (cec) {
            r.ec = transport_errc::connect_failed;
            co_return r;
        }
        ++connections_opened_;
        boost::system::error_code ignored;
        conn->plain->socket().set_option(detail::tcp::no_delay(true), ignored);
        conn->buffer.reserve(options_.initial_read_buffer);

        if (proxy && https) {
            // Tunnel: CONNECT host:port, then TLS with the target through it.
            bhttp::request<bhttp::empty_body> creq{bhttp::verb::connect, detail::authority(to.host, to.port), 11};
            creq.set(bhttp::field::host, detail::authority(to.host, to.port));
            if (!proxy->authorization.empty())
                creq.set(bhttp::field::proxy_authorization, proxy->authorization);
            ctl.listen();
            auto [wec, wn] = co_await bhttp::async_write(*conn->plain, creq, detail::op_token());
            (void)wn;
            if (ctl.aborted()) {
                r.ec = detail::abort_code(ctl);
                co_return r;
            }
            bhttp::response_parser<bhttp::empty_body> cp;
            cp.header_limit(static_cast<std::uint32_t>(std::min<std::size_t>(options_.header_limit, 0xffffffffu)));
            cp.skip(true); // a successful CONNECT answer has no body; a failed one we drop
            boost::system::error_code ec2 = wec;
            if (!ec2) {
                ctl.listen();
                auto [hec, hn] = co_await bhttp::async_read(*conn->plain, conn->buffer, cp, detail::op_token());
                (void)hn;
                ec2 = hec;
            }
            if (ctl.aborted()) {
                r.ec = detail::abort_code(ctl);
                co_return r;
            }
            if (ec2 || cp.get().result_int() / 100 != 2 || conn->buffer.size() != 0) {
                r.ec = transport_errc::proxy_failed;
                co_return r;
            }
        } else if (proxy) {
            conn->absolute_form = true;
            conn->proxy_authorization = proxy->authorization;
        }

        if (https) {
            conn->tls = std::make_unique<beast::ssl_stream<beast::tcp_stream>>(std::move(*conn->plain), ssl_);
            conn->plain.reset();
            ctl.set_stream(&conn->lowest());
            // SNI carries host names only (RFC 6066).
            if (!detail::is_ip_literal(to.host) &&
                SSL_set_tlsext_host_name(conn->tls->native_handle(), to.host.c_str()) != 1) {
                r.ec = transport_errc::tls_handshake_failed;
                co_return r;
            }
            if (options_.tls.verify_peer && !options_.tls.danger_accept_invalid_certificates)
                conn->tls->set_verify_callback(asio::ssl::host_name_verification(to.host), ignored);
            ctl.listen();
            auto [hec] = co_await conn->tls->async_handshake(asio::ssl::stream_base::client, detail::op_token());
            if (ctl.aborted()) {
                r.ec = detail::abort_code(ctl);
                co_return r;
            }
            if (hec) {
                r.ec = transport_errc::tls_handshake_failed;
                co_return r;
            }
        }
        ctl.arm(attempt_deadline);
        r.conn = std::move(conn);
        co_return r;
    }

    // ---- one request/response -----------------------------------------------------------

    template <class Stream>
    boost::asio::awaitable<detail::exchange_outcome> exchange(Stream& stream, detail::connection& conn,
                                                              http_request& req, const attempt_limits& limits,
                                                              detail::attempt_control& ctl)
    {
        namespace bhttp = boost::beast::http;
        detail::exchange_outcome out;
        out.request_sent = true;
        ctl.listen();
        auto [wec, wn] = co_await bhttp::async_write(stream, req, detail::op_token());
        (void)wn;
        if (ctl.aborted()) {
            out.ec = detail::abort_code(ctl);
            co_return out;
        }
        if (wec) {
            out.ec = transport_errc::connection_closed;
            co_return out;
        }

        // Interim 1xx answers (100 Continue, 103 Early Hints) precede the real one; bounded.
        for (int interim = 0;; ++interim) {
            bhttp::response_parser<bhttp::string_body> parser;
            parser.header_limit(static_cast<std::uint32_t>(std::min<std::size_t>(options_.header_limit, 0xffffffffu)));
            parser.body_limit(limits.body_limit);
            if (req.method() == bhttp::verb::head)
                parser.skip(true);
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
            out.keep_alive = !ended_by_eof && parser.get().keep_alive() && req.keep_alive() && status != 101;
            out.response = parser.release();
            co_return out;
        }
    }

    boost::asio::awaitable<detail::exchange_outcome> exchange_on(const origin& to, detail::connection& conn,
                                                                 http_request& req, const attempt_limits& limits,
                                                                 detail::attempt_control& ctl)
    {
        namespace bhttp = boost::beast::http;
        if (!req.has_content_length() && !req.chunked() &&
            (!req.body().empty() || (req.method() != bhttp::verb::get && req.method() != bhttp::verb::head)))
            req.prepare_payload();
        // Separate statements on purpose: g++ 12 destroys a coroutine temporary chosen by
        // `?:` while it is still suspended.
        if (conn.tls) {
            detail::exchange_outcome out = co_await exchange(*conn.tls, conn, req, limits, ctl);
            co_return out;
        }
        if (!conn.absolute_form) {
            detail::exchange_outcome out = co_await exchange(*conn.plain, conn, req, limits, ctl);
            co_return out;
        }
        // Plain HTTP through a proxy: absolute-form target, proxy credentials; restored after.
        const std::string saved_target(req.target());
        const bool had_auth = req.count(bhttp::field::proxy_authorization) != 0;
        std::string host(req[bhttp::field::host]);
        if (host.empty())
            host = to.port == 80 ? to.host : detail::authority(to.host, to.port);
        req.target("http://" + host + saved_target);
        if (!had_auth && !conn.proxy_authorization.empty())
            req.set(bhttp::field::proxy_authorization, conn.proxy_authorization);
        auto out = co_await exchange(*conn.plain, conn, req, limits, ctl);
        req.target(saved_target);
        if (!had_auth)
            req.erase(bhttp::field::proxy_authorization);
        co_return out;
    }

    boost::asio::awaitable<transport_result> run_attempt(const origin& to, http_request& req,
                                                         const attempt_limits& limits,
                                                         detail::attempt_control& ctl,
                                                         clock::time_point attempt_deadline)
    {
        transport_result r;
        const std::string key = pool_key(to);
        detail::lease l = co_await acquire(key, ctl);
        if (!l.ok) {
            r.ec = detail::abort_code(ctl);
            co_return r;
        }
        std::shared_ptr<detail::connection> conn = std::move(l.conn);
        // From here on this attempt owns one slot of the origin's pool until it gives it back.
        for (bool replayed = false;;) {
            if (!conn) {
                const auto connect_deadline = saturating_add(clock::now(), limits.connect_timeout);
                open_result o = co_await open_connection(to, key, ctl, connect_deadline, attempt_deadline);
                if (o.ec) {
                    if (o.conn)
                        o.conn->close();
                    release_slot(key);
                    r.ec = o.ec;
                    co_return r;
                }
                conn = std::move(o.conn);
            }
            ctl.set_stream(&conn->lowest());
            const bool reused = !conn->fresh;
            detail::exchange_outcome x = co_await exchange_on(to, *conn, req, limits, ctl);
            ctl.set_stream(nullptr);
            if (!x.ec) {
                conn->fresh = false;
                if (x.keep_alive && conn->buffer.size() == 0) {
                    give_back(key, std::move(conn));
                } else {
                    conn->close();
                    release_slot(key);
                }
                r.response = std::move(x.response);
                r.request_sent = true;
                co_return r;
            }
            conn->close();
            conn.reset();
            // A kept-alive connection the server dropped before answering: the request was not
            // processed, replay it once on a new connection (keeping this attempt's slot).
            if (reused && !replayed && !x.response_bytes && !ctl.aborted() &&
                x.ec == transport_errc::connection_closed) {
                replayed = true;
                continue;
            }
            release_slot(key);
            r.ec = x.ec;
            r.request_sent = x.request_sent;
            co_return r;
        }
    }

    boost::asio::any_io_executor ex_;
    transport_options options_;
    detail::proxy_config proxies_;
    boost::asio::ssl::context ssl_;
    std::unordered_map<std::string, detail::origin_pool> pools_;
    std::size_t connections_opened_ = 0;
};

} // namespace specbound::http
