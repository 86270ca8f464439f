// Models written by hand exactly as specbound-gen emits them (docs/generated-code.md).
#pragma once

#include <specbound/json/traits.hpp>
#include <specbound/types.hpp>

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <tuple>
#include <utility>
#include <variant>
#include <vector>

namespace petstore {

enum class pet_status { available, pending, sold };

struct pet {
    std::int64_t id;
    std::string name;
    std::optional<std::string> tag;
    std::optional<specbound::open_enum<pet_status>> status;
    std::optional<specbound::nullable<std::string>> nickname;
    specbound::nullable<std::int32_t> age;
    std::optional<std::vector<std::string>> photo_urls;
    std::optional<std::map<std::string, std::string>> labels;
    std::optional<boost::json::value> extra;
    friend bool operator==(const pet&, const pet&) = default;
};

struct cat {
    std::string pet_type;
    std::optional<bool> indoor;
    friend bool operator==(const cat&, const cat&) = default;
};
struct dog {
    std::string pet_type;
    std::optional<std::int32_t> bark_volume;
    friend bool operator==(const dog&, const dog&) = default;
};

struct any_pet : std::variant<cat, dog> {
    using variant::variant;
    friend bool operator==(const any_pet&, const any_pet&) = default;
};

// Discriminated union whose alternatives do not declare the discriminator property.
struct circle {
    double radius;
    friend bool operator==(const circle&, const circle&) = default;
};
struct square {
    double side;
    std::optional<std::string> color;
    friend bool operator==(const square&, const square&) = default;
};
struct shape : std::variant<circle, square> {
    using variant::variant;
    friend bool operator==(const shape&, const shape&) = default;
};

// oneOf without a discriminator: inferred from the JSON kind and the required fields.
struct card_payment {
    std::string card_number;
    std::optional<std::string> holder;
    friend bool operator==(const card_payment&, const card_payment&) = default;
};
struct bank_payment {
    std::string iban;
    std::optional<std::string> holder;
    std::optional<std::string> bic;
    friend bool operator==(const bank_payment&, const bank_payment&) = default;
};
struct payment : std::variant<card_payment, bank_payment> {
    using variant::variant;
    friend bool operator==(const payment&, const payment&) = default;
};
struct scalar_or_list : std::variant<std::int64_t, std::string, bool, std::vector<std::int64_t>, double> {
    using variant::variant;
    friend bool operator==(const scalar_or_list&, const scalar_or_list&) = default;
};

// A recursive schema: a node that holds itself other than through a container.
struct tree {
    std::string label;
    std::optional<specbound::boxed<tree>> left;
    std::optional<specbound::boxed<tree>> right;
    std::vector<tree> children;
    friend bool operator==(const tree&, const tree&) = default;
};

// Formats, maps, additionalProperties, free-form values.
struct record {
    specbound::uuid id;
    specbound::date_time created;
    std::optional<specbound::date> birthday;
    std::optional<specbound::bytes> avatar;
    std::int32_t small;
    std::optional<float> ratio;
    std::optional<std::vector<std::vector<any_pet>>> groups;
    std::optional<std::map<std::string, std::int64_t>> counts;
    std::optional<boost::json::object> meta;
    std::optional<std::vector<bool>> flags;
    std::map<std::string, std::string> additional_properties;
    friend bool operator==(const record&, const record&) = default;
};

// Wire names that need escaping, and a union that contains itself without consuming JSON.
struct odd_names {
    std::int64_t quote;
    std::optional<std::string> slash;
    std::optional<bool> control;
    friend bool operator==(const odd_names&, const odd_names&) = default;
};
struct loop : std::variant<std::int64_t, specbound::boxed<loop>> {
    using variant::variant;
    friend bool operator==(const loop&, const loop&) = default;
};

} // namespace petstore

template <>
struct specbound::json::enum_traits<petstore::pet_status> {
    static constexpr std::array<std::pair<petstore::pet_status, std::string_view>, 3> values{
        {{petstore::pet_status::available, "available"},
         {petstore::pet_status::pending, "pending"},
         {petstore::pet_status::sold, "sold"}}};
};

template <>
struct specbound::json::object_traits<petstore::pet> {
    static constexpr std::string_view name = "Pet";
    static constexpr std::tuple fields{specbound::json::field<&petstore::pet::id>{"id", true},
                                       specbound::json::field<&petstore::pet::name>{"name", true},
                                       specbound::json::field<&petstore::pet::tag>{"tag", false},
                                       specbound::json::field<&petstore::pet::status>{"status", false},
                                       specbound::json::field<&petstore::pet::nickname>{"nickname", false},
                                       specbound::json::field<&petstore::pet::age>{"age", true},
                                       specbound::json::field<&petstore::pet::photo_urls>{"photoUrls", false},
                                       specbound::json::field<&petstore::pet::labels>{"labels", false},
                                       specbound::json::field<&petstore::pet::extra>{"extra", false}};
};

