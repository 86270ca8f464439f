// Per-call overhead of specbound::client (coroutine spawn, strand, retry/auth/middleware plumbing)
// over the sans-I/O work every call needs anyway (build the request, select and decode the
// response). Both run in the same process on the same data; the transport answers instantly from
// memory so no network time hides the overhead.
//
//   bench_client_call [calls]        prints ns/call for each and the ratio client / baseline
#include "test_api.hpp"

#include <specbound/client.hpp>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>

namespace asio = boost::asio;
using namespace specbound;

namespace {

/// Answers every request with the same response, without I/O.
class canned_transport final : public transport {
public:
    explicit canned_transport(http_response r) : response_(std::move(r)) {}
    asio::awaitable<transport_result> send(const origin&, http_request&, const attempt_limits&) override
    {
        transport_result r;
        r.request_sent = true;
        r.response = response_;
        co_return r;
    }

private:
    http_response response_;
};

http_response pet_response()
{
    http_response r{boost::beast::http::status::ok, 11};
    r.set(boost::beast::http::field::content_type, "application/json");
    r.body() = R"({"id":42,"name":"Rex","tag":"dog"})";
    r.prepare_payload();
    return r;
}

volatile std::int64_t sink;

double baseline_ns(int calls)
{
    const auto base = detail::parse_base_url(testapi::api.default_server);
    const http_response canned = pet_response();
    const auto start = std::chrono::steady_clock::now();
    for (int i = 0; i < calls; ++i) {
        http_request req = detail::build_request<testapi::ops::show_pet>(base, {"42"});
        req.set(boost::beast::http::field::user_agent, "specbound");
        http_response res = canned; // the transport hands over a response object too
        testapi::pet p = detail::handle_response<testapi::ops::show_pet>(res, "showPetById");
        sink = p.id + static_cast<std::int64_t>(req.target().size());
    }
    return std::chrono::duration<double, std::nano>(std::chrono::steady_clock::now() - start).count() / calls;
}

double client_ns(int calls)
{
    asio::io_context ioc;
    client_options o;
    o.transport = std::make_shared<canned_transport>(pet_response());
    client c{ioc.get_executor(), testapi::api, o};
    const auto start = std::chrono::steady_clock::now();
    asio::co_spawn(
        ioc,
        [&]() -> asio::awaitable<void> {
            for (int i = 0; i < calls; ++i) {
                testapi::show_pet_request req{"42"};
                testapi::pet p = co_await c.async_call<testapi::ops::show_pet>(req);
                sink = p.id;
            }
        },
        asio::detached);
    ioc.run();
    return std::chrono::duration<double, std::nano>(std::chrono::steady_clock::now() - start).count() / calls;
}

} // namespace

int main(int argc, char** argv)
{
    const int calls = argc > 1 ? std::max(1, std::atoi(argv[1])) : 100000;
    // Warm up both paths, then alternate to share the machine's noise.
    (void)baseline_ns(calls / 10 + 1);
    (void)client_ns(calls / 10 + 1);
    double base = 0, full = 0;
    for (int round = 0; round < 3; ++round) {
        base += baseline_ns(calls);
        full += client_ns(calls);
    }
    base /= 3;
    full /= 3;
    std::printf("calls per run:              %d (x3 rounds)\n", calls);
    std::printf("baseline (build + decode):  %8.0f ns/call\n", base);
    std::printf("client.async_call:          %8.0f ns/call\n", full);
    std::printf("ratio client / baseline:    %8.2f  (overhead %.0f ns/call)\n", full / base, full - base);
    return 0;
}
