// Prism (@stoplight/prism-cli, installed into tools/ by scripts/setup.sh) for integration tests:
// a mock server that validates every request against a spec and reports what is wrong in an
// `sl-violations` response header.
#pragma once

#include "support/shell.hpp"

#include <specbound/client.hpp>

#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

namespace specbound::test {

/// Prism serving `spec` on a free port of 127.0.0.1 (the script bounds the wait for it to
/// start), stopped in the destructor. `script` is scripts/prism.sh, `state_dir` holds its pid
/// and log files. Seeded: whatever Prism generates rather than takes from the spec is the same
/// from run to run.
class prism_server {
public:
    prism_server(const std::string& script, const std::filesystem::path& state_dir, const std::string& spec)
        : script_(shell_quote(script))
    {
        std::filesystem::create_directories(state_dir);
        env_ = "SPECBOUND_PRISM_STATE=" + shell_quote(state_dir.string()) + " ";
        port_ = run_command(script_ + " free-port");
        url_ = run_command(env_ + script_ + " start " + shell_quote(spec) + " " + port_ + " --seed 1");
    }
    ~prism_server()
    {
        const std::string stop = env_ + script_ + " stop " + port_ + " >/dev/null 2>&1";
        [[maybe_unused]] int status = std::system(stop.c_str());
    }
    prism_server(const prism_server&) = delete;
    prism_server& operator=(const prism_server&) = delete;

    const std::string& url() const noexcept { return url_; }

private:
    std::string script_, env_, port_, url_;
};

/// A middleware that appends "<operationId>: <sl-violations>" to `out` for every attempt Prism
/// found fault with.
inline middleware record_violations(std::shared_ptr<std::vector<std::string>> out)
{
    return [out = std::move(out)](const attempt_info& info, http_request& request,
                                  next_layer next) -> boost::asio::awaitable<transport_result> {
        transport_result r = co_await next(request);
        if (!r.ec)
            if (auto it = r.response.find("sl-violations"); it != r.response.end())
                out->push_back(std::string(info.operation_id) + ": " + std::string(it->value()));
        co_return r;
    };
}

} // namespace specbound::test
