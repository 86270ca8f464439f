// The IR built from the feature specs in spec/: names, types, unions, recursion, warnings.
#include "emit.hpp"
#include "emit_docs.hpp"
#include "generate.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <memory>
#include <string>
#include <vector>

using namespace specbound::gen;

namespace {

generation load(const std::string& spec, const std::string& ns)
{
    return generate(std::string(SPECBOUND_SPEC_DIR) + "/" + spec, ns);
}

// A spec held in memory, for the small cases a file in spec/ would be too much for.
generation from_text(const std::string& yaml, const std::string& ns = "ns")
{
    auto files = std::make_unique<memory_files>();
    files->add("/spec.yaml", yaml);
    return generate("/spec.yaml", ns, std::move(files));
}

// The formatted error generating `yaml` gives ("" if it generates).
std::string error_of(const std::string& yaml)
{
    try {
        (void)from_text(yaml);
    } catch (const generation_error& e) {
        return e.what();
    }
    return "";
}

const model& find_model(const api_model& api, const std::string& name)
{
    auto it = std::find_if(api.models.begin(), api.models.end(), [&](const model& m) { return m.name == name; });
    REQUIRE(it != api.models.end());
    return *it;
}

const field_model& find_field(const model& m, const std::string& name)
{
    auto it = std::find_if(m.fields.begin(), m.fields.end(), [&](const field_model& f) { return f.name == name; });
    REQUIRE(it != m.fields.end());
    return *it;
}

const operation_model& find_op(const api_model& api, const std::string& name)
{
    auto it = std::find_if(api.operations.begin(), api.operations.end(), [&](const operation_model& o) { return o.name == name; });
    REQUIRE(it != api.operations.end());
    return *it;
}

std::string spelled(const generation& g, const type_ref& t, const std::string& ns)
{
    return spell_type(t, g.api, ns);
}

bool has_warning(const api_model& api, const std::string& text, const std::string& pointer)
{
    return std::any_of(api.warnings.begin(), api.warnings.end(), [&](const diagnostic& d) {
        return d.message.find(text) != std::string::npos && d.pointer == pointer;
    });
}

} // namespace

TEST_CASE("petstore operations", "[codegen][model]")
{
    generation g = load("petstore.yaml", "petstore");
    const api_model& api = g.api;
    CHECK(api.title == "Specbound Petstore");
    CHECK(api.version == "1.2.0");
    CHECK(api.default_server == "https://eu.pets.example.com/v1");
    REQUIRE(api.security_schemes.size() == 2);
    CHECK(api.security_schemes[0].kind == "api_key_header");
    CHECK(api.security_schemes[0].parameter_name == "X-API-Key");
    CHECK(api.security_schemes[1].kind == "http_bearer");
    REQUIRE(api.operations.size() == 8);

    const operation_model& show = find_op(api, "show_pet_by_id");
    CHECK(show.method == specbound::http_method::get);
    CHECK(show.path == "/pets/{petId}");
    CHECK(show.tag_header == "pets");
    REQUIRE(show.parameters.size() == 3);
    // The path-level parameter is merged in, in path/query/header order.
    CHECK(show.parameters[0].wire_name == "petId");
    CHECK(show.parameters[0].in == specbound::param_in::path);
    CHECK(show.parameters[0].required);
    CHECK(spelled(g, show.parameters[0].type, "petstore") == "std::int64_t");
    CHECK(show.parameters[1].name == "fields");
    CHECK(show.parameters[1].style == specbound::param_style::form);
    CHECK(show.parameters[1].explode);
    CHECK(show.parameters[2].name == "x_request_id");
    CHECK(spelled(g, show.parameters[2].type, "petstore") == "specbound::uuid");
    CHECK(show.response_name == "show_pet_by_id_response");
    CHECK(spelled(g, show.response_type, "petstore") == "::petstore::pet");
    REQUIRE(show.security.size() == 1);
    CHECK(show.security[0] == std::vector<std::string>{"api_key"});

    // The operation's own parameter overrides the path-level one with the same name and location.
    const operation_model& del = find_op(api, "delete_pet");
    CHECK(del.deprecated);
    CHECK(spelled(g, del.parameters[0].type, "petstore") == "std::string");
    CHECK(del.parameters[1].in == specbound::param_in::header);
    CHECK(del.parameters[2].in == specbound::param_in::cookie);
    CHECK(spelled(g, del.response_type, "petstore") == "specbound::no_content");

    CHECK(find_op(api, "get_inventory").security.empty());
    CHECK(spelled(g, find_op(api, "get_inventory").response_type, "petstore") == "std::map<std::string, std::int32_t>");
    const operation_model& create = find_op(api, "create_pet");
    REQUIRE(create.body);
    CHECK(create.body->required);
    CHECK(create.body->encoding == specbound::body_encoding::json);
    CHECK(create.security.size() == 2);
    // 200 with a body and 202 without: both are successes.
    CHECK(spelled(g, find_op(api, "place_order").response_type, "petstore") == "std::variant<::petstore::order, specbound::no_content>");
    CHECK(find_op(api, "place_order").body->type.k == type_ref::kind::model);
    CHECK(find_model(api, "place_order_body").fields.size() == 3);
    CHECK(spelled(g, find_op(api, "health").response_type, "petstore") == "std::string");
    CHECK(find_op(api, "health").tag_header == "default");
}

