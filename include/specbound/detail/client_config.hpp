// What every call of one client reads: the options, checked once at construction, and what is
// derived from them (base URL: client_options::base_url, else the chosen server; User-Agent, redaction, the shared OAuth2 token states). No I/O.
#pragma once

#include <specbound/auth.hpp>
#include <specbound/descriptor.hpp>
#include <specbound/detail/oauth2.hpp>
#include <specbound/detail/param_style.hpp>
#include <specbound/detail/request_builder.hpp>
#include <specbound/detail/server_url.hpp>
#include <specbound/detail/text.hpp>
#include <specbound/error.hpp>
#include <specbound/logging.hpp>
#include <specbound/options.hpp>
#include <specbound/version.hpp>

#include <cstdint>
#include <random>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace specbound::detail {

/// Throws invalid_argument_error when `value` cannot be the value of header `what`.
inline void require_field_value(std::string_view what, std::string_view value)
{
    if (const char* why = field_value_problem(value))
        throw invalid_argument_error(std::string(what) + " " + why);
}

inline void require_field_name(std::string_view what, std::string_view name)
{
    if (!valid_field_name(name))
        throw invalid_argument_error(std::string(what) + " '" + std::string(name.substr(0, 64)) +
                                     "' is not a valid header field name");
}

/// Whether `name` is a field that frames the message or the connection: set by the client and the
/// transport only, since a second Content-Length or Transfer-Encoding from a user value would let
/// one request be read as two.
inline bool framing_field(std::string_view name) noexcept
{
    using namespace std::string_view_literals;
    for (std::string_view f : {"host"sv, "content-length"sv, "transfer-encoding"sv, "connection"sv, "te"sv,
                               "trailer"sv, "upgrade"sv, "keep-alive"sv})
        if (iequals(name, f))
            return true;
    return false;
}

/// Why a header the user adds (default or per call) cannot be sent, or "".
inline std::string added_header_problem(std::string_view what, std::string_view name, std::string_view value)
{
    if (!valid_field_name(name))
        return std::string(what) + " '" + std::string(name.substr(0, 64)) + "' is not a valid header field name";
    if (framing_field(name))
        return std::string(what) + " '" + std::string(name) + "' is set by the client, not by the caller";
    if (const char* why = field_value_problem(value))
        return std::string(what) + " '" + std::string(name) + "' " + why;
    return {};
}

/// Refuses at construction every configured value that would go into a header unencoded and could
/// end the field early (CR, LF, NUL...) or overflow it: a credential read from a file with its
/// trailing newline must not split the request it is sent with.
inline void check_options(const client_options& o, std::span<const security_scheme> schemes)
{
    for (const credential& c : o.credentials) {
        if (const auto* b = std::get_if<bearer_token>(&c)) {
            require_field_value("bearer token", "Bearer " + b->token);
        } else if (const auto* a = std::get_if<api_key>(&c)) {
            require_field_value("API key", a->value);
        } else if (const auto* ba = std::get_if<basic_auth>(&c)) {
            if (ba->user.find(':') != std::string::npos)
                throw invalid_argument_error("basic auth user contains ':' (RFC 7617)");
            require_field_value("basic auth user", ba->user);
            require_field_value("basic auth password", ba->password);
        }
    }
    for (const auto& s : schemes)
        if (s.kind == security_scheme_kind::api_key_header)
            require_field_name("API key header", s.parameter_name);
    for (const auto& [name, value] : o.default_headers)
        if (std::string why = added_header_problem("default header", name, value); !why.empty())
            throw invalid_argument_error(why);
    if (o.user_agent)
        require_field_value("User-Agent", *o.user_agent);
    if (o.retry.idempotency_keys)
        require_field_name("idempotency header", o.retry.idempotency_header);
    if (o.compression.request_level < -1 || o.compression.request_level > 9)
        throw invalid_argument_error("compression.request_level must be -1 or 1..9");
    if (o.redirects.max_redirects < 0)
        throw invalid_argument_error("redirects.max_redirects must not be negative");
}

/// The configured secrets as they may appear in a logged header or target: raw, percent-encoded,
/// and basic credentials as sent.
inline std::vector<std::string> secret_values(const client_options& o)
{
    std::vector<std::string> out;
    auto add = [&](const std::string& v) {
        if (v.empty())
            return;
        out.push_back(v);
        if (std::string encoded = pct(v); encoded != v)
            out.push_back(std::move(encoded));
    };
    for (const credential& c : o.credentials) {
        if (const auto* b = std::get_if<bearer_token>(&c)) {
            add(b->token);
        } else if (const auto* a = std::get_if<api_key>(&c)) {
            add(a->value);
        } else if (const auto* ba = std::get_if<basic_auth>(&c)) {
            add(ba->password);
            add(base64_encode(ba->user + ":" + ba->password));
        } else if (const auto* oc = std::get_if<oauth2_client_credentials>(&c)) {
            add(oc->client_secret);
        }
    }
    return out;
}

/// The per-call settings checked when a call starts: the error that ends it, or null.
inline std::shared_ptr<const error> check_call_options(const call_options& o, const retry_options& retry,
                                                       const std::string& context)
{
    auto refuse = [&](const std::string& why) { return std::make_shared<invalid_argument_error>(context + ": " + why); };
    for (const auto& [name, value] : o.headers)
        if (std::string why = added_header_problem("call header", name, value); !why.empty())
            return refuse(why);
    if (o.max_retries && *o.max_retries < 0)
        return refuse("call_options::max_retries must not be negative");
    if (o.body_limit && *o.body_limit == 0)
        return refuse("call_options::body_limit must be positive");
    if ((o.attempt_timeout && o.attempt_timeout->count() <= 0) || (o.timeout && o.timeout->count() < 0))
        return refuse("call_options timeouts must be positive");
    if (o.idempotency_key) {
        if (retry.idempotency_header.empty() || !valid_field_name(retry.idempotency_header))
            return refuse("an idempotency key needs retry_options::idempotency_header to name a header field");
        if (o.idempotency_key->empty())
            return refuse("the idempotency key is empty");
        if (const char* why = field_value_problem(*o.idempotency_key))
            return refuse(std::string("the idempotency key ") + why);
    }
    return nullptr;
}

struct client_config {
    client_config(const api_description& a, client_options o)
        : api(a), options(std::move(o)), redact(a.security_schemes, options.logging),
          oauth(options.credentials.size()), rng(std::random_device{}())
    {
        check_options(options, api.security_schemes);
        base = client_base(api, options);
        if (options.user_agent)
            user_agent = *options.user_agent;
        else
            user_agent = "specbound/" + std::string(version_string) + " " + std::string(api.name) + "/" +
                         std::string(api.version);
        require_field_value("User-Agent", user_agent);
        redact.secrets = secret_values(options);
    }

    api_description api;
    client_options options;
    base_url base;
    std::string user_agent;
    redaction redact;
    std::vector<oauth2_token_state> oauth; // indexed like options.credentials
    std::mt19937_64 rng;                   // seeds each call's retry policy; used on the strand only

    [[nodiscard]] bool logs(log_level l) const noexcept { return options.logging.sink && l >= options.logging.level; }
    void log(log_level l, std::string_view text) const
    {
        if (logs(l))
            options.logging.sink(l, text);
    }
};

} // namespace specbound::detail
