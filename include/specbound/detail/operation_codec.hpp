// An operation's own code, as one class per operation: its request built, its response decoded,
// both checked against the schema. Everything else of a call (the engine, the transport) is the
// same code for every operation.
//
// One class so that a generated client may compile this code once, in sources of its own
// (`specbound-gen --operation-sources N`, `specbound_generate(... COMPILED_OPERATIONS N)`): its
// ops headers then declare `extern template struct operation_codec<Op>;` for each operation, the
// generated sources define those instantiations, and a TU that calls an operation compiles none
// of its encoding or decoding. Without that, the members are instantiated where they are used,
// as any template.
#pragma once

#include <specbound/detail/request_builder.hpp>
#include <specbound/detail/response_handler.hpp>
#include <specbound/error.hpp>
#include <specbound/result.hpp>
#include <specbound/transport.hpp>
#include <specbound/validation.hpp>

#include <memory>
#include <string>

namespace specbound::detail {

template <class Op>
struct operation_codec {
    using request_type = typename Op::request_type;
    using response_type = typename Op::response_type;

    /// The HTTP request for `request` (build_request).
    static result<http_request> build(const base_url& base, const request_type& request);
    /// The operation's answer to `response` (handle_response).
    static result<response_type> decode(const http_response& response, const std::string& context);
    /// The schema's constraints on what the caller sends, and on what the server answered; null when met.
    static std::shared_ptr<const error> check_request(const request_type& request, const std::string& context);
    static std::shared_ptr<const error> check_response(const response_type& response, const std::string& context);
};

// Defined outside the class, so not inline: an `extern template` declaration then keeps every TU
// but the one with the explicit instantiation from compiling them.
template <class Op>
result<http_request> operation_codec<Op>::build(const base_url& base, const request_type& request)
{
    return build_request<Op>(base, request);
}

template <class Op>
result<typename Op::response_type> operation_codec<Op>::decode(const http_response& response, const std::string& context)
{
    return handle_response<Op>(response, context);
}

template <class Op>
std::shared_ptr<const error> operation_codec<Op>::check_request(const request_type& request, const std::string& context)
{
    return validate_request<Op>(request, context);
}

template <class Op>
std::shared_ptr<const error> operation_codec<Op>::check_response(const response_type& response, const std::string& context)
{
    return validate_response(response, context);
}

} // namespace specbound::detail
