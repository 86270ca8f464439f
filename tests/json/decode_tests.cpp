#include "models.hpp"

#include <specbound/json/decode.hpp>
#include <specbound/json/encode.hpp>

#include <catch2/catch.hpp>

#include <boost/json/parse.hpp>

#include <charconv>
#include <chrono>
#include <cstdint>
#include <string>

namespace sj = specbound::json;
using namespace petstore;

namespace {

// Decodes and requires success.
template <class T>
T ok(std::string_view json)
{
    T v{};
    auto f = sj::decode(json, v);
    INFO(json);
    if (f)
        FAIL("pointer=" << f->pointer << " message=" << f->message << " offset=" << f->offset);
    return v;
}

// Decodes and requires failure.
template <class T>
sj::decode_failure bad(std::string_view json)
{
    T v{};
    auto f = sj::decode(json, v);
    INFO(json);
    REQUIRE(f.has_value());
    // The DOM path must agree on pointer and message when the text itself is valid JSON.
    boost::json::error_code ec;
    auto dom = boost::json::parse(json, ec);
    if (!ec) {
        T w{};
        auto g = sj::from_value(dom, w);
        REQUIRE(g.has_value());
        CHECK(g->pointer == f->pointer);
        CHECK(g->message == f->message);
    }
    return *f;
}

constexpr const char* full_pet = R"({"id":7,"name":"Rex","tag":"dog","status":"sold","nickname":null,"age":3,)"
                                 R"("photoUrls":["a","b"],"labels":{"x":"1","y":"2"},"extra":{"k":[1,2,{"z":null}]}})";

} // namespace

TEST_CASE("decode: every field of an object model")
{
    auto p = ok<pet>(full_pet);
    CHECK(p.id == 7);
    CHECK(p.name == "Rex");
    CHECK(p.tag == "dog");
    REQUIRE(p.status);
    CHECK(*p.status == pet_status::sold);
    REQUIRE(p.nickname);
    CHECK(p.nickname->is_null());
    REQUIRE(p.age.has_value());
    CHECK(*p.age == 3);
    CHECK(p.photo_urls == std::vector<std::string>{"a", "b"});
    CHECK(p.labels == std::map<std::string, std::string>{{"x", "1"}, {"y", "2"}});
    REQUIRE(p.extra);
    CHECK(*p.extra == boost::json::parse(R"({"k":[1,2,{"z":null}]})"));
}

TEST_CASE("decode: absent optionals, null as absent, nullable null")
{
    auto p = ok<pet>(R"({"name":"a","age":null,"id":1,"tag":null})");
    CHECK(p.id == 1);
    CHECK(!p.tag);
    CHECK(!p.status);
    CHECK(!p.nickname);
    CHECK(p.age.is_null());
    CHECK(!p.extra);

    auto q = ok<pet>(R"({"id":1,"name":"a","age":1,"nickname":"nick"})");
    REQUIRE(q.nickname);
    REQUIRE(q.nickname->has_value());
    CHECK(**q.nickname == "nick");
}

TEST_CASE("decode: unknown keys and their subtrees are skipped")
{
    auto p = ok<pet>(R"({"zzz":{"a":[1,{"b":[[],{}]}],"name":"not me"},"id":2,"more":[{"id":9}],)"
                     R"("name":"ok","x":"y","age":5,"n":null,"t":true,"d":1.5})");
    CHECK(p.id == 2);
    CHECK(p.name == "ok");
    CHECK(*p.age == 5);
}

TEST_CASE("decode: duplicate keys, last wins")
{
    auto p = ok<pet>(R"({"id":1,"name":"a","age":1,"photoUrls":["x","y"],"photoUrls":["z"],"id":2,)"
                     R"("labels":{"a":"1"},"labels":{"b":"2","b":"3"}})");
    CHECK(p.id == 2);
    CHECK(p.photo_urls == std::vector<std::string>{"z"});
    CHECK(p.labels == std::map<std::string, std::string>{{"b", "3"}});
}

