// The typed reader (decode()'s first try) against the parser's route: whenever the reader
// succeeds, the parser's route must succeed with an equal value; whatever the parser's route
// refuses, the reader must refuse. And the reader must not give up on what it is there for
// (else decode() would be right but slow): those documents are checked to be read by it.
#include "models.hpp"

#include <specbound/json/decode.hpp>

#include <catch2/catch.hpp>

#include <cstdint>
#include <cstring>
#include <map>
#include <optional>
#include <random>
#include <string>
#include <type_traits>
#include <vector>

namespace sj = specbound::json;
using namespace petstore;

// This file is compiled twice (tests/json/CMakeLists.txt): each build must test the members loop
// it is there for.
#if defined(SPECBOUND_TEST_PER_TYPE_MEMBER_LOOPS)
static_assert(!std::is_same_v<std::remove_cvref_t<decltype(sj::detail::members_of<pet>)>, sj::detail::object_layout>,
              "the optimized build of the reader's tests must read members by a loop per type");
#else
static_assert(std::is_same_v<std::remove_cvref_t<decltype(sj::detail::members_of<pet>)>, sj::detail::object_layout>,
              "the unoptimized build of the reader's tests must read members by the shared loop");
#endif

namespace {

// Both routes on `json`; true when the reader took it. Fails the test when they disagree.
template <class T>
bool agree(std::string_view json)
{
    INFO(json);
    T by_parser{};
    auto failure = sj::detail::parse_into(json, by_parser);
    T by_reader{};
    const bool read = sj::detail::read_into(json, by_reader);
    if (read) {
        if (failure)
            FAIL("the reader took what the parser refuses: " << failure->message << " at '" << failure->pointer << "'");
        CHECK(by_reader == by_parser);
    }
    // decode() answers as the parser's route does, whichever route gave the answer.
    T decoded{};
    auto decode_failure = sj::decode(json, decoded);
    REQUIRE(decode_failure.has_value() == failure.has_value());
    if (failure) {
        CHECK(decode_failure->pointer == failure->pointer);
        CHECK(decode_failure->message == failure->message);
        CHECK(decode_failure->offset == failure->offset);
    }
    else {
        CHECK(decoded == by_parser);
    }
    return read;
}

// The reader must take it (and agree).
template <class T>
void read_by_reader(std::string_view json)
{
    INFO(json);
    CHECK(agree<T>(json));
}

// The reader must leave it to the parser (which may take it or not).
template <class T>
void left_to_parser(std::string_view json)
{
    INFO(json);
    CHECK_FALSE(agree<T>(json));
}

std::uint64_t bits(double d)
{
    std::uint64_t b;
    std::memcpy(&b, &d, sizeof b);
    return b;
}

} // namespace