TEST_CASE("petstore models", "[codegen][model]")
{
    generation g = load("petstore.yaml", "petstore");
    const model& pet = find_model(g.api, "pet");
    CHECK(pet.schema_name == "Pet");
    CHECK(find_field(pet, "id").required);
    CHECK(spelled(g, find_field(pet, "status").type, "petstore") == "specbound::open_enum<::petstore::pet_status>");
    CHECK(spelled(g, find_field(pet, "nickname").type, "petstore") == "specbound::nullable<std::string>");
    CHECK_FALSE(find_field(pet, "nickname").required);
    CHECK(spelled(g, find_field(pet, "age").type, "petstore") == "specbound::nullable<std::int32_t>");
    CHECK(find_field(pet, "age").required);
    CHECK(find_field(pet, "photo_urls").wire_name == "photoUrls");
    CHECK(spelled(g, find_field(pet, "labels").type, "petstore") == "std::map<std::string, std::string>");
    CHECK(spelled(g, find_field(pet, "extra").type, "petstore") == "boost::json::value");
    const model& status = find_model(g.api, "pet_status");
    CHECK(status.k == model::kind::enumeration);
    REQUIRE(status.values.size() == 3);
    CHECK(status.values[2].wire == "sold");
}

TEST_CASE("odd names, collisions, formats and recursion", "[codegen][model]")
{
    generation g = load("types.yaml", "types");
    const model& thing = find_model(g.api, "thing");
    CHECK(find_field(thing, "class_").wire_name == "class");
    CHECK(find_field(thing, "delete_").wire_name == "delete");
    CHECK(find_field(thing, "plus_1").wire_name == "+1");
    CHECK(find_field(thing, "_1").wire_name == "-1");
    CHECK(find_field(thing, "odata_type").wire_name == "@odata.type");
    CHECK(find_field(thing, "os_flavor_access_is_public").wire_name == "os-flavor-access:is_public");
    CHECK(find_field(thing, "foo_bar").wire_name == "fooBar");
    CHECK(find_field(thing, "foo_bar_2").wire_name == "foo_bar");
    CHECK(find_field(thing, "thing_").wire_name == "thing"); // a member cannot have its class's name
    CHECK(find_field(thing, "namespace_").wire_name == "namespace");
    CHECK(spelled(g, find_field(thing, "created").type, "types") == "specbound::date_time");
    CHECK(spelled(g, find_field(thing, "birthday").type, "types") == "specbound::date");
    CHECK(spelled(g, find_field(thing, "blob").type, "types") == "specbound::bytes");
    CHECK(spelled(g, find_field(thing, "count32").type, "types") == "std::int32_t");
    CHECK(spelled(g, find_field(thing, "count64").type, "types") == "std::int64_t");
    CHECK(spelled(g, find_field(thing, "ratio").type, "types") == "float");
    CHECK(spelled(g, find_field(thing, "precise").type, "types") == "double");
    CHECK(spelled(g, find_field(thing, "free_object").type, "types") == "boost::json::object");
    CHECK(spelled(g, find_field(thing, "size").type, "types") == "specbound::open_enum<::types::thing_size>");
    const model& metadata = find_model(g.api, "thing_metadata");
    CHECK(metadata.additional_properties_member == "additional_properties");
    CHECK(spelled(g, *metadata.additional_properties, "types") == "std::string");

    const model& color = find_model(g.api, "color");
    REQUIRE(color.values.size() == 6);
    CHECK(color.values[3].name == "empty");
    CHECK(color.values[4].name == "_1st");
    CHECK(color.values[5].name == "new_");

    // Schema names: kebab-case, dotted, colliding, and a name the facade uses.
    CHECK(find_model(g.api, "flavor_access").schema_name == "flavor-access");
    CHECK(find_model(g.api, "io_k8s_api_core_v1_pod").schema_name == "io.k8s.api.core.v1.Pod");
    CHECK(find_model(g.api, "user_name").schema_name == "UserName");
    CHECK(find_model(g.api, "user_name_2").schema_name == "user_name");
    CHECK(find_model(g.api, "client_2").schema_name == "Client");

    // Recursion: through vector/map stays by value, direct containment is boxed.
    const model& tree = find_model(g.api, "tree_node");
    CHECK(spelled(g, find_field(tree, "children").type, "types") == "std::vector<::types::tree_node>");
    CHECK(spelled(g, find_field(tree, "parent").type, "types") == "specbound::boxed<::types::tree_node>");
    CHECK(spelled(g, find_field(tree, "attributes").type, "types") == "std::map<std::string, ::types::tree_node>");
    const model& person = find_model(g.api, "person");
    const model& company = find_model(g.api, "company");
    CHECK(person.header == company.header);
    CHECK(spelled(g, find_field(person, "employer").type, "types") == "specbound::boxed<::types::company>");
    CHECK(spelled(g, find_field(company, "ceo").type, "types") == "specbound::boxed<::types::person>");
    CHECK(spelled(g, find_field(company, "staff").type, "types") == "std::vector<::types::person>");
    CHECK(find_model(g.api, "thing").header == "thing");

    const operation_model& get = find_op(g.api, "get_thing");
    CHECK(get.parameters[0].name == "thing_id");
    CHECK(get.parameters[1].name == "class_");
    CHECK(get.parameters[2].style == specbound::param_style::deep_object);
    CHECK(spelled(g, get.parameters[2].type, "types") == "::types::get_thing_filter");
    CHECK(get.parameters[3].style == specbound::param_style::pipe_delimited);
    CHECK_FALSE(get.parameters[3].explode);
    CHECK(find_op(g.api, "upload").body->encoding == specbound::body_encoding::binary);
    CHECK(spelled(g, find_op(g.api, "upload").body->type, "types") == "specbound::bytes");
    // An inline 2xx schema is named <operation>_response: no alias is needed.
    CHECK(find_op(g.api, "upload").response_name.empty());
    CHECK(find_model(g.api, "upload_response").fields.size() == 1);
}

