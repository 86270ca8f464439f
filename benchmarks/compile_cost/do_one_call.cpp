// Compile-cost probe (c): a TU that calls one DigitalOcean operation (droplets_list) through the
// client generated from DigitalOcean's description, as a user includes it: the facade and the
// operations header of the one tag it calls.
#include <digitalocean/ops/droplets.hpp>
#include <digitalocean/client.hpp>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>

#include <exception>
#include <iostream>

boost::asio::awaitable<void> list(digitalocean::client& api)
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
    digitalocean::client api{ioc.get_executor(), std::move(options)};
    boost::asio::co_spawn(ioc, list(api), [](std::exception_ptr) {});
    ioc.run();
}
