#include "models.hpp"

#include <specbound/json/decode.hpp>
#include <specbound/json/encode.hpp>

#include <catch2/catch.hpp>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <chrono>
#include <cmath>
#include <limits>
#include <map>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace sj = specbound::json;
using namespace petstore;

namespace {

template <class T>
void round_trip(std::string_view json)
{
    INFO(json);
    T v{};
    auto f = sj::decode(json, v);
    if (f)
        FAIL(f->pointer << ": " << f->message);
    std::string out = sj::encode(v);
    CHECK(out == json);
    T w{};
    REQUIRE(!sj::decode(out, w));
    CHECK(v == w);
    CHECK(sj::to_value(v) == boost::json::parse(json));
}

// The failure try_encode reports for `v`, without throwing; encode() throws the same text as
// std::invalid_argument, and the DOM route reports it too (try_to_value leaving its output as is).
template <class T>
std::string encode_failure(const T& v)
{
    std::string out = "prefix:";
    const char* why = nullptr;
    CHECK_NOTHROW(why = sj::try_encode(v, out));
    REQUIRE(why != nullptr);
    CHECK(out.starts_with("prefix:")); // partial output is appended, never replaces
    std::string text = why;
    try {
        (void)sj::encode(v);
        FAIL("encode did not throw");
    } catch (const std::invalid_argument& e) {
        CHECK(e.what() == text);
    }
    std::string appended;
    CHECK_THROWS_AS(sj::encode(v, appended), std::invalid_argument);

    boost::json::value dom = "untouched";
    const char* dom_why = nullptr;
    CHECK_NOTHROW(dom_why = sj::try_to_value(v, dom));
    REQUIRE(dom_why != nullptr);
    CHECK(dom_why == text);
    CHECK(dom == boost::json::value("untouched"));
    CHECK_THROWS_AS(sj::to_value(v), std::invalid_argument);
    return text;
}

bool mentions(const std::string& text, std::string_view what) { return text.find(what) != std::string::npos; }

// Its conversion to square throws: emplacing one leaves a shape valueless.
struct exploding_square {
    operator square() const { throw std::runtime_error("boom"); }
};

} // namespace

TEST_CASE("encode: object models in declaration order, absent omitted, null written")
{
    pet p;
    p.id = 3;
    p.name = "Tom";
    p.nickname = specbound::nullable<std::string>{};
    p.age = specbound::null;
    CHECK(sj::encode(p) == R"({"id":3,"name":"Tom","nickname":null,"age":null})");
    p.age = 4;
    p.tag = "t";
    p.status = pet_status::available;
    p.photo_urls = std::vector<std::string>{};
    p.labels = std::map<std::string, std::string>{{"b", "2"}, {"a", "1"}};
    p.extra = boost::json::parse(R"({"k":[1]})");
    CHECK(sj::encode(p) == R"({"id":3,"name":"Tom","tag":"t","status":"available","nickname":null,"age":4,)"
                           R"("photoUrls":[],"labels":{"a":"1","b":"2"},"extra":{"k":[1]}})");
    std::string appended = "x";
    sj::encode(p.name, appended);
    CHECK(appended == R"(x"Tom")");
}

TEST_CASE("encode: round trips")
{
    round_trip<pet>(R"({"id":7,"name":"Rex","tag":"dog","status":"sold","nickname":null,"age":3,)"
                    R"("photoUrls":["a","b"],"labels":{"x":"1","y":"2"},"extra":{"k":[1,2,{"z":null}]}})");
    round_trip<pet>(R"({"id":-1,"name":"","status":"brand-new","age":null})");
    round_trip<any_pet>(R"({"pet_type":"dog","bark_volume":2})");
    round_trip<std::vector<payment>>(R"([{"card_number":"1"},{"iban":"DE","bic":"B"}])");
    round_trip<tree>(R"({"label":"a","left":{"label":"b","children":[]},"children":[{"label":"c","children":[]}]})");
    round_trip<record>(R"({"id":"6ba7b810-9dad-11d1-80b4-00c04fd430c8","created":"2021-03-04T05:06:07.123456Z",)"
                       R"("birthday":"2000-02-29","avatar":"aGVsbG8h","small":-3,"ratio":0.1,)"
                       R"("groups":[[{"pet_type":"cat","indoor":true}]],"counts":{"a":1},"meta":{"x":null},)"
                       R"("flags":[true,false],"zzz":"extra"})");
    round_trip<scalar_or_list>("[1,2,3]");
    round_trip<scalar_or_list>("1.5");
}

