// Bad input from every side, each fed to the client: a server that drops a reused connection after
// reading a POST, credentials and headers that would split a request, path values that leave the
// operation's path, header values past Beast's limits, far-future Retry-After dates, secrets echoed
// back by a server, and every failure kind through the try_ form, which must never throw.
#include "test_api.hpp"

#include "support/test_server.hpp"

#include <specbound/client.hpp>
#include <specbound/detail/request_builder.hpp>
#include <specbound/testing/mock_transport.hpp>

#include <boost/asio/io_context.hpp>

#include <catch2/catch.hpp>

#include <chrono>
#include <map>
#include <mutex>
#include <stdexcept>
#include <string>
#include <vector>

using namespace specbound;
using namespace std::chrono_literals;
namespace asio = boost::asio;
using specbound::test::reply;
using specbound::test::request_info;
using specbound::test::test_server;
using testing::mock_transport;

namespace {

client_options mock_options(const std::shared_ptr<mock_transport>& mock, std::vector<std::chrono::milliseconds>* sleeps = nullptr)
{
    client_options o;
    o.transport = mock;
    o.retry.sleep = [sleeps](std::chrono::milliseconds d) -> asio::awaitable<void> {
        if (sleeps)
            sleeps->push_back(d);
        co_return;
    };
    return o;
}

} // namespace

TEST_CASE("a POST on a reused connection the server drops after reading it runs once", "[hostile][replay]")
{
    // Every second request on a connection is read, then the connection closes without an answer:
    // the keep-alive race, from the side where the server did process the request.
    std::mutex m;
    std::map<std::string, int> posts_seen;
    test_server server([&](const http_request& req, const request_info& info) {
        if (req.method() == boost::beast::http::verb::post) {
            std::lock_guard lock(m);
            ++posts_seen[req.body()];
        }
        if (info.request_on_connection % 2 == 1)
            return reply::close_without_answer();
        if (req.method() == boost::beast::http::verb::post)
            return reply::json(R"({"id":1,"name":"A"})", boost::beast::http::status::created);
        return reply::json(R"({"id":7,"name":"Rex"})");
    });
    asio::io_context ioc;
    client_options o;
    o.base_url = "http://127.0.0.1:" + std::to_string(server.port());
    o.http_transport.proxy.from_environment = false;
    o.retry.sleep = [](std::chrono::milliseconds) -> asio::awaitable<void> { co_return; };
    o.credentials.emplace_back(bearer_token{"t"}); // satisfies create_pet's oauth2 scheme without a token endpoint
    client c{ioc.get_executor(), testapi::api, o};

    int post_failures = 0, post_successes = 0;
    for (int i = 0; i < 50; ++i) {
        // A GET leaves the connection pooled; the POST reuses it and is dropped after being read.
        REQUIRE(c.try_call<testapi::ops::show_pet>({"7"}).has_value());
        testapi::create_pet_request post;
        post.body = testapi::new_pet{"pet-" + std::to_string(i), std::nullopt};
        auto r = c.try_call<testapi::ops::create_pet>(post);
        if (r.has_value()) {
            ++post_successes;
        } else {
            ++post_failures;
            REQUIRE(r.error_as<transport_error>());
            CHECK(r.code() == transport_errc::connection_closed);
            CHECK(r.error_as<transport_error>()->request_sent());
        }
    }
    CHECK(post_failures == 50); // the client cannot know the outcome, and says so
    CHECK(post_successes == 0);
    std::lock_guard lock(m);
    CHECK(posts_seen.size() == 50);
    for (const auto& [body, n] : posts_seen) {
        CAPTURE(body);
        CHECK(n == 1);
    }
}

TEST_CASE("a GET that a reused connection lost is sent again on a new connection", "[hostile][replay]")
{
    test_server server([](const http_request&, const request_info& info) {
        return info.request_on_connection == 1 ? reply::close_without_answer() : reply::json(R"({"id":7,"name":"Rex"})");
    });
    asio::io_context ioc;
    client_options o;
    o.base_url = "http://127.0.0.1:" + std::to_string(server.port());
    o.http_transport.proxy.from_environment = false;
    o.retry.max_retries = 0; // the replay is not a retry: it happens with retries off too
    client c{ioc.get_executor(), testapi::api, o};
    REQUIRE(c.try_call<testapi::ops::show_pet>({"7"}).has_value());
    auto second = c.try_call<testapi::ops::show_pet>({"7"});
    REQUIRE(second.has_value());
    CHECK(server.requests_received() == 3);
    CHECK(server.connections_accepted() == 2);
}

