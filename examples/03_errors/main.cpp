// 03 — typed errors: catch by kind, read the spec's declared error body, or use the try_ forms
// that never throw.
//
// Against the Prism mock server, the `Prefer: code=404` header asks for the declared 404 response.
#include <petstore/petstore.hpp>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>

#include <cstdlib>
#include <exception>
#include <iostream>

boost::asio::awaitable<int> tour(petstore::client& not_found_api, petstore::client& unreachable_api)
{
    int checks = 0;
    petstore::show_pet_by_id_request show{.pet_id = 404};

    // 1. Catch the typed error; the declared error model is decoded for you.
    try {
        co_await not_found_api.show_pet_by_id(show);
        std::cout << "unexpected success\n";
    } catch (const specbound::not_found_error& e) {
        std::cout << "not_found_error: status " << e.status();
        if (const petstore::error* body = e.body_as<petstore::error>())
            std::cout << ", body {code " << body->code << ", message \"" << body->message << "\"}";
        std::cout << "\n  what(): " << e.what() << "\n";
        ++checks;
    }

    // 2. The try_ form: a result holding the value or the error, never an exception.
    specbound::result<petstore::pet> r = co_await not_found_api.try_show_pet_by_id(show);
    if (!r.has_value()) {
        std::cout << "try_show_pet_by_id: " << r.code().message() << " (" << r.code().category().name() << ")\n";
        ++checks;
    }

    // 3. Below HTTP: nothing listens on the port, so a transport_error (connect_failed).
    specbound::result<std::vector<petstore::pet>> t = co_await unreachable_api.try_list_pets({});
    if (!t.has_value() && t.code() == specbound::transport_errc::connect_failed) {
        std::cout << "transport error: " << t.error()->what() << "\n";
        ++checks;
    }
    co_return checks;
}

int main(int argc, char** argv)
{
    const char* base_url = argc > 1 ? argv[1] : std::getenv("SPECBOUND_BASE_URL");
    boost::asio::io_context ioc;

    auto options = specbound::make_options(specbound::api_key{"demo-key"});
    if (base_url)
        options.base_url = base_url;
    options.default_headers.emplace_back("Prefer", "code=404");
    petstore::client not_found_api{ioc.get_executor(), std::move(options)};

    auto unreachable = specbound::make_options(specbound::api_key{"demo-key"});
    unreachable.base_url = "http://127.0.0.1:9"; // the discard port: nothing answers there
    unreachable.retry.max_retries = 0;
    petstore::client unreachable_api{ioc.get_executor(), std::move(unreachable)};

    int checks = 0;
    boost::asio::co_spawn(ioc, tour(not_found_api, unreachable_api), [&](std::exception_ptr e, int n) {
        if (e) {
            try {
                std::rethrow_exception(e);
            } catch (const std::exception& x) {
                std::cerr << "03 errors failed: " << x.what() << "\n";
            }
        }
        checks = n;
    });
    ioc.run();
    std::cout << "03 errors: " << checks << " of 3 error kinds seen\n";
    return checks == 3 ? 0 : 1;
}
