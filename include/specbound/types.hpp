// Value types that generated models use besides the standard library's.
#pragma once

#include <boost/json/object.hpp>
#include <boost/uuid/uuid.hpp>

#include <chrono>
#include <compare>
#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

namespace specbound {

/// The JSON `null` state, kept distinct from "absent" (std::nullopt of an enclosing optional).
struct null_t {
    explicit constexpr null_t(int) noexcept {}
    friend constexpr bool operator==(null_t, null_t) noexcept { return true; }
};
inline constexpr null_t null{0};

/// A value the spec allows to be `null`. A field that may be both absent and null is
/// `std::optional<nullable<T>>`: nullopt = absent, `null` = present and null.
template <class T>
class nullable {
public:
    constexpr nullable() noexcept = default; // null
    constexpr nullable(null_t) noexcept {}
    template <class U = T>
        requires std::is_constructible_v<T, U&&> && (!std::is_same_v<std::remove_cvref_t<U>, nullable>) &&
                 (!std::is_same_v<std::remove_cvref_t<U>, null_t>)
    constexpr nullable(U&& v) : value_(std::forward<U>(v)) {}

    [[nodiscard]] constexpr bool is_null() const noexcept { return !value_.has_value(); }
    [[nodiscard]] constexpr bool has_value() const noexcept { return value_.has_value(); }
    constexpr explicit operator bool() const noexcept { return value_.has_value(); }

    constexpr T& value() & { return value_.value(); }
    constexpr const T& value() const& { return value_.value(); }
    constexpr T&& value() && { return std::move(value_).value(); }
    constexpr T& operator*() & noexcept { return *value_; }
    constexpr const T& operator*() const& noexcept { return *value_; }
    constexpr T* operator->() noexcept { return &*value_; }
    constexpr const T* operator->() const noexcept { return &*value_; }

    template <class... A>
    constexpr T& emplace(A&&... a) { return value_.emplace(std::forward<A>(a)...); }
    constexpr void reset() noexcept { value_.reset(); }

    friend constexpr bool operator==(const nullable&, const nullable&) = default;
    friend constexpr bool operator==(const nullable& n, null_t) noexcept { return n.is_null(); }

private:
    std::optional<T> value_;
};

/// An enum that also carries values the spec did not list: servers add values, clients must not break.
/// `E` is a generated `enum class`; `known()` is false for a value outside it, whose wire text `wire()` keeps.
template <class E>
class open_enum {
public:
    constexpr open_enum() noexcept = default;
    constexpr open_enum(E v) noexcept : value_(v), known_(true) {}
    static open_enum unknown(std::string wire)
    {
        open_enum e;
        e.known_ = false;
        e.unknown_wire_ = std::move(wire);
        return e;
    }

    [[nodiscard]] constexpr bool known() const noexcept { return known_; }
    /// The listed value; meaningful only when known().
    [[nodiscard]] constexpr E value() const noexcept { return value_; }
    /// The text of a value the spec did not list (empty when known()).
    [[nodiscard]] const std::string& unknown_wire() const noexcept { return unknown_wire_; }

    friend bool operator==(const open_enum&, const open_enum&) = default;
    friend constexpr bool operator==(const open_enum& a, E b) noexcept { return a.known_ && a.value_ == b; }

private:
    E value_{};
    bool known_ = true;
    std::string unknown_wire_;
};

/// The last alternative of every union with a discriminator: an object whose discriminator value
/// the spec does not map (a kind the server added since). Servers add kinds, clients must not break:
/// it keeps the object as it arrived, and encoding writes exactly `raw` back.
///
///   if (const auto* other = std::get_if<specbound::unknown_alternative>(&pet))
///       log("a pet of kind ", other->discriminator_value, ": ", boost::json::serialize(other->raw));
struct unknown_alternative {
    std::string discriminator_value; // the discriminator's text in `raw`, e.g. "lizard"
    boost::json::object raw;         // the whole object, the discriminator included

    friend bool operator==(const unknown_alternative&, const unknown_alternative&) = default;
};

/// A heap-allocated value with value semantics, for recursive schemas (a type that contains itself
/// other than through a container).
template <class T>
class boxed {
public:
    boxed() : p_(std::make_unique<T>()) {}
    boxed(const T& v) : p_(std::make_unique<T>(v)) {}
    boxed(T&& v) : p_(std::make_unique<T>(std::move(v))) {}
    boxed(const boxed& o) : p_(std::make_unique<T>(*o.p_)) {}
    boxed(boxed&& o) noexcept(false) : p_(std::make_unique<T>(std::move(*o.p_))) {}
    boxed& operator=(const boxed& o)
    {
        *p_ = *o.p_;
        return *this;
    }
    boxed& operator=(boxed&& o)
    {
        *p_ = std::move(*o.p_);
        return *this;
    }
    ~boxed() = default;

    T& operator*() noexcept { return *p_; }
    const T& operator*() const noexcept { return *p_; }
    T* operator->() noexcept { return p_.get(); }
    const T* operator->() const noexcept { return p_.get(); }
    T& get() noexcept { return *p_; }
    const T& get() const noexcept { return *p_; }

    friend bool operator==(const boxed& a, const boxed& b) { return *a.p_ == *b.p_; }

private:
    std::unique_ptr<T> p_; // never null
};

/// `format: date-time` (RFC 3339). Held in UTC with microsecond precision; offsets are applied on decode.
using date_time = std::chrono::sys_time<std::chrono::microseconds>;
/// `format: date` (RFC 3339 full-date).
using date = std::chrono::year_month_day;
/// `format: uuid`.
using uuid = boost::uuids::uuid;
/// `format: byte` (base64 in JSON) and binary payloads.
using bytes = std::vector<std::byte>;

} // namespace specbound