TEST_CASE("decode: a union chosen while streaming refuses a repeated discriminator (fuzz regression)")
{
    // json_models found {"form":"choice",...,"form":"choduice"}: the second value went into the
    // first alternative's member, and that value's encoding no longer decoded. (Not bad<>: a DOM
    // holds one of the repeated keys only, so from_value cannot see the repetition.)
    auto streamed = [](std::string_view json) {
        std::vector<shape> v;
        auto f = sj::decode(json, v);
        INFO(json);
        REQUIRE(f.has_value());
        return *f;
    };
    auto r = streamed(R"([{"kind":"circle","radius":1,"kind":"square"}])");
    CHECK(r.pointer == "/0");
    CHECK(r.message == "repeated discriminator 'kind' of Shape");
    CHECK(streamed(R"([{"kind":"circle","kind":"circle","radius":1}])").message ==
          "repeated discriminator 'kind' of Shape");
    CHECK(streamed(R"([{"kind":"circle","radius":1},{"kind":"circle","kind":"x"}])").pointer == "/1");
    // The discriminator after other keys: the object is captured whole, and the last key wins.
    auto last = ok<any_pet>(R"({"indoor":true,"pet_type":"cat","pet_type":"dog","bark_volume":2})");
    REQUIRE(std::holds_alternative<dog>(last));
    CHECK(std::get<dog>(last).pet_type == "dog");
}

TEST_CASE("decode: keys in any order, escaped keys and strings")
{
    auto p = ok<pet>(R"({"age":1,"na\u006de":"A\"\\\/\b\f\n\r\t\u00e9\ud83d\ude00","id":-5})");
    CHECK(p.id == -5);
    CHECK(p.name == "A\"\\/\b\f\n\r\t\xc3\xa9\xf0\x9f\x98\x80");
}

TEST_CASE("decode: long escaped strings arrive in parts")
{
    std::string big(100000, 'x');
    std::string json = R"({"id":1,"age":1,"name":")" + big + R"(\n)" + big + R"(","tag":")" + big + R"("})";
    auto p = ok<pet>(json);
    CHECK(p.name == big + "\n" + big);
    CHECK(p.tag == big);
}

TEST_CASE("decode: missing required field")
{
    auto f = bad<pet>(R"({"id":1,"age":2})");
    CHECK(f.pointer == "");
    CHECK(f.message == "missing required field 'name'");

    auto g = bad<std::vector<pet>>(R"([{"id":1,"name":"a","age":2},{"id":1,"name":"a"}])");
    CHECK(g.pointer == "/1");
    CHECK(g.message == "missing required field 'age'");
}

TEST_CASE("decode: wrong kinds report the value's pointer")
{
    CHECK(bad<pet>(R"({"id":"7","name":"a","age":1})").message == "expected integer, got string");
    CHECK(bad<pet>(R"({"id":"7","name":"a","age":1})").pointer == "/id");
    CHECK(bad<pet>(R"({"id":7,"name":5,"age":1})").message == "expected string, got number");
    CHECK(bad<pet>(R"({"id":7,"name":null,"age":1})").message == "expected string, got null");
    auto f = bad<pet>(R"({"id":7,"name":"a","age":1,"photoUrls":["a",{"b":1}]})");
    CHECK(f.pointer == "/photoUrls/1");
    CHECK(f.message == "expected string, got object");
    auto g = bad<pet>(R"({"id":7,"name":"a","age":1,"labels":{"a/b~c":false}})");
    CHECK(g.pointer == "/labels/a~1b~0c");
    CHECK(g.message == "expected string, got boolean");
    CHECK(bad<pet>(R"([])").message == "expected object, got array");
    CHECK(bad<pet>(R"([])").pointer == "");
    CHECK(bad<std::vector<pet>>(R"({})").message == "expected array, got object");
    CHECK(bad<bool>("1").message == "expected boolean, got number");
}

