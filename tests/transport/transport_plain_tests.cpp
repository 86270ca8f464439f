// The Beast transport against the in-process test server over plain HTTP.
#include <specbound/http/beast_transport.hpp>

#include "support/loopback_server.hpp"
#include "support/run.hpp"
#include "support/test_proxy.hpp"
#include "support/test_server.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/bind_cancellation_slot.hpp>
#include <boost/asio/cancellation_signal.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <catch2/catch.hpp>

#include <chrono>
#include <exception>
#include <optional>
#include <string>
#include <vector>

namespace asio = boost::asio;
namespace bhttp = boost::beast::http;
using namespace std::chrono_literals;
using specbound::attempt_limits;
using specbound::http_request;
using specbound::transport_errc;
using specbound::transport_result;
using specbound::http::beast_transport;
using specbound::http::transport_options;
using specbound::test::reply;
using specbound::test::request_info;
using specbound::test::test_server;

namespace {

transport_options no_env_proxy()
{
    transport_options o;
    o.proxy.from_environment = false; // the test machine's environment must not route us elsewhere
    return o;
}

http_request get(const specbound::origin& o, std::string target = "/")
{
    http_request req{bhttp::verb::get, target, 11};
    req.set(bhttp::field::host, "127.0.0.1:" + std::to_string(o.port));
    return req;
}

asio::awaitable<transport_result> send_one(beast_transport& t, specbound::origin o, http_request req,
                                           attempt_limits limits = {})
{
    co_return co_await t.send(o, req, limits);
}

asio::awaitable<void> sleep_for(std::chrono::milliseconds d)
{
    asio::steady_timer timer(co_await asio::this_coro::executor, d);
    co_await timer.async_wait(asio::use_awaitable);
}

reply echo_target(const http_request& req, const request_info&) { return reply::text(std::string(req.target())); }

} // namespace

TEST_CASE("keep-alive: sequential requests reuse one connection", "[transport]")
{
    test_server server(echo_target);
    asio::io_context ioc;
    beast_transport t(ioc.get_executor(), no_env_proxy());
    auto result = specbound::test::run_for(ioc, [&]() -> asio::awaitable<int> {
        int ok = 0;
        for (int i = 0; i < 10; ++i) {
            auto req = get(server.origin(), "/item/" + std::to_string(i));
            auto r = co_await t.send(server.origin(), req, {});
            if (!r.ec && r.response.result() == bhttp::status::ok && r.response.body() == "/item/" + std::to_string(i))
                ++ok;
        }
        co_return ok;
    }());
    CHECK(result == 10);
    CHECK(t.connections_opened() == 1);
    CHECK(server.connections_accepted() == 1);
    CHECK(server.requests_received() == 10);
}

TEST_CASE("Connection: close and HTTP/1.0 answers are not reused", "[transport]")
{
    SECTION("Connection: close")
    {
        test_server server([](const http_request&, const request_info&) { return reply::text_then_close("bye"); });
        asio::io_context ioc;
        beast_transport t(ioc.get_executor(), no_env_proxy());
        for (int i = 0; i < 3; ++i) {
            auto r = specbound::test::run_for(ioc, send_one(t, server.origin(), get(server.origin())));
            REQUIRE_FALSE(r.ec);
            CHECK(r.response.body() == "bye");
        }
        CHECK(t.connections_opened() == 3);
    }
    SECTION("HTTP/1.0 without keep-alive, body delimited by end of connection")
    {
        test_server server([](const http_request&, const request_info&) {
            return reply::raw("HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\n\r\nold school");
        });
        asio::io_context ioc;
        beast_transport t(ioc.get_executor(), no_env_proxy());
        for (int i = 0; i < 2; ++i) {
            auto r = specbound::test::run_for(ioc, send_one(t, server.origin(), get(server.origin())));
            REQUIRE_FALSE(r.ec);
            CHECK(r.response.version() == 10);
            CHECK(r.response.body() == "old school");
        }
        CHECK(t.connections_opened() == 2);
    }
}

