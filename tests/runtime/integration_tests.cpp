// The client over the Beast transport against the loopback test servers (127.0.0.1 only).
#include "test_api.hpp"

#include "support/test_pki.hpp"
#include "support/test_server.hpp"

#include <specbound/client.hpp>
#include <specbound/detail/content_coding.hpp>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>

#include <catch2/catch.hpp>

#include <atomic>

using namespace specbound;
using namespace std::chrono_literals;
namespace asio = boost::asio;
using specbound::test::reply;
using specbound::test::request_info;
using specbound::test::test_server;

namespace {

const specbound::test::test_pki& pki()
{
    static const specbound::test::test_pki instance;
    return instance;
}

reply pet_for(const http_request& req, const request_info&)
{
    std::string_view target = req.target();
    std::string id(target.substr(target.rfind('/') + 1));
    return reply::json(R"({"id":)" + id + R"(,"name":"p)" + id + R"("})");
}

client_options local_options(std::string base_url)
{
    client_options o;
    o.base_url = std::move(base_url);
    o.http_transport.proxy.from_environment = false;
    o.retry.sleep = [](std::chrono::milliseconds) -> asio::awaitable<void> { co_return; };
    return o;
}

} // namespace

TEST_CASE("plain HTTP through the default transport keeps the connection alive", "[integration]")
{
    test_server server(pet_for);
    asio::io_context ioc;
    client c{ioc.get_executor(), testapi::api,
             local_options("http://127.0.0.1:" + std::to_string(server.port()) + "/v1")};
    for (int i = 1; i <= 3; ++i) {
        testapi::pet p = c.call<testapi::ops::show_pet>({std::to_string(i)});
        CHECK(p.id == i);
        CHECK(p.name == "p" + std::to_string(i));
    }
    CHECK(server.connections_accepted() == 1);
    auto reqs = server.requests();
    REQUIRE(reqs.size() == 3);
    CHECK(reqs[0].target() == "/v1/pets/1");
    CHECK(reqs[0][boost::beast::http::field::user_agent] == "specbound/0.1.0 testapi/1.2.3");
    CHECK(reqs[0][boost::beast::http::field::host] == "127.0.0.1:" + std::to_string(server.port()));
}

TEST_CASE("TLS is verified by default", "[integration][tls]")
{
    auto ctx = specbound::test::make_server_tls(pki().server().cert, pki().server().key);
    specbound::test::server_options so;
    so.tls = ctx.get();
    test_server server(pet_for, so);
    const std::string base = "https://127.0.0.1:" + std::to_string(server.port()) + "/v1";

    asio::io_context ioc;
    client_options trusting = local_options(base);
    trusting.http_transport.tls.use_system_trust = false;
    trusting.http_transport.tls.ca_file = pki().ca_file();
    client ok{ioc.get_executor(), testapi::api, trusting};
    CHECK(ok.call<testapi::ops::show_pet>({"5"}).id == 5);

    // The test CA is not trusted by default: the handshake fails and is not retried into success.
    client_options defaults = local_options(base);
    defaults.retry.max_retries = 0;
    client strict{ioc.get_executor(), testapi::api, defaults};
    auto r = strict.try_call<testapi::ops::show_pet>({"5"});
    REQUIRE(r.error_as<transport_error>());
    CHECK(r.code() == transport_errc::tls_handshake_failed);
    CHECK(server.requests_received() == 1);
}

