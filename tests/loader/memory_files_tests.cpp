// Specs held in memory (memory_files): the same generation as from the disk, and never the disk.
#include "test_support.hpp"

#include "generate.hpp"

#include <memory>
#include <string>

namespace fs = std::filesystem;
using namespace specbound::gen;
using loader_test::error_of;
using loader_test::in_memory;

TEST_CASE("a spec in memory generates what the same files on disk do", "[loader][memory]")
{
    const fs::path dir = fs::path(SPECBOUND_SPEC_DIR) / "multifile";
    auto files = std::make_unique<memory_files>();
    for (const auto& entry : fs::recursive_directory_iterator(dir))
        if (entry.is_regular_file())
            files->add(entry.path().lexically_relative(dir), loader_test::read_text(entry.path()));

    const generation on_disk = specbound::gen::generate(dir / "root.yaml", "multifile");
    const generation in_mem = specbound::gen::generate("root.yaml", "multifile", std::move(files));
    CHECK(in_mem.files == on_disk.files);
    CHECK(in_mem.api.content_hash == on_disk.api.content_hash);
    REQUIRE(in_mem.docs->files().size() == on_disk.docs->files().size());
    CHECK(in_mem.docs->root_file().display == "root.yaml");
    CHECK(in_mem.docs->root_file().path == "/root.yaml");
}

TEST_CASE("references in memory never reach the disk", "[loader][memory]")
{
    for (const char* ref : {"/etc/hostname", "../../../../etc/hostname", "file%20name.yaml"}) {
        auto files = in_memory({{"api/root.yaml", std::string("a: {$ref: '") + ref + "'}\n"}});
        document_set docs("api/root.yaml", std::move(files));
        const node& a = *docs.root().find("a");
        auto d = error_of([&] { (void)docs.resolve(a); });
        CHECK_THAT(d.message, Catch::StartsWith("cannot read file '"));
        CHECK_THAT(d.message, Catch::EndsWith("': no such file"));
        CHECK(d.where.line == 1);
    }
    auto missing = error_of([] { document_set docs("nothing.yaml", std::make_unique<memory_files>()); });
    CHECK(missing.format() == "error: cannot read file 'nothing.yaml': no such file");
}
