// Findings of the fuzz targets (tests/fuzz), kept as ordinary tests: each case is the smallest
// input that showed the fault, and the fix's boundary.
#include <specbound/detail/oauth2.hpp>
#include <specbound/detail/param_value.hpp>
#include <specbound/json/decode.hpp>
#include <specbound/json/encode.hpp>

#include <catch2/catch.hpp>

#include <chrono>
#include <cmath>
#include <limits>
#include <string>
#include <vector>

using namespace specbound;
using namespace specbound::detail;

namespace {

template <class T>
T decoded(std::string_view text)
{
    T out{};
    auto failure = json::decode(text, out);
    INFO(text << ": " << (failure ? failure->message : std::string()));
    REQUIRE_FALSE(failure);
    return out;
}

http_response token_answer(std::string body)
{
    http_response res{boost::beast::http::status::ok, 11};
    res.set(boost::beast::http::field::content_type, "application/json");
    res.body() = std::move(body);
    res.prepare_payload();
    return res;
}

} // namespace

// json_models: [1.5,-0.0] encoded as [1.5,-0], which decodes to +0.
TEST_CASE("fuzz regression: negative zero keeps its sign through encode and decode", "[fuzz][json]")
{
    CHECK(json::encode(-0.0) == "-0.0");
    CHECK(json::encode(0.0) == "0");
    CHECK(json::encode(-0.0f) == "-0.0");
    const auto back = decoded<std::vector<double>>(json::encode(std::vector<double>{1.5, -0.0}));
    REQUIRE(back.size() == 2);
    CHECK(std::signbit(back[1]));
    CHECK(std::signbit(decoded<float>("-0.0")));
}

// json_models: a float decoded from 3.4028234e38 is FLT_MAX, which encodes as 3.4028235e+38, a
// double just above FLT_MAX that decoding refused as out of range for float.
TEST_CASE("fuzz regression: the largest float decodes from its own text", "[fuzz][json]")
{
    constexpr float max = std::numeric_limits<float>::max();
    CHECK(decoded<float>("3.4028234e38") == max);
    const std::string text = json::encode(max);
    CHECK(text == "3.4028235e+38");
    CHECK(decoded<float>(text) == max);
    CHECK(decoded<float>("-3.4028235e+38") == -max);
    // Half a unit past FLT_MAX and beyond rounds to infinity: still refused.
    float out = 0;
    CHECK(json::decode("3.4028236e38", out));
    CHECK(json::decode("-1e39", out));
}

// json_models: Boost.JSON 1.81 reads 6.922922337203683e-301, the text to_chars writes for a double,
// as the double one unit in the last place below it, so the value changed in a round trip.
TEST_CASE("fuzz regression: doubles decode correctly rounded", "[fuzz][json]")
{
    const double d = 6.922922337203683e-301;
    CHECK(json::encode(d) == "6.922922337203683e-301");
    CHECK(decoded<double>("6.922922337203683e-301") == d);
    CHECK(decoded<double>("692292233720368337203685947758081.1e-333") == d);
    const auto in_array = decoded<std::vector<double>>("[0.1,6.922922337203683e-301,1e-310]");
    REQUIRE(in_array.size() == 3);
    CHECK(in_array[1] == d);
    // Into a free-form value too.
    CHECK(decoded<boost::json::value>("6.922922337203683e-301").as_double() == d);
}

// json_models: a 36-character text with the four hyphens in place and a fifth among the digits
// ("ffffffff-ffff-ffff-ffff-ffff-ffff-ff") made the uuid parser skip it and read past the text.
TEST_CASE("fuzz regression: a uuid with a hyphen out of place is refused, not read past", "[fuzz][json]")
{
    uuid u{};
    CHECK_FALSE(json::parse_uuid("ffffffff-ffff-ffff-ffff-ffff-ffff-ff", u));
    CHECK_FALSE(json::parse_uuid("ffffffff-ffff-ffff-ffff-fffffffffff-", u));
    CHECK_FALSE(json::parse_uuid("ffffffff-ffff-ffff-ffff--fffffffffff", u));
    CHECK(json::parse_uuid("ffffffff-ffff-ffff-ffff-ffffffffffff", u));
    // As a model member, the same text is a decode failure.
    uuid member{};
    CHECK(json::decode(R"("ffffffff-ffff-ffff-ffff-ffff-ffff-ff")", member));
}

// http_response: expires_in of 2^40 s (accepted) overflowed system_clock's nanoseconds (UBSan).
TEST_CASE("fuzz regression: a token's expiry beyond system_clock's range saturates", "[fuzz][auth]")
{
    const std::chrono::system_clock::time_point now{std::chrono::seconds{1'700'000'000}};
    result<oauth2_token> t = parse_token_response(token_answer(R"({"access_token":"a","expires_in":1099511627776})"),
                                                  now);
    REQUIRE(t);
    CHECK(t->expires_at == std::chrono::system_clock::time_point::max());
    CHECK(refresh_time(*t, std::chrono::seconds{60}, now) > now + std::chrono::hours{24 * 365 * 200});

    result<oauth2_token> hour = parse_token_response(token_answer(R"({"access_token":"a","expires_in":3600})"), now);
    REQUIRE(hour);
    CHECK(hour->expires_at == now + std::chrono::hours{1});
    CHECK_FALSE(parse_token_response(token_answer(R"({"access_token":"a","expires_in":1099511627777})"), now));
}

// request_building: a date-time parameter near the ends of its microsecond range overflowed when
// split into days and time of day (UBSan); outside years 0000-9999 it is now refused.
TEST_CASE("fuzz regression: date-time parameters outside years 0000-9999 are refused", "[fuzz][request]")
{
    using namespace std::chrono;
    auto refusal = [](date_time t) {
        build_status st;
        (void)to_param_value(t, "at", st);
        return st.failure;
    };
    CHECK(refusal(date_time{microseconds{std::numeric_limits<std::int64_t>::min()}}) ==
          "at: date-time outside years 0000-9999");
    CHECK_FALSE(refusal(date_time{microseconds{std::numeric_limits<std::int64_t>::max()}}).empty());
    CHECK_FALSE(refusal(sys_days{year{10000} / January / 1}).empty());
    CHECK_FALSE(refusal(sys_days{year{0} / January / 1} - microseconds{1}).empty());
    CHECK(refusal(sys_days{year{9999} / December / 31} + hours{23}).empty());
    CHECK(refusal(sys_days{year{0} / January / 1}).empty());
}