TEST_CASE("unions and discriminators", "[codegen][model]")
{
    generation g = load("polymorphism.yaml", "polymorphism");
    const model& any_pet = find_model(g.api, "any_pet");
    CHECK(any_pet.k == model::kind::union_);
    CHECK(any_pet.discriminator == "pet_type");
    CHECK(any_pet.mapping == std::vector<std::pair<std::string, std::size_t>>{{"kitty", 0}, {"dog", 1}});

    const model& shape = find_model(g.api, "shape");
    CHECK(shape.mapping == std::vector<std::pair<std::string, std::size_t>>{{"Circle", 0}, {"Square", 1}});

    const model& label = find_model(g.api, "label");
    CHECK(label.discriminator.empty());
    REQUIRE(label.alternatives.size() == 3);
    CHECK(spelled(g, label.alternatives[2], "polymorphism") == "std::vector<std::string>");

    // Image and Text are both objects, told apart by their required properties: no warning.
    CHECK_FALSE(has_warning(g.api, "ambiguous union", "/components/schemas/Content"));
    CHECK(has_warning(g.api, "ambiguous union: alternatives 1 and 2 are both JSON object", "/components/schemas/Ambiguous"));

    const model& layer = find_model(g.api, "layer");
    CHECK(spelled(g, layer.alternatives[0], "polymorphism") == "::polymorphism::shape");

    // allOf hierarchy: the base with the discriminator becomes the union of its descendants.
    const model& vehicle = find_model(g.api, "vehicle");
    CHECK(vehicle.k == model::kind::union_);
    CHECK(vehicle.discriminator == "vehicle_type");
    REQUIRE(vehicle.alternatives.size() == 3);
    CHECK(vehicle.mapping == std::vector<std::pair<std::string, std::size_t>>{{"car", 0}, {"truck", 1}, {"ElectricCar", 2}});
    const model& car = find_model(g.api, "car");
    CHECK(car.fields.size() == 3); // vehicle_type, wheels, seats
    CHECK(find_field(car, "vehicle_type").required);
    const model& electric = find_model(g.api, "electric_car");
    CHECK(electric.fields.size() == 4);
    CHECK(find_field(find_model(g.api, "truck"), "payload").required);
}

TEST_CASE("OpenAPI 3.1: type arrays, const, $defs, examples", "[codegen][model]")
{
    generation g = load("openapi31.yaml", "openapi31");
    const model& event = find_model(g.api, "event");
    CHECK(spelled(g, find_field(event, "kind").type, "openapi31") == "std::string");
    CHECK(spelled(g, find_field(event, "version").type, "openapi31") == "std::int64_t");
    CHECK(spelled(g, find_field(event, "note").type, "openapi31") == "specbound::nullable<std::string>");
    CHECK(find_field(event, "note").required);
    CHECK(spelled(g, find_field(event, "tags").type, "openapi31") == "specbound::nullable<std::vector<std::string>>");
    CHECK(spelled(g, find_field(event, "value").type, "openapi31") == "::openapi31::event_value");
    CHECK(spelled(g, find_field(event, "payload").type, "openapi31") == "::openapi31::payload");
    CHECK(spelled(g, find_field(event, "parent").type, "openapi31") == "specbound::nullable<specbound::boxed<::openapi31::event>>");
}

TEST_CASE("webhooks-only and multi-file documents", "[codegen][model]")
{
    generation hooks = load("openapi31_webhooks.yaml", "webhooks");
    CHECK(hooks.api.operations.empty());
    CHECK(find_model(hooks.api, "pet_event").fields.size() == 2);
    CHECK(spelled(hooks, find_field(find_model(hooks.api, "pet_sold_payload"), "price").type, "webhooks") == "specbound::nullable<double>");
    CHECK(hooks.files.count("webhooks/webhooks.hpp") == 1);

    generation multi = load("multifile/root.yaml", "multifile");
    CHECK(multi.api.files.size() == 10);
    // A whole file reached by $ref is named by its stem; a fragment by its last pointer segment.
    CHECK(find_model(multi.api, "user").schema_name == "user");
    CHECK(find_model(multi.api, "address").fields.size() == 2);
    CHECK(find_model(multi.api, "role").k == model::kind::enumeration);
    CHECK(find_model(multi.api, "list_users_response").fields.size() == 2); // users + links
    CHECK(has_warning(multi.api, "operation object is a $ref", "/paths/~1users~1{user_id}/get"));
    CHECK(find_op(multi.api, "get_user").security.size() == 1);
}

TEST_CASE("generation is deterministic", "[codegen][model]")
{
    for (const char* spec : {"petstore.yaml", "polymorphism.yaml", "types.yaml", "multifile/root.yaml"}) {
        generation a = load(spec, "ns");
        generation b = load(spec, "ns");
        CHECK(a.files == b.files);
        CHECK(a.api.content_hash == b.api.content_hash);
    }
}

