// Memory and speed of a large download: specbound's generated `get_artifact_download` into a
// file_sink, against a hand-written Beast loop that does the same (header, then the body in 64 KiB
// pieces to a file), both from one server in another process (forked_server) that parses each
// request. Memory is the client's peak resident set growth during each download (VmHWM, reset
// between phases through /proc/self/clear_refs), so a flat line means the body never sat in memory;
// for contrast, the buffered call (`get_artifact` into a string) of a smaller body.
//
//   bench_download [megabytes=1024] [buffered_megabytes=128] [rounds=2]
#include <streaming/streaming.hpp>

#include "support/forked_server.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/buffer_body.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

namespace asio = boost::asio;
namespace bhttp = boost::beast::http;
using tcp = asio::ip::tcp;

namespace {

/// The server's answer to GET /v2/artifacts/<bytes>: that many bytes, written 1 MiB at a time.
bool serve_artifact(const specbound::bench::forked_server::request& req, tcp::socket& socket)
{
    const std::string_view target = req.target();
    const std::uint64_t size = std::strtoull(std::string(target.substr(target.rfind('/') + 1)).c_str(), nullptr, 10);
    bhttp::response<bhttp::empty_body> res{bhttp::status::ok, 11};
    res.set(bhttp::field::content_type, "application/octet-stream");
    res.content_length(size);
    res.keep_alive(req.keep_alive());
    bhttp::response_serializer<bhttp::empty_body> sr{res};
    bhttp::write_header(socket, sr);
    static const std::string chunk = [] {
        std::string c(1 << 20, '\0');
        for (std::size_t i = 0; i < c.size(); ++i)
            c[i] = static_cast<char>('a' + i % 26);
        return c;
    }();
    for (std::uint64_t left = size; left > 0;) {
        const std::size_t n = static_cast<std::size_t>(std::min<std::uint64_t>(left, chunk.size()));
        asio::write(socket, asio::buffer(chunk.data(), n));
        left -= n;
    }
    return true;
}

/// Peak resident set (kB) since the last reset_peak().
long peak_kb()
{
    std::ifstream in("/proc/self/status");
    std::string line;
    while (std::getline(in, line))
        if (line.rfind("VmHWM:", 0) == 0)
            return std::strtol(line.c_str() + 6, nullptr, 10);
    return -1;
}

long current_kb()
{
    std::ifstream in("/proc/self/status");
    std::string line;
    while (std::getline(in, line))
        if (line.rfind("VmRSS:", 0) == 0)
            return std::strtol(line.c_str() + 6, nullptr, 10);
    return -1;
}

void reset_peak()
{
    std::ofstream("/proc/self/clear_refs") << "5";
}

struct measure {
    double seconds = 0;
    long growth_kb = 0; // peak during the phase minus the resident set before it
};

template <class F>
measure phase(F&& f)
{
    reset_peak();
    const long before = current_kb();
    const auto t0 = std::chrono::steady_clock::now();
    f();
    measure m;
    m.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    m.growth_kb = peak_kb() - before;
    return m;
}

/// What a careful user writes by hand: Beast, the header, then the body through a 64 KiB buffer.
std::uint64_t hand_written(std::uint16_t port, std::uint64_t bytes, const std::filesystem::path& out)
{
    asio::io_context ioc;
    tcp::socket socket(ioc);
    socket.connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), port));
    bhttp::request<bhttp::empty_body> req{bhttp::verb::get, "/v2/artifacts/" + std::to_string(bytes), 11};
    req.set(bhttp::field::host, "127.0.0.1:" + std::to_string(port));
    bhttp::write(socket, req);
    boost::beast::flat_buffer buffer;
    bhttp::response_parser<bhttp::buffer_body> parser;
    parser.body_limit(boost::none);
    bhttp::read_header(socket, buffer, parser);
    std::FILE* f = std::fopen(out.c_str(), "wb");
    std::uint64_t written = 0;
    char piece[64 * 1024];
    while (!parser.is_done()) {
        parser.get().body().data = piece;
        parser.get().body().size = sizeof piece;
        boost::system::error_code ec;
        bhttp::read(socket, buffer, parser, ec);
        if (ec && ec != bhttp::error::need_buffer)
            throw boost::system::system_error(ec);
        const std::size_t n = sizeof piece - parser.get().body().size;
        written += std::fwrite(piece, 1, n, f);
    }
    std::fclose(f);
    return written;
}

} // namespace

