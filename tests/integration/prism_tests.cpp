// The generated petstore client against Prism serving spec/petstore.yaml. Prism validates each
// request (parameters, styles, headers, cookies, bodies, security) and reports what is wrong in an
// `sl-violations` header; every call here must pass that check and decode the response into the
// declared type.
#include <petstore/petstore.hpp>

#include "support/prism.hpp"

#include <boost/asio/io_context.hpp>

#include <catch2/catch.hpp>

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

namespace {

const specbound::test::prism_server& petstore_prism()
{
    static const specbound::test::prism_server server(SPECBOUND_PRISM_SCRIPT,
                                                      std::filesystem::path(SPECBOUND_TEST_TMP) / "prism",
                                                      std::string(SPECBOUND_SPEC_DIR) + "/petstore.yaml");
    return server;
}

/// A client whose every attempt records Prism's violations ("<operationId>: <violations>").
struct checked_client {
    boost::asio::io_context ioc;
    std::shared_ptr<std::vector<std::string>> violations = std::make_shared<std::vector<std::string>>();
    petstore::client api;

    explicit checked_client(specbound::client_options options)
        : api(ioc.get_executor(), with_recorder(std::move(options), violations))
    {
    }

    static specbound::client_options with_recorder(specbound::client_options options,
                                                   std::shared_ptr<std::vector<std::string>> out)
    {
        options.base_url = petstore_prism().url();
        options.retry.max_retries = 0; // a failure must show, not be retried away
        options.middlewares.push_back(specbound::test::record_violations(std::move(out)));
        return options;
    }
};

template <class T>
void require_success(const specbound::result<T>& r, const std::vector<std::string>& violations)
{
    INFO((r.has_value() ? std::string("ok") : std::string(r.error()->what())));
    for (const std::string& v : violations)
        UNSCOPED_INFO(v);
    CHECK(violations.empty());
    REQUIRE(r.has_value());
}

} // namespace

TEST_CASE("every petstore operation passes Prism's request validation and decodes", "[integration][prism]")
{
    // updatePet takes only the bearer token, the others the API key: the client picks per operation.
    checked_client c(specbound::make_options(specbound::api_key{"test-key"}, specbound::bearer_token{"test-token"}));
    auto& rt = c.api.runtime();

    auto pets = rt.try_call<petstore::ops::list_pets>(
        {.limit = 5,
         .tags = std::vector<std::string>{"dog", "small"}, // form, explode=false: tags=dog,small
         .x_request_id = specbound::uuid{{0x3f, 0xa8, 0x5f, 0x64, 0x57, 0x17, 0x45, 0x62, 0xb3, 0xfc, 0x2c, 0x96,
                                          0x3f, 0x66, 0xaf, 0xa6}}});
    require_success(pets, *c.violations);
    REQUIRE(pets.value().size() == 1);
    CHECK(pets.value()[0].name == "Rex"); // the spec's Pet example
    CHECK(pets.value()[0].nickname.has_value());
    CHECK(pets.value()[0].nickname->is_null()); // null, not absent

    auto created = rt.try_call<petstore::ops::create_pet>({.body = {.name = "Kitty", .tag = "cat"}});
    require_success(created, *c.violations);

    auto shown = rt.try_call<petstore::ops::show_pet_by_id>(
        {.pet_id = 7, .fields = std::vector<std::string>{"name", "tag"}});
    require_success(shown, *c.violations);
    CHECK(shown.value().id == 7);

    auto updated = rt.try_call<petstore::ops::update_pet>({.pet_id = 7, .body = {.name = "Rex II"}});
    require_success(updated, *c.violations);

    auto deleted = rt.try_call<petstore::ops::delete_pet>(
        {.pet_id = "7", .x_reason = "adopted", .session = "s-123"}); // header and cookie parameters
    require_success(deleted, *c.violations);

    auto inventory = rt.try_call<petstore::ops::get_inventory>({});
    require_success(inventory, *c.violations);

    auto order = rt.try_call<petstore::ops::place_order>(
        {.body = petstore::place_order_body{.pet_id = 7, .quantity = 2}});
    require_success(order, *c.violations);
    CHECK(std::holds_alternative<petstore::order>(order.value())); // 200 with JSON, not the bodiless 202

    auto health = rt.try_call<petstore::ops::health>({});
    require_success(health, *c.violations); // text/plain into std::string
}

TEST_CASE("a request Prism rejects is seen as a violation and a typed error", "[integration][prism]")
{
    // listPets accepts only the API key: a bearer token alone is the wrong scheme.
    checked_client c(specbound::make_options(specbound::bearer_token{"not-an-api-key"}));
    auto pets = c.api.runtime().try_call<petstore::ops::list_pets>({});
    REQUIRE_FALSE(pets.has_value());
    CHECK(pets.error_as<specbound::unauthorized_error>() != nullptr);
    REQUIRE(c.violations->size() == 1);
    CHECK(c.violations->front().find("listPets: ") == 0);
    CHECK(c.violations->front().find("security") != std::string::npos);
}
