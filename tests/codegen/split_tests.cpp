// Operation headers stay small whatever the spec's tagging: a group (a tag, or `default` for the
// untagged operations) of more than max_operations_per_header operations is split by path
// (codegen/model_headers.cpp), and the group's header includes its parts. Checked structurally on
// the generated files: which operations a TU that calls one of them includes.
#include "generate.hpp"
#include "model_builder.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <cstddef>
#include <filesystem>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

using namespace specbound::gen;

namespace {

// The shape of benchmarks/compile_cost/untagged_spec.sh: `count` untagged operations, ten per
// resource /v1/resource_<k> (list, create, get, update, delete and five on sub-paths).
std::string untagged_spec(std::size_t count, bool tagged = false)
{
    std::string out = "openapi: 3.0.3\ninfo: {title: Untagged, version: \"1.0\"}\npaths:\n";
    std::string schemas = "components:\n  schemas:\n";
    const char* const tag = tagged ? "      tags: [everything]\n" : "";
    std::size_t made = 0;
    for (std::size_t k = 0; made < count; ++k) {
        const std::string r = "resource_" + std::to_string(k);
        const std::string ref = "{$ref: \"#/components/schemas/Resource" + std::to_string(k) + "\"}";
        const std::string one = "      responses: {\"200\": {description: ok, content: {application/json: {schema: " + ref + "}}}}\n";
        const std::string id = "      parameters: [{name: id, in: path, required: true, schema: {type: string}}]\n";
        const std::string body = "      requestBody: {required: true, content: {application/json: {schema: " + ref + "}}}\n";
        struct entry { std::string path, method, op, extra; };
        const std::vector<entry> ops{
            {"/v1/" + r, "get", "list_" + r, ""},
            {"/v1/" + r, "post", "create_" + r, body},
            {"/v1/" + r + "/{id}", "get", "get_" + r, id},
            {"/v1/" + r + "/{id}", "post", "update_" + r, id + body},
            {"/v1/" + r + "/{id}", "delete", "delete_" + r, id},
            {"/v1/" + r + "/{id}/history", "get", "history_" + r, id},
            {"/v1/" + r + "/{id}/cancel", "post", "cancel_" + r, id},
            {"/v1/" + r + "/{id}/notes", "get", "notes_" + r, id},
            {"/v1/" + r + "/{id}/notes", "post", "add_note_" + r, id + body},
            {"/v1/" + r + "/search", "get", "search_" + r, ""}};
        std::string last;
        for (const entry& e : ops) {
            if (made == count)
                break;
            ++made;
            if (e.path != last)
                out += "  " + e.path + ":\n";
            last = e.path;
            out += "    " + e.method + ":\n      operationId: " + e.op + "\n" + tag + e.extra + one;
        }
        schemas += "    Resource" + std::to_string(k) +
                   ":\n      type: object\n      required: [id]\n      properties:\n        id: {type: string}\n        amount: {type: integer}\n";
    }
    return out + schemas;
}

generation from_text(const std::string& yaml, const std::string& ns, const emit_options& options = {})
{
    auto files = std::make_unique<memory_files>();
    files->add("/spec.yaml", yaml);
    return generate("/spec.yaml", ns, std::move(files), options);
}

// Every generated file `file` (relative to the output folder) reaches through `#include "..."`.
std::set<std::string> closure(const file_map& files, const std::string& file)
{
    std::set<std::string> seen;
    std::vector<std::string> todo{file};
    while (!todo.empty()) {
        const std::string f = todo.back();
        todo.pop_back();
        if (!seen.insert(f).second)
            continue;
        const auto it = files.find(f);
        REQUIRE(it != files.end());
        const std::string& text = it->second;
        for (std::size_t at = text.find("#include \""); at != std::string::npos; at = text.find("#include \"", at + 1)) {
            const std::size_t from = at + 10;
            const std::string name = text.substr(from, text.find('"', from) - from);
            todo.push_back((std::filesystem::path(f).parent_path() / name).lexically_normal().generic_string());
        }
    }
    return seen;
}

std::size_t count_of(const std::string& text, const std::string& what)
{
    std::size_t n = 0;
    for (std::size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1))
        ++n;
    return n;
}

// Operations (descriptors) and request structs defined in the files `file` reaches.
std::size_t descriptors_reached(const file_map& files, const std::string& file)
{
    std::size_t n = 0;
    for (const std::string& f : closure(files, file))
        n += count_of(files.at(f), "static_assert(specbound::valid_descriptor<ops::");
    return n;
}

std::size_t requests_defined_reached(const file_map& files, const std::string& file)
{
    std::size_t n = 0;
    for (const std::string& f : closure(files, file))
        n += count_of(files.at(f), "_request {\n");
    return n;
}

