// Spec loading speed: DigitalOcean's multi-file YAML (load + resolve every $ref) and, if given as
// argv[1], GitHub's single 13 MB JSON description. Prints the best of N wall times, MB/s, and the
// ratio to baselines measured in the same run (libyaml events alone; Boost.JSON's DOM parser).
#include "document.hpp"
#include "loader_internal.hpp"

#include <boost/json/parse.hpp>
#include <yaml.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iterator>
#include <string>
#include <vector>

namespace sg = specbound::gen;

namespace {

using clock_type = std::chrono::steady_clock;

double best_of(int runs, const std::function<void()>& f)
{
    double best = 1e300;
    for (int i = 0; i < runs; ++i) {
        auto t0 = clock_type::now();
        f();
        double s = std::chrono::duration<double>(clock_type::now() - t0).count();
        best = std::min(best, s);
    }
    return best;
}

std::string slurp(const std::filesystem::path& p)
{
    std::ifstream in(p, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

// Visits every node of every file loaded so far (and those loaded while resolving), resolving
// each $ref. Returns the number of $refs resolved.
std::size_t resolve_everything(sg::document_set& docs)
{
    std::size_t refs = 0;
    std::size_t done_files = 0;
    std::vector<const sg::source_file*> files = docs.files();
    while (done_files < files.size()) {
        const sg::source_file* f = files[done_files++];
        std::vector<const sg::node*> stack{&docs.load(f->path)};
        while (!stack.empty()) {
            const sg::node* n = stack.back();
            stack.pop_back();
            if (n->is_mapping()) {
                if (n->find("$ref")) {
                    (void)docs.resolve(*n);
                    ++refs;
                }
                for (const sg::member& m : n->members())
                    stack.push_back(m.value);
            } else if (n->is_sequence()) {
                for (const sg::node* i : n->items())
                    stack.push_back(i);
            }
        }
        if (done_files == files.size())
            files = docs.files(); // files loaded by the $refs resolved so far
    }
    return refs;
}

// libyaml's parser alone, events discarded: the floor for any YAML loader built on it.
void libyaml_events(const std::string& text)
{
    yaml_parser_t parser;
    yaml_parser_initialize(&parser);
    yaml_parser_set_input_string(&parser, reinterpret_cast<const unsigned char*>(text.data()), text.size());
    yaml_event_t event;
    for (;;) {
        if (!yaml_parser_parse(&parser, &event)) {
            std::fprintf(stderr, "libyaml error: %s\n", parser.problem ? parser.problem : "?");
            break;
        }
        bool end = event.type == YAML_STREAM_END_EVENT;
        yaml_event_delete(&event);
        if (end)
            break;
    }
    yaml_parser_delete(&parser);
}

void bench_digitalocean(const std::filesystem::path& root, int runs)
{
    std::size_t bytes = 0;
    std::size_t files = 0;
    std::size_t refs = 0;
    std::vector<std::string> texts;
    double ours = best_of(runs, [&] {
        sg::document_set docs(root);
        refs = resolve_everything(docs);
        files = docs.files().size();
        if (texts.empty())
            for (const sg::source_file* f : docs.files())
                texts.push_back(slurp(f->path));
    });
    for (const auto& t : texts)
        bytes += t.size();
    double base = best_of(runs, [&] {
        for (const auto& t : texts)
            libyaml_events(t);
    });
    double mb = static_cast<double>(bytes) / 1e6;
    std::printf("digitalocean: %zu files, %.1f MB, %zu $refs resolved\n", files, mb, refs);
    std::printf("  load + resolve all : %8.1f ms  %6.1f MB/s\n", ours * 1e3, mb / ours);
    std::printf("  libyaml events only: %8.1f ms  %6.1f MB/s  (baseline; texts in memory)\n", base * 1e3,
                mb / base);
    std::printf("  ratio load+resolve / libyaml events: %.2f\n", ours / base);
}

void bench_github(const std::filesystem::path& file, int runs)
{
    std::string text = slurp(file);
    double mb = static_cast<double>(text.size()) / 1e6;
    std::size_t refs = 0;
    double ours = best_of(runs, [&] {
        sg::document_set docs(file);
        refs = resolve_everything(docs);
    });
    double load_only = best_of(runs, [&] { sg::document_set docs(file); });
    double dom = best_of(runs, [&] { (void)boost::json::parse(text); });
    sg::source_file sf{file, file.filename().string()};
    double yaml = best_of(1, [&] {
        sg::detail::node_store store;
        std::vector<sg::diagnostic> warnings;
        (void)sg::loader::parse_yaml(store, sf, text, warnings);
    });
    std::printf("github: %.1f MB JSON, %zu $refs resolved\n", mb, refs);
    std::printf("  load + resolve all       : %8.1f ms  %6.1f MB/s\n", ours * 1e3, mb / ours);
    std::printf("  load only (Boost.JSON SAX): %8.1f ms  %6.1f MB/s\n", load_only * 1e3, mb / load_only);
    std::printf("  boost::json::parse (DOM) : %8.1f ms  %6.1f MB/s  (baseline)\n", dom * 1e3, mb / dom);
    std::printf("  same file through libyaml: %8.1f ms  %6.1f MB/s  (1 run)\n", yaml * 1e3, mb / yaml);
    std::printf("  ratio load / DOM parse: %.2f; libyaml / load: %.1f\n", load_only / dom, yaml / load_only);
}

} // namespace

int main(int argc, char** argv)
{
    constexpr int runs = 5;
    try {
        std::filesystem::path root =
            std::filesystem::path(SPECBOUND_DIGITALOCEAN_DIR) / "specification" / "DigitalOcean-public.v2.yaml";
        if (std::filesystem::exists(root))
            bench_digitalocean(root, runs);
        else
            std::printf("digitalocean: skipped, %s not found\n", root.string().c_str());
        if (argc > 1 && std::filesystem::exists(argv[1]))
            bench_github(argv[1], runs);
        else
            std::printf("github: skipped (pass the path of api.github.com.json as argument 1)\n");
    } catch (const std::exception& e) {
        std::fprintf(stderr, "%s\n", e.what());
        return 1;
    }
    return 0;
}
