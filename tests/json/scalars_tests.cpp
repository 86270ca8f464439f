#include "models.hpp"

#include <specbound/json/scalars.hpp>

#include <catch2/catch.hpp>

#include <chrono>
#include <stdexcept>
#include <string>

namespace sj = specbound::json;
using namespace std::chrono;

namespace {

specbound::bytes to_bytes(std::string_view s)
{
    specbound::bytes b;
    for (char c : s)
        b.push_back(static_cast<std::byte>(c));
    return b;
}

} // namespace

TEST_CASE("date-time: parse RFC 3339, normalized to UTC")
{
    specbound::date_time t;
    REQUIRE(sj::parse_date_time("2021-03-04T05:06:07Z", t));
    CHECK(t == sys_days(2021y / 3 / 4) + 5h + 6min + 7s);
    REQUIRE(sj::parse_date_time("2021-03-04T05:06:07.123456789+02:00", t));
    CHECK(t == sys_days(2021y / 3 / 4) + 3h + 6min + 7s + 123456us);
    REQUIRE(sj::parse_date_time("2021-03-04t00:30:00-01:00", t));
    CHECK(t == sys_days(2021y / 3 / 4) + 1h + 30min);
    REQUIRE(sj::parse_date_time("2021-01-01T00:30:00+01:00", t));
    CHECK(t == sys_days(2020y / 12 / 31) + 23h + 30min);
    REQUIRE(sj::parse_date_time("2016-12-31T23:59:60z", t));
    CHECK(t == sys_days(2017y / 1 / 1));
    REQUIRE(sj::parse_date_time("1969-12-31T23:59:59.5Z", t));
    CHECK(t.time_since_epoch() == -500ms);

    specbound::date_time keep = sys_days(2000y / 1 / 1);
    t = keep;
    for (const char* s : {"", "2021-03-04", "2021-03-04T05:06:07", "2021-03-04T05:06:07.Z", "2021-03-04 05:06:07Z",
                          "2021-13-04T05:06:07Z", "2021-02-29T05:06:07Z", "2021-03-04T24:00:00Z",
                          "2021-03-04T05:60:00Z", "2021-03-04T05:06:61Z", "2021-03-04T05:06:07+2:00",
                          "2021-03-04T05:06:07+02:60", "2021-03-04T05:06:07+0200", "2021-03-04T05:06:07Zjunk",
                          "2021-3-04T05:06:07Z", "２021-03-04T05:06:07Z", "2021-03-04T05:06:07+02:00:00"}) {
        INFO(s);
        CHECK(!sj::parse_date_time(s, t));
        CHECK(t == keep);
    }
}

TEST_CASE("date-time: format")
{
    CHECK(sj::format_date_time(sys_days(2021y / 3 / 4) + 5h + 6min + 7s) == "2021-03-04T05:06:07Z");
    CHECK(sj::format_date_time(sys_days(2021y / 3 / 4) + 120ms) == "2021-03-04T00:00:00.120Z");
    CHECK(sj::format_date_time(sys_days(2021y / 3 / 4) + 123457us) == "2021-03-04T00:00:00.123457Z");
    CHECK(sj::format_date_time(specbound::date_time{} - 500ms) == "1969-12-31T23:59:59.500Z");
    CHECK_THROWS_AS(sj::format_date_time(sys_days(year{10000} / 1 / 1)), std::invalid_argument);
    CHECK_THROWS_AS(sj::format_date_time(sys_days(year{-1} / 1 / 1)), std::invalid_argument);
    specbound::date_time t;
    auto now = time_point_cast<microseconds>(system_clock::now());
    REQUIRE(sj::parse_date_time(sj::format_date_time(now), t));
    CHECK(t == now);
}

TEST_CASE("date: parse and format")
{
    specbound::date d;
    REQUIRE(sj::parse_date("2024-02-29", d));
    CHECK(d == 2024y / 2 / 29);
    CHECK(sj::format_date(d) == "2024-02-29");
    CHECK(sj::format_date(year{5} / 1 / 2) == "0005-01-02");
    for (const char* s : {"2023-02-29", "2024-2-29", "2024-02-29T", "20240229", "2024-00-10", "2024-01-32", ""})
        CHECK(!sj::parse_date(s, d));
    CHECK_THROWS_AS(sj::format_date(2023y / 2 / 29), std::invalid_argument);
}

TEST_CASE("uuid: canonical form only")
{
    specbound::uuid u;
    REQUIRE(sj::parse_uuid("6ba7b810-9dad-11d1-80b4-00c04fd430c8", u));
    CHECK(u.data[0] == 0x6b);
    CHECK(u.data[15] == 0xc8);
    CHECK(sj::format_uuid(u) == "6ba7b810-9dad-11d1-80b4-00c04fd430c8");
    for (const char* s : {"6ba7b8109dad11d180b400c04fd430c8", "{6ba7b810-9dad-11d1-80b4-00c04fd430c8}",
                          "6ba7b810-9dad-11d1-80b4-00c04fd430cg", "6ba7b810-9dad-11d1-80b400c04fd430c8-",
                          "6ba7b81-09dad-11d1-80b4-00c04fd430c8", ""})
        CHECK(!sj::parse_uuid(s, u));
}

TEST_CASE("base64: RFC 4648 vectors, strict padding")
{
    const std::pair<const char*, const char*> vectors[] = {{"", ""},         {"f", "Zg=="},     {"fo", "Zm8="},
                                                           {"foo", "Zm9v"},  {"foob", "Zm9vYg=="}, {"fooba", "Zm9vYmE="},
                                                           {"foobar", "Zm9vYmFy"}};
    for (auto [plain, encoded] : vectors) {
        CHECK(sj::base64_encode(to_bytes(plain)) == encoded);
        specbound::bytes b;
        REQUIRE(sj::base64_decode(encoded, b));
        CHECK(b == to_bytes(plain));
    }
    specbound::bytes all;
    for (int i = 0; i < 256; ++i)
        all.push_back(static_cast<std::byte>(i));
    specbound::bytes back;
    REQUIRE(sj::base64_decode(sj::base64_encode(all), back));
    CHECK(back == all);
    for (const char* s : {"Zg", "Zg=", "Zg===", "Z===", "Zm9v=Zm9", "Zh==", "Zm9=", "Zm 9v", "Zm9v\n", "Zm-_", "===="})
        CHECK(!sj::base64_decode(s, back));
}

TEST_CASE("enums: wire text")
{
    using petstore::pet_status;
    CHECK(sj::enum_to_wire(pet_status::sold) == "sold");
    CHECK(sj::enum_to_wire(static_cast<pet_status>(9)).empty());
    pet_status s{};
    CHECK(sj::enum_from_wire("pending", s));
    CHECK(s == pet_status::pending);
    CHECK(!sj::enum_from_wire("Pending", s));
    specbound::open_enum<pet_status> o;
    CHECK(sj::enum_from_wire("new", o));
    CHECK(!o.known());
    CHECK(sj::enum_to_wire(o) == "new");
    CHECK(sj::enum_from_wire("available", o));
    CHECK(o == pet_status::available);
    CHECK(sj::enum_to_wire(o) == "available");
}
