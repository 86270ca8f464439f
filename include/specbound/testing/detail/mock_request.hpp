// The mock server's request side, sans-I/O: routing a request to an operation by method and path
// template, reading its parameters back into the typed request (the inverse of
// detail/param_style.hpp), reading and checking its body, and writing a typed answer back as HTTP.
// Everything here takes bytes a test client sent: bad input is a `violation` (a status and a
// readable reason), never an exception or a crash.
#pragma once

#include <specbound/descriptor.hpp>
#include <specbound/detail/param_value.hpp>
#include <specbound/detail/response_handler.hpp>
#include <specbound/detail/text.hpp>
#include <specbound/json/decode.hpp>
#include <specbound/json/encode.hpp>
#include <specbound/response_headers.hpp>
#include <specbound/types.hpp>
#include <specbound/validation.hpp>

#include <boost/beast/http/field.hpp>
#include <boost/beast/http/fields.hpp>
#include <boost/json/parse.hpp>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

namespace specbound::detail::mock {

using specbound::detail::param_value;

/// Why the mock server refuses a request: the status it answers and a readable reason.
struct violation {
    int status = 400;
    std::string detail; // "path parameter 'petId': \"abc\" is not an integer"
};

/// `s` with its %XX escapes decoded (and '+' kept as it is); nullopt when an escape is malformed.
inline std::optional<std::string> pct_decode(std::string_view s)
{
    auto hex = [](char c) -> int {
        if (c >= '0' && c <= '9')
            return c - '0';
        if (c >= 'a' && c <= 'f')
            return c - 'a' + 10;
        if (c >= 'A' && c <= 'F')
            return c - 'A' + 10;
        return -1;
    };
    std::string out;
    out.reserve(s.size());
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (s[i] != '%') {
            out += s[i];
            continue;
        }
        if (i + 2 >= s.size())
            return std::nullopt;
        const int hi = hex(s[i + 1]), lo = hex(s[i + 2]);
        if (hi < 0 || lo < 0)
            return std::nullopt;
        out += static_cast<char>(hi * 16 + lo);
        i += 2;
    }
    return out;
}

/// Pieces of `s` between occurrences of `sep` (compared case-insensitively, for "%7C" and "%7c").
inline std::vector<std::string_view> split(std::string_view s, std::string_view sep)
{
    std::vector<std::string_view> out;
    std::size_t start = 0;
    for (std::size_t i = 0; i + sep.size() <= s.size();) {
        if (specbound::detail::iequals(s.substr(i, sep.size()), sep)) {
            out.push_back(s.substr(start, i - start));
            i += sep.size();
            start = i;
        } else {
            ++i;
        }
    }
    out.push_back(s.substr(start));
    return out;
}

/// Text quoted for a reason, bounded and with control characters shown as '?'.
inline std::string quote_value(std::string_view s)
{
    std::string out = "\"";
    for (std::size_t i = 0; i < s.size() && i < 64; ++i)
        out += static_cast<unsigned char>(s[i]) < 0x20 || s[i] == 0x7f ? '?' : s[i];
    if (s.size() > 64)
        out += "...";
    return out + "\"";
}

// ---------------------------------------------------------------------------------------------
// Routing

/// A path template matched: each placeholder's raw (percent-encoded) text, and how many literal
/// segments the template has (the more, the more specific: /pets/mine before /pets/{id}).
struct path_match {
    std::vector<std::pair<std::string_view, std::string_view>> values;
    int literal_segments = 0;
};

