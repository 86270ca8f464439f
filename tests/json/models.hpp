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

// oneOf without a discriminator whose alternatives differ only by a one-value enum and their
// optional members (GitHub's repository rules: `type: {enum: [update]}`, `[pull_request]`...).
enum class update_rule_kind { update };
enum class review_rule_kind { pull_request };
struct update_rule {
    specbound::open_enum<update_rule_kind> type;
    std::optional<bool> fetch_and_merge;
    friend bool operator==(const update_rule&, const update_rule&) = default;
};
struct review_rule {
    specbound::open_enum<review_rule_kind> type;
    std::optional<std::int64_t> approvals;
    friend bool operator==(const review_rule&, const review_rule&) = default;
};
struct rule : std::variant<update_rule, review_rule> {
    using variant::variant;
    friend bool operator==(const rule&, const rule&) = default;
};

// The same alternatives ending with the unknown alternative, as generated unions with a
// discriminator do: kinds the mapping lacks are kept instead of failing.
struct open_shape : std::variant<circle, square, specbound::unknown_alternative> {
    using variant::variant;
    friend bool operator==(const open_shape&, const open_shape&) = default;
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

// More fields than one 64-bit word of seen bits: required fields on both sides of the boundary.
struct wide {
    std::optional<std::int32_t> f0;
    std::optional<std::int32_t> f1;
    std::optional<std::int32_t> f2;
    std::int32_t f3;
    std::optional<std::int32_t> f4;
    std::optional<std::int32_t> f5;
    std::optional<std::int32_t> f6;
    std::optional<std::int32_t> f7;
    std::optional<std::int32_t> f8;
    std::optional<std::int32_t> f9;
    std::optional<std::int32_t> f10;
    std::optional<std::int32_t> f11;
    std::optional<std::int32_t> f12;
    std::optional<std::int32_t> f13;
    std::optional<std::int32_t> f14;
    std::optional<std::int32_t> f15;
    std::optional<std::int32_t> f16;
    std::optional<std::int32_t> f17;
    std::optional<std::int32_t> f18;
    std::optional<std::int32_t> f19;
    std::optional<std::int32_t> f20;
    std::optional<std::int32_t> f21;
    std::optional<std::int32_t> f22;
    std::optional<std::int32_t> f23;
    std::optional<std::int32_t> f24;
    std::optional<std::int32_t> f25;
    std::optional<std::int32_t> f26;
    std::optional<std::int32_t> f27;
    std::optional<std::int32_t> f28;
    std::optional<std::int32_t> f29;
    std::optional<std::int32_t> f30;
    std::optional<std::int32_t> f31;
    std::optional<std::int32_t> f32;
    std::optional<std::int32_t> f33;
    std::optional<std::int32_t> f34;
    std::optional<std::int32_t> f35;
    std::optional<std::int32_t> f36;
    std::optional<std::int32_t> f37;
    std::optional<std::int32_t> f38;
    std::optional<std::int32_t> f39;
    std::optional<std::int32_t> f40;
    std::optional<std::int32_t> f41;
    std::optional<std::int32_t> f42;
    std::optional<std::int32_t> f43;
    std::optional<std::int32_t> f44;
    std::optional<std::int32_t> f45;
    std::optional<std::int32_t> f46;
    std::optional<std::int32_t> f47;
    std::optional<std::int32_t> f48;
    std::optional<std::int32_t> f49;
    std::optional<std::int32_t> f50;
    std::optional<std::int32_t> f51;
    std::optional<std::int32_t> f52;
    std::optional<std::int32_t> f53;
    std::optional<std::int32_t> f54;
    std::optional<std::int32_t> f55;
    std::optional<std::int32_t> f56;
    std::optional<std::int32_t> f57;
    std::optional<std::int32_t> f58;
    std::optional<std::int32_t> f59;
    std::optional<std::int32_t> f60;
    std::optional<std::int32_t> f61;
    std::optional<std::int32_t> f62;
    std::optional<std::int32_t> f63;
    std::optional<std::int32_t> f64;
    std::int32_t f65;
    std::optional<std::int32_t> f66;
    std::optional<std::int32_t> f67;
    std::optional<std::int32_t> f68;
    std::int32_t f69;
    friend bool operator==(const wide&, const wide&) = default;
};

} // namespace petstore

