// When to retry an attempt, and how long to wait first. Sans-I/O: the client asks the policy,
// then sleeps; tests ask it directly.
//
// Defaults: 2 retries; connection errors and 408, 429, 500, 502, 503, 504 are retried; backoff is
// exponential with full jitter (uniform in [0, min(8 s, 0.5 s * 2^(n-1))] before retry n);
// Retry-After (delta-seconds or IMF-fixdate) and retry-after-ms replace the backoff when present,
// up to `max_retry_after` (60 s): a longer wait is not attempted, the 429/503 is surfaced instead.
//
// POST and PATCH are not idempotent: they are retried only when
//   - the transport proves nothing was sent (`request_sent == false`), or
//   - the call carries an idempotency key. Keys are OFF by default because a server that does not
//     implement them would execute the request twice; enable `idempotency_keys` for APIs that
//     honour the header. A key (random UUID) is generated once per call and sent on every attempt.
#pragma once

#include <specbound/descriptor.hpp>
#include <specbound/detail/retry_after.hpp>
#include <specbound/transport.hpp>

#include <boost/asio/awaitable.hpp>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <random>
#include <string>
#include <string_view>
#include <vector>

namespace specbound {

struct retry_options {
    int max_retries = 2; // retries after the first attempt; 0 disables retrying
    std::chrono::milliseconds initial_backoff{500};
    std::chrono::milliseconds max_backoff{8000};
    std::chrono::milliseconds max_retry_after{60000};
    std::vector<int> retry_statuses{408, 429, 500, 502, 503, 504};
    bool retry_connection_errors = true;
    bool idempotency_keys = false;
    std::string idempotency_header = "Idempotency-Key";
    /// Replaces the backoff wait (tests, custom clocks). Empty: an Asio steady_timer on the call's
    /// executor, cancelled with the call.
    std::function<boost::asio::awaitable<void>(std::chrono::milliseconds)> sleep;
};

struct retry_decision {
    bool retry = false;
    std::chrono::milliseconds delay{0};
    std::string_view reason; // static text, for logs: "retryable status", "Retry-After beyond cap", ...
};

/// Facts about the call a decision depends on.
struct retry_context {
    int attempt = 1; // the attempt that just finished, 1-based
    http_method method = http_method::get;
    bool has_idempotency_key = false;
};

class retry_policy {
public:
    /// `max_retries`: a call's own limit (call_options), replacing options.max_retries.
    explicit retry_policy(const retry_options& options, std::uint64_t seed = std::random_device{}(),
                          std::optional<int> max_retries = std::nullopt)
        : options_(&options), seed_(seed), max_retries_(max_retries)
    {
    }

    /// The full-jitter backoff before retry number `retry` (1-based).
    std::chrono::milliseconds backoff(int retry)
    {
        using rep = std::chrono::milliseconds::rep;
        rep cap = options_->max_backoff.count();
        rep ceiling = options_->initial_backoff.count();
        for (int i = 1; i < retry && ceiling < cap; ++i)
            ceiling *= 2;
        ceiling = std::clamp<rep>(ceiling, 0, cap);
        std::uniform_int_distribution<rep> dist(0, ceiling);
        if (!rng_)
            rng_ = std::make_unique<std::mt19937_64>(seed_); // made on first use: most calls never back off
        return std::chrono::milliseconds{dist(*rng_)};
    }

    /// After a transport failure (no response).
    retry_decision on_transport_error(const retry_context& ctx, const transport_result& r)
    {
        if (r.ec == transport_errc::cancelled)
            return {false, {}, "cancelled"};
        if (r.ec == transport_errc::body_too_large)
            return {false, {}, "response body too large"};
        if (ctx.attempt > max_retries_.value_or(options_->max_retries))
            return {false, {}, "retries exhausted"};
        if (!options_->retry_connection_errors)
            return {false, {}, "connection errors not retried"};
        if (r.request_sent && !is_idempotent(ctx.method) && !ctx.has_idempotency_key)
            return {false, {}, "non-idempotent request may have been sent"};
        return {true, backoff(ctx.attempt), "connection error"};
    }

    /// After a response. `now` is for Retry-After dates.
    retry_decision on_response(const retry_context& ctx, const http_response& res,
                               std::chrono::system_clock::time_point now = std::chrono::system_clock::now())
    {
        int status = static_cast<int>(res.result_int());
        if (std::find(options_->retry_statuses.begin(), options_->retry_statuses.end(), status) ==
            options_->retry_statuses.end())
            return {false, {}, "status not retryable"};
        if (ctx.attempt > max_retries_.value_or(options_->max_retries))
            return {false, {}, "retries exhausted"};
        // A response proves the request was processed: only idempotent requests may run again.
        if (!is_idempotent(ctx.method) && !ctx.has_idempotency_key)
            return {false, {}, "non-idempotent request without idempotency key"};
        if (auto wait = detail::parse_retry_after(res.base(), now)) {
            if (*wait > options_->max_retry_after)
                return {false, *wait, "Retry-After beyond cap"};
            return {true, *wait, "Retry-After"};
        }
        return {true, backoff(ctx.attempt), "retryable status"};
    }

    [[nodiscard]] const retry_options& options() const noexcept { return *options_; }

private:
    const retry_options* options_;
    std::uint64_t seed_;
    std::optional<int> max_retries_;
    // On the heap, made on first use: every call in flight holds a policy, and the generator's
    // 2.5 KB of state inline made each call's engine (and so its coroutine frame) over three
    // times larger: 3,608 bytes against 1,104.
    std::unique_ptr<std::mt19937_64> rng_;
};

} // namespace specbound
