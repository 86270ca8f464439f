// An in-process HTTP mock of a generated API, for tests and examples: a loopback server (Beast)
// that routes by the operations' descriptors, checks each request against them and answers with
// your typed handler or, by default, the spec's example.
//
//   #include <petstore/examples.hpp>                 // petstore::all_operations, petstore::examples
//   #include <specbound/testing/mock_server.hpp>
//
//   specbound::testing::mock_server<petstore::all_operations> server{petstore::examples};
//   server.on<petstore::ops::show_pet_by_id>([](const petstore::show_pet_by_id_request& r)
//                                                -> specbound::result<petstore::pet> {
//       if (r.pet_id == 404)
//           return specbound::testing::api_failure<petstore::ops::show_pet_by_id>(404, petstore::error{404, "gone"});
//       return petstore::pet{.id = r.pet_id, .name = std::string("Rex")};
//   });
//   specbound::client_options o; o.base_url = server.base_url();
//   petstore::client api{ex, std::move(o)};
//   ... calls; then server.calls<Op>(), server.requests<Op>(), server.rejected() ...
//
// The server listens on 127.0.0.1 on a port the system picks, and runs on a thread of its own, so
// the code under test may call it with any completion token, blocking included. It stops (every
// connection closed, the thread joined) with stop() or its destruction.
//
// Each request goes to the operation whose method and path template it matches (literal segments
// before placeholders: /pets/mine before /pets/{id}); none: 404, or 405 when only the method
// differs. Its parameters are read back into the typed request (styles simple, label, matrix,
// form, spaceDelimited, pipeDelimited, deepObject; the inverse of what the client sends), its
// body's Content-Type checked and the body decoded strictly into its type, then the schema's
// constraints checked (specbound::validate_request). A request that fails any of these gets 400
// (415 for a Content-Type, 413 for a body over the limit, 501 for what the mock cannot read, such
// as multipart bodies) with a problem object
//   {"status":400,"title":"Bad Request","detail":"path parameter 'petId': \"abc\" is not an integer in range",
//    "operation":"show_pet_by_id"}
// and the same detail in the `x-specbound-violation` header; rejected() lists them all.
//
// A valid request is counted (calls<Op>(), requests<Op>()) and answered by the operation's handler:
// its value as the declared 2xx response (for a union of bodies, the one it holds), or the error
// it returns as that error's status and body (see api_failure); a handler that throws, or an error
// that is not an api_error, is a 500 naming it. Without a handler: the spec's example
// (`<ns>::examples`, from its first 2xx response), or that response's status without a body when
// it declares none; else 501 saying so.
#pragma once

#include <specbound/descriptor.hpp>
#include <specbound/error.hpp>
#include <specbound/result.hpp>
#include <specbound/testing/detail/mock_request.hpp>
#include <specbound/testing/fake.hpp>
#include <specbound/validation.hpp>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/error.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

#include <array>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <exception>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <thread>
#include <tuple>
#include <type_traits>
#include <utility>
#include <vector>

namespace specbound::testing {

struct mock_server_options {
    std::size_t body_limit = 1024 * 1024;          // larger request bodies are answered 413
    std::size_t header_limit = 64 * 1024;          // request line and headers
    std::chrono::milliseconds idle_timeout{10'000}; // a connection silent this long is closed
    std::size_t max_connections = 64;              // more at once are closed as they arrive
};

template <class Operations>
class mock_server;

template <class... Ops>
class mock_server<operation_list<Ops...>> {
public:
    using request = boost::beast::http::request<boost::beast::http::string_body>;
    using response = boost::beast::http::response<boost::beast::http::string_body>;

    /// Starts listening at once. `examples` (`<ns>::examples`) answers operations without a handler.
    explicit mock_server(std::span<const response_example> examples = {}, mock_server_options options = {})
        : options_(options)
    {
        [[maybe_unused]] std::size_t i = 0;
        ((examples_[i++] = find_example(examples, Ops::name)), ...);
        acceptor_.emplace(*ioc_, boost::asio::ip::tcp::endpoint(boost::asio::ip::make_address("127.0.0.1"), 0));
        port_ = acceptor_->local_endpoint().port();
        boost::asio::co_spawn(*ioc_, accept(), boost::asio::detached);
        thread_ = std::thread([this] { ioc_->run(); });
    }

