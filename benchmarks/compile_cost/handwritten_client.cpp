// Compile-cost probe (a): a complete hand-written Boost.Beast coroutine client, the baseline the
// generated client is measured against (scripts/compile-cost.sh). It resolves, connects, does the
// TLS handshake, writes a GET, reads the response and decodes its JSON body into a struct with
// Boost.JSON: what one typed call of a generated client does, without specbound.
#include <boost/asio/awaitable.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/connect.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <boost/json.hpp>
#include <boost/url.hpp>

#include <cstdint>
#include <iostream>
#include <optional>
#include <string>
#include <vector>

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace json = boost::json;

struct droplet {
    std::int64_t id = 0;
    std::string name;
    std::string status;
    std::optional<std::vector<std::string>> tags;
};

droplet tag_invoke(json::value_to_tag<droplet>, const json::value& v)
{
    const json::object& o = v.as_object();
    droplet d;
    d.id = json::value_to<std::int64_t>(o.at("id"));
    d.name = json::value_to<std::string>(o.at("name"));
    d.status = json::value_to<std::string>(o.at("status"));
    if (const json::value* t = o.if_contains("tags"))
        d.tags = json::value_to<std::vector<std::string>>(*t);
    return d;
}

struct droplets_page {
    std::vector<droplet> droplets;
};

droplets_page tag_invoke(json::value_to_tag<droplets_page>, const json::value& v)
{
    return {json::value_to<std::vector<droplet>>(v.as_object().at("droplets"))};
}

asio::awaitable<droplets_page> list_droplets(std::string base_url, std::string token, int per_page)
{
    auto executor = co_await asio::this_coro::executor;
    boost::urls::url url{boost::urls::parse_uri(base_url).value()};
    url.set_path("/v2/droplets");
    url.params().set("per_page", std::to_string(per_page));

    asio::ssl::context tls{asio::ssl::context::tls_client};
    tls.set_default_verify_paths();
    tls.set_verify_mode(asio::ssl::verify_peer);
    beast::ssl_stream<beast::tcp_stream> stream{executor, tls};
    const std::string host{url.host()};
    if (!SSL_set_tlsext_host_name(stream.native_handle(), host.c_str()))
        throw beast::system_error{beast::error_code{static_cast<int>(::ERR_get_error()), asio::error::get_ssl_category()}};

    asio::ip::tcp::resolver resolver{executor};
    auto endpoints = co_await resolver.async_resolve(host, url.has_port() ? std::string(url.port()) : "443", asio::use_awaitable);
    beast::get_lowest_layer(stream).expires_after(std::chrono::seconds(30));
    co_await beast::get_lowest_layer(stream).async_connect(endpoints, asio::use_awaitable);
    co_await stream.async_handshake(asio::ssl::stream_base::client, asio::use_awaitable);

    http::request<http::empty_body> request{http::verb::get, url.encoded_resource(), 11};
    request.set(http::field::host, host);
    request.set(http::field::authorization, "Bearer " + token);
    request.set(http::field::accept, "application/json");
    co_await http::async_write(stream, request, asio::use_awaitable);

    beast::flat_buffer buffer;
    http::response<http::string_body> response;
    co_await http::async_read(stream, buffer, response, asio::use_awaitable);
    if (response.result() != http::status::ok)
        throw std::runtime_error("HTTP " + std::to_string(response.result_int()));
    droplets_page page = json::value_to<droplets_page>(json::parse(response.body()));

    beast::error_code ignored;
    co_await stream.async_shutdown(asio::redirect_error(asio::use_awaitable, ignored));
    co_return page;
}

int main(int argc, char** argv)
{
    asio::io_context ioc;
    asio::co_spawn(ioc, list_droplets(argc > 1 ? argv[1] : "https://api.digitalocean.com", "token", 5),
        [](std::exception_ptr e, droplets_page page) {
            if (e)
                return;
            for (const droplet& d : page.droplets)
                std::cout << d.name << " (" << d.id << ")\n";
        });
    ioc.run();
}
