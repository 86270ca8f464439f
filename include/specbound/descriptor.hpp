// Compile-time description of one API operation.
//
// specbound-gen emits one descriptor struct per operation. The runtime reads nothing but these
// constants and types to build a request and to interpret a response, so a descriptor is the whole
// contract between generated code and the runtime. Example (shape of generated code):
//
//   struct list_pets_request {
//       std::optional<std::int32_t> limit;          // query
//   };
//   namespace ops {
//   struct list_pets {
//       static constexpr std::string_view operation_id = "listPets";
//       static constexpr std::string_view name = "list_pets";
//       static constexpr specbound::http_method method = specbound::http_method::get;
//       static constexpr std::string_view path = "/pets";
//       using request_type = list_pets_request;
//       using response_type = std::vector<pet>;      // body of the success (2xx) response
//       static constexpr specbound::constraints limit_constraints{.minimum = 1, .maximum = 100};
//       static constexpr specbound::list parameters{
//           specbound::param<&list_pets_request::limit>{"limit", specbound::param_in::query,
//                                                       specbound::param_style::form, true, false,
//                                                       &limit_constraints}}; // only if constrained
//       static constexpr specbound::list<> body{};    // or a specbound::request_body<&R::body>
//       static constexpr specbound::list responses{
//           specbound::response<200, std::vector<pet>>{"application/json"},
//           specbound::response<specbound::status_default, error>{"application/json"}};
//       static constexpr std::array<specbound::security_requirement, 1> security{{{{"api_key"}}}};
//       static constexpr std::array<std::string_view, 1> tags{"pets"};
//       static constexpr bool deprecated = false;
//       static constexpr std::span<const specbound::server> servers{}; // its own servers; empty: the API's
//       struct pagination {                        // only for operations found paginated
//           static constexpr specbound::page_style style = specbound::page_style::page_number;
//           using items = specbound::field_path<>;  // the body is the list
//           using next = void;                      // next_link, cursor: the string's field_path
//           using total = void;                     // a field_path to the total count, if any
//           static constexpr auto param = &list_pets_request::page; // cursor, page_number, offset
//       };
//   };
//   }
//   static_assert(specbound::valid_descriptor<ops::list_pets>);
#pragma once

#include <specbound/constraints.hpp>
#include <specbound/list.hpp>

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>
#include <tuple>
#include <type_traits>

namespace specbound {

enum class http_method : std::uint8_t { get, put, post, delete_, options, head, patch, trace };

constexpr std::string_view to_string(http_method m) noexcept
{
    switch (m) {
    case http_method::get: return "GET";
    case http_method::put: return "PUT";
    case http_method::post: return "POST";
    case http_method::delete_: return "DELETE";
    case http_method::options: return "OPTIONS";
    case http_method::head: return "HEAD";
    case http_method::patch: return "PATCH";
    case http_method::trace: return "TRACE";
    }
    return "GET";
}

/// Methods that RFC 9110 defines as idempotent: safe to retry without an idempotency key.
constexpr bool is_idempotent(http_method m) noexcept
{
    return m != http_method::post && m != http_method::patch;
}

enum class param_in : std::uint8_t { path, query, header, cookie };
enum class param_style : std::uint8_t { simple, label, matrix, form, space_delimited, pipe_delimited, deep_object };

namespace detail {
template <class M>
struct member_pointer_traits;
template <class C, class T>
struct member_pointer_traits<T C::*> {
    using owner = C;
    using type = T;
};
} // namespace detail

// A parameter or body of a member the spec deprecates names that member: building the request
// from it is the library's job, not a use to warn about (clang warns here, GCC does not). The
// caller's own use of the member still warns.
#if defined(__clang__)
#pragma clang diagnostic push
#pragma clang diagnostic ignored "-Wdeprecated-declarations"
#endif
/// A parameter, bound to the member of the request struct that carries its value.
template <auto Member>
struct param {
    using owner_type = typename detail::member_pointer_traits<decltype(Member)>::owner;
    using value_type = typename detail::member_pointer_traits<decltype(Member)>::type;
    static constexpr auto member = Member;

