#include "descriptor_names.hpp"

#include <utility>

namespace specbound::gen {

namespace {

constexpr std::array<http_method, 8> http_methods{http_method::get,     http_method::put,     http_method::post,
                                                  http_method::delete_, http_method::options, http_method::head,
                                                  http_method::patch,   http_method::trace};

constexpr std::array<std::pair<std::string_view, param_style>, 7> openapi_styles{{
    {"simple", param_style::simple},
    {"label", param_style::label},
    {"matrix", param_style::matrix},
    {"form", param_style::form},
    {"spaceDelimited", param_style::space_delimited},
    {"pipeDelimited", param_style::pipe_delimited},
    {"deepObject", param_style::deep_object},
}};

} // namespace

const char* openapi_key(http_method m) noexcept
{
    switch (m) {
    case http_method::get: return "get";
    case http_method::put: return "put";
    case http_method::post: return "post";
    case http_method::delete_: return "delete";
    case http_method::options: return "options";
    case http_method::head: return "head";
    case http_method::patch: return "patch";
    case http_method::trace: return "trace";
    }
    return "get";
}

std::optional<http_method> method_for_key(std::string_view key) noexcept
{
    for (http_method m : http_methods)
        if (key == openapi_key(m))
            return m;
    return std::nullopt;
}

std::optional<param_in> location_for(std::string_view in) noexcept
{
    for (param_in l : param_locations)
        if (in == enumerator_name(l))
            return l;
    return std::nullopt;
}

std::optional<param_style> style_for(std::string_view style) noexcept
{
    for (const auto& [name, s] : openapi_styles)
        if (style == name)
            return s;
    return std::nullopt;
}

const char* enumerator_name(http_method m) noexcept { return m == http_method::delete_ ? "delete_" : openapi_key(m); }

const char* enumerator_name(param_in in) noexcept
{
    switch (in) {
    case param_in::path: return "path";
    case param_in::query: return "query";
    case param_in::header: return "header";
    case param_in::cookie: return "cookie";
    }
    return "query";
}

const char* enumerator_name(param_style s) noexcept
{
    switch (s) {
    case param_style::simple: return "simple";
    case param_style::label: return "label";
    case param_style::matrix: return "matrix";
    case param_style::form: return "form";
    case param_style::space_delimited: return "space_delimited";
    case param_style::pipe_delimited: return "pipe_delimited";
    case param_style::deep_object: return "deep_object";
    }
    return "form";
}

const char* enumerator_name(body_encoding e) noexcept
{
    switch (e) {
    case body_encoding::json: return "json";
    case body_encoding::form_urlencoded: return "form_urlencoded";
    case body_encoding::multipart: return "multipart";
    case body_encoding::binary: return "binary";
    case body_encoding::text: return "text";
    }
    return "json";
}

const char* enumerator_name(page_style s) noexcept
{
    switch (s) {
    case page_style::link_header: return "link_header";
    case page_style::next_link: return "next_link";
    case page_style::cursor: return "cursor";
    case page_style::page_number: return "page_number";
    case page_style::offset: return "offset";
    }
    return "page_number";
}

} // namespace specbound::gen