TEST_CASE("the per-origin cap holds under 64 concurrent requests on one thread", "[transport]")
{
    test_server server([](const http_request& req, const request_info&) {
        reply r = reply::text(std::string(req.target()));
        r.delay = 5ms;
        return r;
    });
    asio::io_context ioc;
    auto options = no_env_proxy();
    options.max_connections_per_origin = 4;
    beast_transport t(ioc.get_executor(), options);

    int succeeded = 0, finished = 0;
    for (int i = 0; i < 64; ++i) {
        asio::co_spawn(ioc, send_one(t, server.origin(), get(server.origin(), "/r/" + std::to_string(i))),
                       [&, i](std::exception_ptr e, transport_result r) {
                           ++finished;
                           if (!e && !r.ec && r.response.body() == "/r/" + std::to_string(i))
                               ++succeeded;
                       });
    }
    const auto deadline = std::chrono::steady_clock::now() + 30s;
    while (finished < 64 && std::chrono::steady_clock::now() < deadline)
        ioc.run_one_for(100ms);
    REQUIRE(finished == 64);
    CHECK(succeeded == 64);
    CHECK(t.connections_opened() == 4);
    CHECK(server.max_concurrent_connections() <= 4);
    CHECK(server.requests_received() == 64);
}

TEST_CASE("waiting for a pooled connection is bounded by the attempt timeout", "[transport]")
{
    test_server server([](const http_request& req, const request_info&) {
        return req.target() == "/stall" ? reply::stall() : reply::text("ok");
    });
    asio::io_context ioc;
    auto options = no_env_proxy();
    options.max_connections_per_origin = 1;
    beast_transport t(ioc.get_executor(), options);
    attempt_limits long_limits, short_limits;
    long_limits.attempt_timeout = 1s;
    short_limits.attempt_timeout = 200ms;

    transport_result first, second;
    int finished = 0, second_finished_first = 0;
    asio::co_spawn(ioc, send_one(t, server.origin(), get(server.origin(), "/stall"), long_limits),
                   [&](std::exception_ptr, transport_result r) { first = std::move(r); ++finished; });
    asio::co_spawn(ioc, send_one(t, server.origin(), get(server.origin(), "/fast"), short_limits),
                   [&](std::exception_ptr, transport_result r) {
                       second = std::move(r);
                       second_finished_first = finished == 0;
                       ++finished;
                   });
    const auto deadline = std::chrono::steady_clock::now() + 10s;
    while (finished < 2 && std::chrono::steady_clock::now() < deadline)
        ioc.run_one_for(100ms);
    REQUIRE(finished == 2);
    CHECK(second_finished_first);
    CHECK(first.ec == transport_errc::timeout);
    CHECK(second.ec == transport_errc::timeout);
    CHECK_FALSE(second.request_sent);
    CHECK(server.connections_accepted() == 1);

    // The timed-out connection was closed, its slot freed: the next call gets through.
    auto third = specbound::test::run_for(ioc, send_one(t, server.origin(), get(server.origin(), "/fast")));
    CHECK_FALSE(third.ec);
}

TEST_CASE("a kept-alive connection the server closed while idle is not used", "[transport]")
{
    specbound::test::server_options so;
    so.close_idle_after = 50ms;
    test_server server(echo_target, so);
    asio::io_context ioc;
    beast_transport t(ioc.get_executor(), no_env_proxy());
    auto r = specbound::test::run_for(ioc, [&]() -> asio::awaitable<transport_result> {
        auto first = co_await send_one(t, server.origin(), get(server.origin(), "/a"));
        if (first.ec)
            co_return first;
        co_await sleep_for(300ms);
        co_return co_await send_one(t, server.origin(), get(server.origin(), "/b"));
    }());
    REQUIRE_FALSE(r.ec);
    CHECK(r.response.body() == "/b");
    CHECK(t.connections_opened() == 2);
}

