// specbound-gen lint: each rule on a small spec written to break it (tests/codegen/lint/), the
// machine-readable form, a clean spec, and the example checker keyword by keyword.
#include "document.hpp"
#include "lint.hpp"
#include "support/shell.hpp"

#include <boost/json/parse.hpp>

#include <catch2/catch.hpp>

#include <memory>
#include <string>
#include <utility>
#include <vector>

using namespace specbound::gen;
using specbound::test::shell_quote;

namespace {

/// specbound-gen lint on a spec of tests/codegen/lint; output is its stdout (the findings).
specbound::test::command_result lint_cli(const std::string& spec, const std::string& extra = {})
{
    return specbound::test::run_status(shell_quote(SPECBOUND_GEN_EXE) + " lint --spec " +
                                       shell_quote(std::string(SPECBOUND_LINT_SPEC_DIR) + "/" + spec) + " " + extra +
                                       " 2>/dev/null");
}

/// example_problem for the example and schema written inline (YAML flow style).
std::string problem(const std::string& schema, const std::string& example)
{
    auto files = std::make_unique<memory_files>();
    files->add("spec.yaml", "openapi: 3.1.0\ninfo: {title: t, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n"
                            "    Other: {type: object, required: [id], properties: {id: {type: integer}}}\n"
                            "    S: " + schema + "\nx-example: " + example + "\n");
    document_set docs("spec.yaml", std::move(files));
    return example_problem(docs, *docs.root().find("x-example"),
                           *docs.root().find("components")->find("schemas")->find("S"));
}

} // namespace

TEST_CASE("lint: every rule, located, in text and JSON; exit 1 with findings, 0 without", "[codegen][lint]")
{
    specbound::test::command_result text = lint_cli("findings.yaml");
    CAPTURE(text.output);
    CHECK(text.exit_code == 1);
    const std::vector<std::pair<std::string, std::string>> expected{
        {"findings.yaml:9:7: warning: operation GET /boxes has no operationId", "(missing-operation-id)"},
        {"findings.yaml:17:19: warning: inline schema named 'get_boxes_response_item'", "(synthetic-name)"},
        {"findings.yaml:27:17: warning: example contradicts its schema at /0/weight: integer '-3' is below the minimum 0",
         "(example-mismatch)"},
        {"findings.yaml:31:20: warning: operation GET /boxes/{boxId}: operationId '0451' makes no readable C++ name",
         "(unreadable-operation-id)"},
        {"findings.yaml:38:20: warning: example contradicts its schema at /: expected integer, found string 'forty-two'",
         "(example-mismatch)"},
        {"findings.yaml:43:11: warning: parameter 'box-id' would be 'box_id', a name already taken; it is 'box_id_3'",
         "(name-collision)"},
        {"findings.yaml:57:21: warning: example contradicts its schema at /label: string 'a label far too long' is "
         "longer than maxLength 8",
         "(example-mismatch)"},
        {"findings.yaml:70:11: warning: ambiguous union: alternatives 1 and 2 are both JSON object", "(ambiguous-union)"},
        {"findings.yaml:76:20: warning: example contradicts its schema at /: string 'blue' is not one of the schema's "
         "enum values",
         "(example-mismatch)"},
        {"findings.yaml:90:7: warning: schema 'LidType' would be 'lid_type', a name already taken; it is 'lid_type_2'",
         "(name-collision)"},
        {"findings.yaml:100:15: warning: impossible allOf: property 'code' is 'string' in one part and 'integer'",
         "(impossible-allof)"},
    };
    for (const auto& [start, rule] : expected) {
        CAPTURE(start);
        const std::size_t at = text.output.find(start);
        REQUIRE(at != std::string::npos);
        const std::string line = text.output.substr(at, text.output.find('\n', at) - at);
        CHECK_THAT(line, Catch::EndsWith(rule));
    }
    CHECK_THAT(text.output, Catch::EndsWith("specbound-gen lint: 14 findings in " + std::string(SPECBOUND_LINT_SPEC_DIR) +
                                         "/findings.yaml\n"));

    specbound::test::command_result json = lint_cli("findings.yaml", "--format json");
    CHECK(json.exit_code == 1);
    const boost::json::array findings = boost::json::parse(json.output).at("findings").as_array();
    REQUIRE(findings.size() == 14);
    const boost::json::object& first = findings.at(0).as_object();
    CHECK(first.at("rule") == "missing-operation-id");
    CHECK(first.at("severity") == "warning");
    CHECK(first.at("file") == "findings.yaml");
    CHECK(first.at("line") == 9);
    CHECK(first.at("column") == 7);
    CHECK(first.at("pointer") == "/paths/~1boxes/get");

    specbound::test::command_result clean = lint_cli("clean.yaml");
    CHECK(clean.exit_code == 0);
    CHECK_THAT(clean.output, Catch::StartsWith("specbound-gen lint: 0 findings"));
    specbound::test::command_result clean_json = lint_cli("clean.yaml", "--format json");
    CHECK(clean_json.exit_code == 0);
    CHECK(boost::json::parse(clean_json.output).at("findings").as_array().empty());

    // A spec the generator cannot use: that is the one finding.
    specbound::test::command_result broken = lint_cli("../bad/dangling_ref.yaml", "--format json");
    CHECK(broken.exit_code == 1);
    const boost::json::array only = boost::json::parse(broken.output).at("findings").as_array();
    REQUIRE(only.size() == 1);
    CHECK(only.at(0).at("rule") == "spec-error");
    CHECK(only.at(0).at("severity") == "error");

    CHECK(lint_cli("findings.yaml", "--format xml").exit_code == 2);
}

