// Descriptor facts of the generated code, checked at compile time. The headers are generated at
// build time from spec/ by specbound_generate().
#include <petstore/petstore.hpp>
#include <polymorphism/polymorphism.hpp>
#include <types/types.hpp>
#include <multifile/multifile.hpp>
#include <openapi31/openapi31.hpp>
#include <fidelity/fidelity.hpp>
#include <allof_merge/allof_merge.hpp>
#include <allof_unions/allof_unions.hpp>
#include <ms_discriminators/ms_discriminators.hpp>

#include <catch2/catch.hpp>

#include <optional>
#include <string>
#include <tuple>
#include <type_traits>
#include <variant>
#include <vector>

namespace {

using specbound::http_method;
using specbound::param_in;
using specbound::param_style;

template <std::size_t I, class Op>
using response_at = std::remove_cvref_t<decltype(specbound::get<I>(Op::responses))>;
template <std::size_t I, class Op>
using param_at = std::remove_cvref_t<decltype(specbound::get<I>(Op::parameters))>;

// --- petstore ---------------------------------------------------------------------------------
using show = petstore::ops::show_pet_by_id;
static_assert(show::method == http_method::get);
static_assert(show::path == "/pets/{petId}");
static_assert(show::operation_id == "showPetById");
static_assert(show::summary == "Info for a specific pet");
static_assert(std::is_same_v<show::request_type, petstore::show_pet_by_id_request>);
static_assert(std::is_same_v<show::response_type, petstore::pet>);
static_assert(std::tuple_size_v<std::remove_cv_t<decltype(show::parameters)>> == 3);
static_assert(specbound::get<0>(show::parameters).name == "petId");
static_assert(specbound::get<0>(show::parameters).in == param_in::path);
static_assert(specbound::get<0>(show::parameters).style == param_style::simple);
static_assert(specbound::get<0>(show::parameters).required);
static_assert(std::is_same_v<param_at<0, show>::value_type, std::int64_t>);
static_assert(specbound::get<1>(show::parameters).in == param_in::query);
static_assert(specbound::get<1>(show::parameters).style == param_style::form);
static_assert(specbound::get<1>(show::parameters).explode);
static_assert(specbound::get<2>(show::parameters).name == "X-Request-Id");
static_assert(specbound::get<2>(show::parameters).in == param_in::header);
static_assert(std::tuple_size_v<std::remove_cv_t<decltype(show::responses)>> == 3);
static_assert(response_at<0, show>::status == 200);
static_assert(specbound::get<0>(show::responses).headers.size() == 1);
static_assert(specbound::get<0>(show::responses).headers[0] == "x-rate-limit");
static_assert(specbound::get<1>(show::responses).headers.empty());
static_assert(response_at<1, show>::status == 404);
static_assert(std::is_same_v<response_at<1, show>::body_type, petstore::error>);
static_assert(response_at<2, show>::status == specbound::status_default);
static_assert(show::security.size() == 1 && show::security[0].schemes[0] == "api_key");
static_assert(show::tags.size() == 1 && show::tags[0] == "pets");
static_assert(!show::deprecated);

using create = petstore::ops::create_pet;
static_assert(create::method == http_method::post);
static_assert(specbound::get<0>(create::body).media_type == "application/json");
static_assert(specbound::get<0>(create::body).encoding == specbound::body_encoding::json);
static_assert(specbound::get<0>(create::body).required);
static_assert(std::is_same_v<decltype(petstore::create_pet_request::body), petstore::new_pet>);
static_assert(response_at<0, create>::status == 201);
static_assert(create::security.size() == 2 && create::security[0].schemes[0] == "bearer");

using del = petstore::ops::delete_pet;
static_assert(del::method == http_method::delete_);
static_assert(del::deprecated);
static_assert(std::is_same_v<del::response_type, specbound::no_content>);
static_assert(std::is_same_v<decltype(petstore::delete_pet_request::pet_id), std::string>);
static_assert(specbound::get<2>(del::parameters).in == param_in::cookie);
static_assert(std::tuple_size_v<std::remove_cv_t<decltype(del::body)>> == 0);

static_assert(!specbound::get<1>(petstore::ops::list_pets::parameters).explode);
static_assert(petstore::ops::get_inventory::security.size() == 0);
static_assert(std::is_same_v<petstore::ops::place_order::response_type, std::variant<petstore::order, specbound::no_content>>);
static_assert(std::is_same_v<decltype(petstore::place_order_request::body), std::optional<petstore::place_order_body>>);
static_assert(std::is_same_v<petstore::ops::health::response_type, std::string>);
static_assert(specbound::get<0>(petstore::ops::health::responses).media_type == "text/plain");

static_assert(petstore::api.name == "petstore");
static_assert(petstore::api.title == "Specbound Petstore");
static_assert(petstore::api.default_server == "https://eu.pets.example.com/v1");
static_assert(petstore::api.security_schemes.size() == 2);
static_assert(petstore::api.security_schemes[0].kind == specbound::security_scheme_kind::api_key_header);
static_assert(petstore::api.security_schemes[0].parameter_name == "X-API-Key");
static_assert(std::is_constructible_v<petstore::client, boost::asio::any_io_executor>);

// Models
static_assert(std::is_same_v<decltype(petstore::pet::id), std::int64_t>);
static_assert(std::is_same_v<decltype(petstore::pet::status), std::optional<specbound::open_enum<petstore::pet_status>>>);
static_assert(std::is_same_v<decltype(petstore::pet::nickname), std::optional<specbound::nullable<std::string>>>);
static_assert(std::is_same_v<decltype(petstore::pet::age), specbound::nullable<std::int32_t>>);
static_assert(std::is_same_v<decltype(petstore::pet::labels), std::optional<std::map<std::string, std::string>>>);
static_assert(specbound::json::object_model<petstore::pet>);
static_assert(specbound::json::enum_model<petstore::pet_status>);
static_assert(specbound::get<6>(specbound::json::object_traits<petstore::pet>::fields).wire_name == "photoUrls");

// --- types: names, formats, recursion ----------------------------------------------------------
static_assert(std::is_same_v<decltype(types::thing::class_), std::optional<std::string>>);
static_assert(std::is_same_v<decltype(types::thing::plus_1), std::optional<std::int64_t>>);
static_assert(std::is_same_v<decltype(types::thing::odata_type), std::optional<std::string>>);
static_assert(std::is_same_v<decltype(types::thing::os_flavor_access_is_public), std::optional<bool>>);
static_assert(std::is_same_v<decltype(types::thing::created), specbound::date_time>);
static_assert(std::is_same_v<decltype(types::thing::birthday), std::optional<specbound::date>>);
static_assert(std::is_same_v<decltype(types::thing::id), specbound::uuid>);
static_assert(std::is_same_v<decltype(types::thing::blob), std::optional<specbound::bytes>>);
static_assert(std::is_same_v<decltype(types::thing::ratio), std::optional<float>>);
static_assert(std::is_same_v<decltype(types::thing_metadata::additional_properties), std::map<std::string, std::string>>);
static_assert(std::is_same_v<decltype(types::tree_node::parent), std::optional<specbound::boxed<types::tree_node>>>);
static_assert(std::is_same_v<decltype(types::tree_node::children), std::optional<std::vector<types::tree_node>>>);
static_assert(std::is_same_v<decltype(types::person::employer), std::optional<specbound::boxed<types::company>>>);
static_assert(std::is_same_v<decltype(types::user_name_2::value), std::optional<std::string>>);
static_assert(specbound::json::enum_model<types::user_name>);
static_assert(specbound::json::object_model<types::client_2>);
static_assert(specbound::get<0>(types::ops::get_thing::parameters).name == "thing-id");
static_assert(specbound::get<2>(types::ops::get_thing::parameters).style == param_style::deep_object);
static_assert(specbound::get<3>(types::ops::get_thing::parameters).style == param_style::pipe_delimited);
static_assert(specbound::get<0>(types::ops::upload::body).encoding == specbound::body_encoding::binary);
static_assert(std::is_same_v<types::ops::upload::response_type, types::upload_response>);
// allOf parts that only annotate keep the shaped part's type; `required` beside an allOf applies.
static_assert(std::is_same_v<decltype(types::labelled::tags), std::optional<std::vector<std::string>>>);
static_assert(std::is_same_v<decltype(types::labelled::window), std::optional<specbound::nullable<types::window>>>);
static_assert(std::is_same_v<decltype(types::labelled::title), std::optional<std::string>>);
static_assert(std::is_same_v<decltype(types::label_thing_body::text), std::string>);
static_assert(std::is_same_v<decltype(types::label_thing_body::weight), std::optional<std::int64_t>>);
// Enum values print as their wire text, listed or not.
static_assert(specbound::json::enum_to_wire(petstore::pet_status::sold) == "sold");
// One operation list per ops header.
static_assert(std::is_same_v<types::operations::files, specbound::operation_list<types::ops::upload>>);
static_assert(types::operations::things::size == 3);

// --- polymorphism --------------------------------------------------------------------------------
// Unions with a discriminator end with the alternative for kinds the spec does not map; others do not.
static_assert(std::is_base_of_v<std::variant<polymorphism::cat, polymorphism::dog, specbound::unknown_alternative>,
                                polymorphism::any_pet>);
static_assert(std::is_base_of_v<std::variant<std::string, std::int64_t, std::vector<std::string>>, polymorphism::label>);
static_assert(std::is_base_of_v<std::variant<polymorphism::image, polymorphism::text>, polymorphism::content>);
static_assert(specbound::json::variant_traits<polymorphism::any_pet>::discriminator == "pet_type");
static_assert(specbound::json::variant_traits<polymorphism::any_pet>::mapping[0].first == "kitty");
static_assert(specbound::json::variant_traits<polymorphism::shape>::mapping[1].first == "Square");
static_assert(specbound::json::variant_traits<polymorphism::label>::discriminator.empty());
static_assert(std::is_base_of_v<std::variant<polymorphism::car, polymorphism::truck, polymorphism::electric_car,
                                             specbound::unknown_alternative>,
                                polymorphism::vehicle>);
static_assert(std::is_same_v<decltype(polymorphism::electric_car::wheels), std::int32_t>);
static_assert(std::is_same_v<polymorphism::ops::get_vehicle::response_type, polymorphism::vehicle>);

// --- multifile and 3.1 ---------------------------------------------------------------------------
static_assert(multifile::ops::get_user::path == "/users/{user_id}");
static_assert(std::is_same_v<decltype(multifile::user::role), std::optional<specbound::open_enum<multifile::role>>>);
static_assert(std::is_same_v<decltype(multifile::list_users_response::users), std::optional<std::vector<multifile::user>>>);
static_assert(std::is_same_v<decltype(openapi31::event::note), specbound::nullable<std::string>>);
static_assert(std::is_same_v<decltype(openapi31::event::parent), std::optional<specbound::nullable<specbound::boxed<openapi31::event>>>>);

} // namespace

