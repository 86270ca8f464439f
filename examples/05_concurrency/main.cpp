// 05 — many concurrent calls on one thread: 64 coroutines share the client's connection pool.
#include <petstore/petstore.hpp>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>

#include <chrono>
#include <cstdlib>
#include <iostream>

int main(int argc, char** argv)
{
    const char* base_url = argc > 1 ? argv[1] : std::getenv("SPECBOUND_BASE_URL");
    constexpr int calls = 64;

    boost::asio::io_context ioc;
    auto options = specbound::make_options(specbound::api_key{"demo-key"});
    if (base_url)
        options.base_url = base_url;
    options.http_transport.max_connections_per_origin = 8; // at most 8 sockets, reused by all 64 calls
    petstore::client api{ioc.get_executor(), std::move(options)};

    int ok = 0;
    int failed = 0;
    const auto start = std::chrono::steady_clock::now();
    for (int i = 0; i < calls; ++i) {
        boost::asio::co_spawn(
            ioc,
            [&api, &ok, &failed, i]() -> boost::asio::awaitable<void> {
                petstore::show_pet_by_id_request show{.pet_id = i + 1};
                specbound::result<petstore::pet> r = co_await api.try_show_pet_by_id(show);
                if (r.has_value())
                    ++ok;
                else {
                    ++failed;
                    std::cerr << "call " << i << ": " << r.error()->what() << "\n";
                }
            },
            boost::asio::detached);
    }
    ioc.run(); // one thread runs all 64 calls
    const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start);
    std::cout << "05 concurrency: " << ok << " of " << calls << " calls succeeded, " << failed << " failed, in "
              << ms.count() << " ms on one thread\n";
    return failed == 0 ? 0 : 1;
}
