// Real JSON through the generated models (specbound::json::decode / encode).
#include <petstore/petstore.hpp>
#include <polymorphism/polymorphism.hpp>
#include <types/types.hpp>
#include <openapi31/openapi31.hpp>
#include <fidelity/fidelity.hpp>
#include <allof_merge/allof_merge.hpp>
#include <allof_unions/allof_unions.hpp>
#include <ms_discriminators/ms_discriminators.hpp>
#include <recursive_unions/recursive_unions.hpp>

#include <specbound/json/decode.hpp>
#include <specbound/json/encode.hpp>

#include <catch2/catch.hpp>

#include <chrono>
#include <string>
#include <variant>
#include <vector>

using specbound::json::decode;
using specbound::json::encode;

TEST_CASE("decode a model: values, unknown fields, null vs absent", "[codegen][json]")
{
    petstore::pet p;
    auto failure = decode(R"({"id": 42, "name": "Rex", "age": null, "nickname": null, "photoUrls": ["a", "b"],
                              "labels": {"k": "v"}, "extra": {"any": [1, 2]}, "unexpected": {"ignored": true}})",
                          p);
    REQUIRE_FALSE(failure);
    CHECK(p.id == 42);
    CHECK(p.name == "Rex");
    CHECK(p.age.is_null());
    REQUIRE(p.nickname.has_value());
    CHECK(p.nickname->is_null());       // present and null
    CHECK_FALSE(p.tag.has_value());     // absent
    CHECK(p.photo_urls == std::vector<std::string>{"a", "b"});
    CHECK(p.labels->at("k") == "v");
    CHECK(p.extra->at("any").as_array().size() == 2);

    REQUIRE_FALSE(decode(R"({"id": 1, "name": "a", "age": 3, "nickname": "x"})", p));
    CHECK(*p.age == 3);
    CHECK(p.nickname->value() == "x");
}

TEST_CASE("missing required fields are reported with their JSON pointer", "[codegen][json]")
{
    petstore::pet p;
    auto failure = decode(R"({"id": 1, "age": 2})", p);
    REQUIRE(failure);
    CHECK(failure->message.find("name") != std::string::npos);

    std::vector<petstore::pet> pets;
    failure = decode(R"([{"id": 1, "name": "a", "age": 1}, {"name": "b", "age": 1}])", pets);
    REQUIRE(failure);
    CHECK(failure->pointer.rfind("/1", 0) == 0);
    CHECK(failure->message.find("id") != std::string::npos);

    petstore::pet wrong;
    failure = decode(R"({"id": "not a number", "name": "a", "age": 1})", wrong);
    REQUIRE(failure);
    CHECK(failure->pointer == "/id");
}

TEST_CASE("unknown enum values survive a round trip", "[codegen][json]")
{
    petstore::pet p;
    REQUIRE_FALSE(decode(R"({"id": 1, "name": "a", "age": 1, "status": "adopted"})", p));
    REQUIRE(p.status.has_value());
    CHECK_FALSE(p.status->known());
    CHECK(p.status->unknown_wire() == "adopted");
    std::string out = encode(p);
    CHECK(out.find(R"("status":"adopted")") != std::string::npos);

    REQUIRE_FALSE(decode(R"({"id": 1, "name": "a", "age": 1, "status": "sold"})", p));
    CHECK(*p.status == petstore::pet_status::sold);
}

TEST_CASE("encode then decode gives the same value", "[codegen][json]")
{
    petstore::pet p{};
    p.id = 5;
    p.name = "Tom \"the cat\"";
    p.age = specbound::null;
    p.nickname = specbound::nullable<std::string>{"T"};
    p.labels = std::map<std::string, std::string>{{"a", "b"}};
    p.status = petstore::pet_status::pending;
    std::string text = encode(p);
    CHECK(text.find(R"("age":null)") != std::string::npos);
    CHECK(text.find("tag") == std::string::npos); // absent stays absent
    petstore::pet back;
    REQUIRE_FALSE(decode(text, back));
    CHECK(back == p);
}

