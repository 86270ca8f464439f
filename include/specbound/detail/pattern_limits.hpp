// What a schema `pattern` may ask of std::regex before specbound declines to check it. Shared by
// specbound-gen (which warns and leaves such a pattern out) and the runtime (which leaves it
// unchecked), so both draw the line in one place.
//
// libstdc++'s std::regex builds a state per repetition of a counted quantifier (`(a{1000}){1000}`
// is a million states) and matches by recursion, one level per character: a hostile spec or a
// long server-sent string would otherwise exhaust memory or the stack instead of failing cleanly.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace specbound::detail {

/// Longest pattern compiled.
inline constexpr std::size_t max_pattern_size = 1024;
/// Longest string (in bytes) matched against a pattern; longer ones are not checked.
inline constexpr std::size_t max_pattern_subject = 4096;
/// Largest product of the counts of a pattern's `{n}`, `{n,}` and `{n,m}` quantifiers.
inline constexpr std::uint64_t max_pattern_repetition = 10000;

/// Whether `pattern` is small enough to compile: its size, and the product of its counted
/// quantifiers (an upper bound of the states they make, nested or not).
constexpr bool pattern_within_limits(std::string_view pattern) noexcept
{
    if (pattern.size() > max_pattern_size)
        return false;
    std::uint64_t product = 1;
    for (std::size_t i = 0; i < pattern.size(); ++i) {
        if (pattern[i] == '\\') {
            ++i; // an escaped character, `\{` included
            continue;
        }
        if (pattern[i] != '{')
            continue;
        // The largest number of `{n}`, `{n,}` or `{n,m}`; anything else is a literal brace.
        std::uint64_t largest = 0;
        std::uint64_t number = 0;
        std::size_t j = i + 1;
        bool digits = false;
        for (; j < pattern.size() && (pattern[j] == ',' || (pattern[j] >= '0' && pattern[j] <= '9')); ++j) {
            if (pattern[j] == ',') {
                number = 0;
                continue;
            }
            digits = true;
            number = number * 10 + static_cast<std::uint64_t>(pattern[j] - '0');
            if (number > max_pattern_repetition)
                return false;
            largest = number > largest ? number : largest;
        }
        if (!digits || j == pattern.size() || pattern[j] != '}')
            continue;
        product *= largest > 0 ? largest : 1;
        if (product > max_pattern_repetition)
            return false;
        i = j;
    }
    return true;
}

static_assert(pattern_within_limits("^[a-z]{2,8}$"));
static_assert(!pattern_within_limits("(a{1000}){1000}"));
static_assert(pattern_within_limits("\\{1000000}"));

} // namespace specbound::detail
