// specbound::list: a constexpr heterogeneous list for generated tables (fields, parameters,
// responses).
//
// Why not std::tuple: a generated API has thousands of such tables, and std::tuple's constrained
// constructors make every one expensive to compile (measured: 100 tables of 20 entries take 20 s
// and 1.8 GB with CTAD, 10 s with make_tuple, 1 s as this aggregate). A list is an aggregate
// built from indexed bases, initialized with brace elision and no overload resolution:
//
//   static constexpr specbound::list fields{field<&pet::id>{"id", true}, field<&pet::name>{"name", true}};
//
// Read it with specbound::get<I>, specbound::apply and std::tuple_size/std::tuple_element; the
// same functions accept std::tuple, so hand-written tables may use either.
#pragma once

#include <cstddef>
#include <tuple>
#include <type_traits>
#include <utility>

namespace specbound {

namespace detail {
template <std::size_t I, class T>
struct list_leaf {
    T value;
};

template <class Indices, class... T>
struct list_base;
template <std::size_t... I, class... T>
struct list_base<std::index_sequence<I...>, T...> : list_leaf<I, T>... {};
} // namespace detail

template <class... T>
struct list : detail::list_base<std::index_sequence_for<T...>, T...> {
    // One constructor, not brace elision: clang's -Wall (-Wmissing-braces) warns on every element
    // of an elided initializer, in the user's build of generated code. The leaves are still
    // aggregates, initialized here with all their braces.
    constexpr list(T... values)
        : detail::list_base<std::index_sequence_for<T...>, T...>{{std::move(values)}...}
    {
    }
};

template <class... T>
list(T...) -> list<T...>;

template <std::size_t I, class T>
constexpr const T& get(const detail::list_leaf<I, T>& leaf) noexcept
{
    return leaf.value;
}

template <std::size_t I, class... T>
constexpr const auto& get(const std::tuple<T...>& t) noexcept
{
    return std::get<I>(t);
}

/// Calls `f` with every element of a list (or tuple).
template <class F, class L>
constexpr decltype(auto) apply(F&& f, const L& l)
{
    return [&]<std::size_t... I>(std::index_sequence<I...>) -> decltype(auto) {
        return std::forward<F>(f)(specbound::get<I>(l)...);
    }(std::make_index_sequence<std::tuple_size_v<L>>{});
}

} // namespace specbound

template <class... T>
struct std::tuple_size<specbound::list<T...>> : std::integral_constant<std::size_t, sizeof...(T)> {};

template <std::size_t I, class... T>
struct std::tuple_element<I, specbound::list<T...>> {
    using type = std::remove_cvref_t<decltype(specbound::get<I>(std::declval<const specbound::list<T...>&>()))>;
};
