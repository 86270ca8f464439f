// The exceptions a call can end with. Catch `specbound::error` for everything, or a subtype.
//
//   error                          code() in specbound.transport / specbound.client categories
//   ├── transport_error            resolve, connect, TLS, connection closed, ...  (transport_errc)
//   │   └── timeout_error          connect, attempt or overall deadline
//   ├── invalid_argument_error     a request value cannot be serialized; nothing was sent
//   ├── validation_error           a value breaks its schema's constraints (opt-in; a request's: nothing was sent)
//   ├── auth_error                 obtaining credentials (e.g. an OAuth2 token) failed
//   ├── decode_error               the response does not match the declared model / media type
//   ├── redirect_error             a redirect refused: too many, a loop, bad Location, https -> http
//   ├── unexpected_exception_error user code (middleware, hooks) threw; the original is kept
//   └── api_error                  the server answered with a non-2xx status
//       ├── client_error           4xx
//       │   ├── bad_request_error 400, unauthorized_error 401, forbidden_error 403,
//       │   ├── not_found_error 404, conflict_error 409, unprocessable_entity_error 422,
//       │   └── rate_limited_error 429 (retry_after())
//       └── server_error           5xx
//           ├── internal_server_error 500
//           └── service_unavailable_error 503
//
// what() is built from the library's own text (operation, method, path template, status): it never
// contains a credential nor text chosen by the server. The server's words stay in their own fields
// (api_error::body(), decode_error::body_excerpt(), auth_error::server_message()).
#pragma once

#include <specbound/constraints.hpp>
#include <specbound/detail/retry_after.hpp>
#include <specbound/error_code.hpp>

#include <boost/beast/http/fields.hpp>
#include <boost/system/error_code.hpp>

#include <any>
#include <cstddef>
#include <cstdint>
#include <chrono>
#include <exception>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>

namespace specbound {

/// Every error type of the hierarchy, for type tests without dynamic_cast (result::error_as).
enum class error_kind : std::uint8_t {
    error,
    transport,
    timeout,
    invalid_argument,
    validation,
    auth,
    decode,
    redirect,
    pagination,
    sink,
    source,
    unexpected_exception,
    api,
    client,
    server,
    bad_request,
    unauthorized,
    forbidden,
    not_found,
    conflict,
    unprocessable_entity,
    rate_limited,
    internal_server,
    service_unavailable,
};

class error : public std::runtime_error {
public:
    static constexpr error_kind kind = error_kind::error;

    error(boost::system::error_code ec, const std::string& message) : std::runtime_error(message), ec_(ec) {}

    [[nodiscard]] const boost::system::error_code& code() const noexcept { return ec_; }

    /// Whether this error is a `k` (its own type or one of its bases).
    [[nodiscard]] virtual bool is(error_kind k) const noexcept { return k == error_kind::error; }
    /// This error as an `E` (its exact type or a base of it), or nullptr.
    template <class E>
    [[nodiscard]] const E* as() const noexcept
    {
        return is(E::kind) ? static_cast<const E*>(this) : nullptr;
    }

