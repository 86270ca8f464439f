// Server-sent events: the text/event-stream parser on every way a stream can be cut, and
// event_stream through the generated client (spec/streaming.yaml) against a loopback server:
// typed data, reconnection with Last-Event-ID, deadlines, hostile streams.
#include <streaming/streaming.hpp>

#include <specbound/detail/sse_parser.hpp>
#include <specbound/testing/mock_transport.hpp>

#include "support/test_server.hpp"

#include <boost/asio/io_context.hpp>

#include <catch2/catch.hpp>

#include <atomic>
#include <chrono>
#include <string>
#include <vector>

namespace {

using specbound::detail::sse_fields;
using specbound::detail::sse_parser;
using specbound::test::reply;
using specbound::test::request_info;
using specbound::test::test_server;

std::vector<sse_fields> parse_in_pieces(std::string_view text, std::size_t piece)
{
    sse_parser p(1024);
    std::vector<sse_fields> out;
    for (std::size_t at = 0; at < text.size(); at += piece)
        REQUIRE(p.feed(text.substr(at, piece), [&](sse_fields&& f) { out.push_back(std::move(f)); }));
    return out;
}

std::string event_stream_response(const std::string& events, bool keep_open = false)
{
    return std::string("HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-cache\r\n") +
           (keep_open ? "Transfer-Encoding: chunked\r\n\r\n" + [&] {
               char size[16];
               std::snprintf(size, sizeof size, "%zx", events.size());
               return std::string(size) + "\r\n" + events + "\r\n";
           }()
                      : "Connection: close\r\n\r\n" + events);
}

specbound::client_options loopback(const test_server& server)
{
    specbound::client_options o;
    o.base_url = "http://127.0.0.1:" + std::to_string(server.port()) + "/v2";
    o.retry.max_retries = 0;
    return o;
}

streaming::watch_build_request build(std::int64_t id)
{
    streaming::watch_build_request r;
    r.id = id;
    return r;
}

} // namespace

TEST_CASE("sse parser: fields, line endings and events cut anywhere", "[events]")
{
    const std::string text = "\xEF\xBB\xBF: a comment, then an event\r\n"
                             "event: step\r\n"
                             "data: {\"a\":1}\r\n"
                             "id: 7\r\n"
                             "retry: 250\r\n"
                             "\r\n"
                             "data:first line\n"
                             "data: second line\n"
                             "\n"
                             "id: 8\r"
                             "\r"
                             "data\n"
                             "ignored-field: x\n"
                             "\n";
    for (std::size_t piece : {std::size_t{1}, std::size_t{2}, std::size_t{3}, std::size_t{7}, text.size()}) {
        CAPTURE(piece);
        const auto events = parse_in_pieces(text, piece);
        REQUIRE(events.size() == 3);
        CHECK(events[0].type == "step");
        CHECK(events[0].data == "{\"a\":1}");
        CHECK(events[0].id == "7");
        CHECK(events[0].retry == std::chrono::milliseconds(250));
        CHECK(events[1].type == "message");
        CHECK(events[1].data == "first line\nsecond line");
        CHECK(events[1].id == "7"); // the last event ID persists
        CHECK_FALSE(events[1].retry);
        // `id: 8` alone dispatches nothing (no data); the next event carries it, with empty data.
        CHECK(events[2].id == "8");
        CHECK(events[2].data.empty());
    }
}

TEST_CASE("sse parser: limits and what is not an event", "[events]")
{
    sse_parser p(16);
    std::vector<sse_fields> got;
    auto keep = [&](sse_fields&& f) { got.push_back(std::move(f)); };
    using namespace std::string_view_literals;
    CHECK(p.feed("retry: soon\nid: a\0b\nevent: x\n\n"sv, keep)); // no data: nothing dispatched
    CHECK(got.empty());
    CHECK(p.last_event_id().empty()); // an ID with NUL is ignored
    CHECK(p.feed("data: 12345678\n", keep));
    CHECK_FALSE(p.feed("data: 12345678\n", keep)); // the event's data passes 16 bytes
    CHECK_THAT(p.why(), Catch::Contains("larger than 16 bytes"));

    sse_parser endless(16);
    CHECK_FALSE(endless.feed(std::string(17, 'x'), keep)); // a line that never ends
    CHECK_THAT(endless.why(), Catch::Contains("longer than 16 bytes"));

    sse_parser cut(64);
    CHECK(cut.feed("data: never finished", keep));
    cut.restart(); // a new connection drops the partial event
    CHECK(cut.feed("data: whole\n\n", keep));
    REQUIRE(got.size() == 1);
    CHECK(got[0].data == "whole");
}

TEST_CASE("event_stream: typed events, a bad one reported alone, then the end", "[events]")
{
    test_server server([](const specbound::http_request& req, const request_info&) {
        CHECK(req.target() == "/v2/builds/42/progress");
        return reply::raw(event_stream_response("data: {\"step\":1,\"status\":\"running\"}\n\n"
                                                ": keep-alive\n\n"
                                                "event: oops\ndata: {\"step\":\"two\"}\n\n"
                                                "id: s3\ndata: {\"step\":3,\"status\":\"passed\",\"message\":\"ok\"}\n\n"));
    });
    boost::asio::io_context ioc;
    streaming::client api{ioc.get_executor(), loopback(server)};
    auto events = api.watch_build_events(build(42));
    auto first = events.next(specbound::blocking);
    REQUIRE(first);
    CHECK(first->type == "message");
    CHECK(first->data.step == 1);
    CHECK(first->data.status == streaming::build_step_status::running);
    auto bad = events.try_next(specbound::blocking);
    REQUIRE_FALSE(bad);
    REQUIRE(bad.error_as<specbound::decode_error>());
    CHECK_THAT(std::string(bad.error()->what()), Catch::Contains("an event's data does not match"));
    CHECK(bad.error_as<specbound::decode_error>()->pointer() == "/step");
    CHECK(bad.error_as<specbound::decode_error>()->body_excerpt() == R"({"step":"two"})");
    auto third = events.next(specbound::blocking);
    REQUIRE(third);
    CHECK(third->id == "s3");
    CHECK(third->data.message == std::string("ok"));
    CHECK_FALSE(events.next(specbound::blocking)); // the server ended the stream
    CHECK_FALSE(events.next(specbound::blocking)); // and it stays ended
    CHECK(server.requests_received() == 1);        // no reconnection unless asked for
}

