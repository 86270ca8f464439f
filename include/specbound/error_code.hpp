// boost::system::error_code categories for specbound, for Asio-style code that works with codes.
#pragma once

#include <boost/system/error_category.hpp>
#include <boost/system/error_code.hpp>

#include <string>
#include <type_traits>

namespace specbound {

/// Failures below HTTP: the request may or may not have reached the server.
enum class transport_errc {
    resolve_failed = 1,
    connect_failed,
    tls_handshake_failed,
    connection_closed,   // the peer closed or reset the connection mid-exchange
    proxy_failed,        // the proxy refused CONNECT or answered garbage
    timeout,             // connect, attempt or overall deadline
    body_too_large,      // the response body exceeded the configured limit
    truncated_response,  // the connection ended before the response was complete
    malformed_response,  // not a valid HTTP/1.1 response
    cancelled,
};

/// Failures while turning a response into the declared type, or a request into bytes.
enum class client_errc {
    decode_failed = 1,        // body is not valid JSON or does not match the declared model
    unexpected_content_type,  // the response's media type is not the declared one
    undeclared_status,        // a status the operation does not declare and no default covers
    invalid_argument,         // a request value cannot be serialized (e.g. a missing path parameter)
    api_error,                // the server answered with a declared or undeclared error status
    auth_failed,              // obtaining or refreshing credentials failed
    too_many_redirects,       // more redirects than client_options::redirects.max_redirects, or a loop
    redirect_refused,         // a redirect to an unusable Location, or from https to http
    unexpected_exception,     // an exception from user code (middleware, hooks, sleep) or std::bad_alloc
    content_encoding,         // a compressed body that is corrupt or truncated, or in a coding not supported
    pagination_refused,       // a next page that is not followed: another origin, a page seen before, too many pages
    sink_failed,              // a download's body_sink could not take the body (disk full, the callback refused)
    source_failed,            // an upload's body_source could not give the body (unreadable, shorter or longer than its size)
    validation_failed,        // a request or response value breaks its schema's constraints (validation_options)
};

namespace detail {

class transport_category_impl final : public boost::system::error_category {
public:
    constexpr transport_category_impl() noexcept : error_category(0x5b0a'd001'0000'0001ULL) {}
    const char* name() const noexcept override { return "specbound.transport"; }
    std::string message(int ev) const override
    {
        switch (static_cast<transport_errc>(ev)) {
        case transport_errc::resolve_failed: return "host name resolution failed";
        case transport_errc::connect_failed: return "connection refused or unreachable";
        case transport_errc::tls_handshake_failed: return "TLS handshake failed";
        case transport_errc::connection_closed: return "connection closed by peer";
        case transport_errc::proxy_failed: return "proxy refused the tunnel";
        case transport_errc::timeout: return "operation timed out";
        case transport_errc::body_too_large: return "response body exceeds the size limit";
        case transport_errc::truncated_response: return "response truncated";
        case transport_errc::malformed_response: return "malformed HTTP response";
        case transport_errc::cancelled: return "operation cancelled";
        }
        return "unknown transport error";
    }
};

class client_category_impl final : public boost::system::error_category {
public:
    constexpr client_category_impl() noexcept : error_category(0x5b0a'd001'0000'0002ULL) {}
    const char* name() const noexcept override { return "specbound.client"; }
    std::string message(int ev) const override
    {
        switch (static_cast<client_errc>(ev)) {
        case client_errc::decode_failed: return "response does not match the declared model";
        case client_errc::unexpected_content_type: return "unexpected response content type";
        case client_errc::undeclared_status: return "status not declared by the operation";
        case client_errc::invalid_argument: return "invalid request argument";
        case client_errc::api_error: return "API returned an error status";
        case client_errc::auth_failed: return "authentication failed";
        case client_errc::too_many_redirects: return "too many redirects";
        case client_errc::redirect_refused: return "redirect refused";
        case client_errc::unexpected_exception: return "unexpected exception during the call";
        case client_errc::content_encoding: return "response body's Content-Encoding cannot be decoded";
        case client_errc::pagination_refused: return "next page refused";
        case client_errc::sink_failed: return "the download's sink failed";
        case client_errc::source_failed: return "the upload's source failed";
        case client_errc::validation_failed: return "a value breaks its schema's constraints";
        }
        return "unknown client error";
    }
};

} // namespace detail

inline const boost::system::error_category& transport_category() noexcept
{
    static const detail::transport_category_impl cat;
    return cat;
}

inline const boost::system::error_category& client_category() noexcept
{
    static const detail::client_category_impl cat;
    return cat;
}

inline boost::system::error_code make_error_code(transport_errc e) noexcept
{
    return {static_cast<int>(e), transport_category()};
}

inline boost::system::error_code make_error_code(client_errc e) noexcept
{
    return {static_cast<int>(e), client_category()};
}

} // namespace specbound

template <>
struct boost::system::is_error_code_enum<specbound::transport_errc> : std::true_type {};
template <>
struct boost::system::is_error_code_enum<specbound::client_errc> : std::true_type {};