template <>
struct specbound::json::enum_traits<petstore::update_rule_kind> {
    static constexpr std::array<std::pair<petstore::update_rule_kind, std::string_view>, 1> values{
        {{petstore::update_rule_kind::update, "update"}}};
};
template <>
struct specbound::json::enum_traits<petstore::review_rule_kind> {
    static constexpr std::array<std::pair<petstore::review_rule_kind, std::string_view>, 1> values{
        {{petstore::review_rule_kind::pull_request, "pull_request"}}};
};
template <>
struct specbound::json::object_traits<petstore::update_rule> {
    static constexpr std::string_view name = "UpdateRule";
    static constexpr std::tuple fields{specbound::json::field<&petstore::update_rule::type>{"type", true},
                                       specbound::json::field<&petstore::update_rule::fetch_and_merge>{"fetch_and_merge", false}};
};
template <>
struct specbound::json::object_traits<petstore::review_rule> {
    static constexpr std::string_view name = "ReviewRule";
    static constexpr std::tuple fields{specbound::json::field<&petstore::review_rule::type>{"type", true},
                                       specbound::json::field<&petstore::review_rule::approvals>{"approvals", false}};
};
template <>
struct specbound::json::variant_traits<petstore::rule> {
    static constexpr std::string_view name = "Rule";
    static constexpr std::string_view discriminator = "";
    static constexpr std::array<std::pair<std::string_view, std::size_t>, 0> mapping{};
};

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
struct specbound::json::variant_traits<petstore::open_shape> {
    static constexpr std::string_view name = "OpenShape";
    static constexpr std::string_view discriminator = "kind";
    static constexpr std::array<std::pair<std::string_view, std::size_t>, 2> mapping{{{"circle", 0}, {"square", 1}}};
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

template <>
struct specbound::json::object_traits<petstore::wide> {
    static constexpr std::string_view name = "Wide";
    static constexpr std::tuple fields{
        specbound::json::field<&petstore::wide::f0>{"f0", false},
        specbound::json::field<&petstore::wide::f1>{"f1", false},
        specbound::json::field<&petstore::wide::f2>{"f2", false},
        specbound::json::field<&petstore::wide::f3>{"f3", true},
        specbound::json::field<&petstore::wide::f4>{"f4", false},
        specbound::json::field<&petstore::wide::f5>{"f5", false},
        specbound::json::field<&petstore::wide::f6>{"f6", false},
        specbound::json::field<&petstore::wide::f7>{"f7", false},
        specbound::json::field<&petstore::wide::f8>{"f8", false},
        specbound::json::field<&petstore::wide::f9>{"f9", false},
        specbound::json::field<&petstore::wide::f10>{"f10", false},
        specbound::json::field<&petstore::wide::f11>{"f11", false},
        specbound::json::field<&petstore::wide::f12>{"f12", false},
        specbound::json::field<&petstore::wide::f13>{"f13", false},
        specbound::json::field<&petstore::wide::f14>{"f14", false},
        specbound::json::field<&petstore::wide::f15>{"f15", false},
        specbound::json::field<&petstore::wide::f16>{"f16", false},
        specbound::json::field<&petstore::wide::f17>{"f17", false},
        specbound::json::field<&petstore::wide::f18>{"f18", false},
        specbound::json::field<&petstore::wide::f19>{"f19", false},
        specbound::json::field<&petstore::wide::f20>{"f20", false},
        specbound::json::field<&petstore::wide::f21>{"f21", false},
        specbound::json::field<&petstore::wide::f22>{"f22", false},
        specbound::json::field<&petstore::wide::f23>{"f23", false},
        specbound::json::field<&petstore::wide::f24>{"f24", false},
        specbound::json::field<&petstore::wide::f25>{"f25", false},
        specbound::json::field<&petstore::wide::f26>{"f26", false},
        specbound::json::field<&petstore::wide::f27>{"f27", false},
        specbound::json::field<&petstore::wide::f28>{"f28", false},
        specbound::json::field<&petstore::wide::f29>{"f29", false},
        specbound::json::field<&petstore::wide::f30>{"f30", false},
        specbound::json::field<&petstore::wide::f31>{"f31", false},
        specbound::json::field<&petstore::wide::f32>{"f32", false},
        specbound::json::field<&petstore::wide::f33>{"f33", false},
        specbound::json::field<&petstore::wide::f34>{"f34", false},
        specbound::json::field<&petstore::wide::f35>{"f35", false},
        specbound::json::field<&petstore::wide::f36>{"f36", false},
        specbound::json::field<&petstore::wide::f37>{"f37", false},
        specbound::json::field<&petstore::wide::f38>{"f38", false},
        specbound::json::field<&petstore::wide::f39>{"f39", false},
        specbound::json::field<&petstore::wide::f40>{"f40", false},
        specbound::json::field<&petstore::wide::f41>{"f41", false},
        specbound::json::field<&petstore::wide::f42>{"f42", false},
        specbound::json::field<&petstore::wide::f43>{"f43", false},
        specbound::json::field<&petstore::wide::f44>{"f44", false},
        specbound::json::field<&petstore::wide::f45>{"f45", false},
        specbound::json::field<&petstore::wide::f46>{"f46", false},
        specbound::json::field<&petstore::wide::f47>{"f47", false},
        specbound::json::field<&petstore::wide::f48>{"f48", false},
        specbound::json::field<&petstore::wide::f49>{"f49", false},
        specbound::json::field<&petstore::wide::f50>{"f50", false},
        specbound::json::field<&petstore::wide::f51>{"f51", false},
        specbound::json::field<&petstore::wide::f52>{"f52", false},
        specbound::json::field<&petstore::wide::f53>{"f53", false},
        specbound::json::field<&petstore::wide::f54>{"f54", false},
        specbound::json::field<&petstore::wide::f55>{"f55", false},
        specbound::json::field<&petstore::wide::f56>{"f56", false},
        specbound::json::field<&petstore::wide::f57>{"f57", false},
        specbound::json::field<&petstore::wide::f58>{"f58", false},
        specbound::json::field<&petstore::wide::f59>{"f59", false},
        specbound::json::field<&petstore::wide::f60>{"f60", false},
        specbound::json::field<&petstore::wide::f61>{"f61", false},
        specbound::json::field<&petstore::wide::f62>{"f62", false},
        specbound::json::field<&petstore::wide::f63>{"f63", false},
        specbound::json::field<&petstore::wide::f64>{"f64", false},
        specbound::json::field<&petstore::wide::f65>{"f65", true},
        specbound::json::field<&petstore::wide::f66>{"f66", false},
        specbound::json::field<&petstore::wide::f67>{"f67", false},
        specbound::json::field<&petstore::wide::f68>{"f68", false},
        specbound::json::field<&petstore::wide::f69>{"f69", true}};
};