/// Whether `path` (percent-encoded, no query) fits `path_template`.
inline std::optional<path_match> match_path(std::string_view path_template, std::string_view path)
{
    const std::vector<std::string_view> t = split(path_template, "/"), p = split(path, "/");
    if (t.size() != p.size())
        return std::nullopt;
    path_match out;
    for (std::size_t i = 0; i < t.size(); ++i) {
        std::string_view tseg = t[i], pseg = p[i];
        if (tseg.find('{') == std::string_view::npos) {
            if (tseg != pseg)
                return std::nullopt;
            ++out.literal_segments;
            continue;
        }
        // Literal text and placeholders in turn: "{id}", "{name}.json", "v{major}.{minor}".
        while (!tseg.empty()) {
            const std::size_t open = tseg.find('{');
            if (open != 0) {
                const std::string_view lit = tseg.substr(0, open);
                if (!pseg.starts_with(lit))
                    return std::nullopt;
                pseg.remove_prefix(lit.size());
                tseg.remove_prefix(lit.size());
                continue;
            }
            const std::size_t close = tseg.find('}');
            const std::string_view name = tseg.substr(1, close - 1);
            tseg.remove_prefix(close + 1);
            const std::string_view next_lit = tseg.substr(0, tseg.find('{'));
            std::size_t end = pseg.size();
            if (!next_lit.empty()) {
                end = pseg.find(next_lit);
                if (end == std::string_view::npos)
                    return std::nullopt;
            } else if (!tseg.empty()) {
                return std::nullopt; // two placeholders side by side cannot be told apart
            }
            if (end == 0)
                return std::nullopt; // a path parameter is never empty
            out.values.emplace_back(name, pseg.substr(0, end));
            pseg.remove_prefix(end);
        }
        if (!pseg.empty())
            return std::nullopt;
    }
    return out;
}

// ---------------------------------------------------------------------------------------------
// Parameters: wire text -> param_value (decoded strings) -> the request member's type

enum class shape : std::uint8_t { primitive, array, object };

/// The type inside an optional, nullable or boxed value.
template <class T>
struct inner {
    using type = T;
};
template <class T>
struct inner<std::optional<T>> {
    using type = T;
};
template <class T>
struct inner<nullable<T>> {
    using type = T;
};
template <class T>
struct inner<boxed<T>> {
    using type = T;
};

template <class T>
constexpr shape shape_of()
{
    using namespace specbound::detail;
    if constexpr (is_optional<T>::value || is_nullable<T>::value || is_boxed<T>::value)
        return shape_of<typename inner<T>::type>();
    else if constexpr (is_vector<T>::value)
        return shape::array;
    else if constexpr (is_string_map<T>::value || json::object_model<T>)
        return shape::object;
    else
        return shape::primitive;
}

/// Items, or members from items taken two by two ("k,v,k2,v2") or as "k=v".
inline bool fill(param_value& v, shape s, const std::vector<std::string_view>& raw, bool pairs_with_equals,
                 std::string& why)
{
    auto decode = [&](std::string_view piece, std::string& to) {
        auto d = pct_decode(piece);
        if (!d) {
            why = "malformed percent-encoding in " + quote_value(piece);
            return false;
        }
        to = std::move(*d);
        return true;
    };
    if (s == shape::primitive) {
        v.k = param_value::kind::primitive;
        std::string joined;
        for (std::size_t i = 0; i < raw.size(); ++i)
            joined += std::string(i ? "," : "") + std::string(raw[i]);
        return decode(joined, v.primitive);
    }
    if (s == shape::array) {
        v.k = param_value::kind::array;
        for (std::string_view piece : raw)
            if (!decode(piece, v.items.emplace_back()))
                return false;
        if (v.items.size() == 1 && v.items.front().empty())
            v.items.clear(); // "" is the empty array
        return true;
    }
    v.k = param_value::kind::object;
    if (pairs_with_equals) {
        for (std::string_view piece : raw) {
            const std::size_t eq = piece.find('=');
            if (eq == std::string_view::npos) {
                why = "member " + quote_value(piece) + " is not key=value";
                return false;
            }
            auto& m = v.members.emplace_back();
            if (!decode(piece.substr(0, eq), m.first) || !decode(piece.substr(eq + 1), m.second))
                return false;
        }
        return true;
    }
    if (raw.size() % 2 != 0) {
        why = "an object's keys and values do not pair up";
        return false;
    }
    for (std::size_t i = 0; i < raw.size(); i += 2) {
        auto& m = v.members.emplace_back();
        if (!decode(raw[i], m.first) || !decode(raw[i + 1], m.second))
            return false;
    }
    return true;
}

