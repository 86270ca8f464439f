// The whole generator as a library call: load, build the IR, emit in memory, then write.
#pragma once

#include "emit.hpp"
#include "model.hpp"

#include <filesystem>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace specbound::gen {

struct generation {
    std::unique_ptr<document_set> docs; // owns the files the IR's diagnostics point into
    api_model api;
    file_map files; // relative to the output folder
};

/// A spec the generator cannot use. what() is the formatted diagnostic (`file:line:column: error: ...`),
/// made while the files it names were still loaded.
class generation_error : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

/// Loads `spec` and generates every file in memory. Throws generation_error on a spec it cannot use.
[[nodiscard]] generation generate(const std::filesystem::path& spec, const std::string& ns, const emit_options& options = {});
/// The same, reading `spec` and the files it references from `files` (e.g. memory_files).
[[nodiscard]] generation generate(const std::filesystem::path& spec, const std::string& ns,
                                  std::unique_ptr<file_source> files, const emit_options& options = {});

/// Why `ns` cannot be the generated namespace (and folder), or "" when it can: it must be a
/// snake_case C++ identifier that is not reserved, clashes with no generated file, folder or
/// namespace, and leaves room for `<ns>.hpp` within the file name limit.
[[nodiscard]] std::string namespace_problem(std::string_view ns);

struct write_summary {
    std::size_t written = 0;   // new or changed files
    std::size_t unchanged = 0; // left alone (mtime kept)
    std::size_t removed = 0;   // stale generated files deleted
};

/// Writes `files` under `out_dir`: unchanged files are not touched, each file is replaced atomically,
/// and files under `out_dir/ns` that carry the generated marker but are not in `files` are removed.
/// Throws std::filesystem::filesystem_error / std::runtime_error on I/O failure.
write_summary write_files(const std::filesystem::path& out_dir, const std::string& ns, const file_map& files);

/// How a folder of generated code differs from what the generator makes now (specbound-gen --check).
struct drift_report {
    struct difference {
        std::string path;          // relative to the output folder
        std::size_t line = 0;      // first line that differs, 1-based
        std::string expected;      // that line as generated now ("" past the end)
        std::string found;         // that line in the folder
        std::size_t expected_lines = 0, found_lines = 0;
    };
    std::vector<std::string> missing; // generated now, absent from the folder
    std::vector<std::string> stale;   // generated files in the folder (they carry the marker) no longer made
    std::vector<difference> changed;

    [[nodiscard]] bool clean() const noexcept { return missing.empty() && stale.empty() && changed.empty(); }
    /// A summary for humans: one line per file, the first difference of each changed one.
    [[nodiscard]] std::string format(const std::filesystem::path& out_dir) const;
};

/// Compares `files` with what `out_dir` holds, as write_files would write it; writes nothing.
[[nodiscard]] drift_report check_files(const std::filesystem::path& out_dir, const std::string& ns, const file_map& files);

/// A Makefile-style depfile: `target: dep dep ...` with spaces and special characters escaped.
[[nodiscard]] std::string make_depfile(const std::filesystem::path& target, const std::vector<std::filesystem::path>& deps);

} // namespace specbound::gen
