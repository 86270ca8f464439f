// Where a streamed download goes: client::async_download (and the generated `<op>_download`
// members) write a 2xx response body here as it arrives, decoded (gzip, deflate) and counted
// against the body limit, instead of holding it in memory.
//
//   specbound::file_sink file{"artifact.tar.gz"};
//   specbound::response_metadata m = co_await api.download_artifact_download(req, file);
//
// A sink that can start over (restart() returns true: a file is truncated) lets the client retry
// a download that failed mid-body; one that cannot (a callback that already handed bytes on) ends
// the call with the failure instead.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <boost/system/error_code.hpp>

#include <cerrno>
#include <cstdio>
#include <filesystem>
#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <system_error>
#include <utility>

namespace specbound {

class body_sink {
public:
    virtual ~body_sink() = default;
    /// Starts the body: at its first byte, and again when a retried attempt starts it over
    /// (discarding what was written). false: the sink cannot (a sink_error ends the call).
    virtual bool restart() = 0;
    /// Whether restart() can still start over: when not, a call whose body had started is not retried.
    [[nodiscard]] virtual bool restartable() const { return true; }
    /// The next bytes of the body. An error ends the call with a sink_error carrying it.
    virtual boost::system::error_code write(std::span<const char> bytes) = 0;
    /// The body is complete.
    virtual boost::system::error_code finish() { return {}; }
    /// Why restart() failed, when the sink knows (e.g. the file could not be created).
    [[nodiscard]] virtual boost::system::error_code last_error() const { return {}; }
    /// Completes when the sink can take more: a consumer slower than the network holds the next
    /// read back (backpressure) instead of the bytes piling up. Most sinks are always ready.
    virtual boost::asio::awaitable<void> ready() { co_return; }
};

/// Writes the body to a file, created or truncated when the body starts (and again on a retry).
/// The file stays open until the sink is destroyed or the body is complete (finish() closes it).
class file_sink final : public body_sink {
public:
    explicit file_sink(std::filesystem::path path) : path_(std::move(path)) {}
    file_sink(const file_sink&) = delete;
    file_sink& operator=(const file_sink&) = delete;
    ~file_sink() override { close(); }

    bool restart() override
    {
        close();
        file_ = std::fopen(path_.c_str(), "wb");
        error_ = file_ ? 0 : errno;
        written_ = 0;
        return file_ != nullptr;
    }

    boost::system::error_code write(std::span<const char> bytes) override
    {
        if (!file_)
            return error_code();
        if (std::fwrite(bytes.data(), 1, bytes.size(), file_) != bytes.size()) {
            error_ = errno ? errno : EIO;
            return error_code();
        }
        written_ += bytes.size();
        return {};
    }

    boost::system::error_code finish() override
    {
        if (!file_ && error_)
            return error_code();
        if (!file_ && !restart()) // an empty body still makes the file
            return error_code();
        const bool ok = std::fflush(file_) == 0;
        if (!ok)
            error_ = errno ? errno : EIO;
        close();
        return ok ? boost::system::error_code{} : error_code();
    }

    [[nodiscard]] boost::system::error_code last_error() const override
    {
        return error_ ? error_code() : boost::system::error_code{};
    }
    [[nodiscard]] const std::filesystem::path& path() const noexcept { return path_; }
    /// Bytes written by the current (last) attempt.
    [[nodiscard]] std::uint64_t bytes_written() const noexcept { return written_; }

private:
    boost::system::error_code error_code() const
    {
        return {error_ ? error_ : EBADF, boost::system::generic_category()};
    }
    void close() noexcept
    {
        if (file_)
            std::fclose(file_);
        file_ = nullptr;
    }

    std::filesystem::path path_;
    std::FILE* file_ = nullptr;
    int error_ = 0;
    std::uint64_t written_ = 0;
};

/// Hands each chunk of the body to a callback as it arrives; cannot start over, so a download
/// into it is not retried once the first byte went out. A callback that returns an error ends
/// the call (e.g. the consumer has seen enough).
class callback_sink final : public body_sink {
public:
    using callback = std::function<boost::system::error_code(std::span<const char>)>;
    explicit callback_sink(callback f) : f_(std::move(f)) {}

    bool restart() override { return !started_; }
    [[nodiscard]] bool restartable() const override { return !started_; }
    boost::system::error_code write(std::span<const char> bytes) override
    {
        started_ = started_ || !bytes.empty();
        return f_(bytes);
    }

private:
    callback f_;
    bool started_ = false;
};

} // namespace specbound