TEST_CASE("a reused connection dropped before the answer is reported as such, never replayed", "[transport]")
{
    // The second request on every connection finds it closed: the race between a server's idle
    // close and the client's reuse. The transport reports the facts; replaying is the engine's call.
    test_server server([](const http_request& req, const request_info& info) {
        return info.request_on_connection == 1 ? reply::close_without_answer() : reply::text(std::string(req.target()));
    });
    asio::io_context ioc;
    beast_transport t(ioc.get_executor(), no_env_proxy());
    auto first = specbound::test::run_for(ioc, send_one(t, server.origin(), get(server.origin(), "/one")));
    REQUIRE_FALSE(first.ec);
    CHECK_FALSE(first.connection_reused);
    auto second = specbound::test::run_for(ioc, send_one(t, server.origin(), get(server.origin(), "/two")));
    CHECK(second.ec == transport_errc::connection_closed);
    CHECK(second.connection_reused);
    CHECK(second.request_sent);
    CHECK_FALSE(second.response_started);
    CHECK(server.requests_received() == 2);
    CHECK(t.connections_opened() == 1);

    // Asked for a fresh connection, the transport opens one even with an idle one pooled.
    auto third = specbound::test::run_for(ioc, send_one(t, server.origin(), get(server.origin(), "/three")));
    REQUIRE_FALSE(third.ec); // a new connection (the dropped one was closed)
    attempt_limits fresh;
    fresh.fresh_connection = true;
    auto fourth = specbound::test::run_for(ioc, send_one(t, server.origin(), get(server.origin(), "/four"), fresh));
    REQUIRE_FALSE(fourth.ec);
    CHECK_FALSE(fourth.connection_reused);
    CHECK(fourth.response.body() == "/four");
    CHECK(t.connections_opened() == 3);
}

TEST_CASE("a fresh connection dropped before the answer is an error, not replayed", "[transport]")
{
    test_server server([](const http_request&, const request_info&) { return reply::close_without_answer(); });
    asio::io_context ioc;
    beast_transport t(ioc.get_executor(), no_env_proxy());
    auto r = specbound::test::run_for(ioc, send_one(t, server.origin(), get(server.origin())));
    CHECK(r.ec == transport_errc::connection_closed);
    CHECK(r.request_sent);
    CHECK(server.requests_received() == 1);
    CHECK(t.connections_opened() == 1);
}

TEST_CASE("a stalled server yields timeout", "[transport]")
{
    test_server server([](const http_request&, const request_info&) { return reply::stall(); });
    asio::io_context ioc;
    beast_transport t(ioc.get_executor(), no_env_proxy());
    attempt_limits limits;
    limits.attempt_timeout = 200ms;
    const auto start = std::chrono::steady_clock::now();
    auto r = specbound::test::run_for(ioc, send_one(t, server.origin(), get(server.origin()), limits));
    const auto elapsed = std::chrono::steady_clock::now() - start;
    CHECK(r.ec == transport_errc::timeout);
    CHECK(r.request_sent);
    CHECK(elapsed >= 150ms);
    CHECK(elapsed < 5s);
}

TEST_CASE("a server that stops reading a large request yields timeout", "[transport]")
{
    // The first write takes what the socket buffers; the rest waits for a reader that never comes,
    // until the attempt's deadline closes the connection.
    specbound::test::loopback_server silent([](asio::ip::tcp::socket socket, std::size_t) -> asio::awaitable<void> {
        asio::steady_timer never(socket.get_executor(), std::chrono::steady_clock::time_point::max());
        (void)co_await never.async_wait(asio::as_tuple(asio::use_awaitable));
    });
    asio::io_context ioc;
    beast_transport t(ioc.get_executor(), no_env_proxy());
    const specbound::origin o{"http", "127.0.0.1", silent.port()};
    http_request upload = get(o, "/upload");
    upload.method(bhttp::verb::post);
    upload.body() = std::string(32 * 1024 * 1024, 'x');
    attempt_limits limits;
    limits.attempt_timeout = 200ms;
    const auto start = std::chrono::steady_clock::now();
    auto r = specbound::test::run_for(ioc, send_one(t, o, upload, limits));
    const auto elapsed = std::chrono::steady_clock::now() - start;
    CHECK(r.ec == transport_errc::timeout);
    CHECK(r.request_sent);
    CHECK(elapsed >= 150ms);
    CHECK(elapsed < 5s);
}