TEST_CASE("decode: integer ranges and integral doubles")
{
    CHECK(ok<std::int32_t>("2147483647") == 2147483647);
    CHECK(ok<std::int32_t>("-2147483648") == -2147483647 - 1);
    CHECK(bad<std::int32_t>("2147483648").message == "integer 2147483648 out of range for int32");
    CHECK(bad<std::int32_t>("-2147483649").message == "integer -2147483649 out of range for int32");
    CHECK(ok<std::int64_t>("9223372036854775807") == INT64_MAX);
    CHECK(bad<std::int64_t>("9223372036854775808").message == "integer 9223372036854775808 out of range for int64");
    CHECK(ok<std::uint64_t>("18446744073709551615") == UINT64_MAX);
    CHECK(bad<std::uint32_t>("-1").message == "integer -1 out of range for uint32");
    CHECK(ok<std::int32_t>("5.0") == 5);
    CHECK(ok<std::int64_t>("1e3") == 1000);
    CHECK(ok<std::int64_t>("-0.0") == 0);
    CHECK(bad<std::int32_t>("5.5").message == "expected integer, got 5.5");
    CHECK(bad<std::int32_t>("3e9").message == "number 3e+09 out of range for int32");
    CHECK(bad<std::int64_t>("1e19").message == "number 1e+19 out of range for int64");
    CHECK(bad<std::int64_t>("99999999999999999999").pointer == "");
    auto f = bad<record>(R"({"id":"00000000-0000-0000-0000-000000000000","created":"2020-01-01T00:00:00Z","small":1e10})");
    CHECK(f.pointer == "/small");
}

TEST_CASE("decode: doubles and floats")
{
    CHECK(ok<double>("1") == 1.0);
    CHECK(ok<double>("-9223372036854775808") == -9223372036854775808.0);
    CHECK(ok<double>("18446744073709551615") == 18446744073709551615.0);
    CHECK(ok<double>("0.1") == 0.1);
    CHECK(ok<double>("1e308") == 1e308);
    CHECK(ok<float>("0.5") == 0.5f);
    CHECK(bad<float>("1e300").message == "number 1e+300 out of range for float");
    CHECK(bad<double>(R"("1")").message == "expected number, got string");
    CHECK(bad<double>("1e400").message == "number out of range for double");
    CHECK(bad<double>("-1e400").message == "number out of range for double");
    CHECK(ok<double>("1e-400") == 0.0);
    CHECK(bad<std::vector<double>>("[1,2,1e999]").pointer == "/2");
    CHECK(bad<boost::json::value>(R"({"a":[1e999]})").message == "number out of range for double");
    CHECK(ok<pet>(R"({"id":1,"name":"a","age":1,"unknown":1e999})").id == 1); // skipped, never read
    CHECK(ok<double>("123456789012345678901234567890") == 123456789012345678901234567890.0);
}

TEST_CASE("decode: open enums keep unknown values, round trip")
{
    auto p = ok<pet>(R"({"id":1,"name":"a","age":1,"status":"lost"})");
    REQUIRE(p.status);
    CHECK(!p.status->known());
    CHECK(p.status->unknown_wire() == "lost");
    CHECK(sj::encode(p) == R"({"id":1,"name":"a","status":"lost","age":1})");
    CHECK(bad<pet>(R"({"id":1,"name":"a","age":1,"status":3})").pointer == "/status");
    CHECK(ok<pet_status>(R"("pending")") == pet_status::pending);
    CHECK(bad<pet_status>(R"("lost")").message == "unknown enum value 'lost'");
}