TEST_CASE("reader: objects, wrappers, unknown keys, whitespace and repeats as the parser decodes them", "[json][reader]")
{
    read_by_reader<pet>(R"({"id":1,"name":"Rex","age":4})");
    read_by_reader<pet>(" \t\r\n{ \"id\" : 7 ,\n\"name\"\t:\"a\" , \"tag\" : null , \"age\" : null } \n");
    read_by_reader<pet>(R"({"id":1,"name":"a","nickname":null,"age":3,"status":"sold"})");
    read_by_reader<pet>(R"({"id":1,"name":"a","nickname":"Rexy","age":null,"status":"lost","photoUrls":[]})");
    read_by_reader<pet>(R"({"id":1,"name":"a","age":1,"photoUrls":["x","y\"z"],"tag":"t"})");
    // Unknown keys with every kind of value, nested, are skipped.
    read_by_reader<pet>(
        R"({"zzz":{"a":[1,-2.5e3,true,false,null,"s\u00e9",{"b":{}}],"c":[]},"id":2,"q":"\\","name":"b","age":0})");
    // A repeated key: the last wins, nothing of the first survives.
    read_by_reader<pet>(R"({"id":1,"name":"a","name":"b","tag":"x","tag":null,"age":1,"age":2})");
    // Free-form values are handed to a parser for their subtree; maps are read.
    read_by_reader<pet>(R"({"id":1,"name":"a","age":1,"labels":{"k":"v","k2":"w"},"extra":{"x":[1,{"y":null}]}})");
    read_by_reader<std::vector<pet>>(R"([{"id":1,"name":"a","age":1},{"id":2,"name":"b","age":null}])");
    read_by_reader<std::vector<pet>>("[]");
    read_by_reader<std::vector<std::vector<std::int64_t>>>("[[1,2],[],[3]]");
    read_by_reader<tree>(R"({"label":"r","left":{"label":"l","children":[]},"children":[{"label":"c","children":[]}]})");
    // 70 fields: the seen bits span two words; required fields on both sides of the boundary.
    read_by_reader<wide>(R"({"f3":1,"f65":2,"f69":3,"f0":4,"f64":5})");
    // Unions, maps and models with additionalProperties go to a parser, inside a reader's array.
    read_by_reader<std::vector<any_pet>>(R"([{"pet_type":"cat","indoor":true},{"pet_type":"dog"}])");
    read_by_reader<std::vector<shape>>(R"([{"side":2,"kind":"square"},{"kind":"circle","radius":1}])");
    read_by_reader<std::vector<record>>(
        R"([{"id":"123e4567-e89b-12d3-a456-426614174000","created":"2024-01-02T03:04:05Z","small":1,)"
        R"("flags":[true,false],"counts":{"a":1},"meta":{"m":[]},"more":"kept",)"
        R"("groups":[[{"pet_type":"cat"}]]}])");
    read_by_reader<std::vector<scalar_or_list>>(R"([1,"s",true,[1,2],2.5])");
}

TEST_CASE("reader: maps are filled as the parser fills them", "[json][reader]")
{
    using counts = std::map<std::string, std::int64_t>;
    read_by_reader<pet>(R"({"id":1,"name":"a","age":1,"labels":{}})");
    read_by_reader<pet>(R"({"id":1,"name":"a","age":1,"labels":{ "k" : "v" , "k2":"w\n" }})");
    // A repeated key: the last value wins; a repeated map: the last one, not a merge.
    read_by_reader<pet>(R"({"id":1,"name":"a","age":1,"labels":{"k":"v","k":"w"}})");
    read_by_reader<pet>(R"({"id":1,"name":"a","age":1,"labels":{"k":"v"},"labels":{"j":"w"}})");
    read_by_reader<std::map<std::string, pet>>(
        R"({"x":{"id":1,"name":"a","age":1,"tag":"t"},"x":{"id":2,"name":"b","age":3}})"); // nothing of the first survives
    // Escaped keys are unescaped; the value's escapes do not disturb the key already taken.
    read_by_reader<counts>(R"({"caf\u00e9":1,"a\"b":2,"\ud83d\ude00":3})");
    read_by_reader<pet>(R"({"id":1,"name":"a","age":1,"labels":{"k\u00e9\"":"v\"w\u00e8","\t":"\\"}})");
    read_by_reader<std::vector<counts>>(R"([{"a":1},{},{"b":-2,"c":9007199254740993}])");
    read_by_reader<std::map<std::string, pet>>(R"({"x":{"id":1,"name":"a","age":null},"y":{"id":2,"name":"b","age":3}})");
    read_by_reader<std::map<std::string, std::optional<std::int64_t>>>(R"({"a":null,"b":2})");
    read_by_reader<std::map<std::string, std::vector<counts>>>(R"({"a":[{"z":0}],"b":[]})");
    left_to_parser<pet>(R"({"id":1,"name":"a","age":1,"labels":{"k":1}})");   // a value its type refuses
    left_to_parser<pet>(R"({"id":1,"name":"a","age":1,"labels":{"k":null}})"); // null for a string
    left_to_parser<pet>(R"({"id":1,"name":"a","age":1,"labels":["k"]})");      // not an object
    left_to_parser<counts>(R"({"a":1,})");
    left_to_parser<counts>(R"({"a" 1})");
    left_to_parser<counts>(R"({"a":1)");
    left_to_parser<counts>(R"({a:1})");
    left_to_parser<std::map<std::string, pet>>(R"({"x":{"id":1}})"); // a model's missing field
}

