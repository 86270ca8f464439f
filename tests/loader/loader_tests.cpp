// Loading YAML and JSON into nodes: scalars, positions, anchors, errors, to_json.
#include "support/test_inputs.hpp"
#include "test_support.hpp"

#include <string>

using namespace specbound::gen;
using loader_test::data;
using loader_test::error_of;

namespace {

const node& at(const node& n, std::string_view key)
{
    const node* v = n.find(key);
    REQUIRE(v != nullptr);
    return *v;
}

} // namespace

TEST_CASE("YAML scalars keep text and quoting; plain ones follow the core schema", "[loader][yaml]")
{
    document_set docs(data("scalars.yaml"));
    const node& r = docs.root();
    REQUIRE(r.is_mapping());

    CHECK(at(r, "t").as_bool() == true);
    CHECK_FALSE(at(r, "t").is_string());
    CHECK(at(r, "ts").text() == "true");
    CHECK(at(r, "ts").quoted());
    CHECK_FALSE(at(r, "ts").as_bool().has_value());
    CHECK(at(r, "ts").is_string());

    CHECK(at(r, "n").as_int() == 123);
    CHECK(at(r, "n").as_number() == 123.0);
    CHECK_FALSE(at(r, "ns").as_int().has_value());
    CHECK(at(r, "ns").is_string());
    CHECK(at(r, "ns").text() == "123");

    CHECK(at(r, "f").as_number() == 1.5);
    CHECK_FALSE(at(r, "f").as_int().has_value());
    CHECK(at(r, "neg").as_int() == -7);
    CHECK(at(r, "hex").as_int() == 31);
    CHECK(at(r, "oct").as_int() == 15);
    CHECK(at(r, "inf").as_number() == std::numeric_limits<double>::infinity());

    CHECK(at(r, "nul").is_null());
    CHECK(at(r, "tilde").is_null());
    CHECK(at(r, "empty").is_null());
    CHECK(at(r, "str").is_string());
    CHECK(at(r, "dotted").is_string());
    CHECK(at(r, "block").text() == "line one\nline two\n");
    CHECK(at(r, "block").quoted());
    CHECK(at(r, "tagged").text() == "42");
    CHECK(at(r, "tagged").quoted());
    CHECK_FALSE(at(r, "tagged").as_int().has_value());
}

TEST_CASE("mappings keep document order and 1-based positions", "[loader][yaml]")
{
    document_set docs(data("scalars.yaml"));
    const node& r = docs.root();
    auto ms = r.members();
    REQUIRE(ms.size() == 18);
    CHECK(ms[0].key == "t");
    CHECK(ms[1].key == "ts");
    CHECK(ms[17].key == "merge");
    CHECK(at(r, "t").where().line == 1);
    CHECK(at(r, "t").where().column == 4);
    CHECK(at(r, "n").where().line == 3);
    CHECK(at(r, "anchors").where().line == 20); // a block mapping starts at its first key
    CHECK(at(r, "anchors").where().column == 3);
    CHECK(at(r, "t").where().file == &docs.root_file());
    CHECK(docs.root_file().display == "scalars.yaml");
}

TEST_CASE("anchors and aliases share the anchored node; merge keys are ignored with a warning", "[loader][yaml]")
{
    document_set docs(data("scalars.yaml"));
    const node& anchors = at(docs.root(), "anchors");
    const node& base = at(anchors, "base");
    CHECK(&at(anchors, "copy") == &base);
    REQUIRE(at(anchors, "list").items().size() == 2);
    CHECK(at(anchors, "list").items()[0] == &base);
    CHECK(at(anchors, "list").items()[1] == &base);
    CHECK(at(base, "maxLength").as_int() == 5);
    // An aliased node keeps the place of its anchor.
    CHECK(at(anchors, "copy").pointer() == "/anchors/base");

    const node& merge = at(docs.root(), "merge");
    CHECK(merge.members().size() == 1);
    CHECK(merge.find("<<") == nullptr);
    CHECK(at(merge, "extra").as_int() == 1);
    REQUIRE(docs.warnings().size() == 1);
    CHECK(docs.warnings()[0].level == diagnostic::severity::warning);
    CHECK(docs.warnings()[0].where.line == 26);
    CHECK(docs.warnings()[0].format() ==
          "scalars.yaml:26:3: warning: YAML merge key '<<' is not supported and was ignored [at /merge]");
}

