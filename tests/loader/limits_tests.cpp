// Limits that stop hostile or broken specs before they exhaust the stack, the memory or the time
// of the loader and the generator (crafted inputs run through the spec_loader fuzz target, tests/fuzz/spec_loader).
#include "test_support.hpp"

#include "generate.hpp"

#include <string>

using namespace specbound::gen;
using loader_test::data;
using loader_test::error_of;
using loader_test::in_memory;

namespace {

// The message of the generation_error that generating `text` (as spec.yaml, in memory) throws; "" if none.
std::string generation_error_of(const std::string& text)
{
    try {
        (void)specbound::gen::generate("spec.yaml", "limits", in_memory({{"spec.yaml", text}}));
    } catch (const generation_error& e) {
        return e.what();
    }
    return {};
}

constexpr const char* spec_head = "openapi: 3.0.3\ninfo: {title: limits, version: '1'}\npaths: {}\n";

std::string next_ref(int i) { return "{$ref: '#/components/schemas/S" + std::to_string(i + 1) + "'}"; }

std::string property_link(int i) { return "{type: object, properties: {next: " + next_ref(i) + "}}"; }

std::string all_of_link(int i)
{
    return "{properties: {p" + std::to_string(i) + ": {type: string}}, allOf: [" + next_ref(i) + "]}";
}

// Component schemas S0..S<count>: S<i> is `link(i)`, which refers to S<i+1>; the last one a string.
std::string schema_chain(int count, std::string (*link)(int))
{
    std::string text = std::string(spec_head) + "components:\n  schemas:\n";
    for (int i = 0; i < count; ++i)
        text += "    S" + std::to_string(i) + ": " + link(i) + "\n";
    text += "    S" + std::to_string(count) + ": {type: string}\n";
    return text;
}

} // namespace

TEST_CASE("YAML aliases may add at most 100,000 nodes to a spec, all its files together", "[loader][yaml][limits]")
{
    auto d = error_of([] { document_set docs(data("limits/alias_expansion.yaml")); });
    CHECK(d.message == "YAML aliases expand to more than 100000 nodes (alias bomb?)");
    CHECK(d.where.line == 14);

    // Two files whose aliases stand for 62,258 nodes each: the second one goes past the limit.
    auto part = [](const std::string& next) {
        std::string text = "a0: &a0 {x: [1, 2, 3, 4, 5, 6, 7, 8, 9], y: [1, 2, 3, 4, 5, 6, 7, 8, 9]}\n";
        for (int i = 1; i <= 3; ++i) {
            // Appended piece by piece: GCC 12 at -O3 warns falsely (-Wrestrict, GCC bug 105329)
            // about `"literal" + std::string` here.
            const std::string name = std::string("a").append(std::to_string(i));
            text.append(name).append(": &").append(name).append(" [");
            for (int j = 0; j < 14; ++j)
                text.append(j ? ", *a" : "*a").append(std::to_string(i - 1));
            text += "]\n";
        }
        return text + "next: {$ref: '" + next + "'}\n";
    };
    document_set docs("one.yaml", in_memory({{"one.yaml", part("two.yaml")}, {"two.yaml", part("one.yaml")}}));
    auto second = error_of([&] { (void)docs.resolve(*docs.root().find("next")); });
    CHECK(second.message == "YAML aliases expand to more than 100000 nodes (alias bomb?)");
    CHECK(second.where.file->display == "two.yaml");
}

TEST_CASE("JSON pointers through $refs nest at most 512 deep", "[loader][ref][limits]")
{
    // L<i> points into L<i+1>, which is itself a $ref: each step resolves the next one first.
    auto chain = [](int count) {
        std::string text = "top: {$ref: '#/c/L0'}\nc:\n";
        for (int i = 0; i < count; ++i)
            text += "  L" + std::to_string(i) + ": {$ref: '#/c/L" + std::to_string(i + 1) + "/x'}\n";
        text += "  L" + std::to_string(count) + ": {x: {$ref: '#/c/L" + std::to_string(count) + "'}}\n";
        return text;
    };
    {
        document_set docs("ok.yaml", in_memory({{"ok.yaml", chain(400)}}));
        CHECK(docs.resolve(*docs.root().find("top")).find("x") != nullptr);
    }
    document_set docs("deep.yaml", in_memory({{"deep.yaml", chain(5000)}}));
    auto d = error_of([&] { (void)docs.resolve(*docs.root().find("top")); });
    CHECK_THAT(d.message, Catch::EndsWith(": JSON pointers through other $refs nest deeper than 512 levels"));
}

TEST_CASE("schemas nest at most 256 deep, through properties and $refs", "[codegen][limits]")
{
    CHECK(generation_error_of(schema_chain(200, property_link)).empty());
    const std::string message = generation_error_of(schema_chain(3000, property_link));
    CHECK_THAT(message, Catch::StartsWith("spec.yaml:"));
    CHECK_THAT(message, Catch::Contains("error: schemas nest deeper than 256 levels (properties, items, unions, "
                                        "allOf and $refs counted together)"));
}

TEST_CASE("allOf parts nest at most 256 deep", "[codegen][limits]")
{
    CHECK(generation_error_of(schema_chain(200, all_of_link)).empty());
    const std::string message = generation_error_of(schema_chain(3000, all_of_link));
    CHECK_THAT(message, Catch::Contains("error: allOf parts nest deeper than 256 levels"));
}
