// result<T>: the outcome of a non-throwing call, a value or the typed error.
#pragma once

#include <specbound/error.hpp>

#include <boost/system/error_code.hpp>

#include <concepts>
#include <memory>
#include <stdexcept>
#include <utility>
#include <variant>

namespace specbound {

// GCC 12 at -O3 warns falsely that the variant inside a result may be moved from or destroyed
// uninitialised (-Wmaybe-uninitialized through std::variant's visitation, the same false positive
// Boost.Variant2 silences in its storage; seen in DigitalOcean's generated client: a result
// carried by asio::append, a result made from a oneOf response). GCC honours the pragma at any
// location of the inlining stack, so it covers result's own members and no other code.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif
template <class T>
class result {
public:
    /// A result without value nor error is not a state users can observe; default construction
    /// exists for completion-handler plumbing and holds a default-constructed value.
    result() = default;
    result(T value) : state_(std::in_place_index<0>, std::move(value)) {}
    /// An error; a null pointer is a bug of the caller (std::invalid_argument).
    template <class E>
        requires std::derived_from<E, specbound::error>
    result(std::shared_ptr<E> err) : state_(std::in_place_index<1>, std::shared_ptr<const specbound::error>(std::move(err)))
    {
        if (!std::get<1>(state_))
            throw std::invalid_argument("specbound::result: null error");
    }

    [[nodiscard]] bool has_value() const noexcept { return state_.index() == 0; }
    explicit operator bool() const noexcept { return has_value(); }

    /// The value; throws the typed error when there is none.
    T& value() &
    {
        if (!has_value())
            std::get<1>(state_)->throw_exact();
        return std::get<0>(state_);
    }
    const T& value() const&
    {
        if (!has_value())
            std::get<1>(state_)->throw_exact();
        return std::get<0>(state_);
    }
    T&& value() &&
    {
        if (!has_value())
            std::get<1>(state_)->throw_exact();
        return std::get<0>(std::move(state_));
    }
    T& operator*() & { return value(); }
    const T& operator*() const& { return value(); }
    T* operator->() { return &value(); }
    const T* operator->() const { return &value(); }

    /// The error, or nullptr when there is a value.
    [[nodiscard]] const specbound::error* error() const noexcept
    {
        return has_value() ? nullptr : std::get<1>(state_).get();
    }
    [[nodiscard]] std::shared_ptr<const specbound::error> error_ptr() const noexcept
    {
        return has_value() ? nullptr : std::get<1>(state_);
    }
    /// The error's code, or a default (success) code when there is a value.
    [[nodiscard]] boost::system::error_code code() const noexcept
    {
        return has_value() ? boost::system::error_code{} : std::get<1>(state_)->code();
    }
    /// The error as a pointer to a subtype, e.g. `r.error_as<not_found_error>()`; nullptr otherwise.
    template <class E>
    [[nodiscard]] const E* error_as() const noexcept
    {
        const specbound::error* e = error();
        return e ? e->as<E>() : nullptr;
    }

private:
    std::variant<T, std::shared_ptr<const specbound::error>> state_;
};
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic pop
#endif

} // namespace specbound