TEST_CASE("retries and typed errors over the wire", "[integration]")
{
    std::atomic<int> calls{0};
    test_server server([&](const http_request& req, const request_info& info) {
        if (req.target() == "/v1/pets/404")
            return reply::json(R"({"code":404,"message":"gone"})", boost::beast::http::status::not_found);
        if (calls++ == 0) {
            reply r = reply::json("{}", boost::beast::http::status::service_unavailable);
            r.response.set(boost::beast::http::field::retry_after, "0");
            return r;
        }
        return pet_for(req, info);
    });
    asio::io_context ioc;
    client c{ioc.get_executor(), testapi::api, local_options("http://127.0.0.1:" + std::to_string(server.port()) + "/v1")};
    CHECK(c.call<testapi::ops::show_pet>({"8"}).id == 8);
    CHECK(calls == 2);
    try {
        (void)c.call<testapi::ops::show_pet>({"404"});
        FAIL("expected not_found_error");
    } catch (const not_found_error& e) {
        REQUIRE(e.body_as<testapi::api_problem>());
        CHECK(e.body_as<testapi::api_problem>()->message == "gone");
    }
    CHECK(server.connections_accepted() == 1);
}

TEST_CASE("connection refused and attempt timeouts", "[integration][timeout]")
{
    std::uint16_t closed_port = 0;
    {
        asio::io_context tmp;
        asio::ip::tcp::acceptor a(tmp, asio::ip::tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0));
        closed_port = a.local_endpoint().port();
    }
    asio::io_context ioc;
    client_options o = local_options("http://127.0.0.1:" + std::to_string(closed_port));
    o.retry.max_retries = 1;
    client refused{ioc.get_executor(), testapi::api, o};
    auto r = refused.try_call<testapi::ops::show_pet>({"1"});
    REQUIRE(r.error_as<transport_error>());
    CHECK(r.code() == transport_errc::connect_failed);
    CHECK_FALSE(r.error_as<transport_error>()->request_sent());

    test_server server([](const http_request&, const request_info&) { return reply::stall(); });
    client_options so = local_options("http://127.0.0.1:" + std::to_string(server.port()));
    so.timeouts.attempt = 150ms;
    so.retry.max_retries = 0;
    client stalled{ioc.get_executor(), testapi::api, so};
    auto start = std::chrono::steady_clock::now();
    auto t = stalled.try_call<testapi::ops::show_pet>({"1"});
    CHECK(t.error_as<timeout_error>());
    CHECK(std::chrono::steady_clock::now() - start < 5s);
}

TEST_CASE("gzip responses over the wire: decoded, typed errors too, and a bomb stops at the limit",
          "[integration][compression]")
{
    const std::string bomb = specbound::detail::gzip_body(std::string(32 * 1024 * 1024, ' '));
    test_server server([&](const http_request& req, const request_info& info) {
        reply r = req.target() == "/v1/pets/404"
                      ? reply::json(R"({"code":404,"message":"gone"})", boost::beast::http::status::not_found)
                      : pet_for(req, info);
        if (req[boost::beast::http::field::accept_encoding] != "gzip, deflate")
            return reply::json(R"({"code":400,"message":"no Accept-Encoding"})", boost::beast::http::status::bad_request);
        r.response.body() = req.target() == "/v1/pets/9" ? bomb : specbound::detail::gzip_body(r.response.body());
        r.response.set(boost::beast::http::field::content_encoding, "gzip");
        r.response.prepare_payload();
        return r;
    });
    asio::io_context ioc;
    auto o = local_options("http://127.0.0.1:" + std::to_string(server.port()) + "/v1");
    o.body_limit = 4 * 1024 * 1024;
    client c{ioc.get_executor(), testapi::api, o};
    CHECK(c.call<testapi::ops::show_pet>({"8"}).name == "p8");
    auto missing = c.try_call<testapi::ops::show_pet>({"404"});
    REQUIRE(missing.error_as<not_found_error>());
    REQUIRE(missing.error_as<not_found_error>()->body_as<testapi::api_problem>());
    CHECK(missing.error_as<not_found_error>()->body_as<testapi::api_problem>()->message == "gone");
    auto bombed = c.try_call<testapi::ops::show_pet>({"9"});
    REQUIRE_FALSE(bombed.has_value());
    CHECK(bombed.error()->code() == transport_errc::body_too_large);
    CHECK(server.requests().size() == 3); // a body_too_large is not retried
}
