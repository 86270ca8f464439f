// Fuzz target: parameter values of every location and style, and every header value, through
// request building (specbound::detail::build_request) and through the call engine's first attempt
// (credentials, default headers, the API key cookie).
//
// Input: byte 0 chooses the operation and the server URL; the rest fills the operation's request
// struct member by member (FuzzedDataProvider: strings, arrays, maps, objects, numbers, dates, enums
// known or not). build_request may refuse the values (invalid_argument_error, a value); when it
// builds a request, that request must have:
//   - no CR, LF or NUL in any header field name or value;
//   - a target that Boost.URL parses as origin-form;
//   - a path that starts with the server URL's base path and then has exactly the template's
//     segments (a value never adds or removes a '/'), none of them '.' or '..' (decoded: %2e too).
// Anything else aborts with the request.
#include <specbound/detail/call_engine.hpp>
#include <specbound/detail/client_config.hpp>
#include <specbound/detail/request_builder.hpp>

#include <fuzzparams/ops/headers.hpp>
#include <fuzzparams/ops/paths.hpp>
#include <fuzzparams/ops/query.hpp>

#include "test_api.hpp"

#include <boost/url/parse.hpp>
#include <boost/url/url_view.hpp>

#include <fuzzer/FuzzedDataProvider.h>

#include <algorithm>
#include <array>
#include <bit>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