TEST_CASE("a slow answer within the timeout succeeds", "[transport]")
{
    test_server server([](const http_request&, const request_info&) {
        reply r = reply::text("slow");
        r.delay = 100ms;
        return r;
    });
    asio::io_context ioc;
    beast_transport t(ioc.get_executor(), no_env_proxy());
    attempt_limits limits;
    limits.attempt_timeout = 5s;
    auto r = specbound::test::run_for(ioc, send_one(t, server.origin(), get(server.origin()), limits));
    REQUIRE_FALSE(r.ec);
    CHECK(r.response.body() == "slow");
}

TEST_CASE("back-to-back attempts arm the deadline timer once; an idle transport lets run() return", "[transport]")
{
    // Each arming is a timerfd_settime: a deadline that is not reached must not cost one per request.
    test_server server(echo_target);
    asio::io_context ioc;
    beast_transport t(ioc.get_executor(), no_env_proxy());
    int ok = 0;
    std::size_t after_first = 0; // the first attempt connects: its connect deadline arms the timer too
    asio::co_spawn(
        ioc,
        [&]() -> asio::awaitable<void> {
            for (int i = 0; i < 10; ++i) {
                auto req = get(server.origin(), "/item");
                auto r = co_await t.send(server.origin(), req, {}); // 30 s attempt timeout
                if (!r.ec && r.response.body() == "/item")
                    ++ok;
                if (i == 0)
                    after_first = t.deadline_timer_armings();
            }
        },
        asio::detached);
    const auto start = std::chrono::steady_clock::now();
    ioc.run(); // the timer's wait must not hold it until the first deadline
    CHECK(std::chrono::steady_clock::now() - start < 5s);
    CHECK(ok == 10);
    CHECK(after_first >= 1);
    CHECK(after_first <= 2);
    CHECK(t.deadline_timer_armings() == after_first); // none for the 9 attempts on the pooled connection
}

TEST_CASE("attempts on a strand, as a client runs them: one arming, and run() returns once idle", "[transport]")
{
    // The idle check is posted to the transport's executor and enters the strand from there
    // (deadline_set::idle_soon): it must still see back-to-back attempts and still disarm.
    test_server server(echo_target);
    asio::io_context ioc;
    auto strand = asio::make_strand(ioc);
    beast_transport t(ioc.get_executor(), no_env_proxy());
    int ok = 0;
    std::size_t after_first = 0;
    asio::co_spawn(
        strand,
        [&]() -> asio::awaitable<void> {
            for (int i = 0; i < 10; ++i) {
                auto req = get(server.origin(), "/item");
                auto r = co_await t.send(server.origin(), req, {}); // 30 s attempt timeout
                if (!r.ec && r.response.body() == "/item")
                    ++ok;
                if (i == 0)
                    after_first = t.deadline_timer_armings();
            }
        },
        asio::detached);
    const auto start = std::chrono::steady_clock::now();
    ioc.run();
    CHECK(std::chrono::steady_clock::now() - start < 5s);
    CHECK(ok == 10);
    CHECK(after_first >= 1);
    CHECK(after_first <= 2);
    CHECK(t.deadline_timer_armings() == after_first);
}

TEST_CASE("an earlier deadline fires on time while a later one is armed", "[transport]")
{
    test_server server([](const http_request&, const request_info&) { return reply::stall(); });
    asio::io_context ioc;
    beast_transport t(ioc.get_executor(), no_env_proxy());
    attempt_limits later;
    later.attempt_timeout = 1s;
    attempt_limits sooner;
    sooner.attempt_timeout = 200ms;
    const auto start = std::chrono::steady_clock::now();
    std::optional<transport_result> a, b;
    std::chrono::steady_clock::duration a_took{}, b_took{};
    asio::co_spawn(ioc, send_one(t, server.origin(), get(server.origin(), "/later"), later),
                   [&](std::exception_ptr, transport_result r) {
                       a = std::move(r);
                       a_took = std::chrono::steady_clock::now() - start;
                   });
    asio::co_spawn(ioc, send_one(t, server.origin(), get(server.origin(), "/sooner"), sooner),
                   [&](std::exception_ptr, transport_result r) {
                       b = std::move(r);
                       b_took = std::chrono::steady_clock::now() - start;
                   });
    ioc.run();
    REQUIRE(a);
    REQUIRE(b);
    CHECK(b->ec == transport_errc::timeout);
    CHECK(b_took >= 150ms);
    CHECK(b_took < 700ms);
    CHECK(a->ec == transport_errc::timeout);
    CHECK(a_took >= 900ms);
    CHECK(a_took < 5s);
}

