// Credential selection, Basic encoding, OAuth2 token parsing, log redaction.
#include "test_api.hpp"

#include <specbound/auth.hpp>
#include <specbound/detail/oauth2.hpp>
#include <specbound/logging.hpp>
#include <specbound/options.hpp>

#include <catch2/catch.hpp>

using namespace specbound;
using namespace specbound::detail;

namespace {
template <std::size_t N>
auth_plan plan(const std::array<security_requirement, N>& reqs, const std::vector<credential>& creds)
{
    return select_auth(std::span<const security_requirement>(reqs), testapi::schemes, creds);
}
} // namespace

TEST_CASE("the first satisfied security requirement wins", "[auth]")
{
    using testapi::ops::list_pets; // bearerAuth OR apiKeyHeader
    auto p = plan(list_pets::security, {api_key{"k"}, bearer_token{"t"}});
    REQUIRE(p.uses.size() == 1);
    CHECK(p.uses[0].scheme->name == "bearerAuth");
    CHECK(p.uses[0].credential == 1);

    p = plan(list_pets::security, {api_key{"k"}});
    REQUIRE(p.uses.size() == 1);
    CHECK(p.uses[0].scheme->name == "apiKeyHeader");

    p = plan(list_pets::security, {basic_auth{"u", "p"}});
    CHECK(p.uses.empty());
    CHECK(p.unsatisfied);

    // No security: nothing is sent even when credentials exist.
    p = plan(testapi::ops::show_pet::security, {bearer_token{"t"}});
    CHECK(p.uses.empty());
    CHECK_FALSE(p.unsatisfied);

    // {} is an alternative: credentials when available, anonymous otherwise.
    p = plan(testapi::ops::delete_pet::security, {api_key{"k"}});
    REQUIRE(p.uses.size() == 1);
    CHECK(p.uses[0].scheme->kind == security_scheme_kind::api_key_query);
    p = plan(testapi::ops::delete_pet::security, {});
    CHECK(p.uses.empty());
    CHECK_FALSE(p.unsatisfied);

    // AND: all schemes of a requirement together.
    std::array<security_requirement, 1> both{{{{"apiKeyHeader", "basicAuth"}}}};
    CHECK(plan(both, {api_key{"k"}}).uses.empty());
    CHECK(plan(both, {api_key{"k"}, basic_auth{"u", "p"}}).uses.size() == 2);

    // A credential bound to another scheme does not satisfy this one.
    CHECK(plan(list_pets::security, {api_key{"k", "otherScheme"}}).unsatisfied);
    // A bearer token satisfies an OAuth2 scheme; client credentials do not satisfy http bearer.
    CHECK(plan(testapi::ops::create_pet::security, {bearer_token{"t"}}).uses.size() == 1);
    CHECK(plan(list_pets::security, {oauth2_client_credentials{"id", "secret"}}).unsatisfied);
}

TEST_CASE("make_options and with() collect credentials", "[auth]")
{
    client_options o = make_options(bearer_token{"t"}, api_key{"k"});
    CHECK(o.credentials.size() == 2);
    o.with(basic_auth{"u", "p"});
    CHECK(std::holds_alternative<basic_auth>(o.credentials[2]));
    client_options o2 = client_options{}.with(bearer_token{"x"});
    CHECK(o2.credentials.size() == 1);
}

TEST_CASE("base64 for Basic", "[auth]")
{
    CHECK(base64_encode("") == "");
    CHECK(base64_encode("f") == "Zg==");
    CHECK(base64_encode("fo") == "Zm8=");
    CHECK(base64_encode("foo") == "Zm9v");
    CHECK(base64_encode("Aladdin:open sesame") == "QWxhZGRpbjpvcGVuIHNlc2FtZQ==");
    CHECK(base64_encode(std::string("\xff\xfe\x00", 3)) == "//4A");
}

