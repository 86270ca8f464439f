// Turning a request member into the shape OpenAPI's parameter styles work on: absent, a primitive,
// an array of primitives, or an object of primitive members. Sans-I/O.
#pragma once

#include <specbound/error.hpp>
#include <specbound/json/detail/type_traits.hpp>
#include <specbound/json/scalars.hpp>
#include <specbound/json/traits.hpp>
#include <specbound/types.hpp>

#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>
#include <boost/uuid/uuid_io.hpp>

#include <charconv>
#include <cmath>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

namespace specbound::detail {

/// The first reason a request cannot be built. Request building reports bad values here instead
/// of failing by exception; it may go on after a failure (cheaply), and its output is then discarded.
struct build_status {
    std::string failure;
    [[nodiscard]] bool ok() const noexcept { return failure.empty(); }
    void fail(std::string why)
    {
        if (failure.empty())
            failure = std::move(why);
    }
};

struct param_value {
    enum class kind : std::uint8_t { absent, primitive, array, object };
    kind k = kind::absent;
    std::string primitive;
    std::vector<std::string> items;
    std::vector<std::pair<std::string, std::string>> members;
};

template <class T>
struct is_optional : std::false_type {};
template <class T>
struct is_optional<std::optional<T>> : std::true_type {};
template <class T>
struct is_nullable : std::false_type {};
template <class T>
struct is_nullable<nullable<T>> : std::true_type {};
template <class T>
struct is_vector : std::false_type {};
template <class T, class A>
struct is_vector<std::vector<T, A>> : std::true_type {};
template <class T>
struct is_string_map : std::false_type {};
template <class T, class C, class A>
struct is_string_map<std::map<std::string, T, C, A>> : std::true_type {};
template <class T>
struct is_open_enum : std::false_type {};
template <class E>
struct is_open_enum<open_enum<E>> : std::true_type {};
template <class T>
struct is_boxed : std::false_type {};
template <class T>
struct is_boxed<boxed<T>> : std::true_type {};

inline std::string format_date(const date& d)
{
    char buf[32];
    int n = std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", static_cast<int>(d.year()),
                          static_cast<unsigned>(d.month()), static_cast<unsigned>(d.day()));
    return std::string(buf, static_cast<std::size_t>(n));
}

/// RFC 3339 in UTC; the fraction only when there is one.
inline std::string format_date_time(const date_time& t)
{
    using namespace std::chrono;
    auto days = floor<std::chrono::days>(t);
    year_month_day ymd{days};
    hh_mm_ss<microseconds> hms{t - days};
    char buf[64];
    int n = std::snprintf(buf, sizeof buf, "%sT%02d:%02d:%02d", format_date(ymd).c_str(),
                          static_cast<int>(hms.hours().count()), static_cast<int>(hms.minutes().count()),
                          static_cast<int>(hms.seconds().count()));
    std::string s(buf, static_cast<std::size_t>(n));
    if (auto us = hms.subseconds().count(); us != 0) {
        n = std::snprintf(buf, sizeof buf, ".%06lld", static_cast<long long>(us));
        std::string frac(buf, static_cast<std::size_t>(n));
        while (frac.back() == '0')
            frac.pop_back();
        s += frac;
    }
    s += 'Z';
    return s;
}

template <class E>
std::string enum_wire(E v, std::string_view what, build_status& st)
{
    for (const auto& [value, wire] : json::enum_traits<E>::values)
        if (value == v)
            return std::string(wire);
    st.fail(std::string(what) + ": value outside its enum");
    return {};
}

template <class T>
constexpr bool is_scalar_v = std::is_same_v<T, std::string> || std::is_same_v<T, bool> || std::is_arithmetic_v<T> ||
                             std::is_same_v<T, date_time> || std::is_same_v<T, date> || std::is_same_v<T, uuid> ||
                             is_open_enum<T>::value || json::enum_model<T> || std::is_same_v<T, boost::json::value>;