    /// A copy with the same dynamic type (results keep errors by shared pointer).
    [[nodiscard]] virtual std::shared_ptr<const error> clone() const { return std::make_shared<error>(*this); }
    /// Throws a copy of this error by its exact type, so `catch (not_found_error&)` works.
    [[noreturn]] virtual void rethrow() const { throw *this; }
    /// rethrow(), callable where the compiler must know it does not return.
    [[noreturn]] void throw_exact() const
    {
        rethrow();
        std::terminate(); // unreachable: every rethrow() throws
    }
    /// An exception_ptr to a copy of the exact type, made without throwing.
    [[nodiscard]] virtual std::exception_ptr to_exception_ptr() const { return std::make_exception_ptr(*this); }

private:
    boost::system::error_code ec_;
};

#define SPECBOUND_DETAIL_ERROR_TYPE(type, base, kind_value)                                                    \
    static constexpr ::specbound::error_kind kind = ::specbound::error_kind::kind_value;                       \
    [[nodiscard]] bool is(::specbound::error_kind k) const noexcept override { return k == kind || base::is(k); } \
    [[nodiscard]] std::shared_ptr<const ::specbound::error> clone() const override                             \
    {                                                                                                          \
        return std::make_shared<type>(*this);                                                                  \
    }                                                                                                          \
    [[noreturn]] void rethrow() const override { throw *this; }                                                \
    [[nodiscard]] std::exception_ptr to_exception_ptr() const override { return std::make_exception_ptr(*this); }

class transport_error : public error {
public:
    transport_error(transport_errc e, const std::string& context, bool request_sent)
        : error(e, context + ": " + make_error_code(e).message()), request_sent_(request_sent)
    {
    }
    transport_error(boost::system::error_code ec, const std::string& context, bool request_sent)
        : error(ec, context + ": " + ec.message()), request_sent_(request_sent)
    {
    }
    /// Whether any byte of the request may have reached the server.
    [[nodiscard]] bool request_sent() const noexcept { return request_sent_; }
    SPECBOUND_DETAIL_ERROR_TYPE(transport_error, error, transport)

private:
    bool request_sent_;
};

class timeout_error : public transport_error {
public:
    timeout_error(const std::string& context, bool request_sent)
        : transport_error(transport_errc::timeout, context, request_sent)
    {
    }
    SPECBOUND_DETAIL_ERROR_TYPE(timeout_error, transport_error, timeout)
};

class invalid_argument_error : public error {
public:
    explicit invalid_argument_error(const std::string& message) : error(client_errc::invalid_argument, message) {}
    SPECBOUND_DETAIL_ERROR_TYPE(invalid_argument_error, error, invalid_argument)
};

/// Where a value that broke its constraints was (validation_error::target()).
enum class validation_target : std::uint8_t {
    parameter,     // a request parameter: validation_error::parameter() names it
    request_body,  // the request body
    response_body, // a 2xx response's body, decoded (validation_options::responses)
};

/// A value breaks what its schema requires (minLength, pattern, minimum, uniqueItems, enum...):
/// found by <specbound/validation.hpp> when validation_options asks. For a request the call ends
/// before anything is sent; for a response the body decoded, but its values break the spec.
/// what() names the operation, the place and the keyword with its bound; it shows no value from a
/// response (the server's text stays in value()), nor the pointer into one (its map keys are the
/// server's too).
class validation_error : public error {
public:
    validation_error(const std::string& context, validation_target target, std::string parameter, std::string pointer,
                     constraint_kind constraint, std::string requirement, std::string value)
        : error(client_errc::validation_failed, describe(context, target, parameter, pointer, requirement)),
          target_(target), parameter_(std::move(parameter)), pointer_(std::move(pointer)), constraint_(constraint),
          requirement_(std::move(requirement)), value_(std::move(value))
    {
    }
    [[nodiscard]] validation_target target() const noexcept { return target_; }
    /// Whether a response (not the request) broke its constraints.
    [[nodiscard]] bool is_response() const noexcept { return target_ == validation_target::response_body; }
    /// The parameter's name as the spec gives it ("limit"), for target() parameter; else "".
    [[nodiscard]] const std::string& parameter() const noexcept { return parameter_; }
    /// JSON pointer (RFC 6901) of the value within the body, or within the parameter's value
    /// ("/2": its third item); "" for the body or parameter itself.
    [[nodiscard]] const std::string& pointer() const noexcept { return pointer_; }
    [[nodiscard]] constraint_kind constraint() const noexcept { return constraint_; }
    /// The keyword with its bound, as the spec gives it: "maxLength 12", "exclusiveMinimum 0".
    [[nodiscard]] const std::string& requirement() const noexcept { return requirement_; }
    /// The offending value, bounded to 64 bytes (a quoted string, "101", "5 items"); "" for a header or
    /// cookie parameter, which may carry a secret.
    [[nodiscard]] const std::string& value() const noexcept { return value_; }
    SPECBOUND_DETAIL_ERROR_TYPE(validation_error, error, validation)

private:
    static std::string describe(const std::string& context, validation_target target, const std::string& parameter,
                                const std::string& pointer, const std::string& requirement)
    {
        std::string where = target == validation_target::parameter       ? "parameter '" + parameter + "'"
                             : target == validation_target::request_body ? std::string("request body")
                                                                         : std::string("response body");
        if (target != validation_target::response_body && !pointer.empty())
            where += " at " + pointer;
        return context + ": " + where + " breaks " + requirement;
    }
    validation_target target_;
    std::string parameter_;
    std::string pointer_;
    constraint_kind constraint_;
    std::string requirement_;
    std::string value_;
};

class auth_error : public error {
public:
    auth_error(const std::string& message, int status = 0, std::string server_message = {})
        : error(client_errc::auth_failed, message), status_(status), server_message_(std::move(server_message))
    {
    }
    /// HTTP status of the token endpoint's answer, 0 when none was received.
    [[nodiscard]] int status() const noexcept { return status_; }
    /// The token endpoint's `error` / `error_description`, bounded; never part of what().
    [[nodiscard]] const std::string& server_message() const noexcept { return server_message_; }
    SPECBOUND_DETAIL_ERROR_TYPE(auth_error, error, auth)

private:
    int status_;
    std::string server_message_;
};

/// A redirect that was not followed: too many (or a loop), a Location that is not an http(s) URL,
/// or a step down from https to http (client_options::redirects).
class redirect_error : public error {
public:
    redirect_error(client_errc code, const std::string& message, int status, std::string location)
        : error(code, message), status_(status), location_(std::move(location))
    {
    }
    /// The status of the redirect that was refused.
    [[nodiscard]] int status() const noexcept { return status_; }
    /// Its Location, as the server sent it (bounded to 256 bytes).
    [[nodiscard]] const std::string& location() const noexcept { return location_; }
    SPECBOUND_DETAIL_ERROR_TYPE(redirect_error, error, redirect)

private:
    int status_;
    std::string location_;
};

/// A next page that a pager does not request: a link to another origin (the credentials would
/// follow it), a link or cursor already seen (the pages would cycle), a link that is not a URL,
/// or more pages than page_options::max_pages. The pages before it were delivered.
class pagination_error : public error {
public:
    pagination_error(const std::string& message, std::size_t page, std::string link)
        : error(client_errc::pagination_refused, message), page_(page), link_(std::move(link))
    {
    }
    /// How many pages had been delivered when the next one was refused.
    [[nodiscard]] std::size_t page() const noexcept { return page_; }
    /// The refused link or cursor, as the server sent it (bounded to 256 bytes).
    [[nodiscard]] const std::string& link() const noexcept { return link_; }
    SPECBOUND_DETAIL_ERROR_TYPE(pagination_error, error, pagination)

private:
    std::size_t page_;
    std::string link_;
};

/// A download's body_sink failed: it could not be opened or written (the system's error is
/// sink_code()), or it could not start over for a retried attempt.
class sink_error : public error {
public:
    sink_error(const std::string& message, boost::system::error_code sink_code)
        : error(client_errc::sink_failed, message), sink_code_(sink_code)
    {
    }
    [[nodiscard]] const boost::system::error_code& sink_code() const noexcept { return sink_code_; }
    SPECBOUND_DETAIL_ERROR_TYPE(sink_error, error, sink)

private:
    boost::system::error_code sink_code_;
};

/// An upload's body_source failed: it could not be opened or read (the system's error is
/// source_code()), gave more or fewer bytes than its size, or could not start over.
class source_error : public error {
public:
    source_error(const std::string& message, boost::system::error_code source_code)
        : error(client_errc::source_failed, message), source_code_(source_code)
    {
    }
    [[nodiscard]] const boost::system::error_code& source_code() const noexcept { return source_code_; }
    SPECBOUND_DETAIL_ERROR_TYPE(source_error, error, source)

private:
    boost::system::error_code source_code_;
};

/// An exception that is not a specbound::error ended the call: thrown by user code (middleware,
/// hooks, a custom transport or sleep) or std::bad_alloc. The non-throwing forms report it as this
/// error so that it never escapes the event loop; the throwing forms rethrow the original.
class unexpected_exception_error : public error {
public:
    unexpected_exception_error(const std::string& context, std::exception_ptr original)
        : error(client_errc::unexpected_exception, context + ": " + describe(original)), original_(std::move(original))
    {
    }
    [[nodiscard]] const std::exception_ptr& original() const noexcept { return original_; }
    SPECBOUND_DETAIL_ERROR_TYPE(unexpected_exception_error, error, unexpected_exception)

private:
    static std::string describe(const std::exception_ptr& e)
    {
        try {
            std::rethrow_exception(e);
        } catch (const std::exception& x) {
            return std::string("exception: ") + x.what();
        } catch (...) {
            return "exception of unknown type";
        }
    }
    std::exception_ptr original_;
};

namespace detail {
inline constexpr std::size_t max_excerpt = 256;

/// At most 256 bytes of a body, cut on a UTF-8 boundary so the excerpt stays valid text.
inline std::string body_excerpt(std::string_view body)
{
    if (body.size() <= max_excerpt)
        return std::string(body);
    std::size_t n = max_excerpt;
    while (n > 0 && (static_cast<unsigned char>(body[n]) & 0xC0) == 0x80)
        --n;
    return std::string(body.substr(0, n));
}

/// The server's request id: the first of the fields servers commonly use for it, "" if none.
inline std::string request_id_of(const boost::beast::http::fields& headers)
{
    for (std::string_view name : {"x-request-id", "request-id", "x-amzn-requestid", "x-amz-request-id",
                                  "x-ms-request-id", "x-correlation-id", "cf-ray"})
        if (auto it = headers.find(name); it != headers.end())
            return body_excerpt(it->value());
    return {};
}
} // namespace detail

class decode_error : public error {
public:
    /// `code` is decode_failed, unexpected_content_type or undeclared_status.
    decode_error(client_errc code, const std::string& message, int status, std::string pointer,
                 std::string detail_message, std::string_view body)
        : error(code, message), status_(status), pointer_(std::move(pointer)),
          detail_message_(std::move(detail_message)), excerpt_(detail::body_excerpt(body))
    {
    }
    [[nodiscard]] int status() const noexcept { return status_; }
    /// JSON pointer of the offending value ("" for the document root).
    [[nodiscard]] const std::string& pointer() const noexcept { return pointer_; }
    /// The JSON layer's description of the failure.
    [[nodiscard]] const std::string& detail_message() const noexcept { return detail_message_; }
    /// At most 256 bytes of the response body.
    [[nodiscard]] const std::string& body_excerpt() const noexcept { return excerpt_; }
    SPECBOUND_DETAIL_ERROR_TYPE(decode_error, error, decode)

private:
    int status_;
    std::string pointer_;
    std::string detail_message_;
    std::string excerpt_;
};

/// Everything an api_error carries; built by the response handler.
struct api_error_info {
    int status = 0;
    boost::beast::http::fields headers;
    std::string body;
    std::any body_value;              // the declared error model, when it decoded
    std::string body_decode_failure;  // why the declared error model did not decode ("" if it did)
    std::string context;              // "showPetById (GET /pets/{petId})"
};

class api_error : public error {
public:
    explicit api_error(api_error_info info)
        : error(client_errc::api_error, info.context + ": HTTP " + std::to_string(info.status)), info_(std::move(info)),
          request_id_(detail::request_id_of(info_.headers))
    {
    }

