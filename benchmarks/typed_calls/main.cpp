// Typed calls end to end (issue 3): sequential keep-alive GET /pets returning a JSON array of 20
// Pets (~3.7 KB), decoded into the generated petstore::pet, through the generated client, against
// hand-written Beast + Boost.JSON loops; then 64 concurrent calls on one thread over the pool.
// Everything runs against the same in-process server (benchmarks/support/canned_server.hpp) in the
// same run. Prints requests/s, client CPU per request and ratios; asserts nothing about time.
//
//   bench_typed_calls [requests=3000] [rounds=3] [variant]
//
// The whole set runs twice, each time with its own server and its own baselines:
//   - threads where the OS puts them: client and server usually on different CPUs, so every
//     request and every response wakes a sleeping thread on the other CPU. On a VM that wake-up
//     costs tens of microseconds, the same for every variant, and compresses every ratio;
//   - client and server threads on one CPU (sched_setaffinity before the server starts): no
//     cross-CPU wake-up, the time is the work of the client and the server. Steadier (±2–3%
//     between runs instead of ±15%), and what a ratio of client work means.
//
// With a variant name (floor, naive, tuned, decoder, transport, specbound, concurrent) only that
// variant runs, where the OS puts it (use taskset to pin it), and its rounds are printed, no
// ratios: for a profiler (strace -c, perf, callgrind) to see it alone.
//
// Variants, each timed on a fresh io_context (connect included, once per run), best of the rounds:
//   floor      the I/O alone: the request's bytes written, the response's bytes read, no HTTP
//              parsing and no JSON. No client can be faster; floor / naive is the ceiling of any
//              "x / naive" ratio on this machine
//   naive      one connection, default flat_buffer, boost::json::parse + value_to<std::vector<pet>>
//              into a plain struct with its own tag_invoke
//   tuned      the same, plus a reused boost::json::parser on a monotonic_resource (released each
//              response) and a flat_buffer reserved up front
//   decoder    tuned's I/O, the body decoded by specbound::json::decode into petstore::pet
//   transport  specbound's beast_transport (pool, deadline, stale-connection check) + decoder
//   specbound  co_await api.list_pets(req) on the generated facade, sequentially
//   concurrent 64 coroutines on the same thread share one client, each doing requests/64
//              (rounded up) sequential calls; run with the default connection cap and with the cap
//              raised to 64 (transport_options::max_connections_per_origin)
// tuned -> decoder -> transport -> specbound adds one part of the client at a time: the CPU time
// between two of them is what that part saves or costs.
#include <petstore/petstore.hpp>

#include "support/canned_server.hpp"
#include "support/pets_page.hpp"

#include <specbound/http/beast_transport.hpp>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/json/monotonic_resource.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/parser.hpp>
#include <boost/json/value.hpp>
#include <boost/json/value_to.hpp>

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <exception>
#include <map>
#include <optional>
#include <sstream>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include <sched.h>

namespace asio = boost::asio;
namespace bhttp = boost::beast::http;

namespace handwritten {

// What a careful user writes for the same schema without a generator.
enum class pet_status { available, pending, sold, other };

struct pet {
    std::int64_t id = 0;
    std::string name;
    std::optional<std::string> tag;
    std::optional<pet_status> status;
    std::optional<std::string> nickname; // absent or null
    std::optional<std::int32_t> age;     // required, nullable
    std::vector<std::string> photo_urls;
    std::map<std::string, std::string> labels;
};

pet tag_invoke(boost::json::value_to_tag<pet>, const boost::json::value& v)
{
    const boost::json::object& o = v.as_object();
    pet p;
    p.id = o.at("id").to_number<std::int64_t>();
    p.name = boost::json::value_to<std::string>(o.at("name"));
    if (const auto* t = o.if_contains("tag"))
        p.tag = boost::json::value_to<std::string>(*t);
    if (const auto* s = o.if_contains("status")) {
        const boost::json::string& str = s->as_string();
        p.status = str == "available" ? pet_status::available
                   : str == "pending" ? pet_status::pending
                   : str == "sold"    ? pet_status::sold
                                      : pet_status::other;
    }
    if (const auto* n = o.if_contains("nickname"); n && !n->is_null())
        p.nickname = boost::json::value_to<std::string>(*n);
    if (const auto& a = o.at("age"); !a.is_null())
        p.age = a.to_number<std::int32_t>();
    if (const auto* u = o.if_contains("photoUrls"))
        p.photo_urls = boost::json::value_to<std::vector<std::string>>(*u);
    if (const auto* l = o.if_contains("labels"))
        p.labels = boost::json::value_to<std::map<std::string, std::string>>(*l);
    return p;
}

} // namespace handwritten

