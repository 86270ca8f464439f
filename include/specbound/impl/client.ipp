// The call engine's coroutines: authentication, backoff, the attempt loop, one whole call.
// Included by <specbound/client.hpp> (header-only use) or compiled once through
// <specbound/src.hpp> (SPECBOUND_SEPARATE_COMPILATION); see <specbound/detail/config.hpp>.
#pragma once

#include <specbound/client.hpp>

namespace specbound::detail {

SPECBOUND_DECL boost::asio::awaitable<oauth2_token>
oauth2_access_token(std::shared_ptr<client_state> s, std::size_t index, const security_scheme& scheme,
                    std::optional<std::string> stale)
{
    const auto& cred = std::get<oauth2_client_credentials>(s->options.credentials[index]);
    oauth2_cache& cache = s->oauth[index];
    if (!cache.loaded) {
        cache.loaded = true;
        if (cred.load_token) {
            if (auto t = cred.load_token(); t && !t->access_token.empty()) {
                cache.token = std::move(*t);
                cache.refresh_at = cache.token->expires_at == std::chrono::system_clock::time_point{}
                                       ? std::chrono::system_clock::time_point::max()
                                       : cache.token->expires_at - cred.refresh_margin;
            }
        }
    }
    for (;;) {
        auto now = std::chrono::system_clock::now();
        bool fresh = cache.token && now < cache.refresh_at && (!stale || cache.token->access_token != *stale);
        if (fresh)
            co_return *cache.token;
        if (!cache.inflight)
            break;
        // Someone is refreshing: wait for them, then look again.
        auto wait = cache.inflight;
        while (!wait->done) {
            boost::system::error_code ec;
            co_await wait->timer.async_wait(boost::asio::redirect_error(boost::asio::use_awaitable, ec));
            if (!wait->done && is_cancelled(co_await boost::asio::this_coro::cancellation_state))
                throw transport_error(transport_errc::cancelled, "OAuth2 token", false);
        }
        // Their call was cancelled mid-request: that says nothing about the credentials, try ourselves.
        if (wait->failure && wait->failure->code() != transport_errc::cancelled)
            wait->failure->throw_exact();
        if (!wait->failure)
            stale.reset(); // the token they fetched is new
    }

    auto wait = std::make_shared<refresh_wait>(co_await boost::asio::this_coro::executor);
    cache.inflight = wait;
    std::string token_url = cred.token_url.empty() ? std::string(scheme.token_url) : cred.token_url;
    try {
        if (token_url.empty())
            throw auth_error("OAuth2 scheme '" + std::string(scheme.name) + "' has no token URL");
        token_request tr = make_token_request(cred, token_url);
        s->log(log_level::debug, "OAuth2: requesting a token for scheme '" + std::string(scheme.name) + "'");
        attempt_limits limits = limits_for(*s, std::chrono::steady_clock::time_point::max());
        transport_result r = co_await s->transport->send(tr.to, tr.request, limits);
        if (r.ec == transport_errc::cancelled)
            throw transport_error(transport_errc::cancelled, "OAuth2 token request", r.request_sent);
        if (r.ec)
            throw auth_error("OAuth2 token request failed: " + r.ec.message());
        auto now = std::chrono::system_clock::now();
        oauth2_token t = parse_token_response(r.response, now);
        ++cache.refreshes;
        cache.token = t;
        cache.refresh_at = refresh_time(t, cred.refresh_margin, now);
        if (cred.store_token)
            cred.store_token(t);
    } catch (const error& e) {
        wait->failure = e.clone();
    }
    wait->done = true;
    wait->timer.cancel();
    cache.inflight.reset();
    if (wait->failure) {
        s->log(log_level::error, wait->failure->what());
        wait->failure->throw_exact();
    }
    co_return *cache.token;
}

SPECBOUND_DECL boost::asio::awaitable<applied_auth> apply_auth(std::shared_ptr<client_state> s, const auth_plan& plan,
                                                               http_request& req, std::optional<std::string> stale)
{
    applied_auth out;
    for (const auto& use : plan.uses) {
        const credential& c = s->options.credentials[use.credential];
        const security_scheme& scheme = *use.scheme;
        using k = security_scheme_kind;
        if (const auto* b = std::get_if<bearer_token>(&c)) {
            req.set(boost::beast::http::field::authorization, "Bearer " + b->token);
        } else if (const auto* a = std::get_if<api_key>(&c)) {
            if (scheme.kind == k::api_key_header)
                req.set(scheme.parameter_name, a->value);
            else if (scheme.kind == k::api_key_query)
                append_query(req, scheme.parameter_name, a->value);
            else
                append_cookie(req, pct(scheme.parameter_name) + "=" + pct(a->value));
        } else if (const auto* ba = std::get_if<basic_auth>(&c)) {
            req.set(boost::beast::http::field::authorization, "Basic " + base64_encode(ba->user + ":" + ba->password));
        } else {
            oauth2_token t = co_await oauth2_access_token(s, use.credential, scheme, stale);
            req.set(boost::beast::http::field::authorization, t.token_type + " " + t.access_token);
            out.oauth_index = use.credential;
            out.oauth_scheme = &scheme;
            out.oauth_token = t.access_token;
        }
    }
    co_return out;
}

SPECBOUND_DECL boost::asio::awaitable<void> backoff_sleep(const client_state& s, std::chrono::milliseconds d)
{
    if (s.options.retry.sleep) {
        co_await s.options.retry.sleep(d);
        co_return;
    }
    boost::asio::steady_timer timer(co_await boost::asio::this_coro::executor, d);
    boost::system::error_code ec;
    co_await timer.async_wait(boost::asio::redirect_error(boost::asio::use_awaitable, ec));
}

SPECBOUND_DECL http_request attempt_request(const client_state& s, const call_plan& plan, bool idempotency_header,
                                            std::string& idempotency_key)
{
    http_request r = plan.build();
    if (!s.user_agent.empty())
        r.set(boost::beast::http::field::user_agent, s.user_agent);
    for (const auto& [name, value] : s.options.default_headers)
        if (r.find(name) == r.end())
            r.set(name, value);
    const std::string& header = s.options.retry.idempotency_header;
    if (idempotency_header && r.find(header) == r.end()) {
        if (idempotency_key.empty())
            idempotency_key = boost::uuids::to_string(boost::uuids::random_generator{}());
        r.set(header, idempotency_key);
    }
    return r;
}

SPECBOUND_DECL boost::asio::awaitable<http_response>
run_attempts(std::shared_ptr<client_state> s, const call_plan& plan, int& attempts, int& last_status)
{
    const call_info& ci = plan.info;
    const std::string& context = plan.context;
    const auto start = std::chrono::steady_clock::now();
    const auto deadline = s->options.timeouts.overall.count() > 0 ? start + s->options.timeouts.overall
                                                                   : std::chrono::steady_clock::time_point::max();

    const retry_options& ro = s->options.retry;
    const bool has_key = !is_idempotent(ci.method) && ro.idempotency_keys && !ro.idempotency_header.empty();
    std::string idempotency_key; // one per call, the same on every attempt, so the server can recognise a replay
    // Built again for each retry rather than copied before every attempt: see attempt_request.
    http_request req = attempt_request(*s, plan, has_key, idempotency_key); // throws invalid_argument_error

    const auth_plan auth_use = select_auth(plan.security, s->api.security_schemes, s->options.credentials);
    if (auth_use.unsatisfied)
        s->log(log_level::warning, context + ": no configured credential satisfies the operation's security; "
                                             "sending without credentials");

    // The call's cancellation state: a handle that stays current for the whole call.
    const boost::asio::cancellation_state cs = co_await boost::asio::this_coro::cancellation_state;
    retry_policy policy(ro, s->rng());
    std::optional<std::string> stale_token;
    bool oauth_replayed = false;
    int budget_attempt = 0; // attempts counted against max_retries (an OAuth2 replay is not one)

    for (int attempt = 1;; ++attempt) {
        if (is_cancelled(cs))
            throw transport_error(transport_errc::cancelled, context, false);
        if (std::chrono::steady_clock::now() >= deadline)
            throw timeout_error(context, false);

        if (attempt > 1)
            req = attempt_request(*s, plan, has_key, idempotency_key);
        applied_auth auth = co_await apply_auth(s, auth_use, req, stale_token);
        stale_token.reset();
        const attempt_limits limits = limits_for(*s, deadline);
        const attempt_info ai{ci.operation_id, ci.method, ci.path_template, attempt, &s->base.to, &limits};
        if (s->logs(log_level::debug)) {
            std::string line = context + ": attempt " + std::to_string(attempt) + " " +
                               std::string(to_string(ci.method)) + " " + s->redact.target(req.target());
            if (s->options.logging.headers)
                line += s->redact.headers_text(req.base());
            s->log(log_level::debug, line);
        }
        const auto attempt_start = std::chrono::steady_clock::now();
        transport_result r = co_await next_layer(s->options.middlewares, 0, *s->transport, ai)(req);
        attempts = attempt;
        ++budget_attempt;
        const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() -
                                                                              attempt_start);
        if (r.ec == transport_errc::cancelled || is_cancelled(cs))
            throw transport_error(transport_errc::cancelled, context, r.request_sent);

        const retry_context rc{budget_attempt, ci.method, has_key};
        retry_decision d;
        if (r.ec) {
            s->log(log_level::warning, context + ": attempt " + std::to_string(attempt) + " failed after " +
                                           std::to_string(ms.count()) + " ms: " + r.ec.message());
            d = policy.on_transport_error(rc, r);
        } else {
            last_status = static_cast<int>(r.response.result_int());
            if (s->logs(log_level::info)) {
                std::string line = context + ": HTTP " + std::to_string(last_status) + " in " +
                                   std::to_string(ms.count()) + " ms (attempt " + std::to_string(attempt) + ")";
                if (s->options.logging.headers && s->logs(log_level::debug))
                    line += s->redact.headers_text(r.response.base());
                s->log(log_level::info, line);
            }
            if (last_status == 401 && auth.oauth_index && !oauth_replayed) {
                // The token may have been revoked early: refresh once and replay.
                oauth_replayed = true;
                stale_token = auth.oauth_token;
                --budget_attempt;
                s->log(log_level::info, context + ": 401 with an OAuth2 token; refreshing it and replaying");
                continue;
            }
            d = policy.on_response(rc, r.response);
        }
        if (d.retry && deadline != std::chrono::steady_clock::time_point::max() &&
            std::chrono::steady_clock::now() + d.delay >= deadline) {
            d.retry = false;
            d.reason = "overall deadline";
        }
        if (!d.retry) {
            if (r.ec)
                throw_transport(r, context);
            co_return std::move(r.response);
        }
        const retry_event ev{attempt, d.delay, d.reason, r.ec ? 0 : last_status, r.ec};
        s->log(log_level::warning, context + ": retrying after attempt " + std::to_string(attempt) + " in " +
                                       std::to_string(d.delay.count()) + " ms (" + std::string(d.reason) + ")");
        for (const auto& h : s->options.hooks)
            if (h.on_retry)
                h.on_retry(ci, ev);
        co_await backoff_sleep(*s, d.delay);
    }
}

SPECBOUND_DECL boost::asio::awaitable<void> run_call(std::shared_ptr<client_state> s, std::shared_ptr<call_plan> plan)
{
    // Any cancellation type the caller emits stops the call; we check for it ourselves.
    co_await boost::asio::this_coro::reset_cancellation_state(boost::asio::enable_total_cancellation());
    co_await boost::asio::this_coro::throw_if_cancelled(false);
    for (const auto& h : s->options.hooks)
        if (h.on_start)
            h.on_start(plan->info);
    const auto start = std::chrono::steady_clock::now();
    int attempts = 0;
    int last_status = 0;
    std::shared_ptr<const error> failure;
    try {
        http_response response = co_await run_attempts(s, *plan, attempts, last_status);
        plan->decode(response, plan->context);
    } catch (const error& e) {
        failure = e.clone();
    }
    if (failure)
        s->log(log_level::error, failure->what());
    const call_summary summary{attempts, last_status, std::chrono::steady_clock::now() - start, failure};
    for (const auto& h : s->options.hooks)
        if (h.on_finish)
            h.on_finish(plan->info, summary);
    if (failure)
        failure->throw_exact();
}

} // namespace specbound::detail
