// The Beast transport over TLS, against the test server and a PKI generated for the run.
#include <specbound/http/beast_transport.hpp>

#include "support/run.hpp"
#include "support/test_pki.hpp"
#include "support/test_proxy.hpp"
#include "support/test_server.hpp"

#include <catch2/catch.hpp>

#include <chrono>
#include <string>

namespace asio = boost::asio;
namespace bhttp = boost::beast::http;
using namespace std::chrono_literals;
using specbound::attempt_limits;
using specbound::http_request;
using specbound::transport_errc;
using specbound::transport_result;
using specbound::http::beast_transport;
using specbound::http::transport_options;
using specbound::test::make_server_tls;
using specbound::test::reply;
using specbound::test::request_info;
using specbound::test::test_pki;
using specbound::test::test_server;

namespace {

const test_pki& pki()
{
    static const test_pki instance; // one PKI for the run; its directory is removed at exit
    return instance;
}

transport_options trusting_test_ca()
{
    transport_options o;
    o.proxy.from_environment = false;
    o.tls.use_system_trust = false;
    o.tls.ca_file = pki().ca_file();
    return o;
}

specbound::test::server_options tls_server(asio::ssl::context& ctx)
{
    specbound::test::server_options so;
    so.tls = &ctx;
    return so;
}

http_request get(const specbound::origin& o, std::string target = "/")
{
    http_request req{bhttp::verb::get, target, 11};
    req.set(bhttp::field::host, o.host + ":" + std::to_string(o.port));
    return req;
}

asio::awaitable<transport_result> send_one(beast_transport& t, specbound::origin o, http_request req,
                                           attempt_limits limits = {})
{
    co_return co_await t.send(o, req, limits);
}

reply echo_target(const http_request& req, const request_info&) { return reply::text(std::string(req.target())); }

} // namespace

TEST_CASE("HTTPS with the test CA succeeds and keeps the connection alive", "[transport][tls]")
{
    auto ctx = make_server_tls(pki().server().cert, pki().server().key);
    test_server server(echo_target, tls_server(*ctx));
    asio::io_context ioc;
    beast_transport t(ioc.get_executor(), trusting_test_ca());
    for (const char* host : {"127.0.0.1", "localhost"}) {
        DYNAMIC_SECTION("host " << host)
        {
            specbound::origin o{"https", host, server.port()};
            for (int i = 0; i < 3; ++i) {
                auto r = specbound::test::run_for(ioc, send_one(t, o, get(o, "/secure/" + std::to_string(i))));
                REQUIRE_FALSE(r.ec);
                CHECK(r.response.body() == "/secure/" + std::to_string(i));
            }
            CHECK(t.connections_opened() == 1);
        }
    }
}

TEST_CASE("the system trust store, loaded with the first https connection, adds to ca_file", "[transport][tls]")
{
    auto good_ctx = make_server_tls(pki().server().cert, pki().server().key);
    test_server good(echo_target, tls_server(*good_ctx));
    auto self_signed_ctx = make_server_tls(pki().self_signed().cert, pki().self_signed().key);
    test_server self_signed(echo_target, tls_server(*self_signed_ctx));
    asio::io_context ioc;
    transport_options o = trusting_test_ca();
    o.tls.use_system_trust = true;
    beast_transport t(ioc.get_executor(), o);
    for (int i = 0; i < 2; ++i) { // a new connection each time: the first loads the store
        t.close_idle();
        auto r = specbound::test::run_for(ioc, send_one(t, good.origin(), get(good.origin(), "/ok")));
        REQUIRE_FALSE(r.ec);
        CHECK(r.response.body() == "/ok");
    }
    CHECK(t.connections_opened() == 2);
    auto refused = specbound::test::run_for(ioc, send_one(t, self_signed.origin(), get(self_signed.origin())));
    CHECK(refused.ec == transport_errc::tls_handshake_failed);
}

