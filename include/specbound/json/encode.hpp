// Encoding models (and every other type listed in traits.hpp) as compact JSON text.
//
// Text is written directly, without a DOM. Absent optionals are omitted, nullable nulls are
// `null`, maps keep their order, unions write their active alternative (with the discriminator
// property when the alternative has no such field; an unknown_alternative writes its `raw` object).
//
// Values JSON cannot carry (non-finite numbers, strings that are not UTF-8, enum values the spec
// does not list, dates outside 0000-9999, a union left valueless by an exception) are failures:
// try_encode and try_to_value return a static text naming the first one and never throw for it;
// encode and to_value throw it as std::invalid_argument. (std::bad_alloc may escape either.)
#pragma once

#include <specbound/json/detail/type_traits.hpp>
#include <specbound/json/scalars.hpp>
#include <specbound/json/traits.hpp>
#include <specbound/types.hpp>

#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

#include <array>
#include <charconv>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <stdexcept>
#include <string>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <utility>
#include <variant>

namespace specbound::json {
namespace detail {

inline constexpr char not_utf8_failure[] = "specbound: cannot encode a string that is not valid UTF-8 as JSON";
inline constexpr char non_finite_failure[] = "specbound: cannot encode a non-finite number (NaN or infinity) as JSON";
inline constexpr char unlisted_enum_failure[] = "specbound: cannot encode an enum value that the spec does not list";
inline constexpr char valueless_failure[] = "specbound: cannot encode a union left valueless by an exception";

// Keeps the first failure in `slot` (a static text; nullptr while there is none), drops later ones.
inline void note_failure(const char*& slot, const char* why) noexcept
{
    if (!slot)
        slot = why;
}

// Where encoding writes, and the slot of its first failure. Passed by value: two references that
// travel in registers (measured faster than a writer& whose `out` is reloaded after each write).
// Writing goes on after a failure; what it writes then is partial and meant to be discarded.
struct writer {
    std::string& out;
    const char*& failure;

