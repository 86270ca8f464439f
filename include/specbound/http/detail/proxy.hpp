// Proxy selection: which proxy (if any) a target goes through, and its credentials.
#pragma once

#include <specbound/detail/text.hpp>
#include <specbound/http/transport_options.hpp>

#include <boost/url/parse.hpp>
#include <boost/url/url_view.hpp>

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <cstdlib>
#include <optional>
#include <string>
#include <string_view>

namespace specbound::http::detail {

/// A parsed proxy URL. `authorization` is the ready "Basic ..." value, empty without credentials.
struct proxy_endpoint {
    std::string host;
    std::uint16_t port = 0;
    std::string authorization;
};

using specbound::detail::ascii_lower;
using specbound::detail::base64_encode;
using specbound::detail::trim_ows;

/// Parses "http://[user:pass@]host[:port]" (a bare "host:port" is accepted as http).
/// Returns nullopt for anything else: a proxy we cannot honour must not be silently skipped,
/// so the caller reports proxy_failed.
inline std::optional<proxy_endpoint> parse_proxy_url(std::string_view text)
{
    std::string owned(trim_ows(text));
    if (owned.find("://") == std::string::npos)
        owned.insert(0, "http://");
    auto parsed = boost::urls::parse_uri(owned);
    if (!parsed)
        return std::nullopt;
    const boost::urls::url_view& u = *parsed;
    if (ascii_lower(u.scheme()) != "http" || !u.has_authority())
        return std::nullopt;

    proxy_endpoint ep;
    if (u.host_type() == boost::urls::host_type::ipv6) {
        ep.host = u.encoded_host_address(); // without brackets, as the resolver wants it
    } else {
        ep.host = u.host();
    }
    if (ep.host.empty())
        return std::nullopt;
    if (u.has_port()) {
        // port_number() wraps large values; check the digits ourselves.
        const std::string_view digits = u.port();
        if (digits.empty() || digits.size() > 5)
            return std::nullopt;
        unsigned long value = 0;
        for (char c : digits)
            value = value * 10 + static_cast<unsigned long>(c - '0');
        if (value == 0 || value > 65535)
            return std::nullopt;
        ep.port = static_cast<std::uint16_t>(value);
    } else {
        ep.port = 80;
    }
    if (u.has_userinfo()) {
        // RFC 7617: user-id ":" password, percent-decoded, then base64.
        std::string credentials = u.user();
        credentials += ':';
        credentials += u.password();
        ep.authorization = "Basic " + base64_encode(credentials);
    }
    return ep;
}

/// NO_PROXY semantics shared by curl and most tools: comma-separated entries, "*" matches all,
/// "example.com" matches the host and its subdomains, ".example.com" only subdomains
/// (and, as curl does, the bare domain). An optional ":port" restricts the entry to that port.
inline bool no_proxy_matches(std::string_view no_proxy, std::string_view host, std::uint16_t port)
{
    const std::string h = ascii_lower(host);
    std::string_view rest = no_proxy;
    while (!rest.empty()) {
        const auto comma = rest.find(',');
        std::string_view entry = trim_ows(rest.substr(0, comma));
        rest = comma == std::string_view::npos ? std::string_view{} : rest.substr(comma + 1);
        if (entry.empty())
            continue;
        if (entry == "*")
            return true;
        // Optional port suffix (not for bracketless IPv6 literals, which contain several ':').
        if (const auto colon = entry.rfind(':');
            colon != std::string_view::npos && entry.find(':') == colon) {
            const std::string_view port_text = entry.substr(colon + 1);
            entry = entry.substr(0, colon);
            if (!port_text.empty() && port_text != std::to_string(port))
                continue;
        }
        if (entry.size() > 1 && entry.front() == '[' && entry.back() == ']')
            entry = entry.substr(1, entry.size() - 2);
        std::string e = ascii_lower(entry);
        if (!e.empty() && e.front() == '.')
            e.erase(0, 1);
        if (e.empty())
            continue;
        if (h == e)
            return true;
        if (h.size() > e.size() && h.ends_with(e) && h[h.size() - e.size() - 1] == '.')
            return true;
    }
    return false;
}

inline std::string env_or_empty(const char* upper, const char* lower)
{
    // Lower-case first: that is what curl does, and HTTP_PROXY is unsafe in CGI contexts.
    if (const char* v = std::getenv(lower); v && *v)
        return v;
    if (const char* v = std::getenv(upper); v && *v)
        return v;
    return {};
}

/// The proxy configuration resolved once, when the transport is built.
struct proxy_config {
    std::string http_proxy, https_proxy, no_proxy;

    static proxy_config from(const proxy_options& o)
    {
        proxy_config c{o.http_proxy, o.https_proxy, o.no_proxy};
        if (o.from_environment) {
            if (c.http_proxy.empty())
                c.http_proxy = env_or_empty("HTTP_PROXY", "http_proxy");
            if (c.https_proxy.empty())
                c.https_proxy = env_or_empty("HTTPS_PROXY", "https_proxy");
            if (c.no_proxy.empty())
                c.no_proxy = env_or_empty("NO_PROXY", "no_proxy");
        }
        return c;
    }

    /// The proxy URL text for a target, empty when the target goes direct.
    std::string_view select(std::string_view scheme, std::string_view host, std::uint16_t port) const
    {
        const std::string& p = scheme == "https" ? https_proxy : http_proxy;
        if (p.empty() || no_proxy_matches(no_proxy, host, port))
            return {};
        return p;
    }
};

} // namespace specbound::http::detail
