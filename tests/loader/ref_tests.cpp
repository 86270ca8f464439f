// $ref resolution across files and folders, JSON pointer escapes, and every kind of bad $ref.
#include "test_support.hpp"

using namespace specbound::gen;
using loader_test::data;
using loader_test::error_of;

namespace {

const node& schema(document_set& docs, std::string_view name)
{
    const node* s = docs.root().find("components")->find("schemas")->find(name);
    REQUIRE(s != nullptr);
    return *s;
}

} // namespace

TEST_CASE("refs inside a file, with ~0, ~1 and percent-encoding", "[loader][ref]")
{
    document_set docs(data("refs/root.yaml"));
    const node& pet = schema(docs, "Pet");
    CHECK(docs.ref_target(pet) == nullptr);
    CHECK(&docs.resolve(pet) == &pet);

    CHECK(docs.ref_target(schema(docs, "Alias")) == &pet);
    CHECK(&docs.resolve(schema(docs, "Alias")) == &pet);
    // One step vs the whole chain.
    CHECK(docs.ref_target(schema(docs, "AliasOfAlias")) == &schema(docs, "Alias"));
    CHECK(&docs.resolve(schema(docs, "AliasOfAlias")) == &pet);

    CHECK(&docs.resolve(schema(docs, "Escaped1")) == &schema(docs, "a/b"));
    CHECK(&docs.resolve(schema(docs, "Escaped0")) == &schema(docs, "m~n"));
    CHECK(&docs.resolve(schema(docs, "Percent")) == &schema(docs, "with space"));
    // A pointer may pass through a $ref: Alias/properties/name is Pet's name.
    CHECK(&docs.resolve(schema(docs, "ThroughRef")) == pet.find("properties")->find("name"));
}

TEST_CASE("a recursive schema is not a cycle", "[loader][ref]")
{
    document_set docs(data("refs/root.yaml"));
    const node& pet = schema(docs, "Pet");
    const node& child = *pet.find("properties")->find("child");
    CHECK(&docs.resolve(child) == &pet);
}

TEST_CASE("refs across files and folders; one file however reached", "[loader][ref]")
{
    document_set docs(data("refs/root.yaml"));
    CHECK(docs.files().size() == 1); // other files load lazily

    const node& get = *docs.root().find("paths")->find("/pets")->find("get");
    const node& op = docs.resolve(get);
    REQUIRE(op.is_mapping());
    CHECK(op.find("operationId")->text() == "listPets");
    CHECK(op.where().file->display == "ops/list_pets.yml");
    CHECK(docs.canonical_id(op) == "ops/list_pets.yml#");

    const node& param = docs.resolve(*op.find("parameters")->items()[0]);
    CHECK(param.find("name")->text() == "per_page");
    CHECK(docs.canonical_id(param) == "shared/parameters.yml#/per_page");

    const node* response_schema =
        op.find("responses")->find("200")->find("content")->find("application/json")->find("schema");
    REQUIRE(response_schema);
    const node& owner = docs.resolve(*response_schema);
    CHECK(owner.where().file->display == "models/owner.json");
    CHECK(docs.canonical_id(owner) == "models/owner.json#/definitions/Owner");
    CHECK(owner.find("description")->text() == "escaped \"quote\" and \xc3\xa9");

    // The same JSON file reached as models/owner.json and ops/../models/owner.json.
    CHECK(&docs.resolve(schema(docs, "FromJson")) == &owner);
    CHECK(&docs.resolve(schema(docs, "ViaDotDot")) == &owner);

    // Back to the root file from the JSON file.
    const node& back = docs.resolve(*owner.find("properties")->find("pet"));
    CHECK(&back == &schema(docs, "Pet"));

    // Sequence index in a pointer.
    const node& item = docs.resolve(schema(docs, "Item"));
    CHECK(item.text() == "second");
    CHECK(docs.canonical_id(item) == "models/list.yaml#/items/1");

    auto files = docs.files();
    REQUIRE(files.size() == 5);
    CHECK(files[0] == &docs.root_file());
    CHECK(files[1]->display == "ops/list_pets.yml");
    for (const source_file* f : files)
        CHECK(f->path.is_absolute());
}

