// Response handling: declared response selection, media types, decoding, typed errors.
#include "test_api.hpp"

#include <specbound/detail/response_handler.hpp>

#include <catch2/catch.hpp>

using namespace specbound;
using namespace specbound::detail;

namespace {

http_response make(unsigned status, std::string body, std::string content_type = "application/json",
                   std::vector<std::pair<std::string, std::string>> headers = {})
{
    http_response r{static_cast<boost::beast::http::status>(status), 11};
    if (!content_type.empty())
        r.set(boost::beast::http::field::content_type, content_type);
    for (const auto& [k, v] : headers)
        r.set(k, v);
    r.body() = std::move(body);
    r.prepare_payload();
    return r;
}

const std::string ctx = "showPetById (GET /pets/{petId})";

} // namespace

TEST_CASE("response selection: exact > range > default", "[response]")
{
    using testapi::ops::show_pet;
    CHECK(select_response<show_pet>(200) == 0);
    CHECK(select_response<show_pet>(404) == 1);
    CHECK(select_response<show_pet>(503) == 2);
    CHECK(select_response<show_pet>(500) == 2);
    CHECK(select_response<show_pet>(400) == 3);
    CHECK(select_response<show_pet>(201) == 3);
    CHECK(select_response<testapi::ops::create_pet>(500) == 4); // none: no default declared
    static_assert(select_response<show_pet>(404) == 1, "selection is constexpr");
}

TEST_CASE("media types: parameters, +json and wildcards", "[response]")
{
    CHECK(media_matches("application/json", "application/json; charset=utf-8"));
    CHECK(media_matches("application/json", "Application/JSON"));
    CHECK(media_matches("application/json", "application/problem+json"));
    CHECK(media_matches("application/vnd.api+json", "application/json"));
    CHECK(media_matches("image/*", "image/png"));
    CHECK(media_matches("*/*", "text/html"));
    CHECK(media_matches("application/json", "")); // left to the decoder
    CHECK_FALSE(media_matches("application/json", "text/html"));
    CHECK_FALSE(media_matches("image/*", "text/plain"));
    // Case-insensitive everywhere, without allocating: the essence is a view of the header.
    CHECK(media_matches("IMAGE/*", "image/PNG"));
    CHECK(media_matches("application/json", " APPLICATION/Problem+JSON ;charset=utf-8"));
    CHECK_FALSE(media_matches("image/*", "ima"));
    CHECK(media_essence(" Text/HTML ; q=1") == "Text/HTML");
    CHECK(lower_essence(" Text/HTML ; q=1") == "text/html");
}

/// The value, or the typed error thrown: lets the checks below catch by type.
template <class Op>
typename Op::response_type value_of(const http_response& res, const std::string& context)
{
    return handle_response<Op>(res, context).value();
}

TEST_CASE("handle_response reports failures as values, readable without dynamic_cast", "[response][errors]")
{
    result<testapi::pet> r = handle_response<testapi::ops::show_pet>(
        make(404, R"({"code":44,"message":"no such pet"})", "application/json"), ctx);
    REQUIRE_FALSE(r.has_value());
    REQUIRE(r.error_as<not_found_error>() != nullptr);
    CHECK(r.error_as<client_error>() != nullptr);
    CHECK(r.error_as<api_error>() != nullptr);
    CHECK(r.error_as<error>() != nullptr);
    CHECK(r.error_as<server_error>() == nullptr);
    CHECK(r.error_as<decode_error>() == nullptr);
    CHECK(r.error_as<not_found_error>()->body_as<testapi::api_problem>()->code == 44);

    result<testapi::pet> bad = handle_response<testapi::ops::show_pet>(make(200, "{\"id\":1,"), ctx);
    REQUIRE(bad.error_as<decode_error>() != nullptr);
    CHECK(bad.code() == client_errc::decode_failed);
    CHECK(bad.error_as<api_error>() == nullptr);
}

TEST_CASE("2xx bodies decode into the response type", "[response]")
{
    auto p = value_of<testapi::ops::show_pet>(make(200, R"({"id":7,"name":"Rex","tag":"dog"})"), ctx);
    CHECK(p == testapi::pet{7, "Rex", "dog"});

    // Several 2xx bodies: the alternative of the matched status.
    auto created = value_of<testapi::ops::create_pet>(make(201, R"({"id":1,"name":"A"})"), ctx);
    REQUIRE(std::holds_alternative<testapi::pet>(created));
    auto accepted = value_of<testapi::ops::create_pet>(make(202, R"({"jobId":"j1"})"), ctx);
    REQUIRE(std::holds_alternative<testapi::accepted_job>(accepted));
    CHECK(std::get<testapi::accepted_job>(accepted).job_id == "j1");

    // No content.
    CHECK(value_of<testapi::ops::delete_pet>(make(204, "", ""), ctx) == no_content{});
    // Text.
    CHECK(value_of<testapi::ops::upload>(make(200, "stored", "text/plain; charset=utf-8"), ctx) == "stored");
}