TEST_CASE("a property named $ref is a member, not a reference", "[codegen][model]")
{
    generation g = load("fidelity.yaml", "fidelity");
    const model& link = find_model(g.api, "link");
    const field_model& ref = find_field(link, "ref");
    CHECK(ref.wire_name == "$ref");
    CHECK(ref.required);
    CHECK(spelled(g, ref.type, "fidelity") == "std::string");
    CHECK(ref.doc == "What the link points at.");

    // `properties` that is itself a string $ref stays an accepted extension, with its warning.
    generation ext = from_text(R"(openapi: "3.0.3"
info: {title: t, version: "1"}
paths: {}
components:
  schemas:
    Shared:
      a: {type: integer}
    Box:
      type: object
      properties: {$ref: "#/components/schemas/Shared"}
)");
    CHECK(spelled(ext, find_field(find_model(ext.api, "box"), "a").type, "ns") == "std::int64_t");
    CHECK(has_warning(ext.api, "'properties' is a $ref", "/components/schemas/Box/properties"));

    // A JSON pointer passes through a string $ref only: beside a property named "$ref", a missing
    // member is reported as missing.
    CHECK(error_of(R"(openapi: "3.0.3"
info: {title: t, version: "1"}
paths: {}
components:
  schemas:
    Link:
      type: object
      properties:
        $ref: {type: string}
    Other:
      $ref: "#/components/schemas/Link/properties/target"
)").find("no member 'target' in spec.yaml at /components/schemas/Link/properties") != std::string::npos);
}

TEST_CASE("an OpenAPI 3.1 operation may leave out responses; in 3.0 it may not", "[codegen][model]")
{
    generation g = load("fidelity.yaml", "fidelity");
    const operation_model& ping = find_op(g.api, "ping");
    CHECK(ping.responses.empty());
    CHECK(ping.response_type.k == type_ref::kind::no_content);
    CHECK(ping.response_name == "ping_response");
    CHECK(emit_docs(g.api, "fidelity").at("fidelity/health.md").find("No responses are declared") != std::string::npos);

    const std::string paths = R"(
paths:
  /ping:
    post:
      operationId: ping
)";
    CHECK(error_of("openapi: 3.1.0\ninfo: {title: t, version: '1'}" + paths).empty());
    CHECK(error_of("openapi: 3.0.3\ninfo: {title: t, version: '1'}" + paths) ==
          "spec.yaml:6:7: error: operation 'ping' has no 'responses' (required in OpenAPI 3.0; 3.1 may leave it "
          "out) [at /paths/~1ping/post]");
}

TEST_CASE("operationIds that make no readable name give way to method and path, with a warning", "[codegen][model]")
{
    generation g = load("fidelity.yaml", "fidelity");
    const operation_model& list = find_op(g.api, "get_airports");
    CHECK(list.operation_id == "58d8bcb8a9e6240e200cff26"); // the descriptor keeps the spec's id
    CHECK(has_warning(g.api,
                      "operation GET /airports: operationId '58d8bcb8a9e6240e200cff26' makes no readable C++ name; "
                      "it is named 'get_airports' after its method and path",
                      "/paths/~1airports/get/operationId"));
    CHECK(find_op(g.api, "get_airports_id").operation_id == "d3b07384-d9a0-4c9b-8a8e-1f2c3b4a5d6e");
    CHECK(has_warning(g.api, "it is named 'get_airports_id'", "/paths/~1airports~1{id}/get/operationId"));
    CHECK(find_op(g.api, "list_links").operation_id == "listLinks"); // words are kept
}

TEST_CASE("responses keep every header they declare", "[codegen][model]")
{
    generation g = load("fidelity.yaml", "fidelity");
    const operation_model& list = find_op(g.api, "list_links");
    REQUIRE(list.responses.size() == 1);
    CHECK(list.responses[0].headers.size() == 12);
    CHECK(list.responses[0].headers.back() == "Last-Modified");
    CHECK_FALSE(has_warning(g.api, "headers", "/paths/~1links/get/responses/200/headers"));
    CHECK(g.files.at("fidelity/ops/links.hpp").find("specbound::response<200, std::vector<::fidelity::link>, 12>{") !=
          std::string::npos);
}

TEST_CASE("values of the wrong kind are reported as what they are", "[codegen][model]")
{
    auto schema = [](const std::string& version, const std::string& type) {
        return "openapi: " + version + "\ninfo: {title: t, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n"
               "    Box:\n      type: object\n      properties:\n        size:\n          type: " + type + "\n";
    };
    CHECK(error_of(schema("3.1.0", "{enum: [a]}")) ==
          "spec.yaml:10:17: error: 'type' must be a string (or, in 3.1, a list of strings), found a mapping (a property "
          "named 'type' belongs under 'properties') [at /components/schemas/Box/properties/size/type]");
    CHECK(error_of(schema("3.0.3", "")).find("'type' must be a string (or, in 3.1, a list of strings), found null [at "
                                            "/components/schemas/Box/properties/size/type]") != std::string::npos);
    CHECK(error_of(schema("3.1.0", "[string, null]")) ==
          "spec.yaml:10:26: error: the 'type' list must hold strings, found null (the null type is the string 'null', "
          "quoted) [at /components/schemas/Box/properties/size/type/1]");
    CHECK(error_of(schema("3.1.0", "[string, [integer]]")).find("the 'type' list must hold strings, found a list") !=
          std::string::npos);
    CHECK(error_of(schema("3.1.0", "strnig")).find("unknown type 'strnig'") != std::string::npos);

    // A list of types is 3.1's: a 3.0 spec using it is accepted with a warning.
    generation in30 = from_text(schema("3.0.3", "[string, 'null']"));
    CHECK(spelled(in30, find_field(find_model(in30.api, "box"), "size").type, "ns") == "specbound::nullable<std::string>");
    CHECK(has_warning(in30.api, "'type' is a list, which OpenAPI 3.0 does not allow (3.1 does); accepted",
                      "/components/schemas/Box/properties/size/type"));
    CHECK(from_text(schema("3.1.0", "[string, 'null']")).api.warnings.empty());

    // Parameters: a missing name, a name that is not a string, and an empty one are told apart.
    auto parameter = [](const std::string& name) {
        return "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /s:\n    get:\n      parameters:\n"
               "        - {" + name + "in: query, schema: {type: string}}\n      responses: {'204': {description: ok}}\n";
    };
    CHECK(error_of(parameter("")).find("parameter has no 'name' [at /paths/~1s/get/parameters/0]") != std::string::npos);
    CHECK(error_of(parameter("name: {x: 1}, ")).find("parameter 'name' must be a string, found a mapping [at "
                                                    "/paths/~1s/get/parameters/0/name]") != std::string::npos);
    CHECK(error_of(parameter("name: '', ")) ==
          "spec.yaml:7:18: error: parameter 'name' is empty [at /paths/~1s/get/parameters/0/name]");
}

