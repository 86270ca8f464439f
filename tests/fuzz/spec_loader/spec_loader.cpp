// Fuzz target 2 (issue 14): the spec loader and the generator. The input is a small set of files
// held in memory (nothing is read from or written to the disk), loaded from the first through its
// $refs, built into the IR and emitted as headers, reference docs and example requests. A spec
// error (spec_error / generation_error, a located diagnostic) is a normal outcome; anything else
// (another exception, a crash, a sanitizer report, a hang, unbounded memory) is a finding.
//
// Input format:
//   - file set: the input starts with "=== <path>\n"; every line "=== <path>" starts the next file,
//     the text up to it (its newline included) belongs to the one before. The first file is the root.
//     Paths are relative to "/" and may name folders ("=== schemas/pet.yaml").
//   - otherwise the whole input is the root document, "spec.yaml" (YAML or JSON, by content).
#include "emit_docs.hpp"
#include "examples.hpp"
#include "generate.hpp"

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <string_view>

namespace {

using namespace specbound::gen;

constexpr std::string_view file_marker = "=== ";
const std::string ns = "fuzz";

// Fills `files` from the input; returns the root's path.
std::string split_files(std::string_view in, memory_files& files)
{
    if (!in.starts_with(file_marker)) {
        files.add("spec.yaml", std::string(in));
        return "spec.yaml";
    }
    std::string root;
    bool first = true;
    while (in.starts_with(file_marker)) {
        in.remove_prefix(file_marker.size());
        std::size_t eol = in.find('\n');
        std::string name(in.substr(0, eol));
        in = eol == std::string_view::npos ? std::string_view() : in.substr(eol + 1);
        std::size_t next = in.find("\n=== ");
        std::size_t length = next == std::string_view::npos ? in.size() : next + 1;
        files.add(name, std::string(in.substr(0, length)));
        in.remove_prefix(length);
        if (first)
            root = name;
        first = false;
    }
    return root;
}

[[noreturn]] void finding(const std::string& what, const std::string& detail)
{
    std::fprintf(stderr, "spec_loader fuzz finding: %s: %s\n", what.c_str(), detail.c_str());
    std::abort();
}

// Every generated path stays inside `<ns>/`: plain segments of [A-Za-z0-9_.-], none "." or "..".
void check_paths(const file_map& files, std::string_view what)
{
    for (const auto& [path, content] : files) {
        bool ok = path.starts_with(ns + "/");
        std::size_t segment = 0;
        for (std::size_t i = 0; ok && i <= path.size(); ++i) {
            if (i == path.size() || path[i] == '/') {
                std::string_view s = std::string_view(path).substr(segment, i - segment);
                ok = !s.empty() && s != "." && s != "..";
                segment = i + 1;
                continue;
            }
            char c = path[i];
            ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '.' ||
                 c == '-';
        }
        if (!ok)
            finding(std::string(what) + " path outside the namespace folder", path);
        if (content.empty())
            finding(std::string(what) + " file is empty", path);
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    auto files = std::make_unique<memory_files>();
    const std::string root = split_files(std::string_view(reinterpret_cast<const char*>(data), size), *files);
    try {
        // Qualified: with three std:: arguments, ADL would find std::generate.
        generation g = specbound::gen::generate(root, ns, std::move(files));
        check_paths(g.files, "header");
        for (const auto& [path, content] : g.files)
            if (!content.starts_with(generated_marker))
                finding("header without the generated marker", path);
        check_paths(emit_docs(g.api, ns), "docs");
        (void)example_requests(*g.docs, g.api);
    } catch (const generation_error&) {
    } catch (const spec_error&) {
    }
    return 0;
}