TEST_CASE("reader: unions whose discriminator comes first are read as they stream", "[json][reader]")
{
    read_by_reader<any_pet>(R"({"pet_type":"cat","indoor":true})");
    read_by_reader<any_pet>(R"({ "pet_type" : "c\u0061t" , "indoor" : false })");
    read_by_reader<std::vector<any_pet>>(R"([{"pet_type":"dog","bark_volume":3,"x":[1]},{"pet_type":"cat"}])");
    // Alternatives without a member for the discriminator; "Square" maps to the same alternative.
    read_by_reader<std::vector<shape>>(R"([{"kind":"circle","radius":1},{"kind":"Square","side":2,"color":null}])");
    // Not first, or a value the mapping lacks: the object goes to a parser, which captures it.
    read_by_reader<std::vector<open_shape>>(
        R"([{"kind":"circle","radius":1},{"kind":"hexagon","n":6},{"radius":2,"kind":"circle"}])");
    read_by_reader<any_pet>(R"({"indoor":true,"pet_type":"cat"})");
    // Failures, decided by the parser's route.
    left_to_parser<any_pet>(R"({"pet_type":"cat","pet_type":"dog"})"); // it cannot choose again
    left_to_parser<any_pet>(R"({"pet_type":"cat","indoor":1})");
    left_to_parser<any_pet>(R"({"pet_type":"bird"})");
    left_to_parser<any_pet>(R"({"pet_type":7})");
    left_to_parser<any_pet>("{}");
    left_to_parser<std::vector<shape>>(R"([{"kind":"circle"}])"); // radius is required
}

TEST_CASE("reader: strings with escapes and UTF-8 decode as the parser decodes them", "[json][reader]")
{
    read_by_reader<std::vector<std::string>>(R"(["", "plain", "q\"b\\s\/b\bf\fn\nr\rt\t", "\u0041\u00e9\u4e2d"])");
    read_by_reader<std::vector<std::string>>(R"(["\ud83d\ude00 and \uD83D\uDE00", "\u0000x"])");
    read_by_reader<std::vector<std::string>>("[\"caf\xc3\xa9\", \"\xe4\xb8\xad\xe6\x96\x87\", \"\xf0\x9f\x98\x80\"]");
    read_by_reader<std::vector<std::string>>("[\"\xef\xbf\xbf\xf4\x8f\xbf\xbf\xed\x9f\xbf\xee\x80\x80\"]");
    read_by_reader<std::vector<std::string>>("[\"" + std::string(100, 'x') + "\\n" + std::string(40, 'y') + "\xc3\xa9\"]");
    // Keys with escapes match the unescaped wire names.
    read_by_reader<odd_names>(R"({"a\"b":1,"c\\d\/e~f":"x","g\u0001h":true})");

    // What the reader does not take: invalid in the parser's eyes too, or left to it.
    left_to_parser<std::vector<std::string>>("[\"\xc0\x80\"]");              // overlong
    left_to_parser<std::vector<std::string>>("[\"\xed\xa0\x80\"]");          // a surrogate in UTF-8
    left_to_parser<std::vector<std::string>>("[\"\xf4\x90\x80\x80\"]");      // past U+10FFFF
    left_to_parser<std::vector<std::string>>("[\"\xe4\xb8\"]");              // cut short
    left_to_parser<std::vector<std::string>>("[\"\x80\"]");                  // a lone continuation byte
    left_to_parser<std::vector<std::string>>(R"(["\ud800"])");               // a lone high surrogate
    left_to_parser<std::vector<std::string>>(R"(["\udc00x"])");              // a lone low surrogate
    left_to_parser<std::vector<std::string>>(R"(["\ud800\u0041"])");         // a high one without its low
    left_to_parser<std::vector<std::string>>(R"(["\x"])");                   // no such escape
    left_to_parser<std::vector<std::string>>(R"(["\u12G4"])");
    left_to_parser<std::vector<std::string>>("[\"tab\there\"]");             // a raw control character
    left_to_parser<std::vector<std::string>>("[\"open");
    left_to_parser<std::vector<std::string>>("[\"open\\");
}