TEST_CASE("a connection used moments ago is reused unprobed only for requests the engine sends again", "[transport]")
{
    // The server answers the first request of each connection as keep-alive, then closes it.
    test_server server([](const http_request&, const request_info& info) {
        return info.request_on_connection == 0 ? reply::raw("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok")
                                               : reply::text("second");
    });
    asio::io_context ioc;
    beast_transport t(ioc.get_executor(), no_env_proxy());
    attempt_limits replayable;
    replayable.replayed_if_lost = true;
    auto r = specbound::test::run_for(ioc, [&]() -> asio::awaitable<std::vector<transport_result>> {
        std::vector<transport_result> out;
        out.push_back(co_await send_one(t, server.origin(), get(server.origin(), "/a")));
        co_await sleep_for(20ms); // the close has arrived; less than stale_probe_after
        // Not replayable (the default): probed, found closed, sent on a new connection.
        out.push_back(co_await send_one(t, server.origin(), get(server.origin(), "/b")));
        co_await sleep_for(20ms);
        // Replayable: reused without the probe; lost, and reported so that the engine replays it.
        out.push_back(co_await send_one(t, server.origin(), get(server.origin(), "/c"), replayable));
        co_return out;
    }());
    REQUIRE(r.size() == 3);
    REQUIRE_FALSE(r[0].ec);
    REQUIRE_FALSE(r[1].ec);
    CHECK_FALSE(r[1].connection_reused);
    CHECK(r[1].response.body() == "ok");
    CHECK(r[2].ec == transport_errc::connection_closed);
    CHECK(r[2].connection_reused);
    CHECK_FALSE(r[2].response_started);
    CHECK(t.reused_without_probe() == 1);
    CHECK(t.connections_opened() == 2);

    SECTION("after stale_probe_after, or with it zero, every reuse is probed")
    {
        transport_options o = no_env_proxy();
        o.stale_probe_after = {};
        beast_transport probing(ioc.get_executor(), o);
        auto p = specbound::test::run_for(ioc, [&]() -> asio::awaitable<transport_result> {
            auto first = co_await send_one(probing, server.origin(), get(server.origin(), "/d"));
            if (first.ec)
                co_return first;
            co_await sleep_for(20ms);
            co_return co_await send_one(probing, server.origin(), get(server.origin(), "/e"), replayable);
        }());
        REQUIRE_FALSE(p.ec);
        CHECK_FALSE(p.connection_reused);
        CHECK(probing.reused_without_probe() == 0);
    }
}

TEST_CASE("broken responses map to their error codes", "[transport]")
{
    struct scenario {
        const char* name;
        std::string bytes;
        transport_errc expected;
    };
    const scenario scenarios[] = {
        {"truncated body", "HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nonly a part", transport_errc::truncated_response},
        {"truncated header", "HTTP/1.1 200 OK\r\nContent-Le", transport_errc::truncated_response},
        {"truncated chunked body", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n10\r\nabc",
         transport_errc::truncated_response},
        {"garbage", "this is not HTTP at all\r\n\r\n", transport_errc::malformed_response},
        {"bad status line", "HTTP/1.1 2x0 OK\r\nContent-Length: 0\r\n\r\n", transport_errc::malformed_response},
        {"bad chunk size", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nabc\r\n0\r\n\r\n",
         transport_errc::malformed_response},
    };
    for (const auto& s : scenarios) {
        DYNAMIC_SECTION(s.name)
        {
            test_server server([&](const http_request&, const request_info&) { return reply::raw(s.bytes); });
            asio::io_context ioc;
            beast_transport t(ioc.get_executor(), no_env_proxy());
            auto r = specbound::test::run_for(ioc, send_one(t, server.origin(), get(server.origin())));
            CHECK(r.ec == s.expected);
            CHECK(r.request_sent);
        }
    }
}

