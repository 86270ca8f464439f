// Compile-cost probe (g): probe (f) without the generated facade (<github/client.hpp>, 1,223
// operations): the same call through specbound::client::async_call<Op>.
#include <github/api.hpp>
#if __has_include(<github/ops/repos_repos_by_owner_root.hpp>)
#include <github/ops/repos_repos_by_owner_root.hpp>
#else
#include <github/ops/repos.hpp>
#endif

#include <specbound/client.hpp>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>

#include <exception>
#include <iostream>

boost::asio::awaitable<void> get(specbound::client& api)
{
    github::full_repository repo = co_await api.async_call<github::ops::repos_get>({.owner = "boostorg", .repo = "beast"});
    std::cout << repo.full_name << '\n';
}

int main(int argc, char** argv)
{
    boost::asio::io_context ioc;
    auto options = specbound::make_options(specbound::bearer_token{"token"});
    if (argc > 1)
        options.base_url = argv[1];
    specbound::client api{ioc.get_executor(), github::api, std::move(options)};
    boost::asio::co_spawn(ioc, get(api), [](std::exception_ptr) {});
    ioc.run();
}