TEST_CASE("discriminated unions dispatch on the discriminator", "[codegen][json]")
{
    polymorphism::any_pet pet;
    REQUIRE_FALSE(decode(R"({"pet_type": "kitty", "indoor": true})", pet));
    REQUIRE(std::holds_alternative<polymorphism::cat>(pet));
    CHECK(std::get<polymorphism::cat>(pet).indoor == true);
    REQUIRE_FALSE(decode(R"({"bark_volume": 11, "pet_type": "dog"})", pet));
    REQUIRE(std::holds_alternative<polymorphism::dog>(pet));
    CHECK(std::get<polymorphism::dog>(pet).bark_volume == 11);

    polymorphism::shape shape;
    REQUIRE_FALSE(decode(R"({"kind": "Square", "side": 2.5})", shape));
    CHECK(std::get<polymorphism::square>(shape).side == 2.5f);

    polymorphism::vehicle vehicle;
    REQUIRE_FALSE(decode(R"({"vehicle_type": "truck", "wheels": 6, "payload": 1.5})", vehicle));
    REQUIRE(std::holds_alternative<polymorphism::truck>(vehicle));
    CHECK(std::get<polymorphism::truck>(vehicle).payload == 1.5);
    REQUIRE_FALSE(decode(R"({"vehicle_type": "ElectricCar", "wheels": 4, "range_km": 400})", vehicle));
    CHECK(std::get<polymorphism::electric_car>(vehicle).range_km == 400);
}

TEST_CASE("a discriminator value the spec does not map is kept whole and written back as it came", "[codegen][json]")
{
    const std::string parrot = R"({"pet_type":"parrot","wings":2,"talks":{"words":["hello","bye"]},"cage":null})";
    polymorphism::any_pet pet;
    REQUIRE_FALSE(decode(parrot, pet));
    REQUIRE(std::holds_alternative<specbound::unknown_alternative>(pet));
    const auto& other = std::get<specbound::unknown_alternative>(pet);
    CHECK(other.discriminator_value == "parrot");
    CHECK(other.raw.at("talks").at("words").as_array().size() == 2);
    CHECK(encode(pet) == parrot);

    // In the operation's response (an array), among kinds the spec maps.
    polymorphism::list_any_pets_response pets;
    REQUIRE_FALSE(decode(R"([{"pet_type":"kitty","indoor":false},)" + parrot + R"(,{"pet_type":"dog","bark_volume":3}])",
                         pets));
    REQUIRE(pets.size() == 3);
    CHECK(std::get<polymorphism::cat>(pets[0]).indoor == false);
    CHECK(std::get<specbound::unknown_alternative>(pets[1]) == other);
    CHECK(std::get<polymorphism::dog>(pets[2]).bark_volume == 3);
    polymorphism::list_any_pets_response back;
    REQUIRE_FALSE(decode(encode(pets), back));
    CHECK(back == pets);

    // A kind the spec maps is held to its schema as before; no discriminator is still a failure.
    auto failure = decode(R"({"pet_type":"dog","bark_volume":"loud"})", pet);
    REQUIRE(failure);
    CHECK(failure->pointer == "/bark_volume");
    CHECK(failure->message == "expected integer, got string");
    failure = decode(R"({"wings":2})", pet);
    REQUIRE(failure);
    CHECK(failure->message == "missing discriminator 'pet_type' of AnyPet");
    // The schema name of a subtype with an explicit mapping entry is no value of the mapping.
    REQUIRE_FALSE(decode(R"({"pet_type":"Cat","indoor":true})", pet));
    CHECK(std::get<specbound::unknown_alternative>(pet).discriminator_value == "Cat");
}

