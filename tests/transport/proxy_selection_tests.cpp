#include <specbound/http/detail/proxy.hpp>

#include <catch2/catch.hpp>

using namespace specbound::http::detail;

TEST_CASE("proxy URL parsing", "[transport][proxy]")
{
    auto p = parse_proxy_url("http://proxy.local:3128");
    REQUIRE(p);
    CHECK(p->host == "proxy.local");
    CHECK(p->port == 3128);
    CHECK(p->authorization.empty());

    auto with_creds = parse_proxy_url("http://user:pass@10.0.0.1:8080");
    REQUIRE(with_creds);
    CHECK(with_creds->host == "10.0.0.1");
    CHECK(with_creds->authorization == "Basic dXNlcjpwYXNz");

    auto encoded = parse_proxy_url("http://us%40er:p%3Ass@h:1");
    REQUIRE(encoded);
    CHECK(encoded->authorization == "Basic dXNAZXI6cDpzcw=="); // base64("us@er:p:ss")

    auto bare = parse_proxy_url("proxy:8080");
    REQUIRE(bare);
    CHECK(bare->host == "proxy");
    CHECK(bare->port == 8080);

    auto default_port = parse_proxy_url("http://proxy");
    REQUIRE(default_port);
    CHECK(default_port->port == 80);

    auto v6 = parse_proxy_url("http://[::1]:3128");
    REQUIRE(v6);
    CHECK(v6->host == "::1");

    CHECK_FALSE(parse_proxy_url("socks5://proxy:1080"));
    CHECK_FALSE(parse_proxy_url("https://proxy:443"));
    CHECK_FALSE(parse_proxy_url("http://proxy:0"));
    CHECK_FALSE(parse_proxy_url("http://proxy:99999"));
    CHECK_FALSE(parse_proxy_url("http://"));
    CHECK_FALSE(parse_proxy_url("not a url at all"));
}

TEST_CASE("NO_PROXY matching", "[transport][proxy]")
{
    CHECK(no_proxy_matches("*", "anything.example", 80));
    CHECK(no_proxy_matches("example.com", "example.com", 80));
    CHECK(no_proxy_matches("example.com", "API.Example.com", 80));
    CHECK_FALSE(no_proxy_matches("example.com", "badexample.com", 80));
    CHECK(no_proxy_matches(".example.com", "api.example.com", 443));
    CHECK(no_proxy_matches(" localhost , .internal", "db.internal", 5432));
    CHECK_FALSE(no_proxy_matches("localhost,.internal", "internal.example", 80));
    CHECK(no_proxy_matches("127.0.0.1", "127.0.0.1", 8080));
    CHECK(no_proxy_matches("example.com:8080", "example.com", 8080));
    CHECK_FALSE(no_proxy_matches("example.com:8080", "example.com", 80));
    CHECK(no_proxy_matches("[::1]", "::1", 80));
    CHECK_FALSE(no_proxy_matches("", "example.com", 80));
    CHECK_FALSE(no_proxy_matches(",,", "example.com", 80));
}

TEST_CASE("proxy selection per scheme", "[transport][proxy]")
{
    specbound::http::proxy_options o;
    o.from_environment = false;
    o.http_proxy = "http://p:1";
    o.no_proxy = "direct.example";
    const auto c = proxy_config::from(o);
    CHECK(c.select("http", "api.example", 80) == "http://p:1");
    CHECK(c.select("https", "api.example", 443).empty());
    CHECK(c.select("http", "direct.example", 80).empty());
}