TEST_CASE("credentials, default headers and User-Agent that would split a request are refused", "[hostile][auth]")
{
    asio::io_context ioc;
    auto mock = std::make_shared<mock_transport>();
    auto refused = [&](auto configure) {
        client_options o = mock_options(mock);
        configure(o);
        try {
            client c{ioc.get_executor(), testapi::api, o};
        } catch (const invalid_argument_error& e) {
            // The message names the problem, never the secret.
            return std::string(e.what()).find("s3cret") == std::string::npos;
        }
        return false;
    };
    CHECK(refused([](client_options& o) { o.credentials.emplace_back(bearer_token{"s3cret\r\nX-Evil: 1"}); }));
    CHECK(refused([](client_options& o) { o.credentials.emplace_back(bearer_token{"s3cret\n"}); })); // from a file
    CHECK(refused([](client_options& o) { o.credentials.emplace_back(api_key{"s3cret\r\n\r\nGET /admin HTTP/1.1"}); }));
    CHECK(refused([](client_options& o) { o.credentials.emplace_back(api_key{std::string("s3cret\0", 7)}); }));
    CHECK(refused([](client_options& o) { o.credentials.emplace_back(basic_auth{"user", "s3cret\r\n"}); }));
    CHECK(refused([](client_options& o) { o.credentials.emplace_back(basic_auth{"us:er", "s3cret"}); }));
    CHECK(refused([](client_options& o) { o.default_headers = {{"X-Tenant", "a\r\nX-Evil: s3cret"}}; }));
    CHECK(refused([](client_options& o) { o.default_headers = {{"X-Bad Name", "v"}}; }));
    CHECK(refused([](client_options& o) { o.default_headers = {{"X-Big", std::string(70000, 'a')}}; }));
    CHECK(refused([](client_options& o) { o.user_agent = "agent\r\nX-Evil: 1"; }));
    CHECK(refused([](client_options& o) { o.credentials.emplace_back(api_key{std::string(70000, 'k')}); }));
    CHECK(mock->request_count() == 0);
}

TEST_CASE("an OAuth2 token that would split the request is an auth_error; nothing reaches the API", "[hostile][auth]")
{
    asio::io_context ioc;
    auto mock = std::make_shared<mock_transport>();
    mock->expect(http_method::post, "/oauth/token")
        .respond_json(200, R"({"access_token":"abc\r\nX-Injected: 1","token_type":"Bearer"})");
    client_options o = mock_options(mock);
    o.credentials.emplace_back(oauth2_client_credentials{"id", "secret"});
    client c{ioc.get_executor(), testapi::api, o};
    testapi::create_pet_request post;
    post.body = testapi::new_pet{"Rex", std::nullopt};
    auto r = c.try_call<testapi::ops::create_pet>(post);
    REQUIRE(r.error_as<auth_error>());
    CHECK(mock->request_count() == 1); // the token request only

    // A token loaded from storage with its trailing newline is not used either: a new one is fetched.
    auto mock2 = std::make_shared<mock_transport>();
    mock2->expect(http_method::post, "/oauth/token").respond_json(200, R"({"access_token":"fresh"})");
    mock2->expect(http_method::post, "/v1/pets").when([](const http_request& req) {
        return req[boost::beast::http::field::authorization] == "Bearer fresh";
    }).respond_json(201, R"({"id":1,"name":"Rex"})");
    client_options o2 = mock_options(mock2);
    oauth2_client_credentials cred{"id", "secret"};
    cred.load_token = [] { return std::optional<oauth2_token>(oauth2_token{"stored\n"}); };
    o2.credentials.emplace_back(cred);
    client c2{ioc.get_executor(), testapi::api, o2};
    CHECK(c2.try_call<testapi::ops::create_pet>(post).has_value());
    CHECK(mock2->all_consumed());
}

