// Everything a client can be configured with.
#pragma once

#include <specbound/auth.hpp>
#include <specbound/http/transport_options.hpp>
#include <specbound/logging.hpp>
#include <specbound/middleware.hpp>
#include <specbound/retry.hpp>
#include <specbound/transport.hpp>

#include <any>
#include <chrono>
#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <typeindex>
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

/// Answers calls in place of the wire, by operation and typed request: what testing::fake
/// implements. The client asks it first; an empty answer means "no handler", and the call fails
/// as an unexpected call (std::logic_error naming the operation).
class call_interceptor {
public:
    virtual ~call_interceptor() = default;
    /// `request` points to the call's Op::request_type; a non-empty answer holds a
    /// result<Op::response_type>. `context` names the operation ("listPets (GET /pets)").
    virtual std::any answer(std::type_index op, const void* request, const std::string& context) = 0;
};

/// Which of the spec's servers a client calls, and the values of its URL variables; resolved when
/// the client is constructed. Left empty: the first server with its variables' defaults.
///   specbound::server_choice{.index = 1, .variables = {{"region", "eu"}}}
///   specbound::server_choice{.description = "Staging"}
/// A value outside a variable's `enum`, a variable the server does not declare, an index past the
/// spec's servers, a description no server has, or both index and description: invalid_argument_error
/// at construction. The variables also fill an operation's own servers where their names match.
struct server_choice {
    std::optional<std::size_t> index{};  // into the spec's servers[] (api_description::servers)
    std::string description{};           // the server whose description is exactly this
    std::vector<std::pair<std::string, std::string>> variables{}; // name, value (unencoded)
};

/// Content-Encoding. Responses: `Accept-Encoding: gzip, deflate` is sent unless the request sets
/// it, and a gzip or deflate body is decoded before anything reads it; its decoded size counts
/// against body_limit, so a small body that inflates without end stops there (body_too_large).
/// A coding the client cannot decode, or a corrupt body, is a decode_error (client_errc::content_encoding).
struct compression_options {
    bool accept_compressed = true;
    /// gzip request bodies of at least `request_min_size` bytes (Content-Encoding: gzip). Off by
    /// default: a server must accept compressed requests, and many do not.
    bool compress_requests = false;
    std::size_t request_min_size = 1024;
    int request_level = -1; // zlib's: 1 (fast) .. 9 (small); -1 its default (6)
};

/// Checking values against their schemas' constraints (minLength, maxLength, pattern, minimum,
/// maximum and their exclusive forms, multipleOf, minItems, maxItems, uniqueItems, enum). Off by
/// default: the server validates anyway, and a spec's constraints are not always the server's.
/// A request value that breaks one ends the call with a validation_error before anything is sent
/// (no middleware, hook, fake or transport sees it); a decoded 2xx body that breaks one ends it
/// with a validation_error whose is_response() is true. The first violation found is reported.
/// See <specbound/validation.hpp>.
struct validation_options {
    bool requests = false;
    bool responses = false;
};

struct client_options {
    /// Overrides the spec's servers, `server` and every operation's own servers; its path is kept
    /// as the base path ("https://h/v2").
    std::string base_url{};
    /// Which of the spec's servers, with which variables (unless base_url is set).
    server_choice server{};
    /// The wire. Empty: a Beast transport (TCP/TLS, pooled) on the client's executor.
    std::shared_ptr<specbound::transport> transport{};
    /// Typed answers instead of the wire (testing::fake): calls it answers send nothing and run
    /// no middleware, hook or retry.
    std::shared_ptr<call_interceptor> interceptor{};
    /// Options of the default Beast transport (TLS trust, proxies, pool); unused when `transport` is set.
    http::transport_options http_transport{};
    std::vector<credential> credentials{};
    timeout_options timeouts{};
    retry_options retry{};
    redirect_options redirects{};
    /// Largest response body, after decompression.
    std::size_t body_limit = 64 * 1024 * 1024;
    compression_options compression{};
    /// Empty optional: "specbound/<version> <api name>/<api version>". An empty string sends none.
    std::optional<std::string> user_agent{};
    /// Sent with every request unless the request sets the field itself.
    std::vector<std::pair<std::string, std::string>> default_headers{};
    std::vector<middleware> middlewares{};
    std::vector<call_hooks> hooks{};
    log_options logging{};
    /// Checking request (and response) values against the spec's constraints; off by default.
    validation_options validation{};

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

/// Settings of one call, passed beside the request: `api.list_pets(req, opts)`,
/// `api.try_list_pets(req, opts, specbound::blocking)`. What is left empty keeps the client's.
/// Checked when the call starts: a bad value ends the call with invalid_argument_error.
struct call_options {
    /// One request/response exchange (client: timeouts.attempt).
    std::optional<std::chrono::milliseconds> attempt_timeout{};
    /// The whole call, across attempts and backoff waits (client: timeouts.overall); 0: none.
    std::optional<std::chrono::milliseconds> timeout{};
    /// An absolute end for the whole call; with `timeout` too, the earlier one counts.
    std::optional<std::chrono::steady_clock::time_point> deadline{};
    /// Retries after the first attempt (client: retry.max_retries); 0: no retry.
    std::optional<int> max_retries{};
    /// The most response body bytes this call takes, counted after decompression (client:
    /// body_limit; a download into a body_sink has no limit unless this sets one).
    std::optional<std::size_t> body_limit{};
    /// Set on the request, replacing a field of the same name (a default header, a header
    /// parameter). The client's credentials are applied after them. Fields that frame the message
    /// (Host, Content-Length, Transfer-Encoding, Connection, TE, Trailer, Upgrade, Keep-Alive) are refused.
    std::vector<std::pair<std::string, std::string>> headers{};
    /// Appended to the query (percent-encoded here: pass them unencoded).
    std::vector<std::pair<std::string, std::string>> query{};
    /// Sent in retry.idempotency_header (Idempotency-Key) on every attempt. It makes the call safe to
    /// send again, so a POST or PATCH carrying it is retried like an idempotent request, even when
    /// the client does not generate keys itself.
    std::optional<std::string> idempotency_key{};
    /// Another server for this call only ("https://eu.example.com/v2"), checked like
    /// client_options::base_url, which it overrides, as it does the operation's own servers. The
    /// client's credentials go to it: it is the call's origin.
    std::string base_url{};
    /// Constraint checks for this call, in place of client_options::validation.
    std::optional<validation_options> validation{};
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
