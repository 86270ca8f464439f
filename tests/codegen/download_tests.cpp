// Downloads through the generated client (spec/streaming.yaml): a 2xx body streamed into a
// body_sink over the Beast transport on loopback, decoded, limited, retried only when the sink
// can start over; what breaks mid-way is a typed error.
#include <streaming/streaming.hpp>

#include <specbound/detail/content_coding.hpp>
#include <specbound/testing/mock_transport.hpp>

#include "support/test_server.hpp"

#include <boost/asio/io_context.hpp>

#include <catch2/catch.hpp>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>

namespace {

namespace fs = std::filesystem;
using specbound::test::reply;
using specbound::test::request_info;
using specbound::test::test_server;

/// Bytes no compressor shortens much and no test mistakes for another: a counter's text.
std::string artifact(std::size_t size)
{
    std::string out;
    out.reserve(size + 16);
    for (std::size_t i = 0; out.size() < size; ++i)
        out += std::to_string(i * 2654435761u % 1000003u) + ',';
    out.resize(size);
    return out;
}

std::string read_file(const fs::path& p)
{
    std::ifstream in(p, std::ios::binary);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

fs::path scratch(const std::string& name)
{
    fs::path dir = fs::temp_directory_path() / "specbound_download_tests";
    fs::create_directories(dir);
    fs::path p = dir / name;
    fs::remove(p);
    return p;
}

specbound::client_options loopback(const test_server& server)
{
    specbound::client_options o;
    o.base_url = "http://127.0.0.1:" + std::to_string(server.port()) + "/v2";
    o.retry.initial_backoff = std::chrono::milliseconds(1);
    o.retry.max_backoff = std::chrono::milliseconds(2);
    o.timeouts.attempt = std::chrono::seconds(20);
    return o;
}

template <class C>
concept has_artifact_download = requires(C& c, specbound::body_sink& s) {
    c.get_artifact_download(streaming::get_artifact_request{}, s);
    c.try_get_report_download(streaming::get_report_request{}, s);
};
template <class C>
concept has_list_download = requires(C& c, specbound::body_sink& s) {
    c.list_artifacts_download(streaming::list_artifacts_request{}, s);
};

streaming::get_artifact_request artifact_named(std::string name)
{
    streaming::get_artifact_request r;
    r.name = std::move(name);
    return r;
}

} // namespace

TEST_CASE("a download streams a large body into a file, and says what answered", "[download]")
{
    const std::string body = artifact(8 * 1024 * 1024 + 17);
    test_server server([&](const specbound::http_request& req, const request_info&) {
        reply r = reply::text(body);
        r.response.set("Content-Type", "application/octet-stream");
        r.response.set("ETag", "\"v1\"");
        r.response.set("X-Artifact-Size", std::to_string(body.size()));
        r.response.set("X-Build-Status", "passed");
        CHECK(req.target() == "/v2/artifacts/tool.tar");
        return r;
    });
    boost::asio::io_context ioc;
    streaming::client api{ioc.get_executor(), loopback(server)};
    const fs::path out = scratch("tool.tar");
    specbound::file_sink file{out};
    specbound::response_metadata m = api.get_artifact_download(artifact_named("tool.tar"), file, specbound::blocking);
    CHECK(m.status == 200);
    CHECK(m.header("etag") == "\"v1\"");
    CHECK(m.url.find("/v2/artifacts/tool.tar") != std::string::npos);
    CHECK(fs::file_size(out) == body.size());
    CHECK(read_file(out) == body);
    CHECK(file.bytes_written() == body.size());

    // The headers the operation declares, typed.
    auto declared = specbound::declared_headers<streaming::ops::get_artifact>(m);
    REQUIRE(declared);
    CHECK(declared->e_tag == std::string("\"v1\""));
    CHECK(declared->x_artifact_size == static_cast<std::int64_t>(body.size()));
    CHECK(declared->x_build_status == streaming::get_artifact_x_build_status_header::passed);
    m.headers.set("X-Artifact-Size", "12 bytes");
    auto malformed = specbound::declared_headers<streaming::ops::get_artifact>(m);
    REQUIRE_FALSE(malformed);
    REQUIRE(malformed.error_as<specbound::decode_error>());
    CHECK_THAT(std::string(malformed.error()->what()), Catch::Contains("'X-Artifact-Size' does not parse"));
    CHECK_THAT(std::string(malformed.error()->what()), !Catch::Contains("12 bytes")); // the server's text stays out
    CHECK(malformed.error_as<specbound::decode_error>()->body_excerpt() == "12 bytes");
    m.headers.erase("X-Build-Status");
    m.headers.set("X-Artifact-Size", "7");
    auto partial = specbound::declared_headers<streaming::ops::get_artifact>(m);
    REQUIRE(partial);
    CHECK_FALSE(partial->x_build_status);
    CHECK(partial->x_artifact_size == 7);
}

TEST_CASE("a download is decoded as it arrives, and a decoded body past the limit stops", "[download]")
{
    const std::string body = artifact(3 * 1024 * 1024);
    const std::string zeros(64 * 1024 * 1024, '\0');
    const std::string gzipped = specbound::detail::gzip_body(body);
    const std::string bomb = specbound::detail::gzip_body(zeros); // ~64 KB that inflates to 64 MB
    test_server server([&](const specbound::http_request& req, const request_info&) {
        reply r = reply::text(req.target().ends_with("bomb") ? bomb : gzipped);
        r.response.set("Content-Type", "application/octet-stream");
        r.response.set("Content-Encoding", "gzip");
        return r;
    });
    boost::asio::io_context ioc;
    streaming::client api{ioc.get_executor(), loopback(server)};

    const fs::path out = scratch("decoded.bin");
    specbound::file_sink file{out};
    api.get_artifact_download(artifact_named("decoded"), file, specbound::blocking);
    CHECK(read_file(out) == body);
    CHECK(server.requests().at(0)["accept-encoding"] == "gzip, deflate");

    specbound::call_options limited;
    limited.body_limit = 1024 * 1024;
    std::size_t received = 0;
    specbound::callback_sink counting([&](std::span<const char> bytes) {
        received += bytes.size();
        return boost::system::error_code{};
    });
    auto r = api.try_get_artifact_download(artifact_named("bomb"), counting, limited, specbound::blocking);
    REQUIRE_FALSE(r);
    CHECK(r.error()->code() == specbound::transport_errc::body_too_large);
    CHECK(received <= limited.body_limit);
    CHECK(server.requests_received() == 2); // a limit is final: not retried
}

TEST_CASE("a body broken mid-way: fetched again into a file, not into a callback that saw bytes", "[download]")
{
    const std::string body = artifact(256 * 1024);
    std::atomic<int> served{0};
    test_server server([&](const specbound::http_request&, const request_info&) {
        if (served++ == 0) // the header promises the whole body; half of it comes, then the close
            return reply::raw("HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\nContent-Length: " +
                              std::to_string(body.size()) + "\r\n\r\n" + body.substr(0, body.size() / 2));
        return reply::text(body);
    });
    boost::asio::io_context ioc;
    streaming::client api{ioc.get_executor(), loopback(server)};

    SECTION("a file starts over")
    {
        const fs::path out = scratch("retried.bin");
        specbound::file_sink file{out};
        api.get_artifact_download(artifact_named("retried"), file, specbound::blocking);
        CHECK(server.requests_received() == 2);
        CHECK(read_file(out) == body); // not the first half twice
    }
    SECTION("a callback cannot: the truncation is the answer")
    {
        std::string seen;
        specbound::callback_sink sink([&](std::span<const char> bytes) {
            seen.append(bytes.data(), bytes.size());
            return boost::system::error_code{};
        });
        auto r = api.try_get_artifact_download(artifact_named("once"), sink, specbound::blocking);
        REQUIRE_FALSE(r);
        CHECK(r.error()->code() == specbound::transport_errc::truncated_response);
        CHECK(server.requests_received() == 1);
        CHECK(seen == body.substr(0, seen.size()));
        CHECK(seen.size() <= body.size() / 2);
    }
}

TEST_CASE("a download's other answers: typed errors, a chunked body, a sink that fails", "[download]")
{
    test_server server([&](const specbound::http_request& req, const request_info&) {
        if (req.target().ends_with("missing"))
            return reply::json(R"({"title":"no such artifact","detail":"missing"})",
                               boost::beast::http::status::not_found);
        if (req.target().ends_with("chunked"))
            return reply::raw("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n");
        return reply::text(artifact(300 * 1024));
    });
    boost::asio::io_context ioc;
    streaming::client api{ioc.get_executor(), loopback(server)};

    std::string got;
    specbound::callback_sink collect([&](std::span<const char> bytes) {
        got.append(bytes.data(), bytes.size());
        return boost::system::error_code{};
    });
    auto missing = api.try_get_artifact_download(artifact_named("missing"), collect, specbound::blocking);
    REQUIRE_FALSE(missing);
    const auto* nf = missing.error_as<specbound::not_found_error>();
    REQUIRE(nf);
    REQUIRE(nf->body_as<streaming::problem>());
    CHECK(nf->body_as<streaming::problem>()->title == "no such artifact");
    CHECK(got.empty()); // an error body never reaches the sink

    api.get_artifact_download(artifact_named("chunked"), collect, specbound::blocking);
    CHECK(got == "hello world");

    specbound::callback_sink refusing([](std::span<const char>) {
        return boost::system::error_code(ENOSPC, boost::system::generic_category());
    });
    auto full = api.try_get_artifact_download(artifact_named("big"), refusing, specbound::blocking);
    REQUIRE_FALSE(full);
    const auto* se = full.error_as<specbound::sink_error>();
    REQUIRE(se);
    CHECK(se->sink_code() == boost::system::error_code(ENOSPC, boost::system::generic_category()));

    specbound::file_sink nowhere{scratch("no") / "such" / "dir" / "file"};
    auto unopened = api.try_get_artifact_download(artifact_named("big"), nowhere, specbound::blocking);
    REQUIRE_FALSE(unopened);
    REQUIRE(unopened.error_as<specbound::sink_error>());
    CHECK(std::string(unopened.error()->what()).find("could not start the body") != std::string::npos);
}

TEST_CASE("a transport that does not stream still fills the sink, and text bodies download too", "[download]")
{
    boost::asio::io_context ioc;
    auto mock = std::make_shared<specbound::testing::mock_transport>();
    mock->expect(specbound::http_method::get, "/v2/reports/7.csv")
        .respond(200, "id,total\n7,42\n", {{"Content-Type", "text/csv"}});
    specbound::client_options o;
    o.transport = mock;
    streaming::client api{ioc.get_executor(), std::move(o)};
    std::string csv;
    specbound::callback_sink sink([&](std::span<const char> bytes) {
        csv.append(bytes.data(), bytes.size());
        return boost::system::error_code{};
    });
    streaming::get_report_request req;
    req.id = 7;
    auto m = api.get_report_download(req, sink, specbound::blocking);
    CHECK(m.status == 200);
    CHECK(csv == "id,total\n7,42\n");

    // Download members exist for binary and text bodies, not for JSON ones.
    STATIC_REQUIRE(has_artifact_download<streaming::client>);
    STATIC_REQUIRE_FALSE(has_list_download<streaming::client>);
}
