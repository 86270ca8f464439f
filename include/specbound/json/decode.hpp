// Decoding JSON into generated models (and every other type listed in traits.hpp).
//
//   pet p;
//   if (auto failure = specbound::json::decode(body, p))
//       log(failure->pointer, failure->message, failure->offset);
//
// Text is read straight into the C++ objects, first by the typed reader (a recursive descent that
// knows each value's C++ type), and when it gives up (invalid JSON, a value the type refuses, a
// case it leaves to the parser) by a boost::json::basic_parser whose handler keeps a stack of
// typed frames; that route gives every failure. Both follow the rules below, through the same
// per-type functions. No DOM is built except for free-form values (boost::json::value/object)
// and unions that cannot be decided from their first key, whose subtree is captured first.
//
// Rules:
//   - unknown keys are skipped with their subtree, unless object_traits::additional_properties
//     collects them; a repeated key: the last one wins;
//   - a missing required field fails at the object's pointer ("missing required field 'name'");
//   - std::optional<T>: absent or null -> nullopt (null -> nullable null when T is nullable<U>);
//   - integers must fit the C++ type; 5.0 is an integer, 5.5 is not; a double takes integers;
//     numbers beyond double (1e400) fail;
//   - open_enum keeps unlisted values; a plain enum fails on them;
//   - date-time (RFC 3339, offsets applied, stored as UTC microseconds), date, uuid (8-4-4-4-12),
//     bytes (base64 with padding): malformed text fails with the value's pointer;
//   - unions with a discriminator: chosen by `mapping`; decoded while streaming when the
//     discriminator is the first key (then a repeated discriminator key is an error: it cannot
//     choose again), else from the captured object (a repeated key: the last wins, as anywhere).
//     A value the mapping does not know goes to the union's last alternative when that is
//     specbound::unknown_alternative (generated unions have one), which keeps the whole object;
//     without one, it fails. A non-string discriminator fails. A missing one (specs leave it
//     optional) chooses as a union without one does, among the mapped alternatives.
//     Without a discriminator: by JSON kind, then for objects the alternative whose required fields are all
//     present and that knows most keys (first on a tie);
//   - nesting deeper than max_depth (256) fails; invalid JSON fails with "invalid JSON: ..." and
//     the byte offset where the parser stopped.
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

namespace detail {

// decode() by the parser's route alone (the typed reader's fallback; tests compare the two).
template <class T>
[[nodiscard]] std::optional<decode_failure> parse_into(std::string_view json, T& out)
{
    out = T(); // not T{}: GCC 12 warns of the [[deprecated]] members of a braced temporary
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

// decode() by the typed reader alone: false when it gave up (`out` is then unspecified).
template <class T>
[[nodiscard]] bool read_into(std::string_view json, T& out)
{
    out = T(); // not T{}: see above
    typed_reader reader(json);
    return reader.read_document(out);
}

} // namespace detail

/// Parses `json` into `out`, which is reset first. On failure, returns why and where; `out` is
/// then left in a valid but unspecified state. Never throws for bad input (std::bad_alloc may escape).
template <class T>
[[nodiscard]] std::optional<decode_failure> decode(std::string_view json, T& out)
{
    if (detail::read_into(json, out))
        return std::nullopt;
    return detail::parse_into(json, out);
}

/// Decodes a DOM into `out`, which is reset first. Same rules as decode(); offsets are 0.
template <class T>
[[nodiscard]] std::optional<decode_failure> from_value(const boost::json::value& v, T& out)
{
    out = T(); // not T{}: GCC 12 warns of the [[deprecated]] members of a braced temporary
    return detail::from_value_impl(v, out);
}

} // namespace specbound::json