namespace {

using specbound::bench::pets_per_page; // the page: benchmarks/support/pets_page.hpp
constexpr int concurrency = 64;

struct setup {
    std::uint16_t port;
    std::string host;          // "127.0.0.1:port"
    std::string base_url;      // "http://127.0.0.1:port"
    std::size_t response_size; // bytes of the server's whole response
};

// The same request line and headers the generated client sends (minus its User-Agent value). No
// body and no Content-Length: the same bytes on the wire from every variant.
specbound::http_request make_request(const setup& s)
{
    specbound::http_request req{bhttp::verb::get, "/pets", 11};
    req.set(bhttp::field::host, s.host);
    req.set(bhttp::field::accept, "application/json");
    req.set(bhttp::field::user_agent, "handwritten/1.0");
    req.set("X-API-Key", "bench");
    return req;
}

struct checksum {
    std::size_t pets = 0;
    std::int64_t ids = 0;
    std::size_t bytes = 0;
};

template <class Pets>
void account(checksum& c, const Pets& pets)
{
    c.pets += pets.size();
    for (const auto& p : pets)
        c.ids += p.id;
}

asio::awaitable<boost::beast::tcp_stream> connect(const setup& s)
{
    boost::beast::tcp_stream stream(co_await asio::this_coro::executor);
    co_await stream.async_connect(asio::ip::tcp::endpoint(asio::ip::make_address("127.0.0.1"), s.port),
                                  asio::use_awaitable);
    stream.socket().set_option(asio::ip::tcp::no_delay(true));
    co_return stream;
}

// The I/O floor: the bytes of the same request out, the bytes of the response in (their count is
// known), nothing parsed. Readiness-based like the server: no read is tried before the socket is
// readable. Counts the pets it would have decoded so that measure() accepts the run.
asio::awaitable<checksum> io_floor(const setup& s, int n)
{
    boost::beast::tcp_stream stream = co_await connect(s);
    asio::ip::tcp::socket& socket = stream.socket();
    socket.non_blocking(true);
    std::string request;
    {
        const auto req = make_request(s);
        std::ostringstream out;
        out << req;
        request = out.str();
    }
    std::vector<char> in(s.response_size);
    checksum c;
    for (int i = 0; i < n; ++i) {
        if (socket.write_some(asio::buffer(request)) != request.size())
            throw std::runtime_error("floor: short write");
        for (std::size_t got = 0; got < in.size();) {
            co_await socket.async_wait(asio::ip::tcp::socket::wait_read, asio::use_awaitable);
            boost::system::error_code ec;
            got += socket.read_some(asio::buffer(in.data() + got, in.size() - got), ec);
            if (ec && ec != asio::error::would_block)
                throw boost::system::system_error(ec, "floor: read");
        }
        c.pets += pets_per_page;
        c.bytes += in.size();
    }
    co_return c;
}

// The hand-written loops' I/O: one connection, Beast's read buffer reserved up front when
// `read_buffer` is not 0 (left to grow from nothing otherwise); `decode(body, c)` turns each
// response body into pets and accounts for them.
template <class Decode>
asio::awaitable<checksum> beast_loop(const setup& s, int n, std::size_t read_buffer, Decode decode)
{
    boost::beast::tcp_stream stream = co_await connect(s);
    boost::beast::flat_buffer buffer;
    if (read_buffer != 0)
        buffer.reserve(read_buffer);
    const auto req = make_request(s);
    checksum c;
    for (int i = 0; i < n; ++i) {
        co_await bhttp::async_write(stream, req, asio::use_awaitable);
        bhttp::response<bhttp::string_body> res;
        co_await bhttp::async_read(stream, buffer, res, asio::use_awaitable);
        if (res.result() != bhttp::status::ok)
            throw std::runtime_error("hand-written loop: unexpected status");
        c.bytes += res.body().size();
        decode(res.body(), c);
    }
    co_return c;
}

constexpr std::size_t tuned_read_buffer = 16 * 1024;

// Naive hand-written loop: default read buffer, parse into a DOM, value_to into the plain struct.
asio::awaitable<checksum> naive(const setup& s, int n)
{
    co_return co_await beast_loop(s, n, 0, [](const std::string& body, checksum& c) {
        auto pets = boost::json::value_to<std::vector<handwritten::pet>>(boost::json::parse(body));
        account(c, pets);
    });
}

// Tuned hand-written loop: the read buffer reserved, one parser reused, its DOM on a monotonic
// resource released after each response.
asio::awaitable<checksum> tuned(const setup& s, int n)
{
    std::vector<unsigned char> arena(64 * 1024); // more than the DOM of one page needs
    boost::json::monotonic_resource mr(arena.data(), arena.size());
    boost::json::parser parser;
    co_return co_await beast_loop(s, n, tuned_read_buffer, [&](const std::string& body, checksum& c) {
        {
            parser.reset(&mr);
            parser.write(body);
            const boost::json::value v = parser.release();
            auto pets = boost::json::value_to<std::vector<handwritten::pet>>(v);
            account(c, pets);
        } // the DOM is gone: its memory can be reused
        mr.release();
    });
}

// specbound's streaming decoder into the generated model, from a body in memory.
void decode_with_specbound(const std::string& body, checksum& c)
{
    std::vector<petstore::pet> pets;
    if (auto failure = specbound::json::decode(body, pets))
        throw std::runtime_error("decode failed at " + failure->pointer + ": " + failure->message);
    account(c, pets);
}

// Parts of the client, for the breakdown: the tuned loop's I/O with specbound's decoder, then
// specbound's transport (pool, deadline, stale-connection check) with the same decoder. The
// differences between tuned, tuned I/O + decoder, transport + decoder and the whole client say what
// the decoder saves and what the transport and the client layer cost.
asio::awaitable<checksum> tuned_io_specbound_decode(const setup& s, int n)
{
    co_return co_await beast_loop(s, n, tuned_read_buffer, decode_with_specbound);
}

asio::awaitable<checksum> transport_specbound_decode(const setup& s, int n)
{
    specbound::http::transport_options o;
    o.proxy.from_environment = false;
    specbound::http::beast_transport transport(co_await asio::this_coro::executor, o);
    const specbound::origin to{"http", "127.0.0.1", s.port};
    const specbound::http_request prototype = make_request(s);
    checksum c;
    for (int i = 0; i < n; ++i) {
        specbound::http_request req = prototype; // the client builds a request per call too
        specbound::transport_result r = co_await transport.send(to, req, {});
        if (r.ec)
            throw boost::system::system_error(r.ec, "transport");
        c.bytes += r.response.body().size();
        decode_with_specbound(r.response.body(), c);
    }
    co_return c;
}

specbound::client_options client_options(const setup& s, std::size_t max_connections)
{
    auto o = specbound::make_options(specbound::api_key{"bench"});
    o.base_url = s.base_url;
    o.retry.max_retries = 0;
    o.http_transport.proxy.from_environment = false;
    o.http_transport.max_connections_per_origin = max_connections;
    return o;
}

asio::awaitable<void> calls(petstore::client& api, int n, checksum& c)
{
    petstore::list_pets_request req;
    for (int i = 0; i < n; ++i) {
        petstore::list_pets_response pets = co_await api.list_pets(req);
        account(c, pets);
    }
}

asio::awaitable<checksum> sequential(petstore::client& api, int n)
{
    checksum c;
    co_await calls(api, n, c);
    co_return c;
}

// `concurrency` coroutines on this thread share one client, `per` calls each.
asio::awaitable<checksum> concurrent(petstore::client& api, int per)
{
    auto ex = co_await asio::this_coro::executor;
    checksum c;
    int running = concurrency;
    std::exception_ptr failure;
    asio::steady_timer all_done(ex, std::chrono::steady_clock::time_point::max());
    for (int k = 0; k < concurrency; ++k)
        asio::co_spawn(ex, calls(api, per, c), [&](std::exception_ptr e) {
            if (e && !failure)
                failure = e;
            if (--running == 0)
                all_done.cancel();
        });
    boost::system::error_code ec;
    co_await all_done.async_wait(asio::redirect_error(asio::use_awaitable, ec));
    if (failure)
        std::rethrow_exception(failure);
    co_return c;
}

struct timed {
    double rps = 0;
    double cpu_us = 0; // CPU time of the calling thread (the client side) per request
    checksum sum;
};

/// The best of several rounds: the highest throughput and, separately, the lowest CPU per request.
struct best {
    double rps = 0;
    double cpu_us = 1e300;
    void add(const timed& t)
    {
        rps = std::max(rps, t.rps);
        cpu_us = std::min(cpu_us, t.cpu_us);
    }
};

double thread_cpu_seconds()
{
    timespec ts{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

// Runs the coroutine that `prepare(ioc)` hands back on a fresh io_context. Only the run is timed
// (connecting included), not `prepare`: constructing a specbound client is a one-off cost
// (printed by client_construction_ms) that would otherwise weigh on short runs.
template <class Prepare>
timed measure(int requests, Prepare&& prepare)
{
    asio::io_context ioc(1);
    auto start_coro = prepare(ioc); // owns the client, if any; destroyed before ioc
    std::exception_ptr error;
    timed t;
    const auto start = std::chrono::steady_clock::now();
    const double cpu_start = thread_cpu_seconds();
    asio::co_spawn(ioc, start_coro(), [&](std::exception_ptr e, checksum c) {
        error = e;
        t.sum = c;
    });
    ioc.run();
    t.cpu_us = (thread_cpu_seconds() - cpu_start) * 1e6 / requests;
    const auto elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    if (error)
        std::rethrow_exception(error);
    if (t.sum.pets != static_cast<std::size_t>(requests) * pets_per_page)
        throw std::runtime_error("a run decoded " + std::to_string(t.sum.pets) + " pets instead of " +
                                 std::to_string(static_cast<std::size_t>(requests) * pets_per_page));
    t.rps = requests / elapsed;
    return t;
}

/// A `prepare` for measure(): a client with connection cap `cap`, and `body(client)` to run.
template <class Body>
auto with_client(const setup& s, std::size_t cap, Body body)
{
    return [&s, cap, body](asio::io_context& ioc) {
        auto api = std::make_shared<petstore::client>(ioc.get_executor(), client_options(s, cap));
        return [api, body] { return body(*api); };
    };
}

double client_construction_ms(const setup& s)
{
    asio::io_context ioc(1);
    auto options = client_options(s, specbound::http::transport_options{}.max_connections_per_origin);
    const auto start = std::chrono::steady_clock::now();
    {
        petstore::client api{ioc.get_executor(), std::move(options)};
    }
    return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
}

/// The options of one run, from the command line.
struct run_config {
    int n = 3000;
    int rounds = 3;
    std::string only; // one variant alone, or every variant
};

const std::array<std::string, 7> variants{"floor", "naive", "tuned", "decoder", "transport", "specbound", "concurrent"};

/// Every variant, `rounds` times, against a server started here (its thread inherits the calling
/// thread's CPU affinity), then the table. `placement` names the threads' CPU affinity.
void sweep(const run_config& cfg, const char* placement)
{
    const int n = cfg.n;
    const int rounds = cfg.rounds;
    const std::string& only = cfg.only;
    const std::string body = specbound::bench::pets_page();
    const specbound::bench::canned_server server(specbound::bench::canned_server::ok("application/json", body));
    const setup s{server.port(), "127.0.0.1:" + std::to_string(server.port()),
                  "http://127.0.0.1:" + std::to_string(server.port()), server.response().size()};

    const std::size_t default_cap = specbound::http::transport_options{}.max_connections_per_origin;
    const std::size_t raised_cap = concurrency;
    const int per = (n + concurrency - 1) / concurrency;
    const int concurrent_total = per * concurrency;

    auto run = [&](const std::string& variant, std::size_t cap = 0) -> timed {
        auto plain = [&](auto loop) {
            return measure(n, [&, loop](asio::io_context&) { return [&, loop] { return loop(s, n); }; });
        };
        if (variant == "floor")
            return plain(io_floor);
        if (variant == "naive")
            return plain(naive);
        if (variant == "tuned")
            return plain(tuned);
        if (variant == "decoder")
            return plain(tuned_io_specbound_decode);
        if (variant == "transport")
            return plain(transport_specbound_decode);
        if (variant == "specbound")
            return measure(n,
                           with_client(s, default_cap, [n](petstore::client& api) { return sequential(api, n); }));
        return measure(concurrent_total,
                       with_client(s, cap, [per](petstore::client& api) { return concurrent(api, per); }));
    };
    if (!only.empty()) {
        for (int round = 0; round < rounds; ++round) {
            const timed t = run(only, default_cap);
            std::printf("round %d %s: %.0f req/s, %.1f us client CPU/req\n", round + 1, only.c_str(), t.rps,
                        t.cpu_us);
        }
        return;
    }
    std::printf("\n== %s: GET /pets, JSON body %zu bytes (%d Pet objects), %d sequential keep-alive GETs per run, "
                "%d rounds, best of each\n",
                placement, body.size(), pets_per_page, n, rounds);
    std::printf("concurrent: %d coroutines on one thread, one shared client, %d calls each (%d in all); "
                "default max_connections_per_origin = %zu %s, also run with it raised to %zu\n",
                concurrency, per, concurrent_total, default_cap,
                default_cap < static_cast<std::size_t>(concurrency) ? "(caps concurrency: callers beyond it wait)"
                                                                    : "(does not cap concurrency)",
                raised_cap);
    double best_construction = 1e9;
    std::map<std::string, best> bests; // by variant; "concurrent" is the default cap, "concurrent64" the raised
    for (int round = 0; round < rounds; ++round) {
        std::map<std::string, timed> t;
        for (const std::string& v : variants)
            t[v] = run(v, default_cap);
        t["concurrent64"] = run("concurrent", raised_cap);
        best_construction = std::min(best_construction, client_construction_ms(s));
        const std::int64_t ids = t["naive"].sum.ids;
        for (const char* v : {"tuned", "decoder", "transport", "specbound"})
            if (t[v].sum.ids != ids)
                throw std::runtime_error(std::string("the decoders disagree on the pets' ids: ") + v);
        std::printf("round %d (req/s, client CPU us/req):", round + 1);
        for (const auto& [name, r] : t) {
            std::printf(" %s %.0f %.1f", name.c_str(), r.rps, r.cpu_us);
            bests[name].add(r);
        }
        std::printf("\n");
    }
    const best& naive_best = bests["naive"];
    std::printf("\nbest of %d rounds                 requests/s   client CPU/request   / naive (req/s)   / naive (CPU)\n",
                rounds);
    auto row = [&](const char* label, const char* variant) {
        const best& b = bests[variant];
        std::printf("  %-31s %10.0f %15.1f us %15.3f %15.3f\n", label, b.rps, b.cpu_us, b.rps / naive_best.rps,
                    naive_best.cpu_us / b.cpu_us);
    };
    row("I/O floor (no parsing)", "floor");
    row("hand-written naive", "naive");
    row("hand-written tuned", "tuned");
    row("tuned I/O + specbound decoder", "decoder");
    row("specbound transport + decoder", "transport");
    row("specbound client", "specbound");
    const best& sb = bests["specbound"];
    std::printf("  specbound / tuned: %.3f (req/s), %.3f (CPU)\n", sb.rps / bests["tuned"].rps,
                bests["tuned"].cpu_us / sb.cpu_us);
    std::printf("  the floor is the ceiling: no client can reach more than %.2fx naive's requests/s here\n",
                bests["floor"].rps / naive_best.rps);
    std::printf("  client CPU per request, where it goes: above the floor %.1f us; the decoder saves %.1f us on "
                "tuned's parse + value_to; the transport costs %+.1f us over tuned's Beast loop; the client "
                "layer (plan, auth, retries, middleware, strand) %+.1f us over the transport\n",
                sb.cpu_us - bests["floor"].cpu_us, bests["tuned"].cpu_us - bests["decoder"].cpu_us,
                bests["transport"].cpu_us - bests["decoder"].cpu_us, sb.cpu_us - bests["transport"].cpu_us);
    std::printf("  specbound %d concurrent, cap %2zu (default) %8.0f req/s, %.3f x sequential\n", concurrency,
                default_cap, bests["concurrent"].rps, bests["concurrent"].rps / sb.rps);
    std::printf("  specbound %d concurrent, cap %2zu           %8.0f req/s, %.3f x sequential\n", concurrency,
                raised_cap, bests["concurrent64"].rps, bests["concurrent64"].rps / sb.rps);
    std::printf("constructing a client (not in the times above): %.1f ms\n", best_construction);
    std::printf("server: %zu connections accepted, at most %zu open at once\n", server.connections_accepted(),
                server.max_concurrent_connections());
}

/// The calling thread's CPUs, and the same thread pinned to one of them (the last).
struct affinity {
    cpu_set_t all{};
    bool known = false;
    affinity() { known = sched_getaffinity(0, sizeof all, &all) == 0; }
    [[nodiscard]] bool pin_to_one() const
    {
        if (!known)
            return false;
        int last = -1;
        for (int cpu = 0; cpu < CPU_SETSIZE; ++cpu)
            if (CPU_ISSET(cpu, &all))
                last = cpu;
        if (last < 0)
            return false;
        cpu_set_t one;
        CPU_ZERO(&one);
        CPU_SET(last, &one);
        return sched_setaffinity(0, sizeof one, &one) == 0;
    }
    void restore() const
    {
        if (known)
            sched_setaffinity(0, sizeof all, &all);
    }
};

} // namespace

int main(int argc, char** argv)
{
    run_config cfg;
    cfg.n = argc > 1 ? std::atoi(argv[1]) : 3000;
    cfg.rounds = argc > 2 ? std::atoi(argv[2]) : 3;
    cfg.only = argc > 3 ? argv[3] : "";
    if (cfg.n <= 0 || cfg.rounds <= 0 ||
        (!cfg.only.empty() && std::find(variants.begin(), variants.end(), cfg.only) == variants.end())) {
        std::fprintf(stderr,
                     "usage: %s [requests>0] [rounds>0] [floor|naive|tuned|decoder|transport|specbound|concurrent]\n",
                     argv[0]);
        return 2;
    }
    try {
        if (!cfg.only.empty()) {
            sweep(cfg, "threads where the OS puts them");
            return 0;
        }
        sweep(cfg, "threads where the OS puts them");
        const affinity cpus;
        if (cpus.pin_to_one()) {
            sweep(cfg, "client and server threads on one CPU");
            cpus.restore();
        } else {
            std::printf("\n(could not pin the threads to one CPU: that half of the run is skipped)\n");
        }
    } catch (const std::exception& e) {
        std::fprintf(stderr, "benchmark failed: %s\n", e.what());
        return 1;
    }
    return 0;
}
