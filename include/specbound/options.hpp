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