TEST_CASE("a body over the limit is refused", "[transport]")
{
    test_server server([](const http_request& req, const request_info&) {
        return reply::text(std::string(req.target() == "/big" ? 10000 : 10, 'x'));
    });
    asio::io_context ioc;
    beast_transport t(ioc.get_executor(), no_env_proxy());
    attempt_limits limits;
    limits.body_limit = 1000;
    auto big = specbound::test::run_for(ioc, send_one(t, server.origin(), get(server.origin(), "/big"), limits));
    CHECK(big.ec == transport_errc::body_too_large);
    auto small = specbound::test::run_for(ioc, send_one(t, server.origin(), get(server.origin(), "/small"), limits));
    REQUIRE_FALSE(small.ec);
    CHECK(small.response.body().size() == 10);
    CHECK(t.connections_opened() == 2); // the connection with the oversized body was dropped
}

TEST_CASE("a request larger than the socket's send buffer is written whole, in order", "[transport]")
{
    // A plain connection writes the request at once without waiting; what the socket cannot take
    // (far less than 16 MiB on loopback) follows asynchronously. Then a small one on the same
    // connection: the serializer's state must not leak from one request to the next.
    std::string body(16 * 1024 * 1024, '\0');
    for (std::size_t i = 0; i < body.size(); ++i)
        body[i] = static_cast<char>('a' + i % 26);
    test_server server([&](const http_request& req, const request_info&) {
        if (req.target() == "/small")
            return reply::text("small " + req.body());
        return reply::text(req.body() == body ? "same" : "differs, " + std::to_string(req.body().size()) + " bytes");
    });
    asio::io_context ioc;
    beast_transport t(ioc.get_executor(), no_env_proxy());
    http_request upload = get(server.origin(), "/upload");
    upload.method(bhttp::verb::post);
    upload.body() = body;
    auto r = specbound::test::run_for(ioc, send_one(t, server.origin(), upload));
    REQUIRE_FALSE(r.ec);
    CHECK(r.response.body() == "same");
    http_request small = get(server.origin(), "/small");
    small.method(bhttp::verb::post);
    small.body() = "tail";
    auto s = specbound::test::run_for(ioc, send_one(t, server.origin(), small));
    REQUIRE_FALSE(s.ec);
    CHECK(s.response.body() == "small tail");
    CHECK(t.connections_opened() == 1);
}

TEST_CASE("interim 100 Continue answers are skipped", "[transport]")
{
    test_server server([](const http_request&, const request_info&) {
        return reply::raw("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 201 Created\r\nContent-Length: 4\r\n\r\ndone");
    });
    asio::io_context ioc;
    beast_transport t(ioc.get_executor(), no_env_proxy());
    http_request req = get(server.origin());
    req.method(bhttp::verb::post);
    req.body() = "payload";
    auto r = specbound::test::run_for(ioc, send_one(t, server.origin(), req));
    REQUIRE_FALSE(r.ec);
    CHECK(r.response.result() == bhttp::status::created);
    CHECK(r.response.body() == "done");
    REQUIRE(server.requests().size() == 1);
    CHECK(server.requests()[0].body() == "payload"); // Content-Length was added for us
}

TEST_CASE("connection refused yields connect_failed", "[transport]")
{
    std::uint16_t port;
    {
        asio::io_context tmp;
        asio::ip::tcp::acceptor a(tmp, {asio::ip::make_address("127.0.0.1"), 0});
        port = a.local_endpoint().port();
    } // closed: nothing listens there now
    asio::io_context ioc;
    beast_transport t(ioc.get_executor(), no_env_proxy());
    specbound::origin o{"http", "127.0.0.1", port};
    auto r = specbound::test::run_for(ioc, send_one(t, o, get(o)));
    CHECK(r.ec == transport_errc::connect_failed);
    CHECK_FALSE(r.request_sent);
}

