// Parsing of `Retry-After` (delta-seconds or IMF-fixdate) and `retry-after-ms`.
#pragma once

#include <specbound/detail/text.hpp>

#include <boost/beast/http/fields.hpp>

#include <array>
#include <charconv>
#include <chrono>
#include <cstdint>
#include <optional>
#include <string_view>

namespace specbound::detail {

/// Digits only, no sign, no overflow past int64.
inline std::optional<std::int64_t> parse_non_negative(std::string_view s) noexcept
{
    if (s.empty() || s.size() > 18)
        return std::nullopt;
    std::int64_t v = 0;
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec != std::errc{} || p != s.data() + s.size() || v < 0)
        return std::nullopt;
    return v;
}

/// IMF-fixdate (RFC 9110 5.6.7), e.g. "Sun, 06 Nov 1994 08:49:37 GMT". The obsolete RFC 850 and
/// asctime forms are not accepted: servers must send IMF-fixdate. In seconds: any four-digit year
/// fits, whereas system_clock's nanoseconds end in 2262.
inline std::optional<std::chrono::sys_seconds> parse_http_date(std::string_view s) noexcept
{
    using namespace std::chrono;
    s = trim_ows(s);
    // "Www, DD Mon YYYY HH:MM:SS GMT" is exactly 29 characters.
    if (s.size() != 29 || s[3] != ',' || s[4] != ' ' || s[7] != ' ' || s[11] != ' ' || s[16] != ' ' ||
        s[19] != ':' || s[22] != ':' || s[25] != ' ' || s.substr(26) != "GMT")
        return std::nullopt;
    static constexpr std::array<std::string_view, 12> months{"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                             "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    unsigned month = 0;
    for (unsigned i = 0; i < months.size(); ++i)
        if (s.substr(8, 3) == months[i])
            month = i + 1;
    auto day = parse_non_negative(s.substr(5, 2));
    auto year = parse_non_negative(s.substr(12, 4));
    auto hh = parse_non_negative(s.substr(17, 2));
    auto mm = parse_non_negative(s.substr(20, 2));
    auto ss = parse_non_negative(s.substr(23, 2));
    if (month == 0 || !day || !year || !hh || !mm || !ss || *hh > 23 || *mm > 59 || *ss > 60)
        return std::nullopt;
    year_month_day ymd{std::chrono::year{static_cast<int>(*year)}, std::chrono::month{month},
                       std::chrono::day{static_cast<unsigned>(*day)}};
    if (!ymd.ok())
        return std::nullopt;
    return sys_days{ymd} + hours{*hh} + minutes{*mm} + seconds{*ss};
}

/// A wait of `secs` seconds, capped at a century so that converting it cannot overflow.
inline std::chrono::milliseconds capped_wait(std::int64_t secs) noexcept
{
    constexpr std::int64_t max_seconds = 100LL * 365 * 24 * 3600;
    return std::chrono::seconds{secs < max_seconds ? secs : max_seconds};
}

/// The delay a response asks for: `retry-after-ms` (non-standard, used by several APIs) wins over
/// `Retry-After`; an HTTP-date in the past means "now". nullopt when absent or unparseable.
inline std::optional<std::chrono::milliseconds> parse_retry_after(const boost::beast::http::fields& headers,
                                                                  std::chrono::system_clock::time_point now)
{
    using namespace std::chrono;
    if (auto it = headers.find("retry-after-ms"); it != headers.end()) {
        if (auto v = parse_non_negative(trim_ows(it->value())))
            return milliseconds{*v};
    }
    auto it = headers.find(boost::beast::http::field::retry_after);
    if (it == headers.end())
        return std::nullopt;
    std::string_view value = trim_ows(it->value());
    if (auto secs = parse_non_negative(value))
        return capped_wait(*secs);
    if (auto when = parse_http_date(value)) {
        // Compared in seconds, clamped: a date centuries ahead is a very long wait, not an overflow.
        const auto now_s = floor<seconds>(now);
        if (*when <= now_s)
            return milliseconds{0};
        return capped_wait((*when - now_s).count());
    }
    return std::nullopt;
}

} // namespace specbound::detail
