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

/// The decode_error of a declared response whose body did not become its model.
inline std::shared_ptr<const error> body_decode_error(const body_failure& f, const http_response& res,
                                                      const std::string& context, int status)
{
    std::string message = f.code == client_errc::unexpected_content_type
                              ? context + ": response " + std::to_string(status) + " has an unexpected content type (" +
                                    f.message + ")"
                              : context + ": response " + std::to_string(status) + " does not match the declared model at '" +
                                    f.pointer + "': " + f.message;
    return std::make_shared<decode_error>(f.code, message, status, f.pointer, f.message, res.body());
}

/// A declared response as the operation's answer: its body decoded into `Body`, then `R`.
template <class R, class Body>
result<R> answer_of(const http_response& res, std::string_view media, const std::string& context, int status)
{
    Body body{};
    if (auto f = decode_body(res, media, body))
        return body_decode_error(*f, res, context, status);
    return to_response<R>(std::move(body), context, status);
}

/// What a declared response can be, known from its key but for `3XX` and `default`: a 2xx (or
/// `2XX`) is an answer; an exact 3xx is one when the response type has a place for its body; 1xx,
/// 4xx and 5xx (exact or ranges) are errors. Each role instantiates only its own path.
enum class response_role { answer, error, either };

template <class R, class Response>
constexpr response_role role_of() noexcept
{
    constexpr int key = Response::status;
    if constexpr ((key >= 200 && key < 300) || key == status_range(2))
        return response_role::answer;
    else if constexpr (key >= 300 && key < 400)
        return distinct_response<R, typename Response::body_type>() ? response_role::answer : response_role::error;
    else if constexpr (key >= 100 || key == status_range(1) || key == status_range(4) || key == status_range(5))
        return response_role::error;
    else
        return response_role::either;
}

/// The operation's result for a response declared as `Body` in that role. One function for every
/// operation sharing the response type, the body type and the role (the error bodies an API
/// declares for each of its operations are one instantiation of api_error_of).
template <class R, class Body, response_role Role>
result<R> respond(const http_response& res, std::string_view media, const std::string& context, int status,
                  [[maybe_unused]] bool success, [[maybe_unused]] bool declared_redirect)
{
    if constexpr (Role == response_role::answer)
        return answer_of<R, Body>(res, media, context, status);
    else if constexpr (Role == response_role::error)
        return api_error_of<Body>(res, media, context);
    else if (success || (declared_redirect && distinct_response<R, Body>()))
        return answer_of<R, Body>(res, media, context, status);
    else
        return api_error_of<Body>(res, media, context);
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

    const bool declared_redirect = status >= 300 && status < 400 && declares_status<Op>(status);
    std::optional<result<R>> out;
    [&]<std::size_t... I>(std::index_sequence<I...>) {
        ((index == I ? (void)out.emplace(respond<R, typename std::tuple_element_t<I, responses>::body_type,
                                                 role_of<R, std::tuple_element_t<I, responses>>()>(
                           res, specbound::get<I>(Op::responses).media_type, context, status, success, declared_redirect))
                     : void()),
         ...);
    }(std::make_index_sequence<n>{});
    return std::move(*out);
}

} // namespace specbound::detail