/// A path parameter's raw text in its style (simple, label, matrix).
inline bool read_path_value(std::string_view raw, std::string_view name, param_style style, bool explode, shape s,
                            param_value& v, std::string& why)
{
    switch (style) {
    case param_style::label: {
        if (!raw.starts_with('.')) {
            why = "label style starts with '.'";
            return false;
        }
        raw.remove_prefix(1);
        const bool by_dots = s == shape::array ? explode : (s == shape::object && explode);
        return fill(v, s, s == shape::primitive ? std::vector{raw} : split(raw, by_dots ? "." : ","),
                    s == shape::object && explode, why);
    }
    case param_style::matrix: {
        const std::string prefix = ";" + std::string(name);
        if (s == shape::object && explode) {
            if (!raw.starts_with(';')) {
                why = "matrix style starts with ';'";
                return false;
            }
            return fill(v, s, split(raw.substr(1), ";"), true, why);
        }
        if (s == shape::array && explode) {
            std::vector<std::string_view> items;
            for (std::string_view piece : split(raw, prefix + "=")) {
                if (!piece.empty())
                    items.push_back(piece);
            }
            if (!raw.starts_with(prefix)) {
                why = "matrix style starts with '" + prefix + "'";
                return false;
            }
            return fill(v, s, items, false, why);
        }
        if (!raw.starts_with(prefix)) {
            why = "matrix style starts with '" + prefix + "'";
            return false;
        }
        raw.remove_prefix(prefix.size());
        if (raw.starts_with('='))
            raw.remove_prefix(1);
        return fill(v, s, s == shape::primitive ? std::vector{raw} : split(raw, ","), false, why);
    }
    default: // simple
        return fill(v, s, s == shape::primitive ? std::vector{raw} : split(raw, ","), s == shape::object && explode,
                    why);
    }
}

/// Query (or cookie) pairs as sent: the key decoded, the value still percent-encoded.
using raw_pairs = std::vector<std::pair<std::string, std::string_view>>;

/// A query or cookie parameter from the request's pairs (styles form, spaceDelimited,
/// pipeDelimited, deepObject). `declared` names every parameter of that location, so that an
/// exploded form object takes only the pairs no other parameter claims.
inline bool read_pairs_value(const raw_pairs& pairs, std::string_view name, param_style style, bool explode, shape s,
                             const std::vector<std::string_view>& declared, param_value& v, std::string& why)
{
    if (style == param_style::deep_object) {
        std::vector<std::string_view> raw;
        std::vector<std::string> keys;
        for (const auto& [key, value] : pairs)
            if (key.size() > name.size() + 2 && key.starts_with(name) && key[name.size()] == '[' && key.back() == ']') {
                keys.push_back(key.substr(name.size() + 1, key.size() - name.size() - 2));
                raw.push_back(value);
            }
        if (raw.empty())
            return true; // absent
        if (s != shape::object) {
            why = "deepObject style needs an object";
            return false;
        }
        v.k = param_value::kind::object;
        for (std::size_t i = 0; i < raw.size(); ++i) {
            auto value = pct_decode(raw[i]);
            if (!value) {
                why = "malformed percent-encoding in " + quote_value(raw[i]);
                return false;
            }
            v.members.emplace_back(keys[i], std::move(*value));
        }
        return true;
    }
    std::vector<std::string_view> mine;
    for (const auto& [key, value] : pairs)
        if (key == name)
            mine.push_back(value);
    if (s == shape::object && explode && style == param_style::form) {
        std::vector<std::string_view> raw;
        std::vector<std::string> joined;
        for (const auto& [key, value] : pairs)
            if (std::find(declared.begin(), declared.end(), key) == declared.end())
                joined.push_back(key + "=" + std::string(value));
        if (joined.empty())
            return true;
        for (const auto& j : joined)
            raw.push_back(j);
        // Keys were decoded already; fill decodes again, so a key with '%' is refused (rare).
        return fill(v, s, raw, true, why);
    }
    if (mine.empty())
        return true; // absent
    if (s == shape::array && explode)
        return fill(v, s, mine, false, why);
    const std::string_view sep = style == param_style::space_delimited  ? "%20"
                                 : style == param_style::pipe_delimited ? "%7C"
                                                                        : ",";
    if (s == shape::primitive)
        return fill(v, s, {mine.front()}, false, why);
    return fill(v, s, split(mine.front(), sep), false, why);
}

