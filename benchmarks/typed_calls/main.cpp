// Typed calls end to end (issue 3): sequential keep-alive GET /pets returning a JSON array of 20
// Pets (~3.7 KB), decoded into the generated petstore::pet, through the generated client, against
// hand-written Beast + Boost.JSON loops; then 64 concurrent calls on one thread over the pool.
// Everything runs against the same in-process server (benchmarks/support/canned_server.hpp) in the
// same run. Prints requests/s, client CPU per request and ratios; asserts nothing about time.
//
//   bench_typed_calls [requests=3000] [rounds=3] [variant]
//
// With a variant name (floor, naive, tuned, specbound, concurrent) only that variant runs and its
// rounds are printed, no ratios: for a profiler (strace -c, perf, callgrind) to see it alone.
//
// Variants, each timed on a fresh io_context (connect included, once per run), best of the rounds:
//   floor      the I/O alone: the request's bytes written, the response's bytes read, no HTTP
//              parsing and no JSON. No client can be faster; floor / naive is the ceiling of any
//              "x / naive" ratio on this machine
//   naive      one connection, default flat_buffer, boost::json::parse + value_to<std::vector<pet>>
//              into a plain struct with its own tag_invoke
//   tuned      the same, plus a reused boost::json::parser on a monotonic_resource (released each
//              response) and a flat_buffer reserved up front
//   specbound  co_await api.list_pets(req) on the generated facade, sequentially
//   concurrent 64 coroutines on the same thread share one client, each doing requests/64
//              (rounded up) sequential calls; run with the default connection cap and with the cap
//              raised to 64 (transport_options::max_connections_per_origin)
#include <petstore/petstore.hpp>

#include "support/canned_server.hpp"

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

constexpr int pets_per_page = 20;
constexpr int concurrency = 64;

// The body: 20 Pets with realistic content, only fields of the schema (no unknown keys, no
// `extra`): id, name, usually tag, status, nickname (a string, sometimes null, sometimes absent),
// age (sometimes null), one photo URL and two or three labels: about 185 bytes a Pet, e.g.
//   {"id":10458,"name":"Pepper","tag":"cat","status":"pending","nickname":"Pepie","age":2,
//    "photoUrls":["https://img.pets.example.com/10458.jpg"],
//    "labels":{"color":"black","size":"medium","vaccinated":"yes"}}
std::string pets_body()
{
    static constexpr std::array names{"Biscuit", "Pepper",  "Mochi",  "Rex",    "Luna",   "Whiskers",
                                      "Noodle",  "Juniper", "Basil",  "Ziggy",  "Marble", "Pumpkin",
                                      "Clover",  "Bandit",  "Tofu",   "Sable",  "Olive",  "Hazel",
                                      "Wasabi",  "Gizmo"};
    static_assert(names.size() == pets_per_page);
    static constexpr std::array kinds{"dog", "cat", "rabbit", "parrot", "hamster"};
    static constexpr std::array statuses{"available", "pending", "sold"};
    static constexpr std::array colors{"brown", "black", "white", "ginger", "grey", "tabby"};
    static constexpr std::array sizes{"small", "medium", "large"};
    std::string b = "[";
    for (int i = 0; i < pets_per_page; ++i) {
        const std::string id = std::to_string(10421 + i * 37);
        if (i > 0)
            b += ',';
        b += R"({"id":)" + id + R"(,"name":")" + names[i] + '"';
        if (i % 7 != 3)
            b += R"(,"tag":")" + std::string(kinds[i % kinds.size()]) + '"';
        b += R"(,"status":")" + std::string(statuses[i % statuses.size()]) + '"';
        if (i % 5 == 0)
            b += R"(,"nickname":null)";
        else if (i % 5 != 4)
            b += R"(,"nickname":")" + std::string(names[i]).substr(0, 3) + "ie\"";
        if (i % 6 == 5)
            b += R"(,"age":null)";
        else
            b += R"(,"age":)" + std::to_string(1 + i % 13);
        b += R"(,"photoUrls":["https://img.pets.example.com/)" + id + R"(.jpg"])";
        b += R"(,"labels":{"color":")" + std::string(colors[i % colors.size()]) + R"(","size":")" +
             std::string(sizes[i % sizes.size()]) + '"';
        if (i % 4 == 1)
            b += R"(,"vaccinated":"yes")";
        b += "}}";
    }
    b += "]";
    return b;
}

