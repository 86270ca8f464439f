// The response headers an operation declares, as typed fields: specbound-gen emits a struct per
// set of declared headers (shared by the operations that declare the same ones) and names it
// `Op::response_headers`; declared_headers<Op>() reads it from a response's metadata.
//
//   auto page = co_await api.droplets_list_with_metadata(req);
//   auto limits = specbound::declared_headers<digitalocean::ops::droplets_list>(page.metadata);
//   if (limits && limits->ratelimit_remaining) ... *limits->ratelimit_remaining ...   // std::int64_t
//
// Every field is optional: a header the response does not carry is empty. One that it carries
// and that does not parse as the declared type is a decode_error naming it; a header sent in
// several fields is read as their values joined with ", " (RFC 9110 5.3).
#pragma once

#include <specbound/descriptor.hpp>
#include <specbound/detail/text.hpp>
#include <specbound/error.hpp>
#include <specbound/json/scalars.hpp>
#include <specbound/list.hpp>
#include <specbound/metadata.hpp>
#include <specbound/result.hpp>
#include <specbound/types.hpp>

#include <charconv>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>
#include <type_traits>

namespace specbound {

/// One declared header, bound to the member of the headers struct that holds its value.
template <auto Member>
struct header_field {
    using owner_type = typename detail::member_pointer_traits<decltype(Member)>::owner;
    using value_type = typename detail::member_pointer_traits<decltype(Member)>::type;
    static constexpr auto member = Member;

    std::string_view name; // the header field's name
};

/// Specialised by generated code: `static constexpr specbound::list fields{header_field<...>{...}...};`
template <class T>
struct header_traits;

/// An operation that declares response headers.
template <class Op>
concept declares_response_headers = requires { typename Op::response_headers; };

namespace detail {

/// Parses a header's text into `out`; false when it is not that type.
template <class T>
bool parse_header_value(std::string_view text, T& out)
{
    if constexpr (std::is_same_v<T, std::string>) {
        out = std::string(text);
        return true;
    } else if constexpr (std::is_same_v<T, bool>) {
        if (iequals(text, "true") || iequals(text, "false")) {
            out = iequals(text, "true");
            return true;
        }
        return false;
    } else if constexpr (std::is_arithmetic_v<T>) {
        const char* end = text.data() + text.size();
        auto [p, ec] = std::from_chars(text.data(), end, out);
        return ec == std::errc() && p == end;
    } else if constexpr (std::is_same_v<T, date_time>) {
        return json::parse_date_time(text, out);
    } else if constexpr (std::is_same_v<T, date>) {
        return json::parse_date(text, out);
    } else if constexpr (std::is_same_v<T, uuid>) {
        return json::parse_uuid(text, out);
    } else {
        return json::enum_from_wire(text, out); // a generated enum (open or closed)
    }
}

} // namespace detail

/// The headers `Op` declares, read from a response's metadata (or a decode_error naming the one
/// that does not parse).
template <class Op>
    requires declares_response_headers<Op>
result<typename Op::response_headers> declared_headers(const response_metadata& m)
{
    using headers = typename Op::response_headers;
    headers out;
    std::shared_ptr<const error> failure;
    specbound::apply(
        [&](const auto&... field) {
            auto read = [&](const auto& f) {
                if (failure)
                    return;
                std::string joined;
                bool found = false;
                for (const auto& h : m.headers) {
                    if (!detail::iequals(h.name_string(), f.name))
                        continue;
                    if (found)
                        joined += ", ";
                    joined += std::string_view(h.value());
                    found = true;
                }
                if (!found)
                    return;
                auto& slot = out.*(std::remove_cvref_t<decltype(f)>::member);
                typename std::remove_cvref_t<decltype(slot)>::value_type value{};
                if (detail::parse_header_value(detail::trim_ows(joined), value)) {
                    slot = std::move(value);
                    return;
                }
                // The header's name is the spec's; its value, the server's, stays out of what().
                failure = std::make_shared<decode_error>(
                    client_errc::decode_failed,
                    std::string(Op::operation_id) + ": response header '" + std::string(f.name) +
                        "' does not parse as the type the operation declares",
                    m.status, "", "response header '" + std::string(f.name) + "'", joined);
            };
            (read(field), ...);
        },
        header_traits<headers>::fields);
    if (failure)
        return failure;
    return out;
}

} // namespace specbound
