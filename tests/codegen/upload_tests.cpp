// Uploads through the generated client (spec/streaming.yaml): a request body read from a
// body_source as it is sent over the Beast transport on loopback (Content-Length or chunked), a
// streamed multipart form, and the rules: sent again only from a source that can start over, a
// source that breaks its size or fails is a typed error.
#include <streaming/streaming.hpp>

#include <specbound/testing/mock_transport.hpp>

#include "support/test_server.hpp"

#include <boost/asio/io_context.hpp>

#include <catch2/catch.hpp>

#include <atomic>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <string>

namespace {

namespace fs = std::filesystem;
using specbound::test::reply;
using specbound::test::request_info;
using specbound::test::test_server;

std::string payload(std::size_t size)
{
    std::string out(size, '\0');
    for (std::size_t i = 0; i < size; ++i)
        out[i] = static_cast<char>('A' + (i * 7 + i / 251) % 26);
    return out;
}

fs::path write_temp(const std::string& name, const std::string& content)
{
    fs::path dir = fs::temp_directory_path() / "specbound_upload_tests";
    fs::create_directories(dir);
    fs::path p = dir / name;
    std::ofstream(p, std::ios::binary) << content;
    return p;
}

specbound::client_options loopback(const test_server& server)
{
    specbound::client_options o;
    o.base_url = "http://127.0.0.1:" + std::to_string(server.port()) + "/v2";
    o.retry.initial_backoff = std::chrono::milliseconds(1);
    o.retry.max_backoff = std::chrono::milliseconds(2);
    return o;
}

reply stored(std::size_t size)
{
    return reply::json(R"({"name":"a","size":)" + std::to_string(size) + "}", boost::beast::http::status::created);
}

streaming::put_artifact_request artifact(std::string name)
{
    streaming::put_artifact_request r;
    r.name = std::move(name);
    return r;
}

/// A source of `text` in pieces of `piece` bytes, through callback_source.
specbound::callback_source pieces_of(const std::string& text, std::size_t piece, std::optional<std::uint64_t> size)
{
    auto at = std::make_shared<std::size_t>(0);
    return specbound::callback_source(
        [&text, piece, at](std::span<char> out, boost::system::error_code&) {
            const std::size_t n = std::min({piece, out.size(), text.size() - *at});
            std::memcpy(out.data(), text.data() + *at, n);
            *at += n;
            return n;
        },
        size);
}

} // namespace

