// Checking values against their schemas' constraints: what client_options::validation and
// call_options::validation turn on (see validation_options), and what code may call itself.
//
// The walk follows the types: a request's parameters (each with its specbound::param's
// constraints) and body, then models field by field (object_traits' constraints), optionals and
// nullables when they hold a value, boxes, vectors item by item, maps value by value, and unions
// by the alternative they hold. It stops at the first violation: one typed error, and no time
// spent on the rest of a value that is refused anyway.
//
//   keyword                          checked on           how
//   minLength, maxLength             std::string          in Unicode code points (UTF-8 decoded)
//   pattern                          std::string          std::regex, ECMAScript, unanchored (search);
//                                                         compiled once per pattern and cached
//   minimum, maximum, exclusive*     integers, floats     in the value's own precision (a float
//                                                         against the bound as a float)
//   multipleOf                       integers, floats     exactly for integers; for decimals, the
//                                                         quotient within rounding of a whole number
//   minItems, maxItems, uniqueItems  std::vector          uniqueness by ==
//   enum                             specbound::open_enum a value the spec does not list
//
// Not checked: a pattern std::regex rejects or that exceeds detail/pattern_limits.hpp (the
// generator warned and left it out; a hand-written one is skipped the same way), a string longer
// than 4096 bytes against a pattern (std::regex matches by recursion, one level per character),
// and keywords the generator does not carry (minProperties, formats, not, const).
#pragma once

#include <specbound/constraints.hpp>
#include <specbound/detail/config.hpp>
#include <specbound/error.hpp>
#include <specbound/json/detail/type_traits.hpp>
#include <specbound/json/traits.hpp>
#include <specbound/list.hpp>
#include <specbound/types.hpp>

#include <algorithm>
#include <array>
#include <concepts>
#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <variant>
#include <vector>