TEST_CASE("an alias bomb is rejected, not expanded", "[loader][yaml]")
{
    loader_test::temp_dir dir("bomb");
    std::string text = "a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n";
    for (int i = 1; i < 10; ++i) {
        // Appended piece by piece: GCC 12 at -O3 warns falsely (-Wrestrict, GCC bug 105329) about
        // `"literal" + std::string` here.
        const std::string prev = std::string("*a").append(std::to_string(i - 1));
        const std::string name = std::string("a").append(std::to_string(i));
        text.append(name).append(": &").append(name).append(" [");
        for (int j = 0; j < 10; ++j)
            text += prev + (j < 9 ? ", " : "]\n");
    }
    auto p = dir.write("bomb.yaml", text);
    auto d = error_of([&] { document_set docs(p); });
    CHECK_THAT(d.message, Catch::Contains("alias bomb"));
    CHECK(d.where.line == 5); // a4's aliases take the file past max_alias_expansion (100,000 nodes)
}

TEST_CASE("a recursive or unknown alias is an error", "[loader][yaml]")
{
    loader_test::temp_dir dir("alias");
    auto rec = dir.write("rec.yaml", "a: &x\n  b: *x\n");
    auto d = error_of([&] { document_set docs(rec); });
    CHECK_THAT(d.message, Catch::Contains("refers to a node that contains it"));
    CHECK(d.where.line == 2);
    CHECK(d.where.column == 6);
    auto unknown = dir.write("unknown.yaml", "a: 1\nb: *nope\n");
    auto d2 = error_of([&] { document_set docs(unknown); });
    CHECK(d2.where.line == 2);
}

TEST_CASE("YAML syntax errors carry libyaml's problem and position", "[loader][yaml]")
{
    auto d = error_of([] { document_set docs(data("errors/syntax_error.yaml")); });
    CHECK(d.level == diagnostic::severity::error);
    CHECK(d.where.file != nullptr);
    CHECK(d.where.line == 5);
    CHECK(d.where.column == 8);
    CHECK_THAT(d.message, Catch::Contains("YAML syntax error"));
    CHECK_THAT(d.message, Catch::Contains("did not find expected ',' or ']'"));
    CHECK_THAT(d.format(), Catch::StartsWith("syntax_error.yaml:5:8: error: YAML syntax error"));
}

TEST_CASE("duplicate keys are errors with both places", "[loader]")
{
    auto y = error_of([] { document_set docs(data("errors/duplicate.yaml")); });
    CHECK(y.where.line == 5);
    CHECK(y.where.column == 3);
    CHECK(y.pointer == "/b/x");
    CHECK(y.message == "duplicate key 'x' (first defined at 3:3)");

    auto j = error_of([] { document_set docs(data("errors/duplicate.json")); });
    CHECK(j.where.line == 3);
    CHECK(j.where.column == 17);
    CHECK(j.pointer == "/b/x");
    CHECK(j.message == "duplicate key 'x' (first defined at 3:9)");
}

TEST_CASE("duplicate keys are found in big mappings too", "[loader]")
{
    loader_test::temp_dir dir("bigdup");
    std::string text = "{\n";
    for (int i = 0; i < 100; ++i)
        text += "  \"k" + std::to_string(i) + "\": " + std::to_string(i) + ",\n";
    text += "  \"k42\": 0\n}\n";
    auto d = error_of([&] { document_set docs(dir.write("big.json", text)); });
    CHECK(d.message == "duplicate key 'k42' (first defined at 44:3)");
    CHECK(d.where.line == 102);
}

TEST_CASE("JSON files are parsed with positions; numbers keep their text", "[loader][json]")
{
    document_set docs(data("scalars.json"));
    const node& r = docs.root();
    REQUIRE(r.is_mapping());
    CHECK(r.members().size() == 10);
    CHECK(at(r, "t").as_bool() == true);
    CHECK(at(r, "ts").quoted());
    CHECK(at(r, "ts").text() == "true");
    CHECK(at(r, "n").as_int() == 123);
    CHECK_FALSE(at(r, "n").quoted());
    CHECK(at(r, "ns").is_string());
    CHECK(at(r, "big").text() == "18446744073709551616");
    CHECK_FALSE(at(r, "big").as_int().has_value());
    CHECK(at(r, "big").as_number().has_value());
    CHECK(at(r, "f").text() == "-1.5e-3");
    CHECK(at(r, "f").as_number() == Approx(-0.0015));
    CHECK(at(r, "nul").is_null());
    CHECK(at(r, "esc").text() == "tab\there \"q\" \\ A");
    const node& arr = at(r, "arr");
    REQUIRE(arr.items().size() == 3);
    CHECK(arr.items()[1]->items()[1]->find("k")->text() == "v");
    CHECK(arr.items()[1]->items()[1]->find("k")->pointer() == "/arr/1/1/k");
    CHECK(arr.items()[2]->is_sequence());
    CHECK(at(r, "obj").is_mapping());

    CHECK(at(r, "t").where().line == 1);
    CHECK(at(r, "t").where().column == 7);
    CHECK(at(r, "nul").where().line == 2);
    CHECK(at(r, "nul").where().column == 9);
    CHECK(at(r, "arr").where().column == 58);
    CHECK(r.where().line == 1);
    CHECK(r.where().column == 1);
}