TEST_CASE("undiscriminated unions are inferred from JSON kind and required fields", "[codegen][json]")
{
    polymorphism::label label;
    REQUIRE_FALSE(decode(R"("text")", label));
    CHECK(std::get<std::string>(label) == "text");
    REQUIRE_FALSE(decode("12", label));
    CHECK(std::get<std::int64_t>(label) == 12);
    REQUIRE_FALSE(decode(R"(["a", "b"])", label));
    CHECK(std::get<std::vector<std::string>>(label).size() == 2);

    polymorphism::content content;
    REQUIRE_FALSE(decode(R"({"url": "http://x", "width": 3})", content));
    CHECK(std::holds_alternative<polymorphism::image>(content));
    REQUIRE_FALSE(decode(R"({"text": "hello"})", content));
    CHECK(std::get<polymorphism::text>(content).text_ == "hello"); // a member cannot be named like its class

    polymorphism::layer layer; // nested union: shape (itself a union), text, or a string
    REQUIRE_FALSE(decode(R"({"kind": "Circle", "radius": 1})", layer));
    REQUIRE(std::holds_alternative<polymorphism::shape>(layer));
    CHECK(std::holds_alternative<polymorphism::circle>(std::get<polymorphism::shape>(layer)));
    REQUIRE_FALSE(decode(R"("plain")", layer));
    CHECK(std::get<std::string>(layer) == "plain");
}

TEST_CASE("recursive models, maps and odd names", "[codegen][json]")
{
    types::tree_node tree;
    REQUIRE_FALSE(decode(R"({"value": "a", "parent": {"value": "up"}, "children": [{"value": "c", "children": []}],
                             "attributes": {"x": {"value": "attr"}}})",
                         tree));
    CHECK(tree.parent->get().value == "up");
    CHECK(tree.children->at(0).value == "c");
    CHECK(tree.attributes->at("x").value == "attr");

    types::thing_metadata meta;
    REQUIRE_FALSE(decode(R"({"owner": "me", "extra1": "v1", "extra2": "v2"})", meta));
    CHECK(meta.owner == "me");
    CHECK(meta.additional_properties.size() == 2);
    CHECK(meta.additional_properties.at("extra2") == "v2");

    types::thing thing;
    REQUIRE_FALSE(decode(R"({"id": "123e4567-e89b-12d3-a456-426614174000", "created": "2024-01-02T03:04:05Z",
                             "nullable_required": null, "+1": 1, "-1": 2, "@odata.type": "#T", "class": "c",
                             "os-flavor-access:is_public": true, "fooBar": "camel", "foo_bar": "snake", "color": "1st",
                             "birthday": "2000-02-29"})",
                         thing));
    CHECK(thing.plus_1 == 1);
    CHECK(thing._1 == 2);
    CHECK(thing.odata_type == "#T");
    CHECK(thing.class_ == "c");
    CHECK(thing.os_flavor_access_is_public == true);
    CHECK(thing.foo_bar == "camel");
    CHECK(thing.foo_bar_2 == "snake");
    CHECK(*thing.color == types::color::_1st);
    CHECK(thing.nullable_required.is_null());
    std::string text = encode(thing);
    CHECK(text.find(R"("@odata.type":"#T")") != std::string::npos);
    types::thing back;
    REQUIRE_FALSE(decode(text, back));
    CHECK(back == thing);
}

TEST_CASE("OpenAPI 3.1 nullable type arrays and nullable recursion", "[codegen][json]")
{
    openapi31::event e;
    REQUIRE_FALSE(decode(R"({"kind": "event", "id": 1, "note": null, "parent": null, "value": 3})", e));
    CHECK(e.note.is_null());
    REQUIRE(e.parent.has_value());
    CHECK(e.parent->is_null());
    CHECK(std::get<std::int64_t>(*e.value) == 3);
    REQUIRE_FALSE(decode(R"({"kind": "event", "id": 2, "note": "n", "parent": {"kind": "event", "id": 1, "note": null}})", e));
    CHECK(e.note.value() == "n");
    CHECK(e.parent->value().get().id == 1);
    CHECK(decode(R"({"kind": "event", "id": 1})", e)); // note is required (though nullable)
}

TEST_CASE("a property named $ref round-trips under its JSON name", "[codegen][json]")
{
    fidelity::link link{};
    REQUIRE_FALSE(decode(R"({"$ref":"#/definitions/x","label":"l"})", link));
    CHECK(link.ref == "#/definitions/x");
    CHECK(encode(link) == R"({"$ref":"#/definitions/x","label":"l"})");
    CHECK(decode(R"({"label":"l"})", link)); // $ref is required
}

TEST_CASE("a recursive union decodes and encodes a nested tree", "[codegen][json]")
{
    // (x + 2) * max(y, 3)
    const std::string text =
        R"({"operator":"multiply","left":{"operator":"add","left":{"name":"x"},"right":{"value":2}},)"
        R"("right":{"function":"max","arguments":[{"name":"y"},{"value":3}]}})";
    recursive_unions::expression formula;
    REQUIRE_FALSE(decode(text, formula));
    const auto& product = std::get<specbound::boxed<recursive_unions::binary_operation>>(formula).get();
    CHECK(product.operator_ == recursive_unions::binary_operation_operator_::multiply);
    const auto& sum = std::get<specbound::boxed<recursive_unions::binary_operation>>(product.left.get()).get();
    CHECK(std::get<recursive_unions::variable>(sum.left.get()).name == "x");
    CHECK(std::get<recursive_unions::constant>(sum.right.get()).value == 2);
    const auto& call = std::get<specbound::boxed<recursive_unions::function_call>>(product.right.get()).get();
    CHECK(call.function == "max");
    REQUIRE(call.arguments.size() == 2);
    CHECK(std::get<recursive_unions::constant>(call.arguments[1]).value == 3);
    CHECK(encode(formula) == text);

    recursive_unions::search_query query;
    REQUIRE_FALSE(decode(R"({"limit":20,"filter":{"type":"and","filters":[
                              {"type":"field","field":"state","equals":"open"},
                              {"type":"not","filter":{"type":"field","field":"label","equals":"wontfix"}}]}})",
                         query));
    const auto& all = std::get<specbound::boxed<recursive_unions::and_filter>>(query.filter).get();
    REQUIRE(all.filters.size() == 2);
    const auto& negated = std::get<specbound::boxed<recursive_unions::not_filter>>(all.filters[1]).get();
    CHECK(std::get<recursive_unions::field_filter>(negated.filter.get()).equals == "wontfix");
    recursive_unions::search_query back;
    REQUIRE_FALSE(decode(encode(query), back));
    CHECK(back == query);
    // A filter this API does not know, deep in the tree: kept there, and written back as it came.
    const std::string with_or = R"({"filter":{"type":"and","filters":[{"type":"or","filters":[]}]},"limit":5})";
    REQUIRE_FALSE(decode(with_or, query));
    const auto& outer = std::get<specbound::boxed<recursive_unions::and_filter>>(query.filter).get();
    REQUIRE(outer.filters.size() == 1);
    CHECK(std::get<specbound::unknown_alternative>(outer.filters[0]).discriminator_value == "or");
    CHECK(encode(query) == with_or);
}

