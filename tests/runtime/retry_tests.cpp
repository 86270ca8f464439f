// Retry policy (sans-I/O): backoff bounds with jitter, Retry-After forms, cap, idempotency rules.
#include <specbound/retry.hpp>

#include <catch2/catch.hpp>

using namespace specbound;
using namespace std::chrono_literals;

namespace {

http_response status(unsigned s, std::vector<std::pair<std::string, std::string>> headers = {})
{
    http_response r{static_cast<boost::beast::http::status>(s), 11};
    for (const auto& [k, v] : headers)
        r.set(k, v);
    return r;
}

transport_result failed(transport_errc e, bool sent)
{
    transport_result r;
    r.ec = e;
    r.request_sent = sent;
    return r;
}

} // namespace

TEST_CASE("full-jitter backoff stays within the doubling ceiling", "[retry]")
{
    retry_options o;
    retry_policy p(o, 42);
    const std::array<std::chrono::milliseconds, 6> ceilings{500ms, 1000ms, 2000ms, 4000ms, 8000ms, 8000ms};
    for (int retry = 1; retry <= 6; ++retry) {
        std::chrono::milliseconds lo = 1h, hi = 0ms;
        for (int i = 0; i < 2000; ++i) {
            auto d = p.backoff(retry);
            lo = std::min(lo, d);
            hi = std::max(hi, d);
            REQUIRE(d >= 0ms);
            REQUIRE(d <= ceilings[static_cast<std::size_t>(retry - 1)]);
        }
        // Jitter spreads over the whole range.
        CHECK(lo < ceilings[static_cast<std::size_t>(retry - 1)] / 10);
        CHECK(hi > ceilings[static_cast<std::size_t>(retry - 1)] * 9 / 10);
    }
}

TEST_CASE("a policy is small until it backs off, and a seed gives the same waits", "[retry]")
{
    // Every call in flight holds a policy (in its engine, in its coroutine frame): the random
    // generator's 2.5 KB of state is made only by the first backoff.
    STATIC_REQUIRE(sizeof(retry_policy) <= 64);
    retry_options o;
    retry_policy a(o, 7);
    retry_policy b(o, 7);
    for (int retry = 1; retry <= 5; ++retry)
        CHECK(a.backoff(retry) == b.backoff(retry));
}

TEST_CASE("retryable statuses and the retry budget", "[retry]")
{
    retry_options o;
    retry_policy p(o, 1);
    retry_context get{1, http_method::get, false};
    for (unsigned s : {408u, 429u, 500u, 502u, 503u, 504u})
        CHECK(p.on_response(get, status(s)).retry);
    for (unsigned s : {200u, 400u, 401u, 404u, 501u})
        CHECK_FALSE(p.on_response(get, status(s)).retry);
    CHECK(p.on_response({2, http_method::get, false}, status(503)).retry);
    CHECK_FALSE(p.on_response({3, http_method::get, false}, status(503)).retry); // 2 retries by default
    o.retry_statuses = {418};
    CHECK(p.on_response(get, status(418)).retry);
    CHECK_FALSE(p.on_response(get, status(503)).retry);
    o.max_retries = 0;
    CHECK_FALSE(p.on_response(get, status(418)).retry);
    // A call's own limit (call_options::max_retries) replaces the options'.
    retry_policy call_limit(o, 1, 3);
    CHECK(call_limit.on_response({3, http_method::get, false}, status(418)).retry);
    CHECK_FALSE(call_limit.on_response({4, http_method::get, false}, status(418)).retry);
}

TEST_CASE("Retry-After: delta-seconds, HTTP-date, milliseconds, cap", "[retry]")
{
    retry_options o;
    retry_policy p(o, 1);
    retry_context get{1, http_method::get, false};
    auto now = std::chrono::sys_days{std::chrono::year{2015} / 10 / 21} + 7h + 28min;

    auto d = p.on_response(get, status(429, {{"Retry-After", "3"}}), now);
    CHECK(d.retry);
    CHECK(d.delay == 3s);

    d = p.on_response(get, status(503, {{"Retry-After", "Wed, 21 Oct 2015 07:28:10 GMT"}}), now);
    CHECK(d.retry);
    CHECK(d.delay == 10s);
    d = p.on_response(get, status(503, {{"Retry-After", "Wed, 21 Oct 2015 07:27:00 GMT"}}), now);
    CHECK(d.delay == 0ms); // in the past: now

    d = p.on_response(get, status(429, {{"retry-after-ms", "250"}, {"Retry-After", "9"}}), now);
    CHECK(d.delay == 250ms);

    d = p.on_response(get, status(429, {{"Retry-After", "61"}}), now);
    CHECK_FALSE(d.retry); // beyond the 60 s cap: surface the 429
    CHECK(d.delay == 61s);
    o.max_retry_after = 2min;
    CHECK(p.on_response(get, status(429, {{"Retry-After", "61"}}), now).retry);

    // Unparseable values fall back to the backoff.
    d = p.on_response(get, status(429, {{"Retry-After", "soon"}}), now);
    CHECK(d.retry);
    CHECK(d.delay <= 500ms);
    CHECK_FALSE(detail::parse_http_date("Wed, 32 Oct 2015 07:28:00 GMT"));
    CHECK_FALSE(detail::parse_http_date("Wednesday, 21-Oct-15 07:28:00 GMT"));
    CHECK_FALSE(detail::parse_non_negative("-1"));
    CHECK_FALSE(detail::parse_non_negative("99999999999999999999"));
}

TEST_CASE("POST and PATCH: retried only with an idempotency key or when nothing was sent", "[retry]")
{
    retry_options o;
    retry_policy p(o, 1);
    CHECK_FALSE(p.on_response({1, http_method::post, false}, status(503)).retry);
    CHECK_FALSE(p.on_response({1, http_method::patch, false}, status(503)).retry);
    CHECK(p.on_response({1, http_method::post, true}, status(503)).retry);
    CHECK(p.on_response({1, http_method::put, false}, status(503)).retry);
    CHECK(p.on_response({1, http_method::delete_, false}, status(503)).retry);

    CHECK(p.on_transport_error({1, http_method::post, false}, failed(transport_errc::connect_failed, false)).retry);
    CHECK_FALSE(p.on_transport_error({1, http_method::post, false}, failed(transport_errc::connection_closed, true)).retry);
    CHECK(p.on_transport_error({1, http_method::post, true}, failed(transport_errc::connection_closed, true)).retry);
    CHECK(p.on_transport_error({1, http_method::get, false}, failed(transport_errc::timeout, true)).retry);
    CHECK_FALSE(p.on_transport_error({1, http_method::get, false}, failed(transport_errc::cancelled, false)).retry);
    CHECK_FALSE(p.on_transport_error({3, http_method::get, false}, failed(transport_errc::connect_failed, false)).retry);
    o.retry_connection_errors = false;
    CHECK_FALSE(p.on_transport_error({1, http_method::get, false}, failed(transport_errc::connect_failed, false)).retry);
}