TEST_CASE("decode: discriminated union")
{
    auto a = ok<any_pet>(R"({"pet_type":"dog","bark_volume":11})");
    REQUIRE(std::holds_alternative<dog>(a));
    CHECK(std::get<dog>(a).bark_volume == 11);
    CHECK(std::get<dog>(a).pet_type == "dog");

    // the discriminator after other keys
    auto b = ok<any_pet>(R"({"indoor":true,"pet_type":"cat"})");
    REQUIRE(std::holds_alternative<cat>(b));
    CHECK(std::get<cat>(b).indoor == true);

    auto s = ok<shape>(R"({"side":2.5,"kind":"Square"})");
    REQUIRE(std::holds_alternative<square>(s));
    CHECK(std::get<square>(s).side == 2.5);

    auto u = bad<any_pet>(R"({"pet_type":"cow"})");
    CHECK(u.pointer == "/pet_type");
    CHECK(u.message == "unknown discriminator value 'cow' of AnyPet");
    auto m = bad<any_pet>(R"({"indoor":true})");
    CHECK(m.pointer == "");
    CHECK(m.message == "missing discriminator 'pet_type' of AnyPet");
    CHECK(bad<any_pet>(R"({"pet_type":1})").message == "expected string, got number");
    CHECK(bad<any_pet>(R"("cat")").message == "expected object, got string");
    // discriminator first: decoded while streaming, same results as the captured route
    auto c = ok<shape>(R"({"kind":"circle","radius":1.5,"extra":{"kind":"square"}})");
    REQUIRE(std::holds_alternative<circle>(c));
    CHECK(std::get<circle>(c).radius == 1.5);
    auto e = bad<shape>(R"({"kind":"square","color":"red"})");
    CHECK(e.pointer == "");
    CHECK(e.message == "missing required field 'side'");
    auto e2 = bad<std::vector<shape>>(R"([{"kind":"circle","radius":1},{"kind":"square","side":"2"}])");
    CHECK(e2.pointer == "/1/side");
    CHECK(e2.message == "expected number, got string");
    CHECK(bad<shape>("{}").message == "missing discriminator 'kind' of Shape");
    // A discriminator that the alternatives do not require may be absent (GitHub's user_view_type):
    // the alternative is then inferred from the required fields, as for a union without one, and
    // decoded as strictly; where every alternative requires it (any_pet), its absence fails.
    CHECK(std::get<circle>(ok<shape>(R"({"radius":1.5})")).radius == 1.5);
    CHECK(std::get<square>(ok<shape>(R"({"color":"red","side":2})")).color == "red");
    CHECK(std::get<square>(ok<std::vector<shape>>(R"([{"radius":1},{"side":3}])")[1]).side == 3);
    CHECK(bad<shape>(R"({"side":"2"})").pointer == "/side");
    CHECK(bad<shape>(R"({"color":"red"})").message == "missing discriminator 'kind' of Shape");
    CHECK(bad<shape>(R"({"kind":null})").message == "expected string, got null");
    CHECK(bad<shape>(R"({"kind":null})").pointer == "/kind");
    CHECK(bad<shape>(R"({"kind":["circle"]})").message == "expected string, got array");
    CHECK(bad<shape>(R"({"kind":{}})").message == "expected string, got object");
    auto esc = ok<any_pet>(R"({"pet_\u0074ype":"d\u006fg","bark_volume":1})");
    REQUIRE(std::holds_alternative<dog>(esc));
    CHECK(std::get<dog>(esc).pet_type == "dog");
    auto n = bad<std::vector<any_pet>>(R"([{"pet_type":"cat"},{"pet_type":"dog","bark_volume":"loud"}])");
    CHECK(n.pointer == "/1/bark_volume");
    CHECK(n.message == "expected integer, got string");
}

TEST_CASE("decode: an unknown discriminator value is kept whole by the unknown alternative")
{
    // Streamed (discriminator first) and captured (discriminator later) routes, and the DOM route.
    for (std::string_view json : {R"({"kind":"hexagon","side":3,"nested":{"a":[1,{"b":null}]},"s":"\u00e9"})",
                                  R"({"side":3,"nested":{"a":[1,{"b":null}]},"kind":"hexagon","s":"\u00e9"})"}) {
        INFO(json);
        const auto parsed = boost::json::parse(json).as_object();
        open_shape from_dom;
        REQUIRE_FALSE(sj::from_value(parsed, from_dom));
        for (const open_shape& s : {ok<open_shape>(json), from_dom}) {
            REQUIRE(std::holds_alternative<specbound::unknown_alternative>(s));
            const auto& other = std::get<specbound::unknown_alternative>(s);
            CHECK(other.discriminator_value == "hexagon");
            CHECK(other.raw == parsed);
        }
    }
    // An escaped value (read in parts), among known kinds in an array: the frames around resume.
    auto v = ok<std::vector<open_shape>>(
        R"([{"kind":"circle","radius":1},{"kind":"hex\u0061gon","r":[2]},{"kind":"square","side":4}])");
    REQUIRE(v.size() == 3);
    CHECK(std::get<circle>(v[0]).radius == 1);
    CHECK(std::get<specbound::unknown_alternative>(v[1]).discriminator_value == "hexagon");
    CHECK(std::get<specbound::unknown_alternative>(v[1]).raw == boost::json::parse(R"({"kind":"hexagon","r":[2]})"));
    CHECK(std::get<square>(v[2]).side == 4);

    // Known kinds decode as before, and their payload is checked as strictly as before.
    CHECK(std::get<square>(ok<open_shape>(R"({"kind":"square","side":2.5})")).side == 2.5);
    auto wrong = bad<open_shape>(R"({"kind":"square","side":"2"})");
    CHECK(wrong.pointer == "/side");
    CHECK(wrong.message == "expected number, got string");
    CHECK(bad<open_shape>(R"({"color":"red","kind":"square"})").message == "missing required field 'side'");
    // No discriminator: inferred from the required fields as without one (never the unknown
    // alternative: no value names an unknown kind); nothing that fits, or a discriminator that is
    // not a string, is no kind at all.
    CHECK(std::get<square>(ok<open_shape>(R"({"side":2})")).side == 2);
    CHECK(bad<open_shape>(R"({"edges":2})").message == "missing discriminator 'kind' of OpenShape");
    CHECK(bad<open_shape>("{}").message == "missing discriminator 'kind' of OpenShape");
    CHECK(bad<open_shape>(R"({"kind":7})").message == "expected string, got number");
    CHECK(bad<open_shape>(R"("hexagon")").message == "expected object, got string");
    // An unknown value repeated by a known one: the captured object's last key wins, as anywhere.
    CHECK(std::get<circle>(ok<open_shape>(R"({"kind":"blob","kind":"circle","radius":1})")).radius == 1);
}

