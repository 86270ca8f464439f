// The `type_ops` table of every C++ type: one function per parser event, declared here and defined
// in decoder_events.hpp (after the codecs they use); the stand-in types for vector<bool> elements,
// skipped values and streamed discriminators.
// Part of <specbound/json/detail/decoder.hpp>, which includes the parts in order.
#pragma once

#include <specbound/json/detail/decoder_handler.hpp>
#include <specbound/json/detail/type_traits.hpp>

#include <boost/json/value.hpp>

#include <cstdint>
#include <string_view>
#include <type_traits>

namespace specbound::json::detail {

template <class T> slot resolve_fn(void* p, bool is_null);
template <class T> bool on_null_fn(decode_handler& h, void* p);
template <class T> bool on_bool_fn(decode_handler& h, void* p, bool b);
template <class T, class Integer> bool on_integer_fn(decode_handler& h, void* p, Integer i);
template <class T> bool on_double_fn(decode_handler& h, void* p, double d);
template <class T> bool on_string_fn(decode_handler& h, void* p, std::string_view s);
template <class T> bool on_string_value(decode_handler& h, T& v, std::string_view s);
template <class T> bool on_object_fn(decode_handler& h, void* p);
template <class T> bool on_array_fn(decode_handler& h, void* p);
template <class T> bool on_captured_fn(decode_handler& h, void* p, boost::json::value&& v);

template <class V> bool decode_variant(decode_handler& h, V& out, const boost::json::value& v);
template <class T> bool read_fn(typed_reader& r, void* p);

template <class T>
inline constexpr bool is_wrapper_v = is_optional_v<T> || is_nullable_v<T> || is_boxed_v<T>;

// Stand-ins for the events a type refuses. Every model refuses a number with the same words
// ("expected object, got number"), every array a string, every enum an object: so the types of
// one kind share one function per refused event instead of instantiating one each, which is
// most of the functions of a model (compile time and memory of every TU that decodes it).
struct refused_by_object {};
struct refused_by_array {};
struct refused_by_string {};

template <class T>
constexpr auto refusing_stand_in() noexcept
{
    if constexpr (object_model<T> || is_string_map_v<T>)
        return refused_by_object{};
    else if constexpr (is_array_v<T>)
        return refused_by_array{};
    else if constexpr (is_open_enum_v<T> || enum_model<T>)
        return refused_by_string{};
    else
        return T{}; // no stand-in: not reached for other types (see make_ops)
}

template <class T>
constexpr type_ops make_ops() noexcept
{
    if constexpr (is_wrapper_v<T>) {
        // The typed reader reads wrappers by resolve_fn too (typed_reader::read_slot).
        return type_ops{&resolve_fn<T>, nullptr, nullptr, nullptr, nullptr, nullptr, nullptr, nullptr, nullptr, nullptr,
                        nullptr};
    }
    else if constexpr (object_model<T> || is_string_map_v<T> || is_array_v<T> || is_open_enum_v<T> || enum_model<T>) {
        using R = decltype(refusing_stand_in<T>());
        constexpr bool takes_object = object_model<T> || is_string_map_v<T>;
        constexpr bool takes_array = is_array_v<T>;
        constexpr bool takes_string = is_open_enum_v<T> || enum_model<T>;
        return type_ops{nullptr,
                        &on_null_fn<R>,
                        &on_bool_fn<R>,
                        &on_integer_fn<R, std::int64_t>,
                        &on_integer_fn<R, std::uint64_t>,
                        &on_double_fn<R>,
                        &on_string_fn<std::conditional_t<takes_string, T, R>>,
                        &on_object_fn<std::conditional_t<takes_object, T, R>>,
                        &on_array_fn<std::conditional_t<takes_array, T, R>>,
                        &on_captured_fn<R>,
                        &read_fn<T>};
    }
    else {
        return type_ops{nullptr,           &on_null_fn<T>,   &on_bool_fn<T>,   &on_integer_fn<T, std::int64_t>,
                        &on_integer_fn<T, std::uint64_t>,  &on_double_fn<T>, &on_string_fn<T>, &on_object_fn<T>,
                        &on_array_fn<T>,   &on_captured_fn<T>, &read_fn<T>};
    }
}

template <class T>
inline constexpr type_ops ops_v = make_ops<T>();

// The slot of a value of type T at p, with wrappers not yet resolved.
template <class T>
slot slot_of(T& v) noexcept
{
    return slot{&ops_v<T>, &v};
}

// Elements of std::vector<bool> have no address: this stand-in appends to the vector instead.
struct bool_appender {};
// The value of an unknown key: ignored, with its whole subtree.
struct skip_value {};
// The value of a union's discriminator when it is the first key: p points to the union V.
template <class V>
struct discriminator_of {};
template <class T>
struct is_discriminator : std::false_type {};
template <class V>
struct is_discriminator<discriminator_of<V>> : std::true_type {};
template <class T>
inline constexpr bool is_discriminator_v = is_discriminator<T>::value;

inline constexpr slot skip_slot{&ops_v<skip_value>, nullptr};

} // namespace specbound::json::detail