namespace {

using namespace specbound;
using namespace specbound::detail;

[[noreturn]] void finding(std::string_view what, const http_request* req = nullptr)
{
    std::fprintf(stderr, "request_building: %.*s\n", static_cast<int>(what.size()), what.data());
    if (req) {
        const std::string_view target = req->target();
        std::fprintf(stderr, "  target: %.*s\n", static_cast<int>(target.size()), target.data());
        for (const auto& f : req->base())
            std::fprintf(stderr, "  field: %.*s: %.*s\n", static_cast<int>(f.name_string().size()),
                         f.name_string().data(), static_cast<int>(f.value().size()), f.value().data());
    }
    std::abort();
}

// ---- values from the fuzzer's bytes ---------------------------------------------------------------

/// How many more "!long!" strings this input may expand (reset per input).
int long_strings_left = 0;

std::string fill_string(FuzzedDataProvider& in)
{
    std::string s = in.ConsumeRandomLengthString(256);
    // A string marked "!long!" is repeated past Beast's 65,533-byte field limit (marked, not
    // random: the fuzzer would otherwise spend most of its time on such strings). Two per input:
    // one past the limit shows the check; dozens only made inputs that take a fifth of a second
    // each (megabytes of percent-encoding), and the run crawled at 200 inputs a second.
    if (s.starts_with("!long!") && long_strings_left > 0) {
        --long_strings_left;
        while (s.size() <= max_field_size)
            s += s;
    }
    return s;
}

template <class T>
void fill(T& v, FuzzedDataProvider& in);

template <class T>
void fill_fields(T& v, FuzzedDataProvider& in)
{
    specbound::apply([&](const auto&... f) { (fill(v.*(std::remove_cvref_t<decltype(f)>::member), in), ...); },
                     json::object_traits<T>::fields);
}

template <class T>
void fill(T& v, FuzzedDataProvider& in)
{
    if constexpr (std::is_same_v<T, std::string>) {
        v = fill_string(in);
    } else if constexpr (std::is_same_v<T, bool>) {
        v = in.ConsumeBool();
    } else if constexpr (std::is_integral_v<T>) {
        v = in.ConsumeIntegral<T>();
    } else if constexpr (std::is_same_v<T, double>) {
        v = std::bit_cast<double>(in.ConsumeIntegral<std::uint64_t>()); // NaN and infinities too
    } else if constexpr (std::is_same_v<T, date>) {
        v = date{std::chrono::year{in.ConsumeIntegral<std::int16_t>()},
                 std::chrono::month{in.ConsumeIntegral<std::uint8_t>()},
                 std::chrono::day{in.ConsumeIntegral<std::uint8_t>()}};
    } else if constexpr (std::is_same_v<T, date_time>) {
        v = date_time{std::chrono::microseconds{in.ConsumeIntegral<std::int64_t>()}};
    } else if constexpr (std::is_same_v<T, uuid>) {
        for (auto& b : v.data)
            b = in.ConsumeIntegral<std::uint8_t>();
    } else if constexpr (is_optional<T>::value) {
        if (in.ConsumeBool())
            fill(v.emplace(), in);
        else
            v.reset();
    } else if constexpr (is_open_enum<T>::value) {
        using E = std::remove_cvref_t<decltype(v.value())>;
        const auto& values = json::enum_traits<E>::values;
        const std::size_t pick = in.ConsumeIntegralInRange<std::size_t>(0, values.size());
        v = pick < values.size() ? T(values[pick].first) : T::unknown(fill_string(in));
    } else if constexpr (is_vector<T>::value) {
        v.resize(in.ConsumeIntegralInRange<std::size_t>(0, 4));
        for (auto& item : v)
            fill(item, in);
    } else if constexpr (is_string_map<T>::value) {
        v.clear();
        for (std::size_t n = in.ConsumeIntegralInRange<std::size_t>(0, 4); n > 0; --n)
            fill(v[fill_string(in)], in);
    } else if constexpr (json::object_model<T>) {
        fill_fields(v, in);
    } else {
        static_assert(sizeof(T) == 0, "request_building: no filler for this parameter type");
    }
}

template <class Op>
typename Op::request_type make_request(FuzzedDataProvider& in)
{
    typename Op::request_type r{};
    specbound::apply([&](const auto&... p) { (fill(r.*(std::remove_cvref_t<decltype(p)>::member), in), ...); },
                     Op::parameters);
    return r;
}

// ---- what every built request must be -------------------------------------------------------------

/// Segments of a path ("/a/b": 2; "": 0). A template's placeholders are not URL syntax: count slashes.
std::size_t segment_count(std::string_view path)
{
    return static_cast<std::size_t>(std::count(path.begin(), path.end(), '/'));
}

template <class Op>
void check_request(const base_url& base, const http_request& req)
{
    for (const auto& f : req.base()) {
        for (std::string_view text : {f.name_string(), f.value()})
            if (text.find_first_of(std::string_view("\r\n\0", 3)) != std::string_view::npos)
                finding("a header field name or value holds CR, LF or NUL", &req);
    }
    const std::string_view target = req.target();
    auto u = boost::urls::parse_origin_form(target);
    if (!u)
        finding("the target is not an origin-form URL: " + u.error().message(), &req);
    if (!u->encoded_path().starts_with(base.path + "/"))
        finding("the path does not start with the base path '" + base.path + "'", &req);
    const std::size_t base_segments = segment_count(base.path);
    const std::size_t template_segments = segment_count(Op::path);
    const auto segments = u->segments();
    if (segments.size() != base_segments + template_segments)
        finding("the path has " + std::to_string(segments.size()) + " segments where the base path and the " +
                    "template have " + std::to_string(base_segments + template_segments),
                &req);
    std::size_t i = 0;
    for (auto s : segments)
        if (i++ >= base_segments && (s == "." || s == ".."))
            finding("a value made a '.' or '..' path segment", &req);
}

/// The server URLs requests are built against: the spec's, the root, a port and an IPv6 host, a
/// trailing slash, and a base path of its own with encoded dots and spaces.
const base_url& base_for(std::uint8_t pick)
{
    static const std::array<base_url, 5> bases{
        parse_base_url("https://api.example.com/v2/base%20path"), parse_base_url("http://api.example.com"),
        parse_base_url("http://[::1]:8080/"), parse_base_url("https://h.example/a/b/"),
        parse_base_url("https://h.example/%2e%2e/x%2Fy")};
    return bases[pick % bases.size()];
}

/// The client whose first attempt adds credentials, default headers and the API key cookie.
const client_config& config()
{
    static const client_config c = [] {
        client_options o;
        o.credentials = {bearer_token{"bearer-secret", "bearerAuth"}, api_key{"key-secret"},
                         basic_auth{"user", "basic-secret"}};
        o.default_headers = {{"X-Client", "fuzz"}, {"X-Trace", "default"}};
        o.retry.idempotency_keys = true;
        return client_config(testapi::api, std::move(o));
    }();
    return c;
}

template <class Op>
void build(std::uint8_t base_pick, FuzzedDataProvider& in)
{
    const typename Op::request_type request = make_request<Op>(in);
    const base_url& base = base_for(base_pick);
    result<http_request> built = build_request<Op>(base, request);
    if (!built) {
        if (!built.error_ptr())
            finding("build_request returned neither a request nor an error");
        return;
    }
    check_request<Op>(base, *built);

    // The engine's first attempt of the same call, on the test API's client.
    const std::string& context = operation_context<Op>();
    const call_plan plan{{Op::operation_id, Op::method, Op::path},
                         std::span<const security_requirement>(Op::security),
                         context,
                         [&](const base_url& b) { return build_request<Op>(b, request); },
                         nullptr, // no response here
                         {}};
    call_engine engine(config(), plan, 1);
    switch (engine.start(std::chrono::steady_clock::time_point{} + std::chrono::hours{1})) {
    case call_engine::step::send: check_request<Op>(config().base, engine.request()); break;
    case call_engine::step::fail:
        if (!engine.failure())
            finding("the engine failed the call without a failure");
        break;
    default: finding("the engine's first step is neither send nor fail");
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    if (size == 0)
        return 0;
    const std::uint8_t op = data[0] & 15;
    const std::uint8_t base = data[0] >> 4;
    FuzzedDataProvider in(data + 1, size - 1);
    long_strings_left = 2;
    try {
        switch (op % 11) {
        case 0: build<fuzzparams::ops::simple_path>(base, in); break;
        case 1: build<fuzzparams::ops::label_path>(base, in); break;
        case 2: build<fuzzparams::ops::matrix_path>(base, in); break;
        case 3: build<fuzzparams::ops::file_by_name>(base, in); break;
        case 4: build<fuzzparams::ops::search>(base, in); break;
        case 5: build<fuzzparams::ops::headers_and_cookies>(base, in); break;
        case 6: build<testapi::ops::list_pets>(base, in); break;
        case 7: build<testapi::ops::show_pet>(base, in); break;
        case 8: build<testapi::ops::delete_pet>(base, in); break;
        case 9: build<testapi::ops::paint>(base, in); break;
        default: build<testapi::ops::whoami>(base, in); break;
        }
    } catch (const std::exception& e) {
        finding(std::string("exception: ") + e.what());
    }
    return 0;
}