    [[nodiscard]] int status() const noexcept { return info_.status; }
    [[nodiscard]] const boost::beast::http::fields& headers() const noexcept { return info_.headers; }
    [[nodiscard]] const std::string& body() const noexcept { return info_.body; }
    /// The server's request id (x-request-id, request-id, x-amzn-requestid, ...), "" if none.
    [[nodiscard]] const std::string& request_id() const noexcept { return request_id_; }
    /// The declared error model, or nullptr when T is not it or the body did not decode.
    template <class T>
    [[nodiscard]] const T* body_as() const noexcept
    {
        return std::any_cast<T>(&info_.body_value);
    }
    [[nodiscard]] bool has_body_value() const noexcept { return info_.body_value.has_value(); }
    /// Why the body did not decode into the declared error model; "" when it did or none is declared.
    [[nodiscard]] const std::string& body_decode_failure() const noexcept { return info_.body_decode_failure; }
    SPECBOUND_DETAIL_ERROR_TYPE(api_error, error, api)

private:
    api_error_info info_;
    std::string request_id_;
};

class client_error : public api_error {
public:
    using api_error::api_error;
    SPECBOUND_DETAIL_ERROR_TYPE(client_error, api_error, client)
};
class server_error : public api_error {
public:
    using api_error::api_error;
    SPECBOUND_DETAIL_ERROR_TYPE(server_error, api_error, server)
};

#define SPECBOUND_DETAIL_STATUS_ERROR(type, base, kind_value)                                                  \
    class type : public base {                                                                                 \
    public:                                                                                                    \
        using base::base;                                                                                      \
        SPECBOUND_DETAIL_ERROR_TYPE(type, base, kind_value)                                                    \
    };

SPECBOUND_DETAIL_STATUS_ERROR(bad_request_error, client_error, bad_request)
SPECBOUND_DETAIL_STATUS_ERROR(unauthorized_error, client_error, unauthorized)
SPECBOUND_DETAIL_STATUS_ERROR(forbidden_error, client_error, forbidden)
SPECBOUND_DETAIL_STATUS_ERROR(not_found_error, client_error, not_found)
SPECBOUND_DETAIL_STATUS_ERROR(conflict_error, client_error, conflict)
SPECBOUND_DETAIL_STATUS_ERROR(unprocessable_entity_error, client_error, unprocessable_entity)
SPECBOUND_DETAIL_STATUS_ERROR(internal_server_error, server_error, internal_server)
SPECBOUND_DETAIL_STATUS_ERROR(service_unavailable_error, server_error, service_unavailable)

#undef SPECBOUND_DETAIL_STATUS_ERROR

class rate_limited_error : public client_error {
public:
    explicit rate_limited_error(api_error_info info)
        : client_error(std::move(info)),
          retry_after_(detail::parse_retry_after(headers(), std::chrono::system_clock::now()))
    {
    }
    /// The wait the server asked for (Retry-After / retry-after-ms), nullopt if none or unparseable.
    [[nodiscard]] std::optional<std::chrono::milliseconds> retry_after() const noexcept { return retry_after_; }
    SPECBOUND_DETAIL_ERROR_TYPE(rate_limited_error, client_error, rate_limited)

private:
    std::optional<std::chrono::milliseconds> retry_after_;
};

/// The most specific api_error type for a status.
inline std::shared_ptr<const api_error> make_api_error(api_error_info info)
{
    switch (info.status) {
    case 400: return std::make_shared<bad_request_error>(std::move(info));
    case 401: return std::make_shared<unauthorized_error>(std::move(info));
    case 403: return std::make_shared<forbidden_error>(std::move(info));
    case 404: return std::make_shared<not_found_error>(std::move(info));
    case 409: return std::make_shared<conflict_error>(std::move(info));
    case 422: return std::make_shared<unprocessable_entity_error>(std::move(info));
    case 429: return std::make_shared<rate_limited_error>(std::move(info));
    case 500: return std::make_shared<internal_server_error>(std::move(info));
    case 503: return std::make_shared<service_unavailable_error>(std::move(info));
    default: break;
    }
    if (info.status >= 400 && info.status < 500)
        return std::make_shared<client_error>(std::move(info));
    if (info.status >= 500 && info.status < 600)
        return std::make_shared<server_error>(std::move(info));
    return std::make_shared<api_error>(std::move(info));
}

} // namespace specbound
