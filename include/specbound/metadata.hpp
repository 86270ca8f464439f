// What came with a call's value: the status (which one, when an operation declares several 2xx),
// the response headers and the server's request id. The `_with_metadata` forms of the generated
// members complete with with_metadata<T>; errors carry the same facts (api_error::headers()).
#pragma once

#include <specbound/error.hpp>

#include <boost/beast/http/fields.hpp>

#include <optional>
#include <string>
#include <string_view>

namespace specbound {

struct response_metadata {
    int status = 0;
    boost::beast::http::fields headers;
    /// x-request-id, request-id, x-amzn-requestid, ... (see api_error::request_id()), "" if none.
    std::string request_id;
    /// The URL that answered (after redirects), with secret query values redacted as in logs.
    std::string url;

    /// A response header's value (case-insensitive name), or nullopt when the response has none.
    [[nodiscard]] std::optional<std::string_view> header(std::string_view name) const
    {
        if (auto it = headers.find(name); it != headers.end())
            return it->value();
        return std::nullopt;
    }
};

template <class T>
struct with_metadata {
    T value;
    response_metadata metadata;
};

namespace detail {
template <class Response>
response_metadata metadata_of(const Response& r, std::string url)
{
    return {static_cast<int>(r.result_int()), r.base(), request_id_of(r.base()), std::move(url)};
}
} // namespace detail

} // namespace specbound