TEST_CASE("a union that contains itself stays typed, through an alias too", "[codegen][model]")
{
    generation g = load("fidelity_recursive_unions.yaml", "ru");
    CHECK_FALSE(has_warning(g.api, "recursive schema", "/components/schemas/Formula"));
    // Formula (an alias read first) is Expression's type; the operands that name it are too.
    const model& expression = find_model(g.api, "expression");
    CHECK(expression.k == model::kind::union_);
    CHECK(spelled(g, find_op(g.api, "calculate").body->type, "ru") == "::ru::expression");
    const model& binary = find_model(g.api, "binary_operation");
    CHECK(spelled(g, find_field(binary, "left").type, "ru") == "specbound::boxed<::ru::expression>");
    CHECK(spelled(g, find_field(find_model(g.api, "function_call"), "arguments").type, "ru") ==
          "std::vector<::ru::expression>");
    // A base whose subtypes hold the base.
    CHECK(spelled(g, find_field(find_model(g.api, "not_filter"), "filter").type, "ru") == "specbound::boxed<::ru::filter>");

    // A nullable alias met again while it is read keeps its null.
    generation nullable = from_text(R"(openapi: "3.0.3"
info: {title: t, version: "1"}
paths: {}
components:
  schemas:
    MaybeTree:
      oneOf:
        - $ref: "#/components/schemas/Tree"
        - type: "null"
    Tree:
      oneOf:
        - type: string
        - type: object
          properties:
            next: {$ref: "#/components/schemas/MaybeTree"}
)");
    CHECK(nullable.api.warnings.empty());
    CHECK(spelled(nullable, find_field(find_model(nullable.api, "tree_option_2"), "next").type, "ns") ==
          "specbound::nullable<specbound::boxed<::ns::tree>>");
}

TEST_CASE("x-ms-discriminator-value names a subtype's discriminator value", "[codegen][model]")
{
    generation g = load("fidelity_ms_discriminators.yaml", "ms");
    using mapping = std::vector<std::pair<std::string, std::size_t>>;
    // `discriminator: kind` (Swagger 2.0's form); ApprovalStage has no value of its own: its name.
    const model& stage = find_model(g.api, "stage");
    CHECK(stage.discriminator == "kind");
    CHECK(stage.mapping == mapping{{"Contoso.Pipelines/Copy", 0}, {"Contoso.Pipelines/Script", 1}, {"ApprovalStage", 2}});
    // An explicit mapping wins over the subtype's own value.
    CHECK(find_model(g.api, "trigger").mapping == mapping{{"schedule", 0}, {"Microsoft.EventGrid/topics", 1}});
    CHECK(find_model(g.api, "notification").mapping ==
          mapping{{"#Contoso.Pipelines.EmailNotification", 0}, {"#Contoso.Pipelines.WebhookNotification", 1}});
    CHECK(g.api.warnings.empty());

    // Two subtypes claiming one value: the first keeps it, with a warning.
    generation twice = from_text(R"(openapi: "3.0.3"
info: {title: t, version: "1"}
paths: {}
components:
  schemas:
    Base:
      type: object
      discriminator: {propertyName: kind}
      properties: {kind: {type: string}}
    A:
      x-ms-discriminator-value: Same
      allOf: [{$ref: "#/components/schemas/Base"}]
    B:
      x-ms-discriminator-value: Same
      allOf: [{$ref: "#/components/schemas/Base"}]
)");
    CHECK(find_model(twice.api, "base").mapping == mapping{{"Same", 0}});
    CHECK(has_warning(twice.api, "discriminator value 'Same' names union alternatives 1 and 2; the first is decoded",
                      "/components/schemas/Base"));
}