TEST_CASE("path values that make '.' or '..' segments are refused before anything is sent", "[hostile][path]")
{
    asio::io_context ioc;
    auto mock = std::make_shared<mock_transport>();
    mock->expect_any().times(3).respond_json(200, R"({"id":1,"name":"x"})");
    client c{ioc.get_executor(), testapi::api, mock_options(mock)};
    for (const char* bad : {"..", ".", "%2e%2E"}) {
        CAPTURE(bad);
        // "%2e%2E" is sent percent-encoded ("%252e%252E"): not a dot segment, but a value of its own.
        auto r = c.try_call<testapi::ops::show_pet>({bad});
        if (std::string_view(bad) == "%2e%2E") {
            CHECK(r.has_value());
            continue;
        }
        REQUIRE(r.error_as<invalid_argument_error>());
        CHECK(std::string(r.error()->what()).find("{petId}") != std::string::npos);
    }
    CHECK(c.try_call<testapi::ops::show_pet>({"..."}).has_value()); // three dots are a name
    CHECK(c.try_call<testapi::ops::show_pet>({".a"}).has_value());
    CHECK(mock->request_count() == 3);

    // Label style puts a '.' before the value: "." becomes the segment "..".
    using specbound::detail::dot_segment_placeholder;
    using specbound::detail::serialize_path_param;
    specbound::detail::build_status st;
    const std::string label =
        serialize_path_param("id", param_style::label, false, specbound::detail::to_param_value(std::string("."), "id", st));
    CHECK(st.ok());
    CHECK(label == "..");
    CHECK(dot_segment_placeholder("/files/{id}/x", "/files/" + label + "/x") == "{id}");
    CHECK(dot_segment_placeholder("/files/{id}.json", "/files/..json").empty());
    CHECK(dot_segment_placeholder("/a/{x}{y}", "/a/%2e.").size() == 6);
}

TEST_CASE("header values past Beast's limit are invalid arguments, through try_ and co_await alike", "[hostile][limits]")
{
    asio::io_context ioc;
    auto mock = std::make_shared<mock_transport>();
    client c{ioc.get_executor(), testapi::api, mock_options(mock)};
    testapi::list_pets_request big;
    big.x_trace = std::string(70000, 't');
    result<std::vector<testapi::pet>> r;
    CHECK_NOTHROW(r = c.try_call<testapi::ops::list_pets>(big));
    REQUIRE(r.error_as<invalid_argument_error>());
    CHECK(mock->request_count() == 0);
    CHECK_THROWS_AS(c.call<testapi::ops::list_pets>(big), invalid_argument_error);

    testapi::paint_request cookie;
    cookie.color = {"red"};
    cookie.session = std::string(70000, 'c');
    CHECK(c.try_call<testapi::ops::paint>(cookie).error_as<invalid_argument_error>());
    CHECK(mock->request_count() == 0);
}

TEST_CASE("a Retry-After date after 2262 is a long wait, never 'now'", "[hostile][retry]")
{
    asio::io_context ioc;
    auto mock = std::make_shared<mock_transport>();
    mock->expect(http_method::get, "/v1/pets/1").respond(503, "", {{"Retry-After", "Fri, 31 Dec 9999 23:59:59 GMT"}});
    std::vector<std::chrono::milliseconds> sleeps;
    client c{ioc.get_executor(), testapi::api, mock_options(mock, &sleeps)};
    auto r = c.try_call<testapi::ops::show_pet>({"1"});
    CHECK(r.error_as<service_unavailable_error>()); // beyond max_retry_after: surfaced at once
    CHECK(sleeps.empty());
    CHECK(mock->request_count() == 1);

    boost::beast::http::fields f;
    f.set(boost::beast::http::field::retry_after, "Fri, 31 Dec 9999 23:59:59 GMT");
    auto wait = specbound::detail::parse_retry_after(f, std::chrono::system_clock::now());
    REQUIRE(wait);
    CHECK(*wait > std::chrono::hours(24 * 365 * 50));
}

TEST_CASE("a secret the server echoes in another header is scrubbed from the log", "[hostile][logging]")
{
    asio::io_context ioc;
    auto mock = std::make_shared<mock_transport>();
    mock->expect(http_method::get, "/v1/pets").respond_json(200, "[]", {{"X-Echo", "you sent Bearer tok-SECRET-1"},
                                                                        {"X-Key", "k=key%2FSECRET"}});
    client_options o = mock_options(mock);
    o.credentials.emplace_back(bearer_token{"tok-SECRET-1"});
    o.credentials.emplace_back(api_key{"key/SECRET"});
    std::string log;
    o.logging.sink = [&](log_level, std::string_view line) {
        log += line;
        log += '\n';
    };
    o.logging.level = log_level::trace;
    o.logging.headers = true;
    client c{ioc.get_executor(), testapi::api, o};
    REQUIRE(c.try_call<testapi::ops::list_pets>({}).has_value());
    CHECK(log.find("X-Echo: you sent Bearer [redacted]") != std::string::npos);
    CHECK(log.find("X-Key: k=[redacted]") != std::string::npos);
    CHECK(log.find("SECRET") == std::string::npos);
}

