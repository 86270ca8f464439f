// Middleware: an ordered chain around each attempt, and hooks around the whole call.
//
//   options.middlewares.push_back(
//       [](const specbound::attempt_info& info, specbound::http_request& req, specbound::next_layer next)
//           -> boost::asio::awaitable<specbound::transport_result> {
//           req.set("x-trace", "1");                     // modify the request
//           auto r = co_await next(req);                 // run the rest of the chain and the transport
//           if (!r.ec && r.response.result_int() == 418) // observe or replace the response/error
//               r.response.result(200);
//           co_return r;
//       });
//
// The first middleware is the outermost. Each attempt (retries included, with `info.attempt`
// counting from 1) runs the whole chain; credentials, User-Agent and the idempotency key are
// already on the request. A middleware may skip `next` and answer by itself.
#pragma once

#include <specbound/descriptor.hpp>
#include <specbound/error.hpp>
#include <specbound/transport.hpp>

#include <boost/asio/awaitable.hpp>
#include <boost/system/error_code.hpp>

#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <string_view>
#include <vector>

namespace specbound {

/// What an attempt is about. Views stay valid for the attempt.
struct attempt_info {
    std::string_view operation_id;
    http_method method;
    std::string_view path_template;
    int attempt; // 1-based
    const origin* to;
    const attempt_limits* limits;
};

class next_layer;

using middleware =
    std::function<boost::asio::awaitable<transport_result>(const attempt_info&, http_request&, next_layer)>;

/// The rest of the chain: the following middlewares, then the transport.
class next_layer {
public:
    next_layer(const std::vector<middleware>& chain, std::size_t index, transport& t, const attempt_info& info)
        : chain_(&chain), index_(index), transport_(&t), info_(&info)
    {
    }

    boost::asio::awaitable<transport_result> operator()(http_request& request) const
    {
        if (index_ >= chain_->size())
            return transport_->send(*info_->to, request, *info_->limits);
        return (*chain_)[index_](*info_, request, next_layer{*chain_, index_ + 1, *transport_, *info_});
    }

private:
    const std::vector<middleware>* chain_;
    std::size_t index_;
    transport* transport_;
    const attempt_info* info_;
};

/// What a call is about.
struct call_info {
    std::string_view operation_id;
    http_method method;
    std::string_view path_template;
};

/// A retry about to happen, after attempt `attempt` failed.
struct retry_event {
    int attempt;                    // the attempt that failed, 1-based
    std::chrono::milliseconds delay;
    std::string_view reason;
    int status;                     // 0 when the attempt failed below HTTP
    boost::system::error_code ec;   // set when the attempt failed below HTTP
};

/// How a call ended.
struct call_summary {
    int attempts;
    int status;                                 // last HTTP status, 0 if none
    std::chrono::steady_clock::duration elapsed;
    std::shared_ptr<const error> failure;        // null on success
};

struct call_hooks {
    std::function<void(const call_info&)> on_start{};
    std::function<void(const call_info&, const retry_event&)> on_retry{};
    std::function<void(const call_info&, const call_summary&)> on_finish{};
};

/// Built-in: reports the duration of every attempt.
inline middleware timing_middleware(
    std::function<void(const attempt_info&, std::chrono::steady_clock::duration, const transport_result&)> report)
{
    return [report = std::move(report)](const attempt_info& info, http_request& req,
                                        next_layer next) -> boost::asio::awaitable<transport_result> {
        auto start = std::chrono::steady_clock::now();
        transport_result r = co_await next(req);
        report(info, std::chrono::steady_clock::now() - start, r);
        co_return r;
    };
}

} // namespace specbound
