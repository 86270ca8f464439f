// Text forms of the scalar formats OpenAPI layers on JSON strings: date-time, date, uuid, byte
// (base64), and generated enums. The JSON layer uses them for values; the client uses them for
// path, query, header and cookie parameters.
#pragma once

#include <specbound/json/traits.hpp>
#include <specbound/types.hpp>

#include <array>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>

namespace specbound::json {

namespace detail {

// Reads exactly `n` decimal digits at s[pos..); false when any of them is not a digit.
constexpr bool read_digits(std::string_view s, std::size_t pos, std::size_t n, int& out) noexcept
{
    if (pos + n > s.size())
        return false;
    int v = 0;
    for (std::size_t i = 0; i < n; ++i) {
        char c = s[pos + i];
        if (c < '0' || c > '9')
            return false;
        v = v * 10 + (c - '0');
    }
    out = v;
    return true;
}

inline void append_digits(std::string& out, unsigned v, int width)
{
    char buf[10];
    for (int i = width - 1; i >= 0; --i) {
        buf[i] = static_cast<char>('0' + v % 10);
        v /= 10;
    }
    out.append(buf, static_cast<std::size_t>(width));
}

constexpr bool parse_ymd(std::string_view s, std::chrono::year_month_day& out) noexcept
{
    // full-date = YYYY-MM-DD
    int y = 0, m = 0, d = 0;
    if (s.size() < 10 || !read_digits(s, 0, 4, y) || s[4] != '-' || !read_digits(s, 5, 2, m) || s[7] != '-' ||
        !read_digits(s, 8, 2, d))
        return false;
    std::chrono::year_month_day ymd{std::chrono::year{y}, std::chrono::month{static_cast<unsigned>(m)},
                                    std::chrono::day{static_cast<unsigned>(d)}};
    if (!ymd.ok())
        return false;
    out = ymd;
    return true;
}

inline constexpr char date_failure[] = "specbound: date invalid or out of the RFC 3339 range (years 0000-9999)";
inline constexpr char date_time_failure[] = "specbound: date-time out of the RFC 3339 range (years 0000-9999)";

// Appends `YYYY-MM-DD` of a valid date in years 0000-9999 (the caller checks).
inline void append_ymd_unchecked(std::string& out, const std::chrono::year_month_day& ymd)
{
    append_digits(out, static_cast<unsigned>(static_cast<int>(ymd.year())), 4);
    out.push_back('-');
    append_digits(out, static_cast<unsigned>(ymd.month()), 2);
    out.push_back('-');
    append_digits(out, static_cast<unsigned>(ymd.day()), 2);
}

inline constexpr char base64_alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

// 0..63 for alphabet characters, 64 for '=', 255 otherwise.
inline constexpr std::array<std::uint8_t, 256> base64_table = [] {
    std::array<std::uint8_t, 256> t{};
    for (auto& v : t)
        v = 255;
    for (std::uint8_t i = 0; i < 64; ++i)
        t[static_cast<unsigned char>(base64_alphabet[i])] = i;
    t[static_cast<unsigned char>('=')] = 64;
    return t;
}();

constexpr int hex_value(char c) noexcept
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

} // namespace detail

// ---- the range RFC 3339 can write ---------------------------------------------------------------

/// Whether `d` is a real calendar day in years 0000-9999, the dates RFC 3339 can write.
[[nodiscard]] constexpr bool rfc3339_representable(const date& d) noexcept
{
    return d.ok() && d.year() >= std::chrono::year{0} && d.year() <= std::chrono::year{9999};
}

/// Whether `t` falls in years 0000-9999 (UTC), the instants RFC 3339 can write.
[[nodiscard]] constexpr bool rfc3339_representable(date_time t) noexcept
{
    using namespace std::chrono;
    constexpr sys_days first = sys_days(year{0} / January / 1);
    constexpr sys_days end = sys_days(year{10000} / January / 1);
    return t >= first && t < end;
}

namespace detail {

// append_ymd_unchecked that throws std::invalid_argument for what rfc3339_representable rejects
// (kept for compatibility).
inline void append_ymd(std::string& out, const std::chrono::year_month_day& ymd)
{
    if (!rfc3339_representable(ymd))
        throw std::invalid_argument(date_failure);
    append_ymd_unchecked(out, ymd);
}

} // namespace detail

// ---- date-time (RFC 3339) -------------------------------------------------------------------

/// Parses `YYYY-MM-DDTHH:MM:SS[.frac](Z|+hh:mm|-hh:mm)`; `t` and `z` may be lower case.
/// The offset is applied so the result is UTC. Fractions finer than a microsecond are dropped
/// (date_time holds microseconds). A leap second (:60) becomes the first second of the next minute.
/// Returns false, leaving `out` untouched, for anything else.
inline bool parse_date_time(std::string_view s, date_time& out) noexcept
{
    using namespace std::chrono;
    year_month_day ymd;
    if (!detail::parse_ymd(s, ymd))
        return false;
    int hh = 0, mm = 0, ss = 0;
    if (s.size() < 20 || (s[10] != 'T' && s[10] != 't') || !detail::read_digits(s, 11, 2, hh) || s[13] != ':' ||
        !detail::read_digits(s, 14, 2, mm) || s[16] != ':' || !detail::read_digits(s, 17, 2, ss))
        return false;
    if (hh > 23 || mm > 59 || ss > 60)
        return false;
    std::size_t pos = 19;
    std::int64_t micros = 0;
    if (s[pos] == '.') {
        ++pos;
        std::size_t first = pos;
        int scale = 100000;
        while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9') {
            micros += (s[pos] - '0') * scale;
            scale /= 10;
            ++pos;
        }
        if (pos == first)
            return false; // "." without digits
    }
    if (pos >= s.size())
        return false;
    int offset_minutes = 0;
    char z = s[pos];
    if (z == 'Z' || z == 'z') {
        ++pos;
    }
    else if (z == '+' || z == '-') {
        int oh = 0, om = 0;
        if (!detail::read_digits(s, pos + 1, 2, oh) || pos + 3 >= s.size() || s[pos + 3] != ':' ||
            !detail::read_digits(s, pos + 4, 2, om) || oh > 23 || om > 59)
            return false;
        offset_minutes = (oh * 60 + om) * (z == '-' ? -1 : 1);
        pos += 6;
    }
    else {
        return false;
    }
    if (pos != s.size())
        return false;
    auto tp = sys_days(ymd) + hours(hh) + minutes(mm) + seconds(ss) + microseconds(micros) - minutes(offset_minutes);
    out = time_point_cast<microseconds>(tp);
    return true;
}

