// The README's snippets (marked <!-- snippet: NAME --> there), compiled against the generated
// petstore client so that the documentation cannot drift from the API. Extracted at configure
// time by tests/codegen/CMakeLists.txt; a snippet missing from the README fails this build.
#include <pagination/pagination.hpp>
#include <polymorphism/polymorphism.hpp>
#include <petstore/examples.hpp>
#include <petstore/petstore.hpp>
#include <streaming/streaming.hpp>

#include <specbound/testing/cassette.hpp>
#include <specbound/testing/fake.hpp>
#include <specbound/testing/mock_server.hpp>
#include <specbound/testing/mock_transport.hpp>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>

#include <catch2/catch.hpp>

#include <chrono>
#include <iostream>
#include <memory>
#include <utility>

namespace readme {

boost::asio::awaitable<void> call_options(petstore::client& api, petstore::list_pets_request list)
{
#include "readme_snippets/call_options.inc"
}

boost::asio::awaitable<void> metadata(petstore::client& api, petstore::list_pets_request list)
{
#include "readme_snippets/metadata.inc"
}

void cassette(boost::asio::any_io_executor ex, specbound::client_options options)
{
#include "readme_snippets/cassette.inc"
    CHECK(api.runtime().get_transport() != nullptr);
}

void fake(boost::asio::any_io_executor ex)
{
#include "readme_snippets/fake.inc"
    petstore::show_pet_by_id_request r{};
    r.pet_id = 404;
    CHECK(api.try_show_pet_by_id(r, specbound::blocking).error_as<specbound::not_found_error>());
    r.pet_id = 1;
    CHECK(api.show_pet_by_id(r, specbound::blocking).name == "Rex");
}

void mock_server(boost::asio::any_io_executor ex)
{
#include "readme_snippets/mock_server.inc"
    REQUIRE(pets.size() == 1);
    CHECK(pets[0].name == "Rex");
    petstore::create_pet_request create{};
    create.body.name = "Bella";
    CHECK(api.create_pet(create, specbound::blocking).name == "Bella");
    CHECK(server.calls<petstore::ops::create_pet>() == 1);
}

void compression(boost::asio::any_io_executor ex)
{
#include "readme_snippets/compression.inc"
    CHECK(api.runtime().options().compression.compress_requests);
}

petstore::client servers(boost::asio::any_io_executor ex, specbound::client_options options)
{
#include "readme_snippets/servers.inc"
    return api;
}

boost::asio::awaitable<void> validation(boost::asio::any_io_executor ex, petstore::list_pets_request list)
{
#include "readme_snippets/validation.inc"
// At the snippet's indentation: the snippet ends in an `if` (clang's -Wmisleading-indentation).
(void)pets;
}

boost::asio::awaitable<void> pagination(pagination::client& api, pagination::list_nuts_request first_page)
{
#include "readme_snippets/pagination.inc"
}

boost::asio::awaitable<void> download(streaming::client& api, streaming::get_artifact_request request)
{
#include "readme_snippets/download.inc"
    (void)m;
    (void)r;
}

boost::asio::awaitable<void> events(streaming::client& api, streaming::watch_build_request build)
{
#include "readme_snippets/events.inc"
}

boost::asio::awaitable<void> upload(streaming::client& api, streaming::put_artifact_request artifact)
{
#include "readme_snippets/upload.inc"
    (void)s;
}

boost::asio::awaitable<void> declared_headers(streaming::client& api, streaming::get_artifact_request request,
                                              specbound::body_sink& file)
{
#include "readme_snippets/declared_headers.inc"
}

void unknown_alternative()
{
#include "readme_snippets/unknown_alternative.inc"
    CHECK(std::holds_alternative<specbound::unknown_alternative>(pet));
}

} // namespace readme

TEST_CASE("the README's snippets compile, and the option snippets configure what they say", "[codegen][readme]")
{
    boost::asio::io_context ioc;
    readme::compression(ioc.get_executor());
    readme::unknown_alternative();
    readme::fake(ioc.get_executor());
    readme::mock_server(ioc.get_executor());
    {
        auto mock = std::make_shared<specbound::testing::mock_transport>();
        mock->expect(specbound::http_method::get, "/v1/pets").respond_json(200, "[]");
        specbound::client_options with_mock;
        with_mock.transport = mock;
        petstore::client api = readme::servers(ioc.get_executor(), std::move(with_mock));
        (void)api.list_pets({}, specbound::blocking);
        REQUIRE(mock->requests().size() == 1);
        CHECK(mock->requests()[0].to.host == "us.pets.example.com");
    }
    // Replays its file: the snippet's cassette is not there, which is its own error.
    CHECK_THROWS_AS(readme::cassette(ioc.get_executor(), {}), specbound::testing::cassette_miss);
    petstore::client api{ioc.get_executor()};
    // Compiled, not run: their server is not here.
    auto with_options = readme::call_options(api, {});
    auto with_metadata = readme::metadata(api, {});
    auto with_validation = readme::validation(ioc.get_executor(), {});
    (void)with_validation;
    (void)with_options;
    (void)with_metadata;
}
