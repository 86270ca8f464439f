// The call engine driven event by event: no socket, no io_context, no clock but the one the test
// passes in. Every transition: retries by status and by error, the overall deadline, the OAuth2
// replay after 401 (and the refresh shared by concurrent calls), which lost requests may be sent
// again, cancellation at each step, redirects, per-call options, compressed bodies.
#include <specbound/detail/call_engine.hpp>
#include <specbound/detail/content_coding.hpp>

#include "test_api.hpp"

#include <specbound/detail/response_handler.hpp>

#include <catch2/catch.hpp>

#include <zlib.h>

#include <chrono>
#include <memory>
#include <string>
#include <utility>
#include <vector>

using namespace specbound;
using namespace specbound::detail;
using namespace std::chrono_literals;
using step = call_engine::step;
namespace bhttp = boost::beast::http;

namespace {

using clock_type = std::chrono::steady_clock;

/// One call of `Op` under test: the client's configuration, the plan, the engine and a clock.
template <class Op>
struct harness {
    explicit harness(client_options o, typename Op::request_type r = {}, call_options co = {})
        : config(testapi::api, std::move(o)), request(std::move(r)),
          plan{{Op::operation_id, Op::method, Op::path},
               std::span<const security_requirement>(Op::security),
               context,
               [this](const base_url& b) { return build_request<Op>(b, request); },
               &declares_status<Op>,
               {},
               std::move(co)},
          engine(config, plan, 42)
    {
    }

    step start() { return engine.start(now); }
    step answer(transport_result r, clock_type::duration took = 1ms)
    {
        now += took;
        return engine.on_transport(std::move(r), now);
    }
    step answer(unsigned status, std::vector<std::pair<std::string, std::string>> fields = {}, std::string body = {})
    {
        transport_result r;
        r.request_sent = true;
        r.response = http_response{static_cast<bhttp::status>(status), 11};
        for (const auto& [k, v] : fields)
            r.response.insert(k, v);
        r.response.body() = std::move(body);
        r.response.prepare_payload();
        return answer(std::move(r));
    }
    step fail(transport_errc e, bool sent, bool reused = false)
    {
        transport_result r;
        r.ec = e;
        r.request_sent = sent;
        r.connection_reused = reused;
        return answer(std::move(r));
    }
    step waited()
    {
        now += engine.delay();
        return engine.on_wait_done(now);
    }
    std::string header(std::string_view name) { return std::string(engine.request()[name]); }

    std::string context = std::string(Op::operation_id);
    client_config config;
    typename Op::request_type request;
    call_plan plan;
    call_engine engine;
    clock_type::time_point now = clock_type::time_point{} + 1000h;
};

client_options instant_options()
{
    client_options o;
    o.retry.initial_backoff = 100ms;
    return o;
}

testapi::create_pet_request new_pet()
{
    testapi::create_pet_request r;
    r.body = testapi::new_pet{"Rex", std::nullopt};
    return r;
}

} // namespace

TEST_CASE("engine: one send, one answer", "[engine]")
{
    harness<testapi::ops::show_pet> h(instant_options(), {"7"});
    REQUIRE(h.start() == step::send);
    CHECK(h.engine.destination() == origin{"https", "api.example.com", 443});
    CHECK(h.engine.request().target() == "/v1/pets/7");
    CHECK(h.header("user-agent") == "specbound/0.1.0 testapi/1.2.3");
    CHECK(h.engine.attempt().attempt == 1);
    CHECK(h.engine.limits().attempt_timeout == 30s);
    CHECK_FALSE(h.engine.limits().fresh_connection);
    REQUIRE(h.answer(200, {{"Content-Type", "application/json"}}, R"({"id":7,"name":"Rex"})") == step::done);
    CHECK(h.engine.response().result_int() == 200);
    CHECK(h.engine.attempts() == 1);
}

