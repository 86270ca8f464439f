// Example requests synthesized from a spec: the spec's own examples first, then values that
// satisfy each schema's type, format, bounds, enums, required members and discriminators.
#include "examples.hpp"

#include "generate.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <catch2/catch.hpp>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <limits>
#include <memory>
#include <string>

namespace fs = std::filesystem;
using namespace specbound::gen;

namespace {

constexpr const char* rules_spec = R"(openapi: "3.0.3"
info: {title: Example rules, version: "1"}
paths:
  /boxes/{boxId}:
    put:
      operationId: putBox
      parameters:
        - name: boxId
          in: path
          required: true
          schema: {type: integer, minimum: 10, multipleOf: 4}
        - name: color
          in: query
          schema: {type: string, enum: [red, green]}
        - name: label
          in: query
          example: fragile
          schema: {type: string}
        - name: X-Trace
          in: header
          required: true
          schema: {type: string, format: uuid}
      requestBody:
        required: true
        content:
          application/json:
            schema: {$ref: "#/components/schemas/Box"}
      responses:
        "204": {description: stored}
  /tags:
    post:
      operationId: postTagged
      requestBody:
        content:
          application/json:
            schema: {$ref: "#/components/schemas/Tagged"}
      responses:
        "204": {description: stored}
    put:
      operationId: putTagged
      requestBody:
        content:
          application/json:
            schema: {$ref: "#/components/schemas/Tagged"}
            example: {kind: round, radius: 4, tag: red}
      responses:
        "204": {description: stored}
components:
  schemas:
    Box:
      type: object
      required: [name, size, contents, created, shape]
      properties:
        name: {type: string, minLength: 12, maxLength: 14}
        size: {type: number, minimum: 2.5}
        note: {type: string}
        contents:
          type: array
          minItems: 2
          items: {type: string, default: item}
        created: {type: string, format: date-time}
        shape: {$ref: "#/components/schemas/Shape"}
    Shape:
      oneOf:
        - $ref: "#/components/schemas/Circle"
        - $ref: "#/components/schemas/Square"
      discriminator:
        propertyName: kind
        mapping:
          round: "#/components/schemas/Circle"
          square: "#/components/schemas/Square"
    Circle:
      type: object
      required: [kind, radius]
      properties:
        kind: {type: string}
        radius: {type: integer, minimum: 3}
    Square:
      type: object
      required: [kind, side]
      properties:
        kind: {type: string}
        side: {type: integer}
    Tagged:
      allOf:
        - $ref: "#/components/schemas/Circle"
        - type: object
          required: [tag]
          properties:
            tag: {type: string, example: blue}
)";

fs::path write_spec(const std::string& name, const std::string& text)
{
    fs::path dir = fs::path(SPECBOUND_TEST_TMP) / "examples";
    fs::create_directories(dir);
    fs::path file = dir / name;
    std::ofstream(file, std::ios::binary | std::ios::trunc) << text;
    return file;
}

/// The message of the spec_error `call` throws; fails the test when it throws none.
template <class Call>
std::string spec_error_text(Call&& call)
{
    try {
        (void)call();
    } catch (const spec_error& e) {
        return e.what();
    }
    FAIL("expected a spec_error");
    return {};
}

} // namespace