    std::string_view name; // wire name
    param_in in;
    param_style style;
    bool explode;
    bool required;
    const constraints* check = nullptr; // the schema's minLength, pattern, minimum...; null: none
};

/// How a request body goes on the wire; chosen by the generator from the declared media types.
enum class body_encoding : std::uint8_t { json, form_urlencoded, multipart, binary, text };

template <auto Member>
struct request_body {
    using owner_type = typename detail::member_pointer_traits<decltype(Member)>::owner;
    using value_type = typename detail::member_pointer_traits<decltype(Member)>::type;
    static constexpr auto member = Member;

    std::string_view media_type;
    body_encoding encoding;
    bool required;
    const constraints* check = nullptr; // the body schema's own (an array's minItems...); null: none
};
#if defined(__clang__)
#pragma clang diagnostic pop
#endif

/// Response keys: an exact status (100..599), a range `1XX`..`5XX` as 1..5, or `default` as 0.
inline constexpr int status_default = 0;
constexpr int status_range(int first_digit) noexcept { return first_digit; }

constexpr bool status_matches(int key, int status) noexcept
{
    if (key >= 100)
        return key == status;
    if (key >= 1)
        return status / 100 == key;
    return true; // default
}

/// Marker body type for responses without content (204, or a declared response with no media).
struct no_content {
    friend constexpr bool operator==(no_content, no_content) noexcept { return true; }
};

/// One declared response. Body is the C++ type of its content (`no_content` when it has none);
/// Headers is the number of response headers it declares (real specs declare dozens).
template <int Status, class Body, std::size_t Headers = 0>
struct response {
    static constexpr int status = Status;
    using body_type = Body;