TEST_CASE("reader: numbers decode to the parser's values", "[json][reader]")
{
    read_by_reader<std::vector<std::int64_t>>("[0,1,-1,9223372036854775807,-9223372036854775808,5.0,1e2,-2E+1]");
    read_by_reader<std::vector<std::uint64_t>>("[0,18446744073709551615,9223372036854775808]");
    read_by_reader<std::vector<std::int32_t>>("[2147483647,-2147483648]");
    read_by_reader<std::vector<double>>("[0,0.0,1,-1,0.1,123.456,1e2,1E-2,1.5e+300,9007199254740993,18446744073709551615]");
    read_by_reader<std::vector<double>>("[1.7976931348623157e308,2.2250738585072014e-308,0.000001,123456789012345.6]");
    read_by_reader<std::vector<float>>("[1.5,3.4028235e+38,-0.25]");

    // Refused by the type, alike on both routes.
    left_to_parser<std::vector<std::int32_t>>("[2147483648]");
    left_to_parser<std::vector<std::int64_t>>("[5.5]");
    left_to_parser<std::vector<std::uint64_t>>("[-1]");
    left_to_parser<std::vector<std::uint64_t>>("[18446744073709551616]");
    left_to_parser<std::vector<float>>("[3.5e38]");
    // Not JSON numbers.
    for (const char* bad : {"[01]", "[-]", "[1.]", "[.5]", "[1e]", "[1e+]", "[+1]", "[0x10]", "[1.5.2]", "[--1]"})
        left_to_parser<std::vector<double>>(bad);
    // Left to the parser: its route decides the sign of zero, the range and the underflow.
    left_to_parser<std::vector<double>>("[-0]");
    left_to_parser<std::vector<double>>("[-0.0]");
    left_to_parser<std::vector<double>>("[1e400]");
    left_to_parser<std::vector<double>>("[0e40092000000000]"); // the parser: exponent overflow
    left_to_parser<std::vector<double>>("[1e-000000000000000000001]");
    left_to_parser<std::vector<double>>("[-9223372036854775809]");
    left_to_parser<std::vector<double>>("[123456789012345678901234567890]");
}

