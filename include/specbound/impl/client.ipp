// The coroutine that drives a call_engine: it performs the I/O the engine asks for (the middleware
// chain and the transport, OAuth2 token requests, backoff waits) and decides nothing itself.
// Included by <specbound/client.hpp> (header-only use) or compiled once through
// <specbound/src.hpp> (SPECBOUND_SEPARATE_COMPILATION); see <specbound/detail/config.hpp>.
#pragma once

#include <specbound/client.hpp>

#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace specbound::detail {

inline bool is_cancelled(const boost::asio::cancellation_state& cs) noexcept
{
    return cs.cancelled() != boost::asio::cancellation_type::none;
}

/// One token request to the endpoint of `scheme` (or the credential's own URL).
SPECBOUND_DECL boost::asio::awaitable<result<oauth2_token>> request_token(const client_state& s,
                                                                          const oauth2_client_credentials& cred,
                                                                          const security_scheme& scheme)
{
    const std::string token_url = cred.token_url.empty() ? std::string(scheme.token_url) : cred.token_url;
    if (token_url.empty())
        co_return std::make_shared<auth_error>("OAuth2 scheme '" + std::string(scheme.name) + "' has no token URL");
    result<token_request> tr = make_token_request(cred, token_url);
    if (!tr)
        co_return tr.error_ptr();
    s.config.log(log_level::debug, "OAuth2: requesting a token for scheme '" + std::string(scheme.name) + "'");
    attempt_limits limits;
    limits.connect_timeout = s.config.options.timeouts.connect;
    limits.attempt_timeout = s.config.options.timeouts.attempt;
    limits.body_limit = s.config.options.body_limit;
    transport_result r = co_await s.transport->send(tr->to, tr->request, limits);
    if (r.ec == transport_errc::cancelled)
        co_return std::make_shared<transport_error>(transport_errc::cancelled, "OAuth2 token request", r.request_sent);
    if (r.ec)
        co_return std::make_shared<auth_error>("OAuth2 token request failed: " + r.ec.message());
    // A token endpoint that compresses although not asked to: decoded like any final response.
    if (auto bad = decode_content(r.response, limits.body_limit, "OAuth2 token request"))
        co_return std::make_shared<auth_error>(std::string("OAuth2 token response: ") + bad->what());
    co_return parse_token_response(r.response, std::chrono::system_clock::now());
}

/// A current token for credential `index`: the cached one, or one fetched by this call, or by
/// another call this one waits for (oauth2_token_state). `stale`: a token the API just refused.
SPECBOUND_DECL boost::asio::awaitable<result<oauth2_token>>
oauth2_access_token(std::shared_ptr<client_state> s, std::size_t index, const security_scheme& scheme,
                    std::optional<std::string> stale)
{
    const auto& cred = std::get<oauth2_client_credentials>(s->config.options.credentials[index]);
    oauth2_token_state& state = s->config.oauth[index];
    boost::asio::steady_timer& fetched = s->token_fetched[index];
    for (;;) {
        switch (state.acquire(cred, std::chrono::system_clock::now(), stale)) {
        case oauth2_token_state::next::use:
            co_return state.token();
        case oauth2_token_state::next::fetch: {
            result<oauth2_token> t = co_await request_token(*s, cred, scheme);
            state.fetched(t, cred, std::chrono::system_clock::now());
            fetched.cancel(); // wakes the waiters
            if (!t)
                s->config.log(log_level::error, t.error()->what());
            co_return t;
        }
        case oauth2_token_state::next::wait: {
            const std::uint64_t before = state.fetches_done();
            while (state.fetches_done() == before) {
                boost::system::error_code ec;
                co_await fetched.async_wait(boost::asio::redirect_error(boost::asio::use_awaitable, ec));
                if (state.fetches_done() == before && is_cancelled(co_await boost::asio::this_coro::cancellation_state))
                    co_return std::make_shared<transport_error>(transport_errc::cancelled, "OAuth2 token", false);
            }
            // Their call was cancelled mid-request: that says nothing about the credentials, try ourselves.
            if (const auto& f = state.last_failure(); f && f->code() != transport_errc::cancelled)
                co_return f;
            if (!state.last_failure())
                stale.reset(); // the token they fetched is new
            break;
        }
        }
    }
}

SPECBOUND_DECL boost::asio::awaitable<void> backoff_sleep(const client_state& s, std::chrono::milliseconds d)
{
    if (s.config.options.retry.sleep) {
        co_await s.config.options.retry.sleep(d);
        co_return;
    }
    boost::asio::steady_timer timer(co_await boost::asio::this_coro::executor, d);
    boost::system::error_code ec;
    co_await timer.async_wait(boost::asio::redirect_error(boost::asio::use_awaitable, ec));
}

SPECBOUND_DECL boost::asio::awaitable<std::shared_ptr<const error>> run_call(std::shared_ptr<client_state> s,
                                                                             std::shared_ptr<call_plan> plan)
{
    using clock = std::chrono::steady_clock;
    using step = call_engine::step;
    // Any cancellation type the caller emits stops the call; we check for it ourselves.
    co_await boost::asio::this_coro::reset_cancellation_state(boost::asio::enable_total_cancellation());
    co_await boost::asio::this_coro::throw_if_cancelled(false);
    const boost::asio::cancellation_state cs = co_await boost::asio::this_coro::cancellation_state;

    call_engine engine(s->config, *plan, s->config.rng());
    step next = engine.start(clock::now());
    for (;;) {
        if (next != step::done && next != step::fail && is_cancelled(cs))
            next = engine.on_cancelled();
        switch (next) {
        case step::send: {
            transport_result r = co_await next_layer(s->config.options.middlewares, 0, *s->transport,
                                                     engine.attempt())(engine.request());
            if (is_cancelled(cs))
                r.ec = transport_errc::cancelled;
            next = engine.on_transport(std::move(r), clock::now());
            break;
        }
        case step::obtain_token: {
            result<oauth2_token> token =
                co_await oauth2_access_token(s, engine.token_credential(), engine.token_scheme(), engine.stale_token());
            next = engine.on_token(std::move(token), clock::now());
            break;
        }
        case step::wait:
            co_await backoff_sleep(*s, engine.delay());
            next = engine.on_wait_done(clock::now());
            break;
        case step::done: {
            std::shared_ptr<const error> failure = plan->decode(engine.response(), plan->context, engine.answered_url());
            engine.finish(failure, clock::now());
            co_return failure;
        }
        case step::fail:
            engine.finish(engine.failure(), clock::now());
            co_return engine.failure();
        }
    }
}

} // namespace specbound::detail
