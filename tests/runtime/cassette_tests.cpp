// Record and replay (testing/cassette.hpp): real exchanges over the Beast transport to a loopback
// server recorded with every secret redacted, replayed with the server gone; record_new, body
// matching, binary bodies, and files that are not cassettes.
#include "test_api.hpp"

#include "support/test_server.hpp"

#include <specbound/client.hpp>
#include <specbound/detail/content_coding.hpp>
#include <specbound/http/beast_transport.hpp>
#include <specbound/testing/cassette.hpp>
#include <specbound/testing/mock_transport.hpp>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>
#include <boost/json/parse.hpp>

#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

using namespace specbound;
using namespace std::chrono_literals;
namespace asio = boost::asio;
namespace fs = std::filesystem;
using specbound::testing::cassette_miss;
using specbound::testing::cassette_mode;
using specbound::testing::cassette_options;
using specbound::testing::cassette_transport;
using specbound::test::reply;
using specbound::test::request_info;
using specbound::test::test_server;

namespace {

/// A folder of this process's cassettes, removed with it.
struct scratch {
    fs::path dir = fs::temp_directory_path() / ("specbound_cassette_" + std::to_string(::getpid()));
    scratch() { fs::create_directories(dir); }
    ~scratch() { fs::remove_all(dir); }
    fs::path operator()(const std::string& name) const { return dir / name; }
};

std::string read(const fs::path& p)
{
    std::ifstream in(p, std::ios::binary);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

const std::vector<std::string> secrets{"tok-SECRET-1", "key/SECRET+2", "at-SECRET-3", "sess-SECRET-4", "cs-SECRET-5"};

client_options options_for(const std::string& base)
{
    client_options o;
    o.base_url = base + "/v1";
    o.http_transport.proxy.from_environment = false;
    o.retry.sleep = [](std::chrono::milliseconds) -> asio::awaitable<void> { co_return; };
    o.credentials = {bearer_token{secrets[0], "bearerAuth"}, api_key{secrets[1]}};
    oauth2_client_credentials oauth{"client-id", secrets[4]};
    oauth.token_url = base + "/token";
    oauth.credentials_in_body = true;
    o.credentials.emplace_back(std::move(oauth));
    return o;
}

/// The calls the test records and replays; what they returned, as text.
std::vector<std::string> calls(client& c)
{
    std::vector<std::string> out;
    auto pets = c.try_call<testapi::ops::list_pets>({});
    out.push_back(pets ? std::to_string(pets->size()) + " pets" : pets.error()->what());
    for (const char* id : {"7", "8"}) {
        auto pet = c.try_call<testapi::ops::show_pet>({id});
        out.push_back(pet ? pet->name : pet.error()->what());
    }
    auto gone = c.try_call<testapi::ops::delete_pet>({7});
    out.push_back(gone ? "deleted" : gone.error()->what());
    testapi::create_pet_request create;
    create.body = testapi::new_pet{"Rex", std::nullopt};
    auto made = c.try_call<testapi::ops::create_pet>(create);
    out.push_back(made ? "created" : made.error()->what());
    return out;
}

} // namespace

TEST_CASE("cassette: real exchanges recorded with every secret redacted, replayed without the server",
          "[cassette][testing]")
{
    const scratch files;
    const fs::path file = files("pets.json");
    std::string base;
    std::vector<std::string> live;
    {
        test_server server([](const http_request& req, const request_info&) {
            const std::string target(req.target());
            if (target == "/token") { // compressed: the cassette must scrub what is inside
                reply r = reply::json(R"({"access_token":"at-SECRET-3","token_type":"Bearer","expires_in":3600})");
                r.response.body() = detail::gzip_body(r.response.body());
                r.response.set(boost::beast::http::field::content_encoding, "gzip");
                return r;
            }
            if (req.method() == boost::beast::http::verb::delete_)
                return reply::text("", boost::beast::http::status::no_content);
            if (req.method() == boost::beast::http::verb::post)
                return reply::json(R"({"id":9,"name":"Rex"})", boost::beast::http::status::created);
            if (target == "/v1/pets") {
                reply r = reply::json(R"([{"id":1,"name":"a"},{"id":2,"name":"b"}])");
                r.response.set(boost::beast::http::field::set_cookie, "session=sess-SECRET-4");
                return r;
            }
            return reply::json(R"({"id":)" + target.substr(9) + R"(,"name":"p)" + target.substr(9) + R"("})");
        });
        base = "http://127.0.0.1:" + std::to_string(server.port());
        asio::io_context ioc;
        client_options o = options_for(base);
        cassette_options co;
        co.file = file;
        co.mode = cassette_mode::record;
        co.secrets = testing::secrets_of(o);
        auto tape = std::make_shared<cassette_transport>(
            co, std::make_shared<http::beast_transport>(ioc.get_executor(), o.http_transport));
        o.transport = tape;
        client c{ioc.get_executor(), testapi::api, o};
        live = calls(c);
        CHECK(live == std::vector<std::string>{"2 pets", "p7", "p8", "deleted", "created"});
        CHECK(tape->recorded() == 6); // the OAuth2 token request too
        tape->save();
        CHECK(server.requests().size() == 6);
    } // the server is gone

    const std::string text = read(file);
    for (const std::string& secret : secrets) {
        CAPTURE(secret);
        CHECK(text.find(secret) == std::string::npos);
        CHECK(text.find(detail::pct(secret)) == std::string::npos);
    }
    CHECK(text.find("[redacted]") != std::string::npos);
    CHECK(text.find("client-id") != std::string::npos); // not a secret
    const boost::json::value json = boost::json::parse(text);
    CHECK(json.at("specbound_cassette") == 1);
    REQUIRE(json.at("exchanges").as_array().size() == 6);
    CHECK(json.at("exchanges").at(4).at("request").at("target") == "/token"); // before the POST that needs it
    CHECK(json.at("exchanges").at(3).at("request").at("target") == "/v1/pets/7?api_key=%5Bredacted%5D");

    // Replay: the same typed results, the token request included, from the file alone.
    asio::io_context ioc;
    client_options o = options_for(base);
    cassette_options co;
    co.file = file;
    co.secrets = testing::secrets_of(o);
    auto tape = std::make_shared<cassette_transport>(co);
    o.transport = tape;
    client c{ioc.get_executor(), testapi::api, o};
    CHECK(calls(c) == live);
    CHECK(tape->replayed() == 6);

    // Each exchange answers once: a request not (or no longer) in the file is a clear failure.
    auto again = c.try_call<testapi::ops::show_pet>({"7"});
    REQUIRE_FALSE(again.has_value());
    CHECK_THAT(again.error()->what(), Catch::Contains("has no unused exchange for GET " + base + "/v1/pets/7"));
    CHECK_THAT(again.error()->what(), Catch::Contains(file.string()));
    REQUIRE(tape->misses().size() == 1);
    CHECK_THROWS_AS(c.call<testapi::ops::show_pet>({"99"}), cassette_miss);
}

TEST_CASE("cassette: record_new, retries in order, body matching, binary bodies, bad files", "[cassette][testing]")
{
    const scratch files;
    const fs::path file = files("new.json");
    asio::io_context ioc;
    auto api = std::make_shared<specbound::testing::mock_transport>();
    api->expect(http_method::get, "/v1/pets/7").respond(503);
    api->expect(http_method::get, "/v1/pets/7").respond_json(200, R"({"id":7,"name":"Io"})");
    api->expect(http_method::post, "/v1/pets").respond_json(201, R"({"id":9,"name":"Rex"})");
    client_options o;
    o.base_url = "https://api.example.com/v1";
    o.retry.sleep = [](std::chrono::milliseconds) -> asio::awaitable<void> { co_return; };
    {
        cassette_options co;
        co.file = file;
        co.mode = cassette_mode::record_new; // no file yet: an empty cassette
        auto tape = std::make_shared<cassette_transport>(co, api);
        o.transport = tape;
        client c{ioc.get_executor(), testapi::api, o};
        CHECK(c.call<testapi::ops::show_pet>({"7"}).name == "Io"); // a 503, retried
        testapi::create_pet_request create;
        create.body = testapi::new_pet{"Rex", std::nullopt};
        (void)c.call<testapi::ops::create_pet>(create);
        CHECK(tape->recorded() == 3);
        tape->save();
    }
    CHECK(api->all_consumed());

    // Replayed in order: the 503 first, then the 200, as the retry asks again.
    {
        api->expect(http_method::get, "/v1/pets/8").respond_json(200, R"({"id":8,"name":"Bo"})");
        cassette_options co;
        co.file = file;
        co.mode = cassette_mode::record_new;
        auto tape = std::make_shared<cassette_transport>(co, api);
        o.transport = tape;
        client c{ioc.get_executor(), testapi::api, o};
        CHECK(c.call<testapi::ops::show_pet>({"7"}).name == "Io");
        CHECK(c.call<testapi::ops::show_pet>({"8"}).name == "Bo"); // not in the file: sent and recorded
        CHECK(tape->replayed() == 2);
        CHECK(tape->recorded() == 1);
        tape->save();
        CHECK(boost::json::parse(read(file)).at("exchanges").as_array().size() == 4);
    }
    CHECK(api->all_consumed());

    // match_body: a POST with another body is not the recorded one.
    {
        cassette_options co;
        co.file = file;
        co.match_body = true;
        auto tape = std::make_shared<cassette_transport>(co);
        o.transport = tape;
        client c{ioc.get_executor(), testapi::api, o};
        testapi::create_pet_request other;
        other.body = testapi::new_pet{"Max", std::nullopt};
        CHECK_THROWS_AS(c.call<testapi::ops::create_pet>(other), cassette_miss);
        testapi::create_pet_request same;
        same.body = testapi::new_pet{"Rex", std::nullopt};
        CHECK_NOTHROW(c.call<testapi::ops::create_pet>(same));
    }

    // A body that is not UTF-8 is kept byte for byte (as base64).
    {
        const fs::path binary = files("binary.json");
        auto raw = std::make_shared<specbound::testing::mock_transport>();
        const std::string bytes("\x89PNG\r\n\x1a\n\xff\x00\xfe", 11);
        raw->expect(http_method::get, "/v1/pets/1").respond(200, bytes, {{"Content-Type", "image/png"}});
        cassette_options co;
        co.file = binary;
        co.mode = cassette_mode::record;
        auto tape = std::make_shared<cassette_transport>(co, raw);
        // send() is a coroutine taking references: what they name must outlive the run.
        const origin to{"https", "api.example.com", 443};
        const attempt_limits limits{};
        auto send = [&](cassette_transport& t) {
            http_request req{boost::beast::http::verb::get, "/v1/pets/1", 11};
            auto f = asio::co_spawn(ioc, t.send(to, req, limits), asio::use_future);
            ioc.restart();
            ioc.run_for(5s);
            return f.get();
        };
        CHECK(send(*tape).response.body() == bytes);
        tape->save();
        CHECK(read(binary).find("body_base64") != std::string::npos);
        co.mode = cassette_mode::replay;
        cassette_transport replay(co);
        transport_result r = send(replay);
        CHECK(r.response.body() == bytes);
        CHECK(r.response[boost::beast::http::field::content_type] == "image/png");
    }

    // Files that are not cassettes, and a replay without a file.
    {
        const fs::path bad = files("bad.json");
        cassette_options co;
        co.file = bad;
        CHECK_THROWS_AS(cassette_transport(co), cassette_miss); // missing
        std::ofstream(bad) << "not json";
        CHECK_THROWS_AS(cassette_transport(co), cassette_miss);
        std::ofstream(bad, std::ios::trunc) << R"({"specbound_cassette":1,"exchanges":[{"request":{}}]})";
        CHECK_THROWS_AS(cassette_transport(co), cassette_miss);
        std::ofstream(bad, std::ios::trunc)
            << R"({"specbound_cassette":1,"exchanges":[{"request":{"method":"GET","origin":"o","target":"/","headers":[]},"response":{"status":70000,"headers":[]}}]})";
        CHECK_THROWS_AS(cassette_transport(co), cassette_miss);
        co.mode = cassette_mode::record;
        CHECK_THROWS_AS(cassette_transport(co), std::invalid_argument); // no real transport
    }
}
