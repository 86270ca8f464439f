// Where a streamed upload comes from: client::async_upload (and the generated `<op>_upload`
// members) send a request body read from here piece by piece, with Content-Length when its size
// is known and chunked otherwise, instead of building it in memory.
//
//   specbound::file_source file{"build/artifact.tar.gz"};
//   co_await api.put_artifact_upload(req, file);
//
//   specbound::multipart_source form;                       // multipart/form-data, streamed
//   form.add_field("comment", "nightly build");
//   form.add_file("file", "artifact.tar.gz", "application/gzip", file);
//   co_await api.submit_upload(req, form);
//
// A source that can start over (rewind(): a file seeks back) lets the client retry the request or
// follow a 307/308 redirect with it; one that cannot (a callback that already gave bytes) is sent
// once, and a failure is the answer.
#pragma once

#include <boost/system/error_code.hpp>
#include <boost/uuid/random_generator.hpp>
#include <boost/uuid/uuid_io.hpp>

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <functional>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <system_error>
#include <utility>
#include <variant>
#include <vector>

namespace specbound {

class body_source {
public:
    virtual ~body_source() = default;
    /// The body's size in bytes when known (sent as Content-Length), nullopt otherwise (chunked).
    [[nodiscard]] virtual std::optional<std::uint64_t> size() const = 0;
    /// The media type to send when the source knows it best (a multipart boundary); "" otherwise:
    /// the operation's declared one.
    [[nodiscard]] virtual std::string content_type() const { return {}; }
    /// Back to the first byte: before the first attempt, and for each attempt that sends the body
    /// again. false: it cannot (a source_error ends the call).
    virtual bool rewind() = 0;
    /// Whether rewind() can still start over; when not, a call whose body had started is not sent again.
    [[nodiscard]] virtual bool rewindable() const { return true; }
    /// Up to buffer.size() next bytes; 0 at the end. An error ends the call with a source_error.
    virtual std::size_t read(std::span<char> buffer, boost::system::error_code& ec) = 0;
    /// Why rewind() failed, when the source knows.
    [[nodiscard]] virtual boost::system::error_code last_error() const { return {}; }
};

/// The contents of a file, read when sent (its size is taken when the upload starts).
class file_source final : public body_source {
public:
    explicit file_source(std::filesystem::path path) : path_(std::move(path)) {}
    file_source(const file_source&) = delete;
    file_source& operator=(const file_source&) = delete;
    ~file_source() override { close(); }

    [[nodiscard]] std::optional<std::uint64_t> size() const override
    {
        std::error_code ec;
        const auto n = std::filesystem::file_size(path_, ec);
        return ec ? std::nullopt : std::optional<std::uint64_t>(n);
    }

    bool rewind() override
    {
        close();
        file_ = std::fopen(path_.c_str(), "rb");
        error_ = file_ ? 0 : errno;
        return file_ != nullptr;
    }

    std::size_t read(std::span<char> buffer, boost::system::error_code& ec) override
    {
        if (!file_) {
            ec = {error_ ? error_ : EBADF, boost::system::generic_category()};
            return 0;
        }
        const std::size_t n = std::fread(buffer.data(), 1, buffer.size(), file_);
        if (n < buffer.size() && std::ferror(file_))
            ec = {EIO, boost::system::generic_category()};
        return n;
    }

    [[nodiscard]] boost::system::error_code last_error() const override
    {
        return error_ ? boost::system::error_code(error_, boost::system::generic_category()) : boost::system::error_code{};
    }
    [[nodiscard]] const std::filesystem::path& path() const noexcept { return path_; }

private:
    void close() noexcept
    {
        if (file_)
            std::fclose(file_);
        file_ = nullptr;
    }

    std::filesystem::path path_;
    std::FILE* file_ = nullptr;
    int error_ = 0;
};

/// Bytes from a callback, e.g. a generator or another stream: `read(buffer, ec)` fills the
/// buffer and returns how much, 0 at the end. Sent once: it cannot start over after a read.
class callback_source final : public body_source {
public:
    using callback = std::function<std::size_t(std::span<char>, boost::system::error_code&)>;
    explicit callback_source(callback f, std::optional<std::uint64_t> size = std::nullopt)
        : f_(std::move(f)), size_(size)
    {
    }

    [[nodiscard]] std::optional<std::uint64_t> size() const override { return size_; }
    bool rewind() override { return !started_; }
    [[nodiscard]] bool rewindable() const override { return !started_; }
    std::size_t read(std::span<char> buffer, boost::system::error_code& ec) override
    {
        started_ = true;
        return f_(buffer, ec);
    }

private:
    callback f_;
    std::optional<std::uint64_t> size_;
    bool started_ = false;
};

/// A multipart/form-data body (RFC 7578) streamed part by part: text fields, and files (or any
/// source) with their own filename and media type. Its size is known when every part's is.
class multipart_source final : public body_source {
public:
    multipart_source() : boundary_("specbound-" + boost::uuids::to_string(boost::uuids::random_generator{}())) {}

