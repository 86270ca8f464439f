// The generated facade (petstore::client) driving the runtime over a scripted transport.
#include <fidelity/fidelity.hpp>
#include <petstore/clients/pets.hpp>
#include <petstore/petstore.hpp>

#include <specbound/testing/fake.hpp>
#include <specbound/testing/mock_transport.hpp>

#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>

#include <catch2/catch.hpp>

#include <chrono>
#include <future>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace {

template <class T>
T run_until_ready(boost::asio::io_context& ioc, std::future<T>& f)
{
    // Bounded: the mock answers at once; a hang fails the test instead of blocking forever.
    for (int i = 0; i < 1000 && f.wait_for(std::chrono::seconds(0)) != std::future_status::ready; ++i) {
        ioc.restart();
        ioc.run_for(std::chrono::milliseconds(10));
    }
    REQUIRE(f.wait_for(std::chrono::seconds(0)) == std::future_status::ready);
    return f.get();
}

} // namespace

TEST_CASE("facade calls go through the generated descriptors", "[codegen][facade]")
{
    boost::asio::io_context ioc;
    auto mock = std::make_shared<specbound::testing::mock_transport>();
    mock->expect(specbound::http_method::get, "/v1/pets/42").respond_json(200, R"({"id": 42, "name": "Rex", "age": null})");
    mock->expect(specbound::http_method::delete_, "/v1/pets/7").respond_json(404, R"({"code": 404, "message": "no such pet"})");
    specbound::client_options options;
    options.transport = mock;
    petstore::client api{ioc.get_executor(), std::move(options)};
    CHECK(api.runtime().api().name == "petstore");

    petstore::show_pet_by_id_request request{};
    request.pet_id = 42;
    request.fields = std::vector<std::string>{"name", "age"};
    auto pet_future = api.show_pet_by_id(request, boost::asio::use_future);
    petstore::pet pet = run_until_ready(ioc, pet_future);
    CHECK(pet.id == 42);
    CHECK(pet.name == "Rex");
    CHECK(pet.age.is_null());

    petstore::delete_pet_request del{};
    del.pet_id = "7";
    // deletePet is deprecated in spec/petstore.yaml; calling it here is the point.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"
    auto del_future = api.try_delete_pet(del, boost::asio::use_future);
#pragma GCC diagnostic pop
    specbound::result<specbound::no_content> outcome = run_until_ready(ioc, del_future);
    CHECK_FALSE(outcome.has_value());

    REQUIRE(mock->requests().size() == 2);
    std::string target(mock->requests()[0].request.target());
    CHECK(target.rfind("/v1/pets/42?", 0) == 0);
    CHECK(target.find("fields=name") != std::string::npos);
    CHECK(mock->all_consumed());
}

TEST_CASE("facade members take the blocking token and callbacks", "[codegen][facade]")
{
    boost::asio::io_context ioc;
    auto mock = std::make_shared<specbound::testing::mock_transport>();
    mock->expect(specbound::http_method::get, "/v1/pets/1").respond_json(200, R"({"id": 1, "name": "Ada", "age": 3})");
    mock->expect(specbound::http_method::get, "/v1/pets/2").respond_json(404, R"({"code": 404, "message": "no such pet"})");
    mock->expect(specbound::http_method::get, "/v1/pets/3").respond_json(404, R"({"code": 404, "message": "gone"})");
    mock->expect(specbound::http_method::get, "/v1/pets/4").respond_json(200, R"({"id": 4, "name": "Bo", "age": null})");
    specbound::client_options options;
    options.transport = mock;
    petstore::client api{ioc.get_executor(), std::move(options)};

    petstore::show_pet_by_id_request request{};
    request.pet_id = 1;
    // Nobody runs ioc: the blocking form runs it on this thread until the call completes.
    petstore::pet pet = api.show_pet_by_id(request, specbound::blocking);
    CHECK(pet.name == "Ada");
    CHECK(pet.age == 3);

    request.pet_id = 2;
    try {
        (void)api.show_pet_by_id(request, specbound::blocking);
        FAIL("a 404 must throw");
    } catch (const specbound::not_found_error& e) {
        CHECK(e.status() == 404);
    }

    request.pet_id = 3;
    specbound::result<petstore::pet> missing = api.try_show_pet_by_id(request, specbound::blocking);
    REQUIRE_FALSE(missing.has_value());
    CHECK(missing.error_as<specbound::not_found_error>());

    request.pet_id = 4;
    std::optional<petstore::pet> by_callback;
    api.show_pet_by_id(request, [&](std::exception_ptr e, petstore::pet p) {
        CHECK_FALSE(e);
        by_callback = std::move(p);
    });
    ioc.restart();
    ioc.run_for(std::chrono::seconds(5));
    REQUIRE(by_callback);
    CHECK(by_callback->name == "Bo");
    CHECK(by_callback->age.is_null());
    CHECK(mock->all_consumed());
}