TEST_CASE("decode: nested arrays of unions")
{
    auto r = ok<record>(R"({"id":"6ba7b810-9dad-11d1-80b4-00c04fd430c8","created":"2021-03-04T05:06:07Z","small":1,)"
                        R"("groups":[[{"pet_type":"cat"}],[],[{"pet_type":"dog"},{"pet_type":"cat","indoor":false}]]})");
    REQUIRE(r.groups.has_value());
    REQUIRE(r.groups->size() == 3);
    CHECK((*r.groups)[0].size() == 1);
    CHECK((*r.groups)[1].empty());
    REQUIRE((*r.groups)[2].size() == 2);
    CHECK(std::holds_alternative<dog>((*r.groups)[2][0]));
    CHECK(std::get<cat>((*r.groups)[2][1]).indoor == false);

    auto f = bad<record>(R"({"id":"6ba7b810-9dad-11d1-80b4-00c04fd430c8","created":"2021-03-04T05:06:07Z",)"
                         R"("small":1,"groups":[[],[{"pet_type":"cat"},{"pet_type":"bird"}]]})");
    CHECK(f.pointer == "/groups/1/1/pet_type");
}

TEST_CASE("decode: inferred union")
{
    // Alternatives told apart by a one-value enum: the one that lists the value, whatever the
    // order of the alternatives and however many keys each knows; an unlisted value still decodes
    // (open enums) into the first alternative that fits otherwise.
    auto review = ok<rule>(R"({"type":"pull_request","approvals":2})");
    REQUIRE(std::holds_alternative<review_rule>(review));
    CHECK(std::get<review_rule>(review).approvals == 2);
    CHECK(std::holds_alternative<review_rule>(ok<rule>(R"({"type":"pull_request"})")));
    CHECK(std::holds_alternative<update_rule>(ok<rule>(R"({"type":"update","approvals":2})")));
    CHECK(std::holds_alternative<update_rule>(ok<rule>(R"({"type":"merge_queue"})")));
    auto rules = ok<std::vector<rule>>(R"([{"type":"update"},{"approvals":1,"type":"pull_request"}])");
    CHECK(std::holds_alternative<update_rule>(rules[0]));
    CHECK(std::holds_alternative<review_rule>(rules[1]));

    // The best-ranked candidate that does not decode gives way to the next that does (any
    // alternative that accepts the value will do: GitHub's environment rules), and when none
    // does, the best one's failure is reported.
    auto fallback = ok<rule>(R"({"type":"pull_request","approvals":"two"})");
    CHECK(std::holds_alternative<update_rule>(fallback));
    auto both = bad<rule>(R"({"type":"pull_request","approvals":"two","fetch_and_merge":1})");
    CHECK(both.pointer == "/approvals");

    auto a = ok<payment>(R"({"holder":"x","iban":"DE00"})");
    REQUIRE(std::holds_alternative<bank_payment>(a));
    CHECK(std::get<bank_payment>(a).iban == "DE00");
    auto b = ok<payment>(R"({"card_number":"4111","holder":"y"})");
    REQUIRE(std::holds_alternative<card_payment>(b));
    // both alternatives' required fields present: the one that knows most keys wins
    auto c = ok<payment>(R"({"card_number":"4111","iban":"DE00","bic":"X"})");
    CHECK(std::holds_alternative<bank_payment>(c));
    auto d = ok<payment>(R"({"card_number":"4111","iban":"DE00","holder":"h"})");
    CHECK(std::holds_alternative<card_payment>(d)); // tie: the first alternative
    auto none = bad<payment>(R"({"holder":"x"})");
    CHECK(none.message == "no alternative of Payment matches");
    CHECK(none.pointer == "");
    auto inner = bad<std::vector<payment>>(R"([{"iban":"x"},{"iban":5}])");
    CHECK(inner.pointer == "/1/iban");
    CHECK(inner.message == "expected string, got number");
    CHECK(bad<payment>("3").message == "no alternative of Payment matches");

    CHECK(ok<scalar_or_list>("42") == scalar_or_list{std::int64_t{42}});
    CHECK(ok<scalar_or_list>("4.5") == scalar_or_list{4.5});
    CHECK(ok<scalar_or_list>(R"("s")") == scalar_or_list{std::string("s")});
    CHECK(ok<scalar_or_list>("true") == scalar_or_list{true});
    CHECK(ok<scalar_or_list>("[1,2]") == scalar_or_list{std::vector<std::int64_t>{1, 2}});
    auto e = bad<scalar_or_list>("null");
    CHECK(e.message == "no alternative of ScalarOrList matches");
    CHECK(bad<scalar_or_list>(R"(["a"])").message == "no alternative of ScalarOrList matches");
}

