// specbound::testing::mock_server with the generated petstore client (spec/petstore.yaml): the
// spec's examples by default, typed handlers, typed errors, and requests refused with a reason.
#include <specbound/testing/mock_server.hpp>

#include <petstore/examples.hpp>
#include <petstore/petstore.hpp>
#include <validation/examples.hpp> // the operations and examples only: a mock server needs no client

#include "support/mock_server_options.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>

#include <catch2/catch.hpp>

#include <chrono>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace {

using specbound::test::against;
using server_type = specbound::testing::mock_server<petstore::all_operations>;
namespace http = boost::beast::http;

server_type::request raw(http::verb method, std::string target, std::string content_type = {}, std::string body = {})
{
    server_type::request req{method, target, 11};
    req.set(http::field::host, "127.0.0.1");
    if (!content_type.empty())
        req.set(http::field::content_type, content_type);
    req.body() = std::move(body);
    req.prepare_payload();
    return req;
}

/// Sends `bytes` over a new connection and reads until the server closes it (bounded: 5 s).
std::string exchange(std::uint16_t port, const std::string& bytes)
{
    boost::asio::io_context ioc;
    boost::asio::ip::tcp::socket s(ioc);
    std::string answer;
    s.async_connect({boost::asio::ip::make_address("127.0.0.1"), port}, [&](boost::system::error_code ec) {
        if (ec)
            return;
        boost::asio::async_write(s, boost::asio::buffer(bytes), [&](boost::system::error_code, std::size_t) {
            boost::asio::async_read(s, boost::asio::dynamic_buffer(answer),
                                    [](boost::system::error_code, std::size_t) {});
        });
    });
    ioc.run_for(std::chrono::seconds(5));
    return answer;
}

} // namespace

TEST_CASE("mock server: the spec's examples by default, decoded by the real client", "[mock_server]")
{
    server_type server{petstore::examples};
    boost::asio::io_context ioc;
    petstore::client api{ioc.get_executor(), against(server)};

    petstore::list_pets_request list{.limit = 5};
    std::vector<petstore::pet> pets = api.list_pets(list, specbound::blocking);
    REQUIRE(pets.size() == 1); // the synthesized array holds Pet's example
    CHECK(pets[0].id == 7);
    CHECK(pets[0].name == "Rex");
    REQUIRE_FALSE(pets[0].age.is_null());
    CHECK(pets[0].age.value() == 3);

    CHECK(api.health(petstore::health_request{}, specbound::blocking) == "string");
    CHECK(api.get_inventory(petstore::get_inventory_request{}, specbound::blocking).empty());

    // deletePet declares only 204 (no body): answered without an example.
    petstore::delete_pet_request del{.pet_id = "7"};
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"
    auto deleted = api.try_delete_pet_with_metadata(del, specbound::blocking);
#pragma GCC diagnostic pop
    REQUIRE(deleted.has_value());
    CHECK(deleted.value().metadata.status == 204);

    CHECK(server.calls<petstore::ops::list_pets>() == 1);
    CHECK(server.requests<petstore::ops::list_pets>().at(0).limit == 5);
    CHECK(server.rejected().empty());
}

