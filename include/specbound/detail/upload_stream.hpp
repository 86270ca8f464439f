// The call engine's view of an upload's body_source, which the transport reads: it fixes the
// body's size when an attempt starts, holds the source to it (a source that gives more or fewer
// bytes than it said would corrupt the message framing), and turns the source's failures into
// the typed error that ends the call.
#pragma once

#include <specbound/body_source.hpp>
#include <specbound/error.hpp>

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>

namespace specbound::detail {

class upload_stream final : public body_source {
public:
    upload_stream(body_source& source, const std::string& context) : source_(source), context_(context) {}

    [[nodiscard]] std::optional<std::uint64_t> size() const override { return size_; }
    [[nodiscard]] std::string content_type() const override { return source_.content_type(); }
    [[nodiscard]] bool rewindable() const override { return source_.rewindable(); }

    /// The start of an attempt's body. False: the source cannot start (failure() says why).
    bool rewind() override
    {
        read_ = 0;
        failure_.reset();
        if (!source_.rewind()) {
            boost::system::error_code ec = source_.last_error();
            if (!ec)
                ec = boost::system::error_code(EIO, boost::system::generic_category());
            failure_ = std::make_shared<source_error>(context_ + ": the upload's source could not start: " + ec.message(), ec);
            return false;
        }
        size_ = source_.size();
        return true;
    }

    std::size_t read(std::span<char> buffer, boost::system::error_code& ec) override
    {
        if (failure_) {
            ec = failure_->code();
            return 0;
        }
        boost::system::error_code source_ec;
        const std::size_t n = source_.read(buffer, source_ec);
        read_ += n;
        if (source_ec)
            return fail(ec, "the upload's source failed: " + source_ec.message(), source_ec);
        if (size_ && read_ > *size_)
            return fail(ec, "the upload's source gave more than its size of " + std::to_string(*size_) + " bytes", {});
        if (n == 0 && size_ && read_ < *size_)
            return fail(ec, "the upload's source ended after " + std::to_string(read_) + " of its " +
                                std::to_string(*size_) + " bytes",
                        {});
        return n;
    }

    /// Why the source stopped the attempt, or null.
    [[nodiscard]] const std::shared_ptr<const error>& failure() const noexcept { return failure_; }
    /// Whether the current attempt has read from the source.
    [[nodiscard]] bool started() const noexcept { return read_ > 0; }

private:
    std::size_t fail(boost::system::error_code& ec, const std::string& why, boost::system::error_code source_ec)
    {
        if (!source_ec)
            source_ec = boost::system::error_code(EIO, boost::system::generic_category());
        failure_ = std::make_shared<source_error>(context_ + ": " + why, source_ec);
        ec = failure_->code();
        return 0;
    }

    body_source& source_;
    const std::string& context_;
    std::optional<std::uint64_t> size_;
    std::uint64_t read_ = 0;
    std::shared_ptr<const error> failure_;
};

} // namespace specbound::detail