TEST_CASE("engine: retryable statuses wait, then send again; Retry-After; exhaustion", "[engine][retry]")
{
    harness<testapi::ops::show_pet> h(instant_options(), {"7"});
    REQUIRE(h.start() == step::send);
    REQUIRE(h.answer(503) == step::wait);
    CHECK(h.engine.delay() <= 100ms);
    REQUIRE(h.waited() == step::send);
    CHECK(h.engine.attempt().attempt == 2);
    REQUIRE(h.answer(429, {{"Retry-After", "3"}}) == step::wait);
    CHECK(h.engine.delay() == 3s);
    REQUIRE(h.waited() == step::send);
    // max_retries = 2: the third answer ends the call, as the response (decoded into the typed error).
    REQUIRE(h.answer(503) == step::done);
    CHECK(h.engine.response().result_int() == 503);
    CHECK(h.engine.attempts() == 3);

    harness<testapi::ops::show_pet> far(instant_options(), {"7"});
    REQUIRE(far.start() == step::send);
    // An HTTP-date past 2262 (beyond system_clock's nanoseconds): a long wait, not an overflow to "now".
    REQUIRE(far.answer(503, {{"Retry-After", "Fri, 31 Dec 9999 23:59:59 GMT"}}) == step::done);
    CHECK(far.engine.response().result_int() == 503); // beyond max_retry_after: surfaced, not slept on
}

TEST_CASE("engine: transport errors and what may be sent again", "[engine][retry]")
{
    SECTION("a GET is retried after a connection error, with backoff")
    {
        harness<testapi::ops::show_pet> h(instant_options(), {"7"});
        h.start();
        REQUIRE(h.fail(transport_errc::connection_closed, true) == step::wait);
        REQUIRE(h.waited() == step::send);
        REQUIRE(h.fail(transport_errc::timeout, true) == step::wait);
        REQUIRE(h.waited() == step::send);
        REQUIRE(h.fail(transport_errc::timeout, true) == step::fail);
        REQUIRE(h.engine.failure()->as<timeout_error>());
        CHECK(h.engine.failure()->as<timeout_error>()->request_sent());
    }
    SECTION("a POST that may have been sent is not retried; one that was not sent is")
    {
        harness<testapi::ops::create_pet> h(instant_options(), new_pet());
        h.start();
        REQUIRE(h.fail(transport_errc::connect_failed, false) == step::wait);
        REQUIRE(h.waited() == step::send);
        REQUIRE(h.fail(transport_errc::connection_closed, true) == step::fail);
        CHECK(h.engine.failure()->code() == transport_errc::connection_closed);
        CHECK(h.engine.attempts() == 2);
    }
    SECTION("a request a reused pooled connection lost: a GET is sent again at once, on a fresh connection")
    {
        harness<testapi::ops::show_pet> h(instant_options(), {"7"});
        h.start();
        REQUIRE(h.fail(transport_errc::connection_closed, true, true) == step::send);
        CHECK(h.engine.limits().fresh_connection);
        CHECK(h.engine.attempt().attempt == 2);
        // Once only: a second loss is an ordinary connection error (retried with backoff for a GET).
        REQUIRE(h.fail(transport_errc::connection_closed, true, true) == step::wait);
        REQUIRE(h.waited() == step::send);
        CHECK_FALSE(h.engine.limits().fresh_connection);
    }
    SECTION("a POST that a reused pooled connection lost is never sent twice")
    {
        harness<testapi::ops::create_pet> h(instant_options(), new_pet());
        h.start();
        REQUIRE(h.fail(transport_errc::connection_closed, true, true) == step::fail);
        REQUIRE(h.engine.failure()->as<transport_error>());
        CHECK(h.engine.failure()->as<transport_error>()->request_sent());
        CHECK(h.engine.attempts() == 1);
    }
    SECTION("... unless it carries an idempotency key, which stays the same")
    {
        auto o = instant_options();
        o.retry.idempotency_keys = true;
        harness<testapi::ops::create_pet> h(o, new_pet());
        h.start();
        const std::string key = h.header("Idempotency-Key");
        CHECK(key.size() == 36);
        REQUIRE(h.fail(transport_errc::connection_closed, true, true) == step::send);
        CHECK(h.header("Idempotency-Key") == key);
        CHECK(h.engine.request().body() == R"({"name":"Rex"})");
    }
    SECTION("a response that started before the loss is not a pool race")
    {
        harness<testapi::ops::show_pet> h(instant_options(), {"7"});
        h.start();
        transport_result r;
        r.ec = transport_errc::connection_closed;
        r.request_sent = true;
        r.connection_reused = true;
        r.response_started = true;
        REQUIRE(h.answer(std::move(r)) == step::wait); // an ordinary, backed-off retry
    }
}