/// A header parameter's value (simple style; not percent-encoded).
inline void read_header_value(std::string_view text, bool explode, shape s, param_value& v, std::string& why)
{
    using specbound::detail::trim_ows;
    if (s == shape::primitive) {
        v.k = param_value::kind::primitive;
        v.primitive = std::string(text);
        return;
    }
    std::vector<std::string_view> parts = split(text, ",");
    if (s == shape::array) {
        v.k = param_value::kind::array;
        for (std::string_view part : parts)
            v.items.emplace_back(trim_ows(part));
        return;
    }
    v.k = param_value::kind::object;
    if (explode) {
        for (std::string_view part : parts) {
            const std::size_t eq = part.find('=');
            if (eq == std::string_view::npos) {
                why = "member " + quote_value(part) + " is not key=value";
                return;
            }
            v.members.emplace_back(std::string(trim_ows(part.substr(0, eq))), std::string(trim_ows(part.substr(eq + 1))));
        }
        return;
    }
    if (parts.size() % 2 != 0) {
        why = "an object's keys and values do not pair up";
        return;
    }
    for (std::size_t i = 0; i < parts.size(); i += 2)
        v.members.emplace_back(std::string(trim_ows(parts[i])), std::string(trim_ows(parts[i + 1])));
}

/// What a scalar type is called in reasons.
template <class T>
constexpr std::string_view scalar_kind()
{
    if constexpr (std::is_same_v<T, bool>)
        return "a boolean (true or false)";
    else if constexpr (std::is_integral_v<T>)
        return "an integer in range";
    else if constexpr (std::is_floating_point_v<T>)
        return "a number";
    else if constexpr (std::is_same_v<T, date_time>)
        return "an RFC 3339 date-time";
    else if constexpr (std::is_same_v<T, date>)
        return "a date (YYYY-MM-DD)";
    else if constexpr (std::is_same_v<T, uuid>)
        return "a UUID";
    else
        return "one of the enum's values";
}

/// `text` as the scalar T; a reason when it is not one.
template <class T>
bool parse_scalar(const std::string& text, T& out, std::string& why)
{
    if constexpr (std::is_same_v<T, std::string>) {
        out = text;
        return true;
    } else if constexpr (std::is_same_v<T, boost::json::value>) {
        boost::json::error_code ec;
        boost::json::value v = boost::json::parse(text, ec);
        out = ec ? boost::json::value(text) : std::move(v); // free-form: JSON text, else the string
        return true;
    } else if constexpr (std::is_floating_point_v<T>) {
        // from_chars takes "inf" and "nan", which JSON and the client never send.
        if (!specbound::detail::parse_header_value(text, out) || !std::isfinite(out)) {
            why = quote_value(text) + " is not " + std::string(scalar_kind<T>());
            return false;
        }
        return true;
    } else if constexpr (std::is_same_v<T, bool> || std::is_arithmetic_v<T> || std::is_same_v<T, date_time> ||
                         std::is_same_v<T, date> || std::is_same_v<T, uuid> || json::enum_model<T> ||
                         specbound::detail::is_open_enum<T>::value) {
        if (!specbound::detail::parse_header_value(text, out)) {
            why = quote_value(text) + " is not " + std::string(scalar_kind<T>());
            return false;
        }
        return true;
    } else {
        why = "the mock server cannot read this parameter type";
        return false;
    }
}

