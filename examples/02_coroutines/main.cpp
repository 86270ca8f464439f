// 02 — coroutines: `co_await api.op(request)` returns the typed response; nothing blocks a thread.
//
// Requests are aggregates: designated initializers name the parameters and the body.
#include <petstore/petstore.hpp>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>

#include <cstdlib>
#include <exception>
#include <iostream>

boost::asio::awaitable<void> tour(petstore::client& api)
{
    std::vector<petstore::pet> pets = co_await api.list_pets({.limit = 3});
    std::cout << "list_pets: " << pets.size() << " pet(s)\n";

    // Name a request that you pass to co_await: g++ 12 mishandles temporaries of a co_await
    // expression that throws (see client.hpp).
    // (std::string, not a bare literal: g++ 12 rejects string literals in aggregates in coroutines.)
    petstore::create_pet_request create{.body = {.name = std::string("Rex"), .tag = std::string("dog")}};
    petstore::pet created = co_await api.create_pet(create);
    std::cout << "create_pet: #" << created.id << " " << created.name << "\n";

    petstore::show_pet_by_id_request show{.pet_id = created.id};
    petstore::pet shown = co_await api.show_pet_by_id(show);
    std::cout << "show_pet_by_id: #" << shown.id << " " << shown.name
              << (shown.age.is_null() ? " (age unknown)" : " (age " + std::to_string(*shown.age) + ")") << "\n";
}

int main(int argc, char** argv)
{
    const char* base_url = argc > 1 ? argv[1] : std::getenv("SPECBOUND_BASE_URL");
    boost::asio::io_context ioc;
    auto options = specbound::make_options(specbound::api_key{"demo-key"});
    if (base_url)
        options.base_url = base_url;
    petstore::client api{ioc.get_executor(), std::move(options)};

    int status = 0;
    boost::asio::co_spawn(ioc, tour(api), [&](std::exception_ptr e) {
        if (!e)
            return;
        status = 1;
        try {
            std::rethrow_exception(e);
        } catch (const std::exception& x) {
            std::cerr << "02 coroutines failed: " << x.what() << "\n";
        }
    });
    ioc.run();
    std::cout << "02 coroutines: " << (status == 0 ? "done" : "failed") << "\n";
    return status;
}
