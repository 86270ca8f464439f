#include "models.hpp"

#include <specbound/json/decode.hpp>
#include <specbound/json/encode.hpp>

#include <catch2/catch.hpp>

#include <cstdint>
#include <random>
#include <string>

namespace sj = specbound::json;
using namespace petstore;

namespace {

const std::string record_doc =
    R"({"id":"6ba7b810-9dad-11d1-80b4-00c04fd430c8","created":"2021-03-04T05:06:07.5+01:30",)"
    R"("birthday":"2000-02-29","avatar":"aGVsbG8=","small":-3,"ratio":0.25,)"
    R"("groups":[[{"pet_type":"cat","indoor":true}],[{"indoor":false,"pet_type":"dog","bark_volume":2}]],)"
    R"("counts":{"a":1,"b":-2},"meta":{"x":[true,{"y":"\u00e9"}]},"flags":[true,false],)"
    R"("note":"hi","other":"\"esc\"\u0041"})";

const std::string pets_doc = R"([{"id":1,"name":"a\nb","age":null,"status":"sold","extra":[1,{"k":null}]},)"
                             R"({"id":2,"name":"c","age":4,"unknown":{"deep":[1,2,[3,{"q":"\"esc\""}]]},"labels":{"x":"y"},)"
                             R"("nickname":null}])";

} // namespace

TEST_CASE("malformed: every truncation fails cleanly with an offset in range")
{
    record r;
    REQUIRE(!sj::decode(record_doc, r));
    for (std::size_t n = 0; n < record_doc.size(); ++n) {
        std::string_view cut(record_doc.data(), n);
        record out;
        auto f = sj::decode(cut, out);
        INFO(n);
        REQUIRE(f.has_value());
        CHECK(f->offset <= n);
        CHECK(!f->message.empty());
    }
    std::vector<pet> pets;
    REQUIRE(!sj::decode(pets_doc, pets));
    REQUIRE(pets.size() == 2);
    CHECK(pets[1].labels == std::map<std::string, std::string>{{"x", "y"}});
    for (std::size_t n = 0; n < pets_doc.size(); ++n) {
        std::vector<pet> out;
        auto f = sj::decode(std::string_view(pets_doc.data(), n), out);
        INFO(n);
        REQUIRE(f.has_value());
        CHECK(f->offset <= n);
    }
}

TEST_CASE("malformed: syntax errors, trailing data, bad UTF-8")
{
    pet p;
    auto f = sj::decode(R"({"id":1,"name":"a","age":1} x)", p);
    REQUIRE(f);
    CHECK(f->message == "invalid JSON: unexpected characters after the document");
    CHECK(f->offset == 28);
    CHECK(!sj::decode(" {\"id\":1,\"name\":\"a\",\"age\":1}\n\t ", p));

    auto g = sj::decode(R"({"id":1,"name":"a)" "\xff" R"(","age":1})", p);
    // a document of the wrong shape fails on the shape before the parser sees the syntax error
    auto k = sj::decode("[1,]", p);
    REQUIRE(k);
    CHECK(k->message == "expected object, got array");
    REQUIRE(g);
    CHECK(g->message.rfind("invalid JSON: ", 0) == 0);
    CHECK(g->offset == 17);

    for (const char* bad : {"", " ", "{", "}", "{\"id\":}", "{\"id\":1,}", "[1,]", "{'id':1}", "nul", "tru",
                            "01", "1.", "-", "\"\\x\"", "\"\\ud800\"", "\"a\tb\"", "{\"id\" 1}", "{\"id\":1 \"x\":2}",
                            "/*c*/{}", "[1]]", "NaN", "Infinity"}) {
        INFO(bad);
        boost::json::value q;
        auto h = sj::decode(bad, q);
        REQUIRE(h);
        CHECK(h->message.rfind("invalid JSON: ", 0) == 0);
    }
}

TEST_CASE("malformed: random corruption never crashes")
{
    std::mt19937 rng(12345); // fixed seed: the same inputs every run
    const std::string alphabet = "{}[]\":,\\ntrfu0123456789.-eE \x01\xc3\xa9\xff";
    int failures = 0, successes = 0;
    for (int round = 0; round < 4000; ++round) {
        std::string doc = (round % 2 == 0) ? record_doc : pets_doc;
        int edits = 1 + static_cast<int>(rng() % 4);
        for (int e = 0; e < edits; ++e) {
            std::size_t pos = rng() % doc.size();
            char c = alphabet[rng() % alphabet.size()];
            switch (rng() % 3) {
            case 0: doc[pos] = c; break;
            case 1: doc.insert(doc.begin() + static_cast<std::ptrdiff_t>(pos), c); break;
            default: doc.erase(pos, 1); break;
            }
        }
        bool ok = false;
        if (round % 2 == 0) {
            record r;
            auto f = sj::decode(doc, r);
            ok = !f;
            if (f)
                CHECK(f->offset <= doc.size());
            else
                (void)sj::encode(r); // whatever decoded must encode
        }
        else {
            std::vector<pet> v;
            auto f = sj::decode(doc, v);
            ok = !f;
            if (f)
                CHECK(f->offset <= doc.size());
        }
        (ok ? successes : failures)++;
    }
    CHECK(failures > 0);
}