TEST_CASE("cancellation closes the connection and reports cancelled", "[transport]")
{
    test_server server([](const http_request& req, const request_info&) {
        return req.target() == "/stall" ? reply::stall() : reply::text("fine");
    });
    asio::io_context ioc;
    beast_transport t(ioc.get_executor(), no_env_proxy());
    asio::cancellation_signal signal;
    std::optional<transport_result> result;
    asio::co_spawn(ioc, send_one(t, server.origin(), get(server.origin(), "/stall")),
                   asio::bind_cancellation_slot(signal.slot(), [&](std::exception_ptr e, transport_result r) {
                       CHECK_FALSE(e);
                       result = std::move(r);
                   }));
    asio::steady_timer timer(ioc, 100ms);
    timer.async_wait([&](boost::system::error_code) { signal.emit(asio::cancellation_type::terminal); });
    const auto deadline = std::chrono::steady_clock::now() + 10s;
    while (!result && std::chrono::steady_clock::now() < deadline)
        ioc.run_one_for(100ms);
    REQUIRE(result);
    CHECK(result->ec == transport_errc::cancelled);
    CHECK(result->request_sent);

    // Never returned to the pool: the next request opens a new connection.
    auto next = specbound::test::run_for(ioc, send_one(t, server.origin(), get(server.origin(), "/ok")));
    REQUIRE_FALSE(next.ec);
    CHECK(next.response.body() == "fine");
    CHECK(t.connections_opened() == 2);
}

TEST_CASE("plain HTTP through a proxy uses the absolute form", "[transport][proxy]")
{
    test_server server(echo_target);
    specbound::test::test_proxy proxy("Basic dXNlcjpwYXNz");
    asio::io_context ioc;
    auto options = no_env_proxy();
    options.proxy.http_proxy = "http://user:pass@127.0.0.1:" + std::to_string(proxy.port());
    beast_transport t(ioc.get_executor(), options);
    http_request req = get(server.origin(), "/via/proxy?x=1");
    auto r = specbound::test::run_for(ioc, send_one(t, server.origin(), req));
    REQUIRE_FALSE(r.ec);
    CHECK(r.response.body() == "/via/proxy?x=1");
    auto seen = proxy.requests();
    REQUIRE(seen.size() == 1);
    CHECK(seen[0].method == "GET");
    CHECK(seen[0].target == "http://127.0.0.1:" + std::to_string(server.port()) + "/via/proxy?x=1");
    CHECK(seen[0].proxy_authorization == "Basic dXNlcjpwYXNz");
    // The caller's request is left as it was given.
    CHECK(req.target() == "/via/proxy?x=1");
    CHECK(req.count(bhttp::field::proxy_authorization) == 0);
}

TEST_CASE("NO_PROXY hosts bypass the proxy", "[transport][proxy]")
{
    test_server server(echo_target);
    specbound::test::test_proxy proxy;
    asio::io_context ioc;
    auto options = no_env_proxy();
    options.proxy.http_proxy = proxy.url();
    options.proxy.no_proxy = "localhost,127.0.0.1";
    beast_transport t(ioc.get_executor(), options);
    auto r = specbound::test::run_for(ioc, send_one(t, server.origin(), get(server.origin(), "/direct")));
    REQUIRE_FALSE(r.ec);
    CHECK(proxy.requests().empty());
    CHECK(server.requests_received() == 1);
}

TEST_CASE("a proxy URL that cannot be used is an error, not a silent bypass", "[transport][proxy]")
{
    test_server server(echo_target);
    asio::io_context ioc;
    auto options = no_env_proxy();
    options.proxy.http_proxy = "socks5://127.0.0.1:1080";
    beast_transport t(ioc.get_executor(), options);
    auto r = specbound::test::run_for(ioc, send_one(t, server.origin(), get(server.origin())));
    CHECK(r.ec == transport_errc::proxy_failed);
    CHECK(server.requests_received() == 0);
}