TEST_CASE("engine: the overall deadline", "[engine][timeout]")
{
    auto o = instant_options();
    o.timeouts.overall = 1000ms;
    o.retry.initial_backoff = 2000ms;
    o.retry.max_backoff = 2000ms;
    harness<testapi::ops::show_pet> h(o, {"7"});
    h.start();
    CHECK(h.engine.limits().attempt_timeout == 1000ms); // capped by the deadline
    // A Retry-After that ends past the deadline is not waited for: the 503 is the answer.
    REQUIRE(h.answer(503, {{"Retry-After", "5"}}) == step::done);

    harness<testapi::ops::show_pet> late(o, {"7"});
    late.start();
    late.now += 1500ms;
    REQUIRE(late.engine.on_wait_done(late.now) == step::fail); // a new attempt after the deadline
    CHECK(late.engine.failure()->as<timeout_error>());
}

TEST_CASE("engine: OAuth2 tokens, the 401 replay with a refreshed token, token failures", "[engine][oauth2]")
{
    client_options o = instant_options();
    o.credentials.emplace_back(oauth2_client_credentials{"id", "secret"});
    harness<testapi::ops::create_pet> h(o, new_pet());
    REQUIRE(h.start() == step::obtain_token);
    CHECK(h.engine.token_credential() == 0);
    CHECK(h.engine.token_scheme().name == "oauth");
    CHECK_FALSE(h.engine.stale_token());
    REQUIRE(h.engine.on_token(oauth2_token{"t1"}, h.now) == step::send);
    CHECK(h.header("authorization") == "Bearer t1");
    // 401: the token may have been revoked; one refresh, replacing t1, and the same request again.
    REQUIRE(h.answer(401) == step::obtain_token);
    REQUIRE(h.engine.stale_token());
    CHECK(*h.engine.stale_token() == "t1");
    REQUIRE(h.engine.on_token(oauth2_token{"t2"}, h.now) == step::send);
    CHECK(h.header("authorization") == "Bearer t2");
    CHECK(h.engine.request().body() == R"({"name":"Rex"})");
    // A second 401 is the answer.
    REQUIRE(h.answer(401) == step::done);
    CHECK(h.engine.response().result_int() == 401);

    harness<testapi::ops::create_pet> denied(o, new_pet());
    REQUIRE(denied.start() == step::obtain_token);
    REQUIRE(denied.engine.on_token(std::make_shared<auth_error>("no"), denied.now) == step::fail);
    CHECK(denied.engine.failure()->as<auth_error>());
}

TEST_CASE("oauth2_token_state: concurrent calls share one token request", "[engine][oauth2]")
{
    oauth2_client_credentials cred{"id", "secret"};
    int stored = 0;
    cred.store_token = [&](const oauth2_token&) { ++stored; };
    oauth2_token_state state;
    const auto now = std::chrono::system_clock::now();
    using next = oauth2_token_state::next;
    // Call A fetches; B and C, arriving meanwhile, wait for A's request instead of sending their own.
    REQUIRE(state.acquire(cred, now, std::nullopt) == next::fetch);
    REQUIRE(state.acquire(cred, now, std::nullopt) == next::wait);
    REQUIRE(state.acquire(cred, now, std::nullopt) == next::wait);
    const auto before = state.fetches_done();
    state.fetched(oauth2_token{"t1", now + 1h}, cred, now);
    CHECK(state.fetches_done() == before + 1);
    REQUIRE(state.acquire(cred, now, std::nullopt) == next::use);
    CHECK(state.token().access_token == "t1");
    CHECK(state.refreshes() == 1);
    CHECK(stored == 1);
    // A 401 with t1 (stale) refreshes once; a call still holding t1 as stale then uses the new one.
    REQUIRE(state.acquire(cred, now, std::string("t1")) == next::fetch);
    REQUIRE(state.acquire(cred, now, std::string("t1")) == next::wait);
    state.fetched(oauth2_token{"t2", now + 1h}, cred, now);
    REQUIRE(state.acquire(cred, now, std::nullopt) == next::use);
    CHECK(state.token().access_token == "t2");
    // Near expiry, the next call refreshes. A failure is what every waiter sees.
    REQUIRE(state.acquire(cred, now + 59min + 30s, std::nullopt) == next::fetch);
    REQUIRE(state.acquire(cred, now + 59min + 30s, std::nullopt) == next::wait);
    state.fetched(std::make_shared<auth_error>("denied"), cred, now);
    REQUIRE(state.last_failure());
    CHECK(state.last_failure()->as<auth_error>());
    CHECK(state.refreshes() == 2);
}

