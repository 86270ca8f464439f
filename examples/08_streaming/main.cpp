// 08 — streaming: upload a file, download it again into another file, and follow a stream of
// server-sent events, with the client generated from spec/streaming.yaml. Neither body is ever
// held in memory by the client: they go from the file to the socket and from the socket to the
// file, 64 KiB at a time.
//
//   08_streaming            starts its own small server on 127.0.0.1 (the artifact store of
//                           spec/streaming.yaml, in memory) and runs against it
//   08_streaming BASE_URL   against another server that implements the spec
#include <streaming/streaming.hpp>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/chunk_encode.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/serializer.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <mutex>
#include <string>
#include <thread>

namespace asio = boost::asio;
namespace http = boost::beast::http;
using tcp = asio::ip::tcp;

namespace {

// ---- the example's own server: artifacts in memory, and a build's progress as events -------

class artifact_store {
public:
    artifact_store() : acceptor_(ioc_, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0))
    {
        asio::co_spawn(ioc_, accept(), asio::detached);
        thread_ = std::thread([this] { ioc_.run(); });
    }
    ~artifact_store()
    {
        ioc_.stop();
        thread_.join();
    }
    std::string base_url() const { return "http://127.0.0.1:" + std::to_string(acceptor_.local_endpoint().port()) + "/v2"; }

private:
    asio::awaitable<void> accept()
    {
        for (;;) {
            tcp::socket socket = co_await acceptor_.async_accept(asio::use_awaitable);
            asio::co_spawn(ioc_, session(std::move(socket)), asio::detached);
        }
    }

    asio::awaitable<void> session(tcp::socket socket)
    {
        boost::beast::flat_buffer buffer;
        for (;;) {
            http::request_parser<http::string_body> parser;
            parser.body_limit(256 * 1024 * 1024);
            co_await http::async_read(socket, buffer, parser, asio::use_awaitable);
            http::request<http::string_body> req = parser.release();
            const std::string target(req.target());
            if (target.ends_with("/progress")) {
                co_await progress(socket);
                co_return;
            }
            http::response<http::string_body> res{http::status::ok, 11};
            res.keep_alive(req.keep_alive());
            const std::string name = target.substr(target.rfind('/') + 1);
            if (req.method() == http::verb::put) {
                const std::size_t size = req.body().size();
                {
                    std::lock_guard lock(mutex_);
                    artifacts_[name] = std::move(req.body());
                }
                res.result(http::status::created);
                res.set(http::field::content_type, "application/json");
                res.body() = R"({"name":")" + name + R"(","size":)" + std::to_string(size) + "}";
            } else {
                std::lock_guard lock(mutex_);
                if (auto it = artifacts_.find(name); it != artifacts_.end()) {
                    res.set(http::field::content_type, "application/octet-stream");
                    res.body() = it->second;
                } else {
                    res.result(http::status::not_found);
                    res.set(http::field::content_type, "application/json");
                    res.body() = R"({"title":"no such artifact"})";
                }
            }
            res.prepare_payload();
            co_await http::async_write(socket, res, asio::use_awaitable);
            if (!res.keep_alive())
                co_return;
        }
    }

    /// Five steps of a build, one event every 50 ms, then the end of the stream.
    asio::awaitable<void> progress(tcp::socket& socket)
    {
        http::response<http::empty_body> res{http::status::ok, 11};
        res.set(http::field::content_type, "text/event-stream");
        res.chunked(true);
        http::response_serializer<http::empty_body> sr{res};
        co_await http::async_write_header(socket, sr, asio::use_awaitable);
        asio::steady_timer timer(socket.get_executor());
        for (int step = 1; step <= 5; ++step) {
            const std::string status = step < 5 ? "running" : "passed";
            const std::string event = "id: " + std::to_string(step) + "\nevent: step\ndata: {\"step\":" +
                                      std::to_string(step) + ",\"status\":\"" + status + "\"}\n\n";
            co_await asio::async_write(socket, http::make_chunk(asio::buffer(event)), asio::use_awaitable);
            timer.expires_after(std::chrono::milliseconds(50));
            co_await timer.async_wait(asio::use_awaitable);
        }
        co_await asio::async_write(socket, http::make_chunk_last(), asio::use_awaitable);
    }

    asio::io_context ioc_;
    tcp::acceptor acceptor_;
    std::mutex mutex_;
    std::map<std::string, std::string> artifacts_;
    std::thread thread_;
};

// ---- the client -----------------------------------------------------------------------------

std::string read_all(const std::filesystem::path& p)
{
    std::ifstream in(p, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

asio::awaitable<int> tour(streaming::client& api, const std::filesystem::path& dir)
{
    int steps = 0;

    // 1. Upload: 16 MiB from a file, with Content-Length, read as it is sent.
    const std::filesystem::path original = dir / "artifact.bin";
    {
        std::ofstream out(original, std::ios::binary);
        for (int i = 0; i < 16 * 1024; ++i)
            out << std::string(1024, static_cast<char>('a' + i % 26));
    }
    specbound::file_source source{original};
    streaming::put_artifact_request put{.name = "artifact.bin"};
    streaming::stored stored = co_await api.put_artifact_upload(put, source);
    std::cout << "put_artifact_upload: stored \"" << stored.name << "\", " << stored.size << " bytes\n";
    ++steps;

    // 2. Download: the same bytes into another file, never in memory.
    const std::filesystem::path copy = dir / "artifact.copy";
    specbound::file_sink sink{copy};
    streaming::get_artifact_request get{.name = "artifact.bin"};
    specbound::response_metadata m = co_await api.get_artifact_download(get, sink);
    const bool same = read_all(original) == read_all(copy);
    std::cout << "get_artifact_download: HTTP " << m.status << ", " << sink.bytes_written() << " bytes to "
              << copy.filename().string() << (same ? ", identical to the upload\n" : ", DIFFERENT from the upload\n");
    if (same)
        ++steps;

    // 3. Server-sent events: each step as the server sends it, its data a typed build_step.
    streaming::watch_build_request build{.id = 7};
    auto progress = api.watch_build_events(build);
    int events = 0;
    while (auto e = co_await progress.next()) {
        std::cout << "watch_build_events: event " << e->id << " (" << e->type << "): step " << e->data.step << " "
                  << specbound::json::enum_to_wire(e->data.status) << "\n";
        ++events;
    }
    if (events == 5)
        ++steps;
    co_return steps;
}

} // namespace

int main(int argc, char** argv)
{
    std::optional<artifact_store> own;
    std::string base_url;
    if (argc > 1) {
        base_url = argv[1];
    } else {
        own.emplace();
        base_url = own->base_url();
    }
    const std::filesystem::path dir = std::filesystem::temp_directory_path() / "specbound_example_08";
    std::filesystem::create_directories(dir);

    asio::io_context ioc;
    specbound::client_options options;
    options.base_url = base_url;
    streaming::client api{ioc.get_executor(), std::move(options)};
    int steps = 0;
    asio::co_spawn(ioc, tour(api, dir), [&](std::exception_ptr e, int n) {
        if (e) {
            try {
                std::rethrow_exception(e);
            } catch (const std::exception& x) {
                std::cerr << "08 streaming failed: " << x.what() << "\n";
            }
        }
        steps = n;
    });
    ioc.run();
    std::filesystem::remove_all(dir);
    std::cout << "08 streaming: " << steps << " of 3 steps done against " << (own ? "its own server" : base_url) << "\n";
    return steps == 3 ? 0 : 1;
}