TEST_CASE("subtypes are decoded by their x-ms-discriminator-value and encoded with it", "[codegen][json]")
{
    namespace ms = ms_discriminators;
    const std::string text = R"({
        "name": "nightly-export",
        "stages": [
            {"kind": "Contoso.Pipelines/Copy", "name": "copy", "source": "sql://orders", "sink": "blob://exports"},
            {"kind": "Contoso.Pipelines/Script", "name": "transform", "script": "export.py", "timeout": "PT30M"},
            {"kind": "ApprovalStage", "name": "sign-off", "approvers": ["ops@contoso.example"]}
        ],
        "trigger": {"type": "schedule", "cron": "0 2 * * *"},
        "notifications": [
            {"@odata.type": "#Contoso.Pipelines.WebhookNotification", "url": "https://hooks.contoso.example/p"},
            {"@odata.type": "#Contoso.Pipelines.EmailNotification", "to": "ops@contoso.example"}
        ]
    })";
    ms::pipeline p;
    REQUIRE_FALSE(decode(text, p));
    REQUIRE(p.stages.size() == 3);
    CHECK(std::get<ms::copy_stage>(p.stages[0]).sink == "blob://exports");
    CHECK(std::get<ms::script_stage>(p.stages[1]).timeout == "PT30M");
    CHECK(std::get<ms::approval_stage>(p.stages[2]).approvers->size() == 1);
    CHECK(std::get<ms::schedule_trigger>(*p.trigger).cron == "0 2 * * *");
    REQUIRE(p.notifications->size() == 2);
    CHECK(std::get<ms::webhook_notification>(p.notifications->at(0)).url == "https://hooks.contoso.example/p");
    CHECK(std::get<ms::email_notification>(p.notifications->at(1)).to == "ops@contoso.example");

    ms::pipeline back;
    REQUIRE_FALSE(decode(encode(p), back));
    CHECK(back == p);

    // The alternatives of Notification have no "@odata.type" member: encoding writes the value.
    ms::notification email = ms::email_notification{"ops@contoso.example"};
    CHECK(encode(email) == R"({"@odata.type":"#Contoso.Pipelines.EmailNotification","to":"ops@contoso.example"})");
    // A subtype's `kind` member left empty is written with its x-ms-discriminator-value.
    ms::stage copy = ms::copy_stage{.name = "copy", .source = "sql://orders", .sink = "blob://exports"};
    CHECK(encode(copy) == R"({"kind":"Contoso.Pipelines/Copy","name":"copy","source":"sql://orders","sink":"blob://exports"})");

    ms::trigger trigger;
    REQUIRE_FALSE(decode(R"({"type": "Microsoft.EventGrid/topics", "topic": "orders"})", trigger));
    CHECK(std::get<ms::event_trigger>(trigger).topic == "orders");
    // The explicit mapping replaces ScheduleTrigger's own value; the schema's name is no value either.
    REQUIRE_FALSE(decode(R"({"type": "Contoso.Schedule", "cron": "* * * * *"})", trigger));
    CHECK(std::get<specbound::unknown_alternative>(trigger).discriminator_value == "Contoso.Schedule");
    REQUIRE_FALSE(decode(R"({"kind": "CopyStage", "name": "c", "source": "a", "sink": "b"})", p.stages[0]));
    CHECK(std::holds_alternative<specbound::unknown_alternative>(p.stages[0]));
}

TEST_CASE("members a refinement adds to its base are decoded and required", "[codegen][json]")
{
    allof_merge::deployment d;
    const std::string text =
        R"({"id":"dep-7","state":"running","created":"2026-11-30T08:15:00Z",)"
        R"("settings":{"replicas":3,"image":"registry.example/api:1.4"},)"
        R"("labels":{"team":"payments","cost_center":"cc-204"},"weight":2,"revision":null,"region":"eu-north"})";
    REQUIRE_FALSE(decode(text, d));
    CHECK(d.state == allof_merge::deployment_state::running);
    CHECK(d.settings.replicas == 3);
    CHECK(d.labels->cost_center == "cc-204");
    CHECK(d.labels->team == "payments");
    CHECK(d.region == allof_merge::deployment_region::eu_north);
    REQUIRE(d.revision.has_value());
    CHECK(d.revision->is_null());
    CHECK(encode(d) == text);

    // cost_center is required by the refinement, team by the base.
    auto failure = decode(R"({"id":"d","state":"failed","settings":{"replicas":1},"labels":{"team":"t"},"region":"eu-west"})", d);
    REQUIRE(failure);
    CHECK(failure->message.find("cost_center") != std::string::npos);
    CHECK(decode(R"({"id":"d","state":"failed","settings":{},"region":"eu-west"})", d)); // replicas
}

TEST_CASE("an allOf of common members and a oneOf decodes each alternative with the common members", "[codegen][json]")
{
    namespace au = allof_unions;
    const std::string methods_text =
        R"([{"id":"pm_1","type":"card","created":"2026-03-01T10:00:00Z","billing_name":"R. Okafor",)"
        R"("brand":"visa","last4":"4242","exp_month":9,"exp_year":2029},)"
        R"({"id":"pm_2","type":"sepa_debit","created":"2026-03-02T11:30:00Z","iban":"DE89370400440532013000"},)"
        R"({"id":"pm_3","type":"wallet","created":"2026-03-03T12:45:00Z","provider":"google_pay"}])";
    std::vector<au::payment_method> methods;
    REQUIRE_FALSE(decode(methods_text, methods));
    REQUIRE(methods.size() == 3);
    const auto& card = std::get<au::payment_method_card>(methods[0]);
    CHECK(card.id == "pm_1");
    CHECK(card.billing_name == "R. Okafor");
    CHECK(card.last4 == "4242");
    CHECK(card.exp_year == 2029);
    const auto& account = std::get<au::payment_method_bank_account>(methods[1]);
    CHECK(account.id == "pm_2");
    CHECK(account.iban == "DE89370400440532013000");
    CHECK_FALSE(account.bic.has_value());
    const auto& wallet = std::get<au::payment_method_wallet>(methods[2]);
    CHECK(std::chrono::year_month_day{std::chrono::floor<std::chrono::days>(wallet.created)}.day() == std::chrono::day{3});
    CHECK(wallet.provider == au::payment_method_wallet_provider::google_pay);
    CHECK(encode(methods) == methods_text);
    // The common members are required in every alternative.
    CHECK(decode(R"({"type":"card","created":"2026-03-01T10:00:00Z","brand":"visa","last4":"1","exp_month":1,"exp_year":2030})",
                 methods[0]));

    const std::string events_text =
        R"([{"event_id":"0b6f8a52-3c1d-4e0f-9a7b-2d5e6f708192","occurred_at":"2026-04-10T09:00:00Z","order_id":"o-17","total":129.5},)"
        R"({"event_id":"5e2a9c41-7b3d-4f6e-8a1c-9d0e1f2a3b4c","occurred_at":"2026-04-11T15:20:00Z","order_id":"o-17",)"
        R"("carrier":"DHL","tracking_number":"JD014600006281230704"}])";
    std::vector<au::order_event> events;
    REQUIRE_FALSE(decode(events_text, events));
    REQUIRE(events.size() == 2);
    CHECK(std::get<au::order_event_order_placed>(events[0]).total == 129.5);
    const auto& shipped = std::get<au::order_event_order_shipped>(events[1]);
    CHECK(shipped.order_id == "o-17");
    CHECK(shipped.carrier == "DHL");
    CHECK(std::chrono::year_month_day{std::chrono::floor<std::chrono::days>(shipped.occurred_at)}.day() ==
          std::chrono::day{11});
    CHECK(encode(events) == events_text);
}