TEST_CASE("example requests follow the spec's examples and its schemas' rules", "[codegen][examples]")
{
    document_set docs(write_spec("rules.yaml", rules_spec));
    const api_model api = build_model(docs);
    const boost::json::object all = example_requests(docs, api);
    REQUIRE(all.contains("putBox"));
    const boost::json::object& op = all.at("putBox").as_object();
    CHECK(op.at("method") == "put");
    CHECK(op.at("path") == "/boxes/{boxId}");

    const boost::json::object& params = op.at("parameters").as_object();
    // Required: synthesized within bounds (minimum 10, multiple of 4 -> 12).
    CHECK(params.at("boxId").at("value") == 12);
    CHECK(params.at("boxId").at("source") == "synthesized");
    CHECK(params.at("boxId").at("in") == "path");
    CHECK(params.at("X-Trace").at("value") == "3fa85f64-5717-4562-b3fc-2c963f66afa6");
    // Optional with the spec's own example: sent, marked as the spec's.
    CHECK(params.at("label").at("value") == "fragile");
    CHECK(params.at("label").at("source") == "spec_example");
    // Optional without an example: left out.
    CHECK_FALSE(params.contains("color"));

    const boost::json::object& body = op.at("body").as_object();
    CHECK(body.at("media_type") == "application/json");
    CHECK(body.at("source") == "synthesized");
    const boost::json::object& box = body.at("value").as_object();
    CHECK(box.at("name").as_string().size() == 12); // minLength 12 within maxLength 14
    CHECK(box.at("size") == 2.5);
    CHECK_FALSE(box.contains("note")); // optional members are left out
    CHECK(boost::json::serialize(box.at("contents")) == R"(["item","item"])"); // minItems, item default
    CHECK(box.at("created") == "2024-01-02T03:04:05Z");
    // The discriminator selects the first alternative through the explicit mapping.
    CHECK(boost::json::serialize(box.at("shape")) == R"({"kind":"round","radius":3})");
}

TEST_CASE("allOf examples merge their parts", "[codegen][examples]")
{
    document_set docs(write_spec("rules.yaml", rules_spec));
    const node* tagged = docs.root().find("components")->find("schemas")->find("Tagged");
    REQUIRE(tagged);
    const boost::json::value v = synthesize_example(docs, *tagged);
    CHECK(v.at("radius") == 3);
    CHECK(v.at("tag") == "blue");
}

// A sweep blames the spec for a request only when the spec wrote that request's value whole.
TEST_CASE("only a media type's or parameter's own example is marked as the spec's", "[codegen][examples]")
{
    document_set docs(write_spec("rules.yaml", rules_spec));
    const boost::json::object all = example_requests(docs, build_model(docs));
    // Built by the generator, although one member is the schema's example: synthesized.
    const boost::json::object& built = all.at("postTagged").at("body").as_object();
    CHECK(built.at("value").at("tag") == "blue");
    CHECK(built.at("source") == "synthesized");
    // The media type's example, sent as written: the spec's.
    const boost::json::object& written = all.at("putTagged").at("body").as_object();
    CHECK(written.at("value").at("tag") == "red");
    CHECK(written.at("source") == "spec_example");
}