TEST_CASE("certificates that must not be trusted are refused", "[transport][tls]")
{
    struct scenario {
        const char* name;
        specbound::test::identity id;
    };
    const scenario scenarios[] = {
        {"wrong host", pki().wrong_host()},
        {"self-signed", pki().self_signed()},
        {"expired", pki().expired()},
    };
    for (const auto& s : scenarios) {
        DYNAMIC_SECTION(s.name)
        {
            auto ctx = make_server_tls(s.id.cert, s.id.key);
            test_server server(echo_target, tls_server(*ctx));
            asio::io_context ioc;
            beast_transport t(ioc.get_executor(), trusting_test_ca());
            auto r = specbound::test::run_for(ioc, send_one(t, server.origin(), get(server.origin())));
            CHECK(r.ec == transport_errc::tls_handshake_failed);
            CHECK_FALSE(r.request_sent);
            CHECK(server.requests_received() == 0);
        }
    }
}

TEST_CASE("no trust anchor at all refuses even the test CA's certificate", "[transport][tls]")
{
    auto ctx = make_server_tls(pki().server().cert, pki().server().key);
    test_server server(echo_target, tls_server(*ctx));
    asio::io_context ioc;
    transport_options o = trusting_test_ca();
    o.tls.ca_file.clear();
    beast_transport t(ioc.get_executor(), o);
    auto r = specbound::test::run_for(ioc, send_one(t, server.origin(), get(server.origin())));
    CHECK(r.ec == transport_errc::tls_handshake_failed);
}

TEST_CASE("danger_accept_invalid_certificates accepts a self-signed certificate", "[transport][tls]")
{
    auto ctx = make_server_tls(pki().self_signed().cert, pki().self_signed().key);
    test_server server(echo_target, tls_server(*ctx));
    asio::io_context ioc;
    transport_options o = trusting_test_ca();
    o.tls.danger_accept_invalid_certificates = true;
    beast_transport t(ioc.get_executor(), o);
    auto r = specbound::test::run_for(ioc, send_one(t, server.origin(), get(server.origin(), "/anyway")));
    REQUIRE_FALSE(r.ec);
    CHECK(r.response.body() == "/anyway");
}

TEST_CASE("mutual TLS: accepted with the client certificate, refused without", "[transport][tls]")
{
    auto ctx = make_server_tls(pki().server().cert, pki().server().key, pki().ca_file(), true);
    test_server server(echo_target, tls_server(*ctx));
    asio::io_context ioc;

    SECTION("with a client certificate")
    {
        transport_options o = trusting_test_ca();
        o.tls.client_certificate_file = pki().client().cert;
        o.tls.client_private_key_file = pki().client().key;
        beast_transport t(ioc.get_executor(), o);
        auto r = specbound::test::run_for(ioc, send_one(t, server.origin(), get(server.origin(), "/mtls")));
        REQUIRE_FALSE(r.ec);
        CHECK(r.response.body() == "/mtls");
    }
    SECTION("without")
    {
        beast_transport t(ioc.get_executor(), trusting_test_ca());
        auto r = specbound::test::run_for(ioc, send_one(t, server.origin(), get(server.origin(), "/mtls")));
        CHECK(r.ec == transport_errc::tls_handshake_failed);
        CHECK(server.requests_received() == 0);
    }
}

TEST_CASE("bad TLS configuration is reported when the transport is built", "[transport][tls]")
{
    asio::io_context ioc;
    transport_options o = trusting_test_ca();
    o.tls.ca_file = (pki().directory() / "missing.pem").string();
    CHECK_THROWS_AS(beast_transport(ioc.get_executor(), o), boost::system::system_error);

    transport_options half = trusting_test_ca();
    half.tls.client_certificate_file = pki().client().cert;
    CHECK_THROWS_AS(beast_transport(ioc.get_executor(), half), std::invalid_argument);

    transport_options mismatched = trusting_test_ca();
    mismatched.tls.client_certificate_file = pki().client().cert;
    mismatched.tls.client_private_key_file = pki().server().key;
    CHECK_THROWS(beast_transport(ioc.get_executor(), mismatched));
}

