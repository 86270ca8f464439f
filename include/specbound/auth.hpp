// Credentials, and which of them an operation gets.
//
// Each credential type satisfies scheme kinds from components.securitySchemes:
//   bearer_token               http bearer, oauth2 and openIdConnect (a token you obtained yourself)
//   api_key                    apiKey in header, query or cookie (name from the scheme)
//   basic_auth                 http basic
//   oauth2_client_credentials  oauth2: the client fetches a token from the scheme's tokenUrl (POST,
//                              form-encoded, client authenticated with HTTP Basic unless
//                              `credentials_in_body`), caches it, refreshes it `refresh_margin`
//                              before expiry and once when the API answers 401; concurrent calls
//                              share one refresh. `load_token` / `store_token` persist tokens.
// Set `scheme` to bind a credential to one named scheme when an API has several of a kind.
//
// For each call the client picks the first security requirement of the operation whose schemes
// are all satisfied by configured credentials. A requirement `{}` (anonymous allowed) is used only
// when no other one is satisfied; an operation without security gets no credentials. When nothing
// is satisfied the request goes without credentials and the server's 401 surfaces as
// unauthorized_error.
#pragma once

#include <specbound/descriptor.hpp>
#include <specbound/detail/text.hpp>

#include <chrono>
#include <cstddef>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

namespace specbound {

struct bearer_token {
    std::string token;
    std::string scheme{}; // empty: any scheme it satisfies
};

struct api_key {
    std::string value;
    std::string scheme{};
};

struct basic_auth {
    std::string user;
    std::string password;
    std::string scheme{};
};

struct oauth2_token {
    std::string access_token;
    std::chrono::system_clock::time_point expires_at{}; // epoch: no known expiry
    std::string token_type = "Bearer";
};

struct oauth2_client_credentials {
    std::string client_id;
    std::string client_secret;
    std::vector<std::string> scopes{};
    std::string token_url{}; // empty: the scheme's tokenUrl
    bool credentials_in_body = false;
    std::chrono::seconds refresh_margin{60};
    /// Called once before the first token request; return a saved token to skip it.
    std::function<std::optional<oauth2_token>()> load_token{};
    /// Called with every new token.
    std::function<void(const oauth2_token&)> store_token{};
    std::string scheme{};
};

using credential = std::variant<bearer_token, api_key, basic_auth, oauth2_client_credentials>;

template <class T>
concept credential_type = std::is_same_v<std::remove_cvref_t<T>, bearer_token> ||
                          std::is_same_v<std::remove_cvref_t<T>, api_key> ||
                          std::is_same_v<std::remove_cvref_t<T>, basic_auth> ||
                          std::is_same_v<std::remove_cvref_t<T>, oauth2_client_credentials> ||
                          std::is_same_v<std::remove_cvref_t<T>, credential>;

namespace detail {

inline const std::string& credential_scheme(const credential& c)
{
    return std::visit([](const auto& v) -> const std::string& { return v.scheme; }, c);
}

inline bool satisfies(const credential& c, const security_scheme& s)
{
    const std::string& bound = credential_scheme(c);
    if (!bound.empty() && bound != s.name)
        return false;
    using k = security_scheme_kind;
    switch (c.index()) {
    case 0: return s.kind == k::http_bearer || s.kind == k::oauth2 || s.kind == k::open_id_connect;
    case 1: return s.kind == k::api_key_header || s.kind == k::api_key_query || s.kind == k::api_key_cookie;
    case 2: return s.kind == k::http_basic;
    case 3: return s.kind == k::oauth2;
    default: return false;
    }
}

/// One scheme of the chosen requirement and the credential (index into the options) that fills it.
struct auth_use {
    const security_scheme* scheme;
    std::size_t credential;
};

struct auth_plan {
    std::vector<auth_use> uses; // empty: send no credentials
    bool unsatisfied = false;   // the operation needs credentials that are not configured
};

inline const security_scheme* find_scheme(std::span<const security_scheme> schemes, std::string_view name)
{
    for (const auto& s : schemes)
        if (s.name == name)
            return &s;
    return nullptr;
}

inline auth_plan select_auth(std::span<const security_requirement> requirements,
                             std::span<const security_scheme> schemes, const std::vector<credential>& credentials)
{
    auth_plan plan;
    if (requirements.empty())
        return plan;
    bool anonymous_allowed = false;
    for (const auto& req : requirements) {
        std::vector<auth_use> uses;
        bool ok = true;
        bool empty = true;
        for (std::string_view name : req.schemes) {
            if (name.empty())
                continue;
            empty = false;
            const security_scheme* s = find_scheme(schemes, name);
            if (!s) {
                ok = false;
                break;
            }
            std::size_t i = 0;
            while (i < credentials.size() && !satisfies(credentials[i], *s))
                ++i;
            if (i == credentials.size()) {
                ok = false;
                break;
            }
            uses.push_back({s, i});
        }
        if (empty) {
            anonymous_allowed = true;
            continue;
        }
        if (ok) {
            plan.uses = std::move(uses);
            return plan;
        }
    }
    plan.unsatisfied = !anonymous_allowed;
    return plan;
}

} // namespace detail
} // namespace specbound
