// Turning a response into Op::response_type or the typed error. Sans-I/O.
//
// The declared response is chosen exact status > range (2XX) > default. Its media type must match
// the Content-Type (parameters ignored; application/json and any +json type are interchangeable;
// a missing Content-Type is accepted and left to the decoder).
#pragma once

#include <specbound/descriptor.hpp>
#include <specbound/detail/retry_after.hpp>
#include <specbound/detail/text.hpp>
#include <specbound/detail/param_value.hpp>
#include <specbound/error.hpp>
#include <specbound/result.hpp>
#include <specbound/json/decode.hpp>
#include <specbound/transport.hpp>
#include <specbound/types.hpp>

#include <any>
#include <memory>
#include <cctype>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <utility>
#include <variant>

namespace specbound::detail {

/// "type/subtype" without parameters and surrounding spaces, as written: compare it with
/// boost::beast::iequals (media types are case-insensitive). Allocates nothing: it runs per call.
inline std::string_view media_essence(std::string_view m)
{
    return trim_ows(m.substr(0, m.find(';')));
}

inline bool json_like(std::string_view essence) noexcept
{
    return iequals(essence, "application/json") || iequals(essence, "text/json") ||
           (essence.size() > 5 && iequals(essence.substr(essence.size() - 5), "+json"));
}

inline bool media_matches(std::string_view declared, std::string_view actual)
{
    const std::string_view d = media_essence(declared);
    const std::string_view a = media_essence(actual);
    if (d.empty() || a.empty() || d == "*/*" || iequals(d, a))
        return true;
    if (d.size() > 2 && d.ends_with("/*")) // "image/*": the type and the slash
        return a.size() >= d.size() - 1 && iequals(a.substr(0, d.size() - 1), d.substr(0, d.size() - 1));
    return json_like(d) && json_like(a);
}

/// The essence in lower case, for messages.
inline std::string lower_essence(std::string_view m)
{
    return ascii_lower(media_essence(m));
}

/// Index of the declared response for `status`, or the tuple size when none applies.
/// (`status` is unused when nothing is declared: OpenAPI 3.1 operations may declare no responses.)
template <class Responses, std::size_t... I>
constexpr std::size_t select_response_impl([[maybe_unused]] int status, std::index_sequence<I...>)
{
    constexpr std::size_t n = sizeof...(I);
    std::size_t found = n;
    // Three passes: exact, then range, then default.
    ((found == n && std::tuple_element_t<I, Responses>::status >= 100 &&
              std::tuple_element_t<I, Responses>::status == status
          ? found = I
          : 0),
     ...);
    ((found == n && std::tuple_element_t<I, Responses>::status >= 1 &&
              std::tuple_element_t<I, Responses>::status < 100 &&
              status_matches(std::tuple_element_t<I, Responses>::status, status)
          ? found = I
          : 0),
     ...);
    ((found == n && std::tuple_element_t<I, Responses>::status == status_default ? found = I : 0), ...);
    return found;
}

template <class Op>
constexpr std::size_t select_response(int status)
{
    using responses = std::remove_cvref_t<decltype(Op::responses)>;
    return select_response_impl<responses>(status, std::make_index_sequence<std::tuple_size_v<responses>>{});
}

/// Whether `Op` declares exactly `status` (a declared 3xx is its response, not a redirect).
template <class Op>
constexpr bool declares_status(int status) noexcept
{
    return specbound::apply([&](const auto&... r) { return ((std::remove_cvref_t<decltype(r)>::status == status) || ...); },
                            Op::responses);
}

template <class T, class V>
struct variant_index;
template <class T, class... A>
struct variant_index<T, std::variant<A...>> {
    static constexpr std::size_t count = (std::size_t{std::is_same_v<T, A>} + ...);
};

/// An error value: the library reports failures as values and throws only at the edge.
inline std::shared_ptr<const error> undeclared_status(const std::string& message, int status, std::string_view body)
{
    return std::make_shared<decode_error>(client_errc::undeclared_status, message, status, "", "", body);
}

/// A decoded 2xx body as the operation's response type.
template <class R, class Body>
result<R> to_response(Body&& body, const std::string& context, int status)
{
    if constexpr (std::is_same_v<R, Body>) {
        return std::move(body);
    } else if constexpr (requires { variant_index<Body, R>::count; }) {
        if constexpr (variant_index<Body, R>::count == 1)
            return R(std::in_place_type<Body>, std::move(body));
        else
            return undeclared_status(context + ": the body declared for status " + std::to_string(status) +
                                         " is not an alternative of the response type",
                                     status, "");
    } else if constexpr (std::is_same_v<Body, no_content> && std::is_default_constructible_v<R>) {
        return R(); // not R{}: see json::decode
    } else if constexpr (std::is_constructible_v<R, Body&&>) {
        return R(std::move(body));
    } else {
        return undeclared_status(context + ": the body declared for status " + std::to_string(status) +
                                     " does not fit the response type",
                                 status, "");
    }
}

/// Why a body could not become `Body`; empty optional on success.
struct body_failure {
    client_errc code;
    std::string pointer;
    std::string message;
};

template <class Body>
std::optional<body_failure> decode_body(const http_response& res, std::string_view declared_media, Body& out)
{
    if constexpr (std::is_same_v<Body, no_content>) {
        return std::nullopt;
    } else {
        std::string_view actual;
        if (auto it = res.find(boost::beast::http::field::content_type); it != res.end())
            actual = it->value();
        if (!media_matches(declared_media, actual))
            return body_failure{client_errc::unexpected_content_type, "",
                                "expected " + lower_essence(declared_media) + ", got " + lower_essence(actual)};
        const std::string_view essence = media_essence(declared_media);
        if constexpr (std::is_same_v<Body, bytes>) {
            if (!json_like(essence)) {
                const auto* p = reinterpret_cast<const std::byte*>(res.body().data());
                out.assign(p, p + res.body().size());
                return std::nullopt;
            }
        } else if constexpr (std::is_same_v<Body, std::string>) {
            if (!json_like(essence)) {
                out = res.body();
                return std::nullopt;
            }
        }
        if (auto f = json::decode(std::string_view(res.body()), out))
            return body_failure{client_errc::decode_failed, std::string(f->pointer), std::string(f->message)};
        return std::nullopt;
    }
}

/// The api_error for `res`, with the declared error body `Body` decoded when it can be.
template <class Body>
std::shared_ptr<const error> api_error_of(const http_response& res, std::string_view declared_media,
                                          const std::string& context)
{
    api_error_info info;
    info.status = static_cast<int>(res.result_int());
    info.headers = res.base();
    info.body = res.body();
    info.context = context;
    if constexpr (!std::is_same_v<Body, no_content>) {
        Body value{};
        if (auto f = decode_body(res, declared_media, value)) {
            info.body_decode_failure = f->pointer.empty() ? f->message : f->pointer + ": " + f->message;
        } else {
            info.body_value = std::move(value);
        }
    }
    return make_api_error(std::move(info));
}

/// Whether a response whose body is `Body` has a place of its own in the response type `R`: `R`
/// itself, or one alternative of it.
template <class R, class Body>
constexpr bool distinct_response() noexcept
{
    if constexpr (std::is_same_v<R, Body>)
        return true;
    else if constexpr (requires { variant_index<Body, R>::count; })
        return variant_index<Body, R>::count == 1;
    else
        return false;
}

/// The response type of `Op` for `res`, or the typed error; never throws for any response. A 2xx
/// is an answer; so is a 3xx the operation declares exactly (the engine does not follow those),
/// when the response type has a place for it (GitHub's archive downloads answer only 302 with a
/// Location). A declared 304 beside a 200's model stays an api_error: never a silently empty model.
template <class Op>
result<typename Op::response_type> handle_response(const http_response& res, const std::string& context)
{
    using R = typename Op::response_type;
    using responses = std::remove_cvref_t<decltype(Op::responses)>;
    constexpr std::size_t n = std::tuple_size_v<responses>;
    const int status = static_cast<int>(res.result_int());
    const bool success = status >= 200 && status < 300;
    const std::size_t index = select_response<Op>(status);

    if (index == n) {
        if (!success)
            return api_error_of<no_content>(res, "", context);
        if constexpr (std::is_same_v<R, no_content>)
            return R(); // not R{}: see json::decode
        else
            return undeclared_status(context + ": status " + std::to_string(status) + " is not declared", status,
                                     res.body());
    }

    std::optional<result<R>> out;
    [&]<std::size_t... I>(std::index_sequence<I...>) {
        (
            [&] {
                if (index != I)
                    return;
                using body_type = typename std::tuple_element_t<I, responses>::body_type;
                std::string_view media = specbound::get<I>(Op::responses).media_type;
                const bool answer = success || (status >= 300 && status < 400 && declares_status<Op>(status) &&
                                                distinct_response<R, body_type>());
                if (!answer) {
                    out.emplace(api_error_of<body_type>(res, media, context));
                    return;
                }
                body_type body{};
                if (auto f = decode_body(res, media, body)) {
                    std::string message = f->code == client_errc::unexpected_content_type
                                              ? context + ": response " + std::to_string(status) +
                                                    " has an unexpected content type (" + f->message + ")"
                                              : context + ": response " + std::to_string(status) +
                                                    " does not match the declared model at '" + f->pointer +
                                                    "': " + f->message;
                    out.emplace(std::make_shared<decode_error>(f->code, message, status, f->pointer, f->message,
                                                               res.body()));
                    return;
                }
                out.emplace(to_response<R>(std::move(body), context, status));
            }(),
            ...);
    }(std::make_index_sequence<n>{});
    return std::move(*out);
}

} // namespace specbound::detail