TEST_CASE("an upload streams a file with Content-Length, or a source of unknown size chunked", "[upload]")
{
    const std::string body = payload(6 * 1024 * 1024 + 5);
    test_server server([](const specbound::http_request& req, const request_info&) { return stored(req.body().size()); });
    boost::asio::io_context ioc;
    streaming::client api{ioc.get_executor(), loopback(server)};

    specbound::file_source file{write_temp("artifact.bin", body)};
    streaming::stored s = api.put_artifact_upload(artifact("a"), file, specbound::blocking);
    CHECK(s.size == static_cast<std::int64_t>(body.size()));
    auto received = server.requests().at(0);
    CHECK(received.body() == body);
    CHECK(received[boost::beast::http::field::content_length] == std::to_string(body.size()));
    CHECK(received[boost::beast::http::field::content_type] == "application/octet-stream");

    auto chunks = pieces_of(body, 10'000, std::nullopt);
    api.put_artifact_upload(artifact("b"), chunks, specbound::blocking);
    received = server.requests().at(1);
    CHECK(received.chunked());
    CHECK(received.body() == body);
}

TEST_CASE("an upload is sent again only from a source that can start over", "[upload]")
{
    const std::string body = payload(200 * 1024);
    std::atomic<int> seen{0};
    test_server server([&](const specbound::http_request& req, const request_info&) {
        if (seen++ == 0) {
            reply busy = reply::text("busy", boost::beast::http::status::service_unavailable);
            busy.response.set("Retry-After", "0");
            return busy;
        }
        return stored(req.body().size());
    });
    boost::asio::io_context ioc;
    streaming::client api{ioc.get_executor(), loopback(server)};

    SECTION("a file: the retry sends the whole body again")
    {
        specbound::file_source file{write_temp("retried.bin", body)};
        CHECK(api.put_artifact_upload(artifact("a"), file, specbound::blocking).size ==
              static_cast<std::int64_t>(body.size()));
        REQUIRE(server.requests().size() == 2);
        CHECK(server.requests()[0].body() == body);
        CHECK(server.requests()[1].body() == body);
    }
    SECTION("a callback: the 503 is the answer")
    {
        auto once = pieces_of(body, 4096, body.size());
        auto r = api.try_put_artifact_upload(artifact("a"), once, specbound::blocking);
        REQUIRE_FALSE(r);
        CHECK(r.error_as<specbound::service_unavailable_error>());
        CHECK(server.requests_received() == 1);
    }
}

TEST_CASE("a source that breaks its size, fails or cannot open is a source_error", "[upload]")
{
    test_server server([](const specbound::http_request& req, const request_info&) { return stored(req.body().size()); });
    boost::asio::io_context ioc;
    streaming::client api{ioc.get_executor(), loopback(server)};
    const std::string half = payload(50);

    auto short_source = pieces_of(half, 50, 100);
    auto r = api.try_put_artifact_upload(artifact("a"), short_source, specbound::blocking);
    REQUIRE_FALSE(r);
    REQUIRE(r.error_as<specbound::source_error>());
    CHECK_THAT(std::string(r.error()->what()), Catch::Contains("ended after 50 of its 100 bytes"));

    auto long_source = pieces_of(half, 50, 10);
    r = api.try_put_artifact_upload(artifact("a"), long_source, specbound::blocking);
    REQUIRE(r.error_as<specbound::source_error>());
    CHECK_THAT(std::string(r.error()->what()), Catch::Contains("more than its size of 10 bytes"));

    specbound::callback_source failing([](std::span<char>, boost::system::error_code& ec) {
        ec = boost::system::error_code(EIO, boost::system::generic_category());
        return std::size_t{0};
    });
    r = api.try_put_artifact_upload(artifact("a"), failing, specbound::blocking);
    REQUIRE(r.error_as<specbound::source_error>());
    CHECK(r.error_as<specbound::source_error>()->source_code() ==
          boost::system::error_code(EIO, boost::system::generic_category()));

    specbound::file_source missing{fs::temp_directory_path() / "specbound_upload_tests" / "no-such-file"};
    r = api.try_put_artifact_upload(artifact("a"), missing, specbound::blocking);
    REQUIRE(r.error_as<specbound::source_error>());
    CHECK_THAT(std::string(r.error()->what()), Catch::Contains("could not start"));
    CHECK(server.requests_received() <= 3); // none of them completed a body the server accepted
    for (const auto& req : server.requests())
        CHECK(req.body().size() != 100);
}

TEST_CASE("a multipart form streams its fields and files, each part with its own name and type", "[upload]")
{
    const std::string log = payload(300 * 1024);
    specbound::file_source file{write_temp("build.log", log)};
    specbound::multipart_source form;
    form.add_field("comment", "nightly build").add_file("log", "build.log", "text/plain", file);
    const std::string expected = "--" + form.boundary() +
                                 "\r\nContent-Disposition: form-data; name=\"comment\"\r\n\r\nnightly build\r\n--" +
                                 form.boundary() +
                                 "\r\nContent-Disposition: form-data; name=\"log\"; filename=\"build.log\"\r\n"
                                 "Content-Type: text/plain\r\n\r\n" +
                                 log + "\r\n--" + form.boundary() + "--\r\n";
    REQUIRE(form.size() == expected.size());

    test_server server([](const specbound::http_request& req, const request_info&) { return stored(req.body().size()); });
    boost::asio::io_context ioc;
    streaming::client api{ioc.get_executor(), loopback(server)};
    api.submit_build_upload(streaming::submit_build_request{}, form, specbound::blocking);
    const auto received = server.requests().at(0);
    CHECK(received.body() == expected);
    CHECK(received[boost::beast::http::field::content_type] == "multipart/form-data; boundary=" + form.boundary());
    CHECK(received[boost::beast::http::field::content_length] == std::to_string(expected.size()));

    // Through a transport that does not stream, the same bytes (read whole first).
    auto mock = std::make_shared<specbound::testing::mock_transport>();
    mock->expect(specbound::http_method::post, "/v2/submissions").respond_json(201, R"({"name":"a","size":1})");
    specbound::client_options o;
    o.transport = mock;
    streaming::client mocked{ioc.get_executor(), std::move(o)};
    mocked.submit_build_upload(streaming::submit_build_request{}, form, specbound::blocking);
    CHECK(mock->requests().at(0).request.body() == expected);

    CHECK_THROWS_AS(form.add_field("bad\r\nX-Injected: 1", "v"), std::invalid_argument);
    CHECK_THROWS_AS(form.add_file("f", "a\".txt", "text/plain", file), std::invalid_argument);
    CHECK_THROWS_AS(form.add_field("ok", "v", "text/plain\r\nX: y"), std::invalid_argument);
}

TEST_CASE("after a 303 the upload is not sent again: the redirect is a GET without a body", "[upload]")
{
    const std::string body = payload(100 * 1024);
    test_server server([](const specbound::http_request& req, const request_info&) {
        if (req.method() == boost::beast::http::verb::put) {
            reply see_other = reply::text("", boost::beast::http::status::see_other);
            see_other.response.set("Location", "/v2/artifacts/a/receipt");
            return see_other;
        }
        return stored(req.body().size());
    });
    boost::asio::io_context ioc;
    streaming::client api{ioc.get_executor(), loopback(server)};
    auto once = pieces_of(body, 8192, std::nullopt); // chunked, and it cannot start over
    api.put_artifact_upload(artifact("a"), once, specbound::blocking);
    const auto requests = server.requests();
    REQUIRE(requests.size() == 2);
    CHECK(requests[0].body() == body);
    CHECK(requests[1].method() == boost::beast::http::verb::get);
    CHECK(requests[1].target() == "/v2/artifacts/a/receipt");
    CHECK(requests[1].body().empty());
    CHECK_FALSE(requests[1].chunked());
}