/// Appends `YYYY-MM-DDTHH:MM:SS[.fff|.ffffff]Z`: milliseconds when the value has no finer part,
/// microseconds when it does, no fraction when it is whole seconds. Returns false, leaving `out`
/// untouched, for instants outside years 0000-9999 (see rfc3339_representable).
[[nodiscard]] inline bool try_append_date_time(std::string& out, date_time t)
{
    using namespace std::chrono;
    if (!rfc3339_representable(t)) [[unlikely]]
        return false;
    auto day = floor<days>(t);
    detail::append_ymd_unchecked(out, year_month_day{day});
    auto us = (t - day).count(); // 0 <= us < 86'400'000'000
    auto secs = us / 1'000'000;
    auto frac = static_cast<unsigned>(us % 1'000'000);
    out.push_back('T');
    detail::append_digits(out, static_cast<unsigned>(secs / 3600), 2);
    out.push_back(':');
    detail::append_digits(out, static_cast<unsigned>(secs / 60 % 60), 2);
    out.push_back(':');
    detail::append_digits(out, static_cast<unsigned>(secs % 60), 2);
    if (frac != 0) {
        out.push_back('.');
        if (frac % 1000 == 0)
            detail::append_digits(out, frac / 1000, 3);
        else
            detail::append_digits(out, frac, 6);
    }
    out.push_back('Z');
    return true;
}