/// The request member's value from its style-neutral shape; false with a reason when it does not fit.
template <class T>
bool from_param_value(const param_value& v, T& out, std::string& why)
{
    using namespace specbound::detail;
    using kind = param_value::kind;
    if constexpr (is_optional<T>::value) {
        if (v.k == kind::absent) {
            out.reset();
            return true;
        }
        typename inner<T>::type value{};
        if (!from_param_value(v, value, why))
            return false;
        out = std::move(value);
        return true;
    } else if constexpr (is_nullable<T>::value) {
        using U = typename inner<T>::type;
        if (v.k == kind::primitive && v.primitive.empty() && !std::is_same_v<U, std::string>) {
            out = T(); // null: the client sends it as an empty value
            return true;
        }
        U value{};
        if (!from_param_value(v, value, why))
            return false;
        out = T(std::move(value));
        return true;
    } else if constexpr (is_boxed<T>::value) {
        typename inner<T>::type value{};
        if (!from_param_value(v, value, why))
            return false;
        out = T(std::move(value));
        return true;
    } else if constexpr (is_vector<T>::value) {
        out.clear();
        for (const std::string& item : v.items) {
            param_value iv;
            iv.k = kind::primitive;
            iv.primitive = item;
            if (!from_param_value(iv, out.emplace_back(), why)) {
                why = "item " + std::to_string(out.size() - 1) + ": " + why;
                return false;
            }
        }
        return true;
    } else if constexpr (is_string_map<T>::value) {
        out.clear();
        for (const auto& [key, value] : v.members) {
            param_value iv;
            iv.k = kind::primitive;
            iv.primitive = value;
            if (!from_param_value(iv, out[key], why)) {
                why = "member '" + key + "': " + why;
                return false;
            }
        }
        return true;
    } else if constexpr (json::object_model<T>) {
        return specbound::apply(
            [&](const auto&... f) {
                [[maybe_unused]] auto one = [&](const auto& field) {
                    auto& member = out.*(std::remove_cvref_t<decltype(field)>::member);
                    for (const auto& [key, value] : v.members)
                        if (key == field.wire_name) {
                            param_value iv;
                            iv.k = kind::primitive;
                            iv.primitive = value;
                            if (!from_param_value(iv, member, why)) {
                                why = "member '" + key + "': " + why;
                                return false;
                            }
                            return true;
                        }
                    if (field.required) {
                        why = "missing required member '" + std::string(field.wire_name) + "'";
                        return false;
                    }
                    return true;
                };
                return (one(f) && ...);
            },
            json::object_traits<T>::fields);
    } else if constexpr (json::detail::is_std_variant<T>::value) {
        // A union of scalars (an id that is an integer or a string): the first alternative that reads.
        bool done = false;
        std::string first_why;
        [&]<std::size_t... I>(std::index_sequence<I...>) {
            (
                [&] {
                    if (done)
                        return;
                    std::variant_alternative_t<I, T> alt{};
                    std::string w;
                    if (from_param_value(v, alt, w)) {
                        out.template emplace<I>(std::move(alt));
                        done = true;
                    } else if (first_why.empty()) {
                        first_why = w;
                    }
                }(),
                ...);
        }(std::make_index_sequence<std::variant_size_v<T>>{});
        if (!done)
            why = first_why;
        return done;
    } else {
        if (v.k != kind::primitive) {
            why = "expected a single value";
            return false;
        }
        return parse_scalar(v.primitive, out, why);
    }
}

/// The `Cookie` header as pairs, values still percent-encoded.
inline raw_pairs cookie_pairs(std::string_view header)
{
    raw_pairs out;
    for (std::string_view piece : split(header, ";")) {
        piece = specbound::detail::trim_ows(piece);
        const std::size_t eq = piece.find('=');
        if (eq == std::string_view::npos)
            continue;
        auto key = pct_decode(piece.substr(0, eq));
        if (key)
            out.emplace_back(std::move(*key), piece.substr(eq + 1));
    }
    return out;
}

