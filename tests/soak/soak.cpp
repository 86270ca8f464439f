// Soak: many calls, many in flight on one thread, against a loopback server that randomly closes,
// resets and delays connections, after or before doing the work a request asks for.
//
//   soak [calls=100000] [in_flight=256] [seed=1]
//
// Prints the process's resident memory and open file descriptors every tenth of the run, then
// checks, exiting non-zero on any failure:
//   - every call ended, with a value or a typed error (a watchdog ends a run that hangs);
//   - no request was executed twice unless it was idempotent (GET) or carried an idempotency key
//     (the server counts executions per request, deduplicating by key as a real API does);
//   - a call reported as successful was executed exactly once;
//   - memory and descriptors stay flat: after the first tenth (pools and allocator warmed up),
//     resident memory grows by less than 16 MiB; descriptors never exceed what the connection
//     pools allow (both ends of every pooled connection, plus a few).
// The server runs in this process on its own thread: what is measured includes it.
#include "support/test_server.hpp"
#include "test_api.hpp"

#include <specbound/client.hpp>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <random>
#include <set>
#include <string>
#include <vector>

namespace asio = boost::asio;
using namespace specbound;
using namespace std::chrono_literals;
using specbound::test::reply;
using specbound::test::request_info;
using specbound::test::test_server;

namespace {

// AddressSanitizer keeps freed memory in quarantine (up to 256 MiB): resident memory grows by
// design there, so the run reports it but checks only descriptors. (GCC says so with
// __SANITIZE_ADDRESS__, clang 15 only with __has_feature.)
#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define SPECBOUND_SOAK_ASAN 1
#endif
#endif
#if defined(__SANITIZE_ADDRESS__) || defined(SPECBOUND_SOAK_ASAN)
constexpr bool memory_under_sanitizer = true;
#else
constexpr bool memory_under_sanitizer = false;
#endif

long resident_kib()
{
    std::ifstream statm("/proc/self/statm");
    long pages = 0, resident = 0;
    statm >> pages >> resident;
    return resident * 4; // 4 KiB pages on the platforms CI runs on
}

long open_fds()
{
    long n = 0;
    for ([[maybe_unused]] const auto& e : std::filesystem::directory_iterator("/proc/self/fd"))
        ++n;
    return n;
}

/// The number in "…/pets/<n>" or "pet-<n>": every call of the run has its own.
long call_number(std::string_view text)
{
    const auto at = text.find_last_not_of("0123456789\"}");
    long n = 0;
    for (char c : text.substr(at + 1))
        if (c >= '0' && c <= '9')
            n = n * 10 + (c - '0');
    return n;
}

/// The server side: executes requests (counting executions per call, in memory fixed up front so
/// that it does not grow with the run), then misbehaves at random.
class flaky_api {
public:
    flaky_api(long calls, unsigned seed) : executions_(static_cast<std::size_t>(calls)), rng_(seed) {}

    reply handle(const http_request& req, const request_info&)
    {
        std::lock_guard lock(m_);
        const bool post = req.method() == boost::beast::http::verb::post;
        const long n = call_number(post ? std::string_view(req.body()) : std::string_view(req.target()));
        if (n < 0 || n >= static_cast<long>(executions_.size()))
            return reply::json("{}", boost::beast::http::status::bad_request);
        // Each call carries its own key: a keyed request for a call executed already is a replay,
        // answered without executing again, as an API that honours idempotency keys does.
        const bool replay = post && req.find("Idempotency-Key") != req.end() && executions_[n] > 0;
        if (!replay && executions_[n] < 255)
            ++executions_[n];
        const int dice = std::uniform_int_distribution<int>(0, 99)(rng_);
        if (dice < 4)
            return reply::close_without_answer(); // after executing: the dangerous case for a POST
        if (dice < 7)
            return reply::reset();
        reply r = post ? reply::json(R"({"id":1,"name":"x"})", boost::beast::http::status::created)
                       : reply::json(R"({"id":7,"name":"Rex"})");
        if (dice < 9)
            r.delay = 300ms; // past the client's attempt timeout
        else if (dice < 20)
            r.delay = std::chrono::milliseconds(std::uniform_int_distribution<int>(1, 20)(rng_));
        else if (dice < 25)
            r.response.keep_alive(false);
        else if (dice < 27)
            r.response.result(boost::beast::http::status::service_unavailable);
        return r;
    }

    int executions(long n) const
    {
        std::lock_guard lock(m_);
        return executions_[static_cast<std::size_t>(n)];
    }

private:
    mutable std::mutex m_;
    std::vector<std::uint8_t> executions_; // per call number
    std::mt19937 rng_;
};

enum class call_kind : std::uint8_t { get, post, keyed_post };
enum class outcome : std::uint8_t { pending, ok, typed_error };

struct tally {
    long done = 0, ok = 0, typed_errors = 0;
    std::map<std::string, long> by_kind;
    std::vector<call_kind> kinds;     // per call number, fixed up front
    std::vector<outcome> outcomes;    // likewise
};

std::string kind_of(const error& e)
{
    return e.code().category().name() + std::string(":") + e.code().message();
}

} // namespace