TEST_CASE("mock server: typed handlers see the typed request and answer typed values", "[mock_server]")
{
    server_type server{petstore::examples};
    server.on<petstore::ops::show_pet_by_id>([](const petstore::show_pet_by_id_request& r) -> specbound::result<petstore::pet> {
        if (r.pet_id == 404)
            return specbound::testing::api_failure<petstore::ops::show_pet_by_id>(404, petstore::error{404, "no such pet"});
        petstore::pet p;
        p.id = r.pet_id;
        p.name = r.fields && !r.fields->empty() ? r.fields->front() : "nameless";
        p.age = 2;
        return p;
    });
    server.on<petstore::ops::create_pet>([](const petstore::create_pet_request& r) {
        petstore::pet p;
        p.id = 100;
        p.name = r.body.name;
        p.tag = r.body.tag;
        return p;
    });
    server.on<petstore::ops::place_order>([](const petstore::place_order_request&) {
        return petstore::place_order_response{specbound::no_content{}};
    });
    boost::asio::io_context ioc;
    petstore::client api{ioc.get_executor(), against(server)};

    petstore::show_pet_by_id_request show{};
    show.pet_id = 42;
    show.fields = std::vector<std::string>{"Tom, Jr.", "age"}; // a comma inside an item stays in it
    show.x_request_id = boost::uuids::uuid{{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16}};
    petstore::pet pet = api.show_pet_by_id(show, specbound::blocking);
    CHECK(pet.id == 42);
    CHECK(pet.name == "Tom, Jr.");
    CHECK(pet.age.value() == 2);

    // What the handler received is what the client sent, member by member.
    const auto seen = server.requests<petstore::ops::show_pet_by_id>();
    REQUIRE(seen.size() == 1);
    CHECK(seen[0].pet_id == 42);
    CHECK(seen[0].fields == show.fields);
    CHECK(seen[0].x_request_id == show.x_request_id);

    // The handler's typed error reaches the client as the typed error, with the typed body.
    petstore::show_pet_by_id_request missing{};
    missing.pet_id = 404;
    auto r = api.try_show_pet_by_id(missing, specbound::blocking);
    REQUIRE_FALSE(r.has_value());
    const auto* not_found = r.error_as<specbound::not_found_error>();
    REQUIRE(not_found);
    const petstore::error* body = not_found->body_as<petstore::error>();
    REQUIRE(body);
    CHECK(body->message == "no such pet");

    petstore::create_pet_request create{};
    create.body.name = "Bella";
    create.body.tag = "cat";
    auto created = api.create_pet_with_metadata(create, specbound::blocking);
    CHECK(created.metadata.status == 201);
    CHECK(created.value.id == 100);
    CHECK(created.value.name == "Bella");
    CHECK(created.value.tag == "cat");

    // A union of bodies: the handler's alternative picks the response (202 declares no body).
    auto order = api.place_order_with_metadata(petstore::place_order_request{}, specbound::blocking);
    CHECK(order.metadata.status == 202);
    CHECK(std::holds_alternative<specbound::no_content>(order.value));
    CHECK(server.rejected().empty());
}

TEST_CASE("mock server: requests that break the descriptor get a reason naming the problem", "[mock_server]")
{
    server_type server{petstore::examples};
    auto check = [&](server_type::request req, unsigned status, std::string_view names) {
        INFO(req.method_string() << ' ' << req.target());
        const auto res = server.handle(req);
        CHECK(res.result_int() == status);
        const std::string why(res["x-specbound-violation"]);
        INFO(why);
        CHECK(why.find(names) != std::string::npos);
        CHECK(res.body().find(R"("status":)" + std::to_string(status)) != std::string::npos);
        CHECK(res[http::field::content_type] == "application/problem+json");
        return why;
    };
    check(raw(http::verb::get, "/pets/abc"), 400, "path parameter 'petId'");
    check(raw(http::verb::get, "/pets/9223372036854775808"), 400, "petId");
    check(raw(http::verb::get, "/pets?limit=ten"), 400, "query parameter 'limit'");
    check(raw(http::verb::get, "/pets?limit=%ZZ"), 400, "percent-encoding");
    auto bad_id = raw(http::verb::get, "/pets");
    bad_id.set("X-Request-Id", "not-a-uuid");
    check(bad_id, 400, "header parameter 'X-Request-Id'");

    check(raw(http::verb::post, "/pets", "text/plain", "Rex"), 415, "application/json");
    check(raw(http::verb::post, "/pets", "", "{\"name\":\"Rex\"}"), 415, "no Content-Type");
    check(raw(http::verb::post, "/pets"), 400, "request body is required");
    check(raw(http::verb::post, "/pets", "application/json", "{\"name\":"), 400, "invalid JSON");
    check(raw(http::verb::post, "/pets", "application/json", "{\"tag\":\"dog\"}"), 400, "missing required field 'name'");
    check(raw(http::verb::post, "/pets", "application/json", "{\"name\":7}"), 400, "request body at /name");

    check(raw(http::verb::get, "/nowhere"), 404, "matches no path");
    const auto res = server.handle(raw(http::verb::patch, "/pets"));
    CHECK(res.result_int() == 405u);
    CHECK(res[http::field::allow] == "GET, POST");
    check(raw(http::verb::get, "http://example.com/pets"), 400, "origin-form");

    CHECK(server.calls<petstore::ops::list_pets>() == 0); // refused requests reach no handler
    CHECK(server.calls<petstore::ops::create_pet>() == 0);
    CHECK(server.rejected().size() == 14);
    CHECK(server.rejected().front().starts_with("400 GET /pets/abc: path parameter 'petId'"));

    // Parameters in every location read back: path, header, cookie.
    auto del = raw(http::verb::delete_, "/pets/rex%2F1");
    del.set("X-Reason", "sold");
    del.set(http::field::cookie, "other=1; session=s%3B3");
    CHECK(server.handle(del).result_int() == 204u);
    const auto seen = server.requests<petstore::ops::delete_pet>();
    REQUIRE(seen.size() == 1);
    CHECK(seen[0].pet_id == "rex/1");
    CHECK(seen[0].x_reason == "sold");
    CHECK(seen[0].session == "s;3");
}