TEST_CASE("JSON syntax errors name line and column", "[loader][json]")
{
    auto d = error_of([] { document_set docs(data("errors/syntax_error.json")); });
    CHECK_THAT(d.message, Catch::StartsWith("JSON syntax error"));
    CHECK(d.where.line == 3);
    CHECK(d.where.column == 8);
}

TEST_CASE("YAML flow style starting with '{' is not mistaken for JSON", "[loader]")
{
    loader_test::temp_dir dir("flow");
    document_set docs(dir.write("flow.yaml", "{a: 1, b: [x, y]}\n"));
    CHECK(docs.root().find("a")->as_int() == 1);
    CHECK(docs.root().find("b")->items().size() == 2);
}

TEST_CASE("empty files, several documents, non-scalar keys", "[loader]")
{
    loader_test::temp_dir dir("misc");
    document_set empty(dir.write("empty.yaml", ""));
    CHECK(empty.root().is_null());

    auto two = error_of([&] { document_set docs(dir.write("two.yaml", "a: 1\n---\nb: 2\n")); });
    CHECK_THAT(two.message, Catch::Contains("only one YAML document"));
    CHECK(two.where.line == 2);

    auto key = error_of([&] { document_set docs(dir.write("key.yaml", "? [a, b]\n: 1\n")); });
    CHECK_THAT(key.message, Catch::Contains("mapping keys must be"));

    auto missing = error_of([&] { document_set docs(dir.path / "nope.yaml"); });
    CHECK_THAT(missing.message, Catch::Contains("cannot read file"));
    CHECK_THAT(missing.message, Catch::Contains("no such file"));

    auto deep = error_of([&] { document_set docs(dir.write("deep.json", std::string(2000, '[') + std::string(2000, ']'))); });
    CHECK_THAT(deep.message, Catch::Contains("JSON syntax error"));
    auto deep_yaml = error_of([&] { document_set docs(dir.write("deep.yaml", "a: " + std::string(2000, '[') + std::string(2000, ']'))); });
    CHECK_THAT(deep_yaml.message, Catch::Contains("nesting deeper"));
}

TEST_CASE("node::pointer escapes '~' and '/'", "[loader]")
{
    document_set docs(data("refs/root.yaml"));
    const node& schemas = *docs.root().find("components")->find("schemas");
    CHECK(schemas.find("a/b")->pointer() == "/components/schemas/a~1b");
    CHECK(schemas.find("m~n")->pointer() == "/components/schemas/m~0n");
    CHECK(docs.root().pointer().empty());
    CHECK(docs.root().find("paths")->find("/pets")->pointer() == "/paths/~1pets");
}

TEST_CASE("diagnostic::format", "[loader]")
{
    source_file f{"/x/y.yaml", "y.yaml"};
    diagnostic d;
    d.where = {&f, 3, 7};
    d.pointer = "/a~1b";
    d.message = "bad thing";
    CHECK(d.format() == "y.yaml:3:7: error: bad thing [at /a~1b]");
    d.level = diagnostic::severity::warning;
    d.pointer.clear();
    CHECK(d.format() == "y.yaml:3:7: warning: bad thing");
    d.where = {};
    CHECK(d.format() == "warning: bad thing");
    spec_error e(d);
    CHECK(std::string(e.what()) == "warning: bad thing");
}