TEST_CASE("allOf parts that declare one property merge; contradictions are warned about", "[codegen][model]")
{
    generation g = load("fidelity_allof_merge.yaml", "am");
    const model& deployment = find_model(g.api, "deployment");
    // A narrowed enum, an added format, integer over number; required from every part.
    CHECK(spelled(g, find_field(deployment, "state").type, "am") == "specbound::open_enum<::am::deployment_state>");
    CHECK(find_model(g.api, "deployment_state").values.size() == 3);
    CHECK(find_field(deployment, "state").required);
    CHECK(find_field(deployment, "state").doc == "Where the resource is in its lifecycle.");
    CHECK(spelled(g, find_field(deployment, "created").type, "am") == "specbound::date_time");
    CHECK(spelled(g, find_field(deployment, "weight").type, "am") == "std::int64_t");
    // The base's null stays accepted where the refinement restates the property.
    CHECK(spelled(g, find_field(deployment, "revision").type, "am") == "specbound::nullable<std::int64_t>");
    CHECK(find_field(deployment, "revision").doc == "Increases with every change.");
    // A free-form object given members by the refinement; two objects that both add members.
    const model& settings = find_model(g.api, "deployment_settings");
    CHECK(find_field(settings, "replicas").required);
    CHECK(find_field(deployment, "settings").doc == "Settings of the resource.");
    const model& labels = find_model(g.api, "deployment_labels");
    REQUIRE(labels.fields.size() == 2);
    CHECK(find_field(labels, "team").required);
    CHECK(find_field(labels, "cost_center").required);
    // A whole schema narrowed to an enum subset.
    const model& region = find_model(g.api, "deployment_region");
    CHECK(region.k == model::kind::enumeration);
    CHECK(region.values.size() == 2);
    // Contradicting parts: the later is kept, with a warning at it.
    CHECK(spelled(g, find_field(find_model(g.api, "legacy_deployment"), "id").type, "am") == "std::int64_t");
    CHECK(has_warning(g.api, "impossible allOf: property 'id' is 'string' in one part and 'integer' in another",
                      "/components/schemas/LegacyDeployment/allOf/1/properties/id"));
    CHECK(g.api.warnings.size() == 1);

    // A base reached through two parts is one declaration, not two to merge.
    generation diamond = from_text(R"(openapi: "3.0.3"
info: {title: t, version: "1"}
paths: {}
components:
  schemas:
    Meta:
      type: object
      properties: {owner: {type: string}}
    A:
      type: object
      properties: {meta: {$ref: "#/components/schemas/Meta"}}
    B:
      type: object
      properties: {meta: {$ref: "#/components/schemas/Meta"}}
    Both:
      allOf: [{$ref: "#/components/schemas/A"}, {$ref: "#/components/schemas/B"}]
)");
    CHECK(spelled(diamond, find_field(find_model(diamond.api, "both"), "meta").type, "ns") == "::ns::meta");
    CHECK(diamond.api.warnings.empty());
}

TEST_CASE("a oneOf/anyOf inside allOf is a union of its alternatives, each with the other parts", "[codegen][model]")
{
    generation g = load("fidelity_allof_unions.yaml", "au");
    CHECK(g.api.warnings.empty());
    const model& method = find_model(g.api, "payment_method");
    REQUIRE(method.k == model::kind::union_);
    CHECK(method.discriminator == "type");
    CHECK(method.mapping == std::vector<std::pair<std::string, std::size_t>>{{"card", 0}, {"sepa_debit", 1}, {"wallet", 2}});
    REQUIRE(method.alternatives.size() == 3);
    CHECK(spelled(g, method.alternatives[0], "au") == "::au::payment_method_card");
    const model& card = find_model(g.api, "payment_method_card");
    for (const char* common : {"id", "type", "created"})
        CHECK(find_field(card, common).required);
    CHECK_FALSE(find_field(card, "billing_name").required);
    CHECK(find_field(card, "last4").required);
    CHECK(find_field(find_model(g.api, "payment_method_bank_account"), "iban").required);

    // Both parts by $ref, no discriminator: told apart by their required members.
    const model& event = find_model(g.api, "order_event");
    REQUIRE(event.k == model::kind::union_);
    CHECK(event.discriminator.empty());
    const model& shipped = find_model(g.api, "order_event_order_shipped");
    CHECK(find_field(shipped, "event_id").required);
    CHECK(find_field(shipped, "tracking_number").required);

    // Alternatives that only require some of the common members: one struct, no warning.
    generation at_least_one = from_text(R"(openapi: "3.0.3"
info: {title: t, version: "1"}
paths: {}
components:
  schemas:
    Rules:
      allOf:
        - type: object
          properties:
            inbound: {type: array, items: {type: string}}
            outbound: {type: array, items: {type: string}}
        - anyOf:
            - required: [inbound]
            - required: [outbound]
)");
    CHECK(find_model(at_least_one.api, "rules").k == model::kind::object);
    CHECK(find_model(at_least_one.api, "rules").fields.size() == 2);
    CHECK(at_least_one.api.warnings.empty());

    // An alternative that is not an object cannot carry the other parts' members: warned.
    generation scalar = from_text(R"(openapi: "3.0.3"
info: {title: t, version: "1"}
paths: {}
components:
  schemas:
    Odd:
      allOf:
        - type: object
          properties: {a: {type: string}}
        - oneOf: [{type: string}, {type: object, properties: {b: {type: string}}}]
)");
    CHECK(find_model(scalar.api, "odd").k == model::kind::object);
    CHECK(has_warning(scalar.api, "oneOf/anyOf inside allOf with an alternative that is not an object",
                      "/components/schemas/Odd/allOf/1"));

    // A base that lists its own subtypes only lends them its properties (OpenAPI's own example).
    generation base = from_text(R"(openapi: "3.0.3"
info: {title: t, version: "1"}
paths: {}
components:
  schemas:
    Pet:
      type: object
      required: [petType]
      properties: {petType: {type: string}}
      oneOf: [{$ref: "#/components/schemas/Cat"}, {$ref: "#/components/schemas/Dog"}]
      discriminator: {propertyName: petType}
    Cat:
      allOf: [{$ref: "#/components/schemas/Pet"}, {properties: {meows: {type: boolean}}}]
    Dog:
      allOf: [{$ref: "#/components/schemas/Pet"}, {properties: {barks: {type: boolean}}}]
)");
    CHECK(base.api.warnings.empty());
    CHECK(find_model(base.api, "cat").k == model::kind::object);
    CHECK(find_model(base.api, "cat").fields.size() == 2);
    CHECK(spelled(base, find_model(base.api, "pet").alternatives[0], "ns") == "::ns::cat");
}

namespace {
const operation_model& find_operation(const api_model& api, const std::string& name)
{
    auto it = std::find_if(api.operations.begin(), api.operations.end(),
                           [&](const operation_model& o) { return o.name == name; });
    REQUIRE(it != api.operations.end());
    return *it;
}
} // namespace