    ~mock_server() { stop(); }
    mock_server(const mock_server&) = delete;
    mock_server& operator=(const mock_server&) = delete;

    /// "http://127.0.0.1:<port>": the client's client_options::base_url.
    [[nodiscard]] std::string base_url() const { return "http://127.0.0.1:" + std::to_string(port_); }
    [[nodiscard]] std::uint16_t port() const noexcept { return port_; }

    /// Closes every connection and joins the server's thread; calls afterwards fail to connect.
    void stop()
    {
        if (!thread_.joinable())
            return;
        ioc_->stop();
        thread_.join();
        // Destroying the context destroys the suspended sessions, which closes their sockets: a
        // pooled client connection sees the close at once instead of waiting for an answer.
        acceptor_.reset();
        ioc_.reset();
    }

    /// Answers requests of `Op` with `handler(const Op::request_type&)`, which returns the response
    /// type or result<response type> (a typed error made with api_failure). Replaces an earlier one.
    template <class Op, class Handler>
    mock_server& on(Handler handler)
    {
        static_assert((std::is_same_v<Op, Ops> || ...), "Op is not an operation of this mock_server's list");
        using request_type = typename Op::request_type;
        using R = typename Op::response_type;
        static_assert(std::is_invocable_v<Handler&, const request_type&>,
                      "a handler of Op takes const Op::request_type&");
        static_assert(std::is_convertible_v<std::invoke_result_t<Handler&, const request_type&>, result<R>>,
                      "a handler of Op returns Op::response_type or specbound::result<Op::response_type>");
        std::lock_guard lock(mutex_);
        std::get<slot<Op>>(slots_).handler = [h = std::move(handler)](const request_type& r) mutable {
            return result<R>(h(r));
        };
        return *this;
    }

    /// Valid requests of `Op` received so far (rejected ones are in rejected()).
    template <class Op>
    [[nodiscard]] std::size_t calls() const
    {
        std::lock_guard lock(mutex_);
        return std::get<slot<Op>>(slots_).requests.size();
    }

    /// Their typed requests, in order.
    template <class Op>
    [[nodiscard]] std::vector<typename Op::request_type> requests() const
    {
        std::lock_guard lock(mutex_);
        return std::get<slot<Op>>(slots_).requests;
    }

    /// Every refused request: "400 GET /pets/abc: path parameter 'petId': ...", in order.
    [[nodiscard]] std::vector<std::string> rejected() const
    {
        std::lock_guard lock(mutex_);
        return rejected_;
    }

    /// The answer to one request, without the network (what each connection does with what it reads).
    [[nodiscard]] response handle(const request& req)
    {
        response res;
        try {
            res = route(req);
        } catch (const std::exception& e) {
            res = problem(500, "the mock server failed: " + std::string(e.what()), "");
        }
        res.version(req.version());
        res.set(boost::beast::http::field::server, "specbound-mock");
        if (res.result_int() >= 400 && res.find("x-specbound-violation") != res.end()) {
            std::lock_guard lock(mutex_);
            rejected_.push_back(std::to_string(res.result_int()) + " " + std::string(req.method_string()) + " " +
                                std::string(req.target()) + ": " + std::string(res["x-specbound-violation"]));
        }
        res.prepare_payload();
        return res;
    }

private:
    template <class Op>
    struct slot {
        std::function<result<typename Op::response_type>(const typename Op::request_type&)> handler;
        std::vector<typename Op::request_type> requests;
    };

    static const response_example* find_example(std::span<const response_example> examples, std::string_view name)
    {
        for (const response_example& e : examples)
            if (e.operation == name)
                return &e;
        return nullptr;
    }

    static const char* reason_of(int status)
    {
        switch (status) {
        case 400: return "Bad Request";
        case 404: return "Not Found";
        case 405: return "Method Not Allowed";
        case 413: return "Content Too Large";
        case 415: return "Unsupported Media Type";
        case 501: return "Not Implemented";
        default: return "Internal Server Error";
        }
    }

