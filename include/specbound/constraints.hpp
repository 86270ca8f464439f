// What a schema requires of a value beyond its type, as generated code states it: one constexpr
// specbound::constraints per constrained field, parameter or request body, which the field's or
// parameter's table entry points to (null for the unconstrained, which cost nothing more).
//
//   template <> struct specbound::json::object_traits<pet> {
//       static constexpr specbound::constraints name_constraints{.min_length = 1, .max_length = 40};
//       static constexpr specbound::list fields{
//           field<&pet::id>{"id", true}, field<&pet::name>{"name", true, &name_constraints}};
//   };
//
// Checked by <specbound/validation.hpp> when client_options::validation (or call_options) asks.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

namespace specbound {

/// JSON Schema validation keywords, each applying to the values of one kind (numbers, strings,
/// arrays). Empty members constrain nothing.
struct constraints {
    std::optional<double> minimum{};
    bool exclusive_minimum = false; // 3.0 `exclusiveMinimum: true`, or 3.1's numeric form
    std::optional<double> maximum{};
    bool exclusive_maximum = false;
    std::optional<double> multiple_of{};
    std::optional<std::size_t> min_length{}; // in Unicode code points, as JSON Schema counts
    std::optional<std::size_t> max_length{};
    std::string_view pattern{};              // ECMA-262, unanchored; empty: none
    std::optional<std::size_t> min_items{};
    std::optional<std::size_t> max_items{};
    bool unique_items = false;
    const constraints* items = nullptr;      // the elements' (array items, map values), if any
};

/// The keyword a value broke (validation_error::constraint()).
enum class constraint_kind : std::uint8_t {
    min_length,
    max_length,
    pattern,
    minimum,
    exclusive_minimum,
    maximum,
    exclusive_maximum,
    multiple_of,
    min_items,
    max_items,
    unique_items,
    enumeration, // an open_enum holding a value the spec does not list
};

/// The keyword as JSON Schema spells it: "minLength", "exclusiveMaximum", "enum"...
constexpr std::string_view to_string(constraint_kind k) noexcept
{
    switch (k) {
    case constraint_kind::min_length: return "minLength";
    case constraint_kind::max_length: return "maxLength";
    case constraint_kind::pattern: return "pattern";
    case constraint_kind::minimum: return "minimum";
    case constraint_kind::exclusive_minimum: return "exclusiveMinimum";
    case constraint_kind::maximum: return "maximum";
    case constraint_kind::exclusive_maximum: return "exclusiveMaximum";
    case constraint_kind::multiple_of: return "multipleOf";
    case constraint_kind::min_items: return "minItems";
    case constraint_kind::max_items: return "maxItems";
    case constraint_kind::unique_items: return "uniqueItems";
    case constraint_kind::enumeration: return "enum";
    }
    return "enum";
}

} // namespace specbound
