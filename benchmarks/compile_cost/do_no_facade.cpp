// Compile-cost probe (e): probe (c) without the generated facade (<digitalocean/client.hpp>):
// the same call through specbound::client::async_call<Op> on the operation's descriptor. The
// difference to (c) is what the facade, every operation's members, costs a TU that calls one.
#include <digitalocean/api.hpp>
#include <digitalocean/ops/droplets.hpp>

#include <specbound/client.hpp>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>

#include <exception>
#include <iostream>

boost::asio::awaitable<void> list(specbound::client& api)
{
    digitalocean::droplets_list_response page =
        co_await api.async_call<digitalocean::ops::droplets_list>({.per_page = 5});
    for (const digitalocean::droplet& d : page.droplets.value_or(std::vector<digitalocean::droplet>{}))
        std::cout << d.name << " (" << d.id << ")\n";
}

int main(int argc, char** argv)
{
    boost::asio::io_context ioc;
    auto options = specbound::make_options(specbound::bearer_token{"token"});
    if (argc > 1)
        options.base_url = argv[1];
    specbound::client api{ioc.get_executor(), digitalocean::api, std::move(options)};
    boost::asio::co_spawn(ioc, list(api), [](std::exception_ptr) {});
    ioc.run();
}
