// Shell commands from tests: quoting an argument, running a command for its output.
#pragma once

#include <sys/wait.h>

#include <cstdio>
#include <stdexcept>
#include <string>

namespace specbound::test {

/// `s` as one POSIX shell word.
inline std::string shell_quote(const std::string& s)
{
    std::string out = "'";
    for (char c : s)
        out += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return out + "'";
}

/// Runs a shell command; its standard output, trimmed. Throws when it fails.
inline std::string run_command(const std::string& command)
{
    FILE* pipe = popen(command.c_str(), "r");
    if (!pipe)
        throw std::runtime_error("cannot run: " + command);
    std::string out;
    char buf[256];
    while (std::size_t n = std::fread(buf, 1, sizeof buf, pipe))
        out.append(buf, n);
    if (pclose(pipe) != 0)
        throw std::runtime_error("failed (" + out + "): " + command);
    while (!out.empty() && (out.back() == '\n' || out.back() == '\r' || out.back() == ' '))
        out.pop_back();
    return out;
}

/// What a command printed and how it ended.
struct command_result {
    int exit_code = -1; // -1: it did not exit normally
    std::string output; // its standard output (add 2>&1 to the command for standard error too)
};

/// Runs a shell command that may fail: its exit status and whole standard output.
inline command_result run_status(const std::string& command)
{
    command_result r;
    FILE* pipe = popen(command.c_str(), "r");
    if (!pipe)
        throw std::runtime_error("cannot run: " + command);
    char buf[4096];
    while (std::size_t n = std::fread(buf, 1, sizeof buf, pipe))
        r.output.append(buf, n);
    const int status = pclose(pipe);
    r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    return r;
}

} // namespace specbound::test