/// The request's query as pairs: keys decoded, values still percent-encoded; false when a key is malformed.
inline bool query_pairs(std::string_view query, raw_pairs& out, std::string& why)
{
    if (query.empty())
        return true;
    for (std::string_view piece : split(query, "&")) {
        if (piece.empty())
            continue;
        const std::size_t eq = piece.find('=');
        auto key = pct_decode(piece.substr(0, eq));
        if (!key) {
            why = "malformed percent-encoding in the query";
            return false;
        }
        out.emplace_back(std::move(*key), eq == std::string_view::npos ? std::string_view() : piece.substr(eq + 1));
    }
    return true;
}

/// What the request carried, as the parameters need it.
struct request_view {
    std::string_view method;
    std::string_view path;  // percent-encoded, no query
    std::string_view query; // percent-encoded, without '?'
    const boost::beast::http::fields* headers = nullptr;
    std::string_view body;
};

inline const char* where_name(param_in in)
{
    return in == param_in::path ? "path" : in == param_in::query ? "query" : in == param_in::header ? "header" : "cookie";
}

/// The parameters of `Op` read into `r`; a violation naming the first that is missing or does not read.
template <class Op>
std::optional<violation> read_parameters(const request_view& in, const path_match& route,
                                         typename Op::request_type& r)
{
    raw_pairs query, cookies;
    std::string why;
    if (!query_pairs(in.query, query, why))
        return violation{400, why};
    if (auto it = in.headers->find(boost::beast::http::field::cookie); it != in.headers->end())
        cookies = cookie_pairs(it->value());
    std::vector<std::string_view> query_names, cookie_names;
    specbound::apply(
        [&](const auto&... p) {
            ((p.in == param_in::query ? query_names.push_back(p.name)
                                      : p.in == param_in::cookie ? cookie_names.push_back(p.name) : void()),
             ...);
        },
        Op::parameters);

    std::optional<violation> failure;
    specbound::apply(
        [&](const auto&... p) {
            [[maybe_unused]] auto one = [&](const auto& param) {
                if (failure)
                    return;
                using P = std::remove_cvref_t<decltype(param)>;
                using V = typename P::value_type;
                constexpr shape s = shape_of<V>();
                param_value v;
                std::string reason;
                const std::string what =
                    std::string(where_name(param.in)) + " parameter '" + std::string(param.name) + "'";
                switch (param.in) {
                case param_in::path:
                    for (const auto& [name, raw] : route.values)
                        if (name == param.name) {
                            read_path_value(raw, param.name, param.style, param.explode, s, v, reason);
                            break;
                        }
                    break;
                case param_in::query:
                    read_pairs_value(query, param.name, param.style, param.explode, s, query_names, v, reason);
                    break;
                case param_in::cookie:
                    read_pairs_value(cookies, param.name, param_style::form, param.explode, s, cookie_names, v, reason);
                    break;
                case param_in::header: {
                    std::string joined;
                    bool found = false;
                    for (const auto& h : *in.headers)
                        if (specbound::detail::iequals(h.name_string(), param.name)) {
                            joined += std::string(found ? ", " : "") + std::string(specbound::detail::trim_ows(h.value()));
                            found = true;
                        }
                    if (found)
                        read_header_value(joined, param.explode, s, v, reason);
                    break;
                }
                }
                if (!reason.empty()) {
                    failure = violation{400, what + ": " + reason};
                    return;
                }
                if (v.k == param_value::kind::absent) {
                    if (param.required || param.in == param_in::path)
                        failure = violation{400, "missing required " + what};
                    return;
                }
                if (!from_param_value(v, r.*P::member, reason))
                    failure = violation{400, what + ": " + reason};
            };
            (one(p), ...);
        },
        Op::parameters);
    return failure;
}

