// beast_transport's coroutines: one attempt, the pool, connecting, one exchange.
// Included by <specbound/http/beast_transport.hpp> (header-only use) or compiled once through
// <specbound/src.hpp> (SPECBOUND_SEPARATE_COMPILATION); see <specbound/detail/config.hpp>.
#pragma once

#include <specbound/http/beast_transport.hpp>

namespace specbound::http {

SPECBOUND_DECL boost::asio::awaitable<transport_result> beast_transport::send(const origin& to, http_request& request,
                                                                              const attempt_limits& limits)
{
    namespace asio = boost::asio;
    transport_result result;
    asio::cancellation_state cs = co_await asio::this_coro::cancellation_state;
    if (cs.cancelled() != asio::cancellation_type::none) {
        result.ec = transport_errc::cancelled;
        co_return result;
    }
    deadlines_->run_handlers_on(co_await asio::this_coro::executor);
    auto ctl = std::make_shared<detail::attempt_control>(deadlines_);
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

SPECBOUND_DECL boost::asio::awaitable<detail::lease>
beast_transport::acquire(const std::string& key, bool fresh, bool replayed_if_lost, detail::attempt_control& ctl)
{
    detail::origin_pool& p = pools_[key]; // node-based map: the reference stays valid
    const auto now = clock::now();
    purge_expired(p, now);
    if (fresh && !p.idle.empty() && p.open >= options_.max_connections_per_origin) {
        // A new connection is wanted and the pool is full: make room by closing the oldest idle one.
        p.idle.front()->close();
        p.idle.erase(p.idle.begin());
        --p.open;
    }
    while (!fresh && !p.idle.empty()) {
        auto c = std::move(p.idle.back());
        p.idle.pop_back();
        // The probe is a system call (a recv that fails with EAGAIN on a live connection). A
        // connection given back moments ago, for a request the engine sends again on a new
        // connection if this one turns out lost, is used without it: a server closes idle
        // connections after its keep-alive timeout (seconds), and a close racing the answer is
        // what that replay is for. Any other request, or a longer idle time, is probed.
        if (replayed_if_lost && now - c->idle_since < options_.stale_probe_after) {
            if (c->plausibly_usable()) {
                ++reused_without_probe_;
                co_return detail::lease{true, std::move(c)};
            }
        } else if (c->usable()) {
            co_return detail::lease{true, std::move(c)};
        }
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
    if (fresh && w.conn) {
        // A handed-over pooled connection when a new one is wanted: its slot opens the new one.
        w.conn->close();
        w.conn.reset();
    }
    co_return detail::lease{true, std::move(w.conn)};
}

SPECBOUND_DECL boost::asio::awaitable<beast_transport::open_result>
beast_transport::open_connection(const origin& to, const std::string& key, detail::attempt_control& ctl,
                                 clock::time_point connect_deadline, clock::time_point attempt_deadline)
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
        bhttp::request<bhttp::empty_body> creq{bhttp::verb::connect, specbound::detail::host_port(to.host, to.port), 11};
        creq.set(bhttp::field::host, specbound::detail::host_port(to.host, to.port));
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
        if (system_trust_pending_) {
            boost::system::error_code trust_ec;
            ssl_.set_default_verify_paths(trust_ec);
            if (trust_ec) {
                r.ec = transport_errc::tls_handshake_failed;
                co_return r;
            }
            system_trust_pending_ = false;
        }
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

SPECBOUND_DECL boost::asio::awaitable<detail::exchange_outcome>
beast_transport::exchange_on(const origin& to, detail::connection& conn, http_request& req,
                             const attempt_limits& limits, detail::attempt_control& ctl)
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
        host = to.port == 80 ? to.host : specbound::detail::host_port(to.host, to.port);
    req.target("http://" + host + saved_target);
    if (!had_auth && !conn.proxy_authorization.empty())
        req.set(bhttp::field::proxy_authorization, conn.proxy_authorization);
    auto out = co_await exchange(*conn.plain, conn, req, limits, ctl);
    req.target(saved_target);
    if (!had_auth)
        req.erase(bhttp::field::proxy_authorization);
    co_return out;
}

SPECBOUND_DECL boost::asio::awaitable<transport_result>
beast_transport::run_attempt(const origin& to, http_request& req, const attempt_limits& limits,
                             detail::attempt_control& ctl, clock::time_point attempt_deadline)
{
    transport_result r;
    const std::string key = pool_key(to);
    detail::lease l = co_await acquire(key, limits.fresh_connection, limits.replayed_if_lost, ctl);
    if (!l.ok) {
        r.ec = detail::abort_code(ctl);
        co_return r;
    }
    std::shared_ptr<detail::connection> conn = std::move(l.conn);
    // From here on this attempt owns one slot of the origin's pool until it gives it back.
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
    r.connection_reused = !conn->fresh;
    detail::exchange_outcome x = co_await exchange_on(to, *conn, req, limits, ctl);
    ctl.set_stream(nullptr);
    r.request_sent = x.request_sent;
    r.response_started = x.response_bytes;
    r.body_streamed = x.body_streamed;
    if (!x.ec) {
        conn->fresh = false;
        if (x.keep_alive && conn->buffer.size() == 0) {
            give_back(key, std::move(conn));
        } else {
            conn->close();
            release_slot(key);
        }
        r.response = std::move(x.response);
        co_return r;
    }
    // A kept-alive connection the server dropped before answering is reported as it is
    // (connection_closed, reused, no response byte): whether to replay is the engine's call.
    conn->close();
    release_slot(key);
    r.ec = x.ec;
    co_return r;
}

} // namespace specbound::http
