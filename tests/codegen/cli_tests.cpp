// specbound-gen as a program: exit codes, messages, what it writes and what it leaves alone.
#include "generate.hpp"
#include "naming.hpp"
#include "support/shell.hpp"
#include "support/test_inputs.hpp"

#include <catch2/catch.hpp>

#include <sys/wait.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <sstream>
#include <string>
#include <thread>

namespace fs = std::filesystem;
using specbound::test::shell_quote;

namespace {

using run_result = specbound::test::command_result;

/// specbound-gen with `args`; output is its stdout and stderr.
run_result run(const std::string& args)
{
    return specbound::test::run_status(shell_quote(SPECBOUND_GEN_EXE) + " " + args + " 2>&1");
}

fs::path fresh_dir(const std::string& name)
{
    fs::path p = fs::path(SPECBOUND_TEST_TMP) / name;
    fs::remove_all(p);
    fs::create_directories(p);
    return p;
}

std::string read(const fs::path& p)
{
    std::ifstream in(p, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

std::map<std::string, std::string> snapshot(const fs::path& dir)
{
    std::map<std::string, std::string> out;
    for (const auto& e : fs::recursive_directory_iterator(dir))
        if (e.is_regular_file())
            out[fs::relative(e.path(), dir).generic_string()] = read(e.path());
    return out;
}

std::string spec(const std::string& name)
{
    return shell_quote(std::string(SPECBOUND_SPEC_DIR) + "/" + name);
}

std::string bad(const std::string& name)
{
    return shell_quote(std::string(SPECBOUND_BAD_SPEC_DIR) + "/" + name);
}

} // namespace

TEST_CASE("usage errors exit with 2", "[codegen][cli]")
{
    CHECK(run("").exit_code == 2);
    CHECK(run("--spec x.yaml --namespace ns").exit_code == 2);
    CHECK(run("--spec x.yaml --namespace ns --out").exit_code == 2);
    CHECK(run("--bogus").exit_code == 2);
    run_result r = run("--spec " + spec("petstore.yaml") + " --namespace class --out /tmp/unused");
    CHECK(r.exit_code == 2);
    CHECK(r.output.find("'class' is not a usable namespace name: it is a C++ keyword") != std::string::npos);
    CHECK(run("--spec " + spec("petstore.yaml") + " --namespace Bad-Name --out /tmp/unused").exit_code == 2);
    // The message gives the real reason: `api` is an identifier, but <ns>/<ns>.hpp would be api.hpp.
    r = run("--spec " + spec("petstore.yaml") + " --namespace api --out /tmp/unused");
    CHECK(r.exit_code == 2);
    CHECK(r.output.find("'api' is not a usable namespace name: the umbrella header api/api.hpp would be the "
                        "generated api.hpp (the API's description)") != std::string::npos);
    CHECK(r.output.find("snake_case") == std::string::npos);
    CHECK(run("merge --config").exit_code == 2);
    CHECK(run("--help").exit_code == 0);
    // --operation-sources: a count from 1 to 1000, refused before anything is read or written.
    for (const char* bad : {"0", "1001", "-3", "two", "4x", ""}) {
        r = run("--spec " + spec("petstore.yaml") + " --namespace petstore --out /tmp/unused --operation-sources '" + bad + "'");
        CHECK(r.exit_code == 2);
        CHECK(r.output.find("--operation-sources takes a count from 1 to 1000") != std::string::npos);
    }
    CHECK(run("--spec " + spec("petstore.yaml") + " --namespace petstore --out /tmp/unused --operation-sources").exit_code == 2);
}

TEST_CASE("namespace names: each refusal says why", "[codegen][cli]")
{
    using specbound::gen::namespace_problem;
    CHECK(namespace_problem("petstore").empty());
    CHECK(namespace_problem("v2_api").empty());
    CHECK(namespace_problem("") == "it is empty");
    CHECK(namespace_problem("Bad-Name") == "it is not a snake_case C++ identifier (lowercase letters and digits, "
                                           "words joined by one '_', starting with a letter); 'bad_name' would do");
    CHECK(namespace_problem("2go").find("not a snake_case C++ identifier") != std::string::npos);
    CHECK(namespace_problem("2go").find("would do") == std::string::npos); // '_2go' would not
    CHECK(namespace_problem("_2go").find("not a snake_case C++ identifier") != std::string::npos);
    CHECK(namespace_problem("std").find("C++ keyword") != std::string::npos);
    CHECK(namespace_problem("client").find("client/client.hpp would be the generated client.hpp") != std::string::npos);
    CHECK(namespace_problem("ops").find("<ns>::ops") != std::string::npos);
    CHECK(namespace_problem("models").find("<ns>/models/") != std::string::npos);
    CHECK(namespace_problem("detail").find("specbound::detail") != std::string::npos);
    CHECK(namespace_problem(std::string(251, 'n')).empty());
    CHECK(namespace_problem(std::string(252, 'n')).find("file name limit of 255 bytes") != std::string::npos);
}

TEST_CASE("bad specs: located error, exit 1, output untouched", "[codegen][cli]")
{
    struct bad_case {
        const char* file;
        const char* location; // file:line:column the message must start with
        const char* text;     // part of the message
    };
    const bad_case cases[] = {
        {"yaml_syntax.yaml", "yaml_syntax.yaml:8:1: error: ", "YAML syntax error"},
        {"dangling_ref.yaml", "dangling_ref.yaml:15:23: error: ", "'#/components/schemas/Missing'"},
        {"unknown_type.yaml", "unknown_type.yaml:12:17: error: ", "unknown type 'strin' [at /components/schemas/Thing/properties/name/type]"},
        {"duplicate_operation_id.yaml", "duplicate_operation_id.yaml:14:7: error: ", "duplicate operationId 'fetch' (first used at duplicate_operation_id.yaml:8) [at /paths/~1b/get]"},
        {"missing_responses.yaml", "missing_responses.yaml:9:7: error: ", "operation 'ping' has no 'responses' (required in OpenAPI 3.0; 3.1 may leave it out) [at /paths/~1ping/post]"},
        {"empty_parameter_name.yaml", "empty_parameter_name.yaml:10:17: error: ", "parameter 'name' is empty [at /paths/~1search/get/parameters/0/name]"},
        {"type_mapping.yaml", "type_mapping.yaml:14:13: error: ", "'type' must be a string (or, in 3.1, a list of strings), found a mapping (a property named 'type' belongs under 'properties') [at /components/schemas/Parcel/properties/weight/type]"},
        {"path_mismatch.yaml", "path_mismatch.yaml:8:7: error: ", "uses '{itemId}' but the operation has no path parameter 'itemId'"},
    };
    for (const bad_case& c : cases) {
        SECTION(c.file)
        {
            fs::path out = fresh_dir("bad_out");
            // A previous generation's output must survive a failed run unchanged.
            fs::create_directories(out / "bad" / "models");
            std::ofstream(out / "bad" / "models" / "old.hpp") << "// Generated by specbound-gen earlier\n";
            std::ofstream(out / "keep.txt") << "user file\n";
            auto before = snapshot(out);

            run_result r = run("--spec " + bad(c.file) + " --namespace bad --out " + shell_quote(out.string()));
            INFO(r.output);
            CHECK(r.exit_code == 1);
            CHECK(r.output.rfind(c.location, 0) == 0);
            CHECK(r.output.find(c.text) != std::string::npos);
            CHECK(snapshot(out) == before);
        }
    }
}

TEST_CASE("allOf parts that contradict each other: located warning, generated anyway", "[codegen][cli]")
{
    fs::path out = fresh_dir("allof_conflict");
    run_result r = run("--spec " + spec("fidelity_allof_merge.yaml") + " --namespace allof_merge --out " +
                       shell_quote(out.string()));
    INFO(r.output);
    CHECK(r.exit_code == 0);
    CHECK(r.output.find("fidelity_allof_merge.yaml:103:15: warning: impossible allOf: property 'id' is 'string' in one "
                        "part and 'integer' in another; this part's type is used "
                        "[at /components/schemas/LegacyDeployment/allOf/1/properties/id]") != std::string::npos);
    CHECK(fs::exists(out / "allof_merge" / "models" / "legacy_deployment.hpp"));
}

TEST_CASE("writes only changed files and removes stale generated ones", "[codegen][cli]")
{
    fs::path out = fresh_dir("incremental");
    run_result first = run("--spec " + spec("petstore.yaml") + " --namespace petstore --out " + shell_quote(out.string()) + " --quiet");
    REQUIRE(first.exit_code == 0);
    CHECK(first.output.empty());
    const fs::path pet = out / "petstore" / "models" / "pet.hpp";
    REQUIRE(fs::exists(pet));
    CHECK(fs::exists(out / "petstore" / "petstore.hpp"));
    CHECK(fs::exists(out / "petstore" / "client.hpp"));
    CHECK(fs::exists(out / "petstore" / "api.hpp"));
    CHECK(fs::exists(out / "petstore" / "ops" / "pets.hpp"));

    // A stale generated file is removed; a user's file without the marker is kept.
    std::ofstream(out / "petstore" / "models" / "gone.hpp") << "// Generated by specbound-gen from an older spec\n";
    std::ofstream(out / "petstore" / "notes.txt") << "mine\n";
    // Make the old timestamp distinguishable from a rewrite.
    auto old_time = fs::file_time_type::clock::now() - std::chrono::hours(1);
    fs::last_write_time(pet, old_time);
    auto snapshot_before = snapshot(out);

    run_result second = run("--spec " + spec("petstore.yaml") + " --namespace petstore --out " + shell_quote(out.string()) + " --quiet");
    REQUIRE(second.exit_code == 0);
    CHECK(fs::last_write_time(pet) == old_time);
    CHECK_FALSE(fs::exists(out / "petstore" / "models" / "gone.hpp"));
    CHECK(fs::exists(out / "petstore" / "notes.txt"));
    snapshot_before.erase("petstore/models/gone.hpp");
    CHECK(snapshot(out) == snapshot_before);

    // A changed file is rewritten.
    std::ofstream(pet, std::ios::trunc) << "// Generated by specbound-gen, edited by hand\n";
    REQUIRE(run("--spec " + spec("petstore.yaml") + " --namespace petstore --out " + shell_quote(out.string()) + " --quiet").exit_code == 0);
    CHECK(read(pet) == snapshot_before["petstore/models/pet.hpp"]);
}

TEST_CASE("--check compares a folder with what would be generated, writes nothing, and says what differs",
          "[codegen][cli][check]")
{
    const fs::path out = fresh_dir("check");
    const std::string generate = "--spec " + spec("petstore.yaml") + " --namespace petstore --out " +
                                 shell_quote(out.string()) + " --docs " + shell_quote((out / "docs").string()) + " --quiet";
    const std::string check = generate + " --check";

    // Nothing there yet: every file is missing, and --check creates none.
    run_result empty = run(check);
    CHECK(empty.exit_code == 1);
    CHECK(empty.output.find("petstore/client.hpp: missing") != std::string::npos);
    CHECK(empty.output.find("docs/petstore/README.md: missing") != std::string::npos);
    CHECK_FALSE(fs::exists(out / "petstore"));

    REQUIRE(run(generate).exit_code == 0);
    run_result same = run(check);
    CHECK(same.exit_code == 0);
    CHECK(same.output.empty());

    // An edited line: file, line, both texts, and the line counts.
    {
        std::string text = read(out / "petstore" / "client.hpp");
        const std::size_t at = text.find("class client {");
        REQUIRE(at != std::string::npos);
        text.replace(at, 14, "class client { // edited by hand");
        std::ofstream(out / "petstore" / "client.hpp", std::ios::binary | std::ios::trunc) << text;
    }
    // A file of ours that the spec no longer makes, and a file of the user's, which is not ours.
    std::ofstream(out / "petstore" / "ops" / "gone.hpp") << read(out / "petstore" / "api.hpp");
    std::ofstream(out / "petstore" / "notes.txt") << "mine\n";
    fs::remove(out / "petstore" / "models" / fs::directory_iterator(out / "petstore" / "models")->path().filename());
    const auto edited = snapshot(out);

    run_result drift = run(check);
    CHECK(drift.exit_code == 1);
    CAPTURE(drift.output);
    CHECK(drift.output.find("petstore/client.hpp:") != std::string::npos);
    CHECK(drift.output.find(": differs (") != std::string::npos);
    CHECK(drift.output.find("  generated: class client {") != std::string::npos);
    CHECK(drift.output.find("  found:     class client { // edited by hand") != std::string::npos);
    CHECK(drift.output.find("petstore/ops/gone.hpp: no longer generated") != std::string::npos);
    CHECK(drift.output.find("notes.txt") == std::string::npos);
    CHECK(drift.output.find(": missing (the generator makes it)") != std::string::npos);
    CHECK(drift.output.find("run specbound-gen without --check to update it") != std::string::npos);
    CHECK(snapshot(out) == edited); // --check wrote nothing

    // Docs are checked too.
    REQUIRE(run(generate).exit_code == 0);
    std::ofstream(out / "docs" / "petstore" / "README.md", std::ios::app) << "edited\n";
    run_result docs = run(check);
    CHECK(docs.exit_code == 1);
    CHECK(docs.output.find("docs/petstore/README.md:") != std::string::npos);
    CHECK(docs.output.find("(end of file)") != std::string::npos);
    REQUIRE(run(generate).exit_code == 0);
    CHECK(run(check).exit_code == 0);
}

TEST_CASE("generated file names up to 255 bytes are written; longer ones are shortened", "[codegen][cli]")
{
    fs::path dir = fresh_dir("long_names");
    const std::string fits(251, 'f');    // models/<fits>.hpp: a 255-byte file name
    const std::string too_long(300, 'l'); // shortened to 251 bytes + ".hpp"
    const std::string tag(260, 't');
    std::ofstream(dir / "spec.yaml") << "openapi: 3.0.3\ninfo: {title: Long names, version: '1'}\n"
                                        "paths:\n  /things:\n    get:\n      operationId: listThings\n"
                                        "      tags: [" << tag << "]\n"
                                        "      responses:\n        '200':\n          description: ok\n"
                                        "          content:\n            application/json:\n              schema:\n"
                                        "                $ref: '#/components/schemas/" << too_long << "'\n"
                                        "components:\n  schemas:\n    " << fits << ": {type: object, properties: {a: {type: string}}}\n"
                                        "    " << too_long << ": {type: object, properties: {b: {$ref: '#/components/schemas/" << fits << "'}}}\n";
    const fs::path out = dir / "out";
    run_result r = run("--spec " + shell_quote((dir / "spec.yaml").string()) + " --namespace names --out " +
                       shell_quote(out.string()) + " --docs " + shell_quote((dir / "docs").string()));
    INFO(r.output);
    REQUIRE(r.exit_code == 0);
    CHECK(fs::exists(out / "names" / "models" / (fits + ".hpp")));
    const std::string model_stem = specbound::gen::file_stem(too_long);
    CHECK(model_stem.size() == 251);
    CHECK(read(out / "names" / "models" / (model_stem + ".hpp")).find("struct " + too_long + " {") != std::string::npos);
    const std::string tag_stem = specbound::gen::file_stem(tag);
    CHECK(read(out / "names" / "ops" / (tag_stem + ".hpp")).find("#include \"../models/" + model_stem + ".hpp\"") !=
          std::string::npos);
    CHECK(fs::exists(dir / "docs" / "names" / (tag_stem + ".md")));
    // No temporary file is left behind.
    for (const auto& e : fs::recursive_directory_iterator(dir))
        CHECK(e.path().extension() != ".tmp");
}

TEST_CASE("depfile lists every loaded spec file", "[codegen][cli]")
{
    fs::path out = fresh_dir("depfile");
    fs::path dep = out / "gen.d";
    run_result r = run("--spec " + spec("multifile/root.yaml") + " --namespace multifile --out " + shell_quote(out.string()) +
                       " --depfile " + shell_quote(dep.string()));
    INFO(r.output);
    REQUIRE(r.exit_code == 0);
    // Warnings print without --quiet.
    CHECK(r.output.find("warning: operation object is a $ref") != std::string::npos);
    std::string text = read(dep);
    CHECK(text.rfind((out / "multifile" / "multifile.hpp").string() + ":", 0) == 0);
    for (const char* f : {"root.yaml", "paths/users.yaml", "paths/user_get.yaml", "schemas/user.yaml", "schemas/address.yaml",
                          "schemas/error.yaml", "shared/parameters.yaml", "shared/pages.yaml", "shared/responses.yaml", "shared/enums.yaml"})
        CHECK(text.find(std::string(SPECBOUND_SPEC_DIR) + "/multifile/" + f) != std::string::npos);
}

TEST_CASE("depfile escapes make's special characters", "[codegen][cli]")
{
    std::string d = specbound::gen::make_depfile("out dir/a.hpp", {"/x y/spec.yaml", "/p/$q#.yaml"});
    CHECK(d == "out\\ dir/a.hpp: \\\n  /x\\ y/spec.yaml \\\n  /p/$$q\\#.yaml\n");
}

TEST_CASE("merge subcommand writes one spec per version", "[codegen][cli]")
{
    fs::path out = fresh_dir("merge");
    run_result r = run("merge --config " + spec("sections/merge.yaml") + " --out " + shell_quote(out.string()));
    INFO(r.output);
    REQUIRE(r.exit_code == 0);
    CHECK(fs::exists(out / "v1.json"));
    CHECK(fs::exists(out / "v2.json"));
    fs::path gen = out / "gen";
    REQUIRE(run("--spec " + shell_quote((out / "v2.json").string()) + " --namespace sections --out " + shell_quote(gen.string())).exit_code == 0);
    CHECK(fs::exists(gen / "sections" / "ops" / "owners.hpp"));
    CHECK(run("merge --config " + bad("yaml_syntax.yaml") + " --out " + shell_quote(out.string())).exit_code == 1);
}

TEST_CASE("--docs writes markdown reference docs", "[codegen][cli][docs]")
{
    fs::path out = fresh_dir("docs");
    run_result r = run("--spec " + spec("petstore.yaml") + " --namespace petstore --out " + shell_quote((out / "gen").string()) +
                       " --docs " + shell_quote((out / "docs").string()) + " --quiet");
    INFO(r.output);
    REQUIRE(r.exit_code == 0);
    std::string pets = read(out / "docs" / "petstore" / "pets.md");
    CHECK(pets.rfind("<!-- Generated by specbound-gen", 0) == 0);
    CHECK(pets.find("## show_pet_by_id") != std::string::npos);
    CHECK(pets.find("`GET /pets/{petId}`") != std::string::npos);
    CHECK(pets.find("co_await api.show_pet_by_id(request)") != std::string::npos);
    CHECK(pets.find("| `pet_id` | `std::int64_t` | path | `petId` | yes |") != std::string::npos);
    CHECK(pets.find("Per-tag client `petstore::clients::pets` (`#include <petstore/clients/pets.hpp>`)") != std::string::npos);
    CHECK(read(out / "docs" / "petstore" / "default.md").find("Per-tag client `petstore::clients::default_client`") !=
          std::string::npos);
    std::string models = read(out / "docs" / "petstore" / "models.md");
    CHECK(models.find("| `photo_urls` | `std::optional<std::vector<std::string>>`") == std::string::npos); // types are spelled without optional
    CHECK(models.find("| `photo_urls` | `std::vector<std::string>` | `photoUrls` | no |") != std::string::npos);
    CHECK(fs::exists(out / "docs" / "petstore" / "README.md"));

    // Docs in the output folder itself: neither set of files removes the other as stale.
    fs::path same = fresh_dir("docs_same");
    REQUIRE(run("--spec " + spec("petstore.yaml") + " --namespace petstore --out " + shell_quote(same.string()) + " --docs " +
                shell_quote(same.string()) + " --quiet")
                .exit_code == 0);
    CHECK(fs::exists(same / "petstore" / "pets.md"));
    CHECK(fs::exists(same / "petstore" / "models" / "pet.hpp"));
}

TEST_CASE("examples writes one example request per operation, or nothing on a bad spec", "[codegen][cli][examples]")
{
    const fs::path dir = fs::path(SPECBOUND_TEST_TMP) / "cli_examples";
    fs::remove_all(dir);
    fs::create_directories(dir);
    const fs::path out = dir / "petstore.json";

    run_result ok = run("examples --spec " + shell_quote(std::string(SPECBOUND_SPEC_DIR) + "/petstore.yaml") + " --out " +
                        shell_quote(out.string()));
    CHECK(ok.exit_code == 0);
    REQUIRE(fs::exists(out));
    std::ifstream in(out);
    std::stringstream text;
    text << in.rdbuf();
    CHECK(text.str().find("\"showPetById\"") != std::string::npos);

    const fs::path bad_out = dir / "bad.json";
    run_result bad = run("examples --spec " + shell_quote(std::string(SPECBOUND_BAD_SPEC_DIR) + "/dangling_ref.yaml") +
                         " --out " + shell_quote(bad_out.string()));
    CHECK(bad.exit_code == 1);
    CHECK(bad.output.find("error:") != std::string::npos);
    CHECK_FALSE(fs::exists(bad_out));

    CHECK(run("examples --spec").exit_code == 2);
}

// The largest public description: 13 MB of JSON, 1,223 operations in @octokit/openapi 23.0.2 (the
// version tools/package-lock.json pins). Every operation gets its descriptor; none is dropped.
TEST_CASE("GitHub's description generates a descriptor for every operation", "[codegen][cli][github]")
{
    if (!specbound::test::have_test_input(SPECBOUND_GITHUB_SPEC, "GitHub's description"))
        return;
    const fs::path out = fresh_dir("github");
    run_result r = run("--spec " + shell_quote(SPECBOUND_GITHUB_SPEC) + " --namespace github --out " +
                       shell_quote(out.string()) + " --quiet");
    INFO(r.output.substr(0, 4000));
    REQUIRE(r.exit_code == 0);
    const std::string marker = "static constexpr std::string_view operation_id = ";
    std::size_t descriptors = 0;
    for (const auto& e : fs::recursive_directory_iterator(out / "github" / "ops")) {
        const std::string text = read(e.path());
        for (auto at = text.find(marker); at != std::string::npos; at = text.find(marker, at + 1))
            ++descriptors;
    }
    CHECK(descriptors == 1223);
    fs::remove_all(out);
}

// Pagination recognised in the two real descriptions. DigitalOcean pages with links.pages.next
// (through an anyOf) and page/per_page; GitHub with the Link header and page/per_page. The counts
// are those of the pinned descriptions; the structural checks say which operations must be found.
TEST_CASE("pagination in DigitalOcean's and GitHub's descriptions", "[codegen][pagination][github]")
{
    using specbound::gen::operation_model;
    using specbound::page_style;
    auto has_query = [](const operation_model& op, const std::string& name) {
        return std::any_of(op.parameters.begin(), op.parameters.end(), [&](const auto& p) {
            return p.in == specbound::param_in::query && p.wire_name == name;
        });
    };
    auto count = [](const specbound::gen::api_model& api, page_style s) {
        return std::count_if(api.operations.begin(), api.operations.end(),
                             [&](const operation_model& op) { return op.pagination && op.pagination->style == s; });
    };
    if (specbound::test::have_test_input(SPECBOUND_DIGITALOCEAN_SPEC, "DigitalOcean's description")) {
        const auto g = specbound::gen::generate(SPECBOUND_DIGITALOCEAN_SPEC, "digitalocean");
        std::cout << "DigitalOcean " << specbound::gen::pagination_summary(g.api);
        for (const operation_model& op : g.api.operations) {
            // A list with links and a page parameter: its next link, or (links.pages a map) its page number.
            const auto& t = op.response_type;
            if (t.k != specbound::gen::type_ref::kind::model)
                continue;
            const auto& fields = g.api.models[t.model].fields;
            auto member = [&](auto pred) { return std::any_of(fields.begin(), fields.end(), pred); };
            if (op.method == specbound::http_method::get && has_query(op, "page") &&
                member([](const auto& f) { return f.wire_name == "links"; }) &&
                member([](const auto& f) { return f.type.k == specbound::gen::type_ref::kind::array; })) {
                CAPTURE(op.name);
                CHECK(op.pagination);
            }
        }
        CHECK(count(g.api, page_style::next_link) == 86);
        CHECK(count(g.api, page_style::page_number) == 7);
    }
    if (specbound::test::have_test_input(SPECBOUND_GITHUB_SPEC, "GitHub's description")) {
        const auto g = specbound::gen::generate(SPECBOUND_GITHUB_SPEC, "github");
        std::cout << "GitHub " << specbound::gen::pagination_summary(g.api);
        for (const operation_model& op : g.api.operations) {
            const bool link = std::any_of(op.responses.begin(), op.responses.end(), [](const auto& r) {
                return r.status == 200 && std::find(r.headers.begin(), r.headers.end(), "Link") != r.headers.end();
            });
            if (op.method == specbound::http_method::get && link &&
                op.response_type.k == specbound::gen::type_ref::kind::array) {
                CAPTURE(op.name);
                CHECK((op.pagination && op.pagination->style == page_style::link_header));
            }
        }
        CHECK(count(g.api, page_style::link_header) == 195);
        CHECK(count(g.api, page_style::page_number) == 69);
    }
}