TEST_CASE("a per-tag client calls its operations, alone or sharing a whole client's runtime", "[codegen][facade]")
{
    boost::asio::io_context ioc;
    auto mock = std::make_shared<specbound::testing::mock_transport>();
    mock->expect(specbound::http_method::get, "/v1/pets/5").respond_json(200, R"({"id": 5, "name": "Io", "age": 2})");
    mock->expect(specbound::http_method::get, "/v1/pets/6").respond_json(404, R"({"code": 404, "message": "no such pet"})");
    mock->expect(specbound::http_method::get, "/v1/pets/8").respond_json(200, R"({"id": 8, "name": "Max", "age": null})");
    specbound::client_options options;
    options.transport = mock;
    petstore::client whole{ioc.get_executor(), options};

    // Made from the whole client's runtime: the same transport, the same options.
    petstore::clients::pets pets{whole.runtime()};
    CHECK(&pets.runtime().options() == &whole.runtime().options()); // one state, not a copy
    petstore::show_pet_by_id_request request{};
    request.pet_id = 5;
    petstore::pet pet = pets.show_pet_by_id(request, specbound::blocking);
    CHECK(pet.name == "Io");

    request.pet_id = 6;
    specbound::result<petstore::pet> missing = pets.try_show_pet_by_id(request, specbound::blocking);
    REQUIRE_FALSE(missing.has_value());
    const auto* not_found = missing.error_as<specbound::not_found_error>();
    REQUIRE(not_found != nullptr);
    CHECK(not_found->status() == 404);

    // Made on its own, from an executor and options, as the whole client is.
    petstore::clients::pets alone{ioc.get_executor(), options};
    CHECK(alone.runtime().api().name == "petstore");
    CHECK(&alone.runtime().options() != &whole.runtime().options());
    request.pet_id = 8;
    auto future = alone.show_pet_by_id_with_metadata(request, boost::asio::use_future);
    auto answered = run_until_ready(ioc, future);
    CHECK(answered.metadata.status == 200);
    CHECK(answered.value.name == "Max");
    CHECK(answered.value.age.is_null());

    REQUIRE(mock->requests().size() == 3);
    CHECK(mock->all_consumed());
}

TEST_CASE("an operation without declared responses takes any 2xx as success without a body", "[codegen][facade]")
{
    boost::asio::io_context ioc;
    auto mock = std::make_shared<specbound::testing::mock_transport>();
    mock->expect(specbound::http_method::post, "/ping").respond(204);
    mock->expect(specbound::http_method::post, "/ping").respond_json(200, R"({"ignored": true})");
    mock->expect(specbound::http_method::post, "/ping").respond_json(404, R"({"message": "no"})");
    specbound::client_options options;
    options.transport = mock;
    fidelity::client api{ioc.get_executor(), std::move(options)};

    fidelity::ping_request request{};
    CHECK(api.try_ping(request, specbound::blocking).has_value());
    CHECK(api.try_ping(request, specbound::blocking).has_value());
    specbound::result<specbound::no_content> refused = api.try_ping(request, specbound::blocking);
    REQUIRE_FALSE(refused.has_value());
    CHECK(refused.error_as<specbound::not_found_error>());
    CHECK(mock->all_consumed());
}