/// try_append_date_time that throws std::invalid_argument for instants outside years 0000-9999.
inline void append_date_time(std::string& out, date_time t)
{
    if (!try_append_date_time(out, t))
        throw std::invalid_argument(detail::date_time_failure);
}

/// The text of append_date_time; throws like it.
[[nodiscard]] inline std::string format_date_time(date_time t)
{
    std::string s;
    append_date_time(s, t);
    return s;
}

// ---- date ------------------------------------------------------------------------------------

/// Parses an RFC 3339 full-date `YYYY-MM-DD` naming a real calendar day.
inline bool parse_date(std::string_view s, date& out) noexcept
{
    date d;
    if (s.size() != 10 || !detail::parse_ymd(s, d))
        return false;
    out = d;
    return true;
}

/// Appends `YYYY-MM-DD`. Returns false, leaving `out` untouched, for an invalid date or a year
/// outside 0000-9999 (see rfc3339_representable).
[[nodiscard]] inline bool try_append_date(std::string& out, const date& d)
{
    if (!rfc3339_representable(d)) [[unlikely]]
        return false;
    detail::append_ymd_unchecked(out, d);
    return true;
}

/// try_append_date that throws std::invalid_argument for an invalid date or a year outside 0000-9999.
inline void append_date(std::string& out, const date& d)
{
    if (!try_append_date(out, d))
        throw std::invalid_argument(detail::date_failure);
}

/// The text of append_date; throws like it.
[[nodiscard]] inline std::string format_date(const date& d)
{
    std::string s;
    append_date(s, d);
    return s;
}

// ---- uuid ------------------------------------------------------------------------------------

/// Parses the canonical 8-4-4-4-12 hexadecimal form (either case). No braces, no "urn:uuid:".
inline bool parse_uuid(std::string_view s, uuid& out) noexcept
{
    if (s.size() != 36 || s[8] != '-' || s[13] != '-' || s[18] != '-' || s[23] != '-')
        return false;
    uuid u{};
    std::size_t pos = 0;
    for (std::size_t i = 0; i < u.size(); ++i) {
        // Hyphens only where the form has them: before bytes 4, 6, 8 and 10 (positions checked above).
        if (i == 4 || i == 6 || i == 8 || i == 10)
            ++pos;
        auto& byte = u.data[i];
        int hi = detail::hex_value(s[pos]);
        int lo = detail::hex_value(s[pos + 1]);
        if (hi < 0 || lo < 0)
            return false;
        byte = static_cast<std::uint8_t>(hi * 16 + lo);
        pos += 2;
    }
    out = u;
    return true;
}

/// Appends the canonical lower-case form.
inline void append_uuid(std::string& out, const uuid& u)
{
    static constexpr char hex[] = "0123456789abcdef";
    std::size_t i = 0;
    for (auto byte : u.data) {
        if (i == 4 || i == 6 || i == 8 || i == 10)
            out.push_back('-');
        out.push_back(hex[byte >> 4]);
        out.push_back(hex[byte & 0xF]);
        ++i;
    }
}

[[nodiscard]] inline std::string format_uuid(const uuid& u)
{
    std::string s;
    append_uuid(s, u);
    return s;
}

// ---- bytes (base64, RFC 4648 section 4, with padding) -----------------------------------------

inline void append_base64(std::string& out, const std::byte* data, std::size_t n)
{
    const auto* p = reinterpret_cast<const unsigned char*>(data);
    out.reserve(out.size() + (n + 2) / 3 * 4);
    std::size_t i = 0;
    for (; i + 3 <= n; i += 3) {
        unsigned v = (unsigned{p[i]} << 16) | (unsigned{p[i + 1]} << 8) | p[i + 2];
        out.push_back(detail::base64_alphabet[v >> 18]);
        out.push_back(detail::base64_alphabet[(v >> 12) & 63]);
        out.push_back(detail::base64_alphabet[(v >> 6) & 63]);
        out.push_back(detail::base64_alphabet[v & 63]);
    }
    if (n - i == 1) {
        unsigned v = unsigned{p[i]} << 16;
        out.push_back(detail::base64_alphabet[v >> 18]);
        out.push_back(detail::base64_alphabet[(v >> 12) & 63]);
        out.append("==");
    }
    else if (n - i == 2) {
        unsigned v = (unsigned{p[i]} << 16) | (unsigned{p[i + 1]} << 8);
        out.push_back(detail::base64_alphabet[v >> 18]);
        out.push_back(detail::base64_alphabet[(v >> 12) & 63]);
        out.push_back(detail::base64_alphabet[(v >> 6) & 63]);
        out.push_back('=');
    }
}