/// `application/x-www-form-urlencoded` into an object model or a string map.
template <class T>
bool read_form(std::string_view body, T& out, std::string& why)
{
    raw_pairs pairs;
    if (!query_pairs(body, pairs, why))
        return false;
    // '+' is a space in forms (the client writes %20, browsers '+').
    param_value v;
    v.k = param_value::kind::object;
    for (const auto& [key, raw] : pairs) {
        std::string spaced(raw);
        std::replace(spaced.begin(), spaced.end(), '+', ' ');
        auto value = pct_decode(spaced);
        if (!value) {
            why = "malformed percent-encoding in the form";
            return false;
        }
        v.members.emplace_back(key, std::move(*value));
    }
    if constexpr (json::object_model<T>) {
        // Repeated keys are an array member's items.
        return specbound::apply(
            [&](const auto&... f) {
                [[maybe_unused]] auto one = [&](const auto& field) {
                    using M = typename std::remove_cvref_t<decltype(field)>::value_type;
                    param_value fv;
                    for (const auto& [key, value] : v.members)
                        if (key == field.wire_name) {
                            if constexpr (shape_of<M>() == shape::array) {
                                fv.k = param_value::kind::array;
                                fv.items.push_back(value);
                            } else {
                                fv.k = param_value::kind::primitive;
                                fv.primitive = value;
                            }
                        }
                    if (fv.k == param_value::kind::absent) {
                        if (field.required) {
                            why = "missing required field '" + std::string(field.wire_name) + "'";
                            return false;
                        }
                        return true;
                    }
                    if (!from_param_value(fv, out.*(std::remove_cvref_t<decltype(field)>::member), why)) {
                        why = "field '" + std::string(field.wire_name) + "': " + why;
                        return false;
                    }
                    return true;
                };
                return (one(f) && ...);
            },
            json::object_traits<T>::fields);
    } else if constexpr (specbound::detail::is_string_map<T>::value) {
        return from_param_value(v, out, why);
    } else {
        why = "a form body must be an object";
        return false;
    }
}

/// The body of `Op` read into `r`: Content-Type checked, then decoded strictly into its type.
template <class Op>
std::optional<violation> read_body(const request_view& in, typename Op::request_type& r)
{
    if constexpr (std::tuple_size_v<std::remove_cvref_t<decltype(Op::body)>> == 0) {
        (void)in;
        (void)r;
        return std::nullopt;
    } else {
        const auto& desc = specbound::get<0>(Op::body);
        using D = std::remove_cvref_t<decltype(desc)>;
        using M = typename D::value_type;
        using V = typename inner<M>::type; // an optional body: its value
        const auto ct = in.headers->find(boost::beast::http::field::content_type);
        if (in.body.empty() && ct == in.headers->end()) {
            if (desc.required)
                return violation{400, "the request body is required (" + std::string(desc.media_type) + ")"};
            return std::nullopt;
        }
        const std::string_view declared = desc.media_type;
        if (ct == in.headers->end())
            return violation{415, "the request has a body but no Content-Type; the operation takes " + std::string(declared)};
        const std::string_view sent = ct->value();
        const bool fits = desc.encoding == body_encoding::multipart
                              ? specbound::detail::iequals(specbound::detail::media_essence(sent), "multipart/form-data")
                              : specbound::detail::media_matches(declared, sent);
        if (!fits)
            return violation{415, "Content-Type " + quote_value(sent) + " is not the operation's " + std::string(declared)};
        V value{};
        std::string why;
        switch (desc.encoding) {
        case body_encoding::json:
            if (auto failure = json::decode(in.body, value))
                return violation{400, "request body" + (failure->pointer.empty() ? std::string() : " at " + failure->pointer) +
                                          ": " + failure->message};
            break;
        case body_encoding::form_urlencoded:
            if (!read_form(in.body, value, why))
                return violation{400, "request body: " + why};
            break;
        case body_encoding::binary:
            if constexpr (std::is_same_v<V, bytes>)
                value.assign(reinterpret_cast<const std::byte*>(in.body.data()),
                             reinterpret_cast<const std::byte*>(in.body.data()) + in.body.size());
            else if constexpr (std::is_same_v<V, std::string>)
                value = std::string(in.body);
            else
                return violation{501, "the mock server cannot read a binary body into this type"};
            break;
        case body_encoding::text:
            if constexpr (specbound::detail::is_scalar_v<V>) {
                if (!parse_scalar(std::string(in.body), value, why))
                    return violation{400, "request body: " + why};
            } else {
                return violation{501, "the mock server cannot read a text body into this type"};
            }
            break;
        case body_encoding::multipart:
            return violation{501, "the mock server does not read multipart/form-data bodies; register no handler "
                                  "expectations on their content"};
        }
        r.*D::member = std::move(value);
        return std::nullopt;
    }
}

