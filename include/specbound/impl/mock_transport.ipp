// mock_transport::send: answers an attempt from the script.
// Included by <specbound/testing/mock_transport.hpp> (header-only use) or compiled once through
// <specbound/src.hpp> (SPECBOUND_SEPARATE_COMPILATION); see <specbound/detail/config.hpp>.
#pragma once

#include <specbound/testing/mock_transport.hpp>

namespace specbound::testing {

SPECBOUND_DECL boost::asio::awaitable<transport_result> mock_transport::send(const origin& to, http_request& request,
                                                                             const attempt_limits& limits)
{
    std::function<http_response(const http_request&)> reply;
    boost::system::error_code fail;
    bool request_sent = false;
    bool reused = false;
    bool response_started = false;
    std::chrono::steady_clock::duration delay{0};
    {
        std::lock_guard lock(mutex_);
        requests_.push_back({to, request, limits});
        expectation* match = nullptr;
        for (auto& e : expectations_) {
            if (e->matches(request)) {
                match = e.get();
                break;
            }
        }
        if (!match) {
            std::string text = "mock_transport: unexpected request " + std::string(request.method_string()) +
                               " " + std::string(request.target()) + "; expectations with uses left:";
            bool none = true;
            for (const auto& e : expectations_) {
                if (e->uses_ > 0) {
                    text += " [" + e->describe() + "]";
                    none = false;
                }
            }
            if (none)
                text += " none";
            unexpected_.push_back(text);
            throw std::logic_error(text);
        }
        --match->uses_;
        reply = match->reply_;
        fail = match->fail_;
        request_sent = match->request_sent_;
        reused = match->reused_;
        response_started = match->response_started_;
        delay = match->delay_;
    }

    transport_result r;
    r.connection_reused = reused;
    r.response_started = response_started;
    if (delay > std::chrono::steady_clock::duration::zero()) {
        bool times_out = delay > limits.attempt_timeout;
        boost::asio::steady_timer timer(co_await boost::asio::this_coro::executor,
                                        times_out ? limits.attempt_timeout : delay);
        boost::system::error_code ec;
        co_await timer.async_wait(boost::asio::redirect_error(boost::asio::use_awaitable, ec));
        if (ec) {
            r.ec = transport_errc::cancelled;
            r.request_sent = true;
            co_return r;
        }
        if (times_out) {
            r.ec = transport_errc::timeout;
            r.request_sent = true;
            co_return r;
        }
    }
    if (fail) {
        r.ec = fail;
        r.request_sent = request_sent;
        co_return r;
    }
    r.request_sent = true;
    r.response = reply(request);
    co_return r;
}

} // namespace specbound::testing
