// Logging: the client reports each call to a user-supplied sink, with secrets redacted.
//
// Redacted: values of Authorization, Proxy-Authorization, the API's apiKey headers, any header the
// user lists, values of apiKey query parameters (and listed ones) in targets, and every value in
// Cookie / Set-Cookie (names are kept). Besides, the secret values themselves (configured
// credentials, OAuth2 tokens in use) are scrubbed wherever they appear in a logged header or
// target, so a server that echoes a token in some other header does not put it in the log.
// Bodies are never logged.
#pragma once

#include <specbound/descriptor.hpp>
#include <specbound/detail/text.hpp>

#include <boost/beast/http/fields.hpp>

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <span>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace specbound {

enum class log_level : std::uint8_t { trace, debug, info, warning, error };

constexpr std::string_view to_string(log_level l) noexcept
{
    switch (l) {
    case log_level::trace: return "trace";
    case log_level::debug: return "debug";
    case log_level::info: return "info";
    case log_level::warning: return "warning";
    case log_level::error: return "error";
    }
    return "info";
}

using log_sink = std::function<void(log_level, std::string_view)>;

struct log_options {
    log_sink sink;                        // empty: no logging
    log_level level = log_level::info;    // messages below are not formatted at all
    bool headers = false;                 // request/response headers at debug level
    std::vector<std::string> redact_headers{};
    std::vector<std::string> redact_query{};
};

inline constexpr std::string_view redacted = "[redacted]";

namespace detail {

/// What to hide, gathered from the API's security schemes and the user's lists.
struct redaction {
    std::vector<std::string> headers{"authorization", "proxy-authorization"};
    std::vector<std::string> query;
    std::vector<std::string> secrets; // values scrubbed wherever they appear (credentials)

    redaction() = default;
    redaction(std::span<const security_scheme> schemes, const log_options& opts)
    {
        for (const auto& s : schemes) {
            if (s.kind == security_scheme_kind::api_key_header)
                headers.emplace_back(s.parameter_name);
            else if (s.kind == security_scheme_kind::api_key_query)
                query.emplace_back(s.parameter_name);
        }
        headers.insert(headers.end(), opts.redact_headers.begin(), opts.redact_headers.end());
        query.insert(query.end(), opts.redact_query.begin(), opts.redact_query.end());
    }

    [[nodiscard]] bool header_secret(std::string_view name) const
    {
        return std::any_of(headers.begin(), headers.end(), [&](const std::string& h) { return iequals(h, name); });
    }

    /// Cookie: "a=1; b=2" -> "a=[redacted]; b=[redacted]".
    static std::string redact_cookie(std::string_view v)
    {
        std::string out;
        while (!v.empty()) {
            std::size_t semi = v.find(';');
            std::string_view pair = v.substr(0, semi);
            std::size_t eq = pair.find('=');
            out += pair.substr(0, eq);
            if (eq != std::string_view::npos)
                out += "=" + std::string(redacted);
            if (semi == std::string_view::npos)
                break;
            out += ";";
            v.remove_prefix(semi + 1);
        }
        return out;
    }

    /// Set-Cookie: "sid=abc; Path=/" -> "sid=[redacted]; Path=/".
    static std::string redact_set_cookie(std::string_view v)
    {
        std::size_t semi = v.find(';');
        std::string_view first = v.substr(0, semi);
        std::size_t eq = first.find('=');
        std::string out(first.substr(0, eq));
        out += "=" + std::string(redacted);
        if (semi != std::string_view::npos)
            out += v.substr(semi);
        return out;
    }

    /// `text` with every occurrence of a secret value, of `secrets` or of `extra` (values known
    /// only during a call, such as an OAuth2 access token), replaced.
    [[nodiscard]] std::string scrub(std::string text, std::span<const std::string> extra = {}) const
    {
        auto scrub_one = [&](const std::string& secret) {
            if (secret.empty())
                return;
            for (std::size_t at = text.find(secret); at != std::string::npos; at = text.find(secret, at + redacted.size()))
                text.replace(at, secret.size(), redacted);
        };
        for (const auto& s : secrets)
            scrub_one(s);
        for (const auto& s : extra)
            scrub_one(s);
        return text;
    }

    [[nodiscard]] std::string header_value(std::string_view name, std::string_view value,
                                           std::span<const std::string> extra = {}) const
    {
        if (iequals(name, "cookie"))
            return redact_cookie(value);
        if (iequals(name, "set-cookie"))
            return redact_set_cookie(value);
        if (header_secret(name))
            return std::string(redacted);
        return scrub(std::string(value), extra);
    }

    /// "Name: value" lines, one per field.
    [[nodiscard]] std::string headers_text(const boost::beast::http::fields& fields,
                                           std::span<const std::string> extra = {}) const
    {
        std::string out;
        for (const auto& f : fields) {
            out += "\n  ";
            out += f.name_string();
            out += ": ";
            out += header_value(f.name_string(), f.value(), extra);
        }
        return out;
    }

    /// A request target with the values of secret query parameters replaced.
    [[nodiscard]] std::string target(std::string_view t, std::span<const std::string> extra = {}) const
    {
        return scrub(query_redacted(t), extra);
    }

private:
    [[nodiscard]] std::string query_redacted(std::string_view t) const
    {
        std::size_t q = t.find('?');
        if (q == std::string_view::npos)
            return std::string(t);
        std::string out(t.substr(0, q + 1));
        std::string_view rest = t.substr(q + 1);
        bool first = true;
        while (true) {
            std::size_t amp = rest.find('&');
            std::string_view pair = rest.substr(0, amp);
            std::size_t eq = pair.find('=');
            std::string_view key = pair.substr(0, eq);
            if (!first)
                out += '&';
            first = false;
            bool secret = std::any_of(query.begin(), query.end(), [&](const std::string& s) { return iequals(s, key); });
            if (secret && eq != std::string_view::npos)
                out += std::string(key) + "=" + std::string(redacted);
            else
                out += pair;
            if (amp == std::string_view::npos)
                break;
            rest.remove_prefix(amp + 1);
        }
        return out;
    }
};

} // namespace detail
} // namespace specbound