TEST_CASE("a TLS peer closing without close_notify after a complete response is not an error", "[transport][tls]")
{
    auto ctx = make_server_tls(pki().server().cert, pki().server().key);
    SECTION("Connection: close with Content-Length")
    {
        test_server server([](const http_request&, const request_info&) { return reply::text_then_close("done"); },
                           tls_server(*ctx));
        asio::io_context ioc;
        beast_transport t(ioc.get_executor(), trusting_test_ca());
        for (int i = 0; i < 2; ++i) {
            auto r = specbound::test::run_for(ioc, send_one(t, server.origin(), get(server.origin())));
            REQUIRE_FALSE(r.ec);
            CHECK(r.response.body() == "done");
        }
        CHECK(t.connections_opened() == 2);
    }
    SECTION("body delimited by the end of the connection")
    {
        test_server server(
            [](const http_request&, const request_info&) {
                return reply::raw("HTTP/1.1 200 OK\r\nConnection: close\r\n\r\nuntil the end");
            },
            tls_server(*ctx));
        asio::io_context ioc;
        beast_transport t(ioc.get_executor(), trusting_test_ca());
        auto r = specbound::test::run_for(ioc, send_one(t, server.origin(), get(server.origin())));
        REQUIRE_FALSE(r.ec);
        CHECK(r.response.body() == "until the end");
    }
    SECTION("but a Content-Length body cut short is truncated")
    {
        test_server server(
            [](const http_request&, const request_info&) {
                return reply::raw("HTTP/1.1 200 OK\r\nContent-Length: 50\r\n\r\nshort");
            },
            tls_server(*ctx));
        asio::io_context ioc;
        beast_transport t(ioc.get_executor(), trusting_test_ca());
        auto r = specbound::test::run_for(ioc, send_one(t, server.origin(), get(server.origin())));
        CHECK(r.ec == transport_errc::truncated_response);
    }
}

TEST_CASE("HTTPS through a CONNECT proxy", "[transport][tls][proxy]")
{
    auto ctx = make_server_tls(pki().server().cert, pki().server().key);
    test_server server(echo_target, tls_server(*ctx));

    SECTION("tunnel with credentials")
    {
        specbound::test::test_proxy proxy("Basic dXNlcjpwYXNz");
        asio::io_context ioc;
        transport_options o = trusting_test_ca();
        o.proxy.https_proxy = "http://user:pass@127.0.0.1:" + std::to_string(proxy.port());
        beast_transport t(ioc.get_executor(), o);
        for (int i = 0; i < 2; ++i) {
            auto r = specbound::test::run_for(ioc, send_one(t, server.origin(), get(server.origin(), "/tunnelled")));
            REQUIRE_FALSE(r.ec);
            CHECK(r.response.body() == "/tunnelled");
        }
        auto seen = proxy.requests();
        REQUIRE(seen.size() == 1); // one tunnel, kept alive
        CHECK(seen[0].method == "CONNECT");
        CHECK(seen[0].target == "127.0.0.1:" + std::to_string(server.port()));
        CHECK(seen[0].proxy_authorization == "Basic dXNlcjpwYXNz");
    }
    SECTION("refused tunnel")
    {
        specbound::test::test_proxy proxy("Basic dXNlcjpwYXNz");
        asio::io_context ioc;
        transport_options o = trusting_test_ca();
        o.proxy.https_proxy = proxy.url(); // no credentials: 407
        beast_transport t(ioc.get_executor(), o);
        auto r = specbound::test::run_for(ioc, send_one(t, server.origin(), get(server.origin())));
        CHECK(r.ec == transport_errc::proxy_failed);
        CHECK_FALSE(r.request_sent);
        CHECK(server.requests_received() == 0);
    }
}
