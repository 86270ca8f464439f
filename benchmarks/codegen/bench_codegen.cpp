// bench_codegen: how long specbound-gen takes on real specs, in memory (load + IR + emit).
//
//   bench_codegen [github-spec.json] [--runs N]
//
// The GitHub description comes from `npm install --prefix /tmp/octokit @octokit/openapi`
// (node_modules/@octokit/openapi/generated/api.github.com.json). Each spec is generated N times
// (default 5) and the best time is printed, split into load+IR and emit. The baseline, measured in
// the same run, is reading and hashing every file the spec loads: the ratio says how many times the
// bare I/O the generator costs. Targets: DigitalOcean <= 1 s, GitHub <= 1.5 s (Release build).
#include "emit.hpp"
#include "generate.hpp"
#include "model.hpp"

#include <algorithm>
#include <chrono>
#include <ctime>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <limits>
#include <sstream>
#include <string>
#include <vector>

namespace {

using clock_type = std::chrono::steady_clock;

double seconds_since(clock_type::time_point start)
{
    return std::chrono::duration<double>(clock_type::now() - start).count();
}

struct timing {
    double load_and_model = std::numeric_limits<double>::max();
    double emit = std::numeric_limits<double>::max();
    double total = std::numeric_limits<double>::max();
    double baseline = std::numeric_limits<double>::max();
    double cpu = std::numeric_limits<double>::max(); // process CPU time of the best run: robust on a busy machine
    std::size_t files = 0, models = 0, operations = 0, bytes_out = 0, warnings = 0;
};

timing measure(const std::filesystem::path& spec, int runs)
{
    timing t;
    std::vector<std::filesystem::path> loaded;
    for (int i = 0; i < runs; ++i) {
        auto start = clock_type::now();
        std::clock_t cpu_start = std::clock();
        specbound::gen::document_set docs(spec);
        specbound::gen::api_model api = specbound::gen::build_model(docs);
        double model_time = seconds_since(start);
        auto emit_start = clock_type::now();
        specbound::gen::file_map files = specbound::gen::emit_cpp(api, "bench");
        double emit_time = seconds_since(emit_start);
        t.cpu = std::min(t.cpu, static_cast<double>(std::clock() - cpu_start) / CLOCKS_PER_SEC);
        t.load_and_model = std::min(t.load_and_model, model_time);
        t.emit = std::min(t.emit, emit_time);
        t.total = std::min(t.total, model_time + emit_time);
        t.files = api.files.size();
        t.models = api.models.size();
        t.operations = api.operations.size();
        t.warnings = api.warnings.size();
        t.bytes_out = 0;
        for (const auto& [path, content] : files)
            t.bytes_out += content.size();
        loaded = api.files;
    }
    // Baseline: read and hash the same files.
    for (int i = 0; i < runs; ++i) {
        auto start = clock_type::now();
        std::uint64_t h = 0xcbf29ce484222325ULL;
        for (const auto& f : loaded) {
            std::ifstream in(f, std::ios::binary);
            std::ostringstream s;
            s << in.rdbuf();
            h = specbound::gen::fnv1a64(s.str(), h);
        }
        t.baseline = std::min(t.baseline, seconds_since(start));
        if (h == 0)
            std::cout << ""; // keep the hash observable
    }
    return t;
}

void report(const char* name, const std::filesystem::path& spec, int runs, double target)
{
    if (!std::filesystem::exists(spec)) {
        std::printf("%-13s skipped: %s not found\n", name, spec.string().c_str());
        return;
    }
    try {
        timing t = measure(spec, runs);
        std::printf("%-13s best of %d: %.3f s wall (load+IR %.3f s, emit %.3f s), %.3f s CPU  target <= %.1f s: %s\n", name,
                    runs, t.total, t.load_and_model, t.emit, t.cpu, target, t.total <= target ? "met" : "MISSED");
        std::printf("%-13s %zu files loaded, %zu models, %zu operations, %zu warnings, %.1f MB generated\n", "", t.files,
                    t.models, t.operations, t.warnings, static_cast<double>(t.bytes_out) / 1e6);
        std::printf("%-13s baseline (read+hash the %zu files): %.4f s  ratio generate/baseline: %.1fx\n", "", t.files,
                    t.baseline, t.total / std::max(t.baseline, 1e-9));
    } catch (const std::exception& e) {
        std::printf("%-13s failed: %s\n", name, e.what());
    }
}

} // namespace

int main(int argc, char** argv)
{
    int runs = 5;
    std::filesystem::path github;
    for (int i = 1; i < argc; ++i) {
        std::string a = argv[i];
        if (a == "--runs" && i + 1 < argc) {
            runs = std::max(1, std::atoi(argv[++i]));
        } else if (!a.empty() && a[0] != '-') {
            github = a;
        } else {
            std::cerr << "usage: bench_codegen [github-spec.json] [--runs N]\n";
            return 2;
        }
    }
#ifdef NDEBUG
    std::printf("build: optimized\n");
#else
    std::printf("build: debug (assertions on); use a Release build for numbers to compare with the targets\n");
#endif
    report("digitalocean", SPECBOUND_DIGITALOCEAN_SPEC, runs, 1.0);
    if (github.empty())
        std::printf("%-13s skipped: pass the path of api.github.com.json\n", "github");
    else
        report("github", github, runs, 1.5);
    return 0;
}