[[nodiscard]] inline std::string base64_encode(const bytes& b)
{
    std::string s;
    append_base64(s, b.data(), b.size());
    return s;
}

/// Decodes standard base64 with padding (length a multiple of 4, '=' only at the end, unused
/// bits zero). Returns false, leaving `out` untouched, for anything else.
inline bool base64_decode(std::string_view s, bytes& out)
{
    if (s.size() % 4 != 0)
        return false;
    bytes r;
    r.reserve(s.size() / 4 * 3);
    for (std::size_t i = 0; i < s.size(); i += 4) {
        std::uint8_t c[4];
        for (int k = 0; k < 4; ++k)
            c[k] = detail::base64_table[static_cast<unsigned char>(s[i + static_cast<std::size_t>(k)])];
        bool last = i + 4 == s.size();
        if (c[0] > 63 || c[1] > 63)
            return false;
        unsigned v = (unsigned{c[0]} << 18) | (unsigned{c[1]} << 12);
        if (c[2] == 64) { // "xx=="
            if (!last || c[3] != 64 || (v & 0xFFFF) != 0)
                return false;
            r.push_back(static_cast<std::byte>(v >> 16));
            continue;
        }
        if (c[2] > 63)
            return false;
        v |= unsigned{c[2]} << 6;
        if (c[3] == 64) { // "xxx="
            if (!last || (v & 0xFF) != 0)
                return false;
            r.push_back(static_cast<std::byte>(v >> 16));
            r.push_back(static_cast<std::byte>((v >> 8) & 0xFF));
            continue;
        }
        if (c[3] > 63)
            return false;
        v |= c[3];
        r.push_back(static_cast<std::byte>(v >> 16));
        r.push_back(static_cast<std::byte>((v >> 8) & 0xFF));
        r.push_back(static_cast<std::byte>(v & 0xFF));
    }
    out = std::move(r);
    return true;
}

// ---- generated enums ---------------------------------------------------------------------------

/// The wire text of a listed enum value; empty for a value enum_traits does not list.
template <class E>
    requires enum_model<E>
[[nodiscard]] constexpr std::string_view enum_to_wire(E e) noexcept
{
    for (const auto& [value, wire] : enum_traits<E>::values)
        if (value == e)
            return wire;
    return {};
}

/// The wire text of an open enum: the listed text, or the unknown text it carries.
template <class E>
    requires enum_model<E>
[[nodiscard]] std::string_view enum_to_wire(const open_enum<E>& e) noexcept
{
    return e.known() ? enum_to_wire(e.value()) : std::string_view(e.unknown_wire());
}

/// Finds the listed value with this wire text (exact, case-sensitive); false when none.
template <class E>
    requires enum_model<E>
[[nodiscard]] constexpr bool enum_from_wire(std::string_view s, E& out) noexcept
{
    for (const auto& [value, wire] : enum_traits<E>::values) {
        if (wire == s) {
            out = value;
            return true;
        }
    }
    return false;
}

/// Open enums accept every text: unlisted ones are kept as unknown. Always true.
template <class E>
    requires enum_model<E>
bool enum_from_wire(std::string_view s, open_enum<E>& out)
{
    E e{};
    if (enum_from_wire(s, e))
        out = e;
    else
        out = open_enum<E>::unknown(std::string(s));
    return true;
}

} // namespace specbound::json
