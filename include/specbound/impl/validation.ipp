// The checks behind <specbound/validation.hpp>'s walk, and the cache of compiled patterns: the
// only part of the runtime that includes <regex>.
// Included by <specbound/validation.hpp> (header-only use) or compiled once through
// <specbound/src.hpp> (SPECBOUND_SEPARATE_COMPILATION); see <specbound/detail/config.hpp>.
#pragma once

#include <specbound/detail/pattern_limits.hpp>
#include <specbound/validation.hpp>

#include <array>
#include <charconv>
#include <cmath>
#include <functional>
#include <limits>
#include <map>
#include <mutex>
#include <regex>

namespace specbound::detail {

SPECBOUND_DECL pattern_result match_pattern(std::string_view pattern, std::string_view text)
{
    if (text.size() > max_pattern_subject || !pattern_within_limits(pattern))
        return pattern_result::not_checked;
    // Generated patterns are a fixed set; the bound only stops hand-made ones from growing it.
    constexpr std::size_t max_cached = 4096;
    static std::mutex mutex;
    static std::map<std::string, std::shared_ptr<const std::regex>, std::less<>> cache; // null: rejected
    std::shared_ptr<const std::regex> re;
    {
        std::lock_guard lock(mutex);
        if (auto it = cache.find(pattern); it != cache.end()) {
            re = it->second;
        } else {
            try {
                re = std::make_shared<const std::regex>(pattern.begin(), pattern.end(), std::regex::ECMAScript);
            } catch (const std::regex_error&) {
                // The generator warned about such a pattern and left it out: not checked here either.
            }
            if (cache.size() < max_cached)
                cache.emplace(std::string(pattern), re);
        }
    }
    if (!re)
        return pattern_result::not_checked;
    try {
        return std::regex_search(text.begin(), text.end(), *re) ? pattern_result::match : pattern_result::no_match;
    } catch (const std::regex_error&) {
        return pattern_result::not_checked; // error_complexity, error_stack
    }
}

/// The shortest text that reads back as `v` in its own type: "0.1", "1e+300".
template <class F>
std::string shortest(F v)
{
    std::array<char, 32> buf{};
    auto [end, ec] = std::to_chars(buf.data(), buf.data() + buf.size(), v);
    return ec == std::errc() ? std::string(buf.data(), end) : std::to_string(v);
}

SPECBOUND_DECL std::string bounded_text(std::string_view text)
{
    constexpr std::size_t max_shown = 64;
    if (text.size() <= max_shown)
        return '"' + std::string(text) + '"';
    std::size_t n = max_shown;
    while (n > 0 && (static_cast<unsigned char>(text[n]) & 0xC0) == 0x80)
        --n; // a UTF-8 boundary
    return '"' + std::string(text.substr(0, n)) + "\"...";
}

SPECBOUND_DECL bool fail_validation(validation_walk& w, constraint_kind k, std::string requirement, std::string value)
{
    w.failed = true;
    w.constraint = k;
    w.failed_pointer = w.pointer;
    w.requirement = std::move(requirement);
    w.value = w.hide_values ? std::string() : std::move(value);
    return false;
}

SPECBOUND_DECL bool check_string(std::string_view value, const constraints& c, validation_walk& w)
{
    if (c.min_length || c.max_length) {
        // JSON Schema counts code points: every byte that does not continue a UTF-8 sequence.
        const auto length = static_cast<std::size_t>(std::count_if(
            value.begin(), value.end(), [](char ch) { return (static_cast<unsigned char>(ch) & 0xC0) != 0x80; }));
        if (c.min_length && length < *c.min_length)
            return fail_validation(w, constraint_kind::min_length, "minLength " + std::to_string(*c.min_length),
                                   bounded_text(value));
        if (c.max_length && length > *c.max_length)
            return fail_validation(w, constraint_kind::max_length, "maxLength " + std::to_string(*c.max_length),
                                   bounded_text(value));
    }
    if (!c.pattern.empty() && match_pattern(c.pattern, value) == pattern_result::no_match)
        return fail_validation(w, constraint_kind::pattern, "pattern " + std::string(c.pattern), bounded_text(value));
    return true;
}

SPECBOUND_DECL bool check_number(double value, std::int64_t integer, number_kind kind, const constraints& c,
                                 validation_walk& w)
{
    // Compared in the value's precision: a float field holding 0.1f meets `maximum: 0.1`.
    auto compare = [&](double bound) {
        if (kind == number_kind::float32) {
            const float a = static_cast<float>(value), b = static_cast<float>(bound);
            return a < b ? -1 : a > b ? 1 : 0;
        }
        return value < bound ? -1 : value > bound ? 1 : 0;
    };
    auto shown = [&] {
        return kind == number_kind::integer   ? std::to_string(integer)
               : kind == number_kind::float32 ? shortest(static_cast<float>(value))
                                              : shortest(value);
    };
    if (c.minimum) {
        const int r = compare(*c.minimum);
        if (r < 0 || (r == 0 && c.exclusive_minimum))
            return fail_validation(w, c.exclusive_minimum ? constraint_kind::exclusive_minimum : constraint_kind::minimum,
                                   (c.exclusive_minimum ? "exclusiveMinimum " : "minimum ") + shortest(*c.minimum), shown());
    }
    if (c.maximum) {
        const int r = compare(*c.maximum);
        if (r > 0 || (r == 0 && c.exclusive_maximum))
            return fail_validation(w, c.exclusive_maximum ? constraint_kind::exclusive_maximum : constraint_kind::maximum,
                                   (c.exclusive_maximum ? "exclusiveMaximum " : "maximum ") + shortest(*c.maximum), shown());
    }
    if (c.multiple_of && *c.multiple_of > 0) {
        const double m = *c.multiple_of;
        bool multiple = true;
        if (kind == number_kind::integer && m == std::floor(m) && m < 9.2e18) {
            multiple = integer % static_cast<std::int64_t>(m) == 0;
        } else {
            // 0.3 / 0.1 is 2.9999999999999996 in binary: a quotient within a few units of rounding
            // (of the value's precision) of a whole number counts as one.
            const double q = value / m;
            const double epsilon = kind == number_kind::float32 ? std::numeric_limits<float>::epsilon()
                                                                : std::numeric_limits<double>::epsilon();
            multiple = !std::isfinite(q) || std::fabs(q - std::nearbyint(q)) <= std::max(1.0, std::fabs(q)) * 8 * epsilon;
        }
        if (!multiple)
            return fail_validation(w, constraint_kind::multiple_of, "multipleOf " + shortest(m), shown());
    }
    return true;
}

SPECBOUND_DECL bool check_item_count(std::size_t count, const constraints& c, validation_walk& w)
{
    if (c.min_items && count < *c.min_items)
        return fail_validation(w, constraint_kind::min_items, "minItems " + std::to_string(*c.min_items),
                               std::to_string(count) + " items");
    if (c.max_items && count > *c.max_items)
        return fail_validation(w, constraint_kind::max_items, "maxItems " + std::to_string(*c.max_items),
                               std::to_string(count) + " items");
    return true;
}

SPECBOUND_DECL std::shared_ptr<const validation_error> validation_failure(const validation_walk& w,
                                                                          const std::string& context,
                                                                          validation_target target)
{
    return std::make_shared<validation_error>(context, target, target == validation_target::parameter ? w.parameter : "",
                                              w.failed_pointer, w.constraint, w.requirement, w.value);
}

} // namespace specbound::detail