TEST_CASE("decode: recursive boxed types")
{
    auto t = ok<tree>(R"({"label":"root","left":{"label":"l","right":{"label":"lr"}},)"
                      R"("children":[{"label":"c1","children":[{"label":"c11"}]}]})");
    CHECK(t.label == "root");
    REQUIRE(t.left);
    CHECK((*t.left)->label == "l");
    REQUIRE((*t.left)->right);
    CHECK((*(*t.left)->right)->label == "lr");
    CHECK(!t.right);
    REQUIRE(t.children.size() == 1);
    CHECK(t.children[0].children[0].label == "c11");
    auto f = bad<tree>(R"({"label":"root","left":{"label":"l","right":{"lab":"lr"}}})");
    CHECK(f.pointer == "/left/right");
    CHECK(f.message == "missing required field 'label'");
}

TEST_CASE("decode: formats, maps, additional properties, free-form")
{
    auto r = ok<record>(R"({"id":"6BA7B810-9DAD-11D1-80B4-00C04FD430C8","created":"2021-03-04t05:06:07.5+01:30",)"
                        R"("birthday":"2000-02-29","avatar":"aGVsbG8=","small":-3,"ratio":0.25,)"
                        R"("counts":{"a":1,"b":-2},"meta":{"x":[true]},"flags":[true,false,true],)"
                        R"("note":"hi","other":"there"})");
    CHECK(sj::format_uuid(r.id) == "6ba7b810-9dad-11d1-80b4-00c04fd430c8");
    using namespace std::chrono;
    CHECK(r.created == sys_days(2021y / 3 / 4) + 3h + 36min + 7s + 500ms);
    CHECK(r.birthday == 2000y / 2 / 29);
    REQUIRE(r.avatar);
    CHECK(std::string(reinterpret_cast<const char*>(r.avatar->data()), r.avatar->size()) == "hello");
    CHECK(r.small == -3);
    CHECK(r.ratio == 0.25f);
    CHECK(r.counts == std::map<std::string, std::int64_t>{{"a", 1}, {"b", -2}});
    CHECK(r.meta == boost::json::parse(R"({"x":[true]})").as_object());
    CHECK(r.flags == std::vector<bool>{true, false, true});
    CHECK(r.additional_properties == std::map<std::string, std::string>{{"note", "hi"}, {"other", "there"}});

    const std::string head = R"({"id":"6ba7b810-9dad-11d1-80b4-00c04fd430c8","created":"2021-03-04T05:06:07Z","small":1,)";
    auto f = bad<record>(head + R"("birthday":"2001-02-29"})");
    CHECK(f.pointer == "/birthday");
    CHECK(f.message == "invalid date '2001-02-29'");
    CHECK(bad<record>(head + R"("avatar":"aGVsbG8"})").message == "invalid base64 'aGVsbG8'");
    CHECK(bad<record>(head + R"("meta":[]})").message == "expected object, got array");
    CHECK(bad<record>(head + R"("extra":1})").pointer == "/extra");
    CHECK(bad<record>(head + R"("extra":1})").message == "expected string, got number");
    CHECK(bad<record>(head + R"("flags":[true,1]})").pointer == "/flags/1");
    CHECK(bad<record>(head + R"("counts":{"a":1,"b":"2"}})").pointer == "/counts/b");
    auto u = bad<record>(R"({"id":"6ba7b810-9dad-11d1-80b4-00c04fd430c","created":"2021-03-04T05:06:07Z","small":1})");
    CHECK(u.pointer == "/id");
    CHECK(u.message == "invalid uuid '6ba7b810-9dad-11d1-80b4-00c04fd430c'");
    auto d = bad<record>(R"({"id":"6ba7b810-9dad-11d1-80b4-00c04fd430c8","created":"2021-03-04 05:06:07Z","small":1})");
    CHECK(d.pointer == "/created");
    CHECK(d.message == "invalid date-time '2021-03-04 05:06:07Z'");
}

