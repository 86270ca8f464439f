// Decoding from a boost::json::value: the same handler, fed by a walk over the value.
// Part of <specbound/json/detail/decoder.hpp>, which includes the parts in order.
#pragma once

#include <specbound/json/detail/decoder_handler.hpp>
#include <specbound/json/detail/decoder_type_ops.hpp>

#include <boost/json/error.hpp>
#include <boost/json/value.hpp>

#include <cstddef>
#include <optional>

namespace specbound::json::detail {

inline bool walk(const boost::json::value& v, decode_handler& h, std::size_t depth, boost::json::error_code& ec)
{
    switch (v.kind()) {
    case boost::json::kind::null: return h.on_null(ec);
    case boost::json::kind::bool_: return h.on_bool(v.get_bool(), ec);
    case boost::json::kind::int64: return h.on_int64(v.get_int64(), {}, ec);
    case boost::json::kind::uint64: return h.on_uint64(v.get_uint64(), {}, ec);
    case boost::json::kind::double_: return h.on_double(v.get_double(), {}, ec);
    case boost::json::kind::string: {
        const auto& s = v.get_string();
        return h.on_string(s, s.size(), ec);
    }
    case boost::json::kind::array: {
        if (depth >= max_depth)
            return h.fail("nesting deeper than " + number_text(max_depth)) || h.stop(ec);
        const auto& a = v.get_array();
        if (!h.on_array_begin(ec))
            return false;
        for (const auto& e : a)
            if (!walk(e, h, depth + 1, ec))
                return false;
        return h.on_array_end(a.size(), ec);
    }
    case boost::json::kind::object: {
        if (depth >= max_depth)
            return h.fail("nesting deeper than " + number_text(max_depth)) || h.stop(ec);
        const auto& o = v.get_object();
        if (!h.on_object_begin(ec))
            return false;
        for (const auto& kv : o) {
            if (!h.on_key(kv.key(), kv.key().size(), ec) || !walk(kv.value(), h, depth + 1, ec))
                return false;
        }
        return h.on_object_end(o.size(), ec);
    }
    }
    return true;
}

template <class T>
std::optional<decode_failure> from_value_impl(const boost::json::value& v, T& out, std::size_t base_depth = 0)
{
    decode_handler h(slot_of(out), base_depth);
    boost::json::error_code ec;
    if (walk(v, h, base_depth, ec))
        return std::nullopt;
    if (h.failed())
        return h.take_failure();
    return decode_failure{h.pointer(), "invalid value: " + ec.message(), 0};
}

} // namespace specbound::json::detail