int main(int argc, char** argv)
{
    const long calls = argc > 1 ? std::atol(argv[1]) : 100000;
    const long in_flight = argc > 2 ? std::atol(argv[2]) : 256;
    const unsigned seed = argc > 3 ? static_cast<unsigned>(std::atol(argv[3])) : 1;
    if (calls <= 0 || in_flight <= 0) {
        std::fprintf(stderr, "usage: soak [calls] [in_flight] [seed]\n");
        return 2;
    }

    flaky_api api(calls, seed);
    specbound::test::server_options so;
    so.record_requests = false;
    test_server server([&](const http_request& req, const request_info& info) { return api.handle(req, info); }, so);

    asio::io_context ioc;
    auto options = [&](bool keys) {
        client_options o;
        o.base_url = "http://127.0.0.1:" + std::to_string(server.port()) + "/v1";
        o.http_transport.proxy.from_environment = false;
        o.credentials.emplace_back(bearer_token{"soak"});
        o.timeouts.attempt = 200ms;
        o.retry.initial_backoff = 1ms;
        o.retry.max_backoff = 5ms;
        o.retry.idempotency_keys = keys;
        return o;
    };
    client plain{ioc.get_executor(), testapi::api, options(false)};
    client keyed{ioc.get_executor(), testapi::api, options(true)};
    const std::size_t pool = plain.options().http_transport.max_connections_per_origin;

    tally t;
    t.kinds.resize(static_cast<std::size_t>(calls));
    t.outcomes.resize(static_cast<std::size_t>(calls));
    long started = 0;
    const long report_every = std::max<long>(calls / 10, 1);
    // Two clients of `pool` connections each, and the server's side of each connection.
    const long fds_limit = open_fds() + static_cast<long>(4 * pool) + 16;
    long rss_after_warmup = 0;
    bool flat = true;
    const auto t0 = std::chrono::steady_clock::now();
    std::mt19937 pick(seed + 1);

    // Watchdog: a run that hangs is a failure, not a stuck CI job.
    asio::steady_timer watchdog(ioc, std::chrono::seconds(60 + calls / 100));
    bool hung = false;
    watchdog.async_wait([&](boost::system::error_code ec) {
        if (!ec) {
            hung = true;
            ioc.stop();
        }
    });
    auto watchdog_done = [&] { watchdog.cancel(); };

    // One worker coroutine per slot in flight; each starts the next call when its last ends.
    auto worker = [&]() -> asio::awaitable<void> {
        while (started < calls) {
            const long n = started++;
            const auto i = static_cast<std::size_t>(n);
            const int what = std::uniform_int_distribution<int>(0, 3)(pick);
            t.kinds[i] = what < 2 ? call_kind::get : what == 2 ? call_kind::post : call_kind::keyed_post;
            std::shared_ptr<const error> failure;
            if (t.kinds[i] == call_kind::get) {
                testapi::show_pet_request req{std::to_string(n)};
                failure = (co_await plain.async_try_call<testapi::ops::show_pet>(req)).error_ptr();
            } else {
                testapi::create_pet_request req;
                req.body = testapi::new_pet{"pet-" + std::to_string(n), std::nullopt};
                client& c = t.kinds[i] == call_kind::post ? plain : keyed;
                failure = (co_await c.async_try_call<testapi::ops::create_pet>(req)).error_ptr();
            }
            if (failure) {
                ++t.typed_errors;
                ++t.by_kind[kind_of(*failure)];
                t.outcomes[i] = outcome::typed_error;
            } else {
                ++t.ok;
                t.outcomes[i] = outcome::ok;
            }
            if (++t.done == calls)
                watchdog_done();
            if (t.done % report_every == 0) {
                const long rss = resident_kib(), fds = open_fds();
                const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
                std::printf("%8ld calls  %6.1f s  rss %7ld KiB  fds %4ld  ok %ld  typed errors %ld\n", t.done, secs, rss,
                            fds, t.ok, t.typed_errors);
                std::fflush(stdout);
                if (t.done == report_every)
                    rss_after_warmup = rss;
                else if (rss - rss_after_warmup > 16 * 1024 && !memory_under_sanitizer)
                    flat = false;
                if (fds > fds_limit)
                    flat = false;
            }
        }
    };
    for (long i = 0; i < in_flight; ++i)
        asio::co_spawn(ioc, worker(), asio::detached);

    ioc.run();

    int failures = 0;
    std::printf("\ncalls %ld, ended %ld: ok %ld, typed errors %ld\n", calls, t.done, t.ok, t.typed_errors);
    for (const auto& [kind, n] : t.by_kind)
        std::printf("  %-60s %ld\n", kind.c_str(), n);
    if (hung || t.done != calls) {
        std::printf("FAIL: %ld calls did not end\n", calls - t.done);
        ++failures;
    }
    long unsafe = 0, not_once = 0;
    for (long n = 0; n < calls; ++n) {
        const auto i = static_cast<std::size_t>(n);
        const int executed = api.executions(n);
        if (t.kinds[i] != call_kind::get && executed > 1 && unsafe++ < 5)
            std::printf("FAIL: call %ld (a POST) executed %d times\n", n, executed);
        if (t.kinds[i] != call_kind::get && t.outcomes[i] == outcome::ok && executed != 1)
            ++not_once;
    }
    std::printf("non-idempotent requests executed twice: %ld\n", unsafe);
    failures += unsafe != 0;
    std::printf("successful POSTs not executed exactly once: %ld\n", not_once);
    failures += not_once != 0;
    if (!flat) {
        std::printf("FAIL: memory grew by 16 MiB or more after warm-up, or descriptors passed %ld\n", fds_limit);
        ++failures;
    }
    std::printf(failures ? "soak: FAILED\n" : "soak: passed\n");
    return failures ? 1 : 0;
}