namespace specbound {

namespace detail {

/// Where a walk is (the JSON pointer so far) and the first violation it found.
struct validation_walk {
    std::string pointer;
    std::string parameter;    // the parameter being walked, if any
    bool hide_values = false; // a header or cookie parameter: its value may be a secret
    bool failed = false;
    constraint_kind constraint{};
    std::string failed_pointer;
    std::string requirement;
    std::string value;
};

/// One step deeper into a value for as long as it lives: `/key` (escaped) or `/index`.
class pointer_step {
public:
    pointer_step(validation_walk& w, std::string_view token) : w_(w), size_(w.pointer.size())
    {
        w.pointer += '/';
        for (char ch : token)
            w.pointer += ch == '~' ? std::string_view("~0") : ch == '/' ? std::string_view("~1") : std::string_view(&ch, 1);
    }
    pointer_step(validation_walk& w, std::size_t index) : w_(w), size_(w.pointer.size())
    {
        w.pointer += '/' + std::to_string(index);
    }
    ~pointer_step() { w_.pointer.resize(size_); }
    pointer_step(const pointer_step&) = delete;
    pointer_step& operator=(const pointer_step&) = delete;

private:
    validation_walk& w_;
    std::size_t size_;
};

enum class pattern_result : std::uint8_t { match, no_match, not_checked };
/// Whether `text` matches the ECMA-262 `pattern` anywhere (JSON Schema patterns are unanchored);
/// not_checked for a pattern std::regex rejects or beyond detail/pattern_limits.hpp.
SPECBOUND_DECL pattern_result match_pattern(std::string_view pattern, std::string_view text);

enum class number_kind : std::uint8_t { integer, float32, float64 };

// The checks of one value against its constraints: false (with the violation in `w`) when it
// breaks one. Not templates, so they are compiled once (impl/validation.ipp).
SPECBOUND_DECL bool check_string(std::string_view value, const constraints& c, validation_walk& w);
SPECBOUND_DECL bool check_number(double value, std::int64_t integer, number_kind kind, const constraints& c,
                                 validation_walk& w);
SPECBOUND_DECL bool check_item_count(std::size_t count, const constraints& c, validation_walk& w);
SPECBOUND_DECL bool fail_validation(validation_walk& w, constraint_kind k, std::string requirement, std::string value);
SPECBOUND_DECL std::string bounded_text(std::string_view text);
SPECBOUND_DECL std::shared_ptr<const validation_error> validation_failure(const validation_walk& w,
                                                                          const std::string& context,
                                                                          validation_target target);

/// A model whose traits say validation finds nothing in it (no constraint or enum anywhere in
/// what it holds; the generator knows): its walk is compiled to nothing.
template <class T>
concept unchecked_model = json::object_model<T> && requires {
    requires json::object_traits<T>::nothing_to_validate;
};

/// Whether a value of T can break something with no constraints of its own: it holds models,
/// enums or unions. Values that cannot are not walked at all.
template <class T>
struct checks_itself : std::bool_constant<(json::object_model<T> && !unchecked_model<T>) || json::variant_model<T>> {};
template <class E>
struct checks_itself<open_enum<E>> : std::true_type {};
template <class T>
struct checks_itself<std::optional<T>> : checks_itself<T> {};
template <class T>
struct checks_itself<nullable<T>> : checks_itself<T> {};
template <class T>
struct checks_itself<boxed<T>> : checks_itself<T> {};
template <class T, class A>
struct checks_itself<std::vector<T, A>> : checks_itself<T> {};
template <class T, class C, class A>
struct checks_itself<std::map<std::string, T, C, A>> : checks_itself<T> {};
template <class... T>
struct checks_itself<std::variant<T...>> : std::disjunction<checks_itself<T>...> {};

/// Whether `<` really orders T. std::totally_ordered is not enough: GCC 12 declares variant's
/// (and so vector's and optional's) comparisons for any alternatives, and they fail to compile
/// for models, which only have ==.
template <class T>
struct orderable : std::bool_constant<std::totally_ordered<T>> {};
template <class T>
struct orderable<std::optional<T>> : orderable<T> {};
template <class T, class A>
struct orderable<std::vector<T, A>> : orderable<T> {};
template <class... T>
constexpr bool alternatives_orderable(const std::variant<T...>*)
{
    return (orderable<T>::value && ...);
}
template <class T>
    requires requires(const T* p) { alternatives_orderable(p); }
struct orderable<T> : std::bool_constant<alternatives_orderable(static_cast<const T*>(nullptr))> {};

/// uniqueItems: by sorting where values are ordered, else pairwise (models only have ==).
template <class T, class A>
bool check_unique(const std::vector<T, A>& v, validation_walk& w)
{
    std::size_t first = 0, second = 0;
    if constexpr (orderable<T>::value) {
        std::vector<std::size_t> order(v.size());
        for (std::size_t i = 0; i < order.size(); ++i)
            order[i] = i;
        std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return v[a] < v[b]; });
        auto same = std::adjacent_find(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return v[a] == v[b]; });
        if (same == order.end())
            return true;
        first = std::min(same[0], same[1]);
        second = std::max(same[0], same[1]);
    } else if constexpr (std::equality_comparable<T>) {
        auto repeated = [&] {
            for (second = 1; second < v.size(); ++second)
                for (first = 0; first < second; ++first)
                    if (v[first] == v[second])
                        return true;
            return false;
        };
        if (!repeated())
            return true;
    } else {
        return true;
    }
    return fail_validation(w, constraint_kind::unique_items, "uniqueItems",
                           "items " + std::to_string(first) + " and " + std::to_string(second) + " are equal");
}

template <class T>
bool walk(const T& v, const constraints* c, validation_walk& w);

template <class T, class Field>
bool walk_field(const T& owner, const Field& f, validation_walk& w)
{
    pointer_step step(w, f.wire_name);
    return walk(owner.*Field::member, f.check, w);
}

/// The indices of T's fields that validation may find something in (constrained, or holding a
/// model, enum or union that checks itself), chosen at compile time so that the other fields
/// compile no code at all: in a large API most fields are plain strings and numbers.
template <class T>
constexpr auto walked_fields()
{
    using fields_type = std::remove_cvref_t<decltype(json::object_traits<T>::fields)>;
    constexpr std::size_t n = std::tuple_size_v<fields_type>;
    constexpr auto walked = []<std::size_t... I>(std::index_sequence<I...>) {
        return std::array<bool, n>{
            (specbound::get<I>(json::object_traits<T>::fields).check != nullptr ||
             checks_itself<typename std::tuple_element_t<I, fields_type>::value_type>::value)...};
    }(std::make_index_sequence<n>{});
    constexpr std::size_t count = static_cast<std::size_t>(std::count(walked.begin(), walked.end(), true));
    std::array<std::size_t, count> out{};
    for (std::size_t i = 0, k = 0; i < n; ++i)
        if (walked[i])
            out[k++] = i;
    return out;
}