// ---------------------------------------------------------------------------------------------
// Answers

/// What the server sends back.
struct answer {
    int status = 200;
    std::string content_type;
    std::string body;
    std::vector<std::pair<std::string, std::string>> headers;
};

/// Whether a declared response key is a success.
constexpr bool success_key(int key) noexcept
{
    return (key >= 200 && key < 300) || key == 2;
}

/// The body of one success response as it goes on the wire.
template <class Body>
bool encode_answer(const Body& value, std::string_view media_type, answer& out, std::string& why)
{
    out.content_type = std::string(media_type);
    if constexpr (std::is_same_v<Body, no_content>) {
        out.content_type.clear();
        return true;
    } else if constexpr (std::is_same_v<Body, bytes>) {
        out.body.assign(reinterpret_cast<const char*>(value.data()), value.size());
        return true;
    } else if constexpr (std::is_same_v<Body, std::string>) {
        if (!media_type.empty() && !specbound::detail::json_like(specbound::detail::media_essence(media_type))) {
            out.body = value; // text/plain and other non-JSON text
            return true;
        }
        if (const char* failure = json::try_encode(value, out.body)) {
            why = failure;
            return false;
        }
        return true;
    } else {
        if (out.content_type.empty())
            out.content_type = "application/json";
        if (const char* failure = json::try_encode(value, out.body)) {
            why = failure;
            return false;
        }
        return true;
    }
}

/// A handler's value as the response of `Op` that declares its type (for a union of several 2xx
/// bodies, the one the value holds); the first 2xx when none declares it.
template <class Op>
std::optional<violation> answer_value(const typename Op::response_type& value, answer& out)
{
    using R = typename Op::response_type;
    bool done = false;
    std::string why;
    auto try_response = [&](const auto& response, const auto& held) {
        using Resp = std::remove_cvref_t<decltype(response)>;
        using H = std::remove_cvref_t<decltype(held)>;
        if constexpr (std::is_same_v<typename Resp::body_type, H>) {
            if (done || !success_key(Resp::status))
                return;
            done = true;
            out.status = Resp::status >= 200 ? Resp::status : 200;
            if (!encode_answer(held, response.media_type, out, why))
                why = "the handler's value cannot be sent: " + why;
        }
    };
    auto with_held = [&](const auto& held) {
        specbound::apply([&](const auto&... response) { (try_response(response, held), ...); }, Op::responses);
    };
    if constexpr (json::detail::is_std_variant<R>::value)
        std::visit(with_held, value);
    else
        with_held(value);
    if (!done) {
        // Undeclared (an operation without responses, or a 2XX range of another type): 200 with JSON.
        out.status = std::is_same_v<R, no_content> ? 204 : 200;
        if constexpr (!std::is_same_v<R, no_content> && !json::detail::is_std_variant<R>::value)
            if (!encode_answer(value, "", out, why))
                why = "the handler's value cannot be sent: " + why;
    }
    if (!why.empty())
        return violation{500, why};
    return std::nullopt;
}

/// The status of the first declared 2xx response, and whether it has no body; 0 when none is declared.
template <class Op>
std::pair<int, bool> first_success()
{
    std::pair<int, bool> out{0, false};
    // A named lambda folded over, not a lambda invoked in the fold: clang 15 crashes on that here.
    auto consider = [&](const auto& response) {
        using Resp = std::remove_cvref_t<decltype(response)>;
        if (out.first == 0 && success_key(Resp::status))
            out = {Resp::status >= 200 ? Resp::status : 200, std::is_same_v<typename Resp::body_type, no_content>};
    };
    specbound::apply([&](const auto&... response) { (consider(response), ...); }, Op::responses);
    return out;
}

} // namespace specbound::detail::mock
