// 06 — DigitalOcean, generated from its real public spec: list Droplets, create one, and handle a
// 404 and a 422 as typed errors.
//
//   06_digitalocean BASE_URL     against a mock server (scripts/run-main.sh starts Prism serving
//                                DigitalOcean's spec with --errors, so an invalid request gets 422)
//   DIGITALOCEAN_TOKEN=... 06_digitalocean
//                                against the real API (https://api.digitalocean.com). Creating a
//                                Droplet costs money: it happens only with SPECBOUND_DO_CREATE=1,
//                                and the example destroys it again.
//
// It calls Droplet operations only, so it uses the per-tag client digitalocean::clients::droplets
// (<digitalocean/clients/droplets.hpp>: the members of ops/droplets.hpp's operations, the same as
// digitalocean::client's), and does not compile the declarations of the API's 659 operations.
#include <digitalocean/clients/droplets.hpp>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>

#include <cstdlib>
#include <exception>
#include <iostream>
#include <string>

namespace {

struct setup {
    bool real_api = false;
    bool create = true;
};

boost::asio::awaitable<int> tour(digitalocean::clients::droplets& api, digitalocean::clients::droplets& not_found_api, setup how)
{
    int steps = 0;

    // 1. List: a typed response, paginated by the spec's per_page/page parameters.
    digitalocean::droplets_list_request list{.per_page = 5};
    digitalocean::droplets_list_response page = co_await api.droplets_list(list);
    std::cout << "droplets_list: " << page.meta.total << " Droplets in all, this page:";
    for (const digitalocean::droplet& d : page.droplets.value_or(std::vector<digitalocean::droplet>{}))
        std::cout << " " << d.name << " (" << d.id << ")";
    std::cout << "\n";
    ++steps;

    // 2. Create: the body is the spec's oneOf (one Droplet or several), the image an id or a slug.
    if (how.create) {
        digitalocean::droplet_single_create one{};
        one.name = "specbound-example";
        one.region = "nyc3";
        one.size = "s-1vcpu-1gb";
        one.image = std::string("ubuntu-24-04-x64");
        one.tags = std::vector<std::string>{"specbound"};
        digitalocean::droplets_create_request create{.body = digitalocean::droplets_create_body{one}};
        digitalocean::droplets_create_response created = co_await api.droplets_create(create);
        if (const auto* single = std::get_if<digitalocean::droplets_create_response_option_1>(&created)) {
            std::cout << "droplets_create: Droplet " << single->droplet.id << " \"" << single->droplet.name
                      << "\" is " << specbound::json::enum_to_wire(single->droplet.status) << "\n";
            if (how.real_api) {
                digitalocean::droplets_destroy_request destroy{.droplet_id = single->droplet.id};
                co_await api.droplets_destroy(destroy);
                std::cout << "droplets_destroy: destroyed it again\n";
            }
            ++steps;
        }
    } else {
        std::cout << "droplets_create: skipped (set SPECBOUND_DO_CREATE=1 to create and destroy a real Droplet)\n";
        ++steps;
    }

    // 3. 404: a typed error carrying the spec's error model.
    try {
        digitalocean::droplets_get_request missing{.droplet_id = 1};
        co_await not_found_api.droplets_get(missing);
        std::cout << "droplets_get: unexpectedly found Droplet 1\n";
    } catch (const specbound::not_found_error& e) {
        std::cout << "droplets_get: not_found_error (HTTP " << e.status() << ")";
        if (const digitalocean::error* body = e.body_as<digitalocean::error>())
            std::cout << ": id \"" << body->id << "\", message \"" << body->message << "\"";
        std::cout << "\n";
        ++steps;
    }

    // 4. 422: a name the spec's pattern forbids. The non-throwing form: a result, never an exception.
    digitalocean::droplet_single_create bad{};
    bad.name = "not a valid hostname!";
    bad.size = "s-1vcpu-1gb";
    bad.image = std::int64_t{0};
    digitalocean::droplets_create_request invalid{.body = digitalocean::droplets_create_body{bad}};
    specbound::result<digitalocean::droplets_create_response> refused = co_await api.try_droplets_create(invalid);
    if (const auto* e = refused.error_as<specbound::unprocessable_entity_error>()) {
        std::cout << "droplets_create (invalid name): unprocessable_entity_error (HTTP " << e->status() << ")";
        if (const digitalocean::error* body = e->body_as<digitalocean::error>())
            std::cout << ": " << body->message;
        else // a body that is not the declared model (Prism answers RFC 9457 problem details)
            std::cout << ": " << e->body().substr(0, 160);
        std::cout << "\n";
        ++steps;
    } else {
        std::cout << "droplets_create (invalid name): expected a 422, got "
                  << (refused.has_value() ? std::string("a Droplet") : std::string(refused.error()->what())) << "\n";
    }
    co_return steps;
}

} // namespace

int main(int argc, char** argv)
{
    const char* token = std::getenv("DIGITALOCEAN_TOKEN");
    const char* base_url = argc > 1 ? argv[1] : std::getenv("SPECBOUND_BASE_URL");
    setup how;
    how.real_api = token && *token;
    if (how.real_api) {
        const char* create = std::getenv("SPECBOUND_DO_CREATE");
        how.create = create && std::string(create) == "1";
    } else if (!base_url) {
        std::cerr << "usage: 06_digitalocean BASE_URL (a mock server), or set DIGITALOCEAN_TOKEN for the real API\n";
        return 2;
    }

    boost::asio::io_context ioc;
    auto options = specbound::make_options(specbound::bearer_token{how.real_api ? token : "mock-token"});
    if (!how.real_api)
        options.base_url = base_url; // else the spec's server, https://api.digitalocean.com
    auto not_found_options = options;
    if (!how.real_api)
        not_found_options.default_headers.emplace_back("Prefer", "code=404"); // Prism: answer the declared 404
    digitalocean::clients::droplets api{ioc.get_executor(), std::move(options)};
    digitalocean::clients::droplets not_found_api{ioc.get_executor(), std::move(not_found_options)};

    int steps = 0;
    boost::asio::co_spawn(ioc, tour(api, not_found_api, how), [&](std::exception_ptr e, int n) {
        if (e) {
            try {
                std::rethrow_exception(e);
            } catch (const std::exception& x) {
                std::cerr << "06 digitalocean failed: " << x.what() << "\n";
            }
        }
        steps = n;
    });
    ioc.run();
    std::cout << "06 digitalocean: " << steps << " of 4 steps done against "
              << (how.real_api ? "the real API" : "the mock server") << "\n";
    return steps == 4 ? 0 : 1;
}