const operation_model& operation(const api_model& api, const std::string& name)
{
    for (const operation_model& op : api.operations)
        if (op.name == name)
            return op;
    FAIL("no operation " << name);
    throw;
}

} // namespace

TEST_CASE("500 untagged operations: the header a one-operation TU includes defines a few", "[codegen][split]")
{
    const generation g = from_text(untagged_spec(500), "untagged");
    REQUIRE(g.api.operations.size() == 500);

    const operation_model& op = operation(g.api, "get_resource_7");
    CHECK(op.tag_header == "default_resource_7");
    CHECK(op.tag_group == "default");
    const std::string header = "untagged/ops/" + op.tag_header + ".hpp";
    // The ten operations of /v1/resource_7, nothing of the 490 others.
    CHECK(descriptors_reached(g.files, header) == 10);
    CHECK(requests_defined_reached(g.files, header) == 10);
    // Of the 50 models, only resource_7's: the files it reaches are the header and that model.
    CHECK(closure(g.files, header) == std::set<std::string>{header, "untagged/models/resource7.hpp"});

    // Its per-tag client has those ten operations' members and reaches nothing more than the header
    // (and api.hpp, for its constructors); the whole client (client.hpp) declares all 500.
    const std::string tag_client = "untagged/clients/" + op.tag_header + ".hpp";
    CHECK(closure(g.files, tag_client) ==
          std::set<std::string>{tag_client, "untagged/api.hpp", header, "untagged/models/resource7.hpp"});
    CHECK(count_of(g.files.at(tag_client), "return runtime_.async_call<ops::") == 2 * 10);
    CHECK(count_of(g.files.at(tag_client), "return runtime_.async_call<ops::get_resource_7>(") == 2);
    CHECK(count_of(g.files.at("untagged/client.hpp"), "return runtime_.async_call<ops::") == 2 * 500);

    // Every operations header holds at most the maximum; ops/default.hpp still holds them all
    // (through its parts) and names them all in operations::default_.
    std::size_t in_parts = 0;
    for (const auto& [file, text] : g.files)
        if (file.rfind("untagged/ops/", 0) == 0 && file != "untagged/ops/default.hpp") {
            const std::size_t n = count_of(text, "static_assert(specbound::valid_descriptor<ops::");
            CHECK(n <= detail::max_operations_per_header);
            in_parts += n;
        }
    CHECK(in_parts == 500);
    CHECK(descriptors_reached(g.files, "untagged/ops/default.hpp") == 500);
    CHECK(count_of(g.files.at("untagged/ops/default.hpp"), "    ops::") == 500);
    CHECK(g.files.at("untagged/untagged.hpp").find("#include \"ops/default.hpp\"") != std::string::npos);

    // The same spec generates the same files.
    CHECK(from_text(untagged_spec(500), "untagged").files == g.files);
}

TEST_CASE("a group at the maximum is not split; one over it is", "[codegen][split]")
{
    const std::size_t max = detail::max_operations_per_header;
    const generation at = from_text(untagged_spec(max), "untagged");
    for (const operation_model& op : at.api.operations) {
        CHECK(op.tag_header == "default");
        CHECK(op.tag_group.empty());
    }
    CHECK(count_of(at.files.at("untagged/ops/default.hpp"), "static_assert(specbound::valid_descriptor<ops::") == max);

    const generation over = from_text(untagged_spec(max + 1), "untagged");
    CHECK(operation(over.api, "list_resource_0").tag_header == "default_resource_0");
    CHECK(operation(over.api, "list_resource_5").tag_header == "default_resource_5");
}

TEST_CASE("a big tag is split by path too, and keeps its header", "[codegen][split]")
{
    // 120 operations of one tag on /v1/items/{p<k>}: the paths differ in their third segment.
    std::string spec = "openapi: 3.0.3\ninfo: {title: One, version: \"1\"}\npaths:\n";
    for (int k = 0; k < 120; ++k)
        spec += "  /v1/items/{p" + std::to_string(k) + "}:\n    get:\n      operationId: op_" + std::to_string(k) +
                "\n      tags: [items]\n      parameters: [{name: p" + std::to_string(k) +
                ", in: path, required: true, schema: {type: string}}]\n      responses: {\"204\": {description: ok}}\n";
    const generation g = from_text(spec, "one");
    CHECK(operation(g.api, "op_0").tag_header == "items_by_p0");
    CHECK(operation(g.api, "op_119").tag_header == "items_by_p119");
    CHECK(operation(g.api, "op_119").tag_group == "items");
    CHECK(descriptors_reached(g.files, "one/ops/items_by_p7.hpp") == 1);
    CHECK(descriptors_reached(g.files, "one/ops/items.hpp") == 120);
    CHECK(g.files.at("one/ops/items.hpp").find("using items = specbound::operation_list<") != std::string::npos);
}

