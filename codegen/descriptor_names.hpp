// The runtime's descriptor enums (<specbound/descriptor.hpp>) are the IR's too. These are their
// spellings: as an OpenAPI document writes them, and as generated code names their enumerators.
#pragma once

#include <specbound/descriptor.hpp>

#include <array>
#include <optional>
#include <string_view>

namespace specbound::gen {

/// Every parameter location, in the enum's order (path, query, header, cookie).
inline constexpr std::array<param_in, 4> param_locations{param_in::path, param_in::query, param_in::header,
                                                         param_in::cookie};

/// The path item key of a method: "get", "put", "post", "delete", ...
[[nodiscard]] const char* openapi_key(http_method m) noexcept;
/// The method a path item key names; nullopt for other keys (parameters, summary, x-...).
[[nodiscard]] std::optional<http_method> method_for_key(std::string_view key) noexcept;
/// The location an OpenAPI `in` names; nullopt for anything else.
[[nodiscard]] std::optional<param_in> location_for(std::string_view in) noexcept;
/// The style an OpenAPI `style` names ("spaceDelimited"...); nullopt for anything else.
[[nodiscard]] std::optional<param_style> style_for(std::string_view style) noexcept;

/// The enumerator's name in namespace specbound, as generated code spells it: `delete_`,
/// `space_delimited`, `form_urlencoded`. For param_in it is OpenAPI's spelling too.
[[nodiscard]] const char* enumerator_name(http_method m) noexcept;
[[nodiscard]] const char* enumerator_name(param_in in) noexcept;
[[nodiscard]] const char* enumerator_name(param_style s) noexcept;
[[nodiscard]] const char* enumerator_name(body_encoding e) noexcept;
/// Also the style's name in x-specbound-pagination.
[[nodiscard]] const char* enumerator_name(page_style s) noexcept;

} // namespace specbound::gen