struct setup {
    std::uint16_t port;
    std::string host;          // "127.0.0.1:port"
    std::string base_url;      // "http://127.0.0.1:port"
    std::size_t response_size; // bytes of the server's whole response
};

// The same request line and headers the generated client sends (minus its User-Agent value).
bhttp::request<bhttp::empty_body> make_request(const setup& s)
{
    bhttp::request<bhttp::empty_body> req{bhttp::verb::get, "/pets", 11};
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

// Naive hand-written loop: parse into a DOM, value_to into the plain struct.
asio::awaitable<checksum> naive(const setup& s, int n)
{
    boost::beast::tcp_stream stream = co_await connect(s);
    boost::beast::flat_buffer buffer;
    const auto req = make_request(s);
    checksum c;
    for (int i = 0; i < n; ++i) {
        co_await bhttp::async_write(stream, req, asio::use_awaitable);
        bhttp::response<bhttp::string_body> res;
        co_await bhttp::async_read(stream, buffer, res, asio::use_awaitable);
        if (res.result() != bhttp::status::ok)
            throw std::runtime_error("naive: unexpected status");
        c.bytes += res.body().size();
        auto pets = boost::json::value_to<std::vector<handwritten::pet>>(boost::json::parse(res.body()));
        account(c, pets);
    }
    co_return c;
}

// Tuned hand-written loop: one parser reused, its DOM on a monotonic resource released after each
// response, and a read buffer reserved up front.
asio::awaitable<checksum> tuned(const setup& s, int n)
{
    boost::beast::tcp_stream stream = co_await connect(s);
    boost::beast::flat_buffer buffer;
    buffer.reserve(16 * 1024);
    std::vector<unsigned char> arena(64 * 1024); // more than the DOM of one page needs
    boost::json::monotonic_resource mr(arena.data(), arena.size());
    boost::json::parser parser;
    const auto req = make_request(s);
    checksum c;
    for (int i = 0; i < n; ++i) {
        co_await bhttp::async_write(stream, req, asio::use_awaitable);
        bhttp::response<bhttp::string_body> res;
        co_await bhttp::async_read(stream, buffer, res, asio::use_awaitable);
        if (res.result() != bhttp::status::ok)
            throw std::runtime_error("tuned: unexpected status");
        c.bytes += res.body().size();
        {
            parser.reset(&mr);
            parser.write(res.body());
            const boost::json::value v = parser.release();
            auto pets = boost::json::value_to<std::vector<handwritten::pet>>(v);
            account(c, pets);
        } // the DOM is gone: its memory can be reused
        mr.release();
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
// (connecting included), not `prepare`: constructing a specbound client is a one-off cost of tens
// of milliseconds (see client_construction_ms) that would otherwise weigh on short runs.
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

} // namespace

int main(int argc, char** argv)
{
    const int n = argc > 1 ? std::atoi(argv[1]) : 3000;
    const int rounds = argc > 2 ? std::atoi(argv[2]) : 3;
    const std::string only = argc > 3 ? argv[3] : "";
    const std::array<std::string, 5> variants{"floor", "naive", "tuned", "specbound", "concurrent"};
    if (n <= 0 || rounds <= 0 || (!only.empty() && std::find(variants.begin(), variants.end(), only) == variants.end())) {
        std::fprintf(stderr, "usage: %s [requests>0] [rounds>0] [floor|naive|tuned|specbound|concurrent]\n",
                     argv[0]);
        return 2;
    }
    const std::string body = pets_body();
    std::optional<specbound::bench::canned_server> server;
    server.emplace(specbound::bench::canned_server::ok("application/json", body));
    const setup s{server->port(), "127.0.0.1:" + std::to_string(server->port()),
                  "http://127.0.0.1:" + std::to_string(server->port()), server->response().size()};

    const std::size_t default_cap = specbound::http::transport_options{}.max_connections_per_origin;
    const std::size_t raised_cap = concurrency;
    const int per = (n + concurrency - 1) / concurrency;
    const int concurrent_total = per * concurrency;

    int status = 0;
    try {
        std::printf("GET /pets: JSON body %zu bytes (%d Pet objects), %d sequential keep-alive GETs per run, "
                    "%d rounds, best of each\n",
                    body.size(), pets_per_page, n, rounds);
        std::printf("concurrent: %d coroutines on one thread, one shared client, %d calls each (%d in all); "
                    "default max_connections_per_origin = %zu %s, also run with it raised to %zu\n",
                    concurrency, per, concurrent_total, default_cap,
                    default_cap < static_cast<std::size_t>(concurrency) ? "(caps concurrency: callers beyond it wait)"
                                                                        : "(does not cap concurrency)",
                    raised_cap);

        auto run = [&](const std::string& variant, std::size_t cap = 0) -> timed {
            if (variant == "floor")
                return measure(n, [&](asio::io_context&) { return [&] { return io_floor(s, n); }; });
            if (variant == "naive")
                return measure(n, [&](asio::io_context&) { return [&] { return naive(s, n); }; });
            if (variant == "tuned")
                return measure(n, [&](asio::io_context&) { return [&] { return tuned(s, n); }; });
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
            server.reset();
            return 0;
        }
        double best_construction = 1e9;
        best floor_best, naive_best, tuned_best, sb_best, conc_default_best, conc_raised_best;
        for (int round = 0; round < rounds; ++round) {
            const timed f = run("floor");
            const timed a = run("naive");
            const timed b = run("tuned");
            const timed c = run("specbound");
            const timed d = run("concurrent", default_cap);
            const timed e = run("concurrent", raised_cap);
            best_construction = std::min(best_construction, client_construction_ms(s));
            if (a.sum.ids != b.sum.ids || a.sum.ids != c.sum.ids)
                throw std::runtime_error("the decoders disagree on the pets' ids");
            std::printf("round %d (req/s, client CPU us/req): floor %.0f %.1f, naive %.0f %.1f, tuned %.0f %.1f, "
                        "specbound %.0f %.1f, concurrent cap %zu %.0f, cap %zu %.0f\n",
                        round + 1, f.rps, f.cpu_us, a.rps, a.cpu_us, b.rps, b.cpu_us, c.rps, c.cpu_us, default_cap,
                        d.rps, raised_cap, e.rps);
            floor_best.add(f);
            naive_best.add(a);
            tuned_best.add(b);
            sb_best.add(c);
            conc_default_best.add(d);
            conc_raised_best.add(e);
        }
        std::printf("\nbest of %d rounds          requests/s   client CPU/request   / naive (req/s)   / naive (CPU)\n",
                    rounds);
        auto row = [&](const char* name, const best& b) {
            std::printf("  %-24s %10.0f %15.1f us %15.3f %15.3f\n", name, b.rps, b.cpu_us, b.rps / naive_best.rps,
                        naive_best.cpu_us / b.cpu_us);
        };
        row("I/O floor (no parsing)", floor_best);
        row("hand-written naive", naive_best);
        row("hand-written tuned", tuned_best);
        row("specbound", sb_best);
        std::printf("  specbound / tuned: %.3f (req/s), %.3f (CPU)\n", sb_best.rps / tuned_best.rps,
                    tuned_best.cpu_us / sb_best.cpu_us);
        std::printf("  the floor is the ceiling: no client can reach more than %.2fx naive's requests/s here\n",
                    floor_best.rps / naive_best.rps);
        std::printf("  specbound %d concurrent, cap %2zu (default) %8.0f req/s, %.3f x sequential\n", concurrency,
                    default_cap, conc_default_best.rps, conc_default_best.rps / sb_best.rps);
        std::printf("  specbound %d concurrent, cap %2zu           %8.0f req/s, %.3f x sequential\n", concurrency,
                    raised_cap, conc_raised_best.rps, conc_raised_best.rps / sb_best.rps);
        std::printf("constructing a client (not in the times above): %.1f ms\n", best_construction);
        std::printf("server: %zu connections accepted, at most %zu open at once\n", server->connections_accepted(),
                    server->max_concurrent_connections());
    } catch (const std::exception& e) {
        std::fprintf(stderr, "benchmark failed: %s\n", e.what());
        status = 1;
    }
    server.reset(); // stop the server
    return status;
}
