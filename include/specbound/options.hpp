// Everything a client can be configured with.
#pragma once

#include <specbound/auth.hpp>
#include <specbound/http/transport_options.hpp>
#include <specbound/logging.hpp>
#include <specbound/middleware.hpp>
#include <specbound/retry.hpp>
#include <specbound/transport.hpp>

#include <chrono>
#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace specbound {

struct timeout_options {
    std::chrono::milliseconds connect{10000};
    std::chrono::milliseconds attempt{30000};  // one request/response exchange
    std::chrono::milliseconds overall{0};      // across all attempts and backoff waits; 0: none
};

/// Following 3xx answers (301, 302, 303, 307, 308). 303 continues as GET without a body; the
/// others keep method and body, and are followed only for requests that may be sent again
/// (idempotent methods, or a call carrying an idempotency key); otherwise, and when `follow` is
/// off, the 3xx ends the call as an api_error whose headers() hold its Location. A status the
/// operation declares (e.g. a 302 that hands out a download URL) is its response, never followed.
/// Crossing to another origin drops every credential: Authorization, Proxy-Authorization, Cookie,
/// the API's apiKey headers and query parameters, and the headers listed in log_options::redact_headers.
struct redirect_options {
    bool follow = true;
    int max_redirects = 5;
    /// Follow a redirect from https to http. Off: such a redirect is a redirect_error.
    bool allow_https_to_http = false;
};

struct client_options {
    /// Overrides the spec's first server URL; its path is kept as the base path ("https://h/v2").
    std::string base_url{};
    /// The wire. Empty: a Beast transport (TCP/TLS, pooled) on the client's executor.
    std::shared_ptr<specbound::transport> transport{};
    /// Options of the default Beast transport (TLS trust, proxies, pool); unused when `transport` is set.
    http::transport_options http_transport{};
    std::vector<credential> credentials{};
    timeout_options timeouts{};
    retry_options retry{};
    redirect_options redirects{};
    std::size_t body_limit = 64 * 1024 * 1024;
    /// Empty optional: "specbound/<version> <api name>/<api version>". An empty string sends none.
    std::optional<std::string> user_agent{};
    /// Sent with every request unless the request sets the field itself.
    std::vector<std::pair<std::string, std::string>> default_headers{};
    std::vector<middleware> middlewares{};
    std::vector<call_hooks> hooks{};
    log_options logging{};

    template <credential_type C>
    client_options& with(C&& c) &
    {
        credentials.emplace_back(std::forward<C>(c));
        return *this;
    }
    template <credential_type C>
    client_options&& with(C&& c) &&
    {
        credentials.emplace_back(std::forward<C>(c));
        return std::move(*this);
    }
};

/// Options holding the given credentials; what generated facades call for `client(ex, creds...)`.
template <credential_type... C>
client_options make_options(C&&... c)
{
    client_options o;
    (o.credentials.emplace_back(std::forward<C>(c)), ...);
    return o;
}

} // namespace specbound