TEST_CASE("OAuth2 token request and response", "[auth][oauth2]")
{
    oauth2_client_credentials c{"my id", "s:cret", {"read", "write"}};
    token_request tr = make_token_request(c, "https://auth.example.com:8443/oauth/token?aud=x").value();
    CHECK(tr.to.host == "auth.example.com");
    CHECK(tr.to.port == 8443);
    CHECK(tr.request.target() == "/oauth/token?aud=x");
    CHECK(tr.request.method() == boost::beast::http::verb::post);
    CHECK(tr.request.body() == "grant_type=client_credentials&scope=read%20write");
    CHECK(tr.request[boost::beast::http::field::authorization] == "Basic " + base64_encode("my%20id:s%3Acret"));
    c.credentials_in_body = true;
    tr = make_token_request(c, "https://auth.example.com/token").value();
    CHECK(tr.request.find(boost::beast::http::field::authorization) == tr.request.end());
    CHECK(tr.request.body().find("client_id=my%20id&client_secret=s%3Acret") != std::string::npos);

    auto now = std::chrono::system_clock::now();
    http_response ok{boost::beast::http::status::ok, 11};
    ok.body() = R"({"access_token":"abc","token_type":"bearer","expires_in":3600})";
    oauth2_token t = parse_token_response(ok, now).value();
    CHECK(t.access_token == "abc");
    CHECK(t.token_type == "bearer");
    CHECK(t.expires_at == now + std::chrono::seconds(3600));
    CHECK(refresh_time(t, std::chrono::seconds(60), now) == t.expires_at - std::chrono::seconds(60));
    // A short-lived token is used for half its life rather than refreshed at once.
    oauth2_token short_lived{"x", now + std::chrono::seconds(30)};
    CHECK(refresh_time(short_lived, std::chrono::seconds(60), now) == now + std::chrono::seconds(15));

    http_response denied{boost::beast::http::status::unauthorized, 11};
    denied.body() = R"({"error":"invalid_client","error_description":"bad secret"})";
    result<oauth2_token> r = parse_token_response(denied, now);
    REQUIRE(r.error_as<auth_error>());
    const auth_error& e = *r.error_as<auth_error>();
    CHECK(e.code() == client_errc::auth_failed);
    CHECK(e.status() == 401);
    CHECK(e.server_message() == "invalid_client: bad secret");
    CHECK(std::string(e.what()).find("bad secret") == std::string::npos);
    for (const char* body : {R"({"token_type":"bearer"})", R"({"access_token":"a","expires_in":-5})", "not json",
                             // A token that would split the Authorization field it goes into.
                             R"({"access_token":"abc\r\nX-Injected: 1"})", R"({"access_token":"abc\n"})",
                             R"({"access_token":"abc","token_type":"bearer\u0000"})"}) {
        ok.body() = body;
        CAPTURE(body);
        CHECK(parse_token_response(ok, now).error_as<auth_error>());
    }
    CHECK(make_token_request(c, "not a url").error_as<auth_error>());
}

TEST_CASE("redaction of secrets in logs", "[logging]")
{
    log_options lo;
    lo.redact_headers = {"X-Session"};
    redaction r(testapi::schemes, lo);
    boost::beast::http::fields f;
    f.set("Authorization", "Bearer secret-token");
    f.set("Proxy-Authorization", "Basic c2VjcmV0");
    f.set("X-API-Key", "key-123");
    f.set("X-Session", "sess");
    f.set("Cookie", "sid=abc; theme=dark");
    f.set("Set-Cookie", "sid=abc; Path=/; HttpOnly");
    f.set("Accept", "application/json");
    std::string text = r.headers_text(f);
    for (const char* secret : {"secret-token", "c2VjcmV0", "key-123", "sess\n", "abc", "dark"})
        CHECK(text.find(secret) == std::string::npos);
    CHECK(text.find("Accept: application/json") != std::string::npos);
    CHECK(text.find("Cookie: sid=[redacted]; theme=[redacted]") != std::string::npos);
    CHECK(text.find("Set-Cookie: sid=[redacted]; Path=/; HttpOnly") != std::string::npos);
    CHECK(r.target("/v1/pets?limit=1&api_key=s3cr3t&x=2") == "/v1/pets?limit=1&api_key=[redacted]&x=2");
    CHECK(r.target("/v1/pets") == "/v1/pets");
}