TEST_CASE("engine: cancellation at each step", "[engine][cancel]")
{
    client_options o = instant_options();
    o.credentials.emplace_back(oauth2_client_credentials{"id", "secret"});
    auto cancelled = [](call_engine& e, step s) {
        return s == step::fail && e.failure()->code() == transport_errc::cancelled && e.failure()->as<transport_error>();
    };
    harness<testapi::ops::create_pet> before_token(o, new_pet());
    REQUIRE(before_token.start() == step::obtain_token);
    CHECK(cancelled(before_token.engine, before_token.engine.on_cancelled()));

    harness<testapi::ops::create_pet> during_send(o, new_pet());
    during_send.start();
    REQUIRE(during_send.engine.on_token(oauth2_token{"t"}, during_send.now) == step::send);
    CHECK(cancelled(during_send.engine, during_send.fail(transport_errc::cancelled, true)));
    CHECK(during_send.engine.failure()->as<transport_error>()->request_sent());

    harness<testapi::ops::show_pet> during_wait(instant_options(), {"1"});
    during_wait.start();
    REQUIRE(during_wait.answer(503) == step::wait);
    CHECK(cancelled(during_wait.engine, during_wait.engine.on_cancelled()));
}

TEST_CASE("engine: invalid arguments fail before anything is sent", "[engine]")
{
    harness<testapi::ops::show_pet> dots(instant_options(), {".."});
    REQUIRE(dots.start() == step::fail);
    CHECK(dots.engine.failure()->as<invalid_argument_error>());
    CHECK(dots.engine.attempts() == 0);
}

