// OpenAPI 3 parameter styles (the style/explode tables of the specification), percent-encoded
// with Boost.URL. Values are encoded with everything but RFC 3986 unreserved characters, so a
// delimiter inside a value (",", ";", "=", "&", "|", " ") can never be confused with the style's.
#pragma once

#include <specbound/descriptor.hpp>
#include <specbound/detail/param_value.hpp>
#include <specbound/detail/text.hpp>
#include <specbound/error.hpp>

#include <boost/url/encode.hpp>
#include <boost/url/rfc/unreserved_chars.hpp>

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace specbound::detail {

inline std::string pct(std::string_view s)
{
    return boost::urls::encode(s, boost::urls::unreserved_chars);
}

inline std::string join_items(const std::vector<std::string>& items, std::string_view sep)
{
    std::string out;
    for (std::size_t i = 0; i < items.size(); ++i) {
        if (i)
            out += sep;
        out += pct(items[i]);
    }
    return out;
}

/// Object members as "k<kv>v<sep>k<kv>v".
inline std::string join_members(const std::vector<std::pair<std::string, std::string>>& members,
                                std::string_view kv, std::string_view sep)
{
    std::string out;
    for (std::size_t i = 0; i < members.size(); ++i) {
        if (i)
            out += sep;
        out += pct(members[i].first);
        out += kv;
        out += pct(members[i].second);
    }
    return out;
}

/// The text that replaces `{name}` in a path template (styles simple, label, matrix).
inline std::string serialize_path_param(std::string_view name, param_style style, bool explode, const param_value& v)
{
    using k = param_value::kind;
    switch (style) {
    case param_style::label:
        if (v.k == k::primitive)
            return "." + pct(v.primitive);
        if (v.k == k::array)
            return "." + join_items(v.items, explode ? "." : ",");
        return "." + (explode ? join_members(v.members, "=", ".") : join_members(v.members, ",", ","));
    case param_style::matrix: {
        std::string n = ";" + pct(name);
        if (v.k == k::primitive)
            return v.primitive.empty() ? n : n + "=" + pct(v.primitive);
        if (v.k == k::array) {
            if (v.items.empty())
                return n;
            if (!explode)
                return n + "=" + join_items(v.items, ",");
            std::string out;
            for (const auto& item : v.items)
                out += n + "=" + pct(item);
            return out;
        }
        if (v.members.empty())
            return n;
        if (!explode)
            return n + "=" + join_members(v.members, ",", ",");
        return ";" + join_members(v.members, "=", ";");
    }
    case param_style::simple:
    default:
        // Path parameters only know simple, label and matrix; others are read as simple.
        if (v.k == k::primitive)
            return pct(v.primitive);
        if (v.k == k::array)
            return join_items(v.items, ",");
        return explode ? join_members(v.members, "=", ",") : join_members(v.members, ",", ",");
    }
}

/// Percent-encoded (name, value) pairs for the query string (styles form, spaceDelimited,
/// pipeDelimited, deepObject).
struct query_pair {
    std::string key;
    std::string value;
};

inline void serialize_query_param(std::string_view name, param_style style, bool explode, const param_value& v,
                                  std::vector<query_pair>& out, build_status& st)
{
    using k = param_value::kind;
    const std::string n = pct(name);
    if (style == param_style::deep_object) {
        if (v.k != k::object) {
            st.fail("query parameter '" + std::string(name) + "': deepObject style needs an object value");
            return;
        }
        for (const auto& [key, value] : v.members)
            out.push_back({n + "%5B" + pct(key) + "%5D", pct(value)});
        return;
    }
    std::string_view sep = ",";
    if (style == param_style::space_delimited)
        sep = "%20";
    else if (style == param_style::pipe_delimited)
        sep = "%7C";

    if (v.k == k::primitive) {
        out.push_back({n, pct(v.primitive)});
    } else if (v.k == k::array) {
        if (explode) {
            for (const auto& item : v.items)
                out.push_back({n, pct(item)});
        } else {
            out.push_back({n, join_items(v.items, sep)});
        }
    } else if (v.k == k::object) {
        if (explode) {
            for (const auto& [key, value] : v.members)
                out.push_back({pct(key), pct(value)});
        } else {
            out.push_back({n, join_members(v.members, sep, sep)});
        }
    }
}

inline void check_header_text(std::string_view name, std::string_view value, build_status& st)
{
    if (const char* why = field_value_problem(value))
        st.fail("header parameter '" + std::string(name) + "' " + why);
}

/// Header parameters: simple style, not percent-encoded (HTTP field values carry the text).
inline std::string serialize_header_param(std::string_view name, bool explode, const param_value& v, build_status& st)
{
    using k = param_value::kind;
    std::string out;
    if (v.k == k::primitive) {
        out = v.primitive;
    } else if (v.k == k::array) {
        for (std::size_t i = 0; i < v.items.size(); ++i)
            out += (i ? "," : "") + v.items[i];
    } else {
        for (std::size_t i = 0; i < v.members.size(); ++i)
            out += (i ? "," : "") + v.members[i].first + (explode ? "=" : ",") + v.members[i].second;
    }
    check_header_text(name, out, st);
    return out;
}

/// Cookie parameters: form style, values percent-encoded (cookie-octets exclude ; , space and quotes).
inline void serialize_cookie_param(std::string_view name, bool explode, const param_value& v,
                                   std::vector<std::string>& out)
{
    using k = param_value::kind;
    const std::string n = pct(name);
    if (v.k == k::primitive) {
        out.push_back(n + "=" + pct(v.primitive));
    } else if (v.k == k::array) {
        if (explode) {
            for (const auto& item : v.items)
                out.push_back(n + "=" + pct(item));
        } else {
            out.push_back(n + "=" + join_items(v.items, ","));
        }
    } else if (v.k == k::object) {
        if (explode) {
            for (const auto& [key, value] : v.members)
                out.push_back(pct(key) + "=" + pct(value));
        } else {
            out.push_back(n + "=" + join_members(v.members, ",", ","));
        }
    }
}

} // namespace specbound::detail
