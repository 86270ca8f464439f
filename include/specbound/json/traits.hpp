// How generated models describe themselves to the JSON layer.
//
// The JSON layer (decode.hpp, encode.hpp) handles these C++ types:
//   bool, std::int32_t, std::int64_t (and other integers), float, double, std::string,
//   specbound::date_time, specbound::date, specbound::uuid, specbound::bytes (base64),
//   boost::json::value (free-form), boost::json::object,
//   std::optional<T> (absent), specbound::nullable<T> (null), specbound::boxed<T>,
//   std::vector<T>, std::map<std::string, T> (additionalProperties),
//   specbound::open_enum<E> with enum_traits<E>,
//   objects with object_traits<T>, and unions with variant_traits<T> (and their
//   specbound::unknown_alternative).
//
// Generated code specializes the traits below; the JSON layer never sees the generator.
#pragma once

#include <specbound/descriptor.hpp>

#include <array>
#include <cstddef>
#include <string_view>
#include <tuple>
#include <utility>

namespace specbound::json {

// A field of a member the spec deprecates names that member: decoding and encoding it is the
// codec's job, not a use to warn about (clang warns here, in every build of such a model; GCC does
// not). A user's own use of the member still warns.
#if defined(__clang__)
#pragma clang diagnostic push
#pragma clang diagnostic ignored "-Wdeprecated-declarations"
#endif
/// One member of an object model. `required` fields must be present when decoding.
template <auto Member>
struct field {
    using owner_type = typename specbound::detail::member_pointer_traits<decltype(Member)>::owner;
    using value_type = typename specbound::detail::member_pointer_traits<decltype(Member)>::type;
    static constexpr auto member = Member;

    std::string_view wire_name;
    bool required;
    const constraints* check = nullptr; // the schema's minLength, pattern, minimum...; null: none
};
#if defined(__clang__)
#pragma clang diagnostic pop
#endif

/// Specialize for every generated object model:
///
///   template <> struct object_traits<pet> {
///       static constexpr std::string_view name = "Pet";              // schema name, for messages
///       static constexpr specbound::list fields{
///           field<&pet::id>{"id", true}, field<&pet::name>{"name", true},
///           field<&pet::tag>{"tag", false}};
///       // a constrained field points to its constraints (<specbound/constraints.hpp>):
///       //   static constexpr specbound::constraints name_constraints{.max_length = 40};
///       //   ... field<&pet::name>{"name", true, &name_constraints} ...
///       // optional: members the spec's additionalProperties collects (a std::map<std::string, V>)
///       static constexpr auto additional_properties = &pet::additional_properties;
///       // optional: true when no constraint or enum is anywhere in what a pet holds, so that
///       // validation (<specbound/validation.hpp>) compiles no walk of it
///       static constexpr bool nothing_to_validate = true;
///   };
///
/// Decoding ignores keys that are not fields (unless additional_properties collects them) and
/// reports a missing required field with the JSON pointer of the object.
template <class T>
struct object_traits; // undefined: not an object model

/// Specialize for every generated enum:
///   template <> struct enum_traits<pet_status> {
///       static constexpr std::array<std::pair<pet_status, std::string_view>, 2> values{{
///           {pet_status::available, "available"}, {pet_status::sold, "sold"}}};
///   };
/// Fields use `specbound::open_enum<E>` so that values the spec did not list survive a round trip.
template <class E>
struct enum_traits; // undefined: not a generated enum

/// Specialize for every generated union. A union type derives from std::variant:
///
///   struct pet : std::variant<cat, dog> { using variant::variant; };
///   template <> struct variant_traits<pet> {
///       static constexpr std::string_view name = "Pet";
///       static constexpr std::string_view discriminator = "pet_type";  // empty: none
///       static constexpr std::array<std::pair<std::string_view, std::size_t>, 2> mapping{{
///           {"cat", 0}, {"dog", 1}}};                                  // value -> alternative index
///   };
///
/// A union with a discriminator may end with specbound::unknown_alternative (generated ones do),
/// not named in `mapping`: it receives the objects whose discriminator value `mapping` lacks.
///
/// Without a discriminator the alternative is inferred from the JSON kind of the value and, for
/// objects, from which alternatives' required fields are all present (fewest unknown keys wins).
template <class T>
struct variant_traits; // undefined: not a generated union

template <class T>
concept object_model = requires { object_traits<T>::fields; };
template <class T>
concept enum_model = requires { enum_traits<T>::values; };
template <class T>
concept variant_model = requires { variant_traits<T>::discriminator; };

} // namespace specbound::json
