#include <specbound/http/detail/proxy.hpp>

#include <catch2/catch.hpp>

#include <cstdlib>

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

TEST_CASE("proxies from the environment fill only empty fields", "[transport][proxy]")
{
    struct env_guard {
        ~env_guard()
        {
            for (const char* n : {"HTTP_PROXY", "http_proxy", "HTTPS_PROXY", "https_proxy", "NO_PROXY", "no_proxy"})
                ::unsetenv(n);
        }
    } guard;
    ::setenv("HTTP_PROXY", "http://upper:1", 1);
    ::setenv("https_proxy", "http://lower:2", 1);
    ::setenv("NO_PROXY", ".corp", 1);

    specbound::http::proxy_options o;
    auto c = proxy_config::from(o);
    CHECK(c.http_proxy == "http://upper:1");
    CHECK(c.https_proxy == "http://lower:2");
    CHECK(c.select("https", "db.corp", 443).empty());
    CHECK(c.select("https", "api.example", 443) == "http://lower:2");

    o.http_proxy = "http://explicit:3";
    CHECK(proxy_config::from(o).http_proxy == "http://explicit:3");

    o.from_environment = false;
    o.http_proxy.clear();
    auto none = proxy_config::from(o);
    CHECK(none.http_proxy.empty());
    CHECK(none.https_proxy.empty());
}
