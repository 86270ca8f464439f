// Limits that stop hostile or broken specs before they exhaust the stack, the memory or the time
// of the loader (crafted inputs run through the spec_loader fuzz target, tests/fuzz/spec_loader).
#include "test_support.hpp"

#include <string>

using namespace specbound::gen;
using loader_test::data;
using loader_test::error_of;
using loader_test::in_memory;

TEST_CASE("YAML aliases may add at most 100,000 nodes to a file", "[loader][yaml][limits]")
{
    auto d = error_of([] { document_set docs(data("limits/alias_expansion.yaml")); });
    CHECK(d.message == "YAML aliases expand to more than 100000 nodes in this file (alias bomb?)");
    CHECK(d.where.line == 14);
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
