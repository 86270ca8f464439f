// 04 — authentication from the spec's security schemes, and logs that never show a secret.
//
// petstore declares an API key (header X-API-Key) for every operation and accepts a bearer token
// for create_pet. The client picks, per operation, the first security requirement that the
// credentials you gave satisfy. The Prism mock server enforces the schemes: a call without
// credentials gets 401, which arrives as specbound::unauthorized_error.
#include <petstore/petstore.hpp>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>

#include <cstdlib>
#include <exception>
#include <iostream>
#include <string>

namespace {

specbound::client_options with_base_url(specbound::client_options options, const char* base_url)
{
    if (base_url)
        options.base_url = base_url;
    return options;
}

} // namespace

boost::asio::awaitable<int> tour(petstore::client& bearer_api, petstore::client& anonymous_api)
{
    int checks = 0;
    petstore::create_pet_request create{.body = {.name = std::string("Kitty")}};
    petstore::pet created = co_await bearer_api.create_pet(create);
    std::cout << "create_pet with a bearer token: #" << created.id << "\n";
    ++checks;

    specbound::result<std::vector<petstore::pet>> r = co_await anonymous_api.try_list_pets({});
    if (!r.has_value() && r.error_as<specbound::unauthorized_error>()) {
        std::cout << "list_pets without credentials: unauthorized (" << r.code().message() << ")\n";
        ++checks;
    }
    co_return checks;
}

int main(int argc, char** argv)
{
    const char* base_url = argc > 1 ? argv[1] : std::getenv("SPECBOUND_BASE_URL");
    boost::asio::io_context ioc;

    // Both credentials: create_pet accepts the bearer token, list_pets needs the API key.
    auto options = with_base_url(specbound::make_options(specbound::bearer_token{"s3cr3t-token"},
                                                         specbound::api_key{"s3cr3t-key"}),
                                 base_url);
    // A log sink with headers: Authorization and X-API-Key appear as [redacted].
    bool secret_leaked = false;
    options.logging.level = specbound::log_level::debug;
    options.logging.headers = true;
    options.logging.sink = [&](specbound::log_level, std::string_view line) {
        secret_leaked = secret_leaked || line.find("s3cr3t") != std::string_view::npos;
        std::cout << "  log: " << line << "\n";
    };
    petstore::client bearer_api{ioc.get_executor(), std::move(options)};
    petstore::client anonymous_api{ioc.get_executor(), with_base_url({}, base_url)};

    int checks = 0;
    boost::asio::co_spawn(ioc, tour(bearer_api, anonymous_api), [&](std::exception_ptr e, int n) {
        if (e) {
            try {
                std::rethrow_exception(e);
            } catch (const std::exception& x) {
                std::cerr << "04 auth failed: " << x.what() << "\n";
            }
        }
        checks = n;
    });
    ioc.run();
    std::cout << "04 auth: " << checks << " of 2 checks, secrets in logs: " << (secret_leaked ? "YES" : "none") << "\n";
    return checks == 2 && !secret_leaked ? 0 : 1;
}
