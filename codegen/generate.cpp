#include "generate.hpp"

#include "emit_docs.hpp"
#include "naming.hpp"

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <fstream>
#include <set>
#include <sstream>
#include <stdexcept>
#include <system_error>

namespace specbound::gen {

generation generate(const std::filesystem::path& spec, const std::string& ns, const emit_options& options)
{
    return generate(spec, ns, std::make_unique<disk_files>(), options);
}

generation generate(const std::filesystem::path& spec, const std::string& ns, std::unique_ptr<file_source> files,
                    const emit_options& options)
{
    generation out;
    try {
        out.docs = std::make_unique<document_set>(spec, std::move(files));
        out.api = build_model(*out.docs);
    } catch (const spec_error& e) {
        throw generation_error(e.what()); // formatted when thrown, while its file was loaded
    }
    out.files = emit_cpp(out.api, ns, options);
    return out;
}

std::string namespace_problem(std::string_view ns)
{
    if (ns.empty())
        return "it is empty";
    if (is_reserved_word(ns))
        return "it is a C++ keyword or a name the generated code uses unqualified";
    // A leading '_' (to_identifier's answer to a leading digit) is reserved at global scope.
    if (std::string id = to_identifier(ns); id != ns || ns.front() < 'a' || ns.front() > 'z')
        return "it is not a snake_case C++ identifier (lowercase letters and digits, words joined by one '_', "
               "starting with a letter)" +
               (id != ns && namespace_problem(id).empty() ? "; '" + id + "' would do" : std::string());
    // The umbrella header is <ns>/<ns>.hpp, beside api.hpp, client.hpp, models/ and ops/.
    if (ns == "api" || ns == "client")
        return "the umbrella header " + std::string(ns) + "/" + std::string(ns) + ".hpp would be the generated " +
               std::string(ns) + ".hpp (" + (ns == "api" ? "the API's description" : "the client class") + ")";
    if (ns == "operations" || ns == "examples")
        return "the umbrella header " + std::string(ns) + "/" + std::string(ns) + ".hpp would be the generated " +
               std::string(ns) + ".hpp (" + (ns == "operations" ? "the list of every operation" : "the example answers") + ")";
    if (ns == "ops")
        return "the generated code has a folder and a namespace of that name (<ns>/ops/, <ns>::ops)";
    if (ns == "models")
        return "the generated code has a folder of that name (<ns>/models/)";
    if (ns == "detail")
        return "the generated code refers to the runtime's specbound::detail";
    if (ns.size() + 4 > max_file_name)
        return "it is " + std::to_string(ns.size()) + " bytes long: " + std::string(ns) +
               ".hpp would exceed the file name limit of " + std::to_string(max_file_name) + " bytes";
    return "";
}

namespace detail {

bool read_file(const std::filesystem::path& p, std::string& out)
{
    std::ifstream in(p, std::ios::binary);
    if (!in)
        return false;
    std::ostringstream s;
    s << in.rdbuf();
    out = std::move(s).str();
    return true;
}

bool starts_with_marker(const std::filesystem::path& p)
{
    std::ifstream in(p, std::ios::binary);
    std::string head(std::max(generated_marker.size(), generated_docs_marker.size()), '\0');
    in.read(head.data(), static_cast<std::streamsize>(head.size()));
    head.resize(static_cast<std::size_t>(in.gcount()));
    return head.starts_with(generated_marker) || head.starts_with(generated_docs_marker);
}

void write_atomically(const std::filesystem::path& p, const std::string& content)
{
    // The temporary file is named by a hash of the target's name, not by the name plus a suffix:
    // it fits wherever the target's name does (any name up to max_file_name bytes).
    char name[40];
    std::snprintf(name, sizeof name, ".specbound-%016llx.tmp",
                  static_cast<unsigned long long>(fnv1a64(p.filename().string())));
    const std::filesystem::path tmp = p.parent_path() / name;
    auto fail = [&] {
        const int error = errno;
        throw std::runtime_error("cannot write " + p.string() + " (through " + tmp.filename().string() + ")" +
                                 (error ? ": " + std::generic_category().message(error) : std::string()));
    };
    {
        errno = 0;
        std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
        if (!out)
            fail();
        out.write(content.data(), static_cast<std::streamsize>(content.size()));
        out.close();
        if (!out)
            fail();
    }
    std::filesystem::rename(tmp, p);
}

std::string escape_make(const std::string& path)
{
    std::string out;
    for (char c : path) {
        if (c == ' ' || c == '#' || c == '\\')
            out += '\\';
        else if (c == '$')
            out += '$';
        out += c;
    }
    return out;
}

} // namespace detail

write_summary write_files(const std::filesystem::path& out_dir, const std::string& ns, const file_map& files)
{
    write_summary summary;
    std::set<std::filesystem::path> generated;
    for (const auto& [relative, content] : files) {
        std::filesystem::path p = (out_dir / relative).lexically_normal();
        generated.insert(p);
        std::filesystem::create_directories(p.parent_path());
        std::string existing;
        if (detail::read_file(p, existing) && existing == content) {
            ++summary.unchanged;
            continue;
        }
        detail::write_atomically(p, content);
        ++summary.written;
    }
    std::filesystem::path root = out_dir / ns;
    if (std::filesystem::is_directory(root)) {
        std::vector<std::filesystem::path> stale;
        for (const auto& entry : std::filesystem::recursive_directory_iterator(root)) {
            if (!entry.is_regular_file())
                continue;
            std::filesystem::path p = entry.path().lexically_normal();
            if (!generated.count(p) && detail::starts_with_marker(p))
                stale.push_back(p);
        }
        for (const auto& p : stale) {
            std::filesystem::remove(p);
            ++summary.removed;
        }
    }
    return summary;
}

namespace {

/// The files under out_dir/ns that carry the generated marker, lexically normal.
std::vector<std::filesystem::path> generated_files_in(const std::filesystem::path& out_dir, const std::string& ns)
{
    std::vector<std::filesystem::path> out;
    const std::filesystem::path root = out_dir / ns;
    if (!std::filesystem::is_directory(root))
        return out;
    for (const auto& entry : std::filesystem::recursive_directory_iterator(root))
        if (entry.is_regular_file() && detail::starts_with_marker(entry.path()))
            out.push_back(entry.path().lexically_normal());
    std::sort(out.begin(), out.end());
    return out;
}

std::vector<std::string_view> split_lines(std::string_view text)
{
    std::vector<std::string_view> lines;
    while (!text.empty()) {
        const std::size_t nl = text.find('\n');
        lines.push_back(text.substr(0, nl));
        text = nl == std::string_view::npos ? std::string_view() : text.substr(nl + 1);
    }
    return lines;
}

std::string clip(std::string_view line)
{
    return line.size() <= 160 ? std::string(line) : std::string(line.substr(0, 160)) + "...";
}

} // namespace

drift_report check_files(const std::filesystem::path& out_dir, const std::string& ns, const file_map& files)
{
    drift_report report;
    std::set<std::filesystem::path> generated;
    for (const auto& [relative, content] : files) {
        const std::filesystem::path p = (out_dir / relative).lexically_normal();
        generated.insert(p);
        std::string existing;
        if (!detail::read_file(p, existing)) {
            report.missing.push_back(relative);
            continue;
        }
        if (existing == content)
            continue;
        const std::vector<std::string_view> want = split_lines(content), have = split_lines(existing);
        drift_report::difference d;
        d.path = relative;
        d.expected_lines = want.size();
        d.found_lines = have.size();
        std::size_t i = 0;
        while (i < want.size() && i < have.size() && want[i] == have[i])
            ++i;
        d.line = i + 1;
        d.expected = i < want.size() ? clip(want[i]) : std::string();
        d.found = i < have.size() ? clip(have[i]) : std::string();
        report.changed.push_back(std::move(d));
    }
    for (const auto& p : generated_files_in(out_dir, ns))
        if (!generated.count(p))
            report.stale.push_back(p.lexically_relative(out_dir).generic_string());
    return report;
}

std::string drift_report::format(const std::filesystem::path& out_dir) const
{
    std::string out;
    for (const auto& m : missing)
        out += out_dir.generic_string() + "/" + m + ": missing (the generator makes it)\n";
    for (const auto& s : stale)
        out += out_dir.generic_string() + "/" + s + ": no longer generated\n";
    for (const auto& d : changed) {
        out += out_dir.generic_string() + "/" + d.path + ":" + std::to_string(d.line) + ": differs (" +
               std::to_string(d.found_lines) + " lines, " + std::to_string(d.expected_lines) + " generated)\n";
        out += "  generated: " + (d.line > d.expected_lines ? std::string("(end of file)") : d.expected) + "\n";
        out += "  found:     " + (d.line > d.found_lines ? std::string("(end of file)") : d.found) + "\n";
    }
    return out;
}

std::string make_depfile(const std::filesystem::path& target, const std::vector<std::filesystem::path>& deps)
{
    std::string out = detail::escape_make(target.string()) + ":";
    for (const auto& d : deps)
        out += " \\\n  " + detail::escape_make(d.string());
    out += "\n";
    return out;
}

} // namespace specbound::gen