TEST_CASE("facade members take call options after the request, with every token", "[codegen][facade][call_options]")
{
    boost::asio::io_context ioc;
    auto mock = std::make_shared<specbound::testing::mock_transport>();
    mock->expect(specbound::http_method::get, "/v1/pets/5").times(3).respond_json(200, R"({"id": 5, "name": "Io", "age": 1})");
    mock->expect(specbound::http_method::get, "/v2/pets/5").respond_json(200, R"({"id": 5, "name": "Io", "age": 1})");
    specbound::client_options options;
    options.transport = mock;
    petstore::client api{ioc.get_executor(), std::move(options)};

    petstore::show_pet_by_id_request request{};
    request.pet_id = 5;
    specbound::call_options call;
    call.headers = {{"X-Request-Tag", "facade"}};
    call.query = {{"trace", "1"}};
    call.attempt_timeout = std::chrono::milliseconds(1500);

    CHECK(api.show_pet_by_id(request, call, specbound::blocking).name == "Io");
    CHECK(api.try_show_pet_by_id(request, call, specbound::blocking).has_value());
    auto future = api.show_pet_by_id(request, call, boost::asio::use_future);
    CHECK(run_until_ready(ioc, future).id == 5);
    specbound::call_options elsewhere;
    elsewhere.base_url = "http://127.0.0.1:9/v2";
    CHECK(api.try_show_pet_by_id(request, elsewhere, specbound::blocking).has_value());

    const auto requests = mock->requests(); // a copy
    REQUIRE(requests.size() == 4);
    for (std::size_t i = 0; i < 3; ++i) {
        const auto& sent = requests[i];
        CHECK(sent.request["X-Request-Tag"] == "facade");
        CHECK(std::string(sent.request.target()) == "/v1/pets/5?trace=1");
        CHECK(sent.limits.attempt_timeout == std::chrono::milliseconds(1500));
    }
    CHECK(requests[3].to == specbound::origin{"http", "127.0.0.1", 9});
    CHECK(requests[3].request.count("X-Request-Tag") == 0);

    // A bad option is a typed error of the call, not a throw at the call site of the try form.
    specbound::call_options bad;
    bad.headers = {{"Content-Length", "0"}};
    auto refused = api.try_show_pet_by_id(request, bad, specbound::blocking);
    REQUIRE_FALSE(refused.has_value());
    CHECK(refused.error_as<specbound::invalid_argument_error>());
    CHECK(mock->requests().size() == 4);
    CHECK(mock->all_consumed());
}

TEST_CASE("the _with_metadata forms complete with the value, its status, headers and request id",
          "[codegen][facade][metadata]")
{
    boost::asio::io_context ioc;
    auto mock = std::make_shared<specbound::testing::mock_transport>();
    mock->expect(specbound::http_method::get, "/v1/pets")
        .times(2)
        .respond_json(200, R"([{"id": 1, "name": "Ada", "age": 3}])",
                      {{"x-next", "/v1/pets?page=2"}, {"X-Request-Id", "req-17"}});
    mock->expect(specbound::http_method::post, "/v1/store/orders").respond(202, "", {{"Location", "/v1/store/orders/9"}});
    mock->expect(specbound::http_method::get, "/v1/pets/404").respond_json(404, R"({"code": 404, "message": "gone"})");
    specbound::client_options options;
    options.transport = mock;
    petstore::client api{ioc.get_executor(), std::move(options)};

    petstore::list_pets_request list{};
    specbound::with_metadata<petstore::list_pets_response> page = api.list_pets_with_metadata(list, specbound::blocking);
    REQUIRE(page.value.size() == 1);
    CHECK(page.value[0].name == "Ada");
    CHECK(page.metadata.status == 200);
    CHECK(page.metadata.header("X-Next") == "/v1/pets?page=2");
    CHECK_FALSE(page.metadata.header("x-missing"));
    CHECK(page.metadata.request_id == "req-17");

    specbound::call_options call;
    call.query = {{"page", "2"}};
    auto again = api.try_list_pets_with_metadata(list, call, specbound::blocking);
    REQUIRE(again.has_value());
    CHECK(again->metadata.request_id == "req-17");
    CHECK(std::string(mock->requests().back().request.target()) == "/v1/pets?page=2");

    // Several 2xx statuses: the metadata says which one it was.
    petstore::place_order_request order{};
    order.body = petstore::place_order_body{};
    auto accepted = api.try_place_order_with_metadata(order, specbound::blocking);
    REQUIRE(accepted.has_value());
    CHECK(accepted->metadata.status == 202);
    CHECK(std::holds_alternative<specbound::no_content>(accepted->value));
    CHECK(accepted->metadata.header("location") == "/v1/store/orders/9");

    // Errors are the same typed errors as the plain forms'.
    petstore::show_pet_by_id_request missing{};
    missing.pet_id = 404;
    auto gone = api.try_show_pet_by_id_with_metadata(missing, specbound::blocking);
    REQUIRE_FALSE(gone.has_value());
    REQUIRE(gone.error_as<specbound::not_found_error>());
    CHECK(mock->all_consumed());
}