TEST_CASE("pagination: each pattern recognised, declared, disabled, or reported", "[codegen][model][pagination]")
{
    using specbound::page_style;
    const generation g = load("pagination.yaml", "pagination");
    const api_model& api = g.api;
    auto style_of = [&](const std::string& op) { return find_operation(api, op).pagination.value().style; };
    CHECK(style_of("list_bolts") == page_style::link_header);
    CHECK(style_of("list_nuts") == page_style::next_link);
    CHECK(style_of("list_washers") == page_style::cursor);
    CHECK(style_of("list_springs") == page_style::page_number);
    CHECK(style_of("list_rivets") == page_style::offset);
    CHECK(style_of("list_gears") == page_style::cursor);
    CHECK(find_operation(api, "list_gears").pagination->declared);
    CHECK(find_operation(api, "list_springs").pagination->param == "page");
    CHECK(find_operation(api, "list_springs").pagination->total.size() == 1);
    CHECK(find_operation(api, "list_nuts").pagination->next.size() == 3); // links, pages (a union), next
    CHECK_FALSE(find_operation(api, "list_chains").pagination);           // x-specbound-pagination: false
    CHECK_FALSE(find_operation(api, "list_chains").unrecognised_list);
    CHECK_FALSE(find_operation(api, "list_pulleys").pagination);
    CHECK(find_operation(api, "list_pulleys").unrecognised_list);
    auto note = std::find_if(api.notes.begin(), api.notes.end(),
                             [](const diagnostic& d) { return d.rule == "unrecognised-pagination"; });
    REQUIRE(note != api.notes.end());
    CHECK(note->message.find("list_pulleys") != std::string::npos);
    CHECK(note->pointer == "/paths/~1pulleys/get");
    CHECK(pagination_summary(api) ==
          "pagination: 6 of 8 operations (cursor 2, link_header 1, next_link 1, offset 1, page_number 1); 1 list "
          "operations with paging parameters not recognised (x-specbound-pagination declares them): list_pulleys\n");
}

TEST_CASE("pagination: a wrong x-specbound-pagination is a located error", "[codegen][model][pagination]")
{
    const std::string head = R"(openapi: 3.0.3
info: {title: t, version: '1'}
paths:
  /things:
    get:
      operationId: listThings
      parameters:
        - {name: after, in: query, schema: {type: string}}
        - {name: n, in: query, schema: {type: integer}}
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema:
                type: object
                properties:
                  things: {type: array, items: {type: string}}
                  next: {type: object, properties: {token: {type: string}}}
      x-specbound-pagination:
)";
    CHECK_THAT(error_of(head + "        style: sideways\n"),
               Catch::Contains("spec.yaml:21:16: error: unknown pagination style 'sideways'"));
    CHECK_THAT(error_of(head + "        {style: cursor, next: next.token}\n"),
               Catch::Contains("needs 'param', the query parameter to set"));
    CHECK_THAT(error_of(head + "        {style: cursor, next: next.tokn, param: after}\n"),
               Catch::Contains("has no member 'tokn' at 'next.tokn'"));
    CHECK_THAT(error_of(head + "        {style: cursor, next: next, param: after}\n"),
               Catch::Contains("'next' is not a string"));
    CHECK_THAT(error_of(head + "        {style: page_number, items: things, param: after}\n"),
               Catch::Contains("'after' must be an integer for style 'page_number'"));
    CHECK_THAT(error_of(head + "        {style: offset, items: things, param: skip}\n"),
               Catch::Contains("has no query parameter 'skip'"));
    CHECK_THAT(error_of(head + "        [cursor]\n"), Catch::Contains("must be false or a mapping"));
    CHECK(error_of(head + "        {style: cursor, items: things, next: next.token, param: after}\n").empty());
    CHECK(error_of(head + "        {style: offset, items: things, param: n}\n").empty());
}

TEST_CASE("servers: the API's, a path item's and an operation's, with their variables", "[codegen][model][servers]")
{
    generation g = load("servers.yaml", "tides");
    const api_model& api = g.api;
    CHECK(api.warnings.empty());
    REQUIRE(api.servers.size() == 3);
    CHECK(api.servers[0].url == "https://{region}.tides.example.test/v1");
    CHECK(api.servers[0].description == "Production");
    REQUIRE(api.servers[0].variables.size() == 1);
    CHECK(api.servers[0].variables[0].name == "region");
    CHECK(api.servers[0].variables[0].default_value == "eu");
    CHECK(api.servers[0].variables[0].enum_values == std::vector<std::string>{"eu", "us", "ap"});
    CHECK(api.servers[1].description == "Staging");
    REQUIRE(api.servers[1].variables.size() == 1);
    CHECK(api.servers[1].variables[0].default_value == "8443"); // a quoted number stays text
    CHECK(api.servers[1].variables[0].enum_values.empty());
    CHECK(api.servers[2].url == "http://localhost:8080/{prefix}");
    CHECK(api.default_server == "https://eu.tides.example.test/v1");

    CHECK(find_op(api, "list_gauges").servers.empty()); // inherits the API's
    const operation_model& readings = find_op(api, "list_readings");
    REQUIRE(readings.servers.size() == 1); // its path item's
    CHECK(readings.servers[0].description == "Archive");
    CHECK(readings.servers[0].variables[0].enum_values == std::vector<std::string>{"eu", "us"});
    const operation_model& add = find_op(api, "add_reading");
    REQUIRE(add.servers.size() == 1); // its own, over its path item's
    CHECK(add.servers[0].url == "https://ingest.tides.example.test/{tenant}");
    CHECK(find_op(api, "get_health").servers[0].url == "/status"); // relative: resolved by the client
}

