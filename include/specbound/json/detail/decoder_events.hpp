// What each C++ type does with each parser event: the definitions of the per-type functions
// declared in decoder_type_ops.hpp, and the names of expected types for failure messages.
// Part of <specbound/json/detail/decoder.hpp>, which includes the parts in order.
#pragma once

#include <specbound/json/detail/decoder_codecs.hpp>
#include <specbound/json/detail/decoder_handler.hpp>
#include <specbound/json/detail/decoder_type_ops.hpp>
#include <specbound/json/detail/type_traits.hpp>
#include <specbound/json/scalars.hpp>
#include <specbound/json/traits.hpp>
#include <specbound/types.hpp>

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

namespace specbound::json::detail {

// ---- names for messages ----

template <class T>
std::string integer_name()
{
    return std::string(std::is_signed_v<T> ? "int" : "uint") + number_text(sizeof(T) * 8);
}

template <class T>
constexpr std::string_view expected_name() noexcept
{
    if constexpr (std::is_same_v<T, refused_by_object>)
        return "object";
    else if constexpr (std::is_same_v<T, refused_by_array>)
        return "array";
    else if constexpr (std::is_same_v<T, refused_by_string>)
        return "string";
    else if constexpr (std::is_same_v<T, bool> || std::is_same_v<T, bool_appender>)
        return "boolean";
    else if constexpr (is_discriminator_v<T>)
        return "string";
    else if constexpr (is_integer_v<T>)
        return "integer";
    else if constexpr (std::is_floating_point_v<T>)
        return "number";
    else if constexpr (std::is_same_v<T, std::string> || std::is_same_v<T, date_time> || std::is_same_v<T, date> ||
                       std::is_same_v<T, uuid> || std::is_same_v<T, bytes> || is_open_enum_v<T> || enum_model<T>)
        return "string";
    else if constexpr (is_array_v<T>)
        return "array";
    else if constexpr (object_model<T> || is_string_map_v<T> || std::is_same_v<T, boost::json::object>)
        return "object";
    else if constexpr (variant_model<T>)
        return variant_traits<T>::name;
    else
        return "value";
}

template <class T>
inline constexpr bool is_stringish_v = std::is_same_v<T, std::string> || std::is_same_v<T, date_time> ||
                                       std::is_same_v<T, date> || std::is_same_v<T, uuid> ||
                                       std::is_same_v<T, bytes> || is_open_enum_v<T> || enum_model<T>;

// ---- definitions ----

constexpr double pow2(std::size_t n) noexcept
{
    double r = 1.0;
    for (std::size_t i = 0; i < n; ++i)
        r *= 2.0;
    return r;
}

template <class T>
slot resolve_fn(void* p, bool is_null)
{
    auto& w = *static_cast<T*>(p);
    if constexpr (is_optional_v<T>) {
        using U = typename T::value_type;
        if (is_null && !is_nullable_v<U>) {
            w.reset(); // null for an optional, non-nullable value: taken as absent
            return slot{};
        }
        U& u = w.emplace();
        if constexpr (is_wrapper_v<U>)
            return resolve_fn<U>(&u, is_null);
        else
            return slot_of(u);
    }
    else if constexpr (is_nullable_v<T>) {
        using U = std::remove_cvref_t<decltype(*w)>;
        if (is_null) {
            w.reset();
            return slot{};
        }
        U& u = w.emplace();
        if constexpr (is_wrapper_v<U>)
            return resolve_fn<U>(&u, is_null);
        else
            return slot_of(u);
    }
    else {
        using U = std::remove_cvref_t<decltype(*w)>;
        U& u = *w;
        if constexpr (is_wrapper_v<U>)
            return resolve_fn<U>(&u, is_null);
        else
            return slot_of(u);
    }
}

template <class T>
bool on_null_fn(decode_handler& h, void* p)
{
    if constexpr (std::is_same_v<T, skip_value>)
        return true;
    else if constexpr (std::is_same_v<T, boost::json::value>) {
        static_cast<T*>(p)->emplace_null();
        return true;
    }
    else if constexpr (variant_model<T>)
        return decode_variant(h, *static_cast<T*>(p), boost::json::value(nullptr));
    else
        return h.fail_kind(expected_name<T>(), json_kind::null);
}

template <class T>
bool on_bool_fn(decode_handler& h, void* p, bool b)
{
    if constexpr (std::is_same_v<T, skip_value>)
        return true;
    else if constexpr (std::is_same_v<T, bool>) {
        *static_cast<bool*>(p) = b;
        return true;
    }
    else if constexpr (std::is_same_v<T, bool_appender>) {
        static_cast<std::vector<bool>*>(p)->push_back(b);
        return true;
    }
    else if constexpr (std::is_same_v<T, boost::json::value>) {
        *static_cast<T*>(p) = b;
        return true;
    }
    else if constexpr (variant_model<T>)
        return decode_variant(h, *static_cast<T*>(p), boost::json::value(b));
    else
        return h.fail_kind(expected_name<T>(), json_kind::boolean);
}

/// Both JSON integer events (signed and unsigned): range-checked into integers, exact into floats.
template <class T, class Integer>
bool on_integer_fn(decode_handler& h, void* p, Integer i)
{
    if constexpr (std::is_same_v<T, skip_value>)
        return true;
    else if constexpr (is_integer_v<T>) {
        if (!std::in_range<T>(i))
            return h.fail("integer " + number_text(i) + " out of range for " + integer_name<T>());
        *static_cast<T*>(p) = static_cast<T>(i);
        return true;
    }
    else if constexpr (std::is_floating_point_v<T>) {
        *static_cast<T*>(p) = static_cast<T>(i);
        return true;
    }
    else if constexpr (std::is_same_v<T, boost::json::value>) {
        *static_cast<T*>(p) = i;
        return true;
    }
    else if constexpr (variant_model<T>)
        return decode_variant(h, *static_cast<T*>(p), boost::json::value(i));
    else
        return h.fail_kind(expected_name<T>(), json_kind::number);
}

template <class T>
bool on_double_fn(decode_handler& h, void* p, double d)
{
    if constexpr (std::is_same_v<T, skip_value>)
        return true;
    else if (!std::isfinite(d)) // Boost.JSON reads 1e400 as infinity: nothing would hold that value
        return h.fail("number out of range for double");
    else if constexpr (is_integer_v<T>) {
        // 5.0 is an integer; 5.5 is not. The bounds are exact powers of two, so the comparisons
        // are exact even where the type's limits are not representable as double.
        if (std::trunc(d) != d)
            return h.fail("expected integer, got " + number_text(d));
        constexpr double lo = std::is_signed_v<T> ? -pow2(sizeof(T) * 8 - 1) : 0.0;
        constexpr double hi = pow2(std::is_signed_v<T> ? sizeof(T) * 8 - 1 : sizeof(T) * 8);
        if (!(d >= lo && d < hi))
            return h.fail("number " + number_text(d) + " out of range for " + integer_name<T>());
        *static_cast<T*>(p) = static_cast<T>(d);
        return true;
    }
    else if constexpr (std::is_floating_point_v<T>) {
        if constexpr (sizeof(T) < sizeof(double)) {
            // Doubles up to half a unit past the float's largest value round to that value; the
            // float's own shortest text may be one of them (3.4028235e+38 for FLT_MAX).
            using limits = std::numeric_limits<T>;
            constexpr double overflow = static_cast<double>(limits::max()) +
                                        pow2(static_cast<std::size_t>(limits::max_exponent - limits::digits - 1));
            if (std::fabs(d) >= overflow)
                return h.fail("number " + number_text(d) + " out of range for float");
        }
        *static_cast<T*>(p) = static_cast<T>(d);
        return true;
    }
    else if constexpr (std::is_same_v<T, boost::json::value>) {
        *static_cast<T*>(p) = d;
        return true;
    }
    else if constexpr (variant_model<T>)
        return decode_variant(h, *static_cast<T*>(p), boost::json::value(d));
    else
        return h.fail_kind(expected_name<T>(), json_kind::number);
}

template <class T>
bool on_string_fn(decode_handler& h, void* p, std::string_view s)
{
    if constexpr (is_discriminator_v<T>)
        return variant_codec<typename unwrap_discriminator<T>::type>::on_discriminator(h, p, s);
    else if constexpr (std::is_same_v<T, skip_value> || std::is_same_v<T, bool_appender>)
        return std::is_same_v<T, skip_value> || h.fail_kind(expected_name<T>(), json_kind::string);
    else
        return on_string_value(h, *static_cast<T*>(p), s);
}

template <class T>
bool on_string_value(decode_handler& h, T& v, std::string_view s)
{
    if constexpr (std::is_same_v<T, std::string>) {
        v.assign(s);
        return true;
    }
    else if constexpr (is_open_enum_v<T>) {
        enum_from_wire(s, v);
        return true;
    }
    else if constexpr (enum_model<T>) {
        if (!enum_from_wire(s, v))
            return h.fail("unknown enum value " + quoted(s));
        return true;
    }
    else if constexpr (std::is_same_v<T, date_time>) {
        if (!parse_date_time(s, v))
            return h.fail("invalid date-time " + quoted(s));
        return true;
    }
    else if constexpr (std::is_same_v<T, date>) {
        if (!parse_date(s, v))
            return h.fail("invalid date " + quoted(s));
        return true;
    }
    else if constexpr (std::is_same_v<T, uuid>) {
        if (!parse_uuid(s, v))
            return h.fail("invalid uuid " + quoted(s));
        return true;
    }
    else if constexpr (std::is_same_v<T, bytes>) {
        if (!base64_decode(s, v))
            return h.fail("invalid base64 " + quoted(s));
        return true;
    }
    else if constexpr (std::is_same_v<T, boost::json::value>) {
        v = boost::json::string_view(s.data(), s.size());
        return true;
    }
    else if constexpr (variant_model<T>)
        return decode_variant(h, v, boost::json::value(boost::json::string_view(s.data(), s.size())));
    else
        return h.fail_kind(expected_name<T>(), json_kind::string);
}

template <class T>
bool on_object_fn(decode_handler& h, void* p)
{
    if constexpr (std::is_same_v<T, skip_value>) {
        h.begin_skip();
        return true;
    }
    else if constexpr (object_model<T>) {
        h.push_frame(&object_codec<T>::fops, p, object_codec<T>::words);
        return true;
    }
    else if constexpr (is_string_map_v<T>) {
        static_cast<T*>(p)->clear();
        h.push_frame(&map_codec<T>::fops, p, 0);
        return true;
    }
    else if constexpr (variant_model<T>) {
        if constexpr (variant_codec<T>::streams)
            h.push_frame(&variant_codec<T>::fops, p, 0);
        else
            h.begin_capture(slot{&ops_v<T>, p});
        return true;
    }
    else if constexpr (std::is_same_v<T, boost::json::value> || std::is_same_v<T, boost::json::object>) {
        h.begin_capture(slot{&ops_v<T>, p});
        return true;
    }
    else
        return h.fail_kind(expected_name<T>(), json_kind::object);
}

template <class T>
bool on_array_fn(decode_handler& h, void* p)
{
    if constexpr (std::is_same_v<T, skip_value>) {
        h.begin_skip();
        return true;
    }
    else if constexpr (is_array_v<T>) {
        static_cast<T*>(p)->clear();
        h.push_frame(&vector_codec<T>::fops, p, 0);
        return true;
    }
    else if constexpr (std::is_same_v<T, boost::json::value> || variant_model<T>) {
        h.begin_capture(slot{&ops_v<T>, p});
        return true;
    }
    else
        return h.fail_kind(expected_name<T>(), json_kind::array);
}

template <class T>
bool on_captured_fn(decode_handler& h, void* p, boost::json::value&& v)
{
    if constexpr (std::is_same_v<T, boost::json::value>) {
        *static_cast<T*>(p) = std::move(v);
        return true;
    }
    else if constexpr (std::is_same_v<T, boost::json::object>) {
        *static_cast<T*>(p) = std::move(v.as_object()); // only objects are captured for an object
        return true;
    }
    else if constexpr (variant_model<T>)
        return decode_variant(h, *static_cast<T*>(p), v);
    else
        return h.fail_kind(expected_name<T>(), kind_of(v)); // not reached: nothing else captures
}

} // namespace specbound::json::detail
