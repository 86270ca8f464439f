// Unions decided from a whole value (captured subtree or DOM): by discriminator, else by JSON kind
// and, for objects, by required fields and known keys; each alternative tried with a nested decoder.
// Part of <specbound/json/detail/decoder.hpp>, which includes the parts in order.
#pragma once

#include <specbound/json/detail/decoder_codecs.hpp>
#include <specbound/json/detail/decoder_dom.hpp>
#include <specbound/json/detail/decoder_events.hpp>
#include <specbound/json/detail/decoder_handler.hpp>
#include <specbound/json/detail/type_traits.hpp>
#include <specbound/json/traits.hpp>

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include <algorithm>
#include <array>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <variant>

namespace specbound::json::detail {

// Whether T can decode a JSON value of kind k (before looking at the value itself).
template <class T>
constexpr bool accepts(json_kind k) noexcept
{
    if constexpr (is_optional_v<T> || is_boxed_v<T>)
        return accepts<std::remove_cvref_t<decltype(*std::declval<T&>())>>(k);
    else if constexpr (is_nullable_v<T>)
        return k == json_kind::null || accepts<std::remove_cvref_t<decltype(*std::declval<T&>())>>(k);
    else if constexpr (std::is_same_v<T, bool>)
        return k == json_kind::boolean;
    else if constexpr (std::is_arithmetic_v<T>)
        return k == json_kind::number;
    else if constexpr (is_stringish_v<T>)
        return k == json_kind::string;
    else if constexpr (is_array_v<T>)
        return k == json_kind::array;
    else if constexpr (object_model<T> || is_string_map_v<T> || std::is_same_v<T, boost::json::object>)
        return k == json_kind::object;
    else
        return true; // boost::json::value, nested unions: decided by trying
}

// The generated enum a field holds (through optional, nullable, open_enum), or void.
template <class T>
struct field_enum {
    using type = void;
};
template <class T>
    requires enum_model<T>
struct field_enum<T> {
    using type = T;
};
template <class E>
struct field_enum<open_enum<E>> : field_enum<E> {};
template <class T>
struct field_enum<std::optional<T>> : field_enum<T> {};
template <class T>
struct field_enum<nullable<T>> : field_enum<T> {};

// How many of the object's values for A's enum fields are not among the values A lists: GitHub's
// rule kinds are one oneOf of objects told apart only by `type: {enum: [update]}`, `[creation]`...
// An open enum takes unlisted values, but in a union they say "another alternative".
template <class A>
std::size_t unlisted_enum_values(const boost::json::object& o)
{
    std::size_t unlisted = 0;
    specbound::apply(
        [&](const auto&... f) {
            [[maybe_unused]] auto count = [&](const auto& field) {
                using E = typename field_enum<typename std::remove_cvref_t<decltype(field)>::value_type>::type;
                if constexpr (!std::is_void_v<E>) {
                    const auto* v = o.if_contains(boost::json::string_view(field.wire_name.data(), field.wire_name.size()));
                    if (!v || !v->is_string())
                        return;
                    const std::string_view text(v->get_string().data(), v->get_string().size());
                    bool listed = false;
                    for (const auto& [value, wire] : enum_traits<E>::values)
                        listed = listed || wire == text;
                    unlisted += listed ? 0 : 1;
                }
            };
            (count(f), ...);
        },
        object_traits<A>::fields);
    return unlisted;
}

// For an object value: whether alternative A is a candidate (all its required fields present) and
// how many of the object's keys it knows.
template <class A>
bool object_candidate(const boost::json::object& o, std::size_t& recognized)
{
    using codec = object_codec<A>;
    for (const auto& e : codec::entries)
        if (e.required && !o.contains(boost::json::string_view(e.name.data(), e.name.size())))
            return false;
    std::size_t n = 0;
    for (const auto& kv : o)
        if (codec::find(std::string_view(kv.key().data(), kv.key().size()), 0) != npos)
            ++n;
    recognized = n;
    return true;
}

template <class V, std::size_t I>
std::optional<decode_failure> decode_alternative(V& out, const boost::json::value& v, std::size_t depth)
{
    auto& alt = static_cast<variant_base_t<V>&>(out).template emplace<I>();
    return from_value_impl(v, alt, depth);
}

// Calls f(integral_constant<I>) for I = 0, 1, ... until it returns true.
template <class F, std::size_t... I>
void for_each_alternative(F&& f, std::index_sequence<I...>)
{
    (void)(f(std::integral_constant<std::size_t, I>{}) || ...);
}

template <class V>
bool decode_variant(decode_handler& h, V& out, const boost::json::value& v)
{
    using traits = variant_traits<V>;
    using base = variant_base_t<V>;
    constexpr std::size_t n = std::variant_size_v<base>;
    using seq = std::make_index_sequence<n>;
    json_kind k = kind_of(v);
    // Every nested decoder counts one level more, so that neither a deep DOM nor a union that
    // contains itself can recurse without bound.
    if (h.nesting() >= max_depth)
        return h.fail("nesting deeper than " + number_text(max_depth));
    const std::size_t depth = h.nesting() + 1;

    std::optional<decode_failure> result;
    bool decoded = false;

    // The object alternatives whose required fields are all present, ranked: enum fields holding
    // values they list (fewest unlisted), then most keys known, then order. The first that decodes
    // wins (anyOf/oneOf: any alternative that accepts the value will do); when none does, the
    // best's failure is the union's. With no candidate, the first non-model alternative (map,
    // free-form object, nested union) that decodes.
    auto infer_object = [&](auto alternatives) {
        struct candidate {
            std::size_t index, unlisted, score;
        };
        std::array<candidate, n> ranked{};
        std::size_t count = 0;
        for_each_alternative(
            [&](auto I) {
                using A = typename unboxed<std::variant_alternative_t<I.value, base>>::type;
                if constexpr (object_model<A>) {
                    std::size_t score = 0;
                    if (object_candidate<A>(v.get_object(), score))
                        ranked[count++] = {I.value, unlisted_enum_values<A>(v.get_object()), score};
                }
                return false;
            },
            alternatives);
        std::stable_sort(ranked.begin(), ranked.begin() + static_cast<std::ptrdiff_t>(count),
                         [](const candidate& x, const candidate& y) {
                             return x.unlisted != y.unlisted ? x.unlisted < y.unlisted : x.score > y.score;
                         });
        for (std::size_t c = 0; c < count && !(decoded && !result); ++c) {
            for_each_alternative(
                [&](auto I) {
                    if (I.value != ranked[c].index)
                        return false;
                    std::optional<decode_failure> failure = decode_alternative<V, I.value>(out, v, depth);
                    if (!decoded || !failure)
                        result = std::move(failure); // keep the best's failure, or success
                    decoded = true;
                    return true;
                },
                alternatives);
        }
        if (count > 0)
            return;
        for_each_alternative(
            [&](auto I) {
                using A = typename unboxed<std::variant_alternative_t<I.value, base>>::type;
                if constexpr (!object_model<A>) {
                    if (accepts<A>(k) && !decode_alternative<V, I.value>(out, v, depth)) {
                        decoded = true;
                        return true;
                    }
                }
                return false;
            },
            alternatives);
    };

    if constexpr (!traits::discriminator.empty()) {
        if (k != json_kind::object)
            return h.fail_kind("object", k);
        constexpr std::size_t known = known_alternatives<V>();
        const auto* d = v.get_object().if_contains(
            boost::json::string_view(traits::discriminator.data(), traits::discriminator.size()));
        if (d == nullptr) {
            // The discriminator is a hint, and specs leave it optional (GitHub's user_view_type):
            // without it, the alternative is inferred as for a union that has none.
            infer_object(std::make_index_sequence<known>{});
            if (!decoded)
                return h.fail("missing discriminator " + quoted(traits::discriminator) + " of " +
                              std::string(traits::name));
        }
        else {
            std::string dp = h.pointer();
            append_pointer_token(dp, traits::discriminator);
            if (!d->is_string())
                return h.fail_at(std::move(dp), "expected string, got " + std::string(kind_name(kind_of(*d))));
            std::string_view value(d->get_string().data(), d->get_string().size());
            const std::size_t index = mapped_alternative<V>(value);
            if (index >= known) {
                if constexpr (has_unknown_alternative_v<V>) {
                    // A kind the server added since: kept whole, not a failure.
                    auto& other = static_cast<base&>(out).template emplace<known>();
                    other.discriminator_value.assign(value);
                    other.raw = v.get_object();
                    return true;
                }
                else {
                    return h.fail_at(std::move(dp), "unknown discriminator value " + quoted(value) + " of " +
                                                        std::string(traits::name));
                }
            }
            for_each_alternative(
                [&](auto I) {
                    if (I.value != index)
                        return false;
                    result = decode_alternative<V, I.value>(out, v, depth);
                    decoded = true;
                    return true;
                },
                std::make_index_sequence<known>{});
        }
    }
    else if (k == json_kind::object) {
        infer_object(seq{});
    }
    else {
        // Scalars and arrays: the first alternative of a fitting kind that decodes.
        for_each_alternative(
            [&](auto I) {
                using A = std::variant_alternative_t<I.value, base>;
                if (accepts<A>(k) && !decode_alternative<V, I.value>(out, v, depth)) {
                    decoded = true;
                    return true;
                }
                return false;
            },
            seq{});
    }
    if (!decoded)
        return h.fail("no alternative of " + std::string(traits::name) + " matches");
    if (result)
        return h.fail_nested(std::move(*result));
    return true;
}

} // namespace specbound::json::detail