    void fail(const char* why) const noexcept { note_failure(failure, why); }
};

// 0: copy as is; 1: escape as \uXXXX; other: the letter of a short escape (\n, \", ...);
// 2: the first byte of a multi-byte UTF-8 sequence, validated separately.
inline constexpr std::array<char, 256> escape_table = [] {
    std::array<char, 256> t{};
    for (int c = 0; c < 0x20; ++c)
        t[static_cast<std::size_t>(c)] = 1;
    t['\b'] = 'b';
    t['\f'] = 'f';
    t['\n'] = 'n';
    t['\r'] = 'r';
    t['\t'] = 't';
    t['"'] = '"';
    t['\\'] = '\\';
    for (int c = 0x80; c < 0x100; ++c)
        t[static_cast<std::size_t>(c)] = 2;
    return t;
}();

// Length of the well-formed UTF-8 sequence at p (RFC 3629: no overlongs, no surrogates, at most
// U+10FFFF), or 0.
inline std::size_t utf8_sequence(const unsigned char* p, const unsigned char* end) noexcept
{
    unsigned char c = p[0];
    auto cont = [&](std::size_t i) { return p + i < end && (p[i] & 0xC0) == 0x80; };
    if (c >= 0xC2 && c <= 0xDF)
        return cont(1) ? 2 : 0;
    if (c >= 0xE0 && c <= 0xEF) {
        if (!cont(1) || !cont(2))
            return 0;
        if (c == 0xE0 && p[1] < 0xA0)
            return 0; // overlong
        if (c == 0xED && p[1] >= 0xA0)
            return 0; // surrogate
        return 3;
    }
    if (c >= 0xF0 && c <= 0xF4) {
        if (!cont(1) || !cont(2) || !cont(3))
            return 0;
        if (c == 0xF0 && p[1] < 0x90)
            return 0; // overlong
        if (c == 0xF4 && p[1] >= 0x90)
            return 0; // above U+10FFFF
        return 4;
    }
    return 0;
}

// Whether any of 8 bytes is a control character, '"', '\\' or non-ASCII (exact for "any").
constexpr bool needs_attention(std::uint64_t x) noexcept
{
    constexpr std::uint64_t ones = 0x0101010101010101ULL;
    constexpr std::uint64_t high = 0x8080808080808080ULL;
    std::uint64_t control = (x - ones * 0x20) & ~x & high;
    std::uint64_t q = x ^ (ones * '"');
    std::uint64_t quote = (q - ones) & ~q & high;
    std::uint64_t b = x ^ (ones * '\\');
    std::uint64_t backslash = (b - ones) & ~b & high;
    return ((x & high) | control | quote | backslash) != 0;
}

// Bytes that are not UTF-8 are a failure; they are then copied as is and the loop goes on, so that
// it keeps a single exit (an early return measured a few percent slower on valid text).
inline void write_string(writer w, std::string_view s)
{
    std::string& out = w.out;
    out.push_back('"');
    const auto* p = reinterpret_cast<const unsigned char*>(s.data());
    const auto* end = p + s.size();
    const auto* run = p; // start of the bytes not yet copied
    while (p < end) {
        if (end - p >= 8) { // skip plain ASCII 8 bytes at a time
            std::uint64_t x;
            std::memcpy(&x, p, 8);
            if (!needs_attention(x)) {
                p += 8;
                continue;
            }
        }
        char e = escape_table[*p];
        if (e == 0) {
            ++p;
            continue;
        }
        if (e == 2) {
            std::size_t n = utf8_sequence(p, end);
            if (n == 0) [[unlikely]] {
                w.fail(not_utf8_failure);
                n = 1;
            }
            p += n;
            continue;
        }
        out.append(reinterpret_cast<const char*>(run), static_cast<std::size_t>(p - run));
        if (e == 1) {
            static constexpr char hex[] = "0123456789abcdef";
            char u[6] = {'\\', 'u', '0', '0', hex[*p >> 4], hex[*p & 0xF]};
            out.append(u, 6);
        }
        else {
            out.push_back('\\');
            out.push_back(e);
        }
        ++p;
        run = p;
    }
    out.append(reinterpret_cast<const char*>(run), static_cast<std::size_t>(p - run));
    out.push_back('"');
}

template <class T>
void write_number(writer w, T v)
{
    if constexpr (std::is_floating_point_v<T>) {
        if (!std::isfinite(v)) [[unlikely]] {
            w.fail(non_finite_failure);
            return;
        }
        if (v == 0 && std::signbit(v)) { // to_chars writes "-0", which JSON parsers read as the integer 0
            w.out.append("-0.0");
            return;
        }
    }
    char buf[64];
    auto r = std::to_chars(buf, buf + sizeof buf, v); // shortest round-trip form for floating point
    w.out.append(buf, r.ptr);
}

template <class E>
void write_enum(writer w, E e)
{
    std::string_view wire = enum_to_wire(e);
    if (wire.empty()) [[unlikely]] {
        w.fail(unlisted_enum_failure);
        return;
    }
    write_string(w, wire);
}

template <class T>
void write_value(writer w, const T& v);

// Writes `"name":` from a run-time name (map keys, additional properties).
inline void write_key(writer w, std::string_view name)
{
    write_string(w, name);
    w.out.push_back(':');
}

// `"name":` of every field of T, escaped and quoted at compile time, back to back.
template <class T>
struct object_keys {
    static constexpr std::size_t size = std::tuple_size_v<std::remove_cvref_t<decltype(object_traits<T>::fields)>>;

    static constexpr std::size_t escaped_size(std::string_view s) noexcept
    {
        std::size_t n = 0;
        for (char c : s) {
            char e = escape_table[static_cast<unsigned char>(c)];
            n += e == 0 || e == 2 ? 1 : e == 1 ? 6 : 2;
        }
        return n;
    }

    static constexpr std::array<std::size_t, size + 1> offsets = [] {
        std::array<std::size_t, size + 1> o{};
        std::size_t i = 0;
        specbound::apply([&](const auto&... f) { ((o[i + 1] = o[i] + escaped_size(f.wire_name) + 3, ++i), ...); },
                   object_traits<T>::fields);
        return o;
    }();