    std::string_view media_type{};
    std::array<std::string_view, Headers> headers{}; // declared response header names
};

/// Security requirement: all named schemes together (OpenAPI's AND). An all-empty entry means
/// "no authentication" is an accepted alternative.
struct security_requirement {
    std::array<std::string_view, 4> schemes{};
};

enum class security_scheme_kind : std::uint8_t {
    http_bearer,
    http_basic,
    api_key_header,
    api_key_query,
    api_key_cookie,
    oauth2,
    open_id_connect,
    mutual_tls,
};

/// A security scheme from components.securitySchemes.
struct security_scheme {
    std::string_view name;           // key in components.securitySchemes
    security_scheme_kind kind;
    std::string_view parameter_name; // API key: header/query/cookie name
    std::string_view token_url;      // OAuth2 client credentials
};

/// A variable of a server URL template: `{name}` in the URL.
struct server_variable {
    std::string_view name;
    std::string_view default_value;
    std::span<const std::string_view> enum_values; // the values it may take; empty: any
};

/// A servers[] entry of the spec: the API's, or an operation's own.
struct server {
    std::string_view url;         // template with {variables}; may be relative ("/v2")
    std::string_view description;
    std::span<const server_variable> variables;
};

/// What a generated API says about itself; the runtime client reads it for its defaults
/// (base URL, User-Agent, which credential satisfies which scheme).
struct api_description {
    std::string_view name;           // short name, the generated namespace (used in User-Agent)
    std::string_view title;          // info.title
    std::string_view version;        // info.version
    std::string_view default_server; // first servers[].url, variables replaced by their defaults
    std::span<const security_scheme> security_schemes;
    std::span<const server> servers{}; // every servers[] entry, for client_options::server
};

/// How an operation's pages follow one another.
enum class page_style : std::uint8_t {
    link_header, // a `Link: <url>; rel="next"` response header (RFC 8288; GitHub)
    next_link,   // the next page's URL in the body (DigitalOcean's links.pages.next)
    cursor,      // a cursor in the body, sent back in a query parameter; ends when there is none
    page_number, // page 1, 2, 3...: ends with an empty page or when the total is reached
    offset,      // offset += items received: ends with an empty page or when the total is reached
};

/// A path of members from a response to a value inside it: `field_path<&list::links,
/// &page_links::pages, &forward_links::next>`. Optional, nullable and boxed members are looked
/// through (absent: no value); a step whose class is one alternative of a union is taken when the
/// union holds that alternative.
template <auto... Members>
struct field_path {};

/// A list of operation descriptors. Generated headers name one per tag
/// (`<ns>::operations::<tag>`), for code that visits every operation: mock registries, request
/// logging tables, conformance sweeps.
template <class... Ops>
struct operation_list {
    static constexpr std::size_t size = sizeof...(Ops);
};

/// An operation's example answer, from the spec: specbound-gen writes one per operation that has
/// one in `<ns>/examples.hpp` (`<ns>::examples`), and testing::mock_server serves it by default.
struct response_example {
    std::string_view operation;  // the descriptor's `name`
    int status;                  // the first 2xx response's status (200 for 2XX)
    std::string_view media_type; // its media type
    std::string_view body;       // JSON text for JSON media types, the text itself for text/*
};

/// Calls `f(std::type_identity<Op>{})` for each operation of the list, in order.
template <class... Ops, class F>
constexpr void for_each_operation(operation_list<Ops...>, F&& f)
{
    (f(std::type_identity<Ops>{}), ...);
}

// ---------------------------------------------------------------------------------------------
// Compile-time checks of a descriptor.

namespace detail {

/// Names of `{placeholders}` in a path template, checked against path parameters.
template <class Tuple, std::size_t... I>
constexpr bool has_path_param([[maybe_unused]] const Tuple& params, [[maybe_unused]] std::string_view name,
                              std::index_sequence<I...>)
{
    return ((specbound::get<I>(params).in == param_in::path && specbound::get<I>(params).name == name) || ...);
}

template <class Tuple, std::size_t... I>
constexpr bool path_params_in_template([[maybe_unused]] const Tuple& params, std::string_view path,
                                       std::index_sequence<I...>)
{
    // Unused when the operation has no parameters (empty fold).
    [[maybe_unused]] auto appears = [&](std::string_view name) {
        for (std::size_t open = path.find('{'); open != std::string_view::npos; open = path.find('{', open + 1)) {
            std::size_t close = path.find('}', open);
            if (close == std::string_view::npos)
                return false;
            if (path.substr(open + 1, close - open - 1) == name)
                return true;
        }
        return false;
    };
    return ((specbound::get<I>(params).in != param_in::path || appears(specbound::get<I>(params).name)) && ...);
}

template <class Tuple>
constexpr bool path_matches_params(std::string_view path, const Tuple& params)
{
    constexpr auto seq = std::make_index_sequence<std::tuple_size_v<Tuple>>{};
    // Every placeholder names a path parameter, braces are balanced and non-empty.
    for (std::size_t i = 0; i < path.size(); ++i) {
        if (path[i] == '}')
            return false;
        if (path[i] != '{')
            continue;
        std::size_t close = path.find('}', i);
        if (close == std::string_view::npos || close == i + 1)
            return false;
        std::string_view name = path.substr(i + 1, close - i - 1);
        if (name.find('{') != std::string_view::npos)
            return false;
        if (!has_path_param(params, name, seq))
            return false;
        i = close;
    }
    // Every path parameter appears in the template.
    return path_params_in_template(params, path, seq);
}

template <class Op, class Tuple, std::size_t... I>
constexpr bool params_bind_request(std::index_sequence<I...>)
{
    return (std::is_same_v<typename std::tuple_element_t<I, Tuple>::owner_type, typename Op::request_type> && ...);
}

} // namespace detail

namespace detail {

// Each rule has its own static_assert, so a broken descriptor fails to compile with the rule it
// breaks in the message (and the operation's name in the instantiation note), not a bare "false".
template <class Op>
consteval bool check_descriptor()
{
    using params = std::remove_cv_t<decltype(Op::parameters)>;
    static_assert(path_matches_params(Op::path, Op::parameters),
                  "specbound descriptor: the path template's {placeholders} and the operation's path parameters "
                  "disagree (a placeholder without a parameter, a parameter missing from the template, or an "
                  "unbalanced brace)");
    static_assert(params_bind_request<Op, params>(std::make_index_sequence<std::tuple_size_v<params>>{}),
                  "specbound descriptor: a parameter binds a member of a struct other than the operation's "
                  "request_type");
    return true;
}

} // namespace detail

/// True when the path template and the path parameters agree and every parameter binds a member
/// of the operation's request struct; otherwise a compile error naming the rule. Generated code
/// asserts this for every operation.
template <class Op>
inline constexpr bool valid_descriptor = detail::check_descriptor<Op>();

} // namespace specbound
