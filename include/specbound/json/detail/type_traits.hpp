// Classification of the C++ types the JSON layer handles.
#pragma once

#include <specbound/json/traits.hpp>
#include <specbound/types.hpp>

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <variant>
#include <vector>

namespace specbound::json::detail {

template <class T> struct is_optional : std::false_type {};
template <class T> struct is_optional<std::optional<T>> : std::true_type {};
template <class T> struct is_nullable : std::false_type {};
template <class T> struct is_nullable<specbound::nullable<T>> : std::true_type {};
template <class T> struct is_boxed : std::false_type {};
template <class T> struct is_boxed<specbound::boxed<T>> : std::true_type {};
template <class T> struct is_open_enum : std::false_type {};
template <class E> struct is_open_enum<specbound::open_enum<E>> : std::true_type {};
template <class T> struct is_vector : std::false_type {};
template <class T, class A> struct is_vector<std::vector<T, A>> : std::true_type {};
template <class T> struct is_std_variant : std::false_type {};
template <class... T> struct is_std_variant<std::variant<T...>> : std::true_type {};
template <class T> struct is_string_map : std::false_type {};
template <class T, class C, class A> struct is_string_map<std::map<std::string, T, C, A>> : std::true_type {};

template <class T> inline constexpr bool is_optional_v = is_optional<T>::value;
template <class T> inline constexpr bool is_nullable_v = is_nullable<T>::value;
template <class T> inline constexpr bool is_boxed_v = is_boxed<T>::value;
template <class T> inline constexpr bool is_open_enum_v = is_open_enum<T>::value;
// `bytes` is a vector of std::byte but travels as a base64 string, not an array.
template <class T> inline constexpr bool is_array_v = is_vector<T>::value && !std::is_same_v<T, specbound::bytes>;
template <class T> inline constexpr bool is_string_map_v = is_string_map<T>::value;

// A boxed<T> alternative of a union stands for T.
template <class T>
struct unboxed {
    using type = T;
};
template <class T>
struct unboxed<specbound::boxed<T>> {
    using type = T;
};
template <class T>
const T& unbox(const T& v) noexcept
{
    return v;
}
template <class T>
const T& unbox(const specbound::boxed<T>& v) noexcept
{
    return *v;
}

template <class T>
inline constexpr bool is_integer_v = std::is_integral_v<T> && !std::is_same_v<T, bool>;

// The std::variant a generated union derives from.
template <class... A>
std::variant<A...>& as_variant(std::variant<A...>& v) noexcept
{
    return v;
}
template <class... A>
const std::variant<A...>& as_variant(const std::variant<A...>& v) noexcept
{
    return v;
}
template <class V>
using variant_base_t = std::remove_cvref_t<decltype(as_variant(std::declval<V&>()))>;

// The alternatives of union V that the spec names: all but a last specbound::unknown_alternative,
// which holds the objects whose discriminator value the mapping does not know.
template <class V>
constexpr std::size_t known_alternatives() noexcept
{
    using base = variant_base_t<V>;
    constexpr std::size_t n = std::variant_size_v<base>;
    if constexpr (n > 0 && std::is_same_v<std::variant_alternative_t<n - 1, base>, specbound::unknown_alternative>) {
        static_assert(!variant_traits<V>::discriminator.empty(),
                      "specbound::unknown_alternative: only a union with a discriminator can tell an unknown kind");
        return n - 1;
    }
    else {
        return n;
    }
}
template <class V>
inline constexpr bool has_unknown_alternative_v = known_alternatives<V>() < std::variant_size_v<variant_base_t<V>>;

// The alternative a discriminator value names in V's mapping; npos-like (the mapping's size or
// more, never a known alternative) when it names none.
template <class V>
constexpr std::size_t mapped_alternative(std::string_view value) noexcept
{
    for (const auto& [wire, i] : variant_traits<V>::mapping)
        if (wire == value)
            return i;
    return static_cast<std::size_t>(-1);
}

// The JSON kind of a value, for inference and messages.
enum class json_kind : std::uint8_t { null, boolean, number, string, array, object };

constexpr std::string_view kind_name(json_kind k) noexcept
{
    switch (k) {
    case json_kind::null: return "null";
    case json_kind::boolean: return "boolean";
    case json_kind::number: return "number";
    case json_kind::string: return "string";
    case json_kind::array: return "array";
    case json_kind::object: return "object";
    }
    return "value";
}

inline json_kind kind_of(const boost::json::value& v) noexcept
{
    switch (v.kind()) {
    case boost::json::kind::null: return json_kind::null;
    case boost::json::kind::bool_: return json_kind::boolean;
    case boost::json::kind::int64:
    case boost::json::kind::uint64:
    case boost::json::kind::double_: return json_kind::number;
    case boost::json::kind::string: return json_kind::string;
    case boost::json::kind::array: return json_kind::array;
    case boost::json::kind::object: return json_kind::object;
    }
    return json_kind::null;
}

} // namespace specbound::json::detail
