// specbound-gen: OpenAPI description in, typed C++ client out.
#include "emit_docs.hpp"
#include "examples.hpp"
#include "generate.hpp"
#include "lint.hpp"
#include "merge.hpp"

#include <boost/json/serialize.hpp>

#include <charconv>
#include <cstring>
#include <exception>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <optional>
#include <string>
#include <system_error>
#include <vector>

namespace {

constexpr const char* usage =
    "usage: specbound-gen --spec FILE --namespace NS --out DIR [--depfile FILE] [--docs DIR] [--quiet] [--check]\n"
    "                     [--operation-sources N]\n"
    "         --operation-sources N: also write NS/operations_0.cpp ... operations_<N-1>.cpp, which compile\n"
    "         every operation's request building and response decoding once (the ops headers declare them\n"
    "         extern: compile and link those sources, as specbound_generate(COMPILED_OPERATIONS N) does)\n"
    "         --check: write nothing; compare DIR (and --docs DIR) with what would be generated, and\n"
    "         exit 1 with a summary of the differences when they differ (for generated code kept in git)\n"
    "       specbound-gen lint --spec FILE [--format text|json]\n"
    "         what makes the generated API worse, located and named by rule; exit 1 when there is any\n"
    "       specbound-gen merge --config FILE --out DIR\n"
    "       specbound-gen examples --spec FILE --out FILE.json\n";

int usage_error(const std::string& message)
{
    std::cerr << "specbound-gen: " << message << "\n" << usage;
    return 2;
}

int run_generate(const std::vector<std::string>& args)
{
    std::optional<std::string> spec, ns, out, depfile, docs, sources;
    bool quiet = false, check = false;
    for (std::size_t i = 0; i < args.size(); ++i) {
        const std::string& a = args[i];
        auto value = [&](std::optional<std::string>& into) {
            if (i + 1 >= args.size())
                return false;
            into = args[++i];
            return true;
        };
        bool ok = true;
        if (a == "--spec")
            ok = value(spec);
        else if (a == "--namespace")
            ok = value(ns);
        else if (a == "--out")
            ok = value(out);
        else if (a == "--depfile")
            ok = value(depfile);
        else if (a == "--docs")
            ok = value(docs);
        else if (a == "--operation-sources")
            ok = value(sources);
        else if (a == "--quiet")
            quiet = true;
        else if (a == "--check")
            check = true;
        else if (a == "--help" || a == "-h") {
            std::cout << usage;
            return 0;
        } else
            return usage_error("unknown argument '" + a + "'");
        if (!ok)
            return usage_error("'" + a + "' needs a value");
    }
    if (!spec || !ns || !out)
        return usage_error("--spec, --namespace and --out are required");
    if (std::string problem = specbound::gen::namespace_problem(*ns); !problem.empty())
        return usage_error("'" + *ns + "' is not a usable namespace name: " + problem);
    specbound::gen::emit_options options;
    if (sources) {
        const char* end = sources->data() + sources->size();
        const auto [stop, ec] = std::from_chars(sources->data(), end, options.operation_sources);
        if (ec != std::errc() || stop != end || options.operation_sources == 0 ||
            options.operation_sources > specbound::gen::max_operation_sources)
            return usage_error("--operation-sources takes a count from 1 to " +
                               std::to_string(specbound::gen::max_operation_sources) + ", not '" + *sources + "'");
    }

    specbound::gen::generation g;
    try {
        g = specbound::gen::generate(*spec, *ns, options);
    } catch (const specbound::gen::generation_error& e) {
        std::cerr << e.what() << "\n";
        return 1;
    }
    if (!quiet) {
        for (const auto& w : g.api.warnings)
            std::cerr << w.format() << "\n";
        std::cerr << specbound::gen::pagination_summary(g.api);
    }
    bool drifted = false;
    try {
        // Everything is generated before anything is written.
        specbound::gen::file_map doc_files;
        if (docs)
            doc_files = specbound::gen::emit_docs(g.api, *ns);
        std::filesystem::path out_dir(*out);
        auto same_dir = [](const std::filesystem::path& a, const std::filesystem::path& b) {
            return std::filesystem::absolute(a / ".").lexically_normal() == std::filesystem::absolute(b / ".").lexically_normal();
        };
        if (check) {
            // Compared as written: docs in the same folder are one set of files with the code.
            specbound::gen::file_map code = g.files;
            if (docs && same_dir(*docs, out_dir))
                code.insert(doc_files.begin(), doc_files.end());
            std::vector<std::pair<std::filesystem::path, specbound::gen::drift_report>> reports;
            reports.emplace_back(out_dir, specbound::gen::check_files(out_dir, *ns, code));
            if (docs && !same_dir(*docs, out_dir))
                reports.emplace_back(*docs, specbound::gen::check_files(*docs, *ns, doc_files));
            for (const auto& [dir, report] : reports) {
                if (report.clean())
                    continue;
                drifted = true;
                std::cerr << report.format(dir) << "specbound-gen: " << dir.generic_string() << " differs from what "
                          << *spec << " generates; run specbound-gen without --check to update it\n";
            }
        } else if (docs && same_dir(*docs, out_dir)) {
            // One write, or each would remove the other's files as stale.
            specbound::gen::file_map all = g.files;
            all.insert(doc_files.begin(), doc_files.end());
            specbound::gen::write_files(out_dir, *ns, all);
        } else {
            specbound::gen::write_files(out_dir, *ns, g.files);
            if (docs)
                specbound::gen::write_files(*docs, *ns, doc_files);
        }
        if (depfile) {
            std::ofstream d(*depfile, std::ios::binary | std::ios::trunc);
            d << specbound::gen::make_depfile(out_dir / *ns / (*ns + ".hpp"), g.api.files);
            if (!d)
                throw std::runtime_error("cannot write depfile " + *depfile);
        }
    } catch (const std::exception& e) {
        std::cerr << "specbound-gen: error: " << e.what() << "\n";
        return 1;
    }
    return drifted ? 1 : 0;
}

/// One example request per operation, as JSON (see examples.hpp), for conformance sweeps.
int run_examples(const std::vector<std::string>& args)
{
    std::optional<std::string> spec, out;
    for (std::size_t i = 0; i < args.size(); ++i) {
        const std::string& a = args[i];
        if ((a == "--spec" || a == "--out") && i + 1 < args.size())
            (a == "--spec" ? spec : out) = args[++i];
        else if (a == "--spec" || a == "--out")
            return usage_error("'" + a + "' needs a value");
        else
            return usage_error("unknown argument '" + a + "'");
    }
    if (!spec || !out)
        return usage_error("examples needs --spec and --out");
    std::string text;
    try {
        specbound::gen::document_set docs(*spec);
        const specbound::gen::api_model api = specbound::gen::build_model(docs);
        text = boost::json::serialize(specbound::gen::example_requests(docs, api)) + "\n";
    } catch (const specbound::gen::spec_error& e) {
        std::cerr << e.what() << "\n"; // formatted when thrown, while its file was loaded
        return 1;
    }
    try {
        // Written whole or not at all.
        const std::filesystem::path target(*out);
        std::filesystem::path temp = target;
        temp += ".tmp";
        {
            std::ofstream f(temp, std::ios::binary | std::ios::trunc);
            f << text;
            if (!f.flush())
                throw std::runtime_error("cannot write " + temp.string());
        }
        std::filesystem::rename(temp, target);
    } catch (const std::exception& e) {
        std::cerr << "specbound-gen: error: " << e.what() << "\n";
        return 1;
    }
    return 0;
}

int run_lint(const std::vector<std::string>& args)
{
    std::optional<std::string> spec, format;
    for (std::size_t i = 0; i < args.size(); ++i) {
        const std::string& a = args[i];
        if ((a == "--spec" || a == "--format") && i + 1 < args.size())
            (a == "--spec" ? spec : format) = args[++i];
        else if (a == "--spec" || a == "--format")
            return usage_error("'" + a + "' needs a value");
        else
            return usage_error("unknown argument '" + a + "'");
    }
    if (!spec)
        return usage_error("lint needs --spec");
    if (format && *format != "text" && *format != "json")
        return usage_error("--format is text or json");
    std::vector<specbound::gen::diagnostic> findings;
    try {
        specbound::gen::document_set docs(*spec);
        const specbound::gen::api_model api = specbound::gen::build_model(docs);
        findings = specbound::gen::lint(docs, api);
    } catch (const specbound::gen::spec_error& e) {
        specbound::gen::diagnostic d = e.diag();
        d.rule = "spec-error";
        findings = {d};
    }
    if (format && *format == "json") {
        std::cout << specbound::gen::findings_json(findings);
    } else {
        for (const auto& d : findings)
            std::cout << specbound::gen::format_finding(d) << "\n";
        std::cout << "specbound-gen lint: " << findings.size() << (findings.size() == 1 ? " finding" : " findings")
                  << " in " << *spec << "\n";
    }
    return findings.empty() ? 0 : 1;
}

int run_merge(const std::vector<std::string>& args)
{
    std::optional<std::string> config, out;
    for (std::size_t i = 0; i < args.size(); ++i) {
        const std::string& a = args[i];
        if ((a == "--config" || a == "--out") && i + 1 < args.size())
            (a == "--config" ? config : out) = args[++i];
        else if (a == "--config" || a == "--out")
            return usage_error("'" + a + "' needs a value");
        else
            return usage_error("unknown argument '" + a + "'");
    }
    if (!config || !out)
        return usage_error("merge needs --config and --out");
    try {
        specbound::gen::merge_sections(*config, *out);
    } catch (const specbound::gen::spec_error& e) {
        std::cerr << e.what() << "\n"; // formatted when thrown, while its file was loaded
        return 1;
    }
    return 0;
}

} // namespace

int main(int argc, char** argv)
{
    std::vector<std::string> args(argv + 1, argv + argc);
    try {
        if (!args.empty() && args.front() == "merge")
            return run_merge(std::vector<std::string>(args.begin() + 1, args.end()));
        if (!args.empty() && args.front() == "lint")
            return run_lint(std::vector<std::string>(args.begin() + 1, args.end()));
        if (!args.empty() && args.front() == "examples")
            return run_examples(std::vector<std::string>(args.begin() + 1, args.end()));
        return run_generate(args);
    } catch (const std::exception& e) {
        std::cerr << "specbound-gen: error: " << e.what() << "\n";
        return 1;
    }
}
