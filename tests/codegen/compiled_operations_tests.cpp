// A client generated with --operation-sources (specbound_generate(COMPILED_OPERATIONS 2), namespace
// compiled_petstore): its operations' code lives in the generated sources of its library, and
// calls through it behave as through a header-only client. That this TU compiled none of that
// code is checked on its object file by compiled_operations_check.cmake.
#include <specbound/testing/mock_server.hpp>

#include <compiled_petstore/examples.hpp>
#include <compiled_petstore/compiled_petstore.hpp>

#include "support/mock_server_options.hpp"

#include <boost/asio/io_context.hpp>

#include <catch2/catch.hpp>

#include <string>
#include <vector>

namespace {

using specbound::test::against;
using server_type = specbound::testing::mock_server<compiled_petstore::all_operations>;

} // namespace

TEST_CASE("compiled operations: requests built and responses decoded by the generated sources", "[compiled_operations]")
{
    server_type server{compiled_petstore::examples};
    server.on<compiled_petstore::ops::create_pet>([](const compiled_petstore::create_pet_request& r) {
        compiled_petstore::pet p;
        p.id = 100;
        p.name = r.body.name;
        p.tag = r.body.tag;
        return p;
    });
    server.on<compiled_petstore::ops::show_pet_by_id>(
        [](const compiled_petstore::show_pet_by_id_request&) -> specbound::result<compiled_petstore::pet> {
            return specbound::testing::api_failure<compiled_petstore::ops::show_pet_by_id>(
                404, compiled_petstore::error{404, "no such pet"});
        });
    boost::asio::io_context ioc;
    compiled_petstore::client api{ioc.get_executor(), against(server)};

    // The spec's example, decoded by operations_<i>.cpp's handle_response.
    std::vector<compiled_petstore::pet> pets = api.list_pets(compiled_petstore::list_pets_request{.limit = 5}, specbound::blocking);
    REQUIRE(pets.size() == 1);
    CHECK(pets[0].id == 7);
    CHECK(pets[0].name == "Rex");
    CHECK(server.requests<compiled_petstore::ops::list_pets>().at(0).limit == 5);

    // A body encoded there, and the handler's answer decoded there.
    compiled_petstore::create_pet_request create;
    create.body.name = "Tom";
    create.body.tag = "cat";
    compiled_petstore::pet created = api.create_pet(create, specbound::blocking);
    CHECK(created.id == 100);
    CHECK(created.name == "Tom");
    CHECK(created.tag == "cat");

    // A typed error with the spec's error body, through the non-throwing form.
    compiled_petstore::show_pet_by_id_request show{};
    show.pet_id = 404;
    auto missing = api.try_show_pet_by_id(show, specbound::blocking);
    REQUIRE_FALSE(missing.has_value());
    const auto* not_found = missing.error_as<specbound::not_found_error>();
    REQUIRE(not_found != nullptr);
    const compiled_petstore::error* body = not_found->body_as<compiled_petstore::error>();
    REQUIRE(body != nullptr);
    CHECK(body->message == "no such pet");
    CHECK(server.rejected().empty());
}