TEST_CASE("mock server: no handler and no example is 501; a throwing handler is 500", "[mock_server]")
{
    server_type server; // no examples
    auto res = server.handle(raw(http::verb::get, "/pets"));
    CHECK(res.result_int() == 501u);
    CHECK(std::string(res["x-specbound-violation"]).find("list_pets has no handler") != std::string::npos);

    server.on<petstore::ops::list_pets>([](const petstore::list_pets_request&) -> std::vector<petstore::pet> {
        throw std::runtime_error("boom");
    });
    res = server.handle(raw(http::verb::get, "/pets"));
    CHECK(res.result_int() == 500u);
    CHECK(std::string(res["x-specbound-violation"]).find("boom") != std::string::npos);
}

TEST_CASE("mock server: bad HTTP and oversized bodies are refused; stop() closes connections", "[mock_server]")
{
    specbound::testing::mock_server_options limits;
    limits.body_limit = 1024;
    std::optional<server_type> server;
    server.emplace(petstore::examples, limits);

    const std::string garbage = exchange(server->port(), "NOT HTTP AT ALL\r\n\r\n");
    CHECK(garbage.starts_with("HTTP/1.1 400"));
    const std::string big = exchange(server->port(), "POST /pets HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                                                     "Content-Length: 5000\r\n\r\n" + std::string(5000, ' '));
    CHECK(big.starts_with("HTTP/1.1 413"));
    const std::string fine = exchange(server->port(), "GET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    CHECK(fine.starts_with("HTTP/1.1 200"));
    CHECK(fine.ends_with("\r\n\r\nstring"));

    boost::asio::io_context ioc;
    petstore::client api{ioc.get_executor(), against(*server)};
    CHECK(api.try_health(petstore::health_request{}, specbound::blocking).has_value()); // a pooled connection now
    server->stop();
    const auto before = std::chrono::steady_clock::now();
    auto after_stop = api.try_health(petstore::health_request{}, specbound::blocking);
    CHECK_FALSE(after_stop.has_value());
    CHECK(std::chrono::steady_clock::now() - before < std::chrono::seconds(3)); // refused, not timed out
    server.reset();
}

TEST_CASE("mock server: the spec's constraints are checked, naming the value that breaks one", "[mock_server]")
{
    specbound::testing::mock_server<validation::all_operations> seeds{validation::examples};
    auto status_of = [&](std::string target, std::string_view names) {
        const auto res = seeds.handle(raw(http::verb::get, std::move(target)));
        const std::string why(res["x-specbound-violation"]);
        INFO(why);
        CHECK((names.empty() ? why.empty() : why.find(names) != std::string::npos));
        return res.result_int();
    };
    CHECK(status_of("/seeds?limit=5&prefix=abc&colours=red&colours=tan", "") == 200u);
    CHECK(status_of("/seeds?limit=51", "parameter 'limit' breaks maximum 50") == 400u);
    CHECK(status_of("/seeds?prefix=AB", "parameter 'prefix' breaks pattern") == 400u);
    CHECK(status_of("/seeds?colours=red&colours=red", "uniqueItems") == 400u);
    CHECK(seeds.calls<validation::ops::list_seeds>() == 1);
    REQUIRE(seeds.requests<validation::ops::list_seeds>().size() == 1);
    CHECK(seeds.requests<validation::ops::list_seeds>()[0].prefix == "abc");
}
