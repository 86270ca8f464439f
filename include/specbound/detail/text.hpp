// Small text helpers used across the runtime: ASCII case, base64, host:port, and the checks that
// keep a value from changing the shape of an HTTP request (header field syntax, Beast's limits).
#pragma once

#include <algorithm>
#include <cctype>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace specbound::detail {

constexpr char ascii_lower(char c) noexcept
{
    return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
}

inline std::string ascii_lower(std::string_view s)
{
    std::string out(s);
    for (char& c : out)
        c = ascii_lower(c);
    return out;
}

/// ASCII case-insensitive equality (header names, schemes, media types).
constexpr bool iequals(std::string_view a, std::string_view b) noexcept
{
    if (a.size() != b.size())
        return false;
    for (std::size_t i = 0; i < a.size(); ++i)
        if (ascii_lower(a[i]) != ascii_lower(b[i]))
            return false;
    return true;
}

inline std::string base64_encode(std::string_view in)
{
    static constexpr char table[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    std::string out;
    out.reserve((in.size() + 2) / 3 * 4);
    std::size_t i = 0;
    for (; i + 3 <= in.size(); i += 3) {
        unsigned v = (static_cast<unsigned char>(in[i]) << 16) | (static_cast<unsigned char>(in[i + 1]) << 8) |
                     static_cast<unsigned char>(in[i + 2]);
        out += table[(v >> 18) & 63];
        out += table[(v >> 12) & 63];
        out += table[(v >> 6) & 63];
        out += table[v & 63];
    }
    if (std::size_t rest = in.size() - i; rest) {
        unsigned v = static_cast<unsigned char>(in[i]) << 16;
        if (rest == 2)
            v |= static_cast<unsigned char>(in[i + 1]) << 8;
        out += table[(v >> 18) & 63];
        out += table[(v >> 12) & 63];
        out += rest == 2 ? table[(v >> 6) & 63] : '=';
        out += '=';
    }
    return out;
}

/// `s` without leading and trailing spaces and tabs (HTTP's optional white space).
constexpr std::string_view trim_ows(std::string_view s) noexcept
{
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t'))
        s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t'))
        s.remove_suffix(1);
    return s;
}

/// "host:port", with an IPv6 literal in brackets ("[::1]:8080").
inline std::string host_port(std::string_view host, std::uint16_t port)
{
    std::string out;
    if (host.find(':') != std::string_view::npos) {
        out += '[';
        out += host;
        out += ']';
    } else {
        out += host;
    }
    out += ':';
    out += std::to_string(port);
    return out;
}

/// Beast stores a field's name and value lengths (plus 2) in 16 bits and throws std::length_error
/// above that; a value is refused before it gets there.
inline constexpr std::size_t max_field_size = 65533;

/// A header field name: an RFC 9110 token.
constexpr bool valid_field_name(std::string_view name) noexcept
{
    if (name.empty() || name.size() > max_field_size)
        return false;
    for (char c : name) {
        const bool alnum = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
        if (!alnum && std::string_view("!#$%&'*+-.^_`|~").find(c) == std::string_view::npos)
            return false;
    }
    return true;
}

/// Why `value` cannot be a header field value, or nullptr. RFC 9110 5.5: visible characters,
/// obs-text, space and tab; no CR, LF, NUL or other control character, which could end the field
/// (or the header block) early and smuggle a field or a whole request onto the connection.
constexpr const char* field_value_problem(std::string_view value) noexcept
{
    if (value.size() > max_field_size)
        return "is longer than 65,533 bytes";
    for (char ch : value) {
        const auto c = static_cast<unsigned char>(ch);
        if (c == '\r' || c == '\n')
            return "contains CR or LF";
        if ((c < 0x20 && c != '\t') || c == 0x7f)
            return "contains a control character";
    }
    return nullptr;
}

} // namespace specbound::detail