TEST_CASE("--operation-sources: each operation compiled in exactly one source, declared extern where it is defined",
          "[codegen][split]")
{
    const generation plain = from_text(untagged_spec(500), "untagged");
    const generation g = from_text(untagged_spec(500), "untagged", emit_options{7});
    REQUIRE(g.api.operations.size() == 500);

    // Seven sources, nothing else added; the operations spread over them within one ops header's
    // size of each other (the headers hold 10 operations here).
    CHECK(g.files.size() == plain.files.size() + 7);
    std::vector<std::size_t> per_source;
    std::map<std::string, std::size_t> instantiated; // operation -> sources that instantiate it
    for (std::size_t i = 0; i < 7; ++i) {
        const std::string& source = g.files.at("untagged/operations_" + std::to_string(i) + ".cpp");
        per_source.push_back(count_of(source, "template struct specbound::detail::operation_codec<"));
        for (const operation_model& op : g.api.operations)
            if (source.find("operation_codec<untagged::ops::" + op.name + ">;") != std::string::npos)
                ++instantiated[op.name];
        // A source includes the ops headers it instantiates, and those reach no other operations.
        CHECK(descriptors_reached(g.files, "untagged/operations_" + std::to_string(i) + ".cpp") == per_source.back());
    }
    CHECK(*std::max_element(per_source.begin(), per_source.end()) - *std::min_element(per_source.begin(), per_source.end()) <= 10);
    REQUIRE(instantiated.size() == 500);
    for (const auto& [name, sources] : instantiated)
        CHECK(sources == 1);

    // Every ops header declares its own operations extern (so a caller compiles none of their
    // code), names the source that defines them, and differs from the plain header in nothing else.
    const operation_model& op = operation(g.api, "get_resource_7");
    const std::string header = "untagged/ops/" + op.tag_header + ".hpp";
    const std::string& text = g.files.at(header);
    CHECK(count_of(text, "extern template struct specbound::detail::operation_codec<untagged::ops::") == 10);
    CHECK(text.find("extern template struct specbound::detail::operation_codec<untagged::ops::get_resource_7>;") !=
          std::string::npos);
    std::size_t defined_in = 7;
    for (std::size_t i = 0; i < 7; ++i)
        if (g.files.at("untagged/operations_" + std::to_string(i) + ".cpp").find("operation_codec<untagged::ops::get_resource_7>;") !=
            std::string::npos)
            defined_in = i;
    REQUIRE(defined_in < 7);
    CHECK(text.find("Compiled once, in untagged/operations_" + std::to_string(defined_in) + ".cpp") != std::string::npos);
    std::string expected = plain.files.at(header);
    const std::string descriptor_include = "#include <specbound/descriptor.hpp>\n";
    expected.insert(expected.find(descriptor_include) + descriptor_include.size(),
                    "#include <specbound/detail/operation_codec.hpp>\n");
    CHECK(text.substr(0, text.find("\n// Compiled once")) == expected);
    // Deterministic: the same spec gives the same sources.
    CHECK(from_text(untagged_spec(500), "untagged", emit_options{7}).files == g.files);
}

namespace {

// `count` object schemas <prefix>0 ... each with four string fields and the next one (a chain).
std::string model_chain(const std::string& prefix, std::size_t count)
{
    std::string out;
    for (std::size_t i = 0; i < count; ++i) {
        out += "    " + prefix + std::to_string(i) + ":\n      type: object\n      properties:\n"
               "        a: {type: string}\n        b: {type: string}\n        c: {type: string}\n        d: {type: string}\n";
        if (i + 1 < count)
            out += "        next: {$ref: \"#/components/schemas/" + prefix + std::to_string(i + 1) + "\"}\n";
    }
    return out;
}

// A GET of tag `tag` at /<id> (its operationId `id`), answering `schema` (a component's name) or 204.
std::string tagged_get(const std::string& id, const std::string& tag, const std::string& schema = "")
{
    const std::string answer =
        schema.empty() ? "\"204\": {description: ok}"
                       : "\"200\": {description: ok, content: {application/json: {schema: {$ref: \"#/components/schemas/" +
                             schema + "\"}}}}";
    return "  /" + id + ": {get: {operationId: " + id + ", tags: [" + tag + "], responses: {" + answer + "}}}\n";
}

// The operations_<i>.cpp that includes ops/<header>.hpp, or `sources` when none does.
std::size_t source_of(const generation& g, const std::string& ns, const std::string& header, std::size_t sources)
{
    for (std::size_t i = 0; i < sources; ++i)
        if (g.files.at(ns + "/operations_" + std::to_string(i) + ".cpp").find("#include \"ops/" + header + ".hpp\"") !=
            std::string::npos)
            return i;
    return sources;
}

} // namespace