TEST_CASE("lint: the example checker, keyword by keyword", "[codegen][lint]")
{
    CHECK(problem("{type: integer}", "3") == "");
    CHECK(problem("{type: integer}", "3.0") == "");
    CHECK(problem("{type: integer}", "3.5") == "/: expected integer, found number '3.5'");
    CHECK(problem("{type: number}", "3") == "");
    CHECK(problem("{type: string}", "'3'") == "");
    CHECK(problem("{type: string}", "3") == "/: expected string, found integer '3'");
    CHECK(problem("{type: boolean}", "'true'") == "/: expected boolean, found string 'true'");
    // null: 3.1 type lists, 3.0 nullable
    CHECK(problem("{type: [string, 'null']}", "null") == "");
    CHECK(problem("{type: string, nullable: true}", "null") == "");
    CHECK(problem("{type: object}", "null") == "/: expected object, found null");
    CHECK(problem("{enum: [a, b]}", "c") == "/: string 'c' is not one of the schema's enum values");
    CHECK(problem("{enum: [1, 2]}", "2.0") == "");
    CHECK(problem("{const: x}", "y") == "/: string 'y' is not the schema's const 'x'");
    // objects
    CHECK(problem("{type: object, required: [a]}", "{b: 1}") == "/: required property 'a' is missing");
    CHECK(problem("{type: object, properties: {a: {type: integer}}, additionalProperties: false}", "{a: 1, b: 2}") ==
          "/: property 'b' is not declared, and additionalProperties is false");
    CHECK(problem("{type: object, additionalProperties: {type: integer}}", "{a: 1, b: x}") ==
          "/b: expected integer, found string 'x'");
    CHECK(problem("{type: object, properties: {a~b: {type: object, properties: {c/d: {type: integer}}}}}",
                  "{a~b: {c/d: x}}") == "/a~0b/c~1d: expected integer, found string 'x'");
    // arrays
    CHECK(problem("{type: array, items: {type: integer}}", "[1, 2, x]") == "/2: expected integer, found string 'x'");
    CHECK(problem("{type: array, minItems: 2}", "[1]") == "/: 1 items, fewer than minItems 2");
    CHECK(problem("{type: array, maxItems: 1}", "[1, 2]") == "/: 2 items, more than maxItems 1");
    // strings count characters, not bytes
    CHECK(problem("{type: string, maxLength: 3}", "'äöü'") == "");
    CHECK(problem("{type: string, minLength: 4}", "'äöü'") == "/: string 'äöü' is shorter than minLength 4");
    // numbers: 3.0 boolean exclusives and 3.1 numeric ones
    CHECK(problem("{type: integer, minimum: 1, exclusiveMinimum: true}", "1") == "/: integer '1' is below the minimum 1");
    CHECK(problem("{type: integer, maximum: 5}", "5") == "");
    CHECK(problem("{type: integer, exclusiveMaximum: 5}", "5") ==
          "/: integer '5' is not below the exclusiveMaximum 5");
    // composition: allOf all, oneOf/anyOf some; $ref followed
    CHECK(problem("{allOf: [{type: object}, {required: [a]}]}", "{}") == "/: required property 'a' is missing");
    CHECK(problem("{oneOf: [{type: string}, {$ref: '#/components/schemas/Other'}]}", "{id: 1}") == "");
    CHECK(problem("{oneOf: [{type: string}, {$ref: '#/components/schemas/Other'}]}", "{id: x}") ==
          "/: no oneOf alternative accepts it (the first says /: expected string, found object)");
    CHECK(problem("{$ref: '#/components/schemas/Other'}", "{}") == "/: required property 'id' is missing");
    // keywords it does not judge
    CHECK(problem("{type: string, format: email, pattern: '^x'}", "nope") == "");
}