TEST_CASE("decode: free-form values at any position")
{
    CHECK(ok<boost::json::value>(R"([1,"a",{"b":null}])") == boost::json::parse(R"([1,"a",{"b":null}])"));
    CHECK(ok<boost::json::value>("null").is_null());
    CHECK(ok<boost::json::value>("-1.5") == boost::json::value(-1.5));
    CHECK(ok<std::map<std::string, boost::json::value>>(R"({"a":{"b":[]},"c":1})").size() == 2);
}

TEST_CASE("decode: resets the target first")
{
    pet p = ok<pet>(full_pet);
    REQUIRE(!sj::decode(R"({"id":1,"name":"b","age":null})", p));
    CHECK(!p.tag);
    CHECK(!p.photo_urls);
    CHECK(p.name == "b");
}

TEST_CASE("from_value: decodes a DOM like the text")
{
    pet a = ok<pet>(full_pet);
    pet b;
    REQUIRE(!sj::from_value(boost::json::parse(full_pet), b));
    CHECK(a == b);
    std::vector<any_pet> pets;
    REQUIRE(!sj::from_value(boost::json::parse(R"([{"pet_type":"cat"},{"pet_type":"dog"}])"), pets));
    CHECK(pets.size() == 2);
}

TEST_CASE("decode: nesting limits")
{
    std::string deep_ok = std::string(200, '[') + std::string(200, ']');
    CHECK(ok<boost::json::value>(deep_ok).is_array());
    std::string too_deep = std::string(100000, '[') + std::string(100000, ']');
    boost::json::value v;
    auto f = sj::decode(too_deep, v);
    REQUIRE(f);
    CHECK(f->message.rfind("invalid JSON: ", 0) == 0);
    // the same depth inside a skipped unknown field
    pet p;
    auto g = sj::decode(R"({"id":1,"name":"a","age":1,"x":)" + too_deep + "}", p);
    REQUIRE(g);
    CHECK(g->message.rfind("invalid JSON: ", 0) == 0);

    // a DOM deeper than the limit built by hand
    boost::json::value deep = boost::json::array();
    boost::json::value* cur = &deep;
    for (int i = 0; i < 300; ++i) {
        cur->as_array().emplace_back(boost::json::array());
        cur = &cur->as_array().back();
    }
    boost::json::value out;
    auto h = sj::from_value(deep, out);
    REQUIRE(h);
    CHECK(h->message == "nesting deeper than 256");
}

TEST_CASE("decode: key prefixes agree between compile time and run time")
{
    // Field lookup compares a key's first 8 bytes as an integer computed by both paths.
    constexpr std::string_view text = "abcdefghijkl\xff\x80";
    for (std::size_t n = 0; n <= text.size(); ++n) {
        std::string key(text.substr(0, n)); // a run-time copy: the fast path reads it
        std::uint64_t slow = 0;
        for (std::size_t i = 0; i < n && i < 8; ++i)
            slow |= std::uint64_t{static_cast<unsigned char>(key[i])} << (8 * i);
        INFO(n);
        CHECK(sj::detail::key_prefix(key) == slow);
    }
    static_assert(sj::detail::key_prefix("id") == 0x6469);
}