TEST_CASE("try_ never throws: every failure kind comes back as a value", "[hostile][errors]")
{
    asio::io_context ioc;
    auto mock = std::make_shared<mock_transport>();
    for (transport_errc e : {transport_errc::resolve_failed, transport_errc::connect_failed,
                             transport_errc::tls_handshake_failed, transport_errc::connection_closed,
                             transport_errc::proxy_failed, transport_errc::timeout, transport_errc::body_too_large,
                             transport_errc::truncated_response, transport_errc::malformed_response}) {
        // Three attempts each (a GET is retried), but a body over the limit is not worth retrying.
        mock->expect(http_method::get, "/v1/pets/1").times(e == transport_errc::body_too_large ? 1 : 3).fail(e, true);
    }
    client_options o = mock_options(mock);
    client c{ioc.get_executor(), testapi::api, o};
    for (int i = 0; i < 9; ++i) {
        result<testapi::pet> r;
        REQUIRE_NOTHROW(r = c.try_call<testapi::ops::show_pet>({"1"}));
        REQUIRE(r.error_as<transport_error>());
    }
    mock->expect(http_method::get, "/v1/pets/2").respond_json(404, R"({"code":1,"message":"m"})");
    mock->expect(http_method::get, "/v1/pets/3").respond_json(200, R"({"id":"x"})");
    mock->expect(http_method::get, "/v1/pets/4").respond(302, "", {{"Location", "ftp://elsewhere/"}});
    mock->expect(http_method::get, "/v1/pets/5").respond(418, "<html>", {{"Content-Type", "text/html"}});
    result<testapi::pet> r;
    REQUIRE_NOTHROW(r = c.try_call<testapi::ops::show_pet>({"2"}));
    CHECK(r.error_as<not_found_error>());
    REQUIRE_NOTHROW(r = c.try_call<testapi::ops::show_pet>({"3"}));
    CHECK(r.error_as<decode_error>());
    REQUIRE_NOTHROW(r = c.try_call<testapi::ops::show_pet>({"4"}));
    CHECK(r.error_as<redirect_error>());
    REQUIRE_NOTHROW(r = c.try_call<testapi::ops::show_pet>({"5"}));
    CHECK(r.error_as<client_error>());
    REQUIRE_NOTHROW(r = c.try_call<testapi::ops::show_pet>({""}));
    CHECK(r.error_as<invalid_argument_error>());

    // User code that throws: reported as unexpected_exception_error by try_, passed on as it is by
    // the throwing form; either way the event loop keeps running the other calls.
    client_options th = mock_options(mock);
    th.middlewares.push_back([](const attempt_info&, http_request&, next_layer) -> asio::awaitable<transport_result> {
        throw std::runtime_error("middleware bug");
        co_return transport_result{};
    });
    client thrower{ioc.get_executor(), testapi::api, th};
    REQUIRE_NOTHROW(r = thrower.try_call<testapi::ops::show_pet>({"6"}));
    REQUIRE(r.error_as<unexpected_exception_error>());
    CHECK(r.code() == client_errc::unexpected_exception);
    CHECK(std::string(r.error()->what()).find("middleware bug") != std::string::npos);
    CHECK_THROWS_AS(thrower.call<testapi::ops::show_pet>({"6"}), std::runtime_error);
    CHECK(mock->all_consumed());
}

TEST_CASE("a redirect to another host: that host sees no credential", "[hostile][redirect]")
{
    asio::io_context ioc;
    auto mock = std::make_shared<mock_transport>();
    mock->expect(http_method::get, "/v1/pets").respond(307, "", {{"Location", "https://mirror.example.org/pets"}});
    mock->expect(http_method::get, "/pets").respond_json(200, "[]");
    client_options o = mock_options(mock);
    o.credentials.emplace_back(api_key{"key-1"});
    client c{ioc.get_executor(), testapi::api, o};
    REQUIRE(c.try_call<testapi::ops::list_pets>({}).has_value());
    auto reqs = mock->requests();
    REQUIRE(reqs.size() == 2);
    CHECK(reqs[0].request["X-API-Key"] == "key-1");
    CHECK(reqs[1].to == origin{"https", "mirror.example.org", 443});
    CHECK(reqs[1].request["host"] == "mirror.example.org");
    CHECK(reqs[1].request.find("X-API-Key") == reqs[1].request.end());
    CHECK(reqs[1].request.find(boost::beast::http::field::authorization) == reqs[1].request.end());
}