TEST_CASE("encode: an unknown alternative writes back exactly the object it kept")
{
    round_trip<open_shape>(R"({"kind":"hexagon","side":3,"nested":{"a":[1,{"b":null}],"t":"é"}})");
    round_trip<std::vector<open_shape>>(R"([{"kind":"circle","radius":0.5},{"side":1,"kind":"blob"}])");
    // Its discriminator is in `raw`: nothing is added.
    open_shape made = specbound::unknown_alternative{"hexagon", boost::json::object{{"kind", "hexagon"}, {"n", 6}}};
    CHECK(sj::encode(made) == R"({"kind":"hexagon","n":6})");
    CHECK(sj::to_value(made) == boost::json::parse(R"({"kind":"hexagon","n":6})"));
}

TEST_CASE("encode: union writes the discriminator when the alternative lacks it")
{
    shape s = square{2, "red"};
    CHECK(sj::encode(s) == R"({"kind":"square","side":2,"color":"red"})");
    shape c = circle{0.5};
    CHECK(sj::encode(c) == R"({"kind":"circle","radius":0.5})");
    shape back;
    REQUIRE(!sj::decode(sj::encode(c), back));
    CHECK(back == c);
    any_pet a = cat{"cat", true};
    CHECK(sj::encode(a) == R"({"pet_type":"cat","indoor":true})");
}

TEST_CASE("encode: a discriminator member left empty is written with the alternative's value")
{
    any_pet unset = dog{"", 7};
    CHECK(sj::encode(unset) == R"({"pet_type":"dog","bark_volume":7})");
    CHECK(sj::to_value(unset) == boost::json::parse(R"({"pet_type":"dog","bark_volume":7})"));
    CHECK(boost::json::serialize(sj::to_value(unset)) == sj::encode(unset)); // same key order
    any_pet set = dog{"hound", 7}; // a value the caller chose is written as it is
    CHECK(sj::encode(set) == R"({"pet_type":"hound","bark_volume":7})");
    CHECK(sj::to_value(set) == boost::json::parse(R"({"pet_type":"hound","bark_volume":7})"));
}

TEST_CASE("encode: string escaping")
{
    CHECK(sj::encode(std::string("a\"b\\c\n\t\x01\x1f/\x7f")) == R"("a\"b\\c\n\t\u0001\u001f/)" "\x7f\"");
    CHECK(sj::encode(std::string("\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80")) == "\"\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80\"");
    CHECK(sj::encode(std::string("\b\f\r")) == R"("\b\f\r")");
    CHECK_THROWS_AS(sj::encode(std::string("\xff")), std::invalid_argument);
    CHECK_THROWS_AS(sj::encode(std::string("\xc3")), std::invalid_argument);         // truncated
    CHECK_THROWS_AS(sj::encode(std::string("\xc0\xaf")), std::invalid_argument);     // overlong
    CHECK_THROWS_AS(sj::encode(std::string("\xed\xa0\x80")), std::invalid_argument); // surrogate
    CHECK_THROWS_AS(sj::encode(std::string("\xf4\x90\x80\x80")), std::invalid_argument); // > U+10FFFF
    std::string nul("a\0b", 3);
    CHECK(sj::encode(nul) == R"("a\u0000b")");
    std::string back;
    REQUIRE(!sj::decode(sj::encode(nul), back));
    CHECK(back == nul);
}

TEST_CASE("encode: numbers")
{
    CHECK(sj::encode(0.1) == "0.1");
    CHECK(sj::encode(1e300) == "1e+300");
    CHECK(sj::encode(-0.0) == "-0.0"); // "-0" would decode as the integer 0
    CHECK(sj::encode(5.0) == "5");
    CHECK(sj::encode(0.1f) == "0.1");
    CHECK(sj::encode(std::int64_t{INT64_MIN}) == "-9223372036854775808");
    CHECK(sj::encode(std::uint64_t{UINT64_MAX}) == "18446744073709551615");
    CHECK(sj::encode(true) == "true");
    CHECK_THROWS_AS(sj::encode(std::numeric_limits<double>::quiet_NaN()), std::invalid_argument);
    CHECK_THROWS_AS(sj::encode(std::numeric_limits<double>::infinity()), std::invalid_argument);
    double d = 0.30000000000000004;
    double back = 0;
    REQUIRE(!sj::decode(sj::encode(d), back));
    CHECK(back == d);
}