TEST_CASE("decode: keys that share a prefix or a length")
{
    auto s = ok<square>(R"({"colo":"x","color":"red","colour":"x","side":1,"sidex":2,"sid":3})");
    CHECK(s.color == "red");
    CHECK(s.side == 1);
    auto r = ok<record>(R"({"id":"6ba7b810-9dad-11d1-80b4-00c04fd430c8","created":"2021-03-04T05:06:07Z",)"
                        R"("small":1,"createdX":"a","create":"b","birthday":"2000-01-01","birthdayy":"c"})");
    CHECK(r.additional_properties ==
          std::map<std::string, std::string>{{"createdX", "a"}, {"create", "b"}, {"birthdayy", "c"}});
}

TEST_CASE("decode: a union that contains itself cannot recurse without bound")
{
    CHECK(ok<loop>("5") == loop{std::int64_t{5}});
    auto f = bad<loop>(R"("x")");
    CHECK(f.message == "no alternative of Loop matches");
}

TEST_CASE("decode: objects with more than 64 fields")
{
    auto w = ok<wide>(R"({"f69":9,"f3":3,"f65":65,"f64":64,"f0":0,"f68":1,"f68":68})");
    CHECK(w.f3 == 3);
    CHECK(w.f65 == 65);
    CHECK(w.f69 == 9);
    CHECK(w.f64 == 64);
    CHECK(w.f68 == 68);
    CHECK(w.f0 == 0);
    CHECK(!w.f1);
    auto f = bad<wide>(R"({"f3":3,"f65":65})");
    CHECK(f.message == "missing required field 'f69'");
    auto g = bad<std::vector<wide>>(R"([{"f3":3,"f65":65,"f69":1},{"f69":1,"f3":3}])");
    CHECK(g.pointer == "/1");
    CHECK(g.message == "missing required field 'f65'");
    CHECK(bad<wide>(R"({"f69":1,"f65":1})").message == "missing required field 'f3'");
    CHECK(sj::encode(w) == R"({"f0":0,"f3":3,"f64":64,"f65":65,"f68":68,"f69":9})");
}

TEST_CASE("decode: doubles are the nearest to their text, with or without the parser's own value")
{
    // Short decimals keep Boost.JSON's value (exact there: parsed_exactly); the rest are read
    // again with from_chars. Either way: the double from_chars gives.
    auto nearest = [](const std::string& text) {
        double d = 0;
        std::from_chars(text.data(), text.data() + text.size(), d);
        return d;
    };
    std::uint64_t x = 88172645463325252u; // xorshift: reproducible
    auto next = [&x] {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        return x;
    };
    for (int i = 0; i < 20000; ++i) {
        std::string digits = std::to_string(next() % 100000000000000000u);
        const std::size_t point = 1 + next() % digits.size();
        std::string text = (next() % 2 ? "-" : "") + digits.substr(0, point) + "." + digits.substr(point) + "1";
        if (next() % 4 == 0)
            text += (next() % 2 ? "e-" : "E+") + std::to_string(next() % 30);
        INFO(text);
        CHECK(ok<double>(text) == nearest(text));
    }
    CHECK(ok<double>("6.922922337203683e-301") == nearest("6.922922337203683e-301"));
    CHECK(ok<double>("13.750000") == 13.75);
    CHECK(ok<double>("-0.0") == 0.0);
}

TEST_CASE("decode: arrays of any length; a short array keeps no more room than doubling would")
{
    for (std::size_t n : {0u, 1u, 4u, 5u, 15u, 16u, 20u, 32u, 33u, 64u, 65u, 200u}) {
        std::string text = "[";
        for (std::size_t i = 0; i < n; ++i)
            text += (i ? ",\"s" : "\"s") + std::to_string(i) + "\"";
        text += "]";
        auto v = ok<std::vector<std::string>>(text);
        REQUIRE(v.size() == n);
        for (std::size_t i = 0; i < n; ++i)
            CHECK(v[i] == "s" + std::to_string(i));
        if (n > 4)
            CHECK(v.capacity() <= 2 * n);
    }
}