// Named, not anonymous: clang warns of unused constants in a class of an anonymous namespace
// (the members the runtime does not read).
namespace response_tests_ops {
// GitHub's archive downloads: the only answer is a 302 whose Location is the archive.
struct download_archive {
    static constexpr std::string_view operation_id = "downloadArchive";
    static constexpr std::string_view name = "download_archive";
    static constexpr specbound::http_method method = specbound::http_method::get;
    static constexpr std::string_view path = "/archive";
    using request_type = testapi::whoami_request;
    using response_type = specbound::no_content;
    static constexpr std::tuple parameters{};
    static constexpr std::tuple body{};
    static constexpr std::tuple responses{specbound::response<302, specbound::no_content, 1>{"", {"Location"}},
                                          specbound::response<410, testapi::api_problem>{"application/json"}};
    static constexpr std::array<specbound::security_requirement, 0> security{};
    static constexpr std::array<std::string_view, 0> tags{};
    static constexpr bool deprecated = false;
};
// A model with a declared 304 (a conditional GET): the 304 has no place in the response type.
struct cached_pet : download_archive {
    static constexpr std::string_view operation_id = "cachedPet";
    static constexpr std::string_view name = "cached_pet";
    using response_type = testapi::pet;
    static constexpr std::tuple responses{specbound::response<200, testapi::pet>{"application/json"},
                                          specbound::response<304, specbound::no_content>{""}};
};
} // namespace response_tests_ops
using response_tests_ops::cached_pet;
using response_tests_ops::download_archive;

TEST_CASE("a declared 3xx is the answer when the response type has a place for it", "[response]")
{
    CHECK(declares_status<download_archive>(302));
    CHECK_FALSE(declares_status<download_archive>(301));
    const http_response found = make(302, "", "", {{"Location", "https://codeload.example/a.tar.gz"}});
    result<no_content> r = handle_response<download_archive>(found, ctx);
    CHECK(r.has_value());
    // An undeclared 3xx (the client was told not to follow redirects) is an api_error.
    result<no_content> moved = handle_response<download_archive>(make(301, "", ""), ctx);
    REQUIRE(moved.error_as<api_error>() != nullptr);
    CHECK(moved.error_as<api_error>()->status() == 301);
    CHECK(handle_response<download_archive>(make(410, R"({"code":1,"message":"gone"})"), ctx).error_as<api_error>());

    // A 304 beside a 200's model is not an empty pet: it stays an error with its status.
    result<testapi::pet> unchanged = handle_response<cached_pet>(make(304, "", ""), ctx);
    REQUIRE(unchanged.error_as<api_error>() != nullptr);
    CHECK(unchanged.error_as<api_error>()->status() == 304);
    CHECK(handle_response<cached_pet>(make(200, R"({"id":7,"name":"Rex"})"), ctx).has_value());
}

TEST_CASE("decode errors carry pointer, status and a bounded excerpt", "[response][errors]")
{
    std::string big = R"({"id":"seven","name":"Rex","pad":")" + std::string(1000, 'x') + "\"}";
    try {
        (void)value_of<testapi::ops::show_pet>(make(200, big), ctx);
        FAIL("expected decode_error");
    } catch (const decode_error& e) {
        CHECK(e.code() == client_errc::decode_failed);
        CHECK(e.status() == 200);
        CHECK(e.pointer() == "/id");
        CHECK_FALSE(e.detail_message().empty());
        CHECK(e.body_excerpt().size() == 256);
        CHECK(big.rfind(e.body_excerpt(), 0) == 0);
        CHECK(std::string(e.what()).find("/id") != std::string::npos);
        CHECK(std::string(e.what()).find("xxxx") == std::string::npos); // body stays out of what()
    }
    try {
        (void)value_of<testapi::ops::show_pet>(make(200, "<html></html>", "Text/HTML; charset=utf-8"), ctx);
        FAIL("expected decode_error");
    } catch (const decode_error& e) {
        CHECK(e.code() == client_errc::unexpected_content_type);
        CHECK(std::string(e.what()).find("expected application/json, got text/html") != std::string::npos);
    }
    try {
        (void)value_of<testapi::ops::create_pet>(make(200, "{}"), ctx);
        FAIL("expected decode_error");
    } catch (const decode_error& e) {
        CHECK(e.code() == client_errc::undeclared_status);
    }
    CHECK_THROWS_AS(value_of<testapi::ops::show_pet>(make(200, "{\"id\":1,"), ctx), decode_error);
}

