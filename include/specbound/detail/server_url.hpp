// The spec's servers made base URLs: which server client_options::server chooses, its URL
// template filled in with the variables' values, and the result checked like any base URL. No I/O.
#pragma once

#include <specbound/descriptor.hpp>
#include <specbound/detail/request_builder.hpp>
#include <specbound/error.hpp>
#include <specbound/options.hpp>
#include <specbound/result.hpp>

#include <boost/url/encode.hpp>
#include <boost/url/parse.hpp>
#include <boost/url/rfc/sub_delim_chars.hpp>
#include <boost/url/rfc/unreserved_chars.hpp>
#include <boost/url/url.hpp>

#include <algorithm>
#include <cstddef>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace specbound::detail {

using server_variables = std::vector<std::pair<std::string, std::string>>;

/// An operation's own servers (Op::servers); none for descriptors written without them.
template <class Op>
constexpr std::span<const server> operation_servers() noexcept
{
    if constexpr (requires { Op::servers; })
        return Op::servers;
    else
        return {};
}

/// "'https://{region}.example.com' (Production)": a server as messages name it.
inline std::string server_name(const server& s)
{
    std::string out = "server '" + std::string(s.url) + "'";
    if (!s.description.empty())
        out += " (" + std::string(s.description) + ")";
    return out;
}

/// The server's URL with each {variable} replaced by its value in `values`, else its default.
/// A value must be one of the variable's enum values, if it has some. `strict` (the server the
/// user chose): a name in `values` the server does not declare is an error; otherwise (an
/// operation's own server) such names belong to other servers and are skipped. Values are
/// percent-encoded but for ':' and '/', so that a host:port or a base path ("/api/v3") stays one,
/// while a '?', '#', '@' or '%' cannot add a query, fragment or user info.
inline result<std::string> server_url(const server& s, const server_variables& values, bool strict)
{
    auto refuse = [&](const std::string& why) { return std::make_shared<invalid_argument_error>(server_name(s) + ": " + why); };
    auto declared = [&](std::string_view name) {
        return std::find_if(s.variables.begin(), s.variables.end(), [&](const server_variable& v) { return v.name == name; });
    };
    for (const auto& [name, value] : values) {
        const auto v = declared(name);
        if (v == s.variables.end()) {
            if (!strict)
                continue;
            std::string known;
            for (const server_variable& d : s.variables)
                known += (known.empty() ? "" : ", ") + std::string(d.name);
            return refuse("has no variable '" + name + "' (" + (known.empty() ? "it has none" : "it has: " + known) + ")");
        }
        if (!v->enum_values.empty() &&
            std::find(v->enum_values.begin(), v->enum_values.end(), value) == v->enum_values.end()) {
            std::string allowed;
            for (std::string_view e : v->enum_values)
                allowed += (allowed.empty() ? "" : ", ") + std::string(e);
            return refuse("variable '" + name + "' must be one of " + allowed + ", not '" + value + "'");
        }
    }
    static constexpr auto kept = boost::urls::unreserved_chars + boost::urls::sub_delim_chars + ':' + '/';
    const std::string_view url = s.url;
    std::string out;
    for (std::size_t i = 0; i < url.size(); ++i) {
        if (url[i] != '{') {
            out += url[i];
            continue;
        }
        const std::size_t close = url.find('}', i);
        if (close == std::string_view::npos)
            return refuse("unbalanced '{'");
        const std::string_view name = url.substr(i + 1, close - i - 1);
        const auto v = declared(name);
        if (v == s.variables.end())
            return refuse("{" + std::string(name) + "} is not a declared variable");
        // The last value given for a name wins, as with repeated assignments.
        std::string_view value = v->default_value;
        for (const auto& [n, given] : values)
            if (n == name)
                value = given;
        out += boost::urls::encode(value, kept);
        i = close;
    }
    return out;
}

/// A server URL as a base URL: absolute, or relative ("/v2", which OpenAPI allows) resolved
/// against `relative_to` (RFC 3986) when given; a relative URL without it is an error.
inline result<base_url> server_base(std::string_view url, const base_url* relative_to)
{
    auto reference = boost::urls::parse_uri_reference(url);
    if (!reference || reference->has_scheme() || !relative_to)
        return try_parse_base_url(url);
    boost::urls::url base;
    base.set_scheme(relative_to->to.scheme);
    base.set_host_address(relative_to->to.host);
    base.set_port_number(relative_to->to.port);
    base.set_encoded_path(relative_to->path.empty() ? "/" : relative_to->path);
    boost::urls::url resolved;
    if (!boost::urls::resolve(base, *reference, resolved))
        return std::make_shared<invalid_argument_error>("the server URL '" + std::string(url) + "' cannot be resolved");
    return try_parse_base_url(std::string_view(resolved.buffer()));
}

/// The server client_options::server chooses: by index, by description, else the first; null
/// when the API declares none. Throws invalid_argument_error for a choice no server answers.
inline const server* chosen_server(std::span<const server> servers, const server_choice& choice)
{
    if (choice.index && !choice.description.empty())
        throw invalid_argument_error("client_options::server: set index or description, not both");
    if (choice.index) {
        if (*choice.index >= servers.size())
            throw invalid_argument_error("client_options::server: index " + std::to_string(*choice.index) +
                                         " is past the API's " + std::to_string(servers.size()) + " servers");
        return &servers[*choice.index];
    }
    if (!choice.description.empty()) {
        const auto s = std::find_if(servers.begin(), servers.end(),
                                    [&](const server& c) { return c.description == choice.description; });
        if (s == servers.end()) {
            std::string known;
            for (const server& c : servers)
                if (!c.description.empty())
                    known += (known.empty() ? "" : ", ") + ("'" + std::string(c.description) + "'");
            throw invalid_argument_error("client_options::server: no server is described as '" + choice.description +
                                         "' (" + (known.empty() ? "none has a description" : "there are " + known) + ")");
        }
        return &*s;
    }
    if (servers.empty()) {
        if (!choice.variables.empty())
            throw invalid_argument_error("client_options::server: the API declares no servers, so no variable '" +
                                         choice.variables.front().first + "'");
        return nullptr;
    }
    return &servers.front();
}

/// The URL of the client's chosen server (api.default_server when the API lists no servers).
/// Throws invalid_argument_error for a bad choice.
inline std::string chosen_server_url(const api_description& api, const server_choice& choice)
{
    const server* s = chosen_server(api.servers, choice);
    if (!s)
        return std::string(api.default_server);
    result<std::string> url = server_url(*s, choice.variables, true);
    if (!url)
        throw invalid_argument_error(std::string("client_options::server: ") + url.error()->what());
    return std::move(*url);
}

/// The client's server: client_options::base_url, else the chosen server. Throws
/// invalid_argument_error, for a bad choice even when base_url replaces it: it is a mistake all the same.
inline base_url client_base(const api_description& api, const client_options& o)
{
    const std::string chosen = chosen_server_url(api, o.server);
    if (!o.base_url.empty())
        return parse_base_url(o.base_url); // not echoed: it is the user's and could hold a secret
    result<base_url> b = try_parse_base_url(chosen);
    if (!b && !chosen.empty())
        throw invalid_argument_error("the server URL '" + chosen + "': " + b.error()->what());
    return std::move(b).value();
}

} // namespace specbound::detail