    static constexpr std::array<char, offsets[size]> text = [] {
        std::array<char, offsets[size]> t{};
        std::size_t pos = 0;
        auto put = [&](std::string_view name) {
            constexpr char hex[] = "0123456789abcdef";
            t[pos++] = '"';
            for (char c : name) {
                auto u = static_cast<unsigned char>(c);
                char e = escape_table[u];
                if (e == 0 || e == 2) { // names are UTF-8 from the spec: bytes pass through
                    t[pos++] = c;
                }
                else if (e == 1) {
                    for (char x : {'\\', 'u', '0', '0', hex[u >> 4], hex[u & 0xF]})
                        t[pos++] = x;
                }
                else {
                    t[pos++] = '\\';
                    t[pos++] = e;
                }
            }
            t[pos++] = '"';
            t[pos++] = ':';
        };
        specbound::apply([&](const auto&... f) { (put(f.wire_name), ...); }, object_traits<T>::fields);
        return t;
    }();

    static void write(std::string& out, std::size_t i)
    {
        out.append(text.data() + offsets[i], offsets[i + 1] - offsets[i]);
    }
};

template <class T>
constexpr bool has_field_named(std::string_view name) noexcept
{
    return specbound::apply([&](const auto&... f) { return ((f.wire_name == name) || ...); }, object_traits<T>::fields);
}

// Whether v's member for the JSON key `name` holds nothing: an empty string or an absent optional.
// A union's discriminator member left so is written with the value that names the alternative.
template <class T>
bool member_unset(const T& v, std::string_view name)
{
    bool unset = false;
    specbound::apply(
        [&](const auto&... f) {
            [[maybe_unused]] auto one = [&](const auto& field) {
                if (field.wire_name != name)
                    return;
                const auto& m = v.*(std::remove_cvref_t<decltype(field)>::member);
                using M = std::remove_cvref_t<decltype(m)>;
                if constexpr (is_optional_v<M>) {
                    if constexpr (std::is_same_v<typename M::value_type, std::string>)
                        unset = !m || m->empty();
                    else
                        unset = !m;
                }
                else if constexpr (std::is_same_v<M, std::string>)
                    unset = m.empty();
            };
            (one(f), ...);
        },
        object_traits<T>::fields);
    return unset;
}

// `prefix_key`/`prefix_value`: a union's discriminator and the value that names the alternative,
// written first when not empty; T's own member for it, if any, is then left out (found unset).
template <class T>
void write_object(writer w, const T& v, std::string_view prefix_key = {}, std::string_view prefix_value = {})
{
    using traits = object_traits<T>;
    std::string& out = w.out;
    out.push_back('{');
    bool first = true;
    if (!prefix_key.empty()) {
        write_key(w, prefix_key);
        write_string(w, prefix_value);
        first = false;
    }
    specbound::apply(
        [&](const auto&... f) {
            std::size_t index = 0;
            [[maybe_unused]] auto one = [&](const auto& field) { // unused for an object without fields
                std::size_t i = index++;
                const auto& m = v.*(std::remove_cvref_t<decltype(field)>::member);
                using M = std::remove_cvref_t<decltype(m)>;
                if (!prefix_key.empty() && field.wire_name == prefix_key)
                    return;
                if constexpr (is_optional_v<M>) {
                    if (!m)
                        return;
                }
                if (!first)
                    out.push_back(',');
                first = false;
                object_keys<T>::write(out, i);
                if constexpr (is_optional_v<M>)
                    write_value(w, *m);
                else
                    write_value(w, m);
            };
            (one(f), ...);
        },
        traits::fields);
    if constexpr (requires { traits::additional_properties; }) {
        for (const auto& [key, value] : v.*traits::additional_properties) {
            if (has_field_named<T>(key))
                continue; // a declared field is written from its member, once
            using M = std::remove_cvref_t<decltype(value)>;
            if constexpr (is_optional_v<M>) {
                if (!value)
                    continue;
            }
            if (!first)
                out.push_back(',');
            first = false;
            write_key(w, key);
            write_value(w, value);
        }
    }
    out.push_back('}');
}

template <class V>
void write_variant(writer w, const V& v)
{
    using traits = variant_traits<V>;
    const auto& base = as_variant(v);
    if (base.valueless_by_exception()) [[unlikely]] {
        w.fail(valueless_failure);
        return;
    }
    std::visit(
        [&](const auto& alt) {
            using A = typename unboxed<std::remove_cvref_t<decltype(alt)>>::type;
            if constexpr (!traits::discriminator.empty() && object_model<A>) {
                if (!has_field_named<A>(traits::discriminator) || member_unset(unbox(alt), traits::discriminator)) {
                    for (const auto& [wire, index] : traits::mapping) {
                        if (index == base.index()) {
                            write_object(w, unbox(alt), traits::discriminator, wire);
                            return;
                        }
                    }
                }
            }
            write_value(w, alt);
        },
        base);
}

template <class T>
void write_value(writer w, const T& v)
{
    [[maybe_unused]] std::string& out = w.out; // unused for the kinds that delegate
    if constexpr (is_optional_v<T>) {
        if (v)
            write_value(w, *v);
        else
            out.append("null"); // only outside objects, where absent cannot be expressed
    }
    else if constexpr (is_nullable_v<T>) {
        if (v.is_null())
            out.append("null");
        else
            write_value(w, *v);
    }
    else if constexpr (is_boxed_v<T>)
        write_value(w, *v);
    else if constexpr (std::is_same_v<T, bool>)
        out.append(v ? "true" : "false");
    else if constexpr (std::is_arithmetic_v<T>)
        write_number(w, v);
    else if constexpr (std::is_same_v<T, std::string>)
        write_string(w, v);
    else if constexpr (std::is_same_v<T, date_time>) {
        out.push_back('"');
        if (!try_append_date_time(out, v)) [[unlikely]]
            w.fail(date_time_failure);
        out.push_back('"');
    }
    else if constexpr (std::is_same_v<T, date>) {
        out.push_back('"');
        if (!try_append_date(out, v)) [[unlikely]]
            w.fail(date_failure);
        out.push_back('"');
    }
    else if constexpr (std::is_same_v<T, uuid>) {
        out.push_back('"');
        append_uuid(out, v);
        out.push_back('"');
    }
    else if constexpr (std::is_same_v<T, bytes>) {
        out.push_back('"');
        append_base64(out, v.data(), v.size());
        out.push_back('"');
    }
    else if constexpr (is_open_enum_v<T>) {
        if (v.known())
            write_enum(w, v.value());
        else
            write_string(w, v.unknown_wire());
    }
    else if constexpr (enum_model<T>)
        write_enum(w, v);
    else if constexpr (std::is_same_v<T, boost::json::value> || std::is_same_v<T, boost::json::object>)
        out.append(boost::json::serialize(v));
    else if constexpr (std::is_same_v<T, unknown_alternative>)
        out.append(boost::json::serialize(v.raw)); // as it arrived: its discriminator is in it
    else if constexpr (is_array_v<T>) {
        using E = typename T::value_type;
        out.push_back('[');
        bool first = true;
        for (const auto& e : v) {
            if (!first)
                out.push_back(',');
            first = false;
            write_value<E>(w, e); // E explicit: std::vector<bool> yields proxies
        }
        out.push_back(']');
    }
    else if constexpr (is_string_map_v<T>) {
        out.push_back('{');
        bool first = true;
        for (const auto& [key, value] : v) {
            if (!first)
                out.push_back(',');
            first = false;
            write_key(w, key);
            write_value(w, value);
        }
        out.push_back('}');
    }
    else if constexpr (object_model<T>)
        write_object(w, v);
    else if constexpr (variant_model<T>)
        write_variant(w, v);
    else
        static_assert(sizeof(T) == 0, "specbound::json: no JSON encoding for this type");
}

// ---- DOM building (to_value) ----
//
// Each builder takes `failure`, the slot of the first failure (see note_failure); after one, the
// value built is partial and meant to be discarded.

// Whether `s` is well-formed UTF-8.
[[nodiscard]] inline bool check_utf8(std::string_view s) noexcept
{
    const auto* p = reinterpret_cast<const unsigned char*>(s.data());
    const auto* end = p + s.size();
    while (p < end) {
        if (*p < 0x80) {
            ++p;
            continue;
        }
        std::size_t n = utf8_sequence(p, end);
        if (n == 0)
            return false;
        p += n;
    }
    return true;
}

inline boost::json::value make_string(std::string_view s, const char*& failure)
{
    if (!check_utf8(s)) [[unlikely]] {
        note_failure(failure, not_utf8_failure);
        return nullptr;
    }
    return boost::json::value(boost::json::string_view(s.data(), s.size()));
}

template <class T>
boost::json::value make_value(const T& v, const char*& failure);

template <class T>
void fill_object(boost::json::object& o, const T& v, const char*& failure)
{
    using traits = object_traits<T>;
    specbound::apply(
        [&](const auto&... f) {
            [[maybe_unused]] auto one = [&](const auto& field) { // unused for an object without fields
                const auto& m = v.*(std::remove_cvref_t<decltype(field)>::member);
                using M = std::remove_cvref_t<decltype(m)>;
                boost::json::string_view key(field.wire_name.data(), field.wire_name.size());
                if constexpr (is_optional_v<M>) {
                    if (m)
                        o[key] = make_value(*m, failure);
                }
                else {
                    o[key] = make_value(m, failure);
                }
            };
            (one(f), ...);
        },
        traits::fields);
    if constexpr (requires { traits::additional_properties; }) {
        for (const auto& [key, value] : v.*traits::additional_properties) {
            if (has_field_named<T>(key))
                continue;
            using M = std::remove_cvref_t<decltype(value)>;
            if constexpr (is_optional_v<M>) {
                if (!value)
                    continue;
            }
            if (!check_utf8(key)) [[unlikely]] {
                note_failure(failure, not_utf8_failure);
                continue;
            }
            o[key] = make_value(value, failure);
        }
    }
}

template <class T>
boost::json::value make_value(const T& v, const char*& failure)
{
    if constexpr (is_optional_v<T>)
        return v ? make_value(*v, failure) : boost::json::value(nullptr);
    else if constexpr (is_nullable_v<T>)
        return v.is_null() ? boost::json::value(nullptr) : make_value(*v, failure);
    else if constexpr (is_boxed_v<T>)
        return make_value(*v, failure);
    else if constexpr (std::is_same_v<T, bool>)
        return boost::json::value(v);
    else if constexpr (std::is_floating_point_v<T>) {
        if (!std::isfinite(v)) [[unlikely]] {
            note_failure(failure, non_finite_failure);
            return nullptr;
        }
        if constexpr (sizeof(T) < sizeof(double)) {
            // The double whose shortest text is the float's: what decoding encode()'s text gives.
            char buf[32];
            auto r = std::to_chars(buf, buf + sizeof buf, v);
            double d = 0;
            std::from_chars(buf, r.ptr, d);
            return boost::json::value(d);
        }
        else {
            return boost::json::value(static_cast<double>(v));
        }
    }
    else if constexpr (std::is_integral_v<T>) {
        if constexpr (std::is_signed_v<T>)
            return boost::json::value(static_cast<std::int64_t>(v));
        else
            return boost::json::value(static_cast<std::uint64_t>(v));
    }
    else if constexpr (std::is_same_v<T, std::string>)
        return make_string(v, failure);
    else if constexpr (std::is_same_v<T, boost::json::value>)
        return v;
    else if constexpr (std::is_same_v<T, boost::json::object>)
        return boost::json::value(v);
    else if constexpr (std::is_same_v<T, unknown_alternative>)
        return boost::json::value(v.raw);
    else if constexpr (std::is_same_v<T, date_time> || std::is_same_v<T, date> || std::is_same_v<T, uuid> ||
                       std::is_same_v<T, bytes> || is_open_enum_v<T> || enum_model<T>) {
        std::string s;
        const char* why = nullptr;
        write_value(writer{s, why}, v); // the quoted text; its inside needs no escaping
        if (why) [[unlikely]] {
            note_failure(failure, why);
            return nullptr;
        }
        return boost::json::value(boost::json::string_view(s.data() + 1, s.size() - 2));
    }
    else if constexpr (is_array_v<T>) {
        using E = typename T::value_type;
        boost::json::array a;
        a.reserve(v.size());
        for (const auto& e : v)
            a.push_back(make_value<E>(e, failure));
        return a;
    }
    else if constexpr (is_string_map_v<T>) {
        boost::json::object o;
        o.reserve(v.size());
        for (const auto& [key, value] : v) {
            if (!check_utf8(key)) [[unlikely]] {
                note_failure(failure, not_utf8_failure);
                continue;
            }
            o[key] = make_value(value, failure);
        }
        return o;
    }
    else if constexpr (object_model<T>) {
        boost::json::object o;
        fill_object(o, v, failure);
        return o;
    }
    else if constexpr (variant_model<T>) {
        using traits = variant_traits<T>;
        const auto& base = as_variant(v);
        if (base.valueless_by_exception()) [[unlikely]] {
            note_failure(failure, valueless_failure);
            return nullptr;
        }
        return std::visit(
            [&](const auto& alt) -> boost::json::value {
                using A = typename unboxed<std::remove_cvref_t<decltype(alt)>>::type;
                if constexpr (!traits::discriminator.empty() && object_model<A>) {
                    if (!has_field_named<A>(traits::discriminator) ||
                        member_unset(unbox(alt), traits::discriminator)) {
                        for (const auto& [wire, index] : traits::mapping) {
                            if (index == base.index()) {
                                boost::json::object o;
                                const boost::json::string_view key(traits::discriminator.data(),
                                                                   traits::discriminator.size());
                                o[key] = nullptr; // first, like write_object; the member only fills it
                                fill_object(o, unbox(alt), failure);
                                o[key] = boost::json::string_view(wire.data(), wire.size());
                                return o;
                            }
                        }
                    }
                }
                return make_value(alt, failure);
            },
            base);
    }
    else
        static_assert(sizeof(T) == 0, "specbound::json: no JSON encoding for this type");
}

} // namespace detail

/// Appends the compact JSON text of `v` to `out`. Returns nullptr on success, or a static text
/// naming the first value JSON cannot carry (see the top of this header); `out` then holds a
/// partial document, to be discarded. Does not throw for bad values (std::bad_alloc may escape).
template <class T>
[[nodiscard]] const char* try_encode(const T& v, std::string& out)
{
    const char* failure = nullptr;
    detail::write_value(detail::writer{out, failure}, v);
    return failure;
}

/// try_encode that throws the failure as std::invalid_argument; `out` then holds a partial document.
template <class T>
void encode(const T& v, std::string& out)
{
    if (const char* why = try_encode(v, out)) [[unlikely]]
        throw std::invalid_argument(why);
}

/// The compact JSON text of `v`; throws like encode(v, out).
template <class T>
[[nodiscard]] std::string encode(const T& v)
{
    std::string s;
    encode(v, s);
    return s;
}

/// Sets `out` to the DOM of `v`, built directly: the document encode() writes, except that a
/// double stays a double in the DOM even when integral (encode() writes 2.0 as `2`). Returns
/// nullptr on success, or the failure try_encode would return, leaving `out` untouched. Does not
/// throw for bad values (std::bad_alloc may escape).
template <class T>
[[nodiscard]] const char* try_to_value(const T& v, boost::json::value& out)
{
    const char* failure = nullptr;
    boost::json::value built = detail::make_value(v, failure);
    if (failure) [[unlikely]]
        return failure;
    out = std::move(built);
    return nullptr;
}

/// The DOM of `v` (see try_to_value); throws the failure as std::invalid_argument.
template <class T>
[[nodiscard]] boost::json::value to_value(const T& v)
{
    boost::json::value out;
    if (const char* why = try_to_value(v, out)) [[unlikely]]
        throw std::invalid_argument(why);
    return out;
}

} // namespace specbound::json