TEST_CASE("non-2xx statuses become typed api errors with the decoded body", "[response][errors]")
{
    try {
        (void)value_of<testapi::ops::show_pet>(
            make(404, R"({"code":44,"message":"no such pet"})", "application/json", {{"X-Request-Id", "req-1"}}), ctx);
        FAIL("expected not_found_error");
    } catch (const not_found_error& e) {
        CHECK(e.status() == 404);
        CHECK(e.code() == client_errc::api_error);
        CHECK(e.request_id() == "req-1");
        REQUIRE(e.body_as<testapi::api_problem>() != nullptr);
        CHECK(e.body_as<testapi::api_problem>()->code == 44);
        CHECK(e.body_as<testapi::pet>() == nullptr);
        CHECK(e.body_decode_failure().empty());
        CHECK(std::string(e.what()).find("no such pet") == std::string::npos);
    }
    // The 5XX range with +json; the declared model does not decode: raw body and the failure kept.
    try {
        (void)value_of<testapi::ops::show_pet>(make(503, "overloaded", "application/problem+json"), ctx);
        FAIL("expected service_unavailable_error");
    } catch (const service_unavailable_error& e) {
        CHECK(e.body() == "overloaded");
        CHECK(e.body_as<testapi::api_problem>() == nullptr);
        CHECK_FALSE(e.body_decode_failure().empty());
    }
    auto check_type = [](unsigned status, auto tag) {
        using E = decltype(tag);
        try {
            (void)value_of<testapi::ops::show_pet>(make(status, R"({"code":1,"message":"m"})"), ctx);
        } catch (const E& e) {
            return e.status() == static_cast<int>(status);
        } catch (...) {
        }
        return false;
    };
    CHECK(check_type(400, bad_request_error{api_error_info{}}));
    CHECK(check_type(401, unauthorized_error{api_error_info{}}));
    CHECK(check_type(403, forbidden_error{api_error_info{}}));
    CHECK(check_type(409, conflict_error{api_error_info{}}));
    CHECK(check_type(422, unprocessable_entity_error{api_error_info{}}));
    CHECK(check_type(429, rate_limited_error{api_error_info{}}));
    CHECK(check_type(418, client_error{api_error_info{}}));
    CHECK(check_type(500, internal_server_error{api_error_info{}}));
    CHECK(check_type(502, server_error{api_error_info{}}));
    CHECK(check_type(302, api_error{api_error_info{}}));
    // Exact type: a 418 is a client_error but not a bad_request_error.
    CHECK_FALSE(check_type(418, bad_request_error{api_error_info{}}));
}

TEST_CASE("rate_limited_error parses Retry-After", "[response][errors]")
{
    try {
        (void)value_of<testapi::ops::show_pet>(make(429, "{}", "application/json", {{"Retry-After", "7"}}), ctx);
        FAIL("expected rate_limited_error");
    } catch (const rate_limited_error& e) {
        REQUIRE(e.retry_after());
        CHECK(*e.retry_after() == std::chrono::seconds(7));
        CHECK_FALSE(e.body_decode_failure().empty()); // {} lacks the required fields
    }
}

TEST_CASE("errors keep their dynamic type through clone and exception_ptr", "[errors]")
{
    api_error_info info;
    info.status = 404;
    std::shared_ptr<const error> e = make_api_error(info);
    std::shared_ptr<const error> copy = e->clone();
    CHECK(copy->as<not_found_error>() != nullptr);
    CHECK(copy->is(error_kind::client));
    CHECK_FALSE(copy->is(error_kind::server));
    std::exception_ptr p = copy->to_exception_ptr();
    CHECK_THROWS_AS(std::rethrow_exception(p), not_found_error);
    CHECK(body_excerpt(std::string(300, 'a')).size() == 256);
    // Cut on a UTF-8 boundary: 255 ASCII bytes then a 2-byte character straddling byte 256.
    std::string s = std::string(255, 'a') + "\xc3\xa9" + "zz";
    CHECK(body_excerpt(s).size() == 255);
}