TEST_CASE("pooled connections idle longer than idle_timeout are not reused", "[transport]")
{
    test_server server(echo_target);
    asio::io_context ioc;
    auto options = no_env_proxy();
    options.idle_timeout = 50ms;
    beast_transport t(ioc.get_executor(), options);
    auto r = specbound::test::run_for(ioc, [&]() -> asio::awaitable<transport_result> {
        auto first = co_await send_one(t, server.origin(), get(server.origin(), "/a"));
        if (first.ec)
            co_return first;
        auto quick = co_await send_one(t, server.origin(), get(server.origin(), "/quick"));
        if (quick.ec)
            co_return quick;
        co_await sleep_for(200ms);
        co_return co_await send_one(t, server.origin(), get(server.origin(), "/b"));
    }());
    REQUIRE_FALSE(r.ec);
    CHECK(t.connections_opened() == 2);
    CHECK(server.connections_accepted() == 2);
}

TEST_CASE("close_idle drops pooled connections", "[transport]")
{
    test_server server(echo_target);
    asio::io_context ioc;
    beast_transport t(ioc.get_executor(), no_env_proxy());
    REQUIRE_FALSE(specbound::test::run_for(ioc, send_one(t, server.origin(), get(server.origin()))).ec);
    t.close_idle();
    REQUIRE_FALSE(specbound::test::run_for(ioc, send_one(t, server.origin(), get(server.origin()))).ec);
    CHECK(t.connections_opened() == 2);
}

TEST_CASE("connect_timeout bounds a TLS handshake the server never answers", "[transport]")
{
    asio::io_context ioc;
    // Listening but never accepting: the kernel completes the TCP handshake, nobody speaks TLS.
    asio::ip::tcp::acceptor silent(ioc, {asio::ip::make_address("127.0.0.1"), 0});
    specbound::origin o{"https", "127.0.0.1", silent.local_endpoint().port()};
    beast_transport t(ioc.get_executor(), no_env_proxy());
    attempt_limits limits;
    limits.connect_timeout = 200ms;
    limits.attempt_timeout = 10s;
    const auto start = std::chrono::steady_clock::now();
    auto r = specbound::test::run_for(ioc, send_one(t, o, get(o), limits));
    const auto elapsed = std::chrono::steady_clock::now() - start;
    CHECK(r.ec == transport_errc::timeout);
    CHECK_FALSE(r.request_sent);
    CHECK(elapsed < 5s);
}

TEST_CASE("HEAD responses end after the header despite Content-Length", "[transport]")
{
    // Written by hand: a Content-Length without a body, as a real server answers HEAD.
    test_server server([](const http_request& req, const request_info&) {
        if (req.method() == bhttp::verb::head)
            return reply::raw("HTTP/1.1 200 OK\r\nContent-Length: 1234\r\n\r\n");
        return reply::text("after head");
    });
    asio::io_context ioc;
    beast_transport t(ioc.get_executor(), no_env_proxy());
    http_request head = get(server.origin());
    head.method(bhttp::verb::head);
    auto r = specbound::test::run_for(ioc, send_one(t, server.origin(), head));
    REQUIRE_FALSE(r.ec);
    CHECK(r.response.body().empty());
    CHECK(r.response[bhttp::field::content_length] == "1234");
}

TEST_CASE("responses with a body are read in full, chunked or not", "[transport]")
{
    const std::string big(200 * 1024, 'z'); // larger than the pre-sized read buffer
    test_server server([&](const http_request& req, const request_info&) {
        if (req.target() == "/chunked")
            return reply::raw("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
                              "5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n");
        return reply::text(big);
    });
    asio::io_context ioc;
    beast_transport t(ioc.get_executor(), no_env_proxy());
    auto chunked = specbound::test::run_for(ioc, send_one(t, server.origin(), get(server.origin(), "/chunked")));
    REQUIRE_FALSE(chunked.ec);
    CHECK(chunked.response.body() == "hello world");
    auto large = specbound::test::run_for(ioc, send_one(t, server.origin(), get(server.origin(), "/big")));
    REQUIRE_FALSE(large.ec);
    CHECK(large.response.body() == big);
}
