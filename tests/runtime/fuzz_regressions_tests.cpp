// Findings of the fuzz targets (tests/fuzz), kept as ordinary tests: each case is the smallest
// input that showed the fault, and the fix's boundary.
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
