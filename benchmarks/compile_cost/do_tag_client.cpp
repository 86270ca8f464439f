// Compile-cost probe (k): probe (c) through the per-tag client instead of the whole facade:
// clients/droplets.hpp declares the members of ops/droplets.hpp's operations only, and includes
// that header, where <digitalocean/client.hpp> declares all 659 operations' members.
#include <digitalocean/clients/droplets.hpp>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>

#include <exception>
#include <iostream>

boost::asio::awaitable<void> list(digitalocean::clients::droplets& api)
{
    digitalocean::droplets_list_response page = co_await api.droplets_list({.per_page = 5});
    for (const digitalocean::droplet& d : page.droplets.value_or(std::vector<digitalocean::droplet>{}))
        std::cout << d.name << " (" << d.id << ")\n";
}

int main(int argc, char** argv)
{
    boost::asio::io_context ioc;
    auto options = specbound::make_options(specbound::bearer_token{"token"});
    if (argc > 1)
        options.base_url = argv[1];
    digitalocean::clients::droplets api{ioc.get_executor(), std::move(options)};
    boost::asio::co_spawn(ioc, list(api), [](std::exception_ptr) {});
    ioc.run();
}
