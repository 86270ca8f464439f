// Helpers shared by the loader tests.
#pragma once

#include "document.hpp"

#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include <unistd.h>

namespace loader_test {

inline std::filesystem::path data(const std::string& rel)
{
    return std::filesystem::path(SPECBOUND_LOADER_DATA) / rel;
}

// A fresh, empty folder under the system temp dir, removed on destruction.
struct temp_dir {
    std::filesystem::path path;
    explicit temp_dir(const std::string& name)
    {
        path = std::filesystem::temp_directory_path() /
               ("specbound-loader-" + name + "-" + std::to_string(::getpid()));
        std::filesystem::remove_all(path);
        std::filesystem::create_directories(path);
    }
    ~temp_dir()
    {
        std::error_code ec;
        std::filesystem::remove_all(path, ec);
    }
    temp_dir(const temp_dir&) = delete;
    temp_dir& operator=(const temp_dir&) = delete;

    std::filesystem::path write(const std::string& rel, const std::string& text) const
    {
        auto p = path / rel;
        std::filesystem::create_directories(p.parent_path());
        std::ofstream(p, std::ios::binary) << text;
        return p;
    }
};

inline std::string read_text(const std::filesystem::path& p)
{
    std::ifstream in(p, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

// A file set held in memory: (path, text) pairs, paths relative to "/".
inline std::unique_ptr<specbound::gen::memory_files>
in_memory(const std::vector<std::pair<std::string, std::string>>& files)
{
    auto out = std::make_unique<specbound::gen::memory_files>();
    for (const auto& [path, text] : files)
        out->add(path, text);
    return out;
}

// The diagnostic a callable throws; fails the test if it throws nothing.
template <class F>
specbound::gen::diagnostic error_of(F&& f)
{
    try {
        f();
    } catch (const specbound::gen::spec_error& e) {
        return e.diag();
    }
    FAIL("expected a spec_error");
    return {};
}

} // namespace loader_test
