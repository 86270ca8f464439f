// Run one coroutine on a test's io_context with a hard time limit, so no test can hang.
#pragma once

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>

#include <chrono>
#include <exception>
#include <optional>
#include <stdexcept>

namespace specbound::test {

/// Runs `aw` to completion on `ioc` (on this thread) and returns its value; throws
/// std::runtime_error if it has not finished within `limit`, rethrows its exception.
template <class T>
T run_for(boost::asio::io_context& ioc, boost::asio::awaitable<T> aw,
          std::chrono::steady_clock::duration limit = std::chrono::seconds(20))
{
    std::optional<T> value;
    std::exception_ptr error;
    bool done = false;
    boost::asio::co_spawn(ioc, std::move(aw), [&](std::exception_ptr e, T v) {
        error = e;
        if (!e)
            value.emplace(std::move(v));
        done = true;
    });
    const auto deadline = std::chrono::steady_clock::now() + limit;
    ioc.restart();
    while (!done) {
        const auto now = std::chrono::steady_clock::now();
        if (now >= deadline)
            throw std::runtime_error("test coroutine did not finish in time");
        if (ioc.run_one_for(deadline - now) == 0 && ioc.stopped())
            ioc.restart();
    }
    if (error)
        std::rethrow_exception(error);
    return std::move(*value);
}

} // namespace specbound::test