    /// A refusal: a problem object (RFC 9457) and the x-specbound-violation header.
    static response problem(int status, const std::string& detail, std::string_view operation)
    {
        boost::json::object o;
        o["status"] = status;
        o["title"] = reason_of(status);
        o["detail"] = detail;
        if (!operation.empty())
            o["operation"] = operation;
        response res{static_cast<boost::beast::http::status>(status), 11};
        res.set(boost::beast::http::field::content_type, "application/problem+json");
        // A header value holds no control characters; the detail is bounded already (quote_value()).
        std::string header = detail.substr(0, 2000);
        for (char& c : header)
            if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f)
                c = '?';
        res.set("x-specbound-violation", header);
        res.body() = boost::json::serialize(o);
        return res;
    }

    response route(const request& req)
    {
        const std::string_view target = req.target();
        if (target.empty() || target.front() != '/')
            return problem(400, "the request target is not a path (origin-form)", "");
        const std::size_t q = target.find('?');
        specbound::detail::mock::request_view in;
        in.method = req.method_string();
        in.path = target.substr(0, q);
        in.query = q == std::string_view::npos ? std::string_view() : target.substr(q + 1);
        if (const std::size_t hash = in.query.find('#'); hash != std::string_view::npos)
            in.query = in.query.substr(0, hash);
        in.headers = &req.base();
        in.body = req.body();

        // The operation: method and path; the most literal segments win.
        std::size_t best = sizeof...(Ops);
        int best_literal = -1;
        std::optional<specbound::detail::mock::path_match> best_match;
        std::string allowed;
        std::size_t i = 0;
        (
            [&] {
                const std::size_t index = i++;
                auto m = specbound::detail::mock::match_path(Ops::path, in.path);
                if (!m)
                    return;
                if (in.method != to_string(Ops::method)) {
                    const std::string_view method = to_string(Ops::method);
                    if (allowed.find(method) == std::string::npos)
                        allowed += std::string(allowed.empty() ? "" : ", ") + std::string(method);
                    return;
                }
                if (m->literal_segments > best_literal) {
                    best = index;
                    best_literal = m->literal_segments;
                    best_match = std::move(m);
                }
            }(),
            ...);
        if (best == sizeof...(Ops)) {
            if (!allowed.empty()) {
                response res = problem(405, std::string(in.method) + " is not an operation of " +
                                                specbound::detail::mock::quote_value(in.path) + "; it allows " + allowed, "");
                res.set(boost::beast::http::field::allow, allowed);
                return res;
            }
            return problem(404, std::string(in.method) + " " + specbound::detail::mock::quote_value(in.path) +
                                    " matches no path of the API", "");
        }
        response res;
        i = 0;
        ((i++ == best ? void(res = serve<Ops>(in, *best_match, best)) : void()), ...);
        return res;
    }

    template <class Op>
    response serve(const specbound::detail::mock::request_view& in, const specbound::detail::mock::path_match& route, std::size_t index)
    {
        using request_type = typename Op::request_type;
        request_type r{};
        if (auto v = specbound::detail::mock::read_parameters<Op>(in, route, r))
            return problem(v->status, v->detail, Op::name);
        if (auto v = specbound::detail::mock::read_body<Op>(in, r))
            return problem(v->status, v->detail, Op::name);
        if (auto bad = validate_request<Op>(r, std::string(Op::name)))
            return problem(400, bad->what(), Op::name);

        std::function<result<typename Op::response_type>(const request_type&)> handler;
        {
            std::lock_guard lock(mutex_);
            auto& s = std::get<slot<Op>>(slots_);
            s.requests.push_back(r);
            handler = s.handler;
        }
        if (!handler)
            return by_example<Op>(examples_[index]);

        std::optional<result<typename Op::response_type>> answer;
        try {
            answer.emplace(handler(r)); // outside the lock: a handler may inspect the server
        } catch (const std::exception& e) {
            return problem(500, std::string(Op::name) + "'s handler threw: " + e.what(), Op::name);
        } catch (...) {
            return problem(500, std::string(Op::name) + "'s handler threw", Op::name);
        }
        specbound::detail::mock::answer out;
        if (answer->has_value()) {
            if (auto v = specbound::detail::mock::answer_value<Op>(answer->value(), out))
                return problem(v->status, v->detail, Op::name);
        } else if (const auto* api = answer->template error_as<api_error>()) {
            out.status = api->status();
            out.body = api->body();
            for (const auto& f : api->headers())
                if (f.name() != boost::beast::http::field::content_length &&
                    f.name() != boost::beast::http::field::transfer_encoding)
                    out.headers.emplace_back(std::string(f.name_string()), std::string(f.value()));
        } else {
            return problem(500, std::string(Op::name) + "'s handler returned an error that is not an API answer: " +
                                    answer->error()->what(), Op::name);
        }
        return reply(out);
    }

