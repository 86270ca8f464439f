// A scripted transport for unit tests of code that calls a generated client; no network.
//
//   auto mock = std::make_shared<specbound::testing::mock_transport>();
//   mock->expect(specbound::http_method::get, "/pets/42")
//       .respond_json(200, R"({"id":42,"name":"Rex"})");
//   mock->expect(specbound::http_method::post, "/pets").times(2).respond(503);
//   specbound::client_options o; o.transport = mock;
//   petstore::client api{ex, std::move(o)};
//   ...
//   CHECK(mock->all_consumed());
//   CHECK(mock->requests()[0].request["authorization"] == "Bearer t");
//
// Every request is recorded. A request is answered by the first expectation, in the order they
// were added, that still has uses left and matches its method, path (the target without query,
// or the whole target when the expected path contains '?') and optional predicate. A request that
// no expectation matches is a test bug: send() throws std::logic_error naming the request and what
// was expected, and the text is kept in unexpected().
#pragma once

#include <specbound/detail/config.hpp>

#include <specbound/descriptor.hpp>
#include <specbound/detail/request_builder.hpp>
#include <specbound/error_code.hpp>
#include <specbound/transport.hpp>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/http/field.hpp>

#include <chrono>
#include <cstddef>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace specbound::testing {

struct recorded_request {
    origin to;
    http_request request;
    attempt_limits limits;
};

class mock_transport final : public transport {
public:
    using headers = std::vector<std::pair<std::string, std::string>>;

    class expectation {
    public:
        /// Also require `pred(request)`.
        expectation& when(std::function<bool(const http_request&)> pred)
        {
            pred_ = std::move(pred);
            return *this;
        }
        /// Answer this many requests (default 1).
        expectation& times(std::size_t n)
        {
            uses_ = n;
            return *this;
        }
        expectation& respond(unsigned status, std::string body = {}, headers fields = {})
        {
            reply_ = [status, body = std::move(body), fields = std::move(fields)](const http_request&) {
                http_response res{static_cast<boost::beast::http::status>(status), 11};
                for (const auto& [k, v] : fields)
                    res.insert(k, v);
                res.body() = body;
                res.prepare_payload();
                return res;
            };
            return *this;
        }
        /// respond() with Content-Type: application/json.
        expectation& respond_json(unsigned status, std::string body, headers fields = {})
        {
            fields.emplace_back("Content-Type", "application/json");
            return respond(status, std::move(body), std::move(fields));
        }
        /// Build the response from the request (e.g. echo a header).
        expectation& respond_with(std::function<http_response(const http_request&)> f)
        {
            reply_ = std::move(f);
            return *this;
        }
        /// Fail below HTTP. `request_sent`: whether the request may have reached the server.
        expectation& fail(transport_errc e, bool request_sent = false)
        {
            fail_ = make_error_code(e);
            request_sent_ = request_sent;
            return *this;
        }
        /// Report the attempt as made on a reused pooled connection; with fail(connection_closed,
        /// true) that is a server's idle close racing the reuse, which the client may replay.
        expectation& on_reused_connection(bool response_started = false)
        {
            reused_ = true;
            response_started_ = response_started;
            return *this;
        }
        /// Answer after `d` (bounded by the attempt timeout: past it, the attempt times out).
        expectation& delay(std::chrono::steady_clock::duration d)
        {
            delay_ = d;
            return *this;
        }

        [[nodiscard]] std::size_t remaining() const noexcept { return uses_; }
        [[nodiscard]] std::string describe() const
        {
            return (any_ ? std::string("any request") : std::string(to_string(method_)) + " " + path_) +
                   (pred_ ? " (with predicate)" : "");
        }

    private:
        friend class mock_transport;
        bool matches(const http_request& req) const
        {
            if (uses_ == 0)
                return false;
            if (!any_) {
                if (req.method() != detail::to_verb(method_))
                    return false;
                std::string_view target = req.target();
                if (path_.find('?') == std::string::npos)
                    target = target.substr(0, target.find('?'));
                if (target != path_)
                    return false;
            }
            return !pred_ || pred_(req);
        }

        bool any_ = false;
        http_method method_ = http_method::get;
        std::string path_;
        std::function<bool(const http_request&)> pred_;
        std::size_t uses_ = 1;
        std::function<http_response(const http_request&)> reply_;
        boost::system::error_code fail_;
        bool request_sent_ = false;
        bool reused_ = false;
        bool response_started_ = false;
        std::chrono::steady_clock::duration delay_{0};
    };

    /// Expect `method` on `path` (e.g. "/v1/pets/42"). Unless told otherwise, answers 200 without body.
    expectation& expect(http_method method, std::string path)
    {
        std::lock_guard lock(mutex_);
        auto& e = *expectations_.emplace_back(std::make_unique<expectation>());
        e.method_ = method;
        e.path_ = std::move(path);
        e.respond(200);
        return e;
    }
    /// Expect any request.
    expectation& expect_any()
    {
        std::lock_guard lock(mutex_);
        auto& e = *expectations_.emplace_back(std::make_unique<expectation>());
        e.any_ = true;
        e.respond(200);
        return e;
    }

    /// Every request received so far, in order.
    [[nodiscard]] std::vector<recorded_request> requests() const
    {
        std::lock_guard lock(mutex_);
        return requests_;
    }
    [[nodiscard]] std::size_t request_count() const
    {
        std::lock_guard lock(mutex_);
        return requests_.size();
    }
    /// Uses left over all expectations.
    [[nodiscard]] std::size_t remaining() const
    {
        std::lock_guard lock(mutex_);
        std::size_t n = 0;
        for (const auto& e : expectations_)
            n += e->uses_;
        return n;
    }
    [[nodiscard]] bool all_consumed() const { return remaining() == 0; }
    /// Descriptions of requests no expectation matched.
    [[nodiscard]] std::vector<std::string> unexpected() const
    {
        std::lock_guard lock(mutex_);
        return unexpected_;
    }

    boost::asio::awaitable<transport_result> send(const origin& to, http_request& request,
                                                  const attempt_limits& limits) override;

private:
    mutable std::mutex mutex_;
    std::deque<std::unique_ptr<expectation>> expectations_;
    std::vector<recorded_request> requests_;
    std::vector<std::string> unexpected_;
};

} // namespace specbound::testing

#if !defined(SPECBOUND_SEPARATE_COMPILATION)
#include <specbound/impl/mock_transport.ipp>
#endif