TEST_CASE("engine: redirects", "[engine][redirect]")
{
    SECTION("301, 302, 307 and 308 keep method and body for requests that may be sent again")
    {
        for (unsigned status : {301u, 302u, 307u, 308u}) {
            CAPTURE(status);
            harness<testapi::ops::show_pet> h(instant_options(), {"7"});
            h.start();
            REQUIRE(h.answer(status, {{"Location", "/v2/pets/7?x=1"}}) == step::send);
            CHECK(h.engine.request().method() == bhttp::verb::get);
            CHECK(h.engine.request().target() == "/v2/pets/7?x=1");
            CHECK(h.engine.destination() == origin{"https", "api.example.com", 443});
            CHECK(h.engine.redirects() == 1);
            REQUIRE(h.answer(200) == step::done);
        }
        auto o = instant_options();
        o.retry.idempotency_keys = true;
        harness<testapi::ops::create_pet> keyed(o, new_pet());
        keyed.start();
        REQUIRE(keyed.answer(308, {{"Location", "https://api.example.com/v1/animals"}}) == step::send);
        CHECK(keyed.engine.request().method() == bhttp::verb::post);
        CHECK(keyed.engine.request().body() == R"({"name":"Rex"})");
        CHECK(keyed.engine.request().target() == "/v1/animals");
    }
    SECTION("303 continues as GET without a body, whatever the method")
    {
        harness<testapi::ops::create_pet> h(instant_options(), new_pet());
        h.start();
        REQUIRE(h.answer(303, {{"Location", "jobs/9"}}) == step::send);
        CHECK(h.engine.request().method() == bhttp::verb::get);
        CHECK(h.engine.request().body().empty());
        CHECK(h.engine.request().find(bhttp::field::content_type) == h.engine.request().end());
        CHECK(h.engine.request().target() == "/v1/jobs/9"); // relative to /v1/pets
    }
    SECTION("a POST is not repeated elsewhere without an idempotency key: the 307 is the answer")
    {
        harness<testapi::ops::create_pet> h(instant_options(), new_pet());
        h.start();
        REQUIRE(h.answer(307, {{"Location", "/v1/animals"}}) == step::done);
        CHECK(h.engine.response().result_int() == 307);
    }
    SECTION("following can be turned off; the 3xx and its Location are the answer")
    {
        auto o = instant_options();
        o.redirects.follow = false;
        harness<testapi::ops::show_pet> h(o, {"7"});
        h.start();
        REQUIRE(h.answer(302, {{"Location", "/elsewhere"}}) == step::done);
        CHECK(h.engine.response()[bhttp::field::location] == "/elsewhere");
    }
    SECTION("too many redirects, and loops, end with a typed error")
    {
        harness<testapi::ops::show_pet> h(instant_options(), {"7"});
        h.start();
        for (int i = 0; i < 5; ++i)
            REQUIRE(h.answer(302, {{"Location", "/hop/" + std::to_string(i)}}) == step::send);
        REQUIRE(h.answer(302, {{"Location", "/hop/last"}}) == step::fail);
        REQUIRE(h.engine.failure()->as<redirect_error>());
        CHECK(h.engine.failure()->code() == client_errc::too_many_redirects);

        harness<testapi::ops::show_pet> loop(instant_options(), {"7"});
        loop.start();
        REQUIRE(loop.answer(302, {{"Location", "/a"}}) == step::send);
        REQUIRE(loop.answer(302, {{"Location", "/v1/pets/7"}}) == step::fail);
        CHECK(loop.engine.failure()->code() == client_errc::too_many_redirects);
        CHECK(loop.engine.failure()->as<redirect_error>()->location() == "/v1/pets/7");
    }
    SECTION("https to http is refused unless allowed; unusable Locations are refused")
    {
        harness<testapi::ops::show_pet> h(instant_options(), {"7"});
        h.start();
        REQUIRE(h.answer(301, {{"Location", "http://api.example.com/v1/pets/7"}}) == step::fail);
        CHECK(h.engine.failure()->code() == client_errc::redirect_refused);

        auto o = instant_options();
        o.redirects.allow_https_to_http = true;
        harness<testapi::ops::show_pet> allowed(o, {"7"});
        allowed.start();
        REQUIRE(allowed.answer(301, {{"Location", "http://api.example.com/v1/pets/7"}}) == step::send);
        CHECK(allowed.engine.destination() == origin{"http", "api.example.com", 80});

        for (const char* bad : {"ftp://files.example.com/x", "http://[::1", "https://user:pw@evil.example/"}) {
            CAPTURE(bad);
            harness<testapi::ops::show_pet> b(instant_options(), {"7"});
            b.start();
            REQUIRE(b.answer(302, {{"Location", bad}}) == step::fail);
            CHECK(b.engine.failure()->code() == client_errc::redirect_refused);
        }
    }
    SECTION("another origin gets no credential")
    {
        auto o = instant_options();
        o.credentials.emplace_back(bearer_token{"tok-123"});
        o.default_headers = {{"X-Session", "s-1"}, {"X-Tenant", "t1"}};
        o.logging.redact_headers = {"X-Session"};
        testapi::list_pets_request req;
        harness<testapi::ops::list_pets> h(o, req);
        h.start();
        CHECK(h.header("authorization") == "Bearer tok-123");
        REQUIRE(h.answer(307, {{"Location", "https://cdn.example.net:8443/pets"}}) == step::send);
        CHECK(h.engine.destination() == origin{"https", "cdn.example.net", 8443});
        CHECK(h.header("host") == "cdn.example.net:8443");
        CHECK(h.engine.request().find(bhttp::field::authorization) == h.engine.request().end());
        CHECK(h.engine.request().find("X-Session") == h.engine.request().end());
        CHECK(h.header("X-Tenant") == "t1");
        // Back on the API's origin, credentials are sent again.
        REQUIRE(h.answer(302, {{"Location", "https://api.example.com/v1/pets?page=2"}}) == step::send);
        CHECK(h.header("authorization") == "Bearer tok-123");
    }
    SECTION("a declared 3xx is the operation's answer, never followed")
    {
        CHECK(declares_status<testapi::ops::create_pet>(201));
        CHECK_FALSE(declares_status<testapi::ops::create_pet>(302));
    }
}

