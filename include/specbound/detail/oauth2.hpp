// OAuth2 client credentials: the token request and the parsing of its answer. Sans-I/O.
#pragma once

#include <specbound/auth.hpp>
#include <specbound/detail/param_style.hpp>
#include <specbound/detail/request_builder.hpp>
#include <specbound/error.hpp>
#include <specbound/transport.hpp>

#include <boost/beast/http/field.hpp>
#include <boost/beast/http/verb.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>
#include <boost/url/parse.hpp>

#include <chrono>
#include <string>
#include <string_view>
#include <utility>

namespace specbound::detail {

struct token_request {
    origin to;
    http_request request;
};

inline token_request make_token_request(const oauth2_client_credentials& c, std::string_view token_url)
{
    auto r = boost::urls::parse_uri(token_url);
    if (!r)
        throw auth_error("OAuth2 token URL is not an absolute URL");
    std::string_view without_query = token_url.substr(0, token_url.find('?'));
    base_url base = parse_base_url(without_query);
    token_request out;
    out.to = base.to;
    http_request& req = out.request;
    req.version(11);
    req.method(boost::beast::http::verb::post);
    std::string target = base.path.empty() ? "/" : base.path;
    if (r->has_query())
        target += "?" + std::string(r->encoded_query());
    req.target(target);
    req.set(boost::beast::http::field::host, host_header(base.to));
    req.set(boost::beast::http::field::accept, "application/json");
    req.set(boost::beast::http::field::content_type, "application/x-www-form-urlencoded");
    std::string body = "grant_type=client_credentials";
    if (!c.scopes.empty()) {
        std::string scope;
        for (const auto& s : c.scopes)
            scope += (scope.empty() ? "" : " ") + s;
        body += "&scope=" + pct(scope);
    }
    if (c.credentials_in_body) {
        body += "&client_id=" + pct(c.client_id) + "&client_secret=" + pct(c.client_secret);
    } else {
        // RFC 6749 2.3.1: id and secret are form-encoded before Basic.
        req.set(boost::beast::http::field::authorization,
                "Basic " + base64_encode(pct(c.client_id) + ":" + pct(c.client_secret)));
    }
    req.body() = std::move(body);
    req.prepare_payload();
    return out;
}

/// The token in a token endpoint's answer, or auth_error. `now` dates the expiry.
inline oauth2_token parse_token_response(const http_response& res, std::chrono::system_clock::time_point now)
{
    const int status = static_cast<int>(res.result_int());
    boost::system::error_code ec;
    boost::json::value v = boost::json::parse(res.body(), ec);
    if (status != 200) {
        std::string server;
        if (!ec && v.is_object()) {
            const auto& o = v.get_object();
            if (auto* e = o.if_contains("error"); e && e->is_string())
                server = std::string(e->get_string());
            if (auto* d = o.if_contains("error_description"); d && d->is_string())
                server += (server.empty() ? "" : ": ") + std::string(d->get_string());
        }
        throw auth_error("OAuth2 token request failed: HTTP " + std::to_string(status), status,
                         body_excerpt(server));
    }
    if (ec || !v.is_object())
        throw auth_error("OAuth2 token response is not a JSON object", status);
    const auto& o = v.get_object();
    const auto* token = o.if_contains("access_token");
    if (!token || !token->is_string() || token->get_string().empty())
        throw auth_error("OAuth2 token response has no access_token", status);
    oauth2_token out;
    out.access_token = std::string(token->get_string());
    if (const auto* t = o.if_contains("token_type"); t && t->is_string() && !t->get_string().empty())
        out.token_type = std::string(t->get_string());
    if (const auto* e = o.if_contains("expires_in")) {
        std::int64_t secs = -1;
        if (e->is_int64())
            secs = e->get_int64();
        else if (e->is_uint64() && e->get_uint64() < (1ULL << 40))
            secs = static_cast<std::int64_t>(e->get_uint64());
        else if (e->is_double() && e->get_double() >= 0 && e->get_double() < 1e12)
            secs = static_cast<std::int64_t>(e->get_double());
        else if (e->is_string())
            secs = parse_non_negative(e->get_string()).value_or(-1);
        if (secs < 0 || secs > (1LL << 40))
            throw auth_error("OAuth2 token response has an invalid expires_in", status);
        out.expires_at = now + std::chrono::seconds{secs};
    }
    return out;
}

/// When a token must be replaced: `margin` before expiry, but never sooner than half its lifetime
/// (a token that lives 30 s with a 60 s margin is still used for 15 s).
inline std::chrono::system_clock::time_point refresh_time(const oauth2_token& t, std::chrono::seconds margin,
                                                          std::chrono::system_clock::time_point obtained)
{
    if (t.expires_at == std::chrono::system_clock::time_point{})
        return std::chrono::system_clock::time_point::max();
    auto life = t.expires_at - obtained;
    auto m = std::chrono::duration_cast<std::chrono::system_clock::duration>(margin);
    if (m > life / 2)
        m = life / 2;
    return t.expires_at - m;
}

} // namespace specbound::detail