TEST_CASE("to_json writes valid, deterministic JSON", "[loader][json]")
{
    document_set docs(data("scalars.json"));
    std::string once = to_json(docs.root());
    CHECK(once == to_json(docs.root()));
    CHECK_THAT(once, Catch::Contains("\"big\": 18446744073709551616"));
    CHECK_THAT(once, Catch::Contains("\"esc\": \"tab\\there \\\"q\\\" \\\\ A\""));
    CHECK_THAT(once, Catch::Contains("\"obj\": {}"));

    // Round trip: the written JSON loads back to the same text.
    loader_test::temp_dir dir("tojson");
    document_set again(dir.write("again.json", once));
    CHECK(to_json(again.root()) == once);

    // YAML plain scalars become JSON values by the core schema.
    document_set yaml(data("scalars.yaml"));
    const node& r = yaml.root();
    CHECK(to_json(*r.find("hex")) == "31\n");
    CHECK(to_json(*r.find("ns")) == "\"123\"\n");
    CHECK(to_json(*r.find("t")) == "true\n");
    CHECK(to_json(*r.find("dotted")) == "\"1.2.3\"\n");
    CHECK(to_json(*r.find("empty")) == "null\n");
    auto inf = error_of([&] { (void)to_json(*r.find("inf")); });
    CHECK(inf.where.line == 9);
}

TEST_CASE("invalid UTF-8 is an error in YAML and in JSON", "[loader]")
{
    loader_test::temp_dir dir("utf8");
    auto y = error_of([&] { document_set docs(dir.write("bad.yaml", "a: 1\nb: \"x\xff\xfey\"\n")); });
    CHECK_THAT(y.message, Catch::Contains("YAML syntax error"));
    auto j = error_of([&] { document_set docs(dir.write("bad.json", "{\"a\": \"x\xff\xfey\"}")); });
    CHECK_THAT(j.message, Catch::Contains("JSON syntax error"));
    CHECK(j.where.line == 1);
}

TEST_CASE("a diagnostic outlives its document_set", "[loader]")
{
    diagnostic d = error_of([] { document_set docs(data("errors/duplicate.yaml")); });
    REQUIRE(d.where.file != nullptr);
    CHECK(d.format() == "duplicate.yaml:5:3: error: duplicate key 'x' (first defined at 3:3) [at /b/x]");
}

namespace {

// Every node of a JSON file sits where its token starts: '{', '[', '"', or the literal itself.
void check_json_positions(const std::filesystem::path& file)
{
    document_set docs(file);
    std::string text = loader_test::read_text(file);
    std::vector<std::size_t> starts{0};
    for (std::size_t i = 0; i < text.size(); ++i)
        if (text[i] == '\n')
            starts.push_back(i + 1);
    std::vector<const node*> stack{&docs.root()};
    std::size_t checked = 0;
    while (!stack.empty()) {
        const node* n = stack.back();
        stack.pop_back();
        REQUIRE(n->where().line >= 1);
        REQUIRE(n->where().line <= starts.size());
        std::size_t offset = starts[n->where().line - 1] + n->where().column - 1;
        REQUIRE(offset < text.size());
        std::string_view at(text.data() + offset, text.size() - offset);
        switch (n->type()) {
        case node::kind::mapping: REQUIRE(at.front() == '{'); break;
        case node::kind::sequence: REQUIRE(at.front() == '['); break;
        case node::kind::null: REQUIRE(at.starts_with("null")); break;
        case node::kind::scalar:
            if (n->quoted())
                REQUIRE(at.front() == '"');
            else
                REQUIRE(at.starts_with(n->text()));
            break;
        }
        ++checked;
        for (const member& m : n->members())
            stack.push_back(m.value);
        for (const node* i : n->items())
            stack.push_back(i);
    }
    CHECK(checked > 10);
}

} // namespace

TEST_CASE("JSON node positions point at their tokens, escapes and all", "[loader][json]")
{
    check_json_positions(data("scalars.json"));
    check_json_positions(data("refs/models/owner.json"));
    loader_test::temp_dir dir("positions");
    std::string text = "[\n";
    for (int i = 0; i < 50; ++i)
        text += "  {\"k\\\"" + std::to_string(i) + "\": \"v\\\\\\\"\\n\\u00e9" + std::to_string(i) +
                "\", \"n\": [-1.5e+3, 0, true, false, null, {}, []]},\n";
    text += "  \"\\\\\"\n]\n";
    check_json_positions(dir.write("escapes.json", text));
}

TEST_CASE("GitHub's JSON description: positions of every node", "[loader][json][github]")
{
    if (!specbound::test::have_test_input(SPECBOUND_GITHUB_SPEC, "GitHub's description"))
        return;
    check_json_positions(SPECBOUND_GITHUB_SPEC);
}