    template <class Op>
    static response by_example(const response_example* example)
    {
        specbound::detail::mock::answer out;
        if (example) {
            out.status = example->status;
            out.content_type = std::string(example->media_type);
            out.body = std::string(example->body);
            return reply(out);
        }
        if (const auto [status, empty] = specbound::detail::mock::first_success<Op>(); status != 0 && empty) {
            out.status = status;
            return reply(out);
        }
        return problem(501, std::string(Op::name) + " has no handler and the spec gives no example of its response: "
                                                    "register one with on<" + std::string(Op::name) + ">(...)" ,
                       Op::name);
    }

    static response reply(const specbound::detail::mock::answer& a)
    {
        response res{static_cast<boost::beast::http::status>(a.status), 11};
        for (const auto& [name, value] : a.headers)
            res.insert(name, value);
        if (!a.content_type.empty())
            res.set(boost::beast::http::field::content_type, a.content_type);
        res.body() = a.body;
        return res;
    }

    boost::asio::awaitable<void> accept()
    {
        for (;;) {
            auto [ec, socket] = co_await acceptor_->async_accept(boost::asio::as_tuple(boost::asio::use_awaitable));
            if (ec) {
                if (ec == boost::asio::error::operation_aborted)
                    co_return;
                continue; // e.g. too many open files: try the next one
            }
            if (connections_ >= options_.max_connections)
                continue; // closed as `socket` goes
            ++connections_;
            boost::asio::co_spawn(*ioc_, session(std::move(socket)), boost::asio::detached);
        }
    }

    boost::asio::awaitable<void> session(boost::asio::ip::tcp::socket socket)
    {
        namespace http = boost::beast::http;
        boost::beast::tcp_stream stream(std::move(socket));
        boost::beast::flat_buffer buffer;
        for (;;) {
            http::request_parser<http::string_body> parser;
            parser.body_limit(options_.body_limit);
            parser.header_limit(static_cast<std::uint32_t>(options_.header_limit));
            stream.expires_after(options_.idle_timeout);
            auto [ec, n] = co_await http::async_read(stream, buffer, parser, boost::asio::as_tuple(boost::asio::use_awaitable));
            (void)n;
            if (ec) {
                // Bad HTTP gets an answer before the connection closes; a closed or silent peer does not.
                if (ec.category() == http::make_error_code(http::error::bad_method).category() &&
                    ec != http::error::end_of_stream && ec != http::error::partial_message) {
                    const int status = ec == http::error::body_limit ? 413 : 400;
                    response res = problem(status, "the request is not valid HTTP: " + ec.message(), "");
                    res.keep_alive(false);
                    res.prepare_payload();
                    co_await http::async_write(stream, res, boost::asio::as_tuple(boost::asio::use_awaitable));
                }
                break;
            }
            request req = parser.release();
            response res = handle(req);
            res.keep_alive(req.keep_alive());
            auto [wec, written] = co_await http::async_write(stream, res, boost::asio::as_tuple(boost::asio::use_awaitable));
            (void)written;
            if (wec || !res.keep_alive())
                break;
        }
        boost::beast::error_code ignored;
        stream.socket().shutdown(boost::asio::ip::tcp::socket::shutdown_send, ignored);
        --connections_;
    }

    mock_server_options options_;
    std::unique_ptr<boost::asio::io_context> ioc_ = std::make_unique<boost::asio::io_context>(1);
    std::optional<boost::asio::ip::tcp::acceptor> acceptor_; // reset before the context
    std::uint16_t port_ = 0;
    std::array<const response_example*, sizeof...(Ops)> examples_{};
    std::size_t connections_ = 0; // the server's thread only
    mutable std::mutex mutex_;
    std::tuple<slot<Ops>...> slots_;
    std::vector<std::string> rejected_;
    std::thread thread_;
};

} // namespace specbound::testing
