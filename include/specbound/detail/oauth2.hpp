// OAuth2 client credentials: the token request and the parsing of its answer. Sans-I/O.
#pragma once

#include <specbound/auth.hpp>
#include <specbound/detail/param_style.hpp>
#include <specbound/detail/request_builder.hpp>
#include <specbound/detail/text.hpp>
#include <specbound/error.hpp>
#include <specbound/result.hpp>
#include <specbound/transport.hpp>

#include <boost/beast/http/field.hpp>
#include <boost/beast/http/verb.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>
#include <boost/url/parse.hpp>

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

namespace specbound::detail {

struct token_request {
    origin to;
    http_request request;
};

inline result<token_request> make_token_request(const oauth2_client_credentials& c, std::string_view token_url)
{
    auto r = boost::urls::parse_uri(token_url);
    if (!r)
        return std::make_shared<auth_error>("OAuth2 token URL is not an absolute URL");
    std::string_view without_query = token_url.substr(0, token_url.find('?'));
    result<base_url> parsed = try_parse_base_url(without_query);
    if (!parsed)
        return std::make_shared<auth_error>(std::string("OAuth2 token URL: ") + parsed.error()->what());
    const base_url& base = *parsed;
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

/// Whether a token from outside (a token endpoint, load_token) can go into an Authorization field.
inline std::shared_ptr<const error> check_token(const oauth2_token& t, int status)
{
    if (t.access_token.empty())
        return std::make_shared<auth_error>("OAuth2 token has no access_token", status);
    if (const char* why = field_value_problem(t.token_type + " " + t.access_token))
        return std::make_shared<auth_error>(std::string("OAuth2 token refused: its token_type or access_token ") + why,
                                            status);
    return nullptr;
}

/// The token in a token endpoint's answer, or auth_error. `now` dates the expiry.
inline result<oauth2_token> parse_token_response(const http_response& res, std::chrono::system_clock::time_point now)
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
        return std::make_shared<auth_error>("OAuth2 token request failed: HTTP " + std::to_string(status), status,
                                            body_excerpt(server));
    }
    if (ec || !v.is_object())
        return std::make_shared<auth_error>("OAuth2 token response is not a JSON object", status);
    const auto& o = v.get_object();
    const auto* token = o.if_contains("access_token");
    if (!token || !token->is_string() || token->get_string().empty())
        return std::make_shared<auth_error>("OAuth2 token response has no access_token", status);
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
            return std::make_shared<auth_error>("OAuth2 token response has an invalid expires_in", status);
        // Saturated: system_clock counts nanoseconds and ends in 2262, far short of 2^40 s from now.
        const auto room = std::chrono::duration_cast<std::chrono::seconds>(
            std::chrono::system_clock::time_point::max() - now);
        out.expires_at = std::chrono::seconds{secs} < room ? now + std::chrono::seconds{secs}
                                                           : std::chrono::system_clock::time_point::max();
    }
    if (auto bad = check_token(out, status))
        return bad;
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

/// The token of one OAuth2 credential, shared by every call of a client. One token request at a
/// time: the first call that needs a new token fetches it, the others wait for that fetch and use
/// its result. Sans-I/O: a call asks acquire(), does what it answers, and reports back.
class oauth2_token_state {
public:
    enum class next {
        use,   // token() is current
        fetch, // this call requests a token, then calls fetched()
        wait,  // another call is fetching: wait for it (see fetches_done()), then ask again
    };

    /// `stale`: a token the API just refused, replaced even if not expired.
    next acquire(const oauth2_client_credentials& cred, std::chrono::system_clock::time_point now,
                 const std::optional<std::string>& stale)
    {
        if (!loaded_) {
            loaded_ = true;
            if (cred.load_token)
                if (std::optional<oauth2_token> t = cred.load_token(); t && !check_token(*t, 0))
                    store(std::move(*t), cred.refresh_margin, now, false);
        }
        if (token_ && now < refresh_at_ && (!stale || token_->access_token != *stale))
            return next::use;
        if (fetching_)
            return next::wait;
        fetching_ = true;
        return next::fetch;
    }

    /// The fetch acquire() asked for has ended: a token, or the failure that every waiter gets too.
    void fetched(result<oauth2_token> r, const oauth2_client_credentials& cred, std::chrono::system_clock::time_point now)
    {
        fetching_ = false;
        ++fetches_done_;
        last_failure_ = r.error_ptr();
        if (r) {
            ++refreshes_;
            store(std::move(*r), cred.refresh_margin, now, true);
            if (cred.store_token)
                cred.store_token(*token_);
        }
    }

    [[nodiscard]] const oauth2_token& token() const { return *token_; }
    [[nodiscard]] bool fetching() const noexcept { return fetching_; }
    /// Fetches ended so far: a waiter compares it with the count before it waited.
    [[nodiscard]] std::uint64_t fetches_done() const noexcept { return fetches_done_; }
    /// The failure of the last fetch, null if it succeeded.
    [[nodiscard]] const std::shared_ptr<const error>& last_failure() const noexcept { return last_failure_; }
    /// Token requests that succeeded, for tests and logs.
    [[nodiscard]] std::uint64_t refreshes() const noexcept { return refreshes_; }

private:
    void store(oauth2_token t, std::chrono::seconds margin, std::chrono::system_clock::time_point now, bool obtained_now)
    {
        token_ = std::move(t);
        if (obtained_now)
            refresh_at_ = refresh_time(*token_, margin, now);
        else
            refresh_at_ = token_->expires_at == std::chrono::system_clock::time_point{}
                              ? std::chrono::system_clock::time_point::max()
                              : token_->expires_at - margin;
    }

    bool loaded_ = false; // load_token was consulted
    bool fetching_ = false;
    std::optional<oauth2_token> token_;
    std::chrono::system_clock::time_point refresh_at_{};
    std::uint64_t fetches_done_ = 0;
    std::shared_ptr<const error> last_failure_;
    std::uint64_t refreshes_ = 0;
};

} // namespace specbound::detail