TEST_CASE("encode: enums the spec does not list cannot be written")
{
    CHECK(sj::encode(pet_status::pending) == R"("pending")");
    CHECK_THROWS_AS(sj::encode(static_cast<pet_status>(42)), std::invalid_argument);
    CHECK(sj::encode(specbound::open_enum<pet_status>::unknown("x\"y")) == R"("x\"y")");
}

TEST_CASE("encode: top-level wrappers and containers")
{
    CHECK(sj::encode(std::optional<int>{}) == "null");
    CHECK(sj::encode(specbound::nullable<int>{5}) == "5");
    CHECK(sj::encode(std::vector<std::optional<int>>{1, std::nullopt}) == "[1,null]");
    CHECK(sj::encode(std::map<std::string, int>{{"z", 1}, {"a", 2}}) == R"({"a":2,"z":1})");
    CHECK(sj::encode(specbound::bytes{}) == R"("")");
    CHECK(sj::encode(std::vector<bool>{true, false}) == "[true,false]");
}

TEST_CASE("encode: additional properties never repeat a declared field")
{
    record r{};
    r.created = specbound::date_time{};
    r.additional_properties = {{"small", "shadow"}, {"z", "1"}};
    CHECK(sj::encode(r) == R"({"id":"00000000-0000-0000-0000-000000000000","created":"1970-01-01T00:00:00Z",)"
                           R"("small":0,"z":"1"})");
}

TEST_CASE("to_value: builds the DOM directly")
{
    pet p;
    p.id = 3;
    p.name = "n";
    p.age = 2;
    p.labels = std::map<std::string, std::string>{{"a", "b"}};
    p.status = specbound::open_enum<pet_status>::unknown("odd");
    CHECK(sj::to_value(p) == boost::json::parse(sj::encode(p)));
    shape s = square{2.5, std::nullopt};
    CHECK(sj::to_value(s) == boost::json::parse(R"({"kind":"square","side":2.5})"));
    shape whole = square{2, std::nullopt};
    CHECK(sj::to_value(whole).as_object().at("side").is_double()); // a double stays a double
    CHECK(sj::to_value(std::optional<int>{}).is_null());
    CHECK(sj::to_value(std::uint64_t{UINT64_MAX}) == boost::json::value(std::uint64_t{UINT64_MAX}));
    CHECK(sj::to_value(0.1f) == boost::json::value(0.1));
    CHECK_THROWS_AS(sj::to_value(std::numeric_limits<double>::infinity()), std::invalid_argument);
    CHECK_THROWS_AS(sj::to_value(std::string("\xff")), std::invalid_argument);
    CHECK_THROWS_AS(sj::to_value(static_cast<pet_status>(42)), std::invalid_argument);
}

TEST_CASE("encode: field names that need escaping")
{
    odd_names o{1, "s", true};
    std::string text = sj::encode(o);
    CHECK(text == R"({"a\"b":1,"c\\d/e~f":"s","g\u0001h":true})");
    odd_names back{};
    REQUIRE(!sj::decode(text, back));
    CHECK(back == o);
    CHECK(sj::to_value(o) == boost::json::parse(text));
    odd_names missing{};
    auto f = sj::decode(R"({"c\\d/e~f":5})", missing);
    REQUIRE(f);
    CHECK(f->pointer == "/c\\d~1e~0f");
    CHECK(f->message == "expected string, got number");
}

TEST_CASE("encode: the 8-byte scan finds every byte that needs attention")
{
    // Each special byte at each position of a 24-byte run of plain ASCII.
    const std::string specials[] = {"\"", "\\", std::string(1, '\0'), "\x1f", "\xc3\xa9"};
    for (const auto& special : specials) {
        for (std::size_t pos = 0; pos <= 24; ++pos) {
            std::string text(24, 'a');
            text.insert(pos, special);
            std::string json = sj::encode(text);
            INFO(pos);
            std::string back;
            REQUIRE(!sj::decode(json, back));
            CHECK(back == text);
            bool utf8 = static_cast<unsigned char>(special[0]) >= 0x80;
            CHECK(json.size() == text.size() + 2 + (utf8 ? 0 : special[0] == '"' || special[0] == '\\' ? 1 : 5));
        }
    }
    for (unsigned c = 0; c < 256; ++c) {
        std::uint64_t x = 0x6161616161616161ULL; // "aaaaaaaa"
        for (int k = 0; k < 8; ++k) {
            std::uint64_t y = (x & ~(0xFFULL << (8 * k))) | (std::uint64_t{c} << (8 * k));
            bool expected = c < 0x20 || c == '"' || c == '\\' || c >= 0x80;
            CHECK(sj::detail::needs_attention(y) == expected);
        }
    }
}