TEST_CASE("engine: per-call options replace the client's for one call", "[engine][call_options]")
{
    SECTION("timeouts and deadline: the earlier end counts")
    {
        call_options co;
        co.attempt_timeout = 2s;
        co.timeout = 5s;
        harness<testapi::ops::show_pet> h(instant_options(), {"7"}, co);
        REQUIRE(h.start() == step::send);
        CHECK(h.engine.limits().attempt_timeout == 2s);
        // 4.95 s in, no backoff fits before the 5 s end: the 503 is the answer.
        REQUIRE(h.answer(503, {}, {}) == step::wait);
        h.now += 4950ms;
        REQUIRE(h.engine.on_wait_done(h.now) == step::send);
        CHECK(h.engine.limits().attempt_timeout == 49ms); // what is left of the 5 s

        call_options until;
        until.deadline = clock_type::time_point{} + 1000h + 300ms; // the harness starts at 1000 h
        harness<testapi::ops::show_pet> d(instant_options(), {"7"}, until);
        REQUIRE(d.start() == step::send);
        CHECK(d.engine.limits().attempt_timeout == 300ms);
        d.now += 400ms;
        REQUIRE(d.engine.on_wait_done(d.now) == step::fail);
        CHECK(d.engine.failure()->as<timeout_error>());
    }
    SECTION("max_retries: 0 ends at the first retryable answer; more than the client's")
    {
        call_options none;
        none.max_retries = 0;
        harness<testapi::ops::show_pet> h(instant_options(), {"7"}, none);
        h.start();
        REQUIRE(h.answer(503) == step::done);
        CHECK(h.engine.attempts() == 1);

        call_options many;
        many.max_retries = 4;
        harness<testapi::ops::show_pet> m(instant_options(), {"7"}, many);
        m.start();
        for (int i = 0; i < 4; ++i) {
            REQUIRE(m.answer(503) == step::wait);
            REQUIRE(m.waited() == step::send);
        }
        REQUIRE(m.answer(503) == step::done);
        CHECK(m.engine.attempts() == 5);
    }
    SECTION("headers replace default headers and header parameters; query pairs are appended encoded")
    {
        auto o = instant_options();
        o.default_headers = {{"X-Tenant", "t1"}};
        o.credentials.emplace_back(api_key{"k-1"});
        call_options co;
        co.headers = {{"X-Tenant", "t2"}, {"X-Trace", "call"}, {"X-API-Key", "mine"}};
        co.query = {{"fields", "id,name"}, {"q", "a b&c"}};
        testapi::list_pets_request req;
        req.limit = 5;
        req.x_trace = "param";
        harness<testapi::ops::list_pets> h(o, req, co);
        REQUIRE(h.start() == step::send);
        CHECK(h.header("X-Tenant") == "t2");
        CHECK(h.header("X-Trace") == "call");
        CHECK(h.header("X-API-Key") == "k-1"); // the client's credentials are applied after
        CHECK(h.engine.request().target() == "/v1/pets?limit=5&fields=id%2Cname&q=a%20b%26c");
    }
    SECTION("hostile headers and bad values end the call before anything is sent")
    {
        auto refused = [](call_options co) {
            harness<testapi::ops::show_pet> h(instant_options(), {"7"}, std::move(co));
            const bool failed = h.start() == step::fail;
            return failed && h.engine.attempts() == 0 && h.engine.failure()->as<invalid_argument_error>() != nullptr;
        };
        auto with_header = [](std::string name, std::string value) {
            call_options co;
            co.headers = {{std::move(name), std::move(value)}};
            return co;
        };
        CHECK(refused(with_header("X-Evil", "a\r\nX-Injected: 1")));
        CHECK(refused(with_header("X-Evil", std::string("a\0b", 3))));
        CHECK(refused(with_header("Bad Name", "v")));
        CHECK(refused(with_header("", "v")));
        for (const char* framing : {"Host", "content-length", "Transfer-Encoding", "Connection", "TE", "Upgrade"})
            CHECK(refused(with_header(framing, "x")));
        call_options retries;
        retries.max_retries = -1;
        CHECK(refused(retries));
        call_options zero;
        zero.attempt_timeout = 0ms;
        CHECK(refused(zero));
        call_options no_body;
        no_body.body_limit = 0;
        CHECK(refused(no_body));
        call_options key;
        key.idempotency_key = "k\r\nX: y";
        CHECK(refused(key));
        call_options url;
        url.base_url = "ftp://files.example.com";
        CHECK(refused(url));
        url.base_url = "https://user:pw@api.example.com";
        CHECK(refused(url));
        CHECK_FALSE(refused(with_header("X-Fine", "v")));
    }
    SECTION("an idempotency key makes a POST safe to send again, without the client generating keys")
    {
        call_options co;
        co.idempotency_key = "order-42";
        harness<testapi::ops::create_pet> h(instant_options(), new_pet(), co);
        h.start();
        CHECK(h.header("Idempotency-Key") == "order-42");
        REQUIRE(h.fail(transport_errc::connection_closed, true, true) == step::send); // lost by the pool
        CHECK(h.header("Idempotency-Key") == "order-42");
        REQUIRE(h.answer(503) == step::wait); // a retryable status, too
        REQUIRE(h.waited() == step::send);
        CHECK(h.header("Idempotency-Key") == "order-42");

        harness<testapi::ops::create_pet> without(instant_options(), new_pet());
        without.start();
        CHECK(without.header("Idempotency-Key").empty());
        REQUIRE(without.answer(503) == step::done);
    }
    SECTION("base_url: another server for this call; its credentials go there, and only there")
    {
        auto o = instant_options();
        o.credentials.emplace_back(bearer_token{"tok"});
        call_options co;
        co.base_url = "http://eu.example.com:8080/v9/";
        harness<testapi::ops::list_pets> h(o, {}, co);
        REQUIRE(h.start() == step::send);
        CHECK(h.engine.destination() == origin{"http", "eu.example.com", 8080});
        CHECK(h.engine.request().target() == "/v9/pets");
        CHECK(h.header("Host") == "eu.example.com:8080");
        CHECK(h.header("Authorization") == "Bearer tok");
        // A redirect to the client's own server is another origin for this call.
        REQUIRE(h.answer(307, {{"Location", "https://api.example.com/v1/pets"}}) == step::send);
        CHECK(h.engine.destination() == origin{"https", "api.example.com", 443});
        CHECK(h.header("Authorization").empty());
    }
}

