// The generated headers for every spec in spec/ are checked in under golden/<spec>/; this test
// regenerates them in memory and compares byte for byte. After an intended change of the output:
//   cmake --build <build dir> --target update-golden
#include "generate.hpp"
#include "merge.hpp"

#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <vector>

namespace fs = std::filesystem;
using namespace specbound::gen;

namespace {

std::string read(const fs::path& p)
{
    std::ifstream in(p, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

std::vector<std::string> lines(const std::string& text)
{
    std::vector<std::string> out;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);)
        out.push_back(line);
    return out;
}

// A unified-diff-like excerpt around the first differing line.
std::string describe_difference(const std::string& expected, const std::string& actual)
{
    std::vector<std::string> a = lines(expected), b = lines(actual);
    std::size_t i = 0;
    while (i < a.size() && i < b.size() && a[i] == b[i])
        ++i;
    std::ostringstream out;
    out << "first difference at line " << (i + 1) << " (golden has " << a.size() << " lines, generated " << b.size() << ")\n";
    std::size_t from = i >= 3 ? i - 3 : 0;
    out << "@@ -" << (from + 1) << " +" << (from + 1) << " @@\n";
    for (std::size_t k = from; k < i; ++k)
        out << "  " << a[k] << "\n";
    for (std::size_t k = i; k < std::min(a.size(), i + 5); ++k)
        out << "- " << a[k] << "\n";
    for (std::size_t k = i; k < std::min(b.size(), i + 5); ++k)
        out << "+ " << b[k] << "\n";
    if (expected.size() != actual.size() && a == b)
        out << "(line endings or a trailing newline differ)\n";
    return out.str();
}

void compare_with_golden(const std::string& name, const file_map& files)
{
    const fs::path golden = fs::path(SPECBOUND_GOLDEN_DIR) / name;
    INFO("golden folder " << golden.string() << "; after an intended change run the update-golden target");
    REQUIRE(fs::is_directory(golden));
    std::set<std::string> on_disk;
    for (const auto& entry : fs::recursive_directory_iterator(golden))
        if (entry.is_regular_file())
            on_disk.insert(fs::relative(entry.path(), golden).generic_string());
    for (const auto& [path, content] : files) {
        INFO("file " << path);
        CHECK(on_disk.count(path) == 1);
        if (!on_disk.count(path))
            continue;
        std::string expected = read(golden / path);
        if (expected != content)
            FAIL_CHECK(describe_difference(expected, content));
    }
    for (const std::string& path : on_disk) {
        INFO("golden file " << path << " is no longer generated");
        CHECK(files.count(path) == 1);
    }
}

} // namespace

TEST_CASE("generated code matches the golden files", "[codegen][golden]")
{
    struct entry {
        const char* name;
        const char* spec;
        const char* ns;
    };
    const entry entries[] = {
        {"petstore", "petstore.yaml", "petstore"},
        {"polymorphism", "polymorphism.yaml", "polymorphism"},
        {"types", "types.yaml", "types"},
        {"multifile", "multifile/root.yaml", "multifile"},
        {"openapi31", "openapi31.yaml", "openapi31"},
        {"webhooks", "openapi31_webhooks.yaml", "webhooks"},
        {"allof_merge", "fidelity_allof_merge.yaml", "allof_merge"},
        {"allof_unions", "fidelity_allof_unions.yaml", "allof_unions"},
        {"ms_discriminators", "fidelity_ms_discriminators.yaml", "ms_discriminators"},
        {"recursive_unions", "fidelity_recursive_unions.yaml", "recursive_unions"},
        {"pagination", "pagination.yaml", "pagination"},
        {"streaming", "streaming.yaml", "streaming"},
        {"forward_compat", "forward_compat.yaml", "forward_compat"},
        {"servers", "servers.yaml", "tides"},
        {"validation", "validation.yaml", "validation"},
    };
    for (const entry& e : entries) {
        SECTION(e.name)
        {
            generation g = generate(fs::path(SPECBOUND_SPEC_DIR) / e.spec, e.ns);
            compare_with_golden(e.name, g.files);
        }
    }
}

TEST_CASE("merged section specs match the golden files", "[codegen][golden]")
{
    const fs::path merged = fs::path(SPECBOUND_TEST_TMP) / "golden_merged";
    fs::remove_all(merged);
    fs::create_directories(merged);
    merge_sections(fs::path(SPECBOUND_SPEC_DIR) / "sections" / "merge.yaml", merged);
    for (const char* version : {"v1", "v2"}) {
        SECTION(version)
        {
            std::string ns = std::string("sections_") + version;
            generation g = generate(merged / (std::string(version) + ".json"), ns);
            compare_with_golden(ns, g.files);
        }
    }
}
