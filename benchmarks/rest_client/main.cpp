// A REST client measured as a user runs it (issue 13): sequential keep-alive GET /pets, a 3.7 KB
// JSON array of 20 Pets decoded into the generated petstore::pet, against a server in another
// process (benchmarks/support/forked_server.hpp: Boost.Beast, every request parsed), client and
// server pinned to the same CPU. Every client runs against the same server in the same run, each
// round in a rotated order; the figures are µs per request and ratios against the naive loop.
//
//   bench_rest_client [requests=20000] [rounds=3] [client]
//
// `requests` may also come from SPECBOUND_BENCH_REQUESTS. With a client's key as third argument only
// that client runs (still pinned, with its server): for `strace -c` or a profiler to see it alone,
// e.g. `strace -c build/rel/benchmarks/rest_client/bench_rest_client 20000 1 specbound` (strace
// without -f follows the client's thread only, not the forked server). SPECBOUND_BENCH_PIN=0 leaves
// client and server where the OS puts them.
//
// Clients (keys):
//   naive      Beast, blocking: http::write, http::read into a response with a string body and a
//              default flat_buffer, boost::json::parse + value_to<std::vector<petstore::pet>>
//              (a hand-written tag_invoke for the generated struct)
//   tuned      the same, plus a flat_buffer reserved up front and one boost::json::parser reused
//              on a monotonic_resource released after each response
//   floor      a blocking socket: the request's bytes written, the response read up to its
//              Content-Length, nothing parsed or decoded: no client can be faster
//   limit      the floor's I/O + simdjson on-demand (one reused parser) into the same structs:
//              what a hand-written client can practically reach (simdjson_decoder.hpp: built for
//              this machine's CPU, -march=native by default, the rest of the program is not)
//   specbound  `co_await api.list_pets(req)` in a coroutine loop (the throwing form)
//   try        `co_await api.try_list_pets(req)` (the result form)
// and, to locate specbound's gap to the limit:
//   beast_floor    the tuned loop's Beast I/O without decoding: what Beast's sync HTTP costs
//   coro_floor     http::async_write + http::async_read with use_awaitable in one co_spawn'ed
//                  coroutine on one io_context, no decoding: the cheapest client on the stack
//                  specbound must use (Beast over Asio, C++20 coroutines)
//   raw_specbound  the floor's I/O + specbound::json::decode (the decoder the client runs):
//                  what specbound's decoding costs without its transport
// The decoded pets of every client are compared with specbound::json::decode's of the body: a
// client that decodes differently fails the run; the clients that decode nothing have their last
// body compared byte for byte with the server's.
#include <petstore/petstore.hpp>

#include "simdjson_decoder.hpp"
#include "support/forked_server.hpp"
#include "support/pets_page.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/json/monotonic_resource.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/parser.hpp>
#include <boost/json/value.hpp>
#include <boost/json/value_to.hpp>

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sched.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <functional>
#include <map>
#include <sstream>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace asio = boost::asio;
namespace bhttp = boost::beast::http;
using tcp = asio::ip::tcp;
using specbound::bench::pets_per_page;

namespace petstore {

// What a user writes for the generated struct without specbound's decoder: Boost.JSON's DOM, then
// value_to (found by ADL).
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
        p.status = str == "available" ? specbound::open_enum<pet_status>(pet_status::available)
                   : str == "pending" ? specbound::open_enum<pet_status>(pet_status::pending)
                   : str == "sold"    ? specbound::open_enum<pet_status>(pet_status::sold)
                                      : specbound::open_enum<pet_status>::unknown(std::string(str));
    }
    if (const auto* n = o.if_contains("nickname"))
        p.nickname = n->is_null() ? specbound::nullable<std::string>()
                                  : specbound::nullable<std::string>(boost::json::value_to<std::string>(*n));
    if (const auto& a = o.at("age"); !a.is_null())
        p.age = a.to_number<std::int32_t>();
    if (const auto* u = o.if_contains("photoUrls"))
        p.photo_urls = boost::json::value_to<std::vector<std::string>>(*u);
    if (const auto* l = o.if_contains("labels"))
        p.labels = boost::json::value_to<std::map<std::string, std::string>>(*l);
    if (const auto* e = o.if_contains("extra"))
        p.extra = *e;
    return p;
}

} // namespace petstore