TEST_CASE("canonical_id is the same however a node is reached", "[loader][ref]")
{
    document_set docs(data("refs/root.yaml"));
    const node& a = docs.resolve(schema(docs, "FromJson"));
    const node& b = docs.resolve(schema(docs, "ViaDotDot"));
    CHECK(docs.canonical_id(a) == docs.canonical_id(b));
    CHECK(docs.canonical_id(schema(docs, "a/b")) == "root.yaml#/components/schemas/a~1b");
}

TEST_CASE("bad refs are errors at the $ref, with file, line, column and pointer", "[loader][ref]")
{
    document_set docs(data("errors/root.yaml"));
    const node& r = docs.root();
    auto err = [&](std::string_view key) { return error_of([&] { (void)docs.resolve(*r.find(key)); }); };

    auto cycle = err("cycle_a");
    CHECK_THAT(cycle.message, Catch::Contains("cycle"));
    CHECK(cycle.where.line == 2);
    CHECK(cycle.where.column == 9);
    CHECK(cycle.pointer == "/cycle_a/$ref");
    CHECK_THAT(cycle.format(), Catch::StartsWith("root.yaml:2:9: error: $ref cycle: root.yaml#/cycle_a -> "
                                                 "root.yaml#/cycle_b -> root.yaml#/cycle_a"));

    auto self = err("self");
    CHECK_THAT(self.message, Catch::Contains("cycle"));
    CHECK(self.where.line == 6);

    auto through_self = err("through_self");
    CHECK_THAT(through_self.message, Catch::Contains("cycle"));

    auto file = err("dangling_file");
    CHECK(file.where.line == 8);
    CHECK(file.pointer == "/dangling_file/$ref");
    CHECK_THAT(file.message, Catch::Contains("cannot read file 'missing/nothing.yml': no such file"));

    auto pointer = err("dangling_pointer");
    CHECK(pointer.where.line == 10);
    CHECK(pointer.message == "$ref '#/nothing/here': no member 'nothing' in root.yaml");

    auto not_string = err("not_string");
    CHECK(not_string.message == "$ref must be a string");
    CHECK(not_string.where.line == 12);

    auto remote = err("remote");
    CHECK_THAT(remote.message, Catch::Contains("remote references are not supported"));
    CHECK(remote.where.line == 14);

    auto escape = err("bad_escape");
    CHECK_THAT(escape.message, Catch::Contains("invalid '~' escape"));

    auto index = err("bad_index");
    CHECK(index.message == "$ref 'list.yaml#/items/9': index 9 is out of range (2 items) in list.yaml at /items");

    auto percent = err("bad_percent");
    CHECK_THAT(percent.message, Catch::Contains("malformed percent-encoding"));

    // A syntax error in a referenced file is reported in that file.
    auto syntax = err("syntax_error_file");
    REQUIRE(syntax.where.file != nullptr);
    CHECK(syntax.where.file->display == "syntax_error.yaml");
    CHECK(syntax.where.line == 5);

    // Failed lookups leave nothing behind: asking again gives the same errors.
    CHECK(err("bad_index").message == index.message);
    CHECK(err("through_self").message == through_self.message);
}

TEST_CASE("a file that fails to load is not half-registered", "[loader][ref]")
{
    loader_test::temp_dir dir("retry");
    auto root = dir.write("root.yaml", "a:\n  $ref: other.yaml#/x\n");
    dir.write("other.yaml", "x: [unclosed\n");
    document_set docs(root);
    auto first = error_of([&] { (void)docs.resolve(*docs.root().find("a")); });
    CHECK(first.where.file != nullptr);
    CHECK(docs.files().size() == 1);
}