TEST_CASE("generated models are regular value types", "[codegen][generated]")
{
    petstore::pet a{};
    a.id = 7;
    a.name = "Rex";
    a.status = petstore::pet_status::sold;
    petstore::pet b = a;
    CHECK(a == b);
    b.nickname = specbound::null;
    CHECK_FALSE(a == b);

    types::tree_node root{};
    root.value = "root";
    root.parent = types::tree_node{};
    root.parent->get().value = "up";
    types::tree_node copy = root;
    CHECK(copy == root);
    copy.parent->get().value = "changed";
    CHECK(root.parent->get().value == "up"); // boxed copies deeply

    polymorphism::any_pet pet = polymorphism::dog{"dog", 3};
    CHECK(std::holds_alternative<polymorphism::dog>(pet));
    // A visitor also meets the unknown alternative, which has no members of the spec's.
    auto kind = [](const auto& p) {
        if constexpr (std::is_same_v<std::remove_cvref_t<decltype(p)>, specbound::unknown_alternative>)
            return p.discriminator_value;
        else
            return p.pet_type;
    };
    CHECK(std::visit(kind, pet) == "dog");
    pet = specbound::unknown_alternative{"parrot", {{"pet_type", "parrot"}}};
    CHECK(std::visit(kind, pet) == "parrot");
}