/// A scalar as text. `what` names the parameter in errors.
template <class T>
std::string scalar_text(const T& v, std::string_view what, build_status& st)
{
    if constexpr (std::is_same_v<T, std::string>) {
        return v;
    } else if constexpr (std::is_same_v<T, bool>) {
        return v ? "true" : "false";
    } else if constexpr (std::is_integral_v<T>) {
        char buf[32];
        auto r = std::to_chars(buf, buf + sizeof buf, v);
        return std::string(buf, r.ptr);
    } else if constexpr (std::is_floating_point_v<T>) {
        if (!std::isfinite(v)) {
            st.fail(std::string(what) + ": NaN or infinity cannot be sent");
            return {};
        }
        char buf[64];
        auto r = std::to_chars(buf, buf + sizeof buf, v);
        return std::string(buf, r.ptr);
    } else if constexpr (std::is_same_v<T, date_time>) {
        // RFC 3339 has no spelling outside years 0000-9999, and far outside them splitting the
        // instant into days and time of day overflows.
        if (!json::rfc3339_representable(v)) {
            st.fail(std::string(what) + ": date-time outside years 0000-9999");
            return {};
        }
        return format_date_time(v);
    } else if constexpr (std::is_same_v<T, date>) {
        if (!v.ok()) {
            st.fail(std::string(what) + ": invalid date");
            return {};
        }
        return format_date(v);
    } else if constexpr (std::is_same_v<T, uuid>) {
        return boost::uuids::to_string(v);
    } else if constexpr (is_open_enum<T>::value) {
        if (!v.known())
            return v.unknown_wire();
        return enum_wire(v.value(), what, st);
    } else if constexpr (json::enum_model<T>) {
        return enum_wire(v, what, st);
    } else if constexpr (std::is_same_v<T, boost::json::value>) {
        // Free-form: strings go as themselves, anything else as its JSON text.
        if (v.is_string())
            return std::string(v.get_string());
        return boost::json::serialize(v);
    } else {
        static_assert(sizeof(T) == 0, "not a scalar parameter type");
    }
}

inline void fail_nested(std::string_view what, build_status& st)
{
    st.fail(std::string(what) + ": nested arrays or objects cannot be serialized in a parameter style");
}

/// The value of one parameter, in the style-neutral shape. Types the styles cannot express are
/// rejected at run time (in `st`), so generic code instantiates for every model.
template <class T>
param_value to_param_value(const T& v, std::string_view what, build_status& st)
{
    param_value out;
    if constexpr (is_optional<T>::value) {
        if (!v)
            return out;
        return to_param_value(*v, what, st);
    } else if constexpr (is_nullable<T>::value) {
        // A null parameter is sent as an empty value (OpenAPI has no other spelling for it).
        if (v.is_null()) {
            out.k = param_value::kind::primitive;
            return out;
        }
        return to_param_value(v.value(), what, st);
    } else if constexpr (is_boxed<T>::value) {
        return to_param_value(v.get(), what, st);
    } else if constexpr (is_scalar_v<T>) {
        out.k = param_value::kind::primitive;
        out.primitive = scalar_text(v, what, st);
    } else if constexpr (is_vector<T>::value) {
        using item = typename T::value_type;
        if constexpr (is_scalar_v<item> || is_nullable<item>::value || is_optional<item>::value) {
            out.k = param_value::kind::array;
            for (const auto& e : v) {
                param_value iv = to_param_value(e, what, st);
                if (iv.k == param_value::kind::absent)
                    continue;
                if (iv.k != param_value::kind::primitive)
                    fail_nested(what, st);
                out.items.push_back(std::move(iv.primitive));
            }
        } else {
            fail_nested(what, st);
        }
    } else if constexpr (is_string_map<T>::value) {
        using item = typename T::mapped_type;
        if constexpr (is_scalar_v<item> || is_nullable<item>::value || is_optional<item>::value) {
            out.k = param_value::kind::object;
            for (const auto& [key, e] : v) {
                param_value iv = to_param_value(e, what, st);
                if (iv.k == param_value::kind::absent)
                    continue;
                if (iv.k != param_value::kind::primitive)
                    fail_nested(what, st);
                out.members.emplace_back(key, std::move(iv.primitive));
            }
        } else {
            fail_nested(what, st);
        }
    } else if constexpr (json::object_model<T>) {
        out.k = param_value::kind::object;
        specbound::apply(
            [&](const auto&... f) {
                (
                    [&] {
                        const auto& member = v.*(std::remove_cvref_t<decltype(f)>::member);
                        param_value iv = to_param_value(member, what, st);
                        if (iv.k == param_value::kind::absent)
                            return;
                        if (iv.k != param_value::kind::primitive) {
                            st.fail(std::string(what) + ": member '" + std::string(f.wire_name) +
                                    "' is not a scalar; parameter styles do not nest");
                            return;
                        }
                        out.members.emplace_back(std::string(f.wire_name), std::move(iv.primitive));
                    }(),
                    ...);
            },
            json::object_traits<T>::fields);
    } else if constexpr (json::detail::is_std_variant<T>::value) {
        // A union (e.g. an id that is an integer or a string): the alternative it holds.
        return std::visit([&](const auto& alternative) { return to_param_value(alternative, what, st); }, v);
    } else if constexpr (json::variant_model<T>) {
        return to_param_value(static_cast<const typename T::variant&>(v), what, st);
    } else {
        // Free-form objects, ...: OpenAPI's styles have no spelling for them.
        st.fail(std::string(what) + ": this type cannot be serialized as a parameter");
    }
    return out;
}

} // namespace specbound::detail
