// The real DigitalOcean description (2,907 files): every node visited, every $ref resolved.
#include "support/test_inputs.hpp"
#include "test_support.hpp"

#include <array>

using namespace specbound::gen;

TEST_CASE("DigitalOcean's description loads and every $ref resolves", "[loader][digitalocean]")
{
    const std::filesystem::path root = SPECBOUND_DIGITALOCEAN_SPEC;
    if (!specbound::test::have_test_input(root, "DigitalOcean's description"))
        return;
    document_set docs(root);

    // Walk every file loaded so far, and those loaded while resolving.
    std::size_t refs = 0;
    std::size_t nodes = 0;
    std::size_t done = 0;
    std::vector<const source_file*> files = docs.files();
    while (done < files.size()) {
        const source_file* f = files[done++];
        std::vector<const node*> stack{&docs.load(f->path)};
        while (!stack.empty()) {
            const node* n = stack.back();
            stack.pop_back();
            ++nodes;
            REQUIRE(n->where().file == f);
            REQUIRE(n->where().line > 0);
            REQUIRE(n->where().column > 0);
            if (n->is_mapping()) {
                if (n->find("$ref")) {
                    const node& target = docs.resolve(*n);
                    CHECK(target.find("$ref") == nullptr);
                    ++refs;
                }
                for (const member& m : n->members())
                    stack.push_back(m.value);
            } else if (n->is_sequence()) {
                for (const node* i : n->items())
                    stack.push_back(i);
            }
        }
        if (done == files.size())
            files = docs.files();
    }
    CHECK(files.size() > 2800);
    CHECK(refs > 9000);
    CHECK(nodes > 70000);
    CHECK(docs.warnings().empty());

    // Operations under paths, resolving path items and operations that are $refs.
    static constexpr std::array<std::string_view, 8> methods{"get", "put", "post", "delete",
                                                              "options", "head", "patch", "trace"};
    std::size_t operations = 0;
    const node& paths = docs.resolve(*docs.root().find("paths"));
    for (const member& p : paths.members()) {
        const node& item = docs.resolve(*p.value);
        for (const member& m : item.members())
            if (std::find(methods.begin(), methods.end(), m.key) != methods.end()) {
                const node& op = docs.resolve(*m.value);
                REQUIRE(op.is_mapping());
                CHECK(op.find("responses") != nullptr);
                ++operations;
            }
    }
    CHECK(operations == 659);
}
