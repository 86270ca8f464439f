// Decoding JSON into generated models (and every other type listed in traits.hpp).
//
//   pet p;
//   if (auto failure = specbound::json::decode(body, p))
//       log(failure->pointer, failure->message, failure->offset);
//
// Text is parsed straight into the C++ objects: no DOM is built except for free-form values
// (boost::json::value/object) and unions, whose subtree is captured first.
#pragma once

#include <specbound/json/detail/decoder.hpp>
#include <specbound/json/scalars.hpp>
#include <specbound/json/traits.hpp>

#include <boost/json/basic_parser_impl.hpp>
#include <boost/json/parse_options.hpp>
#include <boost/json/value.hpp>

#include <optional>
#include <string>
#include <string_view>

namespace specbound::json {

/// Parses `json` into `out`, which is reset first. On failure, returns why and where; `out` is
/// then left in a valid but unspecified state. Never throws for bad input (std::bad_alloc may escape).
template <class T>
[[nodiscard]] std::optional<decode_failure> decode(std::string_view json, T& out)
{
    out = T{};
    boost::json::parse_options opt;
    opt.max_depth = max_depth;
    boost::json::basic_parser<detail::decode_handler> parser(opt, detail::slot_of(out));
    boost::json::error_code ec;
    std::size_t n = parser.write_some(false, json.data(), json.size(), ec);
    auto& h = parser.handler();
    if (ec) {
        if (h.failed()) {
            decode_failure f = h.take_failure();
            f.offset = n;
            return f;
        }
        return decode_failure{h.pointer(), "invalid JSON: " + ec.message(), n};
    }
    if (n != json.size())
        return decode_failure{"", "invalid JSON: unexpected characters after the document", n};
    return std::nullopt;
}

/// Decodes a DOM into `out`, which is reset first. Same rules as decode(); offsets are 0.
template <class T>
[[nodiscard]] std::optional<decode_failure> from_value(const boost::json::value& v, T& out)
{
    out = T{};
    return detail::from_value_impl(v, out);
}

} // namespace specbound::json