TEST_CASE("event_stream: reconnects with Last-Event-ID after the server's retry time", "[events]")
{
    std::atomic<int> connections{0};
    std::vector<std::string> last_ids;
    test_server server([&](const specbound::http_request& req, const request_info&) {
        const int n = connections++;
        last_ids.emplace_back(req["last-event-id"]);
        if (n == 0)
            return reply::raw(event_stream_response("retry: 20\nid: 1\ndata: a\n\nid: 2\ndata: b\n\n"));
        if (n == 1) // cut in the middle of an event: that event is dropped, the rest resumes
            return reply::raw(event_stream_response("id: 3\ndata: c\n\nid: 4\ndata: d-partial"));
        reply done; // 204: the server says there is no more
        done.response.result(boost::beast::http::status::no_content);
        return done;
    });
    boost::asio::io_context ioc;
    streaming::client api{ioc.get_executor(), loopback(server)};
    specbound::event_options reconnecting;
    reconnecting.reconnect = true;
    streaming::tail_log_request req;
    auto lines = api.tail_log_events(req, specbound::call_options{}, reconnecting);
    std::vector<std::string> seen;
    while (auto e = lines.next(specbound::blocking))
        seen.push_back(e->data);
    CHECK(seen == std::vector<std::string>{"a", "b", "c"});
    CHECK(connections == 3);
    REQUIRE(last_ids.size() == 3);
    CHECK(last_ids[0].empty());
    CHECK(last_ids[1] == "2");
    CHECK(last_ids[2] == "3");
    CHECK(lines.reconnects() == 2);
}

TEST_CASE("event_stream: an endless stream ends at the call's deadline, without reconnecting", "[events]")
{
    test_server server([](const specbound::http_request&, const request_info&) {
        return reply::raw_then_stall(event_stream_response("data: {\"step\":1,\"status\":\"running\"}\n\n", true));
    });
    boost::asio::io_context ioc;
    streaming::client api{ioc.get_executor(), loopback(server)};
    specbound::call_options within;
    within.timeout = std::chrono::milliseconds(300);
    specbound::event_options reconnecting;
    reconnecting.reconnect = true;
    auto events = api.watch_build_events(build(1), within, reconnecting);
    const auto start = std::chrono::steady_clock::now();
    CHECK(events.next(specbound::blocking));
    auto r = events.try_next(specbound::blocking);
    REQUIRE_FALSE(r);
    CHECK(r.error_as<specbound::timeout_error>());
    CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(10));
    CHECK(server.requests_received() == 1);
}

TEST_CASE("event_stream: hostile and failed streams are typed errors", "[events]")
{
    test_server server([](const specbound::http_request& req, const request_info&) {
        if (req.target().ends_with("/404/progress"))
            return reply::json(R"({"title":"no such build"})", boost::beast::http::status::not_found);
        return reply::raw_then_stall(event_stream_response("data: " + std::string(4096, 'x'), true));
    });
    boost::asio::io_context ioc;
    streaming::client api{ioc.get_executor(), loopback(server)};

    auto missing = api.watch_build_events(build(404));
    auto nf = missing.try_next(specbound::blocking);
    REQUIRE_FALSE(nf);
    CHECK(nf.error_as<specbound::not_found_error>());

    specbound::event_options small;
    small.max_event_bytes = 1024;
    auto flood = api.watch_build_events(build(7), specbound::call_options{}, small);
    auto e = flood.try_next(specbound::blocking);
    REQUIRE_FALSE(e);
    REQUIRE(e.error_as<specbound::sink_error>());
    CHECK_THAT(std::string(e.error()->what()), Catch::Contains("longer than 1024 bytes"));
}

TEST_CASE("event_stream: close() ends it; a transport that does not stream still delivers", "[events]")
{
    boost::asio::io_context ioc;
    auto mock = std::make_shared<specbound::testing::mock_transport>();
    mock->expect(specbound::http_method::get, "/v2/logs/tail")
        .respond(200, "data: one\n\ndata: two\n\n", {{"Content-Type", "text/event-stream"}});
    specbound::client_options o;
    o.transport = mock;
    streaming::client api{ioc.get_executor(), std::move(o)};
    auto lines = api.tail_log_events(streaming::tail_log_request{});
    auto one = lines.next(specbound::blocking);
    REQUIRE(one);
    CHECK(one->data == "one");
    lines.close();
    CHECK_FALSE(lines.next(specbound::blocking));
    STATIC_REQUIRE(std::is_same_v<decltype(one)::value_type, specbound::sse_event<std::string>>);
    STATIC_REQUIRE(std::is_same_v<streaming::ops::watch_build::event_data_type, streaming::build_step>);
}