TEST_CASE("try_encode: success returns nullptr and appends what encode writes")
{
    pet p;
    p.id = 1;
    p.name = "n";
    p.status = pet_status::sold;
    std::string out = "x";
    CHECK(sj::try_encode(p, out) == nullptr);
    CHECK(out == "x" + sj::encode(p));
    boost::json::value dom;
    CHECK(sj::try_to_value(p, dom) == nullptr);
    CHECK(dom == sj::to_value(p));
}

TEST_CASE("try_encode: strings that are not UTF-8, at the top and nested")
{
    CHECK(mentions(encode_failure(std::string("\xff")), "UTF-8"));
    CHECK(mentions(encode_failure(std::string("ok \xc3")), "UTF-8"));                     // truncated at the end
    CHECK(mentions(encode_failure(std::string("\xed\xa0\x80 then more text")), "UTF-8")); // surrogate

    pet good;
    good.name = "fine";
    pet bad = good;
    bad.name = "bad \xc0\xaf name"; // overlong
    CHECK(mentions(encode_failure(std::vector<pet>{good, bad, good}), "UTF-8"));

    pet bad_key = good;
    bad_key.labels = std::map<std::string, std::string>{{"a", "1"}, {"\xff", "2"}};
    CHECK(mentions(encode_failure(bad_key), "UTF-8"));
    pet bad_label = good;
    bad_label.labels = std::map<std::string, std::string>{{"a", "\xfe"}};
    CHECK(mentions(encode_failure(bad_label), "UTF-8"));
    pet bad_unknown = good;
    bad_unknown.status = specbound::open_enum<pet_status>::unknown("\xff");
    CHECK(mentions(encode_failure(bad_unknown), "UTF-8"));

    record r{};
    r.additional_properties = {{"\x80", "v"}};
    CHECK(mentions(encode_failure(r), "UTF-8"));
    record deep{};
    deep.groups = std::vector<std::vector<any_pet>>{{cat{"cat", true}}, {dog{"do\xffg", 1}}};
    CHECK(mentions(encode_failure(deep), "UTF-8"));
    CHECK(mentions(encode_failure(std::map<std::string, int>{{"\xff", 1}}), "UTF-8"));
}

TEST_CASE("try_encode: non-finite numbers")
{
    const std::string nan = encode_failure(std::numeric_limits<double>::quiet_NaN());
    CHECK(mentions(nan, "non-finite"));
    CHECK(encode_failure(-std::numeric_limits<double>::infinity()) == nan);
    CHECK(encode_failure(std::numeric_limits<float>::infinity()) == nan);
    CHECK(encode_failure(std::vector<double>{1, 2, std::numeric_limits<double>::infinity()}) == nan);
    record r{};
    r.ratio = std::numeric_limits<float>::quiet_NaN();
    CHECK(encode_failure(r) == nan);
    shape s = circle{std::numeric_limits<double>::quiet_NaN()}; // written with its discriminator
    CHECK(encode_failure(s) == nan);
}

TEST_CASE("try_encode: enum values the spec does not list")
{
    const std::string text = encode_failure(static_cast<pet_status>(42));
    CHECK(mentions(text, "enum"));
    pet p;
    p.status = static_cast<pet_status>(7);
    CHECK(encode_failure(p) == text);
    CHECK(encode_failure(
              std::vector<specbound::open_enum<pet_status>>{pet_status::sold, static_cast<pet_status>(-1)}) == text);
}