int main(int argc, char** argv)
{
    const std::uint64_t mb = argc > 1 ? std::strtoull(argv[1], nullptr, 10) : 1024;
    const std::uint64_t buffered_mb = argc > 2 ? std::strtoull(argv[2], nullptr, 10) : 128;
    const int rounds = argc > 3 ? std::atoi(argv[3]) : 2;
    const std::uint64_t bytes = mb << 20;

    specbound::bench::forked_server server(serve_artifact);
    const std::filesystem::path out = std::filesystem::temp_directory_path() / "specbound_bench_download.bin";

    asio::io_context ioc;
    specbound::client_options options;
    options.base_url = "http://127.0.0.1:" + std::to_string(server.port()) + "/v2";
    options.timeouts.attempt = std::chrono::minutes(10);
    options.body_limit = (buffered_mb + 1) << 20;
    streaming::client api{ioc.get_executor(), std::move(options)};
    streaming::get_artifact_request req;
    req.name = std::to_string(bytes);

    std::printf("download of %llu MiB from a server in another process (pid %d), %d rounds\n",
                static_cast<unsigned long long>(mb), static_cast<int>(server.pid()), rounds);
    std::printf("%-44s %10s %10s %14s\n", "client", "seconds", "MiB/s", "peak growth");
    double best_specbound = 1e9, best_baseline = 1e9;
    long growth_specbound = 0, growth_baseline = 0;
    for (int round = 0; round < rounds; ++round) {
        const measure b = phase([&] {
            if (hand_written(server.port(), bytes, out) != bytes)
                throw std::runtime_error("the hand-written loop lost bytes");
        });
        const measure s = phase([&] {
            specbound::file_sink file{out};
            api.get_artifact_download(req, file, specbound::blocking);
            if (file.bytes_written() != bytes || std::filesystem::file_size(out) != bytes)
                throw std::runtime_error("the download lost bytes");
        });
        std::printf("%-44s %10.3f %10.0f %11ld kB\n", "hand-written Beast loop to a file", b.seconds,
                    static_cast<double>(mb) / b.seconds, b.growth_kb);
        std::printf("%-44s %10.3f %10.0f %11ld kB\n", "specbound get_artifact_download(file_sink)", s.seconds,
                    static_cast<double>(mb) / s.seconds, s.growth_kb);
        best_baseline = std::min(best_baseline, b.seconds);
        best_specbound = std::min(best_specbound, s.seconds);
        growth_baseline = std::max(growth_baseline, b.growth_kb);
        growth_specbound = std::max(growth_specbound, s.growth_kb);
    }
    std::filesystem::remove(out);

    // The buffered form holds the whole body: its growth is the body's size, for contrast.
    streaming::get_artifact_request small;
    small.name = std::to_string(buffered_mb << 20);
    const measure buffered = phase([&] {
        specbound::bytes body = api.get_artifact(small, specbound::blocking);
        if (body.size() != (buffered_mb << 20))
            throw std::runtime_error("the buffered call lost bytes");
    });
    std::printf("%-44s %10.3f %10.0f %11ld kB  (%llu MiB body, for contrast)\n", "specbound get_artifact (buffered)",
                buffered.seconds, static_cast<double>(buffered_mb) / buffered.seconds, buffered.growth_kb,
                static_cast<unsigned long long>(buffered_mb));

    std::printf("\nspeed, best round: specbound / hand-written = %.2f\n", best_baseline / best_specbound);
    std::printf("peak memory growth while downloading %llu MiB: specbound %ld kB, hand-written %ld kB\n",
                static_cast<unsigned long long>(mb), growth_specbound, growth_baseline);
    return 0;
}