template <>
struct specbound::json::object_traits<petstore::cat> {
    static constexpr std::string_view name = "Cat";
    static constexpr std::tuple fields{specbound::json::field<&petstore::cat::pet_type>{"pet_type", true},
                                       specbound::json::field<&petstore::cat::indoor>{"indoor", false}};
};
template <>
struct specbound::json::object_traits<petstore::dog> {
    static constexpr std::string_view name = "Dog";
    static constexpr std::tuple fields{specbound::json::field<&petstore::dog::pet_type>{"pet_type", true},
                                       specbound::json::field<&petstore::dog::bark_volume>{"bark_volume", false}};
};
template <>
struct specbound::json::variant_traits<petstore::any_pet> {
    static constexpr std::string_view name = "AnyPet";
    static constexpr std::string_view discriminator = "pet_type";
    static constexpr std::array<std::pair<std::string_view, std::size_t>, 2> mapping{{{"cat", 0}, {"dog", 1}}};
};

template <>
struct specbound::json::object_traits<petstore::circle> {
    static constexpr std::string_view name = "Circle";
    static constexpr std::tuple fields{specbound::json::field<&petstore::circle::radius>{"radius", true}};
};
template <>
struct specbound::json::object_traits<petstore::square> {
    static constexpr std::string_view name = "Square";
    static constexpr std::tuple fields{specbound::json::field<&petstore::square::side>{"side", true},
                                       specbound::json::field<&petstore::square::color>{"color", false}};
};
template <>
struct specbound::json::variant_traits<petstore::shape> {
    static constexpr std::string_view name = "Shape";
    static constexpr std::string_view discriminator = "kind";
    static constexpr std::array<std::pair<std::string_view, std::size_t>, 3> mapping{
        {{"circle", 0}, {"square", 1}, {"Square", 1}}};
};

template <>
struct specbound::json::object_traits<petstore::card_payment> {
    static constexpr std::string_view name = "CardPayment";
    static constexpr std::tuple fields{
        specbound::json::field<&petstore::card_payment::card_number>{"card_number", true},
        specbound::json::field<&petstore::card_payment::holder>{"holder", false}};
};
template <>
struct specbound::json::object_traits<petstore::bank_payment> {
    static constexpr std::string_view name = "BankPayment";
    static constexpr std::tuple fields{specbound::json::field<&petstore::bank_payment::iban>{"iban", true},
                                       specbound::json::field<&petstore::bank_payment::holder>{"holder", false},
                                       specbound::json::field<&petstore::bank_payment::bic>{"bic", false}};
};
template <>
struct specbound::json::variant_traits<petstore::payment> {
    static constexpr std::string_view name = "Payment";
    static constexpr std::string_view discriminator = "";
    static constexpr std::array<std::pair<std::string_view, std::size_t>, 0> mapping{};
};
template <>
struct specbound::json::variant_traits<petstore::scalar_or_list> {
    static constexpr std::string_view name = "ScalarOrList";
    static constexpr std::string_view discriminator = "";
    static constexpr std::array<std::pair<std::string_view, std::size_t>, 0> mapping{};
};

template <>
struct specbound::json::object_traits<petstore::tree> {
    static constexpr std::string_view name = "Tree";
    static constexpr std::tuple fields{specbound::json::field<&petstore::tree::label>{"label", true},
                                       specbound::json::field<&petstore::tree::left>{"left", false},
                                       specbound::json::field<&petstore::tree::right>{"right", false},
                                       specbound::json::field<&petstore::tree::children>{"children", false}};
};

template <>
struct specbound::json::object_traits<petstore::record> {
    static constexpr std::string_view name = "Record";
    static constexpr std::tuple fields{specbound::json::field<&petstore::record::id>{"id", true},
                                       specbound::json::field<&petstore::record::created>{"created", true},
                                       specbound::json::field<&petstore::record::birthday>{"birthday", false},
                                       specbound::json::field<&petstore::record::avatar>{"avatar", false},
                                       specbound::json::field<&petstore::record::small>{"small", true},
                                       specbound::json::field<&petstore::record::ratio>{"ratio", false},
                                       specbound::json::field<&petstore::record::groups>{"groups", false},
                                       specbound::json::field<&petstore::record::counts>{"counts", false},
                                       specbound::json::field<&petstore::record::meta>{"meta", false},
                                       specbound::json::field<&petstore::record::flags>{"flags", false}};
    static constexpr auto additional_properties = &petstore::record::additional_properties;
};

template <>
struct specbound::json::object_traits<petstore::odd_names> {
    static constexpr std::string_view name = "OddNames";
    static constexpr std::tuple fields{specbound::json::field<&petstore::odd_names::quote>{"a\"b", true},
                                       specbound::json::field<&petstore::odd_names::slash>{"c\\d/e~f", false},
                                       specbound::json::field<&petstore::odd_names::control>{"g\x01h", false}};
};
template <>
struct specbound::json::variant_traits<petstore::loop> {
    static constexpr std::string_view name = "Loop";
    static constexpr std::string_view discriminator = "";
    static constexpr std::array<std::pair<std::string_view, std::size_t>, 0> mapping{};
};