TEST_CASE("malformed servers are located errors, a default outside its enum a warning", "[codegen][model][servers]")
{
    auto spec = [](const std::string& servers, const std::string& operation_servers = "") {
        return "openapi: 3.0.3\ninfo: {title: t, version: '1'}\n" + servers +
               "paths:\n  /s:\n    get:\n" + operation_servers + "      responses: {'204': {description: none}}\n";
    };
    CHECK(error_of(spec("servers:\n  - url: https://a.example\n  - url: https://{host}:{port}\n    variables:\n"
                        "      host: {default: b.example}\n      port: {enum: ['1', '2']}\n")) ==
          "spec.yaml:8:13: error: server variable 'port' has no default [at /servers/1/variables/port]");
    CHECK(error_of(spec("", "      servers:\n        - url: https://{zone}.example\n")) ==
          "spec.yaml:7:16: error: server url 'https://{zone}.example' uses {zone}, which is not among its variables "
          "[at /paths/~1s/get/servers/0/url]");
    CHECK(error_of(spec("servers:\n  - url: https://{host.example\n    variables: {host: {default: a}}\n")) ==
          "spec.yaml:4:10: error: unbalanced '{' in server url 'https://{host.example' [at /servers/0/url]");
    CHECK(error_of(spec("servers: {url: https://a.example}\n")) ==
          "spec.yaml:3:10: error: 'servers' must be a list, found a mapping [at /servers]");
    CHECK(error_of(spec("servers:\n  - description: nowhere\n")) ==
          "spec.yaml:4:5: error: a server needs a 'url' string [at /servers/0]");

    generation g = from_text(spec("servers:\n  - url: https://{region}.example\n    variables:\n"
                                  "      region: {default: moon, enum: [eu, us]}\n"));
    CHECK(has_warning(g.api, "server variable 'region': the default 'moon' is not one of its enum values",
                      "/servers/0/variables/region/default"));
    CHECK(g.api.default_server == "https://moon.example"); // the spec's default all the same
}

TEST_CASE("constraints: both spellings of exclusive bounds, the stricter bound kept", "[codegen][model][validation]")
{
    // 3.1: exclusiveMinimum/exclusiveMaximum are bounds of their own, beside minimum/maximum.
    generation g = from_text(R"(openapi: 3.1.0
info: {title: t, version: "1"}
paths: {}
components:
  schemas:
    Reading:
      type: object
      properties:
        above:
          type: number
          exclusiveMinimum: 5
          minimum: 3
        below:
          type: integer
          maximum: 10
          exclusiveMaximum: 10
        loose:
          type: number
          exclusiveMinimum: 1
          minimum: 2
        label:
          type: [string, 'null']
          maxLength: 4
        unconstrained:
          type: string
)");
    const model& m = find_model(g.api, "reading");
    const constraints_model& above = find_field(m, "above").constraints;
    CHECK(above.minimum == 5.0);
    CHECK(above.exclusive_minimum);
    const constraints_model& below = find_field(m, "below").constraints;
    CHECK(below.maximum == 10.0);
    CHECK(below.exclusive_maximum);
    const constraints_model& loose = find_field(m, "loose").constraints;
    CHECK(loose.minimum == 2.0);
    CHECK_FALSE(loose.exclusive_minimum);
    CHECK(find_field(m, "label").constraints.max_length == 4u);
    CHECK(find_field(m, "unconstrained").constraints.empty());
    CHECK(g.api.warnings.empty());
    // Only constrained fields get constraints in the generated table.
    const std::string header = g.files.at("ns/models/reading.hpp");
    CHECK(header.find("above_constraints{.minimum = 5.0, .exclusive_minimum = true}") != std::string::npos);
    CHECK(header.find("{\"unconstrained\", false}") != std::string::npos);
}

TEST_CASE("constraints: keywords that do not apply or cannot be used", "[codegen][model][validation]")
{
    generation g = from_text(R"(openapi: 3.0.3
info: {title: t, version: "1"}
paths: {}
components:
  schemas:
    Tag:
      type: object
      properties:
        name:
          type: string
          pattern: "([a-z"
          maxLength: -1
        count:
          type: integer
          maxLength: 3
          multipleOf: 0
        code:
          type: string
          pattern: "^(x{100}){1000}$"
)");
    const model& m = find_model(g.api, "tag");
    CHECK(find_field(m, "name").constraints.empty());
    CHECK(find_field(m, "count").constraints.empty()); // maxLength is for strings; multipleOf 0 is unusable
    CHECK(find_field(m, "code").constraints.empty());
    // Located warnings: file, line and the keyword's JSON pointer.
    REQUIRE(has_warning(g.api, "pattern '([a-z' is not checked: std::regex (ECMAScript) rejects it",
                        "/components/schemas/Tag/properties/name/pattern"));
    auto bad_pattern = std::find_if(g.api.warnings.begin(), g.api.warnings.end(),
                                    [](const diagnostic& d) { return d.message.find("([a-z") != std::string::npos; });
    CHECK(bad_pattern->where.line == 11);
    CHECK(bad_pattern->rule == "unusable-pattern");
    CHECK(bad_pattern->format().rfind("spec.yaml:11:", 0) == 0);
    CHECK(has_warning(g.api, "'maxLength' must be a non-negative integer, found '-1'; it is not checked",
                      "/components/schemas/Tag/properties/name/maxLength"));
    CHECK(has_warning(g.api, "'multipleOf' must be greater than 0; it is not checked",
                      "/components/schemas/Tag/properties/count/multipleOf"));
    CHECK(has_warning(g.api, "repeats more than 10000 times", "/components/schemas/Tag/properties/code/pattern"));
}
