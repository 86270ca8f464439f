// Compile-cost probe (f): a TU that calls one GitHub operation (repos_get) through the client
// generated from GitHub's description (1,223 operations): the facade and the operation's header,
// ops/repos_repos_by_owner_root.hpp from a generator that splits big tags (repos: 204 operations),
// ops/repos.hpp (all of them) from one that does not.
#if __has_include(<github/ops/repos_repos_by_owner_root.hpp>)
#include <github/ops/repos_repos_by_owner_root.hpp>
#else
#include <github/ops/repos.hpp>
#endif
#include <github/client.hpp>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>

#include <exception>
#include <iostream>

boost::asio::awaitable<void> get(github::client& api)
{
    github::full_repository repo = co_await api.repos_get({.owner = "boostorg", .repo = "beast"});
    std::cout << repo.full_name << '\n';
}

int main(int argc, char** argv)
{
    boost::asio::io_context ioc;
    auto options = specbound::make_options(specbound::bearer_token{"token"});
    if (argc > 1)
        options.base_url = argv[1];
    github::client api{ioc.get_executor(), std::move(options)};
    boost::asio::co_spawn(ioc, get(api), [](std::exception_ptr) {});
    ioc.run();
}