    /// A text field. A name, filename or media type with CR, LF or '"' is refused
    /// (std::invalid_argument): it would break the part's header.
    multipart_source& add_field(std::string name, std::string value, std::string content_type = {})
    {
        parts_.push_back(part{check(std::move(name)), {}, check(std::move(content_type)), std::move(value)});
        return *this;
    }
    /// A file or other source; `source` must outlive the upload.
    multipart_source& add_file(std::string name, std::string filename, std::string content_type, body_source& source)
    {
        parts_.push_back(part{check(std::move(name)), check(std::move(filename)),
                              content_type.empty() ? "application/octet-stream" : check(std::move(content_type)), &source});
        return *this;
    }

    [[nodiscard]] std::optional<std::uint64_t> size() const override
    {
        std::uint64_t total = closing().size();
        for (std::size_t i = 0; i < parts_.size(); ++i) {
            total += head(i).size() + 2; // the CRLF after the data
            if (const auto* text = std::get_if<std::string>(&parts_[i].data))
                total += text->size();
            else if (auto n = std::get<body_source*>(parts_[i].data)->size())
                total += *n;
            else
                return std::nullopt;
        }
        return total;
    }
    [[nodiscard]] std::string content_type() const override { return "multipart/form-data; boundary=" + boundary_; }

    bool rewind() override
    {
        for (auto& p : parts_)
            if (auto* const* s = std::get_if<body_source*>(&p.data); s && !(*s)->rewind()) {
                failed_ = *s;
                return false;
            }
        index_ = 0;
        stage_ = stage::head;
        at_ = 0;
        return true;
    }
    [[nodiscard]] bool rewindable() const override
    {
        return std::all_of(parts_.begin(), parts_.end(), [](const part& p) {
            const auto* s = std::get_if<body_source*>(&p.data);
            return !s || (*s)->rewindable();
        });
    }
    [[nodiscard]] boost::system::error_code last_error() const override
    {
        return failed_ ? failed_->last_error() : boost::system::error_code{};
    }

    std::size_t read(std::span<char> buffer, boost::system::error_code& ec) override
    {
        std::size_t filled = 0;
        while (filled < buffer.size() && !ec) {
            const std::span<char> rest = buffer.subspan(filled);
            if (index_ == parts_.size()) { // the closing delimiter, then the end
                filled += copy(closing(), rest);
                if (at_ == closing().size())
                    break;
                continue;
            }
            switch (stage_) {
            case stage::head:
                filled += copy(head(index_), rest);
                if (at_ == head(index_).size())
                    next(stage::data);
                break;
            case stage::data:
                if (const auto* text = std::get_if<std::string>(&parts_[index_].data)) {
                    filled += copy(*text, rest);
                    if (at_ == text->size())
                        next(stage::tail);
                } else {
                    const std::size_t n = std::get<body_source*>(parts_[index_].data)->read(rest, ec);
                    filled += n;
                    if (n == 0 && !ec)
                        next(stage::tail);
                }
                break;
            case stage::tail:
                filled += copy("\r\n", rest);
                if (at_ == 2) {
                    ++index_;
                    next(stage::head);
                }
                break;
            }
        }
        return filled;
    }

    [[nodiscard]] const std::string& boundary() const noexcept { return boundary_; }

private:
    struct part {
        std::string name;
        std::string filename;
        std::string content_type;
        std::variant<std::string, body_source*> data;
    };
    enum class stage { head, data, tail };

    static std::string check(std::string s)
    {
        if (s.find_first_of("\r\n\"") != std::string::npos)
            throw std::invalid_argument("specbound::multipart_source: a part's name, filename or media type has CR, LF or '\"'");
        return s;
    }

    std::string head(std::size_t i) const
    {
        const part& p = parts_[i];
        std::string h = "--" + boundary_ + "\r\nContent-Disposition: form-data; name=\"" + p.name + "\"";
        if (!p.filename.empty())
            h += "; filename=\"" + p.filename + "\"";
        h += "\r\n";
        if (!p.content_type.empty())
            h += "Content-Type: " + p.content_type + "\r\n";
        return h + "\r\n";
    }
    std::string closing() const { return "--" + boundary_ + "--\r\n"; }

    /// Copies what is left of `text` (from at_) into `out`.
    std::size_t copy(std::string_view text, std::span<char> out)
    {
        const std::size_t n = std::min(out.size(), text.size() - at_);
        std::memcpy(out.data(), text.data() + at_, n);
        at_ += n;
        return n;
    }
    void next(stage s)
    {
        stage_ = s;
        at_ = 0;
    }

    std::string boundary_;
    std::vector<part> parts_;
    std::size_t index_ = 0;
    stage stage_ = stage::head;
    std::size_t at_ = 0;
    body_source* failed_ = nullptr;
};

} // namespace specbound