namespace {

using pets = std::vector<petstore::pet>;
using bench_clock = std::chrono::steady_clock;

struct target {
    std::uint16_t port = 0;
    std::string host;          // "127.0.0.1:port"
    std::string request_bytes; // what the hand-written clients send, serialized
};

/// What a client's run leaves: its time, and enough of what it decoded to check it.
struct outcome {
    double seconds = 0;
    std::size_t pets_decoded = 0;
    std::int64_t id_sum = 0;
    pets last;             // the last response's pets (empty for the floors)
    std::string last_body; // a floor's last body, compared byte for byte
    void account(pets&& p)
    {
        pets_decoded += p.size();
        for (const petstore::pet& x : p)
            id_sum += x.id;
        last = std::move(p);
    }
};

// The request every hand-written client sends: what the generated client sends, minus its
// Accept-Encoding and with another User-Agent value.
bhttp::request<bhttp::empty_body> make_request(const target& t)
{
    bhttp::request<bhttp::empty_body> req{bhttp::verb::get, "/pets", 11};
    req.set(bhttp::field::host, t.host);
    req.set(bhttp::field::accept, "application/json");
    req.set(bhttp::field::user_agent, "handwritten/1.0");
    req.set("X-API-Key", "bench");
    return req;
}

tcp::endpoint endpoint_of(const target& t) { return {asio::ip::make_address_v4("127.0.0.1"), t.port}; }

// ---- Beast, blocking ---------------------------------------------------------------------

/// `consume(body, o)` takes each response's body.
template <class Consume>
outcome beast_loop(const target& t, int n, std::size_t reserve, Consume&& consume)
{
    asio::io_context ioc;
    tcp::socket socket(ioc);
    socket.connect(endpoint_of(t));
    socket.set_option(tcp::no_delay(true));
    const auto req = make_request(t);
    boost::beast::flat_buffer buffer;
    if (reserve != 0)
        buffer.reserve(reserve);
    outcome o;
    const auto start = bench_clock::now();
    for (int i = 0; i < n; ++i) {
        bhttp::write(socket, req);
        bhttp::response<bhttp::string_body> res;
        bhttp::read(socket, buffer, res);
        if (res.result() != bhttp::status::ok)
            throw std::runtime_error("Beast loop: unexpected status");
        consume(res.body(), o);
    }
    o.seconds = std::chrono::duration<double>(bench_clock::now() - start).count();
    return o;
}

outcome naive(const target& t, int n)
{
    return beast_loop(t, n, 0, [](const std::string& body, outcome& o) {
        o.account(boost::json::value_to<pets>(boost::json::parse(body)));
    });
}

outcome tuned(const target& t, int n)
{
    std::vector<unsigned char> arena(64 * 1024); // more than the DOM of one page needs
    boost::json::monotonic_resource mr(arena.data(), arena.size());
    boost::json::parser parser;
    return beast_loop(t, n, 16 * 1024, [&](const std::string& body, outcome& o) {
        pets p;
        {
            parser.reset(&mr);
            parser.write(body);
            const boost::json::value v = parser.release();
            p = boost::json::value_to<pets>(v);
        } // the DOM is gone: its memory can be reused
        mr.release();
        o.account(std::move(p));
    });
}

outcome beast_floor(const target& t, int n)
{
    return beast_loop(t, n, 16 * 1024, [](std::string& body, outcome& o) {
        o.pets_decoded += pets_per_page; // not decoded: counted so that the run is accepted
        o.last_body = std::move(body);   // a move: the tuned loop's allocations per response
    });
}

// ---- Beast + Asio coroutine --------------------------------------------------------------

asio::awaitable<void> coro_floor_calls(const target& t, int n, outcome& o)
{
    tcp::socket socket(co_await asio::this_coro::executor);
    co_await socket.async_connect(endpoint_of(t), asio::use_awaitable);
    socket.set_option(tcp::no_delay(true));
    const auto req = make_request(t);
    boost::beast::flat_buffer buffer;
    buffer.reserve(16 * 1024);
    for (int i = 0; i < n; ++i) {
        co_await bhttp::async_write(socket, req, asio::use_awaitable);
        bhttp::response<bhttp::string_body> res;
        co_await bhttp::async_read(socket, buffer, res, asio::use_awaitable);
        if (res.result() != bhttp::status::ok)
            throw std::runtime_error("coroutine loop: unexpected status");
        o.pets_decoded += pets_per_page; // not decoded: counted so that the run is accepted
        o.last_body = std::move(res.body());
    }
}

outcome coro_floor(const target& t, int n)
{
    asio::io_context ioc; // the default concurrency hint, as for specbound
    outcome o;
    std::exception_ptr failure;
    asio::co_spawn(ioc, coro_floor_calls(t, n, o), [&](std::exception_ptr e) { failure = e; });
    const auto start = bench_clock::now(); // the connect included, once, as specbound's first call
    ioc.run();
    o.seconds = std::chrono::duration<double>(bench_clock::now() - start).count();
    if (failure)
        std::rethrow_exception(failure);
    return o;
}

// ---- a raw blocking socket ---------------------------------------------------------------

class raw_connection {
public:
    explicit raw_connection(const target& t) : buffer_(64 * 1024 + specbound::bench::simdjson_pets_decoder::padding)
    {
        fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
        sockaddr_in addr{};
        addr.sin_family = AF_INET;
        addr.sin_port = htons(t.port);
        addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        const int one = 1;
        if (fd_ < 0 || ::connect(fd_, reinterpret_cast<const sockaddr*>(&addr), sizeof addr) != 0 ||
            ::setsockopt(fd_, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one) != 0)
            throw std::runtime_error("raw socket: cannot connect");
    }
    raw_connection(const raw_connection&) = delete;
    raw_connection& operator=(const raw_connection&) = delete;
    ~raw_connection() { ::close(fd_); }