TEST_CASE("reader: random decimal texts give the bits of the parser's doubles", "[json][reader]")
{
    std::mt19937_64 rng(20261202);
    auto digit = [&] { return static_cast<char>('0' + rng() % 10); };
    std::string doc = "[";
    for (int i = 0; i < 4000; ++i) {
        std::string n;
        if (rng() % 4 == 0)
            n.push_back('-');
        const int whole = static_cast<int>(rng() % 18);
        n.push_back(whole == 0 ? '0' : static_cast<char>('1' + rng() % 9));
        for (int k = 1; k < whole; ++k)
            n.push_back(digit());
        if (rng() % 4 != 0) {
            n.push_back('.');
            const int fraction = 1 + static_cast<int>(rng() % 20);
            for (int k = 0; k < fraction; ++k)
                n.push_back(digit());
        }
        if (rng() % 5 == 0) {
            n.push_back(rng() % 2 ? 'e' : 'E');
            n += std::to_string(static_cast<int>(rng() % 560) - 280);
        }
        if (i != 0)
            doc.push_back(',');
        doc += n;
    }
    doc.push_back(']');
    std::vector<double> by_parser, by_reader;
    REQUIRE_FALSE(sj::detail::parse_into(doc, by_parser));
    if (sj::detail::read_into(doc, by_reader)) {
        REQUIRE(by_reader.size() == by_parser.size());
        for (std::size_t i = 0; i < by_parser.size(); ++i) {
            INFO(i);
            REQUIRE(bits(by_reader[i]) == bits(by_parser[i]));
        }
    }
    else {
        // Some texts are left to the parser (-0, underflow): then each number alone.
        std::size_t read = 0;
        std::size_t start = 1;
        for (std::size_t i = 1; i < doc.size(); ++i) {
            if (doc[i] != ',' && doc[i] != ']')
                continue;
            const std::string one = "[" + doc.substr(start, i - start) + "]";
            start = i + 1;
            std::vector<double> p, r;
            REQUIRE_FALSE(sj::detail::parse_into(one, p));
            if (sj::detail::read_into(one, r)) {
                INFO(one);
                REQUIRE(bits(r[0]) == bits(p[0]));
                ++read;
            }
        }
        CHECK(read > 3900); // left to the parser: a few negative zeros and underflows at most
    }
}

TEST_CASE("reader: random strings of escapes and bytes agree with the parser", "[json][reader]")
{
    std::mt19937_64 rng(7);
    const std::vector<std::string> pieces{"a",      "Z",      " ",       "\\\"",    "\\\\",    "\\/",      "\\n",
                                          "\\u00e9", "\\ud83d", "\\ude00", "\\uDBFF", "\\u0000", "\xc3\xa9", "\xe2\x82\xac",
                                          "\xf0\x9f\x98\x80", "\xc3", "\x80",  "\xed\xa0\x80", "\x01", "\\q", "\\u12"};
    std::size_t read = 0;
    for (int i = 0; i < 3000; ++i) {
        std::string s = "[\"";
        const int n = 1 + static_cast<int>(rng() % 8);
        for (int k = 0; k < n; ++k)
            s += pieces[rng() % pieces.size()];
        s += "\"]";
        read += agree<std::vector<std::string>>(s) ? 1 : 0;
    }
    CHECK(read > 300); // the valid ones
}

TEST_CASE("reader: what it leaves to the parser's route", "[json][reader]")
{
    left_to_parser<pet>(R"({"id":1})");                          // a missing required field
    left_to_parser<pet>(R"({"id":"1","name":"a","age":1})");     // a value its type refuses
    left_to_parser<pet>(R"({"id":1,"name":"a","age":1} x)");     // text after the document
    left_to_parser<pet>(R"({"id":1,"name":"a","age":1,})");      // a trailing comma
    left_to_parser<pet>(R"({"id":1 "name":"a"})");
    left_to_parser<pet>(R"({"id":1,"name":"a","age":nul})");
    left_to_parser<pet>(R"({"id":1,"name":"a","age":1,"x":[1,]})");
    left_to_parser<pet>("");
    left_to_parser<pet>("{");
    left_to_parser<std::vector<pet>>("[{\"id\":1,\"name\":\"a\",\"age\":1}");
    // Nesting near the limit: the parser's route applies the limit.
    const std::string deep = std::string(300, '[') + std::string(300, ']');
    left_to_parser<pet>(R"({"id":1,"name":"a","age":1,"x":)" + deep + "}");
    std::string chain = R"({"label":"a","children":[)";
    for (int i = 0; i < 140; ++i)
        chain += R"({"label":"a","children":[)";
    for (int i = 0; i < 140; ++i)
        chain += "]}";
    chain += "]}";
    left_to_parser<tree>(chain);
    // Shallower than that, the reader takes it.
    read_by_reader<pet>(R"({"id":1,"name":"a","age":1,"x":)" + std::string(200, '[') + std::string(200, ']') + "}");
}
