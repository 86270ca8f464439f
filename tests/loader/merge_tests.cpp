// Section merge: v1 and v2 from section files, ref rewriting, conflicts, atomic output.
#include "merge.hpp"
#include "test_support.hpp"

using namespace specbound::gen;
using loader_test::data;
using loader_test::error_of;

TEST_CASE("merge writes one deterministic JSON file per version", "[loader][merge]")
{
    loader_test::temp_dir out("merge-out");
    merge_sections(data("merge/versions.yaml"), out.path / "gen");
    auto v1_path = out.path / "gen" / "v1.json";
    auto v2_path = out.path / "gen" / "v2.json";
    REQUIRE(std::filesystem::exists(v1_path));
    REQUIRE(std::filesystem::exists(v2_path));
    // Only the two outputs: no temporary files left behind.
    CHECK(std::distance(std::filesystem::directory_iterator(out.path / "gen"), std::filesystem::directory_iterator()) == 2);

    std::string v1_text = loader_test::read_text(v1_path);
    std::string v2_text = loader_test::read_text(v2_path);

    // Same input, byte-identical output.
    merge_sections(data("merge/versions.yaml"), out.path / "gen");
    CHECK(loader_test::read_text(v1_path) == v1_text);
    CHECK(loader_test::read_text(v2_path) == v2_text);

    document_set v1(v1_path);
    const node& r1 = v1.root();
    CHECK(r1.find("openapi")->text() == "3.0.3");
    CHECK(r1.find("info")->find("version")->text() == "1.0");
    // Top-level order: first seen, files in config order.
    REQUIRE(r1.members().size() == 6);
    CHECK(r1.members()[0].key == "openapi");
    CHECK(r1.members()[3].key == "tags");
    CHECK(r1.members()[4].key == "components");
    CHECK(r1.members()[5].key == "paths");

    const node& get = *r1.find("paths")->find("/pets")->find("get");
    // A ref into a section file of the same version became local...
    const node& param = *get.find("parameters")->items()[0];
    CHECK(param.find("$ref")->text() == "#/components/parameters/limit");
    CHECK(v1.resolve(param).find("name")->text() == "limit");
    // ...a ref to another file now points at it from the output folder...
    const node* err_schema = get.find("responses")->find("default")->find("content")->find("application/json")->find("schema");
    std::string expected_rel =
        (std::filesystem::path(SPECBOUND_LOADER_DATA) / "merge/models/error.yaml")
            .lexically_normal()
            .lexically_relative(std::filesystem::absolute(out.path / "gen").lexically_normal())
            .generic_string();
    CHECK(err_schema->find("$ref")->text() == expected_rel + "#/Error");
    CHECK(v1.resolve(*err_schema).find("type")->text() == "object");
    // ...and refs in shared files too.
    const node& error = *r1.find("components")->find("schemas")->find("Error");
    CHECK(error.find("$ref")->text() == expected_rel + "#/Error");
    CHECK(v1.resolve(error).find("properties")->find("message") != nullptr);

    document_set v2(v2_path);
    const node& r2 = v2.root();
    CHECK(r2.find("openapi")->text() == "3.1.0");
    // /pets merged from two files: get from pets.yaml, post from owners.yaml.
    const node& pets = *r2.find("paths")->find("/pets");
    REQUIRE(pets.members().size() == 2);
    CHECK(pets.members()[0].key == "get");
    CHECK(pets.members()[1].key == "post");
    CHECK(r2.find("paths")->members().size() == 3);
    // components merged by name across shared/components.yaml and v2/owners.yaml.
    const node& schemas = *r2.find("components")->find("schemas");
    REQUIRE(schemas.members().size() == 3);
    CHECK(schemas.members()[2].key == "Owner");
    // tags merged by name: the same tag twice is one.
    const node& tags = *r2.find("tags");
    REQUIRE(tags.items().size() == 2);
    CHECK(tags.items()[0]->find("name")->text() == "pets");
    CHECK(tags.items()[1]->find("name")->text() == "owners");
    CHECK(v1_text.find("listOwners") == std::string::npos);
    CHECK(v2_text.find("listOwners") != std::string::npos);
}

TEST_CASE("merge_versions gives the same text merge_sections writes", "[loader][merge]")
{
    loader_test::temp_dir out("merge-mem");
    auto merged = merge_versions(data("merge/versions.yaml"), out.path);
    REQUIRE(merged.size() == 2);
    CHECK(merged[0].first == "v1");
    CHECK(merged[1].first == "v2");
    merge_sections(data("merge/versions.yaml"), out.path);
    CHECK(loader_test::read_text(out.path / "v2.json") == merged[1].second);
}