TEST_CASE("a union path parameter is sent as the alternative it holds", "[codegen][generated]")
{
    const auto base = specbound::detail::parse_base_url("http://api.example.com");
    types::label_thing_request by_number{.label_key = std::int64_t{7}, .body = {.text = "red"}};
    CHECK(specbound::detail::build_request<types::ops::label_thing>(base, by_number)->target() == "/labels/7");
    types::label_thing_request by_name{.label_key = std::string("a b/c"), .body = {.text = "red"}};
    CHECK(specbound::detail::build_request<types::ops::label_thing>(base, by_name)->target() == "/labels/a%20b%2Fc");
}

TEST_CASE("an open enum's wire name covers values the spec did not list", "[codegen][generated]")
{
    CHECK(specbound::json::enum_to_wire(specbound::open_enum<petstore::pet_status>(petstore::pet_status::sold)) == "sold");
    CHECK(specbound::json::enum_to_wire(specbound::open_enum<petstore::pet_status>::unknown("retired")) == "retired");
}

TEST_CASE("an operation list visits the operations of its header in order", "[codegen][generated]")
{
    std::vector<std::string_view> ids;
    specbound::for_each_operation(types::operations::things{},
                                  [&](auto op) { ids.push_back(decltype(op)::type::operation_id); });
    CHECK(ids == std::vector<std::string_view>{"getThing", "putTree", "labelThing"});
}