    /// Sends `request` and reads one response with a Content-Length; the body stays in the buffer,
    /// followed by at least specbound::bench::simdjson_pets_decoder::padding bytes of room.
    std::string_view exchange(std::string_view request)
    {
        for (std::size_t sent = 0; sent < request.size();) {
            const ssize_t w = ::send(fd_, request.data() + sent, request.size() - sent, MSG_NOSIGNAL);
            if (w <= 0)
                throw std::runtime_error("raw socket: send failed");
            sent += static_cast<std::size_t>(w);
        }
        const std::size_t room = buffer_.size() - specbound::bench::simdjson_pets_decoder::padding;
        std::size_t got = 0;
        std::size_t header_end = 0;
        std::size_t total = 0;
        for (;;) {
            const ssize_t r = ::recv(fd_, buffer_.data() + got, room - got, 0);
            if (r <= 0)
                throw std::runtime_error("raw socket: the server closed or failed");
            got += static_cast<std::size_t>(r);
            if (header_end == 0) {
                const std::string_view head(buffer_.data(), got);
                const auto end = head.find("\r\n\r\n");
                if (end != std::string_view::npos) {
                    header_end = end + 4;
                    total = header_end + content_length(head.substr(0, end));
                    if (total > room)
                        throw std::runtime_error("raw socket: response larger than the buffer");
                }
            }
            if (header_end != 0 && got >= total)
                break;
        }
        if (got != total)
            throw std::runtime_error("raw socket: more bytes than one response");
        if (std::string_view(buffer_.data(), 13) != "HTTP/1.1 200 ")
            throw std::runtime_error("raw socket: unexpected status");
        return {buffer_.data() + header_end, total - header_end};
    }

