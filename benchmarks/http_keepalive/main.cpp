// Sequential keep-alive GETs through beast_transport vs a hand-written Beast loop, against the
// same in-process server (benchmarks/support/canned_server.hpp). Prints requests/s for both and
// the ratio (transport / baseline).
//
//   bench_http_keepalive [requests=5000] [rounds=3]
#include <specbound/http/beast_transport.hpp>

#include "support/canned_server.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <string>

namespace asio = boost::asio;
namespace bhttp = boost::beast::http;

namespace {

specbound::http_request make_request(std::uint16_t port)
{
    specbound::http_request req{bhttp::verb::get, "/bench", 11};
    req.set(bhttp::field::host, "127.0.0.1:" + std::to_string(port));
    req.set(bhttp::field::accept, "application/json");
    return req;
}

// The baseline: what a careful user writes by hand with Beast, one connection, no pool.
asio::awaitable<std::size_t> baseline(std::uint16_t port, int n)
{
    auto ex = co_await asio::this_coro::executor;
    boost::beast::tcp_stream stream(ex);
    co_await stream.async_connect(asio::ip::tcp::endpoint(asio::ip::make_address("127.0.0.1"), port),
                                  asio::use_awaitable);
    stream.socket().set_option(asio::ip::tcp::no_delay(true));
    boost::beast::flat_buffer buffer;
    buffer.reserve(16 * 1024);
    std::size_t bytes = 0;
    auto req = make_request(port);
    for (int i = 0; i < n; ++i) {
        co_await bhttp::async_write(stream, req, asio::use_awaitable);
        bhttp::response<bhttp::string_body> res;
        co_await bhttp::async_read(stream, buffer, res, asio::use_awaitable);
        bytes += res.body().size();
    }
    co_return bytes;
}

asio::awaitable<std::size_t> through_transport(specbound::http::beast_transport& t, specbound::origin o, int n)
{
    std::size_t bytes = 0;
    auto req = make_request(o.port);
    for (int i = 0; i < n; ++i) {
        auto r = co_await t.send(o, req, {});
        if (r.ec)
            throw boost::system::system_error(r.ec, "transport request failed");
        bytes += r.response.body().size();
    }
    co_return bytes;
}

template <class F>
double measure(int n, F&& make_coro)
{
    asio::io_context ioc(1);
    std::exception_ptr error;
    const auto start = std::chrono::steady_clock::now();
    asio::co_spawn(ioc, make_coro(ioc), [&](std::exception_ptr e, std::size_t) { error = e; });
    ioc.run();
    const auto elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    if (error)
        std::rethrow_exception(error);
    return n / elapsed;
}

} // namespace

int main(int argc, char** argv)
{
    const int n = argc > 1 ? std::atoi(argv[1]) : 5000;
    const int rounds = argc > 2 ? std::atoi(argv[2]) : 3;
    if (n <= 0 || rounds <= 0) {
        std::fprintf(stderr, "usage: %s [requests>0] [rounds>0]\n", argv[0]);
        return 2;
    }
    const std::string body = R"({"id":42,"name":"specbound","tags":["a","b","c"]})";
    specbound::bench::canned_server server(specbound::bench::canned_server::ok("application/json", body));
    const specbound::origin origin{"http", "127.0.0.1", server.port()};

    try {
        std::printf("%d sequential keep-alive GETs per run, %d rounds, best of each\n", n, rounds);
        double best_base = 0, best_transport = 0;
        for (int round = 0; round < rounds; ++round) {
            const double base = measure(n, [&](asio::io_context&) { return baseline(server.port(), n); });
            const double tr = measure(n, [&](asio::io_context& ioc) -> asio::awaitable<std::size_t> {
                specbound::http::transport_options o;
                o.proxy.from_environment = false;
                // The transport lives in a coroutine frame so it is destroyed before ioc.run() returns.
                specbound::http::beast_transport t(ioc.get_executor(), o);
                co_return co_await through_transport(t, origin, n);
            });
            std::printf("round %d: baseline %.0f req/s, beast_transport %.0f req/s, ratio %.3f\n", round + 1, base,
                        tr, tr / base);
            best_base = std::max(best_base, base);
            best_transport = std::max(best_transport, tr);
        }
        std::printf("best: baseline %.0f req/s, beast_transport %.0f req/s, ratio %.3f\n", best_base, best_transport,
                    best_transport / best_base);
    } catch (const std::exception& e) {
        std::fprintf(stderr, "benchmark failed: %s\n", e.what());
        return 1;
    }
    return 0;
}