TEST_CASE("null in an allOf-annotated nullable member is kept apart from absent", "[codegen][generated]")
{
    types::labelled value{};
    REQUIRE_FALSE(specbound::json::decode(R"({"tags":["red"],"window":null,"title":"t"})", value));
    REQUIRE(value.window.has_value());
    CHECK(value.window->is_null());
    CHECK(value.tags == std::vector<std::string>{"red"});
    REQUIRE_FALSE(specbound::json::decode(R"({})", value));
    CHECK_FALSE(value.window.has_value());
}

// --- fidelity (issue 16): valid constructs real specs use --------------------------------------
static_assert(std::is_same_v<decltype(fidelity::link::ref), std::string>);
static_assert(specbound::get<0>(specbound::json::object_traits<fidelity::link>::fields).wire_name == "$ref");
// OpenAPI 3.1: an operation without `responses` declares none and returns no content.
static_assert(std::tuple_size_v<std::remove_cv_t<decltype(fidelity::ops::ping::responses)>> == 0);
static_assert(std::is_same_v<fidelity::ops::ping::response_type, specbound::no_content>);
// Opaque operationIds: the members are named after method and path; the descriptor keeps the id.
static_assert(fidelity::ops::get_airports::operation_id == "58d8bcb8a9e6240e200cff26");
static_assert(fidelity::ops::get_airports_id::path == "/airports/{id}");
static_assert(std::is_same_v<decltype(fidelity::get_airports_id_request::id), std::string>);
// Responses describe every header they declare (12 here; descriptors once had room for 8).
static_assert(specbound::get<0>(fidelity::ops::list_links::responses).headers.size() == 12);
static_assert(specbound::get<0>(fidelity::ops::list_links::responses).headers[0] == "X-Total-Count");
static_assert(specbound::get<0>(fidelity::ops::list_links::responses).headers[11] == "Last-Modified");
static_assert(specbound::valid_descriptor<fidelity::ops::list_links>);
// x-ms-discriminator-value (item 1): a subtype's value, unless an explicit mapping names it.
static_assert(specbound::json::variant_traits<ms_discriminators::stage>::discriminator == "kind");
static_assert(specbound::json::variant_traits<ms_discriminators::stage>::mapping[0].first == "Contoso.Pipelines/Copy");
static_assert(specbound::json::variant_traits<ms_discriminators::trigger>::mapping[0].first == "schedule");
static_assert(std::is_base_of_v<std::variant<ms_discriminators::copy_stage, ms_discriminators::script_stage,
                                             ms_discriminators::approval_stage, specbound::unknown_alternative>,
                                ms_discriminators::stage>);
// allOf refinements (item 2): every part's members, the narrower declaration of each.
static_assert(std::is_same_v<decltype(allof_merge::deployment::state), specbound::open_enum<allof_merge::deployment_state>>);
static_assert(std::is_same_v<decltype(allof_merge::deployment::created), std::optional<specbound::date_time>>);
static_assert(std::is_same_v<decltype(allof_merge::deployment::settings), allof_merge::deployment_settings>);
static_assert(std::is_same_v<decltype(allof_merge::deployment_labels::cost_center), std::string>);
static_assert(std::is_same_v<decltype(allof_merge::deployment::region), specbound::open_enum<allof_merge::deployment_region>>);
static_assert(std::is_same_v<decltype(allof_merge::legacy_deployment::id), std::int64_t>);
// A oneOf/anyOf inside allOf (item 3): a union of the alternatives, each with the common members.
static_assert(std::is_base_of_v<std::variant<allof_unions::payment_method_card, allof_unions::payment_method_bank_account,
                                             allof_unions::payment_method_wallet, specbound::unknown_alternative>,
                                allof_unions::payment_method>);
static_assert(std::is_same_v<decltype(allof_unions::payment_method_card::created), specbound::date_time>);
static_assert(std::is_same_v<decltype(allof_unions::payment_method_card::exp_month), std::int32_t>);
static_assert(specbound::json::variant_traits<allof_unions::payment_method>::mapping[1].first == "sepa_debit");
static_assert(std::is_base_of_v<std::variant<allof_unions::order_event_order_placed, allof_unions::order_event_order_shipped>,
                                allof_unions::order_event>);
static_assert(std::is_same_v<decltype(allof_unions::order_event_order_shipped::event_id), specbound::uuid>);