TEST_CASE("a spec example that contradicts its schema is skipped for the next, or a built value", "[codegen][examples]")
{
    const fs::path spec = write_spec("contradicting.yaml", R"(openapi: "3.0.3"
info: {title: Contradicting examples, version: "1"}
paths:
  /render/{workflow}:
    post:
      operationId: render
      parameters:
        - name: workflow
          in: path
          required: true
          schema:
            oneOf: [{type: integer}, {type: string}]
        - name: depth
          in: query
          required: true
          example: deep
          schema: {type: integer}
        - name: version
          in: query
          required: true
          schema: {type: string, pattern: "^\\d+\\.\\d+\\.\\d+$"}
        - name: digest
          in: query
          required: true
          schema: {type: string, minLength: 71, maxLength: 71, pattern: "^sha256:[a-f0-9]{64}$"}
        - name: slug
          in: query
          required: true
          schema: {type: string, pattern: "^(?:[A-Z][a-z]+|x)(-[0-9]{2,})?_?$"}
        - name: negated
          in: query
          required: true
          schema: {type: string, pattern: "^[^a-z]+$"}
        - name: limit
          in: query
          schema: {type: integer, maximum: 10}
          examples:
            too_many: {value: 50}
            fine: {value: 5}
      requestBody:
        content:
          text/plain:
            schema: {type: string}
            examples:
              default: {value: {text: "Hello **world**"}}
      responses:
        "200":
          description: rendered
          content:
            application/json:
              schema:
                type: object
                required: [html]
                properties: {html: {type: string}, words: {type: integer}}
              examples:
                first: {value: {words: 2}}
                second: {value: {html: "<p>x</p>", words: 2}}
        "404":
          description: no such workflow
          content:
            application/json:
              schema: {type: object, properties: {words: {type: integer}}}
              example: {words: two}
        "410":
          description: gone
          content:
            application/json:
              schema: {type: object}
              example: {reason: removed}
)");
    document_set docs(spec);
    const boost::json::object render = example_requests(docs, build_model(docs)).at("render").as_object();
    const boost::json::object& params = render.at("parameters").as_object();
    // Text matches integer and string alike when it is a number: a text that is not, for exactly one.
    const boost::json::value& workflow = params.at("workflow").at("value");
    REQUIRE(workflow.is_string());
    CHECK(workflow.as_string().find_first_of("0123456789") == boost::json::string::npos);
    // The parameter's example is no integer: a built one, and why the example was not used.
    CHECK(params.at("depth").at("value").is_int64());
    CHECK(params.at("depth").at("source") == "synthesized");
    CHECK(params.at("depth").at("rejected_spec_example").as_string().find("expected integer") != boost::json::string::npos);
    // Patterns: a text built from the expression and checked against it; one the builder does not
    // read (negated classes) keeps the plain text.
    CHECK(params.at("version").at("value") == "1.1.1");
    CHECK(params.at("digest").at("value").as_string() == "sha256:" + std::string(64, 'a'));
    CHECK(params.at("slug").at("value") == "Aa");
    CHECK(params.at("negated").at("value") == "string");
    // The first example is beyond the maximum; the second is the spec's and used.
    CHECK(params.at("limit").at("value") == 5);
    CHECK(params.at("limit").at("source") == "spec_example");
    // GitHub's markdown/render-raw: an object as the example of a text body.
    const boost::json::object& body = render.at("body").as_object();
    CHECK(body.at("value").is_string());
    CHECK(body.at("source") == "synthesized");
    CHECK(body.at("rejected_spec_example").as_string().find("expected string, found object") != boost::json::string::npos);
    // The response examples a mock server serves (the first), where they contradict their schema.
    const boost::json::object& contradicting = render.at("contradicting_response_examples").as_object();
    CHECK(contradicting.size() == 2); // not the 410's
    const boost::json::array& missing = contradicting.at("200").at("problems").as_array();
    REQUIRE(missing.size() == 1);
    CHECK(missing[0].at("pointer") == "");
    CHECK(missing[0].at("problem").as_string().find("'html'") != boost::json::string::npos);
    CHECK(contradicting.at("404").at("problems").at(0).at("pointer") == "/words");
}

TEST_CASE("example requests for the petstore use its Pet example and synthesize the rest", "[codegen][examples]")
{
    document_set docs(fs::path(SPECBOUND_SPEC_DIR) / "petstore.yaml");
    const api_model api = build_model(docs);
    const boost::json::object all = example_requests(docs, api);
    CHECK(all.size() == api.operations.size());
    const boost::json::object& create = all.at("createPet").as_object();
    CHECK(create.at("body").at("value").at("name").is_string());
    const boost::json::object& show = all.at("showPetById").as_object();
    CHECK(show.at("parameters").at("petId").at("value").is_int64());
}

TEST_CASE("a property named $ref gets an example value like any other", "[codegen][examples]")
{
    document_set docs(fs::path(SPECBOUND_SPEC_DIR) / "fidelity.yaml");
    const api_model api = build_model(docs);
    const boost::json::object all = example_requests(docs, api);
    CHECK(all.at("addLink").at("body").at("value").at("$ref").is_string());
}

TEST_CASE("a discriminated example carries the subtype's x-ms-discriminator-value", "[codegen][examples]")
{
    document_set docs(fs::path(SPECBOUND_SPEC_DIR) / "fidelity_ms_discriminators.yaml");
    const node* notification = docs.root().find("components")->find("schemas")->find("Notification");
    REQUIRE(notification);
    const boost::json::value v = synthesize_example(docs, *notification);
    CHECK(v.at("@odata.type") == "#Contoso.Pipelines.EmailNotification");
    CHECK(v.at("to").is_string());
}

