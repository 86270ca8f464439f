// Building the HTTP request of one operation from its descriptor and request struct. Sans-I/O.
#pragma once

#include <specbound/descriptor.hpp>
#include <specbound/detail/param_style.hpp>
#include <specbound/detail/param_value.hpp>
#include <specbound/detail/text.hpp>
#include <specbound/error.hpp>
#include <specbound/result.hpp>
#include <specbound/json/encode.hpp>
#include <specbound/transport.hpp>
#include <specbound/types.hpp>

#include <boost/beast/http/field.hpp>
#include <boost/beast/http/verb.hpp>
#include <boost/url/parse.hpp>
#include <boost/url/url.hpp>
#include <boost/uuid/random_generator.hpp>
#include <boost/uuid/uuid_io.hpp>

#include <algorithm>
#include <stdexcept>
#include <string>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <utility>
#include <vector>

namespace specbound::detail {

/// Where every request of a client goes: the origin and the base path of the server URL.
struct base_url {
    origin to;
    std::string path; // percent-encoded, without trailing '/', "" for the root
};

/// The server URL as origin and base path, or invalid_argument_error.
inline result<base_url> try_parse_base_url(std::string_view text)
{
    auto fail = [](const char* why) { return std::make_shared<invalid_argument_error>(why); };
    auto r = boost::urls::parse_uri(text);
    if (!r)
        return fail("the server URL is not an absolute http(s) URL; set client_options::base_url");
    const boost::urls::url_view& u = *r;
    base_url out;
    out.to.scheme = ascii_lower(u.scheme());
    if (out.to.scheme != "http" && out.to.scheme != "https")
        return fail("the server URL's scheme must be http or https");
    if (u.has_userinfo())
        return fail("the server URL must not carry user info; configure basic_auth instead");
    if (u.has_query() || u.has_fragment())
        return fail("the server URL must not have a query or fragment");
    out.to.host = u.host_address();
    if (out.to.host.empty())
        return fail("the server URL has no host");
    if (u.has_port()) {
        if (u.port().empty() || u.port_number() == 0)
            return fail("the server URL has an invalid port");
        out.to.port = u.port_number();
    } else {
        out.to.port = out.to.scheme == "https" ? 443 : 80;
    }
    out.path = u.encoded_path();
    // After an authority the path is empty or starts with '/'; Boost.URL 1.81 reads
    // "https://h:84%2043/v1" as port 84 and path "%2043/v1" instead of refusing it.
    if (!out.path.empty() && out.path.front() != '/')
        return fail("the server URL has an invalid port");
    while (!out.path.empty() && out.path.back() == '/')
        out.path.pop_back();
    return out;
}

/// try_parse_base_url for client construction, where a bad URL throws.
inline base_url parse_base_url(std::string_view text)
{
    return try_parse_base_url(text).value();
}

inline std::string host_header(const origin& o)
{
    const bool default_port = (o.scheme == "https" && o.port == 443) || (o.scheme == "http" && o.port == 80);
    if (!default_port)
        return host_port(o.host, o.port);
    return o.host.find(':') != std::string::npos ? "[" + o.host + "]" : o.host;
}

inline boost::beast::http::verb to_verb(http_method m) noexcept
{
    using boost::beast::http::verb;
    switch (m) {
    case http_method::get: return verb::get;
    case http_method::put: return verb::put;
    case http_method::post: return verb::post;
    case http_method::delete_: return verb::delete_;
    case http_method::options: return verb::options;
    case http_method::head: return verb::head;
    case http_method::patch: return verb::patch;
    case http_method::trace: return verb::trace;
    }
    return verb::get;
}

/// Appends one percent-encoded pair to a request target (API keys in the query).
inline void append_query(http_request& req, std::string_view name, std::string_view value)
{
    std::string target(req.target());
    target += target.find('?') == std::string::npos ? '?' : '&';
    target += pct(name);
    target += '=';
    target += pct(value);
    req.target(target);
}

/// Sets query parameter `name` to `value`: appended, after removing any it already has.
inline void set_query(http_request& req, std::string_view name, std::string_view value)
{
    auto target = boost::urls::parse_origin_form(req.target());
    if (target && target->has_query()) {
        boost::urls::url u(*target);
        u.params().erase(name);
        if (u.params().empty())
            u.remove_query();
        req.target(u.buffer());
    }
    append_query(req, name, value);
}

/// Appends "name=value" (percent-encoded) to the Cookie header; false when the field would
/// exceed the size a header field can have.
[[nodiscard]] inline bool append_cookie(http_request& req, std::string_view pair)
{
    std::string v;
    if (auto it = req.find(boost::beast::http::field::cookie); it != req.end()) {
        v = it->value();
        v += "; ";
    }
    v += pair;
    if (v.size() > max_field_size)
        return false;
    req.set(boost::beast::http::field::cookie, v);
    return true;
}

/// "showPetById (GET /pets/{petId})", naming the operation in errors and logs; built once.
template <class Op>
const std::string& operation_context()
{
    static const std::string context = std::string(Op::operation_id) + " (" + std::string(to_string(Op::method)) +
                                       " " + std::string(Op::path) + ")";
    return context;
}

/// The declared media types of every response, for Accept.
template <class Op>
std::string accept_header_of()
{
    std::vector<std::string_view> types;
    specbound::apply([&](const auto&... r) { ((r.media_type.empty() ? void() : types.push_back(r.media_type)), ...); },
               Op::responses);
    std::string out;
    for (std::size_t i = 0; i < types.size(); ++i) {
        if (std::find(types.begin(), types.begin() + static_cast<std::ptrdiff_t>(i), types[i]) !=
            types.begin() + static_cast<std::ptrdiff_t>(i))
            continue;
        if (!out.empty())
            out += ", ";
        out += types[i];
    }
    return out;
}

/// The Accept header of `Op`, built once.
template <class Op>
const std::string& accept_header()
{
    static const std::string header = accept_header_of<Op>();
    return header;
}

// ---------------------------------------------------------------------------------------------
// Bodies

template <class T>
const T* present(const T& v)
{
    return &v;
}
template <class T>
const T* present(const std::optional<T>& v)
{
    return v ? &*v : nullptr;
}

/// application/x-www-form-urlencoded from an object model or a string map (form style, explode).
template <class T>
std::string form_urlencode(const T& v, build_status& st)
{
    std::string out;
    auto add = [&](std::string_view k, std::string_view val) {
        if (!out.empty())
            out += '&';
        out += pct(k);
        out += '=';
        out += pct(val);
    };
    if constexpr (json::object_model<T>) {
        // Arrays are repeated keys; walk the fields again so array members keep their name.
        specbound::apply(
            [&](const auto&... f) {
                (
                    [&] {
                        param_value m = to_param_value(v.*(std::remove_cvref_t<decltype(f)>::member), f.wire_name, st);
                        if (m.k == param_value::kind::object)
                            st.fail("form body field '" + std::string(f.wire_name) +
                                    "' is an object; form-urlencoded bodies are flat");
                        if (m.k == param_value::kind::primitive)
                            add(f.wire_name, m.primitive);
                        else if (m.k == param_value::kind::array)
                            for (const auto& item : m.items)
                                add(f.wire_name, item);
                    }(),
                    ...);
            },
            json::object_traits<T>::fields);
    } else {
        for (const auto& [k, val] : to_param_value(v, "request body", st).members)
            add(k, val);
    }
    return out;
}

/// JSON text of a body value; values JSON cannot carry are invalid arguments.
template <class T>
std::string json_text(const T& v, build_status& st)
{
    std::string out;
    if (const char* why = json::try_encode(v, out))
        st.fail(std::string("request body: ") + why);
    return out;
}

struct multipart_part {
    std::string name;
    std::string content_type;
    std::string filename;
    std::string content;
};

inline std::string quote_disposition(std::string_view s)
{
    std::string out;
    for (char c : s) {
        if (c == '"')
            out += "%22";
        else if (c == '\r' || c == '\n')
            out += ' ';
        else
            out += c;
    }
    return out;
}

template <class V>
void add_multipart_value(std::vector<multipart_part>& parts, std::string_view name, const V& v, build_status& st)
{
    if constexpr (is_optional<V>::value) {
        if (v)
            add_multipart_value(parts, name, *v, st);
    } else if constexpr (std::is_same_v<V, bytes>) {
        parts.push_back({std::string(name), "application/octet-stream", std::string(name),
                         std::string(reinterpret_cast<const char*>(v.data()), v.size())});
    } else if constexpr (is_scalar_v<V>) {
        parts.push_back({std::string(name), "text/plain; charset=utf-8", {}, scalar_text(v, name, st)});
    } else if constexpr (is_vector<V>::value) {
        for (const auto& item : v)
            add_multipart_value(parts, name, item, st);
    } else {
        // Objects (and anything else) go as JSON, OpenAPI's default for object properties.
        std::string s = json_text(v, st);
        parts.push_back({std::string(name), "application/json", {}, std::move(s)});
    }
}

/// multipart/form-data; returns the body and sets the boundary.
template <class T>
std::string multipart_encode(const T& v, std::string& boundary, build_status& st)
{
    std::vector<multipart_part> parts;
    if constexpr (json::object_model<T>) {
        specbound::apply([&](const auto&... f) {
            (add_multipart_value(parts, f.wire_name, v.*(std::remove_cvref_t<decltype(f)>::member), st), ...);
        }, json::object_traits<T>::fields);
    } else if constexpr (is_string_map<T>::value) {
        for (const auto& [k, item] : v)
            add_multipart_value(parts, k, item, st);
    } else {
        static_assert(sizeof(T) == 0, "multipart/form-data bodies are objects");
    }
    // A random boundary that no part contains (a collision is astronomically unlikely; check anyway).
    boost::uuids::random_generator gen;
    for (int tries = 0;; ++tries) {
        boundary = "specbound-" + boost::uuids::to_string(gen());
        bool clash = std::any_of(parts.begin(), parts.end(),
                                 [&](const multipart_part& p) { return p.content.find(boundary) != std::string::npos; });
        if (!clash)
            break;
        if (tries == 8) {
            st.fail("multipart body: could not find a boundary absent from the content");
            return {};
        }
    }
    std::string out;
    for (const auto& p : parts) {
        out += "--" + boundary + "\r\n";
        out += "Content-Disposition: form-data; name=\"" + quote_disposition(p.name) + "\"";
        if (!p.filename.empty())
            out += "; filename=\"" + quote_disposition(p.filename) + "\"";
        out += "\r\nContent-Type: " + p.content_type + "\r\n\r\n";
        out += p.content;
        out += "\r\n";
    }
    out += "--" + boundary + "--\r\n";
    return out;
}

template <class Body>
void encode_body(http_request& req, const Body& body_desc, const typename Body::value_type& member, build_status& st)
{
    const auto* value = present(member);
    if (!value) {
        if (body_desc.required)
            st.fail("the request body is required");
        return;
    }
    using V = std::remove_cvref_t<decltype(*value)>;
    std::string content_type(body_desc.media_type);
    std::string out;
    switch (body_desc.encoding) {
    case body_encoding::json:
        out = json_text(*value, st);
        if (content_type.empty())
            content_type = "application/json";
        break;
    case body_encoding::form_urlencoded:
        if constexpr (json::object_model<V> || is_string_map<V>::value)
            out = form_urlencode(*value, st);
        else
            st.fail("a form-urlencoded body must be an object");
        content_type = "application/x-www-form-urlencoded";
        break;
    case body_encoding::multipart:
        if constexpr (json::object_model<V> || is_string_map<V>::value) {
            std::string boundary;
            out = multipart_encode(*value, boundary, st);
            content_type = "multipart/form-data; boundary=" + boundary;
        } else {
            st.fail("a multipart/form-data body must be an object");
        }
        break;
    case body_encoding::binary:
        if constexpr (std::is_same_v<V, bytes>)
            out.assign(reinterpret_cast<const char*>(value->data()), value->size());
        else if constexpr (std::is_same_v<V, std::string>)
            out = *value;
        else
            st.fail("a binary body must be specbound::bytes or std::string");
        if (content_type.empty())
            content_type = "application/octet-stream";
        break;
    case body_encoding::text:
        if constexpr (is_scalar_v<V>)
            out = scalar_text(*value, "request body", st);
        else
            st.fail("a text body must be a scalar");
        if (content_type.empty())
            content_type = "text/plain; charset=utf-8";
        break;
    }
    req.set(boost::beast::http::field::content_type, content_type);
    req.body() = std::move(out);
}

// ---------------------------------------------------------------------------------------------

/// Whether a path segment reads as "." or ".." to a URL parser ("%2e" is a dot too).
inline bool is_dot_segment(std::string_view segment) noexcept
{
    int dots = 0;
    while (!segment.empty()) {
        if (segment.front() == '.')
            segment.remove_prefix(1);
        else if (segment.size() >= 3 && segment[0] == '%' && segment[1] == '2' && (segment[2] == 'e' || segment[2] == 'E'))
            segment.remove_prefix(3);
        else
            return false;
        if (++dots > 2)
            return false;
    }
    return dots > 0;
}

/// The template segment (e.g. "{petId}") whose substituted text in `path` is a dot segment, or "".
/// Values are percent-encoded, so they add no '/': the segments of `path` and of `path_template`
/// correspond one to one. Segments of the template itself are the spec's, not a value's.
inline std::string_view dot_segment_placeholder(std::string_view path_template, std::string_view path) noexcept
{
    while (!path_template.empty() && !path.empty()) {
        const std::size_t t = path_template.find('/');
        const std::size_t p = path.find('/');
        const std::string_view tseg = path_template.substr(0, t);
        if (tseg.find('{') != std::string_view::npos && is_dot_segment(path.substr(0, p)))
            return tseg;
        if (t == std::string_view::npos || p == std::string_view::npos)
            break;
        path_template.remove_prefix(t + 1);
        path.remove_prefix(p + 1);
    }
    return {};
}

/// The request of `Op` for `r`: method, target (base path + path + query), Host, Accept, header and
/// cookie parameters, body and Content-Type; or invalid_argument_error, as a value. Sends nothing.
template <class Op>
result<http_request> build_request(const base_url& base, const typename Op::request_type& r)
{
    build_status st;
    http_request req;
    req.version(11);
    req.method(to_verb(Op::method));

    std::string path(Op::path);
    std::vector<query_pair> query;
    std::vector<std::string> cookies;

    specbound::apply(
        [&](const auto&... p) {
            (
                [&] {
                    if (!st.ok())
                        return;
                    const auto& member = r.*(std::remove_cvref_t<decltype(p)>::member);
                    param_value v = to_param_value(member, p.name, st);
                    const char* where = p.in == param_in::path     ? "path"
                                        : p.in == param_in::query  ? "query"
                                        : p.in == param_in::header ? "header"
                                                                   : "cookie";
                    if (v.k == param_value::kind::absent) {
                        if (p.required || p.in == param_in::path)
                            st.fail(std::string("missing required ") + where + " parameter '" + std::string(p.name) +
                                    "'");
                        return;
                    }
                    switch (p.in) {
                    case param_in::path: {
                        std::string text = serialize_path_param(p.name, p.style, p.explode, v);
                        if (text.empty()) {
                            st.fail("path parameter '" + std::string(p.name) +
                                    "' is empty; it would change the request path");
                            return;
                        }
                        std::string placeholder = "{" + std::string(p.name) + "}";
                        for (std::size_t at = path.find(placeholder); at != std::string::npos;
                             at = path.find(placeholder, at + text.size()))
                            path.replace(at, placeholder.size(), text);
                        break;
                    }
                    case param_in::query: serialize_query_param(p.name, p.style, p.explode, v, query, st); break;
                    case param_in::header: {
                        std::string text = serialize_header_param(p.name, p.explode, v, st);
                        if (st.ok())
                            req.set(p.name, text);
                        break;
                    }
                    case param_in::cookie: serialize_cookie_param(p.name, p.explode, v, cookies); break;
                    }
                }(),
                ...);
        },
        Op::parameters);

    if (!st.ok())
        return std::make_shared<invalid_argument_error>(operation_context<Op>() + ": " + st.failure);
    if (const std::string_view dots = dot_segment_placeholder(Op::path, path); !dots.empty())
        return std::make_shared<invalid_argument_error>(operation_context<Op>() + ": path parameter " +
                                                        std::string(dots) +
                                                        " makes a '.' or '..' segment; it would leave the "
                                                        "operation's path");

    boost::urls::url u;
    u.set_encoded_path(base.path + path);
    for (const auto& q : query)
        u.encoded_params().append(boost::urls::param_pct_view(q.key, q.value));
    req.target(u.encoded_target());

    req.set(boost::beast::http::field::host, host_header(base.to));
    if (const std::string& accept = accept_header<Op>(); !accept.empty())
        req.set(boost::beast::http::field::accept, accept);
    for (const auto& c : cookies)
        if (!append_cookie(req, c))
            return std::make_shared<invalid_argument_error>(
                operation_context<Op>() + ": cookie parameters are longer than a header field can be (65,533 bytes)");

    if constexpr (std::tuple_size_v<std::remove_cvref_t<decltype(Op::body)>> != 0) {
        const auto& desc = specbound::get<0>(Op::body);
        encode_body(req, desc, r.*(std::remove_cvref_t<decltype(desc)>::member), st);
        if (!st.ok())
            return std::make_shared<invalid_argument_error>(operation_context<Op>() + ": " + st.failure);
    }
    req.prepare_payload();
    return req;
}

} // namespace specbound::detail