template <class T>
bool walk(const T& v, const constraints* c, validation_walk& w)
{
    if constexpr (json::detail::is_optional_v<T> || json::detail::is_nullable_v<T>) {
        return !v.has_value() || walk(*v, c, w);
    } else if constexpr (json::detail::is_boxed_v<T>) {
        return walk(*v, c, w);
    } else if constexpr (json::detail::is_open_enum_v<T>) {
        return v.known() || fail_validation(w, constraint_kind::enumeration, "enum", bounded_text(v.unknown_wire()));
    } else if constexpr (std::is_same_v<T, std::string>) {
        return !c || check_string(v, *c, w);
    } else if constexpr (json::detail::is_integer_v<T>) {
        return !c || check_number(static_cast<double>(v), static_cast<std::int64_t>(v), number_kind::integer, *c, w);
    } else if constexpr (std::is_floating_point_v<T>) {
        return !c || check_number(static_cast<double>(v), 0,
                                  std::is_same_v<T, float> ? number_kind::float32 : number_kind::float64, *c, w);
    } else if constexpr (json::detail::is_array_v<T>) {
        using item = typename T::value_type;
        if (c && (!check_item_count(v.size(), *c, w) || (c->unique_items && !check_unique(v, w))))
            return false;
        const constraints* inner = c ? c->items : nullptr;
        if (inner || checks_itself<item>::value)
            for (std::size_t i = 0; i < v.size(); ++i) {
                pointer_step step(w, i);
                if (!walk(v[i], inner, w))
                    return false;
            }
        return true;
    } else if constexpr (json::detail::is_string_map_v<T>) {
        const constraints* inner = c ? c->items : nullptr;
        if (inner || checks_itself<typename T::mapped_type>::value)
            for (const auto& [key, value] : v) {
                pointer_step step(w, key);
                if (!walk(value, inner, w))
                    return false;
            }
        return true;
    } else if constexpr (unchecked_model<T>) {
        return true;
    } else if constexpr (json::object_model<T>) {
        using traits = json::object_traits<T>;
        static constexpr auto walked = walked_fields<T>();
        const bool fields_ok = [&]<std::size_t... K>(std::index_sequence<K...>) {
            return (walk_field(v, specbound::get<walked[K]>(traits::fields), w) && ...);
        }(std::make_index_sequence<walked.size()>{});
        if (!fields_ok)
            return false;
        if constexpr (requires { traits::additional_properties; })
            return walk(v.*traits::additional_properties, nullptr, w);
        return true;
    } else if constexpr (json::variant_model<T> || json::detail::is_std_variant<T>::value) {
        const auto& base = json::detail::as_variant(v);
        return base.valueless_by_exception() || std::visit([&](const auto& alt) { return walk(alt, nullptr, w); }, base);
    } else {
        return true; // bool, dates, uuids, bytes, JSON values, unknown_alternative: nothing to check
    }
}

} // namespace detail

/// The first value of `request` (parameters in the descriptor's order, then the body) that breaks
/// its schema's constraints, as a validation_error whose message starts with `context`; null when
/// none does. What calls do before sending when validation_options::requests is on.
template <class Op>
std::shared_ptr<const validation_error> validate_request(const typename Op::request_type& request,
                                                         const std::string& context)
{
    detail::validation_walk w;
    const bool parameters_ok = specbound::apply(
        [&](const auto&... p) {
            [[maybe_unused]] auto one = [&](const auto& param) {
                w.parameter = param.name;
                w.hide_values = param.in == param_in::header || param.in == param_in::cookie;
                return detail::walk(request.*std::remove_cvref_t<decltype(param)>::member, param.check, w);
            };
            return (one(p) && ...);
        },
        Op::parameters);
    if (!parameters_ok)
        return detail::validation_failure(w, context, validation_target::parameter);
    w.parameter.clear();
    w.hide_values = false;
    const bool body_ok = specbound::apply(
        [&](const auto&... b) { return (detail::walk(request.*std::remove_cvref_t<decltype(b)>::member, b.check, w) && ...); },
        Op::body);
    return body_ok ? nullptr : detail::validation_failure(w, context, validation_target::request_body);
}

/// The first value of a decoded response body that breaks its schema's constraints (target()
/// response_body), or null. What calls do after decoding a 2xx when validation_options::responses is on.
template <class T>
std::shared_ptr<const validation_error> validate_response(const T& body, const std::string& context)
{
    detail::validation_walk w;
    return detail::walk(body, nullptr, w) ? nullptr
                                          : detail::validation_failure(w, context, validation_target::response_body);
}

} // namespace specbound

#if !defined(SPECBOUND_SEPARATE_COMPILATION)
#include <specbound/impl/validation.ipp>
#endif