namespace {

std::string zlib_deflate(std::string_view in, int window_bits)
{
    z_stream z{};
    REQUIRE(deflateInit2(&z, Z_DEFAULT_COMPRESSION, Z_DEFLATED, window_bits, 8, Z_DEFAULT_STRATEGY) == Z_OK);
    std::string out(deflateBound(&z, static_cast<uLong>(in.size())) + 64, '\0');
    z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
    z.avail_in = static_cast<uInt>(in.size());
    z.next_out = reinterpret_cast<Bytef*>(out.data());
    z.avail_out = static_cast<uInt>(out.size());
    REQUIRE(deflate(&z, Z_FINISH) == Z_STREAM_END);
    out.resize(z.total_out);
    deflateEnd(&z);
    return out;
}

} // namespace

TEST_CASE("engine: compressed responses are decoded within the body limit", "[engine][compression]")
{
    const std::string pet = R"({"id":7,"name":"Rex"})";
    SECTION("Accept-Encoding is sent unless the request sets it or compression is off")
    {
        harness<testapi::ops::show_pet> h(instant_options(), {"7"});
        h.start();
        CHECK(h.header("Accept-Encoding") == "gzip, deflate");

        auto mine = instant_options();
        mine.default_headers = {{"Accept-Encoding", "identity"}};
        harness<testapi::ops::show_pet> m(mine, {"7"});
        m.start();
        CHECK(m.header("Accept-Encoding") == "identity");

        auto off = instant_options();
        off.compression.accept_compressed = false;
        harness<testapi::ops::show_pet> o(off, {"7"});
        o.start();
        CHECK(o.header("Accept-Encoding").empty());
    }
    SECTION("gzip (one member or several), x-gzip, deflate zlib-wrapped and raw")
    {
        const std::vector<std::pair<std::string, std::string>> bodies{
            {"gzip", gzip_body(pet)},
            {"GZip", gzip_body(pet.substr(0, 9)) + gzip_body(pet.substr(9))},
            {"x-gzip", gzip_body(pet)},
            {"deflate", zlib_deflate(pet, MAX_WBITS)},
            {"deflate", zlib_deflate(pet, -MAX_WBITS)},
            {"identity, gzip", gzip_body(pet)},
            {"deflate, gzip", gzip_body(zlib_deflate(pet, MAX_WBITS))},
        };
        for (const auto& [coding, body] : bodies) {
            CAPTURE(coding);
            harness<testapi::ops::show_pet> h(instant_options(), {"7"});
            h.start();
            REQUIRE(h.answer(200, {{"Content-Type", "application/json"}, {"Content-Encoding", coding}}, body) ==
                    step::done);
            CHECK(h.engine.response().body() == pet);
            CHECK(h.engine.response().count(bhttp::field::content_encoding) == 0);
            CHECK(h.engine.response()[bhttp::field::content_length] == std::to_string(pet.size()));
        }
    }
    SECTION("a body that inflates past the limit stops there: body_too_large, as for a plain body")
    {
        auto o = instant_options();
        o.body_limit = 1024 * 1024;
        const std::string bomb = gzip_body(std::string(16 * 1024 * 1024, '\0')); // ~16 KB on the wire
        CHECK(bomb.size() < 32 * 1024);
        harness<testapi::ops::show_pet> h(o, {"7"});
        h.start();
        REQUIRE(h.answer(200, {{"Content-Encoding", "gzip"}}, bomb) == step::fail);
        REQUIRE(h.engine.failure()->as<transport_error>());
        CHECK(h.engine.failure()->code() == transport_errc::body_too_large);
        // The same check on its own: the output never grows past the limit.
        std::string out, why;
        CHECK(inflate_body(bomb, content_coding::gzip, 1024 * 1024, out, why) == inflate_status::too_large);
        CHECK(out.size() <= 1024 * 1024);
    }
    SECTION("corrupt, truncated, trailing bytes, unknown or too many codings: decode_error content_encoding")
    {
        const std::string gz = gzip_body(pet);
        std::string flipped = gz;
        flipped[gz.size() / 2] = static_cast<char>(flipped[gz.size() / 2] ^ 0x55);
        const std::vector<std::pair<std::string, std::string>> bad{
            {"gzip", gz.substr(0, gz.size() - 5)},
            {"gzip", flipped},
            {"gzip", "not gzip at all"},
            {"gzip", gz + "x"},
            {"deflate", zlib_deflate(pet, MAX_WBITS) + "tail"},
            {"br", pet},
            {"gzip, zstd", gz},
            {"gzip, gzip, gzip", gzip_body(gzip_body(gz))},
        };
        for (const auto& [coding, body] : bad) {
            CAPTURE(coding, body.size());
            harness<testapi::ops::show_pet> h(instant_options(), {"7"});
            h.start();
            REQUIRE(h.answer(200, {{"Content-Encoding", coding}}, body) == step::fail);
            REQUIRE(h.engine.failure()->as<decode_error>());
            CHECK(h.engine.failure()->code() == client_errc::content_encoding);
            CHECK(h.engine.failure()->as<decode_error>()->status() == 200);
        }
    }
    SECTION("an empty body (HEAD, 204) has nothing to decode; an error status is decoded like a success")
    {
        harness<testapi::ops::show_pet> h(instant_options(), {"7"});
        h.start();
        REQUIRE(h.answer(204, {{"Content-Encoding", "gzip"}}) == step::done);
        CHECK(h.engine.response().body().empty());

        harness<testapi::ops::show_pet> e(instant_options(), {"7"});
        e.start();
        REQUIRE(e.answer(404, {{"Content-Encoding", "gzip"}}, gzip_body(R"({"code":404,"message":"gone"})")) ==
                step::done);
        CHECK(e.engine.response().body() == R"({"code":404,"message":"gone"})");
    }
    SECTION("request bodies: gzip from request_min_size on, when asked for")
    {
        auto o = instant_options();
        o.compression.compress_requests = true;
        o.compression.request_min_size = 16;
        testapi::create_pet_request big;
        big.body = testapi::new_pet{std::string(200, 'x'), std::nullopt};
        harness<testapi::ops::create_pet> h(o, big);
        h.start();
        CHECK(h.header("Content-Encoding") == "gzip");
        std::string sent, why;
        REQUIRE(inflate_body(h.engine.request().body(), content_coding::gzip, 1 << 20, sent, why) ==
                inflate_status::ok);
        CHECK(sent == R"({"name":")" + std::string(200, 'x') + R"("})");
        CHECK(h.header("Content-Length") == std::to_string(h.engine.request().body().size()));

        o.compression.request_min_size = 4096;
        harness<testapi::ops::create_pet> small(o, big);
        small.start();
        CHECK(small.header("Content-Encoding").empty());

        harness<testapi::ops::create_pet> off(instant_options(), big);
        off.start();
        CHECK(off.header("Content-Encoding").empty());
    }
}