TEST_CASE("required members beside an allOf get values from the part that declares them", "[codegen][examples]")
{
    document_set docs(fs::path(SPECBOUND_SPEC_DIR) / "types.yaml");
    const api_model api = build_model(docs);
    const boost::json::object all = example_requests(docs, api);
    const boost::json::object& body = all.at("labelThing").at("body").as_object();
    CHECK(body.at("value").at("text").is_string()); // required beside allOf, declared by LabelBase
    CHECK_FALSE(body.at("value").as_object().contains("weight")); // optional: left out
    // format: binary travels as base64 in JSON, like format: byte.
    CHECK(all.at("upload").at("body").at("value") == "c3BlY2JvdW5k");
}

TEST_CASE("a synthesized example holds at most 100,000 values and string characters", "[codegen][examples]")
{
    const std::string limit_message =
        "error: the example synthesized for this schema would hold more than 100000 values and string characters";
    SECTION("required members that multiply along the nesting")
    {
        document_set docs(fs::path(SPECBOUND_BAD_SPEC_DIR) / "example_fanout.yaml");
        const api_model api = build_model(docs);
        CHECK_THAT(spec_error_text([&] { return example_requests(docs, api); }),
                   Catch::StartsWith("example_fanout.yaml:12:21: " + limit_message));
    }
    // Each of these asked for a terabyte.
    for (const char* schema : {"{type: array, minItems: 1000000000000, items: {type: integer}}",
                               "{type: string, minLength: 1000000000000}"}) {
        SECTION(schema)
        {
            auto files = std::make_unique<memory_files>();
            files->add("spec.yaml", std::string("openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\n"
                                                "components: {schemas: {Big: ") +
                                        schema + "}}\n");
            document_set docs("spec.yaml", std::move(files));
            const node& big = *docs.root().find("components")->find("schemas")->find("Big");
            CHECK_THAT(spec_error_text([&] { return synthesize_example(docs, big); }),
                       Catch::StartsWith("spec.yaml:4:29: " + limit_message));
        }
    }
}

TEST_CASE("integer examples for bounds beyond int64 take its nearest end", "[codegen][examples]")
{
    // Converting such a bound to int64 was undefined behaviour (UBSan: float-cast-overflow).
    auto files = std::make_unique<memory_files>();
    files->add("spec.yaml", "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n"
                            "    High: {type: integer, minimum: 1e300}\n"
                            "    Low: {type: integer, maximum: -1e300}\n"
                            "    NaN: {type: integer, minimum: .nan}\n");
    document_set docs("spec.yaml", std::move(files));
    const node& schemas = *docs.root().find("components")->find("schemas");
    auto example = [&](std::string_view name) {
        return synthesize_example(docs, *schemas.find(name));
    };
    CHECK(example("High") == std::numeric_limits<std::int64_t>::max());
    CHECK(example("Low") == std::numeric_limits<std::int64_t>::min());
    CHECK(example("NaN") == 0);
}

TEST_CASE("a literal number beyond what JSON parsers read is an error at the literal", "[codegen][examples]")
{
    // Found by the spec_loader fuzz target: Boost.JSON's exponent overflow escaped the generator as
    // an exception and terminated it.
    auto files = std::make_unique<memory_files>();
    files->add("spec.yaml", "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\n"
                            "components: {schemas: {Huge: {const: 5e5555555555555555555}}}\n");
    document_set docs("spec.yaml", std::move(files));
    const node& huge = *docs.root().find("components")->find("schemas")->find("Huge");
    CHECK_THAT(spec_error_text([&] { return synthesize_example(docs, huge); }),
               Catch::StartsWith("spec.yaml:4:38: error: this literal cannot be used as example data: "
                                 "exponent overflow"));
}