TEST_CASE("a path+method defined twice differently is a conflict naming both places; nothing is written",
          "[loader][merge]")
{
    loader_test::temp_dir out("merge-conflict");
    auto d = error_of([&] { merge_sections(data("merge/conflict/versions.yaml"), out.path / "gen"); });
    CHECK_THAT(d.message, Catch::Contains("conflicting definitions of /paths/~1pets/get"));
    // Places are relative to the config's folder; a mapping starts at its first key.
    CHECK_THAT(d.message, Catch::EndsWith("other_pets.yaml:4:7 and ../v2/pets.yaml:7:7"));
    CHECK(d.where.file->display == "../v2/pets.yaml");
    CHECK(d.where.line == 7);
    CHECK(d.pointer == "/paths/~1pets/get");
    // v1 merged fine, but nothing at all is written when any version fails.
    CHECK_FALSE(std::filesystem::exists(out.path / "gen"));
}

TEST_CASE("a component defined twice differently is a conflict", "[loader][merge]")
{
    loader_test::temp_dir out("merge-component");
    auto d = error_of([&] { merge_sections(data("merge/conflict/component.yaml"), out.path); });
    CHECK_THAT(d.message, Catch::Contains("conflicting definitions of /components/schemas/Pet"));
    CHECK_THAT(d.message, Catch::Contains("shared/components.yaml:4:7"));
    CHECK(d.where.file->display == "pet_again.yaml");
    CHECK(std::filesystem::is_empty(out.path));
}

TEST_CASE("a local ref that names nothing in the merged document is an error", "[loader][merge]")
{
    loader_test::temp_dir out("merge-dangling");
    auto d = error_of([&] { merge_sections(data("merge/conflict/dangling.yaml"), out.path); });
    CHECK_THAT(d.message, Catch::Contains("'#/components/schemas/Thing' names nothing in the merged document"));
    CHECK(d.where.file->display == "dangling_ref.yaml");
    CHECK(d.where.line == 10);
    CHECK(std::filesystem::is_empty(out.path));
}

TEST_CASE("bad merge configs are clear errors", "[loader][merge]")
{
    loader_test::temp_dir dir("merge-config");
    auto bad_name = dir.write("a.yaml", "versions:\n  ../v1: [x.yaml]\n");
    CHECK_THAT(error_of([&] { (void)merge_versions(bad_name, dir.path); }).message,
               Catch::Contains("not usable as a file name"));
    auto no_list = dir.write("b.yaml", "versions:\n  v1: x.yaml\n");
    CHECK_THAT(error_of([&] { (void)merge_versions(no_list, dir.path); }).message,
               Catch::Contains("must list its section files"));
    auto unknown = dir.write("c.yaml", "version:\n  v1: [x.yaml]\n");
    CHECK_THAT(error_of([&] { (void)merge_versions(unknown, dir.path); }).message,
               Catch::Contains("unknown merge config key 'version'"));
    auto missing = dir.write("d.yaml", "versions:\n  v1: [nope.yaml]\n");
    auto m = error_of([&] { (void)merge_versions(missing, dir.path); });
    CHECK_THAT(m.message, Catch::Contains("cannot read file 'nope.yaml'"));
    CHECK(m.where.line == 2);
    dir.write("list.yaml", "- a\n");
    auto not_map = dir.write("e.yaml", "versions:\n  v1: [list.yaml]\n");
    CHECK_THAT(error_of([&] { (void)merge_versions(not_map, dir.path); }).message,
               Catch::Contains("must be a mapping"));
}

TEST_CASE("a path item given as a $ref in one file and inline in another is a conflict", "[loader][merge]")
{
    loader_test::temp_dir out("merge-ref-item");
    auto d = error_of([&] { (void)merge_versions(data("merge/conflict/ref_item.yaml"), out.path); });
    CHECK_THAT(d.message, Catch::Contains("conflicting definitions of /paths/~1pets"));
    CHECK(d.where.file->display == "ref_item_pets.yaml");
}

TEST_CASE("on error, existing output files are left untouched", "[loader][merge]")
{
    loader_test::temp_dir out("merge-keep");
    out.write("v1.json", "old v1\n");
    (void)error_of([&] { merge_sections(data("merge/conflict/versions.yaml"), out.path); });
    CHECK(loader_test::read_text(out.path / "v1.json") == "old v1\n");
    CHECK(std::distance(std::filesystem::directory_iterator(out.path), std::filesystem::directory_iterator()) == 1);
    // A successful merge replaces it.
    merge_sections(data("merge/versions.yaml"), out.path);
    CHECK(loader_test::read_text(out.path / "v1.json") != "old v1\n");
}
