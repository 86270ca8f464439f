// Per-call overhead of specbound::client (coroutine spawn, strand, the call engine, middleware
// plumbing) over the sans-I/O work every call needs anyway (build the request, select and decode
// the response). Both run in the same process on the same data; the transport answers instantly
// from memory so no network time hides the overhead.
//
// Then a failed call: a 404 with the spec's typed error body, through try_ (the non-throwing form)
// and through co_await with a catch, with the exceptions each throws counted (every throw and
// rethrow passes through _Unwind_RaiseException, interposed below).
//
//   bench_client_call [calls]        prints ns/call, ratios, and exceptions per call
#include "test_api.hpp"

#include <specbound/client.hpp>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>

#include <unwind.h>
#include <dlfcn.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>

namespace asio = boost::asio;
using namespace specbound;

namespace {
std::atomic<long> exceptions_raised{0};
} // namespace

/// Counts every exception thrown or rethrown in the process, then raises it as usual.
extern "C" _Unwind_Reason_Code _Unwind_RaiseException(struct _Unwind_Exception* e)
{
    using raise_fn = _Unwind_Reason_Code (*)(struct _Unwind_Exception*);
    static const raise_fn real = reinterpret_cast<raise_fn>(dlsym(RTLD_NEXT, "_Unwind_RaiseException"));
    exceptions_raised.fetch_add(1, std::memory_order_relaxed);
    return real(e);
}

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

http_response json_response(boost::beast::http::status status, std::string body)
{
    http_response r{status, 11};
    r.set(boost::beast::http::field::content_type, "application/json");
    r.body() = std::move(body);
    r.prepare_payload();
    return r;
}

http_response pet_response()
{
    return json_response(boost::beast::http::status::ok, R"({"id":42,"name":"Rex","tag":"dog"})");
}

http_response not_found_response()
{
    return json_response(boost::beast::http::status::not_found, R"({"code":404,"message":"no pet 42"})");
}

volatile std::int64_t sink;

double baseline_ns(int calls)
{
    const auto base = detail::parse_base_url(testapi::api.default_server);
    const http_response canned = pet_response();
    const auto start = std::chrono::steady_clock::now();
    for (int i = 0; i < calls; ++i) {
#if __has_include(<specbound/detail/call_engine.hpp>)
        http_request req = *detail::build_request<testapi::ops::show_pet>(base, {"42"});
        req.set(boost::beast::http::field::user_agent, "specbound");
        http_response res = canned; // the transport hands over a response object too
        testapi::pet p = *detail::handle_response<testapi::ops::show_pet>(res, "showPetById");
#else // the runtime before the call engine (errors thrown), for before/after comparisons
        http_request req = detail::build_request<testapi::ops::show_pet>(base, {"42"});
        req.set(boost::beast::http::field::user_agent, "specbound");
        http_response res = canned;
        testapi::pet p = detail::handle_response<testapi::ops::show_pet>(res, "showPetById");
#endif
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

struct failed_calls {
    double ns_per_call = 0;
    double exceptions_per_call = 0;
};

/// `calls` calls answered 404 with a typed body: through try_ (`use_try`), or co_await + catch.
failed_calls failed_call_ns(int calls, bool use_try)
{
    asio::io_context ioc;
    client_options o;
    o.transport = std::make_shared<canned_transport>(not_found_response());
    client c{ioc.get_executor(), testapi::api, o};
    long typed = 0;
    const long raised_before = exceptions_raised.load();
    const auto start = std::chrono::steady_clock::now();
    asio::co_spawn(
        ioc,
        [&]() -> asio::awaitable<void> {
            for (int i = 0; i < calls; ++i) {
                testapi::show_pet_request req{"42"};
                if (use_try) {
                    result<testapi::pet> r = co_await c.async_try_call<testapi::ops::show_pet>(req);
                    if (auto* e = r.error_as<not_found_error>(); e && e->body_as<testapi::api_problem>())
                        ++typed;
                } else {
                    try {
                        (void)co_await c.async_call<testapi::ops::show_pet>(req);
                    } catch (const not_found_error& e) {
                        if (e.body_as<testapi::api_problem>())
                            ++typed;
                    }
                }
            }
        },
        asio::detached);
    ioc.run();
    const double ns = std::chrono::duration<double, std::nano>(std::chrono::steady_clock::now() - start).count();
    if (typed != calls) {
        std::fprintf(stderr, "bench_client_call: %ld of %d failed calls carried the typed error\n", typed, calls);
        std::exit(1);
    }
    return {ns / calls, static_cast<double>(exceptions_raised.load() - raised_before) / calls};
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

    // Failed calls: a 404 with a typed error body.
    (void)failed_call_ns(calls / 10 + 1, true);
    (void)failed_call_ns(calls / 10 + 1, false);
    failed_calls via_try, via_catch;
    for (int round = 0; round < 3; ++round) {
        const failed_calls t = failed_call_ns(calls, true);
        const failed_calls c = failed_call_ns(calls, false);
        via_try.ns_per_call += t.ns_per_call / 3;
        via_try.exceptions_per_call = t.exceptions_per_call;
        via_catch.ns_per_call += c.ns_per_call / 3;
        via_catch.exceptions_per_call = c.exceptions_per_call;
    }
    std::printf("failed call (404), try_:    %8.0f ns/call, %.2f exceptions/call\n", via_try.ns_per_call,
                via_try.exceptions_per_call);
    std::printf("failed call, co_await+catch:%8.0f ns/call, %.2f exceptions/call\n", via_catch.ns_per_call,
                via_catch.exceptions_per_call);
    std::printf("ratio failed try_ / success:%8.2f\n", via_try.ns_per_call / full);
    std::printf("ratio catch / try_:         %8.2f\n", via_catch.ns_per_call / via_try.ns_per_call);
    return 0;
}