TEST_CASE("testing::fake answers typed calls: values, typed errors, unexpected calls, every token",
          "[codegen][facade][fake]")
{
    boost::asio::io_context ioc;
    auto wire = std::make_shared<specbound::testing::mock_transport>(); // must stay unused
    auto fake = std::make_shared<specbound::testing::fake>();
    fake->on<petstore::ops::show_pet_by_id>(
        [](const petstore::show_pet_by_id_request& r) -> specbound::result<petstore::pet> {
            if (r.pet_id == 404)
                return specbound::testing::api_failure<petstore::ops::show_pet_by_id>(
                    404, petstore::error{404, "no pet 404"}, {{"X-Request-Id", "fake-1"}});
            petstore::pet p;
            p.id = r.pet_id;
            p.name = "pet " + std::to_string(r.pet_id);
            return p;
        });
    fake->on<petstore::ops::list_pets>([](const petstore::list_pets_request& r) {
        return petstore::list_pets_response(static_cast<std::size_t>(r.limit.value_or(2)));
    });
    fake->on<petstore::ops::update_pet>([](const petstore::update_pet_request&) -> petstore::pet {
        throw std::runtime_error("handler bug");
    });
    specbound::client_options options;
    options.transport = wire;
    options.interceptor = fake;
    petstore::client api{ioc.get_executor(), std::move(options)};

    petstore::show_pet_by_id_request show{};
    show.pet_id = 7;
    CHECK(api.show_pet_by_id(show, specbound::blocking).name == "pet 7");
    auto future = api.show_pet_by_id(show, boost::asio::use_future);
    CHECK(run_until_ready(ioc, future).id == 7);
    std::optional<petstore::pet> by_callback;
    api.show_pet_by_id(show, [&](std::exception_ptr e, petstore::pet p) {
        CHECK_FALSE(e);
        by_callback = std::move(p);
    });
    CHECK_FALSE(by_callback); // never completed inline
    ioc.restart();
    ioc.run_for(std::chrono::seconds(5));
    REQUIRE(by_callback);
    CHECK(api.show_pet_by_id_with_metadata(show, specbound::blocking).value.id == 7);

    petstore::list_pets_request list{};
    list.limit = 3;
    CHECK(api.list_pets(list, specbound::blocking).size() == 3);

    // A typed error, as the real client makes it for a 404 with the declared body.
    show.pet_id = 404;
    auto missing = api.try_show_pet_by_id(show, specbound::blocking);
    REQUIRE_FALSE(missing.has_value());
    const auto* not_found = missing.error_as<specbound::not_found_error>();
    REQUIRE(not_found);
    REQUIRE(not_found->body_as<petstore::error>());
    CHECK(not_found->body_as<petstore::error>()->message == "no pet 404");
    CHECK(not_found->body() == R"({"code":404,"message":"no pet 404"})");
    CHECK(not_found->request_id() == "fake-1");
    CHECK_THROWS_AS(api.show_pet_by_id(show, specbound::blocking), specbound::not_found_error);

    // No handler: the call fails naming the operation; a throwing handler fails its call.
    petstore::delete_pet_request del{};
    del.pet_id = "1";
    // deletePet is deprecated in spec/petstore.yaml; calling it here is the point.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"
    CHECK_THROWS_WITH(api.delete_pet(del, specbound::blocking), Catch::Contains("deletePet (DELETE /pets/{petId})"));
    auto unhandled = api.try_delete_pet(del, specbound::blocking);
#pragma GCC diagnostic pop
    REQUIRE_FALSE(unhandled.has_value());
    CHECK(unhandled.error_as<specbound::unexpected_exception_error>());
    CHECK(fake->unexpected() == std::vector<std::string>(2, "deletePet (DELETE /pets/{petId})"));
    petstore::update_pet_request update{};
    auto broken = api.try_update_pet(update, specbound::blocking);
    REQUIRE_FALSE(broken.has_value());
    CHECK_THAT(broken.error()->what(), Catch::Contains("handler bug"));

    // What the code under test sent, typed.
    CHECK(fake->calls<petstore::ops::show_pet_by_id>() == 6);
    const auto shown = fake->requests<petstore::ops::show_pet_by_id>();
    REQUIRE(shown.size() == 6);
    CHECK(shown.front().pet_id == 7);
    CHECK(shown.back().pet_id == 404);
    CHECK(fake->requests<petstore::ops::list_pets>().at(0).limit == 3);
    CHECK(fake->calls<petstore::ops::create_pet>() == 0);
    CHECK(wire->requests().empty());
}