    /// Room after `body` (which lies in the buffer), for simdjson's padding.
    std::size_t capacity_from(std::string_view body) const
    {
        return buffer_.size() - static_cast<std::size_t>(body.data() - buffer_.data());
    }

private:
    static std::size_t content_length(std::string_view head)
    {
        static constexpr std::string_view name = "\r\ncontent-length:";
        for (std::size_t i = 0; i + name.size() <= head.size(); ++i) {
            std::size_t k = 0;
            while (k < name.size() && std::tolower(static_cast<unsigned char>(head[i + k])) == name[k])
                ++k;
            if (k == name.size())
                return std::strtoull(head.data() + i + k, nullptr, 10); // stops at the CR
        }
        throw std::runtime_error("raw socket: no Content-Length");
    }

    int fd_ = -1;
    std::vector<char> buffer_;
};

outcome floor_loop(const target& t, int n)
{
    raw_connection c(t);
    outcome o;
    std::string_view body;
    const auto start = bench_clock::now();
    for (int i = 0; i < n; ++i) {
        body = c.exchange(t.request_bytes);
        o.pets_decoded += pets_per_page; // not decoded: counted so that the run is accepted
    }
    o.seconds = std::chrono::duration<double>(bench_clock::now() - start).count();
    o.last_body = body;
    return o;
}

outcome limit_loop(const target& t, int n)
{
    raw_connection c(t);
    specbound::bench::simdjson_pets_decoder decoder;
    outcome o;
    const auto start = bench_clock::now();
    for (int i = 0; i < n; ++i) {
        const std::string_view body = c.exchange(t.request_bytes);
        o.account(decoder.decode(body, c.capacity_from(body)));
    }
    o.seconds = std::chrono::duration<double>(bench_clock::now() - start).count();
    return o;
}

outcome raw_specbound(const target& t, int n)
{
    raw_connection c(t);
    outcome o;
    const auto start = bench_clock::now();
    for (int i = 0; i < n; ++i) {
        const std::string_view body = c.exchange(t.request_bytes);
        pets p;
        if (auto failure = specbound::json::decode(body, p))
            throw std::runtime_error("raw_specbound: decode failed at " + failure->pointer + ": " + failure->message);
        o.account(std::move(p));
    }
    o.seconds = std::chrono::duration<double>(bench_clock::now() - start).count();
    return o;
}

// ---- specbound ---------------------------------------------------------------------------

specbound::client_options client_options(const target& t)
{
    auto o = specbound::make_options(specbound::api_key{"bench"});
    o.base_url = "http://" + t.host;
    o.http_transport.proxy.from_environment = false; // the machine's proxy settings must not interfere
    return o;
}

template <class Loop>
outcome specbound_run(const target& t, int n, Loop loop)
{
    asio::io_context ioc; // as a user writes it: the default concurrency hint
    petstore::client api{ioc.get_executor(), client_options(t)};
    outcome o;
    std::exception_ptr failure;
    asio::co_spawn(ioc, loop(api, n, o), [&](std::exception_ptr e) { failure = e; });
    const auto start = bench_clock::now(); // the first call connects: included, once
    ioc.run();
    o.seconds = std::chrono::duration<double>(bench_clock::now() - start).count();
    if (failure)
        std::rethrow_exception(failure);
    return o;
}

asio::awaitable<void> throwing_calls(petstore::client& api, int n, outcome& o)
{
    const petstore::list_pets_request req;
    for (int i = 0; i < n; ++i) {
        std::vector<petstore::pet> page = co_await api.list_pets(req);
        o.account(std::move(page));
    }
}

asio::awaitable<void> try_calls(petstore::client& api, int n, outcome& o)
{
    const petstore::list_pets_request req;
    for (int i = 0; i < n; ++i) {
        specbound::result<std::vector<petstore::pet>> page = co_await api.try_list_pets(req);
        if (!page)
            throw std::runtime_error("try_list_pets failed: " + std::string(page.error()->what()));
        o.account(std::move(*page));
    }
}

outcome specbound_throwing(const target& t, int n) { return specbound_run(t, n, throwing_calls); }
outcome specbound_try(const target& t, int n) { return specbound_run(t, n, try_calls); }

// ---- the run -----------------------------------------------------------------------------

struct client {
    const char* key;
    const char* label;
    outcome (*run)(const target&, int);
};

const std::array<client, 9> clients{{
    {"naive", "naive Beast sync + parse + value_to", naive},
    {"tuned", "tuned Beast sync", tuned},
    {"floor", "raw socket, no decoding (floor)", floor_loop},
    {"limit", "raw socket + simdjson (limit)", limit_loop},
    {"specbound", "specbound co_await list_pets", specbound_throwing},
    {"try", "specbound co_await try_list_pets", specbound_try},
    {"beast_floor", "Beast sync, no decoding", beast_floor},
    {"coro_floor", "Beast + Asio coroutine, no decoding", coro_floor},
    {"raw_specbound", "raw socket + specbound's decoder", raw_specbound},
}};

/// The server's answer to GET /pets: the page, pre-serialized; 404 for anything else.
bool serve(const std::string& page_response, const specbound::bench::forked_server::request& req,
           tcp::socket& socket)
{
    static const std::string not_found = "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n";
    const bool ok = req.method() == bhttp::verb::get && req.target() == "/pets";
    asio::write(socket, asio::buffer(ok ? page_response : not_found));
    return true;
}

/// Checks what a client decoded against the reference; throws naming the client.
void verify(const client& c, const outcome& o, int n, const pets& reference, const std::string& body)
{
    auto fail = [&](const std::string& what) {
        throw std::runtime_error(std::string(c.key) + ": " + what);
    };
    if (o.pets_decoded != static_cast<std::size_t>(n) * pets_per_page)
        fail("decoded " + std::to_string(o.pets_decoded) + " pets instead of " +
             std::to_string(static_cast<std::size_t>(n) * pets_per_page));
    if (!o.last_body.empty()) { // a floor: nothing decoded
        if (o.last_body != body)
            fail("read another body than the server's");
        return;
    }
    std::int64_t ids = 0;
    for (const petstore::pet& p : reference)
        ids += p.id;
    if (o.id_sum != ids * n)
        fail("the ids of the decoded pets do not add up");
    if (o.last != reference)
        fail("decoded pets that differ from specbound::json::decode's");
}

double median(std::vector<double> v)
{
    std::sort(v.begin(), v.end());
    return v[v.size() / 2];
}

bool pin_to_one_cpu(int& cpu)
{
    cpu_set_t all;
    if (sched_getaffinity(0, sizeof all, &all) != 0)
        return false;
    cpu = -1;
    for (int i = 0; i < CPU_SETSIZE; ++i)
        if (CPU_ISSET(i, &all))
            cpu = i; // the last one
    if (cpu < 0)
        return false;
    cpu_set_t one;
    CPU_ZERO(&one);
    CPU_SET(cpu, &one);
    return sched_setaffinity(0, sizeof one, &one) == 0;
}

int run(int n, int rounds, const std::string& only)
{
    const bool pin = [] {
        const char* p = std::getenv("SPECBOUND_BENCH_PIN");
        return p == nullptr || std::string_view(p) != "0";
    }();
    int cpu = -1;
    if (pin && !pin_to_one_cpu(cpu)) {
        std::fprintf(stderr, "cannot pin to one CPU\n");
        return 1;
    }
    // The server is forked after pinning: it inherits the CPU.
    const std::string body = specbound::bench::pets_page();
    const std::string page_response = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: " +
                                      std::to_string(body.size()) + "\r\n\r\n" + body;
    const specbound::bench::forked_server server(
        [&](const specbound::bench::forked_server::request& req, tcp::socket& s) { return serve(page_response, req, s); });

    target t;
    t.port = server.port();
    t.host = "127.0.0.1:" + std::to_string(t.port);
    {
        std::ostringstream out;
        out << make_request(t);
        t.request_bytes = out.str();
    }
    pets reference;
    if (auto failure = specbound::json::decode(body, reference))
        throw std::runtime_error("the reference decode failed at " + failure->pointer + ": " + failure->message);

    std::printf("simdjson implementation of the limit: %s\n", specbound::bench::simdjson_pets_decoder::implementation());
    std::printf("GET /pets: %zu-byte JSON array of %d pets into petstore::pet, %d sequential keep-alive requests "
                "per client and round, %d rounds; server: another process (Beast, parses every request); %s\n",
                body.size(), pets_per_page, n, rounds,
                pin ? ("client and server pinned to CPU " + std::to_string(cpu)).c_str()
                    : "client and server where the OS puts them");

    std::map<std::string, std::vector<double>> us; // µs per request, by client, one per round
    for (int round = 0; round < rounds; ++round) {
        std::printf("round %d:", round + 1);
        for (std::size_t k = 0; k < clients.size(); ++k) {
            const client& c = clients[(k + static_cast<std::size_t>(round)) % clients.size()]; // rotated
            if (!only.empty() && only != c.key)
                continue;
            const outcome o = c.run(t, n);
            verify(c, o, n, reference, body);
            const double per = o.seconds * 1e6 / n;
            us[c.key].push_back(per);
            std::printf(" %s %.2f", c.key, per);
            std::fflush(stdout);
        }
        std::printf(" (us/request)\n");
    }
    if (!only.empty())
        return 0;

    auto best = [&](const char* key) { return *std::min_element(us[key].begin(), us[key].end()); };
    const double naive_best = best("naive");
    const double naive_median = median(us["naive"]);
    std::printf("\n%-36s %13s %15s %12s %14s\n", "client", "best us/req", "median us/req", "x naive", "x naive (med)");
    for (const client& c : clients)
        std::printf("%-36s %13.2f %15.2f %12.2f %14.2f\n", c.label, best(c.key), median(us[c.key]),
                    naive_best / best(c.key), naive_median / median(us[c.key]));
    auto ratio = [&](const char* a, const char* b) { return best(b) / best(a); };
    auto ratio_median = [&](const char* a, const char* b) { return median(us[b]) / median(us[a]); };
    std::printf("\nspecbound / tuned: %.2f (median %.2f; target >= 1.0), try_ form %.2f\n", ratio("specbound", "tuned"),
                ratio_median("specbound", "tuned"), ratio("try", "tuned"));
    std::printf("specbound / limit: %.2f (median %.2f; target >= 0.85), try_ form %.2f\n", ratio("specbound", "limit"),
                ratio_median("specbound", "limit"), ratio("try", "limit"));
    std::printf("limit / floor: %.2f (what decoding costs the fastest client)\n", ratio("limit", "floor"));
    std::printf("\nwhere the gap is (best us/req, x limit as specbound's above):\n");
    for (const char* key : {"beast_floor", "coro_floor", "raw_specbound"})
        std::printf("  %-14s %8.2f %6.2f\n", key, best(key), ratio(key, "limit"));
    std::printf("  0.85 x limit needs specbound at %.2f us/req; coro_floor, the stack without decoding: %.2f\n",
                best("limit") / 0.85, best("coro_floor"));
    return 0;
}

} // namespace

int main(int argc, char** argv)
{
    int n = 20000;
    if (const char* env = std::getenv("SPECBOUND_BENCH_REQUESTS"))
        n = std::atoi(env);
    if (argc > 1)
        n = std::atoi(argv[1]);
    const int rounds = argc > 2 ? std::atoi(argv[2]) : 3;
    const std::string only = argc > 3 ? argv[3] : "";
    const bool known = only.empty() || std::any_of(clients.begin(), clients.end(),
                                                   [&](const client& c) { return only == c.key; });
    if (n <= 0 || rounds <= 0 || !known) {
        std::fprintf(stderr,
                     "usage: %s [requests>0] [rounds>0] "
                     "[naive|tuned|floor|limit|specbound|try|beast_floor|coro_floor|raw_specbound]\n",
                     argv[0]);
        return 2;
    }
    try {
        return run(n, rounds, only);
    } catch (const std::exception& e) {
        std::fprintf(stderr, "benchmark failed: %s\n", e.what());
        return 1;
    }
}