TEST_CASE("try_encode: dates outside 0000-9999 and invalid dates")
{
    using namespace std::chrono;
    record r{};
    r.birthday = year{10000} / 1 / 1;
    const std::string date_text = encode_failure(r);
    CHECK(mentions(date_text, "0000-9999"));
    CHECK(encode_failure(specbound::date{year{-1} / 12 / 31}) == date_text);
    CHECK(encode_failure(specbound::date{2023y / 2 / 29}) == date_text); // not a calendar day

    record before{};
    before.created = sys_days(year{-1} / 12 / 31) + 23h;
    const std::string date_time_text = encode_failure(before);
    CHECK(mentions(date_time_text, "0000-9999"));
    CHECK(encode_failure(specbound::date_time{sys_days(year{10000} / 1 / 1)}) == date_time_text);
    // Far enough that its year does not fit std::chrono::year's 16 bits: must not wrap into range.
    CHECK(encode_failure(specbound::date_time{sys_days(2000y / 1 / 1) + days(23'936'160)}) == date_time_text);

    // The edges of the range are written.
    CHECK(sj::encode(specbound::date{year{0} / 1 / 1}) == R"("0000-01-01")");
    CHECK(sj::encode(specbound::date{year{9999} / 12 / 31}) == R"("9999-12-31")");
    CHECK(sj::encode(specbound::date_time{sys_days(year{10000} / 1 / 1) - 1us}) == R"("9999-12-31T23:59:59.999999Z")");
    CHECK(sj::encode(specbound::date_time{sys_days(year{0} / 1 / 1)}) == R"("0000-01-01T00:00:00Z")");
}

TEST_CASE("try_encode: the first failure wins")
{
    pet p;
    p.name = "\xff";                       // written before status
    p.status = static_cast<pet_status>(9); // a second failure, later
    CHECK(mentions(encode_failure(p), "UTF-8"));
    record r{};
    r.birthday = specbound::date{std::chrono::year{20000} / 1 / 1}; // fails first
    r.ratio = std::numeric_limits<float>::infinity();               // fails later
    CHECK(mentions(encode_failure(r), "0000-9999"));
}

TEST_CASE("try_encode: a union left valueless by an exception")
{
    shape s = circle{1};
    CHECK_THROWS_AS(s.emplace<square>(exploding_square{}), std::runtime_error);
    REQUIRE(s.valueless_by_exception());
    CHECK(mentions(encode_failure(s), "valueless"));
}

TEST_CASE("scalars: try_append_date, try_append_date_time, rfc3339_representable")
{
    using namespace std::chrono;
    static_assert(sj::rfc3339_representable(specbound::date{2024y / 2 / 29}));
    static_assert(!sj::rfc3339_representable(specbound::date{2023y / 2 / 29}));
    static_assert(sj::rfc3339_representable(specbound::date{year{0} / 1 / 1}));
    static_assert(!sj::rfc3339_representable(specbound::date{year{-1} / 12 / 31}));
    static_assert(sj::rfc3339_representable(specbound::date{year{9999} / 12 / 31}));
    static_assert(!sj::rfc3339_representable(specbound::date{year{10000} / 1 / 1}));
    static_assert(sj::rfc3339_representable(specbound::date_time{sys_days(year{0} / 1 / 1)}));
    static_assert(!sj::rfc3339_representable(specbound::date_time{sys_days(year{0} / 1 / 1) - 1us}));
    static_assert(sj::rfc3339_representable(specbound::date_time{sys_days(year{10000} / 1 / 1) - 1us}));
    static_assert(!sj::rfc3339_representable(specbound::date_time{sys_days(year{10000} / 1 / 1)}));
    static_assert(!sj::rfc3339_representable(specbound::date_time{microseconds::max()}));
    static_assert(!sj::rfc3339_representable(specbound::date_time{microseconds::min()}));

    std::string out = "d=";
    CHECK(sj::try_append_date(out, 2024y / 2 / 29));
    CHECK(out == "d=2024-02-29");
    CHECK_FALSE(sj::try_append_date(out, year{10000} / 1 / 1));
    CHECK_FALSE(sj::try_append_date(out, 2023y / 2 / 29));
    CHECK(out == "d=2024-02-29"); // untouched on failure
    CHECK(sj::try_append_date_time(out, sys_days(2021y / 3 / 4) + 5h + 120ms));
    CHECK(out == "d=2024-02-292021-03-04T05:00:00.120Z");
    CHECK_FALSE(sj::try_append_date_time(out, specbound::date_time{microseconds::max()}));
    CHECK_FALSE(sj::try_append_date_time(out, sys_days(year{-1} / 1 / 1)));
    CHECK(out == "d=2024-02-292021-03-04T05:00:00.120Z");
    // The throwing forms wrap them.
    CHECK_THROWS_AS(sj::format_date(year{10000} / 1 / 1), std::invalid_argument);
    CHECK_THROWS_AS(sj::format_date_time(specbound::date_time{microseconds::max()}), std::invalid_argument);
    CHECK(sj::format_date(year{5} / 1 / 2) == "0005-01-02");
}