TEST_CASE("--operation-sources weighs headers by the models they compile, not by their operations' count",
          "[codegen][split]")
{
    SECTION("a header that decodes many models gets a source of its own; many cheap operations share the other")
    {
        // heavy: one operation reaching 20 models; light0..light3: three operations each, no model.
        // By count the heavy header (1 operation) would join two light ones (6 operations each side).
        std::string spec = "openapi: 3.0.3\ninfo: {title: Weights, version: \"1\"}\npaths:\n";
        spec += tagged_get("heavy_op", "heavy", "H0");
        for (int l = 0; l < 4; ++l)
            for (int k = 0; k < 3; ++k)
                spec += tagged_get("light_op_" + std::to_string(l) + "_" + std::to_string(k), "light" + std::to_string(l));
        spec += "components:\n  schemas:\n" + model_chain("H", 20);
        const generation g = from_text(spec, "weights", emit_options{2});
        const std::size_t heavy = source_of(g, "weights", "heavy", 2);
        REQUIRE(heavy < 2);
        for (int l = 0; l < 4; ++l)
            CHECK(source_of(g, "weights", "light" + std::to_string(l), 2) == 1 - heavy);
    }
    SECTION("a header goes where the models it decodes are compiled already, when that costs least")
    {
        // a_heavy answers A0 (a chain of 10), b_heavy B0 (another); c_part answers B5, the last
        // five of b_heavy's chain. By count c_part would go with a_heavy (the lowest index of a tie).
        std::string spec = "openapi: 3.0.3\ninfo: {title: Shared, version: \"1\"}\npaths:\n";
        spec += tagged_get("op_a", "a_heavy", "A0") + tagged_get("op_b", "b_heavy", "B0") + tagged_get("op_c", "c_part", "B5");
        spec += "components:\n  schemas:\n" + model_chain("A", 10) + model_chain("B", 10);
        const generation g = from_text(spec, "shared", emit_options{2});
        const std::size_t a = source_of(g, "shared", "a_heavy", 2);
        const std::size_t b = source_of(g, "shared", "b_heavy", 2);
        REQUIRE(a < 2);
        REQUIRE(b < 2);
        CHECK(a != b);
        CHECK(source_of(g, "shared", "c_part", 2) == b);
    }
}

TEST_CASE("per-tag clients: a C++ name of their own, never a keyword, a member's name or a name their body uses",
          "[codegen][split]")
{
    const std::string spec = "openapi: 3.0.3\ninfo: {title: Names, version: \"1\"}\npaths:\n"
                             "  /a: {get: {operationId: untagged_op, responses: {\"204\": {description: ok}}}}\n"
                             "  /b: {get: {operationId: pets, tags: [pets], responses: {\"204\": {description: ok}}}}\n"
                             "  /c: {get: {operationId: list_ops, tags: [ops], responses: {\"204\": {description: ok}}}}\n"
                             "  /d: {get: {operationId: get_api, tags: [api], responses: {\"204\": {description: ok}}}}\n"
                             "  /e: {get: {operationId: list_stores, tags: [stores], responses: {\"204\": {description: ok}}}}\n";
    const generation g = from_text(spec, "names");
    const auto class_of = [&](const std::string& header) {
        const std::string& text = g.files.at("names/clients/" + header + ".hpp");
        const std::size_t at = text.find("\nclass ");
        REQUIRE(at != std::string::npos);
        return text.substr(at + 7, text.find(' ', at + 7) - at - 7);
    };
    CHECK(class_of("default") == "default_client"); // a keyword
    CHECK(class_of("pets") == "pets_client");       // its member pets()
    CHECK(class_of("ops") == "ops_client");         // would hide names::ops
    CHECK(class_of("api") == "api_client");         // would hide names::api
    CHECK(class_of("stores") == "stores");
    // Each includes its own ops header and declares that header's operations only.
    CHECK(g.files.at("names/clients/stores.hpp").find("#include \"../ops/stores.hpp\"") != std::string::npos);
    CHECK(count_of(g.files.at("names/clients/stores.hpp"), "return runtime_.async_call<ops::") == 2);
    CHECK(count_of(g.files.at("names/clients/stores.hpp"), "return runtime_.async_call<ops::list_stores>(") == 2);
}
