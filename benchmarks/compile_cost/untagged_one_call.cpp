// Compile-cost probe (d): a TU that calls one of 500 untagged operations
// (benchmarks/compile_cost/untagged_spec.sh): the facade and the operations header of the one it
// calls. A generator that splits big groups by path puts it in ops/default_resource_7.hpp; one that
// does not has only ops/default.hpp, every operation (the "before" figure).
#if __has_include(<untagged/ops/default_resource_7.hpp>)
#include <untagged/ops/default_resource_7.hpp>
#else
#include <untagged/ops/default.hpp>
#endif
#include <untagged/client.hpp>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>

#include <exception>
#include <iostream>

boost::asio::awaitable<void> get(untagged::client& api)
{
    untagged::resource7 r = co_await api.get_resource_7({.id = "r_1"});
    std::cout << r.id << ' ' << r.amount << '\n';
}

int main(int argc, char** argv)
{
    boost::asio::io_context ioc;
    auto options = specbound::make_options(specbound::bearer_token{"token"});
    if (argc > 1)
        options.base_url = argv[1];
    untagged::client api{ioc.get_executor(), std::move(options)};
    boost::asio::co_spawn(ioc, get(api), [](std::exception_ptr) {});
    ioc.run();
}
