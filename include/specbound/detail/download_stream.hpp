// The call engine's response_stream for a download: it takes a final 2xx body (anything else is
// read into memory as usual, to become the typed error), decodes its Content-Encoding as it
// arrives, counts the decoded bytes against the call's limit and writes them to the user's
// body_sink. When it stops an attempt, failure() is the typed error that ends the call.
#pragma once

#include <specbound/body_sink.hpp>
#include <specbound/detail/content_coding.hpp>
#include <specbound/error.hpp>
#include <specbound/transport.hpp>

#include <boost/beast/http/field.hpp>

#include <cerrno>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace specbound::detail {

class download_stream final : public response_stream {
public:
    /// `limit`: decoded bytes at most; 0: none.
    download_stream(body_sink& sink, std::size_t limit, const std::string& context)
        : sink_(sink), limit_(limit), context_(context)
    {
    }

    /// A new attempt begins: forget the last one's body (the sink starts over when one is accepted).
    void reset()
    {
        failure_.reset();
        inflaters_.clear();
        accepted_ = false;
        raw_ = 0;
        decoded_ = 0;
    }

    bool accept(const boost::beast::http::response_header<>& header) override
    {
        const unsigned status = header.result_int();
        if (status < 200 || status >= 300)
            return false;
        accepted_ = true;
        if (const auto it = header.find(boost::beast::http::field::content_encoding); it != header.end()) {
            std::string unknown;
            std::vector<content_coding> codings = parse_content_encoding(it->value(), unknown);
            if (!unknown.empty())
                return refuse(status, "the body is encoded with '" + unknown + "', which this client does not decode");
            if (codings.size() > 2)
                return refuse(status, "more than two content codings");
            for (auto c = codings.rbegin(); c != codings.rend(); ++c) // the last applied is undone first
                inflaters_.push_back(std::make_unique<inflater>(*c));
        }
        if (!sink_.restart()) {
            boost::system::error_code ec = sink_.last_error();
            if (!ec)
                ec = boost::system::error_code(EIO, boost::system::generic_category());
            failure_ = std::make_shared<sink_error>(context_ + ": the download's sink could not start the body: " +
                                                        ec.message(),
                                                    ec);
        }
        return true;
    }

    boost::system::error_code write(std::span<const char> bytes) override
    {
        if (failure_)
            return failure_->code();
        raw_ += bytes.size();
        if (!push(0, std::string_view(bytes.data(), bytes.size())) && !failure_)
            corrupt();
        return failure_ ? failure_->code() : boost::system::error_code{};
    }

    boost::asio::awaitable<void> ready() override { co_await sink_.ready(); }

    boost::system::error_code finish() override
    {
        if (failure_)
            return failure_->code();
        if (raw_ > 0) // HEAD, 204, an empty 200: nothing was encoded
            for (const auto& z : inflaters_)
                if (!z->finish()) {
                    corrupt();
                    return failure_->code();
                }
        if (auto ec = sink_.finish())
            failure_ = std::make_shared<sink_error>(context_ + ": the download's sink failed at the end: " + ec.message(), ec);
        return failure_ ? failure_->code() : boost::system::error_code{};
    }

    /// Why this stream stopped the attempt (sink, limit, encoding), or null.
    [[nodiscard]] const std::shared_ptr<const error>& failure() const noexcept { return failure_; }
    /// Whether the current attempt's body went here.
    [[nodiscard]] bool accepted() const noexcept { return accepted_; }
    [[nodiscard]] std::uint64_t decoded_bytes() const noexcept { return decoded_; }

private:
    /// Decodes `data` from stage `stage` on (each stage one content coding), then to the sink.
    bool push(std::size_t stage, std::string_view data)
    {
        if (stage == inflaters_.size())
            return deliver(data);
        return inflaters_[stage]->feed(data, [&](std::string_view piece) { return push(stage + 1, piece); });
    }

    bool deliver(std::string_view data)
    {
        if (data.empty())
            return true;
        decoded_ += data.size();
        if (limit_ != 0 && decoded_ > limit_) {
            failure_ = std::make_shared<transport_error>(transport_errc::body_too_large, context_, true);
            return false;
        }
        if (auto ec = sink_.write(std::span<const char>(data.data(), data.size()))) {
            failure_ = std::make_shared<sink_error>(context_ + ": the download's sink failed: " + ec.message(), ec);
            return false;
        }
        return true;
    }

    bool refuse(unsigned status, const std::string& why)
    {
        failure_ = std::make_shared<decode_error>(client_errc::content_encoding,
                                                  context_ + ": HTTP " + std::to_string(status) + ": " + why,
                                                  static_cast<int>(status), "", why, "");
        return true; // accepted: the body must not be buffered; write() reports the failure
    }

    void corrupt()
    {
        std::string why;
        for (const auto& z : inflaters_)
            if (!z->why().empty())
                why = z->why();
        failure_ = std::make_shared<decode_error>(client_errc::content_encoding,
                                                  context_ + ": the compressed download is corrupt: " + why, 200, "",
                                                  why, "");
    }

    body_sink& sink_;
    std::size_t limit_;
    const std::string& context_;
    std::vector<std::unique_ptr<inflater>> inflaters_;
    std::shared_ptr<const error> failure_;
    bool accepted_ = false;
    std::uint64_t raw_ = 0;
    std::uint64_t decoded_ = 0;
};

} // namespace specbound::detail
